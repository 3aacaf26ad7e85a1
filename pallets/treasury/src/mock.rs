//! Test runtime: System, Balances, a mock policy gate, mock workspaces and keyrings, and the
//! treasury pallet.
//!
//! The mock gate (`zenrock_test_support::gate`) stands in for the policy pallet. In
//! [`GateMode::Immediate`] it dispatches every submitted call at once with an approved origin; in
//! [`GateMode::Pending`] it stores the call as an action that a test dispatches later with
//! [`approve`]. It records every submission with its policy context. Policies are participant lists
//! set with [`set_policy`]. Workspaces ([`set_workspace`]) and keyrings ([`set_keyring`]) are plain
//! thread-local tables standing in for the identity pallet.

use crate as pallet_zenrock_treasury;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
	weights::Weight,
};
use sp_runtime::{traits::IdentityLookup, BuildStorage, DispatchError};
use std::collections::BTreeMap;
use zenrock_primitives::{
	KeyId, KeyType, KeyringBackend, KeyringId, KeyringInspect, KeyringTerms, PolicyId, RequestId,
	ThresholdBackend, WorkspaceId, WorkspaceInspect,
};
use zenrock_test_support::gate::{self, mock_gate, EnsureApproved, TestGate};
pub use zenrock_test_support::gate::{
	approve, approved_origin, pending_actions, set_gate_mode, GateMode,
};

pub type AccountId = u128;
pub type Balance = u64;
type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Gate: mock_gate,
		Treasury: pallet_zenrock_treasury,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

parameter_types! {
	pub const ExistentialDeposit: Balance = 5;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ExistentialDeposit = ExistentialDeposit;
}

impl mock_gate::Config for Test {}

/// A call the mock gate received.
pub type Submission = gate::Submission<AccountId>;

/// A mock workspace.
#[derive(Clone, Debug, Default)]
pub struct MockWorkspace {
	pub owners: Vec<AccountId>,
	pub sign_policy: Option<PolicyId>,
}

/// A mock keyring.
#[derive(Clone, Debug)]
pub struct MockKeyring {
	pub backend: KeyringBackend,
	pub parties: Vec<AccountId>,
	pub party_threshold: u32,
	pub key_request_fee: Balance,
	pub sign_request_fee: Balance,
	pub is_active: bool,
}

thread_local! {
	static WORKSPACES: RefCell<BTreeMap<WorkspaceId, MockWorkspace>> = const { RefCell::new(BTreeMap::new()) };
	static KEYRINGS: RefCell<BTreeMap<KeyringId, MockKeyring>> = const { RefCell::new(BTreeMap::new()) };
}

/// Register (or replace) policy `id` with these participants.
pub fn set_policy(id: PolicyId, participants: Vec<AccountId>) {
	gate::set_policy(id, participants);
}

/// Every call the mock gate received, oldest first.
pub fn submissions() -> Vec<Submission> {
	gate::submissions()
}

/// Create or replace workspace `id`.
pub fn set_workspace(id: WorkspaceId, owners: Vec<AccountId>, sign_policy: Option<PolicyId>) {
	WORKSPACES.with(|w| w.borrow_mut().insert(id, MockWorkspace { owners, sign_policy }));
}

/// Change the sign policy of workspace `id`.
pub fn set_workspace_sign_policy(id: WorkspaceId, sign_policy: Option<PolicyId>) {
	WORKSPACES
		.with(|w| w.borrow_mut().get_mut(&id).expect("workspace exists").sign_policy = sign_policy);
}

/// Create or replace keyring `id` (active).
pub fn set_keyring(
	id: KeyringId,
	parties: Vec<AccountId>,
	party_threshold: u32,
	key_request_fee: Balance,
	sign_request_fee: Balance,
) {
	KEYRINGS.with(|k| {
		k.borrow_mut().insert(
			id,
			MockKeyring {
				backend: KeyringBackend::NodeKeystore,
				parties,
				party_threshold,
				key_request_fee,
				sign_request_fee,
				is_active: true,
			},
		)
	});
}

/// Change keyring `id`.
pub fn update_keyring(id: KeyringId, change: impl FnOnce(&mut MockKeyring)) {
	KEYRINGS.with(|k| change(k.borrow_mut().get_mut(&id).expect("keyring exists")));
}

/// The account of keyring `id`, which receives its fees.
pub fn keyring_account(id: KeyringId) -> AccountId {
	1_000_000 + id as AccountId
}

