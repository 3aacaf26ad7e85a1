//! # Zenrock treasury pallet
//!
//! Keys and signatures: workspaces ask keyrings for keys, then for signatures with those keys,
//! and the chain checks every answer before it stores it.
//!
//! ## Overview
//!
//! **Key requests.** An owner of a workspace asks a keyring (an off-chain system registered in
//! the identity pallet, [`Config::Keyrings`]) for a key of a [`KeyType`] (ECDSA secp256k1,
//! Ed25519, Bitcoin secp256k1), optionally with a key-level sign policy. The request is gated by
//! the workspace's **sign** policy through the policy pallet ([`Config::PolicyGate`]), exactly as
//! the identity pallet gates workspace changes: the owner signs the call, the pallet checks it and
//! submits it to the gate, which runs it at once (when the owner alone satisfies the policy) or
//! stores it as an action until enough participants approve; it then comes back with the
//! [`Config::ApprovedOrigin`] and runs. The keyring must exist, be active and have at least
//! `party_threshold` parties.
//!
//! **Signature requests.** With a key, an owner asks for signatures of one or more payloads
//! (32-byte prehashes for secp256k1 keys, messages for Ed25519 keys, at most
//! [`Config::MaxPayloadsPerRequest`]), or of an unsigned **transaction** for a [`Chain`]: the chain
//! parses the transaction itself (with the `zenrock-chain-formats` crate) and computes what must be
//! signed, so what the approvers approve is what gets signed; the transaction's value reaches the
//! policy as `tx.value`. Both are gated by the key's sign policy, or the workspace's sign policy if
//! the key has none.
//!
//! **Fees.** The keyring's fee for the request is **escrowed**: moved from the requester into the
//! pallet's escrow account ([`Pallet::escrow_account`], from [`Config::PalletId`]) when the
//! request is made. It goes back to the requester when the request is rejected or expires, and to
//! the keyring's account when it is fulfilled: once per call, for all the requests the call
//! fulfilled, so that a batch of answers moves funds once. (If the keyring's account cannot
//! receive the sum — it does not exist and the sum is below the existential deposit — the sum is
//! owed to the keyring, [`OwedKeyringFees`], and paid with its next fees, so that a valid answer
//! is never blocked.) The keyring's parties never pay it. Genesis gives the escrow account the
//! existential deposit; fees leave it only down to that deposit.
//!
//! **Answers.** Only a listed party of the request's keyring may answer (fulfil or reject), one
//! request per call or many in one batched call for one keyring (`fulfil_key_requests`,
//! `fulfil_signature_requests`, `reject_requests`), where each answer is checked as alone and one
//! that fails is rolled back and reported ([`Event::AnswerFailed`]) without failing the others. Every
//! answer is recorded per party; a party answering twice gets [`Error::AlreadyResponded`] and the
//! request is unharmed. Public keys are checked for their type; every signature is **verified**
//! against the key and its payload before it is recorded, and a bad one is refused. When
//! `party_threshold` parties (the keyring's threshold when the request was made) gave the
//! identical answer the request is fulfilled: the key is stored (its id is the request id) or the
//! signatures are stored. The request is rejected as soon as the threshold can no longer be
//! reached: when the most common fulfilment plus the parties that have not answered yet
//! (counted from the keyring's current party count) are fewer than the threshold. With one party
//! and threshold 1, one rejection rejects; with 1-of-3, all three must reject.
//!
//! **Timeouts.** Every request expires [`Config::RequestTimeout`] blocks after it was made: from
//! its deadline block on, no party can answer it. Each new request is appended to an expiry
//! queue ([`ExpiryQueue`], in creation order, so in deadline order while the timeout is
//! unchanged); `on_initialize` takes entries from its head whose deadline has come, at most
//! [`Config::MaxExpiriesPerBlock`] per block, and expires those still open, refunding their fees.
//! Entries of requests that were answered meanwhile are dropped there, so answering never touches
//! the queue. A request is never refused because many expire in the same block: past the per-block
//! budget they are swept in the next blocks (already unanswerable since their deadline).
//!
//! **Indexes.** Off-chain workers and clients never scan: [`PendingKeyRequests`] and
//! [`PendingSignRequests`] list the open requests of each keyring, [`WorkspaceKeys`] the keys of
//! each workspace, [`AwaitingBroadcast`] the fulfilled transaction-signature requests that
//! relayers should broadcast, and [`KeyByAddress`] finds a key by any of its default addresses
//! (EVM, Cosmos, SS58, Bitcoin P2WPKH, Solana). [`WorkspacesWithKeys`] tells the identity pallet
//! which workspaces must not be removed. The [`runtime_api`] serves the same to clients.
//!
//! **Retention.** A decided request (fulfilled, rejected or expired) stays in storage for
//! [`Config::RequestRetention`] blocks after its deadline, then `on_initialize` removes it with its
//! payloads, unsigned transaction and signatures, in request order and at most
//! [`Config::MaxPrunesPerBlock`] per block. Its outcome stays in the events (KeyRequestFulfilled
//! carries the public key, SignatureRequestFulfilled the signatures); a key itself is never
//! removed. A request still waiting for its broadcast is kept until a relayer has reported it, and
//! an open request holds back the requests after it until it is decided.
//!
//! ## Dispatchable functions
//!
//! Requests (workspace owners; policy-gated):
//! - [`request_key`](Pallet::request_key): ask a keyring for a key; gated by the workspace's sign
//!   policy.
//! - [`request_signature`](Pallet::request_signature): ask for signatures of payloads with a key.
//! - [`request_transaction_signature`](Pallet::request_transaction_signature): ask for the
//!   signatures of an unsigned transaction, optionally to be broadcast by relayers.
//! - [`update_key_policy`](Pallet::update_key_policy): change a key's sign policy; gated by its
//!   current one.
//!
//! Answers (parties of the request's keyring):
//! - [`fulfil_key_request`](Pallet::fulfil_key_request) /
//!   [`reject_key_request`](Pallet::reject_key_request).
//! - [`fulfil_signature_request`](Pallet::fulfil_signature_request) /
//!   [`reject_signature_request`](Pallet::reject_signature_request).
//! - Batched, for one keyring: [`fulfil_key_requests`](Pallet::fulfil_key_requests),
//!   [`fulfil_signature_requests`](Pallet::fulfil_signature_requests),
//!   [`reject_requests`](Pallet::reject_requests).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
pub mod runtime_api;
/// Unsigned EVM transactions for tests and benchmarks (also the runtime's benchmark helpers and
/// tests; never in the WASM runtime).
#[cfg(any(test, feature = "std", feature = "runtime-benchmarks"))]
pub mod test_transactions;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	dispatch::DispatchResultWithPostInfo,
	ensure,
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Preservation,
		Contains, EnsureOrigin,
	},
	BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PalletId, PartialEqNoBound,
};
use frame_system::pallet_prelude::*;
use scale_info::TypeInfo;
use sp_runtime::traits::{AccountIdConversion, Saturating, Zero};
use zenrock_chain_formats::{
	address::{default_addresses, evm_checksum_address, parse_evm_address},
	message::{parse_message, MessageFormat, ParsedMessage},
	signature::verify_signature,
	transaction::{assemble_signed_transaction, parse_transaction},
	Error as FormatError, ParsedTransaction, PreimageHash, PublicKey, TransactionKind,
};
use zenrock_primitives::{spending_asset, FactText};
pub use zenrock_primitives::{
	ActionId, Approval, GateOutcome, KeyId, KeyringBackend, KeyringId, KeyringInspect,
	KeyringTerms, PolicyContext, PolicyGate, PolicyId, RequestId, SpendingLedger, ThresholdBackend,
	ThresholdResults, WorkspaceId, WorkspaceInspect,
};

pub use pallet::*;
pub use types::*;
pub mod spending;
pub use weights::WeightInfo;

/// Log target of this pallet.
const LOG_TARGET: &str = "runtime::zenrock-treasury";

/// The reason recorded when the parties' fulfilments disagree so that no answer can reach the
/// threshold any more.
pub const CONFLICTING_ANSWERS_REASON: &[u8] = b"conflicting answers";

/// The balance type of [`Config::Currency`].
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// The answers of a request, one per party.
pub type ResponsesOf<T> =
	BoundedVec<Response<<T as frame_system::Config>::AccountId>, <T as Config>::MaxParties>;

/// The payloads of a signature request.
pub type PayloadsOf<T> = BoundedVec<
	BoundedVec<u8, <T as Config>::MaxPayloadLength>,
	<T as Config>::MaxPayloadsPerRequest,
>;

/// The signatures answering a signature request, one per payload.
pub type SignaturesOf<T> = BoundedVec<Signature, <T as Config>::MaxPayloadsPerRequest>;

/// The reason a party gives for rejecting a request.
pub type ReasonOf<T> = BoundedVec<u8, <T as Config>::MaxRejectionReasonLength>;

/// A request for a key.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct KeyRequest<T: Config> {
	/// The workspace the key will belong to.
	pub workspace: WorkspaceId,
	/// The keyring asked to create the key.
	pub keyring: KeyringId,
	/// The keyring's backend when the request was made: threshold backends answer through
	/// their ceremonies, not through party answers.
	pub backend: KeyringBackend,
	/// The type of key to create.
	pub key_type: KeyType,
	/// The key's sign policy once created; if none, the workspace's sign policy applies.
	pub sign_policy: Option<PolicyId>,
	/// The owner who asked; the fee is escrowed from this account.
	pub requester: T::AccountId,
	/// The fee escrowed from the requester (in the pallet's escrow account).
	pub fee: BalanceOf<T>,
	/// Identical answers needed: the keyring's threshold when the request was made.
	pub party_threshold: u32,
	/// Where the request stands.
	pub status: RequestStatus,
	/// The block in which the request was made.
	pub created_at: BlockNumberFor<T>,
	/// The block at whose start the request expires if still open.
	pub expires_at: BlockNumberFor<T>,
	/// The answers recorded so far, one per party.
	pub responses: ResponsesOf<T>,
	/// The requester's memo (a client's correlation id), as given with the request.
	pub memo: MemoOf<T>,
}

/// A request for signatures: of payloads, or of an unsigned transaction.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct SignRequest<T: Config> {
	/// The key to sign with.
	pub key: KeyId,
	/// The key's workspace.
	pub workspace: WorkspaceId,
	/// The key's keyring, whose parties answer.
	pub keyring: KeyringId,
	/// The keyring's backend when the request was made: threshold backends answer through
	/// their ceremonies, not through party answers.
	pub backend: KeyringBackend,
	/// The owner who asked; the fee is escrowed from this account.
	pub requester: T::AccountId,
	/// The fee escrowed from the requester (in the pallet's escrow account).
	pub fee: BalanceOf<T>,
	/// Identical answers needed: the keyring's threshold when the request was made.
	pub party_threshold: u32,
	/// For a transaction-signature request, what the transaction is (its unsigned bytes are
	/// stored separately); none for plain payloads.
	pub transaction: Option<TransactionSummary>,
	/// For a message-signature request, the message's format (its preimage is stored
	/// separately, in SignPreimages).
	pub message: Option<MessageFormat>,
	/// Where the request stands.
	pub status: RequestStatus,
	/// The block in which the request was made.
	pub created_at: BlockNumberFor<T>,
	/// The block at whose start the request expires if still open.
	pub expires_at: BlockNumberFor<T>,
	/// The answers recorded so far, one per party.
	pub responses: ResponsesOf<T>,
	/// Once fulfilled, the verified signatures, one per payload in order.
	pub signatures: Option<SignaturesOf<T>>,
	/// The requester's memo (a client's correlation id), as given with the request.
	pub memo: MemoOf<T>,
}

/// A request's memo.
pub type MemoOf<T> = BoundedVec<u8, <T as Config>::MaxMemoLength>;

/// The longest preimage of a message request: the message plus the EIP-191 prefix and length
/// (at most 32 bytes), or the 66 bytes of an EIP-712 preimage.
pub type MessagePreimageBound<T> = AddU32<<T as Config>::MaxMessageLength, ConstU32<32>>;

/// `A + B`, as a `Get<u32>` (saturating).
pub struct AddU32<A, B>(core::marker::PhantomData<(A, B)>);

impl<A: Get<u32>, B: Get<u32>> Get<u32> for AddU32<A, B> {
	fn get() -> u32 {
		A::get().saturating_add(B::get())
	}
}

/// What a signature request signs, besides its payloads.
enum SignedContent<T: Config> {
	/// Payloads only (request_signature).
	Payloads,
	/// A transaction: its summary and unsigned bytes.
	Transaction {
		summary: TransactionSummary,
		unsigned: BoundedVec<u8, T::MaxUnsignedTransactionLength>,
	},
	/// A message: its format and the preimage of its digest.
	Message { format: MessageFormat, preimage: BoundedVec<u8, MessagePreimageBound<T>> },
}

/// Who answers a request and, for a batched call, the keyring whose requests it answers.
struct Answerer<AccountId> {
	party: AccountId,
	/// Set for a batched call, once the party is checked to be a party of the keyring: every
	/// answer must concern this keyring, whose party count is read once.
	batch: Option<BatchKeyring>,
}

/// The keyring of a batched call.
#[derive(Clone, Copy)]
struct BatchKeyring {
	keyring: KeyringId,
	party_count: u32,
}

impl<AccountId> Answerer<AccountId> {
	fn single(party: AccountId) -> Self {
		Answerer { party, batch: None }
	}
}

