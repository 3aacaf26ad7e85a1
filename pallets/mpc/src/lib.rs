//! # Zenrock MPC pallet
//!
//! The ceremonies of threshold keyrings ([`KeyringBackend::Frost`]), with the chain as the only
//! transport between their parties: no party ever holds a whole key, and any `t` of the `n`
//! parties sign together.
//!
//! ## Overview
//!
//! The treasury keeps the requests (fees, expiry, keys, addresses) and hands those of threshold
//! keyrings to this pallet ([`ThresholdBackend`]); this pallet runs the ceremony and reports the
//! result back ([`ThresholdResults`]): a key, signatures (which the treasury verifies like any
//! keyring's), or a rejection with its reason, which refunds the requester.
//!
//! **Key generation** (FROST's distributed key generation, RFC 9591 with a proof of knowledge) is
//! three rounds on chain among all `n` parties of the keyring:
//! 1. every party publishes its round-1 package (commitments and a proof of knowledge, checked on
//!    submission, so an invalid one is refused);
//! 2. every party publishes its secret shares for the others, each sealed (HPKE, X25519) to the
//!    recipient's registered encryption key;
//! 3. every party checks its shares, keeps its key share and confirms the group key, which the
//!    chain computed itself from the round-1 packages; a different key is refused. With the
//!    confirmation comes the party's encrypted backup of its key share.
//!
//! The key exists once **all** `n` parties confirmed (a DKG is sound only if every participant
//! checked its shares). A party silent past a round's deadline ([`Config::DkgRoundTimeout`]) or
//! accused of a bad share fails the key generation: the request is rejected with the reason and
//! refunded.
//!
//! **Signing** uses nonce commitments that parties publish in advance ([`CommitmentPool`]), so a
//! signature needs one round: when a signature request opens, the chain picks `t` signers with
//! enough pooled commitments (rotating by request and attempt, skipping suspended and faulty
//! parties), takes one commitment per payload from each, and so fixes what each signs. Each
//! signer submits its signature shares; with the last one the chain aggregates the signature
//! (it computes the group commitment itself and sums the shares) and the treasury verifies it as
//! an ordinary signature. If it does not verify, the chain checks every share against the
//! signer's public verifying share, marks the signers whose share is invalid as faulty
//! ([`Event::InvalidShareProven`]) and starts another attempt without them. A signer silent past
//! [`Config::ShareTimeout`] is marked ([`Event::PartyTimedOut`]), suspended for
//! [`Config::SuspendBlocks`] and replaced in a new attempt; after as many attempts as there are
//! spare parties (`n - t + 1`) the request is rejected.
//!
//! Deadlines are kept in an index by block ([`Deadlines`]) that `on_initialize` sweeps from a
//! cursor, at most [`Config::MaxDeadlinesPerBlock`] entries per block: no scans. Each party's
//! open tasks are indexed by account ([`PartyTasks`]), for its off-chain worker.
//!
//! ## Dispatchable functions
//!
//! All are signed by a party account:
//! - [`register_encryption_key`](Pallet::register_encryption_key): set the caller's X25519 key,
//!   to which DKG shares for it are sealed.
//! - [`publish_commitments`](Pallet::publish_commitments) /
//!   [`reset_commitments`](Pallet::reset_commitments): add nonce commitments to, or empty, the
//!   caller's pool for a keyring and suite.
//! - [`submit_dkg_round1`](Pallet::submit_dkg_round1),
//!   [`submit_dkg_round2`](Pallet::submit_dkg_round2), [`confirm_dkg`](Pallet::confirm_dkg):
//!   the three DKG rounds; [`complain_dkg`](Pallet::complain_dkg): report a share that fails its
//!   check, which fails the key generation.
//! - [`submit_signature_shares`](Pallet::submit_signature_shares): a chosen signer's shares.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod ecdsa;
#[cfg(any(test, feature = "runtime-benchmarks"))]
mod ecdsa_vector;
#[cfg(test)]
mod mock;
pub mod party_view;
pub use party_view::PartyView;
pub mod runtime_api;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_ecdsa;
pub mod weights;

use alloc::{format, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, BoundedVec, CloneNoBound, DebugNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::*;
use scale_info::TypeInfo;
use sp_runtime::{traits::Saturating, DispatchError};
pub use weights::WeightInfo;
use zenrock_mpc_core::{GroupPublic, Suite, SCALAR_SIZE, SEALED_SHARE_SIZE};
pub use zenrock_primitives::{
	KeyId, KeyType, KeyringBackend, KeyringId, KeyringInspect, RequestId, ThresholdBackend,
	ThresholdKeyringState, ThresholdResults,
};

pub use ecdsa::{
	BundleOf, Ceremony, CeremonyId, CeremonyKind, CeremonyOutput, EcdsaBundle, EcdsaKey,
	EcdsaKeyring, EcdsaSigning, PooledPresignature, PresignaturePool, CEREMONY_ROUNDS,
	ECDSA_MAX_PARTIES, MAX_BUNDLE_SIZE, MAX_CEREMONY_OUTPUT,
};
pub use pallet::*;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::mpc";

/// The most parties a threshold keyring may have for this pallet's storage bounds
/// ([`Config::MaxParties`] must not exceed it).
pub const PARTIES_BOUND: u32 = 32;
/// Largest signing commitment (hiding ‖ binding, compressed secp256k1 points).
pub const MAX_COMMITMENT_SIZE: u32 = 66;
/// Largest round-1 package: `t <= PARTIES_BOUND` commitments of 33 bytes and a 64-byte proof.
pub const MAX_ROUND1_SIZE: u32 = 33 * PARTIES_BOUND + 64;
/// Largest encoded [`GroupPublic`].
pub const MAX_GROUP_PUBLIC_SIZE: u32 = GroupPublic::max_encoded_size(PARTIES_BOUND as u16) as u32;
/// Longest reason a failed ceremony gives.
pub const MAX_REASON_SIZE: u32 = 64;

/// A nonce commitment (hiding ‖ binding), in the suite's encoding.
pub type Commitment = BoundedVec<u8, ConstU32<MAX_COMMITMENT_SIZE>>;
/// A DKG secret share sealed to its recipient.
pub type SealedShare = [u8; SEALED_SHARE_SIZE];
/// A signature share (a scalar).
pub type SignatureShare = [u8; SCALAR_SIZE];
/// Why a ceremony failed.
pub type Reason = BoundedVec<u8, ConstU32<MAX_REASON_SIZE>>;
/// The participants of a ceremony or key, in the keyring's order; participant `i` is entry
/// `i - 1`.
pub type ParticipantsOf<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxParties>;

/// The suite that makes keys of `key_type`, if any.
pub fn suite_of(key_type: KeyType) -> Option<Suite> {
	match key_type {
		KeyType::Ed25519 => Some(Suite::Ed25519),
		KeyType::BitcoinTaproot => Some(Suite::Secp256k1Taproot),
		KeyType::EcdsaSecp256k1 | KeyType::BitcoinSecp256k1 => None,
	}
}

/// The threshold backend of `keyring`, if it has one.
fn threshold_backend<T: Config>(keyring: KeyringId) -> Option<KeyringBackend> {
	T::Keyrings::keyring_terms(keyring)
		.map(|terms| terms.backend)
		.filter(|backend| backend.is_threshold())
}

/// The round a key generation waits for.
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
pub enum DkgPhase {
	/// Round-1 packages.
	Round1,
	/// Sealed secret shares.
	Round2,
	/// Confirmations of the group key.
	Confirm,
}

/// A key generation in progress, for key request `request` (its key in the DKG sessions map).
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct DkgSession<T: Config> {
	/// The keyring whose parties generate the key.
	pub keyring: KeyringId,
	/// The suite of the key.
	pub suite: Suite,
	/// The parties when the request was made; participant `i` is entry `i - 1`.
	pub participants: ParticipantsOf<T>,
	/// Signers needed (FROST's `t`).
	pub threshold: u16,
	/// The round it waits for.
	pub phase: DkgPhase,
	/// How many participants submitted in this round.
	pub submitted: u16,
	/// The end of the round: a participant still silent then fails the key generation.
	pub deadline: BlockNumberFor<T>,
	/// From round 2 on, the group's public data the chain computed from the round-1 packages
	/// (an encoded [`GroupPublic`]).
	pub public: Option<BoundedVec<u8, ConstU32<MAX_GROUP_PUBLIC_SIZE>>>,
}

/// A threshold key: who holds its shares and what the chain needs to aggregate and blame.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct GroupKey<T: Config> {
	/// The keyring whose parties hold the shares.
	pub keyring: KeyringId,
	/// The key's suite.
	pub suite: Suite,
	/// The share holders; participant `i` is entry `i - 1`.
	pub participants: ParticipantsOf<T>,
	/// The encoded [`GroupPublic`]: group key, threshold, verifying shares.
	pub public: BoundedVec<u8, ConstU32<MAX_GROUP_PUBLIC_SIZE>>,
}

/// A signer of a signing attempt and the commitments it signs with (one per payload).
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Signer<T: Config> {
	/// The signer's participant index in the key.
	pub participant: u16,
	/// The signer's account.
	pub account: T::AccountId,
	/// The commitments taken from its pool, one per payload in order.
	pub commitments: BoundedVec<Commitment, T::MaxPayloads>,
}

