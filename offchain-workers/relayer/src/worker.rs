//! The off-chain worker: broadcast the requests awaiting broadcast, follow accepted
//! transactions to their receipts, record everything it decided, and submit the reports (see the
//! crate docs).
//!
//! Persistent off-chain storage, all under `zenrock/relayer/` and SCALE-encoded (except the
//! endpoints, plain UTF-8):
//! - `endpoint/<chain label>` → the URL of this node's JSON-RPC endpoint for that chain;
//! - `request/<request>` → [`RequestRecord`]: attempts, backoff, last receipt query and the
//!   report decided for the request;
//! - `open` → `Vec<RequestId>`: the requests with a record, to clean up once the chain no longer
//!   lists them;
//! - `nonce/<account>` → [`NonceRecord`]: the relayer account's reports in flight;
//! - `lock/<request>`: the request's [`StorageLock`].

// Everything the worker handles comes from the chain, the keystore or an HTTP endpoint: it may
// not panic. (Not set crate-wide because the pallet macro's generated code trips these lints.)
#![deny(
	clippy::arithmetic_side_effects,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::unreachable,
	clippy::unwrap_used
)]

use crate::{
	chain_label, endpoint_storage_key, is_broadcast_supported,
	json_rpc::{self, hex, Reply},
	AwaitingReceipt, BroadcastOutcome, BroadcastSource, BroadcastStatus, BroadcastStatuses, Call,
	Chain, Config, FailureClass, Pallet, RequestId, TxHash, LOG_TARGET,
};
use alloc::{collections::BTreeSet, string::String, vec::Vec};
use codec::{Decode, Encode};
use frame_support::{traits::Get, BoundedVec};
use frame_system::{
	offchain::{Account, Signer, SubmitTransaction},
	pallet_prelude::BlockNumberFor,
};
use sp_core::{hexdisplay::HexDisplay, offchain::StorageKind};
use sp_runtime::{
	offchain::{
		storage::{MutateStorageError, StorageRetrievalError, StorageValueRef},
		storage_lock::{StorageLock, Time},
		Duration,
	},
	traits::{One, Saturating},
};

/// Prefix of every off-chain storage key of the worker.
pub const STORAGE_PREFIX: &[u8] = b"zenrock/relayer/";

/// How long a request's lock outlives the deadlines of the HTTP requests made under it, in
/// milliseconds.
pub const LOCK_MARGIN_MS: u64 = 2_000;

/// A report the worker decided to make about a request.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Report {
	/// `report_broadcast(Accepted { tx_hash })`.
	Accepted {
		/// The transaction hash (as the chain computed it).
		tx_hash: Vec<u8>,
	},
	/// `report_broadcast(Failed { class, message })`.
	Failed {
		/// Why.
		class: FailureClass,
		/// The message, already truncated to `MaxReportLength` bytes.
		message: Vec<u8>,
	},
	/// `report_inclusion(block, success)`.
	Included {
		/// The destination chain's block number.
		block: u64,
		/// Whether the transaction succeeded.
		success: bool,
	},
}

impl Report {
	/// Whether this is a report on the broadcast (rather than on the inclusion).
	pub fn is_broadcast_report(&self) -> bool {
		!matches!(self, Report::Included { .. })
	}

	/// The call that carries this report about `request`.
	pub fn call<T: Config>(&self, request: RequestId) -> Call<T> {
		match self {
			Report::Accepted { tx_hash } => Call::report_broadcast {
				request,
				outcome: BroadcastOutcome::Accepted {
					tx_hash: TxHash::truncate_from(tx_hash.clone()),
				},
			},
			Report::Failed { class, message } => Call::report_broadcast {
				request,
				outcome: BroadcastOutcome::Failed {
					class: *class,
					message: BoundedVec::truncate_from(message.clone()),
				},
			},
			Report::Included { block, success } => {
				Call::report_inclusion { request, block_number: *block, success: *success }
			}
		}
	}
}

/// A decided report and its submission.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct SubmittedReport<BlockNumber> {
	/// The report, fixed once decided.
	pub report: Report,
	/// The block of the last submission the transaction pool accepted; `None` while none was
	/// (decided, then the node stopped or the pool refused).
	pub submitted_at: Option<BlockNumber>,
}

