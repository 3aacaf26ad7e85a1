//! # Zenrock relayer
//!
//! A keyring signs a transaction for another chain; a **relayer** delivers it. This pallet is
//! both halves of the relayer:
//!
//! - **on chain**, a registry of relayer accounts (added and removed by
//!   [`Config::RelayerAdminOrigin`], e.g. root or governance) and the reports they make: which
//!   fulfilled transaction-signature request was broadcast with which destination-chain
//!   transaction hash, which failed and why, and in which destination-chain block each was
//!   included and whether it succeeded ([`BroadcastStatuses`], runtime API `runtime_api::RelayerApi`);
//! - **off chain**, a worker that runs after every imported block on nodes holding the key of
//!   a registered relayer: it sends the signed transactions of the requests awaiting broadcast
//!   to the destination chain's JSON-RPC endpoint configured on that node, reports the outcome,
//!   follows each accepted transaction to its receipt and reports its inclusion.
//!
//! The pallet reads the requests awaiting broadcast and their signed transactions through
//! [`BroadcastSource`] (implemented by the runtime over the treasury pallet, whose index of
//! requests awaiting broadcast means no scan). Requests the requester marked **private** never
//! enter that index, so no relayer broadcasts them, and the chain refuses reports about them.
//!
//! ## Dispatchable functions
//!
//! - [`add_relayer`](Pallet::add_relayer) / [`remove_relayer`](Pallet::remove_relayer)
//!   ([`Config::RelayerAdminOrigin`]): register or unregister a relayer account.
//! - [`report_broadcast`](Pallet::report_broadcast) (a registered relayer): a request awaiting
//!   broadcast was accepted by the destination chain (with its transaction hash, which must be
//!   the hash the chain computes for the signed transaction) or failed for good. Either way the
//!   request leaves the index of requests awaiting broadcast, so nothing broadcasts it again.
//! - [`report_inclusion`](Pallet::report_inclusion) (a registered relayer): an accepted
//!   transaction was included in a destination-chain block, successfully or reverted.
//!
//! Reports that are accepted are free (`Pays::No`): only registered relayers can make them, and
//! each request takes at most one broadcast and one inclusion report. The relayer account must
//! still exist (hold the existential deposit) for its transactions to be valid.
//!
//! ## Running a relayer
//!
//! 1. **Register the account**: `add_relayer(account)` from root or governance (the dev chain's
//!    genesis registers Alice).
//! 2. **Insert its key** into the node's keystore under key type `zrly` ([`RELAYER_KEY_TYPE`],
//!    sr25519):
//!    ```text
//!    zenrock-node key insert --key-type zrly --scheme sr25519 --suri "<relayer secret>" --base-path <node dir>
//!    # or, on a running node with unsafe RPCs allowed on localhost:
//!    author_insertKey("zrly", "<relayer secret>", "0x<sr25519 public key>")
//!    ```
//! 3. **Configure an endpoint per destination chain** on that node. Endpoints never go on
//!    chain: each node keeps its own in persistent off-chain storage, under the key
//!    [`endpoint_storage_key`] = `zenrock/relayer/endpoint/<chain>` where `<chain>` is
//!    [`chain_label`] (`eip155:<chain id>` for EVM chains), with the URL as plain UTF-8 bytes
//!    (not SCALE-encoded). The node sets it at start-up from
//!    `--relayer-endpoint eip155:31337=http://127.0.0.1:8545` (repeatable), and it can be
//!    changed at run time with the standard RPC
//!    `offchain_localStorageSet("PERSISTENT", "0x<hex of the key>", "0x<hex of the URL>")`
//!    (an empty value removes the endpoint). Requests for chains without an endpoint on this
//!    node are left to other relayers.
//! 4. Off-chain workers run by default only on authority nodes: a relayer node that does not
//!    validate needs `--offchain-worker always`; HTTP requests must be enabled (they are in the
//!    Zenrock node).
//!
//! Only EVM chains are broadcast for now (`eth_sendRawTransaction`); requests for other chains
//! are skipped.
//!
//! ## What the worker does on every block
//!
//! It picks the first `zrly` key of the keystore whose account is a registered relayer (none:
//! the worker does nothing). Then, at most [`Config::MaxRequestsPerRun`] requests per block:
//!
//! - **Broadcast.** For each request awaiting broadcast whose chain has an endpoint here, under
//!   a per-request [`StorageLock`](sp_runtime::offchain::storage_lock::StorageLock) (so workers
//!   of concurrent blocks never send twice): a JSON-RPC 2.0 `eth_sendRawTransaction` POST with a
//!   deadline of [`Config::HttpTimeoutMillis`].
//!   - `result` → reports `Accepted` with the chain's transaction hash.
//!   - JSON-RPC error `already known` / `known transaction` / `already imported` → the node has
//!     the transaction from an earlier send (whose report was lost): reports `Accepted`.
//!   - other JSON-RPC error → if the node knows the transaction all the same
//!     (`eth_getTransactionByHash`, e.g. `nonce too low` because it was already mined) reports
//!     `Accepted`, otherwise `Failed` with [`FailureClass::Rejected`] and the node's message.
//!   - no usable answer (unreachable, timeout, HTTP error status, not JSON-RPC) → retried after
//!     `RetryBackoffBase × 2^(attempts − 1)` blocks; after [`Config::MaxAttempts`] attempts
//!     reports `Failed` with [`FailureClass::RetriesExhausted`].
//! - **Receipts.** For each request whose broadcast was accepted (index [`AwaitingReceipt`]):
//!   every [`Config::ReceiptPollInterval`] blocks an `eth_getTransactionReceipt`; once there is
//!   a receipt, reports its `blockNumber` and whether `status` is `0x1`.
//!
//! ## Idempotency, restarts and lost transactions
//!
//! The worker's records live in the node's **persistent** off-chain storage under
//! `zenrock/relayer/…` (see [`worker`]): the attempts and next attempt of each broadcast, and
//! each report decided, recorded *before* it is submitted. A decided report is not sent again
//! while the chain does not show it, until [`Config::ResubmitAfter`] blocks have passed (a
//! report lost from the pool is resubmitted after that bounded wait); a broadcast with a
//! decided report is never sent again. Reports submitted in consecutive blocks get consecutive
//! nonces (the worker counts them until the chain catches up). Records are removed once the
//! chain no longer lists the request as awaiting broadcast or receipt.
//!
//! ## Logs
//!
//! Target `relayer`, `info` level (`-l relayer=debug` also shows what is skipped and why):
//! - `broadcast request <id> to eip155:<n>: accepted, tx 0x…` (or `already known`)
//! - `broadcast request <id> to eip155:<n> rejected (code <c>, <kind>): <message>`
//! - `broadcast request <id> to eip155:<n>: attempt <a> of <max> failed (<why>), next attempt at block <b>`
//! - `broadcast request <id> to eip155:<n> failed after <max> attempts (<why>)`
//! - `request <id>: tx 0x… included in block <n> of eip155:<c> (success|reverted)`
//! - `submitted <report> for request <id> from <account>` and warnings when a report cannot be
//!   submitted (e.g. the relayer account does not exist on chain).
//!
//! ## Configuration (runtime)
//! ```ignore
//! impl pallet_zenrock_relayer::Config for Runtime {
//!     type WeightInfo = pallet_zenrock_relayer::weights::SubstrateWeight<Runtime>;
//!     type AuthorityId = pallet_zenrock_relayer::RelayerAuthId;
//!     type Broadcasts = TreasuryBroadcasts; // over Treasury::awaiting_broadcast & co.
//!     type RelayerAdminOrigin = EnsureRoot<AccountId>;
//!     type MaxRelayers = ConstU32<32>;
//!     type MaxInFlight = ConstU32<1024>;
//!     type MaxReportLength = ConstU32<256>;
//!     type MaxAttempts = ConstU32<5>;
//!     type RetryBackoffBase = ConstU32<1>;
//!     type HttpTimeoutMillis = ConstU64<5_000>;
//!     type ReceiptPollInterval = ConstU32<2>;
//!     type ResubmitAfter = ConstU32<10>;
//!     type MaxRequestsPerRun = ConstU32<16>;
//! }
//! ```
//! The runtime implements `frame_system::offchain::CreateSignedTransaction<RuntimeCall>`
//! (signing with `MultiSignature`), as for any pallet submitting signed transactions.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod json_rpc;
#[cfg(test)]
mod mock;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;
pub mod worker;

