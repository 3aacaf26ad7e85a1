//! Signing: FROST's two rounds, with the chain as coordinator and aggregator.
//!
//! 1. Ahead of time, every participant publishes signing commitments ([`commit`]) and keeps the
//!    matching [`SigningNonces`] (encrypted at rest). The chain checks each commitment on
//!    arrival ([`validate_commitment`]).
//! 2. For a request, the chain picks `t` (or more) signers and one unused commitment of each;
//!    each signer computes its signature share ([`sign`]) and deletes the nonces.
//! 3. The chain sums the shares into the final signature ([`aggregate`]) and verifies it with a
//!    host function. Only if that fails does it look for the signers whose shares are invalid
//!    ([`blame`]), which costs a few scalar multiplications per signer.
//!
//! The chain functions use only public data, no randomness, and return errors rather than
//! panic on any input.

use alloc::{
	collections::{BTreeMap, BTreeSet},
	vec::Vec,
};

use codec::{Decode, DecodeAll, Encode};
use frost_core::{
	compute_binding_factor_list, compute_group_commitment,
	keys::{PublicKeyPackage, VerifyingShare},
	random_nonzero,
	round1::{self, Nonce, NonceCommitment, SigningCommitments},
	round2::{self, SignatureShare},
	serialization::SerializableScalar,
	verify_signature_share_precomputed, BindingFactorList, Challenge, Ciphersuite, Field, Group,
	GroupCommitment, Identifier, Signature, SigningPackage,
};
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::{
	ciphersuite::{array, identifier, with_suite, FrostSuite},
	Error, GroupPublic, KeyShare, Suite, SCALAR_SIZE, SIGNATURE_SIZE,
};

/// A participant's secret nonces for one signature: the hiding and binding nonces behind one
/// published commitment.
///
/// **Use once.** Signing two different messages (or signer sets) with the same nonces reveals
/// the signing share: delete them as soon as a share has been computed with them.
///
/// Nonces are not tied to a key: one pool of commitments per keyring serves all the keyring's
/// keys of the same suite. SCALE-encodable for encrypted storage ([`crate::seal_at_rest`]);
/// wiped on drop; never printed.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Zeroize, ZeroizeOnDrop)]
pub struct SigningNonces {
	#[zeroize(skip)]
	suite: Suite,
	hiding: [u8; SCALAR_SIZE],
	binding: [u8; SCALAR_SIZE],
}

impl SigningNonces {
	/// The suite of the nonces.
	pub fn suite(&self) -> Suite {
		self.suite
	}

	/// The commitment these nonces answer to (as [`commit`] returned it), to find the nonces
	/// for a commitment the chain picked.
	pub fn commitment(&self) -> Result<Vec<u8>, Error> {
		with_suite!(self.suite, C => encode_commitments(self.frost::<C>()?.commitments()))
	}

	/// The SCALE encoding, in a buffer wiped on drop.
	pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
		Zeroizing::new(self.encode())
	}

	/// Decodes and validates the output of [`SigningNonces::to_bytes`] (no trailing bytes).
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
		let nonces = Self::decode_all(&mut &bytes[..]).map_err(|_| Error::InvalidEncoding)?;
		nonces.commitment()?;
		Ok(nonces)
	}

	/// The frost nonces, for suite `C` (which must be the nonces' suite).
	fn frost<C: FrostSuite>(&self) -> Result<round1::SigningNonces<C>, Error> {
		if self.suite != C::SUITE {
			return Err(Error::InvalidParameters);
		}
		// A zero nonce would commit to the identity (and sign with the bare key).
		let decode = |bytes: &[u8]| match Nonce::<C>::deserialize(bytes) {
			Ok(nonce) if nonce.to_scalar() != <<C::Group as Group>::Field as Field>::zero() => {
				Ok(nonce)
			}
			_ => Err(Error::InvalidEncoding),
		};
		Ok(round1::SigningNonces::from_nonces(decode(&self.hiding)?, decode(&self.binding)?))
	}
}

impl core::fmt::Debug for SigningNonces {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("SigningNonces").field("suite", &self.suite).finish_non_exhaustive()
	}
}

/// Signing round 1 (party side): fresh nonces and the commitment to publish
/// (hiding ‖ binding nonce commitment, [`Suite::commitment_size`] bytes).
///
/// frost's `round1::commit` draws each nonce as `H3(random_bytes ‖ signing_share)` (RFC 9591
/// `nonce_generate`): the signing share hedges against a weak RNG. Our nonces are generated
/// before it is known which key they will sign for, so there is no share to hedge with; they
/// are drawn uniformly from `rng` instead (`random_nonzero`). The hedge moves to the caller:
/// pass [`crate::PartySecrets::nonce_rng`], which keys the stream with a party secret as well as
/// the host's entropy.
pub fn commit<R: RngCore + CryptoRng>(
	suite: Suite,
	rng: &mut R,
) -> Result<(SigningNonces, Vec<u8>), Error> {
	with_suite!(suite, C => commit_for::<C, R>(rng))
}