/// What this node knows about one request.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct RequestRecord<BlockNumber> {
	/// Failed attempts to reach the endpoint with the transaction.
	pub attempts: u32,
	/// No new attempt before this block (exponential backoff).
	pub next_attempt_at: Option<BlockNumber>,
	/// The block of the last receipt query.
	pub polled_at: Option<BlockNumber>,
	/// The report decided for the request's current stage (broadcast, then inclusion).
	pub report: Option<SubmittedReport<BlockNumber>>,
}

impl<BlockNumber> Default for RequestRecord<BlockNumber> {
	fn default() -> Self {
		RequestRecord { attempts: 0, next_attempt_at: None, polled_at: None, report: None }
	}
}

/// The relayer account's report transactions in flight, so that reports submitted in
/// consecutive blocks get consecutive nonces before the earlier ones are included.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct NonceRecord<Nonce, BlockNumber> {
	/// The nonce after the last report submitted.
	pub next: Nonce,
	/// The account's nonce on chain when the record was last written.
	pub chain_nonce: Nonce,
	/// The block since which the chain's nonce is `chain_nonce`.
	pub since: BlockNumber,
}

/// The nonce of the next report: the worker's own count while it is ahead of the chain and the
/// chain makes progress; the chain's nonce otherwise, or once the chain's nonce has not moved
/// for `patience` blocks (a report was lost, and later ones would wait for it in vain).
pub fn next_nonce<Nonce: Ord + Copy, BlockNumber: Saturating + Ord + Copy>(
	record: Option<&NonceRecord<Nonce, BlockNumber>>,
	chain_nonce: Nonce,
	now: BlockNumber,
	patience: BlockNumber,
) -> Nonce {
	match record {
		Some(record) if record.next > chain_nonce => {
			let stalled =
				record.chain_nonce == chain_nonce && now >= record.since.saturating_add(patience);
			if stalled {
				chain_nonce
			} else {
				record.next
			}
		}
		_ => chain_nonce,
	}
}

/// The nonce record after a report with nonce `used` entered the pool.
pub fn nonce_record_after<Nonce: Saturating + One + Eq + Copy, BlockNumber: Copy>(
	record: Option<&NonceRecord<Nonce, BlockNumber>>,
	used: Nonce,
	chain_nonce: Nonce,
	now: BlockNumber,
) -> NonceRecord<Nonce, BlockNumber> {
	let since = match record {
		Some(record) if record.chain_nonce == chain_nonce && used != chain_nonce => record.since,
		_ => now,
	};
	NonceRecord { next: used.saturating_add(One::one()), chain_nonce, since }
}

/// Blocks to wait after the `attempts`-th failed attempt: `base × 2^(attempts − 1)`, saturating.
pub fn backoff<BlockNumber: Saturating + From<u32>>(
	base: BlockNumber,
	attempts: u32,
) -> BlockNumber {
	let factor = 1u32.checked_shl(attempts.saturating_sub(1)).unwrap_or(u32::MAX);
	base.saturating_mul(BlockNumber::from(factor))
}

fn storage_key(kind: &[u8], suffix: impl Encode) -> Vec<u8> {
	let mut key = STORAGE_PREFIX.to_vec();
	key.extend_from_slice(kind);
	key.push(b'/');
	suffix.encode_to(&mut key);
	key
}

/// Key of the [`RequestRecord`] of `request`.
pub fn request_record_key(request: RequestId) -> Vec<u8> {
	storage_key(b"request", request)
}

/// Key of the list of requests with a record.
pub fn open_requests_key() -> Vec<u8> {
	let mut key = STORAGE_PREFIX.to_vec();
	key.extend_from_slice(b"open");
	key
}

/// Key of `account`'s [`NonceRecord`].
pub fn nonce_key<AccountId: Encode>(account: &AccountId) -> Vec<u8> {
	storage_key(b"nonce", account)
}

/// Key of `request`'s [`StorageLock`].
pub fn lock_key(request: RequestId) -> Vec<u8> {
	storage_key(b"lock", request)
}

