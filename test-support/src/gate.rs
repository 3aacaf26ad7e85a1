//! A mock policy gate, standing in for the policy pallet in the mock runtimes of the pallets that
//! gate their calls.
//!
//! A runtime adds the [`mock_gate`] pallet (for the origin [`GateOrigin`]) and configures
//! [`TestGate`] as its pallet's `PolicyGate` and [`EnsureApproved`] as its approved origin. In
//! [`GateMode::Immediate`] the gate dispatches every submitted call at once with an approved origin
//! (as the policy pallet does when the requester alone satisfies the rule); in
//! [`GateMode::Pending`] it keeps the call as an action that a test dispatches later with
//! [`approve`]. Policies are plain participant lists ([`set_policy`]); every submission is recorded
//! ([`submissions`]).
//!
//! The state is per thread (each test runs on its own thread) and [`reset`] clears it. Thread-locals
//! cannot be generic over the runtime, so what holds the runtime's account type (participants,
//! submissions) is boxed as [`Any`], and a pending action is kept as the boxed dispatch of its
//! call: the functions that do not see an account ([`set_gate_mode`], [`approve`], ...) stay plain
//! and a mock re-exports them as they are; it wraps [`set_policy`] and [`submissions`] with its
//! account type.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::{any::Any, cell::RefCell, marker::PhantomData};
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
	traits::EnsureOrigin,
	weights::Weight,
};
use scale_info::TypeInfo;
use sp_runtime::{traits::Dispatchable, DispatchError};
use std::collections::BTreeMap;
use zenrock_primitives::{
	ActionId, Approval, GateOutcome, PolicyContext, PolicyGate, PolicyId, WorkspaceId,
};

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

/// A test runtime with the [`mock_gate`] pallet (`construct_runtime!` provides the conversions).
pub trait GateRuntime:
	mock_gate::Config<
	RuntimeOrigin: From<GateOrigin<Self::AccountId>>
	                   + Into<Result<GateOrigin<Self::AccountId>, Self::RuntimeOrigin>>,
	RuntimeCall: Dispatchable<PostInfo = PostDispatchInfo> + 'static,
>
{
}

impl<T> GateRuntime for T where
	T: mock_gate::Config<
		RuntimeOrigin: From<GateOrigin<T::AccountId>>
		                   + Into<Result<GateOrigin<T::AccountId>, T::RuntimeOrigin>>,
		RuntimeCall: Dispatchable<PostInfo = PostDispatchInfo> + 'static,
	>
{
}

/// How the mock gate treats submitted calls.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum GateMode {
	/// Dispatch at once with an approved origin.
	#[default]
	Immediate,
	/// Store as a pending action.
	Pending,
}

/// A call the mock gate received.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Submission<AccountId> {
	pub requester: AccountId,
	pub workspace: WorkspaceId,
	pub policy: Option<PolicyId>,
	pub context: PolicyContext,
}

/// A pending action: its call, dispatched with the approval recorded at submission.
type PendingDispatch = Box<dyn FnOnce() -> DispatchResultWithPostInfo>;

#[derive(Default)]
struct GateState {
	mode: GateMode,
	next_action: ActionId,
	pending: BTreeMap<ActionId, PendingDispatch>,
	/// Participants of each policy: a `Vec` of the runtime's account type.
	policies: BTreeMap<PolicyId, Box<dyn Any>>,
	/// Each a `Submission` of the runtime's account type, oldest first.
	submissions: Vec<Box<dyn Any>>,
}

thread_local! {
	static GATE: RefCell<GateState> = RefCell::new(GateState::default());
}

/// Runs `f` on this thread's gate state. Never dispatch inside `f`: the dispatched call may
/// submit to the gate again.
fn with_gate<R>(f: impl FnOnce(&mut GateState) -> R) -> R {
	GATE.with(|gate| f(&mut gate.borrow_mut()))
}

/// Forget every policy, submission and pending action, and go back to [`GateMode::Immediate`].
pub fn reset() {
	with_gate(|gate| *gate = GateState::default());
}

/// Set how the mock gate treats submitted calls.
pub fn set_gate_mode(mode: GateMode) {
	with_gate(|gate| gate.mode = mode);
}

/// Register (or replace) policy `id` with these participants.
pub fn set_policy<AccountId: 'static>(id: PolicyId, participants: Vec<AccountId>) {
	with_gate(|gate| gate.policies.insert(id, Box::new(participants)));
}

