//! Key types and validated public keys.
//!
//! A keyring reports a public key as bytes; [`PublicKey::parse`] checks them against the
//! requested [`KeyType`] and returns the one stored form:
//! - secp256k1 keys ([`KeyType::EcdsaSecp256k1`], [`KeyType::BitcoinSecp256k1`]): compressed SEC1,
//!   33 bytes (`0x02`/`0x03` prefix). 65-byte uncompressed input (`0x04` prefix) is accepted and
//!   compressed; any other length, or bytes that are not a point of the curve, are refused.
//! - [`KeyType::Ed25519`]: 32 bytes, the canonical encoding of a curve point that is not of small
//!   order (small-order keys let anyone forge signatures that verify under permissive rules).
//! - [`KeyType::BitcoinTaproot`]: a 32-byte x-only BIP-340 key, the Taproot output key itself
//!   (the x coordinate of a secp256k1 point, refused when no point has it).

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use k256::elliptic_curve::sec1::ToEncodedPoint;
use scale_info::TypeInfo;

use crate::Error;

/// The kind of key a keyring produces.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum KeyType {
	/// An ECDSA key on secp256k1 (EVM chains, Cosmos, Substrate `ecdsa`); signs 32-byte hashes,
	/// signatures are 65-byte `r || s || v`.
	EcdsaSecp256k1,
	/// An Ed25519 key (Solana, Substrate `ed25519`); signs messages.
	Ed25519,
	/// An ECDSA key on secp256k1 used for Bitcoin; signs 32-byte sighashes, signatures are
	/// 65-byte `r || s || v` or strict DER.
	BitcoinSecp256k1,
	/// A BIP-340 Schnorr key on secp256k1 used as a Bitcoin Taproot output key (P2TR, key-path
	/// spends); signs 32-byte BIP-341 sighashes, signatures are 64-byte `R.x || s`. Produced by
	/// threshold (FROST) keyrings.
	BitcoinTaproot,
}

impl KeyType {
	/// Length in bytes of the stored public key.
	pub const fn public_key_len(self) -> usize {
		match self {
			KeyType::EcdsaSecp256k1 | KeyType::BitcoinSecp256k1 => 33,
			KeyType::Ed25519 | KeyType::BitcoinTaproot => 32,
		}
	}

	/// Whether keys of this type make ECDSA signatures on secp256k1.
	pub const fn is_secp256k1(self) -> bool {
		matches!(self, KeyType::EcdsaSecp256k1 | KeyType::BitcoinSecp256k1)
	}

	/// Whether keys of this type sign 32-byte prehashes (sighashes) rather than whole messages.
	pub const fn signs_prehash(self) -> bool {
		!matches!(self, KeyType::Ed25519)
	}
}

/// A public key whose format has been checked, in its stored form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PublicKey {
	/// A compressed secp256k1 key of type [`KeyType::EcdsaSecp256k1`].
	EcdsaSecp256k1([u8; 33]),
	/// An Ed25519 key.
	Ed25519([u8; 32]),
	/// A compressed secp256k1 key of type [`KeyType::BitcoinSecp256k1`].
	BitcoinSecp256k1([u8; 33]),
	/// An x-only BIP-340 key of type [`KeyType::BitcoinTaproot`].
	BitcoinTaproot([u8; 32]),
}

impl PublicKey {
	/// Checks `bytes` as a public key of `key_type` and returns it in its stored form.
	pub fn parse(key_type: KeyType, bytes: &[u8]) -> Result<Self, Error> {
		match key_type {
			KeyType::EcdsaSecp256k1 => parse_secp256k1(bytes).map(PublicKey::EcdsaSecp256k1),
			KeyType::BitcoinSecp256k1 => parse_secp256k1(bytes).map(PublicKey::BitcoinSecp256k1),
			KeyType::Ed25519 => parse_ed25519(bytes).map(PublicKey::Ed25519),
			KeyType::BitcoinTaproot => parse_x_only(bytes).map(PublicKey::BitcoinTaproot),
		}
	}

	/// The key's type.
	pub const fn key_type(&self) -> KeyType {
		match self {
			PublicKey::EcdsaSecp256k1(_) => KeyType::EcdsaSecp256k1,
			PublicKey::Ed25519(_) => KeyType::Ed25519,
			PublicKey::BitcoinSecp256k1(_) => KeyType::BitcoinSecp256k1,
			PublicKey::BitcoinTaproot(_) => KeyType::BitcoinTaproot,
		}
	}

