//! Encryption: DKG secret shares in transit through the chain (HPKE), and a party's secrets at
//! rest (XChaCha20-Poly1305).

use alloc::vec::Vec;

use chacha20poly1305::{
	aead::{Aead, KeyInit, Payload},
	XChaCha20Poly1305, XNonce,
};
use hpke::{
	aead::ChaCha20Poly1305, kdf::HkdfSha256, kem::X25519HkdfSha256, Deserializable, OpModeR,
	OpModeS, Serializable,
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use zeroize::Zeroizing;

use crate::{ciphersuite::array, Error, SCALAR_SIZE};

/// The HPKE KEM: DHKEM(X25519, HKDF-SHA256).
type Kem = X25519HkdfSha256;

/// Size of an HPKE encapsulated key (an X25519 public key).
pub const ENCAPPED_KEY_SIZE: usize = 32;

/// Size of an AEAD tag (Poly1305), for both HPKE and storage encryption.
pub const TAG_SIZE: usize = 16;

/// Size of a sealed DKG secret share: encapsulated key, then the 32-byte share and its tag.
pub const SEALED_SHARE_SIZE: usize = ENCAPPED_KEY_SIZE + SCALAR_SIZE + TAG_SIZE;

/// Size of the nonce prefixed to data sealed at rest.
pub const AT_REST_NONCE_SIZE: usize = 24;

/// The X25519 public key of an X25519 secret (see [`crate::PartySecrets::x25519_secret`]): what
/// a party registers on chain for others to encrypt DKG shares to.
///
/// Every 32-byte string is an X25519 secret (RFC 7748 clamps it), as in hpke's key decoding.
pub fn x25519_public(secret: &[u8; 32]) -> [u8; 32] {
	let secret = x25519_dalek::StaticSecret::from(*secret);
	x25519_dalek::PublicKey::from(&secret).to_bytes()
}

/// Encrypts `plaintext` (a DKG secret share) to `recipient_public` with HPKE (RFC 9180): Base
/// mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305.
///
/// Returns the encapsulated key then the ciphertext: `32 + plaintext.len() + 16` bytes
/// ([`SEALED_SHARE_SIZE`] for a share). `info` should name the context (chain, DKG session,
/// sender, recipient) and `aad` whatever else the ciphertext must be bound to.
///
/// Deterministic: the ephemeral key comes from `ephemeral_seed`
/// ([`crate::PartySecrets::seal_seed`]), so a retried submission is identical. A seed must
/// never be used for two different plaintexts to the same recipient (with the same `info`),
/// which would reuse the AEAD key and nonce.
///
/// Fails with [`Error::InvalidEncoding`] if `recipient_public` is a low-order point (no shared
/// secret).
pub fn seal_share(
	recipient_public: &[u8; 32],
	info: &[u8],
	aad: &[u8],
	plaintext: &[u8],
	ephemeral_seed: &[u8; 32],
) -> Result<Vec<u8>, Error> {
	let recipient = <Kem as hpke::Kem>::PublicKey::from_bytes(recipient_public)
		.map_err(|_| Error::InvalidEncoding)?;
	let mut rng = ChaCha20Rng::from_seed(*ephemeral_seed);
	let (encapped_key, ciphertext) =
		hpke::single_shot_seal::<ChaCha20Poly1305, HkdfSha256, Kem, _>(
			&OpModeS::Base,
			&recipient,
			info,
			plaintext,
			aad,
			&mut rng,
		)
		.map_err(|_| Error::InvalidEncoding)?;
	let mut sealed = Vec::with_capacity(ENCAPPED_KEY_SIZE + ciphertext.len());
	sealed.extend_from_slice(&encapped_key.to_bytes());
	sealed.extend(ciphertext);
	Ok(sealed)
}

/// Decrypts the output of [`seal_share`] with the recipient's X25519 secret and the same `info`
/// and `aad`. Any failure (wrong key, context or data; truncated input) is
/// [`Error::Decryption`].
pub fn open_share(
	recipient_secret: &[u8; 32],
	info: &[u8],
	aad: &[u8],
	sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
	let secret = <Kem as hpke::Kem>::PrivateKey::from_bytes(recipient_secret)
		.map_err(|_| Error::Decryption)?;
	let (encapped_key, ciphertext) =
		sealed.split_at_checked(ENCAPPED_KEY_SIZE).ok_or(Error::Decryption)?;
	let encapped_key =
		<Kem as hpke::Kem>::EncappedKey::from_bytes(encapped_key).map_err(|_| Error::Decryption)?;
	hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, Kem>(
		&OpModeR::Base,
		&secret,
		&encapped_key,
		info,
		ciphertext,
		aad,
	)
	.map(Zeroizing::new)
	.map_err(|_| Error::Decryption)
}

/// Encrypts a party's secret (a [`crate::KeyShare`], [`crate::SigningNonces`]) for storage with
/// XChaCha20-Poly1305 under `storage_key` ([`crate::PartySecrets::storage_key`]).
///
/// Returns `nonce ‖ ciphertext ‖ tag` (`24 + plaintext.len() + 16` bytes). The 24-byte `nonce`
/// must never repeat under one key: random nonces of this size are safe.
pub fn seal_at_rest(
	storage_key: &[u8; 32],
	aad: &[u8],
	plaintext: &[u8],
	nonce: [u8; AT_REST_NONCE_SIZE],
) -> Result<Vec<u8>, Error> {
	let cipher = XChaCha20Poly1305::new(storage_key.into());
	let ciphertext = cipher
		.encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad })
		.map_err(|_| Error::InvalidParameters)?;
	let mut sealed = Vec::with_capacity(AT_REST_NONCE_SIZE + ciphertext.len());
	sealed.extend_from_slice(&nonce);
	sealed.extend(ciphertext);
	Ok(sealed)
}

/// Decrypts the output of [`seal_at_rest`] with the same key and `aad`. Any failure is
/// [`Error::Decryption`].
pub fn open_at_rest(
	storage_key: &[u8; 32],
	aad: &[u8],
	sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
	let (nonce, ciphertext) =
		sealed.split_at_checked(AT_REST_NONCE_SIZE).ok_or(Error::Decryption)?;
	let nonce: [u8; AT_REST_NONCE_SIZE] = array(nonce).map_err(|_| Error::Decryption)?;
	XChaCha20Poly1305::new(storage_key.into())
		.decrypt(XNonce::from_slice(&nonce), Payload { msg: ciphertext, aad })
		.map(Zeroizing::new)
		.map_err(|_| Error::Decryption)
}
