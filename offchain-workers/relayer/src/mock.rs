//! Test runtime: System and the relayer, with a mock treasury behind [`BroadcastSource`]
//! ([`add_signed_transaction`]) and a test node ([`Node`]) whose off-chain worker talks to a
//! scripted HTTP endpoint ([`Node::expect_rpc`], [`Node::expect_failure`]).
//!
//! Transactions are those of `zenrock_test_support::offchain`: `UncheckedExtrinsic<AccountId,
//! RuntimeCall, MultiSignature, Nonce>`, signed over `(call, nonce)` with the relayer key, so tests
//! check who signed and with which nonce.

use crate as pallet_zenrock_relayer;
use crate::{
	json_rpc::request_body, BroadcastSource, Chain, RelayerAuthId, RequestId, RELAYER_KEY_TYPE,
};
use core::{
	cell::RefCell,
	ops::{Deref, DerefMut},
};
use frame_support::{
	derive_impl,
	dispatch::DispatchResultWithPostInfo,
	traits::{ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use sp_core::offchain::{
	testing::{PendingRequest, TestOffchainExt},
	Externalities, HttpError, HttpRequestId, HttpRequestStatus, OpaqueNetworkState, StorageKind,
	Timestamp,
};
use sp_core::OpaquePeerId;
use sp_io::TestExternalities;
use sp_runtime::{traits::IdentityLookup, BuildStorage};
use std::{
	collections::{BTreeMap, BTreeSet, VecDeque},
	sync::{Arc, Mutex},
};
pub use zenrock_test_support::offchain::AccountId;
use zenrock_test_support::offchain::TestNode;

pub type BlockNumber = u64;
type Block = frame_system::mocking::MockBlock<Test>;
/// A submitted transaction, decoded and its signature checked.
pub type Submitted = zenrock_test_support::offchain::Submitted<RuntimeCall>;

pub const MAX_RELAYERS: u32 = 3;
pub const MAX_IN_FLIGHT: u32 = 4;
pub const MAX_REPORT_LENGTH: u32 = 64;
pub const MAX_ATTEMPTS: u32 = 3;
/// Backoff: 2 blocks after the first failure, 4 after the second.
pub const RETRY_BACKOFF_BASE: BlockNumber = 2;
pub const HTTP_TIMEOUT_MILLIS: u64 = 1_000;
pub const RECEIPT_POLL_INTERVAL: BlockNumber = 3;
pub const RESUBMIT_AFTER: BlockNumber = 5;
pub const MAX_REQUESTS_PER_RUN: u32 = 4;

/// The endpoint tests configure.
pub const ENDPOINT: &str = "http://127.0.0.1:8545";
/// The chain of the endpoint tests configure.
pub const ANVIL: Chain = Chain::Evm { chain_id: 31337 };

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Relayer: pallet_zenrock_relayer,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
}

zenrock_test_support::impl_signed_transactions!(Test);

impl pallet_zenrock_relayer::Config for Test {
	type WeightInfo = ();
	type AuthorityId = RelayerAuthId;
	type Broadcasts = MockTreasury;
	type RelayerAdminOrigin = EnsureRoot<AccountId>;
	type MaxRelayers = ConstU32<MAX_RELAYERS>;
	type MaxInFlight = ConstU32<MAX_IN_FLIGHT>;
	type MaxReportLength = ConstU32<MAX_REPORT_LENGTH>;
	type MaxAttempts = ConstU32<MAX_ATTEMPTS>;
	type RetryBackoffBase = ConstU64<RETRY_BACKOFF_BASE>;
	type HttpTimeoutMillis = ConstU64<HTTP_TIMEOUT_MILLIS>;
	type ReceiptPollInterval = ConstU64<RECEIPT_POLL_INTERVAL>;
	type ResubmitAfter = ConstU64<RESUBMIT_AFTER>;
	type MaxRequestsPerRun = ConstU32<MAX_REQUESTS_PER_RUN>;
}

// ------------------------------------------------------------------------------------------
// Mock treasury
// ------------------------------------------------------------------------------------------

/// A signed transaction of the mock treasury.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedTransaction {
	pub chain: Chain,
	pub raw: Vec<u8>,
	pub hash: Vec<u8>,
}

