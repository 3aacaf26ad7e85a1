//! The party side of threshold (FROST) keyrings: per party account, the worker keeps its
//! encryption key registered and its nonce-commitment pools filled, takes part in the key
//! generations it is listed in, and signs when a signing attempt chose it. The chain (the MPC
//! pallet, read through [`ThresholdWork`]) is the only transport; every message is a signed call
//! built by [`ThresholdCalls`].
//!
//! The pure steps (what to send, given what the chain shows and what the party's secrets and
//! journal hold) are free functions, tested without a node; [`PartyWorker`] reads the chain and
//! the off-chain storage and submits.
//!
//! Persistent off-chain storage, under `zenrock/controller/`, SCALE-encoded, secrets sealed at
//! rest ([`seal_at_rest`], key from the party's root, AAD the storage key):
//! - `frost-nonce/(party, commitment)` → [`NonceEntry`]: the single-use journal of each pooled
//!   nonce;
//! - `frost-share/(party, suite, group key)` → the sealed [`KeyShare`];
//! - `frost-sent/(party, step)` → [`SentRecord`]: a message submitted, and when;
//! - `frost-open/party` → `Vec<Step>`: the records to remove once their request is done;
//! - `frost-entropy/party` → `u64`: a counter mixed into the host's randomness.

// Everything the worker handles comes from the chain or the keystore: it may not panic.
#![deny(
	clippy::arithmetic_side_effects,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::unreachable,
	clippy::unwrap_used
)]

use crate::{
	worker::{read, storage_key, CallOf, PartyWorker},
	Config, DkgRound, DkgView, KeyId, KeyringId, KeyringWork, RequestId, SigningView, Suite,
	ThresholdCalls, ThresholdKeyView, ThresholdTask, ThresholdWork, LOG_TARGET,
	MPC_ENCRYPTION_KEY_TYPE,
};
use alloc::{vec, vec::Vec};
use codec::{Decode, Encode};
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::hexdisplay::HexDisplay;
use sp_runtime::{
	offchain::{
		storage::{MutateStorageError, StorageValueRef},
		storage_lock::{StorageLockGuard, Time},
	},
	traits::{Saturating, Zero},
};
use zenrock_mpc_core::{
	commit, dkg_round1, dkg_round2, dkg_round3, open_at_rest, open_share, seal_at_rest, seal_share,
	sign, x25519_public, Error, GroupPublic, KeyShare, PartySecrets, SigningNonces, Zeroizing,
	AT_REST_NONCE_SIZE, SCALAR_SIZE, SEALED_SHARE_SIZE,
};

/// What the party's `zenc` key signs to root its secrets (followed by the genesis hash and the
/// party account): bound to the chain and the party, so one `zenc` key serves several.
pub const ROOT_MESSAGE_DOMAIN: &[u8] = b"zenrock/mpc/master/v1";

/// HPKE `info` of DKG shares and backups, followed by the key request's id (little endian).
pub const DKG_INFO_DOMAIN: &[u8] = b"zenrock/frost-dkg/v1";

/// Domain of a signing package's hash in the nonce journal.
const PACKAGE_DOMAIN: &[u8] = b"zenrock/frost-signing-package/v1";

/// The suites every threshold keyring's pools are kept for.
const SUITES: [Suite; 2] = [Suite::Ed25519, Suite::Secp256k1Taproot];

/// A sealed DKG share (or backup).
type Sealed = [u8; SEALED_SHARE_SIZE];

/// The single-use journal entry of one pooled nonce, keyed by its commitment.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum NonceEntry {
	/// The nonce secrets ([`SigningNonces`]), sealed at rest; written before the commitment
	/// is published.
	Unused(Vec<u8>),
	/// The nonces signed the package with this hash into this share and are gone: the same
	/// package gets the same share again, any other package nothing.
	Used {
		/// Hash of the signing package ([`package_hash`]).
		package: [u8; 32],
		/// The signature share made.
		share: [u8; SCALAR_SIZE],
	},
}

/// A message a party sends at most once per wait ([`crate::Config::ResubmitAfter`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode)]
pub enum Step {
	/// `register_encryption_key`.
	EncryptionKey,
	/// `publish_commitments` (after `reset_commitments` when nonces were lost).
	Commitments {
		/// The keyring of the pool.
		keyring: KeyringId,
		/// The suite of the pool.
		suite: Suite,
	},
	/// `submit_dkg_round1` of a key request.
	DkgRound1(RequestId),
	/// `submit_dkg_round2` of a key request.
	DkgRound2(RequestId),
	/// `confirm_dkg` of a key request.
	DkgConfirm(RequestId),
	/// `complain_dkg` of a key request.
	DkgComplaint(RequestId),
	/// `submit_signature_shares` of an attempt of a signature request.
	Signing {
		/// The signature request.
		request: RequestId,
		/// Its attempt.
		attempt: u8,
	},
}

impl Step {
	/// The request the step belongs to (its record goes once the request is done).
	pub fn request(&self) -> Option<RequestId> {
		match self {
			Step::EncryptionKey | Step::Commitments { .. } => None,
			Step::DkgRound1(request)
			| Step::DkgRound2(request)
			| Step::DkgConfirm(request)
			| Step::DkgComplaint(request)
			| Step::Signing { request, .. } => Some(*request),
		}
	}
}

/// A message submitted (or being submitted) by a party.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct SentRecord<BlockNumber> {
	/// The block whose run handed it to the transaction pool; `None` while it is being
	/// submitted (written before, so a crash in between sends it again).
	pub submitted_at: Option<BlockNumber>,
	/// [`Step::Commitments`]: the commitments published, in order (the last shows whether the
	/// publication landed; all of them name the nonces to forget if it did not);
	/// [`Step::Signing`]: the commitments whose nonces signed (their journal entries go with the
	/// record).
	pub commitments: Vec<Vec<u8>>,
}

