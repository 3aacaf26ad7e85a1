//! Signing through the public API, verified independently.

use alloc::vec::Vec;

use super::*;

#[test]
fn t_signers_produce_signatures_independent_verifiers_accept() {
	for suite in SUITES {
		for (n, t) in [(3u16, 2u16), (5, 3)] {
			let dkg = run_dkg(suite, n, t, 100 + u64::from(n));
			let mut signer_sets = subsets(n, t);
			signer_sets.truncate(4);
			signer_sets.push((1..=n).collect()); // more than t signers works too
			for (k, signers) in signer_sets.iter().enumerate() {
				let message = message(suite, k as u64);
				let signing = run_signing(&dkg, signers, &message, 1000 * k as u64);
				let signature = aggregate(
					&dkg.public,
					&message,
					&refs(&signing.commitments),
					&refs(&signing.shares),
				)
				.unwrap();
				assert!(
					verify_independently(suite, &dkg.public.group_key(), &message, &signature),
					"{suite:?} {n}/{t} signers {signers:?}"
				);
				assert_eq!(
					blame(
						&dkg.public,
						&message,
						&refs(&signing.commitments),
						&refs(&signing.shares)
					),
					Ok(Vec::new())
				);
				// The signature is bound to the message.
				let mut other = message.clone();
				other[0] ^= 1;
				assert!(!verify_independently(suite, &dkg.public.group_key(), &other, &signature));
			}
		}
	}
}

#[test]
fn tampered_share_breaks_the_signature_and_blame_names_the_signer() {
	for suite in SUITES {
		let dkg = run_dkg(suite, 5, 3, 200);
		let message = message(suite, 1);
		let signers = [1, 3, 4];
		let signing = run_signing(&dkg, &signers, &message, 7);
		let commitments = refs(&signing.commitments);
		for cheater in signers {
			let mut shares = signing.shares.clone();
			let slot = shares.iter_mut().find(|(i, _)| *i == cheater).unwrap();
			let bumped = bump(suite, &slot.1);
			slot.1.copy_from_slice(&bumped);

			let signature = aggregate(&dkg.public, &message, &commitments, &refs(&shares)).unwrap();
			assert!(!verify_independently(suite, &dkg.public.group_key(), &message, &signature));
			assert_eq!(
				blame(&dkg.public, &message, &commitments, &refs(&shares)),
				Ok(vec![cheater])
			);
		}
		// Two cheaters, one of them with a share that is not even a scalar.
		let mut shares = signing.shares.clone();
		shares[0].1 = [0xff; 32];
		let bumped = bump(suite, &shares[2].1);
		shares[2].1.copy_from_slice(&bumped);
		assert_eq!(
			aggregate(&dkg.public, &message, &commitments, &refs(&shares)),
			Err(Error::InvalidSignatureShares { culprits: vec![1] })
		);
		assert_eq!(blame(&dkg.public, &message, &commitments, &refs(&shares)), Ok(vec![1, 4]));
		// Blame against another message blames everyone: the inputs must be the signed ones.
		let other = super::message(suite, 2);
		assert_eq!(
			blame(&dkg.public, &other, &commitments, &refs(&signing.shares)),
			Ok(signers.to_vec())
		);
	}
}

#[test]
fn aggregate_checks_the_signer_set() {
	for suite in SUITES {
		let dkg = run_dkg(suite, 3, 2, 300);
		let message = message(suite, 3);
		let signing = run_signing(&dkg, &[1, 2], &message, 9);
		let commitments = refs(&signing.commitments);
		let shares = refs(&signing.shares);
		for check in [aggregate_result, blame_result] {
			// Missing share, share from a non-signer, repeated share.
			assert_eq!(
				check(&dkg.public, &message, &commitments, &shares[..1]),
				Err(Error::MissingParticipant { participant: 2 })
			);
			let extra = [shares[0], shares[1], (3, shares[1].1)];
			assert_eq!(
				check(&dkg.public, &message, &commitments, &extra),
				Err(Error::InvalidParameters)
			);
			let repeated = [shares[0], shares[0]];
			assert_eq!(
				check(&dkg.public, &message, &commitments, &repeated),
				Err(Error::InvalidParameters)
			);
			// Fewer than t signers; a signer beyond n; index 0; repeated commitment.
			assert_eq!(
				check(&dkg.public, &message, &commitments[..1], &shares[..1]),
				Err(Error::InvalidParameters)
			);
			let beyond = [commitments[0], (4, commitments[1].1)];
			assert_eq!(
				check(&dkg.public, &message, &beyond, &[shares[0], (4, shares[1].1)]),
				Err(Error::InvalidParameters)
			);
			let zero = [commitments[0], (0, commitments[1].1)];
			assert_eq!(check(&dkg.public, &message, &zero, &shares), Err(Error::InvalidParameters));
			let doubled = [commitments[0], commitments[0]];
			assert_eq!(
				check(&dkg.public, &message, &doubled, &shares),
				Err(Error::InvalidParameters)
			);
			// A malformed commitment names its publisher.
			let short = [commitments[0], (2, &commitments[1].1[1..])];
			assert_eq!(
				check(&dkg.public, &message, &short, &shares),
				Err(Error::InvalidCommitment { participant: 2 })
			);
		}
		// A group of the other suite.
		let other = run_dkg(
			if suite == Suite::Ed25519 { Suite::Secp256k1Taproot } else { Suite::Ed25519 },
			3,
			2,
			301,
		);
		assert!(aggregate(&other.public, &message, &commitments, &shares).is_err());
	}
}