/// A signature request's key, its policy, who asks, and the keyring's terms, all checked.
struct SignatureRequester<T: Config> {
	stored_key: Key<BlockNumberFor<T>>,
	policy: Option<PolicyId>,
	authorized: Authorized<T::AccountId>,
	terms: KeyringTerms<T::AccountId, BalanceOf<T>>,
}

/// Who is asking for a policy-gated operation, once the origin is checked.
enum Authorized<AccountId> {
	/// An owner asking: the operation is checked, then submitted to the policy gate.
	Submit(AccountId),
	/// The policy gate dispatching the approved operation for this requester: it runs.
	Execute(AccountId),
}

impl<AccountId> Authorized<AccountId> {
	fn requester(&self) -> &AccountId {
		match self {
			Authorized::Submit(who) | Authorized::Execute(who) => who,
		}
	}
}

/// What the answers of a request amount to after a new answer.
enum Tally {
	/// Still open.
	Open,
	/// `party_threshold` identical fulfilments.
	Fulfilled,
	/// The threshold can no longer be reached.
	Rejected,
}

/// What answering needs of a request, whether it asks for a key or for signatures: lets one body
/// serve both kinds where their handling is the same.
trait AnsweredRequest<T: Config>: Sized {
	fn load(request: RequestId) -> Option<Self>;
	fn store(self, request: RequestId);
	fn status(&self) -> RequestStatus;
	fn expires_at(&self) -> BlockNumberFor<T>;
	fn set_status(&mut self, status: RequestStatus);
	fn keyring(&self) -> KeyringId;
	fn backend(&self) -> KeyringBackend;
	fn party_threshold(&self) -> u32;
	fn responses_mut(&mut self) -> &mut ResponsesOf<T>;
	/// The event recording one party's rejection.
	fn rejection_recorded(request: RequestId, party: T::AccountId, reason: ReasonOf<T>)
		-> Event<T>;
	/// Reject (with a reason) or expire (without) the open request, refunding its fee.
	fn close(self, request: RequestId, status: RequestStatus, reason: Option<ReasonOf<T>>);
}

/// Implements [`AnsweredRequest`] for a request type over its storage map, its rejection event
/// and its closing function.
macro_rules! impl_answered_request {
	($request:ident, $storage:ident, $rejection_recorded:ident, $close:ident) => {
		impl<T: Config> AnsweredRequest<T> for $request<T> {
			fn load(request: RequestId) -> Option<Self> {
				$storage::<T>::get(request)
			}
			fn store(self, request: RequestId) {
				$storage::<T>::insert(request, self)
			}
			fn status(&self) -> RequestStatus {
				self.status
			}
			fn expires_at(&self) -> BlockNumberFor<T> {
				self.expires_at
			}
			fn set_status(&mut self, status: RequestStatus) {
				self.status = status
			}
			fn keyring(&self) -> KeyringId {
				self.keyring
			}
			fn backend(&self) -> KeyringBackend {
				self.backend
			}
			fn party_threshold(&self) -> u32 {
				self.party_threshold
			}
			fn responses_mut(&mut self) -> &mut ResponsesOf<T> {
				&mut self.responses
			}
			fn rejection_recorded(
				request: RequestId,
				party: T::AccountId,
				reason: ReasonOf<T>,
			) -> Event<T> {
				Event::$rejection_recorded { request, party, reason }
			}
			fn close(self, request: RequestId, status: RequestStatus, reason: Option<ReasonOf<T>>) {
				Pallet::<T>::$close(request, self, status, reason)
			}
		}
	};
}

