//! Taproot keys end to end: parsing, P2TR addresses, a key-path spend request (sighashes, BIP-340
//! signatures, witness assembly), each cross-checked with the `bitcoin` crate (rust-bitcoin and
//! libsecp256k1) as the independent implementation.

mod common;

use bitcoin::{
	consensus::deserialize,
	hashes::Hash,
	secp256k1::{schnorr, Message, Secp256k1, XOnlyPublicKey},
	sighash::{Prevouts, SighashCache},
	Amount, ScriptBuf, TapSighashType, TxOut,
};
use codec::Encode;
use common::hex;
use k256::schnorr::SigningKey;
use zenrock_chain_formats::{
	address::{bitcoin_p2tr_address, default_addresses, derive_address, AddressFormat},
	assemble_signed_transaction,
	bitcoin::{p2wpkh_script, BitcoinUnsignedTransaction, SpentOutput},
	parse_transaction,
	signature::verify_signature,
	taproot::p2tr_script,
	BitcoinNetwork, Chain, Error, KeyType, PublicKey, SignPayload,
};

fn taproot_key(secret: u8) -> (SigningKey, PublicKey) {
	let key = SigningKey::from_bytes(&[secret; 32]).expect("a valid secret");
	let output_key: [u8; 32] = key.verifying_key().to_bytes().into();
	let public = PublicKey::parse(KeyType::BitcoinTaproot, &output_key).expect("a valid key");
	(key, public)
}

/// A request spending two of the key's P2TR outputs (one of them with a non-final sequence),
/// paying a P2WPKH recipient and change back to the key.
fn taproot_request(own: &[u8], recipient: &[u8]) -> BitcoinUnsignedTransaction {
	let mut tx = Vec::new();
	tx.extend_from_slice(&2i32.to_le_bytes());
	tx.push(2);
	for (txid, index, sequence) in [([0x31u8; 32], 1u32, 0xffff_fffdu32), ([0x42; 32], 0, u32::MAX)]
	{
		tx.extend_from_slice(&txid);
		tx.extend_from_slice(&index.to_le_bytes());
		tx.push(0);
		tx.extend_from_slice(&sequence.to_le_bytes());
	}
	tx.push(2);
	for (amount, script) in [(80_000u64, recipient), (15_000, own)] {
		tx.extend_from_slice(&amount.to_le_bytes());
		tx.push(script.len() as u8);
		tx.extend_from_slice(script);
	}
	tx.extend_from_slice(&650_000u32.to_le_bytes());
	BitcoinUnsignedTransaction {
		transaction: tx,
		spent_outputs: vec![
			SpentOutput { amount: 70_000, script_pubkey: own.to_vec() },
			SpentOutput { amount: 30_000, script_pubkey: own.to_vec() },
		],
	}
}

#[test]
fn taproot_keys_are_x_only_points() {
	let (_, public) = taproot_key(7);
	assert_eq!(public.key_type(), KeyType::BitcoinTaproot);
	assert_eq!(public.as_bytes().len(), KeyType::BitcoinTaproot.public_key_len());
	// BIP-340 vector 14: an x coordinate beyond the field size is no point.
	let beyond_field = hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC30");
	assert_eq!(
		PublicKey::parse(KeyType::BitcoinTaproot, &beyond_field),
		Err(Error::InvalidKeyPoint)
	);
	// x = 5 has no y on secp256k1 (5³ + 7 = 132 is not a square mod p).
	let mut no_point = [0u8; 32];
	no_point[31] = 5;
	assert_eq!(PublicKey::parse(KeyType::BitcoinTaproot, &no_point), Err(Error::InvalidKeyPoint));
	// A compressed key is not an x-only key.
	let mut compressed = vec![0x02];
	compressed.extend_from_slice(public.as_bytes());
	assert_eq!(
		PublicKey::parse(KeyType::BitcoinTaproot, &compressed),
		Err(Error::InvalidKeyLength)
	);
	assert!(public.secp256k1().is_none() && public.ed25519().is_none());
	assert_eq!(public.require_taproot(), Ok(&public.as_bytes().try_into().unwrap()));
	assert!(KeyType::BitcoinTaproot.signs_prehash() && !KeyType::BitcoinTaproot.is_secp256k1());
}

