//! What the party of a threshold keyring sees of the chain and submits to it: the keyring
//! controller's off-chain worker works through these traits, and the MPC pallet implements them
//! once (`pallet_zenrock_mpc::PartyView`), for the runtime and for tests alike.

use alloc::vec::Vec;
use zenrock_mpc_core::Suite;

use crate::{KeyId, KeyringId, RequestId};

/// What a party of a threshold keyring has to do for a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThresholdTask {
	/// Take part in the key generation of a key request.
	KeyGeneration,
	/// Sign for a signature request (its current attempt chose the party).
	Signing,
}

/// The round a key generation waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DkgRound {
	/// Round-1 packages.
	Round1,
	/// Sealed secret shares.
	Round2,
	/// Confirmations of the group key (with each party's backup).
	Confirm,
}

/// A key generation in progress, as the chain shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DkgView<AccountId> {
	/// The keyring whose parties generate the key.
	pub keyring: KeyringId,
	/// The suite of the key.
	pub suite: Suite,
	/// The participants; participant `i` is entry `i - 1`.
	pub participants: Vec<AccountId>,
	/// Signers needed (FROST's `t`).
	pub threshold: u16,
	/// The round it waits for.
	pub round: DkgRound,
}

/// A chosen signer of a signing attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignerView<AccountId> {
	/// The signer's participant index in the key.
	pub participant: u16,
	/// The signer's account.
	pub account: AccountId,
	/// The commitments it signs with, one per payload in order.
	pub commitments: Vec<Vec<u8>>,
}

/// The open signing attempt of a signature request, as the chain shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningView<AccountId> {
	/// The threshold key that signs.
	pub key: KeyId,
	/// Attempts made before this one.
	pub attempt: u8,
	/// The chosen signers.
	pub signers: Vec<SignerView<AccountId>>,
}

/// A threshold key, as the chain shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThresholdKeyView<AccountId> {
	/// The keyring whose parties hold the shares.
	pub keyring: KeyringId,
	/// The share holders; participant `i` is entry `i - 1`.
	pub participants: Vec<AccountId>,
	/// The encoded [`zenrock_mpc_core::GroupPublic`] (group key, threshold, verifying shares).
	pub public: Vec<u8>,
}

/// A party's read-only view of threshold keyrings' ceremonies (implemented by the MPC pallet's
/// `PartyView`, over its per-party task index and the treasury's payloads).
pub trait ThresholdWork<AccountId> {
	/// Whether `keyring` is a threshold keyring (its requests are answered by ceremonies, not by
	/// the keystore backend).
	fn is_threshold_keyring(keyring: KeyringId) -> bool;
	/// Whether `keyring` is a FROST keyring (its parties pool nonce commitments); threshold
	/// ECDSA keyrings are served by the node's keyring engine instead.
	fn is_frost_keyring(keyring: KeyringId) -> bool {
		Self::is_threshold_keyring(keyring)
	}
	/// The X25519 key `party` registered, to which shares for it are sealed.
	fn encryption_key(party: &AccountId) -> Option<[u8; 32]>;
	/// The most nonce commitments a party may pool per keyring and suite.
	fn max_pooled_commitments() -> u32;
	/// The commitments `party` has pooled for `keyring` and `suite`, oldest first.
	fn pooled_commitments(keyring: KeyringId, suite: Suite, party: &AccountId) -> Vec<Vec<u8>>;
	/// The open tasks of `party`, by request.
	fn tasks(party: &AccountId) -> Vec<(RequestId, ThresholdTask)>;
	/// The key generation of key request `request`, if in progress.
	fn dkg_session(request: RequestId) -> Option<DkgView<AccountId>>;
	/// Its round-1 packages, by participant.
	fn dkg_round1_packages(request: RequestId) -> Vec<(u16, Vec<u8>)>;
	/// Its sealed shares, by sender: one per other participant, in participant order.
	fn dkg_round2_shares(request: RequestId) -> Vec<(u16, Vec<[u8; 80]>)>;
	/// Whether `participant` has confirmed it.
	fn dkg_confirmed(request: RequestId, participant: u16) -> bool;
	/// The current signing attempt of signature request `request`, if any.
	fn signing_session(request: RequestId) -> Option<SigningView<AccountId>>;
	/// Whether `participant` submitted its shares for the current attempt of `request`.
	fn signature_shares_submitted(request: RequestId, participant: u16) -> bool;
	/// The threshold key `key`.
	fn threshold_key(key: KeyId) -> Option<ThresholdKeyView<AccountId>>;
	/// `participant`'s key share of `key`, sealed to its own encryption key.
	fn share_backup(key: KeyId, participant: u16) -> Option<[u8; 80]>;
	/// The payloads of signature request `request`, in order.
	fn sign_payloads(request: RequestId) -> Option<Vec<Vec<u8>>>;
}

/// Builds the MPC pallet's calls a party submits (implemented by the MPC pallet).
pub trait ThresholdCalls<Call> {
	/// `register_encryption_key(key)`.
	fn register_encryption_key(key: [u8; 32]) -> Call;
	/// `publish_commitments(keyring, suite, commitments)`.
	fn publish_commitments(keyring: KeyringId, suite: Suite, commitments: Vec<Vec<u8>>) -> Call;
	/// `reset_commitments(keyring, suite)`.
	fn reset_commitments(keyring: KeyringId, suite: Suite) -> Call;
	/// `submit_dkg_round1(request, package)`.
	fn submit_dkg_round1(request: RequestId, package: Vec<u8>) -> Call;
	/// `submit_dkg_round2(request, shares)`.
	fn submit_dkg_round2(request: RequestId, shares: Vec<[u8; 80]>) -> Call;
	/// `confirm_dkg(request, group_key, backup)`.
	fn confirm_dkg(request: RequestId, group_key: [u8; 32], backup: [u8; 80]) -> Call;
	/// `complain_dkg(request, accused)`.
	fn complain_dkg(request: RequestId, accused: u16) -> Call;
	/// `submit_signature_shares(request, attempt, shares)`.
	fn submit_signature_shares(request: RequestId, attempt: u8, shares: Vec<[u8; 32]>) -> Call;
	/// One of the threshold ECDSA calls of a party's keyring engine.
	fn ecdsa(call: crate::ecdsa_view::EcdsaCall) -> Call;
}
