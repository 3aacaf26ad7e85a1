//! Test runtime of the MPC pallet: mock keyrings, and a mock treasury that verifies signatures
//! with `zenrock-chain-formats` exactly as the treasury does.

use crate as pallet_zenrock_mpc;
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
};
use sp_runtime::{traits::IdentityLookup, BuildStorage, DispatchError, DispatchResult};
use std::collections::BTreeMap;
use zenrock_chain_formats::{signature::verify_signature, Preimage, PublicKey};
use zenrock_primitives::{
	KeyId, KeyType, KeyringBackend, KeyringId, KeyringInspect, KeyringTerms, RequestId,
	ThresholdResults,
};

pub type AccountId = u64;
pub type Balance = u128;
type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Mpc: pallet_zenrock_mpc,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
}

/// A keyring of the mock identity pallet.
#[derive(Clone, Debug)]
pub struct MockKeyring {
	pub parties: Vec<AccountId>,
	pub threshold: u32,
	pub backend: KeyringBackend,
}

/// What the mock treasury knows of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MockRequest {
	/// A key request of this type.
	Key { key_type: KeyType },
	/// A signature request with `key` of `payloads`.
	Signature { key: KeyId, payloads: Vec<Vec<u8>> },
}

/// How a request ended in the mock treasury.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
	KeyCreated(Vec<u8>),
	Signed(Vec<Vec<u8>>),
	Rejected(Vec<u8>),
}

thread_local! {
	static KEYRINGS: RefCell<BTreeMap<KeyringId, MockKeyring>> = const { RefCell::new(BTreeMap::new()) };
	static REQUESTS: RefCell<BTreeMap<RequestId, MockRequest>> = const { RefCell::new(BTreeMap::new()) };
	static KEYS: RefCell<BTreeMap<KeyId, (KeyType, Vec<u8>)>> = const { RefCell::new(BTreeMap::new()) };
	static OUTCOMES: RefCell<BTreeMap<RequestId, Outcome>> = const { RefCell::new(BTreeMap::new()) };
	static PREIMAGES: RefCell<BTreeMap<RequestId, Vec<Preimage>>> = const { RefCell::new(BTreeMap::new()) };
}

/// The preimages of signature request `id`'s payloads (a transaction the chain hashed).
pub fn set_preimages(id: RequestId, preimages: Vec<Preimage>) {
	PREIMAGES.with(|p| p.borrow_mut().insert(id, preimages));
}

pub fn set_keyring(id: KeyringId, parties: Vec<AccountId>, threshold: u32) {
	let backend = KeyringBackend::Frost;
	KEYRINGS.with(|k| k.borrow_mut().insert(id, MockKeyring { parties, threshold, backend }));
}

/// A threshold ECDSA keyring in the mock identity pallet.
pub fn set_ecdsa_keyring(id: KeyringId, parties: Vec<AccountId>, threshold: u32) {
	let backend = KeyringBackend::ThresholdEcdsa;
	KEYRINGS.with(|k| k.borrow_mut().insert(id, MockKeyring { parties, threshold, backend }));
}

pub fn add_request(id: RequestId, request: MockRequest) {
	REQUESTS.with(|r| r.borrow_mut().insert(id, request));
}

pub fn outcome(request: RequestId) -> Option<Outcome> {
	OUTCOMES.with(|o| o.borrow().get(&request).cloned())
}

pub fn stored_key(key: KeyId) -> Option<(KeyType, Vec<u8>)> {
	KEYS.with(|k| k.borrow().get(&key).cloned())
}

/// The mock identity pallet.
pub struct TestKeyrings;

impl KeyringInspect<AccountId, Balance> for TestKeyrings {
	fn keyring_terms(keyring: KeyringId) -> Option<KeyringTerms<AccountId, Balance>> {
		KEYRINGS.with(|k| {
			k.borrow().get(&keyring).map(|kr| KeyringTerms {
				backend: kr.backend,
				account: 1_000 + keyring,
				party_threshold: kr.threshold,
				party_count: kr.parties.len() as u32,
				key_request_fee: 0,
				sign_request_fee: 0,
				is_active: true,
			})
		})
	}

	fn is_party(keyring: KeyringId, who: &AccountId) -> bool {
		KEYRINGS.with(|k| k.borrow().get(&keyring).is_some_and(|kr| kr.parties.contains(who)))
	}

	fn parties(keyring: KeyringId) -> Vec<AccountId> {
		KEYRINGS.with(|k| k.borrow().get(&keyring).map(|kr| kr.parties.clone()).unwrap_or_default())
	}
}

/// The mock treasury: an open request takes one result; signatures are verified.
pub struct TestResults;

fn open(request: RequestId) -> Result<MockRequest, DispatchError> {
	if OUTCOMES.with(|o| o.borrow().contains_key(&request)) {
		return Err(DispatchError::Other("request not pending"));
	}
	REQUESTS
		.with(|r| r.borrow().get(&request).cloned())
		.ok_or(DispatchError::Other("unknown request"))
}

impl ThresholdResults for TestResults {
	fn fulfil_key(request: RequestId, public_key: &[u8]) -> Result<KeyId, DispatchError> {
		let MockRequest::Key { key_type } = open(request)? else {
			return Err(DispatchError::Other("not a key request"));
		};
		PublicKey::parse(key_type, public_key).map_err(|_| DispatchError::Other("invalid key"))?;
		KEYS.with(|k| k.borrow_mut().insert(request, (key_type, public_key.to_vec())));
		OUTCOMES.with(|o| o.borrow_mut().insert(request, Outcome::KeyCreated(public_key.to_vec())));
		Ok(request)
	}