/// This node's JSON-RPC endpoint for `chain`, if one is configured: the value under
/// [`endpoint_storage_key`], plain UTF-8 (a SCALE-encoded string is accepted too), starting
/// with `http://` or `https://`.
pub fn endpoint(chain: &Chain) -> Option<String> {
	let key = endpoint_storage_key(chain);
	let raw = sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, &key)?;
	let is_url = |text: &str| text.starts_with("http://") || text.starts_with("https://");
	let plain = core::str::from_utf8(&raw).ok().map(str::trim).filter(|text| is_url(text));
	let url = match plain {
		Some(url) => String::from(url),
		None => {
			let decoded = Vec::<u8>::decode(&mut raw.as_slice()).ok();
			let text = decoded.and_then(|bytes| String::from_utf8(bytes).ok());
			match text.map(|text| String::from(text.trim())).filter(|text| is_url(text)) {
				Some(url) => url,
				None => {
					if !raw.is_empty() {
						log::warn!(
							target: LOG_TARGET,
							"the endpoint for {} is not an http(s) URL: ignored",
							chain_label(chain)
						);
					}
					return None;
				}
			}
		}
	};
	Some(url)
}

/// Reads a value from persistent off-chain storage. A value that does not decode (written by an
/// incompatible version) counts as absent.
fn read<V: Decode>(key: &[u8]) -> Option<V> {
	StorageValueRef::persistent(key).get::<V>().ok().flatten()
}

/// Changes the list of requests with a record (with compare-and-set: concurrent workers of
/// other blocks may change it too).
fn update_open_requests(change: impl Fn(&mut Vec<RequestId>) -> bool) {
	let key = open_requests_key();
	let storage = StorageValueRef::persistent(&key);
	for _ in 0..3 {
		let result =
			storage.mutate(|stored: Result<Option<Vec<RequestId>>, StorageRetrievalError>| {
				let mut open = stored.ok().flatten().unwrap_or_default();
				if change(&mut open) {
					Ok(open)
				} else {
					Err(())
				}
			});
		match result {
			Ok(_) | Err(MutateStorageError::ValueFunctionFailed(())) => return,
			Err(MutateStorageError::ConcurrentModification(_)) => continue,
		}
	}
	log::debug!(target: LOG_TARGET, "the list of open requests keeps changing: update skipped");
}

fn text(bytes: &[u8]) -> &str {
	core::str::from_utf8(bytes).unwrap_or("<not UTF-8>")
}

/// One run of the worker at block `now` (see the crate docs).
pub(crate) fn run<T: Config>(now: BlockNumberFor<T>) {
	let mut keys = Signer::<T, T::AuthorityId>::keystore_accounts().peekable();
	if keys.peek().is_none() {
		log::debug!(target: LOG_TARGET, "no relayer key (zrly) in the keystore");
		return;
	}
	let Some(account) = keys.find(|account| Pallet::<T>::is_relayer(&account.id)) else {
		log::debug!(target: LOG_TARGET, "no relayer key (zrly) of a registered relayer here");
		return;
	};
	let awaiting = T::Broadcasts::awaiting_broadcast();
	let mut receipts: Vec<RequestId> = AwaitingReceipt::<T>::iter_keys().collect();
	receipts.sort_unstable();
	let mut worker = Worker::<T> { account, now, budget: T::MaxRequestsPerRun::get() };
	worker.clean_up(&awaiting, &receipts);
	for request in awaiting {
		if worker.budget == 0 {
			worker.budget_spent();
			return;
		}
		worker.broadcast(request);
	}
	for request in receipts {
		if worker.budget == 0 {
			worker.budget_spent();
			return;
		}
		worker.follow(request);
	}
}

/// The work of one run.
struct Worker<T: Config> {
	/// The relayer account that signs the reports.
	account: Account<T>,
	now: BlockNumberFor<T>,
	/// Requests that may still be sent or polled in this run.
	budget: u32,
}

impl<T: Config> Worker<T> {
	fn budget_spent(&self) {
		log::debug!(
			target: LOG_TARGET,
			"{} requests handled in this block, the rest wait for the next",
			T::MaxRequestsPerRun::get()
		);
	}

	fn spend(&mut self) {
		self.budget = self.budget.saturating_sub(1);
	}

	fn http_timeout(&self) -> u64 {
		T::HttpTimeoutMillis::get()
	}

	/// A lock over `request` that outlives the two HTTP exchanges a broadcast may need.
	fn lock_deadline(&self) -> Duration {
		Duration::from_millis(self.http_timeout().saturating_mul(2).saturating_add(LOCK_MARGIN_MS))
	}