fn commit_for<C: FrostSuite, R: RngCore + CryptoRng>(
	rng: &mut R,
) -> Result<(SigningNonces, Vec<u8>), Error> {
	let hiding = Nonce::<C>::from_scalar(random_nonzero::<C, R>(rng));
	let binding = Nonce::<C>::from_scalar(random_nonzero::<C, R>(rng));
	let nonces = SigningNonces {
		suite: C::SUITE,
		hiding: array(&Zeroizing::new(hiding.serialize()))?,
		binding: array(&Zeroizing::new(binding.serialize()))?,
	};
	let commitment =
		encode_commitments(round1::SigningNonces::from_nonces(hiding, binding).commitments())?;
	Ok((nonces, commitment))
}

/// Signing round 2 (party side): the signature share `z_i` of `key`'s participant.
///
/// `commitments` are the commitments of all chosen signers (at least `t`, the caller's own
/// included and equal to `nonces.commitment()`), as the chain published them. For Taproot the
/// message is the 32-byte BIP-341 sighash; for Ed25519 the full message. The same
/// `(message, commitments)` must be passed to [`aggregate`].
///
/// The caller must delete `nonces` afterwards, whatever the outcome.
pub fn sign(
	key: &KeyShare,
	nonces: &SigningNonces,
	message: &[u8],
	commitments: &[(u16, &[u8])],
) -> Result<[u8; SCALAR_SIZE], Error> {
	with_suite!(key.suite(), C => sign_for::<C>(key, nonces, message, commitments))
}

fn sign_for<C: FrostSuite>(
	key: &KeyShare,
	nonces: &SigningNonces,
	message: &[u8],
	commitments: &[(u16, &[u8])],
) -> Result<[u8; SCALAR_SIZE], Error> {
	let key_package = key.key_package::<C>()?;
	let nonces = nonces.frost::<C>()?;
	let (signing_package, _signers) = signing_package::<C>(message, commitments)?;
	let share = round2::sign(&signing_package, &nonces, &key_package).map_err(|e| match e {
		frost_core::Error::IncorrectNumberOfCommitments => Error::InvalidParameters,
		frost_core::Error::MissingCommitment => {
			Error::MissingParticipant { participant: key.participant() }
		}
		frost_core::Error::IncorrectCommitment => Error::CommitmentMismatch,
		_ => Error::Frost,
	})?;
	array(&share.serialize())
}

/// Checks a published signing commitment (chain side): [`Suite::commitment_size`] bytes, two
/// valid points, neither the identity.
pub fn validate_commitment(suite: Suite, commitment: &[u8]) -> Result<(), Error> {
	with_suite!(suite, C => decode_commitments::<C>(commitment).map(drop))
}

/// Checks a published signature share (chain side): a canonical scalar of
/// [`Suite::signature_share_size`] bytes. Whether it is *correct* is only known from
/// [`aggregate`]'s result, or [`blame`].
pub fn validate_signature_share(suite: Suite, share: &[u8]) -> Result<(), Error> {
	with_suite!(suite, C => decode_share::<C>(share).map(drop))
}

/// Aggregates the signers' shares into the final signature (chain side), in the chain's
/// 64-byte form: Ed25519 `R ‖ s` (RFC 8032); Taproot `R.x ‖ s` (BIP-340).
///
/// `message` and `commitments` must be those the signers signed (see [`sign`]); `shares` holds
/// one share for each of these signers. Computes what `frost::aggregate` computes (binding
/// factors, group commitment `R`, `z = Σ z_i`) but does not verify the result: the chain does
/// that with a host function, and calls [`blame`] only if it fails. Malformed shares give
/// [`Error::InvalidSignatureShares`].
pub fn aggregate(
	public: &GroupPublic,
	message: &[u8],
	commitments: &[(u16, &[u8])],
	shares: &[(u16, &[u8])],
) -> Result<[u8; SIGNATURE_SIZE], Error> {
	with_suite!(public.suite(), C => aggregate_for::<C>(public, message, commitments, shares))
}

