//! DKG through the public API.

use alloc::{collections::BTreeSet, vec, vec::Vec};

use codec::{Decode, Encode};
use frost_core::{compute_lagrange_coefficient, Group, VerifyingKey};
use sha2::{Digest, Sha256};

use super::*;

/// The checks every completed DKG must pass, for suite `C`.
fn check_dkg<C: FrostSuite>(dkg: &Dkg) {
	let public = &dkg.public;
	assert_eq!(public.suite(), dkg.suite);
	assert_eq!((public.participants(), public.threshold()), (dkg.n, dkg.t));
	assert_eq!(public.encode().len(), GroupPublic::encoded_size(dkg.suite, dkg.n));
	assert!(public.encode().len() <= GroupPublic::max_encoded_size(dkg.n));
	assert_eq!(GroupPublic::decode(&mut &public.encode()[..]).unwrap(), *public);

	let verifying_key = VerifyingKey::<C>::deserialize(public.verifying_key()).unwrap();
	for share in &dkg.key_shares {
		// Every party ends with the chain's group key and its own verifying share.
		assert_eq!(share.group_key(), public.group_key());
		assert_eq!(share.verifying_key(), public.verifying_key());
		assert_eq!(Some(share.verifying_share()), public.verifying_share(share.participant()));
		assert_eq!(share.threshold(), dkg.t);
		// No single share is the group secret.
		let s_i = share.key_package::<C>().unwrap().signing_share().to_scalar();
		assert!(<C::Group as Group>::generator() * s_i != verifying_key.to_element());
	}
	assert_eq!(public.verifying_share(0), None);
	assert_eq!(public.verifying_share(dkg.n + 1), None);

	// Any t shares interpolate to the group secret (for Taproot: the tweaked secret, whose
	// point is the output key Q itself, whatever the parity of Q's Y).
	let mut checked = 0;
	for signers in subsets(dkg.n, dkg.t) {
		let ids: BTreeSet<_> = signers.iter().map(|&i| id::<C>(i)).collect();
		let mut secret = <<C::Group as Group>::Field as Field>::zero();
		for &i in &signers {
			let lambda = compute_lagrange_coefficient(&ids, None, id::<C>(i)).unwrap();
			let s_i = dkg.key_share(i).key_package::<C>().unwrap().signing_share().to_scalar();
			secret = secret + lambda * s_i;
		}
		let point = <C::Group as Group>::generator() * secret;
		assert!(point == verifying_key.to_element(), "subset {signers:?} interpolates");
		assert_eq!(C::chain_group_key(&VerifyingKey::new(point)).unwrap(), public.group_key());
		checked += 1;
	}
	assert!(checked >= 3);

	// t - 1 shares do not.
	let short: Vec<u16> = (1..dkg.t).collect();
	let ids: BTreeSet<_> = short.iter().map(|&i| id::<C>(i)).collect();
	let mut secret = <<C::Group as Group>::Field as Field>::zero();
	for &i in &short {
		let lambda = compute_lagrange_coefficient(&ids, None, id::<C>(i)).unwrap();
		secret = secret
			+ lambda * dkg.key_share(i).key_package::<C>().unwrap().signing_share().to_scalar();
	}
	assert!(<C::Group as Group>::generator() * secret != verifying_key.to_element());
}

#[test]
fn dkg_2_of_3_and_3_of_5_both_suites() {
	for (n, t) in [(3, 2), (5, 3)] {
		let dkg = run_dkg(Suite::Ed25519, n, t, 7);
		check_dkg::<Ed25519Sha512>(&dkg);
		let dkg = run_dkg(Suite::Secp256k1Taproot, n, t, 7);
		check_dkg::<Secp256K1Sha256TR>(&dkg);
	}
}

#[test]
fn ed25519_group_key_is_the_sum_of_the_constant_terms() {
	let dkg = run_dkg(Suite::Ed25519, 3, 2, 11);
	let sum = dkg
		.round1
		.iter()
		.map(|(_, package)| {
			let bytes: [u8; 32] = package[..32].try_into().unwrap();
			<Ed25519Sha512 as Ciphersuite>::Group::deserialize(&bytes).unwrap()
		})
		.fold(<Ed25519Sha512 as Ciphersuite>::Group::identity(), |a, b| a + b);
	assert_eq!(
		<Ed25519Sha512 as Ciphersuite>::Group::serialize(&sum).unwrap(),
		dkg.public.group_key()
	);
}

