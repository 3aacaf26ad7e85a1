//! # Zenrock policy pallet
//!
//! The one approval mechanism of the runtime: multi-party control over the operations of a
//! workspace (adding and removing owners, changing policies, requesting keys and signatures, ...).
//!
//! - [`Config`]
//! - [`Call`]
//! - [`runtime_api::PolicyApi`] (runtime API)
//!
//! ## Overview
//!
//! A **policy** names its participants, each with a short label and an account, and holds an
//! *approve* rule and an optional *reject* rule written in a small language (see [`rule`]), e.g.
//! `a + b + c >= 2`, `any(2, [a, b, c]) && cfo` or `tx.value <= 1000 || all([a, b])`. The text is
//! parsed and checked on chain when the policy is created; a malformed rule is refused with an
//! error that says what is wrong. Policies are immutable and permanent (workspaces refer to them by
//! id), so the deposit taken for one stays held for its lifetime.
//!
//! Other pallets submit a **gated call** through [`PolicyGate::submit`], naming the workspace, the
//! policy (or `None`: the default policy, "any one owner of the workspace", which the caller has
//! already checked) and the requester, with context values such as `tx.value`:
//!
//! - If the requester's approval alone satisfies the approve rule, the call is dispatched at
//!   once, in the same extrinsic, with an origin carrying an [`Approval`] (`action: None`); an
//!   error of the call is the error of the submission.
//! - Otherwise an **action** is stored: the encoded call (at most [`Config::MaxCallSize`] bytes, at
//!   most [`Config::MaxGatedCallWeight`]), the requester's approval, the context and a deadline. A
//!   deposit is held from the requester ([`HoldReason::ActionDeposit`]).
//! - If the reject rule already holds when the call is submitted (e.g. `tx.value > 1000000`), the
//!   submission is refused with [`Error::RejectedByPolicy`].
//!
//! Participants then [`approve`](Pallet::approve) or [`reject`](Pallet::reject) the action; a
//! participant may change their vote. When the approve rule holds the stored call is dispatched
//! with an [`Approval`] origin (`action: Some(id)`); when the reject rule holds the action is
//! rejected. The requester may [`revoke`](Pallet::revoke) it. At its deadline (the block number
//! stored in the action) it expires: actions are swept from an expiry index in `on_initialize`, so
//! an action can be approved up to block `deadline - 1`.
//!
//! Every terminal state — completed, failed, rejected, revoked, expired — returns the deposit and
//! **removes the action from storage**; the outcome is in the event ([`Event::ActionCompleted`],
//! [`Event::ActionFailed`] with the call's `DispatchError`, [`Event::ActionRejected`],
//! [`Event::ActionRevoked`], [`Event::ActionExpired`]). A failing call never leaves an action
//! stuck.
//!
//! Other pallets accept the dispatched calls with [`EnsureApproved`] as their approved origin.
//!
//! ## Dispatchable functions
//!
//! - [`create_policy`](Pallet::create_policy) — create a policy from participants and rule texts;
//!   any signed account, holding a deposit.
//! - [`approve`](Pallet::approve) — a participant approves an action; dispatches its call when the
//!   approve rule holds.
//! - [`reject`](Pallet::reject) — a participant rejects an action; rejects it when the reject rule
//!   holds.
//! - [`revoke`](Pallet::revoke) — the requester withdraws an action.
//!
//! ## Queries
//!
//! [`PendingActions`] indexes open actions by participant; the [`runtime_api::PolicyApi`] runtime
//! API returns them and an action's detail, including the participants who have not voted yet.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
pub mod rule;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_facts;
pub mod weights;

use alloc::vec::Vec;
use codec::{Decode, DecodeLimit, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	dispatch::{GetDispatchInfo, PostDispatchInfo},
	ensure,
	traits::{
		fungible::{self, MutateHold},
		tokens::Precision,
		EnsureOrigin, Get, OriginTrait,
	},
	weights::Weight,
	BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{Dispatchable, One, Saturating, Zero},
	DispatchError, DispatchErrorWithPostInfo,
};
use zenrock_primitives::{
	spending_asset, ActionId, Approval, GateOutcome, PolicyContext, PolicyGate, PolicyId,
	SpendingLedger, WorkspaceId,
};

pub use pallet::*;
pub use rule::{Environment, Op, Rule, RuleError, Text, Vocabulary};
pub use runtime_api::ActionDetail;
pub use weights::WeightInfo;

/// The log target of this pallet.
pub const LOG_TARGET: &str = "runtime::policy";

/// How many consecutive blocks, starting at an action's natural deadline, are tried when the expiry
/// index of a block is full; the action's deadline becomes the first block with room. If all are
/// full the submission is refused with [`Error::ExpiryQueueFull`].
pub const EXPIRY_SEARCH_BLOCKS: u32 = 10;

/// The balance type of the currency that deposits are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A rule of this runtime's length bound.
pub type RuleOf<T> = Rule<<T as Config>::MaxRuleLength>;

/// The origin of a gated call dispatched by this pallet.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum ApprovalOrigin<AccountId> {
	/// The call was approved under a workspace's policy.
	Approved(Approval<AccountId>),
}

/// A participant of a policy.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Participant<T: Config> {
	/// The label that names this participant in the policy's rules.
	pub label: BoundedVec<u8, T::MaxLabelLength>,
	/// The participant's account.
	pub account: T::AccountId,
}

/// A named list of addresses (or other texts) that the policy's rules test with `in`.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct AddressList<T: Config> {
	/// The name the rules use (same form as a participant label).
	pub name: BoundedVec<u8, T::MaxLabelLength>,
	/// The items, normalised as rule texts are (EVM addresses in EIP-55 form, ...).
	pub items: BoundedVec<Text, T::MaxListItems>,
}

