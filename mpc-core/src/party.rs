//! A party's key hierarchy, rooted in its keystore key.

use hkdf::Hkdf;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::Error;

/// HKDF salt of the root extraction; changing it changes every derived secret.
const SALT: &[u8] = b"zenrock-mpc-core/v1/party-secrets";

/// Info labels of the derived secrets (distinct, followed by fixed-length context).
const X25519_LABEL: &[u8] = b"x25519";
const STORAGE_LABEL: &[u8] = b"storage";
const DKG_SEED_LABEL: &[u8] = b"dkg-seed";
const SEAL_SEED_LABEL: &[u8] = b"seal-seed";
const NONCE_RNG_LABEL: &[u8] = b"nonce-rng";

/// The secrets of a keyring party, all derived from one root so that the party's off-chain
/// worker stores nothing but encrypted key shares and nonces: anything else is re-derived.
///
/// The root is an Ed25519 signature by the party's keystore key over a fixed message, made by
/// the caller (Ed25519 signatures are deterministic, so it is the same every time, and only the
/// keystore can make it). HKDF-SHA256 extracts a pseudorandom key from it; every secret is an
/// HKDF expansion with its own label. Wiped on drop; never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct PartySecrets {
	prk: [u8; 32],
}

impl PartySecrets {
	/// Derives the hierarchy from the keystore signature.
	pub fn derive(keystore_signature: &[u8; 64]) -> Self {
		let (prk, _) = Hkdf::<Sha256>::extract(Some(SALT), keystore_signature);
		let mut secrets = PartySecrets { prk: [0; 32] };
		secrets.prk.copy_from_slice(&prk);
		secrets
	}

	/// The X25519 secret the party's DKG shares are encrypted to (see
	/// [`crate::x25519_public`], [`crate::open_share`]).
	pub fn x25519_secret(&self) -> Result<Zeroizing<[u8; 32]>, Error> {
		self.expand(&[X25519_LABEL])
	}

	/// The XChaCha20-Poly1305 key of the party's storage (see [`crate::seal_at_rest`]).
	pub fn storage_key(&self) -> Result<Zeroizing<[u8; 32]>, Error> {
		self.expand(&[STORAGE_LABEL])
	}

	/// The seed of the party's DKG rounds (see [`crate::dkg_round1`]) for attempt `attempt` of
	/// DKG session `session`. A session number must identify one DKG chain-wide, and a new
	/// attempt (e.g. after excluding a participant) must use a new `attempt`.
	pub fn dkg_seed(&self, session: u64, attempt: u8) -> Result<Zeroizing<[u8; 32]>, Error> {
		self.expand(&[DKG_SEED_LABEL, &session.to_le_bytes(), &[attempt]])
	}

	/// The seed of the ephemeral HPKE key encrypting the party's share for `recipient` in attempt
	/// `attempt` of DKG session `session` (see [`crate::seal_share`]). Bound to the same inputs
	/// as the share itself, so a seed only ever encrypts one plaintext.
	pub fn seal_seed(
		&self,
		session: u64,
		attempt: u8,
		recipient: u16,
	) -> Result<Zeroizing<[u8; 32]>, Error> {
		self.expand(&[
			SEAL_SEED_LABEL,
			&session.to_le_bytes(),
			&[attempt],
			&recipient.to_le_bytes(),
		])
	}

	/// A random number generator for signing nonces ([`crate::commit`]), keyed by `entropy`
	/// (fresh randomness from the host, e.g. `sp_io::offchain::random_seed()`) *and* a party
	/// secret: the nonces stay unpredictable to others even if the host's randomness is weak.
	/// (It cannot save repeated `entropy`: every call needs fresh entropy.)
	pub fn nonce_rng(&self, entropy: &[u8; 32]) -> Result<ChaCha20Rng, Error> {
		Ok(ChaCha20Rng::from_seed(*self.expand(&[NONCE_RNG_LABEL, entropy])?))
	}

	/// HKDF-Expand of 32 bytes with the concatenation of `info` as info. Fails only on lengths
	/// (a PRK shorter than a SHA-256 output, an output over 255 blocks), which these constant
	/// sizes rule out; reported rather than assumed, as this runs in the runtime's workers.
	fn expand(&self, info: &[&[u8]]) -> Result<Zeroizing<[u8; 32]>, Error> {
		let mut okm = Zeroizing::new([0; 32]);
		Hkdf::<Sha256>::from_prk(&self.prk)
			.map_err(|_| Error::InvalidParameters)?
			.expand_multi_info(info, okm.as_mut())
			.map_err(|_| Error::InvalidParameters)?;
		Ok(okm)
	}
}

impl core::fmt::Debug for PartySecrets {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("PartySecrets").finish_non_exhaustive()
	}
}
