//! Test plumbing for pallets whose off-chain worker submits signed transactions.
//!
//! The test runtime's transactions are [`Extrinsic`]s, signed over `(call, nonce)`
//! ([`signed_payload`]) with the worker's key, so tests check who signed and with which nonce. A
//! mock implements the signing traits with [`impl_signed_transactions!`](crate::impl_signed_transactions)
//! (they must be written in the crate of its `Test` type) and runs its worker in a [`TestNode`].

use codec::{Decode, Encode};
use core::{cell::Cell, marker::PhantomData};
use frame_support::{
	dispatch::{DispatchResultWithPostInfo, PostDispatchInfo},
	traits::Hooks,
};
use frame_system::{offchain::AppCrypto, pallet_prelude::BlockNumberFor, RawOrigin};
use sp_core::{
	crypto::KeyTypeId,
	offchain::{
		testing::{TestOffchainExt, TestTransactionPoolExt},
		Externalities, OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
	},
};
use sp_io::TestExternalities;
use sp_keystore::{testing::MemoryKeystore, Keystore, KeystoreExt};
use sp_runtime::{
	generic::{Preamble, UncheckedExtrinsic},
	traits::{Dispatchable, IdentifyAccount, Verify},
	MultiSignature, MultiSigner,
};
use std::sync::Arc;

/// The account type of the off-chain workers' test runtimes.
pub type AccountId = <<MultiSignature as Verify>::Signer as IdentifyAccount>::AccountId;
/// The nonce type of the off-chain workers' test runtimes.
pub type Nonce = u32;
/// The transactions the worker submits.
pub type Extrinsic<Call> = UncheckedExtrinsic<AccountId, Call, MultiSignature, Nonce>;

thread_local! {
	static SIGNING_FAILS: Cell<bool> = const { Cell::new(false) };
}

/// Makes [`sign_transaction`] fail (as if signing were impossible) while `fails`.
pub fn set_signing_fails(fails: bool) {
	SIGNING_FAILS.with(|f| f.set(fails));
}

/// What a mock transaction's signature covers.
pub fn signed_payload<Call: Encode>(call: &Call, nonce: Nonce) -> Vec<u8> {
	(call, nonce).encode()
}

/// The test runtime's `CreateSignedTransaction`: signs `(call, nonce)` with `public`'s key.
pub fn sign_transaction<C, Call>(
	call: Call,
	public: MultiSigner,
	account: AccountId,
	nonce: Nonce,
) -> Option<Extrinsic<Call>>
where
	C: AppCrypto<MultiSigner, MultiSignature>,
	Call: Encode,
{
	if SIGNING_FAILS.with(Cell::get) {
		return None;
	}
	let signature = C::sign(&signed_payload(&call, nonce), public)?;
	Some(Extrinsic::new_signed(call, account, signature, nonce))
}

/// Implements `SigningTypes`, `CreateTransactionBase` and `CreateSignedTransaction` for a test
/// runtime whose accounts are [`AccountId`] and nonces [`Nonce`]: transactions are [`Extrinsic`]s
/// made by [`sign_transaction`]. A macro because the orphan rule wants these impls in the crate of
/// the runtime type.
#[macro_export]
macro_rules! impl_signed_transactions {
	($runtime:ty) => {
		impl $crate::__private::frame_system::offchain::SigningTypes for $runtime {
			type Public = $crate::__private::sp_runtime::MultiSigner;
			type Signature = $crate::__private::sp_runtime::MultiSignature;
		}

		impl<LocalCall> $crate::__private::frame_system::offchain::CreateTransactionBase<LocalCall>
			for $runtime
		where
			<$runtime as $crate::__private::frame_system::Config>::RuntimeCall: From<LocalCall>,
		{
			type Extrinsic = $crate::offchain::Extrinsic<Self::RuntimeCall>;
			type RuntimeCall = <$runtime as $crate::__private::frame_system::Config>::RuntimeCall;
		}

		impl<LocalCall>
			$crate::__private::frame_system::offchain::CreateSignedTransaction<LocalCall> for $runtime
		where
			<$runtime as $crate::__private::frame_system::Config>::RuntimeCall: From<LocalCall>,
		{
			fn create_signed_transaction<
				C: $crate::__private::frame_system::offchain::AppCrypto<Self::Public, Self::Signature>,
			>(
				call: <$runtime as $crate::__private::frame_system::Config>::RuntimeCall,
				public: Self::Public,
				account: Self::AccountId,
				nonce: Self::Nonce,
			) -> Option<Self::Extrinsic> {
				$crate::offchain::sign_transaction::<C, _>(call, public, account, nonce)
			}
		}
	};
}

