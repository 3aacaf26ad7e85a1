//! The off-chain worker: per party account, find the requests to answer, produce and record the
//! answers, submit them, and keep the records that make it idempotent (see the crate docs).
//!
//! Persistent off-chain storage, all under `zenrock/controller/` and SCALE-encoded:
//! - `answer/(party, kind, request)` → [`AnswerRecord`]: the answer and when it was submitted;
//! - `open/party` → `Vec<(RequestKind, KeyringId, RequestId)>`: the answer records still to be
//!   cleaned up once the request is settled;
//! - `nonce/party` → [`NonceRecord`]: the party account's transactions in flight;
//! - `lock/party`: the party's [`StorageLock`].
//!
//! The threshold keyrings' journal and records are under the same prefix (see `threshold.rs`).

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
	backend, reasons, Config, EcdsaCall, EcdsaSubmitError, KeyringId, KeyringWork, Pallet,
	PendingKeyRequest, PendingSignRequest, RequestId, ResponseCalls, ThresholdCalls, ThresholdWork,
	LOCK_DEADLINE_MS, LOG_TARGET,
};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::{Decode, Encode};
use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo},
	traits::Get,
	weights::Weight,
};
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
pub(crate) type CallOf<T> = <T as frame_system::Config>::RuntimeCall;
/// The call type of the extrinsics `CreateSignedTransaction` builds.
type ExtrinsicCallOf<T> = <T as CreateTransactionBase<CallOf<T>>>::RuntimeCall;
/// Pending requests of one keyring.
type PendingOf = (Vec<PendingKeyRequest>, Vec<PendingSignRequest>);
/// An entry of the list of answer records to clean up.
type OpenAnswer = (RequestKind, KeyringId, RequestId);

/// Room left in a call for the transaction's signature and extensions: its length in bytes and
/// its weight as a share of the most a normal extrinsic may weigh.
const TRANSACTION_OVERHEAD_BYTES: usize = 1024;
const CALL_SHARE_OF_MAX_EXTRINSIC: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(95);

/// The answers one run gives for one keyring, by the batched call that carries them, with their
/// records (off-chain storage key and record) by request.
#[derive(Default)]
struct Answers<BlockNumber> {
	keys: Vec<(RequestId, Vec<u8>)>,
	signatures: Vec<(RequestId, Vec<Vec<u8>>)>,
	rejections: Vec<(RequestId, Vec<u8>)>,
	records: BTreeMap<RequestId, (Vec<u8>, AnswerRecord<BlockNumber>)>,
}

impl<BlockNumber> Answers<BlockNumber> {
	fn add(&mut self, request: RequestId, key: Vec<u8>, record: AnswerRecord<BlockNumber>) {
		match &record.answer {
			Answer::FulfilKey { public_key } => self.keys.push((request, public_key.clone())),
			Answer::FulfilSignature { signatures } => {
				self.signatures.push((request, signatures.clone()))
			}
			Answer::RejectKey { reason } | Answer::RejectSignature { reason } => {
				self.rejections.push((request, reason.clone()))
			}
		}
		self.records.insert(request, (key, record));
	}

	fn len(&self) -> usize {
		self.records.len()
	}
}

/// How large one answering call may be: the weight and length a normal extrinsic may have, less
/// room for the transaction around it, and the most answers a call may carry.
struct CallLimits {
	max_weight: Weight,
	max_length: usize,
	max_items: usize,
}

impl CallLimits {
	fn of<T: Config>() -> Self {
		let weights = T::BlockWeights::get();
		let normal = weights.get(DispatchClass::Normal);
		let limit = normal.max_extrinsic.or(normal.max_total).unwrap_or(weights.max_block);
		CallLimits {
			max_weight: Weight::from_parts(
				CALL_SHARE_OF_MAX_EXTRINSIC.mul_floor(limit.ref_time()),
				CALL_SHARE_OF_MAX_EXTRINSIC.mul_floor(limit.proof_size()),
			),
			max_length: (*T::BlockLength::get().max.get(DispatchClass::Normal) as usize)
				.saturating_sub(TRANSACTION_OVERHEAD_BYTES),
			max_items: usize::try_from(T::Responses::max_answers_per_call()).unwrap_or(usize::MAX),
		}
	}

