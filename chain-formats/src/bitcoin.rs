//! Bitcoin: segwit v0 spends of P2WPKH outputs (BIP-143 sighashes) and Taproot key-path spends
//! of P2TR outputs (BIP-341 sighashes, [`crate::taproot`]), witness assembly.
//!
//! ## Request format
//! A segwit sighash commits to the amount of the output each input spends, which the raw
//! transaction does not contain. A Bitcoin transaction request therefore carries the
//! SCALE-encoded [`BitcoinUnsignedTransaction`]:
//! - `transaction`: the raw unsigned transaction in consensus encoding, either without witness
//!   (what `createrawtransaction` produces) or in the segwit encoding with every witness empty;
//!   every scriptSig must be empty;
//! - `spent_outputs`: for each input, in order, the amount (satoshi) and scriptPubKey of the
//!   output it spends.
//!
//! Every spent output must be the signer's own output, else [`Error::ForeignInput`]: P2WPKH
//! (`0x0014 ‖ HASH160(key)`) for an ECDSA key, P2TR (`0x5120 ‖ output key`) for a Taproot key: the key signs for its own coins only, so the amounts the policy sees
//! are the signer's. (PSBT, BIP-174, would be the richer container; it is not accepted yet.)
//!
//! ## What is signed
//! One sighash per input:
//! - ECDSA key: the BIP-143 sighash (`SIGHASH_ALL`) with the P2WPKH scriptCode
//!   `0x76a914 ‖ HASH160(key) ‖ 0x88ac` and the spent amount;
//! - Taproot key: the BIP-341 key-path sighash with `SIGHASH_DEFAULT` (it commits to every spent
//!   amount and scriptPubKey).
//!
//! ## Value, recipient, fee
//! `value` is the sum of outputs whose script is not the signer's own P2WPKH script (change is
//! excluded); `recipient` is the address of the destination script if all such outputs (not
//! counting zero-value `OP_RETURN` data outputs) pay the same script; `fee` is inputs − outputs.
//!
//! ## Assembly
//! The signed transaction is the segwit encoding with witness `[DER(sig) ‖ 0x01, key]` (P2WPKH)
//! or `[sig]` (64-byte BIP-340 signature, Taproot key path) for every input; its id is the txid (SHA-256d of the encoding without witness) in display byte order.

use alloc::{string::String, vec::Vec};
use codec::{Decode, DecodeAll, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::{
	hashing::{hash160, sha256d},
	signature::RecoverableSignature,
	Error, ParsedTransaction, Preimage, PreimageHash, SignPayload, SignedTransaction,
};

/// The largest amount Bitcoin allows anywhere: 21 million BTC in satoshi.
pub const MAX_MONEY: u64 = 21_000_000 * 100_000_000;
/// `SIGHASH_ALL`, the only sighash type produced.
pub const SIGHASH_ALL: u32 = 1;

/// Smallest encoded input: outpoint (36), empty script length (1), sequence (4).
const MIN_INPUT_LEN: usize = 41;
/// Smallest encoded output: amount (8), empty script length (1).
const MIN_OUTPUT_LEN: usize = 9;
const OP_RETURN: u8 = 0x6a;

/// A Bitcoin network, for addresses.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum BitcoinNetwork {
	/// Mainnet (`bc1…`, `1…`, `3…`).
	Mainnet,
	/// Testnet and signet (`tb1…`, `m…`/`n…`, `2…`).
	Testnet,
	/// Regtest (`bcrt1…`, `m…`/`n…`, `2…`).
	Regtest,
}

impl BitcoinNetwork {
	/// The bech32 human-readable part of segwit addresses.
	pub fn hrp(self) -> bech32::Hrp {
		match self {
			BitcoinNetwork::Mainnet => bech32::hrp::BC,
			BitcoinNetwork::Testnet => bech32::hrp::TB,
			BitcoinNetwork::Regtest => bech32::hrp::BCRT,
		}
	}

	const fn p2pkh_version(self) -> u8 {
		match self {
			BitcoinNetwork::Mainnet => 0x00,
			BitcoinNetwork::Testnet | BitcoinNetwork::Regtest => 0x6f,
		}
	}

