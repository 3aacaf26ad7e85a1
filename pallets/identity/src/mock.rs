//! Test runtime: System, Balances, a mock policy gate and the identity pallet.
//!
//! The mock gate ([`TestGate`]) stands in for the policy pallet. In [`GateMode::Immediate`] it
//! dispatches every submitted call at once with an approved origin (as the policy pallet does when
//! the requester alone satisfies the rule); in [`GateMode::Pending`] it stores the call as an action
//! that a test dispatches later with [`approve`]. Policies are plain participant lists registered
//! with [`set_policy`].

use crate as pallet_zenrock_identity;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::cell::RefCell;
use frame_support::{
	derive_impl,
	dispatch::DispatchResultWithPostInfo,
	parameter_types,
	traits::{Contains, EnsureOrigin},
	weights::Weight,
	PalletId,
};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Dispatchable, IdentityLookup},
	BuildStorage, DispatchError,
};
use std::collections::BTreeMap;
use zenrock_primitives::{
	ActionId, Approval, GateOutcome, PolicyContext, PolicyGate, PolicyId, WorkspaceId,
};

pub type AccountId = u128;
pub type Balance = u64;
type Block = frame_system::mocking::MockBlock<Test>;

/// A tiny pallet that only defines the origin with which the mock gate dispatches approved calls.
#[frame_support::pallet]
pub mod mock_gate {
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::origin]
	pub type Origin<T> = super::GateOrigin<<T as frame_system::Config>::AccountId>;
}

/// The origin of a call dispatched by the mock gate.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum GateOrigin<AccountId> {
	/// The call was approved.
	Approved(Approval<AccountId>),
}

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

/// How the mock gate treats submitted calls.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GateMode {
	/// Dispatch at once with an approved origin.
	Immediate,
	/// Store as a pending action.
	Pending,
}

/// A call the mock gate received.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Submission {
	pub requester: AccountId,
	pub workspace: WorkspaceId,
	pub policy: Option<PolicyId>,
}

thread_local! {
	static GATE_MODE: RefCell<GateMode> = const { RefCell::new(GateMode::Immediate) };
	static POLICIES: RefCell<BTreeMap<PolicyId, Vec<AccountId>>> = const { RefCell::new(BTreeMap::new()) };
	static PENDING: RefCell<BTreeMap<ActionId, (Approval<AccountId>, RuntimeCall)>> =
		const { RefCell::new(BTreeMap::new()) };
	static NEXT_ACTION: RefCell<ActionId> = const { RefCell::new(0) };
	static SUBMISSIONS: RefCell<Vec<Submission>> = const { RefCell::new(Vec::new()) };
	static IN_USE: RefCell<Vec<WorkspaceId>> = const { RefCell::new(Vec::new()) };
}

/// Set how the mock gate treats submitted calls.
pub fn set_gate_mode(mode: GateMode) {
	GATE_MODE.with(|m| *m.borrow_mut() = mode);
}

/// Register (or replace) policy `id` with these participants.
pub fn set_policy(id: PolicyId, participants: Vec<AccountId>) {
	POLICIES.with(|p| p.borrow_mut().insert(id, participants));
}

/// Forget policy `id`.
pub fn remove_policy(id: PolicyId) {
	POLICIES.with(|p| p.borrow_mut().remove(&id));
}

/// Every call the mock gate received, oldest first.
pub fn submissions() -> Vec<Submission> {
	SUBMISSIONS.with(|s| s.borrow().clone())
}

/// Ids of the actions waiting for approval.
pub fn pending_actions() -> Vec<ActionId> {
	PENDING.with(|p| p.borrow().keys().copied().collect())
}

/// Mark a workspace as used elsewhere (so it cannot be removed).
pub fn set_in_use(workspace: WorkspaceId) {
	IN_USE.with(|u| u.borrow_mut().push(workspace));
}

