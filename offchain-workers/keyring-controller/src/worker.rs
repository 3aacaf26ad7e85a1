//! The off-chain worker: per party account, find the requests to answer, produce and record the
//! answers, submit them, and keep the records that make it idempotent (see the crate docs).
//!
//! Persistent off-chain storage, all under `zenrock/controller/` and SCALE-encoded:
//! - `answer/(party, kind, request)` → [`AnswerRecord`]: the answer and when it was submitted;
//! - `open/party` → `Vec<(RequestKind, KeyringId, RequestId)>`: the answer records still to be
//!   cleaned up once the request is settled;
//! - `nonce/party` → [`NonceRecord`]: the party account's transactions in flight;
//! - `lock/party`: the party's [`StorageLock`].

// Everything the worker handles comes from the chain or the keystore: it may not panic. (Not
// set crate-wide because the pallet macro's generated code trips these lints.)
#![deny(
	clippy::arithmetic_side_effects,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::unreachable,
	clippy::unwrap_used
)]

use crate::{
	backend, reasons, Config, KeyringId, KeyringWork, Pallet, PendingKeyRequest,
	PendingSignRequest, RequestId, ResponseCalls, LOCK_DEADLINE_MS, LOG_TARGET,
};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::{Decode, Encode};
use frame_support::traits::Get;
use frame_system::{
	offchain::{
		Account, CreateSignedTransaction, CreateTransactionBase, Signer, SubmitTransaction,
	},
	pallet_prelude::BlockNumberFor,
};
use sp_core::hexdisplay::HexDisplay;
use sp_runtime::{
	offchain::{
		storage::StorageValueRef,
		storage_lock::{StorageLock, StorageLockGuard, Time},
		Duration, StorageKind,
	},
	traits::{One, Saturating},
};

/// The runtime's call type, in which the answers are submitted.
type CallOf<T> = <T as frame_system::Config>::RuntimeCall;
/// The call type of the extrinsics `CreateSignedTransaction` builds.
type ExtrinsicCallOf<T> = <T as CreateTransactionBase<CallOf<T>>>::RuntimeCall;
/// Pending requests of one keyring.
type PendingOf = (Vec<PendingKeyRequest>, Vec<PendingSignRequest>);
/// An entry of the list of answer records to clean up.
type OpenAnswer = (RequestKind, KeyringId, RequestId);

/// Prefix of every off-chain storage key of the worker.
pub const STORAGE_PREFIX: &[u8] = b"zenrock/controller/";

/// Which kind of request an answer belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode)]
pub enum RequestKind {
	/// A key request.
	Key,
	/// A signature request.
	Signature,
}

/// An answer of a party to a request, as recorded before it is submitted.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Answer {
	/// The public key generated for a key request.
	FulfilKey {
		/// Stored form of the key.
		public_key: Vec<u8>,
	},
	/// A key request this party refuses.
	RejectKey {
		/// One of [`reasons`].
		reason: Vec<u8>,
	},
	/// The signatures of a signature request's payloads, in order.
	FulfilSignature {
		/// One signature per payload.
		signatures: Vec<Vec<u8>>,
	},
	/// A signature request this party cannot serve.
	RejectSignature {
		/// One of [`reasons`].
		reason: Vec<u8>,
	},
}

impl Answer {
	/// The treasury call that carries this answer to `request`.
	fn call<T: Config>(&self, request: RequestId) -> CallOf<T> {
		match self {
			Answer::FulfilKey { public_key } => {
				T::Responses::fulfil_key(request, public_key.clone())
			}
			Answer::RejectKey { reason } => T::Responses::reject_key(request, reason.clone()),
			Answer::FulfilSignature { signatures } => {
				T::Responses::fulfil_signature(request, signatures.clone())
			}
			Answer::RejectSignature { reason } => {
				T::Responses::reject_signature(request, reason.clone())
			}
		}
	}
}

