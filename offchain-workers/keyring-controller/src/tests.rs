//! Unit tests of the keyring controller with the off-chain test externalities, a test
//! transaction pool and an in-memory keystore.

use crate::{
	mock::*,
	reasons,
	worker::{
		answer_key, choose_nonce, is_designated, lock_key, nonce_record_after, open_answers_key,
	},
	Answer, AnswerRecord, EcdsaCall, EcdsaSubmitError, KeyType, NonceRecord, RequestKind,
	KEY_MATERIAL_KEY_TYPE,
};
use codec::{Decode, Encode};
use frame_support::{dispatch::DispatchClass, traits::Get};
use sp_core::{
	crypto::ByteArray,
	offchain::{StorageKind, Timestamp},
};
use sp_keystore::Keystore;
use zenrock_chain_formats::{signature::verify_signature, PublicKey};

const KEYRING: u64 = 1;
const ECDSA_PAYLOAD_A: [u8; 32] = [0x11; 32];
const ECDSA_PAYLOAD_B: [u8; 32] = [0x22; 32];

type TreasuryCall = mock_treasury::Call<Test>;

/// The call of a submitted transaction, as the mock treasury's call.
fn treasury_call(submitted: &Submitted) -> TreasuryCall {
	match &submitted.call {
		RuntimeCall::Treasury(call) => call.clone(),
		other => panic!("not a treasury call: {other:?}"),
	}
}

/// The keyring and answers of a batched key fulfilment.
fn fulfilled_keys(submitted: &Submitted) -> (u64, Vec<(u64, Vec<u8>)>) {
	match treasury_call(submitted) {
		TreasuryCall::fulfil_key_requests { keyring, answers } => (keyring, answers),
		other => panic!("not a key fulfilment: {other:?}"),
	}
}

/// The one item of a batch.
fn only<T: core::fmt::Debug>(mut items: Vec<T>) -> T {
	assert_eq!(items.len(), 1, "expected one answer: {items:?}");
	items.remove(0)
}

/// The request and key of a key fulfilment of one request.
fn fulfilled_key(submitted: &Submitted) -> (u64, Vec<u8>) {
	only(fulfilled_keys(submitted).1)
}

/// The request and signatures of a signature fulfilment of one request.
fn fulfilled_signatures(submitted: &Submitted) -> (u64, Vec<Vec<u8>>) {
	match treasury_call(submitted) {
		TreasuryCall::fulfil_signature_requests { keyring, answers } => {
			assert_eq!(keyring, KEYRING);
			only(answers)
		}
		other => panic!("not a signature fulfilment: {other:?}"),
	}
}

/// The request and reason of the rejection of one request.
fn rejected(submitted: &Submitted) -> (u64, Vec<u8>) {
	match treasury_call(submitted) {
		TreasuryCall::reject_requests { rejections, .. } => only(rejections),
		other => panic!("not a rejection: {other:?}"),
	}
}

/// The rejections of a batched rejection.
fn rejections(submitted: &Submitted) -> Vec<(u64, Vec<u8>)> {
	match treasury_call(submitted) {
		TreasuryCall::reject_requests { rejections, .. } => rejections,
		other => panic!("not a rejection: {other:?}"),
	}
}

/// The request and reason of a signature rejection.
fn rejected_signature(submitted: &Submitted) -> (u64, Vec<u8>) {
	rejected(submitted)
}

/// The one transaction submitted since the last check.
fn single(node: &Node) -> Submitted {
	let mut submitted = node.take_submitted();
	assert_eq!(submitted.len(), 1, "expected exactly one transaction: {submitted:?}");
	submitted.remove(0)
}

/// The raw bytes of a key.
fn raw<K: ByteArray>(key: &K) -> Vec<u8> {
	key.to_raw_vec()
}

fn ecdsa_keys(node: &Node) -> Vec<sp_core::ecdsa::Public> {
	node.keystore.ecdsa_public_keys(KEY_MATERIAL_KEY_TYPE)
}

fn ed25519_keys(node: &Node) -> Vec<sp_core::ed25519::Public> {
	node.keystore.ed25519_public_keys(KEY_MATERIAL_KEY_TYPE)
}

/// A node whose keystore has Alice's party key, Alice the only party of a 1-of-1 keyring.
fn alice_node() -> (Node, AccountId) {
	let node = Node::new();
	let alice = node.add_party("//Alice");
	set_keyring(KEYRING, vec![alice.clone()], 1);
	(node, alice)
}

fn persistent<V: Decode>(node: &mut Node, key: &[u8]) -> Option<V> {
	node.execute(|| {
		sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, key)
			.map(|bytes| V::decode(&mut &bytes[..]).expect("decodable"))
	})
}

fn answer_record(
	node: &mut Node,
	party: &AccountId,
	kind: RequestKind,
	request: u64,
) -> Option<AnswerRecord<BlockNumber>> {
	persistent(node, &answer_key(party, kind, request))
}

// ------------------------------------------------------------------------------------------
// No work
// ------------------------------------------------------------------------------------------

#[test]
fn no_party_key_means_no_work() {
	let mut node = Node::new();
	let outsider = Node::new().add_party("//Alice");
	set_keyring(KEYRING, vec![outsider], 1);
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);

	node.run_worker(1);

	assert!(node.take_submitted().is_empty());
	assert!(ecdsa_keys(&node).is_empty());
	assert_eq!(pending_reads(), 0, "the chain is not even queried");
}

