//! Keys, signature verification, and sign → verify → assemble round trips for every chain.

mod common;

use codec::Encode;
use common::{hex, public_key, sign_prehash, signing_key, to_hex};
use sp_core::Pair as _;
use zenrock_chain_formats::{
	address::{default_addresses, substrate_account_id},
	assemble_signed_transaction,
	bitcoin::{self, decode_transaction, p2wpkh_script, BitcoinUnsignedTransaction, SpentOutput},
	keys::normalize_public_key,
	parse_transaction,
	signature::{parse_der, parse_recoverable, verify_ecdsa, verify_ed25519, verify_signature},
	solana, BitcoinNetwork, Chain, Error, KeyType, PreimageHash, PublicKey, SignPayload,
};

// The secp256k1 group order n.
const ORDER: &str = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

fn order_minus(value: &[u8; 32]) -> [u8; 32] {
	let n = hex(ORDER);
	let mut out = [0u8; 32];
	let mut borrow = 0i16;
	for i in (0..32).rev() {
		let mut digit = n[i] as i16 - value[i] as i16 - borrow;
		borrow = 0;
		if digit < 0 {
			digit += 256;
			borrow = 1;
		}
		out[i] = digit as u8;
	}
	out
}

#[test]
fn secp256k1_keys_are_checked_and_normalised() {
	let key = signing_key(&[3; 32]);
	let compressed = key.verifying_key().to_encoded_point(true).as_bytes().to_vec();
	let uncompressed = key.verifying_key().to_encoded_point(false).as_bytes().to_vec();
	for key_type in [KeyType::EcdsaSecp256k1, KeyType::BitcoinSecp256k1] {
		assert_eq!(normalize_public_key(key_type, &compressed).unwrap(), compressed);
		assert_eq!(normalize_public_key(key_type, &uncompressed).unwrap(), compressed);
		let parsed = PublicKey::parse(key_type, &uncompressed).unwrap();
		assert_eq!(parsed.key_type(), key_type);
		assert_eq!(parsed.secp256k1_uncompressed().unwrap().to_vec(), uncompressed);
	}
	// x = 5 is not on the curve (5³ + 7 = 132 is not a square mod p).
	let mut off_curve = [0u8; 33];
	off_curve[0] = 0x02;
	off_curve[32] = 5;
	assert_eq!(
		PublicKey::parse(KeyType::EcdsaSecp256k1, &off_curve).unwrap_err(),
		Error::InvalidKeyPoint
	);
	// x ≥ p.
	let mut too_big = [0xffu8; 33];
	too_big[0] = 0x03;
	assert_eq!(
		PublicKey::parse(KeyType::EcdsaSecp256k1, &too_big).unwrap_err(),
		Error::InvalidKeyPoint
	);
	// Wrong prefix or length.
	let mut hybrid = uncompressed.clone();
	hybrid[0] = 0x06;
	for bad in [&hybrid[..], &compressed[..32], &[0u8; 33][..], &[][..], &uncompressed[..33]] {
		assert_eq!(
			PublicKey::parse(KeyType::EcdsaSecp256k1, bad).unwrap_err(),
			Error::InvalidKeyLength
		);
	}
	// An uncompressed point whose y is wrong.
	let mut bad_y = uncompressed.clone();
	bad_y[64] ^= 1;
	assert_eq!(
		PublicKey::parse(KeyType::EcdsaSecp256k1, &bad_y).unwrap_err(),
		Error::InvalidKeyPoint
	);
}

#[test]
fn ed25519_keys_are_checked() {
	let alice = sp_core::ed25519::Pair::from_string("//Alice", None).unwrap().public();
	assert_eq!(normalize_public_key(KeyType::Ed25519, &alice.0).unwrap(), alice.0.to_vec());
	assert_eq!(
		PublicKey::parse(KeyType::Ed25519, &alice.0[..31]).unwrap_err(),
		Error::InvalidKeyLength
	);
	// The identity (small order), and the all-zero encoding (order 4).
	let mut identity = [0u8; 32];
	identity[0] = 1;
	assert_eq!(PublicKey::parse(KeyType::Ed25519, &identity).unwrap_err(), Error::InvalidKeyPoint);
	assert_eq!(PublicKey::parse(KeyType::Ed25519, &[0; 32]).unwrap_err(), Error::InvalidKeyPoint);
	// y = 2 is not the y of any point.
	let mut not_a_point = [0u8; 32];
	not_a_point[0] = 2;
	assert_eq!(
		PublicKey::parse(KeyType::Ed25519, &not_a_point).unwrap_err(),
		Error::InvalidKeyPoint
	);
	// A non-canonical encoding (y ≥ p): p + 1 encodes y = 1 again... with the sign bit clear.
	let mut non_canonical = [0xffu8; 32];
	non_canonical[0] = 0xee;
	non_canonical[31] = 0x7f;
	assert!(PublicKey::parse(KeyType::Ed25519, &non_canonical).is_err());
}