/// A party's answer to one request and its submission.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct AnswerRecord<BlockNumber> {
	/// The request's keyring.
	pub keyring: KeyringId,
	/// The answer, fixed once recorded.
	pub answer: Answer,
	/// The block of the last submission accepted by the transaction pool; `None` while no
	/// submission was accepted (recorded, then the node stopped or the pool refused).
	pub submitted_at: Option<BlockNumber>,
}

/// The transactions a party account has in flight, so that answers submitted in consecutive
/// blocks get consecutive nonces before the earlier ones are included.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct NonceRecord<Nonce, BlockNumber> {
	/// The nonce after the last transaction submitted.
	pub next: Nonce,
	/// The account's nonce on chain when it was last seen to change (or at the first
	/// submission after it).
	pub chain_nonce: Nonce,
	/// The block at which `chain_nonce` was first seen.
	pub since: BlockNumber,
}

/// The nonce for the next transaction: the worker's own count while transactions are in flight
/// and the chain makes progress, the chain's nonce otherwise, or when the chain's nonce has not
/// moved for `patience` blocks (a transaction was lost and later ones wait for it in vain).
pub fn choose_nonce<Nonce: Ord + Copy, BlockNumber: Saturating + Ord + Copy>(
	record: Option<&NonceRecord<Nonce, BlockNumber>>,
	chain_nonce: Nonce,
	now: BlockNumber,
	patience: BlockNumber,
) -> Nonce {
	match record {
		Some(record)
			if record.next > chain_nonce
				&& (record.chain_nonce != chain_nonce
					|| now < record.since.saturating_add(patience)) =>
		{
			record.next
		}
		_ => chain_nonce,
	}
}

/// The record after a transaction with nonce `used` was accepted by the pool.
pub fn nonce_record_after<Nonce: Saturating + One + Ord + Copy, BlockNumber: Copy>(
	record: Option<NonceRecord<Nonce, BlockNumber>>,
	used: Nonce,
	chain_nonce: Nonce,
	now: BlockNumber,
) -> NonceRecord<Nonce, BlockNumber> {
	let since = match record {
		// Still waiting for the same chain nonce, with our own transactions queued behind it.
		Some(record) if used != chain_nonce && record.chain_nonce == chain_nonce => record.since,
		// A fresh start from the chain's nonce, or the chain moved on.
		_ => now,
	};
	NonceRecord { next: used.saturating_add(One::one()), chain_nonce, since }
}

fn storage_key(kind: &[u8], suffix: impl Encode) -> Vec<u8> {
	let mut key = STORAGE_PREFIX.to_vec();
	key.extend_from_slice(kind);
	key.push(b'/');
	suffix.encode_to(&mut key);
	key
}

/// Key of the [`AnswerRecord`] of `party` for `request`.
pub fn answer_key<AccountId: Encode>(
	party: &AccountId,
	kind: RequestKind,
	request: RequestId,
) -> Vec<u8> {
	storage_key(b"answer", (party, kind, request))
}

/// Key of the list of `party`'s answer records to clean up.
pub fn open_answers_key<AccountId: Encode>(party: &AccountId) -> Vec<u8> {
	storage_key(b"open", party)
}

/// Key of `party`'s [`NonceRecord`].
pub fn nonce_key<AccountId: Encode>(party: &AccountId) -> Vec<u8> {
	storage_key(b"nonce", party)
}

/// Key of the node start marker `party`'s last run saw (see
/// [`zenrock_primitives::NODE_START_KEY`]).
pub fn node_start_seen_key<AccountId: Encode>(party: &AccountId) -> Vec<u8> {
	storage_key(b"node-start-seen", party)
}

/// Key of `party`'s [`StorageLock`].
pub fn lock_key<AccountId: Encode>(party: &AccountId) -> Vec<u8> {
	storage_key(b"lock", party)
}