	/// The stored bytes (33 compressed bytes for ECDSA keys, 32 for Ed25519 and x-only keys).
	pub fn as_bytes(&self) -> &[u8] {
		match self {
			PublicKey::EcdsaSecp256k1(key) | PublicKey::BitcoinSecp256k1(key) => key,
			PublicKey::Ed25519(key) | PublicKey::BitcoinTaproot(key) => key,
		}
	}

	/// The stored bytes as a vector.
	pub fn to_vec(&self) -> Vec<u8> {
		self.as_bytes().to_vec()
	}

	/// The compressed secp256k1 ECDSA key, or `None` for other keys.
	pub const fn secp256k1(&self) -> Option<&[u8; 33]> {
		match self {
			PublicKey::EcdsaSecp256k1(key) | PublicKey::BitcoinSecp256k1(key) => Some(key),
			PublicKey::Ed25519(_) | PublicKey::BitcoinTaproot(_) => None,
		}
	}

	/// The x-only Taproot output key, or `None` for other keys.
	pub const fn taproot(&self) -> Option<&[u8; 32]> {
		match self {
			PublicKey::BitcoinTaproot(key) => Some(key),
			_ => None,
		}
	}

	/// The x-only Taproot output key, or [`Error::KeyTypeMismatch`].
	pub fn require_taproot(&self) -> Result<&[u8; 32], Error> {
		self.taproot().ok_or(Error::KeyTypeMismatch)
	}

	/// The Ed25519 key, or `None` for a secp256k1 key.
	pub const fn ed25519(&self) -> Option<&[u8; 32]> {
		match self {
			PublicKey::Ed25519(key) => Some(key),
			_ => None,
		}
	}

	/// The compressed secp256k1 key, or [`Error::KeyTypeMismatch`].
	pub fn require_secp256k1(&self) -> Result<&[u8; 33], Error> {
		self.secp256k1().ok_or(Error::KeyTypeMismatch)
	}

	/// The Ed25519 key, or [`Error::KeyTypeMismatch`].
	pub fn require_ed25519(&self) -> Result<&[u8; 32], Error> {
		self.ed25519().ok_or(Error::KeyTypeMismatch)
	}

	/// The uncompressed SEC1 encoding (`0x04 || x || y`, 65 bytes) of a secp256k1 key.
	pub fn secp256k1_uncompressed(&self) -> Result<[u8; 65], Error> {
		let compressed = self.require_secp256k1()?;
		let point =
			k256::PublicKey::from_sec1_bytes(compressed).map_err(|_| Error::InvalidKeyPoint)?;
		let encoded = point.to_encoded_point(false);
		encoded.as_bytes().try_into().map_err(|_| Error::InvalidKeyPoint)
	}
}

/// Checks a public key of `key_type` and returns its stored bytes (see [`PublicKey::parse`]).
pub fn normalize_public_key(key_type: KeyType, bytes: &[u8]) -> Result<Vec<u8>, Error> {
	PublicKey::parse(key_type, bytes).map(|key| key.to_vec())
}

fn parse_secp256k1(bytes: &[u8]) -> Result<[u8; 33], Error> {
	// Only the two SEC1 forms; the "hybrid" 0x06/0x07 form and the identity are refused.
	let well_sized = match bytes.first() {
		Some(0x02 | 0x03) => bytes.len() == 33,
		Some(0x04) => bytes.len() == 65,
		_ => false,
	};
	if !well_sized {
		return Err(Error::InvalidKeyLength);
	}
	let point = k256::PublicKey::from_sec1_bytes(bytes).map_err(|_| Error::InvalidKeyPoint)?;
	let encoded = point.to_encoded_point(true);
	encoded.as_bytes().try_into().map_err(|_| Error::InvalidKeyPoint)
}

fn parse_x_only(bytes: &[u8]) -> Result<[u8; 32], Error> {
	let key: [u8; 32] = bytes.try_into().map_err(|_| Error::InvalidKeyLength)?;
	if !crate::taproot::is_valid_x_only(&key) {
		return Err(Error::InvalidKeyPoint);
	}
	Ok(key)
}

fn parse_ed25519(bytes: &[u8]) -> Result<[u8; 32], Error> {
	let key: [u8; 32] = bytes.try_into().map_err(|_| Error::InvalidKeyLength)?;
	let point = curve25519_dalek::edwards::CompressedEdwardsY(key)
		.decompress()
		.ok_or(Error::InvalidKeyPoint)?;
	if point.is_small_order() || point.compress().to_bytes() != key {
		return Err(Error::InvalidKeyPoint);
	}
	Ok(key)
}