/// A policy: who takes part and the rules that decide on actions.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Policy<T: Config> {
	/// Who created the policy (and whose deposit it holds).
	pub creator: T::AccountId,
	/// A name for people; not interpreted.
	pub name: BoundedVec<u8, T::MaxNameLength>,
	/// The participants; their index in this list is the one used by the compiled rules.
	pub participants: BoundedVec<Participant<T>, T::MaxParticipants>,
	/// The address lists the rules may name.
	pub lists: BoundedVec<AddressList<T>, T::MaxAddressLists>,
	/// The rule that, once it holds over the approvals, dispatches the action's call.
	pub approve_rule: RuleOf<T>,
	/// The rule that, once it holds over the rejections, rejects the action.
	pub reject_rule: Option<RuleOf<T>>,
	/// How many blocks an action under this policy stays open; if not set, the
	/// DefaultActionExpiry constant applies.
	pub default_expiry: Option<BlockNumberFor<T>>,
	/// The deposit held from the creator for this policy.
	pub deposit: BalanceOf<T>,
}

impl<T: Config> Policy<T> {
	/// The index of `who` among the participants.
	pub fn participant_index(&self, who: &T::AccountId) -> Option<usize> {
		self.participants.iter().position(|participant| &participant.account == who)
	}

	/// For each participant, whether they are in `voters`.
	pub fn votes(&self, voters: &[T::AccountId]) -> Vec<bool> {
		self.participants.iter().map(|participant| voters.contains(&participant.account)).collect()
	}

	/// The participants' accounts.
	pub fn accounts(&self) -> Vec<T::AccountId> {
		self.participants.iter().map(|participant| participant.account.clone()).collect()
	}

	/// Whether `rule` (one of this policy's) holds when `voters` voted, for an operation with
	/// `context`: the policy's address lists and the spending ledger of the context's key are
	/// what the rule's `in` and spent(...) read.
	pub fn rule_holds(
		&self,
		rule: &RuleOf<T>,
		voters: &[T::AccountId],
		context: &PolicyContext,
	) -> bool {
		let lists: Vec<&[Text]> = self.lists.iter().map(|list| &list.items[..]).collect();
		let spent = |token: &[u8], window_seconds: u32| -> Option<u128> {
			let key = context.spending_key?;
			let chain = context.chain.as_ref()?;
			T::Spending::spent(key, &spending_asset(chain, token), window_seconds)
		};
		let environment = Environment { context, lists: &lists, spent: &spent };
		rule.holds(&self.votes(voters), &environment)
	}
}

