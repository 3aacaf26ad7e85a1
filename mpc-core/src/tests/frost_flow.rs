//! Cross-checks against the frost crates' own flow: `keys::dkg::part1/2/3` fed the same
//! randomness give byte-identical packages, shares, key packages and public key package, and
//! frost's `round2::sign` and `aggregate` give the same shares and signature.

use alloc::{collections::BTreeMap, vec::Vec};

use frost_core::{
	keys::{dkg, KeyPackage, PublicKeyPackage},
	round1::SigningCommitments,
	round2::SignatureShare,
	SigningPackage,
};

use super::*;
use crate::dkg::round1_rng_seed;

/// frost's own DKG with the seeds of `dkg`'s parties: compared with the crate's at every step.
fn frost_dkg<C: FrostSuite>(ours: &Dkg) -> (BTreeMap<u16, KeyPackage<C>>, PublicKeyPackage<C>) {
	let (n, t) = (ours.n, ours.t);
	let mut secrets = BTreeMap::new();
	let mut packages = BTreeMap::new();
	for i in 1..=n {
		let rng = ChaCha20Rng::from_seed(*round1_rng_seed(C::SUITE, i, n, t, &ours.seed(i)));
		let (secret, package) = dkg::part1::<C, _>(id(i), n, t, rng).unwrap();
		let mut bytes = package.commitment().serialize_whole().unwrap();
		bytes.extend(package.proof_of_knowledge().serialize().unwrap());
		assert_eq!(bytes, ours.round1[usize::from(i) - 1].1, "round-1 package of {i}");
		secrets.insert(i, secret);
		packages.insert(id::<C>(i), package);
	}
	let others = |i: u16| {
		let mut map = packages.clone();
		map.remove(&id::<C>(i));
		map
	};

	let mut round2_secrets = BTreeMap::new();
	let mut sent = BTreeMap::new();
	for (i, secret) in secrets {
		let (round2_secret, outgoing) = dkg::part2(secret, &others(i)).unwrap();
		let our_shares = dkg_round2(C::SUITE, i, n, t, &ours.seed(i), &refs(&ours.round1)).unwrap();
		assert_eq!(outgoing.len(), our_shares.len());
		for (to, share) in our_shares {
			let theirs = &outgoing[&id::<C>(to)];
			assert_eq!(theirs.signing_share().serialize(), share.to_vec(), "share {i} -> {to}");
			sent.insert((i, to), theirs.clone());
		}
		round2_secrets.insert(i, round2_secret);
	}

	let mut key_packages = BTreeMap::new();
	let mut public = None;
	for (i, round2_secret) in &round2_secrets {
		let received: BTreeMap<_, _> = sent
			.iter()
			.filter(|((_, to), _)| to == i)
			.map(|((from, _), package)| (id::<C>(*from), package.clone()))
			.collect();
		let (key_package, public_package) =
			dkg::part3(round2_secret, &others(*i), &received).unwrap();
		assert!(key_package == ours.key_share(*i).key_package::<C>().unwrap(), "key package {i}");
		key_packages.insert(*i, key_package);
		public = Some(public_package);
	}
	let public = public.unwrap();

	// The chain's output is part3's public key package.
	assert_eq!(public.verifying_key().serialize().unwrap(), ours.public.verifying_key());
	assert_eq!(public.min_signers(), Some(t));
	for i in 1..=n {
		assert_eq!(
			public.verifying_shares()[&id::<C>(i)].serialize().unwrap(),
			ours.public.verifying_share(i).unwrap()
		);
	}
	(key_packages, public)
}