/// The open signing attempt of signature request `request` (its key in the sessions map).
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct SigningSession<T: Config> {
	/// The key that signs.
	pub key: KeyId,
	/// Attempts made before this one.
	pub attempt: u8,
	/// The chosen signers, by participant index.
	pub signers: BoundedVec<Signer<T>, T::MaxParties>,
	/// How many signers submitted their shares.
	pub submitted: u16,
	/// Participants excluded from later attempts of this request (silent or faulty here).
	pub excluded: BoundedVec<u16, T::MaxParties>,
	/// The end of the attempt: signers still silent then are replaced.
	pub deadline: BlockNumberFor<T>,
}

/// A party's record in a keyring.
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
pub struct PartyRecord<BlockNumber> {
	/// Signing attempts and key generations it let time out.
	pub missed: u32,
	/// Not chosen to sign before this block (unless no one else can).
	pub suspended_until: BlockNumber,
	/// Proven to have submitted an invalid signature share: never chosen again.
	pub faulty: bool,
}

/// What a party has to do for a request.
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
pub enum Task {
	/// Take part in the key generation of a key request.
	KeyGeneration,
	/// Sign for a signature request (the current attempt chose it).
	Signing,
	/// Sign from presignatures for a threshold ECDSA signature request (the current attempt
	/// chose it).
	EcdsaSigning,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Sets up what the benchmarks need in the other pallets: threshold keyrings and requests
	/// opened the way users open them (so the treasury's records exist for the ceremonies'
	/// results).
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId> {
		/// Register an active FROST keyring with exactly these parties and threshold; its id.
		fn frost_keyring(parties: Vec<AccountId>, threshold: u32) -> KeyringId;
		/// Open a key request of the given key type on the keyring (which starts its key generation); its
		/// id.
		fn request_key(keyring: KeyringId, key_type: KeyType) -> RequestId;
		/// Open a signature request of the payloads with the given threshold key (which starts its
		/// first signing attempt); its id.
		fn request_signature(key: KeyId, payloads: Vec<Vec<u8>>) -> RequestId;
		/// Register an active threshold ECDSA keyring with exactly these parties and threshold;
		/// its id.
		fn ecdsa_keyring(parties: Vec<AccountId>, threshold: u32) -> KeyringId;
		/// Open a signature request of an unsigned EVM transaction (chain id 1) with the given
		/// threshold ECDSA key; its id.
		fn request_evm_transaction_signature(key: KeyId, unsigned: Vec<u8>) -> RequestId;
	}

	/// Configuration of the MPC pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The balance type of keyring fees (identity's).
		type Balance;

		/// Keyrings: their parties and thresholds (the identity pallet).
		type Keyrings: KeyringInspect<Self::AccountId, Self::Balance>;

		/// Where ceremony results go (the treasury).
		type Results: ThresholdResults;

		/// The most parties of a threshold keyring (identity's MaxThresholdParties; at most
		/// PARTIES_BOUND).
		#[pallet::constant]
		type MaxParties: Get<u32>;

		/// The most payloads of a signature request (the treasury's MaxPayloadsPerRequest).
		#[pallet::constant]
		type MaxPayloads: Get<u32>;

		/// The most nonce commitments a party keeps pooled per keyring and suite.
		#[pallet::constant]
		type MaxPooledCommitments: Get<u32>;

		/// Blocks each DKG round may take.
		#[pallet::constant]
		type DkgRoundTimeout: Get<BlockNumberFor<Self>>;

		/// Blocks a signing attempt may take.
		#[pallet::constant]
		type ShareTimeout: Get<BlockNumberFor<Self>>;

		/// Blocks a party that let a signing attempt time out is passed over.
		#[pallet::constant]
		type SuspendBlocks: Get<BlockNumberFor<Self>>;

		/// Deadlines handled per block at most; later ones wait a block.
		#[pallet::constant]
		type MaxDeadlinesPerBlock: Get<u32>;

		/// Blocks each round of a threshold ECDSA ceremony may take.
		#[pallet::constant]
		type CeremonyRoundTimeout: Get<BlockNumberFor<Self>>;

		/// Presignatures kept pooled per threshold ECDSA key.
		#[pallet::constant]
		type PresignaturesPerKey: Get<u32>;

		/// Blocks a threshold ECDSA signature request waits for presignatures before it is
		/// rejected.
		#[pallet::constant]
		type PresignatureWait: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up other pallets for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The X25519 public key of each party, to which DKG shares for it are sealed.
	#[pallet::storage]
	pub type EncryptionKeys<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, [u8; 32]>;

	/// Key generations in progress, by key request.
	#[pallet::storage]
	pub type DkgSessions<T: Config> = StorageMap<_, Twox64Concat, RequestId, DkgSession<T>>;

	/// Round-1 packages of a key generation, by participant.
	#[pallet::storage]
	pub type DkgRound1<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RequestId,
		Twox64Concat,
		u16,
		BoundedVec<u8, ConstU32<MAX_ROUND1_SIZE>>,
	>;

	/// Sealed secret shares of a key generation, by sender: one per other participant, in
	/// participant order.
	#[pallet::storage]
	pub type DkgRound2<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RequestId,
		Twox64Concat,
		u16,
		BoundedVec<SealedShare, T::MaxParties>,
	>;

	/// Confirmations of a key generation, by participant, with the participant's sealed backup of
	/// its key share.
	#[pallet::storage]
	pub type DkgConfirmations<T: Config> =
		StorageDoubleMap<_, Twox64Concat, RequestId, Twox64Concat, u16, SealedShare>;

	/// Threshold keys, by key id.
	#[pallet::storage]
	pub type GroupKeys<T: Config> = StorageMap<_, Twox64Concat, KeyId, GroupKey<T>>;

	/// Each participant's key share, sealed to its own encryption key: what a party that lost
	/// its off-chain storage recovers from.
	#[pallet::storage]
	pub type ShareBackups<T: Config> =
		StorageDoubleMap<_, Twox64Concat, KeyId, Twox64Concat, u16, SealedShare>;

	/// Per threshold keyring: its keys plus its key generations in progress. Non-zero means its
	/// parties hold shares, which freezes its party set.
	#[pallet::storage]
	pub type KeyringShares<T: Config> = StorageMap<_, Twox64Concat, KeyringId, u32, ValueQuery>;

	/// Each party's pooled nonce commitments, per keyring and suite, oldest first.
	#[pallet::storage]
	pub type CommitmentPool<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		(KeyringId, Suite),
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<Commitment, T::MaxPooledCommitments>,
		ValueQuery,
	>;

	/// Signing attempts in progress, by signature request.
	#[pallet::storage]
	pub type SigningSessions<T: Config> = StorageMap<_, Twox64Concat, RequestId, SigningSession<T>>;

	/// Signature shares of the current attempt of a signature request, by participant.
	#[pallet::storage]
	pub type SignatureShares<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RequestId,
		Twox64Concat,
		u16,
		BoundedVec<SignatureShare, T::MaxPayloads>,
	>;

	/// Deadlines of ceremonies, by block; on_initialize sweeps them from NextDeadlineBlock.
	#[pallet::storage]
	pub type Deadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, RequestId, ()>;

	/// The first block whose deadlines may not all be handled yet.
	#[pallet::storage]
	pub type NextDeadlineBlock<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Each party's record per keyring.
	#[pallet::storage]
	pub type PartyStatus<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		KeyringId,
		Blake2_128Concat,
		T::AccountId,
		PartyRecord<BlockNumberFor<T>>,
		ValueQuery,
	>;

	/// The open tasks of each party, by request: its off-chain worker's to-do list.
	#[pallet::storage]
	pub type PartyTasks<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, RequestId, Task>;

	/// Threshold ECDSA keyrings, once a party announced readiness.
	#[pallet::storage]
	pub type EcdsaKeyrings<T: Config> = StorageMap<_, Twox64Concat, KeyringId, EcdsaKeyring<T>>;

	/// The parties of a threshold ECDSA keyring that announced they can start its setup.
	#[pallet::storage]
	pub type EcdsaReadiness<T: Config> =
		StorageDoubleMap<_, Twox64Concat, KeyringId, Blake2_128Concat, T::AccountId, ()>;

	/// Threshold ECDSA ceremonies in progress.
	#[pallet::storage]
	pub type Ceremonies<T: Config> = StorageMap<_, Twox64Concat, CeremonyId, Ceremony<T>>;

	/// The id of the next ceremony.
	#[pallet::storage]
	pub type NextCeremonyId<T: Config> = StorageValue<_, CeremonyId, ValueQuery>;

	/// Message bundles of a ceremony, by (ceremony, round) and sender position.
	#[pallet::storage]
	pub type CeremonyBundles<T: Config> =
		StorageDoubleMap<_, Twox64Concat, (CeremonyId, u8), Twox64Concat, u16, BundleOf>;

	/// Outputs reported in a ceremony's output round, by participant position.
	#[pallet::storage]
	pub type CeremonyOutputs<T: Config> =
		StorageDoubleMap<_, Twox64Concat, CeremonyId, Twox64Concat, u16, CeremonyOutput>;