#[test]
fn party_key_of_no_keyring_does_nothing() {
	let mut node = Node::new();
	let _alice = node.add_party("//Alice");
	let bob = Node::new().add_party("//Bob");
	set_keyring(KEYRING, vec![bob], 1);
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);

	node.run_worker(1);

	assert!(node.take_submitted().is_empty());
	assert!(ecdsa_keys(&node).is_empty());
	assert_eq!(pending_reads(), 0);
}

#[test]
fn requests_already_answered_on_chain_are_skipped() {
	let (mut node, alice) = alice_node();
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);
	mark_responded(1, &alice);

	node.run_worker(1);

	assert!(node.take_submitted().is_empty());
	assert!(ecdsa_keys(&node).is_empty());
}

#[test]
fn other_keyrings_requests_are_not_touched() {
	let (mut node, alice) = alice_node();
	let bob = Node::new().add_party("//Bob");
	set_keyring(2, vec![bob], 1);
	add_key_request(1, 2, KeyType::EcdsaSecp256k1);
	add_key_request(2, KEYRING, KeyType::Ed25519);

	node.run_worker(1);

	let submitted = single(&node);
	assert_eq!(submitted.from, alice);
	assert_eq!(fulfilled_key(&submitted).0, 2);
}

// ------------------------------------------------------------------------------------------
// Key generation
// ------------------------------------------------------------------------------------------

#[test]
fn ecdsa_key_request_generates_a_key_and_submits_it() {
	let (mut node, alice) = alice_node();
	add_key_request(7, KEYRING, KeyType::EcdsaSecp256k1);

	node.run_worker(1);

	let submitted = single(&node);
	assert_eq!(submitted.from, alice);
	assert_eq!(submitted.nonce, 0);
	let (request, public_key) = fulfilled_key(&submitted);
	assert_eq!(request, 7);
	assert_eq!(public_key.len(), 33, "compressed secp256k1");
	assert!(PublicKey::parse(KeyType::EcdsaSecp256k1, &public_key).is_ok());
	let keys = ecdsa_keys(&node);
	assert_eq!(keys.len(), 1);
	assert_eq!(&raw(&keys[0])[..], &public_key[..], "the key lives in the keystore");
	assert!(ed25519_keys(&node).is_empty());
	// Recorded, with the block of submission.
	let record = answer_record(&mut node, &alice, RequestKind::Key, 7).unwrap();
	assert_eq!(record.answer, Answer::FulfilKey { public_key });
	assert_eq!(record.submitted_at, Some(1));
	assert_eq!(record.keyring, KEYRING);
}

#[test]
fn bitcoin_key_request_generates_a_secp256k1_key() {
	let (mut node, _) = alice_node();
	add_key_request(3, KEYRING, KeyType::BitcoinSecp256k1);

	node.run_worker(1);

	let (request, public_key) = fulfilled_key(&single(&node));
	assert_eq!(request, 3);
	assert!(PublicKey::parse(KeyType::BitcoinSecp256k1, &public_key).is_ok());
	assert_eq!(ecdsa_keys(&node).len(), 1);
	assert_eq!(&raw(&ecdsa_keys(&node)[0])[..], &public_key[..]);
}

#[test]
fn taproot_key_requests_are_rejected_by_keystores() {
	let (mut node, _) = alice_node();
	add_key_request(5, KEYRING, KeyType::BitcoinTaproot);

	node.run_worker(1);

	assert_eq!(rejected(&single(&node)), (5, reasons::KEY_TYPE_UNSUPPORTED.to_vec()));
	assert!(ecdsa_keys(&node).is_empty() && ed25519_keys(&node).is_empty());
}

#[test]
fn ed25519_key_request_generates_an_ed25519_key() {
	let (mut node, _) = alice_node();
	add_key_request(4, KEYRING, KeyType::Ed25519);

	node.run_worker(1);

	let (request, public_key) = fulfilled_key(&single(&node));
	assert_eq!(request, 4);
	assert_eq!(public_key.len(), 32);
	assert!(PublicKey::parse(KeyType::Ed25519, &public_key).is_ok());
	let keys = ed25519_keys(&node);
	assert_eq!(keys.len(), 1);
	assert_eq!(&raw(&keys[0])[..], &public_key[..]);
	assert!(ecdsa_keys(&node).is_empty());
}

#[test]
fn key_requests_of_a_block_are_answered_in_one_transaction() {
	let (mut node, alice) = alice_node();
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);
	add_key_request(2, KEYRING, KeyType::Ed25519);

	node.run_worker(1);

	let submitted = single(&node);
	assert_eq!((submitted.from.clone(), submitted.nonce), (alice, 0));
	let (keyring, answers) = fulfilled_keys(&submitted);
	assert_eq!(keyring, KEYRING);
	assert_eq!(answers.iter().map(|(request, _)| *request).collect::<Vec<_>>(), vec![1, 2]);
}