	/// Forgets the records of requests the chain lists neither as awaiting broadcast nor as
	/// awaiting receipt.
	fn clean_up(&self, awaiting: &[RequestId], receipts: &[RequestId]) {
		let Some(open) = read::<Vec<RequestId>>(&open_requests_key()) else {
			return;
		};
		let listed: BTreeSet<RequestId> = awaiting.iter().chain(receipts).copied().collect();
		let settled: Vec<RequestId> =
			open.iter().copied().filter(|request| !listed.contains(request)).collect();
		if settled.is_empty() {
			return;
		}
		for request in &settled {
			StorageValueRef::persistent(&request_record_key(*request)).clear();
			log::debug!(target: LOG_TARGET, "request {request} is settled on chain: record removed");
		}
		update_open_requests(|open| {
			let before = open.len();
			open.retain(|request| !settled.contains(request));
			open.len() != before
		});
	}

	/// Writes `record` of `request` and lists the request for clean-up.
	fn write(&self, request: RequestId, record: &RequestRecord<BlockNumberFor<T>>) {
		StorageValueRef::persistent(&request_record_key(request)).set(record);
		update_open_requests(|open| {
			if open.contains(&request) {
				false
			} else {
				open.push(request);
				true
			}
		});
	}

	/// Broadcasts `request` if this node has an endpoint for its chain, it is not backing off
	/// and no report was decided for it; resubmits a decided report when due.
	fn broadcast(&mut self, request: RequestId) {
		if BroadcastStatuses::<T>::contains_key(request) {
			return;
		}
		let Some((chain, raw, tx_hash)) = T::Broadcasts::signed_transaction(request) else {
			log::warn!(
				target: LOG_TARGET,
				"request {request} awaits broadcast but the chain has no signed transaction for it"
			);
			return;
		};
		let label = chain_label(&chain);
		if !is_broadcast_supported(&chain) {
			log::debug!(
				target: LOG_TARGET,
				"request {request}: broadcasting to {label} is not supported, skipped"
			);
			return;
		}
		let Some(url) = endpoint(&chain) else {
			log::debug!(
				target: LOG_TARGET,
				"request {request}: no endpoint for {label} on this node, left to other relayers"
			);
			return;
		};
		let lock_key = lock_key(request);
		let mut lock = StorageLock::<Time>::with_deadline(&lock_key, self.lock_deadline());
		let Ok(_guard) = lock.try_lock() else {
			log::debug!(target: LOG_TARGET, "request {request}: another worker is on it, skipped");
			return;
		};
		let mut record: RequestRecord<BlockNumberFor<T>> =
			read(&request_record_key(request)).unwrap_or_default();
		if record.report.as_ref().is_some_and(|decided| decided.report.is_broadcast_report()) {
			self.resubmit_if_due(request, record);
			return;
		}
		record.report = None;
		if let Some(next) = record.next_attempt_at {
			if self.now < next {
				log::debug!(
					target: LOG_TARGET,
					"request {request}: backing off until block {next:?} after {} failed attempts",
					record.attempts
				);
				return;
			}
		}
		self.spend();
		let hash_text = hex(&tx_hash);
		let sent =
			json_rpc::call(&url, "eth_sendRawTransaction", &[hex(&raw)], self.http_timeout());
		let report = match sent {
			Ok(Reply::Result(result)) => {
				match result.as_str().and_then(json_rpc::parse_hex_bytes) {
					Some(answered) if answered == tx_hash => {}
					_ => log::warn!(
						target: LOG_TARGET,
						"request {request}: {label} accepted the transaction but answered {result} \
						 instead of its hash {hash_text}; reporting the hash the chain computed"
					),
				}
				log::info!(
					target: LOG_TARGET,
					"broadcast request {request} to {label}: accepted, tx {hash_text}"
				);
				Report::Accepted { tx_hash }
			}
			Ok(Reply::Error { message, .. }) if json_rpc::is_already_known(&message) => {
				log::info!(
					target: LOG_TARGET,
					"broadcast request {request} to {label}: already known ({message}), tx \
					 {hash_text}"
				);
				Report::Accepted { tx_hash }
			}
			Ok(Reply::Error { code, message }) => {
				if self.node_knows(&url, &hash_text) {
					log::info!(
						target: LOG_TARGET,
						"broadcast request {request} to {label}: refused ({message}) but the node \
						 knows tx {hash_text} from an earlier broadcast: accepted"
					);
					Report::Accepted { tx_hash }
				} else {
					let kind = json_rpc::rejection_kind(&message);
					log::info!(
						target: LOG_TARGET,
						"broadcast request {request} to {label} rejected (code {code}, {kind:?}): \
						 {message}"
					);
					Report::Failed {
						class: FailureClass::Rejected { code, kind },
						message: self.message(&message),
					}
				}
			}
			Err(failure) => {
				record.attempts = record.attempts.saturating_add(1);
				let max_attempts = T::MaxAttempts::get().max(1);
				if record.attempts < max_attempts {
					let next = self
						.now
						.saturating_add(backoff(T::RetryBackoffBase::get(), record.attempts));
					record.next_attempt_at = Some(next);
					log::info!(
						target: LOG_TARGET,
						"broadcast request {request} to {label}: attempt {} of {max_attempts} \
						 failed ({failure}), next attempt at block {next:?}",
						record.attempts
					);
					self.write(request, &record);
					return;
				}
				log::info!(
					target: LOG_TARGET,
					"broadcast request {request} to {label} failed after {} attempts ({failure})",
					record.attempts
				);
				let description =
					alloc::format!("{failure} ({} attempts, last at {label})", record.attempts);
				Report::Failed {
					class: FailureClass::RetriesExhausted {
						attempts: record.attempts,
						last: failure,
					},
					message: self.message(&description),
				}
			}
		};
		record.report = Some(SubmittedReport { report, submitted_at: None });
		self.submit_recorded(request, record);
	}