fn check_against_frost<C: FrostSuite>(n: u16, t: u16) {
	let ours = run_dkg(C::SUITE, n, t, 500 + u64::from(n));
	let (key_packages, public) = frost_dkg::<C>(&ours);

	// frost's reconstruction of the group secret from t key packages.
	let some: Vec<_> = key_packages.values().take(usize::from(t)).cloned().collect();
	let secret = frost_core::keys::reconstruct(&some).unwrap();
	assert_eq!(
		frost_core::VerifyingKey::from(&secret).serialize().unwrap(),
		ours.public.verifying_key()
	);

	for (k, signers) in subsets(n, t).into_iter().take(3).enumerate() {
		let message = message(C::SUITE, 50 + k as u64);
		let signing = run_signing(&ours, &signers, &message, 60 + k as u64);

		// frost's signing package and shares, from the same nonces.
		let commitments: BTreeMap<_, _> = signing
			.commitments
			.iter()
			.map(|(i, bytes)| {
				let element = C::SUITE.element_size();
				let commitment = SigningCommitments::<C>::new(
					frost_core::round1::NonceCommitment::deserialize(&bytes[..element]).unwrap(),
					frost_core::round1::NonceCommitment::deserialize(&bytes[element..]).unwrap(),
				);
				(id::<C>(*i), commitment)
			})
			.collect();
		let signing_package = SigningPackage::new(commitments, &message);
		let mut frost_shares = BTreeMap::new();
		for (i, nonces) in &signing.nonces {
			let nonces = frost_core::round1::SigningNonces::from_nonces(
				frost_core::round1::Nonce::deserialize(&nonces.to_bytes()[1..33]).unwrap(),
				frost_core::round1::Nonce::deserialize(&nonces.to_bytes()[33..65]).unwrap(),
			);
			let share =
				frost_core::round2::sign(&signing_package, &nonces, &key_packages[i]).unwrap();
			let ours_share = &signing.shares.iter().find(|(j, _)| j == i).unwrap().1;
			assert_eq!(share.serialize(), ours_share.to_vec(), "share of {i}");
			frost_core::verify_signature_share(
				id(*i),
				&public.verifying_shares()[&id::<C>(*i)],
				&share,
				&signing_package,
				public.verifying_key(),
			)
			.unwrap();
			frost_shares.insert(id::<C>(*i), share);
		}

		let theirs = frost_core::aggregate(&signing_package, &frost_shares, &public).unwrap();
		let ours_signature =
			aggregate(&ours.public, &message, &refs(&signing.commitments), &refs(&signing.shares))
				.unwrap();
		assert_eq!(theirs.serialize().unwrap(), ours_signature.to_vec());
		public.verifying_key().verify(&message, &theirs).unwrap();

		// A tampered share: frost's cheater detection and ours agree.
		let cheater = signers[k % signers.len()];
		let mut tampered = frost_shares.clone();
		let bumped = bump_scalar::<C>(&tampered[&id::<C>(cheater)].serialize());
		tampered.insert(id::<C>(cheater), SignatureShare::deserialize(&bumped).unwrap());
		match frost_core::aggregate(&signing_package, &tampered, &public) {
			Err(frost_core::Error::InvalidSignatureShare { culprits }) => {
				assert_eq!(culprits, vec![id::<C>(cheater)])
			}
			other => panic!("frost accepted a tampered share: {other:?}"),
		}
		let tampered_ours: Vec<(u16, Vec<u8>)> =
			tampered.iter().map(|(i, share)| (participant(i, n), share.serialize())).collect();
		assert_eq!(
			blame(&ours.public, &message, &refs(&signing.commitments), &refs(&tampered_ours)),
			Ok(vec![cheater])
		);
	}
}

fn participant<C: Ciphersuite>(identifier: &Identifier<C>, n: u16) -> u16 {
	(1..=n).find(|&i| id::<C>(i) == *identifier).unwrap()
}

#[test]
fn matches_frost_ed25519_2_of_3_and_3_of_5() {
	check_against_frost::<Ed25519Sha512>(3, 2);
	check_against_frost::<Ed25519Sha512>(5, 3);
}

#[test]
fn matches_frost_secp256k1_tr_2_of_3_and_3_of_5() {
	check_against_frost::<Secp256K1Sha256TR>(3, 2);
	check_against_frost::<Secp256K1Sha256TR>(5, 3);
}
