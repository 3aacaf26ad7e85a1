//! Threshold ECDSA keyrings ([`KeyringBackend::ThresholdEcdsa`](zenrock_primitives::KeyringBackend)):
//! the chain relays the CGGMP24 ceremonies that the parties' nodes run and does the rest itself.
//!
//! - **Setup**, once per keyring: when every party has announced that its Paillier primes are
//!   ready ([`Pallet::announce_ecdsa_ready`]), two ceremonies start among all parties: auxiliary
//!   info (Paillier keys and their proofs) and the master key (with a chain code). Each has
//!   [`CEREMONY_ROUNDS`] rounds of message bundles, then an output round in which every party
//!   reports the same public result (a digest of the auxiliary info; the master extended public
//!   key). A silent party, a party-reported abort or differing outputs fail the setup; the
//!   parties announce again to retry.
//! - **Keys**: a key is the non-hardened BIP-32 child `m/index` of the master key, derived by
//!   the chain when the key is requested: fulfilled in the same block.
//! - **Presignatures**, per key and signer subset: presigning ceremonies of `t` signers keep
//!   [`Config::PresignaturesPerKey`] per key pooled (plus what waiting requests need). The chain
//!   keeps each presignature's public data. A presignature is taken from the pool once, ever.
//! - **Signing**: a request takes one pooled presignature per payload from one subset; each
//!   signer sends a 32-byte partial signature per payload, checked on arrival against the
//!   presignature's public data (a bad one proves its sender faulty); with the last one the
//!   chain sums them, makes `s` low, finds the recovery id with the host's recovery and hands
//!   the signatures to the treasury. A silent signer is suspended and another subset signs.
//!   Only payloads the chain computed from a transaction are signed (their preimages are given to
//!   the signers, who hash them themselves); raw hashes are refused.

use alloc::vec::Vec;
use codec::{Decode, DecodeAll, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, BoundedVec, CloneNoBound, DebugNoBound, PartialEqNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_runtime::{traits::Saturating, DispatchError};
use zenrock_mpc_core::ecdsa::{MasterKey, PresignaturePublic, MASTER_KEY_SIZE, POINT_SIZE};
use zenrock_primitives::{
	ecdsa_view::{CeremonyParticipant, CeremonyTarget, CeremonyView, EcdsaSigningView, EcdsaWork},
	KeyId, KeyringId, KeyringInspect, RequestId, ThresholdResults,
};

use crate::{pallet::*, ParticipantsOf, PartyRecord, Task};

/// The id of a threshold ECDSA ceremony (setup or presigning).
pub type CeremonyId = u64;

/// The most parties a threshold ECDSA keyring may have: auxiliary info sends every other party
/// about 210 KB, so one party's round must fit in one transaction.
pub const ECDSA_MAX_PARTIES: u32 = 5;
/// Largest message bundle of one party in one round (1.5 MiB).
pub const MAX_BUNDLE_SIZE: u32 = 3 << 19;
/// Largest ceremony output: a presignature's public data for [`ECDSA_MAX_PARTIES`] signers.
pub const MAX_CEREMONY_OUTPUT: u32 =
	PresignaturePublic::encoded_size(ECDSA_MAX_PARTIES as usize) as u32;
/// Message rounds of every ceremony kind (CGGMP24 with the chain as reliable broadcast): the
/// output round follows.
pub const CEREMONY_ROUNDS: u8 = 3;
/// Size of the auxiliary-info output: a digest of every party's public auxiliary data.
pub const AUX_DIGEST_SIZE: usize = 32;

/// Key-share indexes of a signer subset.
type SignerIndexes<T> = BoundedVec<u16, <T as Config>::MaxParties>;

/// One party's messages of one round.
pub type BundleOf = BoundedVec<u8, ConstU32<MAX_BUNDLE_SIZE>>;
/// A party's report of a ceremony's public result.
pub type CeremonyOutput = BoundedVec<u8, ConstU32<MAX_CEREMONY_OUTPUT>>;

/// What a party sends in one round: its broadcast messages, and its messages to single
/// participants (by position in the ceremony, 1-based), each sealed to the recipient's
/// encryption key. The protocol messages themselves are opaque to the chain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct EcdsaBundle {
	/// Messages for every participant.
	pub broadcast: Vec<Vec<u8>>,
	/// Sealed messages for one participant each: `(recipient position, ciphertext)`.
	pub direct: Vec<(u16, Vec<u8>)>,
}

