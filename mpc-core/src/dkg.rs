//! Distributed key generation (frost's Pedersen DKG with proofs of knowledge), with the chain as
//! the only channel.
//!
//! 1. Every participant `i` publishes its round-1 package ([`dkg_round1`]); the chain checks it
//!    on arrival ([`verify_round1_package`]).
//! 2. Once all `n` packages are on chain, every participant computes one secret share for every
//!    other participant ([`dkg_round2`]) and publishes each one encrypted to its recipient
//!    ([`crate::seal_share`]).
//! 3. Every participant decrypts the shares sent to it and derives its long-lived
//!    [`KeyShare`] ([`dkg_round3`]); an invalid share names its sender. The chain computes the
//!    group's public data from the round-1 packages alone ([`dkg_public_output`]); parties
//!    check that their [`KeyShare::group_key`] equals its group key.
//!
//! A participant never stores round-1 or round-2 secrets: each round re-derives them from the
//! same 32-byte seed (see [`crate::PartySecrets::dkg_seed`]), so an off-chain worker can resume
//! a DKG after a restart from chain data and its own key alone.

use alloc::{collections::BTreeMap, vec::Vec};

use codec::{Decode, DecodeWithMemTracking, Encode};
use frost_core::keys::{
	dkg::{self, round1, round2},
	PublicKeyPackage, SigningShare, VerifiableSecretSharingCommitment, VerifyingShare,
};
use frost_core::{Identifier, Signature, VerifyingKey};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use scale_info::TypeInfo;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{
	ciphersuite::{
		array, by_participant, check_threshold, identifier, participant_of, with_suite, FrostSuite,
	},
	Error, KeyShare, Suite, GROUP_KEY_SIZE, PROOF_OF_KNOWLEDGE_SIZE, SCALAR_SIZE,
};

/// A DKG secret share: participant `i`'s polynomial evaluated at another participant's index,
/// in frost's scalar encoding; wiped on drop. Sent encrypted ([`crate::seal_share`]).
pub type SecretShare = Zeroizing<[u8; SCALAR_SIZE]>;

/// Domain separator of the round-1 randomness (see [`round1_rng_seed`]).
const ROUND1_DOMAIN: &[u8] = b"zenrock-mpc-core/v1/dkg-round1";

/// The group's public data after a DKG: what the chain stores for a key and needs to aggregate
/// and blame signature shares.
///
/// It is exactly the public key package each participant's `dkg::part3` returns (including the
/// Taproot tweak), in frost's own element encodings. Not validated on decoding: every function
/// using it decodes the points it needs and returns [`Error::InvalidEncoding`] if they do not.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct GroupPublic {
	suite: Suite,
	threshold: u16,
	group_key: [u8; GROUP_KEY_SIZE],
	verifying_key: Vec<u8>,
	verifying_shares: Vec<Vec<u8>>,
}

impl GroupPublic {
	/// Encoded size of a `GroupPublic` for `n` participants of `suite`.
	pub const fn encoded_size(suite: Suite, n: u16) -> usize {
		let element = suite.element_size();
		// suite + threshold + group key + verifying key + vector of n verifying shares; each
		// vector carries a SCALE compact length (1 byte below 64 elements).
		1 + 2 + GROUP_KEY_SIZE + 1 + element + compact_len(n) + n as usize * (1 + element)
	}

	/// Upper bound of the encoded size of a `GroupPublic` for `n` participants of any suite: a
	/// bound for the pallet's storage.
	pub const fn max_encoded_size(n: u16) -> usize {
		Self::encoded_size(Suite::Secp256k1Taproot, n)
	}

	/// The suite of the key.
	pub fn suite(&self) -> Suite {
		self.suite
	}

	/// The signing threshold `t`: any `t` participants can sign.
	pub fn threshold(&self) -> u16 {
		self.threshold
	}

	/// The number of participants `n`.
	pub fn participants(&self) -> u16 {
		// Built for at most u16::MAX participants; a decoded value with more is unusable anyway
		// (every lookup of an index beyond u16::MAX fails).
		u16::try_from(self.verifying_shares.len()).unwrap_or(u16::MAX)
	}

	/// The group key as the chain stores it: the Ed25519 public key, or the x-only BIP-340
	/// (P2TR output) key.
	pub fn group_key(&self) -> [u8; GROUP_KEY_SIZE] {
		self.group_key
	}

	/// frost's serialization of the group verifying key (for Taproot, the compressed SEC1 point
	/// of the tweaked key, whose Y parity the x-only form drops).
	pub fn verifying_key(&self) -> &[u8] {
		&self.verifying_key
	}

