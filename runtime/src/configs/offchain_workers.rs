//! The off-chain workers' view of the chain: adapters from the keyring controller's traits to the
//! identity, treasury and MPC pallets (the workers never read those pallets' storage themselves).

use alloc::vec::Vec;
use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, Get},
};
use pallet_zenrock_keyring_controller::{
	KeyringWork, PendingKeyRequest, PendingSignRequest, ResponseCalls,
};
use zenrock_chain_formats::Chain;
use zenrock_primitives::{KeyringId, RequestId};

use crate::{
	governance::RootOrZenrockAdmin, AccountId, BlockNumber, Runtime, RuntimeCall, ZenrockIdentity,
	ZenrockTreasury,
};

parameter_types! {
	/// A relayer's HTTP call to a destination chain gives up after this many milliseconds.
	pub const RelayerHttpTimeoutMillis: u64 = 5_000;
}

impl pallet_zenrock_relayer::Config for Runtime {
	type WeightInfo = pallet_zenrock_relayer::weights::SubstrateWeight<Runtime>;
	type AuthorityId = pallet_zenrock_relayer::RelayerAuthId;
	type Broadcasts = TreasuryBroadcasts;
	// Root (sudo on dev chains) or a referendum on the `zenrock_admin` track adds and removes
	// relayers.
	type RelayerAdminOrigin = RootOrZenrockAdmin;
	type MaxRelayers = ConstU32<32>;
	type MaxInFlight = ConstU32<1024>;
	type MaxReportLength = ConstU32<256>;
	type MaxAttempts = ConstU32<5>;
	type RetryBackoffBase = ConstU32<1>;
	type HttpTimeoutMillis = RelayerHttpTimeoutMillis;
	type ReceiptPollInterval = ConstU32<1>;
	type ResubmitAfter = ResubmitAfter;
	type MaxRequestsPerRun = ConstU32<16>;
}

/// The fulfilled transaction-signature requests relayers broadcast, from the treasury.
pub struct TreasuryBroadcasts;

impl pallet_zenrock_relayer::BroadcastSource for TreasuryBroadcasts {
	fn awaiting_broadcast() -> Vec<RequestId> {
		ZenrockTreasury::awaiting_broadcast()
	}

	fn signed_transaction(request: RequestId) -> Option<(Chain, Vec<u8>, Vec<u8>)> {
		ZenrockTreasury::signed_transaction(request)
			.map(|details| (details.chain, details.raw, details.id))
	}

	fn take_awaiting_broadcast(request: RequestId) -> bool {
		ZenrockTreasury::take_awaiting_broadcast(request).is_some()
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn benchmark_awaiting_broadcast() -> RequestId {
		crate::configs::zenrock::benchmark_awaiting_broadcast()
	}
}

parameter_types! {
	/// An answer not on chain this many blocks after its submission is sent again.
	pub const ResubmitAfter: BlockNumber = 10;
}

impl pallet_zenrock_keyring_controller::Config for Runtime {
	type AuthorityId = pallet_zenrock_keyring_controller::PartyAuthId;
	type Work = ChainView;
	type Responses = TreasuryResponses;
	type Threshold = pallet_zenrock_mpc::PartyView<Runtime>;
	type ThresholdCalls = pallet_zenrock_mpc::PartyView<Runtime>;
	// A node holding `t` party keys of a threshold keyring could sign alone: it refuses to act.
	type AllowSingleHolder = ConstBool<false>;
	type ResubmitAfter = ResubmitAfter;
}

/// What a keyring controller needs to know, read through the identity and treasury pallets.
pub struct ChainView;

impl KeyringWork<AccountId> for ChainView {
	fn keyrings_of_party(party: &AccountId) -> Vec<KeyringId> {
		ZenrockIdentity::keyrings_of_party(party)
	}

	fn keyring_parties(keyring: KeyringId) -> Vec<AccountId> {
		ZenrockIdentity::keyring(keyring)
			.map(|keyring| keyring.parties.into_inner())
			.unwrap_or_default()
	}

	fn keyring_threshold(keyring: KeyringId) -> u32 {
		ZenrockIdentity::keyring(keyring).map(|keyring| keyring.party_threshold).unwrap_or_default()
	}

	fn pending_key_requests(keyring: KeyringId) -> Vec<PendingKeyRequest> {
		let (key_requests, _) = ZenrockTreasury::pending_requests(keyring);
		key_requests
			.into_iter()
			.map(|request| PendingKeyRequest {
				id: request.request,
				keyring,
				key_type: request.key_type,
			})
			.collect()
	}

	fn pending_sign_requests(keyring: KeyringId) -> Vec<PendingSignRequest> {
		let (_, sign_requests) = ZenrockTreasury::pending_requests(keyring);
		sign_requests
			.into_iter()
			.map(|request| PendingSignRequest {
				id: request.request,
				keyring,
				key_type: request.key_type,
				public_key: request.public_key,
				payloads: request.payloads,
			})
			.collect()
	}

	fn has_responded(request: RequestId, party: &AccountId) -> bool {
		ZenrockTreasury::has_responded(request, party)
	}
}

/// Builds the treasury calls a keyring controller submits. The treasury checks their bounds and
/// refuses an over-long answer with a named error; a rejection reason is cut to the longest the
/// treasury records, so that a worker's long explanation never costs its rejection.
pub struct TreasuryResponses;

fn shortened_reason(mut reason: Vec<u8>) -> Vec<u8> {
	let longest: u32 =
		<Runtime as pallet_zenrock_treasury::Config>::MaxRejectionReasonLength::get();
	reason.truncate(longest as usize);
	reason
}

impl ResponseCalls<RuntimeCall> for TreasuryResponses {
	fn fulfil_keys(keyring: KeyringId, answers: Vec<(RequestId, Vec<u8>)>) -> RuntimeCall {
		pallet_zenrock_treasury::Call::fulfil_key_requests { keyring, answers }.into()
	}

	fn fulfil_signatures(
		keyring: KeyringId,
		answers: Vec<(RequestId, Vec<Vec<u8>>)>,
	) -> RuntimeCall {
		pallet_zenrock_treasury::Call::fulfil_signature_requests { keyring, answers }.into()
	}

	fn reject(keyring: KeyringId, rejections: Vec<(RequestId, Vec<u8>)>) -> RuntimeCall {
		let rejections = rejections
			.into_iter()
			.map(|(request, reason)| (request, shortened_reason(reason)))
			.collect();
		pallet_zenrock_treasury::Call::reject_requests { keyring, rejections }.into()
	}

	fn max_answers_per_call() -> u32 {
		<Runtime as pallet_zenrock_treasury::Config>::MaxAnswersPerCall::get()
	}
}