#[test]
fn every_kind_of_answer_goes_in_its_own_batched_call_with_consecutive_nonces() {
	let (mut node, alice) = alice_node();
	let held = node.keystore.ed25519_generate_new(KEY_MATERIAL_KEY_TYPE, None).unwrap();
	add_key_request(1, KEYRING, KeyType::Ed25519);
	add_sign_request(2, KEYRING, KeyType::Ed25519, raw(&held), vec![b"m".to_vec()]);
	add_sign_request(3, KEYRING, KeyType::Ed25519, vec![7; 32], vec![b"m".to_vec()]);
	add_sign_request(4, KEYRING, KeyType::Ed25519, raw(&held), vec![b"n".to_vec()]);

	node.run_worker(1);

	let submitted = node.take_submitted();
	assert_eq!(submitted.len(), 3);
	assert!(submitted.iter().all(|s| s.from == alice));
	assert_eq!(submitted.iter().map(|s| s.nonce).collect::<Vec<_>>(), vec![0, 1, 2]);
	assert_eq!(fulfilled_keys(&submitted[0]).1.len(), 1);
	match treasury_call(&submitted[1]) {
		TreasuryCall::fulfil_signature_requests { answers, .. } => {
			assert_eq!(answers.iter().map(|(r, _)| *r).collect::<Vec<_>>(), vec![2, 4])
		}
		other => panic!("not a signature fulfilment: {other:?}"),
	}
	assert_eq!(rejected(&submitted[2]), (3, reasons::KEY_NOT_HELD.to_vec()));
}

// ------------------------------------------------------------------------------------------
// Signing
// ------------------------------------------------------------------------------------------

#[test]
fn ecdsa_signatures_verify_against_the_key() {
	let (mut node, alice) = alice_node();
	let key = node.keystore.ecdsa_generate_new(KEY_MATERIAL_KEY_TYPE, None).unwrap();
	let payloads = vec![ECDSA_PAYLOAD_A.to_vec(), ECDSA_PAYLOAD_B.to_vec()];
	add_sign_request(9, KEYRING, KeyType::EcdsaSecp256k1, raw(&key), payloads.clone());

	node.run_worker(1);

	let submitted = single(&node);
	assert_eq!(submitted.from, alice);
	let (request, signatures) = fulfilled_signatures(&submitted);
	assert_eq!(request, 9);
	assert_eq!(signatures.len(), 2);
	let public = PublicKey::parse(KeyType::EcdsaSecp256k1, &raw(&key)).unwrap();
	for (payload, signature) in payloads.iter().zip(&signatures) {
		assert_eq!(signature.len(), 65);
		verify_signature(&public, payload, signature).expect("valid low-S recoverable signature");
	}
	// Signed with the right payload each: swapping them fails.
	assert!(verify_signature(&public, &payloads[0], &signatures[1]).is_err());
}

#[test]
fn bitcoin_signatures_verify_against_the_key() {
	let (mut node, _) = alice_node();
	let key = node.keystore.ecdsa_generate_new(KEY_MATERIAL_KEY_TYPE, None).unwrap();
	add_sign_request(
		9,
		KEYRING,
		KeyType::BitcoinSecp256k1,
		raw(&key),
		vec![ECDSA_PAYLOAD_A.to_vec()],
	);

	node.run_worker(1);

	let (_, signatures) = fulfilled_signatures(&single(&node));
	let public = PublicKey::parse(KeyType::BitcoinSecp256k1, &raw(&key)).unwrap();
	verify_signature(&public, &ECDSA_PAYLOAD_A, &signatures[0]).unwrap();
}

#[test]
fn ed25519_signatures_verify_against_the_key() {
	let (mut node, _) = alice_node();
	let key = node.keystore.ed25519_generate_new(KEY_MATERIAL_KEY_TYPE, None).unwrap();
	let payloads = vec![b"a Solana message of any length".to_vec(), vec![0u8; 200]];
	add_sign_request(5, KEYRING, KeyType::Ed25519, raw(&key), payloads.clone());

	node.run_worker(1);

	let (request, signatures) = fulfilled_signatures(&single(&node));
	assert_eq!(request, 5);
	let public = PublicKey::parse(KeyType::Ed25519, &raw(&key)).unwrap();
	for (payload, signature) in payloads.iter().zip(&signatures) {
		assert_eq!(signature.len(), 64);
		verify_signature(&public, payload, signature).expect("valid Ed25519 signature");
	}
}

#[test]
fn key_generated_by_the_worker_then_signs() {
	let (mut node, alice) = alice_node();
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);
	node.run_worker(1);
	let (_, public_key) = fulfilled_key(&single(&node));
	mark_responded(1, &alice);
	settle(1);

	add_sign_request(
		2,
		KEYRING,
		KeyType::EcdsaSecp256k1,
		public_key.clone(),
		vec![ECDSA_PAYLOAD_A.to_vec()],
	);
	node.run_worker(2);

	let submitted = single(&node);
	assert_eq!(submitted.nonce, 1, "the chain nonce has not moved: the worker counts on");
	let (request, signatures) = fulfilled_signatures(&submitted);
	assert_eq!(request, 2);
	let public = PublicKey::parse(KeyType::EcdsaSecp256k1, &public_key).unwrap();
	verify_signature(&public, &ECDSA_PAYLOAD_A, &signatures[0]).unwrap();
	assert_eq!(ecdsa_keys(&node).len(), 1, "signing creates no key");
}

// ------------------------------------------------------------------------------------------
// Rejections
// ------------------------------------------------------------------------------------------

#[test]
fn unknown_secp256k1_key_is_rejected() {
	let (mut node, alice) = alice_node();
	let elsewhere = Node::new().keystore.ecdsa_generate_new(KEY_MATERIAL_KEY_TYPE, None).unwrap();
	add_sign_request(
		3,
		KEYRING,
		KeyType::EcdsaSecp256k1,
		raw(&elsewhere),
		vec![ECDSA_PAYLOAD_A.to_vec()],
	);

	node.run_worker(1);

	let submitted = single(&node);
	assert_eq!(submitted.from, alice);
	assert_eq!(rejected_signature(&submitted), (3, reasons::KEY_NOT_HELD.to_vec()));
}