impl_answered_request!(KeyRequest, KeyRequests, KeyRejectionRecorded, close_key_request);
impl_answered_request!(SignRequest, SignRequests, SignatureRejectionRecorded, close_sign_request);

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Sets up what the benchmarks need in the other pallets: approved origins, policies,
	/// workspaces and keyrings.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId, Balance, RuntimeOrigin> {
		/// An origin that `ApprovedOrigin` accepts with exactly `approval` as its success value.
		fn approved_origin(approval: Approval<AccountId>) -> RuntimeOrigin;
		/// Create a policy whose participants (as `PolicyGate::participants` reports them) are
		/// exactly `participants`, and return its id.
		fn policy_with_participants(participants: Vec<AccountId>) -> PolicyId;
		/// Create a workspace with `owners` (the first is its creator) and default policies, and
		/// return its id. The helper funds whatever deposit the workspace needs.
		fn create_workspace(owners: Vec<AccountId>) -> WorkspaceId;
		/// Register an active keyring with exactly `parties` and `party_threshold`, charging the
		/// given fees, and return its id. The helper funds whatever deposit the keyring needs.
		fn create_keyring(
			parties: Vec<AccountId>,
			party_threshold: u32,
			key_request_fee: Balance,
			sign_request_fee: Balance,
		) -> KeyringId;
	}

	/// Configuration of the treasury pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The runtime call; policy-gated requests are submitted to [`Config::PolicyGate`] as one.
		type RuntimeCall: From<Call<Self>>;

		/// The currency in which request fees are escrowed and paid.
		type Currency: Mutate<Self::AccountId>;

		/// The id of this pallet: its escrow account, which keeps the request fees from the
		/// request until it is decided, is derived from it.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The approval mechanism (the policy pallet) to which requests are submitted.
		type PolicyGate: PolicyGate<Self::AccountId, <Self as Config>::RuntimeCall>;

		/// The origin with which [`Config::PolicyGate`] dispatches an approved request.
		type ApprovedOrigin: EnsureOrigin<Self::RuntimeOrigin, Success = Approval<Self::AccountId>>;

		/// Workspaces: their owners and sign policies (the identity pallet).
		type Workspaces: WorkspaceInspect<Self::AccountId>;

		/// Keyrings: their parties, thresholds, fees and accounts (the identity pallet).
		type Keyrings: KeyringInspect<Self::AccountId, BalanceOf<Self>>;

		/// Runs the ceremonies of threshold keyrings (the MPC pallet): requests of a keyring with
		/// a threshold backend are handed to it instead of waiting for party answers.
		type ThresholdBackend: ThresholdBackend;

		/// Number of blocks after which a request that is still undecided expires and its fee is
		/// refunded.
		#[pallet::constant]
		type RequestTimeout: Get<BlockNumberFor<Self>>;

		/// The maximum number of payloads of one signature request (also of the sighashes of a
		/// Bitcoin transaction, one per input).
		#[pallet::constant]
		type MaxPayloadsPerRequest: Get<u32>;

		/// The maximum length in bytes of one payload: an Ed25519 message, including a Solana
		/// message (at least 32, the prehash length; 1232 or more to sign any Solana message).
		#[pallet::constant]
		type MaxPayloadLength: Get<u32>;

		/// The maximum length in bytes of an unsigned transaction.
		#[pallet::constant]
		type MaxUnsignedTransactionLength: Get<u32>;

		/// The maximum number of parties that can answer one request: requests to keyrings with
		/// more parties are refused. Set it to at least the identity pallet's MaxKeyringParties.
		#[pallet::constant]
		type MaxParties: Get<u32>;

		/// The maximum length in bytes of a rejection reason.
		#[pallet::constant]
		type MaxRejectionReasonLength: Get<u32>;

		/// The most answers one batched call (fulfil_key_requests, fulfil_signature_requests,
		/// reject_requests) may carry. The block's weight and length limit a batch as well.
		#[pallet::constant]
		type MaxAnswersPerCall: Get<u32>;

		/// Blocks a decided request is kept after its deadline before it is removed from storage.
		#[pallet::constant]
		type RequestRetention: Get<BlockNumberFor<Self>>;

		/// The most decided requests removed at the start of one block; more wait for the next.
		#[pallet::constant]
		type MaxPrunesPerBlock: Get<u32>;

		/// The most expiry-queue entries swept at the start of one block: their requests expire
		/// (or are dropped from the queue if they were answered meanwhile); more wait for the
		/// next blocks. Requests are never refused for this.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;

		/// The expected time between blocks, in milliseconds: spent(token, seconds) windows are
		/// converted to blocks with it (rounding up).
		#[pallet::constant]
		type ExpectedBlockTime: Get<u64>;

		/// The longest window the spending ledger keeps, in seconds.
		#[pallet::constant]
		type MaxSpendingWindow: Get<u32>;

		/// The most blocks with spending the ledger keeps per key and asset. When more blocks
		/// within the window have spending, the two oldest are merged into the later one, so
		/// an amount may count a little longer than its window, never shorter.
		#[pallet::constant]
		type MaxSpendingBuckets: Get<u32>;

		/// The longest memo a request may carry, in bytes.
		#[pallet::constant]
		type MaxMemoLength: Get<u32>;

		/// The longest message of request_message_signature, in bytes (the JSON of typed
		/// data, or a personal_sign message).
		#[pallet::constant]
		type MaxMessageLength: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up other pallets for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, BalanceOf<Self>, Self::RuntimeOrigin>;
	}

	/// Funds the escrow account with the existential deposit, so that it can take fees of any
	/// size (and is never reaped: fees leave it only down to that deposit).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::fund_escrow_account();
		}
	}

	/// The id the next request (key or signature) will get. Key and signature requests share
	/// one sequence, so an id names one request.
	#[pallet::storage]
	pub type NextRequestId<T> = StorageValue<_, RequestId, ValueQuery>;

	/// Key requests, by id, with their status (kept for the retention period after they are
	/// decided).
	#[pallet::storage]
	pub type KeyRequests<T: Config> = StorageMap<_, Twox64Concat, RequestId, KeyRequest<T>>;

	/// Signature and transaction-signature requests, by id, with their status (kept after they
	/// are decided).
	#[pallet::storage]
	pub type SignRequests<T: Config> = StorageMap<_, Twox64Concat, RequestId, SignRequest<T>>;

	/// What each signature request asks to sign, in order.
	#[pallet::storage]
	pub type SignPayloads<T: Config> = StorageMap<_, Twox64Concat, RequestId, PayloadsOf<T>>;

	/// The unsigned transaction of each transaction-signature request.
	#[pallet::storage]
	pub type UnsignedTransactions<T: Config> =
		StorageMap<_, Twox64Concat, RequestId, BoundedVec<u8, T::MaxUnsignedTransactionLength>>;

	/// The keys, by id (the id of the key request that created the key).
	#[pallet::storage]
	pub type Keys<T: Config> = StorageMap<_, Twox64Concat, KeyId, Key<BlockNumberFor<T>>>;

	/// Index of the keys of each workspace, keyed by workspace first, so that a workspace's
	/// keys can be listed without a scan.
	#[pallet::storage]
	pub type WorkspaceKeys<T: Config> =
		StorageDoubleMap<_, Twox64Concat, WorkspaceId, Twox64Concat, KeyId, ()>;

	/// Number of open key requests of each workspace (absent when zero). A workspace with keys or
	/// open key requests is in use and cannot be removed.
	#[pallet::storage]
	pub type OpenKeyRequestCount<T: Config> = StorageMap<_, Twox64Concat, WorkspaceId, u32>;

	/// Index: a key by the BLAKE2b-256 hash of one of its default addresses as text (EVM
	/// EIP-55, Cosmos, SS58, Bitcoin P2WPKH, Solana). Look keys up with the key_by_address
	/// runtime API, which normalises the address first.
	#[pallet::storage]
	pub type KeyByAddress<T: Config> = StorageMap<_, Identity, [u8; 32], KeyId>;

	/// Index of the open key requests of each keyring, keyed by keyring first.
	#[pallet::storage]
	pub type PendingKeyRequests<T: Config> =
		StorageDoubleMap<_, Twox64Concat, KeyringId, Twox64Concat, RequestId, ()>;

	/// Index of the open signature requests of each keyring, keyed by keyring first.
	#[pallet::storage]
	pub type PendingSignRequests<T: Config> =
		StorageDoubleMap<_, Twox64Concat, KeyringId, Twox64Concat, RequestId, ()>;

	/// Index: fulfilled transaction-signature requests marked for broadcast that no relayer has
	/// reported yet, with their chain and key. Private transactions never appear here.
	#[pallet::storage]
	pub type AwaitingBroadcast<T: Config> = StorageMap<_, Twox64Concat, RequestId, BroadcastInfo>;

	/// The expiry queue: every request made, with its deadline, by position in creation order.
	/// Swept from the head in on_initialize; an entry whose request was answered is dropped there.
	#[pallet::storage]
	pub type ExpiryQueue<T: Config> =
		StorageMap<_, Twox64Concat, u64, ExpiryEntry<BlockNumberFor<T>>>;

	/// The positions of the expiry queue's oldest entry and of the next entry to append; the
	/// queue is empty when they are equal.
	#[pallet::storage]
	pub type ExpiryQueueEnds<T: Config> = StorageValue<_, QueueEnds, ValueQuery>;

	/// The oldest request id not yet removed after its retention period.
	#[pallet::storage]
	pub type NextRequestToPrune<T: Config> = StorageValue<_, RequestId, ValueQuery>;

	/// Fees a keyring earned that could not be paid into its account yet (it does not exist and
	/// the sum is below the existential deposit); they are added to its next payment.
	#[pallet::storage]
	pub type OwedKeyringFees<T: Config> = StorageMap<_, Twox64Concat, KeyringId, BalanceOf<T>>;

	/// The message whose Keccak-256 a message-signature request signs (its preimage): the
	/// EIP-191 prefixed message, or 0x1901, the domain separator and the struct hash. Threshold
	/// ECDSA signers hash it themselves.
	#[pallet::storage]
	pub type SignPreimages<T: Config> =
		StorageMap<_, Twox64Concat, RequestId, BoundedVec<u8, MessagePreimageBound<T>>>;

	/// The spending ledger: per key and asset, the amounts of approved transaction-signature
	/// requests by the block they were approved in (oldest first; at most MaxSpendingBuckets
	/// blocks, older than MaxSpendingWindow dropped). What policies read with spent(...).
	#[pallet::storage]
	pub type SpentAmounts<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		KeyId,
		Identity,
		[u8; 32],
		BoundedVec<(BlockNumberFor<T>, u128), T::MaxSpendingBuckets>,
		ValueQuery,
	>;

	/// Events of the treasury pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A request waits for approvals in the policy action given.
		RequestAwaitingApproval {
			workspace: WorkspaceId,
			requester: T::AccountId,
			action: ActionId,
			memo: MemoOf<T>,
		},
		/// A key was requested from a keyring. The fee is escrowed from the requester until the
		/// request is decided or expires.
		KeyRequested {
			request: RequestId,
			workspace: WorkspaceId,
			keyring: KeyringId,
			key_type: KeyType,
			requester: T::AccountId,
			fee: BalanceOf<T>,
			expires_at: BlockNumberFor<T>,
			/// The requester's memo, as given with the request.
			memo: MemoOf<T>,
		},
		/// A party of the keyring answered a key request with the public key given (in stored
		/// form).
		KeyAnswerRecorded { request: RequestId, party: T::AccountId, public_key: StoredPublicKey },
		/// A party of the keyring rejected a key request.
		KeyRejectionRecorded { request: RequestId, party: T::AccountId, reason: ReasonOf<T> },
		/// A key request was fulfilled and its key created (the key's id is the request's id). The
		/// keyring earned the fee: it leaves the escrow for the keyring's account at the end of the
		/// call (KeyringFeesPaid).
		KeyRequestFulfilled {
			request: RequestId,
			key: KeyId,
			workspace: WorkspaceId,
			keyring: KeyringId,
			public_key: StoredPublicKey,
			fee: BalanceOf<T>,
		},
		/// A key request was rejected, for the reason of the deciding party or for "conflicting
		/// answers". The escrowed fee was refunded to the requester.
		KeyRequestRejected { request: RequestId, reason: ReasonOf<T>, refunded: BalanceOf<T> },
		/// A key request expired before it was decided; the escrowed fee was refunded to the
		/// requester.
		KeyRequestExpired { request: RequestId, refunded: BalanceOf<T> },
		/// Signatures were requested with a key: of the number of payloads given, or of a
		/// transaction when a chain is given. The fee is escrowed from the requester until the
		/// request is decided or expires.
		SignatureRequested {
			request: RequestId,
			key: KeyId,
			keyring: KeyringId,
			requester: T::AccountId,
			payloads: u32,
			chain: Option<Chain>,
			fee: BalanceOf<T>,
			expires_at: BlockNumberFor<T>,
			/// The requester's memo, as given with the request.
			memo: MemoOf<T>,
		},
		/// A party of the keyring answered a signature request with verified signatures.
		SignatureAnswerRecorded { request: RequestId, party: T::AccountId },
		/// A party of the keyring rejected a signature request.
		SignatureRejectionRecorded { request: RequestId, party: T::AccountId, reason: ReasonOf<T> },
		/// A signature request was fulfilled with these verified signatures, one per payload in
		/// order, which are also stored with the request until it is removed. The keyring earned
		/// the fee: it leaves the escrow for the keyring's account at the end of the call
		/// (KeyringFeesPaid). If awaiting broadcast is true, the signed transaction is now listed
		/// for relayers to broadcast.
		SignatureRequestFulfilled {
			request: RequestId,
			key: KeyId,
			signatures: SignaturesOf<T>,
			fee: BalanceOf<T>,
			awaiting_broadcast: bool,
		},
		/// A signature request was rejected, for the reason given; the escrowed fee was refunded
		/// to the requester.
		SignatureRequestRejected { request: RequestId, reason: ReasonOf<T>, refunded: BalanceOf<T> },
		/// A signature request expired before it was decided; the escrowed fee was refunded to
		/// the requester.
		SignatureRequestExpired { request: RequestId, refunded: BalanceOf<T> },
		/// A key's sign policy changed; if no policy is given, the workspace's sign policy
		/// applies.
		KeyPolicyUpdated { key: KeyId, sign_policy: Option<PolicyId> },
		/// The fees a keyring earned in one call (with any fees owed to it from before) were paid
		/// from the escrow into the keyring's account.
		KeyringFeesPaid { keyring: KeyringId, amount: BalanceOf<T> },
		/// The fees a keyring earned could not be paid into its account (it does not exist and
		/// the sum is below the existential deposit). They are owed to it (OwedKeyringFees) and
		/// paid with its next fees.
		KeyringFeesOwed { keyring: KeyringId, owed: BalanceOf<T> },
		/// One answer of a batched call failed and changed nothing; the others stand. The error
		/// is the one the single-answer call would have returned.
		AnswerFailed { request: RequestId, error: DispatchError },
	}

	/// Errors of the treasury pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The keyring's backend does not make keys of this type (node keystores: ECDSA
		/// secp256k1 and Ed25519; FROST: Ed25519 and Bitcoin Taproot).
		KeyTypeNotServedByKeyring,
		/// The request belongs to a threshold keyring: its ceremony answers it, parties cannot
		/// fulfil or reject it directly.
		AnsweredByBackend,
		/// No workspace has this id.
		UnknownWorkspace,
		/// The caller (or the requester of an approved request) is not an owner of the workspace.
		NotOwner,
		/// The approval was given for another workspace than the one this call concerns.
		ApprovalForOtherWorkspace,
		/// The sign policy that governs this call changed since the call was approved.
		SignPolicyChanged,
		/// A participant of the given policy is not an owner of the workspace.
		PolicyParticipantNotOwner,
		/// No keyring has this id.
		UnknownKeyring,
		/// The keyring does not accept new requests.
		KeyringInactive,
		/// The keyring has fewer parties than its threshold, so it cannot answer requests.
		InsufficientParties,
		/// The keyring has more parties than a request can record answers for (MaxParties).
		TooManyParties,
		/// No key has this id.
		UnknownKey,
		/// No request of the kind this call answers has this id.
		UnknownRequest,
		/// The request is no longer open: it was fulfilled, rejected or has expired.
		RequestNotPending,
		/// The caller is not a party of the request's keyring.
		NotParty,
		/// In a batched answer: the request belongs to another keyring than the batch's.
		WrongKeyring,
		/// A batched call carries more answers than MaxAnswersPerCall.
		TooManyAnswers,
		/// In fulfil_signature_requests, secp256k1 signatures must be given as 65 bytes r, s and
		/// recovery id (also for Bitcoin keys: the chain encodes them as DER in the transaction).
		RecoverableSignatureRequired,
		/// The caller has already answered this request; its first answer stands.
		AlreadyResponded,
		/// The request has as many answers as it can record.
		TooManyResponses,
		/// The public key is not a valid key of the requested type: wrong length (at most 65
		/// bytes), or not a valid curve point.
		InvalidPublicKey,
		/// The public key (one of its addresses) already belongs to another key.
		PublicKeyInUse,
		/// A signature request needs at least one payload.
		NoPayloads,
		/// More payloads than a request may have (MaxPayloadsPerRequest), given directly or by a
		/// Bitcoin transaction with that many inputs.
		TooManyPayloads,
		/// A payload has the wrong length for the key: secp256k1 keys sign 32-byte prehashes,
		/// Ed25519 keys messages of at least 1 byte.
		InvalidPayloadLength,
		/// A payload is longer than MaxPayloadLength bytes (given directly, or the message of a
		/// long Solana transaction).
		PayloadTooLong,
		/// The unsigned transaction is longer than MaxUnsignedTransactionLength bytes.
		TransactionTooLong,
		/// The number of signatures differs from the number of payloads of the request.
		WrongSignatureCount,
		/// A signature is longer than any valid signature (72 bytes, a DER-encoded Bitcoin
		/// signature).
		SignatureTooLong,
		/// A signature is malformed or not valid for the key and its payload.
		InvalidSignature,
		/// A rejection reason is longer than MaxRejectionReasonLength bytes.
		ReasonTooLong,
		/// The unsigned transaction is not a valid transaction of its chain (malformed,
		/// unsupported type, or not spending the key's own coins).
		InvalidTransaction,
		/// The transaction is for another chain id than the request's chain.
		ChainIdMismatch,
		/// The key's type cannot sign transactions of this chain (EVM and Bitcoin need a
		/// secp256k1 key, Solana an Ed25519 key).
		KeyTypeNotSupportedByChain,
		/// The keyring's fee for this request is above the max_fee the requester accepts. It is
		/// checked when the request is made and again when its approval completes.
		FeeAboveMaximum,
		/// The memo is longer than MaxMemoLength bytes.
		MemoTooLong,
		/// Messages (personal_sign, typed data) are signed by EVM keys: EcdsaSecp256k1 only.
		KeyCannotSignMessages,
		/// The message is longer than MaxMessageLength bytes.
		MessageTooLong,
		/// A personal_sign message must not be empty.
		EmptyMessage,
		/// The typed data is not valid EIP-712 JSON: an object with types, primaryType, domain
		/// and message, whose values match their declared types; its primary type may not be
		/// EIP712Domain.
		InvalidTypedData,
		/// The typed data's domain may only have the fields name, version, chainId,
		/// verifyingContract and salt, and types.EIP712Domain must list exactly those present,
		/// in that order, with their standard types.
		NonCanonicalTypedDataDomain,
		/// The requester's free balance cannot cover the keyring's request fee, which is escrowed from
		/// the requester until the request is answered (paid to the keyring) or ends unanswered
		/// (refunded).
		InsufficientBalanceForRequestFee,
		/// No more request ids are available.
		IdsExhausted,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Sweep the expiry queue: expire the open requests whose deadline has come (refunding
		/// their fees), at most MaxExpiriesPerBlock entries; then remove decided requests whose
		/// retention period has passed, at most MaxPrunesPerBlock.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let swept = Self::sweep_expiry_queue(now, T::MaxExpiriesPerBlock::get());
			let examined = Self::prune_decided_requests(now, T::MaxPrunesPerBlock::get());
			// An expiring transaction request withdraws what it recorded in the spending ledger
			// (the sweep's benchmark expires key requests, which record nothing).
			let withdrawals = T::WeightInfo::record_spending().saturating_mul(swept.into());
			T::WeightInfo::on_initialize_expire(swept)
				.saturating_add(withdrawals)
				.saturating_add(T::WeightInfo::on_initialize_prune(examined))
		}

		fn integrity_test() {
			assert!(T::MaxPayloadLength::get() >= 32, "a payload must fit a 32-byte prehash");
			assert!(T::MaxPayloadsPerRequest::get() >= 1, "a request needs room for a payload");
			assert!(T::MaxParties::get() >= 1, "a request needs room for an answer");
			assert!(T::MaxExpiriesPerBlock::get() >= 1, "the expiry sweep must make progress");
			assert!(T::MaxPrunesPerBlock::get() >= 1, "pruning must make progress");
			assert!(!T::RequestTimeout::get().is_zero(), "requests need time to be answered");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Ask a keyring for a new key of the given type for a workspace. Gated by the workspace's
		/// sign policy.
		///
		/// The requester must own the workspace. The keyring must exist, be active, and have at least
		/// its threshold of parties (and at most MaxParties). If a sign policy is given for the key,
		/// every one of its participants must be an owner; without one, the key follows the
		/// workspace's sign policy. Signed by an owner, the call is checked and submitted to the policy
		/// gate: it runs at once, or waits for approvals (event RequestAwaitingApproval). When it runs,
		/// the keyring's key request fee is escrowed from the requester and KeyRequested is emitted.
		#[pallet::call_index(0)]
		#[pallet::weight(
			T::WeightInfo::request_key()
				.saturating_add(T::PolicyGate::submit_weight())
				.saturating_add(T::ThresholdBackend::key_requested_weight())
		)]
		pub fn request_key(
			origin: OriginFor<T>,
			workspace: WorkspaceId,
			keyring: KeyringId,
			key_type: KeyType,
			sign_policy: Option<PolicyId>,
			max_fee: BalanceOf<T>,
			memo: Option<Vec<u8>>,
		) -> DispatchResultWithPostInfo {
			let memo = Self::bounded_memo(memo)?;
			ensure!(T::Workspaces::workspace_exists(workspace), Error::<T>::UnknownWorkspace);
			let workspace_policy = T::Workspaces::sign_policy(workspace);
			let authorized = Self::authorize(origin, workspace, workspace_policy)?;
			let terms = Self::serving_keyring(keyring)?;
			ensure!(terms.key_request_fee <= max_fee, Error::<T>::FeeAboveMaximum);
			Self::ensure_serves(&terms, keyring, key_type)?;
			Self::ensure_policy_within_owners(sign_policy, workspace)?;
			let requester = match authorized {
				Authorized::Submit(who) => {
					return Self::submit(
						who,
						workspace,
						workspace_policy,
						Call::request_key {
							workspace,
							keyring,
							key_type,
							sign_policy,
							max_fee,
							memo: Some(memo.to_vec()),
						},
						PolicyContext::default(),
						memo,
						T::WeightInfo::request_key(),
					);
				}
				Authorized::Execute(requester) => requester,
			};

			let now = frame_system::Pallet::<T>::block_number();
			let expires_at = Self::deadline(now);
			let request = Self::next_request_id()?;
			let fee = terms.key_request_fee;
			Self::escrow(&requester, fee)?;
			Self::schedule_expiry(expires_at, RequestKind::Key, request)?;
			// Requests of threshold keyrings are not for parties to answer one by one.
			if !terms.backend.is_threshold() {
				PendingKeyRequests::<T>::insert(keyring, request, ());
			}
			OpenKeyRequestCount::<T>::mutate(workspace, |count| {
				*count = Some(count.unwrap_or(0).saturating_add(1))
			});
			KeyRequests::<T>::insert(
				request,
				KeyRequest {
					workspace,
					keyring,
					backend: terms.backend,
					key_type,
					sign_policy,
					requester: requester.clone(),
					fee,
					party_threshold: terms.party_threshold.max(1),
					status: RequestStatus::Pending,
					created_at: now,
					expires_at,
					responses: BoundedVec::new(),
					memo: memo.clone(),
				},
			);
			Self::deposit_event(Event::KeyRequested {
				request,
				workspace,
				keyring,
				key_type,
				requester,
				fee,
				expires_at,
				memo: memo.clone(),
			});
			let mut weight = T::WeightInfo::request_key();
			if terms.backend.is_threshold() {
				T::ThresholdBackend::key_requested(request, keyring, key_type)?;
				weight = weight.saturating_add(T::ThresholdBackend::key_requested_weight());
			}
			Ok(Some(weight).into())
		}

		/// Answer a key request with a public key. Only a party of the request's keyring that has
		/// not answered it yet may call.
		///
		/// The key must be valid for the requested type (secp256k1 keys may be given compressed or
		/// uncompressed, at most 65 bytes, and are stored compressed) and must not belong to another
		/// key. Emits KeyAnswerRecorded. When the threshold of parties gave the identical key, the key
		/// is created (its id is the request's id), the escrowed fee is paid to the keyring's account and
		/// KeyRequestFulfilled is emitted. If conflicting answers make the threshold unreachable, the
		/// request is rejected and the fee refunded (KeyRequestRejected).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::fulfil_key_request())]
		pub fn fulfil_key_request(
			origin: OriginFor<T>,
			request: RequestId,
			public_key: Vec<u8>,
		) -> DispatchResult {
			let answerer = Answerer::single(ensure_signed(origin)?);
			let (keyring, fee) = Self::answer_key_request(&answerer, request, public_key)?;
			Self::pay_keyring(keyring, fee);
			Ok(())
		}

		/// Reject a key request, giving a reason (at most MaxRejectionReasonLength bytes). Only a
		/// party of the request's keyring that has not answered it yet may call.
		///
		/// Emits KeyRejectionRecorded. Once so many parties rejected it (or answered differently) that
		/// the threshold of identical keys can no longer be reached, the request is rejected, the escrowed
		/// fee is refunded and KeyRequestRejected is emitted.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reject_key_request())]
		pub fn reject_key_request(
			origin: OriginFor<T>,
			request: RequestId,
			reason: Vec<u8>,
		) -> DispatchResult {
			Self::reject::<KeyRequest<T>>(
				&Answerer::single(ensure_signed(origin)?),
				request,
				reason,
			)
		}

		/// Ask for signatures of one or more payloads with a key. Gated by the key's sign policy, or
		/// the workspace's sign policy if the key has none.
		///
		/// Payloads are 32-byte prehashes for secp256k1 keys and messages of 1 to MaxPayloadLength
		/// bytes for Ed25519 keys; at least one and at most MaxPayloadsPerRequest. The requester must
		/// own the key's workspace and the key's keyring must be able to serve. Signed by an owner, the
		/// call is checked and submitted to the policy gate. When it runs, the keyring's sign request
		/// fee is escrowed from the requester and SignatureRequested is emitted.
		#[pallet::call_index(3)]
		#[pallet::weight(
			T::WeightInfo::request_signature(payloads.len() as u32)
				.saturating_add(T::PolicyGate::submit_weight())
				.saturating_add(T::ThresholdBackend::signature_requested_weight(payloads.len() as u32))
		)]
		pub fn request_signature(
			origin: OriginFor<T>,
			key: KeyId,
			payloads: Vec<Vec<u8>>,
			max_fee: BalanceOf<T>,
			memo: Option<Vec<u8>>,
		) -> DispatchResultWithPostInfo {
			let memo = Self::bounded_memo(memo)?;
			let bounded_payloads = Self::bounded_payloads(&payloads)?;
			let SignatureRequester { stored_key, policy, authorized, terms } =
				Self::signature_requester(origin, key, max_fee)?;
			ensure!(!payloads.is_empty(), Error::<T>::NoPayloads);
			for payload in &payloads {
				let valid_length = if stored_key.key_type.signs_prehash() {
					payload.len() == 32
				} else {
					!payload.is_empty()
				};
				ensure!(valid_length, Error::<T>::InvalidPayloadLength);
			}
			let count = payloads.len() as u32;
			let requester = match authorized {
				Authorized::Submit(who) => {
					return Self::submit(
						who,
						stored_key.workspace,
						policy,
						Call::request_signature {
							key,
							payloads,
							max_fee,
							memo: Some(memo.to_vec()),
						},
						PolicyContext::default(),
						memo,
						T::WeightInfo::request_signature(count),
					);
				}
				Authorized::Execute(requester) => requester,
			};
			let threshold_weight = Self::open_sign_request(
				key,
				&stored_key,
				&terms,
				requester,
				bounded_payloads,
				SignedContent::Payloads,
				memo,
			)?;
			let weight = T::WeightInfo::request_signature(count);
			Ok(Some(weight.saturating_add(threshold_weight)).into())
		}

		/// Ask for the signatures of an unsigned transaction for a chain with a key. Gated as
		/// request_signature; the policy sees the value the transaction moves as tx.value.
		///
		/// The chain parses the transaction (at most MaxUnsignedTransactionLength bytes) and computes
		/// what must be signed: for EVM one keccak prehash, for Bitcoin one BIP-143 sighash per input,
		/// for Solana the message. With broadcast set, relayers broadcast the transaction once it is
		/// signed (it is listed in AwaitingBroadcast); otherwise it stays private. Otherwise as
		/// request_signature.
		#[pallet::call_index(4)]
		#[pallet::weight(
			T::WeightInfo::request_transaction_signature(unsigned_transaction.len() as u32)
				.saturating_add(T::WeightInfo::record_spending())
				.saturating_add(T::PolicyGate::submit_weight())
				.saturating_add(T::ThresholdBackend::signature_requested_weight(
					T::MaxPayloadsPerRequest::get()
				))
		)]
		pub fn request_transaction_signature(
			origin: OriginFor<T>,
			key: KeyId,
			chain: Chain,
			unsigned_transaction: Vec<u8>,
			broadcast: bool,
			max_fee: BalanceOf<T>,
			memo: Option<Vec<u8>>,
		) -> DispatchResultWithPostInfo {
			let memo = Self::bounded_memo(memo)?;
			let bounded_transaction: BoundedVec<u8, T::MaxUnsignedTransactionLength> =
				unsigned_transaction
					.clone()
					.try_into()
					.map_err(|_| Error::<T>::TransactionTooLong)?;
			let SignatureRequester { stored_key, policy, authorized, terms } =
				Self::signature_requester(origin, key, max_fee)?;
			let public =
				Self::parse_stored_key(&stored_key).map_err(|_| Error::<T>::InvalidPublicKey)?;
			let parsed = parse_transaction(&chain, &public, &unsigned_transaction)
				.map_err(Self::transaction_error)?;
			ensure!(!parsed.payloads_to_sign.is_empty(), Error::<T>::InvalidTransaction);
			ensure!(
				parsed.payloads_to_sign.len() <= T::MaxPayloadsPerRequest::get() as usize,
				Error::<T>::TooManyPayloads
			);
			let mut payloads = PayloadsOf::<T>::new();
			for payload in &parsed.payloads_to_sign {
				let bytes: BoundedVec<u8, T::MaxPayloadLength> = payload
					.as_bytes()
					.to_vec()
					.try_into()
					.map_err(|_| Error::<T>::PayloadTooLong)?;
				payloads.try_push(bytes).map_err(|_| Error::<T>::TooManyPayloads)?;
			}
			let length = unsigned_transaction.len() as u32;
			let requester = match authorized {
				Authorized::Submit(who) => {
					return Self::submit(
						who,
						stored_key.workspace,
						policy,
						Call::request_transaction_signature {
							key,
							chain,
							unsigned_transaction,
							broadcast,
							max_fee,
							memo: Some(memo.to_vec()),
						},
						Self::transaction_context(key, &chain, &parsed),
						memo,
						T::WeightInfo::request_transaction_signature(length),
					);
				}
				Authorized::Execute(requester) => requester,
			};
			let summary = TransactionSummary {
				chain,
				broadcast,
				value: parsed.value,
				spending: Self::spending_of(&chain, &parsed),
			};
			let threshold_weight = Self::open_sign_request(
				key,
				&stored_key,
				&terms,
				requester,
				payloads,
				SignedContent::Transaction { summary, unsigned: bounded_transaction },
				memo,
			)?;
			let weight = T::WeightInfo::request_transaction_signature(length)
				.saturating_add(T::WeightInfo::record_spending());
			Ok(Some(weight.saturating_add(threshold_weight)).into())
		}

		/// Ask for the signature of a message with an EVM key (EcdsaSecp256k1): an EIP-191
		/// personal_sign message, or EIP-712 typed data given as the JSON a wallet receives.
		/// Gated as request_signature.
		///
		/// The chain computes the digest itself (for typed data with alloy's EIP-712 encoder,
		/// after checking that the domain is canonical), and gives the policy the message's
		/// facts: tx.kind (message, typed_data, or token_approval for an EIP-2612 Permit or a
		/// Permit2 permit), tx.chain and tx.to (the domain's chainId and verifyingContract), and
		/// for permits tx.token, tx.token_amount and tx.spender. The signature the keyring
		/// returns is verified against that digest. At most MaxMessageLength bytes.
		#[pallet::call_index(11)]
		#[pallet::weight(
			T::WeightInfo::request_message_signature(message.len() as u32)
				.saturating_add(T::PolicyGate::submit_weight())
				.saturating_add(T::ThresholdBackend::signature_requested_weight(1))
		)]
		pub fn request_message_signature(
			origin: OriginFor<T>,
			key: KeyId,
			format: MessageFormat,
			message: Vec<u8>,
			max_fee: BalanceOf<T>,
			memo: Option<Vec<u8>>,
		) -> DispatchResultWithPostInfo {
			let memo = Self::bounded_memo(memo)?;
			ensure!(
				message.len() <= T::MaxMessageLength::get() as usize,
				Error::<T>::MessageTooLong
			);
			let SignatureRequester { stored_key, policy, authorized, terms } =
				Self::signature_requester(origin, key, max_fee)?;
			ensure!(
				stored_key.key_type == KeyType::EcdsaSecp256k1,
				Error::<T>::KeyCannotSignMessages
			);
			let parsed = parse_message(format, &message).map_err(Self::message_error)?;
			let preimage: BoundedVec<u8, MessagePreimageBound<T>> =
				parsed.preimage.bytes.clone().try_into().map_err(|_| Error::<T>::MessageTooLong)?;
			let length = message.len() as u32;
			let requester = match authorized {
				Authorized::Submit(who) => {
					return Self::submit(
						who,
						stored_key.workspace,
						policy,
						Call::request_message_signature {
							key,
							format,
							message,
							max_fee,
							memo: Some(memo.to_vec()),
						},
						Self::message_context(key, &parsed),
						memo,
						T::WeightInfo::request_message_signature(length),
					);
				}
				Authorized::Execute(requester) => requester,
			};
			let mut payloads = PayloadsOf::<T>::new();
			let digest: BoundedVec<u8, T::MaxPayloadLength> =
				parsed.digest.to_vec().try_into().map_err(|_| Error::<T>::PayloadTooLong)?;
			payloads.try_push(digest).map_err(|_| Error::<T>::TooManyPayloads)?;
			let threshold_weight = Self::open_sign_request(
				key,
				&stored_key,
				&terms,
				requester,
				payloads,
				SignedContent::Message { format, preimage },
				memo,
			)?;
			let weight = T::WeightInfo::request_message_signature(length);
			Ok(Some(weight.saturating_add(threshold_weight)).into())
		}

		/// Answer a signature request with signatures, one per payload in order. Only a party of the
		/// request's keyring that has not answered it yet may call.
		///
		/// Every signature is verified against the key and its payload first (secp256k1: 65 bytes r, s
		/// and recovery id, low-S, or strict DER for Bitcoin keys; Ed25519: 64 bytes); one bad
		/// signature refuses the whole answer. Emits SignatureAnswerRecorded. When the threshold of
		/// parties gave identical signatures they are stored, the escrowed fee is paid to the keyring's
		/// account and SignatureRequestFulfilled is emitted (a transaction marked for broadcast is
		/// listed in AwaitingBroadcast). If conflicting answers make the threshold unreachable, the
		/// request is rejected and the fee refunded.
		#[pallet::call_index(5)]
		#[pallet::weight(Pallet::<T>::fulfil_signature_weight(signatures.len() as u32))]
		pub fn fulfil_signature_request(
			origin: OriginFor<T>,
			request: RequestId,
			signatures: Vec<Vec<u8>>,
		) -> DispatchResult {
			let answerer = Answerer::single(ensure_signed(origin)?);
			let (keyring, fee) = Self::answer_sign_request(&answerer, request, signatures)?;
			Self::pay_keyring(keyring, fee);
			Ok(())
		}

		/// Reject a signature request, giving a reason (at most MaxRejectionReasonLength bytes). Only
		/// a party of the request's keyring that has not answered it yet may call.
		///
		/// Emits SignatureRejectionRecorded. Once the threshold of identical signatures can no longer be
		/// reached, the request is rejected, the escrowed fee is refunded and SignatureRequestRejected is
		/// emitted.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::reject_signature_request())]
		pub fn reject_signature_request(
			origin: OriginFor<T>,
			request: RequestId,
			reason: Vec<u8>,
		) -> DispatchResult {
			Self::reject::<SignRequest<T>>(
				&Answerer::single(ensure_signed(origin)?),
				request,
				reason,
			)
		}

		/// Set or clear the sign policy of a key (without one, the workspace's sign policy applies).
		/// Gated by the key's current sign policy, or the workspace's if it has none.
		///
		/// Every participant of the new policy must be an owner of the key's workspace. Emits
		/// KeyPolicyUpdated.
		#[pallet::call_index(7)]
		#[pallet::weight(
			T::WeightInfo::update_key_policy().saturating_add(T::PolicyGate::submit_weight())
		)]
		pub fn update_key_policy(
			origin: OriginFor<T>,
			key: KeyId,
			sign_policy: Option<PolicyId>,
		) -> DispatchResultWithPostInfo {
			let mut stored_key = Keys::<T>::get(key).ok_or(Error::<T>::UnknownKey)?;
			let policy = Self::key_policy(&stored_key);
			let authorized = Self::authorize(origin, stored_key.workspace, policy)?;
			Self::ensure_policy_within_owners(sign_policy, stored_key.workspace)?;
			if let Authorized::Submit(who) = authorized {
				return Self::submit(
					who,
					stored_key.workspace,
					policy,
					Call::update_key_policy { key, sign_policy },
					PolicyContext::default(),
					MemoOf::<T>::new(),
					T::WeightInfo::update_key_policy(),
				);
			}
			stored_key.sign_policy = sign_policy;
			Keys::<T>::insert(key, stored_key);
			Self::deposit_event(Event::KeyPolicyUpdated { key, sign_policy });
			Ok(Some(T::WeightInfo::update_key_policy()).into())
		}

		/// Answer many signature requests of one keyring at once: each answer is a request and its
		/// signatures, one per payload in order. Only a party of the keyring may call.
		///
		/// Each answer is checked and verified exactly as fulfil_signature_request does, except
		/// that secp256k1 signatures must be given as 65 bytes r, s and recovery id (also for
		/// Bitcoin keys). An answer that fails changes nothing and is reported in AnswerFailed; the
		/// other answers stand. The fees of the requests fulfilled are paid to the keyring's
		/// account once, at the end (KeyringFeesPaid). At most MaxAnswersPerCall answers.
		#[pallet::call_index(8)]
		#[pallet::weight(Pallet::<T>::fulfil_signature_requests_weight(answers))]
		pub fn fulfil_signature_requests(
			origin: OriginFor<T>,
			keyring: KeyringId,
			answers: Vec<(RequestId, Vec<Vec<u8>>)>,
		) -> DispatchResult {
			let earned =
				Self::answer_batch(origin, keyring, answers, |answerer, request, signatures| {
					Ok(Self::answer_sign_request(answerer, request, signatures)?.1)
				})?;
			Self::pay_keyring(keyring, earned);
			Ok(())
		}

		/// Answer many key requests of one keyring at once: each answer is a request and its
		/// public key. Only a party of the keyring may call.
		///
		/// Each answer is checked exactly as fulfil_key_request does. An answer that fails changes
		/// nothing and is reported in AnswerFailed; the other answers stand. The fees of the
		/// requests fulfilled are paid to the keyring's account once, at the end. At most
		/// MaxAnswersPerCall answers.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::fulfil_key_requests(answers.len() as u32))]
		pub fn fulfil_key_requests(
			origin: OriginFor<T>,
			keyring: KeyringId,
			answers: Vec<(RequestId, Vec<u8>)>,
		) -> DispatchResult {
			let earned =
				Self::answer_batch(origin, keyring, answers, |answerer, request, public_key| {
					Ok(Self::answer_key_request(answerer, request, public_key)?.1)
				})?;
			Self::pay_keyring(keyring, earned);
			Ok(())
		}

		/// Reject many requests of one keyring at once, key or signature requests, each with a
		/// reason. Only a party of the keyring may call.
		///
		/// Each rejection is checked exactly as reject_key_request or reject_signature_request
		/// does. One that fails changes nothing and is reported in AnswerFailed; the others stand.
		/// At most MaxAnswersPerCall rejections.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::reject_requests(rejections.len() as u32))]
		pub fn reject_requests(
			origin: OriginFor<T>,
			keyring: KeyringId,
			rejections: Vec<(RequestId, Vec<u8>)>,
		) -> DispatchResult {
			Self::answer_batch(origin, keyring, rejections, |answerer, request, reason| {
				if KeyRequests::<T>::contains_key(request) {
					Self::reject::<KeyRequest<T>>(answerer, request, reason)?;
				} else {
					Self::reject::<SignRequest<T>>(answerer, request, reason)?;
				}
				Ok(Zero::zero())
			})?;
			Ok(())
		}
	}
}