/// Key of the journal entry of `party`'s nonce behind `commitment`.
pub fn nonce_key<AccountId: Encode>(party: &AccountId, commitment: &[u8]) -> Vec<u8> {
	storage_key(b"frost-nonce", (party, commitment))
}

/// Key of `party`'s sealed share of the key `group_key` of `suite`.
pub fn share_key<AccountId: Encode>(party: &AccountId, suite: Suite, group_key: &[u8]) -> Vec<u8> {
	storage_key(b"frost-share", (party, suite, group_key))
}

/// Key of `party`'s record of `step`.
pub fn sent_key<AccountId: Encode>(party: &AccountId, step: &Step) -> Vec<u8> {
	storage_key(b"frost-sent", (party, step))
}

/// Key of `party`'s list of records to remove once their request is done.
pub fn open_steps_key<AccountId: Encode>(party: &AccountId) -> Vec<u8> {
	storage_key(b"frost-open", party)
}

/// Key of the single-holder verdict on `keyring` last logged for `party` (with the node start it
/// was logged at).
pub fn guard_verdict_key<AccountId: Encode>(party: &AccountId, keyring: KeyringId) -> Vec<u8> {
	storage_key(b"frost-guard", (party, keyring))
}

/// Whether the node runs as a development node (`--dev`): it wrote the development flag into its
/// off-chain storage at start.
fn development_node() -> bool {
	sp_io::offchain::local_storage_get(
		sp_core::offchain::StorageKind::PERSISTENT,
		zenrock_primitives::DEV_SINGLE_HOLDER_KEY,
	)
	.is_some_and(|flag| flag == [1])
}

/// Key of `party`'s entropy counter.
pub fn entropy_counter_key<AccountId: Encode>(party: &AccountId) -> Vec<u8> {
	storage_key(b"frost-entropy", party)
}

/// What `party`'s `zenc` key signs on the chain of genesis hash `genesis` to root its secrets.
pub fn root_message(genesis: &[u8], party: &[u8]) -> Vec<u8> {
	let mut message = ROOT_MESSAGE_DOMAIN.to_vec();
	message.extend_from_slice(genesis);
	message.extend_from_slice(party);
	message
}

/// Why no party root could be made with a `zenc` key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootError {
	/// The keystore did not sign.
	NotSigned,
	/// Two signatures of the same message differ: the keystore does not sign deterministically,
	/// so nothing derived from it could be derived again.
	NotDeterministic,
}

/// The party's root: the `zenc` key `root`'s signature of `message`, made twice and compared.
pub fn derive_root(
	root: &sp_core::ed25519::Public,
	message: &[u8],
) -> Result<PartySecrets, RootError> {
	root_from_signatures(|| {
		sp_io::crypto::ed25519_sign(MPC_ENCRYPTION_KEY_TYPE, root, message)
			.map(|signature| signature.0)
	})
}

/// The party's root from a `zenc` signature that `sign` makes (in the runtime through the host's
/// keystore, in the node's keyring engine with the keystore itself): made twice and compared, as
/// a secret derived from it must be derivable again.
pub fn root_from_signatures(
	sign: impl Fn() -> Option<[u8; 64]>,
) -> Result<PartySecrets, RootError> {
	let sign = || sign().map(Zeroizing::new).ok_or(RootError::NotSigned);
	let (first, second) = (sign()?, sign()?);
	if *first != *second {
		return Err(RootError::NotDeterministic);
	}
	Ok(PartySecrets::derive(&first))
}

/// A party's secrets for one run.
pub(crate) struct PartyKeys {
	secrets: PartySecrets,
	storage_key: Zeroizing<[u8; 32]>,
	x25519_secret: Zeroizing<[u8; 32]>,
	/// The X25519 public key to register.
	encryption_key: [u8; 32],
}

impl PartyKeys {
	fn new(secrets: PartySecrets) -> Result<Self, Error> {
		let x25519_secret = secrets.x25519_secret()?;
		let encryption_key = x25519_public(&x25519_secret);
		Ok(PartyKeys {
			storage_key: secrets.storage_key()?,
			secrets,
			x25519_secret,
			encryption_key,
		})
	}
}

/// The HPKE `info` of the shares of the key generation of `request` (and of the backups of the
/// key it made: a key's id is its request's id).
pub fn dkg_info(request: RequestId) -> Vec<u8> {
	let mut info = DKG_INFO_DOMAIN.to_vec();
	info.extend_from_slice(&request.to_le_bytes());
	info
}

/// The HPKE AAD of a share from `sender` to `recipient` (a backup: from and to oneself).
/// Participants are at most the MPC pallet's `PARTIES_BOUND` (32): one byte each, as the chain's
/// parties agree.
pub fn share_aad(sender: u16, recipient: u16) -> [u8; 2] {
	[sender as u8, recipient as u8]
}

/// `who`'s participant index (`1..=n`) among `participants`.
pub fn participant_of<AccountId: PartialEq>(
	participants: &[AccountId],
	who: &AccountId,
) -> Option<u16> {
	let index = participants.iter().position(|account| account == who)?;
	u16::try_from(index).ok()?.checked_add(1)
}

fn n_of<AccountId>(dkg: &DkgView<AccountId>) -> Result<u16, Error> {
	u16::try_from(dkg.participants.len()).map_err(|_| Error::InvalidParameters)
}

fn refs<T: AsRef<[u8]>>(entries: &[(u16, T)]) -> Vec<(u16, &[u8])> {
	entries.iter().map(|(participant, bytes)| (*participant, bytes.as_ref())).collect()
}

