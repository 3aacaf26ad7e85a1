//! Validators by stake, in the real runtime on the development preset (10-block sessions, two
//! sessions per era): a new validator bonds, sets session keys with an ownership proof, is elected
//! at the next era, becomes an Aura and GRANDPA authority and authors blocks; era rewards are paid.

mod common;

use codec::Encode;
use common::{next_block_with, preset_ext, run_to_block, signed_transaction};
use frame_support::{
	assert_noop, assert_ok, dispatch::DispatchClass, traits::fungible::InspectHold, weights::Weight,
};
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use zenrock_runtime::{
	genesis_config_presets::{DEV_SESSIONS_PER_ERA, DEV_SESSION_LENGTH, VALIDATOR_BOND},
	AccountId, Authorship, Balances, Executive, Runtime, RuntimeCall, RuntimeOrigin, Session,
	SessionKeys, Staking, System, UNIT,
};

/// Blocks in one era of the development preset.
const ERA: u32 = DEV_SESSION_LENGTH * DEV_SESSIONS_PER_ERA;

fn active_era() -> u32 {
	pallet_staking::ActiveEra::<Runtime>::get().map(|era| era.index).unwrap_or_default()
}

/// Bonds `stake` from `who`, sets freshly generated session keys and declares the intent to
/// validate, each as a signed call in the current block.
fn become_validator(who: &AccountId, stake: u128) -> SessionKeys {
	let generated = SessionKeys::generate(&who.encode(), None);
	let origin = || RuntimeOrigin::signed(who.clone());
	assert_ok!(Staking::bond(origin(), stake, pallet_staking::RewardDestination::Staked));
	assert_ok!(Session::set_keys(origin(), generated.keys.clone(), generated.proof.encode()));
	assert_ok!(Staking::validate(origin(), Default::default()));
	generated.keys
}

#[test]
fn genesis_validator_is_bonded_and_authors() {
	preset_ext("development").execute_with(|| {
		let alice = Alice.to_account_id();
		assert_eq!(Session::validators(), vec![alice.clone()]);
		assert_eq!(
			Balances::balance_on_hold(&pallet_staking::HoldReason::Staking.into(), &alice),
			VALIDATOR_BOND
		);
		run_to_block(3);
		assert_eq!(Authorship::author(), Some(alice));
	});
}

#[test]
fn new_validator_is_elected_at_the_next_era_and_authors_blocks() {
	preset_ext("development").execute_with(|| {
		let bob = Bob.to_account_id();
		run_to_block(1);
		let era_when_bonded = active_era();
		let mut keys = None;
		next_block_with(|| keys = Some(become_validator(&bob, 5_000 * UNIT)));
		let keys = keys.expect("the keys were set");
		assert!(!Session::validators().contains(&bob), "not before the election");

		// The era after the next election includes Bob.
		run_to_block(3 * ERA + 1);
		assert!(active_era() > era_when_bonded);
		assert!(Session::validators().contains(&bob), "Bob is elected");
		assert!(pallet_aura::Authorities::<Runtime>::get().contains(&keys.aura));
		assert!(pallet_grandpa::Authorities::<Runtime>::get()
			.iter()
			.any(|(authority, _)| authority == &keys.grandpa));

		// Aura's round robin gives Bob every other slot: he authors and earns era points.
		let mut authored_by_bob = 0;
		for _ in 0..4 {
			next_block_with(|| ());
			if Authorship::author() == Some(bob.clone()) {
				authored_by_bob += 1;
			}
		}
		assert_eq!(authored_by_bob, 2);
		let points = pallet_staking::ErasRewardPoints::<Runtime>::get(active_era());
		assert!(points.individual.get(&bob).copied().unwrap_or_default() > 0);
	});
}