/// Workspaces that have keys or open key requests: the identity pallet's `WorkspaceInUse`, so
/// that such a workspace cannot be removed.
pub struct WorkspacesWithKeys<T>(core::marker::PhantomData<T>);

impl<T: Config> Contains<WorkspaceId> for WorkspacesWithKeys<T> {
	fn contains(workspace: &WorkspaceId) -> bool {
		WorkspaceKeys::<T>::iter_key_prefix(workspace).next().is_some()
			|| OpenKeyRequestCount::<T>::contains_key(workspace)
	}
}

impl<T: Config> Pallet<T> {
	/// The weight of `fulfil_signature_request` with `signatures` signatures: the worse of
	/// secp256k1 (Bitcoin DER, two recoveries each) and Ed25519 (longest messages).
	pub fn fulfil_signature_weight(signatures: u32) -> Weight {
		T::WeightInfo::fulfil_signature_request_secp256k1(signatures)
			.max(T::WeightInfo::fulfil_signature_request_ed25519(signatures))
	}

	/// The weight of `fulfil_signature_requests` with `answers`. A 65-byte signature is counted
	/// as secp256k1 (one public-key recovery: the batch refuses DER signatures), any other as
	/// Ed25519; an answer's first signature counts with the answer, the others as extra
	/// signatures.
	pub fn fulfil_signature_requests_weight(answers: &[(RequestId, Vec<Vec<u8>>)]) -> Weight {
		let (mut secp256k1, mut secp256k1_extra, mut ed25519, mut ed25519_extra) = (0, 0, 0, 0);
		let is_secp256k1 = |signature: &Vec<u8>| signature.len() == 65;
		for (_, signatures) in answers {
			match signatures.first() {
				Some(first) if is_secp256k1(first) => secp256k1 += 1u32,
				_ => ed25519 += 1u32,
			}
			for signature in signatures.iter().skip(1) {
				if is_secp256k1(signature) {
					secp256k1_extra += 1u32;
				} else {
					ed25519_extra += 1u32;
				}
			}
		}
		let mut weight = Weight::zero();
		if secp256k1 > 0 || ed25519 == 0 {
			weight = T::WeightInfo::fulfil_signature_requests_secp256k1(secp256k1, secp256k1_extra);
		}
		if ed25519 > 0 {
			weight = weight.saturating_add(T::WeightInfo::fulfil_signature_requests_ed25519(
				ed25519,
				ed25519_extra,
			));
		}
		weight
	}

