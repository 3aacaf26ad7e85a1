//! Four validators, each its own `zenrock-node` process on loopback (`--chain four_validators`,
//! `--alice`, `--bob`, `--charlie`, `--dave`): every validator authors blocks and every node
//! finalizes; each node's keyring controller fulfils the key requests of its own keyring, also one
//! submitted through another node; the chain keeps finalizing with one validator killed, and that
//! validator catches up and authors again after a restart on the same base path.
//!
//! Keyring 4 is the FROST keyring of Alice, Bob and Charlie (2 of 3), each party on its own node:
//! it generates an Ed25519 and a Taproot key and signs with both (checked by `ed25519-dalek` and
//! by rust-bitcoin/libsecp256k1 on a P2TR spend); with Dave (no party) down it signs as before;
//! with Charlie killed while chosen to sign, another pair signs; Charlie killed during a key
//! generation fails it, and the request is rejected and refunded.
//!
//! Keyring 5 is the threshold ECDSA keyring of the same parties (2 of 3), each on its own node:
//! its setup runs by itself; an EVM key and a Bitcoin key are derived in their requests' blocks;
//! an EIP-1559 signature recovers to the key's address (libsecp256k1), two transfers signed with
//! broadcast on are sent by Alice's relayer to anvil, which mines them; a two-input P2WPKH spend is
//! verified by rust-bitcoin/libsecp256k1; with Charlie killed, Alice and Bob sign. Latencies are
//! printed.
//!
//! It takes a few minutes, so the default test run skips it; run it with
//! `./scripts/test-multi-node.sh` (= `cargo test --release --locked -p zenrock-node --test
//! multi_node -- --ignored --nocapture`).

mod common;

use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

use common::{
	anvil::Anvil,
	ecdsa, relay,
	requests::{self, REQUEST_TIMEOUT},
	threshold, Node,
};
use pallet_zenrock_mpc::Event as MpcEvent;
use pallet_zenrock_treasury::{Call as TreasuryCall, Event as TreasuryEvent};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave};
use zenrock_chain_formats::{BitcoinNetwork, Chain, KeyType, PublicKey};
use zenrock_runtime::{genesis_config_presets::GENESIS_KEY_REQUEST_FEE, RuntimeCall, RuntimeEvent};

/// The validators of `four_validators`, in keyring order: validator `i`'s node serves keyring `i`.
const VALIDATORS: [(Sr25519Keyring, &str); 4] =
	[(Alice, "--alice"), (Bob, "--bob"), (Charlie, "--charlie"), (Dave, "--dave")];
/// The genesis workspace, owned by Alice and Bob.
const WORKSPACE: u64 = 0;
const TIMEOUT: Duration = Duration::from_secs(180);
/// The FROST keyring of `four_validators`: Alice, Bob and Charlie (participants 1, 2, 3),
/// threshold 2.
const FROST_KEYRING: u64 = 4;
const FROST_PARTIES: [Sr25519Keyring; 3] = [Alice, Bob, Charlie];
/// Charlie's participant index in the FROST keyring.
const CHARLIE: u16 = 3;
/// `four_validators`' threshold ECDSA keyring: Alice, Bob and Charlie, threshold 2.
const ECDSA_KEYRING: u64 = 5;

/// A fixed libp2p node key per validator, so that a restarted node keeps its peer id (and because
/// a validator outside `--dev` refuses to start without a stored or given node key).
fn node_key(index: usize) -> String {
	format!("{:064x}", index + 1)
}

fn start_validator(index: usize, bootnode: Option<&str>, extra: &[&str]) -> Node {
	let key = node_key(index);
	let mut args = vec!["--chain", "four_validators", VALIDATORS[index].1, "--node-key", &key];
	args.extend(extra);
	if let Some(bootnode) = bootnode {
		args.extend(["--bootnodes", bootnode]);
	}
	Node::start(&args)
}

fn validator_name(author: &AuraId) -> &'static str {
	VALIDATORS
		.iter()
		.find(|(keyring, _)| AuraId::from(keyring.public()) == *author)
		.map(|(_, flag)| flag.trim_start_matches("--"))
		.unwrap_or("an unknown authority")
}

/// Waits until `condition` holds on every node in `nodes`.
fn wait_all(nodes: &[&Node], what: &str, condition: impl Fn(&Node) -> bool) {
	for node in nodes {
		node.wait_until(what, TIMEOUT, &condition);
	}
}

