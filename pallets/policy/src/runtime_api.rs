//! The runtime API through which clients query open actions.

use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use frame_support::weights::Weight;
use scale_info::TypeInfo;
use zenrock_primitives::{ActionId, PolicyContext, PolicyId, WorkspaceId};

/// An open action as clients see it.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct ActionDetail<AccountId, BlockNumber, Balance> {
	/// The action's id.
	pub id: ActionId,
	/// The workspace the gated call is for.
	pub workspace: WorkspaceId,
	/// The policy that decides.
	pub policy: PolicyId,
	/// Who asked for the call.
	pub requester: AccountId,
	/// The SCALE-encoded runtime call that runs once approved.
	pub call: Vec<u8>,
	/// The call's weight when it was submitted.
	pub call_weight: Weight,
	/// The values the rules read (e.g. tx.value).
	pub context: PolicyContext,
	/// Participants who approved.
	pub approvals: Vec<AccountId>,
	/// Participants who rejected.
	pub rejections: Vec<AccountId>,
	/// Participants who have neither approved nor rejected yet.
	pub missing_approvers: Vec<AccountId>,
	/// The policy's approve rule, as written.
	pub approve_rule: Vec<u8>,
	/// The policy's reject rule, as written, if it has one.
	pub reject_rule: Option<Vec<u8>>,
	/// The block in which the action was submitted.
	pub created: BlockNumber,
	/// The block at whose start the action expires if still open.
	pub deadline: BlockNumber,
	/// The deposit held from the requester.
	pub deposit: Balance,
}

sp_api::decl_runtime_apis! {
	/// Queries about the open actions of the policy pallet.
	///
	/// The runtime implements it with Policy::pending_actions(&who) and
	/// Policy::action_detail(action).
	pub trait PolicyApi<AccountId, BlockNumber, Balance>
	where
		AccountId: Codec,
		BlockNumber: Codec,
		Balance: Codec,
	{
		/// The open actions of which who is a participant (voted or not), by id.
		fn pending_actions(who: AccountId) -> Vec<ActionId>;
		/// An open action's detail, or none if no such action is open (it never existed or has
		/// ended: its outcome is in the events).
		fn action_detail(action: ActionId) -> Option<ActionDetail<AccountId, BlockNumber, Balance>>;
	}
}
