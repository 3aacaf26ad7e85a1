//! The policy pallet gates identity's workspace operations in the real runtime: an operation under a
//! 2-of-2 admin policy waits for the second owner's approval and then runs with the approval origin.

use frame_support::{assert_ok, traits::fungible::Inspect};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie};
use sp_runtime::BuildStorage;
use zenrock_runtime::{
	AccountId, Balances, Runtime, RuntimeEvent, RuntimeOrigin, System, ZenrockIdentity,
	ZenrockPolicy,
};

/// The development chain's genesis: Alice, Bob and Charlie endowed, workspace 0 owned by Alice and
/// Bob with the default (any one owner) policies.
fn new_test_ext() -> sp_io::TestExternalities {
	let config = zenrock_runtime::genesis_config_presets::preset_genesis_config("development")
		.expect("the development preset exists");
	let mut ext: sp_io::TestExternalities =
		config.build_storage().expect("the genesis config builds").into();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn owners(workspace: u64) -> Vec<AccountId> {
	<ZenrockIdentity as zenrock_primitives::WorkspaceInspect<AccountId>>::owners(workspace)
}

#[test]
fn default_policy_lets_one_owner_act_at_once() {
	new_test_ext().execute_with(|| {
		assert_ok!(ZenrockIdentity::add_owner(
			RuntimeOrigin::signed(Alice.to_account_id()),
			0,
			Charlie.to_account_id()
		));
		assert!(owners(0).contains(&Charlie.to_account_id()));
	});
}

#[test]
fn two_of_two_admin_policy_waits_for_the_second_approval() {
	new_test_ext().execute_with(|| {
		let alice = Alice.to_account_id();
		let bob = Bob.to_account_id();
		let charlie = Charlie.to_account_id();
		assert_ok!(ZenrockPolicy::create_policy(
			RuntimeOrigin::signed(alice.clone()),
			b"both owners".to_vec(),
			vec![(b"alice".to_vec(), alice.clone()), (b"bob".to_vec(), bob.clone())],
			vec![],
			b"all([alice, bob])".to_vec(),
			None,
			None,
		));
		// The default policy (any one owner) still governs the change of the admin policy itself.
		assert_ok!(ZenrockIdentity::update_workspace_policies(
			RuntimeOrigin::signed(alice.clone()),
			0,
			Some(Some(0)),
			None
		));

		let free_before = Balances::balance(&alice);
		assert_ok!(ZenrockIdentity::add_owner(
			RuntimeOrigin::signed(alice.clone()),
			0,
			charlie.clone()
		));
		assert!(!owners(0).contains(&charlie), "the operation waits for Bob");
		assert!(Balances::balance(&alice) < free_before, "the action's deposit is held");
		let action = pallet_zenrock_policy::NextActionId::<Runtime>::get() - 1;

		// A non-participant cannot approve.
		assert_eq!(
			ZenrockPolicy::approve(RuntimeOrigin::signed(charlie.clone()), action)
				.map_err(|e| e.error),
			Err(pallet_zenrock_policy::Error::<Runtime>::NotParticipant.into())
		);

		assert_ok!(ZenrockPolicy::approve(RuntimeOrigin::signed(bob), action));
		assert!(owners(0).contains(&charlie), "Bob's approval completed the action");
		assert_eq!(Balances::balance(&alice), free_before, "the deposit is returned");
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::ZenrockIdentity(pallet_zenrock_identity::Event::OwnerAdded { .. })
		)));
	});
}