/// Dispatch pending action `action` with the approval recorded when it was submitted.
pub fn approve(action: ActionId) -> DispatchResultWithPostInfo {
	let (approval, call) =
		PENDING.with(|p| p.borrow_mut().remove(&action)).expect("approve: no such pending action");
	call.dispatch(approved_origin(approval))
}

/// The origin the mock gate dispatches with.
pub fn approved_origin(approval: Approval<AccountId>) -> RuntimeOrigin {
	GateOrigin::Approved(approval).into()
}

/// The mock policy gate.
pub struct TestGate;

impl PolicyGate<AccountId, RuntimeCall> for TestGate {
	fn submit(
		requester: &AccountId,
		workspace: WorkspaceId,
		policy: Option<PolicyId>,
		call: RuntimeCall,
		_context: PolicyContext,
	) -> Result<GateOutcome, DispatchError> {
		if let Some(id) = policy {
			Self::participants(id)?;
		}
		SUBMISSIONS
			.with(|s| s.borrow_mut().push(Submission { requester: *requester, workspace, policy }));
		let mut approval = Approval { workspace, policy, requester: *requester, action: None };
		match GATE_MODE.with(|m| *m.borrow()) {
			GateMode::Immediate => call
				.dispatch(approved_origin(approval))
				.map(|_| GateOutcome::Executed)
				.map_err(|e| e.error),
			GateMode::Pending => {
				let action = NEXT_ACTION.with(|n| {
					let id = *n.borrow();
					*n.borrow_mut() = id + 1;
					id
				});
				approval.action = Some(action);
				PENDING.with(|p| p.borrow_mut().insert(action, (approval, call)));
				Ok(GateOutcome::Pending(action))
			}
		}
	}

	fn submit_weight() -> Weight {
		Weight::from_parts(1_000_000, 1_000)
	}

	fn participants(policy: PolicyId) -> Result<Vec<AccountId>, DispatchError> {
		POLICIES
			.with(|p| p.borrow().get(&policy).cloned())
			.ok_or(DispatchError::Other("UnknownPolicy"))
	}
}

/// Accepts only origins of the mock gate.
pub struct EnsureApproved;

impl EnsureOrigin<RuntimeOrigin> for EnsureApproved {
	type Success = Approval<AccountId>;

	fn try_origin(o: RuntimeOrigin) -> Result<Self::Success, RuntimeOrigin> {
		let gate_origin: Result<GateOrigin<AccountId>, RuntimeOrigin> = o.into();
		gate_origin.map(|GateOrigin::Approved(approval)| approval)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(approved_origin(Approval { workspace: 0, policy: None, requester: 0, action: None }))
	}
}

/// Workspaces marked with [`set_in_use`].
pub struct InUse;

impl Contains<WorkspaceId> for InUse {
	fn contains(workspace: &WorkspaceId) -> bool {
		IN_USE.with(|u| u.borrow().contains(workspace))
	}
}

/// Benchmark helper of the test runtime.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, RuntimeOrigin> for TestBenchmarkHelper {
	fn approved_origin(approval: Approval<AccountId>) -> RuntimeOrigin {
		approved_origin(approval)
	}

	fn policy_with_participants(participants: Vec<AccountId>) -> PolicyId {
		let id = POLICIES.with(|p| p.borrow().keys().last().map_or(0, |last| last + 1));
		set_policy(id, participants);
		id
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
}

impl pallet_zenrock_identity::Config for Test {
	type RuntimeCall = RuntimeCall;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type PolicyGate = TestGate;
	type ApprovedOrigin = EnsureApproved;
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
	GATE_MODE.with(|m| *m.borrow_mut() = GateMode::Immediate);
	POLICIES.with(|p| p.borrow_mut().clear());
	PENDING.with(|p| p.borrow_mut().clear());
	NEXT_ACTION.with(|n| *n.borrow_mut() = 0);
	SUBMISSIONS.with(|s| s.borrow_mut().clear());
	IN_USE.with(|u| u.borrow_mut().clear());
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
