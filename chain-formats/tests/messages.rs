//! EIP-191 and EIP-712 messages against published vectors (`tests/data/eip712_vectors.json`,
//! sources named in each entry): the chain's digest equals the published one (or the published
//! wallet signature recovers the published signer from it), permits show their token, amount and
//! spender, and non-canonical typed data is refused.

mod common;

use serde_json::Value;
use zenrock_chain_formats::{
	address::{evm_address, evm_checksum_address},
	message::{parse_message, MessageFormat},
	signature::{parse_recoverable, recover_secp256k1},
	token::TokenAction,
	Error, KeyType, PreimageHash, PublicKey, TransactionKind,
};

fn vectors() -> Value {
	serde_json::from_str(include_str!("data/eip712_vectors.json")).expect("valid JSON")
}

fn bytes(hex: &str) -> Vec<u8> {
	common::hex(hex.trim_start_matches("0x"))
}

fn typed(vector: &Value) -> Vec<u8> {
	serde_json::to_vec(&vector["typedData"]).expect("serialisable")
}

#[test]
fn typed_data_digests_match_the_published_vectors() {
	let vectors = vectors();
	let mut checked = 0;
	for vector in vectors["eip712"].as_array().expect("a list") {
		let id = vector["id"].as_str().expect("an id");
		let primary = vector["typedData"]["primaryType"].as_str().expect("a primary type");
		let parsed = parse_message(MessageFormat::TypedData, &typed(vector));
		if primary == "EIP712Domain" {
			// A signature over a domain alone: refused (the chain would not know what it grants).
			assert_eq!(parsed, Err(Error::InvalidTypedData), "{id}");
			continue;
		}
		let parsed = parsed.unwrap_or_else(|error| panic!("{id}: {error:?}"));
		let digest = bytes(vector["digest"].as_str().expect("a digest"));
		assert_eq!(parsed.digest.to_vec(), digest, "{id}");
		assert_eq!(parsed.preimage.hash, PreimageHash::Keccak256);
		assert_eq!(parsed.preimage.digest(), parsed.digest);
		assert_eq!(parsed.preimage.bytes.len(), 66);
		// Where a wallet's signature was published, it recovers its signer from this digest.
		if let (Some(signature), Some(signer)) =
			(vector["signature"].as_str(), vector["signer"].as_str())
		{
			let signature = parse_recoverable(&bytes(signature)).expect("r, s, v");
			let recovered = recover_secp256k1(&parsed.digest, &signature).expect("recovers");
			let key = PublicKey::parse(KeyType::EcdsaSecp256k1, &recovered).expect("a key");
			let address = evm_checksum_address(&evm_address(&key).expect("an address"));
			assert_eq!(address.to_lowercase(), signer.to_lowercase(), "{id}");
		}
		checked += 1;
	}
	assert_eq!(checked, 9);
}

fn by_id(id: &str) -> Value {
	vectors()["eip712"]
		.as_array()
		.expect("a list")
		.iter()
		.find(|vector| vector["id"] == id)
		.cloned()
		.unwrap_or_else(|| panic!("no vector {id}"))
}

#[test]
fn permits_show_token_amount_and_spender() {
	let permit = parse_message(MessageFormat::TypedData, &typed(&by_id("eip2612-permit-1inch")))
		.expect("an EIP-2612 permit");
	assert_eq!(permit.kind, TransactionKind::TokenApproval);
	assert_eq!(permit.chain_id, Some(56));
	let movement = permit.token.expect("a permit's approval");
	assert_eq!(movement.action, TokenAction::Approval);
	// EIP-2612: the token is the verifying contract.
	assert_eq!(movement.token, permit.verifying_contract);
	assert_eq!(
		movement.token.as_deref().map(str::to_lowercase).as_deref(),
		Some("0x111111111117dc0aa78b770fa6a738034120c302")
	);
	assert_eq!(movement.amount, Some(1_000_000_000));
	assert_eq!(
		movement.counterparty.as_deref().map(str::to_lowercase).as_deref(),
		Some("0x11111112542d85b3ef69ae05771c2dccff4faa26")
	);

	for id in ["permit2-permitsingle-metamask", "permit2-permittransferfrom-metamask"] {
		let permit2 = parse_message(MessageFormat::TypedData, &typed(&by_id(id))).expect(id);
		assert_eq!(permit2.kind, TransactionKind::TokenApproval, "{id}");
		assert_eq!(permit2.chain_id, Some(1));
		assert_eq!(
			permit2.verifying_contract.as_deref(),
			Some("0xCe71065D4017F316EC606Fe4422e11eB2c47c246")
		);
		let movement = permit2.token.expect("a Permit2 approval");
		assert_eq!(
			movement.token.as_deref(),
			Some("0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984"),
			"{id}"
		);
		assert_eq!(movement.amount, Some(100), "{id}");
		assert_eq!(
			movement.counterparty.as_deref(),
			Some("0x68b3465833fb72A70ecDF485E0e4C7bD8665Fc45"),
			"{id}"
		);
	}

	// A batch is an approval whose token the chain does not single out.
	let batch =
		parse_message(MessageFormat::TypedData, &typed(&by_id("permit2-sdk-permitbatch-zero")))
			.expect("a batch");
	assert_eq!((batch.kind, batch.token), (TransactionKind::TokenApproval, None));
	// Anything else is typed data with its domain's facts.
	let mail =
		parse_message(MessageFormat::TypedData, &typed(&by_id("eip712-spec-mail"))).expect("mail");
	assert_eq!((mail.kind, mail.token, mail.chain_id), (TransactionKind::TypedData, None, Some(1)));
	assert_eq!(
		mail.verifying_contract.as_deref(),
		Some("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC")
	);
}