impl EcdsaBundle {
	/// Decodes a bundle of a ceremony of `participants`, sent by `sender`: every direct
	/// message goes to another participant and is not empty.
	pub fn decode_checked(bytes: &[u8], participants: u16, sender: u16) -> Option<Self> {
		let bundle = Self::decode_all(&mut &bytes[..]).ok()?;
		let valid = bundle.direct.iter().all(|(recipient, sealed)| {
			(1..=participants).contains(recipient) && *recipient != sender && !sealed.is_empty()
		});
		valid.then_some(bundle)
	}
}

/// What a ceremony makes.
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
pub enum CeremonyKind {
	/// The keyring's auxiliary info (every party's Paillier key and ring-Pedersen parameters).
	AuxInfo,
	/// The keyring's master key and chain code.
	MasterKey,
	/// A presignature for a key.
	Presignature {
		/// The key it signs for.
		key: KeyId,
	},
}

/// A threshold ECDSA ceremony in progress.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct Ceremony<T: Config> {
	/// The keyring whose parties run it.
	pub keyring: KeyringId,
	/// What it makes.
	pub kind: CeremonyKind,
	/// The participants in protocol order (position `i` is entry `i - 1`).
	pub participants: ParticipantsOf<T>,
	/// Each participant's index in the keyring (1-based): for presigning, the signers' key-share
	/// indexes.
	pub indexes: BoundedVec<u16, T::MaxParties>,
	/// The round it waits for: `1..=CEREMONY_ROUNDS` are message rounds, then the output round.
	pub round: u8,
	/// How many participants submitted in this round.
	pub submitted: u16,
	/// The end of the round: a participant still silent then fails the ceremony.
	pub deadline: BlockNumberFor<T>,
}

impl<T: Config> Ceremony<T> {
	/// The 1-based position of `who` among the participants.
	pub fn position(&self, who: &T::AccountId) -> Option<u16> {
		let index = self.participants.iter().position(|account| account == who)?;
		u16::try_from(index.saturating_add(1)).ok()
	}

	/// How many participants it has.
	pub fn size(&self) -> u16 {
		u16::try_from(self.participants.len()).unwrap_or(u16::MAX)
	}
}

/// A threshold ECDSA keyring: its parties (fixed at setup), its master key and its keys.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct EcdsaKeyring<T: Config> {
	/// The parties at setup, in keyring order (key-share index `i` is entry `i - 1`).
	pub participants: ParticipantsOf<T>,
	/// Signers needed.
	pub threshold: u16,
	/// The auxiliary-info ceremony completed.
	pub aux_ready: bool,
	/// The master key (compressed key ‖ chain code), once made.
	pub master: Option<[u8; MASTER_KEY_SIZE]>,
	/// The child index of the next key.
	pub next_child: u32,
	/// The setup ceremonies in progress.
	pub setup: BoundedVec<CeremonyId, ConstU32<2>>,
}

impl<T: Config> EcdsaKeyring<T> {
	/// The master key, once the keyring is set up.
	pub fn ready_master(&self) -> Option<MasterKey> {
		if !self.aux_ready {
			return None;
		}
		MasterKey::decode(self.master.as_ref()?).ok()
	}
}

/// A threshold ECDSA key.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub struct EcdsaKey {
	/// The keyring whose master key it derives from.
	pub keyring: KeyringId,
	/// Its BIP-32 child index.
	pub child: u32,
	/// Its compressed public key.
	pub public_key: [u8; POINT_SIZE],
}

/// The presignature pool of a key.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct PresignaturePool<T: Config> {
	/// Pooled presignatures.
	pub pooled: u32,
	/// Presigning ceremonies in progress.
	pub pending: u32,
	/// Presignatures waiting requests need beyond the pool.
	pub demand: u32,
	/// The signer subset new presignatures are made by (key-share indexes).
	pub subset: BoundedVec<u16, T::MaxParties>,
}

/// A pooled presignature.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct PooledPresignature<T: Config> {
	/// Its signers' key-share indexes, in signer order.
	pub signers: BoundedVec<u16, T::MaxParties>,
	/// Its public data ([`PresignaturePublic`]).
	pub public: CeremonyOutput,
}