	const fn p2sh_version(self) -> u8 {
		match self {
			BitcoinNetwork::Mainnet => 0x05,
			BitcoinNetwork::Testnet | BitcoinNetwork::Regtest => 0xc4,
		}
	}
}

/// The output an input spends.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct SpentOutput {
	/// Its amount in satoshi.
	pub amount: u64,
	/// Its scriptPubKey.
	pub script_pubkey: Vec<u8>,
}

/// A Bitcoin transaction request: the raw unsigned transaction and the outputs it spends
/// (SCALE-encoded in the request).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct BitcoinUnsignedTransaction {
	/// The raw unsigned transaction, consensus encoding.
	pub transaction: Vec<u8>,
	/// One entry per input, in input order.
	pub spent_outputs: Vec<SpentOutput>,
}

impl BitcoinUnsignedTransaction {
	/// Decodes the SCALE request bytes; nothing may follow.
	pub fn decode_request(bytes: &[u8]) -> Result<Self, Error> {
		Self::decode_all(&mut &*bytes).map_err(|_| Error::InvalidRequestEncoding)
	}
}

/// A transaction input (of an unsigned transaction: no scriptSig, no witness).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxIn {
	/// The txid of the spent output, internal byte order.
	pub previous_txid: [u8; 32],
	/// The index of the spent output.
	pub previous_index: u32,
	/// nSequence.
	pub sequence: u32,
}

/// A transaction output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxOut {
	/// Amount in satoshi.
	pub amount: u64,
	/// scriptPubKey.
	pub script_pubkey: Vec<u8>,
}

/// An unsigned transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
	/// nVersion.
	pub version: i32,
	/// The inputs (at least one).
	pub inputs: Vec<TxIn>,
	/// The outputs (at least one).
	pub outputs: Vec<TxOut>,
	/// nLockTime.
	pub lock_time: u32,
}

/// Decodes a raw unsigned transaction (see the module docs for what is accepted).
pub fn decode_transaction(bytes: &[u8]) -> Result<Transaction, Error> {
	let mut reader = Reader { bytes };
	let version = i32::from_le_bytes(reader.array()?);
	// With at least one input, a zero where the input count belongs is the segwit marker.
	let segwit = reader.peek() == Some(0);
	if segwit {
		let [_marker, flag] = reader.array::<2>()?;
		if flag != 1 {
			return Err(Error::NonCanonicalEncoding);
		}
	}
	let input_count = reader.count(MIN_INPUT_LEN)?;
	let mut inputs = Vec::with_capacity(input_count);
	for _ in 0..input_count {
		let previous_txid = reader.array()?;
		let previous_index = u32::from_le_bytes(reader.array()?);
		if reader.count(1)? != 0 {
			return Err(Error::InputNotEmpty);
		}
		let sequence = u32::from_le_bytes(reader.array()?);
		inputs.push(TxIn { previous_txid, previous_index, sequence });
	}
	let output_count = reader.count(MIN_OUTPUT_LEN)?;
	let mut outputs = Vec::with_capacity(output_count);
	for _ in 0..output_count {
		let amount = u64::from_le_bytes(reader.array()?);
		if amount > MAX_MONEY {
			return Err(Error::FieldOutOfRange);
		}
		let script_length = reader.count(1)?;
		let script_pubkey = reader.take(script_length)?.to_vec();
		outputs.push(TxOut { amount, script_pubkey });
	}
	if inputs.is_empty() || outputs.is_empty() {
		return Err(Error::NoInputsOrOutputs);
	}
	if segwit {
		for _ in 0..input_count {
			if reader.count(1)? != 0 {
				return Err(Error::InputNotEmpty);
			}
		}
	}
	let lock_time = u32::from_le_bytes(reader.array()?);
	if !reader.bytes.is_empty() {
		return Err(Error::TrailingBytes);
	}
	Ok(Transaction { version, inputs, outputs, lock_time })
}

impl Transaction {
	/// The consensus encoding without witness (what the txid hashes).
	pub fn encode_without_witness(&self) -> Vec<u8> {
		let mut out = Vec::new();
		out.extend_from_slice(&self.version.to_le_bytes());
		self.encode_inputs_and_outputs(&mut out);
		out.extend_from_slice(&self.lock_time.to_le_bytes());
		out
	}