/// The Taproot group key is the BIP-341 output key of the untweaked DKG key `P = Σ φ_i0`, with
/// the "no script path" tweak, computed here with libsecp256k1 and SHA-256 only. Runs DKGs until
/// every combination of Y parities of `P` and of the output key `Q` has been seen (frost negates
/// keys, shares and nonces by parity), and signs with each.
#[test]
fn taproot_group_key_is_the_bip341_output_key() {
	let secp = secp256k1::Secp256k1::verification_only();
	let mut seen = BTreeSet::new();
	for session in 1..=64 {
		let dkg = run_dkg(Suite::Secp256k1Taproot, 3, 2, session);
		let constant_terms: Vec<secp256k1::PublicKey> = dkg
			.round1
			.iter()
			.map(|(_, package)| secp256k1::PublicKey::from_slice(&package[..33]).unwrap())
			.collect();
		let internal =
			secp256k1::PublicKey::combine_keys(&constant_terms.iter().collect::<Vec<_>>()).unwrap();
		let (internal, internal_parity) = internal.x_only_public_key();

		let tag = Sha256::digest(b"TapTweak");
		let tweak: [u8; 32] = Sha256::new()
			.chain_update(tag)
			.chain_update(tag)
			.chain_update(internal.serialize())
			.finalize()
			.into();
		let tweak = secp256k1::Scalar::from_be_bytes(tweak).unwrap();
		let (output, output_parity) = internal.add_tweak(&secp, &tweak).unwrap();

		assert_eq!(output.serialize(), dkg.public.group_key());
		assert_ne!(internal.serialize(), dkg.public.group_key());
		// The stored frost key is Q itself, with its parity.
		let prefix = if output_parity == secp256k1::Parity::Even { 2 } else { 3 };
		assert_eq!(dkg.public.verifying_key()[0], prefix);
		assert_eq!(&dkg.public.verifying_key()[1..], &dkg.public.group_key()[..]);

		if seen.insert((internal_parity == secp256k1::Parity::Even, prefix == 2)) {
			let message = message(Suite::Secp256k1Taproot, session);
			let signing = run_signing(&dkg, &[1, 3], &message, session);
			let signature = aggregate(
				&dkg.public,
				&message,
				&refs(&signing.commitments),
				&refs(&signing.shares),
			)
			.unwrap();
			assert!(verify_independently(
				Suite::Secp256k1Taproot,
				&dkg.public.group_key(),
				&message,
				&signature
			));
		}
		if seen.len() == 4 {
			return;
		}
	}
	panic!("parity combinations seen: {seen:?}");
}

#[test]
fn rounds_are_deterministic_from_the_seed() {
	for suite in SUITES {
		let dkg = run_dkg(suite, 3, 2, 21);
		let packages = refs(&dkg.round1);
		for p in 1..=3 {
			let seed = dkg.seed(p);
			assert_eq!(
				dkg_round1(suite, p, 3, 2, &seed).unwrap(),
				dkg.round1[usize::from(p) - 1].1
			);
			let first = dkg_round2(suite, p, 3, 2, &seed, &packages).unwrap();
			let second = dkg_round2(suite, p, 3, 2, &seed, &packages).unwrap();
			assert_eq!(first, second);
			// Sealing is deterministic given the seed too.
			for (to, share) in &first {
				let sealed = seal_share(
					&dkg.party(*to).x25519_public,
					&share_info(dkg.session, p, *to),
					b"",
					share.as_ref(),
					&dkg.party(p).secrets.seal_seed(dkg.session, 0, *to).unwrap(),
				)
				.unwrap();
				assert_eq!(sealed, dkg.sealed[&(p, *to)]);
			}
			let key_share =
				dkg_round3(suite, p, 3, 2, &seed, &packages, &refs(&dkg.received(p))).unwrap();
			assert!(key_share == *dkg.key_share(p));
		}
	}
}

#[test]
fn round1_randomness_is_bound_to_the_parameters() {
	let seed = [9u8; 32];
	for suite in SUITES {
		let base = dkg_round1(suite, 1, 3, 2, &seed).unwrap();
		let others = [
			dkg_round1(suite, 2, 3, 2, &seed).unwrap(),
			dkg_round1(suite, 1, 4, 2, &seed).unwrap(),
			dkg_round1(suite, 1, 3, 3, &seed).unwrap(),
		];
		for other in &others {
			// Not even the proof nonce R is shared.
			assert_ne!(base[..32], other[..32]);
			assert_ne!(base[base.len() - 64..][..32], other[other.len() - 64..][..32]);
		}
		assert_ne!(dkg_round1(suite, 1, 3, 2, &[8u8; 32]).unwrap(), base);
	}
}

