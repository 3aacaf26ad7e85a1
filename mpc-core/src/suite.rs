//! The ciphersuites a keyring can use, and the sizes of everything they put on chain.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Size of a serialized scalar (signing share, signature share, nonce) in both suites.
pub const SCALAR_SIZE: usize = 32;

/// Size of a final signature in both suites (Ed25519 `R ‖ s`, BIP-340 `R.x ‖ s`).
pub const SIGNATURE_SIZE: usize = 64;

/// Size of a group key as the chain stores it in both suites (see [`Suite::group_key_size`]).
pub const GROUP_KEY_SIZE: usize = 32;

/// Size of the proof of knowledge that ends a round-1 package: a Schnorr signature in the
/// suite's own signature encoding (for Taproot the nonce point is x-only: frost always picks it
/// with an even Y coordinate).
pub const PROOF_OF_KNOWLEDGE_SIZE: usize = SIGNATURE_SIZE;

/// A FROST ciphersuite.
///
/// The SCALE encoding (one byte, explicit indices) is part of the chain's storage format.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum Suite {
	/// FROST(Ed25519, SHA-512) (RFC 9591). Signatures are plain RFC 8032 Ed25519 signatures.
	#[codec(index = 0)]
	Ed25519,
	/// FROST(secp256k1, SHA-256) with BIP-340 challenges (`frost-secp256k1-tr`). The DKG output
	/// carries the BIP-341 tweak for "no script path", so the group key is a P2TR output key and
	/// signatures are plain BIP-340 signatures for it (key-path spends).
	#[codec(index = 1)]
	Secp256k1Taproot,
}

impl Suite {
	/// Size of a serialized group element: 32 bytes (compressed Edwards Y) for Ed25519, 33 bytes
	/// (compressed SEC1) for secp256k1.
	pub const fn element_size(self) -> usize {
		match self {
			Suite::Ed25519 => 32,
			Suite::Secp256k1Taproot => 33,
		}
	}

	/// Size of a serialized scalar: 32 bytes in both suites.
	pub const fn scalar_size(self) -> usize {
		SCALAR_SIZE
	}

	/// Size of the round-1 package a participant broadcasts for threshold `threshold`: the
	/// `threshold` coefficient commitments, then the proof of knowledge (`R ‖ z`).
	pub const fn round1_package_size(self, threshold: u16) -> usize {
		threshold as usize * self.element_size() + PROOF_OF_KNOWLEDGE_SIZE
	}

	/// Size of a DKG secret share (one participant's polynomial evaluated at another's index),
	/// before encryption.
	pub const fn secret_share_size(self) -> usize {
		SCALAR_SIZE
	}

	/// Size of a signing commitment: hiding then binding nonce commitment.
	pub const fn commitment_size(self) -> usize {
		2 * self.element_size()
	}

	/// Size of a signature share (the scalar `z_i`).
	pub const fn signature_share_size(self) -> usize {
		SCALAR_SIZE
	}

	/// Size of a final signature: 64 bytes in both suites.
	pub const fn signature_size(self) -> usize {
		SIGNATURE_SIZE
	}

	/// Size of the group key as the chain stores it: 32 bytes in both suites (the Ed25519 point;
	/// the x-only BIP-340 output key for Taproot).
	pub const fn group_key_size(self) -> usize {
		GROUP_KEY_SIZE
	}

	/// Size of frost's own serialization of the group verifying key (an element).
	pub const fn verifying_key_size(self) -> usize {
		self.element_size()
	}
}