	/// The ceremonies each party takes part in: its node's to-do list.
	#[pallet::storage]
	pub type CeremonyTasks<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, CeremonyId, ()>;

	/// Round deadlines of ceremonies, by block (swept with Deadlines).
	#[pallet::storage]
	pub type CeremonyDeadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, CeremonyId, ()>;

	/// Threshold ECDSA keys, by key id.
	#[pallet::storage]
	pub type EcdsaKeys<T: Config> = StorageMap<_, Twox64Concat, KeyId, EcdsaKey>;

	/// Pooled presignatures of each key, by the ceremony that made them.
	#[pallet::storage]
	pub type Presignatures<T: Config> =
		StorageDoubleMap<_, Twox64Concat, KeyId, Twox64Concat, CeremonyId, PooledPresignature<T>>;

	/// The presignature pool of each threshold ECDSA key.
	#[pallet::storage]
	pub type PresignaturePools<T: Config> = StorageMap<_, Twox64Concat, KeyId, PresignaturePool<T>>;

	/// Threshold ECDSA signing in progress (or waiting for presignatures), by request.
	#[pallet::storage]
	pub type EcdsaSigningSessions<T: Config> =
		StorageMap<_, Twox64Concat, RequestId, EcdsaSigning<T>>;

	/// Requests waiting for presignatures of a key, oldest first by request id.
	#[pallet::storage]
	pub type WaitingForPresignatures<T: Config> =
		StorageDoubleMap<_, Twox64Concat, KeyId, Twox64Concat, RequestId, ()>;

	/// Partial signatures of the current ECDSA attempt of a request, by signer key-share index.
	#[pallet::storage]
	pub type PartialSignatures<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RequestId,
		Twox64Concat,
		u16,
		BoundedVec<[u8; 32], T::MaxPayloads>,
	>;

