//! Four validators, each its own `zenrock-node` process on loopback (`--chain four_validators`,
//! `--alice`, `--bob`, `--charlie`, `--dave`): every validator authors blocks and every node
//! finalizes; each node's keyring controller fulfils the key requests of its own keyring, also one
//! submitted through another node; the chain keeps finalizing with one validator killed, and that
//! validator catches up and authors again after a restart on the same base path.
//!
//! It takes a few minutes, so the default test run skips it; run it with
//! `./scripts/test-multi-node.sh` (= `cargo test --release --locked -p zenrock-node --test
//! multi_node -- --ignored --nocapture`).

mod common;

use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

use common::Node;
use pallet_zenrock_treasury::{Call as TreasuryCall, Event as TreasuryEvent};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave};
use zenrock_chain_formats::KeyType;
use zenrock_runtime::{RuntimeCall, RuntimeEvent};

/// The validators of `four_validators`, in keyring order: validator `i`'s node serves keyring `i`.
const VALIDATORS: [(Sr25519Keyring, &str); 4] =
	[(Alice, "--alice"), (Bob, "--bob"), (Charlie, "--charlie"), (Dave, "--dave")];
/// The genesis workspace, owned by Alice and Bob.
const WORKSPACE: u64 = 0;
const TIMEOUT: Duration = Duration::from_secs(180);

/// A fixed libp2p node key per validator, so that a restarted node keeps its peer id (and because
/// a validator outside `--dev` refuses to start without a stored or given node key).
fn node_key(index: usize) -> String {
	format!("{:064x}", index + 1)
}

fn start_validator(index: usize, bootnode: Option<&str>) -> Node {
	let key = node_key(index);
	let mut args = vec!["--chain", "four_validators", VALIDATORS[index].1, "--node-key", &key];
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

	let alice = start_validator(0, None);
	let bootnode = alice.p2p_address();
	let bob = start_validator(1, Some(&bootnode));
	let charlie = start_validator(2, Some(&bootnode));
	let mut dave = start_validator(3, Some(&bootnode));
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

	// 3. With Dave killed, three of four GRANDPA voters still finalize.
	dave.kill();
	let finalized = alice.finalized_number();
	wait_all(&[&alice, &bob, &charlie], "finality with three of four validators", |node| {
		node.finalized_number() >= finalized + 3
	});
	phase("Dave killed: Alice, Bob and Charlie finalized 3 more blocks");

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
	println!("multi-node test took {:.1?}", started.elapsed());
}