	fn encode_inputs_and_outputs(&self, out: &mut Vec<u8>) {
		write_compact_size(out, self.inputs.len());
		for input in &self.inputs {
			write_outpoint(out, input);
			write_compact_size(out, 0);
			out.extend_from_slice(&input.sequence.to_le_bytes());
		}
		write_compact_size(out, self.outputs.len());
		for output in &self.outputs {
			write_output(out, output);
		}
	}

	/// The txid in internal byte order (SHA-256d of the encoding without witness).
	pub fn txid(&self) -> [u8; 32] {
		sha256d(&self.encode_without_witness())
	}

	/// The BIP-143 `SIGHASH_ALL` sighash of input `input_index`, for a scriptCode (without its
	/// length prefix) and the spent amount.
	pub fn bip143_sighash(
		&self,
		input_index: usize,
		script_code: &[u8],
		amount: u64,
	) -> Result<[u8; 32], Error> {
		Bip143Hashes::new(self).sighash(self, input_index, script_code, amount)
	}

	/// The BIP-143 message of input `input_index` whose SHA-256d is [`Self::bip143_sighash`].
	pub fn bip143_preimage(
		&self,
		input_index: usize,
		script_code: &[u8],
		amount: u64,
	) -> Result<Vec<u8>, Error> {
		Bip143Hashes::new(self).preimage(self, input_index, script_code, amount)
	}
}

/// The three hashes BIP-143 shares between all inputs.
struct Bip143Hashes {
	prevouts: [u8; 32],
	sequences: [u8; 32],
	outputs: [u8; 32],
}

impl Bip143Hashes {
	fn new(transaction: &Transaction) -> Self {
		let mut prevouts = Vec::with_capacity(transaction.inputs.len().saturating_mul(36));
		let mut sequences = Vec::with_capacity(transaction.inputs.len().saturating_mul(4));
		for input in &transaction.inputs {
			write_outpoint(&mut prevouts, input);
			sequences.extend_from_slice(&input.sequence.to_le_bytes());
		}
		let mut outputs = Vec::new();
		for output in &transaction.outputs {
			write_output(&mut outputs, output);
		}
		Bip143Hashes {
			prevouts: sha256d(&prevouts),
			sequences: sha256d(&sequences),
			outputs: sha256d(&outputs),
		}
	}

	fn sighash(
		&self,
		transaction: &Transaction,
		input_index: usize,
		script_code: &[u8],
		amount: u64,
	) -> Result<[u8; 32], Error> {
		Ok(sha256d(&self.preimage(transaction, input_index, script_code, amount)?))
	}

	/// The message whose SHA-256d is the sighash.
	fn preimage(
		&self,
		transaction: &Transaction,
		input_index: usize,
		script_code: &[u8],
		amount: u64,
	) -> Result<Vec<u8>, Error> {
		let input = transaction.inputs.get(input_index).ok_or(Error::FieldOutOfRange)?;
		let mut preimage = Vec::with_capacity(156usize.saturating_add(script_code.len()));
		preimage.extend_from_slice(&transaction.version.to_le_bytes());
		preimage.extend_from_slice(&self.prevouts);
		preimage.extend_from_slice(&self.sequences);
		write_outpoint(&mut preimage, input);
		write_compact_size(&mut preimage, script_code.len());
		preimage.extend_from_slice(script_code);
		preimage.extend_from_slice(&amount.to_le_bytes());
		preimage.extend_from_slice(&input.sequence.to_le_bytes());
		preimage.extend_from_slice(&self.outputs);
		preimage.extend_from_slice(&transaction.lock_time.to_le_bytes());
		preimage.extend_from_slice(&SIGHASH_ALL.to_le_bytes());
		Ok(preimage)
	}
}

/// The P2WPKH scriptPubKey of a compressed key: `OP_0 <HASH160(key)>`.
pub fn p2wpkh_script(key: &[u8; 33]) -> Vec<u8> {
	let mut script = alloc::vec![0x00, 0x14];
	script.extend_from_slice(&hash160(key));
	script
}

/// The BIP-143 scriptCode of a P2WPKH spend: `OP_DUP OP_HASH160 <HASH160(key)> OP_EQUALVERIFY
/// OP_CHECKSIG`.
pub fn p2wpkh_script_code(key_hash: &[u8; 20]) -> Vec<u8> {
	let mut script = alloc::vec![0x76, 0xa9, 0x14];
	script.extend_from_slice(key_hash);
	script.extend_from_slice(&[0x88, 0xac]);
	script
}