	/// The calls `call_of` builds for `answers` (each a request and its answer), within these
	/// limits, with the requests each call answers.
	fn calls<Call: GetDispatchInfo + Encode, Answer: Clone + Encode>(
		&self,
		answers: Vec<(RequestId, Answer)>,
		call_of: impl Fn(Vec<(RequestId, Answer)>) -> Call,
	) -> Vec<(Vec<RequestId>, Call)> {
		split_into_calls(answers, &call_of, self.max_weight, self.max_length, self.max_items)
			.into_iter()
			.map(|batch| (batch.iter().map(|(request, _)| *request).collect(), call_of(batch)))
			.collect()
	}
}

/// Splits `items` into the calls `call_of` builds, each within the weight and length a normal
/// extrinsic may have (with room for the transaction around it) and within `max_items`.
pub fn split_into_calls<Call: GetDispatchInfo + Encode, Item: Clone + Encode>(
	items: Vec<Item>,
	call_of: impl Fn(Vec<Item>) -> Call,
	max_weight: Weight,
	max_length: usize,
	max_items: usize,
) -> Vec<Vec<Item>> {
	let empty = call_of(Vec::new());
	let (base_weight, base_length) = (empty.get_dispatch_info().call_weight, empty.encoded_size());
	let mut calls = Vec::new();
	let mut current: Vec<Item> = Vec::new();
	let (mut weight, mut length) = (base_weight, base_length);
	for item in items {
		// The weight functions are linear in the items, so an item weighs what a call of it
		// alone weighs beyond the empty call.
		let item_weight = call_of(alloc::vec![item.clone()])
			.get_dispatch_info()
			.call_weight
			.saturating_sub(base_weight);
		let item_length = item.encoded_size();
		let full = current.len() >= max_items.max(1)
			|| !weight.saturating_add(item_weight).all_lte(max_weight)
			|| length.saturating_add(item_length) > max_length;
		if full && !current.is_empty() {
			calls.push(core::mem::take(&mut current));
			(weight, length) = (base_weight, base_length);
		}
		weight = weight.saturating_add(item_weight);
		length = length.saturating_add(item_length);
		current.push(item);
	}
	if !current.is_empty() {
		calls.push(current);
	}
	calls
}

/// Prefix of every off-chain storage key of the worker.
pub const STORAGE_PREFIX: &[u8] = b"zenrock/controller/";

/// Which kind of request an answer belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Encode, Decode)]
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