/// An open action: a gated call waiting for its policy's approve rule.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Action<T: Config> {
	/// The workspace the call is for.
	pub workspace: WorkspaceId,
	/// The policy that decides.
	pub policy: PolicyId,
	/// Who asked for the call (and whose deposit the action holds).
	pub requester: T::AccountId,
	/// The SCALE-encoded runtime call.
	pub call: BoundedVec<u8, T::MaxCallSize>,
	/// The call's weight when it was submitted.
	pub call_weight: Weight,
	/// The values the rules may read.
	pub context: PolicyContext,
	/// Participants who approved, in order of approval (the requester's approval, given when the
	/// call was submitted, comes first unless the requester withdrew it).
	pub approvals: BoundedVec<T::AccountId, T::MaxParticipants>,
	/// Participants who rejected.
	pub rejections: BoundedVec<T::AccountId, T::MaxParticipants>,
	/// The block in which the action was submitted.
	pub created: BlockNumberFor<T>,
	/// The block at whose start the action expires if still open.
	pub deadline: BlockNumberFor<T>,
	/// The deposit held from the requester.
	pub deposit: BalanceOf<T>,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching origin type; gated calls are dispatched with [`Origin`] converted into
		/// it.
		type RuntimeOrigin: From<Origin<Self>>;

		/// The overarching call type: what gated calls are.
		type RuntimeCall: Parameter
			+ Dispatchable<
				RuntimeOrigin = <Self as Config>::RuntimeOrigin,
				PostInfo = PostDispatchInfo,
			> + GetDispatchInfo
			+ From<frame_system::Call<Self>>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The currency that deposits are held in.
		type Currency: fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The base deposit held from the creator of a policy, for its lifetime.
		#[pallet::constant]
		type PolicyDeposit: Get<BalanceOf<Self>>;

		/// The base deposit held from the requester of an action until it ends.
		#[pallet::constant]
		type ActionDeposit: Get<BalanceOf<Self>>;

		/// The deposit per byte of stored data: the encoded policy, or an action's encoded call.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// The longest policy name, in bytes.
		#[pallet::constant]
		type MaxNameLength: Get<u32>;

		/// The most participants a policy may have.
		#[pallet::constant]
		type MaxParticipants: Get<u32>;

		/// The longest participant label, in bytes.
		#[pallet::constant]
		type MaxLabelLength: Get<u32>;

		/// The longest rule text, in bytes (also bounds its compiled form).
		#[pallet::constant]
		type MaxRuleLength: Get<u32>;

		/// The deepest nesting of a rule: each parenthesised group, each "!" and each "any" or
		/// "all" adds a level; the whole rule is level 1.
		#[pallet::constant]
		type MaxRuleDepth: Get<u32>;

		/// The largest encoded gated call an action may hold, in bytes.
		#[pallet::constant]
		type MaxCallSize: Get<u32>;

		/// The heaviest gated call accepted. Approving an action is charged this much up front,
		/// and what the action's call did not use is refunded.
		#[pallet::constant]
		type MaxGatedCallWeight: Get<Weight>;

		/// Blocks an action stays open when its policy sets no expiry of its own.
		#[pallet::constant]
		type DefaultActionExpiry: Get<BlockNumberFor<Self>>;

		/// The most actions that may expire in one block. When the block of an action's deadline
		/// is full, the action expires in the next block with room.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;

		/// The most address lists a policy may have.
		#[pallet::constant]
		type MaxAddressLists: Get<u32>;

		/// The most items an address list may have.
		#[pallet::constant]
		type MaxListItems: Get<u32>;

		/// What keys have signed for, read by spent(...) in rules.
		type Spending: SpendingLedger;

		/// Weight information for extrinsics and hooks in this pallet.
		type WeightInfo: WeightInfo;
	}

	/// The origin of gated calls dispatched by this pallet: it carries the [`Approval`].
	#[pallet::origin]
	pub type Origin<T> = ApprovalOrigin<<T as frame_system::Config>::AccountId>;

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a policy, held from its creator.
		PolicyDeposit,
		/// The deposit of an open action, held from its requester until the action ends.
		ActionDeposit,
	}

	/// The id the next policy will get.
	#[pallet::storage]
	pub type NextPolicyId<T> = StorageValue<_, PolicyId, ValueQuery>;

	/// The id the next action will get.
	#[pallet::storage]
	pub type NextActionId<T> = StorageValue<_, ActionId, ValueQuery>;

	/// Policies by id.
	#[pallet::storage]
	pub type Policies<T: Config> = StorageMap<_, Twox64Concat, PolicyId, Policy<T>>;

	/// Open actions by id. Actions are removed when they end; their outcome is in the events.
	#[pallet::storage]
	pub type Actions<T: Config> = StorageMap<_, Twox64Concat, ActionId, Action<T>>;

	/// Index of open actions by account: for each participant, the open actions under a
	/// policy they take part in, whether they have voted or not.
	#[pallet::storage]
	pub type PendingActions<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		ActionId,
		(),
		OptionQuery,
	>;

	/// Open actions by the block at whose start they expire.
	#[pallet::storage]
	pub type ActionExpiries<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<ActionId, T::MaxExpiriesPerBlock>,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A policy was created. Its deposit is held from the creator for as long as the policy
		/// exists, which is for good.
		PolicyCreated { policy: PolicyId, creator: T::AccountId, deposit: BalanceOf<T> },
		/// A gated call ran at once and succeeded, because the requester's approval alone
		/// satisfied the policy. When no policy is given, the workspace's default policy applied:
		/// any one owner.
		CallExecuted { workspace: WorkspaceId, policy: Option<PolicyId>, requester: T::AccountId },
		/// A gated call now waits for approvals in a new action. The requester's approval already
		/// counts and the deposit is held from the requester until the action ends. The action
		/// expires at the start of the deadline block if it is still open then.
		ActionCreated {
			action: ActionId,
			workspace: WorkspaceId,
			policy: PolicyId,
			requester: T::AccountId,
			deadline: BlockNumberFor<T>,
			deposit: BalanceOf<T>,
		},
		/// A participant approved an action (withdrawing their earlier rejection, if any).
		ApprovalRecorded { action: ActionId, who: T::AccountId },
		/// A participant rejected an action (withdrawing their earlier approval, if any).
		RejectionRecorded { action: ActionId, who: T::AccountId },
		/// The approve rule held and the action's call ran and succeeded. The action is closed
		/// and the deposit returned to the requester.
		ActionCompleted { action: ActionId, workspace: WorkspaceId, policy: PolicyId },
		/// The approve rule held but the action's call failed with the error given, or could not
		/// run at all (it no longer decodes, or has become too heavy). The action is closed and
		/// the deposit returned to the requester.
		ActionFailed {
			action: ActionId,
			workspace: WorkspaceId,
			policy: PolicyId,
			error: DispatchError,
		},
		/// The reject rule held: the action is closed without running its call, and the deposit
		/// returned to the requester.
		ActionRejected { action: ActionId },
		/// The requester withdrew the action: it is closed without running its call, and the
		/// deposit returned.
		ActionRevoked { action: ActionId },
		/// The action reached its deadline while still open: it is closed without running its
		/// call, and the deposit returned to the requester.
		ActionExpired { action: ActionId },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No policy with this id.
		PolicyNotFound,
		/// No open action with this id (it never existed or has ended).
		ActionNotFound,
		/// The account is not a participant of the policy.
		NotParticipant,
		/// Only the requester of the action may do this.
		NotRequester,
		/// This participant has already approved the action.
		AlreadyApproved,
		/// This participant has already rejected the action.
		AlreadyRejected,
		/// The policy name is longer than MaxNameLength bytes.
		NameTooLong,
		/// A policy needs at least one participant.
		NoParticipants,
		/// The policy has more participants than MaxParticipants.
		TooManyParticipants,
		/// A participant label is longer than MaxLabelLength bytes.
		LabelTooLong,
		/// A participant label must be one or more letters, digits and underscores, must not
		/// start with a digit, and must not be "any", "all" or "tx".
		InvalidLabel,
		/// Two participants have the same label.
		DuplicateLabel,
		/// The same account is listed twice as a participant.
		DuplicateParticipant,
		/// The policy's default expiry must be at least one block.
		InvalidExpiry,
		/// A rule is empty.
		RuleEmpty,
		/// A rule is longer than MaxRuleLength bytes.
		RuleTooLong,
		/// A rule nests deeper than MaxRuleDepth allows (each parenthesised group, "!", "any"
		/// and "all" adds a level).
		RuleTooDeep,
		/// A rule contains a character that is not part of the rule language. Allowed are
		/// letters, digits, underscores, dots within names, spaces, tabs, line breaks and
		/// these signs: + - * ( ) [ ] , ! < > = & |
		RuleInvalidCharacter,
		/// A rule's words and signs are in an order the rule language does not allow, for
		/// example "a + + b", "a b", "a < b < c", a single "=", "&" or "|", or unbalanced
		/// parentheses.
		RuleSyntax,
		/// A rule ends where more was expected, for example "a +" or "(a".
		RuleUnexpectedEnd,
		/// A rule uses a name that is not a participant label, "tx.value", "any" or "all".
		RuleUnknownIdentifier,
		/// A number in a rule is larger than 170141183460469231731687303715884105727.
		RuleLiteralTooLarge,
		/// The threshold n in "any(n, [...])" must be a whole number from 1 to the number of
		/// participants listed.
		RuleBadThreshold,
		/// The participant list of "any" or "all" is empty.
		RuleEmptyList,
		/// The participant list of "any" or "all" may only hold participant labels.
		RuleListItemNotParticipant,
		/// The participant list of "any" or "all", or the text list of "in", names an item
		/// twice.
		RuleDuplicateInList,
		/// A rule mixes texts and numbers: texts (facts such as tx.to, tx.token, tx.chain, and
		/// quoted literals) may only be compared with ==, != and "in"; arithmetic, ordering and
		/// logic need numbers; a rule's result must be a number.
		RuleTypeMismatch,
		/// A quoted text in a rule is unterminated, empty, longer than 64 bytes or holds a
		/// character other than printable ASCII without double quotes and backslashes.
		RuleInvalidText,
		/// A quoted EVM address in a rule or address list has mixed case that is not its
		/// EIP-55 checksum (write it all lower case, or with the right checksum).
		RuleInvalidAddress,
		/// A rule holds more than 32 quoted texts.
		RuleTooManyTexts,
		/// The window of spent(token, seconds) must be a whole number of seconds from 1 to the
		/// ledger's longest window.
		RuleBadWindow,
		/// A rule calls spent(...) more than 4 times.
		RuleTooManySpentCalls,
		/// The policy has more address lists than MaxAddressLists.
		TooManyAddressLists,
		/// An address list's name must be a valid label (like a participant label) that no
		/// participant or other list uses.
		InvalidAddressListName,
		/// An address list is empty or has more than MaxListItems items.
		InvalidAddressListLength,
		/// An address list holds an item that is not a valid text (1 to 64 printable ASCII
		/// characters without double quotes and backslashes; EVM addresses with a valid
		/// checksum).
		InvalidAddressListItem,
		/// An address list holds the same item twice.
		DuplicateAddressListItem,
		/// The reject rule holds before anyone votes, whatever the context: it would reject
		/// every action.
		RejectRuleAlwaysHolds,
		/// The policy's reject rule holds for this operation: it is refused.
		RejectedByPolicy,
		/// The gated call's weight is above MaxGatedCallWeight. This is checked when the call is
		/// submitted and again before a stored call runs, as a runtime upgrade may change it.
		CallTooHeavy,
		/// The encoded gated call is larger than MaxCallSize bytes.
		CallTooLarge,
		/// The stored call can no longer be decoded (e.g. after a runtime upgrade).
		CallUndecodable,
		/// Too many actions already expire at this action's deadline and in each of the blocks
		/// right after it; try again later.
		ExpiryQueueFull,
		/// An action has more votes than the policy has participants (never expected).
		TooManyVotes,
		/// The caller's free balance cannot cover the policy deposit, held while the policy
		/// exists.
		InsufficientBalanceForPolicyDeposit,
		/// The requester's free balance cannot cover the action deposit, held while the request
		/// waits for approvals.
		InsufficientBalanceForActionDeposit,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::expire_actions(now)
		}

		fn integrity_test() {
			assert!(T::MaxParticipants::get() > 0, "MaxParticipants must be at least 1");
			assert!(T::MaxLabelLength::get() > 0, "MaxLabelLength must be at least 1");
			assert!(T::MaxRuleLength::get() > 0, "MaxRuleLength must be at least 1");
			assert!(T::MaxRuleDepth::get() > 0, "MaxRuleDepth must be at least 1");
			assert!(T::MaxExpiriesPerBlock::get() > 0, "MaxExpiriesPerBlock must be at least 1");
			assert!(
				!T::DefaultActionExpiry::get().is_zero(),
				"DefaultActionExpiry must be at least 1"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a policy.
		///
		/// Any signed account may create a policy. A deposit of PolicyDeposit plus DepositPerByte
		/// for each byte of the stored policy is held from it for good, since policies are
		/// permanent: workspaces refer to them by id.
		///
		/// The name is for people, at most MaxNameLength bytes. The participants are 1 to
		/// MaxParticipants pairs of a label and an account, each label and each account used
		/// once; a label is letters, digits and underscores (at most MaxLabelLength bytes) and
		/// names its participant in the rules.
		///
		/// The address lists are up to MaxAddressLists named lists of up to MaxListItems texts
		/// (addresses, chain ids), each name a label that no participant uses; rules test them
		/// with "tx.to in name". EVM addresses are checked and kept in their EIP-55 form; an
		/// item of exactly 20 bytes is a raw EVM address (clients such as Polkadot.js turn a
		/// 0x-hex string into its bytes).
		///
		/// The approve rule is the text of the rule that approves an action, for example
		/// "any(2, [a, b, c])"; in it a label counts 1 when that participant approved, and the
		/// facts of the transaction to sign, if any, can be read: tx.value, tx.token_amount,
		/// tx.fee (numbers), tx.chain, tx.to, tx.token, tx.spender, tx.kind (texts), and
		/// spent(tx.token, seconds), what the key signed for in that window. For example
		/// "tx.to in wallets && spent(tx.token, 86400) + tx.token_amount <= 10000 * 10^6 ||
		/// all([a, b])". The reject rule is optional and works the same way over the
		/// rejections; it must not hold before anyone votes. Without a reject rule, rejections
		/// are only recorded.
		///
		/// The default expiry is how many blocks an action under this policy stays open; if it
		/// is not given, DefaultActionExpiry applies.
		///
		/// Emits PolicyCreated.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_policy(
			saturated_len(participants.len()),
			saturated_len(
				approve_rule.len().max(reject_rule.as_ref().map_or(0, |rule| rule.len()))
			),
			saturated_len(address_lists.iter().map(|(_, items)| items.len()).sum()),
		))]
		pub fn create_policy(
			origin: OriginFor<T>,
			name: Vec<u8>,
			participants: Vec<(Vec<u8>, T::AccountId)>,
			address_lists: Vec<(Vec<u8>, Vec<Vec<u8>>)>,
			approve_rule: Vec<u8>,
			reject_rule: Option<Vec<u8>>,
			default_expiry: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			let creator = ensure_signed(origin)?;
			let name: BoundedVec<u8, T::MaxNameLength> =
				name.try_into().map_err(|_| Error::<T>::NameTooLong)?;
			ensure!(!participants.is_empty(), Error::<T>::NoParticipants);
			ensure!(
				participants.len() <= T::MaxParticipants::get() as usize,
				Error::<T>::TooManyParticipants
			);
			let mut members: BoundedVec<Participant<T>, T::MaxParticipants> = BoundedVec::new();
			for (label, account) in participants {
				let label: BoundedVec<u8, T::MaxLabelLength> =
					label.try_into().map_err(|_| Error::<T>::LabelTooLong)?;
				ensure!(rule::is_valid_label(&label), Error::<T>::InvalidLabel);
				ensure!(
					!members.iter().any(|member| member.label == label),
					Error::<T>::DuplicateLabel
				);
				ensure!(
					!members.iter().any(|member| member.account == account),
					Error::<T>::DuplicateParticipant
				);
				members
					.try_push(Participant { label, account })
					.map_err(|_| Error::<T>::TooManyParticipants)?;
			}
			if let Some(expiry) = default_expiry {
				ensure!(!expiry.is_zero(), Error::<T>::InvalidExpiry);
			}

			let lists = Self::address_lists(address_lists, &members)?;
			let labels: Vec<&[u8]> = members.iter().map(|member| &member.label[..]).collect();
			let list_names: Vec<&[u8]> = lists.iter().map(|list| &list.name[..]).collect();
			let vocabulary = Vocabulary {
				labels: &labels,
				lists: &list_names,
				max_spent_window: T::Spending::max_window_seconds(),
			};
			let approve_rule = Self::compile(&approve_rule, &vocabulary)?;
			let reject_rule =
				reject_rule.map(|text| Self::compile(&text, &vocabulary)).transpose()?;

			let id = NextPolicyId::<T>::get();
			let next = id.checked_add(1).ok_or(sp_runtime::ArithmeticError::Overflow)?;
			let mut policy = Policy::<T> {
				creator: creator.clone(),
				name,
				participants: members,
				lists,
				approve_rule,
				reject_rule,
				default_expiry,
				deposit: Zero::zero(),
			};
			// Kleene logic is monotone in what is known: a reject rule that holds with no votes
			// and no facts holds for every operation, before anyone could vote.
			if let Some(rule) = &policy.reject_rule {
				ensure!(
					!policy.rule_holds(rule, &[], &PolicyContext::default()),
					Error::<T>::RejectRuleAlwaysHolds
				);
			}
			let deposit = Self::deposit_for(T::PolicyDeposit::get(), policy.encoded_size());
			Self::hold(&HoldReason::PolicyDeposit, &creator, deposit)?;
			policy.deposit = deposit;
			Policies::<T>::insert(id, policy);
			NextPolicyId::<T>::put(next);
			Self::deposit_event(Event::PolicyCreated { policy: id, creator, deposit });
			Ok(())
		}

		/// Approve an open action.
		///
		/// Must be signed by a participant of the action's policy who has not approved it yet;
		/// if that participant had rejected it, the rejection is withdrawn. When the approve rule
		/// then holds, the action is closed, the deposit returned to the requester and the
		/// stored call run as approved by the policy.
		///
		/// Charged up front for MaxGatedCallWeight; what the stored call did not use is
		/// refunded.
		///
		/// Emits ApprovalRecorded and, when the approve rule holds, ActionCompleted or
		/// ActionFailed.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::approve()
				.saturating_add(Pallet::<T>::spent_reads_weight(1))
				.saturating_add(T::MaxGatedCallWeight::get())
		)]
		pub fn approve(origin: OriginFor<T>, action: ActionId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let base = T::WeightInfo::approve().saturating_add(Self::spent_reads_weight(1));
			match Self::do_approve(who, action) {
				Ok(call_weight) => Ok(Some(base.saturating_add(call_weight)).into()),
				Err(error) => {
					Err(DispatchErrorWithPostInfo { post_info: Some(base).into(), error })
				}
			}
		}

		/// Reject an open action.
		///
		/// Must be signed by a participant of the action's policy who has not rejected it yet;
		/// if that participant had approved it, the approval is withdrawn. When the policy's
		/// reject rule then holds, the action is closed without running its call and the deposit
		/// returned to the requester. If the policy has no reject rule, the rejection is only
		/// recorded.
		///
		/// Emits RejectionRecorded and, when the reject rule holds, ActionRejected.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reject().saturating_add(Pallet::<T>::spent_reads_weight(1)))]
		pub fn reject(origin: OriginFor<T>, action: ActionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut open = Actions::<T>::get(action).ok_or(Error::<T>::ActionNotFound)?;
			let policy = Policies::<T>::get(open.policy).ok_or(Error::<T>::PolicyNotFound)?;
			ensure!(policy.participant_index(&who).is_some(), Error::<T>::NotParticipant);
			ensure!(!open.rejections.contains(&who), Error::<T>::AlreadyRejected);
			open.approvals.retain(|approver| approver != &who);
			open.rejections.try_push(who.clone()).map_err(|_| Error::<T>::TooManyVotes)?;
			Self::deposit_event(Event::RejectionRecorded { action, who });

			let rejected = policy
				.reject_rule
				.as_ref()
				.is_some_and(|rule| policy.rule_holds(rule, &open.rejections, &open.context));
			if rejected {
				Self::close(action, &open, &policy, true);
				Self::deposit_event(Event::ActionRejected { action });
			} else {
				Actions::<T>::insert(action, open);
			}
			Ok(())
		}

		/// Withdraw an open action.
		///
		/// Must be signed by the action's requester. The action is closed without running its
		/// call and the deposit returned.
		///
		/// Emits ActionRevoked.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::revoke())]
		pub fn revoke(origin: OriginFor<T>, action: ActionId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let open = Actions::<T>::get(action).ok_or(Error::<T>::ActionNotFound)?;
			ensure!(open.requester == who, Error::<T>::NotRequester);
			Self::close_with_policy_lookup(action, &open);
			Self::deposit_event(Event::ActionRevoked { action });
			Ok(())
		}
	}
}