#[test]
fn default_addresses_cover_each_key_type() {
	let ecdsa = public_key(&signing_key(&[9; 32]), KeyType::EcdsaSecp256k1);
	let bitcoin = public_key(&signing_key(&[9; 32]), KeyType::BitcoinSecp256k1);
	let alice = sp_core::ed25519::Pair::from_string("//Alice", None).unwrap().public();
	let ed25519 = PublicKey::parse(KeyType::Ed25519, &alice.0).unwrap();
	assert_eq!(default_addresses(&ecdsa).len(), 4);
	let bitcoin_addresses = default_addresses(&bitcoin);
	assert_eq!(bitcoin_addresses.len(), 3);
	assert!(bitcoin_addresses[0].1.starts_with("bc1q"));
	assert!(bitcoin_addresses[1].1.starts_with("tb1q"));
	assert!(bitcoin_addresses[2].1.starts_with("bcrt1q"));
	let ed_addresses = default_addresses(&ed25519);
	assert_eq!(ed_addresses.len(), 2);
	assert_eq!(ed_addresses[1].1, "5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu");
	assert_eq!(substrate_account_id(&ed25519).unwrap(), alice.0);
}

#[test]
fn ecdsa_signatures_verify_and_malleations_are_refused() {
	let key = signing_key(&[5; 32]);
	let public = public_key(&key, KeyType::EcdsaSecp256k1);
	let compressed = public.secp256k1().unwrap();
	for i in 0..32u8 {
		let prehash = sp_io::hashing::keccak_256(&[i]);
		let signature = sign_prehash(&key, &prehash);
		let parsed = verify_ecdsa(compressed, &prehash, &signature).unwrap();
		assert_eq!(parsed.to_bytes(), signature);
		verify_signature(&public, &prehash, &signature).unwrap();

		// v as 27/28.
		let mut legacy_v = signature;
		legacy_v[64] += 27;
		verify_ecdsa(compressed, &prehash, &legacy_v).unwrap();
		// The other recovery id recovers another key.
		let mut flipped = signature;
		flipped[64] ^= 1;
		assert_eq!(
			verify_ecdsa(compressed, &prehash, &flipped).unwrap_err(),
			Error::SignatureMismatch
		);
		// High S: (r, n - s, v ^ 1) is the same signature in malleated form.
		let mut high = signature;
		let s: [u8; 32] = signature[32..64].try_into().unwrap();
		high[32..64].copy_from_slice(&order_minus(&s));
		high[64] ^= 1;
		assert_eq!(verify_ecdsa(compressed, &prehash, &high).unwrap_err(), Error::HighS);
		// Another hash.
		let other = sp_io::hashing::keccak_256(&[i, i]);
		assert_eq!(
			verify_ecdsa(compressed, &other, &signature).unwrap_err(),
			Error::SignatureMismatch
		);
	}
	let prehash = [1u8; 32];
	let signature = sign_prehash(&key, &prehash);
	let mut bad_v = signature;
	bad_v[64] = 2;
	assert_eq!(parse_recoverable(&bad_v).unwrap_err(), Error::InvalidRecoveryId);
	assert_eq!(parse_recoverable(&signature[..64]).unwrap_err(), Error::InvalidSignatureLength);
	let mut zero_r = signature;
	zero_r[..32].fill(0);
	assert_eq!(parse_recoverable(&zero_r).unwrap_err(), Error::InvalidSignatureEncoding);
	let mut r_is_order = signature;
	r_is_order[..32].copy_from_slice(&hex(ORDER));
	assert_eq!(parse_recoverable(&r_is_order).unwrap_err(), Error::InvalidSignatureEncoding);
	// Payloads for secp256k1 keys are 32-byte hashes.
	assert_eq!(verify_signature(&public, &[1; 31], &signature).unwrap_err(), Error::InvalidPayload);
}

