//! Configuration of governance (OpenGov): preimages, the scheduler, referenda with conviction voting,
//! the governance origins and the parameters governance changes. Tracks and origins are defined in
//! `crate::governance`.

use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration, AsEnsureOriginWithArg, ConstU32, EqualPrivilegeOnly,
		LinearStoragePrice, TotalIssuanceOf,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSigned};
use sp_runtime::Perbill;

use super::RuntimeBlockWeights;
use crate::{
	governance::{self, tracks::ZenrockTracks, ParameterAdmin, RuntimeParameters},
	AccountId, Balance, Balances, BlockNumber, OriginCaller, Preimage, Referenda, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler, System, HOURS,
	MILLI_UNIT, UNIT,
};

parameter_types! {
	/// Held from whoever notes a preimage (a proposal's call), with `PreimageByteDeposit` per byte,
	/// until the preimage is removed.
	pub const PreimageBaseDeposit: Balance = UNIT;
	pub const PreimageByteDeposit: Balance = 10 * MILLI_UNIT;
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

parameter_types! {
	/// Scheduled calls (enacted referenda and referendum alarms) may fill 80% of a block.
	pub MaximumSchedulerWeight: Weight =
		Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	// Referenda schedule through the scheduler's traits; scheduling by extrinsic is Root's only.
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

parameter_types! {
	/// Votes with conviction stay locked this long per conviction level (1x: 1 period, 6x: 32
	/// periods) after the referendum ends; at least the longest enactment period, so that voters
	/// live with what they enacted. An hour matches the minute-scale tracks (see `tracks`).
	pub const VoteLockingPeriod: BlockNumber = HOURS;
}

impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	// Every token may vote.
	type MaxTurnout = TotalIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<512>;
	type VoteLockingPeriod = VoteLockingPeriod;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

parameter_types! {
	/// Held from a referendum's submitter; refundable once the referendum is approved or cancelled
	/// (not if it is rejected or times out, so that spam costs).
	pub const SubmissionDeposit: Balance = 10 * UNIT;
	/// A referendum that is not deciding this long after submission (e.g. nobody placed the
	/// decision deposit) times out.
	pub const UndecidingTimeout: BlockNumber = HOURS;
	/// Referenda are re-examined every block: tracks are minutes long.
	pub const AlarmInterval: BlockNumber = 1;
}

impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	// Any account may submit a referendum on any track; the track's decision deposit and the vote
	// decide.
	type SubmitOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type CancelOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	// The deposits of killed referenda are burnt.
	type Slash = ();
	type Votes = pallet_conviction_voting::VotesOf<Runtime>;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	type UndecidingTimeout = UndecidingTimeout;
	type AlarmInterval = AlarmInterval;
	type Tracks = ZenrockTracks;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

impl governance::origins::Config for Runtime {}

impl pallet_parameters::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeParameters = RuntimeParameters;
	type AdminOrigin = ParameterAdmin;
	// pallet-parameters keeps its `SubstrateWeight` private; `()` is the same measurement priced
	// with RocksDB's storage costs, which are higher than ParityDB's.
	type WeightInfo = ();
}
