//! Tests: full protocol runs through the public API for both suites, cross-checked against the
//! frost crates' own flow and independent signature verifiers, plus negative and robustness
//! tests.

mod dkg;
mod encryption;
mod frost_flow;
mod robustness;
mod signing;

use alloc::{collections::BTreeMap, vec::Vec};

use frost_core::{Ciphersuite, Field, Group, Identifier};
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

use crate::*;

/// Both suites, for tests that run over each.
const SUITES: [Suite; 2] = [Suite::Ed25519, Suite::Secp256k1Taproot];

/// A deterministic test RNG.
fn rng(seed: u64) -> ChaCha20Rng {
	ChaCha20Rng::seed_from_u64(seed)
}

/// One party of a test keyring.
struct Party {
	index: u16,
	secrets: PartySecrets,
	x25519_public: [u8; 32],
}

impl Party {
	fn new(index: u16) -> Self {
		// Stands in for the keystore's Ed25519 signature over the fixed message.
		let mut signature = [0u8; 64];
		rng(0x5eed_0000 + u64::from(index)).fill_bytes(&mut signature);
		let secrets = PartySecrets::derive(&signature);
		let x25519_public = x25519_public(&secrets.x25519_secret().unwrap());
		Party { index, secrets, x25519_public }
	}
}

/// The HPKE `info` of the share from `from` to `to` in a test DKG.
fn share_info(session: u64, from: u16, to: u16) -> Vec<u8> {
	let mut info = b"zenrock-test/dkg-share".to_vec();
	info.extend(session.to_le_bytes());
	info.extend(from.to_le_bytes());
	info.extend(to.to_le_bytes());
	info
}

/// Borrowed `(participant, bytes)` list from owned data.
fn refs<T: AsRef<[u8]>>(entries: &[(u16, T)]) -> Vec<(u16, &[u8])> {
	entries.iter().map(|(i, bytes)| (*i, bytes.as_ref())).collect()
}

/// A completed DKG run through the crate's public API.
struct Dkg {
	suite: Suite,
	n: u16,
	t: u16,
	session: u64,
	parties: Vec<Party>,
	round1: Vec<(u16, Vec<u8>)>,
	/// Sealed share from `from` to `to`.
	sealed: BTreeMap<(u16, u16), Vec<u8>>,
	key_shares: Vec<KeyShare>,
	public: GroupPublic,
}

impl Dkg {
	fn seed(&self, party: u16) -> [u8; 32] {
		*self.party(party).secrets.dkg_seed(self.session, 0).unwrap()
	}

	fn party(&self, index: u16) -> &Party {
		&self.parties[usize::from(index) - 1]
	}

	fn key_share(&self, index: u16) -> &KeyShare {
		&self.key_shares[usize::from(index) - 1]
	}

	/// The shares `to` receives, decrypted.
	fn received(&self, to: u16) -> Vec<(u16, Zeroizing<Vec<u8>>)> {
		let party = self.party(to);
		(1..=self.n)
			.filter(|&from| from != to)
			.map(|from| {
				let opened = open_share(
					&party.secrets.x25519_secret().unwrap(),
					&share_info(self.session, from, to),
					b"",
					&self.sealed[&(from, to)],
				)
				.expect("shares open for their recipient");
				(from, opened)
			})
			.collect()
	}
}

/// Runs a full `t`-of-`n` DKG: round 1, the chain's check of every package, round 2, HPKE
/// sealing and opening of every share, round 3, and the chain's public output.
fn run_dkg(suite: Suite, n: u16, t: u16, session: u64) -> Dkg {
	let parties: Vec<Party> = (1..=n).map(Party::new).collect();
	let seed = |p: &Party| *p.secrets.dkg_seed(session, 0).unwrap();

	let round1: Vec<(u16, Vec<u8>)> = parties
		.iter()
		.map(|p| (p.index, dkg_round1(suite, p.index, n, t, &seed(p)).expect("round 1")))
		.collect();
	for (sender, package) in &round1 {
		assert_eq!(package.len(), suite.round1_package_size(t));
		verify_round1_package(suite, *sender, t, package).expect("valid round-1 package");
	}
	let packages = refs(&round1);

	let mut sealed = BTreeMap::new();
	for p in &parties {
		let shares = dkg_round2(suite, p.index, n, t, &seed(p), &packages).expect("round 2");
		assert_eq!(shares.len(), usize::from(n) - 1);
		for (to, share) in shares {
			let recipient = &parties[usize::from(to) - 1];
			let ciphertext = seal_share(
				&recipient.x25519_public,
				&share_info(session, p.index, to),
				b"",
				share.as_ref(),
				&p.secrets.seal_seed(session, 0, to).unwrap(),
			)
			.expect("seal");
			assert_eq!(ciphertext.len(), SEALED_SHARE_SIZE);
			sealed.insert((p.index, to), ciphertext);
		}
	}

	let public = dkg_public_output(suite, t, &packages).expect("public output");
	let mut dkg = Dkg {
		suite,
		n,
		t,
		session,
		parties,
		round1: round1.clone(),
		sealed,
		key_shares: Vec::new(),
		public,
	};
	for p in 1..=n {
		let received = dkg.received(p);
		let key_share = dkg_round3(suite, p, n, t, &dkg.seed(p), &refs(&round1), &refs(&received))
			.expect("round 3");
		dkg.key_shares.push(key_share);
	}
	dkg
}