/// Reads a value from persistent off-chain storage. A value that does not decode (written by an
/// incompatible version) counts as absent and is logged.
fn read<V: Decode>(key: &[u8]) -> Option<V> {
	match StorageValueRef::persistent(key).get::<V>() {
		Ok(value) => value,
		Err(_) => {
			log::warn!(
				target: LOG_TARGET,
				"undecodable off-chain storage value at 0x{}: ignored",
				HexDisplay::from(&key)
			);
			None
		}
	}
}

/// Whether `party` is the designated party of `request` among `parties`:
/// `parties[request % parties.len()]`.
pub fn is_designated<AccountId: PartialEq>(
	parties: &[AccountId],
	request: RequestId,
	party: &AccountId,
) -> bool {
	u64::try_from(parties.len())
		.ok()
		.and_then(|count| request.checked_rem(count))
		.and_then(|index| usize::try_from(index).ok())
		.and_then(|index| parties.get(index))
		.is_some_and(|designated| designated == party)
}

fn text(bytes: &[u8]) -> &str {
	core::str::from_utf8(bytes).unwrap_or("<not UTF-8>")
}

impl<T: Config> Pallet<T> {
	/// One run of the worker at block `now`: every party account of the keystore in turn.
	pub(crate) fn run(now: BlockNumberFor<T>) {
		let accounts: Vec<Account<T>> = Signer::<T, T::AuthorityId>::keystore_accounts().collect();
		if accounts.is_empty() {
			log::debug!(target: LOG_TARGET, "no keyring party key (zprt) in the keystore");
			return;
		}
		for account in accounts {
			PartyWorker::<T> { account, now, pending: BTreeMap::new(), restarted: false }.run();
		}
	}
}

/// The work of one run for one party account.
struct PartyWorker<T: Config> {
	account: Account<T>,
	now: BlockNumberFor<T>,
	/// The pending requests of the keyrings looked at in this run.
	pending: BTreeMap<KeyringId, PendingOf>,
	/// The node restarted since this party's last run: whatever it submitted before is gone
	/// with the old transaction pool, so recorded answers are resubmitted without waiting.
	restarted: bool,
}

impl<T: Config> PartyWorker<T> {
	fn run(mut self) {
		let keyrings = T::Work::keyrings_of_party(&self.account.id);
		let open = read::<Vec<OpenAnswer>>(&open_answers_key(&self.account.id)).unwrap_or_default();
		if keyrings.is_empty() && open.is_empty() {
			log::debug!(
				target: LOG_TARGET,
				"party key {:?} is not a party of any keyring",
				self.account.id
			);
			return;
		}
		let lock_key = lock_key(&self.account.id);
		let mut lock =
			StorageLock::<Time>::with_deadline(&lock_key, Duration::from_millis(LOCK_DEADLINE_MS));
		let mut guard = match lock.try_lock() {
			Ok(guard) => guard,
			Err(deadline) => {
				log::debug!(
					target: LOG_TARGET,
					"another worker is answering for {:?} (lock held until {:?}): skipped",
					self.account.id,
					deadline
				);
				return;
			}
		};
		self.restarted = self.notice_restart();
		self.clean_up(open);
		for keyring in keyrings {
			if !self.serve_keyring(keyring, &mut guard) {
				return;
			}
		}
	}

