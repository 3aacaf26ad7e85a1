//! What a party's off-chain worker reads of the ceremonies: the runtime's adapter of the keyring
//! controller's `ThresholdWork` is built on these (with the public storage items for single
//! values), so the worker never walks this pallet's storage itself. All reads, no writes; each is a
//! prefix iteration bounded by the keyring's parties or a party's own tasks.

use crate::{
	CommitmentPool, Config, DkgConfirmations, DkgRound1, DkgRound2, Pallet, PartyTasks,
	SealedShare, SignatureShares, Task,
};
use alloc::vec::Vec;
use zenrock_mpc_core::Suite;
use zenrock_primitives::{KeyringId, RequestId};

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
