//! Message-signature requests: EIP-191 and EIP-712 hashed by the chain, their facts for the
//! policy, the preimage kept for threshold signers, and the errors.

use super::*;
use crate::SignPreimages;
use zenrock_chain_formats::message::MessageFormat;
use zenrock_primitives::ThresholdResults;

fn vector(id: &str) -> Vec<u8> {
	let vectors: serde_json::Value =
		serde_json::from_str(include_str!("../../../chain-formats/tests/data/eip712_vectors.json"))
			.expect("valid JSON");
	let found = vectors["eip712"]
		.as_array()
		.expect("a list")
		.iter()
		.find(|vector| vector["id"] == id)
		.unwrap_or_else(|| panic!("no vector {id}"));
	serde_json::to_vec(&found["typedData"]).expect("serialisable")
}

fn request_message(key: KeyId, format: MessageFormat, message: Vec<u8>) -> RequestId {
	assert_ok!(Treasury::request_message_signature(
		signed(OWNER),
		key,
		format,
		message,
		Balance::MAX,
		None
	));
	last_id()
}

fn text(value: Option<zenrock_primitives::FactText>) -> Option<String> {
	value.map(|text| String::from_utf8(text.into_inner()).expect("ASCII"))
}

#[test]
fn a_personal_sign_message_is_hashed_by_the_chain_and_signed() {
	build_and_execute(|| {
		setup_single();
		let pair = ecdsa_pair(5);
		let key = create_key(KeyType::EcdsaSecp256k1, ecdsa_public(&pair));
		let request = request_message(key, MessageFormat::PersonalSign, b"hello world".to_vec());
		// viem's published digest of "hello world".
		let digest = hex("d9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68");
		assert_eq!(
			SignPayloads::<Test>::get(request).unwrap(),
			stored_payloads(core::slice::from_ref(&digest))
		);
		let preimage = SignPreimages::<Test>::get(request).expect("kept").into_inner();
		assert_eq!(preimage, b"\x19Ethereum Signed Message:\n11hello world".to_vec());
		assert_eq!(
			SignRequests::<Test>::get(request).unwrap().message,
			Some(MessageFormat::PersonalSign)
		);
		// Threshold signers are given the preimage to hash themselves.
		let preimages = <Treasury as ThresholdResults>::sign_preimages(request).expect("preimages");
		assert_eq!(preimages[0].bytes, preimage);
		assert_eq!(preimages[0].digest().to_vec(), digest);
		let context = submissions().last().expect("submitted").context.clone();
		assert_eq!(text(context.kind).as_deref(), Some("message"));
		assert_eq!((context.chain, context.token, context.tx_value), (None, None, None));

		let signature = pair.sign_prehashed(&digest.clone().try_into().unwrap()).0.to_vec();
		assert_ok!(Treasury::fulfil_signature_request(signed(PARTY_A), request, vec![signature]));
		assert_eq!(status_of_sign_request(request), RequestStatus::Fulfilled);
	});
}

#[test]
fn a_permit2_shows_its_spender_and_token_to_the_policy() {
	build_and_execute(|| {
		setup_single();
		let key = create_key(KeyType::EcdsaSecp256k1, ecdsa_public(&ecdsa_pair(5)));
		let typed = vector("permit2-permitsingle-metamask");
		let request = request_message(key, MessageFormat::TypedData, typed);
		let digest = hex("6a4964621b8c850feebefb04dd997d9d109a807ec26f7fdc26282c3b2f0e2c74");
		assert_eq!(SignPayloads::<Test>::get(request).unwrap(), stored_payloads(&[digest]));
		let context = submissions().last().expect("submitted").context.clone();
		assert_eq!(text(context.kind).as_deref(), Some("token_approval"));
		assert_eq!(text(context.chain).as_deref(), Some("eip155:1"));
		assert_eq!(text(context.to).as_deref(), Some("0xCe71065D4017F316EC606Fe4422e11eB2c47c246"));
		assert_eq!(
			text(context.token).as_deref(),
			Some("0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984")
		);
		assert_eq!(
			text(context.spender).as_deref(),
			Some("0x68b3465833fb72A70ecDF485E0e4C7bD8665Fc45")
		);
		assert_eq!(context.token_amount, Some(100));
		assert_eq!(context.spending_key, Some(key));
		// A permit spends nothing.
		assert_eq!(crate::SpentAmounts::<Test>::iter().count(), 0);
	});
}

#[test]
fn bad_messages_get_clear_errors() {
	build_and_execute(|| {
		setup_single();
		let evm = create_key(KeyType::EcdsaSecp256k1, ecdsa_public(&ecdsa_pair(5)));
		let ed25519 = create_key(KeyType::Ed25519, ed25519_public(&ed25519_pair(5)));
		let ask = |key, format, message: &[u8]| {
			Treasury::request_message_signature(
				signed(OWNER),
				key,
				format,
				message.to_vec(),
				Balance::MAX,
				None,
			)
			.map(|_| ())
			.map_err(|error| error.error)
		};
		assert_eq!(
			ask(ed25519, MessageFormat::PersonalSign, b"hi"),
			Err(Error::<Test>::KeyCannotSignMessages.into())
		);
		assert_eq!(
			ask(evm, MessageFormat::PersonalSign, b""),
			Err(Error::<Test>::EmptyMessage.into())
		);
		assert_eq!(
			ask(evm, MessageFormat::PersonalSign, &[1; 4097]),
			Err(Error::<Test>::MessageTooLong.into())
		);
		assert_eq!(
			ask(evm, MessageFormat::TypedData, b"{}"),
			Err(Error::<Test>::InvalidTypedData.into())
		);
		let mut mail: serde_json::Value =
			serde_json::from_slice(&vector("eip712-spec-mail")).expect("JSON");
		mail["domain"]["extra"] = serde_json::Value::from(1);
		assert_eq!(
			ask(evm, MessageFormat::TypedData, &serde_json::to_vec(&mail).unwrap()),
			Err(Error::<Test>::NonCanonicalTypedDataDomain.into())
		);
		assert_eq!(
			ask(999, MessageFormat::PersonalSign, b"hi"),
			Err(Error::<Test>::UnknownKey.into())
		);
		// Nothing was requested.
		assert!(SignPreimages::<Test>::iter().next().is_none());
	});
}
