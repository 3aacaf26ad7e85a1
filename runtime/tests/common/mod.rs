//! Runs the real runtime block by block in tests: blocks are initialized with an Aura slot in their
//! digest, carry the timestamp inherent and are finalized by `Executive`, so that session rotation,
//! staking eras, authorship and every pallet's hooks run as on a live chain.

#![allow(dead_code)]

use codec::Encode;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_runtime::{traits::Header as _, BuildStorage, Digest, DigestItem};
use zenrock_runtime::{
	genesis_config_presets::preset_genesis_config, Executive, Header, Runtime, RuntimeCall, System,
	UncheckedExtrinsic, SLOT_DURATION,
};

/// A chain state built from a genesis preset, with the in-memory keystore session keys are
/// generated in.
pub fn preset_ext(preset: &str) -> sp_io::TestExternalities {
	let config = preset_genesis_config(preset).expect("the preset exists");
	let mut ext: sp_io::TestExternalities =
		config.build_storage().expect("the preset's genesis builds").into();
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext
}

/// Produces the next block: Aura slot = block number, timestamp = slot × slot duration. Calls in
/// `with_block` are dispatched inside the block, after the timestamp inherent.
pub fn next_block_with(with_block: impl FnOnce()) {
	let number = System::block_number() + 1;
	let slot = Slot::from(u64::from(number));
	let digest = Digest { logs: vec![DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())] };
	let parent_hash = frame_system::BlockHash::<Runtime>::get(number - 1);
	let header = Header::new(number, Default::default(), Default::default(), parent_hash, digest);
	Executive::initialize_block(&header);
	let timestamp = RuntimeCall::Timestamp(pallet_timestamp::Call::set {
		now: u64::from(number) * SLOT_DURATION,
	});
	Executive::apply_extrinsic(UncheckedExtrinsic::new_bare(timestamp))
		.expect("the timestamp inherent is valid")
		.expect("the timestamp inherent applies");
	with_block();
	let header = Executive::finalize_block();
	// Executive records the hash of a block when the next one starts; the tests read it earlier.
	frame_system::BlockHash::<Runtime>::insert(number, header.hash());
}

/// Produces blocks up to and including `number`.
pub fn run_to_block(number: u32) {
	while System::block_number() < number {
		next_block_with(|| ());
	}
}

/// `call` as a transaction signed by `signer` with `nonce` (immortal, no tip), as a wallet
/// submits it.
pub fn signed_transaction(
	signer: sp_keyring::Sr25519Keyring,
	call: RuntimeCall,
	nonce: u32,
) -> UncheckedExtrinsic {
	let extension: zenrock_runtime::TxExtension = (
		frame_system::AuthorizeCall::<Runtime>::new(),
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(sp_runtime::generic::Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		frame_system::WeightReclaim::<Runtime>::new(),
	);
	let payload = zenrock_runtime::SignedPayload::new(call, extension).expect("a valid payload");
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	let (call, extension, _) = payload.deconstruct();
	UncheckedExtrinsic::new_signed(
		call,
		sp_runtime::MultiAddress::Id(signer.to_account_id()),
		signature.into(),
		extension,
	)
}