/// `len` as a weight component, saturating at `u32::MAX`.
fn saturated_len(len: usize) -> u32 {
	u32::try_from(len).unwrap_or(u32::MAX)
}

impl<T: Config> Pallet<T> {
	fn compile(text: &[u8], vocabulary: &Vocabulary<'_>) -> Result<RuleOf<T>, Error<T>> {
		rule::compile::<T::MaxRuleLength>(text, vocabulary, T::MaxRuleDepth::get())
			.map_err(Self::rule_error)
	}

	/// The stored address lists, checked: names are labels no participant or other list uses,
	/// items are valid texts, each once.
	fn address_lists(
		lists: Vec<(Vec<u8>, Vec<Vec<u8>>)>,
		participants: &[Participant<T>],
	) -> Result<BoundedVec<AddressList<T>, T::MaxAddressLists>, Error<T>> {
		ensure!(lists.len() <= T::MaxAddressLists::get() as usize, Error::<T>::TooManyAddressLists);
		let mut stored: BoundedVec<AddressList<T>, T::MaxAddressLists> = BoundedVec::new();
		for (name, items) in lists {
			let name: BoundedVec<u8, T::MaxLabelLength> =
				name.try_into().map_err(|_| Error::<T>::InvalidAddressListName)?;
			let taken = participants.iter().any(|participant| participant.label == name)
				|| stored.iter().any(|list| list.name == name);
			ensure!(rule::is_valid_label(&name) && !taken, Error::<T>::InvalidAddressListName);
			ensure!(
				!items.is_empty() && items.len() <= T::MaxListItems::get() as usize,
				Error::<T>::InvalidAddressListLength
			);
			let mut normalized: BoundedVec<Text, T::MaxListItems> = BoundedVec::new();
			for item in items {
				let item = rule::normalize_list_item(&item)
					.map_err(|_| Error::<T>::InvalidAddressListItem)?;
				ensure!(!normalized.contains(&item), Error::<T>::DuplicateAddressListItem);
				normalized.try_push(item).map_err(|_| Error::<T>::InvalidAddressListLength)?;
			}
			stored
				.try_push(AddressList { name, items: normalized })
				.map_err(|_| Error::<T>::TooManyAddressLists)?;
		}
		Ok(stored)
	}

