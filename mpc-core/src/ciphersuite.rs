//! The frost ciphersuites behind [`Suite`], and small helpers shared by the protocol modules.
//!
//! Every protocol function is written once, generic over [`FrostSuite`], and the public entry
//! points dispatch on [`Suite`] with [`with_suite!`].

use alloc::vec::Vec;

use frost_core::{keys::PublicKeyPackage, Ciphersuite, Identifier, VerifyingKey};
pub use frost_ed25519::Ed25519Sha512;
pub use frost_secp256k1_tr::Secp256K1Sha256TR;

use crate::{Error, Suite, GROUP_KEY_SIZE};

mod sealed {
	pub trait Sealed {}
	impl Sealed for super::Ed25519Sha512 {}
	impl Sealed for super::Secp256K1Sha256TR {}
}

/// A frost ciphersuite this crate supports: [`Ed25519Sha512`] or [`Secp256K1Sha256TR`].
///
/// Sealed: the chain formats (group key, signature) are only defined for these two.
pub trait FrostSuite: Ciphersuite + sealed::Sealed {
	/// The [`Suite`] naming this ciphersuite.
	const SUITE: Suite;

	/// Applies to the group's public key package the post-processing that `dkg::part3` applies
	/// through `Ciphersuite::post_dkg`, from public data only (the chain has no key package).
	fn post_dkg_public(package: PublicKeyPackage<Self>) -> PublicKeyPackage<Self>;

	/// The group key in the 32-byte form the chain stores (see [`Suite::group_key_size`]).
	fn chain_group_key(key: &VerifyingKey<Self>) -> Result<[u8; GROUP_KEY_SIZE], Error>;
}

impl FrostSuite for Ed25519Sha512 {
	const SUITE: Suite = Suite::Ed25519;

	/// FROST(Ed25519) keeps the default (no-op) `post_dkg`.
	fn post_dkg_public(package: PublicKeyPackage<Self>) -> PublicKeyPackage<Self> {
		package
	}

	/// The compressed Edwards point, as RFC 8032 verifiers take it.
	fn chain_group_key(key: &VerifyingKey<Self>) -> Result<[u8; GROUP_KEY_SIZE], Error> {
		array(&key.serialize().map_err(|_| Error::Frost)?)
	}
}

impl FrostSuite for Secp256K1Sha256TR {
	const SUITE: Suite = Suite::Secp256k1Taproot;

	/// `Secp256K1Sha256TR::post_dkg` tweaks both packages with the BIP-341 "no script path"
	/// tweak (`Q = P + int(hashTapTweak(bytes(P)))·G`, after making `P` even). The tweak of a
	/// public key package only depends on the package, so the chain can apply it too.
	fn post_dkg_public(package: PublicKeyPackage<Self>) -> PublicKeyPackage<Self> {
		frost_secp256k1_tr::keys::Tweak::tweak(package, None::<&[u8]>)
	}

	/// The x-only output key `Q.x` (BIP-340 keys are x-only; `Q` itself may have an odd Y, which
	/// frost handles at signing time). It is the last 32 bytes of the compressed SEC1 encoding.
	fn chain_group_key(key: &VerifyingKey<Self>) -> Result<[u8; GROUP_KEY_SIZE], Error> {
		let compressed = key.serialize().map_err(|_| Error::Frost)?;
		array(compressed.get(1..).unwrap_or_default())
	}
}

/// Runs `$body` with the type alias `$C` bound to the frost ciphersuite of `$suite`.
macro_rules! with_suite {
	($suite:expr, $C:ident => $body:expr) => {
		match $suite {
			$crate::Suite::Ed25519 => {
				type $C = $crate::ciphersuite::Ed25519Sha512;
				$body
			}
			$crate::Suite::Secp256k1Taproot => {
				type $C = $crate::ciphersuite::Secp256K1Sha256TR;
				$body
			}
		}
	};
}
pub(crate) use with_suite;

/// The frost identifier of participant `participant` (`Identifier::try_from(u16)`); zero is not
/// a participant.
pub(crate) fn identifier<C: Ciphersuite>(participant: u16) -> Result<Identifier<C>, Error> {
	Identifier::try_from(participant).map_err(|_| Error::InvalidParameters)
}

/// The index in `1..=n` of a frost identifier, to name a culprit frost reported.
pub(crate) fn participant_of<C: Ciphersuite>(id: &Identifier<C>, n: u16) -> Option<u16> {
	(1..=n).find(|&i| Identifier::<C>::try_from(i).is_ok_and(|candidate| candidate == *id))
}

/// Copies exactly `N` bytes into an array.
pub(crate) fn array<const N: usize>(bytes: &[u8]) -> Result<[u8; N], Error> {
	bytes.try_into().map_err(|_| Error::InvalidEncoding)
}

/// Checks DKG parameters: `2 <= threshold <= n` (frost has no 1-of-n DKG).
pub(crate) fn check_threshold(n: u16, threshold: u16) -> Result<(), Error> {
	if threshold < 2 || threshold > n {
		return Err(Error::InvalidParameters);
	}
	Ok(())
}

/// Orders per-participant entries, checking that they name each of `1..=n` except `skip`
/// exactly once: an index out of range or repeated is [`Error::InvalidParameters`], a missing
/// one [`Error::MissingParticipant`].
pub(crate) fn by_participant<'a>(
	entries: &[(u16, &'a [u8])],
	n: u16,
	skip: Option<u16>,
) -> Result<Vec<(u16, &'a [u8])>, Error> {
	let mut slots: Vec<Option<&'a [u8]>> = alloc::vec![None; usize::from(n)];
	for &(participant, bytes) in entries {
		if Some(participant) == skip {
			return Err(Error::InvalidParameters);
		}
		let slot = usize::from(participant)
			.checked_sub(1)
			.and_then(|i| slots.get_mut(i))
			.ok_or(Error::InvalidParameters)?;
		if slot.replace(bytes).is_some() {
			return Err(Error::InvalidParameters);
		}
	}
	(1..=n)
		.zip(slots)
		.filter(|(participant, _)| Some(*participant) != skip)
		.map(|(participant, slot)| {
			slot.map(|bytes| (participant, bytes)).ok_or(Error::MissingParticipant { participant })
		})
		.collect()
}