use alloc::{format, string::String, vec::Vec};
use sp_core::crypto::KeyTypeId;
use sp_runtime::{MultiSignature, MultiSigner};
use zenrock_chain_formats::BitcoinNetwork;

pub use pallet::*;
pub use types::{
	AttemptFailure, BroadcastOutcome, BroadcastStatus, BroadcastStatusInfo, FailureClass,
	RejectionKind, TxHash, MAX_TX_HASH_LENGTH,
};
pub use weights::WeightInfo;
pub use zenrock_chain_formats::Chain;
pub use zenrock_primitives::RequestId;

/// Log target of the pallet and its worker.
pub const LOG_TARGET: &str = "relayer";

/// Key type of relayer accounts (sr25519): the accounts that sign broadcast and inclusion
/// reports. Insert with `key insert --key-type zrly --scheme sr25519`.
pub const RELAYER_KEY_TYPE: KeyTypeId = KeyTypeId(*b"zrly");

/// Prefix of the off-chain storage keys of destination-chain endpoints; the chain's
/// [`chain_label`] follows.
pub const ENDPOINT_KEY_PREFIX: &[u8] = b"zenrock/relayer/endpoint/";

/// The relayer key: an sr25519 application key under [`RELAYER_KEY_TYPE`].
pub mod crypto {
	use sp_application_crypto::{app_crypto, sr25519};
	app_crypto!(sr25519, crate::RELAYER_KEY_TYPE);
}

