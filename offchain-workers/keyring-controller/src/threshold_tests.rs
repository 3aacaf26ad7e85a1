//! Threshold keyrings end to end: three parties, each on its own node (off-chain database,
//! keystore, transaction pool), run their workers against the real MPC pallet on one shared
//! chain. Per block every node's worker runs with its own extensions, then the transactions they
//! submitted are included in the next block.

use crate::{
	mock::*,
	threshold::{
		derive_root, nonce_key, package_hash, participant_of, root_message, share_key, use_nonce,
		NonceEntry, NonceRefusal,
	},
	KeyringId, RequestId, Suite, ThresholdWork, LOG_TARGET, MPC_ENCRYPTION_KEY_TYPE,
	PARTY_KEY_TYPE,
};
use codec::{Decode, Encode};
use core::cell::RefCell;
use frame_support::{
	dispatch::DispatchResultWithPostInfo,
	traits::{GetCallName, Hooks},
	BoundedVec,
};
use sp_core::offchain::{
	testing::{TestOffchainExt, TestTransactionPoolExt},
	OffchainDbExt, OffchainStorage, OffchainWorkerExt, TransactionPoolExt,
};
use sp_io::TestExternalities;
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::{
	generic::Preamble,
	traits::{Dispatchable, IdentifyAccount, Verify},
	BuildStorage, MultiSigner,
};
use sp_tracing::{
	test_log_capture::{init_log_capture, LogCapture},
	tracing,
};
use std::sync::Arc;
use zenrock_mpc_core::{Error, SigningNonces, Zeroizing};
use zenrock_primitives::{KeyType, DEV_SINGLE_HOLDER_KEY};
use zenrock_test_support::offchain::{signed_payload, Extrinsic};

/// What a party's worker reads of the chain.
type View = pallet_zenrock_mpc::PartyView<Test>;

const KR: KeyringId = 9;
const SEEDS: [&str; 3] = ["//Alice", "//Bob", "//Charlie"];
const POOL: usize = 8;

// ---------------------------------------------------------------------------------------------
// Log capture: what the worker logs in this test's thread.
// ---------------------------------------------------------------------------------------------

thread_local! {
	static CAPTURE: RefCell<Option<(LogCapture, tracing::subscriber::DefaultGuard)>> =
		const { RefCell::new(None) };
}

/// Captures this thread's logs from now on. The global logger forwards `log` records to
/// `tracing` (the runtime's integrity test installs the same); a thread-local subscriber takes
/// this thread's.
fn capture_logs() {
	sp_tracing::try_init_simple();
	log::set_max_level(log::LevelFilter::Debug);
	let (capture, subscriber) = init_log_capture(tracing::Level::DEBUG, false);
	let guard = tracing::subscriber::set_default(subscriber);
	CAPTURE.with(|c| *c.borrow_mut() = Some((capture, guard)));
}

/// The captured lines of the worker at `level` (`"ERROR"`, `"WARN"`, `"INFO"`) that contain
/// `text`.
fn logged(level: &str, text: &str) -> Vec<String> {
	let logs = CAPTURE.with(|c| c.borrow().as_ref().expect("capture_logs first").0.get_logs());
	logs.lines()
		.filter(|line| line.contains(level) && line.contains(LOG_TARGET) && line.contains(text))
		.map(str::to_string)
		.collect()
}

// ---------------------------------------------------------------------------------------------
// The network
// ---------------------------------------------------------------------------------------------

/// A submitted transaction, decoded and its signature checked.
#[derive(Clone, Debug)]
struct Tx {
	from: AccountId,
	nonce: u32,
	call: RuntimeCall,
}

/// One node: its own off-chain database and keystore.
struct PartyNode {
	offchain: TestOffchainExt,
	keystore: Arc<MemoryKeystore>,
}

impl PartyNode {
	/// A node whose keystore holds the party keys (`zprt`) of `seeds` and the `zenc` key of the
	/// first, when `root` is set.
	fn new(seeds: &[&str], root: bool) -> (Self, Vec<AccountId>) {
		let (offchain, _) = TestOffchainExt::new();
		let keystore = Arc::new(MemoryKeystore::new());
		let accounts = seeds
			.iter()
			.map(|seed| {
				let public = keystore.sr25519_generate_new(PARTY_KEY_TYPE, Some(seed)).unwrap();
				MultiSigner::from(public).into_account()
			})
			.collect();
		if root {
			keystore.ed25519_generate_new(MPC_ENCRYPTION_KEY_TYPE, Some(seeds[0])).unwrap();
		}
		(PartyNode { offchain, keystore }, accounts)
	}
}

