//! Benchmarks of the identity pallet, at the worst case of every bound.
//!
//! Policy-gated calls are benchmarked on their execution path: dispatched with the approved origin
//! that [`Config::BenchmarkHelper`] builds. The weight of submitting to the gate is added by the
//! call's weight annotation (`PolicyGate::submit_weight`). Policies whose participants must be
//! checked are created through the helper with the largest possible participant list.

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::{Inspect, Mutate};
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;
use zenrock_primitives::KeyringBackend;

const SEED: u32 = 0;

fn assert_last_event<T: Config>(event: Event<T>) {
	let event: <T as frame_system::Config>::RuntimeEvent = event.into();
	frame_system::Pallet::<T>::assert_last_event(event);
}

/// An account with enough funds for many deposits.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount = T::Currency::minimum_balance()
		.saturating_add(T::WorkspaceDeposit::get())
		.saturating_add(T::KeyringDeposit::get())
		.saturating_mul(1_000u32.into());
	T::Currency::set_balance(&who, amount);
	who
}

/// The origin with which the policy gate dispatches an approved operation.
fn approved<T: Config>(
	workspace: WorkspaceId,
	policy: Option<PolicyId>,
	requester: &T::AccountId,
) -> T::RuntimeOrigin {
	T::BenchmarkHelper::approved_origin(Approval {
		workspace,
		policy,
		requester: requester.clone(),
		action: None,
	})
}

/// `creator` (funded) followed by `count - 1` further accounts.
fn owners<T: Config>(count: u32) -> Vec<T::AccountId> {
	let mut owners = vec![funded::<T>("creator", 0)];
	owners.extend((1..count).map(|i| account::<T::AccountId>("owner", i, SEED)));
	owners
}

/// Create a workspace through the extrinsic; `owners[0]` is the creator.
fn create<T: Config>(
	owners: &[T::AccountId],
	admin_policy: Option<PolicyId>,
	sign_policy: Option<PolicyId>,
) -> WorkspaceId {
	let additional = owners[1..].to_vec();
	Pallet::<T>::create_workspace(
		RawOrigin::Signed(owners[0].clone()).into(),
		additional,
		admin_policy,
		sign_policy,
	)
	.expect("workspace created");
	NextWorkspaceId::<T>::get() - 1
}

/// Make `child` a child of `parent` directly in storage.
fn link<T: Config>(parent: WorkspaceId, child: WorkspaceId) {
	Workspaces::<T>::mutate(parent, |ws| {
		ws.as_mut().expect("parent exists").children.try_push(child).expect("room for child")
	});
	Workspaces::<T>::mutate(child, |ws| ws.as_mut().expect("child exists").parent = Some(parent));
}

/// Give `workspace` `MaxWorkspaceDepth - 1` ancestors and `MaxChildren - 1` children.
fn worst_case_family<T: Config>(workspace: WorkspaceId, creator: &T::AccountId) {
	let single = [creator.clone()];
	let mut above: Option<WorkspaceId> = None;
	for _ in 1..T::MaxWorkspaceDepth::get() {
		let ancestor = create::<T>(&single, None, None);
		if let Some(parent) = above {
			link::<T>(parent, ancestor);
		}
		above = Some(ancestor);
	}
	if let Some(parent) = above {
		link::<T>(parent, workspace);
	}
	for _ in 1..T::MaxChildren::get() {
		let child = create::<T>(&single, None, None);
		link::<T>(workspace, child);
	}
}

