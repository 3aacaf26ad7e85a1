//! Threshold ECDSA (secp256k1) on chain: what the runtime checks and computes itself.
//!
//! The protocol (CGGMP24: auxiliary info, key generation, presigning) runs natively in the
//! parties' nodes; the chain only relays its messages. What the chain does itself is here:
//! - **child keys**: a keyring has one master key with a chain code (an extended public key);
//!   each key of the keyring is its non-hardened BIP-32 child `m/index`, derived on chain from
//!   public data, so a key request is answered in the block that makes it;
//! - **signatures**: a presignature's public data (`Γ` and each signer's `Δ̃_j`, `S̃_j`) is
//!   recorded when presigning completes; each signer's partial signature `σ_j` is checked on
//!   arrival (`σ_j·Γ = m·Δ̃_j + r·S̃_j`, `r = x(Γ)`), so a bad one names its sender, and the
//!   signature is `(r, Σσ_j)` with `s` made low.
//!
//! Presignatures are bound to the child key they were made for (the HD shift is applied while
//! presigning), and signers only sign digests they computed from a preimage
//! (`zenrock_chain_formats::Preimage`): both rule out the forgeries of CVE-2025-66017.

use alloc::vec::Vec;

use k256::{
	elliptic_curve::{
		ops::Reduce,
		point::AffineCoordinates,
		sec1::{FromEncodedPoint, ToEncodedPoint},
		PrimeField,
	},
	AffinePoint, EncodedPoint, ProjectivePoint, Scalar, U256,
};

use crate::Error;

/// Size of a compressed secp256k1 point.
pub const POINT_SIZE: usize = 33;
/// Size of an encoded [`MasterKey`]: compressed public key, then chain code.
pub const MASTER_KEY_SIZE: usize = POINT_SIZE + 32;
/// Size of a partial signature (a scalar).
pub const PARTIAL_SIGNATURE_SIZE: usize = 32;

/// The first hardened BIP-32 index: child indexes of keys stay below it.
pub const HARDENED: u32 = 1 << 31;

/// A keyring's master key: the group key of its key generation and the chain code generated
/// with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MasterKey {
	/// The compressed group public key.
	pub public_key: [u8; POINT_SIZE],
	/// The BIP-32 chain code.
	pub chain_code: [u8; 32],
}

impl MasterKey {
	/// Decodes `public key ‖ chain code`; the key must be a valid point.
	pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
		let bytes: &[u8; MASTER_KEY_SIZE] = bytes.try_into().map_err(|_| Error::InvalidEncoding)?;
		let (public_key, chain_code) = bytes.split_at(POINT_SIZE);
		let master = MasterKey {
			public_key: public_key.try_into().map_err(|_| Error::InvalidEncoding)?,
			chain_code: chain_code.try_into().map_err(|_| Error::InvalidEncoding)?,
		};
		decode_point(&master.public_key)?;
		Ok(master)
	}

	/// `public key ‖ chain code`.
	pub fn encode(&self) -> [u8; MASTER_KEY_SIZE] {
		let mut bytes = [0; MASTER_KEY_SIZE];
		let (public_key, chain_code) = bytes.split_at_mut(POINT_SIZE);
		public_key.copy_from_slice(&self.public_key);
		chain_code.copy_from_slice(&self.chain_code);
		bytes
	}

	/// The compressed public key of the non-hardened child `m/index` (BIP-32 CKDpub).
	/// [`Error::InvalidParameters`] for a hardened index or the (probability 2⁻¹²⁷) index BIP-32
	/// declares invalid.
	pub fn child_public_key(&self, index: u32) -> Result<[u8; POINT_SIZE], Error> {
		let verifying_key = k256::ecdsa::VerifyingKey::from_sec1_bytes(&self.public_key)
			.map_err(|_| Error::InvalidEncoding)?;
		let attrs = bip32::ExtendedKeyAttrs {
			depth: 0,
			parent_fingerprint: [0; 4],
			child_number: bip32::ChildNumber(0),
			chain_code: self.chain_code,
		};
		let child_number =
			bip32::ChildNumber::new(index, false).map_err(|_| Error::InvalidParameters)?;
		let child = bip32::ExtendedPublicKey::new(verifying_key, attrs)
			.derive_child(child_number)
			.map_err(|_| Error::InvalidParameters)?;
		let encoded = child.public_key().to_encoded_point(true);
		encoded.as_bytes().try_into().map_err(|_| Error::InvalidEncoding)
	}
}

/// The public data of a presignature of `t` signers: `Γ`, then each signer's `(Δ̃_j, S̃_j)` in
/// signer order, all compressed points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresignaturePublic {
	gamma: ProjectivePoint,
	r: Scalar,
	commitments: Vec<(ProjectivePoint, ProjectivePoint)>,
}

impl PresignaturePublic {
	/// Size of the encoding for `signers` signers.
	pub const fn encoded_size(signers: usize) -> usize {
		POINT_SIZE * (1 + 2 * signers)
	}

	/// Decodes the public data of a presignature of exactly `signers` signers. `Γ` must not be
	/// the identity (no `r`), nor have `x(Γ) ≡ 0 mod n`.
	pub fn decode(bytes: &[u8], signers: usize) -> Result<Self, Error> {
		if signers == 0 || bytes.len() != Self::encoded_size(signers) {
			return Err(Error::InvalidEncoding);
		}
		let mut points = bytes.chunks_exact(POINT_SIZE);
		let gamma_affine = points.next().map(decode_point).ok_or(Error::InvalidEncoding)??;
		let r = <Scalar as Reduce<U256>>::reduce_bytes(&gamma_affine.x());
		if bool::from(r.is_zero()) {
			return Err(Error::InvalidEncoding);
		}
		let mut commitments = Vec::with_capacity(signers);
		while let (Some(delta), Some(s)) = (points.next(), points.next()) {
			commitments.push((decode_any_point(delta)?, decode_any_point(s)?));
		}
		Ok(PresignaturePublic { gamma: gamma_affine.into(), r, commitments })
	}

