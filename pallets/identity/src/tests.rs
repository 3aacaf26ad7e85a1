//! Unit tests of the identity pallet.

use crate::{
	mock::*, AdminKeyrings, Error, Event, HoldReason, Keyring, Keyrings, NextKeyringId,
	NextWorkspaceId, OwnerWorkspaces, PartyKeyrings, Workspace, Workspaces,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold, Mutate},
};
use sp_runtime::{traits::BadOrigin, DispatchError};
use zenrock_primitives::{
	Approval, KeyringBackend, KeyringId, KeyringInspect, KeyringTerms, PolicyId, WorkspaceId,
	WorkspaceInspect,
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// The origin the gate dispatches with, approved by `policy` of `workspace`.
fn approved(
	workspace: WorkspaceId,
	policy: Option<PolicyId>,
	requester: AccountId,
) -> RuntimeOrigin {
	approved_origin(Approval { workspace, policy, requester, action: None })
}

fn owners(accounts: &[AccountId]) -> Vec<AccountId> {
	accounts.to_vec()
}

fn description(text: &[u8]) -> Vec<u8> {
	text.to_vec()
}

fn parties(accounts: &[AccountId]) -> Vec<AccountId> {
	accounts.to_vec()
}

/// Create a workspace (default policies) and return its id.
fn create(creator: AccountId, additional: &[AccountId]) -> WorkspaceId {
	assert_ok!(Identity::create_workspace(signed(creator), owners(additional), None, None));
	NextWorkspaceId::<Test>::get() - 1
}

fn workspace(id: WorkspaceId) -> Workspace<Test> {
	Workspaces::<Test>::get(id).expect("workspace exists")
}

fn keyring(id: KeyringId) -> Keyring<Test> {
	Keyrings::<Test>::get(id).expect("keyring exists")
}

/// Register a keyring (fees 5 and 7) with `admin`, `initial_parties` and `threshold`.
fn register(admin: AccountId, initial_parties: &[AccountId], threshold: u32) -> KeyringId {
	assert_ok!(Identity::register_keyring(
		signed(admin),
		description(b"keyring"),
		KeyringBackend::NodeKeystore,
		parties(initial_parties),
		threshold,
		5,
		7
	));
	NextKeyringId::<Test>::get() - 1
}

/// The workspaces `who` owns according to the index, sorted.
fn workspaces_of(who: AccountId) -> Vec<WorkspaceId> {
	let mut ids: Vec<_> = OwnerWorkspaces::<Test>::iter_key_prefix(who).collect();
	ids.sort();
	ids
}

fn keyrings_of_party(who: AccountId) -> Vec<KeyringId> {
	let mut ids: Vec<_> = PartyKeyrings::<Test>::iter_key_prefix(who).collect();
	ids.sort();
	ids
}

fn keyrings_of_admin(who: AccountId) -> Vec<KeyringId> {
	let mut ids: Vec<_> = AdminKeyrings::<Test>::iter_key_prefix(who).collect();
	ids.sort();
	ids
}

fn identity_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Identity(event) => Some(event),
			_ => None,
		})
		.collect()
}

fn last_event() -> Event<Test> {
	identity_events().pop().expect("an identity event")
}

fn held(who: AccountId, reason: HoldReason) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Identity(reason), &who)
}

// ---------------------------------------------------------------------------------------------
// create_workspace
// ---------------------------------------------------------------------------------------------

#[test]
fn create_workspace_works() {
	build_and_execute(|| {
		let id = create(1, &[2, 3]);
		assert_eq!(id, 0);
		let ws = workspace(0);
		assert_eq!(ws.owners.to_vec(), vec![1, 2, 3]);
		assert_eq!(ws.creator, 1);
		assert_eq!(ws.deposit, 10);
		assert_eq!(ws.admin_policy, None);
		assert_eq!(ws.sign_policy, None);
		assert_eq!(ws.parent, None);
		assert!(ws.children.is_empty());
		assert_eq!(ws.account, Identity::workspace_account(0));
		assert_eq!(
			last_event(),
			Event::WorkspaceCreated {
				workspace: 0,
				creator: 1,
				account: Identity::workspace_account(0),
				parent: None,
				admin_policy: None,
				sign_policy: None,
			}
		);
		// The deposit is held from the creator only.
		assert_eq!(held(1, HoldReason::WorkspaceDeposit), 10);
		assert_eq!(Balances::balance(&1), INITIAL_BALANCE - 10);
		assert_eq!(held(2, HoldReason::WorkspaceDeposit), 0);
		// Owner index.
		for who in [1, 2, 3] {
			assert_eq!(workspaces_of(who), vec![0]);
		}
		// Ids are sequential; accounts differ.
		assert_eq!(create(2, &[]), 1);
		assert_eq!(workspaces_of(2), vec![0, 1]);
		assert_ne!(Identity::workspace_account(0), Identity::workspace_account(1));
		assert_ne!(Identity::workspace_account(0), Identity::keyring_account(0));
	});
}

#[test]
fn create_workspace_with_policies_works() {
	build_and_execute(|| {
		set_policy(7, vec![1, 2]);
		set_policy(8, vec![2]);
		assert_ok!(Identity::create_workspace(signed(1), owners(&[2]), Some(7), Some(8)));
		let ws = workspace(0);
		assert_eq!(ws.admin_policy, Some(7));
		assert_eq!(ws.sign_policy, Some(8));
		assert_eq!(
			last_event(),
			Event::WorkspaceCreated {
				workspace: 0,
				creator: 1,
				account: Identity::workspace_account(0),
				parent: None,
				admin_policy: Some(7),
				sign_policy: Some(8),
			}
		);
		// Creating a workspace is not gated.
		assert!(submissions().is_empty());
	});
}

#[test]
fn create_workspace_rejects_duplicate_owners() {
	build_and_execute(|| {
		assert_noop!(
			Identity::create_workspace(signed(1), owners(&[2, 2]), None, None),
			Error::<Test>::DuplicateOwner
		);
		// The creator is an owner already.
		assert_noop!(
			Identity::create_workspace(signed(1), owners(&[1]), None, None),
			Error::<Test>::DuplicateOwner
		);
	});
}

#[test]
fn create_workspace_rejects_too_many_owners() {
	build_and_execute(|| {
		// The creator plus MaxOwners (5) additional owners is one too many.
		assert_noop!(
			Identity::create_workspace(signed(1), owners(&[2, 3, 4, 5, 6]), None, None),
			Error::<Test>::TooManyOwners
		);
		// A list longer than any workspace may have is refused by name too (not by a decoding
		// failure), however long it is.
		let many: Vec<AccountId> = (100..200).collect();
		assert_noop!(
			Identity::create_workspace(signed(1), many, None, None),
			Error::<Test>::TooManyOwners
		);
		// The creator plus 4 is exactly the bound.
		create(1, &[2, 3, 4, 5]);
	});
}

#[test]
fn create_workspace_rejects_policy_with_non_owner_participant() {
	build_and_execute(|| {
		set_policy(7, vec![1, 9]);
		assert_noop!(
			Identity::create_workspace(signed(1), owners(&[2]), Some(7), None),
			Error::<Test>::PolicyParticipantNotOwner
		);
		assert_noop!(
			Identity::create_workspace(signed(1), owners(&[2]), None, Some(7)),
			Error::<Test>::PolicyParticipantNotOwner
		);
		// An unknown policy: the gate's error.
		assert_noop!(
			Identity::create_workspace(signed(1), owners(&[2]), Some(99), None),
			DispatchError::Other("UnknownPolicy")
		);
	});
}