thread_local! {
	/// Fulfilled transaction-signature requests (never change once added).
	static TRANSACTIONS: RefCell<BTreeMap<RequestId, SignedTransaction>> =
		const { RefCell::new(BTreeMap::new()) };
}

/// Key of the mock treasury's awaiting-broadcast index in chain storage (so that a failing call
/// reverts a `take_awaiting_broadcast`, as it does with the real treasury).
const AWAITING_KEY: &[u8] = b"mock-treasury/awaiting-broadcast";

fn awaiting() -> BTreeSet<RequestId> {
	frame_support::storage::unhashed::get(AWAITING_KEY).unwrap_or_default()
}

/// Adds a fulfilled transaction-signature request whose signed transaction is `raw` with hash
/// `hash`; marked for broadcast (`broadcast`) it joins the awaiting-broadcast index, otherwise
/// it is private. Must run in externalities.
pub fn add_signed_transaction(
	request: RequestId,
	chain: Chain,
	raw: Vec<u8>,
	hash: Vec<u8>,
	broadcast: bool,
) {
	TRANSACTIONS.with(|t| t.borrow_mut().insert(request, SignedTransaction { chain, raw, hash }));
	if broadcast {
		let mut set = awaiting();
		set.insert(request);
		frame_support::storage::unhashed::put(AWAITING_KEY, &set);
	}
}

/// A signed transaction of request `request` for anvil, with a raw body and hash derived from
/// the request id, awaiting broadcast. Must run in externalities.
pub fn add_awaiting(request: RequestId) -> SignedTransaction {
	let transaction = sample_transaction(request, ANVIL);
	add_signed_transaction(
		request,
		transaction.chain,
		transaction.raw.clone(),
		transaction.hash.clone(),
		true,
	);
	transaction
}

/// The signed transaction the tests use for `request`.
pub fn sample_transaction(request: RequestId, chain: Chain) -> SignedTransaction {
	let seed = request as u8;
	SignedTransaction {
		chain,
		raw: vec![0x02, 0xf8, seed, 0x01, 0x02, 0x03],
		hash: vec![seed.wrapping_add(0xa0); 32],
	}
}

pub struct MockTreasury;

impl BroadcastSource for MockTreasury {
	fn awaiting_broadcast() -> Vec<RequestId> {
		awaiting().into_iter().collect()
	}

	fn signed_transaction(request: RequestId) -> Option<(Chain, Vec<u8>, Vec<u8>)> {
		TRANSACTIONS
			.with(|t| t.borrow().get(&request).map(|s| (s.chain, s.raw.clone(), s.hash.clone())))
	}

	fn take_awaiting_broadcast(request: RequestId) -> bool {
		let mut set = awaiting();
		let taken = set.remove(&request);
		frame_support::storage::unhashed::put(AWAITING_KEY, &set);
		taken
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_awaiting_broadcast() -> RequestId {
		let request = 1_000;
		add_signed_transaction(request, ANVIL, vec![0x02; 512], vec![0xcd; 32], true);
		request
	}
}

// ------------------------------------------------------------------------------------------
// Externalities
// ------------------------------------------------------------------------------------------

/// Plain chain externalities without relayers (benchmarks and call tests).
pub fn new_test_ext() -> TestExternalities {
	new_test_ext_with_relayers(Vec::new())
}

/// Chain externalities with `relayers` registered at genesis, at block 1.
pub fn new_test_ext_with_relayers(relayers: Vec<AccountId>) -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_zenrock_relayer::GenesisConfig::<Test> { relayers }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext: TestExternalities = storage.into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// A plain account for call tests.
pub fn account(byte: u8) -> AccountId {
	AccountId::new([byte; 32])
}

// ------------------------------------------------------------------------------------------
// Scripted HTTP
// ------------------------------------------------------------------------------------------

/// How a scripted request fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
	/// The connection fails (the node reports an I/O error).
	Unreachable,
	/// No answer before the deadline.
	Timeout,
}

#[derive(Clone, Copy, Debug)]
enum Step {
	/// Answered by the inner [`TestOffchainExt`] from its expected requests, with this status.
	Respond { status: u16 },
	/// Fails without reaching the inner externalities.
	Fail(Fault),
}

/// The script of HTTP exchanges, in order.
#[derive(Default)]
struct HttpScript {
	steps: VecDeque<Step>,
	/// The step of each started request.
	started: BTreeMap<u16, Step>,
	/// Bodies of the requests that failed by script, in order.
	failed_bodies: Vec<Vec<u8>>,
	next_failing_id: u16,
}