/// Round 1: participant `me`'s package, from its seed for `request`.
pub fn round1_package<AccountId>(
	secrets: &PartySecrets,
	request: RequestId,
	dkg: &DkgView<AccountId>,
	me: u16,
) -> Result<Vec<u8>, Error> {
	dkg_round1(dkg.suite, me, n_of(dkg)?, dkg.threshold, &*secrets.dkg_seed(request, 0)?)
}

/// Why round 2 cannot be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Round2Error {
	/// This participant has no encryption key on chain.
	NoEncryptionKey(u16),
	/// The protocol refused (a package missing or invalid).
	Protocol(Error),
}

impl From<Error> for Round2Error {
	fn from(error: Error) -> Self {
		Round2Error::Protocol(error)
	}
}

/// Round 2: participant `me`'s secret shares for the others, each sealed to its recipient's
/// encryption key (`encryption_key(recipient)`), in participant order.
pub fn round2_shares<AccountId>(
	secrets: &PartySecrets,
	request: RequestId,
	dkg: &DkgView<AccountId>,
	me: u16,
	round1: &[(u16, Vec<u8>)],
	encryption_key: impl Fn(u16) -> Option<[u8; 32]>,
) -> Result<Vec<Sealed>, Round2Error> {
	let seed = secrets.dkg_seed(request, 0)?;
	let mut shares = dkg_round2(dkg.suite, me, n_of(dkg)?, dkg.threshold, &seed, &refs(round1))?;
	shares.sort_by_key(|(recipient, _)| *recipient);
	let info = dkg_info(request);
	shares
		.iter()
		.map(|(recipient, share)| {
			let key = encryption_key(*recipient).ok_or(Round2Error::NoEncryptionKey(*recipient))?;
			let sealed = seal_share(
				&key,
				&info,
				&share_aad(me, *recipient),
				&share[..],
				&*secrets.seal_seed(request, 0, *recipient)?,
			)?;
			Sealed::try_from(sealed.as_slice())
				.map_err(|_| Round2Error::Protocol(Error::InvalidEncoding))
		})
		.collect()
}

/// What round 3 gives a participant.
#[derive(Debug)]
pub enum Round3Outcome {
	/// Every share checked out: the participant's key share.
	KeyShare(KeyShare),
	/// The share from this sender is missing, does not open or fails its check.
	Complain(u16),
}

/// Round 3: opens the shares sent to `me` (its own encryption key must be the one registered)
/// and checks them against the senders' round-1 commitments.
pub fn round3_outcome<AccountId>(
	keys: &PartyKeys,
	request: RequestId,
	dkg: &DkgView<AccountId>,
	me: u16,
	round1: &[(u16, Vec<u8>)],
	round2: &[(u16, Vec<Sealed>)],
) -> Result<Round3Outcome, Error> {
	let n = n_of(dkg)?;
	let info = dkg_info(request);
	let mut received: Vec<(u16, Zeroizing<Vec<u8>>)> = Vec::new();
	for sender in (1..=n).filter(|sender| *sender != me) {
		// Each sender's list skips the sender itself.
		let position = if me < sender { me.checked_sub(1) } else { me.checked_sub(2) };
		let sealed = round2
			.iter()
			.find(|(from, _)| *from == sender)
			.and_then(|(_, shares)| shares.get(usize::from(position?)));
		let Some(sealed) = sealed else { return Ok(Round3Outcome::Complain(sender)) };
		match open_share(&keys.x25519_secret, &info, &share_aad(sender, me), sealed) {
			Ok(share) => received.push((sender, share)),
			Err(_) => return Ok(Round3Outcome::Complain(sender)),
		}
	}
	let seed = keys.secrets.dkg_seed(request, 0)?;
	match dkg_round3(dkg.suite, me, n, dkg.threshold, &seed, &refs(round1), &refs(&received)) {
		Ok(share) => Ok(Round3Outcome::KeyShare(share)),
		Err(Error::InvalidSecretShare { culprit }) => Ok(Round3Outcome::Complain(culprit)),
		Err(error) => Err(error),
	}
}

/// The backup of a key share made for key request `request`: its signing share sealed to the
/// party's own encryption key.
pub fn share_backup(
	keys: &PartyKeys,
	request: RequestId,
	share: &KeyShare,
) -> Result<Sealed, Error> {
	let me = share.participant();
	let sealed = seal_share(
		&keys.encryption_key,
		&dkg_info(request),
		&share_aad(me, me),
		&share.signing_share()[..],
		&*keys.secrets.seal_seed(request, 0, me)?,
	)?;
	Sealed::try_from(sealed.as_slice()).map_err(|_| Error::InvalidEncoding)
}

/// A key share rebuilt from its backup on chain, `key`'s participant `me`'s.
pub fn recover_share(
	keys: &PartyKeys,
	key: KeyId,
	me: u16,
	public: &GroupPublic,
	backup: &Sealed,
) -> Result<KeyShare, Error> {
	let signing_share =
		open_share(&keys.x25519_secret, &dkg_info(key), &share_aad(me, me), backup)?;
	KeyShare::from_signing_share(public, me, &signing_share)
}

/// The hash that binds a nonce to what it signs: the message, every signer's commitment, the
/// request and the attempt.
pub fn package_hash(
	message: &[u8],
	commitments: &[(u16, &[u8])],
	request: RequestId,
	attempt: u8,
) -> [u8; 32] {
	sp_io::hashing::blake2_256(&(PACKAGE_DOMAIN, message, commitments, request, attempt).encode())
}

/// Why a nonce did not sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NonceRefusal {
	/// No journal entry: the nonce was lost (or its journal pruned).
	Missing,
	/// The nonce already signed another package: signing again would reveal the key share.
	Reused,
	/// The entry or the signing failed.
	Failed(Error),
}