	/// Whether the endpoint knows transaction `hash` (`eth_getTransactionByHash` answers
	/// something other than `null`).
	fn node_knows(&self, url: &str, hash: &str) -> bool {
		let reply = json_rpc::call(
			url,
			"eth_getTransactionByHash",
			&[String::from(hash)],
			self.http_timeout(),
		);
		matches!(reply, Ok(Reply::Result(transaction)) if !transaction.is_null())
	}

	/// `message` as report bytes: at most `MaxReportLength` bytes, cut at a character boundary.
	fn message(&self, message: &str) -> Vec<u8> {
		let max = usize::try_from(T::MaxReportLength::get()).unwrap_or(usize::MAX);
		json_rpc::truncate_utf8(message, max).as_bytes().to_vec()
	}

	/// Polls the receipt of the accepted transaction of `request` when due, and reports its
	/// inclusion once there is one.
	fn follow(&mut self, request: RequestId) {
		let Some(BroadcastStatus::Broadcast { chain, tx_hash, .. }) =
			BroadcastStatuses::<T>::get(request)
		else {
			return;
		};
		let label = chain_label(&chain);
		if !is_broadcast_supported(&chain) {
			return;
		}
		let Some(url) = endpoint(&chain) else {
			log::debug!(
				target: LOG_TARGET,
				"request {request}: no endpoint for {label} on this node to follow its receipt"
			);
			return;
		};
		let lock_key = lock_key(request);
		let mut lock = StorageLock::<Time>::with_deadline(&lock_key, self.lock_deadline());
		let Ok(_guard) = lock.try_lock() else {
			return;
		};
		let mut record: RequestRecord<BlockNumberFor<T>> =
			read(&request_record_key(request)).unwrap_or_default();
		if record.report.as_ref().is_some_and(|decided| !decided.report.is_broadcast_report()) {
			self.resubmit_if_due(request, record);
			return;
		}
		if let Some(polled) = record.polled_at {
			if self.now < polled.saturating_add(T::ReceiptPollInterval::get()) {
				return;
			}
		}
		self.spend();
		record.polled_at = Some(self.now);
		let hash_text = hex(&tx_hash);
		let reply = json_rpc::call(
			&url,
			"eth_getTransactionReceipt",
			core::slice::from_ref(&hash_text),
			self.http_timeout(),
		);
		let receipt = match reply {
			Ok(Reply::Result(result)) => json_rpc::parse_receipt(&result),
			Ok(Reply::Error { code, message }) => {
				log::warn!(
					target: LOG_TARGET,
					"request {request}: receipt query for tx {hash_text} at {label} refused (code \
					 {code}): {message}"
				);
				json_rpc::ReceiptState::Pending
			}
			Err(failure) => {
				log::info!(
					target: LOG_TARGET,
					"request {request}: receipt query for tx {hash_text} at {label} failed \
					 ({failure}); trying again later"
				);
				json_rpc::ReceiptState::Pending
			}
		};
		match receipt {
			json_rpc::ReceiptState::Included { block, success } => {
				log::info!(
					target: LOG_TARGET,
					"request {request}: tx {hash_text} included in block {block} of {label} ({})",
					if success { "success" } else { "reverted" }
				);
				record.report = Some(SubmittedReport {
					report: Report::Included { block, success },
					submitted_at: None,
				});
				self.submit_recorded(request, record);
			}
			json_rpc::ReceiptState::Pending => {
				log::debug!(target: LOG_TARGET, "request {request}: no receipt for tx {hash_text} yet");
				self.write(request, &record);
			}
			json_rpc::ReceiptState::Malformed => {
				log::warn!(
					target: LOG_TARGET,
					"request {request}: {label} answered a malformed receipt for tx {hash_text}"
				);
				self.write(request, &record);
			}
		}
	}