	// ---------------------------------------------------------------------------------------
	// Queries (also behind the runtime API)
	// ---------------------------------------------------------------------------------------

	/// Key `key` with its default addresses (format, text).
	pub fn key_with_addresses(key: KeyId) -> Option<KeyWithAddresses<BlockNumberFor<T>>> {
		let stored = Keys::<T>::get(key)?;
		let addresses =
			Self::parse_stored_key(&stored).map(|public| default_addresses(&public)).ok()?;
		Some((stored, addresses))
	}

	/// The open key and signature requests of `keyring`, oldest first.
	pub fn pending_requests(
		keyring: KeyringId,
	) -> PendingRequests<T::AccountId, BlockNumberFor<T>> {
		// Requests past their deadline wait for the expiry sweep; they can no longer be answered.
		let now = frame_system::Pallet::<T>::block_number();
		let mut key_requests: Vec<_> = PendingKeyRequests::<T>::iter_key_prefix(keyring)
			.filter_map(|request| {
				let req = KeyRequests::<T>::get(request).filter(|req| now < req.expires_at)?;
				Some(PendingKeyRequest {
					request,
					workspace: req.workspace,
					key_type: req.key_type,
					expires_at: req.expires_at,
					responded: req.responses.iter().map(|r| r.party.clone()).collect(),
				})
			})
			.collect();
		key_requests.sort_by_key(|r| r.request);
		let mut sign_requests: Vec<_> = PendingSignRequests::<T>::iter_key_prefix(keyring)
			.filter_map(|request| {
				let req = SignRequests::<T>::get(request).filter(|req| now < req.expires_at)?;
				let key = Keys::<T>::get(req.key)?;
				Some(PendingSignRequest {
					request,
					key: req.key,
					key_type: key.key_type,
					public_key: key.public_key.into_inner(),
					payloads: SignPayloads::<T>::get(request)
						.unwrap_or_default()
						.into_iter()
						.map(|p| p.into_inner())
						.collect(),
					chain: req.transaction.map(|t| t.chain),
					expires_at: req.expires_at,
					responded: req.responses.iter().map(|r| r.party.clone()).collect(),
				})
			})
			.collect();
		sign_requests.sort_by_key(|r| r.request);
		(key_requests, sign_requests)
	}

	/// The key one of whose default addresses is `address` (text). EVM addresses match in any
	/// case, with or without `0x`, and also as 20 raw bytes; bech32 addresses also in upper case.
	pub fn key_by_address(address: &[u8]) -> Option<KeyId> {
		let lookup = |text: &[u8]| KeyByAddress::<T>::get(sp_io::hashing::blake2_256(text));
		if let Ok(raw) = <[u8; 20]>::try_from(address) {
			return lookup(evm_checksum_address(&raw).as_bytes());
		}
		if let Some(evm) =
			core::str::from_utf8(address).ok().and_then(|t| parse_evm_address(t).ok())
		{
			return lookup(evm_checksum_address(&evm).as_bytes());
		}
		lookup(address).or_else(|| {
			let lower = address.to_ascii_lowercase();
			if lower.as_slice() != address {
				lookup(&lower)
			} else {
				None
			}
		})
	}

	/// Whether `party` has answered (fulfilled or rejected) request `request`, of either kind.
	pub fn has_responded(request: RequestId, party: &T::AccountId) -> bool {
		let answered = |responses: &[Response<T::AccountId>]| {
			responses.iter().any(|response| &response.party == party)
		};
		KeyRequests::<T>::get(request).is_some_and(|req| answered(&req.responses))
			|| SignRequests::<T>::get(request).is_some_and(|req| answered(&req.responses))
	}

	/// Fulfilled transaction-signature requests that relayers should broadcast, oldest first.
	pub fn awaiting_broadcast() -> Vec<RequestId> {
		let mut requests: Vec<_> = AwaitingBroadcast::<T>::iter_keys().collect();
		requests.sort();
		requests
	}

	/// The signed transaction of fulfilled transaction-signature request `request`, assembled
	/// from its unsigned transaction and verified signatures.
	pub fn signed_transaction(request: RequestId) -> Option<SignedTransactionDetails> {
		let req = SignRequests::<T>::get(request)?;
		let transaction = req.transaction?;
		let signatures = req.signatures?;
		let unsigned = UnsignedTransactions::<T>::get(request)?;
		let stored_key = Keys::<T>::get(req.key)?;
		let public = Self::parse_stored_key(&stored_key).ok()?;
		let signed =
			assemble_signed_transaction(&transaction.chain, &public, &unsigned, &signatures)
				.ok()?;
		Some(SignedTransactionDetails {
			request,
			key: req.key,
			chain: transaction.chain,
			broadcast: transaction.broadcast,
			raw: signed.raw,
			id: signed.id,
			id_text: signed.id_text,
		})
	}

	/// Remove `request` from [`AwaitingBroadcast`] (for the relayer, once a broadcast is
	/// reported). Returns whether it was there.
	pub fn take_awaiting_broadcast(request: RequestId) -> Option<BroadcastInfo> {
		AwaitingBroadcast::<T>::take(request)
	}

	// ---------------------------------------------------------------------------------------
	// Checks
	// ---------------------------------------------------------------------------------------

	/// Check the origin of a policy-gated call concerning `workspace` under `policy`.
	///
	/// Signed: the caller must own `workspace`. Approved: the approval must be for `workspace`
	/// and the current `policy`, and its requester must (still) own `workspace`.
	fn authorize(
		origin: OriginFor<T>,
		workspace: WorkspaceId,
		policy: Option<PolicyId>,
	) -> Result<Authorized<T::AccountId>, DispatchError> {
		let authorized = match T::ApprovedOrigin::try_origin(origin) {
			Ok(approval) => {
				ensure!(approval.workspace == workspace, Error::<T>::ApprovalForOtherWorkspace);
				ensure!(approval.policy == policy, Error::<T>::SignPolicyChanged);
				Authorized::Execute(approval.requester)
			}
			Err(origin) => Authorized::Submit(ensure_signed(origin)?),
		};
		ensure!(T::Workspaces::is_owner(workspace, authorized.requester()), Error::<T>::NotOwner);
		Ok(authorized)
	}