	/// The most an evaluation of `rules` rules can cost in ledger reads.
	fn spent_reads_weight(rules: u64) -> Weight {
		T::Spending::spent_weight()
			.saturating_mul(rules.saturating_mul(rule::MAX_SPENT_CALLS.into()))
	}

	/// The pallet error for a rule error.
	pub fn rule_error(error: RuleError) -> Error<T> {
		match error {
			RuleError::Empty => Error::<T>::RuleEmpty,
			RuleError::TooLong => Error::<T>::RuleTooLong,
			RuleError::TooDeep => Error::<T>::RuleTooDeep,
			RuleError::InvalidCharacter => Error::<T>::RuleInvalidCharacter,
			RuleError::Syntax => Error::<T>::RuleSyntax,
			RuleError::UnexpectedEnd => Error::<T>::RuleUnexpectedEnd,
			RuleError::UnknownIdentifier => Error::<T>::RuleUnknownIdentifier,
			RuleError::LiteralTooLarge => Error::<T>::RuleLiteralTooLarge,
			RuleError::BadThreshold => Error::<T>::RuleBadThreshold,
			RuleError::EmptyList => Error::<T>::RuleEmptyList,
			RuleError::ListItemNotParticipant => Error::<T>::RuleListItemNotParticipant,
			RuleError::DuplicateInList => Error::<T>::RuleDuplicateInList,
			RuleError::TypeMismatch => Error::<T>::RuleTypeMismatch,
			RuleError::InvalidText => Error::<T>::RuleInvalidText,
			RuleError::InvalidAddress => Error::<T>::RuleInvalidAddress,
			RuleError::TooManyTexts => Error::<T>::RuleTooManyTexts,
			RuleError::BadWindow => Error::<T>::RuleBadWindow,
			RuleError::TooManySpentCalls => Error::<T>::RuleTooManySpentCalls,
		}
	}

