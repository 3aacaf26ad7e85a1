//! Test runtime: System, a mock treasury that only defines the four answer calls, and the
//! keyring controller. Keyrings, pending requests and recorded answers are thread-local tables
//! standing in for the identity and treasury pallets ([`set_keyring`], [`add_key_request`],
//! [`add_sign_request`], [`mark_responded`]). Transactions are those of
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
use frame_support::derive_impl;
use sp_io::TestExternalities;
use sp_runtime::{traits::IdentityLookup, BuildStorage};
use std::collections::{BTreeMap, BTreeSet};
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
	type ResubmitAfter = ConstU64Block;
}

pub type ConstU64Block = frame_support::traits::ConstU64<RESUBMIT_AFTER>;

#[derive(Clone, Default)]
struct ChainState {
	/// Keyring → (parties in order, threshold).
	keyrings: BTreeMap<KeyringId, (Vec<AccountId>, u32)>,
	key_requests: Vec<PendingKeyRequest>,
	sign_requests: Vec<PendingSignRequest>,
	responded: BTreeSet<(RequestId, AccountId)>,
}

thread_local! {
	static CHAIN: RefCell<ChainState> = RefCell::new(ChainState::default());
	static PENDING_READS: Cell<u32> = const { Cell::new(0) };
}

/// Registers (or replaces) `keyring` with `parties` (in order) and `threshold`.
pub fn set_keyring(keyring: KeyringId, parties: Vec<AccountId>, threshold: u32) {
	CHAIN.with(|c| c.borrow_mut().keyrings.insert(keyring, (parties, threshold)));
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
				.filter(|(_, (parties, _))| parties.contains(party))
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