/// The journal's transition for signing `package` with the nonce whose entry is `entry`: an
/// unused nonce is opened and signs (`sign`), and its entry becomes the package's hash and the
/// share; a used one gives its share again for the same package and nothing for another.
pub fn use_nonce(
	entry: Option<NonceEntry>,
	package: [u8; 32],
	open: impl FnOnce(&[u8]) -> Result<SigningNonces, Error>,
	sign: impl FnOnce(&SigningNonces) -> Result<[u8; SCALAR_SIZE], Error>,
) -> Result<NonceEntry, NonceRefusal> {
	match entry {
		None => Err(NonceRefusal::Missing),
		Some(NonceEntry::Used { package: used, share }) if used == package => {
			Ok(NonceEntry::Used { package, share })
		}
		Some(NonceEntry::Used { .. }) => Err(NonceRefusal::Reused),
		Some(NonceEntry::Unused(sealed)) => {
			let nonces = open(&sealed).map_err(NonceRefusal::Failed)?;
			let share = sign(&nonces).map_err(NonceRefusal::Failed)?;
			Ok(NonceEntry::Used { package, share })
		}
	}
}

/// The at-rest nonce number `index` from `entropy`.
fn at_rest_nonce(entropy: &[u8; 32], index: u32) -> [u8; AT_REST_NONCE_SIZE] {
	let hash = sp_io::hashing::blake2_256(&(b"at-rest", entropy, index).encode());
	let mut nonce = [0; AT_REST_NONCE_SIZE];
	nonce.iter_mut().zip(hash.iter()).for_each(|(byte, from)| *byte = *from);
	nonce
}

/// Seals `plaintext` for storage under `key` (the AAD).
fn seal(
	keys: &PartyKeys,
	key: &[u8],
	plaintext: &[u8],
	entropy: &[u8; 32],
	index: u32,
) -> Result<Vec<u8>, Error> {
	seal_at_rest(&keys.storage_key, key, plaintext, at_rest_nonce(entropy, index))
}

impl<T: Config> PartyWorker<T> {
	/// The threshold keyrings' work of this party (see the module docs), after its keystore
	/// keyrings'. Returns early when the party's lock was lost.
	pub(crate) fn serve_threshold_keyrings(
		&mut self,
		keyrings: &[KeyringId],
		guard: &mut StorageLockGuard<'_, '_, Time>,
	) {
		if keyrings.is_empty() {
			return;
		}
		let tasks = T::Threshold::tasks(&self.account.id);
		self.clean_up_steps(&tasks);
		let allowed: Vec<KeyringId> =
			keyrings.iter().copied().filter(|keyring| self.may_act_for(*keyring)).collect();
		if allowed.is_empty() {
			return;
		}
		let Some(keys) = self.party_keys() else { return };
		self.register_encryption_key(&keys);
		for (request, task) in tasks {
			match task {
				ThresholdTask::KeyGeneration => self.take_part_in_dkg(&keys, request, &allowed),
				ThresholdTask::Signing => self.sign_request(&keys, request, &allowed),
			}
			if !self.keep_lock(guard) {
				return;
			}
		}
		// Threshold ECDSA keyrings need the encryption key only: the node's engine serves them.
		for keyring in
			allowed.into_iter().filter(|keyring| T::Threshold::is_frost_keyring(*keyring))
		{
			for suite in SUITES {
				self.top_up_pool(&keys, keyring, suite);
			}
			if !self.keep_lock(guard) {
				return;
			}
		}
	}

	/// Whether this node may act for `keyring`: its keystore must hold fewer than `t` of the
	/// keyring's party keys, or one node could sign alone. A development node (`--dev`, see
	/// [`zenrock_primitives::DEV_SINGLE_HOLDER_KEY`]) or a runtime that allows it acts anyway,
	/// with a warning. The verdict is logged once per node start, not every block.
	fn may_act_for(&self, keyring: KeyringId) -> bool {
		let parties = T::Work::keyring_parties(keyring);
		let threshold = T::Work::keyring_threshold(keyring);
		let held = parties.iter().filter(|party| self.node_parties.contains(party)).count();
		if u32::try_from(held).unwrap_or(u32::MAX) < threshold {
			return true;
		}
		let allowed = T::AllowSingleHolder::get() || development_node();
		if !self.first_guard_verdict(keyring, allowed) {
			log::debug!(
				target: LOG_TARGET,
				"threshold keyring {keyring}: single holder, {}",
				if allowed { "acting" } else { "not acting" }
			);
			return allowed;
		}
		if allowed {
			log::warn!(
				target: LOG_TARGET,
				"this node holds {held} of the {} party keys of threshold keyring {keyring} \
				 (threshold {threshold}): it could sign alone; acting anyway (development node \
				 or single-holder demo)",
				parties.len()
			);
		} else {
			log::error!(
				target: LOG_TARGET,
				"this node holds {held} of the {} party keys of threshold keyring {keyring} \
				 (threshold {threshold}): it could sign alone, which defeats the threshold; not \
				 acting for the keyring (run its parties on separate nodes)",
				parties.len()
			);
		}
		allowed
	}

	/// Whether the single-holder verdict `allowed` on `keyring` is new for this party since the
	/// node started (then it is logged at warning or error level; later runs log it at debug).
	fn first_guard_verdict(&self, keyring: KeyringId, allowed: bool) -> bool {
		let start = sp_io::offchain::local_storage_get(
			sp_core::offchain::StorageKind::PERSISTENT,
			zenrock_primitives::NODE_START_KEY,
		)
		.unwrap_or_default();
		let verdict = (start, allowed).encode();
		let seen_key = guard_verdict_key(&self.account.id, keyring);
		let seen = StorageValueRef::persistent(&seen_key);
		if seen.get::<Vec<u8>>().ok().flatten().as_ref() == Some(&verdict) {
			return false;
		}
		seen.set(&verdict);
		true
	}

