//! # Zenrock primitives
//!
//! Identifiers, shared types and the small traits through which the Zenrock pallets talk to each other:
//!
//! - [`PolicyGate`]: implemented by the policy pallet; identity and treasury submit every operation that a
//!   workspace or key policy governs through it, and receive it back, once approved, with an origin that
//!   carries an [`Approval`].
//! - [`WorkspaceInspect`] and [`KeyringInspect`]: implemented by the identity pallet; the treasury asks
//!   them who owns a workspace and which accounts are parties of a keyring.
//! - [`ThresholdBackend`]: implemented by the MPC pallet; the treasury hands it the requests of
//!   threshold keyrings ([`KeyringBackend::Frost`]), whose parties run ceremonies on chain.
//! - [`ThresholdResults`]: implemented by the treasury; the MPC pallet reports what a ceremony
//!   produced (a key, signatures) or why it failed.
//! - [`SpendingLedger`]: implemented by the treasury; the policy pallet asks it what a key has
//!   signed for per asset over a window (the spent(...) function of rules).
//! - [`ThresholdKeyringState`]: implemented by the MPC pallet; identity asks it whether a threshold
//!   keyring's parties hold shares, which freezes its party set.
//!
//! No pallet reads another pallet's storage; tests mock these traits.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod ecdsa_view;
pub mod party_view;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, weights::Weight, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	DispatchError, DispatchResult, KeyTypeId,
};

/// Key type of a keyring party's account key (sr25519) in a node's keystore: the keyring controller
/// signs its `fulfil_*` / `reject_*` transactions with it. Insert with
/// `zenrock-node key insert --key-type zprt --scheme sr25519`.
pub const PARTY_KEY_TYPE: KeyTypeId = KeyTypeId(*b"zprt");

/// Key type of the key material a keyring controller generates (ECDSA secp256k1 and Ed25519 keys
/// requested from the keyring); it is created in the node's keystore and never leaves it.
pub const KEY_MATERIAL_TYPE: KeyTypeId = KeyTypeId(*b"zkey");

/// Key type of a threshold-keyring party's root of secrets (ed25519) in a node's keystore: the
/// keyring controller derives the party's encryption key, the key of its encrypted off-chain
/// storage and its key-generation seeds from this key's (deterministic) signature over a fixed
/// message. Back up its secret: with it and the chain, a party rebuilds every key share. Insert
/// with `zenrock-node key insert --key-type zenc --scheme ed25519`.
pub const MPC_ENCRYPTION_KEY_TYPE: KeyTypeId = KeyTypeId(*b"zenc");

/// Key, in a node's persistent off-chain storage, of a value the node writes anew at every start
/// (an identifier of the running process). Off-chain workers compare it with the value they saw
/// last: a change means the node restarted and the transactions it had in its pool are gone.
pub const NODE_START_KEY: &[u8] = b"zenrock/node/start";

/// Key, in a node's persistent off-chain storage, of the development flag the node writes at every
/// start: `[1]` when it runs with `--dev` (a single node serving every party of the development
/// chain's threshold keyring), absent otherwise. While it is set, the keyring controller serves a
/// threshold keyring even when this node holds `t` or more of its party keys, with a warning.
pub const DEV_SINGLE_HOLDER_KEY: &[u8] = b"zenrock/node/dev-single-holder";

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

/// The longest text fact or text literal of a policy rule, in bytes: enough for every address
/// form the chain renders (a mainnet bech32m Taproot address has 62 characters) and CAIP-2 chain
/// ids.
pub const MAX_FACT_TEXT: u32 = 64;

/// A text fact of a gated operation (an address, a chain id, a kind).
pub type FactText = BoundedVec<u8, ConstU32<MAX_FACT_TEXT>>;

/// Values that a gated operation supplies to its policy's rules, e.g. `tx.value` for a
/// transaction signature request. A rule whose outcome depends on a value the operation did not
/// supply is not satisfied.
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
	/// What rules read as tx.value: the native amount a transaction moves, in the destination
	/// chain's smallest unit.
	pub tx_value: Option<u128>,
	/// tx.chain: the destination chain's CAIP-2 id (eip155:1, bip122:..., solana).
	pub chain: Option<FactText>,
	/// tx.to: where the value goes, as written on that chain (the token recipient of a token
	/// transfer).
	pub to: Option<FactText>,
	/// tx.token: the token contract or mint a token transfer or approval is for.
	pub token: Option<FactText>,
	/// tx.token_amount: the amount of tokens moved or approved, in the token's base unit.
	pub token_amount: Option<u128>,
	/// tx.spender: who a token approval (or signed permit) lets spend the tokens.
	pub spender: Option<FactText>,
	/// tx.fee: the most the transaction can pay in fees, in the chain's smallest unit.
	pub fee: Option<u128>,
	/// tx.kind: transfer, token_transfer, token_approval or call.
	pub kind: Option<FactText>,
	/// The key whose past signatures spent(...) counts; none outside signature requests.
	pub spending_key: Option<KeyId>,
}