#[test]
fn taproot_addresses_match_bip86_and_rust_bitcoin() {
	// BIP-86, "abandon … about", m/86'/0'/0'/0/0.
	let output_key = hex("a60869f0dbcf1dc659c9cecbaf8050135ea9e8cdc487053f1dc6880949dc684c");
	let public = PublicKey::parse(KeyType::BitcoinTaproot, &output_key).unwrap();
	let mainnet = "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr";
	assert_eq!(
		derive_address(&public, &AddressFormat::Bitcoin(BitcoinNetwork::Mainnet)).unwrap(),
		mainnet
	);
	let addresses = default_addresses(&public);
	assert_eq!(addresses.len(), 3, "mainnet, testnet, regtest; no EVM, Cosmos or SS58");
	for (format, address) in addresses {
		let AddressFormat::Bitcoin(network) = format else { panic!("only Bitcoin addresses") };
		let key = XOnlyPublicKey::from_slice(&output_key).unwrap();
		let expected = bitcoin::Address::p2tr_tweaked(
			bitcoin::key::TweakedPublicKey::dangerous_assume_tweaked(key),
			match network {
				BitcoinNetwork::Mainnet => bitcoin::Network::Bitcoin,
				BitcoinNetwork::Testnet => bitcoin::Network::Testnet,
				BitcoinNetwork::Regtest => bitcoin::Network::Regtest,
			},
		);
		assert_eq!(address, expected.to_string());
	}
	for format in [AddressFormat::Evm, AddressFormat::Solana, AddressFormat::Ss58 { prefix: 42 }] {
		assert_eq!(derive_address(&public, &format), Err(Error::KeyTypeMismatch));
	}
	let regtest =
		bitcoin_p2tr_address(&output_key.try_into().unwrap(), BitcoinNetwork::Regtest).unwrap();
	assert!(regtest.starts_with("bcrt1p"));
	assert_eq!(
		Some(regtest),
		derive_address(&public, &AddressFormat::Bitcoin(BitcoinNetwork::Regtest)).ok()
	);
}