	/// The party's secrets, rooted in a `zenc` key of the keystore: the one whose encryption key
	/// the chain has for the party, otherwise the lowest.
	fn party_keys(&self) -> Option<PartyKeys> {
		let mut roots = sp_io::crypto::ed25519_public_keys(MPC_ENCRYPTION_KEY_TYPE);
		if roots.is_empty() {
			log::warn!(
				target: LOG_TARGET,
				"no threshold-keyring root key (zenc, ed25519) in the keystore: {:?} cannot take \
				 part in its threshold keyrings (insert one with `key insert --key-type zenc \
				 --scheme ed25519`)",
				self.account.id
			);
			return None;
		}
		roots.sort();
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let message = root_message(genesis.as_ref(), &self.account.id.encode());
		let registered = T::Threshold::encryption_key(&self.account.id);
		let mut lowest = None;
		for root in roots {
			let keys = match derive_root(&root, &message).map(PartyKeys::new) {
				Ok(Ok(keys)) => keys,
				Ok(Err(error)) => {
					log::error!(target: LOG_TARGET, "cannot derive the party secrets: {error}");
					continue;
				}
				Err(why) => {
					log::error!(
						target: LOG_TARGET,
						"zenc key {root:?} cannot root the secrets of {:?}: {why:?}",
						self.account.id
					);
					continue;
				}
			};
			if registered == Some(keys.encryption_key) {
				return Some(keys);
			}
			lowest.get_or_insert(keys);
		}
		lowest
	}

	/// Whether `step` is due: never sent, being sent, or sent `ResubmitAfter` blocks ago (or
	/// before a node restart) without the chain showing it.
	fn due(&self, step: &Step) -> bool {
		let record = read::<SentRecord<BlockNumberFor<T>>>(&sent_key(&self.account.id, step));
		let Some(at) = record.and_then(|record| record.submitted_at) else { return true };
		let due = at.saturating_add(T::ResubmitAfter::get());
		if self.now < due && !self.restarted {
			log::debug!(
				target: LOG_TARGET,
				"{step:?} of {:?} submitted at block {at:?}: waiting for it until block {due:?}",
				self.account.id
			);
			return false;
		}
		log::info!(
			target: LOG_TARGET,
			"sending {step:?} of {:?} again: not on chain since block {at:?}",
			self.account.id
		);
		true
	}

	/// Records `step` as being sent (write-ahead: a crash before the submission is noted sends
	/// it again) with its `commitments`, and lists it for removal once its request is done.
	fn record_step(&self, step: Step, commitments: Vec<Vec<u8>>) -> SentRecord<BlockNumberFor<T>> {
		let record = SentRecord::<BlockNumberFor<T>> { submitted_at: None, commitments };
		StorageValueRef::persistent(&sent_key(&self.account.id, &step)).set(&record);
		if step.request().is_some() {
			let open_key = open_steps_key(&self.account.id);
			let mut open = read::<Vec<Step>>(&open_key).unwrap_or_default();
			if !open.contains(&step) {
				open.push(step);
				StorageValueRef::persistent(&open_key).set(&open);
			}
		}
		record
	}

	/// Records `step` (write-ahead), submits `call` and notes the submission. Returns whether
	/// the transaction pool took it.
	fn send(&self, step: Step, call: CallOf<T>, commitments: Vec<Vec<u8>>) -> bool {
		let key = sent_key(&self.account.id, &step);
		let mut record = self.record_step(step, commitments);
		if let Err((nonce, why)) = self.submit_call(call) {
			log::warn!(
				target: LOG_TARGET,
				"could not submit {step:?} from {:?} with nonce {nonce:?}: {why} (does the party \
				 account have funds for fees?); retrying next block",
				self.account.id
			);
			return false;
		}
		record.submitted_at = Some(self.now);
		StorageValueRef::persistent(&key).set(&record);
		log::info!(target: LOG_TARGET, "submitted {step:?} from {:?}", self.account.id);
		true
	}

	/// Removes the records of steps whose request is no longer among the party's tasks, with
	/// the journal entries of the nonces that signed (a nonce's secret is gone once it signed,
	/// so dropping its entry never lets it sign again).
	fn clean_up_steps(&self, tasks: &[(RequestId, ThresholdTask)]) {
		let open_key = open_steps_key(&self.account.id);
		let Some(open) = read::<Vec<Step>>(&open_key) else { return };
		let (open, done): (Vec<Step>, Vec<Step>) = open.into_iter().partition(|step| {
			step.request().is_none_or(|request| tasks.iter().any(|(task, _)| *task == request))
		});
		if done.is_empty() {
			return;
		}
		for step in &done {
			let key = sent_key(&self.account.id, step);
			if let (Step::Signing { .. }, Some(record)) =
				(step, read::<SentRecord<BlockNumberFor<T>>>(&key))
			{
				for commitment in record.commitments {
					let nonce_key = nonce_key(&self.account.id, &commitment);
					let mut entry = StorageValueRef::persistent(&nonce_key);
					if matches!(entry.get::<NonceEntry>(), Ok(Some(NonceEntry::Used { .. }))) {
						entry.clear();
					}
				}
			}
			StorageValueRef::persistent(&key).clear();
		}
		StorageValueRef::persistent(&open_key).set(&open);
		log::debug!(
			target: LOG_TARGET,
			"{:?}: {} threshold message record(s) of finished requests removed",
			self.account.id,
			done.len()
		);
	}

	/// Registers the party's encryption key when the chain has another (or none).
	fn register_encryption_key(&self, keys: &PartyKeys) {
		if T::Threshold::encryption_key(&self.account.id) == Some(keys.encryption_key) {
			return;
		}
		let step = Step::EncryptionKey;
		if self.due(&step) {
			self.send(
				step,
				T::ThresholdCalls::register_encryption_key(keys.encryption_key),
				vec![],
			);
		}
	}

