//! # Zenrock identity pallet
//!
//! Who may use keys, and who produces them.
//!
//! ## Overview
//!
//! **Workspaces** are groups of owners that hold keys. A workspace has:
//! - one or more owners (at most [`Config::MaxOwners`]), listed in the order they joined;
//! - an *admin policy*, which approves changes to the workspace itself, and a *sign policy*, which the
//!   treasury uses for key and signature requests. `None` means the default policy: any one owner.
//!   Every participant of a workspace's policy must be an owner of it;
//! - at most one parent and at most [`Config::MaxChildren`] child workspaces;
//! - a derived account ([`Pallet::workspace_account`]) that can hold funds;
//! - a deposit ([`Config::WorkspaceDeposit`]) held from its creator and released when it is removed.
//!
//! Every change to an existing workspace is **gated by its admin policy** through the policy pallet
//! ([`Config::PolicyGate`]): an owner signs the call, the pallet checks it and submits it to the gate,
//! which either dispatches it at once (when the owner alone satisfies the policy) or stores it as an
//! action until enough participants approve. The call then comes back with an origin carrying an
//! [`Approval`] ([`Config::ApprovedOrigin`]); the pallet checks that the approval is for this
//! workspace and its *current* admin policy, checks the call again, and executes it. Creating a
//! workspace is not gated.
//!
//! **Keyrings** are off-chain systems (a node keystore or an MPC network) that produce keys and
//! signatures for a fee. A keyring has admins (at most [`Config::MaxKeyringAdmins`]), parties (the
//! accounts that answer requests, at most [`Config::MaxKeyringParties`]), a party threshold, a key
//! request fee, a sign request fee, an active flag and a derived account
//! ([`Pallet::keyring_account`]) that receives the fees it earns. Registering one holds a deposit
//! ([`Config::KeyringDeposit`]) from the registrant, so keyrings are not free spam; keyrings are never
//! removed (keys refer to them), so the deposit stays held while the chain keeps the keyring. Keyring
//! calls are not policy-gated: any admin of the keyring may make them.
//!
//! **Backends.** A keyring declares how it makes keys ([`KeyringBackend`]): `NodeKeystore` (each
//! party's node keystore holds whole keys; `party_threshold` identical answers fulfil a request) or
//! `Frost` (threshold keys: each party holds a share, any `party_threshold` parties sign together,
//! no party ever holds a key). The backend is fixed at registration.
//!
//! **Party threshold rule.** For a keystore keyring, at all times
//! `1 <= party_threshold <= max(1, number of parties)`: a keyring without parties has threshold 1,
//! and it cannot serve requests until it has at least `party_threshold` parties (the treasury checks
//! `party_count >= party_threshold`). For a threshold keyring, at all times
//! `2 <= party_threshold <= number of parties <= MaxThresholdParties`; once its parties hold shares
//! of a key ([`ThresholdKeyringState`]) its parties and threshold are frozen
//! ([`Error::PartiesFrozen`]): changing them would need resharing. Every call that would break a
//! rule fails with [`Error::InvalidThreshold`] — nothing is silently ignored.
//!
//! **Indexes.** [`OwnerWorkspaces`], [`AdminKeyrings`] and [`PartyKeyrings`] are double maps keyed by
//! account first, so a wallet lists an account's workspaces and keyrings by key prefix, without a
//! scan.
//!
//! Other pallets read this pallet only through [`WorkspaceInspect`] and [`KeyringInspect`].
//!
//! ## Dispatchable functions
//!
//! Workspaces (all but `create_workspace` gated by the workspace's admin policy):
//! - [`create_workspace`](Pallet::create_workspace): create a workspace owned by the caller and
//!   optional additional owners, with optional admin and sign policies.
//! - [`add_owner`](Pallet::add_owner): add an owner to a workspace.
//! - [`remove_owner`](Pallet::remove_owner): remove an owner (never the last one, never a participant
//!   of the workspace's policies).
//! - [`add_child_workspace`](Pallet::add_child_workspace): create a child workspace with the parent's
//!   owners and policies.
//! - [`append_child_workspace`](Pallet::append_child_workspace): make an existing root workspace a
//!   child of another one.
//! - [`update_workspace_policies`](Pallet::update_workspace_policies): change the admin and/or sign
//!   policy.
//! - [`remove_workspace`](Pallet::remove_workspace): remove a workspace without children and release
//!   its deposit.
//!
//! Keyrings (any admin of the keyring):
//! - [`register_keyring`](Pallet::register_keyring): register a keyring; the caller is its first
//!   admin.
//! - [`add_keyring_admin`](Pallet::add_keyring_admin) /
//!   [`remove_keyring_admin`](Pallet::remove_keyring_admin): add or remove an admin (never the last).
//! - [`add_keyring_party`](Pallet::add_keyring_party) /
//!   [`remove_keyring_party`](Pallet::remove_keyring_party): add or remove a party, optionally setting
//!   a new threshold.
//! - [`update_keyring`](Pallet::update_keyring): change the description, threshold or fees; only the
//!   given fields change.
//! - [`deactivate_keyring`](Pallet::deactivate_keyring) /
//!   [`reactivate_keyring`](Pallet::reactivate_keyring): stop or resume accepting new requests.
//! - [`withdraw_keyring_fees`](Pallet::withdraw_keyring_fees): move earned fees from the keyring's
//!   account to the calling admin.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	dispatch::{DispatchResult, DispatchResultWithPostInfo},
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
		Contains, EnsureOrigin,
	},
	BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PalletId, PartialEqNoBound,
};
use frame_system::pallet_prelude::*;
use scale_info::TypeInfo;
use sp_runtime::traits::{AccountIdConversion, Zero};
pub use zenrock_primitives::{
	ActionId, Approval, GateOutcome, KeyringBackend, KeyringId, KeyringInspect, KeyringTerms,
	PolicyContext, PolicyGate, PolicyId, ThresholdKeyringState, WorkspaceId, WorkspaceInspect,
};

pub use pallet::*;
pub use weights::WeightInfo;

/// Log target of this pallet.
const LOG_TARGET: &str = "runtime::zenrock-identity";

/// The balance type of [`Config::Currency`].
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A workspace: a group of owners that hold keys.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Workspace<T: Config> {
	/// The account that created the workspace; its deposit is held from this account.
	pub creator: T::AccountId,
	/// The deposit held from the creator, released when the workspace is removed.
	pub deposit: BalanceOf<T>,
	/// The workspace's derived account, which can hold funds.
	pub account: T::AccountId,
	/// The owners, in the order they joined. Never empty.
	pub owners: BoundedVec<T::AccountId, T::MaxOwners>,
	/// The policy that approves changes to this workspace; if none, any one owner.
	pub admin_policy: Option<PolicyId>,
	/// The policy that approves key and signature requests; if none, any one owner.
	pub sign_policy: Option<PolicyId>,
	/// The parent workspace, if this workspace is a child.
	pub parent: Option<WorkspaceId>,
	/// The child workspaces.
	pub children: BoundedVec<WorkspaceId, T::MaxChildren>,
}