/// Signs report transactions with a relayer key; the `AuthorityId` of a runtime whose
/// transactions carry [`MultiSignature`]s.
pub struct RelayerAuthId;

impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for RelayerAuthId {
	type RuntimeAppPublic = crypto::Public;
	type GenericPublic = sp_core::sr25519::Public;
	type GenericSignature = sp_core::sr25519::Signature;
}

/// The name of a destination chain in endpoint configuration: CAIP-2 style, `eip155:<chain id>`
/// for EVM chains (e.g. `eip155:31337` for anvil), `bip122:<genesis hash prefix>` for Bitcoin
/// networks, `solana` for Solana. Only EVM chains are broadcast for now.
pub fn chain_label(chain: &Chain) -> String {
	match chain {
		Chain::Evm { chain_id } => format!("eip155:{chain_id}"),
		Chain::Bitcoin { network: BitcoinNetwork::Mainnet } => {
			String::from("bip122:000000000019d6689c085ae165831e93")
		}
		Chain::Bitcoin { network: BitcoinNetwork::Testnet } => {
			String::from("bip122:000000000933ea01ad0ee984209779ba")
		}
		Chain::Bitcoin { network: BitcoinNetwork::Regtest } => {
			String::from("bip122:0f9188f13cb7b2c71f2a335e3a4fc328")
		}
		Chain::Solana => String::from("solana"),
	}
}

/// The persistent off-chain storage key under which a node keeps its JSON-RPC endpoint for
/// `chain`: the bytes of `zenrock/relayer/endpoint/<chain label>`. The value is the URL as plain
/// UTF-8 bytes (e.g. `http://127.0.0.1:8545`).
pub fn endpoint_storage_key(chain: &Chain) -> Vec<u8> {
	let mut key = ENDPOINT_KEY_PREFIX.to_vec();
	key.extend_from_slice(chain_label(chain).as_bytes());
	key
}

/// The storage key for an endpoint given as `<label>` text (what `--relayer-endpoint
/// <label>=<url>` names), without checking the label.
pub fn endpoint_storage_key_for_label(label: &str) -> Vec<u8> {
	let mut key = ENDPOINT_KEY_PREFIX.to_vec();
	key.extend_from_slice(label.as_bytes());
	key
}

/// Whether the worker can broadcast transactions of `chain` (EVM chains for now).
pub fn is_broadcast_supported(chain: &Chain) -> bool {
	matches!(chain, Chain::Evm { .. })
}

/// Where the relayer finds the requests to broadcast (implemented by the runtime over the
/// treasury pallet).
pub trait BroadcastSource {
	/// The fulfilled transaction-signature requests marked for broadcast that no relayer has
	/// reported on yet, oldest first (from an index, not a scan). Private requests are never
	/// listed.
	fn awaiting_broadcast() -> Vec<RequestId>;

	/// The signed transaction of `request`: its destination chain, the raw signed transaction
	/// (EVM: the bytes for `eth_sendRawTransaction`) and its hash as the chain computes it.
	/// `None` if `request` is not a fulfilled transaction-signature request.
	fn signed_transaction(request: RequestId) -> Option<(Chain, Vec<u8>, Vec<u8>)>;

	/// Removes `request` from the requests awaiting broadcast; returns whether it was there.
	fn take_awaiting_broadcast(request: RequestId) -> bool;

	/// Benchmarks: makes a fulfilled transaction-signature request awaiting broadcast, the most
	/// expensive to assemble that the runtime allows, and returns its id.
	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_awaiting_broadcast() -> RequestId;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::{
		offchain::{AppCrypto, CreateSignedTransaction},
		pallet_prelude::*,
	};