/// Off-chain worker externalities that answer HTTP requests from a script: exchanges of the
/// inner [`TestOffchainExt`] (checked request, scripted response, any status) and failures
/// (connection error, deadline) the test externalities cannot produce.
pub struct ScriptedHttp {
	inner: TestOffchainExt,
	script: Arc<Mutex<HttpScript>>,
}

const FAILING_IDS: u16 = 10_000;

fn is_failing(id: HttpRequestId) -> bool {
	id.0 >= FAILING_IDS
}

impl Externalities for ScriptedHttp {
	fn is_validator(&self) -> bool {
		self.inner.is_validator()
	}

	fn network_state(&self) -> Result<OpaqueNetworkState, ()> {
		self.inner.network_state()
	}

	fn timestamp(&mut self) -> Timestamp {
		self.inner.timestamp()
	}

	fn sleep_until(&mut self, deadline: Timestamp) {
		self.inner.sleep_until(deadline)
	}

	fn random_seed(&mut self) -> [u8; 32] {
		self.inner.random_seed()
	}

	fn http_request_start(
		&mut self,
		method: &str,
		uri: &str,
		meta: &[u8],
	) -> Result<HttpRequestId, ()> {
		let mut script = self.script.lock().unwrap();
		let Some(step) = script.steps.pop_front() else {
			panic!("unexpected HTTP request: {method} {uri}");
		};
		let id = match step {
			Step::Respond { .. } => self.inner.http_request_start(method, uri, meta)?,
			Step::Fail(_) => {
				let id = HttpRequestId(FAILING_IDS + script.next_failing_id);
				script.next_failing_id += 1;
				script.failed_bodies.push(Vec::new());
				id
			}
		};
		script.started.insert(id.0, step);
		Ok(id)
	}

	fn http_request_add_header(
		&mut self,
		request_id: HttpRequestId,
		name: &str,
		value: &str,
	) -> Result<(), ()> {
		if is_failing(request_id) {
			return Ok(());
		}
		self.inner.http_request_add_header(request_id, name, value)
	}

	fn http_request_write_body(
		&mut self,
		request_id: HttpRequestId,
		chunk: &[u8],
		deadline: Option<Timestamp>,
	) -> Result<(), HttpError> {
		if is_failing(request_id) {
			let mut script = self.script.lock().unwrap();
			if let Some(body) = script.failed_bodies.last_mut() {
				body.extend_from_slice(chunk);
			}
			return Ok(());
		}
		self.inner.http_request_write_body(request_id, chunk, deadline)
	}

	fn http_response_wait(
		&mut self,
		ids: &[HttpRequestId],
		deadline: Option<Timestamp>,
	) -> Vec<HttpRequestStatus> {
		ids.iter()
			.map(|id| {
				let step = self.script.lock().unwrap().started.get(&id.0).copied();
				match step {
					Some(Step::Fail(Fault::Timeout)) => HttpRequestStatus::DeadlineReached,
					Some(Step::Fail(Fault::Unreachable)) => HttpRequestStatus::IoError,
					Some(Step::Respond { status }) => {
						match self.inner.http_response_wait(&[*id], deadline).pop() {
							Some(HttpRequestStatus::Finished(_)) => {
								HttpRequestStatus::Finished(status)
							}
							other => other.unwrap_or(HttpRequestStatus::Invalid),
						}
					}
					None => HttpRequestStatus::Invalid,
				}
			})
			.collect()
	}

	fn http_response_headers(&mut self, request_id: HttpRequestId) -> Vec<(Vec<u8>, Vec<u8>)> {
		if is_failing(request_id) {
			return Vec::new();
		}
		self.inner.http_response_headers(request_id)
	}

	fn http_response_read_body(
		&mut self,
		request_id: HttpRequestId,
		buffer: &mut [u8],
		deadline: Option<Timestamp>,
	) -> Result<usize, HttpError> {
		if is_failing(request_id) {
			return Err(HttpError::IoError);
		}
		self.inner.http_response_read_body(request_id, buffer, deadline)
	}

	fn set_authorized_nodes(&mut self, nodes: Vec<OpaquePeerId>, authorized_only: bool) {
		self.inner.set_authorized_nodes(nodes, authorized_only)
	}
}

