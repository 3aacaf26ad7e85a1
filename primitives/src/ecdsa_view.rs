//! What a party's node sees of the chain's threshold ECDSA ceremonies (through the MPC pallet's
//! runtime API): its keyring engine's to-do list.

use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use zenrock_chain_formats::Preimage;

use crate::{KeyId, KeyringId, RequestId};

/// What a ceremony makes, with what the protocol needs to know of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum CeremonyTarget {
	/// The keyring's auxiliary info.
	AuxInfo,
	/// The keyring's master key.
	MasterKey,
	/// A presignature for `key`, the BIP-32 child `child` of the master key.
	Presignature {
		/// The key it signs for.
		key: KeyId,
		/// The key's child index.
		child: u32,
	},
}

/// A participant of a ceremony.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct CeremonyParticipant<AccountId> {
	/// Its account.
	pub account: AccountId,
	/// Its key-share index in the keyring (1-based).
	pub index: u16,
	/// Its X25519 key, to which direct messages for it are sealed.
	pub encryption_key: [u8; 32],
}

/// A ceremony the party takes part in.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct CeremonyView<AccountId> {
	/// Its id (unique on the chain: the protocol's execution id is derived from it).
	pub id: u64,
	/// The keyring.
	pub keyring: KeyringId,
	/// What it makes.
	pub target: CeremonyTarget,
	/// The participants in protocol order.
	pub participants: Vec<CeremonyParticipant<AccountId>>,
	/// The party's position among them (1-based).
	pub position: u16,
	/// The keyring's parties and threshold.
	pub parties: u16,
	/// Signers needed.
	pub threshold: u16,
	/// The round it waits for (after the message rounds, the output round).
	pub round: u8,
	/// Whether the party submitted in this round.
	pub submitted: bool,
}

/// A threshold ECDSA signing attempt that chose the party.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct EcdsaSigningView {
	/// The signature request.
	pub request: RequestId,
	/// The key.
	pub key: KeyId,
	/// The attempt.
	pub attempt: u8,
	/// The presignatures to sign with, one per payload (their ceremony ids).
	pub presignatures: Vec<u64>,
	/// What each payload is the hash of: the signer hashes it itself.
	pub preimages: Vec<Preimage>,
	/// Whether the party submitted its partial signatures.
	pub submitted: bool,
}

/// Everything a party's keyring engine has to do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct EcdsaWork<AccountId> {
	/// Threshold ECDSA keyrings whose setup waits for the party to announce readiness.
	pub announce: Vec<KeyringId>,
	/// Ceremonies it takes part in.
	pub ceremonies: Vec<CeremonyView<AccountId>>,
	/// Signing attempts that chose it.
	pub signing: Vec<EcdsaSigningView>,
}

/// A transaction a party's keyring engine asks its node's runtime to sign and submit from the
/// party account (one of the MPC pallet's threshold ECDSA calls).
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum EcdsaCall {
	/// `announce_ecdsa_ready(keyring)`.
	AnnounceReady {
		/// The keyring.
		keyring: KeyringId,
	},
	/// `submit_ceremony_bundle(ceremony, round, bundle)`.
	Bundle {
		/// The ceremony.
		ceremony: u64,
		/// The round.
		round: u8,
		/// The SCALE-encoded bundle.
		bundle: Vec<u8>,
	},
	/// `submit_ceremony_output(ceremony, output)`.
	Output {
		/// The ceremony.
		ceremony: u64,
		/// The public result.
		output: Vec<u8>,
	},
	/// `report_ceremony_abort(ceremony, accused)`.
	Abort {
		/// The ceremony.
		ceremony: u64,
		/// The participant (position) whose message failed its check, if known.
		accused: Option<u16>,
	},
	/// `submit_partial_signatures(request, attempt, partials)`.
	PartialSignatures {
		/// The signature request.
		request: RequestId,
		/// The attempt.
		attempt: u8,
		/// One partial signature per payload.
		partials: Vec<[u8; 32]>,
	},
}

/// Why an [`EcdsaCall`] was not submitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum EcdsaSubmitError {
	/// The node's keystore has no party key (`zprt`) of the account.
	NoPartyKey,
	/// The party's off-chain worker holds its lock (it is submitting): try again next block.
	Busy,
	/// The transaction could not be signed.
	NotSigned,
	/// The transaction pool refused the transaction (e.g. the account cannot pay the fee).
	Refused,
}