	/// `base + DepositPerByte * bytes`, saturating.
	fn deposit_for(base: BalanceOf<T>, bytes: usize) -> BalanceOf<T> {
		let per_byte = T::DepositPerByte::get();
		base.saturating_add(per_byte.saturating_mul(saturated_len(bytes).into()))
	}

	fn hold(
		reason: &HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> sp_runtime::DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&(*reason).into(), who, amount).map_err(|error| match error {
			// The hold failed for want of funds: say which deposit could not be held.
			DispatchError::Token(_) => match reason {
				HoldReason::PolicyDeposit => Error::<T>::InsufficientBalanceForPolicyDeposit,
				HoldReason::ActionDeposit => Error::<T>::InsufficientBalanceForActionDeposit,
			}
			.into(),
			other => other,
		})
	}

	fn release(reason: &HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		if amount.is_zero() {
			return;
		}
		if let Err(error) =
			T::Currency::release(&(*reason).into(), who, amount, Precision::BestEffort)
		{
			log::error!(target: LOG_TARGET, "could not release deposit of {who:?}: {error:?}");
		}
	}

	fn do_approve(who: T::AccountId, action: ActionId) -> Result<Weight, DispatchError> {
		let mut open = Actions::<T>::get(action).ok_or(Error::<T>::ActionNotFound)?;
		let policy = Policies::<T>::get(open.policy).ok_or(Error::<T>::PolicyNotFound)?;
		ensure_participant::<T>(&policy, &who)?;
		if open.approvals.contains(&who) {
			return Err(Error::<T>::AlreadyApproved.into());
		}
		open.rejections.retain(|rejecter| rejecter != &who);
		open.approvals.try_push(who.clone()).map_err(|_| Error::<T>::TooManyVotes)?;
		Self::deposit_event(Event::ApprovalRecorded { action, who });

		if !policy.rule_holds(&policy.approve_rule, &open.approvals, &open.context) {
			Actions::<T>::insert(action, open);
			return Ok(Weight::zero());
		}
		// Close first: the call may re-enter this pallet, and must not find the action open.
		Self::close(action, &open, &policy, true);
		let approval = Approval {
			workspace: open.workspace,
			policy: Some(open.policy),
			requester: open.requester.clone(),
			action: Some(action),
		};
		let (result, call_weight) = Self::dispatch_stored(&open.call, approval);
		match result {
			Ok(()) => Self::deposit_event(Event::ActionCompleted {
				action,
				workspace: open.workspace,
				policy: open.policy,
			}),
			Err(error) => {
				log::debug!(target: LOG_TARGET, "action {action} failed: {error:?}");
				Self::deposit_event(Event::ActionFailed {
					action,
					workspace: open.workspace,
					policy: open.policy,
					error,
				})
			}
		}
		Ok(call_weight)
	}

	/// Decode and dispatch a stored call; its result and the weight it used.
	fn dispatch_stored(
		encoded: &[u8],
		approval: Approval<T::AccountId>,
	) -> (Result<(), DispatchError>, Weight) {
		let call = match <T as Config>::RuntimeCall::decode_all_with_depth_limit(
			frame_support::MAX_EXTRINSIC_DEPTH,
			&mut &encoded[..],
		) {
			Ok(call) => call,
			Err(_) => return (Err(Error::<T>::CallUndecodable.into()), Weight::zero()),
		};
		let info = call.get_dispatch_info();
		// The call's weight may have changed with a runtime upgrade; `approve` only paid for this.
		if !info.call_weight.all_lte(T::MaxGatedCallWeight::get()) {
			return (Err(Error::<T>::CallTooHeavy.into()), Weight::zero());
		}
		Self::dispatch(call, approval)
	}

	/// Dispatch `call` with the approval origin; its result and the weight it used.
	fn dispatch(
		call: <T as Config>::RuntimeCall,
		approval: Approval<T::AccountId>,
	) -> (Result<(), DispatchError>, Weight) {
		let declared = call.get_dispatch_info().call_weight;
		let origin: <T as Config>::RuntimeOrigin =
			Origin::<T>::from(ApprovalOrigin::Approved(approval)).into();
		match call.dispatch(origin) {
			Ok(post) => (Ok(()), post.actual_weight.unwrap_or(declared).min(declared)),
			Err(failure) => (
				Err(failure.error),
				failure.post_info.actual_weight.unwrap_or(declared).min(declared),
			),
		}
	}

	/// Remove an open action and everything that refers to it, and return its deposit. The expiry
	/// index entry is removed unless `unschedule` is false (the sweep has already taken it).
	fn close(action: ActionId, open: &Action<T>, policy: &Policy<T>, unschedule: bool) {
		Actions::<T>::remove(action);
		for participant in policy.participants.iter() {
			PendingActions::<T>::remove(&participant.account, action);
		}
		if unschedule {
			ActionExpiries::<T>::mutate_exists(open.deadline, |due| {
				if let Some(ids) = due {
					ids.retain(|id| *id != action);
					if ids.is_empty() {
						*due = None;
					}
				}
			});
		}
		Self::release(&HoldReason::ActionDeposit, &open.requester, open.deposit);
	}

	/// [`Self::close`] for callers that have not read the policy. Policies are never removed, but
	/// should one be missing the action is still closed, indexed entries of its voters removed.
	fn close_with_policy_lookup(action: ActionId, open: &Action<T>) {
		match Policies::<T>::get(open.policy) {
			Some(policy) => Self::close(action, open, &policy, true),
			None => {
				Actions::<T>::remove(action);
				for voter in open.approvals.iter().chain(open.rejections.iter()) {
					PendingActions::<T>::remove(voter, action);
				}
				PendingActions::<T>::remove(&open.requester, action);
				ActionExpiries::<T>::mutate(open.deadline, |ids| ids.retain(|id| *id != action));
				Self::release(&HoldReason::ActionDeposit, &open.requester, open.deposit);
			}
		}
	}

	/// Expire the actions due at the start of block `now`; the weight used.
	fn expire_actions(now: BlockNumberFor<T>) -> Weight {
		let due = ActionExpiries::<T>::take(now);
		let count = saturated_len(due.len());
		for action in due {
			let Some(open) = Actions::<T>::get(action) else { continue };
			match Policies::<T>::get(open.policy) {
				Some(policy) => Self::close(action, &open, &policy, false),
				None => Self::close_with_policy_lookup(action, &open),
			}
			Self::deposit_event(Event::ActionExpired { action });
		}
		T::WeightInfo::expire_actions(count)
	}

	/// The block whose expiry index has room for one more action: `deadline` or, if that block is
	/// full, the first of the next [`EXPIRY_SEARCH_BLOCKS`] blocks with room. Reads only.
	fn expiry_slot(deadline: BlockNumberFor<T>) -> Result<BlockNumberFor<T>, DispatchError> {
		let capacity = T::MaxExpiriesPerBlock::get() as usize;
		let mut at = deadline;
		for _ in 0..EXPIRY_SEARCH_BLOCKS {
			if ActionExpiries::<T>::decode_len(at).unwrap_or(0) < capacity {
				return Ok(at);
			}
			at = at.saturating_add(One::one());
		}
		Err(Error::<T>::ExpiryQueueFull.into())
	}

	/// The open actions of which `who` is a participant.
	pub fn pending_actions(who: &T::AccountId) -> Vec<ActionId> {
		PendingActions::<T>::iter_key_prefix(who).collect()
	}

	/// The detail of an open action, with the participants who have not voted yet.
	pub fn action_detail(
		action: ActionId,
	) -> Option<ActionDetail<T::AccountId, BlockNumberFor<T>, BalanceOf<T>>> {
		let open = Actions::<T>::get(action)?;
		let policy = Policies::<T>::get(open.policy);
		let participants = policy.as_ref().map(|policy| policy.accounts()).unwrap_or_default();
		let missing_approvers = participants
			.into_iter()
			.filter(|account| {
				!open.approvals.contains(account) && !open.rejections.contains(account)
			})
			.collect();
		Some(ActionDetail {
			id: action,
			workspace: open.workspace,
			policy: open.policy,
			requester: open.requester,
			call: open.call.into_inner(),
			call_weight: open.call_weight,
			context: open.context,
			approvals: open.approvals.into_inner(),
			rejections: open.rejections.into_inner(),
			missing_approvers,
			approve_rule: policy
				.as_ref()
				.map(|policy| policy.approve_rule.text.to_vec())
				.unwrap_or_default(),
			reject_rule: policy
				.as_ref()
				.and_then(|policy| policy.reject_rule.as_ref().map(|rule| rule.text.to_vec())),
			created: open.created,
			deadline: open.deadline,
			deposit: open.deposit,
		})
	}
}