	/// Submit a checked call to the policy gate; emit `RequestAwaitingApproval` if it waits. When
	/// the call ran at once no action was stored, so only `executed_weight` (the call's execution)
	/// is charged and the declared gate overhead is refunded.
	fn submit(
		who: T::AccountId,
		workspace: WorkspaceId,
		policy: Option<PolicyId>,
		call: Call<T>,
		context: PolicyContext,
		memo: MemoOf<T>,
		executed_weight: Weight,
	) -> DispatchResultWithPostInfo {
		let outcome = T::PolicyGate::submit(&who, workspace, policy, call.into(), context)?;
		if let GateOutcome::Pending(action) = outcome {
			log::debug!(
				target: LOG_TARGET,
				"workspace {workspace}: request waits for approvals in action {action}"
			);
			Self::deposit_event(Event::RequestAwaitingApproval {
				workspace,
				requester: who,
				action,
				memo,
			});
		}
		match outcome {
			GateOutcome::Executed => Ok(Some(executed_weight).into()),
			GateOutcome::Pending(_) => Ok(().into()),
		}
	}

	/// What every signature request checks first: the key exists, `origin` may ask under its
	/// policy, its keyring can serve, and its fee is at most `max_fee`.
	fn signature_requester(
		origin: OriginFor<T>,
		key: KeyId,
		max_fee: BalanceOf<T>,
	) -> Result<SignatureRequester<T>, DispatchError> {
		let stored_key = Keys::<T>::get(key).ok_or(Error::<T>::UnknownKey)?;
		let policy = Self::key_policy(&stored_key);
		let authorized = Self::authorize(origin, stored_key.workspace, policy)?;
		let terms = Self::serving_keyring(stored_key.keyring)?;
		ensure!(terms.sign_request_fee <= max_fee, Error::<T>::FeeAboveMaximum);
		Ok(SignatureRequester { stored_key, policy, authorized, terms })
	}

	/// The terms of `keyring` if it can serve a new request: it exists, is active, has at least
	/// `party_threshold` and at most `MaxParties` parties.
	fn serving_keyring(
		keyring: KeyringId,
	) -> Result<KeyringTerms<T::AccountId, BalanceOf<T>>, DispatchError> {
		let terms = T::Keyrings::keyring_terms(keyring).ok_or(Error::<T>::UnknownKeyring)?;
		ensure!(terms.is_active, Error::<T>::KeyringInactive);
		ensure!(terms.party_count >= terms.party_threshold.max(1), Error::<T>::InsufficientParties);
		ensure!(terms.party_count <= T::MaxParties::get(), Error::<T>::TooManyParties);
		Ok(terms)
	}

	/// The keyring's backend makes keys of `key_type`, and a threshold keyring is ready to run
	/// ceremonies.
	fn ensure_serves(
		terms: &KeyringTerms<T::AccountId, BalanceOf<T>>,
		keyring: KeyringId,
		key_type: KeyType,
	) -> DispatchResult {
		ensure!(terms.backend.serves(key_type), Error::<T>::KeyTypeNotServedByKeyring);
		if terms.backend.is_threshold() {
			T::ThresholdBackend::ensure_ready(keyring, terms.party_count)?;
		}
		Ok(())
	}

	/// Every participant of `policy` (if any) owns `workspace`.
	fn ensure_policy_within_owners(
		policy: Option<PolicyId>,
		workspace: WorkspaceId,
	) -> DispatchResult {
		if let Some(policy) = policy {
			let participants = T::PolicyGate::participants(policy)?;
			ensure!(
				participants.iter().all(|p| T::Workspaces::is_owner(workspace, p)),
				Error::<T>::PolicyParticipantNotOwner
			);
		}
		Ok(())
	}

	/// The policy that governs signature requests with `key` and changes to it.
	fn key_policy(key: &Key<BlockNumberFor<T>>) -> Option<PolicyId> {
		key.sign_policy.or_else(|| T::Workspaces::sign_policy(key.workspace))
	}

	/// `payloads` as stored, once they are within `MaxPayloadsPerRequest` and `MaxPayloadLength`.
	fn bounded_payloads(payloads: &[Vec<u8>]) -> Result<PayloadsOf<T>, DispatchError> {
		ensure!(
			payloads.len() <= T::MaxPayloadsPerRequest::get() as usize,
			Error::<T>::TooManyPayloads
		);
		let bounded = payloads
			.iter()
			.map(|payload| payload.clone().try_into().map_err(|_| Error::<T>::PayloadTooLong))
			.collect::<Result<Vec<_>, _>>()?;
		Ok(bounded.try_into().map_err(|_| Error::<T>::TooManyPayloads)?)
	}

	/// A party's rejection reason, once it is within `MaxRejectionReasonLength`.
	fn bounded_reason(reason: Vec<u8>) -> Result<ReasonOf<T>, DispatchError> {
		Ok(reason.try_into().map_err(|_| Error::<T>::ReasonTooLong)?)
	}

	/// Request `request` (a key or a signature request, by `R`), once `answerer` may answer it:
	/// it is open and before its deadline, the answerer is a party of its keyring (the batch's
	/// keyring, in a batched call) and has not answered it yet.
	fn answerable<R: AnsweredRequest<T>>(
		answerer: &Answerer<T::AccountId>,
		request: RequestId,
	) -> Result<R, DispatchError> {
		let mut req = R::load(request).ok_or(Error::<T>::UnknownRequest)?;
		ensure!(!req.backend().is_threshold(), Error::<T>::AnsweredByBackend);
		let keyring = req.keyring();
		match answerer.batch {
			Some(batch) => ensure!(batch.keyring == keyring, Error::<T>::WrongKeyring),
			None => ensure!(T::Keyrings::is_party(keyring, &answerer.party), Error::<T>::NotParty),
		}
		ensure!(req.status().is_open(), Error::<T>::RequestNotPending);
		// Past its deadline a request waits for the expiry sweep; it cannot be answered.
		ensure!(
			frame_system::Pallet::<T>::block_number() < req.expires_at(),
			Error::<T>::RequestNotPending
		);
		ensure!(
			!req.responses_mut().iter().any(|r| r.party == answerer.party),
			Error::<T>::AlreadyResponded
		);
		Ok(req)
	}

	/// Run `answer` on each answer of a batched call to `keyring`, once the signer of `origin` is
	/// one of its parties and the batch is within `MaxAnswersPerCall`. Each answer runs in its
	/// own storage layer: one that fails is rolled back and reported in AnswerFailed. Returns the
	/// fees earned by the answers that succeeded.
	fn answer_batch<Answer>(
		origin: OriginFor<T>,
		keyring: KeyringId,
		answers: Vec<(RequestId, Answer)>,
		mut answer: impl FnMut(
			&Answerer<T::AccountId>,
			RequestId,
			Answer,
		) -> Result<BalanceOf<T>, DispatchError>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let party = ensure_signed(origin)?;
		ensure!(answers.len() <= T::MaxAnswersPerCall::get() as usize, Error::<T>::TooManyAnswers);
		ensure!(T::Keyrings::is_party(keyring, &party), Error::<T>::NotParty);
		let party_count = T::Keyrings::keyring_terms(keyring).map_or(0, |t| t.party_count);
		let answerer = Answerer { party, batch: Some(BatchKeyring { keyring, party_count }) };
		let mut earned = BalanceOf::<T>::zero();
		for (request, item) in answers {
			match with_storage_layer(|| answer(&answerer, request, item)) {
				Ok(fee) => earned = earned.saturating_add(fee),
				Err(error) => Self::deposit_event(Event::AnswerFailed { request, error }),
			}
		}
		Ok(earned)
	}

	/// The number of parties of `keyring` (from the batch if the answerer has one).
	fn party_count(answerer: &Answerer<T::AccountId>, keyring: KeyringId) -> u32 {
		match answerer.batch {
			Some(batch) => batch.party_count,
			None => T::Keyrings::keyring_terms(keyring).map_or(0, |t| t.party_count),
		}
	}

	/// Record `answerer`'s key `public_key` for request `request`, creating the key once the
	/// threshold agrees. Returns the request's keyring and the fee it earned (zero unless the
	/// key was created).
	fn answer_key_request(
		answerer: &Answerer<T::AccountId>,
		request: RequestId,
		public_key: Vec<u8>,
	) -> Result<(KeyringId, BalanceOf<T>), DispatchError> {
		ensure!(
			public_key.len() <= MAX_SUBMITTED_PUBLIC_KEY_LENGTH as usize,
			Error::<T>::InvalidPublicKey
		);
		let mut req = Self::answerable::<KeyRequest<T>>(answerer, request)?;
		let (stored, addresses) = Self::new_public_key(req.key_type, &public_key)?;
		let digest = sp_io::hashing::blake2_256(&stored);
		let keyring = req.keyring;
		let tally = Self::record_answer(
			&mut req.responses,
			answerer.party.clone(),
			Answer::Fulfil(digest),
			req.party_threshold,
			Self::party_count(answerer, keyring),
		)?;
		Self::deposit_event(Event::KeyAnswerRecorded {
			request,
			party: answerer.party.clone(),
			public_key: stored.clone(),
		});
		let earned = match tally {
			Tally::Open => {
				req.status = RequestStatus::Partial;
				KeyRequests::<T>::insert(request, req);
				Zero::zero()
			}
			Tally::Fulfilled => Self::create_key(request, req, stored, addresses),
			Tally::Rejected => {
				let reason = Self::conflicting_answers_reason();
				Self::close_key_request(request, req, RequestStatus::Rejected, Some(reason));
				Zero::zero()
			}
		};
		Ok((keyring, earned))
	}

	/// Record `answerer`'s `signatures` for request `request` once every one verifies,
	/// fulfilling the request once the threshold agrees. Returns the request's keyring and the
	/// fee it earned (zero unless the request was fulfilled).
	fn answer_sign_request(
		answerer: &Answerer<T::AccountId>,
		request: RequestId,
		signatures: Vec<Vec<u8>>,
	) -> Result<(KeyringId, BalanceOf<T>), DispatchError> {
		// Bounds come before any lookup, so an oversized answer fails by name whatever it answers.
		let signatures = Self::bounded_signatures(signatures)?;
		let mut req = Self::answerable::<SignRequest<T>>(answerer, request)?;
		// A batch's weight counts one public-key recovery per secp256k1 signature, which a
		// recoverable signature needs; a DER signature may need two.
		let recoverable_only = answerer.batch.is_some();
		let signatures = Self::verified_signatures(request, &req, signatures, recoverable_only)?;
		let digest = sp_io::hashing::blake2_256(&signatures.encode());
		let keyring = req.keyring;
		let tally = Self::record_answer(
			&mut req.responses,
			answerer.party.clone(),
			Answer::Fulfil(digest),
			req.party_threshold,
			Self::party_count(answerer, keyring),
		)?;
		Self::deposit_event(Event::SignatureAnswerRecorded {
			request,
			party: answerer.party.clone(),
		});
		let earned = match tally {
			Tally::Open => {
				req.status = RequestStatus::Partial;
				SignRequests::<T>::insert(request, req);
				Zero::zero()
			}
			Tally::Fulfilled => Self::complete_sign_request(request, req, signatures),
			Tally::Rejected => {
				let reason = Self::conflicting_answers_reason();
				Self::close_sign_request(request, req, RequestStatus::Rejected, Some(reason));
				Zero::zero()
			}
		};
		Ok((keyring, earned))
	}

	/// Record `answerer`'s rejection of `request` (a key or a signature request, by `R`) and
	/// reject the request once its threshold can no longer be reached.
	fn reject<R: AnsweredRequest<T>>(
		answerer: &Answerer<T::AccountId>,
		request: RequestId,
		reason: Vec<u8>,
	) -> DispatchResult {
		let reason = Self::bounded_reason(reason)?;
		let mut req = Self::answerable::<R>(answerer, request)?;
		let (keyring, threshold) = (req.keyring(), req.party_threshold());
		let tally = Self::record_answer(
			req.responses_mut(),
			answerer.party.clone(),
			Answer::Reject,
			threshold,
			Self::party_count(answerer, keyring),
		)?;
		Self::deposit_event(R::rejection_recorded(request, answerer.party.clone(), reason.clone()));
		match tally {
			Tally::Rejected => req.close(request, RequestStatus::Rejected, Some(reason)),
			// A rejection never completes a fulfilment.
			Tally::Open | Tally::Fulfilled => {
				req.set_status(RequestStatus::Partial);
				req.store(request);
			}
		}
		Ok(())
	}

	/// Record `answer` of `party` and tally the answers (see the crate docs); `party_count` is
	/// the keyring's current number of parties.
	fn record_answer(
		responses: &mut ResponsesOf<T>,
		party: T::AccountId,
		answer: Answer,
		threshold: u32,
		party_count: u32,
	) -> Result<Tally, DispatchError> {
		responses.try_push(Response { party, answer }).map_err(|_| Error::<T>::TooManyResponses)?;
		let count_of = |answer: &Answer| responses.iter().filter(|r| &r.answer == answer).count();
		let threshold = threshold.max(1) as usize;
		if matches!(answer, Answer::Fulfil(_)) && count_of(&answer) >= threshold {
			return Ok(Tally::Fulfilled);
		}
		let best = responses
			.iter()
			.filter(|r| matches!(r.answer, Answer::Fulfil(_)))
			.map(|r| count_of(&r.answer))
			.max()
			.unwrap_or(0);
		let unanswered = (party_count as usize).saturating_sub(responses.len());
		if best.saturating_add(unanswered) < threshold {
			Ok(Tally::Rejected)
		} else {
			Ok(Tally::Open)
		}
	}

	fn conflicting_answers_reason() -> ReasonOf<T> {
		let mut reason = CONFLICTING_ANSWERS_REASON.to_vec();
		reason.truncate(T::MaxRejectionReasonLength::get() as usize);
		reason.try_into().unwrap_or_default()
	}