/// The shared chain and the nodes.
struct Network {
	chain: TestExternalities,
	nodes: Vec<PartyNode>,
	/// The block the next run of the workers sees.
	block: BlockNumber,
	/// Results of the transactions included so far.
	results: Vec<(Tx, DispatchResultWithPostInfo)>,
}

impl Network {
	fn new(nodes: Vec<PartyNode>) -> Self {
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut chain: TestExternalities = storage.into();
		chain.execute_with(|| System::set_block_number(1));
		Network { chain, nodes, block: 1, results: Vec::new() }
	}

	/// Three nodes, one party each (Alice, Bob, Charlie), of FROST keyring `KR` with threshold
	/// 2.
	fn three_parties() -> (Self, Vec<AccountId>) {
		let mut nodes = Vec::new();
		let mut parties = Vec::new();
		for seed in SEEDS {
			let (node, accounts) = PartyNode::new(&[seed], true);
			nodes.push(node);
			parties.extend(accounts);
		}
		set_frost_keyring(KR, parties.clone(), 2);
		(Network::new(nodes), parties)
	}

	fn execute<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.chain.execute_with(f)
	}

	/// Runs node `index`'s worker at block `block` (the chain's state unchanged) and returns
	/// what it submitted.
	fn run_worker_at(&mut self, index: usize, block: BlockNumber) -> Vec<Tx> {
		let node = &self.nodes[index];
		node.offchain.0.write().seed = sp_io::hashing::blake2_256(&(index as u64, block).encode());
		let (pool, pool_state) = TestTransactionPoolExt::new();
		self.chain.register_extension(OffchainWorkerExt::new(node.offchain.clone()));
		self.chain.register_extension(OffchainDbExt::new(node.offchain.clone()));
		self.chain.register_extension(KeystoreExt::from(node.keystore.clone()));
		self.chain.register_extension(TransactionPoolExt::new(pool));
		self.chain.execute_with(|| {
			System::set_block_number(block);
			KeyringController::offchain_worker(block);
		});
		let transactions = std::mem::take(&mut pool_state.write().transactions);
		transactions.into_iter().map(|bytes| decode(&bytes)).collect()
	}

	/// Runs node `index`'s worker at the current block.
	fn run_worker(&mut self, index: usize) -> Vec<Tx> {
		self.run_worker_at(index, self.block)
	}

	/// Starts the next block and includes `transactions` in it, in order; returns how many
	/// failed.
	fn include(&mut self, transactions: Vec<Tx>) -> usize {
		self.block += 1;
		let block = self.block;
		let results = self.chain.execute_with(|| {
			System::set_block_number(block);
			Mpc::on_initialize(block);
			transactions
				.into_iter()
				.map(|tx| {
					assert_eq!(tx.nonce, System::account_nonce(&tx.from), "nonce of {tx:?}");
					System::inc_account_nonce(&tx.from);
					let result = tx.call.clone().dispatch(RuntimeOrigin::signed(tx.from.clone()));
					(tx, result)
				})
				.collect::<Vec<_>>()
		});
		let failed = results.iter().filter(|(_, result)| result.is_err()).count();
		self.results.extend(results);
		failed
	}

	/// One block: every node's worker runs, then everything submitted is included (and must
	/// succeed).
	fn step(&mut self) -> Vec<Tx> {
		let (submitted, failed) = self.step_allowing_failures();
		assert_eq!(
			failed,
			0,
			"failed: {:?}",
			self.results.iter().filter(|r| r.1.is_err()).collect::<Vec<_>>()
		);
		submitted
	}

	/// One block; returns what was submitted and how many of those transactions failed.
	fn step_allowing_failures(&mut self) -> (Vec<Tx>, usize) {
		let mut submitted = Vec::new();
		for index in 0..self.nodes.len() {
			submitted.extend(self.run_worker(index));
		}
		let failed = self.include(submitted.clone());
		(submitted, failed)
	}

	/// Node `index` loses its off-chain database (e.g. `purge-chain`); its keystore stays.
	fn wipe(&mut self, index: usize) {
		self.nodes[index].offchain = TestOffchainExt::new().0;
	}

	/// A value of node `index`'s persistent off-chain storage.
	fn stored(&self, index: usize, key: &[u8]) -> Option<Vec<u8>> {
		self.nodes[index].offchain.0.read().persistent_storage.get(key)
	}
}

