//! # Zenrock keyring controller (off-chain worker)
//!
//! A keyring is an off-chain system that creates keys and signatures; its *parties* answer the
//! treasury's key and signature requests on chain. This pallet is the **controller** of keyring
//! parties whose keys live in the node's own keystore: after every imported block its off-chain
//! worker finds the pending requests of the keyrings this node is a party of, produces the key or
//! the signatures with key material that is created in, and never leaves, the node's keystore,
//! and submits the answer as a signed transaction from the party's account.
//!
//! The pallet has no dispatchables and no on-chain storage. It reads the chain through
//! [`KeyringWork`] (implemented by the runtime over the identity and treasury pallets, using the
//! treasury's per-keyring indexes of pending requests, never a scan) and builds the treasury's
//! answer calls through [`ResponseCalls`]. For threshold keyrings it also takes part, as each of
//! its parties, in the MPC pallet's ceremonies ([`ThresholdWork`], [`ThresholdCalls`]; see
//! below). All of its own state is in the node's persistent off-chain storage.
//!
//! ## Keys to insert
//!
//! | key type | const | scheme | what it is |
//! | --- | --- | --- | --- |
//! | `zprt` | [`PARTY_KEY_TYPE`] | sr25519 | the party account that signs the `fulfil_*` / `reject_*` transactions; it must be listed as a party of the keyring and hold funds for transaction fees |
//! | `zkey` | [`KEY_MATERIAL_KEY_TYPE`] | secp256k1 ECDSA and Ed25519 | the keyring's key material; created by the worker, never inserted by hand (except to share a key between nodes, see below) |
//! | `zenc` | [`MPC_ENCRYPTION_KEY_TYPE`] | Ed25519 | threshold (`Frost`) keyrings only: the root of the party's secrets (encryption key, storage key, key-generation seeds); back its secret up, with it and the chain a party rebuilds every key share |
//!
//! ```text
//! zenrock-node key insert --key-type zprt --scheme sr25519 --suri "<party secret>" --base-path <node dir>
//! zenrock-node key insert --key-type zenc --scheme ed25519 --suri "<root secret>" --base-path <node dir>
//! # or, on a running node with unsafe RPCs allowed on localhost:
//! author_insertKey("zprt", "<party secret>", "0x<sr25519 public key>")
//! ```
//!
//! `--dev`, `--alice`, `--bob`, ... insert the development account's `zprt` and `zenc` keys.
//!
//! Off-chain workers run by default only on authority nodes; a party node that does not validate
//! needs `--offchain-worker always`.
//!
//! ## What the worker does on every block
//!
//! For every `zprt` account in the keystore ([`frame_system::offchain::Signer`] over
//! [`Config::AuthorityId`]), for every keyring that account is a party of, it takes the pending
//! requests the party has not answered yet ([`KeyringWork::has_responded`]), **all of them**, and
//! submits the answers in batched calls ([`ResponseCalls`]): one per kind of answer, split only
//! where a call would exceed the weight or length a normal extrinsic may have (derived from the
//! runtime's `BlockWeights` and `BlockLength`) or [`ResponseCalls::max_answers_per_call`]. The
//! worker runs after the block is imported, beside block production: the answers to the requests
//! of block `n` are signed while block `n + 1` is built and land in it or the next one.
//!
//! - **Key request** → generates a key under `zkey` (`sp_io::crypto::ecdsa_generate` for
//!   [`KeyType::EcdsaSecp256k1`] and [`KeyType::BitcoinSecp256k1`], giving a 33-byte compressed
//!   secp256k1 key; `ed25519_generate` for [`KeyType::Ed25519`], 32 bytes) and answers with
//!   [`ResponseCalls::fulfil_keys`].
//! - **Signature request** → if the request's public key is in this node's keystore, signs every
//!   payload (secp256k1: the payload is a 32-byte prehash, signed with
//!   `ecdsa_sign_prehashed`, giving 65 bytes `r ‖ s ‖ v`, low-S, deterministic per RFC 6979;
//!   Ed25519: the payload is the message, 64-byte signature) and answers with
//!   [`ResponseCalls::fulfil_signatures`]. A request this party cannot serve is **rejected** with
//!   one of the [`reasons`] (key not held here, malformed key, no payloads, a secp256k1 payload
//!   that is not 32 bytes), so the requester's fee is refunded instead of waiting for the timeout.
//!
//! ## Multi-party keystore keyrings: what this backend can and cannot do
//!
//! **A keyring with `party_threshold > 1` cannot get keys from this backend.** Each node's keystore
//! generates its own independent key, so several parties can never agree on one shared key (that
//! needs a threshold MPC backend, which comes later). Every party run by this worker therefore
//! *rejects* key requests of such keyrings with [`reasons::MULTI_PARTY_KEYS_UNSUPPORTED`] instead
//! of leaving them to time out. (The treasury rejects a request once its threshold can no longer
//! be reached, i.e. after `parties - threshold + 1` rejections.)
//!
//! A keyring with several parties and threshold 1 works: exactly one party, the *designated* one,
//! `parties[request_id % parties.len()]` in [`KeyringWork::keyring_parties`] order, generates the
//! key; the others skip the request, so no race produces keys that are never used. If the
//! designated party's node is down the request expires and its fee is refunded.
//!
//! Signature requests are answered by every party for itself: a party whose node holds the key
//! signs, a party whose node does not rejects with [`reasons::KEY_NOT_HELD`]. This relies on the
//! treasury's tally: a rejection by one party does not reject the request while enough parties
//! that may still fulfil it have not answered, so with 1-of-n the holder's signatures fulfil the
//! request whatever the others said, and the request is rejected (fee refunded) only when no party
//! holds the key. Key material shared by hand between nodes (the same `zkey` secret inserted on
//! several nodes) signs identically on each, since both signature schemes are deterministic.
//!
//! ## Threshold (`Frost`) keyrings
//!
//! Requests of threshold keyrings are not answered by one party but by ceremonies of the MPC
//! pallet, in which every party takes part from its own node; the keystore backend above skips
//! these keyrings. For a party of one, the worker ([`ThresholdWork`], [`ThresholdCalls`]):
//! - derives the party's secrets from its `zenc` key: the key signs
//!   `"zenrock/mpc/master/v1" ‖ genesis hash ‖ party account` (Ed25519 signatures are
//!   deterministic; the worker signs twice and refuses to go on if the two differ) and
//!   [`zenrock_mpc_core::PartySecrets`] derives from that signature the X25519 encryption key,
//!   the key of its encrypted off-chain storage and a seed per key generation. With several
//!   `zenc` keys it uses the one whose encryption key the chain has, else the lowest; with none
//!   it logs a warning and stays out of threshold keyrings;
//! - registers its encryption key (`register_encryption_key`) when the chain has another;
//! - keeps a pool of nonce commitments per keyring and suite (Ed25519, Taproot) on chain: below
//!   half of the most allowed, it fills the pool; each nonce is written, sealed, to off-chain
//!   storage **before** its commitment is published; if nonces behind pooled commitments are
//!   lost (off-chain storage wiped), it empties the pool (`reset_commitments`) and fills it anew;
//! - takes part in key generations: round 1 and round 2 (shares sealed to each recipient) are
//!   derived again from the key generation's seed whenever needed; in the confirmation round it
//!   opens and checks its shares, stores its key share (sealed) and confirms with its backup (the
//!   share sealed to itself), or complains about the sender of a bad share;
//! - signs when a signing attempt chose it, each payload with the nonce of its commitment, through
//!   a **single-use journal**: one compare-and-set write replaces the nonce by the hash of what it
//!   signs (message, every signer's commitment, request, attempt) and the share, before the share
//!   is sent. The same package again gets the same share; any other package for a used nonce is
//!   refused (log `nonce reuse refused`), so no fork or replay makes one nonce sign twice;
//! - recovers a key share it does not hold (e.g. after `purge-chain`) from its backup on chain.
//!
//! Each message is sent once, and again only when the chain does not show it
//! [`Config::ResubmitAfter`] blocks later (or after a node restart). **A node whose keystore
//! holds `t` or more party keys of a threshold keyring does not act for it** and logs an error:
//! it alone could sign ([`Config::AllowSingleHolder`] turns this into a warning, for single-node
//! demonstrations only). No secret is ever logged.
//!
//! ## Idempotency, restarts and lost transactions
//!
//! State lives in the node's **persistent** off-chain storage under `zenrock/controller/…`, keyed
//! by the party account:
//! - the answer to each request (e.g. the generated public key) is recorded **before** the
//!   transaction is submitted, so a key is generated once per request and party: a resubmission, a
//!   repeated block, a concurrent worker or a restarted node reuses the recorded answer;
//! - the block of the submission is recorded; the answer is not sent again while the chain does not
//!   show it, until [`Config::ResubmitAfter`] blocks have passed (a transaction lost from the pool
//!   is resubmitted after that bounded wait); a submission the pool refused is retried next block;
//! - the node writes a new start marker into persistent off-chain storage at every start
//!   ([`zenrock_primitives::NODE_START_KEY`]); the first run that sees a new marker knows that what
//!   was submitted before died with the old pool: it drops the nonce record (the chain's nonce
//!   counts again) and resubmits the recorded answers at once, so a crash costs no waiting;
//! - the next nonce of the party account is tracked, so answers sent in consecutive blocks before
//!   the earlier ones are included do not collide in the transaction pool (if the chain nonce does
//!   not move for `ResubmitAfter` blocks the worker falls back to the chain's nonce);
//! - a [`StorageLock`](sp_runtime::offchain::storage_lock::StorageLock) per party account (a time
//!   lock of [`LOCK_DEADLINE_MS`], extended while work goes on) lets only one worker act for a
//!   party at a time (workers of sibling fork blocks run concurrently); a worker that finds the
//!   lock taken leaves the party to the holder.
//!
//! Answer records are removed once the chain shows the party's answer or the request is no longer
//! pending; the record of a *generated key* is kept for good (a few dozen bytes next to the key
//! itself in the keystore), so that a reorganisation that drops the fulfilment can never make the
//! worker generate a second key for the request.
//!
//! ## Logs
//!
//! Operators follow the worker at `info` level with target `keyring-controller`
//! (`-l keyring-controller=debug` also shows what it skips and why):
//! - `generated <type> key 0x… for key request <id> (keyring <k>, party <account>)`
//! - (debug) `signed <n> payload(s) of signature request <id> (keyring <k>) with <type> key 0x…`
//! - `key request <id> of keyring <k> (threshold <t>) needs one key shared by several parties,
//!   which node keystores cannot create: rejecting from <account>`
//! - `cannot serve signature request <id> (keyring <k>, <type> key 0x…) as <account>: <detail>`
//! - `submitted <n> signature fulfilments (requests <first>..=<last>, keyring <k>) from <account>
//!   in one transaction`, likewise `… key fulfilments …` and `… rejections …`
//! - `resubmitting the answer to request <id> (keyring <k>) from <account>: not on chain <n>
//!   blocks after submission at block <b>`
//! - warnings when a transaction cannot be submitted (e.g. the pool refuses it because the
//!   party account cannot pay the fee); the worker retries in the next block.
//! - threshold keyrings: `submitted DkgRound1(<request>) from <account>` (and the other
//!   steps), `published <n> nonce commitments of <account> (keyring <k>, <suite>)`, `key
//!   generation of request <id>: <account> holds share <i> of <suite> key 0x…`, `recovered the
//!   share of key <id> …`; errors `nonce reuse refused: …` and `this node holds <h> of the <n>
//!   party keys of threshold keyring <k> …`.
//!
//! ## Configuration (runtime)
//! ```ignore
//! impl pallet_zenrock_keyring_controller::Config for Runtime {
//!     type AuthorityId = pallet_zenrock_keyring_controller::PartyAuthId;
//!     type Work = KeyringWorkAdapter;          // over Identity + Treasury
//!     type Responses = TreasuryResponseCalls;  // builds RuntimeCall::Treasury(..)
//!     type Threshold = ThresholdWorkAdapter;   // over Mpc + Treasury
//!     type ThresholdCalls = MpcCalls;          // builds RuntimeCall::ZenrockMpc(..)
//!     type AllowSingleHolder = ConstBool<false>;
//!     type ResubmitAfter = ConstU32<10>;
//! }
//! ```
//! The runtime also implements `frame_system::offchain::CreateSignedTransaction<RuntimeCall>`
//! (signing with `MultiSignature`), as for any pallet submitting signed transactions.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod backend;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod threshold;
#[cfg(test)]
mod threshold_tests;
mod worker;

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;
use sp_core::crypto::KeyTypeId;
use sp_runtime::{MultiSignature, MultiSigner};