#[test]
fn unknown_ed25519_key_is_rejected() {
	let (mut node, _) = alice_node();
	// An ECDSA key of the keystore is not an Ed25519 key, whatever its bytes.
	let _ = node.keystore.ecdsa_generate_new(KEY_MATERIAL_KEY_TYPE, None).unwrap();
	let elsewhere = Node::new().keystore.ed25519_generate_new(KEY_MATERIAL_KEY_TYPE, None).unwrap();
	add_sign_request(3, KEYRING, KeyType::Ed25519, raw(&elsewhere), vec![b"m".to_vec()]);

	node.run_worker(1);

	assert_eq!(rejected_signature(&single(&node)), (3, reasons::KEY_NOT_HELD.to_vec()));
}

#[test]
fn key_under_another_key_type_is_not_used() {
	let (mut node, _) = alice_node();
	// The same key, but under the party key type instead of `zkey`.
	let key = node
		.keystore
		.ecdsa_generate_new(crate::PARTY_KEY_TYPE, Some("//not-key-material"))
		.unwrap();
	add_sign_request(
		3,
		KEYRING,
		KeyType::EcdsaSecp256k1,
		raw(&key),
		vec![ECDSA_PAYLOAD_A.to_vec()],
	);

	node.run_worker(1);

	assert_eq!(rejected_signature(&single(&node)), (3, reasons::KEY_NOT_HELD.to_vec()));
}

#[test]
fn secp256k1_payload_of_wrong_length_is_rejected() {
	let (mut node, _) = alice_node();
	let key = node.keystore.ecdsa_generate_new(KEY_MATERIAL_KEY_TYPE, None).unwrap();
	add_sign_request(
		4,
		KEYRING,
		KeyType::EcdsaSecp256k1,
		raw(&key),
		vec![ECDSA_PAYLOAD_A.to_vec(), vec![0x33; 31]],
	);
	add_sign_request(5, KEYRING, KeyType::EcdsaSecp256k1, raw(&key), vec![vec![0x33; 33]]);

	node.run_worker(1);

	assert_eq!(
		rejections(&single(&node)),
		vec![
			(4, reasons::PAYLOAD_NOT_32_BYTES.to_vec()),
			(5, reasons::PAYLOAD_NOT_32_BYTES.to_vec())
		]
	);
}

#[test]
fn request_without_payloads_is_rejected() {
	let (mut node, _) = alice_node();
	let key = node.keystore.ed25519_generate_new(KEY_MATERIAL_KEY_TYPE, None).unwrap();
	add_sign_request(6, KEYRING, KeyType::Ed25519, raw(&key), vec![]);

	node.run_worker(1);

	assert_eq!(rejected_signature(&single(&node)), (6, reasons::NO_PAYLOADS.to_vec()));
}

#[test]
fn malformed_public_key_is_rejected() {
	let (mut node, _) = alice_node();
	add_sign_request(
		7,
		KEYRING,
		KeyType::EcdsaSecp256k1,
		vec![2; 32],
		vec![ECDSA_PAYLOAD_A.to_vec()],
	);
	add_sign_request(8, KEYRING, KeyType::Ed25519, vec![2; 33], vec![b"m".to_vec()]);

	node.run_worker(1);

	assert_eq!(
		rejections(&single(&node)),
		vec![
			(7, reasons::MALFORMED_PUBLIC_KEY.to_vec()),
			(8, reasons::MALFORMED_PUBLIC_KEY.to_vec())
		]
	);
}

#[test]
fn rejection_reasons_fit_32_bytes() {
	for reason in [
		reasons::MULTI_PARTY_KEYS_UNSUPPORTED,
		reasons::KEY_TYPE_UNSUPPORTED,
		reasons::KEY_NOT_HELD,
		reasons::MALFORMED_PUBLIC_KEY,
		reasons::NO_PAYLOADS,
		reasons::PAYLOAD_NOT_32_BYTES,
		reasons::SIGNING_FAILED,
	] {
		assert!(reason.len() <= 32, "{:?}", core::str::from_utf8(reason));
	}
}

// ------------------------------------------------------------------------------------------
// Multi-party keyrings
// ------------------------------------------------------------------------------------------

#[test]
fn threshold_above_one_rejects_key_requests_from_every_party() {
	let mut node = Node::new();
	let alice = node.add_party("//Alice");
	let bob = node.add_party("//Bob");
	let charlie = Node::new().add_party("//Charlie");
	set_keyring(KEYRING, vec![alice.clone(), bob.clone(), charlie], 2);
	add_key_request(10, KEYRING, KeyType::EcdsaSecp256k1);
	add_key_request(11, KEYRING, KeyType::Ed25519);

	node.run_worker(1);

	let submitted = node.take_submitted();
	assert_eq!(submitted.len(), 2, "both local parties reject both requests, in one call each");
	for party in [&alice, &bob] {
		let mine: Vec<_> = submitted.iter().filter(|s| &s.from == party).collect();
		assert_eq!(mine.len(), 1);
		let reason = reasons::MULTI_PARTY_KEYS_UNSUPPORTED.to_vec();
		assert_eq!(rejections(mine[0]), vec![(10, reason.clone()), (11, reason)]);
	}
	assert!(ecdsa_keys(&node).is_empty() && ed25519_keys(&node).is_empty(), "no key generated");

	// Recorded: not sent again in the next block.
	node.run_worker(2);
	assert!(node.take_submitted().is_empty());
}

