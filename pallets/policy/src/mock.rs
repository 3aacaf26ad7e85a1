//! Test runtime: system, balances (deposits), the policy pallet and a small `gated` pallet whose
//! calls accept only the policy pallet's approved origin.

use crate as pallet_zenrock_policy;
use frame_support::{derive_impl, parameter_types, traits::ConstU32, weights::Weight};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

/// Balance and account id types of the test runtime.
pub type AccountId = u64;
pub type Balance = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Policy: pallet_zenrock_policy,
		Gated: pallet_gated,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

/// The deposit constants, in the test runtime's currency.
pub const POLICY_DEPOSIT: Balance = 10;
pub const ACTION_DEPOSIT: Balance = 5;
pub const DEPOSIT_PER_BYTE: Balance = 1;
/// Blocks an action stays open by default.
pub const DEFAULT_EXPIRY: u64 = 100;
/// The most actions expiring in one block.
pub const MAX_EXPIRIES: u32 = 4;
/// The most participants.
pub const MAX_PARTICIPANTS: u32 = 8;
/// The longest rule.
pub const MAX_RULE_LENGTH: u32 = 256;
/// The deepest rule.
pub const MAX_RULE_DEPTH: u32 = 8;
/// The largest stored call.
pub const MAX_CALL_SIZE: u32 = 512;
/// The weight of `gated::record`.
pub const RECORD_WEIGHT: Weight = Weight::from_parts(10_000, 100);
/// The weight `gated::record` reports it actually used.
pub const RECORD_ACTUAL_WEIGHT: Weight = Weight::from_parts(4_000, 40);

parameter_types! {
	pub const PolicyDeposit: Balance = POLICY_DEPOSIT;
	pub const ActionDeposit: Balance = ACTION_DEPOSIT;
	pub const DepositPerByte: Balance = DEPOSIT_PER_BYTE;
	pub const MaxGatedCallWeight: Weight = Weight::from_parts(1_000_000_000_000, 1_000_000);
	pub const DefaultActionExpiry: u64 = DEFAULT_EXPIRY;
}

impl pallet_zenrock_policy::Config for Test {
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeCall = RuntimeCall;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type PolicyDeposit = PolicyDeposit;
	type ActionDeposit = ActionDeposit;
	type DepositPerByte = DepositPerByte;
	type MaxNameLength = ConstU32<32>;
	type MaxParticipants = ConstU32<MAX_PARTICIPANTS>;
	type MaxLabelLength = ConstU32<16>;
	type MaxRuleLength = ConstU32<MAX_RULE_LENGTH>;
	type MaxRuleDepth = ConstU32<MAX_RULE_DEPTH>;
	type MaxCallSize = ConstU32<MAX_CALL_SIZE>;
	type MaxGatedCallWeight = MaxGatedCallWeight;
	type DefaultActionExpiry = DefaultActionExpiry;
	type MaxExpiriesPerBlock = ConstU32<MAX_EXPIRIES>;
	type MaxAddressLists = ConstU32<MAX_ADDRESS_LISTS>;
	type MaxListItems = ConstU32<MAX_LIST_ITEMS>;
	type Spending = MockSpending;
	type WeightInfo = ();
}

/// The most address lists of a policy.
pub const MAX_ADDRESS_LISTS: u32 = 2;
/// The most items of an address list.
pub const MAX_LIST_ITEMS: u32 = 4;
/// The longest window the mock ledger answers for: 30 days.
pub const MAX_WINDOW_SECONDS: u32 = 30 * 86_400;

/// What the mock ledger answers: (key, asset, window in seconds) → amount.
type SpentAnswers = std::collections::BTreeMap<(u64, [u8; 32], u32), u128>;

std::thread_local! {
	static SPENT: core::cell::RefCell<SpentAnswers> = Default::default();
}

/// A ledger whose answers the tests set with [`set_spent`]; unset amounts are 0.
pub struct MockSpending;

impl zenrock_primitives::SpendingLedger for MockSpending {
	fn spent(key: u64, asset: &[u8; 32], window_seconds: u32) -> Option<u128> {
		if window_seconds > MAX_WINDOW_SECONDS {
			return None;
		}
		Some(
			SPENT.with(|spent| {
				spent.borrow().get(&(key, *asset, window_seconds)).copied().unwrap_or(0)
			}),
		)
	}
	fn max_window_seconds() -> u32 {
		MAX_WINDOW_SECONDS
	}
	fn spent_weight() -> Weight {
		Weight::from_parts(1_000, 10)
	}
}