fn decode(bytes: &[u8]) -> Tx {
	let xt = Extrinsic::<RuntimeCall>::decode(&mut &bytes[..]).expect("a transaction of ours");
	let Preamble::Signed(from, signature, nonce) = xt.preamble else {
		panic!("not a signed transaction")
	};
	assert!(signature.verify(&signed_payload(&xt.function, nonce)[..], &from));
	Tx { from, nonce, call: xt.function }
}

type MpcCall = pallet_zenrock_mpc::Call<Test>;

fn mpc_call(tx: &Tx) -> &MpcCall {
	match &tx.call {
		RuntimeCall::Mpc(call) => call,
		other => panic!("not an MPC call: {other:?}"),
	}
}

/// The calls submitted, by name.
fn call_names(transactions: &[Tx]) -> Vec<&'static str> {
	transactions.iter().map(|tx| mpc_call(tx).get_call_name()).collect()
}

fn count(transactions: &[Tx], name: &str) -> usize {
	call_names(transactions).into_iter().filter(|n| *n == name).count()
}

fn pool_len(net: &mut Network, party: &AccountId, suite: Suite) -> usize {
	net.execute(|| View::pooled_commitments(KR, suite, party).len())
}

/// Registers everyone's encryption key and fills the pools (block 1), then generates a key of
/// each of `key_types` by the workers alone: request `i + 1` for `key_types[i]`. Returns the
/// keys.
fn generate_keys(net: &mut Network, parties: &[AccountId], key_types: &[KeyType]) -> Vec<Vec<u8>> {
	let first = net.step();
	assert_eq!(count(&first, "register_encryption_key"), 3);
	assert_eq!(count(&first, "publish_commitments"), 6);
	for party in parties {
		assert!(net.execute(|| View::encryption_key(party)).is_some());
		for suite in [Suite::Ed25519, Suite::Secp256k1Taproot] {
			assert_eq!(pool_len(net, party, suite), POOL);
		}
	}
	net.execute(|| {
		for (index, key_type) in key_types.iter().enumerate() {
			open_threshold_request(
				index as RequestId + 1,
				KR,
				ThresholdRequest::Key { key_type: *key_type },
			);
		}
	});
	let rounds = [
		("submit_dkg_round1", 3 * key_types.len()),
		("submit_dkg_round2", 3 * key_types.len()),
		("confirm_dkg", 3 * key_types.len()),
	];
	for (name, expected) in rounds {
		let submitted = net.step();
		assert_eq!(count(&submitted, name), expected, "{name}: {:?}", call_names(&submitted));
	}
	(1..=key_types.len() as RequestId)
		.map(|request| match outcome(request) {
			Some(Outcome::KeyCreated(key)) => key,
			other => panic!("key request {request}: {other:?}"),
		})
		.collect()
}

/// The participants whose shares were submitted for `request`.
fn signers_of(net: &mut Network, request: RequestId) -> Vec<u16> {
	net.execute(|| {
		View::signing_session(request)
			.expect("a signing session")
			.signers
			.iter()
			.map(|signer| signer.participant)
			.collect()
	})
}

// ---------------------------------------------------------------------------------------------
// Keys and signatures made by the workers alone
// ---------------------------------------------------------------------------------------------