/// The mock identity pallet: workspaces.
pub struct TestWorkspaces;

impl WorkspaceInspect<AccountId> for TestWorkspaces {
	fn workspace_exists(workspace: WorkspaceId) -> bool {
		WORKSPACES.with(|w| w.borrow().contains_key(&workspace))
	}

	fn is_owner(workspace: WorkspaceId, who: &AccountId) -> bool {
		WORKSPACES.with(|w| w.borrow().get(&workspace).is_some_and(|ws| ws.owners.contains(who)))
	}

	fn owners(workspace: WorkspaceId) -> Vec<AccountId> {
		WORKSPACES
			.with(|w| w.borrow().get(&workspace).map(|ws| ws.owners.clone()).unwrap_or_default())
	}

	fn admin_policy(_workspace: WorkspaceId) -> Option<PolicyId> {
		None
	}

	fn sign_policy(workspace: WorkspaceId) -> Option<PolicyId> {
		WORKSPACES.with(|w| w.borrow().get(&workspace).and_then(|ws| ws.sign_policy))
	}
}

/// The mock identity pallet: keyrings.
pub struct TestKeyrings;

impl KeyringInspect<AccountId, Balance> for TestKeyrings {
	fn keyring_terms(keyring: KeyringId) -> Option<KeyringTerms<AccountId, Balance>> {
		KEYRINGS.with(|k| {
			k.borrow().get(&keyring).map(|kr| KeyringTerms {
				backend: kr.backend,
				account: keyring_account(keyring),
				party_threshold: kr.party_threshold,
				party_count: kr.parties.len() as u32,
				key_request_fee: kr.key_request_fee,
				sign_request_fee: kr.sign_request_fee,
				is_active: kr.is_active,
			})
		})
	}

	fn is_party(keyring: KeyringId, who: &AccountId) -> bool {
		KEYRINGS.with(|k| k.borrow().get(&keyring).is_some_and(|kr| kr.parties.contains(who)))
	}

	fn parties(keyring: KeyringId) -> Vec<AccountId> {
		KEYRINGS.with(|k| k.borrow().get(&keyring).map(|kr| kr.parties.clone()).unwrap_or_default())
	}
}

/// What the mock threshold backend was asked to do, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ceremony {
	KeyGeneration { request: RequestId, keyring: KeyringId, key_type: KeyType },
	Signing { request: RequestId, keyring: KeyringId, key: KeyId, payloads: Vec<Vec<u8>> },
}

thread_local! {
	static CEREMONIES: RefCell<Vec<Ceremony>> = const { RefCell::new(Vec::new()) };
	static THRESHOLD_NOT_READY: RefCell<bool> = const { RefCell::new(false) };
}

/// The ceremonies the mock threshold backend started.
pub fn ceremonies() -> Vec<Ceremony> {
	CEREMONIES.with(|c| c.borrow().clone())
}

/// Make the mock threshold backend refuse to serve (e.g. parties without encryption keys).
pub fn set_threshold_not_ready() {
	THRESHOLD_NOT_READY.with(|r| *r.borrow_mut() = true);
}

/// Make keyring `id` a FROST keyring.
pub fn set_frost_keyring(id: KeyringId, parties: Vec<AccountId>, party_threshold: u32) {
	set_keyring(id, parties, party_threshold, 10, 4);
	update_keyring(id, |kr| kr.backend = KeyringBackend::Frost);
}

/// The mock MPC pallet: records the ceremonies it is asked to start.
pub struct TestThresholdBackend;

impl ThresholdBackend for TestThresholdBackend {
	fn ensure_ready(_keyring: KeyringId, _parties: u32) -> Result<(), DispatchError> {
		if THRESHOLD_NOT_READY.with(|r| *r.borrow()) {
			return Err(DispatchError::Other("parties without encryption keys"));
		}
		Ok(())
	}

	fn key_requested(
		request: RequestId,
		keyring: KeyringId,
		key_type: KeyType,
	) -> Result<(), DispatchError> {
		CEREMONIES
			.with(|c| c.borrow_mut().push(Ceremony::KeyGeneration { request, keyring, key_type }));
		Ok(())
	}

	fn signature_requested(
		request: RequestId,
		keyring: KeyringId,
		key: KeyId,
		payloads: &[Vec<u8>],
	) -> Result<(), DispatchError> {
		let payloads = payloads.to_vec();
		CEREMONIES
			.with(|c| c.borrow_mut().push(Ceremony::Signing { request, keyring, key, payloads }));
		Ok(())
	}

