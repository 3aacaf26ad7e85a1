//! The off-chain workers' view of the chain: adapters from the keyring controller's traits to the
//! identity, treasury and MPC pallets (the workers never read those pallets' storage themselves).

use alloc::vec::Vec;
use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, Get},
};
use pallet_zenrock_keyring_controller::{
	DkgRound, DkgView, KeyringWork, PendingKeyRequest, PendingSignRequest, ResponseCalls,
	SignerView, SigningView, Suite, ThresholdCalls, ThresholdKeyView, ThresholdTask, ThresholdWork,
};
use zenrock_chain_formats::Chain;
use zenrock_primitives::{KeyId, KeyringId, RequestId, ThresholdResults};

use crate::{
	governance::RootOrZenrockAdmin, AccountId, BlockNumber, Runtime, RuntimeCall, ZenrockIdentity,
	ZenrockMpc, ZenrockTreasury,
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
	type Threshold = ChainView;
	type ThresholdCalls = MpcCalls;
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

/// What a threshold keyring's party needs to know of its ceremonies, read through the MPC pallet
/// (and the treasury, for what a signature request signs).
impl ThresholdWork<AccountId> for ChainView {
	fn is_threshold_keyring(keyring: KeyringId) -> bool {
		ZenrockIdentity::keyring(keyring).is_ok_and(|keyring| keyring.backend.is_threshold())
	}

	fn encryption_key(party: &AccountId) -> Option<[u8; 32]> {
		pallet_zenrock_mpc::EncryptionKeys::<Runtime>::get(party)
	}

	fn max_pooled_commitments() -> u32 {
		<Runtime as pallet_zenrock_mpc::Config>::MaxPooledCommitments::get()
	}

	fn pooled_commitments(keyring: KeyringId, suite: Suite, party: &AccountId) -> Vec<Vec<u8>> {
		ZenrockMpc::pooled_commitments(keyring, suite, party)
	}

	fn tasks(party: &AccountId) -> Vec<(RequestId, ThresholdTask)> {
		ZenrockMpc::party_tasks(party)
			.into_iter()
			.map(|(request, task)| {
				let task = match task {
					pallet_zenrock_mpc::Task::KeyGeneration => ThresholdTask::KeyGeneration,
					pallet_zenrock_mpc::Task::Signing => ThresholdTask::Signing,
				};
				(request, task)
			})
			.collect()
	}

	fn dkg_session(request: RequestId) -> Option<DkgView<AccountId>> {
		let session = pallet_zenrock_mpc::DkgSessions::<Runtime>::get(request)?;
		Some(DkgView {
			keyring: session.keyring,
			suite: session.suite,
			participants: session.participants.into_inner(),
			threshold: session.threshold,
			round: match session.phase {
				pallet_zenrock_mpc::DkgPhase::Round1 => DkgRound::Round1,
				pallet_zenrock_mpc::DkgPhase::Round2 => DkgRound::Round2,
				pallet_zenrock_mpc::DkgPhase::Confirm => DkgRound::Confirm,
			},
		})
	}

	fn dkg_round1_packages(request: RequestId) -> Vec<(u16, Vec<u8>)> {
		ZenrockMpc::dkg_round1_packages(request)
	}

	fn dkg_round2_shares(request: RequestId) -> Vec<(u16, Vec<[u8; 80]>)> {
		ZenrockMpc::dkg_round2_shares(request)
	}

	fn dkg_confirmed(request: RequestId, participant: u16) -> bool {
		ZenrockMpc::dkg_confirmed(request, participant)
	}

	fn signing_session(request: RequestId) -> Option<SigningView<AccountId>> {
		let session = pallet_zenrock_mpc::SigningSessions::<Runtime>::get(request)?;
		Some(SigningView {
			key: session.key,
			attempt: session.attempt,
			signers: session
				.signers
				.into_iter()
				.map(|signer| SignerView {
					participant: signer.participant,
					account: signer.account,
					commitments: signer.commitments.into_iter().map(|c| c.into_inner()).collect(),
				})
				.collect(),
		})
	}

	fn signature_shares_submitted(request: RequestId, participant: u16) -> bool {
		ZenrockMpc::signature_shares_submitted(request, participant)
	}

	fn threshold_key(key: KeyId) -> Option<ThresholdKeyView<AccountId>> {
		let key = pallet_zenrock_mpc::GroupKeys::<Runtime>::get(key)?;
		Some(ThresholdKeyView {
			keyring: key.keyring,
			participants: key.participants.into_inner(),
			public: key.public.into_inner(),
		})
	}

	fn share_backup(key: KeyId, participant: u16) -> Option<[u8; 80]> {
		pallet_zenrock_mpc::ShareBackups::<Runtime>::get(key, participant)
	}

	fn sign_payloads(request: RequestId) -> Option<Vec<Vec<u8>>> {
		<ZenrockTreasury as ThresholdResults>::sign_payloads(request)
	}
}

/// Builds the MPC pallet calls a threshold keyring's party submits.
pub struct MpcCalls;

impl ThresholdCalls<RuntimeCall> for MpcCalls {
	fn register_encryption_key(key: [u8; 32]) -> RuntimeCall {
		pallet_zenrock_mpc::Call::register_encryption_key { key }.into()
	}

	fn publish_commitments(
		keyring: KeyringId,
		suite: Suite,
		commitments: Vec<Vec<u8>>,
	) -> RuntimeCall {
		pallet_zenrock_mpc::Call::publish_commitments { keyring, suite, commitments }.into()
	}

	fn reset_commitments(keyring: KeyringId, suite: Suite) -> RuntimeCall {
		pallet_zenrock_mpc::Call::reset_commitments { keyring, suite }.into()
	}

	fn submit_dkg_round1(request: RequestId, package: Vec<u8>) -> RuntimeCall {
		pallet_zenrock_mpc::Call::submit_dkg_round1 { request, package }.into()
	}

	fn submit_dkg_round2(request: RequestId, shares: Vec<[u8; 80]>) -> RuntimeCall {
		pallet_zenrock_mpc::Call::submit_dkg_round2 { request, shares }.into()
	}

	fn confirm_dkg(request: RequestId, group_key: [u8; 32], backup: [u8; 80]) -> RuntimeCall {
		pallet_zenrock_mpc::Call::confirm_dkg { request, group_key, backup }.into()
	}

	fn complain_dkg(request: RequestId, accused: u16) -> RuntimeCall {
		pallet_zenrock_mpc::Call::complain_dkg { request, accused }.into()
	}

	fn submit_signature_shares(
		request: RequestId,
		attempt: u8,
		shares: Vec<[u8; 32]>,
	) -> RuntimeCall {
		pallet_zenrock_mpc::Call::submit_signature_shares { request, attempt, shares }.into()
	}
}
