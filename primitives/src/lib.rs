//! # Zenrock primitives
//!
//! Identifiers, shared types and the small traits through which the Zenrock pallets talk to each other:
//!
//! - [`PolicyGate`]: implemented by the policy pallet; identity and treasury submit every operation that a
//!   workspace or key policy governs through it, and receive it back, once approved, with an origin that
//!   carries an [`Approval`].
//! - [`WorkspaceInspect`] and [`KeyringInspect`]: implemented by the identity pallet; the treasury asks
//!   them who owns a workspace and which accounts are parties of a keyring.
//!
//! No pallet reads another pallet's storage; tests mock these traits.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::weights::Weight;
use scale_info::TypeInfo;
use sp_runtime::{DispatchError, KeyTypeId};

/// Key type of a keyring party's account key (sr25519) in a node's keystore: the keyring controller
/// signs its `fulfil_*` / `reject_*` transactions with it. Insert with
/// `zenrock-node key insert --key-type zprt --scheme sr25519`.
pub const PARTY_KEY_TYPE: KeyTypeId = KeyTypeId(*b"zprt");

/// Key type of the key material a keyring controller generates (ECDSA secp256k1 and Ed25519 keys
/// requested from the keyring); it is created in the node's keystore and never leaves it.
pub const KEY_MATERIAL_TYPE: KeyTypeId = KeyTypeId(*b"zkey");

/// Key, in a node's persistent off-chain storage, of a value the node writes anew at every start
/// (an identifier of the running process). Off-chain workers compare it with the value they saw
/// last: a change means the node restarted and the transactions it had in its pool are gone.
pub const NODE_START_KEY: &[u8] = b"zenrock/node/start";

/// Identifier of a workspace (sequential).
pub type WorkspaceId = u64;
/// Identifier of a keyring (sequential).
pub type KeyringId = u64;
/// Identifier of a policy (sequential).
pub type PolicyId = u64;
/// Identifier of a policy action: a gated call waiting for approvals (sequential).
pub type ActionId = u64;
/// Identifier of a key (sequential; may equal the id of the key request that produced it).
pub type KeyId = u64;
/// Identifier of a key or signature request (sequential).
pub type RequestId = u64;

/// Values that a gated operation supplies to its policy's rules, e.g. tx.value for a transaction
/// signature request. A rule whose outcome depends on a value the operation did not supply is not
/// satisfied.
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct PolicyContext {
	/// What rules read as tx.value: the amount a transaction moves, in the destination chain's
	/// smallest unit.
	pub tx_value: Option<u128>,
}

/// Proof, carried by the origin of a dispatched gated call, that the call was approved.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Approval<AccountId> {
	/// The workspace whose policy approved the call.
	pub workspace: WorkspaceId,
	/// The policy that approved it; none means the default policy (any one owner of the workspace).
	pub policy: Option<PolicyId>,
	/// Who asked for the call.
	pub requester: AccountId,
	/// The stored action, when the call had to wait for approvals; none when it ran at once.
	pub action: Option<ActionId>,
}

/// What became of a call submitted to a [`PolicyGate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GateOutcome {
	/// The requester's approval alone satisfied the rule: the call ran in the same extrinsic.
	Executed,
	/// The call waits for more approvals in the stored action.
	Pending(ActionId),
}

/// The one approval mechanism of the runtime (implemented by the policy pallet).
pub trait PolicyGate<AccountId, Call> {
	/// Run `call` for `workspace` under `policy` (`None`: the default policy, any one owner, which the
	/// caller has already checked `requester` to be), requested by `requester`, whose approval counts.
	///
	/// If the rule holds with that approval alone, the call is dispatched at once with an origin carrying
	/// an [`Approval`]; an error of the call is returned as this function's error. Otherwise the call is
	/// stored as an action (with a deposit from `requester`) until the rule holds, it is rejected, revoked
	/// or expires.
	fn submit(
		requester: &AccountId,
		workspace: WorkspaceId,
		policy: Option<PolicyId>,
		call: Call,
		context: PolicyContext,
	) -> Result<GateOutcome, DispatchError>;

	/// The weight of [`Self::submit`] itself, not counting the dispatch of the call.
	fn submit_weight() -> Weight;

	/// The participants of `policy`, or an error if there is no such policy.
	fn participants(policy: PolicyId) -> Result<Vec<AccountId>, DispatchError>;
}

/// What the treasury needs to know about workspaces (implemented by the identity pallet).
pub trait WorkspaceInspect<AccountId> {
	/// Whether the workspace exists.
	fn workspace_exists(workspace: WorkspaceId) -> bool;
	/// Whether `who` is an owner of `workspace`.
	fn is_owner(workspace: WorkspaceId, who: &AccountId) -> bool;
	/// The owners of `workspace` (empty when it does not exist).
	fn owners(workspace: WorkspaceId) -> Vec<AccountId>;
	/// The workspace's admin policy (`None`: default policy, or no such workspace).
	fn admin_policy(workspace: WorkspaceId) -> Option<PolicyId>;
	/// The workspace's sign policy (`None`: default policy, or no such workspace).
	fn sign_policy(workspace: WorkspaceId) -> Option<PolicyId>;
}

/// What the treasury needs to know about a keyring.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct KeyringTerms<AccountId, Balance> {
	/// Account that receives the fees the keyring earns.
	pub account: AccountId,
	/// Number of identical party answers that fulfil a request.
	pub party_threshold: u32,
	/// Number of parties currently listed.
	pub party_count: u32,
	/// Fee for a key request, escrowed from the requester.
	pub key_request_fee: Balance,
	/// Fee for a signature request, escrowed from the requester.
	pub sign_request_fee: Balance,
	/// Whether the keyring accepts new requests.
	pub is_active: bool,
}

/// Keyring queries (implemented by the identity pallet).
pub trait KeyringInspect<AccountId, Balance> {
	/// The keyring's terms, or `None` if there is no such keyring.
	fn keyring_terms(keyring: KeyringId) -> Option<KeyringTerms<AccountId, Balance>>;
	/// Whether `who` is a listed party of `keyring`.
	fn is_party(keyring: KeyringId, who: &AccountId) -> bool;
}