	/// frost's serialization of participant `participant`'s verifying share (its signing share
	/// times the generator), or `None` for an index outside `1..=n`.
	pub fn verifying_share(&self, participant: u16) -> Option<&[u8]> {
		let index = usize::from(participant).checked_sub(1)?;
		self.verifying_shares.get(index).map(Vec::as_slice)
	}

	/// Builds the chain form of a frost public key package.
	fn from_frost<C: FrostSuite>(
		package: &PublicKeyPackage<C>,
		n: u16,
		threshold: u16,
	) -> Result<Self, Error> {
		let verifying_shares = (1..=n)
			.map(|i| {
				let share = package.verifying_shares().get(&identifier::<C>(i)?);
				share.ok_or(Error::Frost)?.serialize().map_err(|_| Error::Frost)
			})
			.collect::<Result<_, _>>()?;
		Ok(GroupPublic {
			suite: C::SUITE,
			threshold,
			group_key: C::chain_group_key(package.verifying_key())?,
			verifying_key: package.verifying_key().serialize().map_err(|_| Error::Frost)?,
			verifying_shares,
		})
	}

	/// The group verifying key, checking that the key belongs to suite `C`.
	pub(crate) fn frost_verifying_key<C: FrostSuite>(&self) -> Result<VerifyingKey<C>, Error> {
		if self.suite != C::SUITE {
			return Err(Error::InvalidParameters);
		}
		VerifyingKey::deserialize(&self.verifying_key).map_err(|_| Error::InvalidEncoding)
	}

	/// The verifying share of `participant`.
	pub(crate) fn frost_verifying_share<C: FrostSuite>(
		&self,
		participant: u16,
	) -> Result<VerifyingShare<C>, Error> {
		let bytes = self.verifying_share(participant).ok_or(Error::InvalidParameters)?;
		VerifyingShare::deserialize(bytes).map_err(|_| Error::InvalidEncoding)
	}
}

/// Length of the SCALE compact encoding of `n`.
const fn compact_len(n: u16) -> usize {
	match n {
		0..=0x3f => 1,
		0x40..=0x3fff => 2,
		_ => 4,
	}
}

// ---------------------------------------------------------------------------------------------
// Chain side: deterministic, from public data.
// ---------------------------------------------------------------------------------------------

/// Checks participant `sender`'s round-1 package for threshold `threshold` (chain side).
///
/// The package must be exactly [`Suite::round1_package_size`] bytes: the `threshold`
/// coefficient commitments, then the proof of knowledge of the constant term (a Schnorr
/// signature `R ‖ z` bound to `sender`). Every point must decode (not the identity; for Ed25519
/// in the prime-order subgroup) and the proof must verify.
///
/// The pallet must also check that `sender` is a participant of the DKG (`1..=n`).
pub fn verify_round1_package(
	suite: Suite,
	sender: u16,
	threshold: u16,
	package: &[u8],
) -> Result<(), Error> {
	with_suite!(suite, C => verify_round1_package_for::<C>(sender, threshold, package))
}

fn verify_round1_package_for<C: FrostSuite>(
	sender: u16,
	threshold: u16,
	package: &[u8],
) -> Result<(), Error> {
	let sender_id = identifier::<C>(sender)?;
	if threshold < 2 {
		return Err(Error::InvalidParameters);
	}
	let package = decode_round1::<C>(sender, threshold, package)?;
	dkg::verify_proof_of_knowledge(sender_id, package.commitment(), package.proof_of_knowledge())
		.map_err(|_| Error::InvalidProofOfKnowledge { participant: sender })
}

/// Computes the group's public data from the round-1 packages of all `n` participants (chain
/// side): the same public key package every participant's `dkg::part3` returns, Taproot tweak
/// included.
///
/// `packages` must name each participant `1..=n` exactly once (`n` is its length) and each
/// package must already have passed [`verify_round1_package`]: the proofs of knowledge are not
/// checked again here (participants check them again in round 2 anyway).
///
/// Cost: `n·t` scalar multiplications (one polynomial evaluation per verifying share).
pub fn dkg_public_output(
	suite: Suite,
	threshold: u16,
	packages: &[(u16, &[u8])],
) -> Result<GroupPublic, Error> {
	with_suite!(suite, C => dkg_public_output_for::<C>(threshold, packages))
}

fn dkg_public_output_for<C: FrostSuite>(
	threshold: u16,
	packages: &[(u16, &[u8])],
) -> Result<GroupPublic, Error> {
	let n = u16::try_from(packages.len()).map_err(|_| Error::InvalidParameters)?;
	check_threshold(n, threshold)?;
	let decoded = by_participant(packages, n, None)?
		.into_iter()
		.map(|(i, bytes)| Ok((identifier::<C>(i)?, decode_round1::<C>(i, threshold, bytes)?)))
		.collect::<Result<BTreeMap<_, _>, Error>>()?;
	let commitments = decoded.iter().map(|(id, package)| (*id, package.commitment())).collect();
	let public = PublicKeyPackage::from_dkg_commitments(&commitments).map_err(|_| Error::Frost)?;
	GroupPublic::from_frost::<C>(&C::post_dkg_public(public), n, threshold)
}

