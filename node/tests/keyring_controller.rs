//! End to end on the real `zenrock-node --dev`: the node's keyring controller (off-chain worker,
//! Alice's party key in the dev keystore) fulfils key and signature requests by itself, and the
//! signatures it returns verify. Prints the latency in blocks from request to fulfilment.

mod common;

use std::{sync::Mutex, time::Duration};

use common::{ecdsa, requests, threshold, Node};
use pallet_zenrock_treasury::{Call as TreasuryCall, Event as TreasuryEvent};
use sp_core::{ed25519, Pair};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie};
use zenrock_chain_formats::{address, signature, BitcoinNetwork, Chain, KeyType, PublicKey};
use zenrock_runtime::{RuntimeCall, RuntimeEvent};

/// The genesis workspace (Alice and Bob) and keyring (served by the dev node's Alice party key).
const WORKSPACE: u64 = 0;
const KEYRING: u64 = 0;
/// The development chain's FROST keyring: Alice, Bob and Charlie, threshold 2, all three parties
/// served by the one dev node.
/// Each test runs a dev node whose blocks it counts: run one at a time, so that three nodes on a
/// two-core machine do not slow each other past the latencies the tests check.
static ONE_NODE_AT_A_TIME: Mutex<()> = Mutex::new(());

const FROST_KEYRING: u64 = 1;
const FROST_PARTIES: [Sr25519Keyring; 3] = [Alice, Bob, Charlie];
const TIMEOUT: Duration = Duration::from_secs(120);
/// The development chain's threshold ECDSA keyring: Alice, Bob and Charlie, threshold 2.
const ECDSA_KEYRING: u64 = 2;
/// How long its one-time setup may take (with the test primes).
const ECDSA_SETUP_TIMEOUT: Duration = Duration::from_secs(300);

/// Requests a key of the genesis keyring and waits for its fulfilment: returns (key id, public
/// key, latency in blocks).
fn request_key(node: &Node, key_type: KeyType) -> (u64, Vec<u8>, u64) {
	let key = requests::request_key(node, Alice, WORKSPACE, KEYRING, key_type);
	(key.key, key.public_key, key.latency)
}

/// Requests signatures of `payloads` and waits for them: returns (signatures, latency in blocks).
fn request_signatures(node: &Node, key: u64, payloads: Vec<Vec<u8>>) -> (Vec<Vec<u8>>, u64) {
	let signed = requests::request_signatures(node, Alice, key, payloads);
	(signed.signatures, signed.latency)
}

