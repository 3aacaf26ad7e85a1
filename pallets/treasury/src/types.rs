//! Types stored by the treasury pallet and returned by its runtime API that do not depend on the
//! pallet's `Config` (those, [`KeyRequest`](crate::KeyRequest) and
//! [`SignRequest`](crate::SignRequest), live in the crate root).

use alloc::{string::String, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
pub use zenrock_chain_formats::{AddressFormat, BitcoinNetwork, Chain, KeyType};
use zenrock_primitives::{KeyId, KeyringId, PolicyId, RequestId, WorkspaceId};

/// Length of a stored public key: compressed SEC1 for secp256k1 keys (33 bytes), 32 bytes for
/// Ed25519 keys.
pub const MAX_PUBLIC_KEY_LENGTH: u32 = 33;
/// Longest public key a party may submit: the 65-byte uncompressed SEC1 form of a secp256k1 key
/// (it is stored compressed).
pub const MAX_SUBMITTED_PUBLIC_KEY_LENGTH: u32 = 65;
/// Longest signature a party may submit: a strict-DER Bitcoin signature (72 bytes). ECDSA
/// signatures are 65 bytes `r ‖ s ‖ v`, Ed25519 signatures 64 bytes.
pub const MAX_SIGNATURE_LENGTH: u32 = 72;

/// A public key in its stored form.
pub type StoredPublicKey = BoundedVec<u8, ConstU32<MAX_PUBLIC_KEY_LENGTH>>;
/// A public key as a party submits it (compressed or uncompressed secp256k1, or Ed25519).
pub type SubmittedPublicKey = BoundedVec<u8, ConstU32<MAX_SUBMITTED_PUBLIC_KEY_LENGTH>>;
/// One signature as a party submits it and as it is stored.
pub type Signature = BoundedVec<u8, ConstU32<MAX_SIGNATURE_LENGTH>>;

/// Where a key or signature request stands.
///
/// A request starts Pending (no answer yet), becomes Partial once some parties answered, and
/// ends Fulfilled (as many parties as the threshold gave the identical answer), Rejected (the
/// threshold can no longer be reached) or Expired (the deadline passed first). These last
/// three are final.
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
)]
pub enum RequestStatus {
	/// Waiting for the keyring's parties; nobody has answered yet.
	Pending,
	/// Some parties answered, but there are not yet as many identical answers as the
	/// threshold requires.
	Partial,
	/// Fulfilled: the key was created, or the signatures were stored.
	Fulfilled,
	/// Rejected by the keyring's parties (or their answers disagree so that the threshold can no
	/// longer be reached); the fee was refunded.
	Rejected,
	/// No decision before the deadline; the fee was refunded.
	Expired,
}

impl RequestStatus {
	/// Whether the request still accepts answers.
	pub fn is_open(self) -> bool {
		matches!(self, RequestStatus::Pending | RequestStatus::Partial)
	}
}

/// A party's answer to a request.
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
)]
pub enum Answer {
	/// A fulfilment, identified by the BLAKE2b-256 digest of what the party submitted (the public
	/// key in stored form, or the SCALE-encoded list of signatures). Identical digests are
	/// identical answers.
	Fulfil([u8; 32]),
	/// A rejection (its reason is in the KeyRejectionRecorded or SignatureRejectionRecorded
	/// event).
	Reject,
}

/// One party's answer to a request.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Response<AccountId> {
	/// The party of the request's keyring that answered.
	pub party: AccountId,
	/// What it answered.
	pub answer: Answer,
}

/// Which kind of request an id in the expiry index refers to.
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
)]
pub enum RequestKind {
	/// A key request (stored in KeyRequests).
	Key,
	/// A signature or transaction-signature request (stored in SignRequests).
	Signature,
}

/// An entry of the expiry queue: a request and the block from which it can no longer be answered.
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
)]
pub struct ExpiryEntry<BlockNumber> {
	/// The request's deadline block.
	pub expires_at: BlockNumber,
	/// Whether it is a key or a signature request.
	pub kind: RequestKind,
	/// The request's id.
	pub request: RequestId,
}

/// The two ends of the expiry queue, as positions.
#[derive(
	Clone,
	Copy,
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
pub struct QueueEnds {
	/// The position of the oldest entry still queued.
	pub oldest: u64,
	/// The position the next entry gets.
	pub next: u64,
}