	/// Encodes `Γ` and the signers' commitments (compressed points).
	pub fn encode(&self) -> Vec<u8> {
		let mut bytes = Vec::with_capacity(Self::encoded_size(self.commitments.len()));
		bytes.extend_from_slice(self.gamma.to_affine().to_encoded_point(true).as_bytes());
		for (delta, s) in &self.commitments {
			bytes.extend_from_slice(&encode_any_point(delta));
			bytes.extend_from_slice(&encode_any_point(s));
		}
		bytes
	}

	/// How many signers the presignature is for.
	pub fn signers(&self) -> usize {
		self.commitments.len()
	}

	/// `r = x(Γ) mod n`, the signature's first half.
	pub fn r(&self) -> [u8; 32] {
		self.r.to_bytes().into()
	}

	/// Checks the partial signature `sigma` of the signer at `position` (0-based, in signer
	/// order) over `digest`: `σ·Γ = m·Δ̃ + r·S̃`. [`Error::InvalidSignatureShares`] names
	/// `position + 1` when it does not hold or `sigma` is not a canonical scalar.
	pub fn verify_partial(
		&self,
		position: usize,
		digest: &[u8; 32],
		sigma: &[u8; PARTIAL_SIGNATURE_SIZE],
	) -> Result<(), Error> {
		let culprit = || Error::InvalidSignatureShares {
			culprits: alloc::vec![u16::try_from(position.saturating_add(1)).unwrap_or(u16::MAX)],
		};
		let (delta, s) = self.commitments.get(position).ok_or(Error::InvalidParameters)?;
		let sigma =
			Option::<Scalar>::from(Scalar::from_repr((*sigma).into())).ok_or_else(culprit)?;
		let m = digest_scalar(digest);
		if self.gamma * sigma == *delta * m + *s * self.r {
			Ok(())
		} else {
			Err(culprit())
		}
	}

	/// The signature `r ‖ s` (64 bytes, `s` low) from every signer's partial signature, in signer
	/// order, each checked first ([`Self::verify_partial`]; all bad ones are named).
	pub fn combine(
		&self,
		digest: &[u8; 32],
		sigmas: &[[u8; PARTIAL_SIGNATURE_SIZE]],
	) -> Result<[u8; 64], Error> {
		if sigmas.len() != self.commitments.len() {
			return Err(Error::InvalidParameters);
		}
		let mut culprits = Vec::new();
		let mut s = Scalar::ZERO;
		for (position, sigma) in sigmas.iter().enumerate() {
			match self.verify_partial(position, digest, sigma) {
				Ok(()) => {
					if let Some(sigma) = Option::<Scalar>::from(Scalar::from_repr((*sigma).into()))
					{
						s += sigma;
					}
				}
				Err(Error::InvalidSignatureShares { culprits: blamed }) => culprits.extend(blamed),
				Err(other) => return Err(other),
			}
		}
		if !culprits.is_empty() {
			return Err(Error::InvalidSignatureShares { culprits });
		}
		let signature =
			k256::ecdsa::Signature::from_scalars(self.r, s).map_err(|_| Error::InvalidEncoding)?;
		let signature = signature.normalize_s().unwrap_or(signature);
		Ok(signature.to_bytes().into())
	}

	/// Builds the public data from `Γ` and the signers' `(Δ̃_j, S̃_j)` as compressed points (the
	/// form a node reports them in).
	pub fn from_parts(
		gamma: &[u8; POINT_SIZE],
		commitments: &[([u8; POINT_SIZE], [u8; POINT_SIZE])],
	) -> Result<Self, Error> {
		let mut bytes = Vec::with_capacity(Self::encoded_size(commitments.len()));
		bytes.extend_from_slice(gamma);
		for (delta, s) in commitments {
			bytes.extend_from_slice(delta);
			bytes.extend_from_slice(s);
		}
		Self::decode(&bytes, commitments.len())
	}
}

/// The digest as a scalar, reduced modulo the group order (ECDSA's `bits2int` for 256 bits).
fn digest_scalar(digest: &[u8; 32]) -> Scalar {
	<Scalar as Reduce<U256>>::reduce_bytes(&(*digest).into())
}

/// A compressed point (tag 2 or 3; SEC1's 33-byte "compact" form, tag 5, is refused) that is
/// not the identity.
fn decode_point(bytes: &[u8]) -> Result<AffinePoint, Error> {
	if bytes.len() != POINT_SIZE || !matches!(bytes.first(), Some(0x02 | 0x03)) {
		return Err(Error::InvalidEncoding);
	}
	let encoded = EncodedPoint::from_bytes(bytes).map_err(|_| Error::InvalidEncoding)?;
	Option::from(AffinePoint::from_encoded_point(&encoded)).ok_or(Error::InvalidEncoding)
}

/// A compressed point, or 33 zero bytes for the identity (a commitment may be the identity).
fn decode_any_point(bytes: &[u8]) -> Result<ProjectivePoint, Error> {
	if bytes.iter().all(|byte| *byte == 0) && bytes.len() == POINT_SIZE {
		return Ok(ProjectivePoint::IDENTITY);
	}
	decode_point(bytes).map(ProjectivePoint::from)
}

/// The inverse of [`decode_any_point`].
fn encode_any_point(point: &ProjectivePoint) -> [u8; POINT_SIZE] {
	let encoded = point.to_affine().to_encoded_point(true);
	encoded.as_bytes().try_into().unwrap_or([0; POINT_SIZE])
}