#[test]
fn bitcoin_keys_accept_der_and_recoverable_signatures() {
	let key = signing_key(&[6; 32]);
	let public = public_key(&key, KeyType::BitcoinSecp256k1);
	let ecdsa_public = public_key(&key, KeyType::EcdsaSecp256k1);
	let prehash = [0x42u8; 32];
	let signature = sign_prehash(&key, &prehash);
	let der = parse_recoverable(&signature).unwrap().to_der().unwrap();
	verify_signature(&public, &prehash, &signature).unwrap();
	verify_signature(&public, &prehash, &der).unwrap();
	// ECDSA (EVM) keys take only the 65-byte form.
	assert_eq!(
		verify_signature(&ecdsa_public, &prehash, &der).unwrap_err(),
		Error::InvalidSignatureLength
	);
	// DER strictness: a padded integer, a trailing byte, a sighash byte, a wrong tag.
	let (r, s) = parse_der(&der).unwrap();
	assert_eq!(r.to_vec(), signature[..32].to_vec());
	assert_eq!(s.to_vec(), signature[32..64].to_vec());
	let mut trailing = der.clone();
	trailing.push(0x01);
	assert_eq!(parse_der(&trailing).unwrap_err(), Error::InvalidSignatureEncoding);
	let mut wrong_tag = der.clone();
	wrong_tag[0] = 0x31;
	assert_eq!(parse_der(&wrong_tag).unwrap_err(), Error::InvalidSignatureEncoding);
	let mut padded = vec![0x30, der[1] + 1, 0x02, der[3] + 1, 0x00];
	padded.extend_from_slice(&der[4..]);
	assert!(parse_der(&padded).is_err());
	assert_eq!(parse_der(&[0x30; 7]).unwrap_err(), Error::InvalidSignatureLength);
	assert_eq!(parse_der(&[0x30; 73]).unwrap_err(), Error::InvalidSignatureLength);
	// High-S DER.
	let high = {
		let mut malleated = signature;
		let s: [u8; 32] = signature[32..64].try_into().unwrap();
		malleated[32..64].copy_from_slice(&order_minus(&s));
		k256::ecdsa::Signature::from_slice(&malleated[..64]).unwrap().to_der().as_bytes().to_vec()
	};
	assert_eq!(parse_der(&high).unwrap_err(), Error::HighS);
}

#[test]
fn ed25519_signatures_verify() {
	let pair = sp_core::ed25519::Pair::from_string("//Alice", None).unwrap();
	let key = PublicKey::parse(KeyType::Ed25519, &pair.public().0).unwrap();
	let message = b"zenrock".to_vec();
	let signature = pair.sign(&message);
	verify_ed25519(key.ed25519().unwrap(), &message, &signature.0).unwrap();
	verify_signature(&key, &message, &signature.0).unwrap();
	assert_eq!(
		verify_signature(&key, b"zenrocK", &signature.0).unwrap_err(),
		Error::SignatureMismatch
	);
	let mut tampered = signature.0;
	tampered[0] ^= 1;
	assert_eq!(verify_signature(&key, &message, &tampered).unwrap_err(), Error::SignatureMismatch);
	assert_eq!(
		verify_signature(&key, &message, &signature.0[..63]).unwrap_err(),
		Error::InvalidSignatureLength
	);
}

/// A request spending two of the signer's P2WPKH outputs, paying a P2WPKH recipient and change.
fn bitcoin_request(signer: &[u8; 33], recipient_script: &[u8]) -> BitcoinUnsignedTransaction {
	let own = p2wpkh_script(signer);
	let mut tx = Vec::new();
	tx.extend_from_slice(&2i32.to_le_bytes());
	tx.push(2);
	for (txid, index) in [([0x11u8; 32], 0u32), ([0x22u8; 32], 3u32)] {
		tx.extend_from_slice(&txid);
		tx.extend_from_slice(&index.to_le_bytes());
		tx.push(0);
		tx.extend_from_slice(&0xffff_fffdu32.to_le_bytes());
	}
	tx.push(2);
	for (amount, script) in [(70_000u64, recipient_script), (25_000u64, &own[..])] {
		tx.extend_from_slice(&amount.to_le_bytes());
		tx.push(script.len() as u8);
		tx.extend_from_slice(script);
	}
	tx.extend_from_slice(&0u32.to_le_bytes());
	BitcoinUnsignedTransaction {
		transaction: tx,
		spent_outputs: vec![
			SpentOutput { amount: 60_000, script_pubkey: own.clone() },
			SpentOutput { amount: 40_000, script_pubkey: own },
		],
	}
}

