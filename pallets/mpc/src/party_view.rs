//! What a party's off-chain worker reads of the ceremonies and the calls it submits:
//! [`PartyView`] implements the `zenrock_primitives::party_view` traits over this pallet, so the
//! worker never walks this pallet's storage itself, and the runtime and tests share one adapter.
//! All reads, no writes; each is a prefix iteration bounded by the keyring's parties or a party's
//! own tasks.

use crate::{
	Call, CommitmentPool, Config, DkgConfirmations, DkgPhase, DkgRound1, DkgRound2, DkgSessions,
	EncryptionKeys, GroupKeys, Pallet, PartyTasks, SealedShare, ShareBackups, SignatureShares,
	SigningSessions, Task,
};
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::traits::Get;
use zenrock_mpc_core::{Suite, SCALAR_SIZE};
use zenrock_primitives::{
	ecdsa_view::EcdsaCall,
	party_view::{
		DkgRound, DkgView, SignerView, SigningView, ThresholdCalls, ThresholdKeyView,
		ThresholdTask, ThresholdWork,
	},
	KeyId, KeyringId, KeyringInspect, RequestId, ThresholdResults,
};

impl<T: Config> Pallet<T> {
	/// The open tasks of `party`, by request.
	pub fn party_tasks(party: &T::AccountId) -> Vec<(RequestId, Task)> {
		PartyTasks::<T>::iter_prefix(party).collect()
	}

	/// The round-1 packages published for the key generation of `request`, by participant.
	pub fn dkg_round1_packages(request: RequestId) -> Vec<(u16, Vec<u8>)> {
		DkgRound1::<T>::iter_prefix(request)
			.map(|(participant, package)| (participant, package.into_inner()))
			.collect()
	}

	/// The sealed shares published for the key generation of `request`, by sender (each list in
	/// participant order, without the sender).
	pub fn dkg_round2_shares(request: RequestId) -> Vec<(u16, Vec<SealedShare>)> {
		DkgRound2::<T>::iter_prefix(request)
			.map(|(sender, shares)| (sender, shares.into_inner()))
			.collect()
	}

	/// Whether `participant` confirmed the key generation of `request`.
	pub fn dkg_confirmed(request: RequestId, participant: u16) -> bool {
		DkgConfirmations::<T>::contains_key(request, participant)
	}

	/// The nonce commitments `party` has pooled for `keyring` and `suite`, oldest first.
	pub fn pooled_commitments(
		keyring: KeyringId,
		suite: Suite,
		party: &T::AccountId,
	) -> Vec<Vec<u8>> {
		CommitmentPool::<T>::get((keyring, suite), party)
			.into_iter()
			.map(|commitment| commitment.into_inner())
			.collect()
	}

	/// Whether `participant` submitted its shares for the current attempt of `request`.
	pub fn signature_shares_submitted(request: RequestId, participant: u16) -> bool {
		SignatureShares::<T>::contains_key(request, participant)
	}
}

/// The MPC pallet as a threshold keyring's party sees it (`ThresholdWork`) and the calls the
/// party submits (`ThresholdCalls`, into any call type the pallet's calls convert into): the
/// keyring controller's `Threshold` and `ThresholdCalls` in the runtime.
pub struct PartyView<T>(PhantomData<T>);

impl<T: Config> ThresholdWork<T::AccountId> for PartyView<T> {
	fn is_threshold_keyring(keyring: KeyringId) -> bool {
		T::Keyrings::keyring_terms(keyring).is_some_and(|terms| terms.backend.is_threshold())
	}

	fn is_frost_keyring(keyring: KeyringId) -> bool {
		T::Keyrings::keyring_terms(keyring)
			.is_some_and(|terms| terms.backend == zenrock_primitives::KeyringBackend::Frost)
	}

	fn encryption_key(party: &T::AccountId) -> Option<[u8; 32]> {
		EncryptionKeys::<T>::get(party)
	}

	fn max_pooled_commitments() -> u32 {
		T::MaxPooledCommitments::get()
	}

	fn pooled_commitments(keyring: KeyringId, suite: Suite, party: &T::AccountId) -> Vec<Vec<u8>> {
		Pallet::<T>::pooled_commitments(keyring, suite, party)
	}

	fn tasks(party: &T::AccountId) -> Vec<(RequestId, ThresholdTask)> {
		Pallet::<T>::party_tasks(party)
			.into_iter()
			.filter_map(|(request, task)| {
				let task = match task {
					Task::KeyGeneration => ThresholdTask::KeyGeneration,
					Task::Signing => ThresholdTask::Signing,
					// Threshold ECDSA is the node's keyring engine's, not the worker's.
					Task::EcdsaSigning => return None,
				};
				Some((request, task))
			})
			.collect()
	}