#[test]
fn only_the_designated_party_generates_the_key() {
	let mut node = Node::new();
	let alice = node.add_party("//Alice");
	let bob = node.add_party("//Bob");
	set_keyring(KEYRING, vec![alice.clone(), bob.clone()], 1);
	add_key_request(4, KEYRING, KeyType::EcdsaSecp256k1); // 4 % 2 = 0 → Alice
	add_key_request(5, KEYRING, KeyType::Ed25519); // 5 % 2 = 1 → Bob

	node.run_worker(1);

	let submitted = node.take_submitted();
	assert_eq!(submitted.len(), 2);
	let by_alice = submitted.iter().find(|s| s.from == alice).unwrap();
	let by_bob = submitted.iter().find(|s| s.from == bob).unwrap();
	assert_eq!(fulfilled_key(by_alice).0, 4);
	assert_eq!(fulfilled_key(by_bob).0, 5);
	assert_eq!(ecdsa_keys(&node).len(), 1);
	assert_eq!(ed25519_keys(&node).len(), 1);
}

#[test]
fn non_designated_party_leaves_the_key_request_alone() {
	let mut node = Node::new();
	let alice = Node::new().add_party("//Alice");
	let bob = node.add_party("//Bob");
	set_keyring(KEYRING, vec![alice, bob], 1);
	add_key_request(4, KEYRING, KeyType::EcdsaSecp256k1); // designated: Alice, not on this node

	for block in 1..=(2 * RESUBMIT_AFTER) {
		node.run_worker(block);
		assert!(node.take_submitted().is_empty(), "block {block}");
	}
	assert!(ecdsa_keys(&node).is_empty());
}

#[test]
fn in_a_multi_party_keyring_the_key_holder_signs_and_the_others_reject() {
	let mut holder = Node::new();
	let mut other = Node::new();
	let alice = holder.add_party("//Alice");
	let bob = other.add_party("//Bob");
	set_keyring(KEYRING, vec![alice.clone(), bob.clone()], 1);
	let key = holder.keystore.ecdsa_generate_new(KEY_MATERIAL_KEY_TYPE, None).unwrap();
	add_sign_request(
		6,
		KEYRING,
		KeyType::EcdsaSecp256k1,
		raw(&key),
		vec![ECDSA_PAYLOAD_A.to_vec()],
	);

	holder.run_worker(1);
	other.run_worker(1);

	let signed = single(&holder);
	assert_eq!(signed.from, alice);
	assert_eq!(fulfilled_signatures(&signed).0, 6);
	let rejected = single(&other);
	assert_eq!(rejected.from, bob);
	assert_eq!(rejected_signature(&rejected), (6, reasons::KEY_NOT_HELD.to_vec()));
}

// ------------------------------------------------------------------------------------------
// Idempotency, resubmission, restarts
// ------------------------------------------------------------------------------------------

#[test]
fn running_twice_in_a_block_and_in_the_next_block_submits_once() {
	let (mut node, _) = alice_node();
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);

	node.run_worker(1);
	node.run_worker(1);
	node.run_worker(2);

	assert_eq!(node.take_submitted().len(), 1);
	assert_eq!(ecdsa_keys(&node).len(), 1);
}

#[test]
fn unconfirmed_answer_is_resubmitted_with_the_same_key_after_resubmit_after_blocks() {
	let (mut node, alice) = alice_node();
	add_key_request(1, KEYRING, KeyType::Ed25519);
	node.run_worker(1);
	let first = single(&node);
	let (_, key) = fulfilled_key(&first);

	for block in 2..(1 + RESUBMIT_AFTER) {
		node.run_worker(block);
		assert!(node.take_submitted().is_empty(), "block {block}: still waiting");
	}
	node.run_worker(1 + RESUBMIT_AFTER);

	let again = single(&node);
	assert_eq!(again.from, alice);
	assert_eq!(fulfilled_key(&again), (1, key), "the same key, not a new one");
	assert_eq!(again.nonce, 0, "the chain nonce did not move: the lost nonce is reused");
	assert_eq!(ed25519_keys(&node).len(), 1);
	let record = answer_record(&mut node, &alice, RequestKind::Key, 1).unwrap();
	assert_eq!(record.submitted_at, Some(1 + RESUBMIT_AFTER));

	// And again only after another full wait.
	node.run_worker(2 * RESUBMIT_AFTER);
	assert!(node.take_submitted().is_empty());
	node.run_worker(1 + 2 * RESUBMIT_AFTER);
	assert_eq!(node.take_submitted().len(), 1);
}

#[test]
fn an_answer_seen_on_chain_is_not_resubmitted() {
	let (mut node, alice) = alice_node();
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);
	node.run_worker(1);
	assert_eq!(node.take_submitted().len(), 1);

	mark_responded(1, &alice);
	for block in 2..=(3 * RESUBMIT_AFTER) {
		node.run_worker(block);
	}

	assert!(node.take_submitted().is_empty());
}