pub use pallet::*;
pub use threshold::{root_from_signatures, root_message, NonceEntry, SentRecord, Step};
pub use worker::{Answer, AnswerRecord, NonceRecord, RequestKind};
pub use zenrock_chain_formats::KeyType;
pub use zenrock_mpc_core::Suite;
pub use zenrock_primitives::{
	ecdsa_view::{EcdsaCall, EcdsaSubmitError},
	party_view::{
		DkgRound, DkgView, SignerView, SigningView, ThresholdCalls, ThresholdKeyView,
		ThresholdTask, ThresholdWork,
	},
	KeyId, KeyringId, RequestId,
};

/// Log target of the worker.
pub const LOG_TARGET: &str = "keyring-controller";

/// Key type of keyring **party** accounts (sr25519): the accounts that sign the answer
/// transactions. Insert with `key insert --key-type zprt --scheme sr25519`.
pub const PARTY_KEY_TYPE: KeyTypeId = zenrock_primitives::PARTY_KEY_TYPE;

/// Key type of keyring **key material** (secp256k1 ECDSA and Ed25519 keys generated for key
/// requests). The worker creates these keys itself; they never leave the keystore.
pub const KEY_MATERIAL_KEY_TYPE: KeyTypeId = zenrock_primitives::KEY_MATERIAL_TYPE;

