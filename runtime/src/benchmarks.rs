//! The pallets `zenrock-node benchmark pallet` can benchmark. The FRAME pallets use their own published
//! weights; they are listed so that their weights can be re-measured on this runtime too.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_zenrock_policy, ZenrockPolicy]
	[pallet_zenrock_identity, ZenrockIdentity]
	[pallet_zenrock_treasury, ZenrockTreasury]
	[pallet_zenrock_mpc, ZenrockMpc]
	[pallet_zenrock_relayer, ZenrockRelayer]
	[pallet_preimage, Preimage]
	[pallet_scheduler, Scheduler]
	[pallet_conviction_voting, ConvictionVoting]
	[pallet_referenda, Referenda]
	[pallet_parameters, Parameters]
	[session_timing, SessionTiming]
);