	fn parse_stored_key(key: &Key<BlockNumberFor<T>>) -> Result<PublicKey, FormatError> {
		PublicKey::parse(key.key_type, &key.public_key)
	}

	/// The [`KeyByAddress`] keys of `key`'s default addresses.
	fn address_hashes(key: &PublicKey) -> Vec<[u8; 32]> {
		default_addresses(key)
			.into_iter()
			.map(|(_, address)| sp_io::hashing::blake2_256(address.as_bytes()))
			.collect()
	}

	/// The pallet error for a transaction the chain-formats crate refused.
	fn transaction_error(error: FormatError) -> DispatchError {
		match error {
			FormatError::ChainIdMismatch => Error::<T>::ChainIdMismatch,
			FormatError::KeyTypeMismatch => Error::<T>::KeyTypeNotSupportedByChain,
			_ => Error::<T>::InvalidTransaction,
		}
		.into()
	}

	// ---------------------------------------------------------------------------------------
	// State changes
	// ---------------------------------------------------------------------------------------

	fn next_request_id() -> Result<RequestId, DispatchError> {
		let id = NextRequestId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
		NextRequestId::<T>::put(next);
		Ok(id)
	}

	/// The block from whose start a request made at `now` can no longer be answered.
	fn deadline(now: BlockNumberFor<T>) -> BlockNumberFor<T> {
		now.saturating_add(T::RequestTimeout::get())
	}

	/// Append `request` (expiring at `expires_at`) to the expiry queue.
	fn schedule_expiry(
		expires_at: BlockNumberFor<T>,
		kind: RequestKind,
		request: RequestId,
	) -> DispatchResult {
		let mut ends = ExpiryQueueEnds::<T>::get();
		let position = ends.next;
		ends.next = position.checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
		ExpiryQueue::<T>::insert(position, ExpiryEntry { expires_at, kind, request });
		ExpiryQueueEnds::<T>::put(ends);
		Ok(())
	}

	/// Take up to `budget` entries from the head of the expiry queue whose deadline is `now` or
	/// earlier; expire those whose request is still open. Returns how many entries were taken.
	fn sweep_expiry_queue(now: BlockNumberFor<T>, budget: u32) -> u32 {
		let mut ends = ExpiryQueueEnds::<T>::get();
		let mut swept = 0;
		while swept < budget && ends.oldest < ends.next {
			let Some(entry) = ExpiryQueue::<T>::get(ends.oldest) else {
				// A hole cannot arise (entries are only taken from the head); skip it anyway,
				// counted against the budget so that the sweep stays bounded.
				ends.oldest = ends.oldest.saturating_add(1);
				swept += 1;
				continue;
			};
			if entry.expires_at > now {
				break;
			}
			ExpiryQueue::<T>::remove(ends.oldest);
			ends.oldest = ends.oldest.saturating_add(1);
			swept += 1;
			match entry.kind {
				RequestKind::Key => Self::expire_key_request(entry.request),
				RequestKind::Signature => Self::expire_sign_request(entry.request),
			}
		}
		if swept > 0 {
			ExpiryQueueEnds::<T>::put(ends);
		}
		swept
	}

	/// Remove decided requests whose retention period has passed, oldest id first, examining at
	/// most `budget` ids. Stops at the first request that must stay (open, retained, or waiting
	/// for its broadcast). Returns how many ids were examined.
	pub(crate) fn prune_decided_requests(now: BlockNumberFor<T>, budget: u32) -> u32 {
		let mut cursor = NextRequestToPrune::<T>::get();
		let next = NextRequestId::<T>::get();
		let retention = T::RequestRetention::get();
		let mut examined = 0;
		while examined < budget && cursor < next {
			examined += 1;
			let removable_after = |status: RequestStatus, expires_at: BlockNumberFor<T>| {
				!status.is_open() && now >= expires_at.saturating_add(retention)
			};
			if let Some(req) = KeyRequests::<T>::get(cursor) {
				if !removable_after(req.status, req.expires_at) {
					break;
				}
				KeyRequests::<T>::remove(cursor);
			} else if let Some(req) = SignRequests::<T>::get(cursor) {
				if !removable_after(req.status, req.expires_at)
					|| AwaitingBroadcast::<T>::contains_key(cursor)
				{
					break;
				}
				SignRequests::<T>::remove(cursor);
				SignPayloads::<T>::remove(cursor);
				UnsignedTransactions::<T>::remove(cursor);
				SignPreimages::<T>::remove(cursor);
			}
			cursor = cursor.saturating_add(1);
		}
		if examined > 0 {
			NextRequestToPrune::<T>::put(cursor);
		}
		examined
	}

	/// The account that keeps the fees of undecided requests.
	pub fn escrow_account() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// Give the escrow account the existential deposit if it has less, so that it exists and
	/// can take fees below that deposit (at genesis).
	pub(crate) fn fund_escrow_account() {
		let escrow = Self::escrow_account();
		let minimum = T::Currency::minimum_balance();
		let balance = T::Currency::balance(&escrow);
		if balance < minimum {
			if let Err(error) = T::Currency::mint_into(&escrow, minimum.saturating_sub(balance)) {
				log::error!(target: LOG_TARGET, "could not fund the escrow account: {error:?}");
			}
		}
	}

	/// Move a request's fee from the requester into the escrow account.
	fn escrow(requester: &T::AccountId, fee: BalanceOf<T>) -> DispatchResult {
		if fee.is_zero() {
			return Ok(());
		}
		T::Currency::transfer(requester, &Self::escrow_account(), fee, Preservation::Preserve)
			.map_err(|error| match error {
				// The transfer failed for want of funds: say which charge could not be paid.
				DispatchError::Token(_) | DispatchError::Arithmetic(_) => {
					Error::<T>::InsufficientBalanceForRequestFee.into()
				}
				other => other,
			})?;
		Ok(())
	}

	/// Return an escrowed fee to the requester; returns the amount returned.
	fn refund(requester: &T::AccountId, fee: BalanceOf<T>) -> BalanceOf<T> {
		if fee.is_zero() {
			return fee;
		}
		// `Preserve`: the escrow account keeps its existential deposit.
		match T::Currency::transfer(&Self::escrow_account(), requester, fee, Preservation::Preserve)
		{
			Ok(refunded) => refunded,
			Err(error) => {
				// Only a fee below the existential deposit, for a requester whose account was
				// removed meanwhile, cannot be returned; it stays in the escrow.
				log::warn!(
					target: LOG_TARGET,
					"could not refund a {fee:?} fee to {requester:?}: {error:?}"
				);
				Zero::zero()
			}
		}
	}

	/// Pay `earned` (and whatever was owed to it before) from the escrow into `keyring`'s
	/// account: once per call, however many requests it fulfilled. If the account cannot take
	/// it (it does not exist and the sum is below the existential deposit), the sum stays owed.
	fn pay_keyring(keyring: KeyringId, earned: BalanceOf<T>) {
		let owed = OwedKeyringFees::<T>::take(keyring).unwrap_or_default();
		let amount = earned.saturating_add(owed);
		if amount.is_zero() {
			return;
		}
		let paid = T::Keyrings::keyring_terms(keyring).ok_or(()).and_then(|terms| {
			T::Currency::transfer(
				&Self::escrow_account(),
				&terms.account,
				amount,
				Preservation::Preserve,
			)
			.map_err(|error| {
				log::warn!(
					target: LOG_TARGET,
					"could not pay {amount:?} of fees to keyring {keyring}: {error:?}"
				);
			})
		});
		match paid {
			Ok(_) => Self::deposit_event(Event::KeyringFeesPaid { keyring, amount }),
			Err(()) => {
				OwedKeyringFees::<T>::insert(keyring, amount);
				Self::deposit_event(Event::KeyringFeesOwed { keyring, owed: amount });
			}
		}
	}

	/// Create the key of fulfilled key request `request`; returns the fee the keyring earned.
	fn create_key(
		request: RequestId,
		mut req: KeyRequest<T>,
		public_key: StoredPublicKey,
		address_hashes: Vec<[u8; 32]>,
	) -> BalanceOf<T> {
		let key = request;
		let now = frame_system::Pallet::<T>::block_number();
		Keys::<T>::insert(
			key,
			Key {
				workspace: req.workspace,
				keyring: req.keyring,
				key_type: req.key_type,
				public_key: public_key.clone(),
				sign_policy: req.sign_policy,
				created_at: now,
			},
		);
		WorkspaceKeys::<T>::insert(req.workspace, key, ());
		for hash in address_hashes {
			KeyByAddress::<T>::insert(hash, key);
		}
		Self::leave_open_key_request(&req, request);
		req.status = RequestStatus::Fulfilled;
		let (workspace, keyring, fee) = (req.workspace, req.keyring, req.fee);
		KeyRequests::<T>::insert(request, req);
		Self::deposit_event(Event::KeyRequestFulfilled {
			request,
			key,
			workspace,
			keyring,
			public_key,
			fee,
		});
		fee
	}

	/// Remove an open key request from the indexes it is listed in while open.
	fn leave_open_key_request(req: &KeyRequest<T>, request: RequestId) {
		PendingKeyRequests::<T>::remove(req.keyring, request);
		OpenKeyRequestCount::<T>::mutate_exists(req.workspace, |count| {
			*count = count.and_then(|c| c.checked_sub(1)).filter(|c| *c > 0);
		});
	}

	/// Reject or expire open key request `request`, refunding its fee.
	fn close_key_request(
		request: RequestId,
		mut req: KeyRequest<T>,
		status: RequestStatus,
		reason: Option<ReasonOf<T>>,
	) {
		Self::leave_open_key_request(&req, request);
		let refunded = Self::refund(&req.requester, req.fee);
		req.status = status;
		KeyRequests::<T>::insert(request, req);
		let event = match reason {
			Some(reason) => Event::KeyRequestRejected { request, reason, refunded },
			None => Event::KeyRequestExpired { request, refunded },
		};
		Self::deposit_event(event);
	}

	fn expire_key_request(request: RequestId) {
		match KeyRequests::<T>::get(request) {
			Some(req) if req.status.is_open() => {
				Self::close_key_request(request, req, RequestStatus::Expired, None)
			}
			// Answered before its deadline: its queue entry is simply dropped.
			_ => {}
		}
	}

	/// Store a new signature request made with the approved origin.
	#[allow(clippy::too_many_arguments)]
	fn open_sign_request(
		key: KeyId,
		stored_key: &Key<BlockNumberFor<T>>,
		terms: &KeyringTerms<T::AccountId, BalanceOf<T>>,
		requester: T::AccountId,
		payloads: PayloadsOf<T>,
		content: SignedContent<T>,
		memo: MemoOf<T>,
	) -> Result<Weight, DispatchError> {
		if terms.backend.is_threshold() {
			T::ThresholdBackend::ensure_ready(stored_key.keyring, terms.party_count)?;
		}
		let now = frame_system::Pallet::<T>::block_number();
		let expires_at = Self::deadline(now);
		let request = Self::next_request_id()?;
		let fee = terms.sign_request_fee;
		Self::escrow(&requester, fee)?;
		Self::schedule_expiry(expires_at, RequestKind::Signature, request)?;
		if !terms.backend.is_threshold() {
			PendingSignRequests::<T>::insert(stored_key.keyring, request, ());
		}
		let count = payloads.len() as u32;
		let plain: Vec<Vec<u8>> = if terms.backend.is_threshold() {
			payloads.iter().map(|payload| payload.to_vec()).collect()
		} else {
			Vec::new()
		};
		SignPayloads::<T>::insert(request, payloads);
		let (transaction, message) = match content {
			SignedContent::Payloads => (None, None),
			SignedContent::Transaction { summary, unsigned } => {
				UnsignedTransactions::<T>::insert(request, unsigned);
				(Some(summary), None)
			}
			SignedContent::Message { format, preimage } => {
				SignPreimages::<T>::insert(request, preimage);
				(None, Some(format))
			}
		};
		let chain = transaction.as_ref().map(|t| t.chain);
		if let Some(summary) = &transaction {
			Self::record_spending(key, &summary.spending, now);
		}
		SignRequests::<T>::insert(
			request,
			SignRequest {
				key,
				workspace: stored_key.workspace,
				keyring: stored_key.keyring,
				backend: terms.backend,
				requester: requester.clone(),
				fee,
				party_threshold: terms.party_threshold.max(1),
				transaction,
				message,
				status: RequestStatus::Pending,
				created_at: now,
				expires_at,
				responses: BoundedVec::new(),
				signatures: None,
				memo: memo.clone(),
			},
		);
		Self::deposit_event(Event::SignatureRequested {
			request,
			key,
			keyring: stored_key.keyring,
			requester,
			payloads: count,
			chain,
			fee,
			expires_at,
			memo: memo.clone(),
		});
		// After the request is stored, so that the backend can read it (e.g. the preimages).
		if !terms.backend.is_threshold() {
			return Ok(Weight::zero());
		}
		T::ThresholdBackend::signature_requested(request, stored_key.keyring, key, &plain)?;
		Ok(T::ThresholdBackend::signature_requested_weight(count))
	}