#[test]
fn dev_node_fulfils_key_and_signature_requests_by_itself() {
	let _serial = ONE_NODE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	let node = Node::start(&["--dev"]);
	node.wait_until("block 1", TIMEOUT, |node| node.best_number() >= 1);
	// Alice is also a party of keyring 1, whose worker sends her start-up transactions (encryption
	// key, nonce commitments): let them land first, or a request signed with the nonce the pool
	// shows may be left waiting behind one that the pool drops.
	node.wait_until("keyring 1's parties registered and pooled commitments", TIMEOUT, |node| {
		threshold::parties_ready(node, FROST_KEYRING, &FROST_PARTIES)
	});

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
	let _serial = ONE_NODE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	let mut node = Node::start(&["--dev"]);
	let from = node.best_number();
	node.submit(
		RuntimeCall::ZenrockTreasury(TreasuryCall::request_key {
			workspace: WORKSPACE,
			keyring: KEYRING,
			key_type: KeyType::Ed25519,
			sign_policy: None,
			max_fee: u128::MAX,
			memo: None,
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

/// `./scripts/run-dev.sh`'s chain: keyring 1 is a FROST keyring of Alice, Bob and Charlie (2 of 3)
/// that the one dev node serves alone, saying so with a warning. Its parties get ready by
/// themselves; an Ed25519 key and a Taproot key are generated and sign (a message; a P2TR spend),
/// each signature checked by an independent verifier.
#[test]
fn dev_node_serves_the_frost_keyring_of_alice_bob_and_charlie() {
	let _serial = ONE_NODE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	let node = Node::start(&["--dev"]);
	node.wait_until("keyring 1's parties registered and pooled commitments", TIMEOUT, |node| {
		threshold::parties_ready(node, FROST_KEYRING, &FROST_PARTIES)
	});
	let ready_at = node.best_number();
	assert_eq!(
		node.log_count(
			"party keys of threshold keyring 1 (threshold 2): it could sign alone; acting anyway"
		),
		3,
		"one warning per party that the dev node serves the keyring alone"
	);

	// Ed25519: the key, then a message signed by two of the three parties.
	let ed25519 = requests::request_key(&node, Alice, WORKSPACE, FROST_KEYRING, KeyType::Ed25519);
	let message = b"signed by two of Alice, Bob and Charlie".to_vec();
	let signed = requests::request_signatures(&node, Alice, ed25519.key, vec![message.clone()]);
	threshold::verify_ed25519_strict(&ed25519.public_key, &message, &signed.signatures[0]);

	// Taproot: the key, then a key-path spend of two of its outputs.
	let taproot =
		requests::request_key(&node, Alice, WORKSPACE, FROST_KEYRING, KeyType::BitcoinTaproot);
	let output_key = threshold::output_key(&taproot.public_key);
	let spend = threshold::taproot_spend_request(&output_key);
	let spent = requests::request_transaction_signature(
		&node,
		Alice,
		taproot.key,
		Chain::Bitcoin { network: BitcoinNetwork::Regtest },
		&spend,
	);
	let details = threshold::signed_transaction(&node, spent.request);
	let witnessed = threshold::verify_taproot_spend(&spend, &details.raw, &output_key);
	assert_eq!(witnessed, spent.signatures, "the witnesses are the signatures the chain stored");

	println!(
		"dev keyring 1 (FROST 2-of-3): parties ready at block {ready_at}; latency in blocks \
		 (request inclusion -> fulfilment): Ed25519 key {}, signature {}; Taproot key {}, \
		 spend {}",
		ed25519.latency, signed.latency, taproot.latency, spent.latency
	);
	for (what, latency, goal) in [
		("Ed25519 key", ed25519.latency, 3),
		("Ed25519 signature", signed.latency, 2),
		("Taproot key", taproot.latency, 3),
		("Taproot spend", spent.latency, 2),
	] {
		assert!(latency <= goal, "{what} took {latency} blocks; the goal is at most {goal}");
	}
}

/// `--dev`: keyring 2 is a threshold ECDSA keyring of Alice, Bob and Charlie (2 of 3) that the
/// one dev node serves alone. Its setup (auxiliary info, master key) runs by itself from genesis;
/// then a key is derived in its request's block, presignatures are pooled, and an EIP-1559
/// transfer and a two-input P2WPKH spend are signed, each checked by libsecp256k1.
#[test]
fn dev_node_sets_up_and_serves_the_threshold_ecdsa_keyring() {
	let _serial = ONE_NODE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	let node = Node::start(&["--dev"]);
	node.wait_until(
		"keyring 2's setup (auxiliary info and master key)",
		ECDSA_SETUP_TIMEOUT,
		|node| ecdsa::keyring_ready(node, ECDSA_KEYRING),
	);
	let ready_at = node.best_number();
	node.wait_until("keyring 1's parties registered and pooled commitments", TIMEOUT, |node| {
		threshold::parties_ready(node, FROST_KEYRING, &FROST_PARTIES)
	});
	assert_eq!(node.log_count("cannot take part"), 0, "every party has its secrets");

	// EVM: the key is the chain's own BIP-32 derivation, fulfilled in the request's block.
	let evm =
		requests::request_key(&node, Alice, WORKSPACE, ECDSA_KEYRING, KeyType::EcdsaSecp256k1);
	node.wait_until("two presignatures pooled for the EVM key", TIMEOUT, |node| {
		ecdsa::pooled_presignatures(node, evm.key) >= 2
	});
	let unsigned = ecdsa::EIP1559_TRANSFER.to_vec();
	let signed = requests::request_evm_signature(&node, Alice, evm.key, 31337, unsigned.clone());
	let digest = sp_io::hashing::keccak_256(&unsigned);
	assert_eq!(
		ecdsa::recover_evm_signer(&digest, &signed.signatures[0]),
		ecdsa::evm_address(&evm.public_key),
		"the signature recovers to the key's address"
	);

	// Bitcoin: a P2WPKH spend of two outputs (two payloads, two presignatures).
	let bitcoin =
		requests::request_key(&node, Alice, WORKSPACE, ECDSA_KEYRING, KeyType::BitcoinSecp256k1);
	node.wait_until("two presignatures pooled for the Bitcoin key", TIMEOUT, |node| {
		ecdsa::pooled_presignatures(node, bitcoin.key) >= 2
	});
	let spend = ecdsa::p2wpkh_spend_request(&bitcoin.public_key);
	let spent = requests::request_transaction_signature(
		&node,
		Alice,
		bitcoin.key,
		Chain::Bitcoin { network: BitcoinNetwork::Regtest },
		&spend,
	);
	let details = threshold::signed_transaction(&node, spent.request);
	ecdsa::verify_p2wpkh_spend(&spend, &details.raw, &bitcoin.public_key);

	println!(
		"dev keyring 2 (threshold ECDSA 2-of-3): set up at block {ready_at}; latency in blocks \
		 (request inclusion -> fulfilment): EVM key {}, EIP-1559 signature {}; Bitcoin key {}, \
		 P2WPKH spend {}",
		evm.latency, signed.latency, bitcoin.latency, spent.latency
	);
	for (what, latency, goal) in [
		("EVM key", evm.latency, 1),
		("EIP-1559 signature", signed.latency, 2),
		("Bitcoin key", bitcoin.latency, 1),
		("P2WPKH spend", spent.latency, 2),
	] {
		assert!(latency <= goal, "{what} took {latency} blocks; the goal is at most {goal}");
	}
}
