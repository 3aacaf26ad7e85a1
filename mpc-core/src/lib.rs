//! # Zenrock MPC core
//!
//! Threshold keyrings coordinated through the chain: `n` parties hold shares of a group key so
//! that any `t` of them can sign, with FROST (RFC 9591) and the chain as the only transport
//! between them. The same `no_std` code serves both sides, and both run inside the WASM runtime:
//!
//! - the **chain** (the keyring pallet) checks what parties publish and does the coordinator's
//!   work from public data only: [`verify_round1_package`], [`dkg_public_output`],
//!   [`validate_commitment`], [`validate_signature_share`], [`aggregate`], [`blame`]. These
//!   functions are deterministic, use no randomness and never panic: malformed input is an
//!   [`Error`], naming the participant at fault when there is one;
//! - every **party** (its off-chain worker) runs the DKG rounds ([`dkg_round1`],
//!   [`dkg_round2`], [`dkg_round3`]), signs ([`commit`], [`sign`]), encrypts DKG shares to their
//!   recipients ([`seal_share`], [`open_share`]) and its secrets at rest ([`seal_at_rest`],
//!   [`open_at_rest`]), all keyed from one root ([`PartySecrets`]).
//!
//! ## Suites
//! [`Suite::Ed25519`] is FROST(Ed25519, SHA-512): signatures are RFC 8032 Ed25519 signatures.
//! [`Suite::Secp256k1Taproot`] is FROST(secp256k1, SHA-256) with BIP-340 challenges
//! (`frost-secp256k1-tr`): the DKG output is tweaked with the BIP-341 "no script path" tweak,
//! so the group key is a P2TR output key, and signatures are BIP-340 signatures for it.
//! Both store a 32-byte group key and produce 64-byte signatures (see [`Suite`] for sizes).
//!
//! ## Participants
//! Participants are numbered `1..=n` (`u16`), mapped to frost identifiers with
//! `Identifier::try_from(u16)`. Lists of per-participant data are `&[(u16, &[u8])]`.
//!
//! ## Formats
//! All byte strings use frost's own encodings of elements and scalars (Ed25519: 32-byte
//! compressed points and little-endian scalars; secp256k1: 33-byte compressed SEC1 points and
//! big-endian scalars), concatenated; the structured types are SCALE-encoded:
//! - round-1 package: `t` coefficient commitments ‖ proof of knowledge `R ‖ z` (64 bytes, the
//!   suite's signature encoding): [`Suite::round1_package_size`];
//! - DKG secret share: 32-byte scalar, sealed to [`SEALED_SHARE_SIZE`] bytes;
//! - signing commitment: hiding ‖ binding nonce commitment: [`Suite::commitment_size`];
//! - signature share: 32-byte scalar; signature: 64 bytes; group key: 32 bytes;
//! - [`GroupPublic`]: at most [`GroupPublic::max_encoded_size`] bytes.

#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

mod ciphersuite;
mod dkg;
pub mod ecdsa;
mod encryption;
mod error;
mod key_share;
mod party;
mod signing;
mod suite;

#[cfg(test)]
mod tests;

pub use ciphersuite::{Ed25519Sha512, FrostSuite, Secp256K1Sha256TR};
pub use dkg::{
	dkg_public_output, dkg_round1, dkg_round2, dkg_round3, verify_round1_package, GroupPublic,
	SecretShare,
};
pub use encryption::{
	open_at_rest, open_share, seal_at_rest, seal_share, x25519_public, AT_REST_NONCE_SIZE,
	ENCAPPED_KEY_SIZE, SEALED_SHARE_SIZE, TAG_SIZE,
};
pub use error::Error;
pub use key_share::KeyShare;
pub use party::PartySecrets;
pub use signing::{
	aggregate, blame, commit, sign, validate_commitment, validate_signature_share, SigningNonces,
};
pub use suite::{Suite, GROUP_KEY_SIZE, PROOF_OF_KNOWLEDGE_SIZE, SCALAR_SIZE, SIGNATURE_SIZE};
pub use zeroize::Zeroizing;
