//! Test runtime: System, a mock treasury that only defines the four answer calls, the real MPC
//! pallet and the keyring controller. Keyrings, pending requests and recorded answers are
//! thread-local tables standing in for the identity and treasury pallets ([`set_keyring`],
//! [`set_frost_keyring`], [`add_key_request`], [`add_sign_request`], [`mark_responded`]); the
//! MPC pallet's results go to a mock treasury that verifies signatures as the treasury does
//! ([`open_threshold_request`], [`outcome`]). Transactions are those of
//! `zenrock_test_support::offchain`: `UncheckedExtrinsic<AccountId, RuntimeCall, MultiSignature,
//! Nonce>`, signed over `(call, nonce)` with the party key, so tests can check who signed and with
//! which nonce; [`Node`] runs the worker on a test node.

use crate as pallet_zenrock_keyring_controller;
use crate::{
	KeyringId, KeyringWork, PartyAuthId, PendingKeyRequest, PendingSignRequest, RequestId,
	ResponseCalls, PARTY_KEY_TYPE,
};
use core::{
	cell::{Cell, RefCell},
	ops::{Deref, DerefMut},
};
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64},
};
use sp_io::TestExternalities;
use sp_runtime::{traits::IdentityLookup, BuildStorage, DispatchError, DispatchResult};
use std::collections::{BTreeMap, BTreeSet};
use zenrock_chain_formats::{signature::verify_signature, PublicKey};
use zenrock_primitives::{
	KeyId, KeyType, KeyringBackend, KeyringInspect, KeyringTerms, ThresholdBackend,
	ThresholdResults,
};
use zenrock_test_support::offchain::TestNode;
pub use zenrock_test_support::offchain::{set_signing_fails, AccountId};

pub type BlockNumber = u64;
type Block = frame_system::mocking::MockBlock<Test>;
/// A submitted transaction, decoded and its signature checked.
pub type Submitted = zenrock_test_support::offchain::Submitted<RuntimeCall>;

/// Blocks the worker waits before resubmitting an answer.
pub const RESUBMIT_AFTER: BlockNumber = 5;
/// Answers one batched call may carry.
pub const MAX_ANSWERS_PER_CALL: u32 = 50;

frame_support::parameter_types! {
	/// The weight the mock treasury's calls declare per answer (tests raise it to make batches
	/// hit the block's weight limit).
	pub static WeightPerAnswer: u64 = 1_000;
	/// Whether a node holding `t` party keys of a threshold keyring acts anyway.
	pub static AllowSingleHolder: bool = false;
}

/// A stand-in for the treasury: the three batched answer calls, doing nothing.
#[frame_support::pallet(dev_mode)]
pub mod mock_treasury {
	use crate::RequestId;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		#[pallet::weight(super::answers_weight(answers.len()))]
		pub fn fulfil_key_requests(
			origin: OriginFor<T>,
			keyring: crate::KeyringId,
			answers: Vec<(RequestId, Vec<u8>)>,
		) -> DispatchResult {
			let _ = (ensure_signed(origin)?, keyring, answers);
			Ok(())
		}

		#[pallet::weight(super::answers_weight(answers.len()))]
		pub fn fulfil_signature_requests(
			origin: OriginFor<T>,
			keyring: crate::KeyringId,
			answers: Vec<(RequestId, Vec<Vec<u8>>)>,
		) -> DispatchResult {
			let _ = (ensure_signed(origin)?, keyring, answers);
			Ok(())
		}

		#[pallet::weight(super::answers_weight(rejections.len()))]
		pub fn reject_requests(
			origin: OriginFor<T>,
			keyring: crate::KeyringId,
			rejections: Vec<(RequestId, Vec<u8>)>,
		) -> DispatchResult {
			let _ = (ensure_signed(origin)?, keyring, rejections);
			Ok(())
		}
	}
}

/// The weight of a mock batched call of `answers` answers.
pub fn answers_weight(answers: usize) -> frame_support::weights::Weight {
	frame_support::weights::Weight::from_parts(WeightPerAnswer::get() * answers as u64, 0)
}

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Treasury: mock_treasury,
		Mpc: pallet_zenrock_mpc,
		KeyringController: pallet_zenrock_keyring_controller,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
}