/// Register a policy with these participants under the id after the highest one in use (0 when
/// there is none), and return that id.
pub fn add_policy<AccountId: 'static>(participants: Vec<AccountId>) -> PolicyId {
	let id = with_gate(|gate| gate.policies.keys().last().map_or(0, |last| last + 1));
	set_policy(id, participants);
	id
}

/// Forget policy `id`.
pub fn remove_policy(id: PolicyId) {
	with_gate(|gate| gate.policies.remove(&id));
}

/// The participants of policy `id`, if it is registered.
pub fn participants<AccountId: Clone + 'static>(id: PolicyId) -> Option<Vec<AccountId>> {
	with_gate(|gate| {
		gate.policies.get(&id).map(|participants| {
			participants
				.downcast_ref::<Vec<AccountId>>()
				.expect("policies are registered with the runtime's account type")
				.clone()
		})
	})
}

/// Every call the mock gate received, oldest first.
pub fn submissions<AccountId: Clone + 'static>() -> Vec<Submission<AccountId>> {
	with_gate(|gate| {
		gate.submissions
			.iter()
			.map(|submission| {
				submission
					.downcast_ref::<Submission<AccountId>>()
					.expect("submissions are recorded with the runtime's account type")
					.clone()
			})
			.collect()
	})
}

/// Ids of the actions waiting for approval.
pub fn pending_actions() -> Vec<ActionId> {
	with_gate(|gate| gate.pending.keys().copied().collect())
}

/// Dispatch pending action `action` with the approval recorded when it was submitted.
pub fn approve(action: ActionId) -> DispatchResultWithPostInfo {
	let dispatch =
		with_gate(|gate| gate.pending.remove(&action)).expect("approve: no such pending action");
	dispatch()
}

/// The origin the mock gate dispatches with. Generic over the origin rather than the runtime so
/// that the caller's types decide it and a mock can re-export it as it is.
pub fn approved_origin<AccountId, Origin: From<GateOrigin<AccountId>>>(
	approval: Approval<AccountId>,
) -> Origin {
	GateOrigin::Approved(approval).into()
}

/// The mock policy gate of runtime `T`.
pub struct TestGate<T>(PhantomData<T>);

impl<T: GateRuntime> PolicyGate<T::AccountId, T::RuntimeCall> for TestGate<T> {
	fn submit(
		requester: &T::AccountId,
		workspace: WorkspaceId,
		policy: Option<PolicyId>,
		call: T::RuntimeCall,
		context: PolicyContext,
	) -> Result<GateOutcome, DispatchError> {
		if let Some(id) = policy {
			Self::participants(id)?;
		}
		let submission = Submission { requester: requester.clone(), workspace, policy, context };
		with_gate(|gate| gate.submissions.push(Box::new(submission)));
		let mut approval =
			Approval { workspace, policy, requester: requester.clone(), action: None };
		match with_gate(|gate| gate.mode) {
			GateMode::Immediate => call
				.dispatch(approved_origin(approval))
				.map(|_| GateOutcome::Executed)
				.map_err(|e| e.error),
			GateMode::Pending => {
				let action = with_gate(|gate| {
					let id = gate.next_action;
					gate.next_action = id + 1;
					id
				});
				approval.action = Some(action);
				let dispatch: PendingDispatch =
					Box::new(move || call.dispatch(approved_origin(approval)));
				with_gate(|gate| gate.pending.insert(action, dispatch));
				Ok(GateOutcome::Pending(action))
			}
		}
	}

	fn submit_weight() -> Weight {
		Weight::from_parts(1_000_000, 1_000)
	}

	fn participants(policy: PolicyId) -> Result<Vec<T::AccountId>, DispatchError> {
		participants(policy).ok_or(DispatchError::Other("UnknownPolicy"))
	}
}

/// Accepts only origins of the mock gate of runtime `T`.
pub struct EnsureApproved<T>(PhantomData<T>);

impl<T: GateRuntime> EnsureOrigin<T::RuntimeOrigin> for EnsureApproved<T> {
	type Success = Approval<T::AccountId>;

	fn try_origin(o: T::RuntimeOrigin) -> Result<Self::Success, T::RuntimeOrigin> {
		let gate_origin: Result<GateOrigin<T::AccountId>, T::RuntimeOrigin> = o.into();
		gate_origin.map(|GateOrigin::Approved(approval)| approval)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		// The all-zero account (account 0 of the mocks), whatever the account type.
		let requester = T::AccountId::decode(&mut sp_runtime::traits::TrailingZeroInput::zeroes())
			.map_err(|_| ())?;
		Ok(approved_origin(Approval { workspace: 0, policy: None, requester, action: None }))
	}
}
