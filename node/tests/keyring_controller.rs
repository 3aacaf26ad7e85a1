//! End to end on the real `zenrock-node --dev`: the node's keyring controller (off-chain worker,
//! Alice's party key in the dev keystore) fulfils key and signature requests by itself, and the
//! signatures it returns verify. Prints the latency in blocks from request to fulfilment.

mod common;

use std::time::Duration;

use common::Node;
use pallet_zenrock_treasury::{Call as TreasuryCall, Event as TreasuryEvent};
use sp_core::{ed25519, Pair};
use sp_keyring::Sr25519Keyring::Alice;
use zenrock_chain_formats::{address, signature, KeyType, PublicKey};
use zenrock_runtime::{RuntimeCall, RuntimeEvent};

/// The genesis workspace (Alice and Bob) and keyring (served by the dev node's Alice party key).
const WORKSPACE: u64 = 0;
const KEYRING: u64 = 0;
const TIMEOUT: Duration = Duration::from_secs(120);

/// Requests a key and waits for its fulfilment: returns (key id, public key, latency in blocks).
fn request_key(node: &Node, key_type: KeyType) -> (u64, Vec<u8>, u64) {
	let from = node.best_number();
	node.submit(
		RuntimeCall::ZenrockTreasury(TreasuryCall::request_key {
			workspace: WORKSPACE,
			keyring: KEYRING,
			key_type,
			sign_policy: None,
		}),
		Alice,
	);
	let (requested_at, request) =
		node.wait_for_event("the key request", from, TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::KeyRequested {
				request,
				key_type: t,
				..
			}) if *t == key_type => Some(*request),
			_ => None,
		});
	let (fulfilled_at, (key, public_key)) =
		node.wait_for_event("the key's fulfilment", requested_at, TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::KeyRequestFulfilled {
				request: r,
				key,
				public_key,
				..
			}) if *r == request => Some((*key, public_key.to_vec())),
			_ => None,
		});
	(key, public_key, fulfilled_at - requested_at)
}

/// Requests signatures of `payloads` and waits for them: returns (signatures, latency in blocks).
fn request_signatures(node: &Node, key: u64, payloads: Vec<Vec<u8>>) -> (Vec<Vec<u8>>, u64) {
	let from = node.best_number();
	node.submit(
		RuntimeCall::ZenrockTreasury(TreasuryCall::request_signature { key, payloads }),
		Alice,
	);
	let (requested_at, request) =
		node.wait_for_event("the signature request", from, TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::SignatureRequested {
				request,
				key: k,
				..
			}) if *k == key => Some(*request),
			_ => None,
		});
	let (fulfilled_at, signatures) =
		node.wait_for_event("the signatures", requested_at, TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::SignatureRequestFulfilled {
				request: r,
				signatures,
				..
			}) if *r == request => {
				Some(signatures.iter().map(|signature| signature.to_vec()).collect::<Vec<_>>())
			}
			_ => None,
		});
	(signatures, fulfilled_at - requested_at)
}

