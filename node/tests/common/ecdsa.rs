//! Threshold ECDSA keyrings seen from outside: whether a keyring's setup is done and how many
//! presignatures a key has pooled, and its signatures checked by implementations independent of
//! the chain's: libsecp256k1 (through rust-bitcoin) recovers EVM signers and verifies BIP-143
//! P2WPKH spends whose sighashes rust-bitcoin recomputes.

use bitcoin::{
	absolute::LockTime,
	consensus::{deserialize, serialize},
	ecdsa,
	hashes::{hash160, Hash},
	secp256k1::{
		ecdsa::{RecoverableSignature, RecoveryId},
		Message, PublicKey, Secp256k1,
	},
	sighash::SighashCache,
	transaction::Version,
	Amount, EcdsaSighashType, OutPoint, ScriptBuf, Sequence, Transaction, TxIn, TxOut, Txid,
	Witness,
};
use zenrock_chain_formats::bitcoin::{BitcoinUnsignedTransaction, SpentOutput};
use zenrock_runtime::Runtime;

use super::Node;

/// An unsigned EIP-1559 transfer (chain 31337, nonce 0, 1 gwei tip, 50 gwei cap, 21,000 gas, to
/// 0x4242…42, 123,456,789 wei): `0x02 ‖ rlp([...])`.
pub const EIP1559_TRANSFER: [u8; 48] = [
	0x02, 0xee, 0x82, 0x7a, 0x69, 0x80, 0x84, 0x3b, 0x9a, 0xca, 0x00, 0x85, 0x0b, 0xa4, 0x3b, 0x74,
	0x00, 0x82, 0x52, 0x08, 0x94, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42,
	0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x84, 0x07, 0x5b, 0xcd, 0x15, 0x80, 0xc0,
];

/// Whether threshold ECDSA keyring `keyring` has its auxiliary info and master key.
pub fn keyring_ready(node: &Node, keyring: u64) -> bool {
	node.storage::<pallet_zenrock_mpc::ecdsa::EcdsaKeyring<Runtime>>(
		&pallet_zenrock_mpc::EcdsaKeyrings::<Runtime>::hashed_key_for(keyring),
	)
	.is_some_and(|record| record.ready_master().is_some())
}

/// How many presignatures key `key` has pooled.
pub fn pooled_presignatures(node: &Node, key: u64) -> u32 {
	node.storage::<pallet_zenrock_mpc::ecdsa::PresignaturePool<Runtime>>(
		&pallet_zenrock_mpc::PresignaturePools::<Runtime>::hashed_key_for(key),
	)
	.map_or(0, |pool| pool.pooled)
}

/// The Ethereum address of a compressed secp256k1 key.
pub fn evm_address(public_key: &[u8]) -> [u8; 20] {
	let key = PublicKey::from_slice(public_key).expect("a secp256k1 key");
	let hash = sp_io::hashing::keccak_256(&key.serialize_uncompressed()[1..]);
	hash[12..].try_into().expect("20 bytes")
}

/// The address libsecp256k1 recovers from a 65-byte `r ‖ s ‖ v` signature of `digest`, after
/// checking that `s` is low (as Ethereum requires).
pub fn recover_evm_signer(digest: &[u8; 32], signature: &[u8]) -> [u8; 20] {
	assert_eq!(signature.len(), 65, "r ‖ s ‖ recovery id");
	let recovery = RecoveryId::from_i32(i32::from(signature[64] % 27)).expect("a recovery id");
	let recoverable =
		RecoverableSignature::from_compact(&signature[..64], recovery).expect("r ‖ s");
	let mut normalized = recoverable.to_standard();
	normalized.normalize_s();
	assert_eq!(normalized, recoverable.to_standard(), "s is low");
	let secp = Secp256k1::new();
	let key = secp
		.recover_ecdsa(&Message::from_digest(*digest), &recoverable)
		.expect("libsecp256k1 recovers a key");
	evm_address(&key.serialize())
}

fn p2wpkh_script(public_key: &[u8]) -> ScriptBuf {
	let hash = hash160::Hash::hash(public_key);
	ScriptBuf::from_bytes([&[0x00, 0x14][..], hash.as_byte_array()].concat())
}

/// A spend, built with rust-bitcoin, of two P2WPKH outputs of `public_key` (made-up outpoints)
/// to a made-up recipient with change back to the key.
pub fn p2wpkh_spend_request(public_key: &[u8]) -> BitcoinUnsignedTransaction {
	let own = p2wpkh_script(public_key);
	let input = |txid: u8, vout: u32| TxIn {
		previous_output: OutPoint { txid: Txid::from_byte_array([txid; 32]), vout },
		script_sig: ScriptBuf::new(),
		sequence: Sequence::ENABLE_RBF_NO_LOCKTIME,
		witness: Witness::new(),
	};
	let recipient = ScriptBuf::from_bytes([&[0x00, 0x14][..], &[0x75; 20][..]].concat());
	let transaction = Transaction {
		version: Version::TWO,
		lock_time: LockTime::ZERO,
		input: vec![input(0x51, 0), input(0x62, 3)],
		output: vec![
			TxOut { value: Amount::from_sat(60_000), script_pubkey: recipient },
			TxOut { value: Amount::from_sat(35_000), script_pubkey: own.clone() },
		],
	};
	BitcoinUnsignedTransaction {
		transaction: serialize(&transaction),
		spent_outputs: [50_000, 50_000]
			.into_iter()
			.map(|amount| SpentOutput { amount, script_pubkey: own.to_bytes() })
			.collect(),
	}
}

/// Checks the signed spend `signed_raw` of `request` with rust-bitcoin and libsecp256k1: the same
/// transaction, each input's witness a DER signature with `SIGHASH_ALL` over the BIP-143 sighash
/// computed here, and `public_key`.
pub fn verify_p2wpkh_spend(
	request: &BitcoinUnsignedTransaction,
	signed_raw: &[u8],
	public_key: &[u8],
) {
	let unsigned: Transaction = deserialize(&request.transaction).expect("the request decodes");
	let signed: Transaction = deserialize(signed_raw).expect("the signed transaction decodes");
	assert_eq!(signed.compute_txid(), unsigned.compute_txid(), "the requested transaction");
	let secp = Secp256k1::verification_only();
	let key = PublicKey::from_slice(public_key).expect("a secp256k1 key");
	let script = p2wpkh_script(public_key);
	let mut cache = SighashCache::new(&unsigned);
	for (index, input) in signed.input.iter().enumerate() {
		assert_eq!(input.witness.len(), 2, "input {index}: signature and key");
		assert_eq!(input.witness.nth(1), Some(public_key), "input {index}: the key");
		let amount = Amount::from_sat(request.spent_outputs[index].amount);
		let sighash = cache
			.p2wpkh_signature_hash(index, &script, amount, EcdsaSighashType::All)
			.expect("a BIP-143 sighash");
		let signature = ecdsa::Signature::from_slice(input.witness.nth(0).expect("a signature"))
			.expect("a DER signature with its sighash type");
		assert_eq!(signature.sighash_type, EcdsaSighashType::All);
		secp.verify_ecdsa(
			&Message::from_digest(sighash.to_byte_array()),
			&signature.signature,
			&key,
		)
		.unwrap_or_else(|error| panic!("input {index}: libsecp256k1 refuses it: {error}"));
	}
}
