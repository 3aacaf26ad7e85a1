//! Test runtime: System, a mock treasury that only defines the four answer calls, and the
//! keyring controller. Keyrings, pending requests and recorded answers are thread-local tables
//! standing in for the identity and treasury pallets ([`set_keyring`], [`add_key_request`],
//! [`add_sign_request`], [`mark_responded`]). Transactions are
//! `UncheckedExtrinsic<AccountId, RuntimeCall, MultiSignature, Nonce>`, signed over
//! `(call, nonce)` with the party key, so tests can check who signed and with which nonce.

use crate as pallet_zenrock_keyring_controller;
use crate::{
	KeyringId, KeyringWork, PartyAuthId, PendingKeyRequest, PendingSignRequest, RequestId,
	ResponseCalls, PARTY_KEY_TYPE,
};
use codec::{Decode, Encode};
use core::cell::{Cell, RefCell};
use frame_support::{derive_impl, traits::ConstU32};
use frame_system::offchain::{
	AppCrypto, CreateSignedTransaction, CreateTransactionBase, SigningTypes,
};
use sp_core::offchain::{
	testing::{TestOffchainExt, TestTransactionPoolExt},
	OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
};
use sp_io::TestExternalities;
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::{
	generic::UncheckedExtrinsic,
	traits::{IdentifyAccount, IdentityLookup, Verify},
	BuildStorage, MultiSignature, MultiSigner,
};
use std::{
	collections::{BTreeMap, BTreeSet},
	sync::Arc,
};

pub type AccountId = <<MultiSignature as Verify>::Signer as IdentifyAccount>::AccountId;
pub type Nonce = u32;
pub type BlockNumber = u64;
type Block = frame_system::mocking::MockBlock<Test>;
/// The transactions the worker submits.
pub type Extrinsic = UncheckedExtrinsic<AccountId, RuntimeCall, MultiSignature, Nonce>;

/// Blocks the worker waits before resubmitting an answer.
pub const RESUBMIT_AFTER: BlockNumber = 5;
/// Answers per keyring and block.
pub const MAX_REQUESTS_PER_RUN: u32 = 3;

/// A stand-in for the treasury: the four answer calls, doing nothing.
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
		pub fn fulfil_key_request(
			origin: OriginFor<T>,
			request: RequestId,
			public_key: Vec<u8>,
		) -> DispatchResult {
			let _ = (ensure_signed(origin)?, request, public_key);
			Ok(())
		}

		pub fn reject_key_request(
			origin: OriginFor<T>,
			request: RequestId,
			reason: Vec<u8>,
		) -> DispatchResult {
			let _ = (ensure_signed(origin)?, request, reason);
			Ok(())
		}

		pub fn fulfil_signature_request(
			origin: OriginFor<T>,
			request: RequestId,
			signatures: Vec<Vec<u8>>,
		) -> DispatchResult {
			let _ = (ensure_signed(origin)?, request, signatures);
			Ok(())
		}

		pub fn reject_signature_request(
			origin: OriginFor<T>,
			request: RequestId,
			reason: Vec<u8>,
		) -> DispatchResult {
			let _ = (ensure_signed(origin)?, request, reason);
			Ok(())
		}
	}
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

impl SigningTypes for Test {
	type Public = MultiSigner;
	type Signature = MultiSignature;
}

impl<LocalCall> CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = Extrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> CreateSignedTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_signed_transaction<C: AppCrypto<MultiSigner, MultiSignature>>(
		call: RuntimeCall,
		public: MultiSigner,
		account: AccountId,
		nonce: Nonce,
	) -> Option<Extrinsic> {
		if SIGNING_FAILS.with(Cell::get) {
			return None;
		}
		let signature = C::sign(&signed_payload(&call, nonce), public)?;
		Some(Extrinsic::new_signed(call, account, signature, nonce))
	}
}

/// What a mock transaction's signature covers.
pub fn signed_payload(call: &RuntimeCall, nonce: Nonce) -> Vec<u8> {
	(call, nonce).encode()
}

