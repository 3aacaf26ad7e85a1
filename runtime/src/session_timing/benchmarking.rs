//! Benchmarks of the session rotation and of the staking election.
//!
//! `rotate_session`: the rotations of a whole era (in the development preset, two: one plans the
//! next era, running the election, the other starts it, ending the last era) with the largest
//! validator set, all with keys; any one rotation weighs less.
//!
//! `election_seq_phragmen`: the staking election as this runtime runs it when it plans an era: on-chain
//! sequential Phragmén over `v` voters (validators and nominators, each voting for the most
//! targets a nominator may name, 16) and `t` electable targets, electing the full validator set,
//! then normalising the stakes and bounding the supports (`OnChainExecution::instant_elect`, the
//! same code path as `ElectionProvider::elect`). Reading the voters from staking is weighed by
//! pallet-staking itself.

use super::*;
use crate::{
	configs::staking::OnChainSeqPhragmen, AccountId, Balances, Runtime, RuntimeOrigin, Session,
	SessionKeys, Staking, UNIT,
};
use alloc::vec::Vec;
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_election_provider_support::{
	onchain::OnChainExecution, ElectionDataProvider, InstantElectionProvider,
};
use frame_support::traits::fungible::Mutate;
use frame_support::{traits::Get, BoundedVec};

/// Votes per voter: the nominations quota, the `d` of the election's weight.
type MaxVotesPerVoter = <crate::Staking as ElectionDataProvider>::MaxVotesPerVoter;
/// A voter as staking gives it to the election: account, stake, the targets it votes for.
type Voter = (AccountId, u64, BoundedVec<AccountId, MaxVotesPerVoter>);

/// `v` voters with stakes spread over a range and `t` targets; voter `i` votes for 16 targets
/// spread over the target list from a position that depends on `i`.
fn snapshot(v: u32, t: u32) -> (Vec<Voter>, Vec<AccountId>) {
	let targets: Vec<AccountId> = (0..t).map(|i| account("target", i, 0)).collect();
	let votes_per_voter: u32 = <MaxVotesPerVoter as Get<u32>>::get().min(t);
	let voters = (0..v)
		.map(|i| {
			let mut votes: Vec<AccountId> = (0..votes_per_voter)
				.filter_map(|j| {
					let index = (i.wrapping_mul(7919).wrapping_add(j.wrapping_mul(104_729))) % t;
					targets.get(index as usize).cloned()
				})
				.collect();
			votes.sort();
			votes.dedup();
			let stake = 1_000_000u64 + u64::from(i % 1_000) * 10_000;
			(account("voter", i, 0), stake, BoundedVec::truncate_from(votes))
		})
		.collect();
	(voters, targets)
}

#[benchmarks(where T: Config)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn rotate_session() -> Result<(), BenchmarkError> {
		let most = <Runtime as pallet_staking::Config>::MaxValidatorSet::get();
		let stake = 10_000 * UNIT;
		// The genesis validators and more, bonded, with session keys, validating.
		let present = Session::validators().len() as u32;
		for index in present..most {
			let who: AccountId = account("validator", index, 0);
			Balances::set_balance(&who, 2 * stake);
			let origin = || RuntimeOrigin::signed(who.clone());
			Staking::bond(origin(), stake, pallet_staking::RewardDestination::Staked)?;
			let generated = SessionKeys::generate(&who.encode(), None);
			Session::set_keys(origin(), generated.keys, generated.proof.encode())?;
			Staking::validate(origin(), Default::default())?;
		}
		let sessions_per_era = SessionsPerEraOf::<T>::get();
		// Elected at the next election and active from the era after.
		for _ in 0..(3 * sessions_per_era) {
			Session::rotate_session();
		}
		assert_eq!(Session::validators().len() as u32, most, "all validators are active");

		#[block]
		{
			for _ in 0..sessions_per_era {
				Session::rotate_session();
			}
		}

		assert_eq!(Session::validators().len() as u32, most);
		Ok(())
	}

	#[benchmark]
	fn election_seq_phragmen(v: Linear<100, 10_000>, t: Linear<32, 1_000>) {
		let (voters, targets) = snapshot(v, t);
		let desired = <Runtime as pallet_staking::Config>::MaxValidatorSet::get();
		let result;

		#[block]
		{
			result =
				OnChainExecution::<OnChainSeqPhragmen>::instant_elect(voters, targets, desired);
		}

		let supports = result.expect("the election succeeds");
		assert_eq!(supports.len() as u32, desired.min(t));
	}
}