#[test]
fn restart_after_a_failed_submission_reuses_the_recorded_key() {
	let (mut node, alice) = alice_node();
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);

	// The key is generated and recorded, but the transaction never reaches the pool.
	set_signing_fails(true);
	node.run_worker(1);
	set_signing_fails(false);
	assert!(node.take_submitted().is_empty());
	let generated = ecdsa_keys(&node);
	assert_eq!(generated.len(), 1);
	let record = answer_record(&mut node, &alice, RequestKind::Key, 1).unwrap();
	assert_eq!(record.submitted_at, None);

	let mut node = node.restart();
	node.run_worker(2);

	let (request, key) = fulfilled_key(&single(&node));
	assert_eq!(request, 1);
	assert_eq!(&key[..], &raw(&generated[0])[..]);
	assert_eq!(ecdsa_keys(&node), generated, "no second key");
}

#[test]
fn restart_losing_the_pool_resubmits_the_same_key_after_the_wait() {
	let (mut node, _) = alice_node();
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);
	node.run_worker(1);
	let (_, key) = fulfilled_key(&single(&node));

	let mut node = node.restart();
	node.run_worker(2);
	assert!(node.take_submitted().is_empty(), "submitted at block 1: waits");
	node.run_worker(1 + RESUBMIT_AFTER);

	assert_eq!(fulfilled_key(&single(&node)), (1, key));
	assert_eq!(ecdsa_keys(&node).len(), 1);
}

/// What the node does at every start: a new start marker in persistent off-chain storage.
fn mark_node_start(node: &mut Node, marker: &[u8]) {
	node.execute(|| {
		sp_io::offchain::local_storage_set(
			sp_core::offchain::StorageKind::PERSISTENT,
			zenrock_primitives::NODE_START_KEY,
			marker,
		)
	});
}

#[test]
fn after_a_node_restart_a_recorded_answer_is_resubmitted_at_once_from_the_chain_nonce() {
	let (mut node, _) = alice_node();
	mark_node_start(&mut node, b"first start");
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);
	node.run_worker(1);
	let first = single(&node);
	assert_eq!(first.nonce, 0);
	let (_, key) = fulfilled_key(&first);

	// The process dies right after submitting (its pool with it) and starts again.
	let mut node = node.restart();
	mark_node_start(&mut node, b"second start");
	node.run_worker(2);
	let again = single(&node);
	assert_eq!(fulfilled_key(&again), (1, key), "the same answer, at the first run");
	// The nonce the lost transaction took is free again: not a nonce the chain would park.
	assert_eq!(again.nonce, 0);
	assert_eq!(ecdsa_keys(&node).len(), 1, "no second key");
	// Once: the next runs wait for it on chain as usual.
	node.run_worker(3);
	assert!(node.take_submitted().is_empty());
}

#[test]
fn signatures_are_not_submitted_twice() {
	let (mut node, _) = alice_node();
	let key = node.keystore.ed25519_generate_new(KEY_MATERIAL_KEY_TYPE, None).unwrap();
	add_sign_request(2, KEYRING, KeyType::Ed25519, raw(&key), vec![b"m".to_vec()]);

	node.run_worker(1);
	node.run_worker(1);
	node.run_worker(2);
	assert_eq!(node.take_submitted().len(), 1);

	node.run_worker(1 + RESUBMIT_AFTER);
	let (request, signatures) = fulfilled_signatures(&single(&node));
	assert_eq!(request, 2);
	let public = PublicKey::parse(KeyType::Ed25519, &raw(&key)).unwrap();
	verify_signature(&public, b"m", &signatures[0]).unwrap();
}

/// Makes `party`'s lock held by someone else until t = 5 s, with the node's clock at t = 1 s;
/// returns the lock's deadline.
fn hold_lock_until_5s_at_1s(node: &mut Node, party: &AccountId) -> Timestamp {
	let deadline = Timestamp::from_unix_millis(5_000);
	node.execute(|| {
		sp_io::offchain::local_storage_set(
			StorageKind::PERSISTENT,
			&lock_key(party),
			&deadline.encode(),
		)
	});
	node.offchain.0.write().timestamp = Timestamp::from_unix_millis(1_000);
	deadline
}

#[test]
fn a_lock_held_by_another_worker_defers_the_party() {
	let (mut node, alice) = alice_node();
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);
	// Another worker (e.g. of a sibling fork block) holds Alice's lock until t = 5 s.
	hold_lock_until_5s_at_1s(&mut node, &alice);

	node.run_worker(1);
	assert!(node.take_submitted().is_empty());
	assert!(ecdsa_keys(&node).is_empty());

	// The holder stopped without releasing it: after the deadline the lock is taken over.
	node.offchain.0.write().timestamp = Timestamp::from_unix_millis(5_001);
	node.run_worker(2);
	assert_eq!(fulfilled_key(&single(&node)).0, 1);
	// Released at the end of the run.
	assert_eq!(persistent::<Timestamp>(&mut node, &lock_key(&alice)), None);
}

/// The requests answered by each submitted key fulfilment, in order.
fn batches(submitted: &[Submitted]) -> Vec<Vec<u64>> {
	submitted
		.iter()
		.map(|s| fulfilled_keys(s).1.into_iter().map(|(request, _)| request).collect())
		.collect()
}