// ---------------------------------------------------------------------------------------------
// Party side.
// ---------------------------------------------------------------------------------------------

/// Round 1 for participant `me` of a `threshold`-of-`n` DKG: the package to publish.
///
/// Deterministic: the round-1 secrets (polynomial and proof nonce) come from a ChaCha20 stream
/// keyed by `seed`, so later rounds re-derive them instead of storing them. The stream key is
/// bound to `(suite, me, n, threshold)`: reusing a seed with another index would otherwise reuse
/// the proof nonce with another challenge and reveal the secret constant term. `seed` must still
/// be fresh for every DKG attempt ([`crate::PartySecrets::dkg_seed`]).
pub fn dkg_round1(
	suite: Suite,
	me: u16,
	n: u16,
	threshold: u16,
	seed: &[u8; 32],
) -> Result<Vec<u8>, Error> {
	with_suite!(suite, C => encode_round1(&round1::<C>(me, n, threshold, seed)?.1))
}

/// Round 2 for participant `me`: the secret share `f_me(i)` for every other participant `i`, in
/// increasing order of `i`, to be encrypted to its recipient.
///
/// `round1_packages` are the round-1 packages of all `n` participants as the chain recorded
/// them, the caller's own included (it must be the one `seed` yields, else
/// [`Error::SeedMismatch`]). Every other package's proof of knowledge is verified
/// ([`Error::InvalidProofOfKnowledge`] names the sender).
pub fn dkg_round2(
	suite: Suite,
	me: u16,
	n: u16,
	threshold: u16,
	seed: &[u8; 32],
	round1_packages: &[(u16, &[u8])],
) -> Result<Vec<(u16, SecretShare)>, Error> {
	with_suite!(suite, C => dkg_round2_for::<C>(me, n, threshold, seed, round1_packages))
}

fn dkg_round2_for<C: FrostSuite>(
	me: u16,
	n: u16,
	threshold: u16,
	seed: &[u8; 32],
	round1_packages: &[(u16, &[u8])],
) -> Result<Vec<(u16, SecretShare)>, Error> {
	let round2 = round2::<C>(me, n, threshold, seed, round1_packages)?;
	(1..=n)
		.filter(|&i| i != me)
		.map(|i| {
			let package = round2.outgoing.get(&identifier::<C>(i)?).ok_or(Error::Frost)?;
			let share = Zeroizing::new(package.signing_share().serialize());
			Ok((i, Zeroizing::new(array(&share)?)))
		})
		.collect()
}

/// Round 3 for participant `me`: checks the secret shares received from every other
/// participant against their round-1 commitments and derives the participant's [`KeyShare`].
///
/// `round1_packages` and `seed` are the same as for [`dkg_round2`]; `received_shares` are the
/// decrypted shares sent to `me`, one for each other participant. A share that is malformed or
/// does not match its sender's commitment gives [`Error::InvalidSecretShare`] naming the sender.
pub fn dkg_round3(
	suite: Suite,
	me: u16,
	n: u16,
	threshold: u16,
	seed: &[u8; 32],
	round1_packages: &[(u16, &[u8])],
	received_shares: &[(u16, &[u8])],
) -> Result<KeyShare, Error> {
	with_suite!(suite, C => {
		dkg_round3_for::<C>(me, n, threshold, seed, round1_packages, received_shares)
	})
}

fn dkg_round3_for<C: FrostSuite>(
	me: u16,
	n: u16,
	threshold: u16,
	seed: &[u8; 32],
	round1_packages: &[(u16, &[u8])],
	received_shares: &[(u16, &[u8])],
) -> Result<KeyShare, Error> {
	let round2 = round2::<C>(me, n, threshold, seed, round1_packages)?;
	let incoming = by_participant(received_shares, n, Some(me))?
		.into_iter()
		.map(|(i, bytes)| {
			let share = SigningShare::<C>::deserialize(bytes)
				.map_err(|_| Error::InvalidSecretShare { culprit: i })?;
			Ok((identifier::<C>(i)?, round2::Package::new(share)))
		})
		.collect::<Result<BTreeMap<_, _>, Error>>()?;
	let (key_package, _public) = dkg::part3(&round2.secret, &round2.round1_packages, &incoming)
		.map_err(|e| dkg_error(e, n))?;
	KeyShare::from_key_package(me, &key_package)
}