#[test]
fn non_canonical_typed_data_is_refused() {
	let mail = by_id("eip712-spec-mail")["typedData"].clone();
	let refuse = |change: &dyn Fn(&mut Value), error: Error| {
		let mut value = mail.clone();
		change(&mut value);
		let json = serde_json::to_vec(&value).expect("serialisable");
		assert_eq!(parse_message(MessageFormat::TypedData, &json), Err(error), "{value}");
	};
	// A domain key alloy would drop, and a domain type that does not list the domain's fields.
	refuse(&|v| v["domain"]["extra"] = Value::from("x"), Error::NonCanonicalDomain);
	refuse(
		&|v| {
			v["types"]["EIP712Domain"].as_array_mut().unwrap().remove(1);
		},
		Error::NonCanonicalDomain,
	);
	refuse(
		&|v| v["types"]["EIP712Domain"][2]["type"] = Value::from("uint64"),
		Error::NonCanonicalDomain,
	);
	refuse(
		&|v| v["types"]["EIP712Domain"].as_array_mut().unwrap().swap(0, 1),
		Error::NonCanonicalDomain,
	);
	refuse(
		&|v| {
			v["types"].as_object_mut().unwrap().remove("EIP712Domain");
		},
		Error::NonCanonicalDomain,
	);
	// Values that do not fit their types, missing fields, unknown types, extra top-level keys.
	refuse(&|v| v["message"]["from"]["wallet"] = Value::from("0x1234"), Error::InvalidTypedData);
	refuse(
		&|v| {
			v["message"].as_object_mut().unwrap().remove("contents");
		},
		Error::InvalidTypedData,
	);
	refuse(&|v| v["primaryType"] = Value::from("Letter"), Error::InvalidTypedData);
	refuse(&|v| v["extra"] = Value::from(1), Error::InvalidTypedData);
	refuse(&|v| v["primaryType"] = Value::from("EIP712Domain"), Error::InvalidTypedData);
	assert_eq!(parse_message(MessageFormat::TypedData, b"not json"), Err(Error::InvalidTypedData));
	// A JSON string holding the JSON (as some libraries double-encode it) is refused too.
	let twice = serde_json::to_vec(&Value::from(mail.to_string())).expect("serialisable");
	assert_eq!(parse_message(MessageFormat::TypedData, &twice), Err(Error::InvalidTypedData));
}

#[test]
fn personal_sign_digests_match_the_published_vectors() {
	let vectors = vectors();
	for vector in vectors["eip191"].as_array().expect("a list") {
		let message = match (vector["text"].as_str(), vector["hex"].as_str()) {
			(Some(text), _) => text.as_bytes().to_vec(),
			(None, Some(hex)) => bytes(hex),
			_ => panic!("a text or hex message"),
		};
		let parsed = parse_message(MessageFormat::PersonalSign, &message).expect("a message");
		assert_eq!(parsed.digest.to_vec(), bytes(vector["digest"].as_str().unwrap()), "{vector}");
		assert_eq!(parsed.kind, TransactionKind::Message);
		let mut prefixed = format!("\x19Ethereum Signed Message:\n{}", message.len()).into_bytes();
		prefixed.extend_from_slice(&message);
		assert_eq!(parsed.preimage.bytes, prefixed);
	}
	assert_eq!(parse_message(MessageFormat::PersonalSign, b""), Err(Error::EmptyMessage));
}
