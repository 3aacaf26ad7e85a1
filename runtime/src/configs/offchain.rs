//! Off-chain transaction creation: lets pallets submit signed, bare and authorized transactions from
//! their off-chain workers (keyring controllers, relayers).

use codec::Encode;
use frame_system::offchain::{
	AppCrypto, CreateAuthorizedTransaction, CreateBare, CreateSignedTransaction, CreateTransaction,
	CreateTransactionBase, SigningTypes,
};
use sp_runtime::{generic::Era, traits::StaticLookup, SaturatedConversion};

use crate::{
	configs::BlockHashCount, Runtime, RuntimeCall, Signature, SignedPayload, System, TxExtension,
	UncheckedExtrinsic,
};

impl SigningTypes for Runtime {
	type Public = <Signature as sp_runtime::traits::Verify>::Signer;
	type Signature = Signature;
}

impl<LocalCall> CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> CreateTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extension = TxExtension;

	fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_transaction(call, extension)
	}
}

/// The transaction extensions of an off-chain worker's transaction. `nonce` only matters for signed
/// transactions; `CheckMetadataHash` is off because the runtime is not built with a metadata hash.
fn offchain_tx_extension(nonce: crate::Nonce, era: Era) -> TxExtension {
	(
		frame_system::AuthorizeCall::<Runtime>::new(),
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(era),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
		frame_system::WeightReclaim::<Runtime>::new(),
	)
}

impl<LocalCall> CreateSignedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_signed_transaction<C: AppCrypto<Self::Public, Self::Signature>>(
		call: RuntimeCall,
		public: Self::Public,
		account: Self::AccountId,
		nonce: crate::Nonce,
	) -> Option<UncheckedExtrinsic> {
		// A mortal transaction, valid for about half the kept block hashes from the current block.
		let period =
			BlockHashCount::get().checked_next_power_of_two().map(|c| c / 2).unwrap_or(2) as u64;
		let current_block = System::block_number().saturated_into::<u64>().saturating_sub(1);
		let extension = offchain_tx_extension(nonce, Era::mortal(period, current_block));
		let raw_payload = SignedPayload::new(call, extension)
			.map_err(
				|error| log::warn!(target: "runtime", "Unable to create signed payload: {error:?}"),
			)
			.ok()?;
		let signature = raw_payload.using_encoded(|payload| C::sign(payload, public))?;
		let address = <Runtime as frame_system::Config>::Lookup::unlookup(account);
		let (call, extension, _) = raw_payload.deconstruct();
		Some(UncheckedExtrinsic::new_signed(call, address, signature, extension))
	}
}

impl<LocalCall> CreateBare<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}

impl<LocalCall> CreateAuthorizedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_extension() -> TxExtension {
		offchain_tx_extension(0, Era::Immortal)
	}
}