/// The signing of a threshold ECDSA signature request.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(T))]
#[codec(mel_bound())]
pub struct EcdsaSigning<T: Config> {
	/// The key that signs.
	pub key: KeyId,
	/// Attempts made before this one.
	pub attempt: u8,
	/// How many payloads (one presignature each).
	pub payloads: u32,
	/// The signers' accounts, in signer order (empty while waiting for presignatures).
	pub signers: ParticipantsOf<T>,
	/// The signers' key-share indexes, in signer order.
	pub indexes: BoundedVec<u16, T::MaxParties>,
	/// The presignatures taken, one per payload: their ceremony ids.
	pub presignatures: BoundedVec<CeremonyId, T::MaxPayloads>,
	/// Their public data, one per payload.
	pub publics: BoundedVec<CeremonyOutput, T::MaxPayloads>,
	/// How many signers submitted.
	pub submitted: u16,
	/// The end of the attempt, or of the wait for presignatures.
	pub deadline: BlockNumberFor<T>,
}

impl<T: Config> EcdsaSigning<T> {
	/// Whether it waits for presignatures (no attempt open).
	pub fn waiting(&self) -> bool {
		self.signers.is_empty()
	}
}

/// A deadline of the ECDSA part: a ceremony's round.
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
pub struct CeremonyDeadline(pub CeremonyId);

impl<T: Config> Pallet<T> {
	/// The threshold ECDSA keyring `keyring`, recorded on first use from the identity pallet's
	/// terms. Errors if it has too many parties.
	pub(crate) fn ecdsa_keyring(keyring: KeyringId) -> Result<EcdsaKeyring<T>, DispatchError> {
		if let Some(record) = EcdsaKeyrings::<T>::get(keyring) {
			return Ok(record);
		}
		let terms = T::Keyrings::keyring_terms(keyring).ok_or(Error::<T>::InvalidParties)?;
		ensure!(
			terms.backend == zenrock_primitives::KeyringBackend::ThresholdEcdsa,
			Error::<T>::WrongBackend
		);
		let parties = T::Keyrings::parties(keyring);
		ensure!(parties.len() as u32 <= ECDSA_MAX_PARTIES, Error::<T>::InvalidParties);
		let participants: ParticipantsOf<T> =
			parties.try_into().map_err(|_| Error::<T>::InvalidParties)?;
		let threshold =
			u16::try_from(terms.party_threshold).map_err(|_| Error::<T>::InvalidParties)?;
		ensure!(
			threshold >= 2 && usize::from(threshold) <= participants.len(),
			Error::<T>::InvalidParties
		);
		Ok(EcdsaKeyring {
			participants,
			threshold,
			aux_ready: false,
			master: None,
			next_child: 0,
			setup: BoundedVec::new(),
		})
	}

	/// Open a ceremony and give its participants the task.
	pub(crate) fn open_ceremony(
		keyring: KeyringId,
		kind: CeremonyKind,
		participants: ParticipantsOf<T>,
		indexes: BoundedVec<u16, T::MaxParties>,
	) -> CeremonyId {
		let id = NextCeremonyId::<T>::mutate(|next| {
			let id = *next;
			*next = next.saturating_add(1);
			id
		});
		let deadline = frame_system::Pallet::<T>::block_number()
			.saturating_add(T::CeremonyRoundTimeout::get());
		CeremonyDeadlines::<T>::insert(deadline, id, ());
		for account in &participants {
			CeremonyTasks::<T>::insert(account, id, ());
		}
		Self::deposit_event(Event::CeremonyStarted {
			ceremony: id,
			keyring,
			kind,
			participants: indexes.to_vec(),
		});
		Ceremonies::<T>::insert(
			id,
			Ceremony { keyring, kind, participants, indexes, round: 1, submitted: 0, deadline },
		);
		id
	}

	/// Start the next round of `ceremony` (the output round after the last message round).
	pub(crate) fn next_ceremony_round(id: CeremonyId, ceremony: &mut Ceremony<T>) {
		CeremonyDeadlines::<T>::remove(ceremony.deadline, id);
		ceremony.round = ceremony.round.saturating_add(1);
		ceremony.submitted = 0;
		ceremony.deadline = frame_system::Pallet::<T>::block_number()
			.saturating_add(T::CeremonyRoundTimeout::get());
		CeremonyDeadlines::<T>::insert(ceremony.deadline, id, ());
		Self::deposit_event(Event::CeremonyRoundStarted { ceremony: id, round: ceremony.round });
	}