#[test]
fn a_batch_is_split_where_a_normal_extrinsic_s_weight_ends() {
	let (mut node, alice) = alice_node();
	// Three answers fit the most a normal extrinsic may weigh (less the transaction's share),
	// four do not.
	let normal: frame_system::limits::BlockWeights =
		<Test as frame_system::Config>::BlockWeights::get();
	let max_extrinsic =
		normal.get(DispatchClass::Normal).max_extrinsic.expect("a limit").ref_time();
	WeightPerAnswer::set(max_extrinsic * 95 / 100 / 7 * 2);
	for id in 1..=5 {
		add_key_request(id, KEYRING, KeyType::Ed25519);
	}

	node.run_worker(1);
	let submitted = node.take_submitted();
	WeightPerAnswer::set(1_000);
	assert_eq!(batches(&submitted), vec![vec![1, 2, 3], vec![4, 5]], "oldest first");
	assert_eq!(
		submitted.iter().map(|s| (s.from.clone(), s.nonce)).collect::<Vec<_>>(),
		vec![(alice.clone(), 0), (alice, 1)]
	);
	assert_eq!(ed25519_keys(&node).len(), 5);

	// Answers waiting to appear on chain are not submitted again in the next block.
	node.run_worker(2);
	assert!(node.take_submitted().is_empty());
}

#[test]
fn a_batch_carries_at_most_max_answers_per_call() {
	let (mut node, _alice) = alice_node();
	let count = u64::from(MAX_ANSWERS_PER_CALL) + 2;
	for id in 1..=count {
		add_key_request(id, KEYRING, KeyType::Ed25519);
	}
	node.run_worker(1);
	let sizes: Vec<usize> = batches(&node.take_submitted()).iter().map(Vec::len).collect();
	assert_eq!(sizes, vec![MAX_ANSWERS_PER_CALL as usize, 2]);
}

#[test]
fn split_into_calls_respects_the_length_limit() {
	let call_of = |items: Vec<(u64, Vec<u8>)>| -> RuntimeCall {
		TreasuryCall::fulfil_key_requests { keyring: KEYRING, answers: items }.into()
	};
	let items: Vec<(u64, Vec<u8>)> = (0..10).map(|i| (i, vec![0u8; 100])).collect();
	let empty = codec::Encode::encoded_size(&call_of(Vec::new()));
	let item = codec::Encode::encoded_size(&items[0]);
	// Room for four items (the length prefix may grow by a byte or so: one spare byte each).
	let calls = crate::worker::split_into_calls(
		items,
		call_of,
		frame_support::weights::Weight::MAX,
		empty + 4 * item + 3,
		usize::MAX,
	);
	assert_eq!(calls.iter().map(Vec::len).collect::<Vec<_>>(), vec![4, 4, 2]);
}

// ------------------------------------------------------------------------------------------
// Nonces
// ------------------------------------------------------------------------------------------

#[test]
fn nonces_count_on_while_answers_are_in_flight_and_follow_the_chain() {
	let (mut node, alice) = alice_node();
	add_key_request(1, KEYRING, KeyType::Ed25519);
	add_key_request(2, KEYRING, KeyType::Ed25519);
	node.run_worker(1);
	assert_eq!(single(&node).nonce, 0);

	// Block 2 does not include it yet: the next answer queues behind it.
	add_key_request(3, KEYRING, KeyType::Ed25519);
	node.run_worker(2);
	assert_eq!(single(&node).nonce, 1);

	// Block 3 includes both transactions.
	for id in 1..=3 {
		mark_responded(id, &alice);
		settle(id);
	}
	node.execute(|| (0..2).for_each(|_| System::inc_account_nonce(&alice)));
	add_key_request(4, KEYRING, KeyType::Ed25519);
	node.run_worker(3);
	assert_eq!(single(&node).nonce, 2);

	// The chain nonce then stays at 2 (nonce 2 was lost): the worker counts on for a while …
	add_key_request(5, KEYRING, KeyType::Ed25519);
	node.run_worker(4);
	assert_eq!(single(&node).nonce, 3);
	// … and falls back to the chain nonce once it has not moved for `ResubmitAfter` blocks
	// (request 4 is resubmitted at the same time, as its answer never showed up, in one call
	// with the new request 6).
	add_key_request(6, KEYRING, KeyType::Ed25519);
	node.run_worker(3 + RESUBMIT_AFTER);
	let submitted = single(&node);
	assert_eq!(submitted.nonce, 2);
	assert_eq!(batches(&[submitted]), vec![vec![4, 6]]);
}

#[test]
fn choose_nonce_rules() {
	let patience = 5u64;
	// No record, or nothing in flight: the chain's nonce.
	assert_eq!(choose_nonce::<u64, u64>(None, 7, 10, patience), 7);
	let caught_up = NonceRecord { next: 7u64, chain_nonce: 6u64, since: 9u64 };
	assert_eq!(choose_nonce(Some(&caught_up), 7, 10, patience), 7);
	// In flight, chain unchanged, within patience: count on.
	let waiting = NonceRecord { next: 9u64, chain_nonce: 7u64, since: 10u64 };
	assert_eq!(choose_nonce(Some(&waiting), 7, 14, patience), 9);
	// Patience exhausted: back to the chain.
	assert_eq!(choose_nonce(Some(&waiting), 7, 15, patience), 7);
	// The chain moved but not past our count: count on whatever the age.
	assert_eq!(choose_nonce(Some(&waiting), 8, 100, patience), 9);

	// Records after a submission.
	assert_eq!(
		nonce_record_after(None, 7u64, 7u64, 3u64),
		NonceRecord { next: 8, chain_nonce: 7, since: 3 }
	);
	assert_eq!(
		nonce_record_after(Some(waiting.clone()), 9, 7, 12),
		NonceRecord { next: 10, chain_nonce: 7, since: 10 },
		"still waiting for the same chain nonce: the wait keeps its start"
	);
	assert_eq!(
		nonce_record_after(Some(waiting.clone()), 9, 8, 12),
		NonceRecord { next: 10, chain_nonce: 8, since: 12 },
		"the chain moved: a new wait starts"
	);
	assert_eq!(
		nonce_record_after(Some(waiting), 7, 7, 20),
		NonceRecord { next: 8, chain_nonce: 7, since: 20 },
		"fallback to the chain nonce starts a new wait"
	);
}