	/// Store the signatures of fulfilled signature request `request`; returns the fee the
	/// keyring earned.
	fn complete_sign_request(
		request: RequestId,
		mut req: SignRequest<T>,
		signatures: SignaturesOf<T>,
	) -> BalanceOf<T> {
		PendingSignRequests::<T>::remove(req.keyring, request);
		let awaiting_broadcast = match &req.transaction {
			Some(transaction) if transaction.broadcast => {
				AwaitingBroadcast::<T>::insert(
					request,
					BroadcastInfo { chain: transaction.chain, key: req.key },
				);
				true
			}
			_ => false,
		};
		req.status = RequestStatus::Fulfilled;
		req.signatures = Some(signatures.clone());
		let (key, fee) = (req.key, req.fee);
		SignRequests::<T>::insert(request, req);
		Self::deposit_event(Event::SignatureRequestFulfilled {
			request,
			key,
			signatures,
			fee,
			awaiting_broadcast,
		});
		fee
	}

	/// Reject or expire open signature request `request`, refunding its fee.
	fn close_sign_request(
		request: RequestId,
		mut req: SignRequest<T>,
		status: RequestStatus,
		reason: Option<ReasonOf<T>>,
	) {
		PendingSignRequests::<T>::remove(req.keyring, request);
		let refunded = Self::refund(&req.requester, req.fee);
		if let Some(summary) = &req.transaction {
			// Nothing was signed: what the request recorded no longer counts.
			Self::withdraw_spending(req.key, &summary.spending, req.created_at);
		}
		req.status = status;
		SignRequests::<T>::insert(request, req);
		let event = match reason {
			Some(reason) => Event::SignatureRequestRejected { request, reason, refunded },
			None => Event::SignatureRequestExpired { request, refunded },
		};
		Self::deposit_event(event);
	}

	fn expire_sign_request(request: RequestId) {
		match SignRequests::<T>::get(request) {
			Some(req) if req.status.is_open() => {
				Self::close_sign_request(request, req, RequestStatus::Expired, None)
			}
			_ => {}
		}
	}

	// ---------------------------------------------------------------------------------------
	// Invariants
	// ---------------------------------------------------------------------------------------

	/// Check the invariants of this pallet's storage: open requests are exactly those in the
	/// pending and expiry indexes, counts agree, keys are indexed by workspace and address,
	/// fulfilled requests have their results.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let next = NextRequestId::<T>::get();
		let ends = ExpiryQueueEnds::<T>::get();
		ensure!(ends.oldest <= ends.next, "expiry queue ends crossed");
		let mut scheduled: Vec<(RequestKind, RequestId, BlockNumberFor<T>)> = Vec::new();
		for (position, entry) in ExpiryQueue::<T>::iter() {
			ensure!(
				(ends.oldest..ends.next).contains(&position),
				"expiry queue entry outside its ends"
			);
			scheduled.push((entry.kind, entry.request, entry.expires_at));
		}
		ensure!(scheduled.len() as u64 == ends.next - ends.oldest, "expiry queue has holes");
		let (mut open_total, mut listed_total) = (0usize, 0usize);
		let mut open_per_workspace = alloc::collections::BTreeMap::<WorkspaceId, u32>::new();
		for (id, req) in KeyRequests::<T>::iter() {
			ensure!(id < next, "key request id not below NextRequestId");
			ensure!(!SignRequests::<T>::contains_key(id), "id used by both kinds");
			ensure!(req.responses.len() as u32 <= T::MaxParties::get(), "too many responses");
			let open = req.status.is_open();
			// Only keystore keyrings' open requests are listed for their parties.
			ensure!(
				PendingKeyRequests::<T>::contains_key(req.keyring, id)
					== (open && !req.backend.is_threshold()),
				"pending key index disagrees with status"
			);
			// Answered requests may keep their queue entry until the sweep drops it.
			ensure!(
				!open || scheduled.contains(&(RequestKind::Key, id, req.expires_at)),
				"open key request missing from the expiry queue"
			);
			ensure!(
				(req.status == RequestStatus::Pending) == req.responses.is_empty() || !open,
				"status Pending iff no responses"
			);
			if open {
				open_total += 1;
				listed_total += usize::from(!req.backend.is_threshold());
				*open_per_workspace.entry(req.workspace).or_default() += 1;
			}
			if req.status == RequestStatus::Fulfilled {
				let key = Keys::<T>::get(id).ok_or("fulfilled key request without key")?;
				ensure!(key.workspace == req.workspace, "key in wrong workspace");
			}
		}
		for (workspace, count) in OpenKeyRequestCount::<T>::iter() {
			ensure!(
				open_per_workspace.get(&workspace) == Some(&count),
				"open key request count disagrees"
			);
		}
		ensure!(
			open_per_workspace.len() == OpenKeyRequestCount::<T>::iter().count(),
			"open key request count missing"
		);
		for (id, req) in SignRequests::<T>::iter() {
			ensure!(id < next, "signature request id not below NextRequestId");
			let open = req.status.is_open();
			ensure!(
				PendingSignRequests::<T>::contains_key(req.keyring, id)
					== (open && !req.backend.is_threshold()),
				"pending signature index disagrees with status"
			);
			ensure!(
				!open || scheduled.contains(&(RequestKind::Signature, id, req.expires_at)),
				"open signature request missing from the expiry queue"
			);
			if open {
				open_total += 1;
				listed_total += usize::from(!req.backend.is_threshold());
			}
			let payloads =
				SignPayloads::<T>::get(id).ok_or("signature request without payloads")?;
			ensure!(!payloads.is_empty(), "signature request without payloads");
			ensure!(
				req.transaction.is_some() == UnsignedTransactions::<T>::contains_key(id),
				"transaction bytes disagree"
			);
			let fulfilled = req.status == RequestStatus::Fulfilled;
			match &req.signatures {
				Some(signatures) => {
					ensure!(fulfilled, "signatures of an unfulfilled request");
					ensure!(signatures.len() == payloads.len(), "signature count");
				}
				None => ensure!(!fulfilled, "fulfilled request without signatures"),
			}
			if AwaitingBroadcast::<T>::contains_key(id) {
				ensure!(fulfilled, "unfulfilled request awaiting broadcast");
				ensure!(
					req.transaction.as_ref().is_some_and(|t| t.broadcast),
					"private transaction awaiting broadcast"
				);
			}
		}
		ensure!(scheduled.len() >= open_total, "fewer expiry queue entries than open requests");
		ensure!(
			PendingKeyRequests::<T>::iter().count() + PendingSignRequests::<T>::iter().count()
				== listed_total,
			"stale pending index entries"
		);
		let mut key_count = 0usize;
		for (id, key) in Keys::<T>::iter() {
			key_count += 1;
			ensure!(WorkspaceKeys::<T>::contains_key(key.workspace, id), "workspace key index");
			let public = Self::parse_stored_key(&key).map_err(|_| "stored key invalid")?;
			for hash in Self::address_hashes(&public) {
				ensure!(KeyByAddress::<T>::get(hash) == Some(id), "address index");
			}
		}
		ensure!(WorkspaceKeys::<T>::iter().count() == key_count, "stale workspace key index");
		// The escrow holds every open request's fee and every fee owed to a keyring, above its
		// existential deposit (more only by a refund that could not be made).
		let open_fees = KeyRequests::<T>::iter_values()
			.filter(|req| req.status.is_open())
			.map(|req| req.fee)
			.chain(
				SignRequests::<T>::iter_values()
					.filter(|req| req.status.is_open())
					.map(|req| req.fee),
			)
			.chain(OwedKeyringFees::<T>::iter_values())
			.fold(BalanceOf::<T>::zero(), |sum, fee| sum.saturating_add(fee));
		ensure!(
			T::Currency::balance(&Self::escrow_account())
				>= T::Currency::minimum_balance().saturating_add(open_fees),
			"escrow holds less than the open fees"
		);
		Ok(())
	}
}

/// What the ceremonies of threshold keyrings produce, applied with the same checks as a party's
/// answer: the request must be open and before its deadline, a key valid and unused, every
/// signature valid for its payload.
impl<T: Config> ThresholdResults for Pallet<T> {
	fn fulfil_key(request: RequestId, public_key: &[u8]) -> Result<KeyId, DispatchError> {
		let req = Self::open_threshold_request::<KeyRequest<T>>(request)?;
		let (stored, addresses) = Self::new_public_key(req.key_type, public_key)?;
		let keyring = req.keyring;
		let earned = Self::create_key(request, req, stored, addresses);
		Self::pay_keyring(keyring, earned);
		// A key's id is its request's id.
		Ok(request)
	}

	fn fulfil_signatures(request: RequestId, signatures: Vec<Vec<u8>>) -> DispatchResult {
		let signatures = Self::bounded_signatures(signatures)?;
		let req = Self::open_threshold_request::<SignRequest<T>>(request)?;
		let signatures = Self::verified_signatures(request, &req, signatures, false)?;
		let keyring = req.keyring;
		let earned = Self::complete_sign_request(request, req, signatures);
		Self::pay_keyring(keyring, earned);
		Ok(())
	}

	fn reject(request: RequestId, reason: &[u8]) -> DispatchResult {
		let bounded = ReasonOf::<T>::truncate_from(reason.to_vec());
		if KeyRequests::<T>::contains_key(request) {
			let req = Self::open_threshold_request::<KeyRequest<T>>(request)?;
			Self::close_key_request(request, req, RequestStatus::Rejected, Some(bounded));
		} else {
			let req = Self::open_threshold_request::<SignRequest<T>>(request)?;
			Self::close_sign_request(request, req, RequestStatus::Rejected, Some(bounded));
		}
		Ok(())
	}

	fn sign_payloads(request: RequestId) -> Option<Vec<Vec<u8>>> {
		SignPayloads::<T>::get(request)
			.map(|payloads| payloads.into_iter().map(|payload| payload.into_inner()).collect())
	}

	fn sign_preimages(request: RequestId) -> Option<Vec<zenrock_chain_formats::Preimage>> {
		if let Some(preimage) = SignPreimages::<T>::get(request) {
			let bytes = preimage.into_inner();
			return Some(alloc::vec![zenrock_chain_formats::Preimage {
				hash: PreimageHash::Keccak256,
				bytes
			}]);
		}
		let req = SignRequests::<T>::get(request)?;
		let chain = req.transaction?.chain;
		let unsigned = UnsignedTransactions::<T>::get(request)?;
		let key = Keys::<T>::get(req.key)?;
		let public = Self::parse_stored_key(&key).ok()?;
		let parsed = parse_transaction(&chain, &public, &unsigned).ok()?;
		(!parsed.preimages.is_empty()).then_some(parsed.preimages)
	}
}

impl<T: Config> Pallet<T> {
	/// A new key of `key_type` from its submitted bytes: its stored form and address hashes, if
	/// it is valid and no key has its addresses (a party's answer or a ceremony's result).
	fn new_public_key(
		key_type: KeyType,
		public_key: &[u8],
	) -> Result<(StoredPublicKey, Vec<[u8; 32]>), DispatchError> {
		let key =
			PublicKey::parse(key_type, public_key).map_err(|_| Error::<T>::InvalidPublicKey)?;
		let addresses = Self::address_hashes(&key);
		ensure!(
			addresses.iter().all(|hash| !KeyByAddress::<T>::contains_key(hash)),
			Error::<T>::PublicKeyInUse
		);
		let stored = key.to_vec().try_into().map_err(|_| Error::<T>::InvalidPublicKey)?;
		Ok((stored, addresses))
	}

	/// `signatures` within their bounds: no more than a request's payloads, none too long.
	fn bounded_signatures(signatures: Vec<Vec<u8>>) -> Result<SignaturesOf<T>, DispatchError> {
		ensure!(
			signatures.len() <= T::MaxPayloadsPerRequest::get() as usize,
			Error::<T>::WrongSignatureCount
		);
		let signatures = signatures
			.into_iter()
			.map(|signature| signature.try_into().map_err(|_| Error::<T>::SignatureTooLong))
			.collect::<Result<Vec<Signature>, _>>()?;
		Ok(signatures.try_into().map_err(|_| Error::<T>::WrongSignatureCount)?)
	}

	/// `signatures` of request `request`'s payloads, each verified against its key (a party's
	/// answer or a ceremony's result); `recoverable_only` refuses secp256k1 signatures other
	/// than 65-byte recoverable ones.
	fn verified_signatures(
		request: RequestId,
		req: &SignRequest<T>,
		signatures: SignaturesOf<T>,
		recoverable_only: bool,
	) -> Result<SignaturesOf<T>, DispatchError> {
		let payloads = SignPayloads::<T>::get(request).unwrap_or_default();
		ensure!(signatures.len() == payloads.len(), Error::<T>::WrongSignatureCount);
		let stored_key = Keys::<T>::get(req.key).ok_or(Error::<T>::UnknownKey)?;
		if recoverable_only && stored_key.key_type.is_secp256k1() {
			ensure!(
				signatures.iter().all(|signature| signature.len() == 65),
				Error::<T>::RecoverableSignatureRequired
			);
		}
		let public =
			Self::parse_stored_key(&stored_key).map_err(|_| Error::<T>::InvalidPublicKey)?;
		for (payload, signature) in payloads.iter().zip(signatures.iter()) {
			verify_signature(&public, payload, signature)
				.map_err(|_| Error::<T>::InvalidSignature)?;
		}
		Ok(signatures)
	}

	/// Open request `request` of a threshold keyring, before its deadline.
	fn open_threshold_request<R: AnsweredRequest<T>>(
		request: RequestId,
	) -> Result<R, DispatchError> {
		let req = R::load(request).ok_or(Error::<T>::UnknownRequest)?;
		ensure!(req.backend().is_threshold(), Error::<T>::NotParty);
		ensure!(req.status().is_open(), Error::<T>::RequestNotPending);
		ensure!(
			frame_system::Pallet::<T>::block_number() < req.expires_at(),
			Error::<T>::RequestNotPending
		);
		Ok(req)
	}
}