	/// Remove a ceremony with its messages, outputs, deadline and tasks.
	pub(crate) fn clear_ceremony(id: CeremonyId, ceremony: &Ceremony<T>) {
		for round in 1..=CEREMONY_ROUNDS {
			let _ = CeremonyBundles::<T>::clear_prefix((id, round), u32::MAX, None);
		}
		let _ = CeremonyOutputs::<T>::clear_prefix(id, u32::MAX, None);
		CeremonyDeadlines::<T>::remove(ceremony.deadline, id);
		for account in &ceremony.participants {
			CeremonyTasks::<T>::remove(account, id);
		}
		Ceremonies::<T>::remove(id);
	}

	/// Every participant reported the same output: keep the result.
	pub(crate) fn complete_ceremony(id: CeremonyId, ceremony: Ceremony<T>, output: Vec<u8>) {
		Self::clear_ceremony(id, &ceremony);
		Self::deposit_event(Event::CeremonyCompleted { ceremony: id });
		match ceremony.kind {
			CeremonyKind::AuxInfo | CeremonyKind::MasterKey => {
				let Some(mut record) = EcdsaKeyrings::<T>::get(ceremony.keyring) else { return };
				record.setup.retain(|open| *open != id);
				if ceremony.kind == CeremonyKind::AuxInfo {
					record.aux_ready = true;
				} else if let Ok(master) = MasterKey::decode(&output) {
					record.master = Some(master.encode());
				}
				if let Some(master) = record.ready_master() {
					Self::deposit_event(Event::EcdsaKeyringReady {
						keyring: ceremony.keyring,
						master_key: master.public_key,
					});
				}
				EcdsaKeyrings::<T>::insert(ceremony.keyring, record);
			}
			CeremonyKind::Presignature { key } => {
				let Ok(public) = CeremonyOutput::try_from(output) else { return };
				let signers = ceremony.indexes.clone();
				Presignatures::<T>::insert(key, id, PooledPresignature { signers, public });
				PresignaturePools::<T>::mutate_extant(key, |pool| {
					pool.pending = pool.pending.saturating_sub(1);
					pool.pooled = pool.pooled.saturating_add(1);
				});
				Self::serve_waiting(key);
			}
		}
	}

	/// A ceremony failed (`culprit`: the silent or accused participant's keyring index, if
	/// known): drop it; a setup starts again when the parties announce again, a key's pool is
	/// refilled by others.
	pub(crate) fn fail_ceremony(
		id: CeremonyId,
		ceremony: Ceremony<T>,
		culprit: Option<u16>,
		reason: &[u8],
	) {
		Self::clear_ceremony(id, &ceremony);
		Self::deposit_event(Event::CeremonyFailed {
			ceremony: id,
			culprit,
			reason: Self::reason(reason),
		});
		match ceremony.kind {
			CeremonyKind::AuxInfo | CeremonyKind::MasterKey => {
				let Some(mut record) = EcdsaKeyrings::<T>::get(ceremony.keyring) else { return };
				// Both setup ceremonies go: the parties announce again (a silent one cannot).
				for open in core::mem::take(&mut record.setup) {
					if let Some(other) = Ceremonies::<T>::get(open) {
						Self::clear_ceremony(open, &other);
					}
				}
				let _ = EcdsaReadiness::<T>::clear_prefix(ceremony.keyring, u32::MAX, None);
				EcdsaKeyrings::<T>::insert(ceremony.keyring, record);
			}
			CeremonyKind::Presignature { key } => {
				PresignaturePools::<T>::mutate_extant(key, |pool| {
					pool.pending = pool.pending.saturating_sub(1);
				});
				Self::refill(key);
			}
		}
	}

	/// Open presigning ceremonies until the key's pool, with those in progress, covers the
	/// target and the demand of waiting requests; choose a new subset when a member of the
	/// current one is suspended or faulty.
	pub(crate) fn refill(key: KeyId) {
		let Some(ecdsa_key) = EcdsaKeys::<T>::get(key) else { return };
		let Some(record) = EcdsaKeyrings::<T>::get(ecdsa_key.keyring) else { return };
		let Some(mut pool) = PresignaturePools::<T>::get(key) else { return };
		let now = frame_system::Pallet::<T>::block_number();
		let available = |index: &u16| -> bool {
			let Some(account) = record.participants.get(usize::from(*index).saturating_sub(1))
			else {
				return false;
			};
			let status: PartyRecord<BlockNumberFor<T>> =
				PartyStatus::<T>::get(ecdsa_key.keyring, account);
			!status.faulty && status.suspended_until <= now
		};
		if pool.subset.is_empty() || !pool.subset.iter().all(available) {
			pool.subset = Self::choose_subset(&record, ecdsa_key.child, &available);
		}
		let wanted = T::PresignaturesPerKey::get().saturating_add(pool.demand);
		let participants: Option<Vec<T::AccountId>> = pool
			.subset
			.iter()
			.map(|index| record.participants.get(usize::from(*index).saturating_sub(1)).cloned())
			.collect();
		if let Some(participants) = participants.and_then(|p| ParticipantsOf::<T>::try_from(p).ok())
		{
			while pool.pooled.saturating_add(pool.pending) < wanted {
				Self::open_ceremony(
					ecdsa_key.keyring,
					CeremonyKind::Presignature { key },
					participants.clone(),
					pool.subset.clone(),
				);
				pool.pending = pool.pending.saturating_add(1);
			}
		}
		PresignaturePools::<T>::insert(key, pool);
	}