impl mock_treasury::Config for Test {}

zenrock_test_support::impl_signed_transactions!(Test);

impl pallet_zenrock_keyring_controller::Config for Test {
	type AuthorityId = PartyAuthId;
	type Work = MockChain;
	type Responses = MockCalls;
	type Threshold = pallet_zenrock_mpc::PartyView<Test>;
	type ThresholdCalls = pallet_zenrock_mpc::PartyView<Test>;
	type AllowSingleHolder = AllowSingleHolder;
	type ResubmitAfter = ConstU64Block;
}

/// Blocks a DKG round and a signing attempt may take.
pub const DKG_ROUND_TIMEOUT: BlockNumber = 5;
pub const SHARE_TIMEOUT: BlockNumber = 3;

frame_support::parameter_types! {
	pub const MaxParties: u32 = 8;
	pub const MaxPayloads: u32 = 4;
	pub const MaxPooledCommitments: u32 = 8;
	pub const DkgRoundTimeout: BlockNumber = DKG_ROUND_TIMEOUT;
	pub const ShareTimeout: BlockNumber = SHARE_TIMEOUT;
	pub const SuspendBlocks: BlockNumber = 20;
	pub const MaxDeadlinesPerBlock: u32 = 8;
}

impl pallet_zenrock_mpc::Config for Test {
	type Balance = u128;
	type Keyrings = MockChain;
	type Results = MockChain;
	type MaxParties = MaxParties;
	type MaxPayloads = MaxPayloads;
	type MaxPooledCommitments = MaxPooledCommitments;
	type DkgRoundTimeout = DkgRoundTimeout;
	type ShareTimeout = ShareTimeout;
	type SuspendBlocks = SuspendBlocks;
	type MaxDeadlinesPerBlock = MaxDeadlinesPerBlock;
	type CeremonyRoundTimeout = ConstU64<5>;
	type PresignaturesPerKey = ConstU32<2>;
	type PresignatureWait = ConstU64<10>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = NoBenchmarks;
}

/// The controller's tests run no MPC benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct NoBenchmarks;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_zenrock_mpc::BenchmarkHelper<AccountId> for NoBenchmarks {
	fn frost_keyring(_: Vec<AccountId>, _: u32) -> KeyringId {
		unimplemented!("no MPC benchmarks in the controller's tests")
	}
	fn request_key(_: KeyringId, _: KeyType) -> RequestId {
		unimplemented!("no MPC benchmarks in the controller's tests")
	}
	fn request_signature(_: KeyId, _: Vec<Vec<u8>>) -> RequestId {
		unimplemented!("no MPC benchmarks in the controller's tests")
	}
	fn ecdsa_keyring(_: Vec<AccountId>, _: u32) -> KeyringId {
		unimplemented!("no MPC benchmarks in the controller's tests")
	}
	fn request_evm_transaction_signature(_: KeyId, _: Vec<u8>) -> RequestId {
		unimplemented!("no MPC benchmarks in the controller's tests")
	}
}

pub type ConstU64Block = frame_support::traits::ConstU64<RESUBMIT_AFTER>;

/// A request of a threshold keyring, as the mock treasury knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ThresholdRequest {
	/// A key request of this type.
	Key { key_type: KeyType },
	/// A signature request with `key` of `payloads`.
	Signature { key: KeyId, payloads: Vec<Vec<u8>> },
}

/// How a threshold keyring's request ended in the mock treasury.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
	KeyCreated(Vec<u8>),
	Signed(Vec<Vec<u8>>),
	Rejected(Vec<u8>),
}

