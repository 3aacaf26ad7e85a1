//! Malformed input never panics: random byte strings, and random mutations of valid data, fed
//! to every function that takes bytes from outside.

use alloc::{vec, vec::Vec};

use codec::Decode;

use super::*;

/// Random bytes: random length up to `max`, or one of the lengths that matter for `suite`
/// (where the content, not the length, must be rejected).
fn random_bytes(r: &mut ChaCha20Rng, suite: Suite, max: usize) -> Vec<u8> {
	let interesting = [
		0,
		1,
		31,
		32,
		33,
		64,
		65,
		66,
		suite.commitment_size(),
		suite.round1_package_size(2),
		suite.round1_package_size(3),
		SEALED_SHARE_SIZE,
	];
	let len = if r.next_u32().is_multiple_of(2) {
		interesting[r.next_u32() as usize % interesting.len()]
	} else {
		r.next_u32() as usize % max
	};
	let mut bytes = vec![0u8; len];
	r.fill_bytes(&mut bytes);
	// Give secp256k1 points a plausible prefix half of the time.
	if suite == Suite::Secp256k1Taproot && !bytes.is_empty() && r.next_u32().is_multiple_of(2) {
		bytes[0] = 2 + (bytes[0] & 1);
	}
	bytes
}

/// `bytes` with one random byte changed (by a non-zero XOR).
fn mutate(r: &mut ChaCha20Rng, bytes: &[u8]) -> Vec<u8> {
	let mut mutated = bytes.to_vec();
	let at = r.next_u32() as usize % mutated.len();
	mutated[at] ^= (r.next_u32() % 255 + 1) as u8;
	mutated
}

#[test]
fn random_bytes_are_rejected_without_panicking() {
	let mut r = rng(0xf022);
	for suite in SUITES {
		let dkg = run_dkg(suite, 3, 2, 1200);
		let message = message(suite, 1);
		let signing = run_signing(&dkg, &[1, 3], &message, 3);
		let commitments = refs(&signing.commitments);
		let shares = refs(&signing.shares);
		let secret = dkg.party(1).secrets.x25519_secret().unwrap();
		let storage_key = dkg.party(1).secrets.storage_key().unwrap();

		for _ in 0..1500 {
			let junk = random_bytes(&mut r, suite, 200);
			let threshold = [0, 1, 2, 3, u16::MAX][r.next_u32() as usize % 5];
			let sender = [0, 1, 2, 4, u16::MAX][r.next_u32() as usize % 5];

			assert!(verify_round1_package(suite, sender, threshold, &junk).is_err());
			// (Random points may decode: the public output does not re-verify the proofs.)
			let _ = dkg_public_output(suite, 2, &[(1, &junk), (2, &junk), (3, &junk)]);
			let _ = validate_commitment(suite, &junk);
			let _ = validate_signature_share(suite, &junk);

			// Junk in place of one commitment / one share of a real signing.
			let junk_commitments = [commitments[0], (3, &junk[..])];
			let _ = aggregate(&dkg.public, &message, &junk_commitments, &shares);
			let _ = blame(&dkg.public, &message, &junk_commitments, &shares);
			let junk_shares = [shares[0], (3, &junk[..])];
			let _ = aggregate(&dkg.public, &message, &commitments, &junk_shares);
			let _ = blame(&dkg.public, &message, &commitments, &junk_shares);

			// Stored data and ciphertexts.
			assert!(KeyShare::from_bytes(&junk).is_err());
			let _ = SigningNonces::from_bytes(&junk);
			if let Ok(public) = GroupPublic::decode(&mut &junk[..]) {
				let _ = aggregate(&public, &message, &commitments, &shares);
				let _ = blame(&public, &message, &commitments, &shares);
			}
			assert_eq!(open_share(&secret, b"", b"", &junk), Err(Error::Decryption));
			assert_eq!(open_at_rest(&storage_key, b"", &junk), Err(Error::Decryption));

			// Junk in the party rounds.
			let packages = [(1, &dkg.round1[0].1[..]), (2, &junk[..]), (3, &dkg.round1[2].1[..])];
			assert!(dkg_round2(suite, 1, 3, 2, &dkg.seed(1), &packages).is_err());
			let received = dkg.received(1);
			let junk_received = [(2, &junk[..]), (3, &received[1].1[..])];
			assert!(dkg_round3(suite, 1, 3, 2, &dkg.seed(1), &refs(&dkg.round1), &junk_received)
				.is_err());
		}
	}
}

#[test]
fn mutated_valid_data_is_rejected_without_panicking() {
	let mut r = rng(0x3117);
	for suite in SUITES {
		let dkg = run_dkg(suite, 3, 2, 1300);
		let message = message(suite, 2);
		let signing = run_signing(&dkg, &[2, 3], &message, 5);
		let group_key = dkg.public.group_key();
		let key_share = dkg.key_share(1).to_bytes();
		let public = codec::Encode::encode(&dkg.public);

		for _ in 0..400 {
			// Round-1 packages: a change to the constant term's commitment or to the proof breaks
			// the package or the proof. (The other commitments are not covered by the proof: a
			// wrong one shows in round 3, as the sender's invalid shares.)
			let package = mutate(&mut r, &dkg.round1[1].1);
			let result = verify_round1_package(suite, 2, 2, &package);
			let element = suite.element_size();
			let changed_higher_coefficient =
				package[element..2 * element] != dkg.round1[1].1[element..2 * element];
			if !changed_higher_coefficient {
				assert!(result.is_err());
			}

			// Commitments: a changed commitment either fails to decode or changes R, so the
			// signature (with the honest shares) fails, and blame finds "cheaters".
			let commitment = mutate(&mut r, &signing.commitments[0].1);
			let commitments = [(2, &commitment[..]), (3, &signing.commitments[1].1[..])];
			if let Ok(signature) =
				aggregate(&dkg.public, &message, &commitments, &refs(&signing.shares))
			{
				assert!(!verify_independently(suite, &group_key, &message, &signature));
				assert!(!blame(&dkg.public, &message, &commitments, &refs(&signing.shares))
					.unwrap()
					.is_empty());
			}

			// Shares: a changed share is malformed or wrong, and blame names its signer.
			let share = mutate(&mut r, &signing.shares[1].1);
			let shares = [(2, &signing.shares[0].1[..]), (3, &share[..])];
			match aggregate(&dkg.public, &message, &refs(&signing.commitments), &shares) {
				Ok(signature) => {
					assert!(!verify_independently(suite, &group_key, &message, &signature));
				}
				Err(error) => {
					assert_eq!(error, Error::InvalidSignatureShares { culprits: vec![3] })
				}
			}
			assert_eq!(
				blame(&dkg.public, &message, &refs(&signing.commitments), &shares),
				Ok(vec![3])
			);

			// Stored key shares and group data. (Not every change is detectable: the index, the
			// threshold or the group key may change to other valid values. Integrity at rest
			// comes from the storage AEAD.)
			let _ = KeyShare::from_bytes(&mutate(&mut r, &key_share));
			if let Ok(mutated) = GroupPublic::decode(&mut &mutate(&mut r, &public)[..]) {
				let _ = aggregate(
					&mutated,
					&message,
					&refs(&signing.commitments),
					&refs(&signing.shares),
				);
				let _ =
					blame(&mutated, &message, &refs(&signing.commitments), &refs(&signing.shares));
			}
		}
	}
}