	/// `t` key-share indexes, rotating with the child index so keys spread over the parties;
	/// available parties first.
	fn choose_subset(
		record: &EcdsaKeyring<T>,
		child: u32,
		available: &dyn Fn(&u16) -> bool,
	) -> BoundedVec<u16, T::MaxParties> {
		let count = record.participants.len().max(1);
		let offset = (child as usize) % count;
		let rotated: Vec<u16> = (0..count)
			.filter_map(|step| u16::try_from((offset.saturating_add(step)) % count + 1).ok())
			.collect();
		let mut chosen: Vec<u16> = rotated.iter().copied().filter(|i| available(i)).collect();
		chosen.extend(rotated.iter().copied().filter(|i| !available(i)));
		chosen.truncate(usize::from(record.threshold));
		chosen.sort_unstable();
		BoundedVec::truncate_from(chosen)
	}

	/// Start the waiting requests of `key` that its pool can now serve (oldest first).
	pub(crate) fn serve_waiting(key: KeyId) {
		let waiting: Vec<RequestId> = WaitingForPresignatures::<T>::iter_key_prefix(key)
			.take(T::MaxPayloads::get() as usize)
			.collect();
		for request in waiting {
			let Some(session) = EcdsaSigningSessions::<T>::get(request) else {
				WaitingForPresignatures::<T>::remove(key, request);
				continue;
			};
			if !Self::start_ecdsa_attempt(request, session) {
				break;
			}
		}
	}

	/// Take `session.payloads` pooled presignatures of one subset whose signers are all
	/// available and open an attempt; otherwise wait (with demand on the pool). Whether an
	/// attempt opened.
	pub(crate) fn start_ecdsa_attempt(request: RequestId, mut session: EcdsaSigning<T>) -> bool {
		let key = session.key;
		let Some(ecdsa_key) = EcdsaKeys::<T>::get(key) else { return false };
		let Some(record) = EcdsaKeyrings::<T>::get(ecdsa_key.keyring) else { return false };
		let now = frame_system::Pallet::<T>::block_number();
		let needed = session.payloads as usize;
		let mut by_subset: Vec<(SignerIndexes<T>, Vec<CeremonyId>)> = Vec::new();
		for (id, presignature) in Presignatures::<T>::iter_prefix(key) {
			match by_subset.iter_mut().find(|(subset, _)| *subset == presignature.signers) {
				Some((_, ids)) => ids.push(id),
				None => by_subset.push((presignature.signers, alloc::vec![id])),
			}
		}
		let usable = by_subset.into_iter().find(|(subset, ids)| {
			ids.len() >= needed
				&& subset.iter().all(|index| {
					record.participants.get(usize::from(*index).saturating_sub(1)).is_some_and(
						|account| {
							let status = PartyStatus::<T>::get(ecdsa_key.keyring, account);
							!status.faulty && status.suspended_until <= now
						},
					)
				})
		});
		let was_waiting = WaitingForPresignatures::<T>::contains_key(key, request);
		let Some((subset, mut ids)) = usable else {
			if !was_waiting {
				WaitingForPresignatures::<T>::insert(key, request, ());
				PresignaturePools::<T>::mutate_extant(key, |pool| {
					pool.demand = pool.demand.saturating_add(session.payloads)
				});
			}
			EcdsaSigningSessions::<T>::insert(request, session);
			Self::refill(key);
			return false;
		};
		ids.sort_unstable();
		ids.truncate(needed);
		let mut publics = BoundedVec::<CeremonyOutput, T::MaxPayloads>::new();
		for id in &ids {
			if let Some(presignature) = Presignatures::<T>::take(key, id) {
				let _ = publics.try_push(presignature.public);
			}
		}
		let signers: Vec<T::AccountId> = subset
			.iter()
			.filter_map(|index| record.participants.get(usize::from(*index).saturating_sub(1)))
			.cloned()
			.collect();
		if was_waiting {
			WaitingForPresignatures::<T>::remove(key, request);
		}
		PresignaturePools::<T>::mutate_extant(key, |pool| {
			pool.pooled = pool.pooled.saturating_sub(ids.len() as u32);
			if was_waiting {
				pool.demand = pool.demand.saturating_sub(session.payloads);
			}
		});
		Deadlines::<T>::remove(session.deadline, request);
		session.deadline = now.saturating_add(T::ShareTimeout::get());
		Deadlines::<T>::insert(session.deadline, request, ());
		for account in &signers {
			PartyTasks::<T>::insert(account, request, Task::EcdsaSigning);
		}
		session.signers = BoundedVec::truncate_from(signers);
		session.indexes = subset.clone();
		session.presignatures = BoundedVec::truncate_from(ids);
		session.publics = publics;
		session.submitted = 0;
		Self::deposit_event(Event::SigningStarted {
			request,
			key,
			attempt: session.attempt,
			signers: subset.to_vec(),
		});
		EcdsaSigningSessions::<T>::insert(request, session);
		Self::refill(key);
		true
	}