	/// Events of the MPC pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A party set its encryption key.
		EncryptionKeyRegistered { party: T::AccountId, key: [u8; 32] },
		/// A party added nonce commitments to its pool, which now holds this many (pooled).
		CommitmentsPublished { keyring: KeyringId, suite: Suite, party: T::AccountId, pooled: u32 },
		/// A party emptied its pool.
		CommitmentsReset { keyring: KeyringId, suite: Suite, party: T::AccountId },
		/// A key generation started among this many participants, a threshold of whom will sign.
		DkgStarted {
			request: RequestId,
			keyring: KeyringId,
			suite: Suite,
			participants: u16,
			threshold: u16,
		},
		/// Every participant published its round-1 package.
		DkgRound1Completed { request: RequestId },
		/// Every participant published its sealed shares.
		DkgRound2Completed { request: RequestId, group_key: [u8; 32] },
		/// Every participant confirmed the group key: the key exists.
		DkgCompleted { request: RequestId, key: KeyId, group_key: [u8; 32] },
		/// A key generation failed; the request is rejected with this reason and refunded.
		DkgFailed { request: RequestId, reason: Reason },
		/// A signing attempt chose these signers (participant indexes).
		SigningStarted { request: RequestId, key: KeyId, attempt: u8, signers: Vec<u16> },
		/// A signing attempt produced valid signatures, now stored by the treasury.
		SigningCompleted { request: RequestId, attempt: u8 },
		/// A signature request could not be signed; it is rejected with this reason.
		SigningFailed { request: RequestId, reason: Reason },
		/// A party let a ceremony time out.
		PartyTimedOut { keyring: KeyringId, party: T::AccountId, request: RequestId },
		/// A signer's share was checked on chain and is invalid: the party is faulty.
		InvalidShareProven { keyring: KeyringId, party: T::AccountId, request: RequestId },
		/// A party of a threshold ECDSA keyring is ready for its setup.
		EcdsaReadyAnnounced { keyring: KeyringId, party: T::AccountId },
		/// A threshold ECDSA ceremony started among these key-share indexes.
		CeremonyStarted {
			ceremony: CeremonyId,
			keyring: KeyringId,
			kind: CeremonyKind,
			participants: Vec<u16>,
		},
		/// Every participant submitted the previous round: this one started (the round after
		/// the last message round is the output round).
		CeremonyRoundStarted { ceremony: CeremonyId, round: u8 },
		/// Every participant reported the same output: the result is kept.
		CeremonyCompleted { ceremony: CeremonyId },
		/// A ceremony failed; the culprit is the silent or accused key-share index, if known.
		CeremonyFailed { ceremony: CeremonyId, culprit: Option<u16>, reason: Reason },
		/// A party let a round of a threshold ECDSA ceremony time out: it is suspended.
		CeremonyPartyTimedOut { keyring: KeyringId, party: T::AccountId, ceremony: CeremonyId },
		/// A threshold ECDSA keyring has its auxiliary info and master key: it makes keys.
		EcdsaKeyringReady { keyring: KeyringId, master_key: [u8; 33] },
	}

	/// Errors of the MPC pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not a party of the keyring.
		NotKeyringParty,
		/// No key generation or signing attempt is in progress for this request.
		UnknownSession,
		/// The caller does not take part in this ceremony.
		NotParticipant,
		/// The ceremony is not in the round this message belongs to.
		WrongPhase,
		/// The caller already submitted for this round.
		AlreadySubmitted,
		/// The round's deadline has passed.
		TooLate,
		/// The round-1 package is malformed or its proof of knowledge does not verify.
		InvalidRound1Package,
		/// Round 2 needs exactly one sealed share per other participant.
		WrongShareCount,
		/// The confirmed group key is not the one the chain computed.
		WrongGroupKey,
		/// The accused party is not another participant of the key generation.
		InvalidAccusation,
		/// Threshold keyrings make Ed25519 and Bitcoin Taproot keys only.
		UnsupportedKeyType,
		/// The key is not a threshold key of this keyring.
		UnknownThresholdKey,
		/// Fewer than the threshold of the key's parties have pooled commitments and are neither
		/// suspended nor faulty.
		NotEnoughSigners,
		/// A commitment is malformed (the suite's two points).
		InvalidCommitment,
		/// The pool would exceed MaxPooledCommitments.
		PoolFull,
		/// No commitments given, or more than MaxPooledCommitments.
		WrongCommitmentCount,
		/// This signing attempt is over (a newer one replaced it).
		WrongAttempt,
		/// A signer must submit one share per payload, each a canonical scalar.
		InvalidSignatureShares,
		/// A party of the keyring has no encryption key registered.
		MissingEncryptionKey,
		/// The keyring has more parties than MaxParties, or fewer than its threshold.
		InvalidParties,
		/// The threshold ECDSA keyring is not set up yet (its auxiliary info or master key is
		/// still being made).
		EcdsaSetupPending,
		/// The threshold ECDSA keyring is already set up, or its setup is running.
		EcdsaAlreadySetUp,
		/// Threshold ECDSA signs only payloads the chain computed from a transaction (EVM,
		/// Bitcoin P2WPKH): a raw hash could be a forgery's target.
		PreimageRequired,
		/// No threshold ECDSA ceremony has this id.
		UnknownCeremony,
		/// The bundle is not a valid encoding, or a direct message has no valid recipient.
		InvalidBundle,
		/// The output is malformed for the ceremony's kind.
		InvalidOutput,
		/// The caller (or the accused) is not a participant of the ceremony.
		NotCeremonyParticipant,
		/// The call is for another kind of threshold keyring (nonce commitments are FROST's).
		WrongBackend,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let handled = Self::sweep_deadlines(now);
			// The benchmark measures failing key generations; a signing deadline may instead
			// start another attempt, which costs at most what a new signature request does.
			// A ceremony deadline fails the ceremony and refills a pool, as an abort does.
			let retry = Self::signature_requested_weight(T::MaxPayloads::get())
				.max(T::WeightInfo::report_ceremony_abort(ECDSA_MAX_PARTIES));
			T::WeightInfo::on_initialize_deadlines(handled)
				.saturating_add(retry.saturating_mul(handled.into()))
		}

		fn integrity_test() {
			assert!(
				(2..=PARTIES_BOUND).contains(&T::MaxParties::get()),
				"MaxParties must be within 2..=PARTIES_BOUND"
			);
			assert!(T::MaxPayloads::get() >= 1, "a signature request has a payload");
			assert!(T::MaxDeadlinesPerBlock::get() >= 1, "the sweep must make progress");
			assert!(T::PresignaturesPerKey::get() >= 1, "a key keeps presignatures pooled");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Set the caller's X25519 public key, to which key-generation shares for it are sealed.
		///
		/// The caller must be a party of some keyring. Replacing a key makes shares sealed to the
		/// old one unreadable to the caller: register before key generations start. Emits
		/// EncryptionKeyRegistered.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_encryption_key())]
		pub fn register_encryption_key(origin: OriginFor<T>, key: [u8; 32]) -> DispatchResult {
			let party = ensure_signed(origin)?;
			EncryptionKeys::<T>::insert(&party, key);
			Self::deposit_event(Event::EncryptionKeyRegistered { party, key });
			Ok(())
		}

		/// Add nonce commitments (each the suite's hiding ‖ binding points) to the caller's pool
		/// for keyring and suite, oldest first. The caller must be a party of the keyring;
		/// the pool holds at most MaxPooledCommitments. Emits CommitmentsPublished.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::publish_commitments(commitments.len() as u32))]
		pub fn publish_commitments(
			origin: OriginFor<T>,
			keyring: KeyringId,
			suite: Suite,
			commitments: Vec<Vec<u8>>,
		) -> DispatchResult {
			let party = ensure_signed(origin)?;
			ensure!(
				!commitments.is_empty()
					&& commitments.len() <= T::MaxPooledCommitments::get() as usize,
				Error::<T>::WrongCommitmentCount
			);
			ensure!(T::Keyrings::is_party(keyring, &party), Error::<T>::NotKeyringParty);
			ensure!(
				threshold_backend::<T>(keyring) == Some(KeyringBackend::Frost),
				Error::<T>::WrongBackend
			);
			let pooled = CommitmentPool::<T>::try_mutate((keyring, suite), &party, |pool| {
				for commitment in commitments {
					zenrock_mpc_core::validate_commitment(suite, &commitment)
						.map_err(|_| Error::<T>::InvalidCommitment)?;
					let commitment: Commitment =
						commitment.try_into().map_err(|_| Error::<T>::InvalidCommitment)?;
					pool.try_push(commitment).map_err(|_| Error::<T>::PoolFull)?;
				}
				Ok::<u32, DispatchError>(pool.len() as u32)
			})?;
			Self::deposit_event(Event::CommitmentsPublished { keyring, suite, party, pooled });
			Ok(())
		}

		/// Empty the caller's pool for keyring and suite (its worker lost the nonces).
		/// Emits CommitmentsReset.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reset_commitments())]
		pub fn reset_commitments(
			origin: OriginFor<T>,
			keyring: KeyringId,
			suite: Suite,
		) -> DispatchResult {
			let party = ensure_signed(origin)?;
			CommitmentPool::<T>::remove((keyring, suite), &party);
			Self::deposit_event(Event::CommitmentsReset { keyring, suite, party });
			Ok(())
		}

		/// Publish the caller's round-1 package of the key generation of the given key request
		/// (t commitments and a proof of knowledge, in the suite's encoding). The proof is
		/// checked: an invalid package is refused. When every participant has published, round 2
		/// starts (DkgRound1Completed).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::submit_dkg_round1(T::MaxParties::get()))]
		pub fn submit_dkg_round1(
			origin: OriginFor<T>,
			request: RequestId,
			package: Vec<u8>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (mut session, participant) = Self::dkg_turn(request, &who, DkgPhase::Round1)?;
			// Charged for the session's parties, not the most any keyring may have.
			let count = session.participants.len() as u32;
			ensure!(
				!DkgRound1::<T>::contains_key(request, participant),
				Error::<T>::AlreadySubmitted
			);
			zenrock_mpc_core::verify_round1_package(
				session.suite,
				participant,
				session.threshold,
				&package,
			)
			.map_err(|_| Error::<T>::InvalidRound1Package)?;
			let package: BoundedVec<u8, ConstU32<MAX_ROUND1_SIZE>> =
				package.try_into().map_err(|_| Error::<T>::InvalidRound1Package)?;
			DkgRound1::<T>::insert(request, participant, package);
			session.submitted = session.submitted.saturating_add(1);
			if usize::from(session.submitted) == session.participants.len() {
				let public = Self::group_public_from_round1(request, &session)?;
				session.public = Some(public);
				Self::next_round(request, &mut session, DkgPhase::Round2);
				Self::deposit_event(Event::DkgRound1Completed { request });
			}
			DkgSessions::<T>::insert(request, session);
			Ok(Some(T::WeightInfo::submit_dkg_round1(count)).into())
		}

		/// Publish the caller's secret shares for the other participants of the key generation
		/// of the request, each sealed to its recipient's encryption key, in participant order
		/// (without the caller). When every participant has published, the confirmation round
		/// starts (DkgRound2Completed, with the group key the chain computed).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::submit_dkg_round2(T::MaxParties::get()))]
		pub fn submit_dkg_round2(
			origin: OriginFor<T>,
			request: RequestId,
			shares: Vec<SealedShare>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (mut session, participant) = Self::dkg_turn(request, &who, DkgPhase::Round2)?;
			// Charged for the session's parties, not the most any keyring may have.
			let count = session.participants.len() as u32;
			ensure!(
				!DkgRound2::<T>::contains_key(request, participant),
				Error::<T>::AlreadySubmitted
			);
			ensure!(
				shares.len().saturating_add(1) == session.participants.len(),
				Error::<T>::WrongShareCount
			);
			let shares: BoundedVec<SealedShare, T::MaxParties> =
				shares.try_into().map_err(|_| Error::<T>::WrongShareCount)?;
			DkgRound2::<T>::insert(request, participant, shares);
			session.submitted = session.submitted.saturating_add(1);
			if usize::from(session.submitted) == session.participants.len() {
				Self::next_round(request, &mut session, DkgPhase::Confirm);
				let group_key = Self::session_public(&session)?.group_key();
				Self::deposit_event(Event::DkgRound2Completed { request, group_key });
			}
			DkgSessions::<T>::insert(request, session);
			Ok(Some(T::WeightInfo::submit_dkg_round2(count)).into())
		}

		/// Confirm the group key of the request's key generation after checking one's shares,
		/// with one's key share sealed to one's own encryption key as a backup. A group key other
		/// than the chain's is refused (WrongGroupKey). When every participant has confirmed, the
		/// key is created (the treasury fulfils the key request and pays the keyring) and
		/// DkgCompleted is emitted.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::confirm_dkg(T::MaxParties::get()))]
		pub fn confirm_dkg(
			origin: OriginFor<T>,
			request: RequestId,
			group_key: [u8; 32],
			backup: SealedShare,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (mut session, participant) = Self::dkg_turn(request, &who, DkgPhase::Confirm)?;
			// Charged for the session's parties, not the most any keyring may have.
			let count = session.participants.len() as u32;
			ensure!(
				!DkgConfirmations::<T>::contains_key(request, participant),
				Error::<T>::AlreadySubmitted
			);
			let public = Self::session_public(&session)?;
			ensure!(public.group_key() == group_key, Error::<T>::WrongGroupKey);
			DkgConfirmations::<T>::insert(request, participant, backup);
			session.submitted = session.submitted.saturating_add(1);
			if usize::from(session.submitted) < session.participants.len() {
				DkgSessions::<T>::insert(request, session);
				return Ok(Some(T::WeightInfo::confirm_dkg(count)).into());
			}
			Self::complete_dkg(request, session, group_key);
			Ok(Some(T::WeightInfo::confirm_dkg(count)).into())
		}

		/// Report that the secret share the accused participant sent the caller in the key generation of
		/// the request fails its check against the accused's round-1 commitments. The key generation
		/// fails (both parties are named in the reason) and the request is refunded: a key that
		/// one participant cannot use is no key.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::complain_dkg(T::MaxParties::get()))]
		pub fn complain_dkg(
			origin: OriginFor<T>,
			request: RequestId,
			accused: u16,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (session, participant) = Self::dkg_turn(request, &who, DkgPhase::Confirm)?;
			let count = session.participants.len() as u32;
			ensure!(
				accused != participant
					&& accused >= 1 && usize::from(accused) <= session.participants.len(),
				Error::<T>::InvalidAccusation
			);
			let reason = format!("dkg: party {accused} accused by {participant}");
			Self::fail_dkg(request, session, reason.as_bytes());
			Ok(Some(T::WeightInfo::complain_dkg(count)).into())
		}

		/// Submit the caller's signature shares for the given attempt of the signature request
		/// (one per payload, in order). Only the attempt's chosen signers, once each,
		/// before its deadline. With the last signer's shares the chain aggregates and the
		/// treasury verifies the signatures: SigningCompleted; if they do not verify, the signers
		/// whose shares are invalid are marked faulty (InvalidShareProven) and a new attempt
		/// starts.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::submit_signature_shares(
			T::MaxParties::get(),
			shares.len() as u32
		))]
		pub fn submit_signature_shares(
			origin: OriginFor<T>,
			request: RequestId,
			attempt: u8,
			shares: Vec<SignatureShare>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut session =
				SigningSessions::<T>::get(request).ok_or(Error::<T>::UnknownSession)?;
			ensure!(session.attempt == attempt, Error::<T>::WrongAttempt);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now < session.deadline, Error::<T>::TooLate);
			let signer = session
				.signers
				.iter()
				.find(|signer| signer.account == who)
				.ok_or(Error::<T>::NotParticipant)?;
			let participant = signer.participant;
			ensure!(
				!SignatureShares::<T>::contains_key(request, participant),
				Error::<T>::AlreadySubmitted
			);
			ensure!(shares.len() == signer.commitments.len(), Error::<T>::InvalidSignatureShares);
			let key = GroupKeys::<T>::get(session.key).ok_or(Error::<T>::UnknownThresholdKey)?;
			// Charged for this key's parties (the benchmark's `n` parties have `n - 1` signers).
			let count = (key.participants.len() as u32)
				.max(session.signers.len().saturating_add(1) as u32)
				.min(T::MaxParties::get());
			let payloads = shares.len() as u32;
			for share in &shares {
				zenrock_mpc_core::validate_signature_share(key.suite, share)
					.map_err(|_| Error::<T>::InvalidSignatureShares)?;
			}
			let shares: BoundedVec<SignatureShare, T::MaxPayloads> =
				shares.try_into().map_err(|_| Error::<T>::InvalidSignatureShares)?;
			SignatureShares::<T>::insert(request, participant, shares);
			PartyTasks::<T>::remove(&who, request);
			session.submitted = session.submitted.saturating_add(1);
			if usize::from(session.submitted) < session.signers.len() {
				SigningSessions::<T>::insert(request, session);
				return Ok(
					Some(T::WeightInfo::submit_signature_shares_stored(count, payloads)).into()
				);
			}
			let weight = if Self::finish_signing(request, session, key) {
				T::WeightInfo::submit_signature_shares_signed(count, payloads)
			} else {
				T::WeightInfo::submit_signature_shares(count, payloads)
			};
			Ok(Some(weight).into())
		}

		/// Announce that the caller, a party of the given threshold ECDSA keyring, is ready for
		/// the keyring's setup (its node holds its Paillier primes). When every party has
		/// announced, the auxiliary-info and master-key ceremonies start (CeremonyStarted).
		/// Refused once the keyring is set up or its setup runs. Emits EcdsaReadyAnnounced.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::announce_ecdsa_ready(ECDSA_MAX_PARTIES))]
		pub fn announce_ecdsa_ready(origin: OriginFor<T>, keyring: KeyringId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				threshold_backend::<T>(keyring) == Some(KeyringBackend::ThresholdEcdsa),
				Error::<T>::NotKeyringParty
			);
			let mut record = Self::ecdsa_keyring(keyring)?;
			ensure!(record.participants.contains(&who), Error::<T>::NotKeyringParty);
			ensure!(
				record.setup.is_empty() && record.ready_master().is_none(),
				Error::<T>::EcdsaAlreadySetUp
			);
			for party in &record.participants {
				ensure!(EncryptionKeys::<T>::contains_key(party), Error::<T>::MissingEncryptionKey);
			}
			EcdsaReadiness::<T>::insert(keyring, &who, ());
			Self::deposit_event(Event::EcdsaReadyAnnounced { keyring, party: who });
			let all_ready = record
				.participants
				.iter()
				.all(|party| EcdsaReadiness::<T>::contains_key(keyring, party));
			if all_ready {
				let _ = EcdsaReadiness::<T>::clear_prefix(keyring, u32::MAX, None);
				if !Self::holds_shares(keyring) {
					KeyringShares::<T>::mutate(keyring, |count| *count = count.saturating_add(1));
				}
				let indexes: BoundedVec<u16, T::MaxParties> = BoundedVec::truncate_from(
					(1..=record.participants.len() as u16).collect::<Vec<_>>(),
				);
				// A repeated setup keeps what an earlier attempt made.
				let mut kinds = Vec::new();
				if !record.aux_ready {
					kinds.push(CeremonyKind::AuxInfo);
				}
				if record.master.is_none() {
					kinds.push(CeremonyKind::MasterKey);
				}
				for kind in kinds {
					let id = Self::open_ceremony(
						keyring,
						kind,
						record.participants.clone(),
						indexes.clone(),
					);
					let _ = record.setup.try_push(id);
				}
			}
			EcdsaKeyrings::<T>::insert(keyring, record);
			Ok(())
		}

		/// Submit the caller's messages of the given round of a threshold ECDSA ceremony: a
		/// SCALE-encoded EcdsaBundle (broadcast messages, and direct messages sealed to their
		/// recipients), at most MAX_BUNDLE_SIZE bytes. Only participants, once
		/// per round, in the ceremony's current round and before its deadline. When every
		/// participant has submitted, the next round starts (CeremonyRoundStarted).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::submit_ceremony_bundle(bundle.len() as u32))]
		pub fn submit_ceremony_bundle(
			origin: OriginFor<T>,
			ceremony: CeremonyId,
			round: u8,
			bundle: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (mut record, position) = Self::ceremony_turn(ceremony, &who, round)?;
			ensure!(round <= CEREMONY_ROUNDS, Error::<T>::WrongPhase);
			ensure!(
				!CeremonyBundles::<T>::contains_key((ceremony, round), position),
				Error::<T>::AlreadySubmitted
			);
			let bounded: BundleOf = bundle.try_into().map_err(|_| Error::<T>::InvalidBundle)?;
			ensure!(
				EcdsaBundle::decode_checked(&bounded, record.size(), position).is_some(),
				Error::<T>::InvalidBundle
			);
			CeremonyBundles::<T>::insert((ceremony, round), position, bounded);
			record.submitted = record.submitted.saturating_add(1);
			if record.submitted >= record.size() {
				Self::next_ceremony_round(ceremony, &mut record);
			}
			Ceremonies::<T>::insert(ceremony, record);
			Ok(())
		}

		/// Report the caller's result of a threshold ECDSA ceremony in its output round: a 32-byte digest of the auxiliary info, the master key (compressed key ‖ chain
		/// code) or a presignature's public data (for its signers). When every participant has
		/// reported the same output, the result is kept (CeremonyCompleted); a different output
		/// fails the ceremony.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::submit_ceremony_output(ECDSA_MAX_PARTIES))]
		pub fn submit_ceremony_output(
			origin: OriginFor<T>,
			ceremony: CeremonyId,
			output: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (mut record, position) =
				Self::ceremony_turn(ceremony, &who, CEREMONY_ROUNDS.saturating_add(1))?;
			ensure!(
				!CeremonyOutputs::<T>::contains_key(ceremony, position),
				Error::<T>::AlreadySubmitted
			);
			let valid = match record.kind {
				CeremonyKind::AuxInfo => output.len() == ecdsa::AUX_DIGEST_SIZE,
				CeremonyKind::MasterKey => {
					zenrock_mpc_core::ecdsa::MasterKey::decode(&output).is_ok()
				}
				CeremonyKind::Presignature { .. } => {
					zenrock_mpc_core::ecdsa::PresignaturePublic::decode(
						&output,
						record.participants.len(),
					)
					.is_ok()
				}
			};
			ensure!(valid, Error::<T>::InvalidOutput);
			let first = CeremonyOutputs::<T>::iter_prefix_values(ceremony).next();
			if first.as_ref().is_some_and(|first| first.as_slice() != output.as_slice()) {
				let reason = b"ceremony: outputs differ";
				Self::fail_ceremony(ceremony, record, None, reason);
				return Ok(());
			}
			let bounded: CeremonyOutput =
				output.clone().try_into().map_err(|_| Error::<T>::InvalidOutput)?;
			CeremonyOutputs::<T>::insert(ceremony, position, bounded);
			record.submitted = record.submitted.saturating_add(1);
			if record.submitted >= record.size() {
				Self::complete_ceremony(ceremony, record, output);
			} else {
				Ceremonies::<T>::insert(ceremony, record);
			}
			Ok(())
		}

		/// Report that the caller's protocol run of the ceremony aborted, naming the
		/// participant (position, 1-based) whose message failed its check if known. The
		/// ceremony fails (CeremonyFailed): the chain cannot check the accusation, so no one is
		/// marked faulty; a setup is retried when the parties announce again, a pool is refilled.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::report_ceremony_abort(ECDSA_MAX_PARTIES))]
		pub fn report_ceremony_abort(
			origin: OriginFor<T>,
			ceremony: CeremonyId,
			accused: Option<u16>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let record = Ceremonies::<T>::get(ceremony).ok_or(Error::<T>::UnknownCeremony)?;
			let position = record.position(&who).ok_or(Error::<T>::NotCeremonyParticipant)?;
			let culprit = match accused {
				Some(accused) => {
					ensure!(
						accused != position && (1..=record.size()).contains(&accused),
						Error::<T>::NotCeremonyParticipant
					);
					record.indexes.get(usize::from(accused).saturating_sub(1)).copied()
				}
				None => None,
			};
			let reporter = record.indexes.get(usize::from(position).saturating_sub(1)).copied();
			let reason = format!("ceremony: aborted by party {}", reporter.unwrap_or(0));
			Self::fail_ceremony(ceremony, record, culprit, reason.as_bytes());
			Ok(())
		}

		/// Submit the caller's partial signatures for the given attempt of a threshold ECDSA
		/// signature request, one 32-byte scalar per payload in order. Only the
		/// attempt's signers, once each, before its deadline. Each is checked against its
		/// presignature's public data: an invalid one proves the caller faulty
		/// (InvalidShareProven) and another attempt starts. With the last signer's partial
		/// signatures the chain combines the signatures and the treasury stores them
		/// (SigningCompleted).
		#[pallet::call_index(12)]
		#[pallet::weight(
			Pallet::<T>::partial_signatures_weight(ECDSA_MAX_PARTIES, partials.len() as u32, true)
				.max(
					Pallet::<T>::partial_signatures_weight(
						ECDSA_MAX_PARTIES,
						partials.len() as u32,
						false,
					)
					.saturating_add(Pallet::<T>::signature_requested_weight(partials.len() as u32)),
				)
		)]
		pub fn submit_partial_signatures(
			origin: OriginFor<T>,
			request: RequestId,
			attempt: u8,
			partials: Vec<[u8; 32]>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut session =
				EcdsaSigningSessions::<T>::get(request).ok_or(Error::<T>::UnknownSession)?;
			ensure!(session.attempt == attempt && !session.waiting(), Error::<T>::WrongAttempt);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now < session.deadline, Error::<T>::TooLate);
			let position = session
				.signers
				.iter()
				.position(|account| *account == who)
				.ok_or(Error::<T>::NotParticipant)?;
			let index = *session.indexes.get(position).ok_or(Error::<T>::NotParticipant)?;
			ensure!(
				!PartialSignatures::<T>::contains_key(request, index),
				Error::<T>::AlreadySubmitted
			);
			ensure!(
				partials.len() == session.presignatures.len(),
				Error::<T>::InvalidSignatureShares
			);
			let payloads = T::Results::sign_payloads(request).ok_or(Error::<T>::UnknownSession)?;
			let signers = session.indexes.len();
			let mut valid = true;
			for ((partial, payload), public) in partials.iter().zip(&payloads).zip(&session.publics)
			{
				let digest: Option<[u8; 32]> = payload.as_slice().try_into().ok();
				let public = zenrock_mpc_core::ecdsa::PresignaturePublic::decode(public, signers);
				valid &= match (digest, public) {
					(Some(digest), Ok(public)) => {
						public.verify_partial(position, &digest, partial).is_ok()
					}
					_ => false,
				};
			}
			let count = signers as u32;
			let payload_count = partials.len() as u32;
			if !valid {
				let keyring = EcdsaKeys::<T>::get(session.key).map(|key| key.keyring).unwrap_or(0);
				PartyStatus::<T>::mutate(keyring, &who, |record| record.faulty = true);
				Self::deposit_event(Event::InvalidShareProven { keyring, party: who, request });
				Self::retry_ecdsa(request, session);
				// Refunded to the invalid path: the checks and a new attempt.
				let retry = Self::signature_requested_weight(payload_count);
				let weight = Self::partial_signatures_weight(count, payload_count, false);
				return Ok(Some(weight.saturating_add(retry)).into());
			}
			let partials: BoundedVec<[u8; 32], T::MaxPayloads> =
				partials.try_into().map_err(|_| Error::<T>::InvalidSignatureShares)?;
			PartialSignatures::<T>::insert(request, index, partials);
			PartyTasks::<T>::remove(&who, request);
			session.submitted = session.submitted.saturating_add(1);
			if usize::from(session.submitted) < signers {
				EcdsaSigningSessions::<T>::insert(request, session);
				return Ok(
					Some(Self::partial_signatures_weight(count, payload_count, false)).into()
				);
			}
			Self::finish_ecdsa(request, session);
			Ok(Some(Self::partial_signatures_weight(count, payload_count, true)).into())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// What submit_partial_signatures costs: the benchmark signs one payload, each payload's
	/// checks are added; `last`: the last signer, who combines and verifies.
	fn partial_signatures_weight(signers: u32, payloads: u32, last: bool) -> Weight {
		let call = if last {
			T::WeightInfo::submit_partial_signatures(signers)
		} else {
			T::WeightInfo::submit_partial_signatures_stored(signers)
		};
		call.saturating_add(T::WeightInfo::ecdsa_payload_checks(payloads))
	}

	/// Ceremony `id` in round `round` before its deadline, and `who`'s position in it.
	fn ceremony_turn(
		id: CeremonyId,
		who: &T::AccountId,
		round: u8,
	) -> Result<(Ceremony<T>, u16), DispatchError> {
		let ceremony = Ceremonies::<T>::get(id).ok_or(Error::<T>::UnknownCeremony)?;
		let position = ceremony.position(who).ok_or(Error::<T>::NotCeremonyParticipant)?;
		ensure!(ceremony.round == round, Error::<T>::WrongPhase);
		ensure!(frame_system::Pallet::<T>::block_number() < ceremony.deadline, Error::<T>::TooLate);
		Ok((ceremony, position))
	}

	/// The DKG session of `request` in `phase` before its deadline, and `who`'s participant index.
	fn dkg_turn(
		request: RequestId,
		who: &T::AccountId,
		phase: DkgPhase,
	) -> Result<(DkgSession<T>, u16), DispatchError> {
		let session = DkgSessions::<T>::get(request).ok_or(Error::<T>::UnknownSession)?;
		let participant = Self::participant_index(&session.participants, who)
			.ok_or(Error::<T>::NotParticipant)?;
		ensure!(session.phase == phase, Error::<T>::WrongPhase);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now < session.deadline, Error::<T>::TooLate);
		Ok((session, participant))
	}

	/// The 1-based index of `who` among `participants`.
	fn participant_index(participants: &[T::AccountId], who: &T::AccountId) -> Option<u16> {
		let position = participants.iter().position(|account| account == who)?;
		u16::try_from(position.saturating_add(1)).ok()
	}

	/// The decoded group public data of a session past round 1.
	fn session_public(session: &DkgSession<T>) -> Result<GroupPublic, DispatchError> {
		let encoded = session.public.as_ref().ok_or(Error::<T>::WrongPhase)?;
		GroupPublic::decode(&mut &encoded[..]).map_err(|_| Error::<T>::WrongPhase.into())
	}

	/// The group's public data, computed from every round-1 package of `request`.
	fn group_public_from_round1(
		request: RequestId,
		session: &DkgSession<T>,
	) -> Result<BoundedVec<u8, ConstU32<MAX_GROUP_PUBLIC_SIZE>>, DispatchError> {
		let packages: Vec<(u16, BoundedVec<u8, ConstU32<MAX_ROUND1_SIZE>>)> =
			DkgRound1::<T>::iter_prefix(request).collect();
		let borrowed: Vec<(u16, &[u8])> =
			packages.iter().map(|(participant, package)| (*participant, &package[..])).collect();
		let public =
			zenrock_mpc_core::dkg_public_output(session.suite, session.threshold, &borrowed)
				.map_err(|_| Error::<T>::InvalidRound1Package)?;
		public.encode().try_into().map_err(|_| Error::<T>::InvalidParties.into())
	}

	/// Start the next DKG round with a fresh deadline.
	fn next_round(request: RequestId, session: &mut DkgSession<T>, phase: DkgPhase) {
		Deadlines::<T>::remove(session.deadline, request);
		let now = frame_system::Pallet::<T>::block_number();
		session.phase = phase;
		session.submitted = 0;
		session.deadline = now.saturating_add(T::DkgRoundTimeout::get());
		Deadlines::<T>::insert(session.deadline, request, ());
	}

	/// Every participant confirmed: create the key through the treasury and keep what signing
	/// and recovery need.
	fn complete_dkg(request: RequestId, session: DkgSession<T>, group_key: [u8; 32]) {
		match T::Results::fulfil_key(request, &group_key) {
			Ok(key) => {
				if let Some(public) = session.public.clone() {
					GroupKeys::<T>::insert(
						key,
						GroupKey {
							keyring: session.keyring,
							suite: session.suite,
							participants: session.participants.clone(),
							public,
						},
					);
				}
				for (participant, backup) in DkgConfirmations::<T>::drain_prefix(request) {
					ShareBackups::<T>::insert(key, participant, backup);
				}
				Self::clear_dkg(request, &session);
				Self::deposit_event(Event::DkgCompleted { request, key, group_key });
			}
			Err(error) => {
				// The request expired, or the key is already in use: the treasury refused it.
				log::warn!(
					target: LOG_TARGET,
					"key generation of request {request} completed but the key was refused: {error:?}"
				);
				Self::release_keyring_share(session.keyring);
				Self::clear_dkg(request, &session);
				Self::deposit_event(Event::DkgFailed {
					request,
					reason: Self::reason(b"dkg: key refused by the treasury"),
				});
			}
		}
	}

	/// Fail a key generation: reject its request with `reason` and drop its data.
	fn fail_dkg(request: RequestId, session: DkgSession<T>, reason: &[u8]) {
		if let Err(error) = T::Results::reject(request, reason) {
			// Already decided or expired: the treasury refunded it then.
			log::debug!(target: LOG_TARGET, "key request {request} not rejected: {error:?}");
		}
		Self::release_keyring_share(session.keyring);
		Self::clear_dkg(request, &session);
		Self::deposit_event(Event::DkgFailed { request, reason: Self::reason(reason) });
	}

	fn release_keyring_share(keyring: KeyringId) {
		KeyringShares::<T>::mutate(keyring, |count| *count = count.saturating_sub(1));
	}

	/// Remove a key generation's round data, deadline and tasks.
	fn clear_dkg(request: RequestId, session: &DkgSession<T>) {
		let _ = DkgRound1::<T>::clear_prefix(request, u32::MAX, None);
		let _ = DkgRound2::<T>::clear_prefix(request, u32::MAX, None);
		let _ = DkgConfirmations::<T>::clear_prefix(request, u32::MAX, None);
		Deadlines::<T>::remove(session.deadline, request);
		for account in &session.participants {
			PartyTasks::<T>::remove(account, request);
		}
		DkgSessions::<T>::remove(request);
	}

	fn reason(text: &[u8]) -> Reason {
		Reason::truncate_from(text.to_vec())
	}

	/// Aggregate the shares of a complete attempt and hand the signatures to the treasury; on
	/// failure blame the invalid shares and start another attempt. Whether the signatures were
	/// stored.
	fn finish_signing(
		request: RequestId,
		mut session: SigningSession<T>,
		key: GroupKey<T>,
	) -> bool {
		// Both outcomes clear the attempt's shares.
		match Self::aggregate_attempt(request, &session, &key) {
			Ok(()) => {
				Self::clear_signing(request, &session);
				Self::deposit_event(Event::SigningCompleted { request, attempt: session.attempt });
				true
			}
			Err(culprits) => {
				for participant in culprits {
					let Some(account) =
						key.participants.get(usize::from(participant).saturating_sub(1))
					else {
						continue;
					};
					PartyStatus::<T>::mutate(key.keyring, account, |record| record.faulty = true);
					let _ = session.excluded.try_push(participant);
					Self::deposit_event(Event::InvalidShareProven {
						keyring: key.keyring,
						party: account.clone(),
						request,
					});
				}
				Self::retry_signing(request, session, &key);
				false
			}
		}
	}

	/// Aggregate every payload's signature and let the treasury verify and store them. The error
	/// is the list of signers whose shares are invalid (empty if none can be blamed).
	fn aggregate_attempt(
		request: RequestId,
		session: &SigningSession<T>,
		key: &GroupKey<T>,
	) -> Result<(), Vec<u16>> {
		let public = GroupPublic::decode(&mut &key.public[..]).map_err(|_| Vec::new())?;
		let payloads = T::Results::sign_payloads(request).ok_or_else(Vec::new)?;
		let shares: Vec<(u16, BoundedVec<SignatureShare, T::MaxPayloads>)> =
			SignatureShares::<T>::iter_prefix(request).collect();
		let mut signatures = Vec::with_capacity(payloads.len());
		let mut per_payload = Vec::with_capacity(payloads.len());
		for (index, payload) in payloads.iter().enumerate() {
			let commitments: Vec<(u16, &[u8])> = session
				.signers
				.iter()
				.filter_map(|signer| {
					signer.commitments.get(index).map(|c| (signer.participant, &c[..]))
				})
				.collect();
			let payload_shares: Vec<(u16, &[u8])> = shares
				.iter()
				.filter_map(|(participant, list)| {
					list.get(index).map(|share| (*participant, &share[..]))
				})
				.collect();
			let signature =
				zenrock_mpc_core::aggregate(&public, payload, &commitments, &payload_shares)
					.map_err(|_| Vec::new())?;
			signatures.push(signature.to_vec());
			per_payload.push((commitments, payload_shares));
		}
		if T::Results::fulfil_signatures(request, signatures).is_ok() {
			return Ok(());
		}
		let mut culprits: Vec<u16> = Vec::new();
		for (payload, (commitments, payload_shares)) in payloads.iter().zip(per_payload.iter()) {
			if let Ok(blamed) =
				zenrock_mpc_core::blame(&public, payload, commitments, payload_shares)
			{
				for participant in blamed {
					if !culprits.contains(&participant) {
						culprits.push(participant);
					}
				}
			}
		}
		Err(culprits)
	}

	/// Start the next attempt of `request` without its excluded participants, or reject the
	/// request when no attempt is left.
	fn retry_signing(request: RequestId, mut session: SigningSession<T>, key: &GroupKey<T>) {
		Self::clear_signing_attempt(request, &session);
		let threshold =
			GroupPublic::decode(&mut &key.public[..]).map(|p| p.threshold()).unwrap_or(0);
		let spare = key.participants.len().saturating_sub(usize::from(threshold));
		let attempts_left = usize::from(session.attempt) < spare;
		session.attempt = session.attempt.saturating_add(1);
		let payloads = T::Results::sign_payloads(request).map_or(0, |payloads| payloads.len());
		let started = attempts_left
			&& Self::start_attempt(
				request,
				session.key,
				key,
				payloads,
				session.attempt,
				session.excluded.clone(),
			)
			.is_ok();
		if !started {
			SigningSessions::<T>::remove(request);
			let reason = b"signing: not enough responsive signers";
			if let Err(error) = T::Results::reject(request, reason) {
				log::debug!(target: LOG_TARGET, "signature request {request} not rejected: {error:?}");
			}
			Self::deposit_event(Event::SigningFailed { request, reason: Self::reason(reason) });
		}
	}

	/// Choose `t` signers for attempt `attempt` of `request`, take their commitments and open
	/// the attempt.
	fn start_attempt(
		request: RequestId,
		key_id: KeyId,
		key: &GroupKey<T>,
		payloads: usize,
		attempt: u8,
		excluded: BoundedVec<u16, T::MaxParties>,
	) -> DispatchResult {
		let public = GroupPublic::decode(&mut &key.public[..])
			.map_err(|_| Error::<T>::UnknownThresholdKey)?;
		let threshold = usize::from(public.threshold());
		let now = frame_system::Pallet::<T>::block_number();
		let pool_key = (key.keyring, key.suite);
		let count = key.participants.len();
		// Rotate deterministically by request and attempt, so that load spreads and a retry
		// starts elsewhere.
		let offset = (request.saturating_add(u64::from(attempt)) % (count.max(1) as u64)) as usize;
		let candidates: Vec<(u16, &T::AccountId, bool)> = (0..count)
			.filter_map(|step| {
				let index = (offset.saturating_add(step)) % count.max(1);
				let account = key.participants.get(index)?;
				let participant = u16::try_from(index.saturating_add(1)).ok()?;
				let record = PartyStatus::<T>::get(key.keyring, account);
				let usable = !excluded.contains(&participant)
					&& !record.faulty
					&& CommitmentPool::<T>::decode_len(pool_key, account).unwrap_or(0) >= payloads;
				let suspended = record.suspended_until > now;
				usable.then_some((participant, account, suspended))
			})
			.collect();
		// Suspended parties sign only when there are not enough others.
		let active = candidates.iter().filter(|(_, _, suspended)| !suspended).count();
		let chosen: Vec<(u16, &T::AccountId)> = candidates
			.into_iter()
			.filter(|(_, _, suspended)| active < threshold || !suspended)
			.take(threshold)
			.map(|(participant, account, _)| (participant, account))
			.collect();
		ensure!(threshold >= 2 && chosen.len() == threshold, Error::<T>::NotEnoughSigners);
		let mut signers = BoundedVec::<Signer<T>, T::MaxParties>::new();
		for (participant, account) in chosen {
			let commitments = CommitmentPool::<T>::mutate(pool_key, account, |pool| {
				let taken: Vec<Commitment> = pool.iter().take(payloads).cloned().collect();
				let rest: Vec<Commitment> = pool.iter().skip(payloads).cloned().collect();
				*pool = BoundedVec::truncate_from(rest);
				taken
			});
			let commitments = BoundedVec::try_from(commitments)
				.map_err(|_| Error::<T>::InvalidSignatureShares)?;
			PartyTasks::<T>::insert(account, request, Task::Signing);
			signers
				.try_push(Signer { participant, account: account.clone(), commitments })
				.map_err(|_| Error::<T>::InvalidParties)?;
		}
		let deadline = now.saturating_add(T::ShareTimeout::get());
		Deadlines::<T>::insert(deadline, request, ());
		let indexes = signers.iter().map(|signer| signer.participant).collect();
		SigningSessions::<T>::insert(
			request,
			SigningSession { key: key_id, attempt, signers, submitted: 0, excluded, deadline },
		);
		Self::deposit_event(Event::SigningStarted {
			request,
			key: key_id,
			attempt,
			signers: indexes,
		});
		Ok(())
	}

	/// Remove an attempt's shares, deadline and tasks.
	fn clear_signing_attempt(request: RequestId, session: &SigningSession<T>) {
		let _ = SignatureShares::<T>::clear_prefix(request, u32::MAX, None);
		Deadlines::<T>::remove(session.deadline, request);
		for signer in &session.signers {
			PartyTasks::<T>::remove(&signer.account, request);
		}
	}

	/// Remove a finished signing session.
	fn clear_signing(request: RequestId, session: &SigningSession<T>) {
		Self::clear_signing_attempt(request, session);
		SigningSessions::<T>::remove(request);
	}

	/// Handle the deadlines due by `now`, from the cursor, at most MaxDeadlinesPerBlock; returns
	/// how many were handled.
	fn sweep_deadlines(now: BlockNumberFor<T>) -> u32 {
		let budget = T::MaxDeadlinesPerBlock::get();
		let mut handled = 0u32;
		let mut block = NextDeadlineBlock::<T>::get();
		while block <= now {
			let due: Vec<RequestId> = Deadlines::<T>::iter_key_prefix(block)
				.take(budget.saturating_sub(handled) as usize)
				.collect();
			for request in due {
				Deadlines::<T>::remove(block, request);
				Self::deadline_passed(request, block);
				handled = handled.saturating_add(1);
			}
			let due: Vec<CeremonyId> = CeremonyDeadlines::<T>::iter_key_prefix(block)
				.take(budget.saturating_sub(handled) as usize)
				.collect();
			for ceremony in due {
				CeremonyDeadlines::<T>::remove(block, ceremony);
				Self::ceremony_deadline_passed(ceremony, block);
				handled = handled.saturating_add(1);
			}
			let left = Deadlines::<T>::iter_key_prefix(block).next().is_some()
				|| CeremonyDeadlines::<T>::iter_key_prefix(block).next().is_some();
			if handled >= budget && left {
				break;
			}
			block = block.saturating_add(1u32.into());
		}
		NextDeadlineBlock::<T>::put(block);
		handled
	}

	/// The ceremony of `request` reached its deadline `block`.
	fn deadline_passed(request: RequestId, block: BlockNumberFor<T>) {
		if let Some(session) = DkgSessions::<T>::get(request) {
			if session.deadline != block {
				return;
			}
			let silent = (1..=session.participants.len()).find_map(|index| {
				let participant = u16::try_from(index).ok()?;
				let submitted = match session.phase {
					DkgPhase::Round1 => DkgRound1::<T>::contains_key(request, participant),
					DkgPhase::Round2 => DkgRound2::<T>::contains_key(request, participant),
					DkgPhase::Confirm => DkgConfirmations::<T>::contains_key(request, participant),
				};
				(!submitted).then_some(participant)
			});
			let participant = silent.unwrap_or(0);
			let account = silent.and_then(|participant| {
				session.participants.get(usize::from(participant).checked_sub(1)?)
			});
			if let Some(account) = account {
				Self::mark_timed_out(session.keyring, account, request, false);
			}
			let reason = format!("dkg: party {participant} unresponsive");
			Self::fail_dkg(request, session, reason.as_bytes());
			return;
		}
		if let Some(mut session) = SigningSessions::<T>::get(request) {
			if session.deadline != block {
				return;
			}
			let Some(key) = GroupKeys::<T>::get(session.key) else {
				SigningSessions::<T>::remove(request);
				return;
			};
			for signer in &session.signers {
				if !SignatureShares::<T>::contains_key(request, signer.participant) {
					Self::mark_timed_out(key.keyring, &signer.account, request, true);
					let _ = session.excluded.try_push(signer.participant);
				}
			}
			Self::retry_signing(request, session, &key);
			return;
		}
		if let Some(session) = EcdsaSigningSessions::<T>::get(request) {
			if session.deadline != block {
				return;
			}
			if session.waiting() {
				Self::clear_ecdsa_signing(request, &session);
				let reason = b"signing: no presignatures";
				Self::deposit_event(Event::SigningFailed { request, reason: Self::reason(reason) });
				let _ = T::Results::reject(request, reason);
				return;
			}
			let keyring = EcdsaKeys::<T>::get(session.key).map(|key| key.keyring).unwrap_or(0);
			for (account, index) in session.signers.iter().zip(&session.indexes) {
				if !PartialSignatures::<T>::contains_key(request, index) {
					Self::mark_timed_out(keyring, account, request, true);
				}
			}
			Self::retry_ecdsa(request, session);
		}
	}

	/// A round of ceremony `id` reached its deadline `block`: its silent participants are
	/// suspended and it fails.
	fn ceremony_deadline_passed(id: CeremonyId, block: BlockNumberFor<T>) {
		let Some(ceremony) = Ceremonies::<T>::get(id) else { return };
		if ceremony.deadline != block {
			return;
		}
		let now = frame_system::Pallet::<T>::block_number();
		let mut culprit = None;
		for (position, account) in (1u16..).zip(&ceremony.participants) {
			let submitted = if ceremony.round <= CEREMONY_ROUNDS {
				CeremonyBundles::<T>::contains_key((id, ceremony.round), position)
			} else {
				CeremonyOutputs::<T>::contains_key(id, position)
			};
			if submitted {
				continue;
			}
			let index = ceremony.indexes.get(usize::from(position).saturating_sub(1)).copied();
			culprit = culprit.or(index);
			PartyStatus::<T>::mutate(ceremony.keyring, account, |record| {
				record.missed = record.missed.saturating_add(1);
				record.suspended_until = now.saturating_add(T::SuspendBlocks::get());
			});
			Self::deposit_event(Event::CeremonyPartyTimedOut {
				keyring: ceremony.keyring,
				party: account.clone(),
				ceremony: id,
			});
		}
		let reason = format!("ceremony: party {} unresponsive", culprit.unwrap_or(0));
		Self::fail_ceremony(id, ceremony, culprit, reason.as_bytes());
	}

	fn mark_timed_out(keyring: KeyringId, party: &T::AccountId, request: RequestId, suspend: bool) {
		let now = frame_system::Pallet::<T>::block_number();
		PartyStatus::<T>::mutate(keyring, party, |record| {
			record.missed = record.missed.saturating_add(1);
			if suspend {
				record.suspended_until = now.saturating_add(T::SuspendBlocks::get());
			}
		});
		Self::deposit_event(Event::PartyTimedOut { keyring, party: party.clone(), request });
	}
}