#[test]
fn create_workspace_needs_deposit_and_signature() {
	build_and_execute(|| {
		// Account 20 has no funds.
		assert_noop!(
			Identity::create_workspace(signed(20), owners(&[]), None, None),
			Error::<Test>::InsufficientBalanceForWorkspaceDeposit
		);
		assert_noop!(
			Identity::create_workspace(RuntimeOrigin::root(), owners(&[]), None, None),
			BadOrigin
		);
	});
}

// ---------------------------------------------------------------------------------------------
// Gating (shown with add_owner; every gated call uses the same path)
// ---------------------------------------------------------------------------------------------

#[test]
fn add_owner_immediate_works() {
	build_and_execute(|| {
		let id = create(1, &[2]);
		assert_ok!(Identity::add_owner(signed(2), id, 3));
		assert_eq!(workspace(id).owners.to_vec(), vec![1, 2, 3]);
		assert_eq!(workspaces_of(3), vec![id]);
		assert_eq!(last_event(), Event::OwnerAdded { workspace: id, owner: 3 });
		// It went through the gate under the default admin policy, requested by the caller.
		assert_eq!(submissions(), vec![Submission { requester: 2, workspace: id, policy: None }]);
	});
}

#[test]
fn add_owner_pending_then_approved_works() {
	build_and_execute(|| {
		set_policy(7, vec![1, 2]);
		assert_ok!(Identity::create_workspace(signed(1), owners(&[2]), Some(7), None));
		set_gate_mode(GateMode::Pending);
		assert_ok!(Identity::add_owner(signed(1), 0, 3));
		// Nothing changed yet; the operation waits in action 0.
		assert_eq!(workspace(0).owners.to_vec(), vec![1, 2]);
		assert!(workspaces_of(3).is_empty());
		assert_eq!(last_event(), Event::OperationPending { workspace: 0, requester: 1, action: 0 });
		assert_eq!(submissions(), vec![Submission { requester: 1, workspace: 0, policy: Some(7) }]);
		assert_eq!(pending_actions(), vec![0]);
		// The gate dispatches it once approved.
		assert_ok!(approve(0));
		assert_eq!(workspace(0).owners.to_vec(), vec![1, 2, 3]);
		assert_eq!(workspaces_of(3), vec![0]);
		assert_eq!(last_event(), Event::OwnerAdded { workspace: 0, owner: 3 });
	});
}

#[test]
fn approved_origin_executes_without_gate() {
	build_and_execute(|| {
		let id = create(1, &[]);
		assert_ok!(Identity::add_owner(approved(id, None, 1), id, 2));
		assert_eq!(workspace(id).owners.to_vec(), vec![1, 2]);
		assert!(submissions().is_empty());
	});
}

#[test]
fn approved_origin_refunds_gate_weight() {
	build_and_execute(|| {
		let id = create(1, &[]);
		let info = Identity::add_owner(approved(id, None, 1), id, 2).expect("runs");
		assert_eq!(info.actual_weight, Some(<() as crate::WeightInfo>::add_owner()));
	});
}

#[test]
fn gated_call_rejects_wrong_origins() {
	build_and_execute(|| {
		let id = create(1, &[]);
		assert_noop!(Identity::add_owner(RuntimeOrigin::root(), id, 2), BadOrigin);
		assert_noop!(Identity::add_owner(RuntimeOrigin::none(), id, 2), BadOrigin);
	});
}

#[test]
fn gated_call_requires_owner() {
	build_and_execute(|| {
		let id = create(1, &[]);
		assert_noop!(Identity::add_owner(signed(2), id, 3), Error::<Test>::NotOwner);
		assert!(submissions().is_empty());
	});
}

#[test]
fn gated_call_rejects_unknown_workspace() {
	build_and_execute(|| {
		assert_noop!(Identity::add_owner(signed(1), 5, 3), Error::<Test>::UnknownWorkspace);
		assert_noop!(
			Identity::add_owner(approved(5, None, 1), 5, 3),
			Error::<Test>::UnknownWorkspace
		);
	});
}

#[test]
fn approval_for_other_workspace_is_rejected() {
	build_and_execute(|| {
		let a = create(1, &[]);
		let b = create(1, &[]);
		assert_noop!(
			Identity::add_owner(approved(a, None, 1), b, 2),
			Error::<Test>::ApprovalForOtherWorkspace
		);
	});
}

#[test]
fn approval_under_old_admin_policy_is_rejected() {
	build_and_execute(|| {
		set_policy(7, vec![1]);
		set_policy(8, vec![1, 2]);
		assert_ok!(Identity::create_workspace(signed(1), owners(&[2]), Some(7), None));
		set_gate_mode(GateMode::Pending);
		// Action 0: add owner 3, under admin policy 7.
		assert_ok!(Identity::add_owner(signed(1), 0, 3));
		// Action 1: switch the admin policy to 8.
		assert_ok!(Identity::update_workspace_policies(signed(1), 0, Some(Some(8)), None));
		assert_ok!(approve(1));
		assert_eq!(workspace(0).admin_policy, Some(8));
		// Action 0 was approved under policy 7, which no longer governs the workspace.
		assert_noop!(approve(0), Error::<Test>::AdminPolicyChanged);
		// An approval by the default policy is not valid either.
		assert_noop!(
			Identity::add_owner(approved(0, None, 1), 0, 3),
			Error::<Test>::AdminPolicyChanged
		);
		assert_ok!(Identity::add_owner(approved(0, Some(8), 1), 0, 3));
	});
}

#[test]
fn gate_submission_error_is_returned() {
	build_and_execute(|| {
		set_policy(7, vec![1]);
		assert_ok!(Identity::create_workspace(signed(1), owners(&[]), Some(7), None));
		// The gate refuses to submit under a policy it does not know.
		remove_policy(7);
		assert_noop!(Identity::add_owner(signed(1), 0, 2), DispatchError::Other("UnknownPolicy"));
		assert!(submissions().is_empty());
	});
}

#[test]
fn approved_operation_is_checked_again() {
	build_and_execute(|| {
		let id = create(1, &[2]);
		set_gate_mode(GateMode::Pending);
		assert_ok!(Identity::add_owner(signed(1), id, 3));
		assert_ok!(Identity::add_owner(signed(2), id, 3));
		assert_ok!(approve(0));
		// Owner 3 was added by the first action; the second is refused at execution.
		assert_noop!(approve(1), Error::<Test>::AlreadyOwner);
	});
}

// ---------------------------------------------------------------------------------------------
// add_owner / remove_owner
// ---------------------------------------------------------------------------------------------

#[test]
fn add_owner_rejects_existing_owner_and_full_workspace() {
	build_and_execute(|| {
		let id = create(1, &[2, 3, 4]);
		assert_noop!(Identity::add_owner(signed(1), id, 2), Error::<Test>::AlreadyOwner);
		assert_noop!(
			Identity::add_owner(approved(id, None, 1), id, 2),
			Error::<Test>::AlreadyOwner
		);
		assert_ok!(Identity::add_owner(signed(1), id, 5));
		assert_noop!(Identity::add_owner(signed(1), id, 6), Error::<Test>::TooManyOwners);
		assert_noop!(
			Identity::add_owner(approved(id, None, 1), id, 6),
			Error::<Test>::TooManyOwners
		);
		// Refused before reaching the gate.
		assert_eq!(submissions().len(), 1);
	});
}

