//! Signature verification.
//!
//! | key type | payload | signature |
//! | --- | --- | --- |
//! | [`KeyType::EcdsaSecp256k1`] | 32-byte prehash | 65 bytes `r ‖ s ‖ v`, `v` ∈ {0, 1, 27, 28} |
//! | [`KeyType::BitcoinSecp256k1`] | 32-byte prehash | the same 65 bytes, or strict DER (BIP-66, without a sighash byte) |
//! | [`KeyType::Ed25519`] | the message | 64 bytes `R ‖ S` |
//! | [`KeyType::BitcoinTaproot`] | 32-byte prehash (BIP-341 sighash) | 64 bytes BIP-340 `R.x ‖ s`, checked in the runtime ([`crate::taproot::verify_bip340`]) |
//!
//! ECDSA signatures must be low-S (BIP-62 / EIP-2): of the two valid `s` values only the one in
//! the lower half of the curve order is accepted, so a signature cannot be altered into a second
//! valid one. `r` and `s` must lie in `1..n`. For the 65-byte form the key is recovered with the
//! recovery id and compared with the stored key, which also proves that `v` is right (the EVM
//! assembly uses it). A DER signature carries no recovery id: ids 0 and 1 are tried (ids 2 and 3
//! need `r ≥ n - p`, probability about 2⁻¹²⁷, and are not supported).
//!
//! Recovery and Ed25519 verification call the `sp_io::crypto` host functions
//! (`secp256k1_ecdsa_recover_compressed`, `ed25519_verify`): native code in the node, also when
//! called from the WASM runtime. `sp_io`'s Ed25519 verification follows ZIP-215 (as
//! `ed25519-zebra`); our keys are additionally required to be canonical and not of small order
//! (see [`crate::keys`]).

use alloc::vec::Vec;

use crate::{Error, KeyType, PublicKey};

type K256Signature = k256::ecdsa::Signature;

/// Largest strict-DER secp256k1 signature: `30 len 02 33·r 02 33·s`.
const MAX_DER_LEN: usize = 72;
/// Smallest strict-DER signature: one byte each for `r` and `s`.
const MIN_DER_LEN: usize = 8;

/// A well-formed low-S secp256k1 signature with its recovery id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecoverableSignature {
	/// `r`, big-endian.
	pub r: [u8; 32],
	/// `s`, big-endian, in the lower half of the curve order.
	pub s: [u8; 32],
	/// The recovery id, 0 or 1 (the parity of the nonce point's `y`).
	pub recovery_id: u8,
}

impl RecoverableSignature {
	/// The 65-byte `r ‖ s ‖ v` form with `v` ∈ {0, 1}.
	pub fn to_bytes(&self) -> [u8; 65] {
		let mut bytes = [0u8; 65];
		let parts = self.r.iter().chain(self.s.iter()).chain(core::iter::once(&self.recovery_id));
		for (out, byte) in bytes.iter_mut().zip(parts) {
			*out = *byte;
		}
		bytes
	}

	/// The strict DER encoding of `(r, s)` (as Bitcoin witnesses carry it, before the sighash
	/// type byte).
	pub fn to_der(&self) -> Result<Vec<u8>, Error> {
		let signature = K256Signature::from_scalars(self.r, self.s)
			.map_err(|_| Error::InvalidSignatureEncoding)?;
		Ok(signature.to_der().as_bytes().to_vec())
	}
}

/// Parses a 65-byte `r ‖ s ‖ v` secp256k1 signature: `v` ∈ {0, 1, 27, 28}, `r` and `s` in
/// `1..n`, `s` low.
pub fn parse_recoverable(signature: &[u8]) -> Result<RecoverableSignature, Error> {
	let bytes: &[u8; 65] = signature.try_into().map_err(|_| Error::InvalidSignatureLength)?;
	let (compact, v) = bytes.split_at(64);
	let recovery_id = match v.first() {
		Some(0 | 27) => 0,
		Some(1 | 28) => 1,
		_ => return Err(Error::InvalidRecoveryId),
	};
	let parsed = K256Signature::from_slice(compact).map_err(|_| Error::InvalidSignatureEncoding)?;
	let (r, s) = checked_low_s(&parsed)?;
	Ok(RecoverableSignature { r, s, recovery_id })
}