	/// The attempt of `request` failed: drop it (its presignatures are spent) and wait for or
	/// take others, or reject the request after as many attempts as the keyring has parties.
	pub(crate) fn retry_ecdsa(request: RequestId, mut session: EcdsaSigning<T>) {
		Self::clear_ecdsa_attempt(request, &session);
		let parties = EcdsaKeys::<T>::get(session.key)
			.and_then(|key| EcdsaKeyrings::<T>::get(key.keyring))
			.map(|record| record.participants.len())
			.unwrap_or(0);
		if usize::from(session.attempt) + 1 >= parties.max(1) {
			EcdsaSigningSessions::<T>::remove(request);
			let reason = b"signing: no signers left";
			Self::deposit_event(Event::SigningFailed { request, reason: Self::reason(reason) });
			let _ = T::Results::reject(request, reason);
			return;
		}
		session.attempt = session.attempt.saturating_add(1);
		session.signers = BoundedVec::new();
		session.indexes = BoundedVec::new();
		session.presignatures = BoundedVec::new();
		session.publics = BoundedVec::new();
		session.submitted = 0;
		session.deadline =
			frame_system::Pallet::<T>::block_number().saturating_add(T::PresignatureWait::get());
		Deadlines::<T>::insert(session.deadline, request, ());
		Self::start_ecdsa_attempt(request, session);
	}

	/// Remove an attempt's partial signatures, deadline and tasks.
	pub(crate) fn clear_ecdsa_attempt(request: RequestId, session: &EcdsaSigning<T>) {
		let _ = PartialSignatures::<T>::clear_prefix(request, u32::MAX, None);
		Deadlines::<T>::remove(session.deadline, request);
		for account in &session.signers {
			PartyTasks::<T>::remove(account, request);
		}
	}

	/// Remove a finished ECDSA signing session.
	pub(crate) fn clear_ecdsa_signing(request: RequestId, session: &EcdsaSigning<T>) {
		Self::clear_ecdsa_attempt(request, session);
		if WaitingForPresignatures::<T>::take(session.key, request).is_some() {
			PresignaturePools::<T>::mutate_extant(session.key, |pool| {
				pool.demand = pool.demand.saturating_sub(session.payloads)
			});
		}
		EcdsaSigningSessions::<T>::remove(request);
	}

	/// Every signer submitted: combine each payload's signature, recover its id and hand them to
	/// the treasury. Whether they were stored.
	pub(crate) fn finish_ecdsa(request: RequestId, session: EcdsaSigning<T>) -> bool {
		let signatures = Self::combine_ecdsa(request, &session);
		let stored = match signatures {
			Some(signatures) => T::Results::fulfil_signatures(request, signatures).is_ok(),
			None => false,
		};
		Self::clear_ecdsa_signing(request, &session);
		if stored {
			Self::deposit_event(Event::SigningCompleted { request, attempt: session.attempt });
		} else {
			// Every partial signature was checked on arrival, so this is the request expiring
			// or a presignature whose data its signers reported wrongly: give up.
			let reason = b"signing: signature refused";
			Self::deposit_event(Event::SigningFailed { request, reason: Self::reason(reason) });
			let _ = T::Results::reject(request, reason);
		}
		stored
	}