/// Key type of the **root of a threshold-keyring party's secrets** (ed25519). Insert with
/// `key insert --key-type zenc --scheme ed25519` and back its secret up.
pub const MPC_ENCRYPTION_KEY_TYPE: KeyTypeId = zenrock_primitives::MPC_ENCRYPTION_KEY_TYPE;

/// How long a worker holds a party's lock before another worker may take it over, in
/// milliseconds. The lock is extended after every answer, so only a worker that stopped (crash,
/// restart) lets it expire.
pub const LOCK_DEADLINE_MS: u64 = 20_000;

/// The party key: an sr25519 application key under [`PARTY_KEY_TYPE`].
pub mod party {
	use sp_application_crypto::{app_crypto, sr25519};
	app_crypto!(sr25519, crate::PARTY_KEY_TYPE);
}

/// Signs the answer transactions with a party key; the `AuthorityId` of a runtime whose
/// transactions carry [`MultiSignature`]s (tests may use it with the same types).
pub struct PartyAuthId;

impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for PartyAuthId {
	type RuntimeAppPublic = party::Public;
	type GenericPublic = sp_core::sr25519::Public;
	type GenericSignature = sp_core::sr25519::Signature;
}

/// The rejection reasons the worker submits (short enough for any sensible
/// `MaxRejectionReasonLength`; at most 32 bytes). The log line before each rejection has the
/// details.
pub mod reasons {
	/// Key request of a keyring whose threshold is above 1: independent keystores cannot
	/// create one shared key.
	pub const MULTI_PARTY_KEYS_UNSUPPORTED: &[u8] = b"multi-party keys unsupported";
	/// A key type node keystores cannot hold (BIP-340 Taproot keys).
	pub const KEY_TYPE_UNSUPPORTED: &[u8] = b"key type not in node keystores";
	/// Signature request with a key that is not in this party's keystore.
	pub const KEY_NOT_HELD: &[u8] = b"key not held by this party";
	/// Signature request whose public key is not a key of its type.
	pub const MALFORMED_PUBLIC_KEY: &[u8] = b"malformed public key";
	/// Signature request without payloads.
	pub const NO_PAYLOADS: &[u8] = b"no payloads";
	/// A payload of a secp256k1 signature request is not a 32-byte prehash.
	pub const PAYLOAD_NOT_32_BYTES: &[u8] = b"payload is not 32 bytes";
	/// The keystore refused to sign (e.g. the key was removed between checks).
	pub const SIGNING_FAILED: &[u8] = b"keystore could not sign";
}