/// Parses a strict DER (BIP-66) secp256k1 signature without sighash byte and returns `(r, s)`;
/// `s` must be low.
pub fn parse_der(signature: &[u8]) -> Result<([u8; 32], [u8; 32]), Error> {
	if !(MIN_DER_LEN..=MAX_DER_LEN).contains(&signature.len()) {
		return Err(Error::InvalidSignatureLength);
	}
	let parsed = K256Signature::from_der(signature).map_err(|_| Error::InvalidSignatureEncoding)?;
	checked_low_s(&parsed)
}

fn checked_low_s(signature: &K256Signature) -> Result<([u8; 32], [u8; 32]), Error> {
	if signature.normalize_s().is_some() {
		return Err(Error::HighS);
	}
	let (r, s) = signature.split_bytes();
	Ok((r.into(), s.into()))
}

/// Recovers the compressed public key that produced `signature` over `prehash`.
pub fn recover_secp256k1(
	prehash: &[u8; 32],
	signature: &RecoverableSignature,
) -> Result<[u8; 33], Error> {
	sp_io::crypto::secp256k1_ecdsa_recover_compressed(&signature.to_bytes(), prehash)
		.map_err(|_| Error::SignatureMismatch)
}

/// Verifies a 65-byte `r ‖ s ‖ v` signature of `prehash` by the compressed secp256k1 `key`.
pub fn verify_ecdsa(
	key: &[u8; 33],
	prehash: &[u8; 32],
	signature: &[u8],
) -> Result<RecoverableSignature, Error> {
	let parsed = parse_recoverable(signature)?;
	if recover_secp256k1(prehash, &parsed)? != *key {
		return Err(Error::SignatureMismatch);
	}
	Ok(parsed)
}

/// Verifies a strict-DER signature of `prehash` by the compressed secp256k1 `key`, and returns it
/// with the recovery id that matched.
pub fn verify_der(
	key: &[u8; 33],
	prehash: &[u8; 32],
	signature: &[u8],
) -> Result<RecoverableSignature, Error> {
	let (r, s) = parse_der(signature)?;
	for recovery_id in [0, 1] {
		let candidate = RecoverableSignature { r, s, recovery_id };
		if recover_secp256k1(prehash, &candidate).ok().as_ref() == Some(key) {
			return Ok(candidate);
		}
	}
	Err(Error::SignatureMismatch)
}

/// Verifies a 64-byte Ed25519 signature of `message` by `key`.
pub fn verify_ed25519(key: &[u8; 32], message: &[u8], signature: &[u8]) -> Result<(), Error> {
	let signature: [u8; 64] = signature.try_into().map_err(|_| Error::InvalidSignatureLength)?;
	let valid = sp_io::crypto::ed25519_verify(
		&sp_core::ed25519::Signature::from_raw(signature),
		message,
		&sp_core::ed25519::Public::from_raw(*key),
	);
	if valid {
		Ok(())
	} else {
		Err(Error::SignatureMismatch)
	}
}

/// Verifies a secp256k1 signature in the format(s) the key type allows (see the module table)
/// and returns it in recoverable form.
pub fn verify_secp256k1(
	key: &PublicKey,
	prehash: &[u8; 32],
	signature: &[u8],
) -> Result<RecoverableSignature, Error> {
	let compressed = key.require_secp256k1()?;
	match key.key_type() {
		KeyType::BitcoinSecp256k1 if signature.len() != 65 => {
			verify_der(compressed, prehash, signature)
		}
		_ => verify_ecdsa(compressed, prehash, signature),
	}
}

/// Verifies `signature` of `payload` by `key`: what the treasury calls for every signature a
/// keyring returns. For secp256k1 keys `payload` must be the 32-byte prehash; for Ed25519 keys it
/// is the message.
pub fn verify_signature(key: &PublicKey, payload: &[u8], signature: &[u8]) -> Result<(), Error> {
	match key {
		PublicKey::Ed25519(ed25519) => verify_ed25519(ed25519, payload, signature),
		PublicKey::BitcoinTaproot(output_key) => {
			let prehash: &[u8; 32] = payload.try_into().map_err(|_| Error::InvalidPayload)?;
			crate::taproot::verify_bip340(output_key, prehash, signature)
		}
		PublicKey::EcdsaSecp256k1(_) | PublicKey::BitcoinSecp256k1(_) => {
			let prehash: &[u8; 32] = payload.try_into().map_err(|_| Error::InvalidPayload)?;
			verify_secp256k1(key, prehash, signature).map(|_| ())
		}
	}
}