pub(crate) fn storage_key(kind: &[u8], suffix: impl Encode) -> Vec<u8> {
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
pub(crate) fn read<V: Decode>(key: &[u8]) -> Option<V> {
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

impl<T: Config> Pallet<T> {
	/// One run of the worker at block `now`: every party account of the keystore in turn.
	pub(crate) fn run(now: BlockNumberFor<T>) {
		let accounts: Vec<Account<T>> = Signer::<T, T::AuthorityId>::keystore_accounts().collect();
		if accounts.is_empty() {
			log::debug!(target: LOG_TARGET, "no keyring party key (zprt) in the keystore");
			return;
		}
		let node_parties: Vec<T::AccountId> =
			accounts.iter().map(|account| account.id.clone()).collect();
		for account in accounts {
			PartyWorker::<T> {
				account,
				now,
				pending: BTreeMap::new(),
				restarted: false,
				node_parties: node_parties.clone(),
			}
			.run();
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Signs `call` (a threshold ECDSA call of `party`'s keyring engine in the node) with
	/// `party`'s key from the keystore and submits it, with the same nonce journal and under the
	/// same lock as the party's off-chain worker, so that the two never pick one nonce twice.
	///
	/// Runs in a runtime API call that the node makes with its keystore, off-chain database,
	/// off-chain worker and transaction pool extensions registered.
	///
	/// `pool_nonce` is the next nonce of `party` that the node's transaction pool shows: the
	/// nonce used is at least that, so that a transaction the account sent from elsewhere (a
	/// wallet, a test) is not replaced.
	pub fn submit_ecdsa_call(
		party: T::AccountId,
		call: EcdsaCall,
		pool_nonce: u64,
	) -> Result<(), EcdsaSubmitError> {
		let account = Signer::<T, T::AuthorityId>::keystore_accounts()
			.find(|account| account.id == party)
			.ok_or(EcdsaSubmitError::NoPartyKey)?;
		let lock_key = lock_key(&party);
		let mut lock =
			StorageLock::<Time>::with_deadline(&lock_key, Duration::from_millis(LOCK_DEADLINE_MS));
		let _guard = lock.try_lock().map_err(|_| EcdsaSubmitError::Busy)?;
		let worker = PartyWorker::<T> {
			account,
			now: frame_system::Pallet::<T>::block_number(),
			pending: BTreeMap::new(),
			restarted: false,
			node_parties: Vec::new(),
		};
		let floor = T::Nonce::try_from(pool_nonce).ok();
		worker.submit_call_from(T::ThresholdCalls::ecdsa(call), floor).map_err(|(nonce, why)| {
			log::warn!(
				target: LOG_TARGET,
				"could not submit a threshold ECDSA transaction of {party:?} with nonce {nonce:?}: \
				 {why} (does the party account have funds for fees?)"
			);
			if why == NOT_SIGNED {
				EcdsaSubmitError::NotSigned
			} else {
				EcdsaSubmitError::Refused
			}
		})
	}
}

/// Why [`PartyWorker::submit_call`] failed when the keystore did not sign.
const NOT_SIGNED: &str = "the transaction could not be signed";

/// The work of one run for one party account.
pub(crate) struct PartyWorker<T: Config> {
	pub(crate) account: Account<T>,
	pub(crate) now: BlockNumberFor<T>,
	/// The pending requests of the keyrings looked at in this run.
	pending: BTreeMap<KeyringId, PendingOf>,
	/// The node restarted since this party's last run: whatever it submitted before is gone
	/// with the old transaction pool, so recorded answers are resubmitted without waiting.
	pub(crate) restarted: bool,
	/// Every party account in this node's keystore (for the single-holder guard of threshold
	/// keyrings).
	pub(crate) node_parties: Vec<T::AccountId>,
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
		// Threshold keyrings' requests are not in the treasury's pending lists: their parties
		// answer through the MPC pallet's ceremonies instead.
		let (threshold_keyrings, keystore_keyrings): (Vec<KeyringId>, Vec<KeyringId>) =
			keyrings.into_iter().partition(|keyring| T::Threshold::is_threshold_keyring(*keyring));
		for keyring in keystore_keyrings {
			if !self.serve_keyring(keyring, &mut guard) {
				return;
			}
		}
		self.serve_threshold_keyrings(&threshold_keyrings, &mut guard);
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

	/// Answers every pending request of `keyring` this party has not answered: new answers are
	/// produced and recorded, recorded ones resubmitted when due, and all of them submitted in
	/// as few batched calls as the block's limits allow. Returns `false` when the party's lock
	/// was lost and the run must stop.
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
		let mut answers = Answers::default();
		let mut new_records = Vec::new();
		let unanswered_keys =
			key_requests.iter().filter(|r| !T::Work::has_responded(r.id, &self.account.id));
		for request in unanswered_keys {
			let key = answer_key(&self.account.id, RequestKind::Key, request.id);
			let record = match read::<AnswerRecord<BlockNumberFor<T>>>(&key) {
				Some(record) => self.due_for_resubmission(record, request.id),
				None => self.key_answer(request, &parties, threshold).map(|answer| {
					new_records.push((RequestKind::Key, request.id));
					self.record(&key, keyring, answer)
				}),
			};
			if let Some(record) = record {
				answers.add(request.id, key, record);
			}
		}
		let unanswered_signatures =
			sign_requests.iter().filter(|r| !T::Work::has_responded(r.id, &self.account.id));
		for request in unanswered_signatures {
			let key = answer_key(&self.account.id, RequestKind::Signature, request.id);
			let record = match read::<AnswerRecord<BlockNumberFor<T>>>(&key) {
				Some(record) => self.due_for_resubmission(record, request.id),
				None => {
					new_records.push((RequestKind::Signature, request.id));
					Some(self.record(&key, keyring, self.sign_answer(request)))
				}
			};
			if let Some(record) = record {
				answers.add(request.id, key, record);
			}
			// Signing many requests takes a while: keep the lock.
			if answers.len() % 256 == 255 && !self.keep_lock(guard) {
				return false;
			}
		}
		self.note_open(keyring, new_records);
		if answers.len() == 0 {
			return true;
		}
		self.submit_answers(keyring, answers, guard)
	}

	pub(crate) fn keep_lock(&self, guard: &mut StorageLockGuard<'_, '_, Time>) -> bool {
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

	/// The answer to a key request (see the crate docs for the multi-party rules), or `None`
	/// when it is left to another party.
	fn key_answer(
		&self,
		request: &PendingKeyRequest,
		parties: &[T::AccountId],
		threshold: u32,
	) -> Option<Answer> {
		if threshold > 1 {
			log::info!(
				target: LOG_TARGET,
				"key request {} of keyring {} (threshold {threshold}) needs one key shared by several \
				 parties, which node keystores cannot create: rejecting from {:?}",
				request.id,
				request.keyring,
				self.account.id
			);
			return Some(Answer::RejectKey {
				reason: reasons::MULTI_PARTY_KEYS_UNSUPPORTED.to_vec(),
			});
		}
		if !is_designated(parties, request.id, &self.account.id) {
			log::debug!(
				target: LOG_TARGET,
				"key request {} of keyring {}: left to its designated party",
				request.id,
				request.keyring
			);
			return None;
		}
		let public_key = match backend::generate_key(request.key_type) {
			Ok(public_key) => public_key,
			Err(refusal) => {
				log::info!(
					target: LOG_TARGET,
					"key request {} of keyring {}: {}; rejecting from {:?}",
					request.id,
					request.keyring,
					refusal.detail,
					self.account.id
				);
				return Some(Answer::RejectKey { reason: refusal.reason.to_vec() });
			}
		};
		log::info!(
			target: LOG_TARGET,
			"generated {:?} key 0x{} for key request {} (keyring {}, party {:?})",
			request.key_type,
			HexDisplay::from(&public_key),
			request.id,
			request.keyring,
			self.account.id
		);
		Some(Answer::FulfilKey { public_key })
	}

	/// The answer to a signature request: the signatures if this node holds the key, a
	/// rejection otherwise.
	fn sign_answer(&self, request: &PendingSignRequest) -> Answer {
		match backend::sign(request.key_type, &request.public_key, &request.payloads) {
			Ok(signatures) => {
				log::debug!(
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
		}
	}

	/// Records a new answer before anything is submitted, so that it is never produced twice.
	fn record(
		&self,
		key: &[u8],
		keyring: KeyringId,
		answer: Answer,
	) -> AnswerRecord<BlockNumberFor<T>> {
		let record = AnswerRecord { keyring, answer, submitted_at: None };
		StorageValueRef::persistent(key).set(&record);
		record
	}

	/// Adds the new answer records of `keyring` to the list of records to clean up (one write
	/// per run and keyring).
	fn note_open(&self, keyring: KeyringId, new_records: Vec<(RequestKind, RequestId)>) {
		if new_records.is_empty() {
			return;
		}
		let open_key = open_answers_key(&self.account.id);
		let mut open = read::<Vec<OpenAnswer>>(&open_key).unwrap_or_default();
		let known: alloc::collections::BTreeSet<OpenAnswer> = open.iter().copied().collect();
		open.extend(
			new_records
				.into_iter()
				.map(|(kind, request)| (kind, keyring, request))
				.filter(|entry| !known.contains(entry)),
		);
		StorageValueRef::persistent(&open_key).set(&open);
	}

	/// A recorded answer, if it is due to be submitted again: its last submission is
	/// `ResubmitAfter` blocks old (the chain still lists the request as pending and unanswered by
	/// this party), the node restarted since, or no submission reached the pool.
	fn due_for_resubmission(
		&self,
		record: AnswerRecord<BlockNumberFor<T>>,
		request: RequestId,
	) -> Option<AnswerRecord<BlockNumberFor<T>>> {
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
					return None;
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
		Some(record)
	}

	/// Submits `answers` to `keyring`'s requests in batched calls, each as large as a normal
	/// extrinsic may be; notes the submission in the records of every call the pool accepted.
	fn submit_answers(
		&self,
		keyring: KeyringId,
		mut answers: Answers<BlockNumberFor<T>>,
		guard: &mut StorageLockGuard<'_, '_, Time>,
	) -> bool {
		let limits = CallLimits::of::<T>();
		let mut calls: Vec<(&str, Vec<RequestId>, CallOf<T>)> = Vec::new();
		let keys = core::mem::take(&mut answers.keys);
		for (requests, call) in
			limits.calls(keys, |items| T::Responses::fulfil_keys(keyring, items))
		{
			calls.push(("key fulfilments", requests, call));
		}
		let signatures = core::mem::take(&mut answers.signatures);
		let fulfil_signatures = |items| T::Responses::fulfil_signatures(keyring, items);
		for (requests, call) in limits.calls(signatures, fulfil_signatures) {
			calls.push(("signature fulfilments", requests, call));
		}
		let rejections = core::mem::take(&mut answers.rejections);
		for (requests, call) in
			limits.calls(rejections, |items| T::Responses::reject(keyring, items))
		{
			calls.push(("rejections", requests, call));
		}
		for (what, requests, call) in calls {
			if !self.submit(keyring, what, &requests, call) {
				continue;
			}
			for request in requests {
				if let Some((key, mut record)) = answers.records.remove(&request) {
					record.submitted_at = Some(self.now);
					StorageValueRef::persistent(&key).set(&record);
				}
			}
			if !self.keep_lock(guard) {
				return false;
			}
		}
		true
	}

	/// Signs and submits `call` (carrying the answers to `requests` of `keyring`) from the party
	/// account; on success notes the nonce used. Returns whether the pool accepted it.
	fn submit(
		&self,
		keyring: KeyringId,
		what: &str,
		requests: &[RequestId],
		call: CallOf<T>,
	) -> bool {
		let first = requests.first().copied().unwrap_or_default();
		let last = requests.last().copied().unwrap_or_default();
		if let Err((nonce, why)) = self.submit_call(call) {
			log::warn!(
				target: LOG_TARGET,
				"could not submit {} {what} (requests {first}..={last}, keyring {keyring}) from \
				 {:?} with nonce {nonce:?}: {why} (does the party account have funds for fees?); \
				 retrying next block",
				requests.len(),
				self.account.id
			);
			return false;
		}
		log::info!(
			target: LOG_TARGET,
			"submitted {} {what} (requests {first}..={last}, keyring {keyring}) from {:?} in one \
			 transaction",
			requests.len(),
			self.account.id
		);
		true
	}

	/// Signs `call` from the party account with the next nonce (see [`choose_nonce`]) and hands
	/// it to the transaction pool; notes the nonce used. The error carries the nonce and why.
	pub(crate) fn submit_call(&self, call: CallOf<T>) -> Result<(), (T::Nonce, &'static str)> {
		self.submit_call_from(call, None)
	}

	/// [`Self::submit_call`], with a nonce at least `floor` (the next nonce the node's pool shows
	/// for the party, when the caller knows it: the account may also send from elsewhere).
	pub(crate) fn submit_call_from(
		&self,
		call: CallOf<T>,
		floor: Option<T::Nonce>,
	) -> Result<(), (T::Nonce, &'static str)> {
		let call = ExtrinsicCallOf::<T>::from(call);
		let nonce_key = nonce_key(&self.account.id);
		let nonce_record = read::<NonceRecord<T::Nonce, BlockNumberFor<T>>>(&nonce_key);
		let chain_nonce = frame_system::Pallet::<T>::account_nonce(&self.account.id);
		let nonce =
			choose_nonce(nonce_record.as_ref(), chain_nonce, self.now, T::ResubmitAfter::get())
				.max(floor.unwrap_or(chain_nonce));
		<T as CreateSignedTransaction<CallOf<T>>>::create_signed_transaction::<T::AuthorityId>(
			call,
			self.account.public.clone(),
			self.account.id.clone(),
			nonce,
		)
		.ok_or(NOT_SIGNED)
		.and_then(|transaction| {
			SubmitTransaction::<T, CallOf<T>>::submit_transaction(transaction)
				.map_err(|()| "the transaction pool refused the transaction")
		})
		.map_err(|why| (nonce, why))?;
		StorageValueRef::persistent(&nonce_key).set(&nonce_record_after(
			nonce_record,
			nonce,
			chain_nonce,
			self.now,
		));
		Ok(())
	}
}