#[test]
fn three_workers_make_and_use_an_ed25519_and_a_taproot_key() {
	capture_logs();
	let (mut net, parties) = Network::three_parties();
	// Keys three blocks after the requests: round 1, round 2, confirmation.
	let keys = generate_keys(&mut net, &parties, &[KeyType::Ed25519, KeyType::BitcoinTaproot]);
	assert_eq!(keys.iter().map(Vec::len).collect::<Vec<_>>(), vec![32, 32]);

	// Every party keeps its share sealed: present under its key, not readable as a share.
	for (index, party) in parties.iter().enumerate() {
		for (suite, key) in [(Suite::Ed25519, &keys[0]), (Suite::Secp256k1Taproot, &keys[1])] {
			let sealed = net.stored(index, &share_key(party, suite, key)).expect("a stored share");
			let sealed = Vec::<u8>::decode(&mut &sealed[..]).unwrap();
			assert!(zenrock_mpc_core::KeyShare::from_bytes(&sealed).is_err());
		}
	}

	// Signatures one block after the requests, verified by the (mock) treasury.
	let message = b"a Solana message of some length".to_vec();
	let ed25519_payloads = vec![message.clone(), b"another message".to_vec()];
	let sighash = [0x42; 32].to_vec();
	net.execute(|| {
		open_threshold_request(
			3,
			KR,
			ThresholdRequest::Signature { key: 1, payloads: ed25519_payloads.clone() },
		);
		open_threshold_request(
			4,
			KR,
			ThresholdRequest::Signature { key: 2, payloads: vec![sighash.clone()] },
		);
	});
	let signed = net.step();
	assert_eq!(count(&signed, "submit_signature_shares"), 4, "two signers per request");
	let Some(Outcome::Signed(signatures)) = outcome(3) else { panic!("{:?}", outcome(3)) };
	assert_eq!(signatures.len(), 2);
	for (payload, signature) in ed25519_payloads.iter().zip(&signatures) {
		let public = sp_core::ed25519::Public::from_raw(keys[0].clone().try_into().unwrap());
		let signature =
			sp_core::ed25519::Signature::from_raw(signature.clone().try_into().unwrap());
		assert!(sp_io::crypto::ed25519_verify(&signature, payload, &public));
	}
	assert!(matches!(outcome(4), Some(Outcome::Signed(signatures)) if signatures.len() == 1));
	// Nothing left to do: the next block sends nothing.
	assert!(net.step().is_empty());
	assert!(logged("ERROR", "").is_empty(), "{:?}", logged("ERROR", ""));
}

