//! A participant's long-lived share of a group key.

use alloc::vec::Vec;

use codec::{Decode, DecodeAll, Encode, Input};
use frost_core::keys::{KeyPackage, SigningShare, VerifyingShare};
use frost_core::VerifyingKey;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::{
	ciphersuite::{array, identifier, with_suite, FrostSuite},
	Error, GroupPublic, Suite, GROUP_KEY_SIZE, SCALAR_SIZE,
};

/// A participant's long-lived secret for one group key: what `dkg::part3`'s `KeyPackage` holds
/// (for Taproot, already tweaked by the DKG post-processing).
///
/// SCALE-encodable for (encrypted, see [`crate::seal_at_rest`]) storage; decoding validates the
/// content, so a decoded `KeyShare` is consistent. The signing share is wiped on drop and never
/// printed.
#[derive(Clone, PartialEq, Eq, Encode, Zeroize, ZeroizeOnDrop)]
pub struct KeyShare {
	#[zeroize(skip)]
	suite: Suite,
	participant: u16,
	threshold: u16,
	signing_share: [u8; SCALAR_SIZE],
	verifying_share: Vec<u8>,
	verifying_key: Vec<u8>,
}

impl KeyShare {
	/// The suite of the key.
	pub fn suite(&self) -> Suite {
		self.suite
	}

	/// The participant's index in `1..=n`.
	pub fn participant(&self) -> u16 {
		self.participant
	}

	/// The signing threshold `t`.
	pub fn threshold(&self) -> u16 {
		self.threshold
	}

	/// The group key in the chain's form (see [`Suite::group_key_size`]); equal to
	/// [`crate::GroupPublic::group_key`] after a successful DKG.
	pub fn group_key(&self) -> [u8; GROUP_KEY_SIZE] {
		// Both encodings end with the 32 bytes the chain stores: the whole Ed25519 point, or
		// the X coordinate after the SEC1 parity byte. Validated on construction.
		let start = self.verifying_key.len().saturating_sub(GROUP_KEY_SIZE);
		array(self.verifying_key.get(start..).unwrap_or_default()).unwrap_or_default()
	}

	/// frost's serialization of the group verifying key.
	pub fn verifying_key(&self) -> &[u8] {
		&self.verifying_key
	}

	/// frost's serialization of this participant's verifying share (signing share times the
	/// generator); equal to [`crate::GroupPublic::verifying_share`] for this participant.
	pub fn verifying_share(&self) -> &[u8] {
		&self.verifying_share
	}

	/// The secret signing share (a scalar in the suite's encoding), in a buffer wiped on drop:
	/// what a party seals to itself as its backup.
	pub fn signing_share(&self) -> Zeroizing<[u8; SCALAR_SIZE]> {
		Zeroizing::new(self.signing_share)
	}

	/// The SCALE encoding, in a buffer wiped on drop.
	pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
		Zeroizing::new(self.encode())
	}

	/// Decodes and validates the output of [`KeyShare::to_bytes`] (no trailing bytes).
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
		Self::decode_all(&mut &bytes[..]).map_err(|_| Error::InvalidEncoding)
	}

	/// Rebuilds participant `participant`'s key share from its secret signing share (a scalar
	/// in the suite's encoding, e.g. opened from its backup on chain) and the key's public data.
	/// Fails unless the signing share is the one behind the participant's verifying share in
	/// `public`, so a wrong or tampered backup never becomes a key share.
	pub fn from_signing_share(
		public: &GroupPublic,
		participant: u16,
		signing_share: &[u8],
	) -> Result<Self, Error> {
		let share = KeyShare {
			suite: public.suite(),
			participant,
			threshold: public.threshold(),
			signing_share: array(signing_share).map_err(|_| Error::InvalidEncoding)?,
			verifying_share: public
				.verifying_share(participant)
				.ok_or(Error::MissingParticipant { participant })?
				.to_vec(),
			verifying_key: public.verifying_key().to_vec(),
		};
		share.validate()?;
		Ok(share)
	}

	/// Rebuilds the frost key package, for suite `C` (which must be this key's suite).
	pub fn key_package<C: FrostSuite>(&self) -> Result<KeyPackage<C>, Error> {
		if self.suite != C::SUITE {
			return Err(Error::InvalidParameters);
		}
		let invalid = |_| Error::InvalidEncoding;
		Ok(KeyPackage::new(
			identifier::<C>(self.participant)?,
			SigningShare::deserialize(&self.signing_share).map_err(invalid)?,
			VerifyingShare::deserialize(&self.verifying_share).map_err(invalid)?,
			VerifyingKey::deserialize(&self.verifying_key).map_err(invalid)?,
			self.threshold,
		))
	}

	/// The chain form of a key package `dkg::part3` returned to participant `participant`.
	pub(crate) fn from_key_package<C: FrostSuite>(
		participant: u16,
		package: &KeyPackage<C>,
	) -> Result<Self, Error> {
		let signing_share = Zeroizing::new(package.signing_share().serialize());
		Ok(KeyShare {
			suite: C::SUITE,
			participant,
			threshold: *package.min_signers(),
			signing_share: array(&signing_share)?,
			verifying_share: package.verifying_share().serialize().map_err(|_| Error::Frost)?,
			verifying_key: package.verifying_key().serialize().map_err(|_| Error::Frost)?,
		})
	}

	/// Checks that the fields form a key share: every encoding valid, the verifying share
	/// matching the signing share, `threshold >= 2`.
	fn validate(&self) -> Result<(), Error> {
		if self.threshold < 2 {
			return Err(Error::InvalidEncoding);
		}
		with_suite!(self.suite, C => self.validate_for::<C>())
	}

	fn validate_for<C: FrostSuite>(&self) -> Result<(), Error> {
		let package = self.key_package::<C>()?;
		if VerifyingShare::from(*package.signing_share()) != *package.verifying_share() {
			return Err(Error::InvalidEncoding);
		}
		Ok(())
	}
}

impl Decode for KeyShare {
	fn decode<I: Input>(input: &mut I) -> Result<Self, codec::Error> {
		let share = KeyShare {
			suite: Suite::decode(input)?,
			participant: u16::decode(input)?,
			threshold: u16::decode(input)?,
			signing_share: <[u8; SCALAR_SIZE]>::decode(input)?,
			verifying_share: Vec::decode(input)?,
			verifying_key: Vec::decode(input)?,
		};
		share.validate().map_err(|_| "invalid key share")?;
		Ok(share)
	}
}

impl core::fmt::Debug for KeyShare {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("KeyShare")
			.field("suite", &self.suite)
			.field("participant", &self.participant)
			.field("threshold", &self.threshold)
			.field("group_key", &self.group_key())
			.finish_non_exhaustive()
	}
}