/// A key request the worker may answer.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct PendingKeyRequest {
	/// The request id.
	pub id: RequestId,
	/// The keyring asked for the key.
	pub keyring: KeyringId,
	/// The type of key to create.
	pub key_type: KeyType,
}

/// A signature request the worker may answer.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct PendingSignRequest {
	/// The request id.
	pub id: RequestId,
	/// The keyring of the key.
	pub keyring: KeyringId,
	/// The key's type.
	pub key_type: KeyType,
	/// The key's public key in its stored form (33-byte compressed secp256k1, 32-byte Ed25519).
	pub public_key: Vec<u8>,
	/// What to sign, in order: 32-byte prehashes (secp256k1) or messages (Ed25519).
	pub payloads: Vec<Vec<u8>>,
}

/// The worker's read-only view of the chain (implemented by the runtime over the identity and
/// treasury pallets; the pending lists come from the treasury's per-keyring indexes).
pub trait KeyringWork<AccountId> {
	/// The keyrings `party` is a listed party of.
	fn keyrings_of_party(party: &AccountId) -> Vec<KeyringId>;
	/// The parties of `keyring`, in a stable order (the designated-party rule depends on it).
	fn keyring_parties(keyring: KeyringId) -> Vec<AccountId>;
	/// The number of identical answers that fulfil a request of `keyring` (0 counts as 1).
	fn keyring_threshold(keyring: KeyringId) -> u32;
	/// The pending key requests of `keyring`, oldest first.
	fn pending_key_requests(keyring: KeyringId) -> Vec<PendingKeyRequest>;
	/// The pending signature requests of `keyring`, oldest first.
	fn pending_sign_requests(keyring: KeyringId) -> Vec<PendingSignRequest>;
	/// Whether the chain has recorded an answer (fulfilment or rejection) of `party` to
	/// `request`.
	fn has_responded(request: RequestId, party: &AccountId) -> bool;
}