#[test]
fn messages_are_sent_once_and_again_after_resubmit_after() {
	capture_logs();
	let (mut net, parties) = Network::three_parties();
	let first = net.run_worker(0);
	assert_eq!(
		call_names(&first),
		["register_encryption_key", "publish_commitments", "publish_commitments"]
	);
	assert_eq!(first.iter().map(|tx| tx.nonce).collect::<Vec<_>>(), [0, 1, 2]);
	// Not on chain yet: nothing is sent again in the next blocks...
	for block in 2..1 + RESUBMIT_AFTER {
		assert!(net.run_worker_at(0, block).is_empty());
	}
	// ... until ResubmitAfter blocks have passed (the chain's nonce did not move either).
	let again = net.run_worker_at(0, 1 + RESUBMIT_AFTER);
	assert_eq!(call_names(&again), call_names(&first));
	assert_eq!(again[0].call, first[0].call, "the same encryption key");
	assert_ne!(again[1].call, first[1].call, "fresh nonces");
	assert_eq!(again.iter().map(|tx| tx.nonce).collect::<Vec<_>>(), [0, 1, 2]);
	assert!(pool_len(&mut net, &parties[0], Suite::Ed25519) == 0);
	// The nonces of the lost publications are forgotten; those of the new ones are kept.
	let commitments = |tx: &Tx| match mpc_call(tx) {
		MpcCall::publish_commitments { commitments, .. } => commitments.clone(),
		other => panic!("not a publication: {other:?}"),
	};
	for (lost, new) in first[1..].iter().zip(&again[1..]) {
		for commitment in commitments(lost) {
			assert!(net.stored(0, &nonce_key(&parties[0], &commitment)).is_none());
		}
		for commitment in commitments(new) {
			assert!(net.stored(0, &nonce_key(&parties[0], &commitment)).is_some());
		}
	}
	assert_eq!(logged("INFO", "whose publication did not reach the chain").len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Recovery
// ---------------------------------------------------------------------------------------------

#[test]
fn a_party_that_lost_its_off_chain_storage_recovers_its_share_and_signs() {
	capture_logs();
	let (mut net, parties) = Network::three_parties();
	let keys = generate_keys(&mut net, &parties, &[KeyType::Ed25519]);
	let bob = &parties[1];
	let bobs_share = share_key(bob, Suite::Ed25519, &keys[0]);
	assert!(net.stored(1, &bobs_share).is_some());

	// Bob's node loses its off-chain database: its nonces and its key share are gone.
	net.wipe(1);
	assert!(net.stored(1, &bobs_share).is_none());
	// Its pooled commitments have no nonces any more: it empties its pools and fills them anew.
	let refilled = net.step();
	let bobs: Vec<Tx> = refilled.into_iter().filter(|tx| tx.from == *bob).collect();
	assert_eq!(
		call_names(&bobs),
		["reset_commitments", "publish_commitments", "reset_commitments", "publish_commitments"]
	);
	assert_eq!(logged("WARN", "have no nonces here").len(), 2);
	for suite in [Suite::Ed25519, Suite::Secp256k1Taproot] {
		let pooled = net.execute(|| View::pooled_commitments(KR, suite, bob));
		assert_eq!(pooled.len(), POOL);
		for commitment in pooled {
			assert!(net.stored(1, &nonce_key(bob, &commitment)).is_some());
		}
	}

	// Request 3: the rotation starts at participant (3 + 0) % 3 + 1 = 1, so Alice and Bob sign.
	let payloads = vec![b"after the purge".to_vec()];
	net.execute(|| {
		open_threshold_request(
			3,
			KR,
			ThresholdRequest::Signature { key: 1, payloads: payloads.clone() },
		)
	});
	assert_eq!(signers_of(&mut net, 3), [1, 2]);
	let signed = net.step();
	assert_eq!(count(&signed, "submit_signature_shares"), 2);
	assert!(matches!(outcome(3), Some(Outcome::Signed(_))), "{:?}", outcome(3));
	assert_eq!(logged("INFO", "recovered the share of key 1").len(), 1);
	// The recovered share is stored again.
	assert!(net.stored(1, &bobs_share).is_some());
}

// ---------------------------------------------------------------------------------------------
// The single-use nonce journal
// ---------------------------------------------------------------------------------------------

/// The shares of a signature-share submission.
fn shares_of(tx: &Tx) -> Vec<[u8; 32]> {
	match mpc_call(tx) {
		MpcCall::submit_signature_shares { shares, .. } => shares.clone(),
		other => panic!("not signature shares: {other:?}"),
	}
}

#[test]
fn a_nonce_resends_its_share_for_the_same_package_and_refuses_another() {
	capture_logs();
	let (mut net, parties) = Network::three_parties();
	generate_keys(&mut net, &parties, &[KeyType::Ed25519]);
	net.execute(|| {
		open_threshold_request(
			3,
			KR,
			ThresholdRequest::Signature { key: 1, payloads: vec![b"pay Bob 1 SOL".to_vec()] },
		)
	});
	assert_eq!(signers_of(&mut net, 3), [1, 2]);
	let block = net.block;

	// Alice signs; her transaction is lost (the fork that carried it was dropped).
	let first = net.run_worker(0);
	assert_eq!(call_names(&first), ["submit_signature_shares"]);
	// After ResubmitAfter blocks she sends the very same share again: the journal has it.
	let again = net.run_worker_at(0, block + RESUBMIT_AFTER);
	assert_eq!(call_names(&again), ["submit_signature_shares"]);
	assert_eq!(shares_of(&again[0]), shares_of(&first[0]));

	// On another fork the same attempt, with the same commitment of Alice's, signs another
	// message: her nonce already signed, so she refuses.
	replace_payloads(3, vec![b"pay Mallory 1000 SOL".to_vec()]);
	let refused = net.run_worker_at(0, block + 2 * RESUBMIT_AFTER);
	assert!(refused.is_empty(), "no second share: {refused:?}");
	assert_eq!(logged("ERROR", "nonce reuse refused").len(), 1);

	// Back on the first fork, the stored share is still there to send.
	replace_payloads(3, vec![b"pay Bob 1 SOL".to_vec()]);
	let third = net.run_worker_at(0, block + 3 * RESUBMIT_AFTER);
	assert_eq!(shares_of(&third[0]), shares_of(&first[0]));
}

#[test]
fn a_nonce_journal_entry_allows_one_package() {
	let package = [1; 32];
	let unreachable_open = |_: &[u8]| -> Result<SigningNonces, Error> { panic!("not opened") };
	let unreachable_sign = |_: &SigningNonces| -> Result<[u8; 32], Error> { panic!("not signed") };
	// No entry: nothing to sign with.
	assert_eq!(
		use_nonce(None, package, unreachable_open, unreachable_sign),
		Err(NonceRefusal::Missing)
	);
	// A used entry gives its share for its own package only.
	let used = NonceEntry::Used { package, share: [7; 32] };
	assert_eq!(
		use_nonce(Some(used.clone()), package, unreachable_open, unreachable_sign),
		Ok(used.clone())
	);
	assert_eq!(
		use_nonce(Some(used), [2; 32], unreachable_open, unreachable_sign),
		Err(NonceRefusal::Reused)
	);
	// An unused entry signs once and becomes used; a failure leaves it as it was.
	let mut rng = zenrock_mpc_core::PartySecrets::derive(&[3; 64]).nonce_rng(&[4; 32]).unwrap();
	let (nonces, _) = zenrock_mpc_core::commit(Suite::Ed25519, &mut rng).unwrap();
	let bytes = nonces.to_bytes().to_vec();
	let sealed = NonceEntry::Unused(bytes.clone());
	let open = |sealed: &[u8]| SigningNonces::from_bytes(sealed);
	assert_eq!(
		use_nonce(Some(sealed.clone()), package, open, |_| Ok([9; 32])),
		Ok(NonceEntry::Used { package, share: [9; 32] })
	);
	assert_eq!(
		use_nonce(Some(sealed), package, open, |_| Err(Error::CommitmentMismatch)),
		Err(NonceRefusal::Failed(Error::CommitmentMismatch))
	);
}

#[test]
fn the_signing_package_hash_binds_message_commitments_request_and_attempt() {
	let commitments: Vec<(u16, &[u8])> = vec![(1, &[1; 66]), (2, &[2; 66])];
	let base = package_hash(b"message", &commitments, 3, 0);
	assert_eq!(base, package_hash(b"message", &commitments, 3, 0));
	assert_ne!(base, package_hash(b"massage", &commitments, 3, 0));
	assert_ne!(base, package_hash(b"message", &commitments[..1], 3, 0));
	let other: Vec<(u16, &[u8])> = vec![(1, &[1; 66]), (3, &[2; 66])];
	assert_ne!(base, package_hash(b"message", &other, 3, 0));
	assert_ne!(base, package_hash(b"message", &commitments, 4, 0));
	assert_ne!(base, package_hash(b"message", &commitments, 3, 1));
}

// ---------------------------------------------------------------------------------------------
// Failures, guards and the root key
// ---------------------------------------------------------------------------------------------

#[test]
fn a_share_that_does_not_open_makes_its_recipient_complain() {
	capture_logs();
	let (mut net, _) = Network::three_parties();
	net.step();
	net.execute(|| {
		open_threshold_request(1, KR, ThresholdRequest::Key { key_type: KeyType::Ed25519 })
	});
	net.step(); // round 1
	net.step(); // round 2
			 // The share from participant 1 to participant 2 (the first of 1's list) is damaged.
	net.execute(|| {
		let mut shares = pallet_zenrock_mpc::DkgRound2::<Test>::get(1, 1).unwrap().into_inner();
		shares[0][40] ^= 1;
		pallet_zenrock_mpc::DkgRound2::<Test>::insert(1, 1, BoundedVec::try_from(shares).unwrap());
	});
	// Alice and Charlie confirm, Bob complains, which ends the key generation: Charlie's
	// confirmation, included after the complaint, finds no session.
	let (submitted, failed) = net.step_allowing_failures();
	assert_eq!(failed, 1);
	assert_eq!(count(&submitted, "complain_dkg"), 1);
	assert!(submitted
		.iter()
		.any(|tx| matches!(mpc_call(tx), MpcCall::complain_dkg { request: 1, accused: 1 })));
	assert_eq!(outcome(1), Some(Outcome::Rejected(b"dkg: party 1 accused by 2".to_vec())));
}

#[test]
fn a_node_holding_threshold_party_keys_does_not_act_for_the_keyring() {
	capture_logs();
	// One node holds Alice's and Bob's party keys: two of a 2-of-3 keyring.
	let (node, accounts) = PartyNode::new(&["//Alice", "//Bob"], true);
	let charlie = PartyNode::new(&["//Charlie"], true).1.remove(0);
	set_frost_keyring(KR, vec![accounts[0].clone(), accounts[1].clone(), charlie], 2);
	let mut net = Network::new(vec![node]);
	assert!(net.run_worker(0).is_empty());
	assert_eq!(logged("ERROR", "it could sign alone").len(), 2, "once per party");
	// The verdict is not logged again at every block.
	assert!(net.run_worker(0).is_empty());
	assert_eq!(logged("ERROR", "it could sign alone").len(), 2, "still once per party");
	// Allowed for a single-node demonstration: a warning, and it acts.
	AllowSingleHolder::set(true);
	let submitted = net.run_worker(0);
	assert_eq!(count(&submitted, "register_encryption_key"), 2);
	assert_eq!(logged("WARN", "acting anyway").len(), 2);
}

#[test]
fn a_development_node_serves_a_keyring_it_holds_alone_with_a_warning() {
	capture_logs();
	// `--dev`: one node holds every party key of the keyring and wrote the development flag.
	let (node, accounts) = PartyNode::new(&["//Alice", "//Bob", "//Charlie"], true);
	set_frost_keyring(KR, accounts.clone(), 2);
	let mut net = Network::new(vec![node]);
	let set_flag = |net: &Network, value: Option<&[u8]>| {
		let mut state = net.nodes[0].offchain.0.write();
		match value {
			Some(value) => state.persistent_storage.set(b"", DEV_SINGLE_HOLDER_KEY, value),
			None => state.persistent_storage.remove(b"", DEV_SINGLE_HOLDER_KEY),
		}
	};
	// Any value but the flag itself is no flag.
	set_flag(&net, Some(&[2]));
	assert!(net.run_worker(0).is_empty());
	assert_eq!(logged("ERROR", "it could sign alone").len(), 3);
	set_flag(&net, Some(&[1]));
	let submitted = net.run_worker(0);
	assert_eq!(count(&submitted, "register_encryption_key"), 3, "every party registers");
	assert_eq!(logged("WARN", "acting anyway (development node").len(), 3);
	// Without the flag (the node restarted without `--dev`) it stops acting again.
	set_flag(&net, None);
	assert!(net.run_worker(0).is_empty());
	assert_eq!(logged("ERROR", "it could sign alone").len(), 6);
}

#[test]
fn without_a_root_key_a_party_stays_out_of_threshold_keyrings() {
	capture_logs();
	let (node, accounts) = PartyNode::new(&["//Alice"], false);
	set_frost_keyring(KR, vec![accounts[0].clone(), AccountId::new([1; 32])], 2);
	let mut net = Network::new(vec![node]);
	assert!(net.run_worker(0).is_empty());
	assert_eq!(logged("WARN", "no threshold-keyring root key (zenc").len(), 1);
}

#[test]
fn the_keystore_backend_leaves_threshold_keyrings_alone() {
	capture_logs();
	let (node, accounts) = PartyNode::new(&["//Alice"], false);
	set_frost_keyring(KR, vec![accounts[0].clone(), AccountId::new([1; 32])], 2);
	// Even if a request of the keyring were listed for parties, the keystore backend would not
	// answer (or reject) it.
	add_key_request(1, KR, KeyType::Ed25519);
	let mut net = Network::new(vec![node]);
	assert!(net.run_worker(0).is_empty());
	assert_eq!(pending_reads(), 0);
}

#[test]
fn the_root_key_signs_deterministically_and_roots_the_same_secrets() {
	let (node, accounts) = PartyNode::new(&["//Alice"], true);
	let mut net = Network::new(vec![node]);
	net.run_worker(0);
	let root = net.nodes[0].keystore.ed25519_public_keys(MPC_ENCRYPTION_KEY_TYPE)[0];
	net.execute(|| {
		let genesis = System::block_hash(0);
		let message = root_message(genesis.as_ref(), &accounts[0].encode());
		let sign =
			|| sp_io::crypto::ed25519_sign(MPC_ENCRYPTION_KEY_TYPE, &root, &message).unwrap();
		assert_eq!(sign(), sign(), "the keystore signs Ed25519 deterministically");
		let x25519 = |secrets: zenrock_mpc_core::PartySecrets| -> Zeroizing<[u8; 32]> {
			secrets.x25519_secret().unwrap()
		};
		assert_eq!(
			*x25519(derive_root(&root, &message).unwrap()),
			*x25519(derive_root(&root, &message).unwrap())
		);
		// Another party account (or chain) roots other secrets.
		let other = root_message(genesis.as_ref(), &[0; 32]);
		assert_ne!(
			*x25519(derive_root(&root, &message).unwrap()),
			*x25519(derive_root(&root, &other).unwrap())
		);
	});
}

#[test]
fn participant_indexes_count_from_one() {
	let parties = [5u8, 6, 7];
	assert_eq!(participant_of(&parties, &5), Some(1));
	assert_eq!(participant_of(&parties, &7), Some(3));
	assert_eq!(participant_of(&parties, &8), None);
}

#[test]
fn stored_secrets_are_sealed() {
	capture_logs();
	let (mut net, parties) = Network::three_parties();
	net.step();
	let alice = &parties[0];
	let pooled = net.execute(|| View::pooled_commitments(KR, Suite::Ed25519, alice));
	for commitment in pooled {
		let bytes = net.stored(0, &nonce_key(alice, &commitment)).expect("journalled");
		let NonceEntry::Unused(sealed) = NonceEntry::decode(&mut &bytes[..]).unwrap() else {
			panic!("unused")
		};
		assert!(SigningNonces::from_bytes(&sealed).is_err(), "not the plain nonces");
	}
}

#[test]
fn a_party_that_lost_its_storage_during_a_key_generation_derives_its_messages_again() {
	capture_logs();
	let (mut net, _) = Network::three_parties();
	net.step();
	net.execute(|| {
		open_threshold_request(1, KR, ThresholdRequest::Key { key_type: KeyType::BitcoinTaproot })
	});
	net.step(); // round 1
			 // Bob's node loses its database between the rounds: its round-2 shares and its key share
			 // come from the key generation's seed again, and match its round-1 package on chain.
	net.wipe(1);
	let submitted = net.step();
	assert_eq!(count(&submitted, "submit_dkg_round2"), 3);
	net.wipe(1);
	let submitted = net.step();
	assert_eq!(count(&submitted, "confirm_dkg"), 3);
	assert!(matches!(outcome(1), Some(Outcome::KeyCreated(_))), "{:?}", outcome(1));
}

/// The commitments of a `publish_commitments` call.
fn published(tx: &Tx) -> (Suite, usize) {
	match mpc_call(tx) {
		MpcCall::publish_commitments { suite, commitments, .. } => (*suite, commitments.len()),
		other => panic!("not a publication: {other:?}"),
	}
}

#[test]
fn a_pool_below_half_is_filled_again() {
	capture_logs();
	let (mut net, parties) = Network::three_parties();
	generate_keys(&mut net, &parties, &[KeyType::Ed25519]);
	let bob = &parties[1];
	// Request 3 (Alice and Bob) takes 4 commitments of each: half the pool is left, enough.
	let four = (0..4u8).map(|i| vec![i; 10]).collect::<Vec<_>>();
	net.execute(|| {
		open_threshold_request(3, KR, ThresholdRequest::Signature { key: 1, payloads: four })
	});
	assert_eq!(pool_len(&mut net, bob, Suite::Ed25519), POOL - 4);
	let signed = net.step();
	assert_eq!(call_names(&signed), ["submit_signature_shares", "submit_signature_shares"]);
	// Request 4 (Bob and Charlie) takes one more of Bob's: below half, Bob fills his pool.
	net.execute(|| {
		open_threshold_request(
			4,
			KR,
			ThresholdRequest::Signature { key: 1, payloads: vec![vec![9]] },
		)
	});
	assert_eq!(signers_of(&mut net, 4), [2, 3]);
	let submitted = net.step();
	let bobs: Vec<&Tx> = submitted.iter().filter(|tx| tx.from == *bob).collect();
	assert_eq!(bobs.len(), 2);
	assert_eq!(mpc_call(bobs[0]).get_call_name(), "submit_signature_shares");
	assert_eq!(published(bobs[1]), (Suite::Ed25519, POOL - 3));
	assert_eq!(pool_len(&mut net, bob, Suite::Ed25519), POOL);
	assert!(matches!(outcome(4), Some(Outcome::Signed(_))));
}