	/// The 65-byte `r ‖ s ‖ v` signature of each payload.
	fn combine_ecdsa(request: RequestId, session: &EcdsaSigning<T>) -> Option<Vec<Vec<u8>>> {
		let key = EcdsaKeys::<T>::get(session.key)?;
		let payloads = T::Results::sign_payloads(request)?;
		let signer_count = session.indexes.len();
		let partials: Vec<BoundedVec<[u8; 32], T::MaxPayloads>> = session
			.indexes
			.iter()
			.map(|index| PartialSignatures::<T>::get(request, index))
			.collect::<Option<_>>()?;
		let mut signatures = Vec::with_capacity(payloads.len());
		for (position, payload) in payloads.iter().enumerate() {
			let digest: [u8; 32] = payload.as_slice().try_into().ok()?;
			let public =
				PresignaturePublic::decode(session.publics.get(position)?, signer_count).ok()?;
			let sigmas: Vec<[u8; 32]> = partials
				.iter()
				.map(|of_signer| of_signer.get(position).copied())
				.collect::<Option<_>>()?;
			let compact = public.combine(&digest, &sigmas).ok()?;
			signatures.push(Self::with_recovery_id(&compact, &digest, &key.public_key)?);
		}
		Some(signatures)
	}

	/// `r ‖ s ‖ v`, `v` the recovery id that recovers `public_key` (the host's recovery).
	pub(crate) fn with_recovery_id(
		compact: &[u8; 64],
		digest: &[u8; 32],
		public_key: &[u8; POINT_SIZE],
	) -> Option<Vec<u8>> {
		for recovery_id in [0u8, 1] {
			let mut signature = [0u8; 65];
			signature[..64].copy_from_slice(compact);
			signature[64] = recovery_id;
			let recovered =
				sp_io::crypto::secp256k1_ecdsa_recover_compressed(&signature, digest).ok();
			if recovered.as_ref() == Some(public_key) {
				return Some(signature.to_vec());
			}
		}
		None
	}

	/// A key request on a threshold ECDSA keyring: the next child of the master key, fulfilled
	/// at once; its presignature pool starts filling.
	pub(crate) fn ecdsa_key_requested(
		request: RequestId,
		keyring: KeyringId,
		key_type: zenrock_primitives::KeyType,
	) -> Result<(), DispatchError> {
		use zenrock_primitives::KeyType;
		ensure!(
			matches!(key_type, KeyType::EcdsaSecp256k1 | KeyType::BitcoinSecp256k1),
			Error::<T>::UnsupportedKeyType
		);
		let mut record = EcdsaKeyrings::<T>::get(keyring).ok_or(Error::<T>::EcdsaSetupPending)?;
		let master = record.ready_master().ok_or(Error::<T>::EcdsaSetupPending)?;
		// BIP-32 declares an index invalid with probability 2^-127: skip it.
		let (child, public_key) = [record.next_child, record.next_child.saturating_add(1)]
			.into_iter()
			.find_map(|child| Some((child, master.child_public_key(child).ok()?)))
			.ok_or(Error::<T>::InvalidParties)?;
		record.next_child = child.saturating_add(1);
		let key = T::Results::fulfil_key(request, &public_key)?;
		EcdsaKeys::<T>::insert(key, EcdsaKey { keyring, child, public_key });
		EcdsaKeyrings::<T>::insert(keyring, record);
		PresignaturePools::<T>::insert(
			key,
			PresignaturePool { pooled: 0, pending: 0, demand: 0, subset: BoundedVec::new() },
		);
		Self::refill(key);
		Ok(())
	}

	/// A signature request with a threshold ECDSA key: only transactions' payloads, whose
	/// preimages the signers get; signed from pooled presignatures, or waits for them.
	pub(crate) fn ecdsa_signature_requested(
		request: RequestId,
		keyring: KeyringId,
		key: KeyId,
		payloads: &[Vec<u8>],
	) -> Result<(), DispatchError> {
		let ecdsa_key = EcdsaKeys::<T>::get(key).ok_or(Error::<T>::UnknownThresholdKey)?;
		ensure!(ecdsa_key.keyring == keyring, Error::<T>::UnknownThresholdKey);
		let preimages = T::Results::sign_preimages(request).ok_or(Error::<T>::PreimageRequired)?;
		ensure!(
			preimages.len() == payloads.len()
				&& preimages
					.iter()
					.zip(payloads)
					.all(|(preimage, payload)| preimage.digest().as_slice() == payload.as_slice()),
			Error::<T>::PreimageRequired
		);
		let count =
			u32::try_from(payloads.len()).map_err(|_| Error::<T>::InvalidSignatureShares)?;
		ensure!(count >= 1 && count <= T::MaxPayloads::get(), Error::<T>::InvalidSignatureShares);
		let deadline =
			frame_system::Pallet::<T>::block_number().saturating_add(T::PresignatureWait::get());
		Deadlines::<T>::insert(deadline, request, ());
		let session = EcdsaSigning {
			key,
			attempt: 0,
			payloads: count,
			signers: BoundedVec::new(),
			indexes: BoundedVec::new(),
			presignatures: BoundedVec::new(),
			publics: BoundedVec::new(),
			submitted: 0,
			deadline,
		};
		Self::start_ecdsa_attempt(request, session);
		Ok(())
	}