#[test]
fn era_rewards_are_paid_to_the_validator_stake() {
	preset_ext("development").execute_with(|| {
		let alice = Alice.to_account_id();
		run_to_block(2 * ERA + 1);
		let rewarded_era = active_era() - 1;
		let reward = pallet_staking::ErasValidatorReward::<Runtime>::get(rewarded_era)
			.expect("the finished era has a reward");
		assert!(reward > 0, "inflation pays stakers");
		let bonded_before = Staking::ledger(sp_staking::StakingAccount::Stash(alice.clone()))
			.expect("Alice is bonded")
			.active;
		// Anyone may trigger the payout.
		assert_ok!(Staking::payout_stakers(
			RuntimeOrigin::signed(Bob.to_account_id()),
			alice.clone(),
			rewarded_era
		));
		let bonded_after = Staking::ledger(sp_staking::StakingAccount::Stash(alice.clone()))
			.expect("Alice is bonded")
			.active;
		assert_eq!(
			bonded_after - bonded_before,
			reward,
			"the only validator gets the whole reward"
		);
	});
}

#[test]
fn session_keys_need_a_valid_ownership_proof() {
	preset_ext("development").execute_with(|| {
		let bob = Bob.to_account_id();
		run_to_block(1);
		// Keys generated for Alice cannot be registered by Bob with Alice's proof.
		let generated = SessionKeys::generate(&Alice.to_account_id().encode(), None);
		assert_noop!(
			Session::set_keys(RuntimeOrigin::signed(bob), generated.keys, generated.proof.encode()),
			pallet_session::Error::<Runtime>::InvalidProof
		);
	});
}

#[test]
fn bonding_below_the_minimum_cannot_validate() {
	preset_ext("development").execute_with(|| {
		let bob = Bob.to_account_id();
		run_to_block(1);
		assert_ok!(Staking::bond(
			RuntimeOrigin::signed(bob.clone()),
			10 * UNIT,
			pallet_staking::RewardDestination::Staked
		));
		assert_noop!(
			Staking::validate(RuntimeOrigin::signed(bob), Default::default()),
			pallet_staking::Error::<Runtime>::InsufficientBond
		);
	});
}

#[test]
fn staking_parameters_are_changed_by_root_only() {
	preset_ext("development").execute_with(|| {
		run_to_block(1);
		let call = RuntimeCall::Staking(pallet_staking::Call::set_validator_count { new: 7 });
		assert!(sp_runtime::traits::Dispatchable::dispatch(
			call.clone(),
			RuntimeOrigin::signed(Alice.to_account_id())
		)
		.is_err());
		assert_ok!(sp_runtime::traits::Dispatchable::dispatch(call, RuntimeOrigin::root()));
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), 7);
	});
}

#[test]
fn session_and_era_change_blocks_leave_half_of_the_normal_class_free() {
	preset_ext("development").execute_with(|| {
		let limits: frame_system::limits::BlockWeights =
			<Runtime as frame_system::Config>::BlockWeights::get();
		let normal = limits.get(DispatchClass::Normal).max_total.expect("a normal limit");
		let mut heaviest: (u32, Weight) = (0, Weight::zero());
		let mut nonce = 0;
		let mut changes = Vec::new();
		// Three eras: session changes, era plans (the election) and era starts.
		for _ in 0..(3 * ERA + 1) {
			let session_before = Session::current_index();
			next_block_with(|| {
				// What the hooks (session rotation, the election) used, read by the block's
				// first ordinary transaction.
				let used = System::block_weight().total();
				if used.ref_time() > heaviest.1.ref_time() {
					heaviest = (System::block_number(), used);
				}
				let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
					dest: Bob.to_account_id().into(),
					value: UNIT,
				});
				let applied =
					Executive::apply_extrinsic(signed_transaction(Alice, transfer, nonce))
						.unwrap_or_else(|error| {
							panic!(
								"block {}: an ordinary transaction does not fit ({error:?}); used \
								 {:?}",
								System::block_number(),
								System::block_weight()
							)
						});
				assert_ok!(applied);
				nonce += 1;
			});
			if Session::current_index() != session_before {
				changes.push((System::block_number(), System::block_weight().total()));
			}
		}
		assert!(changes.len() >= 3 * DEV_SESSIONS_PER_ERA as usize - 1, "sessions changed");
		let (block, used) = heaviest;
		let free = limits.max_block.saturating_sub(used);
		assert!(
			free.ref_time() >= normal.ref_time() / 2,
			"block {block} used {used:?} before its transactions; {free:?} left, less than half \
			 of the normal class {normal:?}"
		);
	});
}