/// A submitted transaction, decoded and its signature checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Submitted<Call> {
	/// The account that signed it.
	pub from: AccountId,
	/// Its nonce.
	pub nonce: Nonce,
	/// The call.
	pub call: Call,
}

/// A test node of runtime `T` whose off-chain worker is `Worker`'s: chain state, off-chain
/// database, transaction pool and keystore. A *restart* ([`TestNode::restart`]) keeps the
/// off-chain database, the keystore and the chain state but starts with an empty transaction
/// pool, as a restarted node does.
pub struct TestNode<T, Worker> {
	pub ext: TestExternalities,
	/// The off-chain database and clock (`offchain.0.write().timestamp = ..`), and the expected
	/// HTTP requests.
	pub offchain: TestOffchainExt,
	pub keystore: Arc<MemoryKeystore>,
	/// Takes the encoded transactions submitted to the pool so far.
	take_pool: Box<dyn Fn() -> Vec<Vec<u8>>>,
	_runtime: PhantomData<(T, Worker)>,
}

impl<T, Worker> TestNode<T, Worker>
where
	T: frame_system::Config<AccountId = AccountId, Nonce = Nonce>,
	Worker: Hooks<BlockNumberFor<T>>,
{
	/// A node on `chain` (its chain state) with an empty keystore.
	pub fn new(chain: TestExternalities) -> Self {
		Self::with_worker_externalities(chain, |offchain| offchain)
	}

	/// As [`Self::new`], the off-chain worker seeing the externalities `worker` makes of the
	/// node's [`TestOffchainExt`] (to script what the test externalities cannot produce).
	pub fn with_worker_externalities<E: Externalities + 'static>(
		mut chain: TestExternalities,
		worker: impl FnOnce(TestOffchainExt) -> E,
	) -> Self {
		let (offchain, _) = TestOffchainExt::new();
		let keystore = Arc::new(MemoryKeystore::new());
		chain.register_extension(OffchainWorkerExt::new(worker(offchain.clone())));
		chain.register_extension(OffchainDbExt::new(offchain.clone()));
		chain.register_extension(KeystoreExt::from(keystore.clone()));
		let mut node = TestNode {
			ext: chain,
			offchain,
			keystore,
			take_pool: Box::new(Vec::new),
			_runtime: PhantomData,
		};
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

	/// Inserts an sr25519 key of `key_type` from `seed` (e.g. `"//Alice"`) and returns its
	/// account.
	pub fn add_account_key(&self, key_type: KeyTypeId, seed: &str) -> AccountId {
		let public = self.keystore.sr25519_generate_new(key_type, Some(seed)).unwrap();
		MultiSigner::from(public).into_account()
	}

	/// Runs the off-chain worker at block `block` (the chain is at that block too).
	pub fn run_worker(&mut self, block: BlockNumberFor<T>) {
		self.ext.execute_with(|| {
			frame_system::Pallet::<T>::set_block_number(block);
			Worker::offchain_worker(block);
		});
	}

	/// Takes the transactions submitted since the last call, checking each signature.
	pub fn take_submitted(&self) -> Vec<Submitted<T::RuntimeCall>> {
		(self.take_pool)()
			.into_iter()
			.map(|bytes| {
				let xt = Extrinsic::<T::RuntimeCall>::decode(&mut &bytes[..])
					.expect("a transaction of ours");
				let Preamble::Signed(from, signature, nonce) = xt.preamble else {
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

	/// Includes `submitted` on chain: bumps the sender's nonce and dispatches the call.
	pub fn include(&mut self, submitted: &Submitted<T::RuntimeCall>) -> DispatchResultWithPostInfo
	where
		T::RuntimeCall: Dispatchable<PostInfo = PostDispatchInfo>,
	{
		self.execute(|| {
			frame_system::Pallet::<T>::inc_account_nonce(&submitted.from);
			submitted.call.clone().dispatch(RawOrigin::Signed(submitted.from.clone()).into())
		})
	}

	/// Runs `f` in the node's externalities.
	pub fn execute<R>(&mut self, f: impl FnOnce() -> R) -> R {
		self.ext.execute_with(f)
	}
}
