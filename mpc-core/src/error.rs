//! The crate's error type.

use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// Why an operation failed, naming the participant at fault where one can be identified.
///
/// Participant indices are the `u16` indices `1..=n` used throughout the crate.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum Error {
	/// Bytes that are not a valid encoding (wrong length, not a canonical point or scalar, the
	/// identity) where no participant can be blamed: stored secrets, a [`crate::GroupPublic`],
	/// an x25519 key, a share sealed to oneself.
	InvalidEncoding,
	/// The call is inconsistent: `threshold`/`n`/`me` out of range, a participant index that is
	/// zero, out of range or repeated, too few signers, objects of different suites.
	InvalidParameters,
	/// No entry for this participant where one is required (a round-1 package, a secret share,
	/// the caller's own signing commitment, the signature share of a chosen signer).
	MissingParticipant {
		/// The participant whose entry is missing.
		participant: u16,
	},
	/// A round-1 package that does not parse: wrong length, or a commitment or proof point or
	/// scalar that does not decode.
	InvalidPackage {
		/// The sender of the package.
		participant: u16,
	},
	/// A round-1 package whose proof of knowledge of the constant term does not verify.
	InvalidProofOfKnowledge {
		/// The sender of the package.
		participant: u16,
	},
	/// A secret share received in the DKG that is malformed or does not match its sender's
	/// round-1 commitment.
	InvalidSecretShare {
		/// The sender of the share.
		culprit: u16,
	},
	/// A signing commitment that does not decode (wrong length, invalid or identity point).
	InvalidCommitment {
		/// The participant who published the commitment.
		participant: u16,
	},
	/// Signature shares that are malformed (or, from [`crate::blame`], that fail verification).
	InvalidSignatureShares {
		/// The participants who sent them, in increasing order.
		culprits: Vec<u16>,
	},
	/// The round-1 package recorded for the caller is not the one its seed yields: the seed (or
	/// the key it is derived from) changed since round 1.
	SeedMismatch,
	/// The signing commitment listed for the caller is not the one its nonces commit to.
	CommitmentMismatch,
	/// Decryption failed: wrong key, wrong `info`/`aad`, or tampered ciphertext.
	Decryption,
	/// frost rejected valid-looking input for a reason no participant can be blamed for (e.g. a
	/// group element that sums to the identity). Practically unreachable.
	Frost,
}

impl core::fmt::Display for Error {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			Error::InvalidEncoding => f.write_str("invalid encoding"),
			Error::InvalidParameters => f.write_str("invalid parameters"),
			Error::MissingParticipant { participant } => {
				write!(f, "missing entry for participant {participant}")
			}
			Error::InvalidPackage { participant } => {
				write!(f, "malformed round-1 package from participant {participant}")
			}
			Error::InvalidProofOfKnowledge { participant } => {
				write!(f, "invalid proof of knowledge from participant {participant}")
			}
			Error::InvalidSecretShare { culprit } => {
				write!(f, "invalid secret share from participant {culprit}")
			}
			Error::InvalidCommitment { participant } => {
				write!(f, "invalid signing commitment from participant {participant}")
			}
			Error::InvalidSignatureShares { culprits } => {
				write!(f, "invalid signature shares from participants {culprits:?}")
			}
			Error::SeedMismatch => f.write_str("own round-1 package does not match the seed"),
			Error::CommitmentMismatch => {
				f.write_str("own signing commitment does not match the nonces")
			}
			Error::Decryption => f.write_str("decryption failed"),
			Error::Frost => f.write_str("frost rejected the input"),
		}
	}
}

impl core::error::Error for Error {}