#[test]
fn bitcoin_request_round_trip() {
	let key = signing_key(&[8; 32]);
	let public = public_key(&key, KeyType::BitcoinSecp256k1);
	let compressed = *public.secp256k1().unwrap();
	// Recipient: the BIP-173 example program.
	let recipient = hex("0014751e76e8199196d454941c45d1b3a323f1433bd6");
	let request = bitcoin_request(&compressed, &recipient);
	let chain = Chain::Bitcoin { network: BitcoinNetwork::Mainnet };
	let parsed = parse_transaction(&chain, &public, &request.encode()).unwrap();
	assert_eq!(parsed.payloads_to_sign.len(), 2);
	assert_eq!(parsed.value, Some(70_000));
	assert_eq!(parsed.fee, Some(5_000));
	assert_eq!(parsed.recipient.as_deref(), Some("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));

	// The sighashes are BIP-143 with the signer's scriptCode.
	let transaction = decode_transaction(&request.transaction).unwrap();
	let key_hash: [u8; 20] = p2wpkh_script(&compressed)[2..].try_into().unwrap();
	let script_code = bitcoin::p2wpkh_script_code(&key_hash);
	for (index, (payload, amount)) in
		parsed.payloads_to_sign.iter().zip([60_000, 40_000]).enumerate()
	{
		let expected = transaction.bip143_sighash(index, &script_code, amount).unwrap();
		assert_eq!(payload, &SignPayload::Prehash(expected));
		// Each payload comes with its BIP-143 message for threshold ECDSA signers.
		let preimage = &parsed.preimages[index];
		assert_eq!(preimage.hash, PreimageHash::Sha256d);
		assert_eq!(preimage.digest(), expected);
	}
	assert_eq!(parsed.preimages.len(), 2);

	// Sign (one recoverable, one DER), assemble, and check the witness layout.
	let signatures: Vec<Vec<u8>> = parsed
		.payloads_to_sign
		.iter()
		.enumerate()
		.map(|(index, payload)| {
			let prehash: [u8; 32] = payload.as_bytes().try_into().unwrap();
			let signature = sign_prehash(&key, &prehash);
			if index == 0 {
				signature.to_vec()
			} else {
				parse_recoverable(&signature).unwrap().to_der().unwrap()
			}
		})
		.collect();
	let signed =
		assemble_signed_transaction(&chain, &public, &request.encode(), &signatures).unwrap();
	let raw = &signed.raw;
	assert_eq!(&raw[..6], &[2, 0, 0, 0, 0x00, 0x01]);
	assert!(raw.ends_with(&[0, 0, 0, 0]));
	let mut txid = sp_io::hashing::sha2_256(&sp_io::hashing::sha2_256(&request.transaction));
	txid.reverse();
	assert_eq!(signed.id, txid.to_vec());
	assert_eq!(signed.id_text, to_hex(&txid));
	// Witness of the last input: 2 items, DER + 0x01, then the key, then the lock time.
	let tail = &raw[raw.len() - 4 - 33 - 1..raw.len() - 4];
	assert_eq!(tail[0], 33);
	assert_eq!(&tail[1..], &compressed[..]);

	// A wrong signature is refused before assembly.
	let mut wrong = signatures.clone();
	wrong.swap(0, 1);
	assert!(assemble_signed_transaction(&chain, &public, &request.encode(), &wrong).is_err());
	assert_eq!(
		assemble_signed_transaction(&chain, &public, &request.encode(), &signatures[..1])
			.unwrap_err(),
		Error::SignatureCountMismatch
	);
}

#[test]
fn bitcoin_requests_are_validated() {
	let public = public_key(&signing_key(&[8; 32]), KeyType::BitcoinSecp256k1);
	let compressed = *public.secp256k1().unwrap();
	let chain = Chain::Bitcoin { network: BitcoinNetwork::Testnet };
	let recipient = hex("76a914751e76e8199196d454941c45d1b3a323f1433bd688ac");
	let good = bitcoin_request(&compressed, &recipient);
	let parsed = parse_transaction(&chain, &public, &good.encode()).unwrap();
	// P2PKH on testnet.
	assert!(parsed.recipient.unwrap().starts_with(['m', 'n']));

	let mut foreign = good.clone();
	foreign.spent_outputs[1].script_pubkey = recipient.clone();
	assert_eq!(
		parse_transaction(&chain, &public, &foreign.encode()).unwrap_err(),
		Error::ForeignInput
	);
	let mut missing = good.clone();
	missing.spent_outputs.pop();
	assert_eq!(
		parse_transaction(&chain, &public, &missing.encode()).unwrap_err(),
		Error::SpentOutputCountMismatch
	);
	let mut short = good.clone();
	short.spent_outputs[0].amount = 1_000;
	assert_eq!(
		parse_transaction(&chain, &public, &short.encode()).unwrap_err(),
		Error::OutputsExceedInputs
	);
	let mut too_much = good.clone();
	too_much.spent_outputs[0].amount = bitcoin::MAX_MONEY + 1;
	assert_eq!(
		parse_transaction(&chain, &public, &too_much.encode()).unwrap_err(),
		Error::FieldOutOfRange
	);
	let mut trailing = good.encode();
	trailing.push(0);
	assert_eq!(
		parse_transaction(&chain, &public, &trailing).unwrap_err(),
		Error::InvalidRequestEncoding
	);
	// A scriptSig in an input.
	let mut script_sig = good.clone();
	script_sig.transaction[4 + 1 + 36] = 1;
	assert!(parse_transaction(&chain, &public, &script_sig.encode()).is_err());
	// The segwit encoding with empty witnesses is accepted and means the same.
	let mut segwit = good.clone();
	let tx = &good.transaction;
	let mut with_marker = tx[..4].to_vec();
	with_marker.extend_from_slice(&[0x00, 0x01]);
	with_marker.extend_from_slice(&tx[4..tx.len() - 4]);
	with_marker.extend_from_slice(&[0, 0]);
	with_marker.extend_from_slice(&tx[tx.len() - 4..]);
	segwit.transaction = with_marker;
	assert_eq!(
		parse_transaction(&chain, &public, &segwit.encode()).unwrap().payloads_to_sign,
		parse_transaction(&chain, &public, &good.encode()).unwrap().payloads_to_sign
	);
	// An Ed25519 key cannot sign Bitcoin transactions.
	let alice = sp_core::ed25519::Pair::from_string("//Alice", None).unwrap().public();
	let ed = PublicKey::parse(KeyType::Ed25519, &alice.0).unwrap();
	assert_eq!(parse_transaction(&chain, &ed, &good.encode()).unwrap_err(), Error::KeyTypeMismatch);
}

#[test]
fn bitcoin_script_addresses() {
	use bitcoin::script_address;
	let net = BitcoinNetwork::Mainnet;
	// P2PKH of HASH160(G) (private key 1).
	assert_eq!(
		script_address(&hex("76a914751e76e8199196d454941c45d1b3a323f1433bd688ac"), net).unwrap(),
		"1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"
	);
	// BIP-350 example: witness v1, 40-byte program (bech32m).
	assert_eq!(
		script_address(
			&hex("5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"),
			net
		)
		.unwrap(),
		"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y"
	);
	assert_eq!(script_address(&hex("6a0401020304"), net), None);
	assert_eq!(script_address(&hex("0013751e76e8199196d454941c45d1b3a323f1433b"), net), None);
}

/// A legacy message: payer → recipient System transfer of `lamports`.
fn transfer_message(payer: &[u8; 32], recipient: &[u8; 32], lamports: u64) -> Vec<u8> {
	let mut message = vec![1, 0, 1, 3];
	message.extend_from_slice(payer);
	message.extend_from_slice(recipient);
	message.extend_from_slice(&solana::SYSTEM_PROGRAM_ID);
	message.extend_from_slice(&[0xab; 32]);
	message.extend_from_slice(&[1, 2, 2, 0, 1, 12]);
	message.extend_from_slice(&2u32.to_le_bytes());
	message.extend_from_slice(&lamports.to_le_bytes());
	message
}

#[test]
fn solana_transfer_round_trip() {
	let pair = sp_core::ed25519::Pair::from_string("//Alice", None).unwrap();
	let key = PublicKey::parse(KeyType::Ed25519, &pair.public().0).unwrap();
	let recipient = sp_core::ed25519::Pair::from_string("//Bob", None).unwrap().public().0;
	let message = transfer_message(&pair.public().0, &recipient, 1_500_000_000);
	let parsed = parse_transaction(&Chain::Solana, &key, &message).unwrap();
	assert_eq!(parsed.payloads_to_sign, vec![SignPayload::Message(message.clone())]);
	assert_eq!(parsed.value, Some(1_500_000_000));
	assert_eq!(parsed.recipient, Some(bs58::encode(recipient).into_string()));
	// One signature, no Compute Budget instruction: the base fee only.
	assert_eq!(parsed.fee, Some(5_000));
	assert_eq!(parsed.token, None);

	let signature = pair.sign(&message);
	let signed =
		assemble_signed_transaction(&Chain::Solana, &key, &message, &[signature.0]).unwrap();
	assert_eq!(signed.raw[0], 1);
	assert_eq!(&signed.raw[1..65], &signature.0[..]);
	assert_eq!(&signed.raw[65..], &message[..]);
	assert_eq!(signed.id_text, bs58::encode(signature.0).into_string());
	// A signature of something else is refused.
	let other = pair.sign(b"other");
	assert_eq!(
		assemble_signed_transaction(&Chain::Solana, &key, &message, &[other.0]).unwrap_err(),
		Error::SignatureMismatch
	);
	// Another key is not a signer of this message.
	let bob = PublicKey::parse(KeyType::Ed25519, &recipient).unwrap();
	assert_eq!(
		parse_transaction(&Chain::Solana, &bob, &message).unwrap_err(),
		Error::SignerNotFound
	);
}

#[test]
fn solana_messages_are_sanitised() {
	let payer = sp_core::ed25519::Pair::from_string("//Alice", None).unwrap().public().0;
	let key = PublicKey::parse(KeyType::Ed25519, &payer).unwrap();
	let recipient = [0x77; 32];
	let good = transfer_message(&payer, &recipient, 5);
	solana::parse_message(&good).unwrap();

	let mut no_signers = good.clone();
	no_signers[0] = 0;
	assert_eq!(solana::parse_message(&no_signers).unwrap_err(), Error::InvalidMessageHeader);
	let mut readonly_payer = good.clone();
	readonly_payer[1] = 1;
	assert_eq!(solana::parse_message(&readonly_payer).unwrap_err(), Error::InvalidMessageHeader);
	let mut duplicate = good.clone();
	duplicate[4 + 32..4 + 64].copy_from_slice(&payer);
	assert_eq!(solana::parse_message(&duplicate).unwrap_err(), Error::DuplicateAccountKey);
	let instruction = 4 + 96 + 32 + 1;
	let mut bad_program = good.clone();
	bad_program[instruction] = 3;
	assert_eq!(solana::parse_message(&bad_program).unwrap_err(), Error::AccountIndexOutOfRange);
	let mut payer_as_program = good.clone();
	payer_as_program[instruction] = 0;
	assert_eq!(
		solana::parse_message(&payer_as_program).unwrap_err(),
		Error::AccountIndexOutOfRange
	);
	let mut bad_account = good.clone();
	bad_account[instruction + 3] = 9;
	assert_eq!(solana::parse_message(&bad_account).unwrap_err(), Error::AccountIndexOutOfRange);
	let mut trailing = good.clone();
	trailing.push(0);
	assert_eq!(solana::parse_message(&trailing).unwrap_err(), Error::TrailingBytes);
	assert_eq!(solana::parse_message(&good[..good.len() - 1]).unwrap_err(), Error::UnexpectedEnd);
	// Version 1 messages do not exist yet.
	let mut v1 = vec![0x81];
	v1.extend_from_slice(&good);
	assert_eq!(solana::parse_message(&v1).unwrap_err(), Error::UnsupportedTransactionType);
	// A non-canonical shortvec (0x83 0x00 for 3).
	let mut non_canonical = good[..3].to_vec();
	non_canonical.extend_from_slice(&[0x83, 0x00]);
	non_canonical.extend_from_slice(&good[4..]);
	assert_eq!(solana::parse_message(&non_canonical).unwrap_err(), Error::NonCanonicalEncoding);

	// v0: the same message with an address-table lookup loading one account (index 3).
	let mut v0 = vec![0x80];
	v0.extend_from_slice(&good);
	v0.extend_from_slice(&[1]);
	v0.extend_from_slice(&[0x99; 32]);
	v0.extend_from_slice(&[1, 0, 0]);
	let parsed = solana::parse_message(&v0).unwrap();
	assert_eq!(parsed.version, Some(0));
	assert_eq!(parsed.total_account_count(), 4);
	let summary = parse_transaction(&Chain::Solana, &key, &v0).unwrap();
	assert_eq!(summary.value, Some(5));
	// An unused lookup is refused.
	let mut unused = vec![0x80];
	unused.extend_from_slice(&good);
	unused.extend_from_slice(&[1]);
	unused.extend_from_slice(&[0x99; 32]);
	unused.extend_from_slice(&[0, 0]);
	assert_eq!(solana::parse_message(&unused).unwrap_err(), Error::InvalidMessageHeader);
}

#[test]
fn solana_value_is_unknown_when_another_program_gets_the_signer() {
	let payer = sp_core::ed25519::Pair::from_string("//Alice", None).unwrap().public().0;
	let key = PublicKey::parse(KeyType::Ed25519, &payer).unwrap();
	// Keys: payer, recipient, system, other program. Instructions: transfer, then a call to
	// the other program with the payer's account.
	let mut message = vec![1, 0, 2, 4];
	message.extend_from_slice(&payer);
	message.extend_from_slice(&[0x77; 32]);
	message.extend_from_slice(&solana::SYSTEM_PROGRAM_ID);
	message.extend_from_slice(&[0x55; 32]);
	message.extend_from_slice(&[0xab; 32]);
	message.extend_from_slice(&[2, 2, 2, 0, 1, 12]);
	message.extend_from_slice(&2u32.to_le_bytes());
	message.extend_from_slice(&10u64.to_le_bytes());
	message.extend_from_slice(&[3, 1, 0, 1, 0xff]);
	let parsed = parse_transaction(&Chain::Solana, &key, &message).unwrap();
	assert_eq!(parsed.value, None);
	// Without the payer's account the other program cannot move its lamports.
	let last_accounts = message.len() - 3;
	message[last_accounts] = 1;
	let parsed = parse_transaction(&Chain::Solana, &key, &message).unwrap();
	assert_eq!(parsed.value, Some(10));
	assert_eq!(parsed.recipient, Some(bs58::encode([0x77; 32]).into_string()));
}

#[test]
fn chains_require_matching_key_types() {
	let alice = sp_core::ed25519::Pair::from_string("//Alice", None).unwrap().public();
	let ed = PublicKey::parse(KeyType::Ed25519, &alice.0).unwrap();
	let secp = public_key(&signing_key(&[4; 32]), KeyType::EcdsaSecp256k1);
	let evm_tx = hex("ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080");
	assert_eq!(
		parse_transaction(&Chain::Evm { chain_id: 1 }, &ed, &evm_tx).unwrap_err(),
		Error::KeyTypeMismatch
	);
	let message = transfer_message(&alice.0, &[0x77; 32], 1);
	assert_eq!(
		parse_transaction(&Chain::Solana, &secp, &message).unwrap_err(),
		Error::KeyTypeMismatch
	);
	// EVM assembly takes exactly one signature.
	let no_signatures: [&[u8]; 0] = [];
	assert_eq!(
		assemble_signed_transaction(&Chain::Evm { chain_id: 1 }, &secp, &evm_tx, &no_signatures)
			.unwrap_err(),
		Error::SignatureCountMismatch
	);
}

#[test]
fn scale_types_round_trip() {
	use codec::{Decode, MaxEncodedLen};
	for chain in [
		Chain::Evm { chain_id: 11155111 },
		Chain::Bitcoin { network: BitcoinNetwork::Regtest },
		Chain::Solana,
	] {
		assert_eq!(Chain::decode(&mut &chain.encode()[..]).unwrap(), chain);
	}
	assert!(Chain::max_encoded_len() <= 9);
	for key_type in [KeyType::EcdsaSecp256k1, KeyType::Ed25519, KeyType::BitcoinSecp256k1] {
		assert_eq!(KeyType::decode(&mut &key_type.encode()[..]).unwrap(), key_type);
	}
	assert_eq!(KeyType::max_encoded_len(), 1);
}