	/// A failure message or description, at most [`Config::MaxReportLength`] bytes.
	pub type ReportMessageOf<T> = BoundedVec<u8, <T as Config>::MaxReportLength>;
	/// The outcome a relayer reports with [`Pallet::report_broadcast`].
	pub type BroadcastOutcomeOf<T> = BroadcastOutcome<ReportMessageOf<T>>;
	/// The stored broadcast status of a request.
	pub type BroadcastStatusOf<T> = BroadcastStatus<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		ReportMessageOf<T>,
	>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the relayer.
	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>> + CreateSignedTransaction<Call<Self>>
	{
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// The relayer key crypto that signs report transactions: [`crate::RelayerAuthId`] for a
		/// runtime with `MultiSignature`.
		type AuthorityId: AppCrypto<Self::Public, Self::Signature>;

		/// The requests awaiting broadcast and their signed transactions (the treasury).
		type Broadcasts: BroadcastSource;

		/// Who may add and remove relayers: root or governance.
		type RelayerAdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most registered relayers. Suggested: 32.
		#[pallet::constant]
		type MaxRelayers: Get<u32>;

		/// The most broadcast transactions awaiting their receipt at once; a report of an
		/// accepted broadcast is refused while this many are in flight. Suggested: 1024.
		#[pallet::constant]
		type MaxInFlight: Get<u32>;

		/// The most bytes of a failure message in a report (longer messages are truncated by
		/// the worker). Suggested: 256.
		#[pallet::constant]
		type MaxReportLength: Get<u32>;

		/// How many times the worker tries to reach an endpoint for one broadcast before it
		/// reports the broadcast as failed. Suggested: 5.
		#[pallet::constant]
		type MaxAttempts: Get<u32>;

		/// Blocks between the first and the second attempt; doubled after every further
		/// failed attempt. Suggested: 1 (then 2, 4, 8 blocks).
		#[pallet::constant]
		type RetryBackoffBase: Get<BlockNumberFor<Self>>;

		/// The deadline of every HTTP request of the worker, in milliseconds. Suggested: 5000.
		#[pallet::constant]
		type HttpTimeoutMillis: Get<u64>;

		/// Blocks between two receipt queries for one transaction. Suggested: 2.
		#[pallet::constant]
		type ReceiptPollInterval: Get<BlockNumberFor<Self>>;

		/// Blocks the worker waits for a submitted report to show on chain before it submits it
		/// again (and during which it keeps counting its own nonces). Suggested: 10.
		#[pallet::constant]
		type ResubmitAfter: Get<BlockNumberFor<Self>>;

		/// The most requests the worker sends or polls per block; the rest wait for the next
		/// block. Suggested: 16.
		#[pallet::constant]
		type MaxRequestsPerRun: Get<u32>;
	}

	/// The registered relayers: the accounts whose reports the chain accepts.
	#[pallet::storage]
	pub type Relayers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ()>;

	/// The number of registered relayers (at most MaxRelayers).
	#[pallet::storage]
	pub type RelayerCount<T> = StorageValue<_, u32, ValueQuery>;

	/// The broadcast status of each request a relayer reported on.
	#[pallet::storage]
	pub type BroadcastStatuses<T: Config> =
		StorageMap<_, Twox64Concat, RequestId, BroadcastStatusOf<T>>;

	/// The requests whose broadcast was accepted and whose inclusion is not reported yet: the
	/// worker follows their receipts.
	#[pallet::storage]
	pub type AwaitingReceipt<T> = StorageMap<_, Twox64Concat, RequestId, ()>;