fn ensure_participant<T: Config>(
	policy: &Policy<T>,
	who: &T::AccountId,
) -> sp_runtime::DispatchResult {
	match policy.participant_index(who) {
		Some(_) => Ok(()),
		None => Err(Error::<T>::NotParticipant.into()),
	}
}

impl<T: Config> PolicyGate<T::AccountId, <T as Config>::RuntimeCall> for Pallet<T> {
	fn submit(
		requester: &T::AccountId,
		workspace: WorkspaceId,
		policy: Option<PolicyId>,
		call: <T as Config>::RuntimeCall,
		context: PolicyContext,
	) -> Result<GateOutcome, DispatchError> {
		let call_weight = call.get_dispatch_info().call_weight;
		ensure!(call_weight.all_lte(T::MaxGatedCallWeight::get()), Error::<T>::CallTooHeavy);

		let Some(policy_id) = policy else {
			// The default policy: any one owner, which the caller has checked `requester` to be.
			let approval =
				Approval { workspace, policy: None, requester: requester.clone(), action: None };
			Self::dispatch(call, approval).0?;
			Self::deposit_event(Event::CallExecuted {
				workspace,
				policy: None,
				requester: requester.clone(),
			});
			return Ok(GateOutcome::Executed);
		};

		let policy = Policies::<T>::get(policy_id).ok_or(Error::<T>::PolicyNotFound)?;
		ensure_participant::<T>(&policy, requester)?;
		if let Some(reject_rule) = &policy.reject_rule {
			ensure!(!policy.rule_holds(reject_rule, &[], &context), Error::<T>::RejectedByPolicy);
		}
		let approvals = [requester.clone()];
		if policy.rule_holds(&policy.approve_rule, &approvals, &context) {
			let approval = Approval {
				workspace,
				policy: Some(policy_id),
				requester: requester.clone(),
				action: None,
			};
			Self::dispatch(call, approval).0?;
			Self::deposit_event(Event::CallExecuted {
				workspace,
				policy: Some(policy_id),
				requester: requester.clone(),
			});
			return Ok(GateOutcome::Executed);
		}

		// Every check comes before the first write, so that a refused submission changes nothing
		// even outside a transactional dispatch.
		let encoded: BoundedVec<u8, T::MaxCallSize> =
			call.encode().try_into().map_err(|_| Error::<T>::CallTooLarge)?;
		let approvals: BoundedVec<T::AccountId, T::MaxParticipants> =
			BoundedVec::try_from(approvals.to_vec()).map_err(|_| Error::<T>::TooManyVotes)?;
		let id = NextActionId::<T>::get();
		let next = id.checked_add(1).ok_or(sp_runtime::ArithmeticError::Overflow)?;
		let now = frame_system::Pallet::<T>::block_number();
		let expiry = policy.default_expiry.unwrap_or_else(T::DefaultActionExpiry::get);
		let deadline = Self::expiry_slot(now.saturating_add(expiry))?;
		let deposit = Self::deposit_for(T::ActionDeposit::get(), encoded.len());
		Self::hold(&HoldReason::ActionDeposit, requester, deposit)?;

		ActionExpiries::<T>::mutate(deadline, |ids| {
			if ids.try_push(id).is_err() {
				// `expiry_slot` found room in this very block.
				log::error!(target: LOG_TARGET, "expiry index of {deadline:?} unexpectedly full");
			}
		});
		for participant in policy.participants.iter() {
			PendingActions::<T>::insert(&participant.account, id, ());
		}
		Actions::<T>::insert(
			id,
			Action::<T> {
				workspace,
				policy: policy_id,
				requester: requester.clone(),
				call: encoded,
				call_weight,
				context,
				approvals,
				rejections: BoundedVec::new(),
				created: now,
				deadline,
				deposit,
			},
		);
		NextActionId::<T>::put(next);
		Self::deposit_event(Event::ActionCreated {
			action: id,
			workspace,
			policy: policy_id,
			requester: requester.clone(),
			deadline,
			deposit,
		});
		Ok(GateOutcome::Pending(id))
	}