// ------------------------------------------------------------------------------------------
// Records
// ------------------------------------------------------------------------------------------

#[test]
fn settled_answer_records_are_removed_but_generated_keys_kept() {
	let (mut node, alice) = alice_node();
	let key = node.keystore.ed25519_generate_new(KEY_MATERIAL_KEY_TYPE, None).unwrap();
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);
	add_sign_request(2, KEYRING, KeyType::Ed25519, raw(&key), vec![b"m".to_vec()]);
	add_sign_request(3, KEYRING, KeyType::Ed25519, vec![9; 32], vec![b"m".to_vec()]);
	node.run_worker(1);
	assert_eq!(node.take_submitted().len(), 3);
	let open: Vec<(RequestKind, u64, u64)> =
		persistent(&mut node, &open_answers_key(&alice)).unwrap();
	assert_eq!(open.len(), 3);

	// The chain records the key and the signatures; request 3 expires.
	mark_responded(1, &alice);
	mark_responded(2, &alice);
	settle(3);
	node.run_worker(2);

	assert!(node.take_submitted().is_empty());
	assert!(answer_record(&mut node, &alice, RequestKind::Key, 1).is_some(), "key record kept");
	assert!(answer_record(&mut node, &alice, RequestKind::Signature, 2).is_none());
	assert!(answer_record(&mut node, &alice, RequestKind::Signature, 3).is_none());
	let open: Vec<(RequestKind, u64, u64)> =
		persistent(&mut node, &open_answers_key(&alice)).unwrap();
	assert!(open.is_empty());
}

#[test]
fn designated_party_rule() {
	let parties = [10u8, 20, 30];
	assert!(is_designated(&parties, 0, &10));
	assert!(is_designated(&parties, 4, &20));
	assert!(is_designated(&parties, 5, &30));
	assert!(!is_designated(&parties, 5, &10));
	assert!(!is_designated(&[] as &[u8], 5, &10), "no parties: nobody");
}

// ------------------------------------------------------------------------------------------
// Submissions of the node's threshold ECDSA engine
// ------------------------------------------------------------------------------------------

#[test]
fn engine_calls_are_signed_by_the_party_with_the_workers_nonce_journal() {
	let (mut node, alice) = alice_node();
	let announce = EcdsaCall::AnnounceReady { keyring: 7 };
	let bundle = EcdsaCall::Bundle { ceremony: 3, round: 2, bundle: vec![1, 2, 3] };
	for call in [announce, bundle] {
		assert_eq!(
			node.execute(|| KeyringController::submit_ecdsa_call(alice.clone(), call, 0)),
			Ok(())
		);
	}
	let submitted = node.take_submitted();
	assert_eq!(submitted.iter().map(|tx| tx.nonce).collect::<Vec<_>>(), vec![0, 1]);
	assert!(submitted.iter().all(|tx| tx.from == alice));
	assert_eq!(
		submitted[0].call,
		RuntimeCall::Mpc(pallet_zenrock_mpc::Call::announce_ecdsa_ready { keyring: 7 })
	);
	assert_eq!(
		submitted[1].call,
		RuntimeCall::Mpc(pallet_zenrock_mpc::Call::submit_ceremony_bundle {
			ceremony: 3,
			round: 2,
			bundle: vec![1, 2, 3],
		})
	);

	// The worker's next answer continues the same journal.
	add_key_request(1, KEYRING, KeyType::EcdsaSecp256k1);
	node.run_worker(1);
	assert_eq!(single(&node).nonce, 2);

	// The node's pool shows transactions of Alice sent from elsewhere up to nonce 6: the next
	// one does not replace them.
	let abort = EcdsaCall::Abort { ceremony: 3, accused: None };
	assert_eq!(
		node.execute(|| KeyringController::submit_ecdsa_call(alice.clone(), abort, 7)),
		Ok(())
	);
	assert_eq!(single(&node).nonce, 7);
}

#[test]
fn engine_calls_wait_while_the_worker_holds_the_party_lock() {
	let (mut node, alice) = alice_node();
	let deadline = hold_lock_until_5s_at_1s(&mut node, &alice);
	let abort = EcdsaCall::Abort { ceremony: 1, accused: None };
	assert_eq!(
		node.execute(|| KeyringController::submit_ecdsa_call(alice.clone(), abort.clone(), 0)),
		Err(EcdsaSubmitError::Busy)
	);
	assert!(node.take_submitted().is_empty());
	// The lock is left as it was (the holder still has it).
	assert_eq!(persistent::<Timestamp>(&mut node, &lock_key(&alice)), Some(deadline));
}

#[test]
fn engine_calls_of_an_account_without_a_party_key_are_refused() {
	let (mut node, _alice) = alice_node();
	// Bob's party key is in another node's keystore.
	let bob = Node::new().add_party("//Bob");
	let call = EcdsaCall::Output { ceremony: 1, output: vec![0; 32] };
	assert_eq!(
		node.execute(|| KeyringController::submit_ecdsa_call(bob, call, 0)),
		Err(EcdsaSubmitError::NoPartyKey)
	);
	assert!(node.take_submitted().is_empty());
}