impl<T: Config> ThresholdBackend for Pallet<T> {
	fn ensure_ready(keyring: KeyringId, parties: u32) -> Result<(), DispatchError> {
		ensure!(parties <= T::MaxParties::get(), Error::<T>::InvalidParties);
		for party in T::Keyrings::parties(keyring) {
			ensure!(EncryptionKeys::<T>::contains_key(&party), Error::<T>::MissingEncryptionKey);
		}
		if threshold_backend::<T>(keyring) == Some(KeyringBackend::ThresholdEcdsa) {
			let record = Self::ecdsa_keyring(keyring)?;
			ensure!(record.ready_master().is_some(), Error::<T>::EcdsaSetupPending);
		}
		Ok(())
	}

	fn key_requested(
		request: RequestId,
		keyring: KeyringId,
		key_type: KeyType,
	) -> Result<(), DispatchError> {
		if threshold_backend::<T>(keyring) == Some(KeyringBackend::ThresholdEcdsa) {
			return Self::ecdsa_key_requested(request, keyring, key_type);
		}
		let suite = suite_of(key_type).ok_or(Error::<T>::UnsupportedKeyType)?;
		let terms = T::Keyrings::keyring_terms(keyring).ok_or(Error::<T>::InvalidParties)?;
		let participants: ParticipantsOf<T> =
			T::Keyrings::parties(keyring).try_into().map_err(|_| Error::<T>::InvalidParties)?;
		let threshold =
			u16::try_from(terms.party_threshold).map_err(|_| Error::<T>::InvalidParties)?;
		let count = u16::try_from(participants.len()).map_err(|_| Error::<T>::InvalidParties)?;
		ensure!(threshold >= 2 && threshold <= count, Error::<T>::InvalidParties);
		let deadline =
			frame_system::Pallet::<T>::block_number().saturating_add(T::DkgRoundTimeout::get());
		for account in &participants {
			PartyTasks::<T>::insert(account, request, Task::KeyGeneration);
		}
		Deadlines::<T>::insert(deadline, request, ());
		KeyringShares::<T>::mutate(keyring, |count| *count = count.saturating_add(1));
		DkgSessions::<T>::insert(
			request,
			DkgSession {
				keyring,
				suite,
				participants,
				threshold,
				phase: DkgPhase::Round1,
				submitted: 0,
				deadline,
				public: None,
			},
		);
		Self::deposit_event(Event::DkgStarted {
			request,
			keyring,
			suite,
			participants: count,
			threshold,
		});
		Ok(())
	}

