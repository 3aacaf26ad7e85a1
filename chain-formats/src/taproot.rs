//! Taproot: BIP-340 Schnorr signatures, BIP-341 key-path spending and P2TR outputs (BIP-350
//! addresses), for Bitcoin keys that threshold keyrings (FROST) produce.
//!
//! - An output key is a 32-byte x-only key: the x coordinate of a point with an even y
//!   ([`is_valid_x_only`]). Its scriptPubKey is `OP_1 <32 bytes>` ([`p2tr_script`]); its address
//!   is the bech32m witness-v1 encoding of that program (`bitcoin::script_address`).
//! - [`Transaction::taproot_key_spend_sighash`]: the BIP-341 signature message of a key-path
//!   spend, for `SIGHASH_DEFAULT` and `SIGHASH_ALL` (the hash types a wallet signs with; the
//!   others are refused), without annex. Unlike BIP-143 it commits to the amounts and
//!   scriptPubKeys of **all** spent outputs.
//! - [`verify_bip340`]: verifies a 64-byte signature over a 32-byte message with `k256`'s BIP-340
//!   implementation, on the raw message (`verify_raw`: no second hash), in the runtime (sp-io has
//!   no Schnorr host function).

use crate::{
	bitcoin::{write_script, SpentOutput, Transaction},
	hashing::sha256,
	Error,
};
use alloc::vec::Vec;
use k256::schnorr::{Signature, VerifyingKey};

/// `SIGHASH_DEFAULT`: like `SIGHASH_ALL`, with a 64-byte signature (no hash-type byte).
pub const SIGHASH_DEFAULT: u8 = 0x00;
/// `SIGHASH_ALL`: commits to all inputs and outputs; the signature carries the byte (65 bytes).
pub const SIGHASH_ALL: u8 = 0x01;

/// BIP-340's tagged hash: `SHA-256(SHA-256(tag) ‖ SHA-256(tag) ‖ parts…)`.
pub fn tagged_hash(tag: &[u8], parts: &[&[u8]]) -> [u8; 32] {
	let tag_hash = sha256(tag);
	let length = parts.iter().map(|part| part.len()).fold(64usize, usize::saturating_add);
	let mut data = Vec::with_capacity(length);
	data.extend_from_slice(&tag_hash);
	data.extend_from_slice(&tag_hash);
	for part in parts {
		data.extend_from_slice(part);
	}
	sha256(&data)
}

/// Whether `x_only` is a valid BIP-340 public key: the x coordinate of a curve point.
pub fn is_valid_x_only(x_only: &[u8; 32]) -> bool {
	VerifyingKey::from_bytes(x_only).is_ok()
}

/// The P2TR scriptPubKey of an x-only output key: `OP_1 <32-byte key>`.
pub fn p2tr_script(output_key: &[u8; 32]) -> Vec<u8> {
	let mut script = alloc::vec![0x51, 0x20];
	script.extend_from_slice(output_key);
	script
}

/// Verifies a BIP-340 `signature` (64 bytes: `R.x ‖ s`) of the 32-byte `message` by the x-only
/// key `x_only`.
pub fn verify_bip340(x_only: &[u8; 32], message: &[u8; 32], signature: &[u8]) -> Result<(), Error> {
	let key = VerifyingKey::from_bytes(x_only).map_err(|_| Error::InvalidKeyPoint)?;
	if signature.len() != 64 {
		return Err(Error::InvalidSignatureLength);
	}
	let signature = Signature::try_from(signature).map_err(|_| Error::InvalidSignatureEncoding)?;
	key.verify_raw(message, &signature).map_err(|_| Error::SignatureMismatch)
}