	fn fulfil_signatures(request: RequestId, signatures: Vec<Vec<u8>>) -> DispatchResult {
		let MockRequest::Signature { key, payloads } = open(request)? else {
			return Err(DispatchError::Other("not a signature request"));
		};
		let (key_type, public_key) = stored_key(key).ok_or(DispatchError::Other("unknown key"))?;
		let public = PublicKey::parse(key_type, &public_key).expect("stored keys are valid");
		if signatures.len() != payloads.len() {
			return Err(DispatchError::Other("wrong signature count"));
		}
		for (payload, signature) in payloads.iter().zip(&signatures) {
			verify_signature(&public, payload, signature)
				.map_err(|_| DispatchError::Other("invalid signature"))?;
		}
		OUTCOMES.with(|o| o.borrow_mut().insert(request, Outcome::Signed(signatures)));
		Ok(())
	}

	fn reject(request: RequestId, reason: &[u8]) -> DispatchResult {
		open(request)?;
		OUTCOMES.with(|o| o.borrow_mut().insert(request, Outcome::Rejected(reason.to_vec())));
		Ok(())
	}

	fn sign_payloads(request: RequestId) -> Option<Vec<Vec<u8>>> {
		match REQUESTS.with(|r| r.borrow().get(&request).cloned()) {
			Some(MockRequest::Signature { payloads, .. }) => Some(payloads),
			_ => None,
		}
	}

	fn sign_preimages(request: RequestId) -> Option<Vec<Preimage>> {
		PREIMAGES.with(|p| p.borrow().get(&request).cloned())
	}
}

/// Blocks each DKG round and each signing attempt may take in the tests.
pub const ROUND_TIMEOUT: u64 = 5;
pub const SHARE_TIMEOUT: u64 = 2;
pub const SUSPEND_BLOCKS: u64 = 20;

parameter_types! {
	pub const MaxParties: u32 = 5;
	pub const MaxPayloads: u32 = 4;
	pub const MaxPooledCommitments: u32 = 8;
	pub const DkgRoundTimeout: u64 = ROUND_TIMEOUT;
	pub const ShareTimeout: u64 = SHARE_TIMEOUT;
	pub const SuspendBlocks: u64 = SUSPEND_BLOCKS;
	pub const MaxDeadlinesPerBlock: u32 = 2;
}

impl pallet_zenrock_mpc::Config for Test {
	type Balance = Balance;
	type Keyrings = TestKeyrings;
	type Results = TestResults;
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
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// Opens keyrings and requests in the mocks, as the identity pallet and the treasury do.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
thread_local! {
	static NEXT_ID: RefCell<u64> = const { RefCell::new(1) };
}

#[cfg(feature = "runtime-benchmarks")]
fn next_id() -> u64 {
	NEXT_ID.with(|n| {
		let id = *n.borrow();
		*n.borrow_mut() = id + 1;
		id
	})
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_zenrock_mpc::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn frost_keyring(parties: Vec<AccountId>, threshold: u32) -> KeyringId {
		let id = next_id();
		set_keyring(id, parties, threshold);
		id
	}

	fn request_key(keyring: KeyringId, key_type: KeyType) -> RequestId {
		use zenrock_primitives::ThresholdBackend;
		let id = next_id();
		add_request(id, MockRequest::Key { key_type });
		Mpc::key_requested(id, keyring, key_type).expect("the key generation starts");
		id
	}

	fn request_signature(key: KeyId, payloads: Vec<Vec<u8>>) -> RequestId {
		use zenrock_primitives::ThresholdBackend;
		let id = next_id();
		let keyring =
			pallet_zenrock_mpc::GroupKeys::<Test>::get(key).expect("a threshold key").keyring;
		add_request(id, MockRequest::Signature { key, payloads: payloads.clone() });
		Mpc::signature_requested(id, keyring, key, &payloads).expect("signing starts");
		id
	}

	fn ecdsa_keyring(parties: Vec<AccountId>, threshold: u32) -> KeyringId {
		let id = next_id();
		set_ecdsa_keyring(id, parties, threshold);
		id
	}

	fn request_evm_transaction_signature(key: KeyId, unsigned: Vec<u8>) -> RequestId {
		use zenrock_primitives::ThresholdBackend;
		let id = next_id();
		let keyring =
			pallet_zenrock_mpc::EcdsaKeys::<Test>::get(key).expect("an ECDSA key").keyring;
		let parsed = zenrock_chain_formats::evm::parse(&unsigned, 1).expect("an EVM transaction");
		let payloads = vec![parsed.signing_hash().to_vec()];
		add_request(id, MockRequest::Signature { key, payloads: payloads.clone() });
		set_preimages(id, parsed.summary().expect("a plain transfer").preimages);
		Mpc::signature_requested(id, keyring, key, &payloads).expect("signing starts");
		id
	}
}

/// Externalities at block 1 with fresh mocks.
pub fn new_test_ext() -> sp_io::TestExternalities {
	KEYRINGS.with(|k| k.borrow_mut().clear());
	REQUESTS.with(|r| r.borrow_mut().clear());
	KEYS.with(|k| k.borrow_mut().clear());
	OUTCOMES.with(|o| o.borrow_mut().clear());
	PREIMAGES.with(|p| p.borrow_mut().clear());
	let storage = RuntimeGenesisConfig::default().build_storage().expect("valid genesis");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Advance to block `target`, running the pallet's `on_initialize` in each.
pub fn run_to_block(target: u64) {
	let mut block = System::block_number();
	while block < target {
		block += 1;
		System::set_block_number(block);
		Mpc::on_initialize(block);
	}
}

/// A signed origin of `who`.
pub fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// The MPC pallet's events so far.
pub fn events() -> Vec<crate::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Mpc(event) => Some(event),
			_ => None,
		})
		.collect()
}