#[derive(Clone, Default)]
struct ChainState {
	/// Keyring → (parties in order, threshold, backend).
	keyrings: BTreeMap<KeyringId, (Vec<AccountId>, u32, KeyringBackend)>,
	key_requests: Vec<PendingKeyRequest>,
	sign_requests: Vec<PendingSignRequest>,
	responded: BTreeSet<(RequestId, AccountId)>,
	/// Requests of threshold keyrings, their outcomes and the keys they made.
	threshold_requests: BTreeMap<RequestId, ThresholdRequest>,
	outcomes: BTreeMap<RequestId, Outcome>,
	threshold_keys: BTreeMap<KeyId, (KeyType, Vec<u8>)>,
}

thread_local! {
	static CHAIN: RefCell<ChainState> = RefCell::new(ChainState::default());
	static PENDING_READS: Cell<u32> = const { Cell::new(0) };
}

/// Registers (or replaces) `keyring` with `parties` (in order) and `threshold`.
pub fn set_keyring(keyring: KeyringId, parties: Vec<AccountId>, threshold: u32) {
	CHAIN.with(|c| {
		c.borrow_mut().keyrings.insert(keyring, (parties, threshold, KeyringBackend::NodeKeystore))
	});
}

/// Registers (or replaces) FROST keyring `keyring` with `parties` (in order) and `threshold`.
pub fn set_frost_keyring(keyring: KeyringId, parties: Vec<AccountId>, threshold: u32) {
	CHAIN.with(|c| {
		c.borrow_mut().keyrings.insert(keyring, (parties, threshold, KeyringBackend::Frost))
	});
}

/// Opens request `id` of threshold keyring `keyring` as the treasury does: records it and hands
/// it to the MPC pallet (run in the chain's externalities).
pub fn open_threshold_request(id: RequestId, keyring: KeyringId, request: ThresholdRequest) {
	CHAIN.with(|c| c.borrow_mut().threshold_requests.insert(id, request.clone()));
	match request {
		ThresholdRequest::Key { key_type } => {
			<Mpc as ThresholdBackend>::key_requested(id, keyring, key_type)
				.expect("the key generation starts")
		}
		ThresholdRequest::Signature { key, payloads } => {
			<Mpc as ThresholdBackend>::signature_requested(id, keyring, key, &payloads)
				.expect("the signing starts")
		}
	}
}

/// Replaces the payloads of threshold signature request `id` (what a fork of the chain might
/// carry instead).
pub fn replace_payloads(id: RequestId, payloads: Vec<Vec<u8>>) {
	CHAIN.with(|c| {
		if let Some(ThresholdRequest::Signature { payloads: stored, .. }) =
			c.borrow_mut().threshold_requests.get_mut(&id)
		{
			*stored = payloads;
		}
	});
}

/// How threshold request `id` ended, if it did.
pub fn outcome(id: RequestId) -> Option<Outcome> {
	CHAIN.with(|c| c.borrow().outcomes.get(&id).cloned())
}

/// Adds a pending key request.
pub fn add_key_request(id: RequestId, keyring: KeyringId, key_type: crate::KeyType) {
	CHAIN.with(|c| c.borrow_mut().key_requests.push(PendingKeyRequest { id, keyring, key_type }));
}

/// Adds a pending signature request.
pub fn add_sign_request(
	id: RequestId,
	keyring: KeyringId,
	key_type: crate::KeyType,
	public_key: Vec<u8>,
	payloads: Vec<Vec<u8>>,
) {
	CHAIN.with(|c| {
		c.borrow_mut().sign_requests.push(PendingSignRequest {
			id,
			keyring,
			key_type,
			public_key,
			payloads,
		})
	});
}

/// Records on the mock chain that `party` answered `request`.
pub fn mark_responded(request: RequestId, party: &AccountId) {
	CHAIN.with(|c| c.borrow_mut().responded.insert((request, party.clone())));
}

/// Removes `request` from the pending lists (fulfilled, rejected or expired).
pub fn settle(request: RequestId) {
	CHAIN.with(|c| {
		let mut chain = c.borrow_mut();
		chain.key_requests.retain(|r| r.id != request);
		chain.sign_requests.retain(|r| r.id != request);
	});
}

/// How often the worker read a pending-request list.
pub fn pending_reads() -> u32 {
	PENDING_READS.with(Cell::get)
}