/// Builds the treasury's batched calls that carry the answers (implemented by the runtime).
/// Reasons are at most 32 bytes; an implementation with a smaller bound should truncate them.
pub trait ResponseCalls<Call> {
	/// `fulfil_key_requests(keyring, answers)`: a public key per request.
	fn fulfil_keys(keyring: KeyringId, answers: Vec<(RequestId, Vec<u8>)>) -> Call;
	/// `fulfil_signature_requests(keyring, answers)`: the signatures of each request, in order.
	fn fulfil_signatures(keyring: KeyringId, answers: Vec<(RequestId, Vec<Vec<u8>>)>) -> Call;
	/// `reject_requests(keyring, rejections)`: key or signature requests, with a reason each.
	fn reject(keyring: KeyringId, rejections: Vec<(RequestId, Vec<u8>)>) -> Call;
	/// The most answers one of these calls may carry.
	fn max_answers_per_call() -> u32;
}

#[frame_support::pallet]
pub mod pallet {
	use super::{KeyringWork, ResponseCalls, ThresholdCalls, ThresholdWork};
	use frame_support::pallet_prelude::*;
	use frame_system::{
		offchain::{AppCrypto, CreateSignedTransaction},
		pallet_prelude::*,
	};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the keyring controller.
	///
	/// The answers are submitted as the runtime's own call type
	/// (`<Self as frame_system::Config>::RuntimeCall`), signed through
	/// `CreateSignedTransaction`.
	#[pallet::config]
	pub trait Config:
		frame_system::Config + CreateSignedTransaction<<Self as frame_system::Config>::RuntimeCall>
	{
		/// The party key crypto that signs answer transactions: [`crate::PartyAuthId`] for a
		/// runtime with `MultiSignature`.
		type AuthorityId: AppCrypto<Self::Public, Self::Signature>;

		/// What the chain says about keyrings and their pending requests.
		type Work: KeyringWork<Self::AccountId>;

		/// Builds the treasury's answer calls.
		type Responses: ResponseCalls<<Self as frame_system::Config>::RuntimeCall>;

		/// What the chain says about threshold keyrings' ceremonies.
		type Threshold: ThresholdWork<Self::AccountId>;

		/// Builds the MPC pallet's calls.
		type ThresholdCalls: ThresholdCalls<<Self as frame_system::Config>::RuntimeCall>;

		/// Whether a node whose keystore holds t or more of a threshold keyring's party keys
		/// still acts for that keyring (with a warning). Such a node alone could sign with the
		/// keyring's keys, which defeats the threshold: false on any real chain, where the
		/// worker then refuses with an error; true only for single-node demonstrations.
		#[pallet::constant]
		type AllowSingleHolder: Get<bool>;

		/// Blocks after a submission during which the worker waits for the answer to appear on
		/// chain before sending it again (a lost transaction is resubmitted after this bounded
		/// wait). Also how long the worker keeps using its own nonce count while the chain's
		/// nonce of the party account does not move. Suggested: 10 (one minute at 6 s blocks).
		#[pallet::constant]
		type ResubmitAfter: Get<BlockNumberFor<Self>>;
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Answers the pending requests of this node's keyring parties (see the crate docs).
		fn offchain_worker(block: BlockNumberFor<T>) {
			Self::run(block);
		}
	}
}