	/// Fresh entropy: the host's randomness, hashed with a counter kept in off-chain storage
	/// (distinct inputs even if the host repeated itself) and the party.
	fn fresh_entropy(&self) -> [u8; 32] {
		let key = entropy_counter_key(&self.account.id);
		let counter = read::<u64>(&key).unwrap_or(0);
		StorageValueRef::persistent(&key).set(&counter.saturating_add(1));
		let seed = sp_io::offchain::random_seed();
		sp_io::hashing::blake2_256(&(b"entropy", seed, counter, &self.account.id).encode())
	}

	/// The journal entry of the nonce behind `commitment`, if readable.
	fn nonce_entry(&self, commitment: &[u8]) -> Option<NonceEntry> {
		StorageValueRef::persistent(&nonce_key(&self.account.id, commitment))
			.get::<NonceEntry>()
			.ok()
			.flatten()
	}

	/// Keeps `keyring`'s pool for `suite` usable: when nonces behind pooled commitments are lost,
	/// empties it; when it is below half of the most it may hold, fills it. Each nonce is
	/// journalled before its commitment is published.
	fn top_up_pool(&self, keys: &PartyKeys, keyring: KeyringId, suite: Suite) {
		let pooled = T::Threshold::pooled_commitments(keyring, suite, &self.account.id);
		let most = usize::try_from(T::Threshold::max_pooled_commitments()).unwrap_or(0);
		let step = Step::Commitments { keyring, suite };
		let record = read::<SentRecord<BlockNumberFor<T>>>(&sent_key(&self.account.id, &step));
		// A publication that is not on chain yet (its last commitment neither pooled nor used):
		// wait for it, until it is due again.
		let in_flight =
			record.as_ref().and_then(|record| record.commitments.last()).is_some_and(|last| {
				!pooled.contains(last)
					&& matches!(self.nonce_entry(last), Some(NonceEntry::Unused(_)))
			});
		let lost = pooled
			.iter()
			.filter(|commitment| {
				!matches!(self.nonce_entry(commitment), Some(NonceEntry::Unused(_)))
			})
			.count();
		if lost == 0 && pooled.len().saturating_mul(2) >= most {
			return;
		}
		if in_flight && !self.due(&step) {
			return;
		}
		if in_flight {
			// The last publication did not reach the chain in time: a new one replaces it, and
			// the nonces behind its commitments would never be used. Should it land after all,
			// its commitments have no nonces here and the pool is reset below, next time.
			if let Some(record) = &record {
				self.forget_unpublished_nonces(&record.commitments, &pooled);
			}
		}
		let mut reset = false;
		let count = if lost > 0 {
			log::warn!(
				target: LOG_TARGET,
				"{lost} of the {} pooled commitments of {:?} (keyring {keyring}, {suite:?}) have no \
				 nonces here (off-chain storage lost?): emptying the pool and filling it anew",
				pooled.len(),
				self.account.id
			);
			for commitment in &pooled {
				StorageValueRef::persistent(&nonce_key(&self.account.id, commitment)).clear();
			}
			reset = true;
			most
		} else {
			most.saturating_sub(pooled.len())
		};
		if count == 0 {
			return;
		}
		let commitments = match self.new_nonces(keys, suite, count) {
			Ok(commitments) => commitments,
			Err(error) => {
				log::error!(target: LOG_TARGET, "cannot make signing nonces: {error}");
				return;
			}
		};
		let sent = commitments.clone();
		if reset {
			if let Err((nonce, why)) =
				self.submit_call(T::ThresholdCalls::reset_commitments(keyring, suite))
			{
				log::warn!(
					target: LOG_TARGET,
					"could not submit the reset of the pool of {:?} (keyring {keyring}, {suite:?}) \
					 with nonce {nonce:?}: {why}; retrying next block",
					self.account.id
				);
				return;
			}
		}
		let published = commitments.len();
		let call = T::ThresholdCalls::publish_commitments(keyring, suite, commitments);
		if self.send(step, call, sent) {
			log::info!(
				target: LOG_TARGET,
				"published {published} nonce commitments of {:?} (keyring {keyring}, {suite:?})",
				self.account.id
			);
		}
	}

	/// Removes the unused nonces behind `commitments` of a publication that did not reach the
	/// chain (those not in `pooled`). Used nonces stay: their journal entries refuse reuse.
	fn forget_unpublished_nonces(&self, commitments: &[Vec<u8>], pooled: &[Vec<u8>]) {
		let mut forgotten = 0usize;
		for commitment in commitments.iter().filter(|commitment| !pooled.contains(commitment)) {
			let key = nonce_key(&self.account.id, commitment);
			let mut entry = StorageValueRef::persistent(&key);
			if matches!(entry.get::<NonceEntry>(), Ok(Some(NonceEntry::Unused(_)))) {
				entry.clear();
				forgotten = forgotten.saturating_add(1);
			}
		}
		if forgotten > 0 {
			log::info!(
				target: LOG_TARGET,
				"forgot the {forgotten} nonces of {:?} whose publication did not reach the chain",
				self.account.id
			);
		}
	}