/// The record of what each key has signed for, per asset, over a rolling window (implemented by
/// the treasury pallet, read by the policy pallet's spent(...) rules).
pub trait SpendingLedger {
	/// The amount of `asset` (see [`spending_asset`]) that `key` signed for in the last
	/// `window_seconds`, or `None` when the window is longer than the ledger keeps.
	fn spent(key: KeyId, asset: &[u8; 32], window_seconds: u32) -> Option<u128>;
	/// The longest window spent(...) may ask for, in seconds.
	fn max_window_seconds() -> u32;
	/// The weight of one [`Self::spent`] call.
	fn spent_weight() -> Weight;
}

/// No ledger: spent(...) is unknown, and no window is allowed.
impl SpendingLedger for () {
	fn spent(_: KeyId, _: &[u8; 32], _: u32) -> Option<u128> {
		None
	}
	fn max_window_seconds() -> u32 {
		0
	}
	fn spent_weight() -> Weight {
		Weight::zero()
	}
}

/// The ledger's id of an asset: the token `token` (a contract or mint, or `native` for the
/// chain's coin) on the CAIP-2 chain `chain`.
pub fn spending_asset(chain: &[u8], token: &[u8]) -> [u8; 32] {
	let mut preimage =
		Vec::with_capacity(chain.len().saturating_add(token.len()).saturating_add(1));
	preimage.extend_from_slice(chain);
	preimage.push(b'|');
	preimage.extend_from_slice(token);
	<BlakeTwo256 as Hash>::hash(&preimage).0
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

/// How a keyring makes keys and signatures.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum KeyringBackend {
	/// Each party's node keystore holds whole keys (ECDSA secp256k1, Ed25519); a request is
	/// fulfilled when `party_threshold` parties give the identical answer.
	#[default]
	NodeKeystore,
	/// FROST threshold keys (Ed25519, BIP-340 Taproot): every party holds a share, no party ever
	/// holds a key, and any `party_threshold` of the parties sign together. Keys come from a
	/// distributed key generation on chain; signatures are aggregated and verified by the chain.
	Frost,
	/// Threshold ECDSA keys (secp256k1 for EVM and Bitcoin P2WPKH, CGGMP24): every party holds a
	/// share of one master key per keyring, made once when the keyring is set up; each key is a
	/// BIP-32 child of it, derived by the chain in the block of the request. Any
	/// `party_threshold` parties sign from presignatures pooled per key; the chain checks each
	/// partial signature and combines them. The protocol runs natively in the parties' nodes.
	ThresholdEcdsa,
}

impl KeyringBackend {
	/// Whether keys are shared among the parties (no party holds a whole key).
	pub const fn is_threshold(self) -> bool {
		matches!(self, KeyringBackend::Frost | KeyringBackend::ThresholdEcdsa)
	}

	/// The key types the backend makes.
	pub const fn serves(self, key_type: KeyType) -> bool {
		match self {
			KeyringBackend::NodeKeystore => matches!(
				key_type,
				KeyType::EcdsaSecp256k1 | KeyType::BitcoinSecp256k1 | KeyType::Ed25519
			),
			KeyringBackend::Frost => matches!(key_type, KeyType::Ed25519 | KeyType::BitcoinTaproot),
			KeyringBackend::ThresholdEcdsa => {
				matches!(key_type, KeyType::EcdsaSecp256k1 | KeyType::BitcoinSecp256k1)
			}
		}
	}
}

/// What the treasury needs to know about a keyring.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct KeyringTerms<AccountId, Balance> {
	/// How the keyring makes keys and signatures.
	pub backend: KeyringBackend,
	/// Account that receives the fees the keyring earns.
	pub account: AccountId,
	/// Keystore backend: number of identical party answers that fulfil a request. Threshold
	/// backends: number of parties that sign together (FROST's `t`).
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
	/// The parties of `keyring` in the order they were added (empty when it does not exist).
	fn parties(keyring: KeyringId) -> Vec<AccountId>;
}