/// A keyring: an off-chain system that produces keys and signatures for a fee.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Keyring<T: Config> {
	/// The account that registered the keyring; its deposit is held from this account.
	pub creator: T::AccountId,
	/// The deposit held from the creator.
	pub deposit: BalanceOf<T>,
	/// The keyring's derived account, which receives the fees the keyring earns.
	pub account: T::AccountId,
	/// A free-form description (e.g. who runs the keyring).
	pub description: BoundedVec<u8, T::MaxKeyringDescriptionLength>,
	/// How the keyring makes keys and signatures; fixed at registration.
	pub backend: KeyringBackend,
	/// The accounts that may change the keyring, in the order they were added. Never empty.
	pub admins: BoundedVec<T::AccountId, T::MaxKeyringAdmins>,
	/// The accounts that answer the keyring's requests, in the order they were added.
	pub parties: BoundedVec<T::AccountId, T::MaxKeyringParties>,
	/// Keystore keyrings: number of identical party answers that fulfil a request, at least 1
	/// and at most the number of parties (1 while there are none). Threshold keyrings: number of
	/// parties that sign together, at least 2 and at most the number of parties.
	pub party_threshold: u32,
	/// Fee for a key request.
	pub key_request_fee: BalanceOf<T>,
	/// Fee for a signature request.
	pub sign_request_fee: BalanceOf<T>,
	/// Whether the keyring accepts new requests.
	pub is_active: bool,
}

/// A keyring in the genesis config: `(admin, description, backend, parties, party threshold,
/// key request fee, sign request fee)`.
pub type GenesisKeyring<T> = (
	<T as frame_system::Config>::AccountId,
	Vec<u8>,
	KeyringBackend,
	Vec<<T as frame_system::Config>::AccountId>,
	u32,
	BalanceOf<T>,
	BalanceOf<T>,
);

/// A workspace and the requester of an approved operation on it.
type Authorized<T> = (Workspace<T>, <T as frame_system::Config>::AccountId);

/// Who is asking for a policy-gated workspace operation.
enum GatedCaller<AccountId> {
	/// An owner asking for it: the operation goes to the policy gate.
	Signed(AccountId),
	/// The policy gate dispatching it after approval: the operation runs.
	Approved(Approval<AccountId>),
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Builds an origin that [`Config::ApprovedOrigin`] accepts, and policies, for benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId, RuntimeOrigin> {
		/// An origin that `ApprovedOrigin` accepts with exactly `approval` as its success value.
		fn approved_origin(approval: Approval<AccountId>) -> RuntimeOrigin;
		/// Create a policy whose participants (as `PolicyGate::participants` reports them) are
		/// exactly `participants`, and return its id.
		fn policy_with_participants(participants: Vec<AccountId>) -> PolicyId;
	}

	/// Configuration of the identity pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The runtime call; policy-gated operations are submitted to [`Config::PolicyGate`] as one.
		type RuntimeCall: From<Call<Self>>;

		/// The runtime's hold reason, which includes this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// The currency in which deposits are held and keyring fees are paid.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The approval mechanism (the policy pallet) to which policy-gated operations are submitted.
		type PolicyGate: PolicyGate<Self::AccountId, <Self as Config>::RuntimeCall>;

		/// The origin with which [`Config::PolicyGate`] dispatches an approved operation.
		type ApprovedOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Approval<Self::AccountId>>;

		/// Workspaces that must not be removed, e.g. because keys belong to them. Use
		/// `frame_support::traits::Nothing` when nothing else refers to workspaces.
		type WorkspaceInUse: Contains<WorkspaceId>;

		/// The pallet id from which workspace and keyring accounts are derived.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The deposit held from the creator of a workspace, released when it is removed.
		#[pallet::constant]
		type WorkspaceDeposit: Get<BalanceOf<Self>>;

		/// The deposit held from the registrant of a keyring.
		#[pallet::constant]
		type KeyringDeposit: Get<BalanceOf<Self>>;

		/// The maximum number of owners of a workspace.
		#[pallet::constant]
		type MaxOwners: Get<u32>;

		/// The maximum number of child workspaces of a workspace.
		#[pallet::constant]
		type MaxChildren: Get<u32>;

		/// A workspace that already has this many ancestors (parent, grandparent, ...) cannot be
		/// given a child. Bounds the cycle check when appending a child.
		#[pallet::constant]
		type MaxWorkspaceDepth: Get<u32>;

		/// The maximum number of admins of a keyring.
		#[pallet::constant]
		type MaxKeyringAdmins: Get<u32>;

		/// The maximum number of parties of a keyring.
		#[pallet::constant]
		type MaxKeyringParties: Get<u32>;

		/// The maximum length, in bytes, of a keyring's description.
		#[pallet::constant]
		type MaxKeyringDescriptionLength: Get<u32>;

		/// The maximum number of parties of a threshold keyring (at most MaxKeyringParties): the
		/// cost of its ceremonies on chain grows with it.
		#[pallet::constant]
		type MaxThresholdParties: Get<u32>;