/// Make the mock ledger say `key` spent `amount` of `token` on `chain` over `window_seconds`.
pub fn set_spent(key: u64, chain: &str, token: &str, window_seconds: u32, amount: u128) {
	let asset = zenrock_primitives::spending_asset(chain.as_bytes(), token.as_bytes());
	SPENT.with(|spent| spent.borrow_mut().insert((key, asset, window_seconds), amount));
}

impl pallet_gated::Config for Test {
	type ApprovedOrigin = pallet_zenrock_policy::EnsureApproved<Test>;
	type GatedCall = RuntimeCall;
	type Gate = Policy;
}

/// A stand-in for the identity and treasury pallets: calls that only the policy pallet's approved
/// origin may make, recording the approval they received.
#[frame_support::pallet]
pub mod pallet_gated {
	use super::{RECORD_ACTUAL_WEIGHT, RECORD_WEIGHT};
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use zenrock_primitives::{Approval, PolicyContext, PolicyGate, PolicyId, WorkspaceId};

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The origin of approved gated calls.
		type ApprovedOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Approval<Self::AccountId>>;
		/// The runtime call that gated calls are submitted as.
		type GatedCall: From<Call<Self>>;
		/// The policy gate.
		type Gate: PolicyGate<Self::AccountId, Self::GatedCall>;
	}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Every `record` call that ran: the approval it carried and its value.
	#[pallet::storage]
	pub type Records<T: Config> =
		StorageValue<_, BoundedVec<(Approval<T::AccountId>, u32), ConstU32<100>>, ValueQuery>;

	#[pallet::error]
	pub enum Error<T> {
		/// `fail` always fails.
		Boom,
		/// Too many records.
		Full,
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Record the approval and `value`.
		#[pallet::call_index(0)]
		#[pallet::weight(RECORD_WEIGHT)]
		pub fn record(origin: OriginFor<T>, value: u32) -> DispatchResultWithPostInfo {
			let approval = T::ApprovedOrigin::ensure_origin(origin)?;
			Records::<T>::try_mutate(|records| records.try_push((approval, value)))
				.map_err(|_| Error::<T>::Full)?;
			Ok(Some(RECORD_ACTUAL_WEIGHT).into())
		}

		/// Fail with `Boom` (after checking the origin).
		#[pallet::call_index(1)]
		#[pallet::weight(Weight::from_parts(1_000, 0))]
		pub fn fail(origin: OriginFor<T>) -> DispatchResult {
			T::ApprovedOrigin::ensure_origin(origin)?;
			Err(Error::<T>::Boom.into())
		}

		/// A call heavier than `MaxGatedCallWeight`.
		#[pallet::call_index(2)]
		#[pallet::weight(Weight::from_parts(2_000_000_000_000, 0))]
		pub fn heavy(origin: OriginFor<T>) -> DispatchResult {
			T::ApprovedOrigin::ensure_origin(origin)?;
			Ok(())
		}

		/// A call whose size is set by `data`.
		#[pallet::call_index(3)]
		#[pallet::weight(Weight::from_parts(1_000, 0))]
		pub fn sized(origin: OriginFor<T>, data: Vec<u8>) -> DispatchResult {
			T::ApprovedOrigin::ensure_origin(origin)?;
			let _ = data;
			Ok(())
		}

		/// Submit `record(value)` to the policy gate, as identity and treasury do: a signed
		/// extrinsic whose gated call runs at once or waits in an action.
		#[pallet::call_index(4)]
		#[pallet::weight(Weight::from_parts(1_000, 0))]
		pub fn request(
			origin: OriginFor<T>,
			workspace: WorkspaceId,
			policy: Option<PolicyId>,
			value: u32,
			tx_value: Option<u128>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let call = Call::<T>::record { value }.into();
			let context = PolicyContext { tx_value, ..Default::default() };
			T::Gate::submit(&who, workspace, policy, call, context)?;
			Ok(())
		}

		/// Submit `record(value)` to the policy gate with the facts of `context`.
		#[pallet::call_index(5)]
		#[pallet::weight(Weight::from_parts(1_000, 0))]
		pub fn request_with_context(
			origin: OriginFor<T>,
			workspace: WorkspaceId,
			policy: Option<PolicyId>,
			value: u32,
			context: Box<PolicyContext>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let call = Call::<T>::record { value }.into();
			T::Gate::submit(&who, workspace, policy, call, *context)?;
			Ok(())
		}
	}
}

/// Balance every test account starts with.
pub const INITIAL_BALANCE: Balance = 1_000_000;

/// Accounts 1 to 10 funded, block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=10).map(|who| (who, INITIAL_BALANCE)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
