//! Validators by stake: session, staking with an on-chain election, authorship (reward points for
//! block authors), offences and the historical session data that GRANDPA equivocation reports prove
//! key ownership against. Aura and GRANDPA take their authorities from the session pallet.

use frame_election_provider_support::{
	bounds::{ElectionBounds, ElectionBoundsBuilder},
	onchain, SequentialPhragmen,
};
use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU64, Nothing},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::{curve::PiecewiseLinear, Perbill};
use sp_staking::EraIndex;

use crate::{
	session_timing::{self, WeightInfo as _},
	AccountId, Aura, Balance, Balances, Historical, Offences, Runtime, RuntimeEvent,
	RuntimeHoldReason, Session, SessionKeys, Staking, Timestamp, HOURS,
};

impl session_timing::Config for Runtime {
	/// An hour, as on Kusama; the development preset sets a minute.
	type DefaultSessionLength = ConstU32<{ HOURS }>;
	/// Six-hour eras.
	type DefaultSessionsPerEra = ConstU32<6>;
	type SessionRotation = PeriodicRotation;
	type WeightInfo = session_timing::weights::SubstrateWeight<Runtime>;
}

/// Ends sessions on the periodic schedule with pallet-session's rotation, for `session_timing`'s
/// hook (which charges the measured weight; pallet-session's own hook would charge a whole block).
pub struct PeriodicRotation;
impl session_timing::SessionRotation<crate::BlockNumber> for PeriodicRotation {
	fn should_end_session(now: crate::BlockNumber) -> bool {
		<Sessions as pallet_session::ShouldEndSession<crate::BlockNumber>>::should_end_session(now)
	}

	fn rotate_session() {
		Session::rotate_session();
	}
}

/// pallet-session never ends a session itself: `session_timing` rotates sessions.
pub struct RotatedBySessionTiming;
impl pallet_session::ShouldEndSession<crate::BlockNumber> for RotatedBySessionTiming {
	fn should_end_session(_now: crate::BlockNumber) -> bool {
		false
	}
}

/// Sessions start at block 0 and last `session_timing::SessionLengthOf` blocks.
type Sessions =
	pallet_session::PeriodicSessions<session_timing::SessionLengthOf<Runtime>, ConstU32<0>>;

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// A validator is identified by its stash account.
	type ValidatorId = AccountId;
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;
	type ShouldEndSession = RotatedBySessionTiming;
	type NextSessionRotation = Sessions;
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<Runtime, Staking>;
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	// At most a third of the validators are disabled for offences at a time; a validator disabled
	// for a lesser offence is re-enabled when a worse offender needs the slot.
	type DisablingStrategy = pallet_session::disabling::UpToLimitWithReEnablingDisablingStrategy;
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	// Setting keys is not free (transaction fee) but holds nothing.
	type KeyDeposit = ();
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// Exposures are paged in staking; offences only need to know the validator was active.
	type FullIdentification = ();
	type FullIdentificationOf = pallet_staking::UnitIdentificationOf<Runtime>;
}

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Runtime, Aura>;
	// Staking gives era reward points to the author of every block.
	type EventHandler = Staking;
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Runtime>;
	type OnOffenceHandler = Staking;
}

pallet_staking_reward_curve::build! {
	// Yearly inflation between 2.5 % and 10 %, highest when half of the issuance is staked.
	const REWARD_CURVE: PiecewiseLinear<'static> = curve!(
		min_inflation: 0_025_000,
		max_inflation: 0_100_000,
		ideal_stake: 0_500_000,
		falloff: 0_050_000,
		max_piece_count: 40,
		test_precision: 0_005_000,
	);
}

/// The most validators the chain runs with: Aura's and GRANDPA's `MaxAuthorities`.
pub const MAX_VALIDATORS: u32 = 32;

parameter_types! {
	pub const RewardCurve: &'static PiecewiseLinear<'static> = &REWARD_CURVE;
	/// Unbonded funds stay held for 28 eras (a week with six-hour eras).
	pub const BondingDuration: EraIndex = 28;
	/// Slashes wait one era less than the bonding duration, so that governance can cancel them
	/// while the slashed funds are still bonded.
	pub const SlashDeferDuration: EraIndex = 27;
	/// Reward and exposure history kept, in eras; rewards older than this can no longer be claimed.
	pub const HistoryDepth: u32 = 84;
	/// The election reads at most this many voters and targets, which bounds its weight.
	pub ElectionsBounds: ElectionBounds = ElectionBoundsBuilder::default()
		.voters_count(10_000.into())
		.targets_count(1_000.into())
		.build();
	pub const MaxValidatorSet: u32 = MAX_VALIDATORS;
	pub const MaxBackersPerWinner: u32 = 512;
}