		/// Whether a threshold keyring's parties hold key shares (the MPC pallet).
		type ThresholdKeyrings: ThresholdKeyringState;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Builds approved origins and policies for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::RuntimeOrigin>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit for a workspace, held from its creator.
		#[codec(index = 0)]
		WorkspaceDeposit,
		/// The deposit for a keyring, held from its registrant.
		#[codec(index = 1)]
		KeyringDeposit,
	}

	/// The id the next workspace will get.
	#[pallet::storage]
	pub type NextWorkspaceId<T> = StorageValue<_, WorkspaceId, ValueQuery>;

	/// The workspaces, by id.
	#[pallet::storage]
	pub type Workspaces<T: Config> = StorageMap<_, Twox64Concat, WorkspaceId, Workspace<T>>;

	/// Index of the workspaces each account owns, keyed by owner first, so that an account's
	/// workspaces can be listed without a scan.
	#[pallet::storage]
	pub type OwnerWorkspaces<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, WorkspaceId, ()>;

	/// The id the next keyring will get.
	#[pallet::storage]
	pub type NextKeyringId<T> = StorageValue<_, KeyringId, ValueQuery>;

	/// The keyrings, by id.
	#[pallet::storage]
	pub type Keyrings<T: Config> = StorageMap<_, Twox64Concat, KeyringId, Keyring<T>>;

	/// Index of the keyrings each account administers, keyed by admin first.
	#[pallet::storage]
	pub type AdminKeyrings<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, KeyringId, ()>;

	/// Index of the keyrings each account is a party of, keyed by party first.
	#[pallet::storage]
	pub type PartyKeyrings<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, KeyringId, ()>;

	/// Workspaces and keyrings that exist from genesis. They hold no deposit.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Workspaces as `(creator, additional owners)`, with default policies; they get ids
		/// 0, 1, ... in this order.
		pub workspaces: Vec<(T::AccountId, Vec<T::AccountId>)>,
		/// Keyrings as `(admin, description, backend, parties, party threshold, key request fee,
		/// sign request fee)`, active; they get ids 0, 1, ... in this order.
		pub keyrings: Vec<GenesisKeyring<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (creator, additional) in &self.workspaces {
				let owners = Pallet::<T>::checked_owners(creator, additional)
					.expect("genesis workspace owners must be unique and within MaxOwners");
				Pallet::<T>::insert_workspace(
					creator.clone(),
					Zero::zero(),
					owners,
					None,
					None,
					None,
				)
				.expect("genesis workspace ids do not overflow");
			}
			for (admin, description, backend, parties, threshold, key_fee, sign_fee) in
				&self.keyrings
			{
				let description: BoundedVec<_, _> = description.clone().try_into().expect(
					"genesis keyring description must be within MaxKeyringDescriptionLength",
				);
				let parties: BoundedVec<_, _> = parties
					.clone()
					.try_into()
					.expect("genesis keyring parties must be within MaxKeyringParties");
				Pallet::<T>::insert_keyring(
					admin.clone(),
					Zero::zero(),
					description,
					*backend,
					parties,
					*threshold,
					*key_fee,
					*sign_fee,
				)
				.expect("genesis keyring must have unique parties and a valid threshold");
			}
		}
	}

	/// Events of the identity pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A workspace was created, as a child of the parent workspace if one is given. A policy
		/// that is not given is the default policy: any one owner.
		WorkspaceCreated {
			workspace: WorkspaceId,
			creator: T::AccountId,
			account: T::AccountId,
			parent: Option<WorkspaceId>,
			admin_policy: Option<PolicyId>,
			sign_policy: Option<PolicyId>,
		},
		/// A workspace was removed and its deposit released to its creator.
		WorkspaceRemoved { workspace: WorkspaceId, creator: T::AccountId, deposit: BalanceOf<T> },
		/// An owner was added to a workspace.
		OwnerAdded { workspace: WorkspaceId, owner: T::AccountId },
		/// An owner was removed from a workspace.
		OwnerRemoved { workspace: WorkspaceId, owner: T::AccountId },
		/// An existing workspace became a child of another one.
		ChildWorkspaceAppended { parent: WorkspaceId, child: WorkspaceId },
		/// A workspace's policies changed; the event gives both policies now in force. A policy
		/// that is not given is the default policy: any one owner.
		WorkspacePoliciesUpdated {
			workspace: WorkspaceId,
			admin_policy: Option<PolicyId>,
			sign_policy: Option<PolicyId>,
		},
		/// A workspace operation waits for approvals in the policy action given.
		OperationPending { workspace: WorkspaceId, requester: T::AccountId, action: ActionId },
		/// A keyring was registered; the admin given is its first admin.
		KeyringRegistered {
			keyring: KeyringId,
			admin: T::AccountId,
			account: T::AccountId,
			backend: KeyringBackend,
			party_threshold: u32,
		},
		/// An admin was added to a keyring.
		KeyringAdminAdded { keyring: KeyringId, admin: T::AccountId },
		/// An admin was removed from a keyring.
		KeyringAdminRemoved { keyring: KeyringId, admin: T::AccountId },
		/// A party was added to a keyring; the party threshold given is the one now in force.
		KeyringPartyAdded { keyring: KeyringId, party: T::AccountId, party_threshold: u32 },
		/// A party was removed from a keyring; the party threshold given is the one now in force.
		KeyringPartyRemoved { keyring: KeyringId, party: T::AccountId, party_threshold: u32 },
		/// Some fields of a keyring changed; the fields not given did not change.
		KeyringUpdated {
			keyring: KeyringId,
			description: Option<BoundedVec<u8, T::MaxKeyringDescriptionLength>>,
			party_threshold: Option<u32>,
			key_request_fee: Option<BalanceOf<T>>,
			sign_request_fee: Option<BalanceOf<T>>,
		},
		/// A keyring stopped accepting new requests.
		KeyringDeactivated { keyring: KeyringId },
		/// A keyring accepts new requests again.
		KeyringReactivated { keyring: KeyringId },
		/// Earned fees moved from a keyring's account to one of its admins.
		KeyringFeesWithdrawn { keyring: KeyringId, to: T::AccountId, amount: BalanceOf<T> },
	}

	/// Errors of the identity pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No workspace has this id.
		UnknownWorkspace,
		/// The caller (or the requester of an approved operation) is not an owner of the workspace.
		NotOwner,
		/// The account is already an owner of the workspace.
		AlreadyOwner,
		/// The same account is listed more than once as an owner.
		DuplicateOwner,
		/// The workspace would have more than MaxOwners owners.
		TooManyOwners,
		/// The account to remove is not an owner of the workspace.
		OwnerNotFound,
		/// The last owner of a workspace cannot be removed.
		LastOwner,
		/// The owner participates in the workspace's admin or sign policy; change the policy first.
		OwnerIsPolicyParticipant,
		/// A participant of the given policy is not an owner of the workspace.
		PolicyParticipantNotOwner,
		/// The workspace would have more than MaxChildren children.
		TooManyChildren,
		/// The workspace already has a parent; a workspace has at most one.
		AlreadyHasParent,
		/// Appending the workspace would make it its own ancestor.
		WouldCreateCycle,
		/// The parent has MaxWorkspaceDepth ancestors already and cannot be given a child.
		HierarchyTooDeep,
		/// The workspace still has child workspaces; it cannot be removed.
		HasChildren,
		/// The workspace is in use elsewhere (e.g. keys belong to it); it cannot be removed.
		WorkspaceInUse,
		/// The workspace's account holds funds; it cannot be removed.
		WorkspaceHasFunds,
		/// The approval was given for another workspace than the one this call changes.
		ApprovalForOtherWorkspace,
		/// The workspace's admin policy changed since the operation was approved.
		AdminPolicyChanged,
		/// The call changes nothing.
		NothingToUpdate,
		/// No more ids are available.
		IdsExhausted,
		/// No keyring has this id.
		UnknownKeyring,
		/// The caller is not an admin of the keyring.
		NotKeyringAdmin,
		/// The account is already an admin of the keyring.
		AlreadyKeyringAdmin,
		/// The account to remove is not an admin of the keyring.
		AdminNotFound,
		/// The keyring would have more than MaxKeyringAdmins admins.
		TooManyAdmins,
		/// The last admin of a keyring cannot be removed.
		LastAdmin,
		/// The account is already a party of the keyring.
		AlreadyParty,
		/// The same account is listed more than once as a party.
		DuplicateParty,
		/// The account to remove is not a party of the keyring.
		PartyNotFound,
		/// The keyring would have more than MaxKeyringParties parties.
		TooManyParties,
		/// Keystore keyrings: the party threshold must be at least 1 and at most the number of
		/// parties (1 while there are none). Threshold keyrings: at least 2 and at most the number
		/// of parties, which is at most MaxThresholdParties.
		InvalidThreshold,
		/// The threshold keyring's parties hold shares of its keys: its parties and threshold
		/// cannot change (that would need resharing).
		PartiesFrozen,
		/// The keyring is already active.
		KeyringAlreadyActive,
		/// The keyring is already inactive.
		KeyringAlreadyInactive,
		/// The keyring's account does not hold that much above its existential deposit.
		InsufficientKeyringFunds,
		/// The keyring description is longer than MaxKeyringDescriptionLength bytes.
		DescriptionTooLong,
		/// The caller's free balance cannot cover the workspace deposit (WorkspaceDeposit), held
		/// until the workspace is removed.
		InsufficientBalanceForWorkspaceDeposit,
		/// The caller's free balance cannot cover the keyring deposit (KeyringDeposit), held while
		/// the keyring is registered.
		InsufficientBalanceForKeyringDeposit,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxOwners::get() >= 1, "a workspace needs room for one owner");
			assert!(T::MaxKeyringAdmins::get() >= 1, "a keyring needs room for one admin");
			assert!(
				(2..=T::MaxKeyringParties::get()).contains(&T::MaxThresholdParties::get()),
				"a threshold keyring needs room for two parties, within MaxKeyringParties"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a workspace owned by the caller and the additional owners given.
		///
		/// Any signed account may call. Holds WorkspaceDeposit from the caller. Owners must be
		/// distinct (the caller is included automatically) and at most MaxOwners. Every participant
		/// of a given admin or sign policy must be an owner; a policy not given is the default
		/// policy, any one owner.
		///
		/// Emits WorkspaceCreated.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_workspace(additional_owners.len() as u32))]
		pub fn create_workspace(
			origin: OriginFor<T>,
			additional_owners: Vec<T::AccountId>,
			admin_policy: Option<PolicyId>,
			sign_policy: Option<PolicyId>,
		) -> DispatchResult {
			let creator = ensure_signed(origin)?;
			let owners = Self::checked_owners(&creator, &additional_owners)?;
			Self::ensure_policy_within_owners(admin_policy, &owners)?;
			Self::ensure_policy_within_owners(sign_policy, &owners)?;
			let deposit = T::WorkspaceDeposit::get();
			Self::hold_deposit(HoldReason::WorkspaceDeposit, &creator, deposit)?;
			Self::insert_workspace(creator, deposit, owners, admin_policy, sign_policy, None)?;
			Ok(())
		}

		/// Add a new owner to a workspace. Gated by the workspace's admin policy.
		///
		/// Signed by an owner: checked, then submitted to the policy gate (runs at once or emits
		/// OperationPending). With the approved origin: runs. Emits OwnerAdded.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::add_owner().saturating_add(T::PolicyGate::submit_weight()))]
		pub fn add_owner(
			origin: OriginFor<T>,
			workspace: WorkspaceId,
			new_owner: T::AccountId,
		) -> DispatchResultWithPostInfo {
			let Some((mut ws, _)) = Self::authorize(
				origin,
				workspace,
				|| Call::add_owner { workspace, new_owner: new_owner.clone() },
				|ws, _| Self::ensure_can_add_owner(ws, &new_owner),
			)?
			else {
				return Ok(().into());
			};
			ws.owners.try_push(new_owner.clone()).map_err(|_| Error::<T>::TooManyOwners)?;
			Workspaces::<T>::insert(workspace, ws);
			OwnerWorkspaces::<T>::insert(&new_owner, workspace, ());
			Self::deposit_event(Event::OwnerAdded { workspace, owner: new_owner });
			Ok(Some(T::WeightInfo::add_owner()).into())
		}

		/// Remove an owner from a workspace. Gated by the workspace's admin policy.
		///
		/// Refused for the last owner and for an owner who participates in the workspace's admin or
		/// sign policy. Signed by an owner: checked, then submitted to the policy gate. With the
		/// approved origin: runs. Emits OwnerRemoved.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::remove_owner().saturating_add(T::PolicyGate::submit_weight()))]
		pub fn remove_owner(
			origin: OriginFor<T>,
			workspace: WorkspaceId,
			owner: T::AccountId,
		) -> DispatchResultWithPostInfo {
			let Some((mut ws, _)) = Self::authorize(
				origin,
				workspace,
				|| Call::remove_owner { workspace, owner: owner.clone() },
				|ws, _| Self::ensure_can_remove_owner(ws, &owner),
			)?
			else {
				return Ok(().into());
			};
			ws.owners.retain(|o| o != &owner);
			Workspaces::<T>::insert(workspace, ws);
			OwnerWorkspaces::<T>::remove(&owner, workspace);
			Self::deposit_event(Event::OwnerRemoved { workspace, owner });
			Ok(Some(T::WeightInfo::remove_owner()).into())
		}

		/// Create a child workspace of a parent workspace, with the parent's owners and policies.
		/// Gated by the parent's admin policy.
		///
		/// The requester becomes the child's creator: WorkspaceDeposit is held from them when the
		/// operation runs. Emits WorkspaceCreated with parent set.
		#[pallet::call_index(3)]
		#[pallet::weight(
			T::WeightInfo::add_child_workspace().saturating_add(T::PolicyGate::submit_weight())
		)]
		pub fn add_child_workspace(
			origin: OriginFor<T>,
			parent: WorkspaceId,
		) -> DispatchResultWithPostInfo {
			let Some((mut parent_ws, requester)) = Self::authorize(
				origin,
				parent,
				|| Call::add_child_workspace { parent },
				|ws, _| Self::ensure_can_adopt(parent, ws, None),
			)?
			else {
				return Ok(().into());
			};
			let deposit = T::WorkspaceDeposit::get();
			Self::hold_deposit(HoldReason::WorkspaceDeposit, &requester, deposit)?;
			let child = Self::insert_workspace(
				requester,
				deposit,
				parent_ws.owners.clone(),
				parent_ws.admin_policy,
				parent_ws.sign_policy,
				Some(parent),
			)?;
			parent_ws.children.try_push(child).map_err(|_| Error::<T>::TooManyChildren)?;
			Workspaces::<T>::insert(parent, parent_ws);
			Ok(Some(T::WeightInfo::add_child_workspace()).into())
		}

		/// Make an existing workspace (child) a child of another (parent). Gated by the parent's
		/// admin policy.
		///
		/// The requester must own both; the child must have no parent yet, and must not be the
		/// parent itself or one of its ancestors. Emits ChildWorkspaceAppended.
		#[pallet::call_index(4)]
		#[pallet::weight(
			T::WeightInfo::append_child_workspace().saturating_add(T::PolicyGate::submit_weight())
		)]
		pub fn append_child_workspace(
			origin: OriginFor<T>,
			parent: WorkspaceId,
			child: WorkspaceId,
		) -> DispatchResultWithPostInfo {
			let Some((mut parent_ws, _)) = Self::authorize(
				origin,
				parent,
				|| Call::append_child_workspace { parent, child },
				|ws, requester| {
					let child_ws = Self::workspace(child)?;
					ensure!(child_ws.owners.contains(requester), Error::<T>::NotOwner);
					ensure!(child_ws.parent.is_none(), Error::<T>::AlreadyHasParent);
					Self::ensure_can_adopt(parent, ws, Some(child))
				},
			)?
			else {
				return Ok(().into());
			};
			let mut child_ws = Self::workspace(child)?;
			parent_ws.children.try_push(child).map_err(|_| Error::<T>::TooManyChildren)?;
			child_ws.parent = Some(parent);
			Workspaces::<T>::insert(parent, parent_ws);
			Workspaces::<T>::insert(child, child_ws);
			Self::deposit_event(Event::ChildWorkspaceAppended { parent, child });
			Ok(Some(T::WeightInfo::append_child_workspace()).into())
		}

		/// Change the admin and/or sign policy of a workspace. Gated by the workspace's CURRENT
		/// admin policy.
		///
		/// For each of the two policies: not given keeps it; given as none sets the default policy
		/// (any one owner); given as a policy id sets that policy, all of whose participants must
		/// be owners.
		/// Emits WorkspacePoliciesUpdated.
		#[pallet::call_index(5)]
		#[pallet::weight(
			T::WeightInfo::update_workspace_policies()
				.saturating_add(T::PolicyGate::submit_weight())
		)]
		pub fn update_workspace_policies(
			origin: OriginFor<T>,
			workspace: WorkspaceId,
			admin_policy: Option<Option<PolicyId>>,
			sign_policy: Option<Option<PolicyId>>,
		) -> DispatchResultWithPostInfo {
			let Some((mut ws, _)) = Self::authorize(
				origin,
				workspace,
				|| Call::update_workspace_policies { workspace, admin_policy, sign_policy },
				|ws, _| {
					ensure!(
						admin_policy.is_some() || sign_policy.is_some(),
						Error::<T>::NothingToUpdate
					);
					if let Some(policy) = admin_policy {
						Self::ensure_policy_within_owners(policy, &ws.owners)?;
					}
					if let Some(policy) = sign_policy {
						Self::ensure_policy_within_owners(policy, &ws.owners)?;
					}
					Ok(())
				},
			)?
			else {
				return Ok(().into());
			};
			if let Some(policy) = admin_policy {
				ws.admin_policy = policy;
			}
			if let Some(policy) = sign_policy {
				ws.sign_policy = policy;
			}
			let (admin_policy, sign_policy) = (ws.admin_policy, ws.sign_policy);
			Workspaces::<T>::insert(workspace, ws);
			Self::deposit_event(Event::WorkspacePoliciesUpdated {
				workspace,
				admin_policy,
				sign_policy,
			});
			Ok(Some(T::WeightInfo::update_workspace_policies()).into())
		}

		/// Remove a workspace and release its deposit to its creator. Gated by the workspace's
		/// admin policy.
		///
		/// Refused while it has children, while it is in use elsewhere (WorkspaceInUse), or while
		/// its account holds funds. A child is detached from its parent. Emits WorkspaceRemoved.
		#[pallet::call_index(6)]
		#[pallet::weight(
			T::WeightInfo::remove_workspace().saturating_add(T::PolicyGate::submit_weight())
		)]
		pub fn remove_workspace(
			origin: OriginFor<T>,
			workspace: WorkspaceId,
		) -> DispatchResultWithPostInfo {
			let Some((ws, _)) = Self::authorize(
				origin,
				workspace,
				|| Call::remove_workspace { workspace },
				|ws, _| {
					ensure!(ws.children.is_empty(), Error::<T>::HasChildren);
					ensure!(!T::WorkspaceInUse::contains(&workspace), Error::<T>::WorkspaceInUse);
					ensure!(
						T::Currency::total_balance(&ws.account).is_zero(),
						Error::<T>::WorkspaceHasFunds
					);
					Ok(())
				},
			)?
			else {
				return Ok(().into());
			};
			if let Some(parent) = ws.parent {
				Workspaces::<T>::mutate(parent, |maybe_parent| {
					if let Some(parent_ws) = maybe_parent {
						parent_ws.children.retain(|c| *c != workspace);
					}
				});
			}
			for owner in &ws.owners {
				OwnerWorkspaces::<T>::remove(owner, workspace);
			}
			Workspaces::<T>::remove(workspace);
			Self::release_deposit(HoldReason::WorkspaceDeposit, &ws.creator, ws.deposit);
			Self::deposit_event(Event::WorkspaceRemoved {
				workspace,
				creator: ws.creator,
				deposit: ws.deposit,
			});
			Ok(Some(T::WeightInfo::remove_workspace()).into())
		}

		/// Register a keyring with its backend; the caller becomes its first admin.
		///
		/// Any signed account may call. Holds KeyringDeposit from the caller. The parties must be
		/// distinct and at most MaxKeyringParties; the description is at most
		/// MaxKeyringDescriptionLength bytes. NodeKeystore: the parties may be empty (add them
		/// later) and the threshold is at least 1 and at most the number of parties (1 while there
		/// are none). Frost: 2 <= threshold <= parties <= MaxThresholdParties. The keyring starts
		/// active. Emits KeyringRegistered.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::register_keyring(
			description.len() as u32,
			parties.len() as u32,
		))]
		pub fn register_keyring(
			origin: OriginFor<T>,
			description: Vec<u8>,
			backend: KeyringBackend,
			parties: Vec<T::AccountId>,
			party_threshold: u32,
			key_request_fee: BalanceOf<T>,
			sign_request_fee: BalanceOf<T>,
		) -> DispatchResult {
			let description = Self::bounded_description(description)?;
			let parties: BoundedVec<T::AccountId, T::MaxKeyringParties> =
				parties.try_into().map_err(|_| Error::<T>::TooManyParties)?;
			let admin = ensure_signed(origin)?;
			Self::ensure_valid_threshold(backend, party_threshold, parties.len())?;
			Self::ensure_distinct_parties(&parties)?;
			let deposit = T::KeyringDeposit::get();
			Self::hold_deposit(HoldReason::KeyringDeposit, &admin, deposit)?;
			Self::insert_keyring(
				admin,
				deposit,
				description,
				backend,
				parties,
				party_threshold,
				key_request_fee,
				sign_request_fee,
			)?;
			Ok(())
		}

		/// Add an admin to a keyring. Only an admin of the keyring may call.
		///
		/// Emits KeyringAdminAdded.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::add_keyring_admin())]
		pub fn add_keyring_admin(
			origin: OriginFor<T>,
			keyring: KeyringId,
			admin: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut kr = Self::keyring_for_admin(keyring, &who)?;
			ensure!(!kr.admins.contains(&admin), Error::<T>::AlreadyKeyringAdmin);
			kr.admins.try_push(admin.clone()).map_err(|_| Error::<T>::TooManyAdmins)?;
			Keyrings::<T>::insert(keyring, kr);
			AdminKeyrings::<T>::insert(&admin, keyring, ());
			Self::deposit_event(Event::KeyringAdminAdded { keyring, admin });
			Ok(())
		}

		/// Remove an admin from a keyring (never the last admin). Only an admin of the keyring may
		/// call; an admin may remove themself.
		///
		/// Emits KeyringAdminRemoved.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::remove_keyring_admin())]
		pub fn remove_keyring_admin(
			origin: OriginFor<T>,
			keyring: KeyringId,
			admin: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut kr = Self::keyring_for_admin(keyring, &who)?;
			let position =
				kr.admins.iter().position(|a| a == &admin).ok_or(Error::<T>::AdminNotFound)?;
			ensure!(kr.admins.len() > 1, Error::<T>::LastAdmin);
			kr.admins.remove(position);
			Keyrings::<T>::insert(keyring, kr);
			AdminKeyrings::<T>::remove(&admin, keyring);
			Self::deposit_event(Event::KeyringAdminRemoved { keyring, admin });
			Ok(())
		}

		/// Add a party to a keyring, and set a new threshold if one is given. Only an
		/// admin of the keyring may call.
		///
		/// The resulting threshold must be valid for the keyring's backend (InvalidThreshold); a
		/// threshold keyring whose parties hold shares cannot change (PartiesFrozen).
		/// Emits KeyringPartyAdded.
		#[pallet::call_index(13)]
		// Plus the read of the threshold keyring state, which the keystore worst case skips.
		#[pallet::weight(T::WeightInfo::add_keyring_party().saturating_add(T::DbWeight::get().reads(1)))]
		pub fn add_keyring_party(
			origin: OriginFor<T>,
			keyring: KeyringId,
			party: T::AccountId,
			new_threshold: Option<u32>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut kr = Self::keyring_for_admin(keyring, &who)?;
			Self::ensure_parties_may_change(keyring, &kr)?;
			ensure!(!kr.parties.contains(&party), Error::<T>::AlreadyParty);
			kr.parties.try_push(party.clone()).map_err(|_| Error::<T>::TooManyParties)?;
			let party_threshold = new_threshold.unwrap_or(kr.party_threshold);
			Self::ensure_valid_threshold(kr.backend, party_threshold, kr.parties.len())?;
			kr.party_threshold = party_threshold;
			Keyrings::<T>::insert(keyring, kr);
			PartyKeyrings::<T>::insert(&party, keyring, ());
			Self::deposit_event(Event::KeyringPartyAdded { keyring, party, party_threshold });
			Ok(())
		}

		/// Remove a party from a keyring, and set a new threshold if one is given. Only
		/// an admin of the keyring may call.
		///
		/// The resulting threshold must be valid for the keyring's backend (InvalidThreshold): to
		/// remove a party when the threshold equals the party count, give a lower new threshold. A
		/// threshold keyring whose parties hold shares cannot change (PartiesFrozen).
		/// Emits KeyringPartyRemoved.
		#[pallet::call_index(14)]
		// Plus the read of the threshold keyring state, which the keystore worst case skips.
		#[pallet::weight(T::WeightInfo::remove_keyring_party().saturating_add(T::DbWeight::get().reads(1)))]
		pub fn remove_keyring_party(
			origin: OriginFor<T>,
			keyring: KeyringId,
			party: T::AccountId,
			new_threshold: Option<u32>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut kr = Self::keyring_for_admin(keyring, &who)?;
			Self::ensure_parties_may_change(keyring, &kr)?;
			let position =
				kr.parties.iter().position(|p| p == &party).ok_or(Error::<T>::PartyNotFound)?;
			kr.parties.remove(position);
			let party_threshold = new_threshold.unwrap_or(kr.party_threshold);
			Self::ensure_valid_threshold(kr.backend, party_threshold, kr.parties.len())?;
			kr.party_threshold = party_threshold;
			Keyrings::<T>::insert(keyring, kr);
			PartyKeyrings::<T>::remove(&party, keyring);
			Self::deposit_event(Event::KeyringPartyRemoved { keyring, party, party_threshold });
			Ok(())
		}

		/// Change some fields of a keyring; fields not given keep their value. Only an admin of the
		/// keyring may call.
		///
		/// A new party threshold must be valid for the keyring's backend (InvalidThreshold); a
		/// threshold keyring whose parties hold shares keeps its threshold (PartiesFrozen). At
		/// least one field must be given. Emits KeyringUpdated.
		#[pallet::call_index(15)]
		// Plus the read of the threshold keyring state, which the keystore worst case skips.
		#[pallet::weight(T::WeightInfo::update_keyring().saturating_add(T::DbWeight::get().reads(1)))]
		pub fn update_keyring(
			origin: OriginFor<T>,
			keyring: KeyringId,
			description: Option<Vec<u8>>,
			party_threshold: Option<u32>,
			key_request_fee: Option<BalanceOf<T>>,
			sign_request_fee: Option<BalanceOf<T>>,
		) -> DispatchResult {
			let description = description.map(Self::bounded_description).transpose()?;
			let who = ensure_signed(origin)?;
			let mut kr = Self::keyring_for_admin(keyring, &who)?;
			ensure!(
				description.is_some()
					|| party_threshold.is_some()
					|| key_request_fee.is_some()
					|| sign_request_fee.is_some(),
				Error::<T>::NothingToUpdate
			);
			if let Some(threshold) = party_threshold {
				Self::ensure_parties_may_change(keyring, &kr)?;
				Self::ensure_valid_threshold(kr.backend, threshold, kr.parties.len())?;
				kr.party_threshold = threshold;
			}
			if let Some(text) = &description {
				kr.description = text.clone();
			}
			if let Some(fee) = key_request_fee {
				kr.key_request_fee = fee;
			}
			if let Some(fee) = sign_request_fee {
				kr.sign_request_fee = fee;
			}
			Keyrings::<T>::insert(keyring, kr);
			Self::deposit_event(Event::KeyringUpdated {
				keyring,
				description,
				party_threshold,
				key_request_fee,
				sign_request_fee,
			});
			Ok(())
		}

		/// Stop a keyring from accepting new requests. Only an admin of the keyring may call.
		///
		/// Emits KeyringDeactivated.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::deactivate_keyring())]
		pub fn deactivate_keyring(origin: OriginFor<T>, keyring: KeyringId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut kr = Self::keyring_for_admin(keyring, &who)?;
			ensure!(kr.is_active, Error::<T>::KeyringAlreadyInactive);
			kr.is_active = false;
			Keyrings::<T>::insert(keyring, kr);
			Self::deposit_event(Event::KeyringDeactivated { keyring });
			Ok(())
		}

		/// Let a keyring accept new requests again. Only an admin of the keyring may call.
		///
		/// Emits KeyringReactivated.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::reactivate_keyring())]
		pub fn reactivate_keyring(origin: OriginFor<T>, keyring: KeyringId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut kr = Self::keyring_for_admin(keyring, &who)?;
			ensure!(!kr.is_active, Error::<T>::KeyringAlreadyActive);
			kr.is_active = true;
			Keyrings::<T>::insert(keyring, kr);
			Self::deposit_event(Event::KeyringReactivated { keyring });
			Ok(())
		}

		/// Move an amount of earned fees from a keyring's account to the caller. Only an admin of
		/// the keyring may call.
		///
		/// The keyring's account is kept alive (its existential deposit stays), so that it can
		/// keep receiving small fees. Emits KeyringFeesWithdrawn.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::withdraw_keyring_fees())]
		pub fn withdraw_keyring_fees(
			origin: OriginFor<T>,
			keyring: KeyringId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let kr = Self::keyring_for_admin(keyring, &who)?;
			let available = T::Currency::reducible_balance(
				&kr.account,
				Preservation::Preserve,
				Fortitude::Polite,
			);
			ensure!(amount <= available, Error::<T>::InsufficientKeyringFunds);
			T::Currency::transfer(&kr.account, &who, amount, Preservation::Preserve)?;
			Self::deposit_event(Event::KeyringFeesWithdrawn { keyring, to: who, amount });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The derived account of workspace `workspace`.
	pub fn workspace_account(workspace: WorkspaceId) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating((b"ws", workspace))
	}

	/// The derived account of keyring `keyring`, which receives the fees it earns.
	pub fn keyring_account(keyring: KeyringId) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating((b"kr", keyring))
	}

	/// The workspace `workspace`, or `UnknownWorkspace`.
	pub fn workspace(workspace: WorkspaceId) -> Result<Workspace<T>, DispatchError> {
		Workspaces::<T>::get(workspace).ok_or_else(|| Error::<T>::UnknownWorkspace.into())
	}

	/// The keyring `keyring`, or `UnknownKeyring`.
	/// The keyrings `party` is a party of (from the `PartyKeyrings` index).
	pub fn keyrings_of_party(party: &T::AccountId) -> Vec<KeyringId> {
		PartyKeyrings::<T>::iter_key_prefix(party).collect()
	}

	/// The keyring `keyring`, or `UnknownKeyring`.
	pub fn keyring(keyring: KeyringId) -> Result<Keyring<T>, DispatchError> {
		Keyrings::<T>::get(keyring).ok_or_else(|| Error::<T>::UnknownKeyring.into())
	}

	/// The keyring `keyring` if `who` is one of its admins.
	fn keyring_for_admin(
		keyring: KeyringId,
		who: &T::AccountId,
	) -> Result<Keyring<T>, DispatchError> {
		let kr = Self::keyring(keyring)?;
		ensure!(kr.admins.contains(who), Error::<T>::NotKeyringAdmin);
		Ok(kr)
	}

	/// The caller of a policy-gated operation.
	fn gated_caller(origin: OriginFor<T>) -> Result<GatedCaller<T::AccountId>, DispatchError> {
		match T::ApprovedOrigin::try_origin(origin) {
			Ok(approval) => Ok(GatedCaller::Approved(approval)),
			Err(origin) => Ok(GatedCaller::Signed(ensure_signed(origin)?)),
		}
	}

	/// The common part of every policy-gated workspace operation.
	///
	/// Signed origin: the caller must own `workspace`; `check` runs with the caller as requester,
	/// then `call` goes to the policy gate under the workspace's admin policy. Returns `None`: the
	/// gate has run it already, or stored it (then `OperationPending` is emitted).
	///
	/// Approved origin: the approval must be for `workspace` and its current admin policy; `check`
	/// runs with the approval's requester. Returns the workspace and the requester: the caller
	/// executes the operation.
	fn authorize(
		origin: OriginFor<T>,
		workspace: WorkspaceId,
		call: impl FnOnce() -> Call<T>,
		check: impl FnOnce(&Workspace<T>, &T::AccountId) -> DispatchResult,
	) -> Result<Option<Authorized<T>>, DispatchError> {
		let caller = Self::gated_caller(origin)?;
		let ws = Self::workspace(workspace)?;
		match caller {
			GatedCaller::Signed(who) => {
				ensure!(ws.owners.contains(&who), Error::<T>::NotOwner);
				check(&ws, &who)?;
				let outcome = T::PolicyGate::submit(
					&who,
					workspace,
					ws.admin_policy,
					call().into(),
					PolicyContext::default(),
				)?;
				if let GateOutcome::Pending(action) = outcome {
					log::debug!(
						target: LOG_TARGET,
						"workspace {workspace}: operation waits for approvals in action {action}"
					);
					Self::deposit_event(Event::OperationPending {
						workspace,
						requester: who,
						action,
					});
				}
				Ok(None)
			}
			GatedCaller::Approved(approval) => {
				ensure!(approval.workspace == workspace, Error::<T>::ApprovalForOtherWorkspace);
				ensure!(approval.policy == ws.admin_policy, Error::<T>::AdminPolicyChanged);
				check(&ws, &approval.requester)?;
				Ok(Some((ws, approval.requester)))
			}
		}
	}

	/// The owners of a new workspace: `creator` then `additional`, all distinct, within bounds.
	fn checked_owners(
		creator: &T::AccountId,
		additional: &[T::AccountId],
	) -> Result<BoundedVec<T::AccountId, T::MaxOwners>, DispatchError> {
		let mut owners = BoundedVec::<T::AccountId, T::MaxOwners>::new();
		for owner in core::iter::once(creator).chain(additional.iter()) {
			ensure!(!owners.contains(owner), Error::<T>::DuplicateOwner);
			owners.try_push(owner.clone()).map_err(|_| Error::<T>::TooManyOwners)?;
		}
		Ok(owners)
	}

	/// Every participant of `policy` (if any) is one of `owners`.
	fn ensure_policy_within_owners(
		policy: Option<PolicyId>,
		owners: &[T::AccountId],
	) -> DispatchResult {
		if let Some(policy) = policy {
			let participants = T::PolicyGate::participants(policy)?;
			ensure!(
				participants.iter().all(|p| owners.contains(p)),
				Error::<T>::PolicyParticipantNotOwner
			);
		}
		Ok(())
	}

	fn ensure_can_add_owner(ws: &Workspace<T>, new_owner: &T::AccountId) -> DispatchResult {
		ensure!(!ws.owners.contains(new_owner), Error::<T>::AlreadyOwner);
		ensure!((ws.owners.len() as u32) < T::MaxOwners::get(), Error::<T>::TooManyOwners);
		Ok(())
	}

	fn ensure_can_remove_owner(ws: &Workspace<T>, owner: &T::AccountId) -> DispatchResult {
		ensure!(ws.owners.contains(owner), Error::<T>::OwnerNotFound);
		ensure!(ws.owners.len() > 1, Error::<T>::LastOwner);
		for policy in [ws.admin_policy, ws.sign_policy].into_iter().flatten() {
			ensure!(
				!T::PolicyGate::participants(policy)?.contains(owner),
				Error::<T>::OwnerIsPolicyParticipant
			);
		}
		Ok(())
	}

	/// `parent` (stored as `parent_ws`) may be given a child (`child`, if it exists already):
	/// it has room, it has fewer than `MaxWorkspaceDepth` ancestors, and `child` is neither
	/// `parent` nor one of its ancestors.
	fn ensure_can_adopt(
		parent: WorkspaceId,
		parent_ws: &Workspace<T>,
		child: Option<WorkspaceId>,
	) -> DispatchResult {
		ensure!(
			(parent_ws.children.len() as u32) < T::MaxChildren::get(),
			Error::<T>::TooManyChildren
		);
		ensure!(child != Some(parent), Error::<T>::WouldCreateCycle);
		let mut ancestor = parent_ws.parent;
		let mut depth: u32 = 0;
		while let Some(id) = ancestor {
			ensure!(child != Some(id), Error::<T>::WouldCreateCycle);
			depth = depth.saturating_add(1);
			ensure!(depth < T::MaxWorkspaceDepth::get(), Error::<T>::HierarchyTooDeep);
			ancestor = Workspaces::<T>::get(id).and_then(|ws| ws.parent);
		}
		Ok(())
	}

	/// The party threshold rule of `backend` (see the crate docs).
	fn ensure_valid_threshold(
		backend: KeyringBackend,
		threshold: u32,
		party_count: usize,
	) -> DispatchResult {
		let party_count = party_count as u32;
		let valid = match backend {
			KeyringBackend::NodeKeystore => threshold >= 1 && threshold <= party_count.max(1),
			KeyringBackend::Frost | KeyringBackend::ThresholdEcdsa => {
				threshold >= 2
					&& threshold <= party_count
					&& party_count <= T::MaxThresholdParties::get()
			}
		};
		ensure!(valid, Error::<T>::InvalidThreshold);
		Ok(())
	}

	/// A threshold keyring's parties and threshold are frozen once its parties hold shares.
	fn ensure_parties_may_change(keyring: KeyringId, kr: &Keyring<T>) -> DispatchResult {
		let frozen = kr.backend.is_threshold() && T::ThresholdKeyrings::holds_shares(keyring);
		ensure!(!frozen, Error::<T>::PartiesFrozen);
		Ok(())
	}

	/// A keyring description, once it is within `MaxKeyringDescriptionLength`.
	fn bounded_description(
		description: Vec<u8>,
	) -> Result<BoundedVec<u8, T::MaxKeyringDescriptionLength>, DispatchError> {
		Ok(description.try_into().map_err(|_| Error::<T>::DescriptionTooLong)?)
	}

	/// Hold a deposit; a hold that fails for want of funds says which deposit could not be held.
	fn hold_deposit(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::hold(&reason.into(), who, amount).map_err(|error| match error {
			DispatchError::Token(_) => match reason {
				HoldReason::WorkspaceDeposit => Error::<T>::InsufficientBalanceForWorkspaceDeposit,
				HoldReason::KeyringDeposit => Error::<T>::InsufficientBalanceForKeyringDeposit,
			}
			.into(),
			other => other,
		})
	}

	fn ensure_distinct_parties(parties: &[T::AccountId]) -> DispatchResult {
		for (i, party) in parties.iter().enumerate() {
			ensure!(!parties.iter().skip(i + 1).any(|p| p == party), Error::<T>::DuplicateParty);
		}
		Ok(())
	}

	/// Store a new workspace (the deposit is already held), update the indexes and emit
	/// `WorkspaceCreated`. Returns its id.
	fn insert_workspace(
		creator: T::AccountId,
		deposit: BalanceOf<T>,
		owners: BoundedVec<T::AccountId, T::MaxOwners>,
		admin_policy: Option<PolicyId>,
		sign_policy: Option<PolicyId>,
		parent: Option<WorkspaceId>,
	) -> Result<WorkspaceId, DispatchError> {
		let workspace = NextWorkspaceId::<T>::get();
		let next = workspace.checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
		NextWorkspaceId::<T>::put(next);
		let account = Self::workspace_account(workspace);
		for owner in &owners {
			OwnerWorkspaces::<T>::insert(owner, workspace, ());
		}
		Workspaces::<T>::insert(
			workspace,
			Workspace {
				creator: creator.clone(),
				deposit,
				account: account.clone(),
				owners,
				admin_policy,
				sign_policy,
				parent,
				children: BoundedVec::new(),
			},
		);
		Self::deposit_event(Event::WorkspaceCreated {
			workspace,
			creator,
			account,
			parent,
			admin_policy,
			sign_policy,
		});
		Ok(workspace)
	}

	/// Store a new keyring (the deposit is already held) with `admin` as its first admin, update
	/// the indexes and emit `KeyringRegistered`. Returns its id.
	#[allow(clippy::too_many_arguments)]
	fn insert_keyring(
		admin: T::AccountId,
		deposit: BalanceOf<T>,
		description: BoundedVec<u8, T::MaxKeyringDescriptionLength>,
		backend: KeyringBackend,
		parties: BoundedVec<T::AccountId, T::MaxKeyringParties>,
		party_threshold: u32,
		key_request_fee: BalanceOf<T>,
		sign_request_fee: BalanceOf<T>,
	) -> Result<KeyringId, DispatchError> {
		Self::ensure_valid_threshold(backend, party_threshold, parties.len())?;
		Self::ensure_distinct_parties(&parties)?;
		let mut admins = BoundedVec::<T::AccountId, T::MaxKeyringAdmins>::new();
		admins.try_push(admin.clone()).map_err(|_| Error::<T>::TooManyAdmins)?;
		let keyring = NextKeyringId::<T>::get();
		let next = keyring.checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
		NextKeyringId::<T>::put(next);
		let account = Self::keyring_account(keyring);
		AdminKeyrings::<T>::insert(&admin, keyring, ());
		for party in &parties {
			PartyKeyrings::<T>::insert(party, keyring, ());
		}
		Keyrings::<T>::insert(
			keyring,
			Keyring {
				creator: admin.clone(),
				deposit,
				account: account.clone(),
				description,
				backend,
				admins,
				parties,
				party_threshold,
				key_request_fee,
				sign_request_fee,
				is_active: true,
			},
		);
		Self::deposit_event(Event::KeyringRegistered {
			keyring,
			admin,
			account,
			backend,
			party_threshold,
		});
		Ok(keyring)
	}

	/// Release a deposit held by this pallet; a shortfall (which should not happen) is logged.
	fn release_deposit(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		match T::Currency::release(&reason.into(), who, amount, Precision::BestEffort) {
			Ok(released) if released == amount => {}
			Ok(released) => log::warn!(
				target: LOG_TARGET,
				"released {released:?} of a {amount:?} deposit held from {who:?}"
			),
			Err(error) => log::warn!(
				target: LOG_TARGET,
				"could not release a {amount:?} deposit held from {who:?}: {error:?}"
			),
		}
	}

	/// Check the invariants of this pallet's storage: indexes agree with the workspaces and
	/// keyrings, parent and child links agree, lists are non-empty and distinct, thresholds valid.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		fn distinct<A: PartialEq>(items: &[A]) -> bool {
			items.iter().enumerate().all(|(i, a)| !items.iter().skip(i + 1).any(|b| b == a))
		}
		let next_workspace = NextWorkspaceId::<T>::get();
		let mut owner_entries = 0usize;
		for (id, ws) in Workspaces::<T>::iter() {
			ensure!(id < next_workspace, "workspace id not below NextWorkspaceId");
			ensure!(!ws.owners.is_empty(), "workspace without owners");
			ensure!(distinct(&ws.owners), "duplicate owner");
			ensure!(ws.account == Self::workspace_account(id), "wrong workspace account");
			for owner in &ws.owners {
				ensure!(OwnerWorkspaces::<T>::contains_key(owner, id), "owner index missing");
			}
			owner_entries += ws.owners.len();
			if let Some(parent) = ws.parent {
				let parent_ws = Workspaces::<T>::get(parent).ok_or("parent missing")?;
				ensure!(parent_ws.children.contains(&id), "parent does not list child");
			}
			for child in &ws.children {
				let child_ws = Workspaces::<T>::get(child).ok_or("child missing")?;
				ensure!(child_ws.parent == Some(id), "child does not point to parent");
			}
		}
		ensure!(OwnerWorkspaces::<T>::iter().count() == owner_entries, "stale owner index");

		let next_keyring = NextKeyringId::<T>::get();
		let (mut admin_entries, mut party_entries) = (0usize, 0usize);
		for (id, kr) in Keyrings::<T>::iter() {
			ensure!(id < next_keyring, "keyring id not below NextKeyringId");
			ensure!(!kr.admins.is_empty(), "keyring without admins");
			ensure!(distinct(&kr.admins), "duplicate admin");
			ensure!(distinct(&kr.parties), "duplicate party");
			ensure!(kr.account == Self::keyring_account(id), "wrong keyring account");
			ensure!(
				Self::ensure_valid_threshold(kr.backend, kr.party_threshold, kr.parties.len())
					.is_ok(),
				"invalid threshold"
			);
			for admin in &kr.admins {
				ensure!(AdminKeyrings::<T>::contains_key(admin, id), "admin index missing");
			}
			for party in &kr.parties {
				ensure!(PartyKeyrings::<T>::contains_key(party, id), "party index missing");
			}
			admin_entries += kr.admins.len();
			party_entries += kr.parties.len();
		}
		ensure!(AdminKeyrings::<T>::iter().count() == admin_entries, "stale admin index");
		ensure!(PartyKeyrings::<T>::iter().count() == party_entries, "stale party index");
		Ok(())
	}
}