/// The key that spends a request's inputs, which fixes the outputs it may spend and how they are
/// signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spender {
	/// An ECDSA key spending P2WPKH outputs (compressed key).
	P2wpkh([u8; 33]),
	/// A Taproot output key spending P2TR outputs by the key path (x-only key).
	Taproot([u8; 32]),
}

impl Spender {
	/// The spender of a Bitcoin key; [`Error::KeyTypeMismatch`] for other keys.
	pub fn from_key(key: &crate::PublicKey) -> Result<Self, Error> {
		match key {
			crate::PublicKey::BitcoinTaproot(output_key) => Ok(Spender::Taproot(*output_key)),
			crate::PublicKey::EcdsaSecp256k1(compressed)
			| crate::PublicKey::BitcoinSecp256k1(compressed) => Ok(Spender::P2wpkh(*compressed)),
			crate::PublicKey::Ed25519(_) => Err(Error::KeyTypeMismatch),
		}
	}

	/// The scriptPubKey of the spender's own outputs.
	pub fn own_script(&self) -> Vec<u8> {
		match self {
			Spender::P2wpkh(key) => p2wpkh_script(key),
			Spender::Taproot(output_key) => crate::taproot::p2tr_script(output_key),
		}
	}
}

/// A validated request: the transaction, its sighashes and the policy summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitcoinTransaction {
	/// The key that spends the inputs.
	pub spender: Spender,
	/// The decoded unsigned transaction.
	pub transaction: Transaction,
	/// One sighash per input: BIP-143 for P2WPKH, BIP-341 (`SIGHASH_DEFAULT`) for Taproot.
	pub sighashes: Vec<[u8; 32]>,
	/// For P2WPKH, each input's BIP-143 message (its sighash is the SHA-256d of it); empty for
	/// Taproot.
	pub preimages: Vec<Vec<u8>>,
	/// Sum of the outputs not paying the signer's own script, in satoshi.
	pub value: u64,
	/// Inputs − outputs, in satoshi.
	pub fee: u64,
	/// The single destination address, if there is one (see the module docs).
	pub recipient: Option<String>,
}

/// Validates a request spent by `spender` and computes the sighashes and summary.
pub fn parse(
	request: &BitcoinUnsignedTransaction,
	spender: Spender,
	network: BitcoinNetwork,
) -> Result<BitcoinTransaction, Error> {
	let transaction = decode_transaction(&request.transaction)?;
	if request.spent_outputs.len() != transaction.inputs.len() {
		return Err(Error::SpentOutputCountMismatch);
	}
	let own_script = spender.own_script();

	let mut total_in: u64 = 0;
	for spent in &request.spent_outputs {
		if spent.script_pubkey != own_script {
			return Err(Error::ForeignInput);
		}
		if spent.amount > MAX_MONEY {
			return Err(Error::FieldOutOfRange);
		}
		total_in = checked_money_add(total_in, spent.amount)?;
	}

	let mut total_out: u64 = 0;
	let mut value: u64 = 0;
	let mut destination: Option<&[u8]> = None;
	let mut single_destination = true;
	for output in &transaction.outputs {
		total_out = checked_money_add(total_out, output.amount)?;
		if output.script_pubkey == own_script {
			continue;
		}
		value = checked_money_add(value, output.amount)?;
		let data_only = output.amount == 0 && output.script_pubkey.first() == Some(&OP_RETURN);
		if data_only {
			continue;
		}
		match destination {
			None => destination = Some(&output.script_pubkey),
			Some(script) if script == output.script_pubkey.as_slice() => {}
			Some(_) => single_destination = false,
		}
	}
	let fee = total_in.checked_sub(total_out).ok_or(Error::OutputsExceedInputs)?;
	let recipient = if single_destination {
		destination.and_then(|script| script_address(script, network))
	} else {
		None
	};

	let (sighashes, preimages) = match spender {
		Spender::P2wpkh(key) => {
			let script_code = p2wpkh_script_code(&hash160(&key));
			let hashes = Bip143Hashes::new(&transaction);
			let preimages = request
				.spent_outputs
				.iter()
				.enumerate()
				.map(|(index, spent)| {
					hashes.preimage(&transaction, index, &script_code, spent.amount)
				})
				.collect::<Result<Vec<_>, Error>>()?;
			(preimages.iter().map(|preimage| sha256d(preimage)).collect(), preimages)
		}
		Spender::Taproot(_) => {
			let hashes = transaction.taproot_hashes(&request.spent_outputs)?;
			let sighashes = (0..transaction.inputs.len())
				.map(|index| {
					transaction.taproot_sighash_with(
						&hashes,
						index,
						crate::taproot::SIGHASH_DEFAULT,
					)
				})
				.collect::<Result<Vec<_>, Error>>()?;
			(sighashes, Vec::new())
		}
	};

	Ok(BitcoinTransaction { spender, transaction, sighashes, preimages, value, fee, recipient })
}