#[test]
fn tampered_proof_of_knowledge_names_the_sender() {
	for suite in SUITES {
		let dkg = run_dkg(suite, 3, 2, 31);
		let mut round1 = dkg.round1.clone();
		let package = &mut round1[1].1;
		let z_start = package.len() - 32;
		let z = bump(suite, &package[z_start..]);
		package[z_start..].copy_from_slice(&z);

		assert_eq!(
			verify_round1_package(suite, 2, 2, &round1[1].1),
			Err(Error::InvalidProofOfKnowledge { participant: 2 })
		);
		// A valid package presented as another participant's fails too (the proof binds the
		// sender's index).
		assert_eq!(
			verify_round1_package(suite, 3, 2, &dkg.round1[1].1),
			Err(Error::InvalidProofOfKnowledge { participant: 3 })
		);
		// The other parties refuse it in round 2.
		for p in [1, 3] {
			assert_eq!(
				dkg_round2(suite, p, 3, 2, &dkg.seed(p), &refs(&round1)),
				Err(Error::InvalidProofOfKnowledge { participant: 2 })
			);
		}
		// A package for another threshold has the wrong length.
		assert_eq!(
			verify_round1_package(suite, 2, 3, &dkg.round1[1].1),
			Err(Error::InvalidPackage { participant: 2 })
		);
	}
}

#[test]
fn tampered_secret_share_names_the_sender() {
	for suite in SUITES {
		let dkg = run_dkg(suite, 5, 3, 41);
		let packages = refs(&dkg.round1);
		let mut received = dkg.received(4);
		// The share from participant 2 to participant 4 is off by one.
		let tampered = bump(suite, &received[1].1);
		assert_eq!(received[1].0, 2);
		received[1].1 = Zeroizing::new(tampered);
		assert_eq!(
			dkg_round3(suite, 4, 5, 3, &dkg.seed(4), &packages, &refs(&received)),
			Err(Error::InvalidSecretShare { culprit: 2 })
		);
		// A share of the wrong length, or not a canonical scalar, is the sender's fault too.
		let mut received = dkg.received(4);
		received[3].1 = Zeroizing::new(vec![0xff; 32]);
		assert_eq!(
			dkg_round3(suite, 4, 5, 3, &dkg.seed(4), &packages, &refs(&received)),
			Err(Error::InvalidSecretShare { culprit: 5 })
		);
		let mut received = dkg.received(4);
		received[0].1 = Zeroizing::new(vec![1; 31]);
		assert_eq!(
			dkg_round3(suite, 4, 5, 3, &dkg.seed(4), &packages, &refs(&received)),
			Err(Error::InvalidSecretShare { culprit: 1 })
		);
	}
}

#[test]
fn participant_lists_must_be_complete_and_unique() {
	for suite in SUITES {
		let dkg = run_dkg(suite, 3, 2, 51);
		let seed = dkg.seed(1);
		let packages = refs(&dkg.round1);
		let received = dkg.received(1);

		// Missing package.
		assert_eq!(
			dkg_round2(suite, 1, 3, 2, &seed, &packages[..2]),
			Err(Error::MissingParticipant { participant: 3 })
		);
		// (The chain's output takes n from the list: a gap is an index beyond n.)
		assert_eq!(
			dkg_public_output(suite, 2, &[packages[0], packages[2]]),
			Err(Error::InvalidParameters)
		);
		// Duplicate, zero and out-of-range indices.
		let duplicate = [packages[0], packages[1], packages[1]];
		assert_eq!(dkg_round2(suite, 1, 3, 2, &seed, &duplicate), Err(Error::InvalidParameters));
		let zero = [packages[0], packages[1], (0, packages[2].1)];
		assert_eq!(dkg_round2(suite, 1, 3, 2, &seed, &zero), Err(Error::InvalidParameters));
		let beyond = [packages[0], packages[1], (4, packages[2].1)];
		assert_eq!(dkg_public_output(suite, 2, &beyond), Err(Error::InvalidParameters));
		// Own package replaced by another one (e.g. the seed changed).
		let swapped = [(1, packages[1].1), packages[1], packages[2]];
		assert_eq!(dkg_round2(suite, 1, 3, 2, &seed, &swapped), Err(Error::SeedMismatch));
		assert_eq!(dkg_round2(suite, 1, 3, 2, &[0; 32], &packages), Err(Error::SeedMismatch));
		// Shares: missing one, or one "from" oneself.
		let shares = refs(&received);
		assert_eq!(
			dkg_round3(suite, 1, 3, 2, &seed, &packages, &shares[..1]),
			Err(Error::MissingParticipant { participant: 3 })
		);
		let with_own = [shares[0], shares[1], (1, shares[0].1)];
		assert_eq!(
			dkg_round3(suite, 1, 3, 2, &seed, &packages, &with_own),
			Err(Error::InvalidParameters)
		);
	}
}