	/// Submits the decided report of `record` again if its last submission is `ResubmitAfter`
	/// blocks old (the chain still does not show it), or if no submission reached the pool.
	fn resubmit_if_due(&mut self, request: RequestId, record: RequestRecord<BlockNumberFor<T>>) {
		let Some(decided) = &record.report else {
			return;
		};
		match decided.submitted_at {
			Some(at) => {
				let due = at.saturating_add(T::ResubmitAfter::get());
				if self.now < due {
					log::debug!(
						target: LOG_TARGET,
						"request {request}: report submitted at block {at:?}, waiting for it on \
						 chain until block {due:?}"
					);
					return;
				}
				log::info!(
					target: LOG_TARGET,
					"request {request}: report submitted at block {at:?} is not on chain, \
					 resubmitting"
				);
			}
			None => log::info!(
				target: LOG_TARGET,
				"request {request}: submitting the decided report again (no earlier submission \
				 reached the transaction pool)"
			),
		}
		self.submit_recorded(request, record);
	}

	/// Records `record` (so that its report is never decided twice), submits its report and, if
	/// the pool accepted it, records the block of submission.
	fn submit_recorded(
		&mut self,
		request: RequestId,
		mut record: RequestRecord<BlockNumberFor<T>>,
	) {
		self.write(request, &record);
		let Some(decided) = record.report.as_mut() else {
			return;
		};
		if self.submit(request, &decided.report) {
			decided.submitted_at = Some(self.now);
			self.write(request, &record);
		}
	}

	/// Signs and submits `report` from the relayer account with the next nonce; returns whether
	/// the transaction pool accepted it.
	fn submit(&self, request: RequestId, report: &Report) -> bool {
		let id = &self.account.id;
		let nonce_key = nonce_key(id);
		let nonce_record = read::<NonceRecord<T::Nonce, BlockNumberFor<T>>>(&nonce_key);
		let chain_nonce = frame_system::Pallet::<T>::account_nonce(id);
		let nonce =
			next_nonce(nonce_record.as_ref(), chain_nonce, self.now, T::ResubmitAfter::get());
		let submitted = T::create_signed_transaction::<T::AuthorityId>(
			report.call::<T>(request).into(),
			self.account.public.clone(),
			id.clone(),
			nonce,
		)
		.ok_or("the report could not be signed")
		.and_then(|transaction| {
			SubmitTransaction::<T, Call<T>>::submit_transaction(transaction)
				.map_err(|()| "the transaction pool refused the report")
		});
		if let Err(why) = submitted {
			log::warn!(
				target: LOG_TARGET,
				"could not submit the report for request {request} from {id:?} (nonce {nonce:?}): \
				 {why} (does the relayer account exist on chain?); trying again next block"
			);
			return false;
		}
		StorageValueRef::persistent(&nonce_key).set(&nonce_record_after(
			nonce_record.as_ref(),
			nonce,
			chain_nonce,
			self.now,
		));
		match report {
			Report::Accepted { tx_hash } => log::info!(
				target: LOG_TARGET,
				"submitted broadcast report (accepted, tx 0x{}) for request {request} from {id:?}",
				HexDisplay::from(tx_hash)
			),
			Report::Failed { class, message } => log::info!(
				target: LOG_TARGET,
				"submitted broadcast report (failed, {class:?}: {}) for request {request} from \
				 {id:?}",
				text(message)
			),
			Report::Included { block, success } => log::info!(
				target: LOG_TARGET,
				"submitted inclusion report (block {block}, success {success}) for request \
				 {request} from {id:?}"
			),
		}
		true
	}
}