	fn key_requested_weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}

	fn signature_requested_weight(payloads: u32) -> Weight {
		Weight::from_parts(1_000 * u64::from(payloads), 0)
	}
}

/// Benchmark helper of the test runtime.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, Balance, RuntimeOrigin> for TestBenchmarkHelper {
	fn approved_origin(approval: zenrock_primitives::Approval<AccountId>) -> RuntimeOrigin {
		approved_origin(approval)
	}

	fn policy_with_participants(participants: Vec<AccountId>) -> PolicyId {
		gate::add_policy(participants)
	}

	fn create_workspace(owners: Vec<AccountId>) -> WorkspaceId {
		let id = WORKSPACES.with(|w| w.borrow().keys().last().map_or(0, |last| last + 1));
		set_workspace(id, owners, None);
		id
	}

	fn create_keyring(
		parties: Vec<AccountId>,
		party_threshold: u32,
		key_request_fee: Balance,
		sign_request_fee: Balance,
	) -> KeyringId {
		let id = KEYRINGS.with(|k| k.borrow().keys().last().map_or(0, |last| last + 1));
		set_keyring(id, parties, party_threshold, key_request_fee, sign_request_fee);
		id
	}
}

/// Blocks after which a request expires in the tests.
pub const REQUEST_TIMEOUT: u64 = 10;

parameter_types! {
	pub const MaxPayloadsPerRequest: u32 = 4;
	pub const MaxPayloadLength: u32 = 300;
	pub const MaxUnsignedTransactionLength: u32 = 512;
	pub const MaxParties: u32 = 4;
	pub const MaxRejectionReasonLength: u32 = 32;
	pub const MaxAnswersPerCall: u32 = 8;
	pub const TreasuryPalletId: frame_support::PalletId = frame_support::PalletId(*b"zrn/trsy");
	pub const MaxExpiriesPerBlock: u32 = 3;
	pub const MaxPrunesPerBlock: u32 = 3;
	/// Long by default, so that tests about other things never see a request removed; the
	/// retention tests shorten it.
	pub static RequestRetention: u64 = 1_000;
}

impl pallet_zenrock_treasury::Config for Test {
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type PalletId = TreasuryPalletId;
	type PolicyGate = TestGate<Test>;
	type ApprovedOrigin = EnsureApproved<Test>;
	type Workspaces = TestWorkspaces;
	type Keyrings = TestKeyrings;
	type ThresholdBackend = TestThresholdBackend;
	type RequestTimeout = ConstU64<REQUEST_TIMEOUT>;
	type MaxPayloadsPerRequest = MaxPayloadsPerRequest;
	type MaxPayloadLength = MaxPayloadLength;
	type MaxUnsignedTransactionLength = MaxUnsignedTransactionLength;
	type MaxParties = MaxParties;
	type MaxRejectionReasonLength = MaxRejectionReasonLength;
	type MaxAnswersPerCall = MaxAnswersPerCall;
	type MaxExpiriesPerBlock = MaxExpiriesPerBlock;
	type RequestRetention = RequestRetention;
	type MaxPrunesPerBlock = MaxPrunesPerBlock;
	// 6-second blocks; a day of window; 4 buckets, so that merging is easy to reach.
	type ExpectedBlockTime = ConstU64<6_000>;
	type MaxSpendingWindow = ConstU32<86_400>;
	type MaxSpendingBuckets = ConstU32<4>;
	type MaxMessageLength = ConstU32<4096>;
	type MaxMemoLength = ConstU32<16>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

/// Balance every test account (1..=9) starts with.
pub const INITIAL_BALANCE: Balance = 1_000;

/// Externalities with accounts 1..=9 funded, block 1, an in-memory keystore and fresh mocks.
pub fn new_test_ext() -> sp_io::TestExternalities {
	gate::reset();
	WORKSPACES.with(|w| w.borrow_mut().clear());
	KEYRINGS.with(|k| k.borrow_mut().clear());
	CEREMONIES.with(|c| c.borrow_mut().clear());
	THRESHOLD_NOT_READY.with(|r| *r.borrow_mut() = false);
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: (1..=9).map(|who| (who, INITIAL_BALANCE)).collect(),
			..Default::default()
		},
		treasury: Default::default(),
	}
	.build_storage()
	.expect("valid genesis");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` in fresh externalities, then check the pallet's storage invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Treasury::do_try_state().expect("storage invariants hold");
	});
}