	/// What `party`'s keyring engine has to do: announce readiness for the setup of those of
	/// `keyrings` (threshold ECDSA keyrings it is a party of) that wait for it, take part in its
	/// ceremonies, and sign for the attempts that chose it.
	pub fn ecdsa_work(
		party: &T::AccountId,
		keyrings: impl IntoIterator<Item = KeyringId>,
	) -> EcdsaWork<T::AccountId> {
		let announce = keyrings
			.into_iter()
			.filter(|keyring| {
				let Ok(record) = Self::ecdsa_keyring(*keyring) else { return false };
				record.participants.contains(party)
					&& record.setup.is_empty()
					&& record.ready_master().is_none()
					&& !EcdsaReadiness::<T>::contains_key(keyring, party)
			})
			.collect();
		let ceremonies = CeremonyTasks::<T>::iter_key_prefix(party)
			.filter_map(|id| Self::ceremony_view(id, party))
			.collect();
		let signing = PartyTasks::<T>::iter_prefix(party)
			.filter(|(_, task)| *task == Task::EcdsaSigning)
			.filter_map(|(request, _)| {
				let session = EcdsaSigningSessions::<T>::get(request)?;
				let position = session.signers.iter().position(|account| account == party)?;
				let index = session.indexes.get(position)?;
				Some(EcdsaSigningView {
					request,
					key: session.key,
					attempt: session.attempt,
					presignatures: session.presignatures.to_vec(),
					preimages: T::Results::sign_preimages(request)?,
					submitted: PartialSignatures::<T>::contains_key(request, index),
				})
			})
			.collect();
		EcdsaWork { announce, ceremonies, signing }
	}

	/// Ceremony `id` as participant `party` sees it.
	fn ceremony_view(id: CeremonyId, party: &T::AccountId) -> Option<CeremonyView<T::AccountId>> {
		let ceremony = Ceremonies::<T>::get(id)?;
		let record = EcdsaKeyrings::<T>::get(ceremony.keyring)?;
		let position = ceremony.position(party)?;
		let participants = ceremony
			.participants
			.iter()
			.zip(&ceremony.indexes)
			.map(|(account, index)| {
				Some(CeremonyParticipant {
					account: account.clone(),
					index: *index,
					encryption_key: EncryptionKeys::<T>::get(account)?,
				})
			})
			.collect::<Option<Vec<_>>>()?;
		let target = match ceremony.kind {
			CeremonyKind::AuxInfo => CeremonyTarget::AuxInfo,
			CeremonyKind::MasterKey => CeremonyTarget::MasterKey,
			CeremonyKind::Presignature { key } => {
				CeremonyTarget::Presignature { key, child: EcdsaKeys::<T>::get(key)?.child }
			}
		};
		let submitted = if ceremony.round <= CEREMONY_ROUNDS {
			CeremonyBundles::<T>::contains_key((id, ceremony.round), position)
		} else {
			CeremonyOutputs::<T>::contains_key(id, position)
		};
		Some(CeremonyView {
			id,
			keyring: ceremony.keyring,
			target,
			participants,
			position,
			parties: u16::try_from(record.participants.len()).ok()?,
			threshold: record.threshold,
			round: ceremony.round,
			submitted,
		})
	}

	/// The bundles of round `round` of ceremony `id`, by sender position (what a participant
	/// reads once every participant has submitted the round).
	pub fn ceremony_bundles(id: CeremonyId, round: u8) -> Vec<(u16, Vec<u8>)> {
		CeremonyBundles::<T>::iter_prefix((id, round))
			.map(|(position, bundle)| (position, bundle.into_inner()))
			.collect()
	}
}