fn aggregate_result(
	public: &GroupPublic,
	message: &[u8],
	commitments: &[(u16, &[u8])],
	shares: &[(u16, &[u8])],
) -> Result<(), Error> {
	aggregate(public, message, commitments, shares).map(drop)
}

fn blame_result(
	public: &GroupPublic,
	message: &[u8],
	commitments: &[(u16, &[u8])],
	shares: &[(u16, &[u8])],
) -> Result<(), Error> {
	blame(public, message, commitments, shares).map(drop)
}

#[test]
fn sign_checks_its_inputs() {
	for suite in SUITES {
		let dkg = run_dkg(suite, 3, 2, 400);
		let message = message(suite, 4);
		let signing = run_signing(&dkg, &[1, 2], &message, 11);
		let commitments = refs(&signing.commitments);
		let (_, nonces_1) = &signing.nonces[0];
		let (_, nonces_2) = &signing.nonces[1];
		let key_1 = dkg.key_share(1);

		// Nonces that are not behind the commitment listed for the signer.
		assert_eq!(sign(key_1, nonces_2, &message, &commitments), Err(Error::CommitmentMismatch));
		// The signer's commitment is not in the list.
		let (fresh, fresh_commitment) = commit(suite, &mut rng(5)).unwrap();
		let without_me = [(2, &fresh_commitment[..]), (3, commitments[1].1)];
		assert_eq!(
			sign(key_1, &fresh, &message, &without_me),
			Err(Error::MissingParticipant { participant: 1 })
		);
		// Fewer than t commitments.
		assert_eq!(
			sign(key_1, nonces_1, &message, &commitments[..1]),
			Err(Error::InvalidParameters)
		);
		// Nonces of the other suite.
		let other = if suite == Suite::Ed25519 { Suite::Secp256k1Taproot } else { Suite::Ed25519 };
		let (foreign, _) = commit(other, &mut rng(6)).unwrap();
		assert_eq!(sign(key_1, &foreign, &message, &commitments), Err(Error::InvalidParameters));
		// A malformed commitment of another signer.
		let bad = [commitments[0], (2, &[0u8; 3][..])];
		assert_eq!(
			sign(key_1, nonces_1, &message, &bad),
			Err(Error::InvalidCommitment { participant: 2 })
		);
	}
}

#[test]
fn nonces_are_fresh_and_round_trip() {
	for suite in SUITES {
		let mut r = rng(77);
		let (a, commitment_a) = commit(suite, &mut r).unwrap();
		let (b, commitment_b) = commit(suite, &mut r).unwrap();
		assert_ne!(commitment_a, commitment_b);
		assert_ne!(commitment_a[..suite.element_size()], commitment_a[suite.element_size()..]);
		assert!(a != b);
		assert_eq!(a.commitment().unwrap(), commitment_a);
		assert_eq!(a.suite(), suite);

		// Same host entropy, different party secrets: different nonces.
		let entropy = [3u8; 32];
		let (_, from_1) =
			commit(suite, &mut Party::new(1).secrets.nonce_rng(&entropy).unwrap()).unwrap();
		let (_, from_2) =
			commit(suite, &mut Party::new(2).secrets.nonce_rng(&entropy).unwrap()).unwrap();
		assert_ne!(from_1, from_2);

		let bytes = a.to_bytes();
		let decoded = SigningNonces::from_bytes(&bytes).unwrap();
		assert!(decoded == a);
		assert_eq!(decoded.commitment().unwrap(), commitment_a);
		assert_eq!(SigningNonces::from_bytes(&bytes[1..]), Err(Error::InvalidEncoding));
		let mut zero = bytes.to_vec();
		zero[1..33].fill(0);
		assert_eq!(SigningNonces::from_bytes(&zero), Err(Error::InvalidEncoding));

		let debug = alloc::format!("{a:?}");
		assert!(debug.contains("SigningNonces") && !debug.contains("hiding"));
	}
}

#[test]
fn commitments_and_shares_are_validated() {
	for suite in SUITES {
		let (_, commitment) = commit(suite, &mut rng(1)).unwrap();
		assert_eq!(validate_commitment(suite, &commitment), Ok(()));
		assert_eq!(validate_commitment(suite, &commitment[1..]), Err(Error::InvalidEncoding));
		let mut long = commitment.clone();
		long.push(0);
		assert_eq!(validate_commitment(suite, &long), Err(Error::InvalidEncoding));
		// The identity (all zero for secp256k1's padded SEC1; 0x01 ‖ 0…0 for Ed25519).
		let element = suite.element_size();
		let mut identity = alloc::vec![0u8; element];
		if suite == Suite::Ed25519 {
			identity[0] = 1;
		}
		let mut with_identity = commitment.clone();
		with_identity[element..].copy_from_slice(&identity);
		assert_eq!(validate_commitment(suite, &with_identity), Err(Error::InvalidEncoding));

		assert_eq!(validate_signature_share(suite, &[1; 32]), Ok(()));
		assert_eq!(validate_signature_share(suite, &[0xff; 32]), Err(Error::InvalidEncoding));
		assert_eq!(validate_signature_share(suite, &[1; 31]), Err(Error::InvalidEncoding));
	}
	// Ed25519 rejects points of small order (here: order 2, (0, -1)).
	let mut order_two = [0xffu8; 32];
	order_two[0] = 0xec;
	order_two[31] = 0x7f;
	let (_, commitment) = commit(Suite::Ed25519, &mut rng(2)).unwrap();
	let mut with_torsion = commitment.clone();
	with_torsion[..32].copy_from_slice(&order_two);
	assert_eq!(validate_commitment(Suite::Ed25519, &with_torsion), Err(Error::InvalidEncoding));
}