/// The hashes of a transaction that every key-path signature message shares (BIP-341's
/// `sha_prevouts`, `sha_amounts`, `sha_scriptpubkeys`, `sha_sequences`, `sha_outputs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaprootHashes {
	/// SHA-256 of every input's outpoint.
	pub prevouts: [u8; 32],
	/// SHA-256 of every spent amount (8 bytes little-endian each).
	pub amounts: [u8; 32],
	/// SHA-256 of every spent scriptPubKey (with its CompactSize length).
	pub script_pubkeys: [u8; 32],
	/// SHA-256 of every input's nSequence.
	pub sequences: [u8; 32],
	/// SHA-256 of every output.
	pub outputs: [u8; 32],
}

impl Transaction {
	/// BIP-341's shared hashes, given the outputs the inputs spend (one per input, in order).
	pub fn taproot_hashes(&self, spent: &[SpentOutput]) -> Result<TaprootHashes, Error> {
		if spent.len() != self.inputs.len() {
			return Err(Error::SpentOutputCountMismatch);
		}
		let mut prevouts = Vec::new();
		let mut sequences = Vec::new();
		for input in &self.inputs {
			prevouts.extend_from_slice(&input.previous_txid);
			prevouts.extend_from_slice(&input.previous_index.to_le_bytes());
			sequences.extend_from_slice(&input.sequence.to_le_bytes());
		}
		let mut amounts = Vec::new();
		let mut script_pubkeys = Vec::new();
		for output in spent {
			amounts.extend_from_slice(&output.amount.to_le_bytes());
			write_script(&mut script_pubkeys, &output.script_pubkey);
		}
		let mut outputs = Vec::new();
		for output in &self.outputs {
			outputs.extend_from_slice(&output.amount.to_le_bytes());
			write_script(&mut outputs, &output.script_pubkey);
		}
		Ok(TaprootHashes {
			prevouts: sha256(&prevouts),
			amounts: sha256(&amounts),
			script_pubkeys: sha256(&script_pubkeys),
			sequences: sha256(&sequences),
			outputs: sha256(&outputs),
		})
	}

	/// The BIP-341 signature hash of a key-path spend of input `input_index` (no annex), for
	/// `hash_type` [`SIGHASH_DEFAULT`] or [`SIGHASH_ALL`]; `spent` are the outputs the inputs
	/// spend, one per input, in order.
	pub fn taproot_key_spend_sighash(
		&self,
		input_index: usize,
		spent: &[SpentOutput],
		hash_type: u8,
	) -> Result<[u8; 32], Error> {
		let hashes = self.taproot_hashes(spent)?;
		self.taproot_sighash_with(&hashes, input_index, hash_type)
	}

	/// [`Self::taproot_key_spend_sighash`] with the shared hashes computed once for all inputs.
	pub fn taproot_sighash_with(
		&self,
		hashes: &TaprootHashes,
		input_index: usize,
		hash_type: u8,
	) -> Result<[u8; 32], Error> {
		if hash_type != SIGHASH_DEFAULT && hash_type != SIGHASH_ALL {
			return Err(Error::FieldOutOfRange);
		}
		let index = u32::try_from(input_index).map_err(|_| Error::FieldOutOfRange)?;
		if input_index >= self.inputs.len() {
			return Err(Error::FieldOutOfRange);
		}
		// Epoch 0, then the signature message (BIP-341 "Common signature message").
		let mut message = Vec::with_capacity(1 + 1 + 4 + 4 + 5 * 32 + 1 + 4);
		message.push(0x00);
		message.push(hash_type);
		message.extend_from_slice(&self.version.to_le_bytes());
		message.extend_from_slice(&self.lock_time.to_le_bytes());
		message.extend_from_slice(&hashes.prevouts);
		message.extend_from_slice(&hashes.amounts);
		message.extend_from_slice(&hashes.script_pubkeys);
		message.extend_from_slice(&hashes.sequences);
		message.extend_from_slice(&hashes.outputs);
		// spend_type: key path (ext_flag 0), no annex.
		message.push(0x00);
		message.extend_from_slice(&index.to_le_bytes());
		Ok(tagged_hash(b"TapSighash", &[&message]))
	}
}