	/// The number of requests in AwaitingReceipt (at most MaxInFlight).
	#[pallet::storage]
	pub type AwaitingReceiptCount<T> = StorageValue<_, u32, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The relayers registered at genesis (the dev chain: Alice).
		pub relayers: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for relayer in &self.relayers {
				Pallet::<T>::insert_relayer(relayer)
					.expect("genesis relayers must be unique and at most MaxRelayers");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A relayer account was registered; the chain now accepts its reports.
		RelayerAdded { relayer: T::AccountId },
		/// A relayer account was unregistered; its earlier reports stand.
		RelayerRemoved { relayer: T::AccountId },
		/// A relayer reported that the destination chain accepted the signed transaction of a
		/// request, under the transaction hash given; relayers now wait for its receipt.
		BroadcastAccepted { request: RequestId, tx_hash: TxHash, relayer: T::AccountId },
		/// A relayer reported that the broadcast of a request's signed transaction failed for
		/// good, with the class of failure and the node's message or a description; no relayer
		/// will broadcast it again.
		BroadcastFailed {
			request: RequestId,
			class: FailureClass,
			message: ReportMessageOf<T>,
			relayer: T::AccountId,
		},
		/// A relayer reported that the transaction of a request was included in the given block
		/// of the destination chain, and whether it succeeded or was reverted.
		InclusionReported {
			request: RequestId,
			tx_hash: TxHash,
			block: u64,
			success: bool,
			relayer: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a registered relayer.
		AlreadyRelayer,
		/// The account is not a registered relayer.
		NotRelayer,
		/// There are already MaxRelayers registered relayers.
		TooManyRelayers,
		/// The request is not awaiting broadcast: it is unknown, not a transaction-signature
		/// request, not fulfilled yet, private (its requester broadcasts it) or already
		/// reported.
		NotAwaitingBroadcast,
		/// The request awaits broadcast but the chain cannot assemble its signed transaction.
		UnknownTransaction,
		/// The reported transaction hash is not the hash of the request's signed transaction.
		TxHashMismatch,
		/// A relayer has already reported on this request (broadcast, or inclusion).
		AlreadyReported,
		/// The request's broadcast has not been reported as accepted, so there is no
		/// transaction whose inclusion could be reported.
		NotBroadcast,
		/// MaxInFlight broadcast transactions already await their receipt; try again once some
		/// of them are reported included.
		TooManyInFlight,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Broadcasts the requests awaiting broadcast and follows accepted transactions to their
		/// receipts, if this node holds the key of a registered relayer (see the crate docs).
		fn offchain_worker(block: BlockNumberFor<T>) {
			worker::run::<T>(block);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a relayer account; the chain then accepts its broadcast and inclusion
		/// reports.
		///
		/// Only the relayer admin origin (root or governance) may call this. Emits
		/// RelayerAdded.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_relayer())]
		pub fn add_relayer(origin: OriginFor<T>, relayer: T::AccountId) -> DispatchResult {
			T::RelayerAdminOrigin::ensure_origin(origin)?;
			Self::insert_relayer(&relayer)?;
			Self::deposit_event(Event::RelayerAdded { relayer });
			Ok(())
		}

		/// Unregister a relayer account. Its earlier reports stand.
		///
		/// Only the relayer admin origin (root or governance) may call this. Emits
		/// RelayerRemoved.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_relayer())]
		pub fn remove_relayer(origin: OriginFor<T>, relayer: T::AccountId) -> DispatchResult {
			T::RelayerAdminOrigin::ensure_origin(origin)?;
			ensure!(Relayers::<T>::take(&relayer).is_some(), Error::<T>::NotRelayer);
			RelayerCount::<T>::mutate(|count| *count = count.saturating_sub(1));
			Self::deposit_event(Event::RelayerRemoved { relayer });
			Ok(())
		}

		/// Report the outcome of broadcasting the signed transaction of a request that is
		/// awaiting broadcast. Must be signed by a registered relayer; a report the chain
		/// accepts pays no fee.
		///
		/// If the destination chain accepted the transaction, the hash reported must be the hash
		/// of the request's signed transaction. The request's status becomes Broadcast and it
		/// joins AwaitingReceipt (at most MaxInFlight requests). Emits BroadcastAccepted.
		///
		/// If the broadcast failed for good, the report gives the class of failure and a message;
		/// the request's status becomes Failed. Emits BroadcastFailed.
		///
		/// Either way the request leaves the treasury's list of requests awaiting broadcast, so
		/// no relayer broadcasts it again.
		#[pallet::call_index(2)]
		#[pallet::weight(
			T::WeightInfo::report_broadcast_accepted()
				.max(T::WeightInfo::report_broadcast_failed(outcome.message_len()))
		)]
		pub fn report_broadcast(
			origin: OriginFor<T>,
			request: RequestId,
			outcome: BroadcastOutcomeOf<T>,
		) -> DispatchResultWithPostInfo {
			let relayer = Self::ensure_relayer(origin)?;
			ensure!(!BroadcastStatuses::<T>::contains_key(request), Error::<T>::AlreadyReported);
			// Taken first: every failure below reverts it with the rest of the call.
			ensure!(
				T::Broadcasts::take_awaiting_broadcast(request),
				Error::<T>::NotAwaitingBroadcast
			);
			let now = frame_system::Pallet::<T>::block_number();
			match outcome {
				BroadcastOutcome::Accepted { tx_hash } => {
					let (chain, _raw, expected) = T::Broadcasts::signed_transaction(request)
						.ok_or(Error::<T>::UnknownTransaction)?;
					ensure!(tx_hash.as_slice() == expected.as_slice(), Error::<T>::TxHashMismatch);
					let in_flight = AwaitingReceiptCount::<T>::get();
					ensure!(in_flight < T::MaxInFlight::get(), Error::<T>::TooManyInFlight);
					AwaitingReceiptCount::<T>::put(in_flight.saturating_add(1));
					AwaitingReceipt::<T>::insert(request, ());
					BroadcastStatuses::<T>::insert(
						request,
						BroadcastStatus::Broadcast {
							chain,
							tx_hash: tx_hash.clone(),
							by: relayer.clone(),
							at: now,
						},
					);
					Self::deposit_event(Event::BroadcastAccepted { request, tx_hash, relayer });
				}
				BroadcastOutcome::Failed { class, message } => {
					BroadcastStatuses::<T>::insert(
						request,
						BroadcastStatus::Failed {
							class,
							message: message.clone(),
							by: relayer.clone(),
							at: now,
						},
					);
					Self::deposit_event(Event::BroadcastFailed {
						request,
						class,
						message,
						relayer,
					});
				}
			}
			Ok(Pays::No.into())
		}

		/// Report that the accepted transaction of a request was included in the given block of
		/// the destination chain, and whether it succeeded or was reverted. The request's status
		/// becomes Included and it leaves AwaitingReceipt.
		///
		/// Must be signed by a registered relayer; a report the chain accepts pays no fee. Emits
		/// InclusionReported.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::report_inclusion())]
		pub fn report_inclusion(
			origin: OriginFor<T>,
			request: RequestId,
			block_number: u64,
			success: bool,
		) -> DispatchResultWithPostInfo {
			let relayer = Self::ensure_relayer(origin)?;
			let (chain, tx_hash) = match BroadcastStatuses::<T>::get(request) {
				Some(BroadcastStatus::Broadcast { chain, tx_hash, .. }) => (chain, tx_hash),
				Some(BroadcastStatus::Included { .. }) => {
					return Err(Error::<T>::AlreadyReported.into())
				}
				Some(BroadcastStatus::Failed { .. }) | None => {
					return Err(Error::<T>::NotBroadcast.into())
				}
			};
			if AwaitingReceipt::<T>::take(request).is_some() {
				AwaitingReceiptCount::<T>::mutate(|count| *count = count.saturating_sub(1));
			}
			BroadcastStatuses::<T>::insert(
				request,
				BroadcastStatus::Included {
					chain,
					tx_hash: tx_hash.clone(),
					block: block_number,
					success,
					by: relayer.clone(),
					at: frame_system::Pallet::<T>::block_number(),
				},
			);
			Self::deposit_event(Event::InclusionReported {
				request,
				tx_hash,
				block: block_number,
				success,
				relayer,
			});
			Ok(Pays::No.into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether `who` is a registered relayer.
		pub fn is_relayer(who: &T::AccountId) -> bool {
			Relayers::<T>::contains_key(who)
		}

		/// The registered relayers (at most `MaxRelayers`), in storage order.
		pub fn relayers() -> Vec<T::AccountId> {
			Relayers::<T>::iter_keys().collect()
		}

		/// The broadcast status of `request`, as the runtime API returns it.
		pub fn broadcast_status(
			request: RequestId,
		) -> Option<BroadcastStatusInfo<T::AccountId, BlockNumberFor<T>>> {
			BroadcastStatuses::<T>::get(request)
				.map(|status| status.map_message(|m| m.into_inner()))
		}

		fn ensure_relayer(origin: OriginFor<T>) -> Result<T::AccountId, DispatchError> {
			let who = ensure_signed(origin)?;
			ensure!(Self::is_relayer(&who), Error::<T>::NotRelayer);
			Ok(who)
		}

		pub(crate) fn insert_relayer(relayer: &T::AccountId) -> DispatchResult {
			ensure!(!Relayers::<T>::contains_key(relayer), Error::<T>::AlreadyRelayer);
			let count = RelayerCount::<T>::get();
			ensure!(count < T::MaxRelayers::get(), Error::<T>::TooManyRelayers);
			Relayers::<T>::insert(relayer, ());
			RelayerCount::<T>::put(count.saturating_add(1));
			Ok(())
		}
	}
}