// ------------------------------------------------------------------------------------------
// Test node
// ------------------------------------------------------------------------------------------

/// A test node ([`TestNode`]: chain state, off-chain database, transaction pool and keystore)
/// running the relayer's worker against a scripted HTTP endpoint.
pub struct Node {
	node: TestNode<Test, Relayer>,
	script: Arc<Mutex<HttpScript>>,
}

impl Node {
	/// A node with an empty keystore and no relayer registered.
	pub fn new() -> Self {
		let script = Arc::new(Mutex::new(HttpScript::default()));
		let node = TestNode::with_worker_externalities(new_test_ext(), |offchain| ScriptedHttp {
			inner: offchain,
			script: script.clone(),
		});
		Node { node, script }
	}

	/// A node with the relayer key of `seed` (e.g. `"//Alice"`) in its keystore, that account
	/// registered as a relayer, and an endpoint for anvil. Returns the relayer's account.
	pub fn relayer(seed: &str) -> (Self, AccountId) {
		let mut node = Node::new();
		let relayer = node.add_relayer_key(seed);
		node.execute(|| crate::Pallet::<Test>::insert_relayer(&relayer).unwrap());
		node.set_endpoint(&ANVIL, ENDPOINT);
		(node, relayer)
	}

	/// Inserts a relayer key (`zrly`) from `seed` and returns its account.
	pub fn add_relayer_key(&self, seed: &str) -> AccountId {
		self.add_account_key(RELAYER_KEY_TYPE, seed)
	}

	/// Writes this node's endpoint for `chain`, as the node's CLI flag or the
	/// `offchain_localStorageSet` RPC would (plain UTF-8).
	pub fn set_endpoint(&mut self, chain: &Chain, url: &str) {
		let key = crate::endpoint_storage_key(chain);
		self.execute(|| {
			sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, &key, url.as_bytes())
		});
	}

	/// Expects a JSON-RPC call of `method` with one string parameter `param` at [`ENDPOINT`],
	/// answered with HTTP 200 and `response`.
	pub fn expect_rpc(&self, method: &str, param: &str, response: &str) {
		self.expect_rpc_status(method, param, 200, response);
	}

	/// As [`Self::expect_rpc`], answered with HTTP `status`.
	pub fn expect_rpc_status(&self, method: &str, param: &str, status: u16, response: &str) {
		self.script.lock().unwrap().steps.push_back(Step::Respond { status });
		self.offchain.0.write().expect_request(PendingRequest {
			method: "POST".into(),
			uri: ENDPOINT.into(),
			headers: vec![("Content-Type".into(), "application/json".into())],
			body: request_body(method, &[param.into()]),
			response: Some(response.as_bytes().to_vec()),
			sent: true,
			..Default::default()
		});
	}

	/// Expects an HTTP request that fails with `fault`.
	pub fn expect_failure(&self, fault: Fault) {
		self.script.lock().unwrap().steps.push_back(Step::Fail(fault));
	}

	/// The bodies of the requests that failed by script so far.
	pub fn failed_bodies(&self) -> Vec<Vec<u8>> {
		self.script.lock().unwrap().failed_bodies.clone()
	}

	/// Panics unless every scripted exchange happened.
	pub fn assert_script_done(&self) {
		let script = self.script.lock().unwrap();
		assert!(script.steps.is_empty(), "scripted HTTP exchanges not made: {:?}", script.steps);
	}

	/// Includes `submitted` on chain: bumps the sender's nonce and dispatches the call. Not left to
	/// `Deref`: tests write `node.include(&single(&node))`, which borrows through `deref_mut`
	/// before the argument is read unless the method is the node's own.
	pub fn include(&mut self, submitted: &Submitted) -> DispatchResultWithPostInfo {
		self.node.include(submitted)
	}
}

// The harness's own methods (`run_worker`, `take_submitted`, `execute`, the off-chain state, ...)
// are the node's.
impl Deref for Node {
	type Target = TestNode<Test, Relayer>;

	fn deref(&self) -> &Self::Target {
		&self.node
	}
}

impl DerefMut for Node {
	fn deref_mut(&mut self) -> &mut Self::Target {
		&mut self.node
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		if !std::thread::panicking() {
			self.assert_script_done();
		}
	}
}