fn note_pending_read() {
	PENDING_READS.with(|r| r.set(r.get().saturating_add(1)));
}

pub struct MockChain;

impl KeyringWork<AccountId> for MockChain {
	fn keyrings_of_party(party: &AccountId) -> Vec<KeyringId> {
		CHAIN.with(|c| {
			c.borrow()
				.keyrings
				.iter()
				.filter(|(_, (parties, _, _))| parties.contains(party))
				.map(|(id, _)| *id)
				.collect()
		})
	}

	fn keyring_parties(keyring: KeyringId) -> Vec<AccountId> {
		CHAIN.with(|c| c.borrow().keyrings.get(&keyring).map(|k| k.0.clone()).unwrap_or_default())
	}

	fn keyring_threshold(keyring: KeyringId) -> u32 {
		CHAIN.with(|c| c.borrow().keyrings.get(&keyring).map_or(0, |k| k.1))
	}

	fn pending_key_requests(keyring: KeyringId) -> Vec<PendingKeyRequest> {
		note_pending_read();
		CHAIN.with(|c| {
			c.borrow().key_requests.iter().filter(|r| r.keyring == keyring).cloned().collect()
		})
	}

	fn pending_sign_requests(keyring: KeyringId) -> Vec<PendingSignRequest> {
		note_pending_read();
		CHAIN.with(|c| {
			c.borrow().sign_requests.iter().filter(|r| r.keyring == keyring).cloned().collect()
		})
	}

	fn has_responded(request: RequestId, party: &AccountId) -> bool {
		CHAIN.with(|c| c.borrow().responded.contains(&(request, party.clone())))
	}
}

pub struct MockCalls;

impl ResponseCalls<RuntimeCall> for MockCalls {
	fn fulfil_keys(keyring: KeyringId, answers: Vec<(RequestId, Vec<u8>)>) -> RuntimeCall {
		mock_treasury::Call::fulfil_key_requests { keyring, answers }.into()
	}
	fn fulfil_signatures(
		keyring: KeyringId,
		answers: Vec<(RequestId, Vec<Vec<u8>>)>,
	) -> RuntimeCall {
		mock_treasury::Call::fulfil_signature_requests { keyring, answers }.into()
	}
	fn reject(keyring: KeyringId, rejections: Vec<(RequestId, Vec<u8>)>) -> RuntimeCall {
		mock_treasury::Call::reject_requests { keyring, rejections }.into()
	}
	fn max_answers_per_call() -> u32 {
		MAX_ANSWERS_PER_CALL
	}
}

/// The mock identity pallet, for the MPC pallet.
impl KeyringInspect<AccountId, u128> for MockChain {
	fn keyring_terms(keyring: KeyringId) -> Option<KeyringTerms<AccountId, u128>> {
		CHAIN.with(|c| {
			c.borrow().keyrings.get(&keyring).map(|(parties, threshold, backend)| KeyringTerms {
				backend: *backend,
				account: AccountId::new([0xee; 32]),
				party_threshold: *threshold,
				party_count: parties.len() as u32,
				key_request_fee: 0,
				sign_request_fee: 0,
				is_active: true,
			})
		})
	}

	fn is_party(keyring: KeyringId, who: &AccountId) -> bool {
		CHAIN.with(|c| c.borrow().keyrings.get(&keyring).is_some_and(|k| k.0.contains(who)))
	}

	fn parties(keyring: KeyringId) -> Vec<AccountId> {
		<MockChain as KeyringWork<AccountId>>::keyring_parties(keyring)
	}
}

/// The open threshold request `request`.
fn open_request(request: RequestId) -> Result<ThresholdRequest, DispatchError> {
	CHAIN.with(|c| {
		let chain = c.borrow();
		if chain.outcomes.contains_key(&request) {
			return Err(DispatchError::Other("request not pending"));
		}
		chain
			.threshold_requests
			.get(&request)
			.cloned()
			.ok_or(DispatchError::Other("unknown request"))
	})
}