	fn signature_requested(
		request: RequestId,
		keyring: KeyringId,
		key: KeyId,
		payloads: &[Vec<u8>],
	) -> Result<(), DispatchError> {
		if EcdsaKeys::<T>::contains_key(key) {
			return Self::ecdsa_signature_requested(request, keyring, key, payloads);
		}
		let group_key = GroupKeys::<T>::get(key).ok_or(Error::<T>::UnknownThresholdKey)?;
		ensure!(group_key.keyring == keyring, Error::<T>::UnknownThresholdKey);
		Self::start_attempt(request, key, &group_key, payloads.len(), 0, BoundedVec::new())
	}

	fn key_requested_weight() -> Weight {
		T::WeightInfo::key_requested(T::MaxParties::get()).max(T::WeightInfo::ecdsa_key_requested())
	}

	fn signature_requested_weight(payloads: u32) -> Weight {
		// The ECDSA benchmark requests one payload; each more costs at most as much time again
		// (a preimage hashed, one more presigning ceremony opened: writes), but reads nothing
		// more, so the proof size stays.
		let ecdsa = T::WeightInfo::ecdsa_signature_requested();
		let ecdsa = Weight::from_parts(
			ecdsa.ref_time().saturating_mul(payloads.max(1).into()),
			ecdsa.proof_size(),
		);
		T::WeightInfo::signature_requested(T::MaxParties::get(), payloads).max(ecdsa)
	}
}

impl<T: Config> ThresholdKeyringState for Pallet<T> {
	fn holds_shares(keyring: KeyringId) -> bool {
		KeyringShares::<T>::get(keyring) > 0
	}
}