/// The kind of key a threshold ceremony makes, as the MPC pallet sees it.
pub use zenrock_chain_formats::KeyType;

/// The ceremonies of threshold keyrings (implemented by the MPC pallet, called by the treasury
/// when a request of a threshold keyring is opened or closed).
pub trait ThresholdBackend {
	/// Whether `keyring` (with these `parties`, threshold `threshold`) can run ceremonies now,
	/// e.g. every party has registered its encryption key; an error says what is missing.
	fn ensure_ready(keyring: KeyringId, parties: u32) -> Result<(), DispatchError>;
	/// A key request was opened: start a key generation among the keyring's parties. The result
	/// comes back through [`ThresholdResults::fulfil_key`] or [`ThresholdResults::reject`].
	fn key_requested(
		request: RequestId,
		keyring: KeyringId,
		key_type: KeyType,
	) -> Result<(), DispatchError>;
	/// A signature request was opened for `key` (made by this backend): start signing
	/// `payloads`. The result comes back through [`ThresholdResults::fulfil_signatures`] or
	/// [`ThresholdResults::reject`].
	fn signature_requested(
		request: RequestId,
		keyring: KeyringId,
		key: KeyId,
		payloads: &[Vec<u8>],
	) -> Result<(), DispatchError>;
	/// Upper bound of the weight of [`Self::key_requested`].
	fn key_requested_weight() -> Weight;
	/// Upper bound of the weight of [`Self::signature_requested`] with `payloads` payloads.
	fn signature_requested_weight(payloads: u32) -> Weight;
}

/// What a threshold ceremony produced (implemented by the treasury, called by the MPC pallet).
pub trait ThresholdResults {
	/// The key generation of key request `request` produced `public_key` (in the stored form of
	/// the request's key type): create the key and pay the keyring. Returns the new key's id. The
	/// same checks as a party's answer apply (open request, valid and unused key).
	fn fulfil_key(request: RequestId, public_key: &[u8]) -> Result<KeyId, DispatchError>;
	/// Signing for request `request` produced `signatures` (one per payload): verify each against
	/// the key as for any keyring, fulfil the request and pay the keyring. An error leaves the
	/// request open.
	fn fulfil_signatures(request: RequestId, signatures: Vec<Vec<u8>>) -> DispatchResult;
	/// The ceremony of `request` failed for `reason` (cut to the treasury's longest reason):
	/// reject the request and refund its fee.
	fn reject(request: RequestId, reason: &[u8]) -> DispatchResult;
	/// The payloads of signature request `request`, in order (what each signature signs).
	fn sign_payloads(request: RequestId) -> Option<Vec<Vec<u8>>>;
	/// The preimage of each payload of signature request `request` when the chain computed the
	/// payloads itself from a transaction (in payload order; see
	/// [`zenrock_chain_formats::Preimage`]); `None` for raw payloads and for transactions whose
	/// signatures need none (Taproot, Solana).
	fn sign_preimages(request: RequestId) -> Option<Vec<zenrock_chain_formats::Preimage>>;
}

/// Threshold keyring state that identity needs (implemented by the MPC pallet).
pub trait ThresholdKeyringState {
	/// Whether the parties of `keyring` hold shares of a key or of a key being generated: their
	/// set and the threshold cannot change then (that would need resharing).
	fn holds_shares(keyring: KeyringId) -> bool;
}

/// No threshold backend: every call fails (a runtime or mock without the MPC pallet).
impl ThresholdBackend for () {
	fn ensure_ready(_: KeyringId, _: u32) -> Result<(), DispatchError> {
		Err(DispatchError::Other("no threshold backend"))
	}
	fn key_requested(_: RequestId, _: KeyringId, _: KeyType) -> Result<(), DispatchError> {
		Err(DispatchError::Other("no threshold backend"))
	}
	fn signature_requested(
		_: RequestId,
		_: KeyringId,
		_: KeyId,
		_: &[Vec<u8>],
	) -> Result<(), DispatchError> {
		Err(DispatchError::Other("no threshold backend"))
	}
	fn key_requested_weight() -> Weight {
		Weight::zero()
	}
	fn signature_requested_weight(_: u32) -> Weight {
		Weight::zero()
	}
}

impl ThresholdKeyringState for () {
	fn holds_shares(_: KeyringId) -> bool {
		false
	}
}