#[test]
fn remove_owner_works() {
	build_and_execute(|| {
		let id = create(1, &[2, 3]);
		assert_ok!(Identity::remove_owner(signed(3), id, 2));
		assert_eq!(workspace(id).owners.to_vec(), vec![1, 3]);
		assert!(workspaces_of(2).is_empty());
		assert_eq!(last_event(), Event::OwnerRemoved { workspace: id, owner: 2 });
		// An owner may remove themself; the creator too (the deposit stays with the creator).
		assert_ok!(Identity::remove_owner(signed(1), id, 1));
		assert_eq!(workspace(id).owners.to_vec(), vec![3]);
		assert_eq!(workspace(id).creator, 1);
		assert_eq!(held(1, HoldReason::WorkspaceDeposit), 10);
	});
}

#[test]
fn remove_owner_rejects_non_owner_and_last_owner() {
	build_and_execute(|| {
		let id = create(1, &[]);
		assert_noop!(Identity::remove_owner(signed(1), id, 2), Error::<Test>::OwnerNotFound);
		assert_noop!(Identity::remove_owner(signed(1), id, 1), Error::<Test>::LastOwner);
		assert_noop!(
			Identity::remove_owner(approved(id, None, 1), id, 1),
			Error::<Test>::LastOwner
		);
		assert_noop!(Identity::remove_owner(signed(2), id, 1), Error::<Test>::NotOwner);
	});
}

#[test]
fn remove_owner_rejects_policy_participant() {
	build_and_execute(|| {
		set_policy(7, vec![1]);
		set_policy(8, vec![2]);
		assert_ok!(Identity::create_workspace(signed(1), owners(&[2, 3]), Some(7), Some(8)));
		// 1 participates in the admin policy, 2 in the sign policy.
		assert_noop!(
			Identity::remove_owner(signed(1), 0, 1),
			Error::<Test>::OwnerIsPolicyParticipant
		);
		assert_noop!(
			Identity::remove_owner(approved(0, Some(7), 1), 0, 2),
			Error::<Test>::OwnerIsPolicyParticipant
		);
		assert_ok!(Identity::remove_owner(signed(1), 0, 3));
		assert_eq!(workspace(0).owners.to_vec(), vec![1, 2]);
	});
}

// ---------------------------------------------------------------------------------------------
// add_child_workspace / append_child_workspace
// ---------------------------------------------------------------------------------------------

#[test]
fn add_child_workspace_works() {
	build_and_execute(|| {
		set_policy(7, vec![1]);
		set_policy(8, vec![2]);
		assert_ok!(Identity::create_workspace(signed(1), owners(&[2]), Some(7), Some(8)));
		assert_ok!(Identity::add_child_workspace(signed(2), 0));
		let child = workspace(1);
		assert_eq!(child.owners.to_vec(), vec![1, 2]);
		assert_eq!(child.admin_policy, Some(7));
		assert_eq!(child.sign_policy, Some(8));
		assert_eq!(child.parent, Some(0));
		assert_eq!(child.creator, 2);
		assert_eq!(workspace(0).children.to_vec(), vec![1]);
		assert_eq!(workspaces_of(1), vec![0, 1]);
		assert_eq!(workspaces_of(2), vec![0, 1]);
		// The requester pays the child's deposit.
		assert_eq!(held(2, HoldReason::WorkspaceDeposit), 10);
		assert_eq!(
			last_event(),
			Event::WorkspaceCreated {
				workspace: 1,
				creator: 2,
				account: Identity::workspace_account(1),
				parent: Some(0),
				admin_policy: Some(7),
				sign_policy: Some(8),
			}
		);
	});
}

#[test]
fn add_child_workspace_pending_then_approved_works() {
	build_and_execute(|| {
		let parent = create(1, &[2]);
		set_gate_mode(GateMode::Pending);
		assert_ok!(Identity::add_child_workspace(signed(2), parent));
		assert!(!Workspaces::<Test>::contains_key(1));
		assert_ok!(approve(0));
		assert_eq!(workspace(1).parent, Some(parent));
		assert_eq!(held(2, HoldReason::WorkspaceDeposit), 10);
	});
}

#[test]
fn add_child_workspace_errors() {
	build_and_execute(|| {
		let parent = create(1, &[]);
		assert_noop!(Identity::add_child_workspace(signed(2), parent), Error::<Test>::NotOwner);
		assert_noop!(Identity::add_child_workspace(signed(1), 9), Error::<Test>::UnknownWorkspace);
		// The requester must be able to pay the deposit (returned through the gate).
		assert_ok!(Identity::add_owner(signed(1), parent, 20));
		assert_noop!(
			Identity::add_child_workspace(signed(20), parent),
			Error::<Test>::InsufficientBalanceForWorkspaceDeposit
		);
		// MaxChildren is 3.
		for _ in 0..3 {
			assert_ok!(Identity::add_child_workspace(signed(1), parent));
		}
		assert_noop!(
			Identity::add_child_workspace(signed(1), parent),
			Error::<Test>::TooManyChildren
		);
	});
}

#[test]
fn add_child_workspace_respects_max_depth() {
	build_and_execute(|| {
		// MaxWorkspaceDepth is 3: a workspace with 3 ancestors cannot be given a child.
		let root = create(1, &[]);
		assert_ok!(Identity::add_child_workspace(signed(1), root)); // 1, depth 1
		assert_ok!(Identity::add_child_workspace(signed(1), 1)); // 2, depth 2
		assert_ok!(Identity::add_child_workspace(signed(1), 2)); // 3, depth 3
		assert_eq!(workspace(3).parent, Some(2));
		assert_noop!(Identity::add_child_workspace(signed(1), 3), Error::<Test>::HierarchyTooDeep);
	});
}

#[test]
fn append_child_workspace_works() {
	build_and_execute(|| {
		let parent = create(1, &[2]);
		let child = create(2, &[3]);
		assert_ok!(Identity::append_child_workspace(signed(2), parent, child));
		assert_eq!(workspace(parent).children.to_vec(), vec![child]);
		assert_eq!(workspace(child).parent, Some(parent));
		assert_eq!(last_event(), Event::ChildWorkspaceAppended { parent, child });
		// Owners are unchanged.
		assert_eq!(workspace(child).owners.to_vec(), vec![2, 3]);
		assert_eq!(
			submissions(),
			vec![Submission { requester: 2, workspace: parent, policy: None }]
		);
	});
}

#[test]
fn append_child_workspace_pending_then_approved_works() {
	build_and_execute(|| {
		let parent = create(1, &[2]);
		let child = create(2, &[]);
		set_gate_mode(GateMode::Pending);
		assert_ok!(Identity::append_child_workspace(signed(2), parent, child));
		assert_eq!(workspace(child).parent, None);
		assert_ok!(approve(0));
		assert_eq!(workspace(child).parent, Some(parent));
	});
}

#[test]
fn append_child_workspace_requires_owning_both() {
	build_and_execute(|| {
		let parent = create(1, &[]);
		let child = create(2, &[]);
		assert_noop!(
			Identity::append_child_workspace(signed(1), parent, child),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Identity::append_child_workspace(signed(2), parent, child),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Identity::append_child_workspace(approved(parent, None, 1), parent, child),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Identity::append_child_workspace(signed(1), parent, 9),
			Error::<Test>::UnknownWorkspace
		);
	});
}