impl<T: Config> WorkspaceInspect<T::AccountId> for Pallet<T> {
	fn workspace_exists(workspace: WorkspaceId) -> bool {
		Workspaces::<T>::contains_key(workspace)
	}

	fn is_owner(workspace: WorkspaceId, who: &T::AccountId) -> bool {
		OwnerWorkspaces::<T>::contains_key(who, workspace)
	}

	fn owners(workspace: WorkspaceId) -> Vec<T::AccountId> {
		Workspaces::<T>::get(workspace).map(|ws| ws.owners.into_inner()).unwrap_or_default()
	}

	fn admin_policy(workspace: WorkspaceId) -> Option<PolicyId> {
		Workspaces::<T>::get(workspace).and_then(|ws| ws.admin_policy)
	}

	fn sign_policy(workspace: WorkspaceId) -> Option<PolicyId> {
		Workspaces::<T>::get(workspace).and_then(|ws| ws.sign_policy)
	}
}

impl<T: Config> KeyringInspect<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn keyring_terms(keyring: KeyringId) -> Option<KeyringTerms<T::AccountId, BalanceOf<T>>> {
		Keyrings::<T>::get(keyring).map(|kr| KeyringTerms {
			backend: kr.backend,
			account: kr.account,
			party_threshold: kr.party_threshold,
			party_count: kr.parties.len() as u32,
			key_request_fee: kr.key_request_fee,
			sign_request_fee: kr.sign_request_fee,
			is_active: kr.is_active,
		})
	}

	fn is_party(keyring: KeyringId, who: &T::AccountId) -> bool {
		PartyKeyrings::<T>::contains_key(who, keyring)
	}

	fn parties(keyring: KeyringId) -> Vec<T::AccountId> {
		Keyrings::<T>::get(keyring).map(|kr| kr.parties.into_inner()).unwrap_or_default()
	}
}