/// The outcome of re-running rounds 1 and 2 from the seed.
struct Round2<C: FrostSuite> {
	secret: round2::SecretPackage<C>,
	outgoing: BTreeMap<Identifier<C>, round2::Package<C>>,
	/// The other participants' round-1 packages.
	round1_packages: BTreeMap<Identifier<C>, round1::Package<C>>,
}

/// Re-derives round 1 (`dkg::part1`) from the seed.
fn round1<C: FrostSuite>(
	me: u16,
	n: u16,
	threshold: u16,
	seed: &[u8; 32],
) -> Result<(round1::SecretPackage<C>, round1::Package<C>), Error> {
	check_threshold(n, threshold)?;
	if me == 0 || me > n {
		return Err(Error::InvalidParameters);
	}
	let rng = ChaCha20Rng::from_seed(*round1_rng_seed(C::SUITE, me, n, threshold, seed));
	dkg::part1(identifier::<C>(me)?, n, threshold, rng).map_err(|_| Error::InvalidParameters)
}

/// Re-derives rounds 1 and 2 (`dkg::part2`) from the seed and the chain's round-1 packages.
fn round2<C: FrostSuite>(
	me: u16,
	n: u16,
	threshold: u16,
	seed: &[u8; 32],
	round1_packages: &[(u16, &[u8])],
) -> Result<Round2<C>, Error> {
	let (secret, own) = round1::<C>(me, n, threshold, seed)?;
	let own_bytes = encode_round1(&own)?;
	let mut others = BTreeMap::new();
	for (i, bytes) in by_participant(round1_packages, n, None)? {
		if i == me {
			if bytes != own_bytes.as_slice() {
				return Err(Error::SeedMismatch);
			}
		} else {
			others.insert(identifier::<C>(i)?, decode_round1::<C>(i, threshold, bytes)?);
		}
	}
	let (secret, outgoing) = dkg::part2(secret, &others).map_err(|e| dkg_error(e, n))?;
	Ok(Round2 { secret, outgoing, round1_packages: others })
}

/// The key of the ChaCha20 stream round 1 draws from:
/// `SHA-256(domain ‖ suite ‖ me ‖ n ‖ t ‖ seed)`, integers little-endian.
pub(crate) fn round1_rng_seed(
	suite: Suite,
	me: u16,
	n: u16,
	threshold: u16,
	seed: &[u8; 32],
) -> Zeroizing<[u8; 32]> {
	let mut hasher = Sha256::new();
	hasher.update(ROUND1_DOMAIN);
	hasher.update(suite.encode());
	hasher.update(me.to_le_bytes());
	hasher.update(n.to_le_bytes());
	hasher.update(threshold.to_le_bytes());
	hasher.update(seed);
	Zeroizing::new(hasher.finalize().into())
}

/// Serializes a round-1 package: the coefficient commitments, then the proof of knowledge in
/// the suite's signature encoding.
fn encode_round1<C: FrostSuite>(package: &round1::Package<C>) -> Result<Vec<u8>, Error> {
	let mut bytes = package.commitment().serialize_whole().map_err(|_| Error::Frost)?;
	bytes.extend(package.proof_of_knowledge().serialize().map_err(|_| Error::Frost)?);
	Ok(bytes)
}

/// Parses participant `sender`'s round-1 package for threshold `threshold`.
fn decode_round1<C: FrostSuite>(
	sender: u16,
	threshold: u16,
	bytes: &[u8],
) -> Result<round1::Package<C>, Error> {
	let invalid = Error::InvalidPackage { participant: sender };
	if bytes.len() != C::SUITE.round1_package_size(threshold) {
		return Err(invalid);
	}
	let split = bytes.len() - PROOF_OF_KNOWLEDGE_SIZE;
	let (commitment, proof) = bytes.split_at_checked(split).ok_or(invalid.clone())?;
	let commitment = VerifiableSecretSharingCommitment::<C>::deserialize(
		commitment.chunks_exact(C::SUITE.element_size()),
	)
	.map_err(|_| invalid.clone())?;
	let proof = Signature::<C>::deserialize(proof).map_err(|_| invalid)?;
	Ok(round1::Package::new(commitment, proof))
}

/// Maps the frost errors of `part2`/`part3` to ours, translating culprits to indices.
fn dkg_error<C: FrostSuite>(error: frost_core::Error<C>, n: u16) -> Error {
	match error {
		frost_core::Error::InvalidProofOfKnowledge { culprit } => participant_of(&culprit, n)
			.map_or(Error::Frost, |participant| Error::InvalidProofOfKnowledge { participant }),
		frost_core::Error::InvalidSecretShare { culprit: Some(culprit) } => {
			participant_of(&culprit, n)
				.map_or(Error::Frost, |culprit| Error::InvalidSecretShare { culprit })
		}
		_ => Error::Frost,
	}
}