impl BitcoinTransaction {
	/// The chain-independent summary the treasury and the policy see.
	pub fn summary(&self) -> ParsedTransaction {
		ParsedTransaction {
			payloads_to_sign: self.sighashes.iter().copied().map(SignPayload::Prehash).collect(),
			preimages: self
				.preimages
				.iter()
				.map(|bytes| Preimage { hash: PreimageHash::Sha256d, bytes: bytes.clone() })
				.collect(),
			value: Some(u128::from(self.value)),
			recipient: self.recipient.clone(),
			fee: Some(u128::from(self.fee)),
			kind: crate::transaction::TransactionKind::Transfer,
			token: None,
		}
	}

	/// The signed segwit transaction of a P2WPKH spend, one signature per input (in input order).
	pub fn assemble(
		&self,
		signatures: &[RecoverableSignature],
	) -> Result<SignedTransaction, Error> {
		let Spender::P2wpkh(signer) = &self.spender else { return Err(Error::KeyTypeMismatch) };
		let mut witnesses = Vec::with_capacity(signatures.len());
		for signature in signatures {
			let mut element = signature.to_der()?;
			// The sighash type byte; SIGHASH_ALL is 1 and fits a byte.
			element.push(SIGHASH_ALL as u8);
			witnesses.push(alloc::vec![element, signer.to_vec()]);
		}
		self.with_witnesses(&witnesses)
	}

	/// The signed segwit transaction of a Taproot key-path spend: witness `[signature]` per input
	/// (64-byte BIP-340 signatures of the `SIGHASH_DEFAULT` sighashes, in input order).
	pub fn assemble_taproot(&self, signatures: &[[u8; 64]]) -> Result<SignedTransaction, Error> {
		if !matches!(self.spender, Spender::Taproot(_)) {
			return Err(Error::KeyTypeMismatch);
		}
		let witnesses: Vec<Vec<Vec<u8>>> =
			signatures.iter().map(|signature| alloc::vec![signature.to_vec()]).collect();
		self.with_witnesses(&witnesses)
	}

	fn with_witnesses(&self, witnesses: &[Vec<Vec<u8>>]) -> Result<SignedTransaction, Error> {
		if witnesses.len() != self.transaction.inputs.len() {
			return Err(Error::SignatureCountMismatch);
		}
		let mut raw = Vec::new();
		raw.extend_from_slice(&self.transaction.version.to_le_bytes());
		raw.extend_from_slice(&[0x00, 0x01]);
		self.transaction.encode_inputs_and_outputs(&mut raw);
		for witness in witnesses {
			write_compact_size(&mut raw, witness.len());
			for element in witness {
				write_compact_size(&mut raw, element.len());
				raw.extend_from_slice(element);
			}
		}
		raw.extend_from_slice(&self.transaction.lock_time.to_le_bytes());
		let mut id = self.transaction.txid();
		id.reverse();
		Ok(SignedTransaction { raw, id: id.to_vec(), id_text: hex::encode(id) })
	}
}