#[test]
fn dev_node_fulfils_key_and_signature_requests_by_itself() {
	let node = Node::start(&["--dev"]);
	node.wait_until("block 1", TIMEOUT, |node| node.best_number() >= 1);

	// ECDSA: key, then a signature over a 32-byte hash whose recovered address is the key's.
	let (ecdsa_key, ecdsa_public, ecdsa_key_latency) = request_key(&node, KeyType::EcdsaSecp256k1);
	let ecdsa_public =
		PublicKey::parse(KeyType::EcdsaSecp256k1, &ecdsa_public).expect("a valid secp256k1 key");
	let hash = sp_io::hashing::keccak_256(b"zenrock end-to-end");
	let (signatures, ecdsa_sign_latency) =
		request_signatures(&node, ecdsa_key, vec![hash.to_vec()]);
	assert_eq!(signatures.len(), 1);
	let parsed = signature::parse_recoverable(&signatures[0]).expect("a 65-byte signature");
	let recovered = signature::recover_secp256k1(&hash, &parsed).expect("recoverable");
	let recovered = PublicKey::parse(KeyType::EcdsaSecp256k1, &recovered).expect("a valid key");
	assert_eq!(
		address::evm_address(&recovered).expect("an address"),
		address::evm_address(&ecdsa_public).expect("an address"),
		"the signature recovers to the key's EVM address"
	);

	// Ed25519: key, then a signature over a message, checked with sp-core's verifier.
	let (ed25519_key, ed25519_public, ed25519_key_latency) = request_key(&node, KeyType::Ed25519);
	let message = b"a message for the Ed25519 key".to_vec();
	let (signatures, ed25519_sign_latency) =
		request_signatures(&node, ed25519_key, vec![message.clone()]);
	let public = ed25519::Public::from_raw(ed25519_public.try_into().expect("32 bytes"));
	let signature = ed25519::Signature::from_raw(
		signatures[0].clone().try_into().expect("a 64-byte Ed25519 signature"),
	);
	assert!(ed25519::Pair::verify(&signature, &message, &public), "the Ed25519 signature verifies");

	println!(
		"keyring controller latency in blocks (request inclusion -> fulfilment): \
		 ECDSA key {ecdsa_key_latency}, ECDSA signature {ecdsa_sign_latency}, \
		 Ed25519 key {ed25519_key_latency}, Ed25519 signature {ed25519_sign_latency}"
	);
	for latency in
		[ecdsa_key_latency, ecdsa_sign_latency, ed25519_key_latency, ed25519_sign_latency]
	{
		assert!(latency <= 2, "fulfilment took {latency} blocks; the goal is at most 2");
	}
}

/// A crash right after the node submitted an answer (the answer dies with its transaction pool),
/// then a restart on the same base path: the request is answered within two blocks of the
/// restart, and exactly once.
#[test]
fn after_a_crash_the_answer_comes_within_two_blocks_of_the_restart_exactly_once() {
	let mut node = Node::start(&["--dev"]);
	let from = node.best_number();
	node.submit(
		RuntimeCall::ZenrockTreasury(TreasuryCall::request_key {
			workspace: WORKSPACE,
			keyring: KEYRING,
			key_type: KeyType::Ed25519,
			sign_policy: None,
		}),
		Alice,
	);
	let (requested_at, request) =
		node.wait_for_event("the key request", from, TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::KeyRequested { request, .. }) => {
				Some(*request)
			}
			_ => None,
		});
	// Crash as soon as the worker has submitted its answer, before a block can include it.
	let submitted = format!("submitted 1 key fulfilments (requests {request}..={request}, ");
	let deadline = std::time::Instant::now() + TIMEOUT;
	while !node.log_tail(400).contains(&submitted) {
		assert!(std::time::Instant::now() < deadline, "no submission: {}", node.log_tail(60));
		std::thread::sleep(Duration::from_millis(20));
	}
	node.kill();
	node.restart();
	let restarted_at = node.best_number();
	let (fulfilled_at, ()) =
		node.wait_for_event("the key's fulfilment", requested_at, TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::KeyRequestFulfilled {
				request: r,
				..
			}) if *r == request => Some(()),
			_ => None,
		});
	println!(
		"crash and restart: request {request} included at block {requested_at}, node restarted at \
		 block {restarted_at}, fulfilled at block {fulfilled_at}"
	);
	assert!(
		fulfilled_at <= restarted_at + 2,
		"answered {} blocks after the restart; the goal is at most 2",
		fulfilled_at - restarted_at
	);
	// Exactly once: one answer recorded for the request, and no failed duplicate.
	let answers = (requested_at..=node.best_number())
		.flat_map(|block| node.events_at(block))
		.filter(|event| {
			matches!(
				event,
				RuntimeEvent::ZenrockTreasury(TreasuryEvent::KeyAnswerRecorded { request: r, .. })
					if *r == request
			)
		})
		.count();
	assert_eq!(answers, 1, "exactly one answer to request {request}");
	let failed_duplicates = (requested_at..=node.best_number())
		.flat_map(|block| node.events_at(block))
		.filter(|event| {
			matches!(
				event,
				RuntimeEvent::ZenrockTreasury(TreasuryEvent::AnswerFailed { request: r, .. })
					if *r == request
			)
		})
		.count();
	assert_eq!(failed_duplicates, 0, "no duplicate answer to request {request} was submitted");
}