/// A keyring with `MaxKeyringAdmins` admins (the first returned), `MaxKeyringParties` parties,
/// threshold equal to the party count, and the longest description.
fn worst_case_keyring<T: Config>() -> (KeyringId, T::AccountId) {
	let admin = funded::<T>("admin", 0);
	let description = vec![b'k'; T::MaxKeyringDescriptionLength::get() as usize];
	let parties: Vec<T::AccountId> =
		(0..T::MaxKeyringParties::get()).map(|i| account("party", i, SEED)).collect();
	let threshold = (parties.len() as u32).max(1);
	Pallet::<T>::register_keyring(
		RawOrigin::Signed(admin.clone()).into(),
		description,
		KeyringBackend::NodeKeystore,
		parties,
		threshold,
		1u32.into(),
		1u32.into(),
	)
	.expect("keyring registered");
	let keyring = NextKeyringId::<T>::get() - 1;
	for i in 1..T::MaxKeyringAdmins::get() {
		Pallet::<T>::add_keyring_admin(
			RawOrigin::Signed(admin.clone()).into(),
			keyring,
			account("admin", i, SEED),
		)
		.expect("admin added");
	}
	(keyring, admin)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_workspace(o: Linear<0, { T::MaxOwners::get() - 1 }>) {
		let all = owners::<T>(o + 1);
		let admin_policy = T::BenchmarkHelper::policy_with_participants(all.clone());
		let sign_policy = T::BenchmarkHelper::policy_with_participants(all.clone());
		let additional = all[1..].to_vec();
		let id = NextWorkspaceId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(all[0].clone()), additional, Some(admin_policy), Some(sign_policy));

		let ws = Workspaces::<T>::get(id).expect("created");
		assert_eq!(ws.owners.len() as u32, o + 1);
	}

	#[benchmark]
	fn add_owner() {
		let all = owners::<T>(T::MaxOwners::get() - 1);
		let policy = T::BenchmarkHelper::policy_with_participants(all.clone());
		let id = create::<T>(&all, Some(policy), Some(policy));
		let new_owner: T::AccountId = account("new-owner", 0, SEED);
		let origin = approved::<T>(id, Some(policy), &all[0]);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, new_owner.clone());

		assert_last_event::<T>(Event::OwnerAdded { workspace: id, owner: new_owner });
	}

	#[benchmark]
	fn remove_owner() {
		let all = owners::<T>(T::MaxOwners::get());
		let leaving = all.last().cloned().expect("MaxOwners >= 1");
		let staying = all[..all.len() - 1].to_vec();
		let admin_policy = T::BenchmarkHelper::policy_with_participants(staying.clone());
		let sign_policy = T::BenchmarkHelper::policy_with_participants(staying);
		let id = create::<T>(&all, Some(admin_policy), Some(sign_policy));
		let origin = approved::<T>(id, Some(admin_policy), &all[0]);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, leaving.clone());

		assert_last_event::<T>(Event::OwnerRemoved { workspace: id, owner: leaving });
	}

	#[benchmark]
	fn add_child_workspace() {
		let all = owners::<T>(T::MaxOwners::get());
		let policy = T::BenchmarkHelper::policy_with_participants(all.clone());
		let parent = create::<T>(&all, Some(policy), Some(policy));
		worst_case_family::<T>(parent, &all[0]);
		let child = NextWorkspaceId::<T>::get();
		let origin = approved::<T>(parent, Some(policy), &all[0]);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, parent);

		let child_ws = Workspaces::<T>::get(child).expect("child created");
		assert_eq!(child_ws.parent, Some(parent));
		assert_eq!(child_ws.owners.len() as u32, T::MaxOwners::get());
	}

	#[benchmark]
	fn append_child_workspace() {
		let all = owners::<T>(T::MaxOwners::get());
		let policy = T::BenchmarkHelper::policy_with_participants(all.clone());
		let parent = create::<T>(&all, Some(policy), Some(policy));
		worst_case_family::<T>(parent, &all[0]);
		let child = create::<T>(&all, Some(policy), Some(policy));
		let origin = approved::<T>(parent, Some(policy), &all[0]);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, parent, child);

		assert_last_event::<T>(Event::ChildWorkspaceAppended { parent, child });
	}

	#[benchmark]
	fn update_workspace_policies() {
		let all = owners::<T>(T::MaxOwners::get());
		let policy = T::BenchmarkHelper::policy_with_participants(all.clone());
		let id = create::<T>(&all, Some(policy), Some(policy));
		let new_admin = T::BenchmarkHelper::policy_with_participants(all.clone());
		let new_sign = T::BenchmarkHelper::policy_with_participants(all.clone());
		let origin = approved::<T>(id, Some(policy), &all[0]);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, Some(Some(new_admin)), Some(Some(new_sign)));

		assert_last_event::<T>(Event::WorkspacePoliciesUpdated {
			workspace: id,
			admin_policy: Some(new_admin),
			sign_policy: Some(new_sign),
		});
	}

	#[benchmark]
	fn remove_workspace() {
		let all = owners::<T>(T::MaxOwners::get());
		let policy = T::BenchmarkHelper::policy_with_participants(all.clone());
		let parent = create::<T>(&[all[0].clone()], None, None);
		for _ in 1..T::MaxChildren::get() {
			let sibling = create::<T>(&[all[0].clone()], None, None);
			link::<T>(parent, sibling);
		}
		let id = create::<T>(&all, Some(policy), Some(policy));
		link::<T>(parent, id);
		let origin = approved::<T>(id, Some(policy), &all[0]);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert!(!Workspaces::<T>::contains_key(id));
	}

	#[benchmark]
	fn register_keyring(
		d: Linear<0, { T::MaxKeyringDescriptionLength::get() }>,
		p: Linear<0, { T::MaxKeyringParties::get() }>,
	) {
		let admin = funded::<T>("admin", 0);
		let description = vec![b'k'; d as usize];
		let parties: Vec<T::AccountId> =
			(0..p).map(|i| account::<T::AccountId>("party", i, SEED)).collect();
		let id = NextKeyringId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(admin),
			description,
			KeyringBackend::NodeKeystore,
			parties,
			p.max(1),
			1u32.into(),
			1u32.into(),
		);

		assert!(Keyrings::<T>::contains_key(id));
	}

	#[benchmark]
	fn add_keyring_admin() {
		let (keyring, admin) = worst_case_keyring::<T>();
		let removed: T::AccountId = account("admin", T::MaxKeyringAdmins::get() - 1, SEED);
		Pallet::<T>::remove_keyring_admin(
			RawOrigin::Signed(admin.clone()).into(),
			keyring,
			removed,
		)
		.ok();
		let new_admin: T::AccountId = account("new-admin", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), keyring, new_admin.clone());

		assert_last_event::<T>(Event::KeyringAdminAdded { keyring, admin: new_admin });
	}

	#[benchmark]
	fn remove_keyring_admin() {
		let (keyring, admin) = worst_case_keyring::<T>();
		let removed = Keyrings::<T>::get(keyring)
			.and_then(|kr| kr.admins.last().cloned())
			.expect("keyring has admins");

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), keyring, removed.clone());

		assert_last_event::<T>(Event::KeyringAdminRemoved { keyring, admin: removed });
	}

	#[benchmark]
	fn add_keyring_party() {
		let (keyring, admin) = worst_case_keyring::<T>();
		let max = T::MaxKeyringParties::get();
		let last: T::AccountId = account("party", max - 1, SEED);
		Pallet::<T>::remove_keyring_party(
			RawOrigin::Signed(admin.clone()).into(),
			keyring,
			last,
			Some((max - 1).max(1)),
		)
		.expect("party removed");
		let party: T::AccountId = account("new-party", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), keyring, party.clone(), Some(max));

		assert_last_event::<T>(Event::KeyringPartyAdded { keyring, party, party_threshold: max });
	}

	#[benchmark]
	fn remove_keyring_party() {
		let (keyring, admin) = worst_case_keyring::<T>();
		let max = T::MaxKeyringParties::get();
		let party: T::AccountId = account("party", max - 1, SEED);
		let threshold = (max - 1).max(1);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), keyring, party.clone(), Some(threshold));

		assert_last_event::<T>(Event::KeyringPartyRemoved {
			keyring,
			party,
			party_threshold: threshold,
		});
	}

	#[benchmark]
	fn update_keyring() {
		let (keyring, admin) = worst_case_keyring::<T>();
		let description = vec![b'u'; T::MaxKeyringDescriptionLength::get() as usize];
		let threshold = 1;

		#[extrinsic_call]
		_(
			RawOrigin::Signed(admin),
			keyring,
			Some(description.clone()),
			Some(threshold),
			Some(2u32.into()),
			Some(3u32.into()),
		);

		let kr = Keyrings::<T>::get(keyring).expect("keyring exists");
		assert_eq!(kr.description.into_inner(), description);
		assert_eq!(kr.party_threshold, threshold);
	}

	#[benchmark]
	fn deactivate_keyring() {
		let (keyring, admin) = worst_case_keyring::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), keyring);

		assert_last_event::<T>(Event::KeyringDeactivated { keyring });
	}

	#[benchmark]
	fn reactivate_keyring() {
		let (keyring, admin) = worst_case_keyring::<T>();
		Pallet::<T>::deactivate_keyring(RawOrigin::Signed(admin.clone()).into(), keyring)
			.expect("deactivated");

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), keyring);

		assert_last_event::<T>(Event::KeyringReactivated { keyring });
	}

	#[benchmark]
	fn withdraw_keyring_fees() {
		let (keyring, admin) = worst_case_keyring::<T>();
		let ed = T::Currency::minimum_balance();
		let account = Pallet::<T>::keyring_account(keyring);
		T::Currency::set_balance(&account, ed.saturating_mul(100u32.into()));
		let amount = ed.saturating_mul(10u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(admin.clone()), keyring, amount);

		assert_last_event::<T>(Event::KeyringFeesWithdrawn { keyring, to: admin, amount });
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