/// A key held by a keyring for a workspace.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Key<BlockNumber> {
	/// The workspace the key belongs to.
	pub workspace: WorkspaceId,
	/// The keyring that holds the key material.
	pub keyring: KeyringId,
	/// The key's type.
	pub key_type: KeyType,
	/// The public key in stored form (compressed SEC1 for secp256k1, 32 bytes for Ed25519).
	pub public_key: StoredPublicKey,
	/// The policy that approves signature requests with this key; if none is set, the
	/// workspace's sign policy applies.
	pub sign_policy: Option<PolicyId>,
	/// The block in which the key was created.
	pub created_at: BlockNumber,
}

/// What a transaction-signature request asks to sign.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct TransactionSummary {
	/// The destination chain.
	pub chain: Chain,
	/// Whether relayers should broadcast the signed transaction; if not, it is a private
	/// transaction, which the requester broadcasts itself.
	pub broadcast: bool,
	/// The native value the transaction moves, as parsed by the chain (what the policy saw as
	/// tx.value).
	pub value: Option<u128>,
	/// What the request recorded in the spending ledger of its key when it was approved
	/// (withdrawn again if it is rejected or expires unsigned).
	pub spending: BoundedVec<Spending, ConstU32<MAX_SPENDING_PER_REQUEST>>,
}

/// At most two assets per request: a token transfer and the native value.
pub const MAX_SPENDING_PER_REQUEST: u32 = 2;

/// An amount of one asset a request spends, as recorded in the spending ledger.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct Spending {
	/// The ledger's id of the asset (zenrock_primitives::spending_asset of the chain and
	/// token).
	pub asset: [u8; 32],
	/// The amount, in the asset's base unit.
	pub amount: u128,
}

/// A fulfilled transaction-signature request that relayers should broadcast.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct BroadcastInfo {
	/// The destination chain.
	pub chain: Chain,
	/// The key that signed it.
	pub key: KeyId,
}

/// An open key request, as the runtime API reports it to a keyring's controller.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct PendingKeyRequest<AccountId, BlockNumber> {
	/// The request id (the id the key will get).
	pub request: RequestId,
	/// The workspace that asked.
	pub workspace: WorkspaceId,
	/// The type of key to create.
	pub key_type: KeyType,
	/// The block at whose start the request expires.
	pub expires_at: BlockNumber,
	/// The parties that have answered already (they must not answer again).
	pub responded: Vec<AccountId>,
}

/// An open signature request, as the runtime API reports it to a keyring's controller.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct PendingSignRequest<AccountId, BlockNumber> {
	/// The request id.
	pub request: RequestId,
	/// The key to sign with.
	pub key: KeyId,
	/// The key's type.
	pub key_type: KeyType,
	/// The key's public key (stored form).
	pub public_key: Vec<u8>,
	/// What to sign, in order: 32-byte prehashes (secp256k1) or messages (Ed25519).
	pub payloads: Vec<Vec<u8>>,
	/// The destination chain, for a transaction-signature request.
	pub chain: Option<Chain>,
	/// The block at whose start the request expires.
	pub expires_at: BlockNumber,
	/// The parties that have answered already (they must not answer again).
	pub responded: Vec<AccountId>,
}

/// A fulfilled transaction-signature request, assembled for broadcasting.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct SignedTransactionDetails {
	/// The request id.
	pub request: RequestId,
	/// The key that signed.
	pub key: KeyId,
	/// The destination chain.
	pub chain: Chain,
	/// Whether the requester asked relayers to broadcast it.
	pub broadcast: bool,
	/// The raw signed transaction (EVM: the bytes for eth_sendRawTransaction).
	pub raw: Vec<u8>,
	/// The transaction id (EVM: the transaction hash).
	pub id: Vec<u8>,
	/// The transaction id in the chain's usual text form (0x-prefixed hex for EVM).
	pub id_text: String,
}

/// A key with its default addresses (format, text), as the runtime API returns it.
pub type KeyWithAddresses<BlockNumber> = (Key<BlockNumber>, Vec<(AddressFormat, String)>);

/// The open key requests and open signature requests of a keyring, as the runtime API returns
/// them.
pub type PendingRequests<AccountId, BlockNumber> = (
	Vec<PendingKeyRequest<AccountId, BlockNumber>>,
	Vec<PendingSignRequest<AccountId, BlockNumber>>,
);