	/// Makes `count` nonces of `suite`, journals each (sealed) under its commitment and returns
	/// the commitments in order.
	fn new_nonces(
		&self,
		keys: &PartyKeys,
		suite: Suite,
		count: usize,
	) -> Result<Vec<Vec<u8>>, Error> {
		let entropy = self.fresh_entropy();
		let mut rng = keys.secrets.nonce_rng(&entropy)?;
		let mut commitments = Vec::with_capacity(count);
		for index in 0..count {
			let (nonces, commitment) = commit(suite, &mut rng)?;
			let key = nonce_key(&self.account.id, &commitment);
			let index = u32::try_from(index).map_err(|_| Error::InvalidParameters)?;
			let sealed = seal(keys, &key, &nonces.to_bytes(), &entropy, index)?;
			StorageValueRef::persistent(&key).set(&NonceEntry::Unused(sealed));
			commitments.push(commitment);
		}
		Ok(commitments)
	}

	/// Sends this party's message of the current round of the key generation of `request`.
	fn take_part_in_dkg(&self, keys: &PartyKeys, request: RequestId, allowed: &[KeyringId]) {
		let Some(dkg) = T::Threshold::dkg_session(request) else { return };
		if !allowed.contains(&dkg.keyring) {
			return;
		}
		let Some(me) = participant_of(&dkg.participants, &self.account.id) else { return };
		let round1 = T::Threshold::dkg_round1_packages(request);
		match dkg.round {
			DkgRound::Round1 => {
				let step = Step::DkgRound1(request);
				if round1.iter().any(|(sender, _)| *sender == me) || !self.due(&step) {
					return;
				}
				match round1_package(&keys.secrets, request, &dkg, me) {
					Ok(package) => {
						self.send(
							step,
							T::ThresholdCalls::submit_dkg_round1(request, package),
							vec![],
						);
					}
					Err(error) => self.dkg_error(request, "round 1", error),
				}
			}
			DkgRound::Round2 => {
				let step = Step::DkgRound2(request);
				let round2 = T::Threshold::dkg_round2_shares(request);
				if round2.iter().any(|(sender, _)| *sender == me) || !self.due(&step) {
					return;
				}
				let encryption_key = |recipient: u16| {
					let account = dkg.participants.get(usize::from(recipient.checked_sub(1)?))?;
					T::Threshold::encryption_key(account)
				};
				match round2_shares(&keys.secrets, request, &dkg, me, &round1, encryption_key) {
					Ok(shares) => {
						self.send(
							step,
							T::ThresholdCalls::submit_dkg_round2(request, shares),
							vec![],
						);
					}
					Err(Round2Error::NoEncryptionKey(recipient)) => log::warn!(
						target: LOG_TARGET,
						"key generation of request {request}: participant {recipient} has no \
						 encryption key; waiting"
					),
					Err(Round2Error::Protocol(error)) => self.dkg_error(request, "round 2", error),
				}
			}
			DkgRound::Confirm => self.confirm_dkg(keys, request, &dkg, me, &round1),
		}
	}

	fn dkg_error(&self, request: RequestId, round: &str, error: Error) {
		log::error!(
			target: LOG_TARGET,
			"key generation of request {request}: {:?} cannot make its {round} message: {error}",
			self.account.id
		);
	}

	/// Confirm: opens and checks the shares sent to this party, keeps the key share (before
	/// confirming) and confirms with its backup, or complains about the sender of a bad share.
	fn confirm_dkg(
		&self,
		keys: &PartyKeys,
		request: RequestId,
		dkg: &DkgView<T::AccountId>,
		me: u16,
		round1: &[(u16, Vec<u8>)],
	) {
		let step = Step::DkgConfirm(request);
		let complaint = Step::DkgComplaint(request);
		if T::Threshold::dkg_confirmed(request, me) || !self.due(&step) || !self.due(&complaint) {
			return;
		}
		if T::Threshold::encryption_key(&self.account.id) != Some(keys.encryption_key) {
			log::error!(
				target: LOG_TARGET,
				"key generation of request {request}: the encryption key on chain for {:?} is not \
				 this node's (another zenc key?): its shares cannot be opened here",
				self.account.id
			);
			return;
		}
		let round2 = T::Threshold::dkg_round2_shares(request);
		match round3_outcome(keys, request, dkg, me, round1, &round2) {
			Ok(Round3Outcome::KeyShare(share)) => {
				if let Err(error) = self.store_key_share(keys, &share) {
					return self.dkg_error(request, "confirmation", error);
				}
				let backup = match share_backup(keys, request, &share) {
					Ok(backup) => backup,
					Err(error) => return self.dkg_error(request, "confirmation", error),
				};
				let group_key = share.group_key();
				log::info!(
					target: LOG_TARGET,
					"key generation of request {request}: {:?} holds share {me} of {:?} key 0x{}",
					self.account.id,
					share.suite(),
					HexDisplay::from(&group_key)
				);
				self.send(step, T::ThresholdCalls::confirm_dkg(request, group_key, backup), vec![]);
			}
			Ok(Round3Outcome::Complain(culprit)) => {
				log::warn!(
					target: LOG_TARGET,
					"key generation of request {request}: the share from participant {culprit} to \
					 {:?} is invalid; complaining",
					self.account.id
				);
				self.send(complaint, T::ThresholdCalls::complain_dkg(request, culprit), vec![]);
			}
			Err(error) => self.dkg_error(request, "confirmation", error),
		}
	}

	/// Stores `share` sealed at rest.
	fn store_key_share(&self, keys: &PartyKeys, share: &KeyShare) -> Result<(), Error> {
		let key = share_key(&self.account.id, share.suite(), &share.group_key());
		let sealed = seal(keys, &key, &share.to_bytes(), &self.fresh_entropy(), 0)?;
		StorageValueRef::persistent(&key).set(&sealed);
		Ok(())
	}