impl pallet_zenrock_keyring_controller::Config for Test {
	type AuthorityId = PartyAuthId;
	type Work = MockChain;
	type Responses = MockCalls;
	type ResubmitAfter = ConstU64Block;
	type MaxRequestsPerRun = ConstU32<MAX_REQUESTS_PER_RUN>;
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
	static SIGNING_FAILS: Cell<bool> = const { Cell::new(false) };
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

/// Makes `CreateSignedTransaction` fail (as if signing were impossible) while `fails`.
pub fn set_signing_fails(fails: bool) {
	SIGNING_FAILS.with(|f| f.set(fails));
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
	fn fulfil_key(request: RequestId, public_key: Vec<u8>) -> RuntimeCall {
		mock_treasury::Call::fulfil_key_request { request, public_key }.into()
	}
	fn reject_key(request: RequestId, reason: Vec<u8>) -> RuntimeCall {
		mock_treasury::Call::reject_key_request { request, reason }.into()
	}
	fn fulfil_signature(request: RequestId, signatures: Vec<Vec<u8>>) -> RuntimeCall {
		mock_treasury::Call::fulfil_signature_request { request, signatures }.into()
	}
	fn reject_signature(request: RequestId, reason: Vec<u8>) -> RuntimeCall {
		mock_treasury::Call::reject_signature_request { request, reason }.into()
	}
}

/// A submitted transaction, decoded.
#[derive(Clone, Debug, PartialEq)]
pub struct Submitted {
	/// The account that signed it.
	pub from: AccountId,
	/// Its nonce.
	pub nonce: Nonce,
	/// The call.
	pub call: RuntimeCall,
}

/// A test node: chain state, off-chain database, transaction pool and keystore. A *restart*
/// ([`Node::restart`]) keeps the off-chain database, the keystore and the chain state but
/// starts with an empty transaction pool, as a restarted node does.
pub struct Node {
	pub ext: TestExternalities,
	/// The off-chain database and clock (`offchain.0.write().timestamp = ..`).
	pub offchain: TestOffchainExt,
	pub keystore: Arc<MemoryKeystore>,
	/// Takes the encoded transactions submitted to the pool so far.
	take_pool: Box<dyn Fn() -> Vec<Vec<u8>>>,
}

impl Node {
	/// A node with an empty keystore.
	pub fn new() -> Self {
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut ext: TestExternalities = storage.into();
		let (offchain, _) = TestOffchainExt::new();
		let keystore = Arc::new(MemoryKeystore::new());
		ext.register_extension(OffchainWorkerExt::new(offchain.clone()));
		ext.register_extension(OffchainDbExt::new(offchain.clone()));
		ext.register_extension(KeystoreExt::from(keystore.clone()));
		ext.execute_with(|| System::set_block_number(1));
		let mut node = Node { ext, offchain, keystore, take_pool: Box::new(Vec::new) };
		node.new_pool();
		node
	}

	fn new_pool(&mut self) {
		let (pool, pool_state) = TestTransactionPoolExt::new();
		self.ext.register_extension(TransactionPoolExt::new(pool));
		self.take_pool = Box::new(move || std::mem::take(&mut pool_state.write().transactions));
	}

	/// The same node after a restart: same off-chain database, keystore and chain, empty pool,
	/// no lock held.
	pub fn restart(mut self) -> Self {
		self.new_pool();
		self
	}

	/// Inserts a party key (`zprt`) from `seed` (e.g. `"//Alice"`) and returns its account.
	pub fn add_party(&self, seed: &str) -> AccountId {
		let public = self.keystore.sr25519_generate_new(PARTY_KEY_TYPE, Some(seed)).unwrap();
		MultiSigner::from(public).into_account()
	}

	/// Runs the off-chain worker at block `block`.
	pub fn run_worker(&mut self, block: BlockNumber) {
		self.ext.execute_with(|| {
			System::set_block_number(block);
			<KeyringController as frame_support::traits::Hooks<BlockNumber>>::offchain_worker(
				block,
			);
		});
	}

	/// Takes the transactions submitted since the last call, checking each signature.
	pub fn take_submitted(&self) -> Vec<Submitted> {
		(self.take_pool)()
			.into_iter()
			.map(|bytes| {
				let xt = Extrinsic::decode(&mut &bytes[..]).expect("a transaction of ours");
				let sp_runtime::generic::Preamble::Signed(from, signature, nonce) = xt.preamble
				else {
					panic!("not a signed transaction: {:?}", xt.preamble)
				};
				assert!(
					signature.verify(&signed_payload(&xt.function, nonce)[..], &from),
					"bad transaction signature"
				);
				Submitted { from, nonce, call: xt.function }
			})
			.collect()
	}

	/// Runs `f` in the node's externalities.
	pub fn execute<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}
}
