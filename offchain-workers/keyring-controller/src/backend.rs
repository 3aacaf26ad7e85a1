//! The node-keystore keyring backend: keys are generated in, and signatures made by, the node's
//! keystore under [`KEY_MATERIAL_KEY_TYPE`] through the `sp_io::crypto` host functions, so the
//! secret material never enters the runtime.

// Everything the worker handles comes from the chain or the keystore: it may not panic. (Not
// set crate-wide because the pallet macro's generated code trips these lints.)
#![deny(
	clippy::arithmetic_side_effects,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::unreachable,
	clippy::unwrap_used
)]

use crate::{reasons, KeyType, KEY_MATERIAL_KEY_TYPE};
use alloc::{format, string::String, vec::Vec};
use sp_core::{ecdsa, ed25519};

/// Why this party cannot sign a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
	/// The reason submitted on chain (one of [`reasons`]).
	pub reason: &'static [u8],
	/// The details, for the log.
	pub detail: String,
}

fn refuse(reason: &'static [u8], detail: String) -> Refusal {
	Refusal { reason, detail }
}

/// Creates a new key of `key_type` in the keystore and returns its public key in the stored form
/// (33-byte compressed secp256k1, 32-byte Ed25519). The keystore has no BIP-340 (Taproot) keys.
pub(crate) fn generate_key(key_type: KeyType) -> Result<Vec<u8>, Refusal> {
	match key_type {
		KeyType::EcdsaSecp256k1 | KeyType::BitcoinSecp256k1 => {
			Ok(sp_io::crypto::ecdsa_generate(KEY_MATERIAL_KEY_TYPE, None).to_raw().to_vec())
		}
		KeyType::Ed25519 => {
			Ok(sp_io::crypto::ed25519_generate(KEY_MATERIAL_KEY_TYPE, None).to_raw().to_vec())
		}
		KeyType::BitcoinTaproot => Err(taproot_unsupported()),
	}
}

fn taproot_unsupported() -> Refusal {
	refuse(
		reasons::KEY_TYPE_UNSUPPORTED,
		"node keystores make no BIP-340 (Taproot) keys; threshold keyrings do".into(),
	)
}

/// Signs every payload with the key `public_key` of `key_type`, if the keystore holds it:
/// secp256k1 payloads are 32-byte prehashes, signed into 65-byte `r ‖ s ‖ v` (low-S); Ed25519
/// payloads are messages, signed into 64 bytes.
pub(crate) fn sign(
	key_type: KeyType,
	public_key: &[u8],
	payloads: &[Vec<u8>],
) -> Result<Vec<Vec<u8>>, Refusal> {
	if payloads.is_empty() {
		return Err(refuse(reasons::NO_PAYLOADS, "the request has no payloads".into()));
	}
	match key_type {
		KeyType::BitcoinTaproot => Err(taproot_unsupported()),
		KeyType::EcdsaSecp256k1 | KeyType::BitcoinSecp256k1 => {
			let public = ecdsa::Public::try_from(public_key).map_err(|_| {
				refuse(
					reasons::MALFORMED_PUBLIC_KEY,
					format!("{} bytes are not a compressed secp256k1 key", public_key.len()),
				)
			})?;
			let prehashes = payloads
				.iter()
				.enumerate()
				.map(|(index, payload)| {
					<[u8; 32]>::try_from(payload.as_slice()).map_err(|_| {
						refuse(
							reasons::PAYLOAD_NOT_32_BYTES,
							format!(
								"payload {index} is {} bytes; secp256k1 keys sign 32-byte prehashes",
								payload.len()
							),
						)
					})
				})
				.collect::<Result<Vec<_>, _>>()?;
			if !sp_io::crypto::ecdsa_public_keys(KEY_MATERIAL_KEY_TYPE).contains(&public) {
				return Err(not_held());
			}
			prehashes
				.iter()
				.map(|prehash| {
					sp_io::crypto::ecdsa_sign_prehashed(KEY_MATERIAL_KEY_TYPE, &public, prehash)
						.map(|signature| signature.to_raw().to_vec())
						.ok_or_else(signing_failed)
				})
				.collect()
		}
		KeyType::Ed25519 => {
			let public = ed25519::Public::try_from(public_key).map_err(|_| {
				refuse(
					reasons::MALFORMED_PUBLIC_KEY,
					format!("{} bytes are not an Ed25519 key", public_key.len()),
				)
			})?;
			if !sp_io::crypto::ed25519_public_keys(KEY_MATERIAL_KEY_TYPE).contains(&public) {
				return Err(not_held());
			}
			payloads
				.iter()
				.map(|message| {
					sp_io::crypto::ed25519_sign(KEY_MATERIAL_KEY_TYPE, &public, message)
						.map(|signature| signature.to_raw().to_vec())
						.ok_or_else(signing_failed)
				})
				.collect()
		}
	}
}

fn not_held() -> Refusal {
	refuse(reasons::KEY_NOT_HELD, "the key is not in this node's keystore".into())
}

fn signing_failed() -> Refusal {
	refuse(reasons::SIGNING_FAILED, "the keystore did not sign with the key".into())
}