#[test]
fn taproot_spend_round_trip_against_rust_bitcoin() {
	let (key, public) = taproot_key(0x5a);
	let output_key: [u8; 32] = public.as_bytes().try_into().unwrap();
	let own = p2tr_script(&output_key);
	let recipient = hex("0014751e76e8199196d454941c45d1b3a323f1433bd6");
	let request = taproot_request(&own, &recipient);
	let chain = Chain::Bitcoin { network: BitcoinNetwork::Mainnet };
	let parsed = parse_transaction(&chain, &public, &request.encode()).unwrap();
	assert_eq!(parsed.value, Some(80_000));
	assert_eq!(parsed.fee, Some(5_000));
	assert_eq!(parsed.recipient.as_deref(), Some("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));
	assert_eq!(parsed.payloads_to_sign.len(), 2);

	// rust-bitcoin computes the same BIP-341 SIGHASH_DEFAULT key-path sighashes.
	let unsigned: bitcoin::Transaction = deserialize(&request.transaction).unwrap();
	let prevouts: Vec<TxOut> = request
		.spent_outputs
		.iter()
		.map(|spent| TxOut {
			value: Amount::from_sat(spent.amount),
			script_pubkey: ScriptBuf::from_bytes(spent.script_pubkey.clone()),
		})
		.collect();
	let mut cache = SighashCache::new(&unsigned);
	for (index, payload) in parsed.payloads_to_sign.iter().enumerate() {
		let expected = cache
			.taproot_key_spend_signature_hash(
				index,
				&Prevouts::All(&prevouts),
				TapSighashType::Default,
			)
			.unwrap();
		assert_eq!(payload, &SignPayload::Prehash(expected.to_byte_array()), "input {index}");
	}

	// Sign with BIP-340, verify as the treasury does, assemble, and check the result with
	// libsecp256k1 through rust-bitcoin.
	let signatures: Vec<Vec<u8>> = parsed
		.payloads_to_sign
		.iter()
		.map(|payload| key.sign_raw(payload.as_bytes(), &[7; 32]).unwrap().to_bytes().to_vec())
		.collect();
	for (payload, signature) in parsed.payloads_to_sign.iter().zip(&signatures) {
		verify_signature(&public, payload.as_bytes(), signature).unwrap();
	}
	let signed =
		assemble_signed_transaction(&chain, &public, &request.encode(), &signatures).unwrap();
	let transaction: bitcoin::Transaction = deserialize(&signed.raw).unwrap();
	assert_eq!(transaction.compute_txid().to_string(), signed.id_text);
	assert_eq!(transaction.compute_txid(), unsigned.compute_txid());
	let secp = Secp256k1::verification_only();
	let x_only = XOnlyPublicKey::from_slice(&output_key).unwrap();
	for (index, input) in transaction.input.iter().enumerate() {
		assert_eq!(input.witness.len(), 1, "a key-path witness is the signature alone");
		let element = input.witness.nth(0).unwrap();
		assert_eq!(element, &signatures[index][..], "64 bytes: SIGHASH_DEFAULT has no type byte");
		let sighash = cache
			.taproot_key_spend_signature_hash(
				index,
				&Prevouts::All(&prevouts),
				TapSighashType::Default,
			)
			.unwrap();
		let message = Message::from_digest(sighash.to_byte_array());
		let signature = schnorr::Signature::from_slice(element).unwrap();
		secp.verify_schnorr(&signature, &message, &x_only).expect("libsecp256k1 accepts it");
	}

	// A signature of the other input, a truncated one, or one too few are refused.
	let mut swapped = signatures.clone();
	swapped.swap(0, 1);
	assert_eq!(
		assemble_signed_transaction(&chain, &public, &request.encode(), &swapped),
		Err(Error::SignatureMismatch)
	);
	let mut short = signatures.clone();
	short[1].pop();
	assert_eq!(
		assemble_signed_transaction(&chain, &public, &request.encode(), &short),
		Err(Error::InvalidSignatureLength)
	);
	assert_eq!(
		assemble_signed_transaction(&chain, &public, &request.encode(), &signatures[..1]),
		Err(Error::SignatureCountMismatch)
	);
}

#[test]
fn taproot_requests_are_validated() {
	let (_, public) = taproot_key(0x5a);
	let output_key: [u8; 32] = public.as_bytes().try_into().unwrap();
	let own = p2tr_script(&output_key);
	let recipient = hex("0014751e76e8199196d454941c45d1b3a323f1433bd6");
	let bitcoin = Chain::Bitcoin { network: BitcoinNetwork::Testnet };

	// Another key's P2TR output, or the key's x coordinate in a P2WPKH output, is not its own.
	let (_, other) = taproot_key(0x11);
	let mut foreign = taproot_request(&own, &recipient);
	foreign.spent_outputs[1].script_pubkey = p2tr_script(other.as_bytes().try_into().unwrap());
	assert_eq!(parse_transaction(&bitcoin, &public, &foreign.encode()), Err(Error::ForeignInput));
	let mut compressed = [0x02u8; 33];
	compressed[1..].copy_from_slice(&output_key);
	let mut p2wpkh = taproot_request(&own, &recipient);
	p2wpkh.spent_outputs[0].script_pubkey = p2wpkh_script(&compressed);
	assert_eq!(parse_transaction(&bitcoin, &public, &p2wpkh.encode()), Err(Error::ForeignInput));

	// Taproot keys sign Bitcoin transactions only.
	let request = taproot_request(&own, &recipient).encode();
	assert_eq!(
		parse_transaction(&Chain::Evm { chain_id: 1 }, &public, &request),
		Err(Error::KeyTypeMismatch)
	);
	assert_eq!(parse_transaction(&Chain::Solana, &public, &request), Err(Error::KeyTypeMismatch));
	// A raw payload must be the 32-byte sighash.
	assert_eq!(verify_signature(&public, &[0; 31], &[0; 64]), Err(Error::InvalidPayload));
}