/// The address of a standard output script on `network`, or `None` for other scripts
/// (data outputs, bare multisig, non-standard).
pub fn script_address(script: &[u8], network: BitcoinNetwork) -> Option<String> {
	match script {
		// Witness programs: OP_0 / OP_1..OP_16, then one push of 2 to 40 bytes.
		[version @ (0x00 | 0x51..=0x60), length, program @ ..]
			if usize::from(*length) == program.len() =>
		{
			let version = if *version == 0 { 0 } else { version.checked_sub(0x50)? };
			let version = bech32::Fe32::try_from(version).ok()?;
			bech32::segwit::encode(network.hrp(), version, program).ok()
		}
		[0x76, 0xa9, 0x14, hash @ .., 0x88, 0xac] if hash.len() == 20 => {
			Some(base58check(network.p2pkh_version(), hash))
		}
		[0xa9, 0x14, hash @ .., 0x87] if hash.len() == 20 => {
			Some(base58check(network.p2sh_version(), hash))
		}
		_ => None,
	}
}

fn base58check(version: u8, payload: &[u8]) -> String {
	let mut data = Vec::with_capacity(payload.len().saturating_add(5));
	data.push(version);
	data.extend_from_slice(payload);
	let checksum = sha256d(&data);
	data.extend(checksum.iter().take(4));
	bs58::encode(data).into_string()
}

fn checked_money_add(sum: u64, amount: u64) -> Result<u64, Error> {
	sum.checked_add(amount).filter(|total| *total <= MAX_MONEY).ok_or(Error::AmountOverflow)
}

fn write_outpoint(out: &mut Vec<u8>, input: &TxIn) {
	out.extend_from_slice(&input.previous_txid);
	out.extend_from_slice(&input.previous_index.to_le_bytes());
}

fn write_output(out: &mut Vec<u8>, output: &TxOut) {
	out.extend_from_slice(&output.amount.to_le_bytes());
	write_script(out, &output.script_pubkey);
}

/// A script with its CompactSize length, as transactions and signature messages carry it.
pub(crate) fn write_script(out: &mut Vec<u8>, script: &[u8]) {
	write_compact_size(out, script.len());
	out.extend_from_slice(script);
}

/// Bitcoin's CompactSize unsigned integer.
fn write_compact_size(out: &mut Vec<u8>, value: usize) {
	let value = value as u64;
	if value < 0xfd {
		out.push(value as u8);
	} else if let Ok(short) = u16::try_from(value) {
		out.push(0xfd);
		out.extend_from_slice(&short.to_le_bytes());
	} else if let Ok(word) = u32::try_from(value) {
		out.push(0xfe);
		out.extend_from_slice(&word.to_le_bytes());
	} else {
		out.push(0xff);
		out.extend_from_slice(&value.to_le_bytes());
	}
}

/// A cursor over untrusted bytes; every read is bounds-checked.
struct Reader<'a> {
	bytes: &'a [u8],
}

impl<'a> Reader<'a> {
	fn peek(&self) -> Option<u8> {
		self.bytes.first().copied()
	}

	fn take(&mut self, length: usize) -> Result<&'a [u8], Error> {
		let (taken, rest) = self.bytes.split_at_checked(length).ok_or(Error::UnexpectedEnd)?;
		self.bytes = rest;
		Ok(taken)
	}

	fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
		self.take(N)?.try_into().map_err(|_| Error::UnexpectedEnd)
	}

	/// A canonical CompactSize.
	fn compact_size(&mut self) -> Result<u64, Error> {
		let [first] = self.array::<1>()?;
		let (value, minimum) = match first {
			0xfd => (u64::from(u16::from_le_bytes(self.array()?)), 0xfd),
			0xfe => (u64::from(u32::from_le_bytes(self.array()?)), 0x1_0000),
			0xff => (u64::from_le_bytes(self.array()?), 0x1_0000_0000),
			small => return Ok(u64::from(small)),
		};
		if value < minimum {
			return Err(Error::NonCanonicalEncoding);
		}
		Ok(value)
	}

	/// A CompactSize count of items at least `min_item_len` bytes long each, bounded by what
	/// remains (so a forged count cannot make us allocate).
	fn count(&mut self, min_item_len: usize) -> Result<usize, Error> {
		let count = usize::try_from(self.compact_size()?).map_err(|_| Error::UnexpectedEnd)?;
		let needed = count.checked_mul(min_item_len).ok_or(Error::UnexpectedEnd)?;
		if needed > self.bytes.len() {
			return Err(Error::UnexpectedEnd);
		}
		Ok(count)
	}
}