	fn dkg_session(request: RequestId) -> Option<DkgView<T::AccountId>> {
		let session = DkgSessions::<T>::get(request)?;
		Some(DkgView {
			keyring: session.keyring,
			suite: session.suite,
			participants: session.participants.into_inner(),
			threshold: session.threshold,
			round: match session.phase {
				DkgPhase::Round1 => DkgRound::Round1,
				DkgPhase::Round2 => DkgRound::Round2,
				DkgPhase::Confirm => DkgRound::Confirm,
			},
		})
	}

	fn dkg_round1_packages(request: RequestId) -> Vec<(u16, Vec<u8>)> {
		Pallet::<T>::dkg_round1_packages(request)
	}

	fn dkg_round2_shares(request: RequestId) -> Vec<(u16, Vec<SealedShare>)> {
		Pallet::<T>::dkg_round2_shares(request)
	}

	fn dkg_confirmed(request: RequestId, participant: u16) -> bool {
		Pallet::<T>::dkg_confirmed(request, participant)
	}

	fn signing_session(request: RequestId) -> Option<SigningView<T::AccountId>> {
		let session = SigningSessions::<T>::get(request)?;
		Some(SigningView {
			key: session.key,
			attempt: session.attempt,
			signers: session
				.signers
				.into_iter()
				.map(|signer| SignerView {
					participant: signer.participant,
					account: signer.account,
					commitments: signer
						.commitments
						.into_iter()
						.map(|commitment| commitment.into_inner())
						.collect(),
				})
				.collect(),
		})
	}

	fn signature_shares_submitted(request: RequestId, participant: u16) -> bool {
		Pallet::<T>::signature_shares_submitted(request, participant)
	}

	fn threshold_key(key: KeyId) -> Option<ThresholdKeyView<T::AccountId>> {
		let key = GroupKeys::<T>::get(key)?;
		Some(ThresholdKeyView {
			keyring: key.keyring,
			participants: key.participants.into_inner(),
			public: key.public.into_inner(),
		})
	}

	fn share_backup(key: KeyId, participant: u16) -> Option<SealedShare> {
		ShareBackups::<T>::get(key, participant)
	}

	fn sign_payloads(request: RequestId) -> Option<Vec<Vec<u8>>> {
		T::Results::sign_payloads(request)
	}
}

impl<T: Config, RuntimeCall: From<Call<T>>> ThresholdCalls<RuntimeCall> for PartyView<T> {
	fn register_encryption_key(key: [u8; 32]) -> RuntimeCall {
		Call::<T>::register_encryption_key { key }.into()
	}

	fn publish_commitments(
		keyring: KeyringId,
		suite: Suite,
		commitments: Vec<Vec<u8>>,
	) -> RuntimeCall {
		Call::<T>::publish_commitments { keyring, suite, commitments }.into()
	}

	fn reset_commitments(keyring: KeyringId, suite: Suite) -> RuntimeCall {
		Call::<T>::reset_commitments { keyring, suite }.into()
	}

	fn submit_dkg_round1(request: RequestId, package: Vec<u8>) -> RuntimeCall {
		Call::<T>::submit_dkg_round1 { request, package }.into()
	}

	fn submit_dkg_round2(request: RequestId, shares: Vec<SealedShare>) -> RuntimeCall {
		Call::<T>::submit_dkg_round2 { request, shares }.into()
	}

	fn confirm_dkg(request: RequestId, group_key: [u8; 32], backup: SealedShare) -> RuntimeCall {
		Call::<T>::confirm_dkg { request, group_key, backup }.into()
	}

	fn complain_dkg(request: RequestId, accused: u16) -> RuntimeCall {
		Call::<T>::complain_dkg { request, accused }.into()
	}

	fn submit_signature_shares(
		request: RequestId,
		attempt: u8,
		shares: Vec<[u8; SCALAR_SIZE]>,
	) -> RuntimeCall {
		Call::<T>::submit_signature_shares { request, attempt, shares }.into()
	}

	fn ecdsa(call: EcdsaCall) -> RuntimeCall {
		match call {
			EcdsaCall::AnnounceReady { keyring } => Call::<T>::announce_ecdsa_ready { keyring },
			EcdsaCall::Bundle { ceremony, round, bundle } => {
				Call::<T>::submit_ceremony_bundle { ceremony, round, bundle }
			}
			EcdsaCall::Output { ceremony, output } => {
				Call::<T>::submit_ceremony_output { ceremony, output }
			}
			EcdsaCall::Abort { ceremony, accused } => {
				Call::<T>::report_ceremony_abort { ceremony, accused }
			}
			EcdsaCall::PartialSignatures { request, attempt, partials } => {
				Call::<T>::submit_partial_signatures { request, attempt, partials }
			}
		}
		.into()
	}
}