#[test]
fn append_child_workspace_rejects_second_parent() {
	build_and_execute(|| {
		let a = create(1, &[]);
		let b = create(1, &[]);
		let child = create(1, &[]);
		assert_ok!(Identity::append_child_workspace(signed(1), a, child));
		assert_noop!(
			Identity::append_child_workspace(signed(1), b, child),
			Error::<Test>::AlreadyHasParent
		);
		assert_noop!(
			Identity::append_child_workspace(signed(1), a, child),
			Error::<Test>::AlreadyHasParent
		);
	});
}

#[test]
fn append_child_workspace_rejects_cycles() {
	build_and_execute(|| {
		let root = create(1, &[]);
		assert_noop!(
			Identity::append_child_workspace(signed(1), root, root),
			Error::<Test>::WouldCreateCycle
		);
		assert_ok!(Identity::add_child_workspace(signed(1), root)); // 1
		assert_ok!(Identity::add_child_workspace(signed(1), 1)); // 2
														   // The root is an ancestor of 2 (and of 1).
		assert_noop!(
			Identity::append_child_workspace(signed(1), 2, root),
			Error::<Test>::WouldCreateCycle
		);
		assert_noop!(
			Identity::append_child_workspace(approved(1, None, 1), 1, root),
			Error::<Test>::WouldCreateCycle
		);
	});
}

#[test]
fn append_child_workspace_rejects_full_or_deep_parent() {
	build_and_execute(|| {
		let parent = create(1, &[]);
		for _ in 0..3 {
			assert_ok!(Identity::add_child_workspace(signed(1), parent));
		}
		let orphan = create(1, &[]);
		assert_noop!(
			Identity::append_child_workspace(signed(1), parent, orphan),
			Error::<Test>::TooManyChildren
		);
		// Parent 1 (child of 0) -> 5 -> 6: 6 has 3 ancestors.
		assert_ok!(Identity::add_child_workspace(signed(1), 1)); // 5
		assert_ok!(Identity::add_child_workspace(signed(1), 5)); // 6
		assert_eq!(workspace(6).parent, Some(5));
		assert_noop!(
			Identity::append_child_workspace(signed(1), 6, orphan),
			Error::<Test>::HierarchyTooDeep
		);
		assert_ok!(Identity::append_child_workspace(signed(1), 5, orphan));
	});
}

// ---------------------------------------------------------------------------------------------
// update_workspace_policies
// ---------------------------------------------------------------------------------------------

#[test]
fn update_workspace_policies_works() {
	build_and_execute(|| {
		set_policy(7, vec![1, 2]);
		set_policy(8, vec![2]);
		let id = create(1, &[2]);
		assert_ok!(Identity::update_workspace_policies(signed(1), id, Some(Some(7)), None));
		assert_eq!((workspace(id).admin_policy, workspace(id).sign_policy), (Some(7), None));
		assert_eq!(
			last_event(),
			Event::WorkspacePoliciesUpdated {
				workspace: id,
				admin_policy: Some(7),
				sign_policy: None
			}
		);
		// Only the given policy changes.
		assert_ok!(Identity::update_workspace_policies(signed(1), id, None, Some(Some(8))));
		assert_eq!((workspace(id).admin_policy, workspace(id).sign_policy), (Some(7), Some(8)));
		// The change was submitted under the admin policy in force (7).
		assert_eq!(submissions().last().map(|s| s.policy), Some(Some(7)));
		// `Some(None)` restores the default policy.
		assert_ok!(Identity::update_workspace_policies(signed(1), id, Some(None), Some(None)));
		assert_eq!((workspace(id).admin_policy, workspace(id).sign_policy), (None, None));
		assert_eq!(
			last_event(),
			Event::WorkspacePoliciesUpdated {
				workspace: id,
				admin_policy: None,
				sign_policy: None
			}
		);
	});
}

#[test]
fn update_workspace_policies_errors() {
	build_and_execute(|| {
		set_policy(7, vec![1, 3]);
		let id = create(1, &[2]);
		assert_noop!(
			Identity::update_workspace_policies(signed(1), id, None, None),
			Error::<Test>::NothingToUpdate
		);
		assert_noop!(
			Identity::update_workspace_policies(signed(1), id, Some(Some(7)), None),
			Error::<Test>::PolicyParticipantNotOwner
		);
		assert_noop!(
			Identity::update_workspace_policies(approved(id, None, 1), id, None, Some(Some(7))),
			Error::<Test>::PolicyParticipantNotOwner
		);
		assert_noop!(
			Identity::update_workspace_policies(signed(1), id, Some(Some(99)), None),
			DispatchError::Other("UnknownPolicy")
		);
		assert_noop!(
			Identity::update_workspace_policies(signed(3), id, Some(None), None),
			Error::<Test>::NotOwner
		);
	});
}

// ---------------------------------------------------------------------------------------------
// remove_workspace
// ---------------------------------------------------------------------------------------------

#[test]
fn remove_workspace_works() {
	build_and_execute(|| {
		let parent = create(1, &[2]);
		assert_ok!(Identity::add_child_workspace(signed(2), parent)); // 1, deposit from 2
		assert_eq!(held(2, HoldReason::WorkspaceDeposit), 10);
		assert_ok!(Identity::remove_workspace(signed(1), 1));
		assert!(!Workspaces::<Test>::contains_key(1));
		assert!(workspace(parent).children.is_empty());
		assert_eq!(workspaces_of(1), vec![parent]);
		assert_eq!(workspaces_of(2), vec![parent]);
		// The deposit goes back to the child's creator.
		assert_eq!(held(2, HoldReason::WorkspaceDeposit), 0);
		assert_eq!(Balances::balance(&2), INITIAL_BALANCE);
		assert_eq!(last_event(), Event::WorkspaceRemoved { workspace: 1, creator: 2, deposit: 10 });
		assert_ok!(Identity::remove_workspace(signed(2), parent));
		assert_eq!(held(1, HoldReason::WorkspaceDeposit), 0);
		assert!(workspaces_of(1).is_empty());
		// Ids are never reused.
		assert_eq!(create(1, &[]), 2);
	});
}

#[test]
fn remove_workspace_pending_then_approved_works() {
	build_and_execute(|| {
		let id = create(1, &[]);
		set_gate_mode(GateMode::Pending);
		assert_ok!(Identity::remove_workspace(signed(1), id));
		assert!(Workspaces::<Test>::contains_key(id));
		assert_ok!(approve(0));
		assert!(!Workspaces::<Test>::contains_key(id));
		// An approval for a workspace that no longer exists.
		assert_noop!(
			Identity::remove_workspace(approved(id, None, 1), id),
			Error::<Test>::UnknownWorkspace
		);
	});
}

#[test]
fn remove_workspace_errors() {
	build_and_execute(|| {
		let parent = create(1, &[]);
		assert_ok!(Identity::add_child_workspace(signed(1), parent));
		assert_noop!(Identity::remove_workspace(signed(1), parent), Error::<Test>::HasChildren);
		assert_noop!(Identity::remove_workspace(signed(2), 1), Error::<Test>::NotOwner);
		set_in_use(1);
		assert_noop!(Identity::remove_workspace(signed(1), 1), Error::<Test>::WorkspaceInUse);
		let funded = create(1, &[]);
		assert_ok!(Balances::mint_into(&Identity::workspace_account(funded), 5));
		assert_noop!(
			Identity::remove_workspace(approved(funded, None, 1), funded),
			Error::<Test>::WorkspaceHasFunds
		);
	});
}