/// One signing run: the commitments and shares of `signers` over `message`.
struct Signing {
	commitments: Vec<(u16, Vec<u8>)>,
	shares: Vec<(u16, [u8; 32])>,
	nonces: Vec<(u16, SigningNonces)>,
}

fn run_signing(dkg: &Dkg, signers: &[u16], message: &[u8], rng_seed: u64) -> Signing {
	let mut nonces = Vec::new();
	let mut commitments = Vec::new();
	for &i in signers {
		let entropy = {
			let mut bytes = [0u8; 32];
			rng(rng_seed + u64::from(i)).fill_bytes(&mut bytes);
			bytes
		};
		let (n, c) =
			commit(dkg.suite, &mut dkg.party(i).secrets.nonce_rng(&entropy).unwrap()).unwrap();
		assert_eq!(c.len(), dkg.suite.commitment_size());
		validate_commitment(dkg.suite, &c).expect("valid commitment");
		nonces.push((i, n));
		commitments.push((i, c));
	}
	let shares = nonces
		.iter()
		.map(|(i, n)| {
			let share = sign(dkg.key_share(*i), n, message, &refs(&commitments)).expect("sign");
			validate_signature_share(dkg.suite, &share).expect("valid share");
			(*i, share)
		})
		.collect();
	Signing { commitments, shares, nonces }
}

/// Verifies a 64-byte signature for the chain-form group key with verifiers independent of
/// frost: ed25519-dalek `verify_strict`; k256 and libsecp256k1 BIP-340.
fn verify_independently(
	suite: Suite,
	group_key: &[u8; 32],
	message: &[u8],
	signature: &[u8; 64],
) -> bool {
	match suite {
		Suite::Ed25519 => {
			let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(group_key) else {
				return false;
			};
			key.verify_strict(message, &ed25519_dalek::Signature::from_bytes(signature)).is_ok()
		}
		Suite::Secp256k1Taproot => {
			let k256_ok = match (
				k256::schnorr::VerifyingKey::from_bytes(group_key),
				k256::schnorr::Signature::try_from(&signature[..]),
			) {
				(Ok(key), Ok(sig)) => key.verify_raw(message, &sig).is_ok(),
				_ => false,
			};
			let secp = secp256k1::Secp256k1::verification_only();
			let libsecp_ok = match secp256k1::XOnlyPublicKey::from_byte_array(group_key) {
				Ok(key) => secp
					.verify_schnorr(
						&secp256k1::schnorr::Signature::from_byte_array(*signature),
						message,
						&key,
					)
					.is_ok(),
				Err(_) => false,
			};
			assert_eq!(k256_ok, libsecp_ok, "k256 and libsecp256k1 disagree");
			k256_ok
		}
	}
}

/// A message of the right shape for the suite: a 32-byte sighash for Taproot, a longer
/// transaction-like message for Ed25519.
fn message(suite: Suite, seed: u64) -> Vec<u8> {
	let len = match suite {
		Suite::Ed25519 => 150,
		Suite::Secp256k1Taproot => 32,
	};
	let mut message = alloc::vec![0u8; len];
	rng(seed).fill_bytes(&mut message);
	message
}

/// The scalar `z + 1` in frost's encoding: a still well-formed but wrong share (or proof).
fn bump_scalar<C: Ciphersuite>(bytes: &[u8]) -> Vec<u8> {
	let scalar =
		frost_core::serialization::SerializableScalar::<C>::deserialize(bytes).expect("a scalar").0;
	let one = <<C::Group as Group>::Field as Field>::one();
	<<C::Group as Group>::Field as Field>::serialize(&(scalar + one)).as_ref().to_vec()
}

/// [`bump_scalar`] for a runtime suite.
fn bump(suite: Suite, bytes: &[u8]) -> Vec<u8> {
	match suite {
		Suite::Ed25519 => bump_scalar::<Ed25519Sha512>(bytes),
		Suite::Secp256k1Taproot => bump_scalar::<Secp256K1Sha256TR>(bytes),
	}
}

/// All subsets of `1..=n` of size `k`.
fn subsets(n: u16, k: u16) -> Vec<Vec<u16>> {
	(0u32..(1 << n))
		.filter(|mask| mask.count_ones() == u32::from(k))
		.map(|mask| (1..=n).filter(|i| mask & (1 << (i - 1)) != 0).collect())
		.collect()
}

/// The frost identifier of a participant, for tests.
fn id<C: Ciphersuite>(i: u16) -> Identifier<C> {
	Identifier::try_from(i).unwrap()
}