/// Walks `node`'s blocks from `from` until `authors` holds every one of `expected`; returns the
/// last block walked.
fn wait_for_authors(
	node: &Node,
	from: u64,
	expected: &[AuraId],
	authors: &mut BTreeMap<&'static str, u64>,
) -> u64 {
	let deadline = Instant::now() + TIMEOUT;
	let mut next = from;
	loop {
		while next <= node.best_number() {
			let author = node.block_author(next);
			*authors.entry(validator_name(&author)).or_default() += 1;
			if expected.iter().all(|validator| authors.contains_key(validator_name(validator))) {
				return next;
			}
			next += 1;
		}
		assert!(
			Instant::now() < deadline,
			"not every validator authored a block by {next} (authors {authors:?}); log:\n{}",
			node.log_tail(40)
		);
		std::thread::sleep(Duration::from_millis(500));
	}
}

#[test]
#[ignore = "slow: four validator processes; run with ./scripts/test-multi-node.sh"]
fn four_validators_author_finalize_serve_their_keyrings_and_survive_a_restart() {
	let started = Instant::now();
	let phase = |name: &str| println!("[{:>6.1?}] {name}", started.elapsed());

	// Alice is the genesis relayer: her node broadcasts to anvil.
	let anvil = Anvil::start(relay::CHAIN_ID);
	let endpoint = format!("eip155:{}={}", relay::CHAIN_ID, anvil.url());
	let alice = start_validator(0, None, &["--relayer-endpoint", &endpoint]);
	let bootnode = alice.p2p_address();
	let bob = start_validator(1, Some(&bootnode), &[]);
	let mut charlie = start_validator(2, Some(&bootnode), &[]);
	let mut dave = start_validator(3, Some(&bootnode), &[]);
	phase("four validators started");

	// 1. Every validator authors blocks, and every node finalizes them.
	let everyone: Vec<AuraId> =
		VALIDATORS.iter().map(|(keyring, _)| AuraId::from(keyring.public())).collect();
	let mut authors = BTreeMap::new();
	let last = wait_for_authors(&alice, 1, &everyone, &mut authors);
	println!("authors of blocks 1..={last}: {authors:?}");
	wait_all(
		&[&alice, &bob, &charlie, &dave],
		"finality of every validator's first block",
		|node| node.finalized_number() >= last,
	);
	phase("all four authored blocks; all four nodes finalized them");
	// The FROST parties register their encryption keys and pool nonce commitments by
	// themselves; until then their workers submit as Alice, Bob and Charlie, whose nonces the
	// requests below set explicitly.
	alice.wait_until("keyring 4's parties ready", TIMEOUT, |node| {
		threshold::parties_ready(node, FROST_KEYRING, &FROST_PARTIES)
	});
	phase("keyring 4's parties registered their encryption keys and pooled commitments");
	// Likewise keyring 5's one-time threshold ECDSA setup, three nodes exchanging its
	// ceremonies' messages through the chain.
	alice.wait_until("keyring 5's threshold ECDSA setup", Duration::from_secs(300), |node| {
		ecdsa::keyring_ready(node, ECDSA_KEYRING)
	});
	phase("keyring 5 (threshold ECDSA) set up: auxiliary info and master key");

	// 2. Each keyring is answered by its own validator's node: requests on keyrings 0, 1 and 3
	// go through that validator's own RPC, the one on keyring 2 (Charlie's) through Alice's.
	// Alice's and Bob's transactions go through different nodes, so their nonces are explicit.
	let from = alice.best_number();
	let (alice_nonce, bob_nonce) = (alice.next_nonce(Alice), alice.next_nonce(Bob));
	let request = |keyring: u64| {
		RuntimeCall::ZenrockTreasury(TreasuryCall::request_key {
			workspace: WORKSPACE,
			keyring,
			key_type: KeyType::EcdsaSecp256k1,
			sign_policy: None,
			max_fee: u128::MAX,
			memo: None,
		})
	};
	alice.submit_with_nonce(request(0), Alice, alice_nonce);
	bob.submit_with_nonce(request(1), Bob, bob_nonce);
	alice.submit_with_nonce(request(2), Alice, alice_nonce + 1);
	dave.submit_with_nonce(request(3), Bob, bob_nonce + 1);

	// keyring -> (request, block requested, answering party, block fulfilled)
	let mut requests: BTreeMap<u64, (u64, u64, Option<sp_runtime::AccountId32>, Option<u64>)> =
		BTreeMap::new();
	let deadline = Instant::now() + TIMEOUT;
	let mut block = from;
	while requests.len() < 4 || requests.values().any(|(.., fulfilled)| fulfilled.is_none()) {
		assert!(
			Instant::now() < deadline,
			"not every keyring fulfilled its request: {requests:?}; Alice's log:\n{}",
			alice.log_tail(60)
		);
		if block > alice.best_number() {
			std::thread::sleep(Duration::from_millis(300));
			continue;
		}
		for event in alice.events_at(block) {
			let RuntimeEvent::ZenrockTreasury(event) = event else { continue };
			match event {
				TreasuryEvent::KeyRequested { request, keyring, .. } => {
					requests.insert(keyring, (request, block, None, None));
				}
				TreasuryEvent::KeyAnswerRecorded { request: answered, party, .. } => {
					if let Some(entry) = requests.values_mut().find(|entry| entry.0 == answered) {
						entry.2 = Some(party);
					}
				}
				TreasuryEvent::KeyRequestFulfilled { request: fulfilled, keyring, .. } => {
					let entry = requests.get_mut(&keyring).expect("a fulfilled request was made");
					assert_eq!(entry.0, fulfilled, "keyring {keyring} fulfilled another request");
					entry.3 = Some(block);
				}
				TreasuryEvent::KeyRequestRejected { request, reason, .. } => {
					panic!("request {request} was rejected: {reason:?}")
				}
				_ => {}
			}
		}
		block += 1;
	}
	for (keyring, (request, requested_at, party, fulfilled_at)) in &requests {
		let (validator, _) = VALIDATORS[*keyring as usize];
		assert_eq!(
			party.as_ref(),
			Some(&validator.to_account_id()),
			"keyring {keyring} must be answered by {validator:?}'s node"
		);
		println!(
			"keyring {keyring}: request {request} fulfilled by {validator:?} in {} block(s)",
			fulfilled_at.expect("fulfilled") - requested_at
		);
	}
	phase("each keyring's request fulfilled by its own validator (keyring 2 via Alice's RPC)");

	// 2b. The FROST keyring, its parties on three nodes: keys and signatures of both suites,
	// checked by independent verifiers.
	let mut latencies = Vec::new();
	let ed25519 = requests::request_key(&alice, Alice, WORKSPACE, FROST_KEYRING, KeyType::Ed25519);
	latencies.push(("Ed25519 key", ed25519.latency, 3));
	let message = b"two of Alice, Bob and Charlie, on three nodes".to_vec();
	let signed = requests::request_signatures(&bob, Bob, ed25519.key, vec![message.clone()]);
	threshold::verify_ed25519_strict(&ed25519.public_key, &message, &signed.signatures[0]);
	latencies.push(("Ed25519 signature", signed.latency, 2));
	let taproot =
		requests::request_key(&charlie, Alice, WORKSPACE, FROST_KEYRING, KeyType::BitcoinTaproot);
	latencies.push(("Taproot key", taproot.latency, 3));
	let output_key = threshold::output_key(&taproot.public_key);
	let spend = threshold::taproot_spend_request(&output_key);
	let spent = requests::request_transaction_signature(
		&alice,
		Alice,
		taproot.key,
		Chain::Bitcoin { network: BitcoinNetwork::Regtest },
		&spend,
	);
	let details = threshold::signed_transaction(&alice, spent.request);
	let witnessed = threshold::verify_taproot_spend(&spend, &details.raw, &output_key);
	assert_eq!(witnessed, spent.signatures, "the witnesses are the signatures the chain stored");
	latencies.push(("Taproot spend (2 inputs)", spent.latency, 2));
	phase("keyring 4: Ed25519 and Taproot keys generated and signing (verified independently)");

	// 2c. The threshold ECDSA keyring, its parties on three nodes: an EVM key (derived by the
	// chain in its request's block), an EIP-1559 transfer and a P2WPKH spend, each checked by
	// libsecp256k1 (and rust-bitcoin's BIP-143 sighashes).
	let evm =
		requests::request_key(&alice, Alice, WORKSPACE, ECDSA_KEYRING, KeyType::EcdsaSecp256k1);
	latencies.push(("ECDSA EVM key", evm.latency, 1));
	alice.wait_until("presignatures pooled for the EVM key", TIMEOUT, |node| {
		ecdsa::pooled_presignatures(node, evm.key) >= 2
	});
	let unsigned = ecdsa::EIP1559_TRANSFER.to_vec();
	let signed = requests::request_evm_signature(&bob, Bob, evm.key, 31337, unsigned.clone());
	assert_eq!(
		ecdsa::recover_evm_signer(&sp_io::hashing::keccak_256(&unsigned), &signed.signatures[0]),
		ecdsa::evm_address(&evm.public_key),
		"the EIP-1559 signature recovers to the key's address"
	);
	latencies.push(("ECDSA EIP-1559 signature", signed.latency, 2));
	// Signed with broadcast on: Alice's relayer sends two transfers to anvil, which mines them
	// (the value arrives; anvil recovers the sender to the key's address).
	let evm_public = PublicKey::parse(KeyType::EcdsaSecp256k1, &evm.public_key).expect("a key");
	relay::transfers_are_mined(&anvil, &alice, evm.key, &evm_public);
	let bitcoin =
		requests::request_key(&alice, Alice, WORKSPACE, ECDSA_KEYRING, KeyType::BitcoinSecp256k1);
	latencies.push(("ECDSA Bitcoin key", bitcoin.latency, 1));
	alice.wait_until("presignatures pooled for the Bitcoin key", TIMEOUT, |node| {
		ecdsa::pooled_presignatures(node, bitcoin.key) >= 2
	});
	let spend = ecdsa::p2wpkh_spend_request(&bitcoin.public_key);
	let spent = requests::request_transaction_signature(
		&alice,
		Alice,
		bitcoin.key,
		Chain::Bitcoin { network: BitcoinNetwork::Regtest },
		&spend,
	);
	ecdsa::verify_p2wpkh_spend(
		&spend,
		&threshold::signed_transaction(&alice, spent.request).raw,
		&bitcoin.public_key,
	);
	latencies.push(("ECDSA P2WPKH spend (2 inputs)", spent.latency, 2));
	for node in [&alice, &bob, &charlie] {
		assert_eq!(node.log_count("cannot sign with presignature"), 0, "no presignature refused");
	}
	phase(
		"keyring 5: EVM and Bitcoin keys, EIP-1559 and P2WPKH signatures (verified independently)",
	);

	// 3. With Dave killed, three of four GRANDPA voters still finalize, and the FROST keyring
	// (Dave is none of its parties) signs as before.
	dave.kill();
	let finalized = alice.finalized_number();
	wait_all(&[&alice, &bob, &charlie], "finality with three of four validators", |node| {
		node.finalized_number() >= finalized + 3
	});
	phase("Dave killed: Alice, Bob and Charlie finalized 3 more blocks");
	let message = b"Dave is down".to_vec();
	let signed = requests::request_signatures(&alice, Alice, ed25519.key, vec![message.clone()]);
	threshold::verify_ed25519_strict(&ed25519.public_key, &message, &signed.signatures[0]);
	latencies.push(("Ed25519 signature, Dave down", signed.latency, 2));
	phase("Dave down: keyring 4 signed as before");

	// 4. Dave restarts on the same base path, catches up with the others and authors again.
	dave.restart();
	let (best, finalized) = (alice.best_number(), alice.finalized_number());
	dave.wait_until("Dave's catching up", TIMEOUT, |dave| {
		dave.best_number() >= best && dave.finalized_number() >= finalized
	});
	phase("Dave restarted and caught up (best and finalized reached the others')");
	let mut authors_after_restart = BTreeMap::new();
	let last = wait_for_authors(
		&alice,
		best + 1,
		&[AuraId::from(Dave.public())],
		&mut authors_after_restart,
	);
	wait_all(&[&alice, &dave], "finality of Dave's new block", |node| {
		node.finalized_number() >= last
	});
	phase("Dave authored again (and it was finalized)");

	// 5. Charlie killed: a signing attempt that chose Charlie times out and another pair signs.
	// The chain rotates its choice by request, so at most a few requests until one picks him.
	charlie.kill();
	let mut charlie_chosen = None;
	for attempt in 0..3 {
		let message = format!("Charlie is down ({attempt})").into_bytes();
		let from = alice.best_number();
		alice.submit(
			RuntimeCall::ZenrockTreasury(TreasuryCall::request_signature {
				key: ed25519.key,
				payloads: vec![message.clone()],
				max_fee: u128::MAX,
				memo: None,
			}),
			Alice,
		);
		let (requested_at, (request, signers)) =
			alice.wait_for_event("a signing attempt", from, TIMEOUT, |event| match event {
				RuntimeEvent::ZenrockMpc(MpcEvent::SigningStarted {
					request,
					key,
					attempt: 0,
					signers,
				}) if *key == ed25519.key => Some((*request, signers.clone())),
				_ => None,
			});
		let signed = requests::wait_for_signatures(&alice, request, requested_at);
		threshold::verify_ed25519_strict(&ed25519.public_key, &message, &signed.signatures[0]);
		if signers.contains(&CHARLIE) {
			charlie_chosen = Some((request, requested_at, signed.latency));
			break;
		}
		latencies.push(("Ed25519 signature, Charlie down, not chosen", signed.latency, 2));
	}
	let (request, requested_at, latency) =
		charlie_chosen.expect("one of three consecutive requests chose Charlie");
	let (_, retry) =
		alice.wait_for_event("the second attempt", requested_at, TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockMpc(MpcEvent::SigningStarted {
				request: r,
				attempt: 1,
				signers,
				..
			}) if *r == request => Some(signers.clone()),
			_ => None,
		});
	assert!(!retry.contains(&CHARLIE), "the second attempt does without Charlie: {retry:?}");
	let (..) = alice.wait_for_event("Charlie's time-out", requested_at, TIMEOUT, |event| {
		matches!(
			event,
			RuntimeEvent::ZenrockMpc(MpcEvent::PartyTimedOut { party, request: r, .. })
				if *r == request && *party == Charlie.to_account_id()
		)
		.then_some(())
	});
	latencies.push(("Ed25519 signature, Charlie down and chosen", latency, 4));
	phase("Charlie killed while chosen to sign: timed out, and Alice and Bob signed");
	// The EVM key's presignatures are Alice's and Bob's (its signer pair): with Charlie down
	// they sign as before.
	alice.wait_until("presignatures pooled again for the EVM key", TIMEOUT, |node| {
		ecdsa::pooled_presignatures(node, evm.key) >= 1
	});
	let signed = requests::request_evm_signature(&alice, Alice, evm.key, 31337, unsigned.clone());
	assert_eq!(
		ecdsa::recover_evm_signer(&sp_io::hashing::keccak_256(&unsigned), &signed.signatures[0]),
		ecdsa::evm_address(&evm.public_key),
	);
	latencies.push(("ECDSA EIP-1559 signature, Charlie down", signed.latency, 2));
	phase("Charlie down: keyring 5 (Alice and Bob) signed an EIP-1559 transfer");

	// 6. Charlie back, then killed during a key generation: the key request is rejected with
	// the reason and its fee refunded.
	charlie.restart();
	let best = alice.best_number();
	charlie.wait_until("Charlie's catching up", TIMEOUT, |charlie| charlie.best_number() >= best);
	let from = alice.best_number();
	alice.submit(
		RuntimeCall::ZenrockTreasury(TreasuryCall::request_key {
			workspace: WORKSPACE,
			keyring: FROST_KEYRING,
			key_type: KeyType::Ed25519,
			sign_policy: None,
			max_fee: u128::MAX,
			memo: None,
		}),
		Alice,
	);
	let (requested_at, request) =
		alice.wait_for_event("the key request", from, TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockMpc(MpcEvent::DkgStarted { request, keyring, .. })
				if *keyring == FROST_KEYRING =>
			{
				Some(*request)
			}
			_ => None,
		});
	charlie.kill();
	let (rejected_at, (reason, refunded)) =
		alice.wait_for_event("the rejection", requested_at, REQUEST_TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::KeyRequestRejected {
				request: r,
				reason,
				refunded,
			}) if *r == request => Some((String::from_utf8_lossy(reason).into_owned(), *refunded)),
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::KeyRequestFulfilled {
				request: r,
				..
			}) if *r == request => panic!("the key generation completed without Charlie"),
			_ => None,
		});
	assert_eq!(refunded, GENESIS_KEY_REQUEST_FEE, "the whole fee is refunded");
	assert_eq!(reason, "dkg: party 3 unresponsive", "the reason names Charlie");
	println!(
		"key request {request}: Charlie killed during its key generation; rejected after {} \
		 blocks ({reason}), {refunded} refunded",
		rejected_at - requested_at
	);
	phase("Charlie killed during a key generation: rejected and refunded");

	for (what, latency, goal) in &latencies {
		println!("latency (request inclusion -> fulfilment): {what}: {latency} block(s)");
		assert!(latency <= goal, "{what} took {latency} blocks; the goal is at most {goal}");
	}
	println!("multi-node test took {:.1?}", started.elapsed());
}