// ---------------------------------------------------------------------------------------------
// WorkspaceInspect
// ---------------------------------------------------------------------------------------------

#[test]
fn workspace_inspect_works() {
	build_and_execute(|| {
		set_policy(7, vec![1]);
		assert_ok!(Identity::create_workspace(signed(1), owners(&[2]), Some(7), None));
		type I = Identity;
		assert!(<I as WorkspaceInspect<AccountId>>::workspace_exists(0));
		assert!(!<I as WorkspaceInspect<AccountId>>::workspace_exists(1));
		assert!(<I as WorkspaceInspect<AccountId>>::is_owner(0, &2));
		assert!(!<I as WorkspaceInspect<AccountId>>::is_owner(0, &3));
		assert!(!<I as WorkspaceInspect<AccountId>>::is_owner(1, &1));
		assert_eq!(<I as WorkspaceInspect<AccountId>>::owners(0), vec![1, 2]);
		assert!(<I as WorkspaceInspect<AccountId>>::owners(1).is_empty());
		assert_eq!(<I as WorkspaceInspect<AccountId>>::admin_policy(0), Some(7));
		assert_eq!(<I as WorkspaceInspect<AccountId>>::sign_policy(0), None);
		assert_eq!(<I as WorkspaceInspect<AccountId>>::admin_policy(1), None);
	});
}

// ---------------------------------------------------------------------------------------------
// register_keyring
// ---------------------------------------------------------------------------------------------

#[test]
fn register_keyring_works() {
	build_and_execute(|| {
		assert_ok!(Identity::register_keyring(
			signed(1),
			description(b"node keystore"),
			KeyringBackend::NodeKeystore,
			parties(&[]),
			1,
			5,
			7
		));
		let kr = keyring(0);
		assert_eq!(kr.creator, 1);
		assert_eq!(kr.deposit, 100);
		assert_eq!(kr.account, Identity::keyring_account(0));
		assert_eq!(kr.description.to_vec(), b"node keystore".to_vec());
		assert_eq!(kr.admins.to_vec(), vec![1]);
		assert!(kr.parties.is_empty());
		assert_eq!(kr.party_threshold, 1);
		assert_eq!((kr.key_request_fee, kr.sign_request_fee), (5, 7));
		assert!(kr.is_active);
		assert_eq!(held(1, HoldReason::KeyringDeposit), 100);
		assert_eq!(keyrings_of_admin(1), vec![0]);
		assert_eq!(
			last_event(),
			Event::KeyringRegistered {
				keyring: 0,
				admin: 1,
				account: Identity::keyring_account(0),
				backend: KeyringBackend::NodeKeystore,
				party_threshold: 1,
			}
		);
		assert_eq!(kr.backend, KeyringBackend::NodeKeystore);
		assert_eq!(register(2, &[3, 4, 5], 2), 1);
		assert_eq!(keyring(1).parties.to_vec(), vec![3, 4, 5]);
		assert_eq!(keyring(1).party_threshold, 2);
		for party in [3, 4, 5] {
			assert_eq!(keyrings_of_party(party), vec![1]);
		}
		assert_ne!(Identity::keyring_account(0), Identity::keyring_account(1));
	});
}

#[test]
fn register_keyring_rejects_invalid_threshold() {
	build_and_execute(|| {
		// No parties: the threshold must be 1.
		for threshold in [0, 2] {
			assert_noop!(
				Identity::register_keyring(
					signed(1),
					description(b""),
					KeyringBackend::NodeKeystore,
					parties(&[]),
					threshold,
					0,
					0
				),
				Error::<Test>::InvalidThreshold
			);
		}
		// Two parties: 1..=2.
		for threshold in [0, 3] {
			assert_noop!(
				Identity::register_keyring(
					signed(1),
					description(b""),
					KeyringBackend::NodeKeystore,
					parties(&[3, 4]),
					threshold,
					0,
					0
				),
				Error::<Test>::InvalidThreshold
			);
		}
	});
}

/// Register a FROST keyring of `admin` with `initial_parties` and `threshold`.
fn register_frost(admin: AccountId, initial_parties: &[AccountId], threshold: u32) -> KeyringId {
	assert_ok!(Identity::register_keyring(
		signed(admin),
		description(b"frost"),
		KeyringBackend::Frost,
		parties(initial_parties),
		threshold,
		5,
		7
	));
	NextKeyringId::<Test>::get() - 1
}

#[test]
fn frost_keyrings_need_two_to_max_threshold_parties() {
	build_and_execute(|| {
		let frost = |members: &[AccountId], threshold: u32| {
			Identity::register_keyring(
				signed(1),
				description(b""),
				KeyringBackend::Frost,
				parties(members),
				threshold,
				0,
				0,
			)
		};
		// FROST needs t >= 2 (frost-core refuses one signer), t <= n, and n <= MaxThresholdParties
		// (3 in the mock, below MaxKeyringParties = 4).
		for (members, threshold) in [
			(&[][..], 1),
			(&[3][..], 1),
			(&[3, 4][..], 1),
			(&[3, 4][..], 3),
			(&[3, 4, 5, 6][..], 2),
		] {
			assert_noop!(frost(members, threshold), Error::<Test>::InvalidThreshold);
		}
		let id = register_frost(2, &[3, 4, 5], 2);
		let kr = keyring(id);
		assert_eq!((kr.backend, kr.party_threshold), (KeyringBackend::Frost, 2));
		assert_eq!(
			last_event(),
			Event::KeyringRegistered {
				keyring: id,
				admin: 2,
				account: Identity::keyring_account(id),
				backend: KeyringBackend::Frost,
				party_threshold: 2,
			}
		);
		let terms = Identity::keyring_terms(id).unwrap();
		assert_eq!(
			(terms.backend, terms.party_threshold, terms.party_count),
			(KeyringBackend::Frost, 2, 3)
		);
		// Party changes keep the rule: a fourth party exceeds MaxThresholdParties, a threshold of
		// 1 is refused, removing a party below the threshold is refused.
		assert_noop!(
			Identity::add_keyring_party(signed(2), id, 6, None),
			Error::<Test>::InvalidThreshold
		);
		assert_noop!(
			Identity::update_keyring(signed(2), id, None, Some(1), None, None),
			Error::<Test>::InvalidThreshold
		);
		assert_ok!(Identity::update_keyring(signed(2), id, None, Some(3), None, None));
		assert_noop!(
			Identity::remove_keyring_party(signed(2), id, 5, None),
			Error::<Test>::InvalidThreshold
		);
		assert_ok!(Identity::remove_keyring_party(signed(2), id, 5, Some(2)));
		assert_eq!(keyring(id).parties.to_vec(), vec![3, 4]);
	});
}

#[test]
fn threshold_keyrings_holding_shares_are_frozen() {
	build_and_execute(|| {
		let id = register_frost(2, &[3, 4, 5], 2);
		let keystore = register(2, &[3, 4, 5], 2);
		set_holds_shares(id);
		set_holds_shares(keystore);
		for call in [
			Identity::add_keyring_party(signed(2), id, 6, Some(2)),
			Identity::remove_keyring_party(signed(2), id, 5, None),
			Identity::update_keyring(signed(2), id, None, Some(3), None, None),
		] {
			assert_eq!(call, Err(Error::<Test>::PartiesFrozen.into()));
		}
		assert_eq!(keyring(id).parties.to_vec(), vec![3, 4, 5]);
		// What does not touch the shares still changes: fees, description, admins, activity.
		assert_ok!(Identity::update_keyring(
			signed(2),
			id,
			Some(description(b"x")),
			None,
			Some(9),
			None
		));
		assert_ok!(Identity::add_keyring_admin(signed(2), id, 7));
		assert_ok!(Identity::deactivate_keyring(signed(2), id));
		// Keystore keyrings hold whole keys per party, never shares: they are not frozen.
		assert_ok!(Identity::remove_keyring_party(signed(2), keystore, 5, None));
	});
}

