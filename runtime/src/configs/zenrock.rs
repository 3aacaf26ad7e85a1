//! Configuration of the Zenrock pallets: policy, identity (and later treasury).

use frame_support::{
	parameter_types,
	traits::{ConstU32, Nothing},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, Weight},
	PalletId,
};

use crate::{
	Balance, Balances, BlockNumber, Policy, Runtime, RuntimeCall, RuntimeHoldReason, RuntimeOrigin,
	DAYS, MILLI_UNIT, UNIT,
};

parameter_types! {
	/// Held from a policy's creator for as long as the policy exists (policies are permanent).
	pub const PolicyDeposit: Balance = UNIT;
	/// Held from the requester of an action that waits for approvals, returned when it ends.
	pub const ActionDeposit: Balance = UNIT;
	/// Added to the policy and action deposits per byte stored.
	pub const DepositPerByte: Balance = 10 * MILLI_UNIT;
	/// The heaviest call an action may hold: approvals reserve this much weight and refund the rest.
	pub MaxGatedCallWeight: Weight =
		Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND / 10, 256 * 1024);
	/// Actions not approved within a day expire (a policy may set its own expiry).
	pub const DefaultActionExpiry: BlockNumber = DAYS;

	/// Derives the accounts of workspaces and keyrings.
	pub const IdentityPalletId: PalletId = PalletId(*b"zrn/idty");
	/// Held from a workspace's creator while the workspace exists.
	pub const WorkspaceDeposit: Balance = UNIT;
	/// Held from a keyring's registrant, so that keyrings are not free to spam.
	pub const KeyringDeposit: Balance = 100 * UNIT;
}

impl pallet_zenrock_policy::Config for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeCall = RuntimeCall;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type PolicyDeposit = PolicyDeposit;
	type ActionDeposit = ActionDeposit;
	type DepositPerByte = DepositPerByte;
	type MaxNameLength = ConstU32<64>;
	// At least identity's `MaxOwners`: a policy may name every owner of a workspace.
	type MaxParticipants = ConstU32<16>;
	type MaxLabelLength = ConstU32<32>;
	type MaxRuleLength = ConstU32<512>;
	type MaxRuleDepth = ConstU32<16>;
	type MaxCallSize = ConstU32<8192>;
	type MaxGatedCallWeight = MaxGatedCallWeight;
	type DefaultActionExpiry = DefaultActionExpiry;
	type MaxExpiriesPerBlock = ConstU32<64>;
	type WeightInfo = pallet_zenrock_policy::weights::SubstrateWeight<Runtime>;
}

impl pallet_zenrock_identity::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type PolicyGate = Policy;
	type ApprovedOrigin = pallet_zenrock_policy::EnsureApproved<Runtime>;
	type WorkspaceInUse = Nothing;
	type PalletId = IdentityPalletId;
	type WorkspaceDeposit = WorkspaceDeposit;
	type KeyringDeposit = KeyringDeposit;
	type MaxOwners = ConstU32<16>;
	type MaxChildren = ConstU32<32>;
	type MaxWorkspaceDepth = ConstU32<8>;
	type MaxKeyringAdmins = ConstU32<16>;
	type MaxKeyringParties = ConstU32<32>;
	type MaxKeyringDescriptionLength = ConstU32<256>;
	type WeightInfo = pallet_zenrock_identity::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benchmark_helpers::IdentityBenchmarkHelper;
}

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_helpers {
	use crate::{AccountId, Balances, Policy, Runtime, RuntimeOrigin, UNIT};
	use alloc::{format, vec::Vec};
	use frame_support::traits::fungible::Mutate;
	use zenrock_primitives::{Approval, PolicyId};

	/// Builds what the identity benchmarks need from the real policy pallet.
	pub struct IdentityBenchmarkHelper;

	impl pallet_zenrock_identity::BenchmarkHelper<AccountId, RuntimeOrigin>
		for IdentityBenchmarkHelper
	{
		fn approved_origin(approval: Approval<AccountId>) -> RuntimeOrigin {
			pallet_zenrock_policy::ApprovalOrigin::Approved(approval).into()
		}

		fn policy_with_participants(participants: Vec<AccountId>) -> PolicyId {
			let creator: AccountId = frame_benchmarking::account("policy-creator", 0, 0);
			// A benchmark setup failing is a bug of the benchmark itself: report it loudly.
			Balances::set_balance(&creator, 1_000_000 * UNIT);
			let id = pallet_zenrock_policy::NextPolicyId::<Runtime>::get();
			let labelled = participants
				.into_iter()
				.enumerate()
				.map(|(index, account)| (format!("p{index}").into_bytes(), account))
				.collect();
			Policy::create_policy(
				RuntimeOrigin::signed(creator),
				b"benchmark".to_vec(),
				labelled,
				b"p0".to_vec(),
				None,
				None,
			)
			.expect("a valid policy is created");
			id
		}
	}
}