/// The election staking runs at the start of every era: sequential Phragmén, computed on chain.
pub struct OnChainSeqPhragmen;
impl onchain::Config for OnChainSeqPhragmen {
	type System = Runtime;
	type Solver = SequentialPhragmen<AccountId, Perbill>;
	type DataProvider = Staking;
	type WeightInfo = ElectionWeight;
	type MaxWinnersPerPage = MaxValidatorSet;
	type MaxBackersPerWinner = MaxBackersPerWinner;
	type Bounds = ElectionsBounds;
	type Sort = frame_support::traits::ConstBool<true>;
}

/// The weight the on-chain election declares (as mandatory weight of the block that runs it):
/// measured in this runtime by `session_timing`'s benchmark, sequential Phragmén with every voter
/// naming the nominations quota (16) of targets, scaled for fewer votes per voter. The generic
/// weights of frame-election-provider-support charge 2.6 s per vote of degree whatever the
/// number of voters, which filled every era-planning block.
pub struct ElectionWeight;
impl frame_election_provider_support::WeightInfo for ElectionWeight {
	fn phragmen(voters: u32, targets: u32, votes_per_voter: u32) -> Weight {
		let measured =
			<Runtime as session_timing::Config>::WeightInfo::election_seq_phragmen(voters, targets);
		let quota = NOMINATIONS_QUOTA.max(1);
		// Work grows with the number of votes; never below the measured degree's share.
		measured
			.saturating_mul(u64::from(votes_per_voter.clamp(1, quota)))
			.saturating_div(u64::from(quota))
	}

	fn phragmms(voters: u32, targets: u32, votes_per_voter: u32) -> Weight {
		// Not measured here: this runtime's solver is sequential Phragmén. The published weights.
		<frame_election_provider_support::weights::SubstrateWeight<Runtime> as
			frame_election_provider_support::WeightInfo>::phragmms(voters, targets, votes_per_voter)
	}
}

/// The most targets a nominator may name.
pub const NOMINATIONS_QUOTA: u32 = 16;

/// The sizes the staking benchmarks are run with.
pub struct StakingBenchmarkingConfig;
impl pallet_staking::BenchmarkingConfig for StakingBenchmarkingConfig {
	type MaxValidators = ConstU32<{ MAX_VALIDATORS * 2 }>;
	type MaxNominators = ConstU32<1_000>;
}

impl pallet_staking::Config for Runtime {
	type OldCurrency = Balances;
	type Currency = Balances;
	type CurrencyBalance = Balance;
	type RuntimeHoldReason = RuntimeHoldReason;
	type UnixTime = Timestamp;
	type CurrencyToVote = sp_staking::currency_to_vote::U128CurrencyToVote;
	type ElectionProvider = onchain::OnChainExecution<OnChainSeqPhragmen>;
	type GenesisElectionProvider = onchain::OnChainExecution<OnChainSeqPhragmen>;
	type NominationsQuota = pallet_staking::FixedNominationsQuota<NOMINATIONS_QUOTA>;
	type HistoryDepth = HistoryDepth;
	// The inflation the curve does not pay to stakers is not minted.
	type RewardRemainder = ();
	type RuntimeEvent = RuntimeEvent;
	// Slashed funds are burnt.
	type Slash = ();
	type Reward = ();
	type SessionsPerEra = session_timing::SessionsPerEraOf<Runtime>;
	type BondingDuration = BondingDuration;
	type SlashDeferDuration = SlashDeferDuration;
	type AdminOrigin = EnsureRoot<AccountId>;
	type SessionInterface = Runtime;
	type EraPayout = pallet_staking::ConvertCurve<RewardCurve>;
	type NextNewSession = Session;
	type MaxExposurePageSize = ConstU32<64>;
	type MaxValidatorSet = MaxValidatorSet;
	// Fine for the few thousand stakers the election bounds admit; a bags list scales further.
	type VoterList = pallet_staking::UseNominatorsAndValidatorsMap<Runtime>;
	type TargetList = pallet_staking::UseValidatorsMap<Runtime>;
	type MaxUnlockingChunks = ConstU32<32>;
	type MaxControllersInDeprecationBatch = ConstU32<100>;
	type EventListeners = ();
	type Filter = Nothing;
	type BenchmarkingConfig = StakingBenchmarkingConfig;
	type WeightInfo = pallet_staking::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Equivocation reports stay valid for a default-length era.
	pub const ReportLongevity: u64 = 6 * HOURS as u64;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	// pallet-grandpa does not export its weights; its calls are equivocation reports.
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_VALIDATORS>;
	type MaxNominators = ConstU32<16>;
	// One authority set per session, kept for the bonding duration at the default era length.
	type MaxSetIdSessionEntries = ConstU64<{ 28 * 6 }>;
	type KeyOwnerProof = sp_session::MembershipProof;
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}