fn aggregate_for<C: FrostSuite>(
	public: &GroupPublic,
	message: &[u8],
	commitments: &[(u16, &[u8])],
	shares: &[(u16, &[u8])],
) -> Result<[u8; SIGNATURE_SIZE], Error> {
	let (signing_package, signers) = signing_package::<C>(message, commitments)?;
	let shares = match_shares(public, &signers, shares)?;
	let mut z = <<C::Group as Group>::Field as Field>::zero();
	let mut decoded = BTreeMap::new();
	let mut culprits = Vec::new();
	for (participant, bytes) in shares {
		match decode_share::<C>(bytes) {
			Ok((share, scalar)) => {
				z = z + scalar;
				decoded.insert(identifier::<C>(participant)?, share);
			}
			Err(_) => culprits.push(participant),
		}
	}
	if !culprits.is_empty() {
		return Err(Error::InvalidSignatureShares { culprits });
	}
	let aggregation = Aggregation::new(public, &signing_package, &decoded, BTreeMap::new())?;
	let signature = Signature::<C>::new(aggregation.group_commitment.to_element(), z);
	array(&signature.serialize().map_err(|_| Error::Frost)?)
}

/// The signers whose shares are invalid (chain side), in increasing order: malformed, or
/// failing frost's signature-share verification (`verify_signature_share`) against their
/// verifying share. Same inputs as [`aggregate`].
///
/// For the chain's cheater-detection path, when the aggregated signature does not verify;
/// costs about three scalar multiplications per signer. An empty result with a failing
/// signature means the inputs differ from those the signers used.
pub fn blame(
	public: &GroupPublic,
	message: &[u8],
	commitments: &[(u16, &[u8])],
	shares: &[(u16, &[u8])],
) -> Result<Vec<u16>, Error> {
	with_suite!(public.suite(), C => blame_for::<C>(public, message, commitments, shares))
}

fn blame_for<C: FrostSuite>(
	public: &GroupPublic,
	message: &[u8],
	commitments: &[(u16, &[u8])],
	shares: &[(u16, &[u8])],
) -> Result<Vec<u16>, Error> {
	let (signing_package, signers) = signing_package::<C>(message, commitments)?;
	let shares = match_shares(public, &signers, shares)?;
	let mut culprits = Vec::new();
	let mut decoded = BTreeMap::new();
	let mut verifying_shares = BTreeMap::new();
	for (participant, bytes) in shares {
		let id = identifier::<C>(participant)?;
		verifying_shares.insert(id, public.frost_verifying_share::<C>(participant)?);
		match decode_share::<C>(bytes) {
			Ok((share, _)) => {
				decoded.insert(id, share);
			}
			Err(_) => culprits.push(participant),
		}
	}
	let aggregation = Aggregation::new(public, &signing_package, &decoded, verifying_shares)?;
	for (participant, id) in signers {
		if let Some(share) = decoded.get(&id) {
			if !aggregation.verify_share(id, share)? {
				culprits.push(participant);
			}
		}
	}
	culprits.sort_unstable();
	Ok(culprits)
}

/// The coordinator's view of one signing operation, as `frost::aggregate` computes it.
struct Aggregation<C: FrostSuite> {
	/// After the ciphersuite's pre-processing hooks.
	signing_package: SigningPackage<C>,
	binding_factors: BindingFactorList<C>,
	group_commitment: GroupCommitment<C>,
	challenge: Challenge<C>,
	/// After the ciphersuite's `pre_aggregate` (for Taproot: made even-Y).
	public: PublicKeyPackage<C>,
}

impl<C: FrostSuite> Aggregation<C> {
	/// Runs the steps of `frost::aggregate` before the sum of the shares, with the same
	/// ciphersuite hooks, from the group key and the given verifying shares.
	fn new(
		public: &GroupPublic,
		signing_package: &SigningPackage<C>,
		shares: &BTreeMap<Identifier<C>, SignatureShare<C>>,
		verifying_shares: BTreeMap<Identifier<C>, VerifyingShare<C>>,
	) -> Result<Self, Error> {
		let frost_error = |_| Error::Frost;
		let package = PublicKeyPackage::new(
			verifying_shares,
			public.frost_verifying_key::<C>()?,
			Some(public.threshold()),
		);
		let (signing_package, _shares, package) =
			C::pre_aggregate(signing_package, shares, &package).map_err(frost_error)?;
		let binding_factors =
			compute_binding_factor_list(&signing_package, package.verifying_key(), &[])
				.map_err(frost_error)?;
		let signing_package = C::pre_commitment_aggregate(&signing_package, &binding_factors)
			.map_err(frost_error)?
			.into_owned();
		let group_commitment =
			compute_group_commitment(&signing_package, &binding_factors).map_err(frost_error)?;
		let challenge = C::challenge(
			&group_commitment.clone().to_element(),
			package.verifying_key(),
			signing_package.message(),
		)
		.map_err(frost_error)?;
		Ok(Aggregation {
			signing_package,
			binding_factors,
			group_commitment,
			challenge,
			public: package.into_owned(),
		})
	}

