//! FROST keyrings seen from outside: whether their parties are ready (encryption keys registered,
//! nonce commitments pooled), and their keys' signatures checked by implementations independent of
//! the chain's: `ed25519-dalek`'s `verify_strict` for Ed25519, rust-bitcoin and libsecp256k1 for
//! Taproot key-path spends (the BIP-341 sighash recomputed, the BIP-340 signature checked).

use bitcoin::{
	absolute::LockTime,
	consensus::{deserialize, serialize},
	hashes::Hash,
	secp256k1::{schnorr, Message, Secp256k1, XOnlyPublicKey},
	sighash::{Prevouts, SighashCache},
	transaction::Version,
	Amount, OutPoint, ScriptBuf, Sequence, TapSighashType, Transaction, TxIn, TxOut, Txid, Witness,
};
use codec::Decode;
use sp_keyring::Sr25519Keyring;
use zenrock_chain_formats::bitcoin::{BitcoinUnsignedTransaction, SpentOutput};
use zenrock_mpc_core::Suite;
use zenrock_runtime::Runtime;

use super::Node;

/// Whether every party of threshold keyring `keyring` registered its encryption key and pooled
/// nonce commitments for both suites: key requests are then accepted, and signatures need no
/// commitment round.
pub fn parties_ready(node: &Node, keyring: u64, parties: &[Sr25519Keyring]) -> bool {
	parties.iter().all(|party| {
		let account = party.to_account_id();
		let registered = node
			.storage::<[u8; 32]>(&pallet_zenrock_mpc::EncryptionKeys::<Runtime>::hashed_key_for(
				&account,
			))
			.is_some();
		registered
			&& [Suite::Ed25519, Suite::Secp256k1Taproot].into_iter().all(|suite| {
				node.storage::<Vec<Vec<u8>>>(
					&pallet_zenrock_mpc::CommitmentPool::<Runtime>::hashed_key_for(
						(keyring, suite),
						&account,
					),
				)
				.is_some_and(|pool| !pool.is_empty())
			})
	})
}

/// Checks an Ed25519 signature with `ed25519-dalek`'s strict verification (canonical `s`, no
/// small-order key or `R`).
pub fn verify_ed25519_strict(public: &[u8], message: &[u8], signature: &[u8]) {
	let public = ed25519_dalek::VerifyingKey::from_bytes(public.try_into().expect("32 bytes"))
		.expect("an Ed25519 public key");
	let signature = ed25519_dalek::Signature::from_slice(signature).expect("64 bytes");
	public.verify_strict(message, &signature).expect("ed25519-dalek verify_strict accepts it");
}

/// The P2TR script of a Taproot output key, as rust-bitcoin writes it.
fn p2tr_script(output_key: &[u8; 32]) -> ScriptBuf {
	let key = XOnlyPublicKey::from_slice(output_key).expect("an x-only key");
	ScriptBuf::new_p2tr_tweaked(bitcoin::key::TweakedPublicKey::dangerous_assume_tweaked(key))
}

/// A key-path spend, built with rust-bitcoin, of two P2TR outputs of `output_key` (made-up
/// outpoints) to a P2WPKH recipient, with change back to the key: the request for
/// `request_transaction_signature` on Bitcoin.
pub fn taproot_spend_request(output_key: &[u8; 32]) -> BitcoinUnsignedTransaction {
	let own = p2tr_script(output_key);
	let input = |txid: u8, vout: u32| TxIn {
		previous_output: OutPoint { txid: Txid::from_byte_array([txid; 32]), vout },
		script_sig: ScriptBuf::new(),
		sequence: Sequence::ENABLE_RBF_NO_LOCKTIME,
		witness: Witness::new(),
	};
	let recipient = ScriptBuf::from_bytes(
		[&[0x00, 0x14][..], &[0x75; 20][..]].concat(), // P2WPKH of a made-up key hash
	);
	let transaction = Transaction {
		version: Version::TWO,
		lock_time: LockTime::ZERO,
		input: vec![input(0x31, 1), input(0x42, 0)],
		output: vec![
			TxOut { value: Amount::from_sat(80_000), script_pubkey: recipient },
			TxOut { value: Amount::from_sat(15_000), script_pubkey: own.clone() },
		],
	};
	BitcoinUnsignedTransaction {
		transaction: serialize(&transaction),
		spent_outputs: [70_000, 30_000]
			.into_iter()
			.map(|amount| SpentOutput { amount, script_pubkey: own.to_bytes() })
			.collect(),
	}
}

/// Checks the signed spend `signed_raw` of `request` with rust-bitcoin and libsecp256k1: the same
/// transaction as requested, each input's witness one 64-byte BIP-340 signature by `output_key`
/// over the BIP-341 key-path sighash (`SIGHASH_DEFAULT`) computed here. Returns the signatures.
pub fn verify_taproot_spend(
	request: &BitcoinUnsignedTransaction,
	signed_raw: &[u8],
	output_key: &[u8; 32],
) -> Vec<Vec<u8>> {
	let unsigned: Transaction = deserialize(&request.transaction).expect("the request decodes");
	let signed: Transaction = deserialize(signed_raw).expect("the signed transaction decodes");
	assert_eq!(signed.compute_txid(), unsigned.compute_txid(), "the requested transaction");
	let prevouts: Vec<TxOut> = request
		.spent_outputs
		.iter()
		.map(|spent| TxOut {
			value: Amount::from_sat(spent.amount),
			script_pubkey: ScriptBuf::from_bytes(spent.script_pubkey.clone()),
		})
		.collect();
	let secp = Secp256k1::verification_only();
	let key = XOnlyPublicKey::from_slice(output_key).expect("an x-only key");
	let mut cache = SighashCache::new(&unsigned);
	let mut signatures = Vec::new();
	for (index, input) in signed.input.iter().enumerate() {
		assert_eq!(input.witness.len(), 1, "input {index}: a key-path witness is one signature");
		let element = input.witness.nth(0).expect("one element");
		let sighash = cache
			.taproot_key_spend_signature_hash(
				index,
				&Prevouts::All(&prevouts),
				TapSighashType::Default,
			)
			.expect("a sighash");
		let signature = schnorr::Signature::from_slice(element).expect("a 64-byte signature");
		secp.verify_schnorr(&signature, &Message::from_digest(sighash.to_byte_array()), &key)
			.unwrap_or_else(|error| panic!("input {index}: libsecp256k1 refuses it: {error}"));
		signatures.push(element.to_vec());
	}
	signatures
}

/// The signed transaction of request `request`, from the treasury's runtime API.
pub fn signed_transaction(
	node: &Node,
	request: u64,
) -> pallet_zenrock_treasury::SignedTransactionDetails {
	let details: Option<pallet_zenrock_treasury::SignedTransactionDetails> =
		node.runtime_api("TreasuryApi_signed_transaction", &codec::Encode::encode(&request));
	details.expect("the treasury assembles the signed transaction")
}

/// Decodes what the chain stored as a Taproot key: its 32-byte output key.
pub fn output_key(public_key: &[u8]) -> [u8; 32] {
	<[u8; 32]>::decode(&mut &public_key[..]).expect("a 32-byte x-only key")
}
