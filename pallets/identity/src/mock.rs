//! Test runtime: System, Balances, a mock policy gate and the identity pallet.
//!
//! The mock gate (`zenrock_test_support::gate`) stands in for the policy pallet. In
//! [`GateMode::Immediate`] it dispatches every submitted call at once with an approved origin (as
//! the policy pallet does when the requester alone satisfies the rule); in [`GateMode::Pending`] it
//! stores the call as an action that a test dispatches later with [`approve`]. Policies are plain
//! participant lists registered with [`set_policy`].

use crate as pallet_zenrock_identity;
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::Contains, PalletId};
use sp_runtime::{traits::IdentityLookup, BuildStorage};
use zenrock_primitives::{KeyringId, PolicyId, ThresholdKeyringState, WorkspaceId};
use zenrock_test_support::gate::{self, mock_gate, EnsureApproved, TestGate};
pub use zenrock_test_support::gate::{
	approve, approved_origin, pending_actions, remove_policy, set_gate_mode, GateMode,
};

pub type AccountId = u128;
pub type Balance = u64;
type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Gate: mock_gate,
		Identity: pallet_zenrock_identity,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl mock_gate::Config for Test {}

/// A call the mock gate received. The identity pallet submits no policy context, so its tests
/// leave it out.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Submission {
	pub requester: AccountId,
	pub workspace: WorkspaceId,
	pub policy: Option<PolicyId>,
}

thread_local! {
	static IN_USE: RefCell<Vec<WorkspaceId>> = const { RefCell::new(Vec::new()) };
}

/// Register (or replace) policy `id` with these participants.
pub fn set_policy(id: PolicyId, participants: Vec<AccountId>) {
	gate::set_policy(id, participants);
}

/// Every call the mock gate received, oldest first.
pub fn submissions() -> Vec<Submission> {
	gate::submissions::<AccountId>()
		.into_iter()
		.map(|s| Submission { requester: s.requester, workspace: s.workspace, policy: s.policy })
		.collect()
}

/// Mark a workspace as used elsewhere (so it cannot be removed).
pub fn set_in_use(workspace: WorkspaceId) {
	IN_USE.with(|u| u.borrow_mut().push(workspace));
}

/// Workspaces marked with [`set_in_use`].
pub struct InUse;

impl Contains<WorkspaceId> for InUse {
	fn contains(workspace: &WorkspaceId) -> bool {
		IN_USE.with(|u| u.borrow().contains(workspace))
	}
}

thread_local! {
	static HOLDING_SHARES: RefCell<Vec<KeyringId>> = const { RefCell::new(Vec::new()) };
}

/// Mark threshold keyring `keyring` as one whose parties hold key shares.
pub fn set_holds_shares(keyring: KeyringId) {
	HOLDING_SHARES.with(|h| h.borrow_mut().push(keyring));
}

/// Keyrings marked with [`set_holds_shares`].
pub struct SharesHeld;

impl ThresholdKeyringState for SharesHeld {
	fn holds_shares(keyring: KeyringId) -> bool {
		HOLDING_SHARES.with(|h| h.borrow().contains(&keyring))
	}
}

/// Benchmark helper of the test runtime.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, RuntimeOrigin> for TestBenchmarkHelper {
	fn approved_origin(approval: zenrock_primitives::Approval<AccountId>) -> RuntimeOrigin {
		approved_origin(approval)
	}

	fn policy_with_participants(participants: Vec<AccountId>) -> PolicyId {
		gate::add_policy(participants)
	}
}

parameter_types! {
	pub const IdentityPalletId: PalletId = PalletId(*b"zrn/idty");
	pub const WorkspaceDeposit: Balance = 10;
	pub const KeyringDeposit: Balance = 100;
	pub const MaxOwners: u32 = 5;
	pub const MaxChildren: u32 = 3;
	pub const MaxWorkspaceDepth: u32 = 3;
	pub const MaxKeyringAdmins: u32 = 3;
	pub const MaxKeyringParties: u32 = 4;
	pub const MaxKeyringDescriptionLength: u32 = 32;
	pub const MaxThresholdParties: u32 = 3;
}

impl pallet_zenrock_identity::Config for Test {
	type RuntimeCall = RuntimeCall;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type PolicyGate = TestGate<Test>;
	type ApprovedOrigin = EnsureApproved<Test>;
	type WorkspaceInUse = InUse;
	type PalletId = IdentityPalletId;
	type WorkspaceDeposit = WorkspaceDeposit;
	type KeyringDeposit = KeyringDeposit;
	type MaxOwners = MaxOwners;
	type MaxChildren = MaxChildren;
	type MaxWorkspaceDepth = MaxWorkspaceDepth;
	type MaxKeyringAdmins = MaxKeyringAdmins;
	type MaxKeyringParties = MaxKeyringParties;
	type MaxKeyringDescriptionLength = MaxKeyringDescriptionLength;
	type MaxThresholdParties = MaxThresholdParties;
	type ThresholdKeyrings = SharesHeld;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

/// Balance every test account (1..=9) starts with.
pub const INITIAL_BALANCE: Balance = 1_000;

/// Externalities with accounts 1..=9 funded, block 1, and a fresh mock gate.
pub fn new_test_ext() -> sp_io::TestExternalities {
	new_test_ext_with(pallet_zenrock_identity::GenesisConfig::default())
}

/// Like [`new_test_ext`], with this pallet's genesis config.
pub fn new_test_ext_with(
	identity: pallet_zenrock_identity::GenesisConfig<Test>,
) -> sp_io::TestExternalities {
	gate::reset();
	IN_USE.with(|u| u.borrow_mut().clear());
	HOLDING_SHARES.with(|h| h.borrow_mut().clear());
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: (1..=9).map(|who| (who, INITIAL_BALANCE)).collect(),
			..Default::default()
		},
		identity,
	}
	.build_storage()
	.expect("valid genesis");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` in fresh externalities, then check the pallet's storage invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Identity::do_try_state().expect("storage invariants hold");
	});
}