#[test]
fn invalid_parameters_are_rejected() {
	let seed = [1u8; 32];
	for suite in SUITES {
		for (me, n, t) in [(1, 3, 1), (1, 3, 4), (0, 3, 2), (4, 3, 2), (1, 1, 1), (1, 0, 0)] {
			assert_eq!(dkg_round1(suite, me, n, t, &seed), Err(Error::InvalidParameters));
			assert_eq!(dkg_round2(suite, me, n, t, &seed, &[]), Err(Error::InvalidParameters));
			assert_eq!(dkg_round3(suite, me, n, t, &seed, &[], &[]), Err(Error::InvalidParameters));
		}
		let package = dkg_round1(suite, 1, 3, 2, &seed).unwrap();
		assert_eq!(verify_round1_package(suite, 0, 2, &package), Err(Error::InvalidParameters));
		assert_eq!(verify_round1_package(suite, 1, 1, &package), Err(Error::InvalidParameters));
		assert_eq!(verify_round1_package(suite, 1, 0, &package), Err(Error::InvalidParameters));
		assert_eq!(
			dkg_public_output(suite, 2, &[(1, &package[..])]),
			Err(Error::InvalidParameters)
		);
		assert_eq!(dkg_public_output(suite, 2, &[]), Err(Error::InvalidParameters));
	}
	// A package of the other suite does not parse.
	let ed25519 = dkg_round1(Suite::Ed25519, 1, 3, 2, &seed).unwrap();
	assert_eq!(
		verify_round1_package(Suite::Secp256k1Taproot, 1, 2, &ed25519),
		Err(Error::InvalidPackage { participant: 1 })
	);
}

#[test]
fn key_share_encoding_round_trips_and_is_validated() {
	for suite in SUITES {
		let dkg = run_dkg(suite, 3, 2, 61);
		let share = dkg.key_share(2);
		let bytes = share.to_bytes();
		let decoded = KeyShare::from_bytes(&bytes).unwrap();
		assert!(decoded == *share);
		assert_eq!(decoded.group_key(), dkg.public.group_key());

		// Trailing bytes, truncation, a signing share that does not match the verifying share.
		let mut long = bytes.to_vec();
		long.push(0);
		assert_eq!(KeyShare::from_bytes(&long), Err(Error::InvalidEncoding));
		assert_eq!(KeyShare::from_bytes(&bytes[..bytes.len() - 1]), Err(Error::InvalidEncoding));
		let mut wrong = bytes.to_vec();
		wrong[5] ^= 1; // first byte of the signing share (after suite, participant, threshold)
		assert_eq!(KeyShare::from_bytes(&wrong), Err(Error::InvalidEncoding));

		// Debug never shows the signing share.
		let debug = alloc::format!("{share:?}");
		assert!(debug.contains("KeyShare") && !debug.contains("signing"));
		let signing_share = &bytes[5..37];
		assert!(!debug.contains(&alloc::format!("{signing_share:?}")));
	}
}

#[test]
fn key_share_is_rebuilt_from_its_signing_share_and_the_public_data() {
	for suite in SUITES {
		let dkg = run_dkg(suite, 3, 2, 62);
		for participant in 1..=3 {
			let share = dkg.key_share(participant);
			let rebuilt =
				KeyShare::from_signing_share(&dkg.public, participant, &share.signing_share()[..])
					.unwrap();
			assert!(rebuilt == *share);
		}
		// Another participant's share, a tampered share, a wrong length or an unknown
		// participant is refused.
		let share = dkg.key_share(1).signing_share();
		assert_eq!(
			KeyShare::from_signing_share(&dkg.public, 2, &share[..]),
			Err(Error::InvalidEncoding)
		);
		let mut tampered = *share;
		tampered[31] ^= 1;
		assert_eq!(
			KeyShare::from_signing_share(&dkg.public, 1, &tampered),
			Err(Error::InvalidEncoding)
		);
		assert_eq!(
			KeyShare::from_signing_share(&dkg.public, 1, &share[..31]),
			Err(Error::InvalidEncoding)
		);
		assert_eq!(
			KeyShare::from_signing_share(&dkg.public, 4, &share[..]),
			Err(Error::MissingParticipant { participant: 4 })
		);
	}
}