	/// This party's share of threshold key `key`: from off-chain storage, or else recovered
	/// from its backup on chain (and stored again).
	fn key_share(
		&self,
		keys: &PartyKeys,
		key: KeyId,
		view: &ThresholdKeyView<T::AccountId>,
	) -> Option<KeyShare> {
		let public = GroupPublic::decode(&mut &view.public[..]).ok()?;
		let me = participant_of(&view.participants, &self.account.id)?;
		let storage = share_key(&self.account.id, public.suite(), &public.group_key());
		let stored = read::<Vec<u8>>(&storage)
			.and_then(|sealed| open_at_rest(&keys.storage_key, &storage, &sealed).ok())
			.and_then(|bytes| KeyShare::from_bytes(&bytes).ok())
			.filter(|share| share.participant() == me);
		if stored.is_some() {
			return stored;
		}
		let Some(backup) = T::Threshold::share_backup(key, me) else {
			log::error!(
				target: LOG_TARGET,
				"{:?} has no share of key {key} here and no backup on chain",
				self.account.id
			);
			return None;
		};
		match recover_share(keys, key, me, &public, &backup) {
			Ok(share) => {
				if let Err(error) = self.store_key_share(keys, &share) {
					log::warn!(target: LOG_TARGET, "cannot store the recovered share: {error}");
				}
				log::info!(
					target: LOG_TARGET,
					"recovered the share of key {key} of {:?} from its backup on chain",
					self.account.id
				);
				Some(share)
			}
			Err(error) => {
				log::error!(
					target: LOG_TARGET,
					"cannot recover the share of key {key} of {:?} from its backup: {error}",
					self.account.id
				);
				None
			}
		}
	}

	/// Signs every payload of the current attempt of `request` if it chose this party, each with
	/// its own nonce through the journal, and submits the shares.
	fn sign_request(&self, keys: &PartyKeys, request: RequestId, allowed: &[KeyringId]) {
		let Some(session) = T::Threshold::signing_session(request) else { return };
		let Some(mine) = session.signers.iter().find(|signer| signer.account == self.account.id)
		else {
			return;
		};
		let step = Step::Signing { request, attempt: session.attempt };
		if T::Threshold::signature_shares_submitted(request, mine.participant) || !self.due(&step) {
			return;
		}
		let Some(key) = T::Threshold::threshold_key(session.key) else { return };
		if !allowed.contains(&key.keyring) {
			return;
		}
		let Some(payloads) = T::Threshold::sign_payloads(request) else { return };
		if payloads.len() != mine.commitments.len() {
			log::error!(
				target: LOG_TARGET,
				"signature request {request}: {} payloads but {} commitments of {:?}",
				payloads.len(),
				mine.commitments.len(),
				self.account.id
			);
			return;
		}
		let Some(share) = self.key_share(keys, session.key, &key) else { return };
		// Listed before any nonce is used, so the journal entries go with the request even if
		// a later payload fails.
		self.record_step(step, mine.commitments.clone());
		let mut shares = Vec::with_capacity(payloads.len());
		for ((index, payload), commitment) in payloads.iter().enumerate().zip(&mine.commitments) {
			match self.sign_payload(keys, &share, request, &session, index, payload, commitment) {
				Some(signature_share) => shares.push(signature_share),
				None => return,
			}
		}
		let call = T::ThresholdCalls::submit_signature_shares(request, session.attempt, shares);
		self.send(step, call, mine.commitments.clone());
	}

	/// Signs payload `index` of the attempt with the nonce behind `commitment`, through the
	/// single-use journal (one compare-and-set write: the nonce secret is replaced by the
	/// package's hash and the share before anything is sent).
	#[allow(clippy::too_many_arguments)]
	fn sign_payload(
		&self,
		keys: &PartyKeys,
		share: &KeyShare,
		request: RequestId,
		session: &SigningView<T::AccountId>,
		index: usize,
		payload: &[u8],
		commitment: &[u8],
	) -> Option<[u8; SCALAR_SIZE]> {
		let commitments: Vec<(u16, &[u8])> = session
			.signers
			.iter()
			.filter_map(|signer| {
				signer.commitments.get(index).map(|c| (signer.participant, c.as_slice()))
			})
			.collect();
		let package = package_hash(payload, &commitments, request, session.attempt);
		let key = nonce_key(&self.account.id, commitment);
		let result = StorageValueRef::persistent(&key).mutate(|current| {
			let entry = current.map_err(|_| NonceRefusal::Failed(Error::InvalidEncoding))?;
			use_nonce(
				entry,
				package,
				|sealed| {
					let bytes = open_at_rest(&keys.storage_key, &key, sealed)?;
					SigningNonces::from_bytes(&bytes)
				},
				|nonces| sign(share, nonces, payload, &commitments),
			)
		});
		let refusal = match result {
			Ok(NonceEntry::Used { share, .. }) => return Some(share),
			Ok(NonceEntry::Unused(_)) => NonceRefusal::Failed(Error::InvalidParameters),
			Err(MutateStorageError::ValueFunctionFailed(refusal)) => refusal,
			Err(MutateStorageError::ConcurrentModification(_)) => {
				log::warn!(
					target: LOG_TARGET,
					"signature request {request}: the nonce journal of {:?} changed meanwhile; \
					 retrying next block",
					self.account.id
				);
				return None;
			}
		};
		match refusal {
			NonceRefusal::Reused => log::error!(
				target: LOG_TARGET,
				"nonce reuse refused: signature request {request} (attempt {}) asks {:?} to sign \
				 payload {index} with a nonce that already signed another package; not signing",
				session.attempt,
				self.account.id
			),
			NonceRefusal::Missing => log::warn!(
				target: LOG_TARGET,
				"signature request {request}: {:?} has no nonce for its commitment of payload \
				 {index} (off-chain storage lost?); the attempt will pass to other signers",
				self.account.id
			),
			NonceRefusal::Failed(error) => log::error!(
				target: LOG_TARGET,
				"signature request {request}: {:?} cannot sign payload {index}: {error}",
				self.account.id
			),
		}
		None
	}
}