fn set_outcome(request: RequestId, outcome: Outcome) {
	CHAIN.with(|c| c.borrow_mut().outcomes.insert(request, outcome));
}

/// The mock treasury's side of the ceremonies: an open request takes one result; signatures are
/// verified with `zenrock-chain-formats`, as the treasury does.
impl ThresholdResults for MockChain {
	fn fulfil_key(request: RequestId, public_key: &[u8]) -> Result<KeyId, DispatchError> {
		let ThresholdRequest::Key { key_type } = open_request(request)? else {
			return Err(DispatchError::Other("not a key request"));
		};
		PublicKey::parse(key_type, public_key).map_err(|_| DispatchError::Other("invalid key"))?;
		CHAIN.with(|c| {
			c.borrow_mut().threshold_keys.insert(request, (key_type, public_key.to_vec()))
		});
		set_outcome(request, Outcome::KeyCreated(public_key.to_vec()));
		// A key's id is its request's id, as in the treasury.
		Ok(request)
	}

	fn fulfil_signatures(request: RequestId, signatures: Vec<Vec<u8>>) -> DispatchResult {
		let ThresholdRequest::Signature { key, payloads } = open_request(request)? else {
			return Err(DispatchError::Other("not a signature request"));
		};
		let (key_type, public_key) = CHAIN
			.with(|c| c.borrow().threshold_keys.get(&key).cloned())
			.ok_or(DispatchError::Other("unknown key"))?;
		let public = PublicKey::parse(key_type, &public_key)
			.map_err(|_| DispatchError::Other("invalid key"))?;
		if signatures.len() != payloads.len() {
			return Err(DispatchError::Other("wrong signature count"));
		}
		for (payload, signature) in payloads.iter().zip(&signatures) {
			verify_signature(&public, payload, signature)
				.map_err(|_| DispatchError::Other("invalid signature"))?;
		}
		set_outcome(request, Outcome::Signed(signatures));
		Ok(())
	}

	fn reject(request: RequestId, reason: &[u8]) -> DispatchResult {
		open_request(request)?;
		set_outcome(request, Outcome::Rejected(reason.to_vec()));
		Ok(())
	}

	fn sign_payloads(request: RequestId) -> Option<Vec<Vec<u8>>> {
		match CHAIN.with(|c| c.borrow().threshold_requests.get(&request).cloned()) {
			Some(ThresholdRequest::Signature { payloads, .. }) => Some(payloads),
			_ => None,
		}
	}

	// Threshold ECDSA runs in the node, not in this worker: its requests are not mocked here.
	fn sign_preimages(_: RequestId) -> Option<Vec<zenrock_chain_formats::Preimage>> {
		None
	}
}

/// A test node: chain state, off-chain database, transaction pool and keystore
/// ([`TestNode`]), running the keyring controller's worker. A *restart* ([`Node::restart`]) keeps
/// the off-chain database, the keystore and the chain state but starts with an empty transaction
/// pool, as a restarted node does.
pub struct Node(TestNode<Test, KeyringController>);

impl Node {
	/// A node with an empty keystore.
	pub fn new() -> Self {
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut chain: TestExternalities = storage.into();
		chain.execute_with(|| System::set_block_number(1));
		Node(TestNode::new(chain))
	}

	/// The same node after a restart: same off-chain database, keystore and chain, empty pool,
	/// no lock held.
	pub fn restart(self) -> Self {
		Node(self.0.restart())
	}

	/// Inserts a party key (`zprt`) from `seed` (e.g. `"//Alice"`) and returns its account.
	pub fn add_party(&self, seed: &str) -> AccountId {
		self.add_account_key(PARTY_KEY_TYPE, seed)
	}
}

// The harness's own methods (`run_worker`, `take_submitted`, `execute`, the keystore, ...) are
// the node's.
impl Deref for Node {
	type Target = TestNode<Test, KeyringController>;

	fn deref(&self) -> &Self::Target {
		&self.0
	}
}

impl DerefMut for Node {
	fn deref_mut(&mut self) -> &mut Self::Target {
		&mut self.0
	}
}