	/// frost's check of one signature share (`verify_signature_share`, with the values
	/// computed once for all signers).
	fn verify_share(&self, id: Identifier<C>, share: &SignatureShare<C>) -> Result<bool, Error> {
		let verifying_share = self.public.verifying_shares().get(&id).ok_or(Error::Frost)?;
		match verify_signature_share_precomputed(
			id,
			&self.signing_package,
			&self.binding_factors,
			&self.group_commitment,
			share,
			verifying_share,
			self.challenge,
		) {
			Ok(()) => Ok(true),
			Err(frost_core::Error::InvalidSignatureShare { .. }) => Ok(false),
			Err(_) => Err(Error::Frost),
		}
	}
}

/// The chosen signers: index and frost identifier.
type Signers<C> = BTreeMap<u16, Identifier<C>>;

/// Builds the signing package from the chosen signers' commitments; also returns the signers'
/// indices and identifiers.
fn signing_package<C: FrostSuite>(
	message: &[u8],
	commitments: &[(u16, &[u8])],
) -> Result<(SigningPackage<C>, Signers<C>), Error> {
	let mut signers = BTreeMap::new();
	let mut signing_commitments = BTreeMap::new();
	for &(participant, bytes) in commitments {
		let id = identifier::<C>(participant)?;
		let commitment =
			decode_commitments::<C>(bytes).map_err(|_| Error::InvalidCommitment { participant })?;
		if signers.insert(participant, id).is_some() {
			return Err(Error::InvalidParameters);
		}
		signing_commitments.insert(id, commitment);
	}
	Ok((SigningPackage::new(signing_commitments, message), signers))
}

/// Checks the signer set against the group (at least `t` signers, all in `1..=n`) and pairs
/// each signer with its share: a share from a non-signer or a repeated one is
/// [`Error::InvalidParameters`], a missing one [`Error::MissingParticipant`].
fn match_shares<'a, C: Ciphersuite>(
	public: &GroupPublic,
	signers: &Signers<C>,
	shares: &[(u16, &'a [u8])],
) -> Result<Vec<(u16, &'a [u8])>, Error> {
	let n = public.participants();
	if signers.len() < usize::from(public.threshold()) || signers.keys().any(|&i| i > n) {
		return Err(Error::InvalidParameters);
	}
	let mut by_signer = BTreeMap::new();
	for &(participant, bytes) in shares {
		if !signers.contains_key(&participant) || by_signer.insert(participant, bytes).is_some() {
			return Err(Error::InvalidParameters);
		}
	}
	let missing: BTreeSet<_> = signers.keys().filter(|i| !by_signer.contains_key(i)).collect();
	if let Some(&&participant) = missing.first() {
		return Err(Error::MissingParticipant { participant });
	}
	Ok(by_signer.into_iter().collect())
}

/// Parses a signing commitment: hiding then binding nonce commitment.
fn decode_commitments<C: FrostSuite>(bytes: &[u8]) -> Result<SigningCommitments<C>, Error> {
	let element = C::SUITE.element_size();
	if bytes.len() != 2 * element {
		return Err(Error::InvalidEncoding);
	}
	let (hiding, binding) = bytes.split_at_checked(element).ok_or(Error::InvalidEncoding)?;
	let decode =
		|bytes: &[u8]| NonceCommitment::deserialize(bytes).map_err(|_| Error::InvalidEncoding);
	Ok(SigningCommitments::new(decode(hiding)?, decode(binding)?))
}

/// Serializes a signing commitment.
fn encode_commitments<C: FrostSuite>(
	commitments: &SigningCommitments<C>,
) -> Result<Vec<u8>, Error> {
	let mut bytes = commitments.hiding().serialize().map_err(|_| Error::Frost)?;
	bytes.extend(commitments.binding().serialize().map_err(|_| Error::Frost)?);
	Ok(bytes)
}

/// Parses a signature share, also as a bare scalar (frost keeps its scalar crate-private).
fn decode_share<C: FrostSuite>(
	bytes: &[u8],
) -> Result<(SignatureShare<C>, frost_core::Scalar<C>), Error> {
	let share = SignatureShare::deserialize(bytes).map_err(|_| Error::InvalidEncoding)?;
	let scalar = SerializableScalar::<C>::deserialize(bytes).map_err(|_| Error::InvalidEncoding)?;
	Ok((share, scalar.0))
}