	/// Whether the node started anew since this party's last run (the start marker the node
	/// writes differs from the one seen last). If so, the nonce record is dropped: the
	/// transactions it counted died with the old pool, and the chain's nonce is the truth.
	fn notice_restart(&self) -> bool {
		let Some(start) = sp_io::offchain::local_storage_get(
			StorageKind::PERSISTENT,
			zenrock_primitives::NODE_START_KEY,
		) else {
			return false;
		};
		let seen_key = node_start_seen_key(&self.account.id);
		let seen = sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, &seen_key);
		if seen.as_ref() == Some(&start) {
			return false;
		}
		sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, &seen_key, &start);
		StorageValueRef::persistent(&nonce_key(&self.account.id)).clear();
		log::info!(
			target: LOG_TARGET,
			"the node (re)started: answers of {:?} submitted before are resubmitted now, from the \
			 chain's nonce",
			self.account.id
		);
		true
	}

	/// The pending requests of `keyring` (read once per run).
	fn pending(&mut self, keyring: KeyringId) -> &PendingOf {
		self.pending.entry(keyring).or_insert_with(|| {
			(T::Work::pending_key_requests(keyring), T::Work::pending_sign_requests(keyring))
		})
	}

	/// Forgets the answer records of requests that are settled for this party: the chain has
	/// its answer, or the request is no longer pending. Records of generated keys stay (see the
	/// crate docs).
	fn clean_up(&mut self, open: Vec<OpenAnswer>) {
		let before = open.len();
		let mut still_open = Vec::with_capacity(before);
		for (kind, keyring, request) in open {
			let settled = T::Work::has_responded(request, &self.account.id) || {
				let (keys, signatures) = self.pending(keyring);
				match kind {
					RequestKind::Key => !keys.iter().any(|r| r.id == request),
					RequestKind::Signature => !signatures.iter().any(|r| r.id == request),
				}
			};
			if !settled {
				still_open.push((kind, keyring, request));
				continue;
			}
			let key = answer_key(&self.account.id, kind, request);
			let mut record = StorageValueRef::persistent(&key);
			let generated_key = matches!(
				read::<AnswerRecord<BlockNumberFor<T>>>(&key),
				Some(AnswerRecord { answer: Answer::FulfilKey { .. }, .. })
			);
			if !generated_key {
				record.clear();
			}
			log::debug!(
				target: LOG_TARGET,
				"request {request} is settled for {:?}: answer record {}",
				self.account.id,
				if generated_key { "kept (generated key)" } else { "removed" }
			);
		}
		if still_open.len() != before {
			StorageValueRef::persistent(&open_answers_key(&self.account.id)).set(&still_open);
		}
	}

	/// Answers the pending requests of `keyring`, at most `MaxRequestsPerRun`. Returns `false`
	/// when the party's lock was lost and the run must stop.
	fn serve_keyring(
		&mut self,
		keyring: KeyringId,
		guard: &mut StorageLockGuard<'_, '_, Time>,
	) -> bool {
		let parties = T::Work::keyring_parties(keyring);
		if !parties.contains(&self.account.id) {
			return true;
		}
		let threshold = T::Work::keyring_threshold(keyring).max(1);
		let (key_requests, sign_requests) = self.pending(keyring).clone();
		let mut budget = T::MaxRequestsPerRun::get();
		let unanswered_keys =
			key_requests.iter().filter(|r| !T::Work::has_responded(r.id, &self.account.id));
		for request in unanswered_keys {
			if budget == 0 {
				return self.budget_spent(keyring);
			}
			if self.serve_key_request(request, &parties, threshold) {
				budget = budget.saturating_sub(1);
				if !self.keep_lock(guard) {
					return false;
				}
			}
		}
		let unanswered_signatures =
			sign_requests.iter().filter(|r| !T::Work::has_responded(r.id, &self.account.id));
		for request in unanswered_signatures {
			if budget == 0 {
				return self.budget_spent(keyring);
			}
			if self.serve_sign_request(request) {
				budget = budget.saturating_sub(1);
				if !self.keep_lock(guard) {
					return false;
				}
			}
		}
		true
	}

	fn budget_spent(&self, keyring: KeyringId) -> bool {
		log::debug!(
			target: LOG_TARGET,
			"keyring {keyring}: {} answers sent by {:?} in this block, the rest wait for the next",
			T::MaxRequestsPerRun::get(),
			self.account.id
		);
		true
	}

	fn keep_lock(&self, guard: &mut StorageLockGuard<'_, '_, Time>) -> bool {
		let kept = guard.extend_lock().is_ok();
		if !kept {
			log::warn!(
				target: LOG_TARGET,
				"lost the lock of {:?} (run slower than {LOCK_DEADLINE_MS} ms): stopping",
				self.account.id
			);
		}
		kept
	}

	/// Answers a key request (see the crate docs for the multi-party rules). Returns whether an
	/// answer was submitted (or attempted).
	fn serve_key_request(
		&self,
		request: &PendingKeyRequest,
		parties: &[T::AccountId],
		threshold: u32,
	) -> bool {
		let key = answer_key(&self.account.id, RequestKind::Key, request.id);
		if let Some(record) = read::<AnswerRecord<BlockNumberFor<T>>>(&key) {
			return self.resubmit_if_due(&key, record, request.id);
		}
		let answer = if threshold > 1 {
			log::info!(
				target: LOG_TARGET,
				"key request {} of keyring {} (threshold {threshold}) needs one key shared by several \
				 parties, which node keystores cannot create: rejecting from {:?}",
				request.id,
				request.keyring,
				self.account.id
			);
			Answer::RejectKey { reason: reasons::MULTI_PARTY_KEYS_UNSUPPORTED.to_vec() }
		} else if !is_designated(parties, request.id, &self.account.id) {
			log::debug!(
				target: LOG_TARGET,
				"key request {} of keyring {}: left to its designated party",
				request.id,
				request.keyring
			);
			return false;
		} else {
			let public_key = backend::generate_key(request.key_type);
			log::info!(
				target: LOG_TARGET,
				"generated {:?} key 0x{} for key request {} (keyring {}, party {:?})",
				request.key_type,
				HexDisplay::from(&public_key),
				request.id,
				request.keyring,
				self.account.id
			);
			Answer::FulfilKey { public_key }
		};
		self.record_and_submit(key, RequestKind::Key, request.keyring, request.id, answer);
		true
	}

	/// Answers a signature request: signs if this node holds the key, rejects otherwise.
	/// Returns whether an answer was submitted (or attempted).
	fn serve_sign_request(&self, request: &PendingSignRequest) -> bool {
		let key = answer_key(&self.account.id, RequestKind::Signature, request.id);
		if let Some(record) = read::<AnswerRecord<BlockNumberFor<T>>>(&key) {
			return self.resubmit_if_due(&key, record, request.id);
		}
		let answer = match backend::sign(request.key_type, &request.public_key, &request.payloads) {
			Ok(signatures) => {
				log::info!(
					target: LOG_TARGET,
					"signed {} payload(s) of signature request {} (keyring {}) with {:?} key 0x{}",
					signatures.len(),
					request.id,
					request.keyring,
					request.key_type,
					HexDisplay::from(&request.public_key)
				);
				Answer::FulfilSignature { signatures }
			}
			Err(refusal) => {
				log::info!(
					target: LOG_TARGET,
					"cannot serve signature request {} (keyring {}, {:?} key 0x{}) as {:?}: {}",
					request.id,
					request.keyring,
					request.key_type,
					HexDisplay::from(&request.public_key),
					self.account.id,
					refusal.detail
				);
				Answer::RejectSignature { reason: refusal.reason.to_vec() }
			}
		};
		self.record_and_submit(key, RequestKind::Signature, request.keyring, request.id, answer);
		true
	}

	/// Records a new answer (before anything is submitted, so that it is never produced twice)
	/// and submits it.
	fn record_and_submit(
		&self,
		key: Vec<u8>,
		kind: RequestKind,
		keyring: KeyringId,
		request: RequestId,
		answer: Answer,
	) {
		let record = AnswerRecord { keyring, answer, submitted_at: None };
		StorageValueRef::persistent(&key).set(&record);
		let open_key = open_answers_key(&self.account.id);
		let mut open = read::<Vec<OpenAnswer>>(&open_key).unwrap_or_default();
		if !open.contains(&(kind, keyring, request)) {
			open.push((kind, keyring, request));
			StorageValueRef::persistent(&open_key).set(&open);
		}
		self.submit(&key, record, request);
	}

	/// Submits a recorded answer again if the last submission is `ResubmitAfter` blocks old (the
	/// chain still lists the request as pending and unanswered by this party), or if no
	/// submission reached the pool. Returns whether it was submitted (or attempted).
	fn resubmit_if_due(
		&self,
		key: &[u8],
		record: AnswerRecord<BlockNumberFor<T>>,
		request: RequestId,
	) -> bool {
		match record.submitted_at {
			Some(at) => {
				let due = at.saturating_add(T::ResubmitAfter::get());
				if self.now < due && !self.restarted {
					log::debug!(
						target: LOG_TARGET,
						"answer of {:?} to request {request} submitted at block {at:?}: waiting for \
						 it on chain until block {due:?}",
						self.account.id
					);
					return false;
				}
				log::info!(
					target: LOG_TARGET,
					"resubmitting the answer to request {request} (keyring {}) from {:?}: not on \
					 chain {:?} blocks after submission at block {at:?}",
					record.keyring,
					self.account.id,
					self.now.saturating_sub(at)
				);
			}
			None => log::info!(
				target: LOG_TARGET,
				"submitting the recorded answer to request {request} (keyring {}) from {:?} again: \
				 no earlier submission reached the transaction pool",
				record.keyring,
				self.account.id
			),
		}
		self.submit(key, record, request);
		true
	}

	/// Signs and submits `record`'s answer from the party account; on success notes the block
	/// of submission in the record and the nonce used.
	fn submit(&self, key: &[u8], mut record: AnswerRecord<BlockNumberFor<T>>, request: RequestId) {
		let call = ExtrinsicCallOf::<T>::from(record.answer.call::<T>(request));
		let nonce_key = nonce_key(&self.account.id);
		let nonce_record = read::<NonceRecord<T::Nonce, BlockNumberFor<T>>>(&nonce_key);
		let chain_nonce = frame_system::Pallet::<T>::account_nonce(&self.account.id);
		let nonce =
			choose_nonce(nonce_record.as_ref(), chain_nonce, self.now, T::ResubmitAfter::get());
		let submitted = <T as CreateSignedTransaction<CallOf<T>>>::create_signed_transaction::<
			T::AuthorityId,
		>(call, self.account.public.clone(), self.account.id.clone(), nonce)
		.ok_or("the transaction could not be signed")
		.and_then(|transaction| {
			SubmitTransaction::<T, CallOf<T>>::submit_transaction(transaction)
				.map_err(|()| "the transaction pool refused the transaction")
		});
		if let Err(why) = submitted {
			log::warn!(
				target: LOG_TARGET,
				"could not submit the answer to request {request} (keyring {}) from {:?} with nonce \
				 {nonce:?}: {why} (does the party account have funds for fees?); retrying next block",
				record.keyring,
				self.account.id
			);
			return;
		}
		StorageValueRef::persistent(&nonce_key).set(&nonce_record_after(
			nonce_record,
			nonce,
			chain_nonce,
			self.now,
		));
		record.submitted_at = Some(self.now);
		StorageValueRef::persistent(key).set(&record);
		let (keyring, party) = (record.keyring, &self.account.id);
		match &record.answer {
			Answer::FulfilKey { .. } => log::info!(
				target: LOG_TARGET,
				"submitted key fulfilment for request {request} (keyring {keyring}) from {party:?}"
			),
			Answer::RejectKey { reason } => log::info!(
				target: LOG_TARGET,
				"submitted key rejection for request {request} (keyring {keyring}) from {party:?}: {}",
				text(reason)
			),
			Answer::FulfilSignature { signatures } => log::info!(
				target: LOG_TARGET,
				"submitted signature fulfilment for request {request} (keyring {keyring}, {} \
				 signatures) from {party:?}",
				signatures.len()
			),
			Answer::RejectSignature { reason } => log::info!(
				target: LOG_TARGET,
				"submitted signature rejection for request {request} (keyring {keyring}) from \
				 {party:?}: {}",
				text(reason)
			),
		}
	}
}