	fn submit_weight() -> Weight {
		// Both rules may read the spending ledger.
		T::WeightInfo::submit().saturating_add(Self::spent_reads_weight(2))
	}

	fn participants(policy: PolicyId) -> Result<Vec<T::AccountId>, DispatchError> {
		Policies::<T>::get(policy)
			.map(|policy| policy.accounts())
			.ok_or_else(|| Error::<T>::PolicyNotFound.into())
	}
}

/// Accepts only origins of calls dispatched by this pallet after approval; yields the
/// [`Approval`]. Other pallets use it as the origin check of their gated calls.
pub struct EnsureApproved<T>(core::marker::PhantomData<T>);

impl<O, T> EnsureOrigin<O> for EnsureApproved<T>
where
	T: Config,
	O: OriginTrait + From<Origin<T>>,
	for<'a> &'a O::PalletsOrigin: TryInto<&'a Origin<T>>,
{
	type Success = Approval<T::AccountId>;

	fn try_origin(origin: O) -> Result<Self::Success, O> {
		let approval = match origin.caller().try_into() {
			Ok(ApprovalOrigin::Approved(approval)) => Some(approval.clone()),
			Err(_) => None,
		};
		approval.ok_or(origin)
	}

	/// An approval for workspace 0 under the default policy, requested by the all-zero account.
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		let requester = T::AccountId::decode(&mut sp_runtime::traits::TrailingZeroInput::zeroes())
			.map_err(|_| ())?;
		Ok(O::from(ApprovalOrigin::Approved(Approval {
			workspace: 0,
			policy: None,
			requester,
			action: None,
		})))
	}
}