#[test]
fn register_keyring_rejects_duplicates_and_needs_deposit() {
	build_and_execute(|| {
		assert_noop!(
			Identity::register_keyring(
				signed(1),
				description(b""),
				KeyringBackend::NodeKeystore,
				parties(&[3, 3]),
				1,
				0,
				0
			),
			Error::<Test>::DuplicateParty
		);
		assert_noop!(
			Identity::register_keyring(
				signed(20),
				description(b""),
				KeyringBackend::NodeKeystore,
				parties(&[]),
				1,
				0,
				0
			),
			Error::<Test>::InsufficientBalanceForKeyringDeposit
		);
		assert_noop!(
			Identity::register_keyring(
				RuntimeOrigin::root(),
				description(b""),
				KeyringBackend::NodeKeystore,
				parties(&[]),
				1,
				0,
				0
			),
			BadOrigin
		);
	});
}

// ---------------------------------------------------------------------------------------------
// Keyring admins
// ---------------------------------------------------------------------------------------------

#[test]
fn keyring_admins_work() {
	build_and_execute(|| {
		let id = register(1, &[], 1);
		assert_ok!(Identity::add_keyring_admin(signed(1), id, 2));
		assert_eq!(keyring(id).admins.to_vec(), vec![1, 2]);
		assert_eq!(keyrings_of_admin(2), vec![id]);
		assert_eq!(last_event(), Event::KeyringAdminAdded { keyring: id, admin: 2 });
		// The new admin can act, and can remove the first one.
		assert_ok!(Identity::remove_keyring_admin(signed(2), id, 1));
		assert_eq!(keyring(id).admins.to_vec(), vec![2]);
		assert!(keyrings_of_admin(1).is_empty());
		assert_eq!(last_event(), Event::KeyringAdminRemoved { keyring: id, admin: 1 });
		// The removed admin can no longer act; the deposit stays with the registrant.
		assert_noop!(Identity::add_keyring_admin(signed(1), id, 3), Error::<Test>::NotKeyringAdmin);
		assert_eq!(held(1, HoldReason::KeyringDeposit), 100);
	});
}

#[test]
fn keyring_admin_errors() {
	build_and_execute(|| {
		let id = register(1, &[], 1);
		assert_noop!(Identity::add_keyring_admin(signed(1), 9, 2), Error::<Test>::UnknownKeyring);
		assert_noop!(Identity::add_keyring_admin(signed(2), id, 2), Error::<Test>::NotKeyringAdmin);
		assert_noop!(
			Identity::add_keyring_admin(signed(1), id, 1),
			Error::<Test>::AlreadyKeyringAdmin
		);
		assert_noop!(Identity::remove_keyring_admin(signed(1), id, 1), Error::<Test>::LastAdmin);
		assert_noop!(
			Identity::remove_keyring_admin(signed(1), id, 2),
			Error::<Test>::AdminNotFound
		);
		assert_noop!(
			Identity::remove_keyring_admin(signed(2), id, 1),
			Error::<Test>::NotKeyringAdmin
		);
		assert_noop!(
			Identity::remove_keyring_admin(signed(1), 9, 1),
			Error::<Test>::UnknownKeyring
		);
		// MaxKeyringAdmins is 3.
		assert_ok!(Identity::add_keyring_admin(signed(1), id, 2));
		assert_ok!(Identity::add_keyring_admin(signed(1), id, 3));
		assert_noop!(Identity::add_keyring_admin(signed(1), id, 4), Error::<Test>::TooManyAdmins);
	});
}

// ---------------------------------------------------------------------------------------------
// Keyring parties
// ---------------------------------------------------------------------------------------------

#[test]
fn add_keyring_party_works() {
	build_and_execute(|| {
		let id = register(1, &[], 1);
		assert_ok!(Identity::add_keyring_party(signed(1), id, 5, None));
		assert_eq!(keyring(id).parties.to_vec(), vec![5]);
		assert_eq!(keyring(id).party_threshold, 1);
		assert_eq!(keyrings_of_party(5), vec![id]);
		assert_eq!(
			last_event(),
			Event::KeyringPartyAdded { keyring: id, party: 5, party_threshold: 1 }
		);
		assert_ok!(Identity::add_keyring_party(signed(1), id, 6, Some(2)));
		assert_eq!(keyring(id).parties.to_vec(), vec![5, 6]);
		assert_eq!(keyring(id).party_threshold, 2);
		assert_eq!(
			last_event(),
			Event::KeyringPartyAdded { keyring: id, party: 6, party_threshold: 2 }
		);
	});
}

#[test]
fn add_keyring_party_rejects_out_of_range_threshold() {
	// zrchain silently ignores an out-of-range threshold; here it is an error and nothing changes.
	build_and_execute(|| {
		let id = register(1, &[5], 1);
		assert_noop!(
			Identity::add_keyring_party(signed(1), id, 6, Some(3)),
			Error::<Test>::InvalidThreshold
		);
		assert_noop!(
			Identity::add_keyring_party(signed(1), id, 6, Some(0)),
			Error::<Test>::InvalidThreshold
		);
		assert_eq!(keyring(id).parties.to_vec(), vec![5]);
	});
}

#[test]
fn add_keyring_party_errors() {
	build_and_execute(|| {
		let id = register(1, &[5, 6, 7], 1);
		assert_noop!(
			Identity::add_keyring_party(signed(1), 9, 8, None),
			Error::<Test>::UnknownKeyring
		);
		assert_noop!(
			Identity::add_keyring_party(signed(5), id, 8, None),
			Error::<Test>::NotKeyringAdmin
		);
		assert_noop!(
			Identity::add_keyring_party(signed(1), id, 5, None),
			Error::<Test>::AlreadyParty
		);
		// MaxKeyringParties is 4.
		assert_ok!(Identity::add_keyring_party(signed(1), id, 8, Some(4)));
		assert_noop!(
			Identity::add_keyring_party(signed(1), id, 9, None),
			Error::<Test>::TooManyParties
		);
	});
}

#[test]
fn remove_keyring_party_works() {
	build_and_execute(|| {
		let id = register(1, &[5, 6, 7], 2);
		assert_ok!(Identity::remove_keyring_party(signed(1), id, 6, None));
		assert_eq!(keyring(id).parties.to_vec(), vec![5, 7]);
		assert_eq!(keyring(id).party_threshold, 2);
		assert!(keyrings_of_party(6).is_empty());
		assert_eq!(
			last_event(),
			Event::KeyringPartyRemoved { keyring: id, party: 6, party_threshold: 2 }
		);
		// The threshold equals the party count: lower it in the same call.
		assert_noop!(
			Identity::remove_keyring_party(signed(1), id, 5, None),
			Error::<Test>::InvalidThreshold
		);
		assert_ok!(Identity::remove_keyring_party(signed(1), id, 5, Some(1)));
		assert_eq!(keyring(id).parties.to_vec(), vec![7]);
		assert_eq!(keyring(id).party_threshold, 1);
		// Removing the last party leaves threshold 1.
		assert_ok!(Identity::remove_keyring_party(signed(1), id, 7, None));
		assert!(keyring(id).parties.is_empty());
		assert_eq!(keyring(id).party_threshold, 1);
	});
}

#[test]
fn remove_keyring_party_errors() {
	build_and_execute(|| {
		let id = register(1, &[5, 6], 1);
		assert_noop!(
			Identity::remove_keyring_party(signed(1), 9, 5, None),
			Error::<Test>::UnknownKeyring
		);
		assert_noop!(
			Identity::remove_keyring_party(signed(5), id, 5, None),
			Error::<Test>::NotKeyringAdmin
		);
		assert_noop!(
			Identity::remove_keyring_party(signed(1), id, 7, None),
			Error::<Test>::PartyNotFound
		);
		assert_noop!(
			Identity::remove_keyring_party(signed(1), id, 5, Some(2)),
			Error::<Test>::InvalidThreshold
		);
		assert_noop!(
			Identity::remove_keyring_party(signed(1), id, 5, Some(0)),
			Error::<Test>::InvalidThreshold
		);
	});
}

// ---------------------------------------------------------------------------------------------
// update_keyring
// ---------------------------------------------------------------------------------------------

#[test]
fn update_keyring_changes_only_given_fields() {
	// zrchain overwrites omitted fields with zero values; here they keep their value.
	build_and_execute(|| {
		let id = register(1, &[5, 6], 1);
		assert_ok!(Identity::update_keyring(signed(1), id, None, None, Some(50), None));
		let kr = keyring(id);
		assert_eq!(kr.key_request_fee, 50);
		assert_eq!(kr.sign_request_fee, 7);
		assert_eq!(kr.party_threshold, 1);
		assert_eq!(kr.description.to_vec(), b"keyring".to_vec());
		assert_eq!(
			last_event(),
			Event::KeyringUpdated {
				keyring: id,
				description: None,
				party_threshold: None,
				key_request_fee: Some(50),
				sign_request_fee: None,
			}
		);
		assert_ok!(Identity::update_keyring(
			signed(1),
			id,
			Some(description(b"mpc")),
			None,
			None,
			None
		));
		let kr = keyring(id);
		assert_eq!(kr.description.to_vec(), b"mpc".to_vec());
		assert_eq!((kr.key_request_fee, kr.sign_request_fee, kr.party_threshold), (50, 7, 1));
		assert_ok!(Identity::update_keyring(signed(1), id, None, Some(2), None, Some(0)));
		let kr = keyring(id);
		assert_eq!((kr.key_request_fee, kr.sign_request_fee, kr.party_threshold), (50, 0, 2));
		assert_eq!(kr.description.to_vec(), b"mpc".to_vec());
		assert!(kr.is_active);
	});
}

#[test]
fn update_keyring_rejects_out_of_range_threshold() {
	build_and_execute(|| {
		let id = register(1, &[5, 6], 1);
		assert_noop!(
			Identity::update_keyring(signed(1), id, None, Some(3), Some(1), None),
			Error::<Test>::InvalidThreshold
		);
		assert_noop!(
			Identity::update_keyring(signed(1), id, None, Some(0), None, None),
			Error::<Test>::InvalidThreshold
		);
		let empty = register(1, &[], 1);
		assert_noop!(
			Identity::update_keyring(signed(1), empty, None, Some(2), None, None),
			Error::<Test>::InvalidThreshold
		);
	});
}

#[test]
fn update_keyring_errors() {
	build_and_execute(|| {
		let id = register(1, &[], 1);
		assert_noop!(
			Identity::update_keyring(signed(1), id, None, None, None, None),
			Error::<Test>::NothingToUpdate
		);
		assert_noop!(
			Identity::update_keyring(signed(2), id, None, None, Some(1), None),
			Error::<Test>::NotKeyringAdmin
		);
		assert_noop!(
			Identity::update_keyring(signed(1), 9, None, None, Some(1), None),
			Error::<Test>::UnknownKeyring
		);
	});
}

// ---------------------------------------------------------------------------------------------
// deactivate / reactivate
// ---------------------------------------------------------------------------------------------

#[test]
fn deactivate_and_reactivate_keyring_work() {
	build_and_execute(|| {
		let id = register(1, &[5], 1);
		assert_ok!(Identity::deactivate_keyring(signed(1), id));
		assert!(!keyring(id).is_active);
		assert_eq!(last_event(), Event::KeyringDeactivated { keyring: id });
		assert_noop!(
			Identity::deactivate_keyring(signed(1), id),
			Error::<Test>::KeyringAlreadyInactive
		);
		// Admins may still configure an inactive keyring.
		assert_ok!(Identity::add_keyring_party(signed(1), id, 6, None));
		assert_ok!(Identity::reactivate_keyring(signed(1), id));
		assert!(keyring(id).is_active);
		assert_eq!(last_event(), Event::KeyringReactivated { keyring: id });
		assert_noop!(
			Identity::reactivate_keyring(signed(1), id),
			Error::<Test>::KeyringAlreadyActive
		);
	});
}

#[test]
fn deactivate_and_reactivate_keyring_errors() {
	build_and_execute(|| {
		let id = register(1, &[], 1);
		assert_noop!(Identity::deactivate_keyring(signed(2), id), Error::<Test>::NotKeyringAdmin);
		assert_noop!(Identity::deactivate_keyring(signed(1), 9), Error::<Test>::UnknownKeyring);
		assert_ok!(Identity::deactivate_keyring(signed(1), id));
		assert_noop!(Identity::reactivate_keyring(signed(2), id), Error::<Test>::NotKeyringAdmin);
		assert_noop!(Identity::reactivate_keyring(signed(1), 9), Error::<Test>::UnknownKeyring);
	});
}

// ---------------------------------------------------------------------------------------------
// withdraw_keyring_fees
// ---------------------------------------------------------------------------------------------

#[test]
fn withdraw_keyring_fees_works() {
	build_and_execute(|| {
		let id = register(1, &[], 1);
		assert_ok!(Identity::add_keyring_admin(signed(1), id, 2));
		let account = Identity::keyring_account(id);
		assert_ok!(Balances::mint_into(&account, 100));
		assert_ok!(Identity::withdraw_keyring_fees(signed(2), id, 60));
		assert_eq!(Balances::balance(&account), 40);
		assert_eq!(Balances::balance(&2), INITIAL_BALANCE + 60);
		assert_eq!(last_event(), Event::KeyringFeesWithdrawn { keyring: id, to: 2, amount: 60 });
		// The account keeps its existential deposit (1): 39 of the remaining 40 are available.
		assert_noop!(
			Identity::withdraw_keyring_fees(signed(2), id, 40),
			Error::<Test>::InsufficientKeyringFunds
		);
		assert_ok!(Identity::withdraw_keyring_fees(signed(1), id, 39));
		assert_eq!(Balances::balance(&account), 1);
	});
}

#[test]
fn withdraw_keyring_fees_errors() {
	build_and_execute(|| {
		let id = register(1, &[5], 1);
		assert_noop!(
			Identity::withdraw_keyring_fees(signed(1), id, 1),
			Error::<Test>::InsufficientKeyringFunds
		);
		assert_ok!(Balances::mint_into(&Identity::keyring_account(id), 100));
		// A party is not an admin.
		assert_noop!(
			Identity::withdraw_keyring_fees(signed(5), id, 10),
			Error::<Test>::NotKeyringAdmin
		);
		assert_noop!(
			Identity::withdraw_keyring_fees(signed(1), 9, 10),
			Error::<Test>::UnknownKeyring
		);
	});
}

// ---------------------------------------------------------------------------------------------
// KeyringInspect
// ---------------------------------------------------------------------------------------------

#[test]
fn keyring_inspect_works() {
	build_and_execute(|| {
		let id = register(1, &[5, 6], 2);
		type I = Identity;
		assert_eq!(
			<I as KeyringInspect<AccountId, Balance>>::keyring_terms(id),
			Some(KeyringTerms {
				backend: KeyringBackend::NodeKeystore,
				account: Identity::keyring_account(id),
				party_threshold: 2,
				party_count: 2,
				key_request_fee: 5,
				sign_request_fee: 7,
				is_active: true,
			})
		);
		assert_eq!(<I as KeyringInspect<AccountId, Balance>>::keyring_terms(9), None);
		assert!(<I as KeyringInspect<AccountId, Balance>>::is_party(id, &5));
		assert!(!<I as KeyringInspect<AccountId, Balance>>::is_party(id, &1));
		assert!(!<I as KeyringInspect<AccountId, Balance>>::is_party(9, &5));
		assert_ok!(Identity::deactivate_keyring(signed(1), id));
		assert_ok!(Identity::remove_keyring_party(signed(1), id, 5, Some(1)));
		let terms = <I as KeyringInspect<AccountId, Balance>>::keyring_terms(id).expect("exists");
		assert!(!terms.is_active);
		assert_eq!((terms.party_count, terms.party_threshold), (1, 1));
		assert!(!<I as KeyringInspect<AccountId, Balance>>::is_party(id, &5));
	});
}

// ---------------------------------------------------------------------------------------------
// Genesis, indexes, hold reasons
// ---------------------------------------------------------------------------------------------

#[test]
fn genesis_config_builds_workspaces_and_keyrings() {
	new_test_ext_with(crate::GenesisConfig {
		workspaces: vec![(1, vec![2]), (3, vec![])],
		keyrings: vec![(
			1,
			b"genesis keyring".to_vec(),
			KeyringBackend::NodeKeystore,
			vec![5, 6],
			2,
			10,
			20,
		)],
	})
	.execute_with(|| {
		assert_eq!(workspace(0).owners.to_vec(), vec![1, 2]);
		assert_eq!(workspace(0).deposit, 0);
		assert_eq!(workspace(1).owners.to_vec(), vec![3]);
		assert_eq!(workspaces_of(2), vec![0]);
		let kr = keyring(0);
		assert_eq!(kr.admins.to_vec(), vec![1]);
		assert_eq!(kr.parties.to_vec(), vec![5, 6]);
		assert_eq!((kr.party_threshold, kr.key_request_fee, kr.sign_request_fee), (2, 10, 20));
		assert_eq!(kr.deposit, 0);
		assert!(kr.is_active);
		assert_eq!(keyrings_of_party(6), vec![0]);
		assert_eq!(held(1, HoldReason::WorkspaceDeposit), 0);
		assert_eq!(NextWorkspaceId::<Test>::get(), 2);
		assert_eq!(NextKeyringId::<Test>::get(), 1);
		Identity::do_try_state().expect("storage invariants hold");
	});
}

#[test]
#[should_panic(expected = "genesis keyring must have unique parties and a valid threshold")]
fn genesis_config_rejects_invalid_threshold() {
	new_test_ext_with(crate::GenesisConfig {
		workspaces: vec![],
		keyrings: vec![(1, vec![], KeyringBackend::NodeKeystore, vec![5], 2, 0, 0)],
	});
}

#[test]
fn indexes_stay_consistent_through_many_operations() {
	build_and_execute(|| {
		let a = create(1, &[2]);
		let b = create(2, &[3]);
		assert_ok!(Identity::add_owner(signed(1), a, 3));
		assert_ok!(Identity::remove_owner(signed(3), a, 2));
		assert_ok!(Identity::append_child_workspace(signed(3), a, b));
		assert_ok!(Identity::add_child_workspace(signed(3), b));
		assert_eq!(workspaces_of(1), vec![a]);
		assert_eq!(workspaces_of(2), vec![b, 2]);
		assert_eq!(workspaces_of(3), vec![a, b, 2]);
		Identity::do_try_state().expect("consistent");
		assert_ok!(Identity::remove_workspace(signed(2), 2));
		assert_ok!(Identity::remove_workspace(signed(3), b));
		assert_eq!(workspaces_of(2), Vec::<WorkspaceId>::new());
		assert_eq!(workspaces_of(3), vec![a]);
		assert!(workspace(a).children.is_empty());

		let k = register(4, &[5], 1);
		assert_ok!(Identity::add_keyring_admin(signed(4), k, 6));
		assert_ok!(Identity::add_keyring_party(signed(6), k, 7, Some(2)));
		assert_ok!(Identity::remove_keyring_party(signed(4), k, 5, Some(1)));
		assert_ok!(Identity::remove_keyring_admin(signed(6), k, 4));
		assert_eq!(keyrings_of_admin(4), Vec::<KeyringId>::new());
		assert_eq!(keyrings_of_admin(6), vec![k]);
		assert_eq!(keyrings_of_party(5), Vec::<KeyringId>::new());
		assert_eq!(keyrings_of_party(7), vec![k]);
	});
}

#[test]
fn deposits_use_distinct_hold_reasons() {
	build_and_execute(|| {
		create(1, &[]);
		register(1, &[], 1);
		assert_eq!(held(1, HoldReason::WorkspaceDeposit), 10);
		assert_eq!(held(1, HoldReason::KeyringDeposit), 100);
		assert_eq!(Balances::total_balance_on_hold(&1), 110);
		assert_eq!(Balances::total_balance(&1), INITIAL_BALANCE);
	});
}

#[test]
fn integrity_test_passes() {
	use frame_support::traits::Hooks;
	new_test_ext().execute_with(|| {
		<Identity as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn keyring_arguments_beyond_their_bounds_are_refused_by_name() {
	build_and_execute(|| {
		let too_long = vec![b'd'; MaxKeyringDescriptionLength::get() as usize + 1];
		assert_noop!(
			Identity::register_keyring(
				signed(1),
				too_long.clone(),
				KeyringBackend::NodeKeystore,
				parties(&[3]),
				1,
				0,
				0
			),
			Error::<Test>::DescriptionTooLong
		);
		let too_many: Vec<AccountId> = (100..100 + MaxKeyringParties::get() as u128 + 1).collect();
		assert_noop!(
			Identity::register_keyring(
				signed(1),
				description(b"k"),
				KeyringBackend::NodeKeystore,
				too_many,
				1,
				0,
				0
			),
			Error::<Test>::TooManyParties
		);
		let longest = vec![b'd'; MaxKeyringDescriptionLength::get() as usize];
		assert_ok!(Identity::register_keyring(
			signed(1),
			longest,
			KeyringBackend::NodeKeystore,
			parties(&[3]),
			1,
			0,
			0
		));
		let keyring = NextKeyringId::<Test>::get() - 1;
		assert_noop!(
			Identity::update_keyring(signed(1), keyring, Some(too_long), None, None, None),
			Error::<Test>::DescriptionTooLong
		);
	});
}
