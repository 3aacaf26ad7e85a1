//! The chain-side threshold ECDSA checks against the protocol the nodes run (cggmp24): child
//! keys as the nodes derive them, presignature public data, partial signatures and their
//! combination into a signature that an independent verifier (k256) accepts.

use cggmp24::{
	hd_wallet::{HdWallet, Slip10},
	supported_curves::Secp256k1,
	DataToSign,
};
use k256::ecdsa::{signature::hazmat::PrehashVerifier, Signature, VerifyingKey};
use sha3::{Digest, Keccak256};
use zenrock_mpc_core::{
	ecdsa::{MasterKey, PresignaturePublic, HARDENED, MASTER_KEY_SIZE},
	Error,
};
use zenrock_test_support::ecdsa::{
	compressed, dealt_shares, encode_public, master_key, partial_keccak, presign,
};

fn hex(text: &str) -> Vec<u8> {
	(0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn child_keys_follow_bip32_test_vector_2() {
	// BIP-32 test vector 2: m and m/0.
	let master = MasterKey {
		public_key: hex("03cbcaa9c98c877a26977d00825c956a238e8dddfbd322cce4f74b0b5bd6ace4a7")
			.try_into()
			.unwrap(),
		chain_code: hex("60499f801b896d83179a4374aeb7822aaeaceaa0db1f85ee3e904c4defbd9689")
			.try_into()
			.unwrap(),
	};
	assert_eq!(
		master.child_public_key(0).unwrap().to_vec(),
		hex("02fc9e5af0ac8d9b3cecfe2a888e2117ba3d089d8585886c9c826b6b22a98d12ea")
	);
	// Hardened indexes need the private key: refused.
	assert_eq!(master.child_public_key(HARDENED).unwrap_err(), Error::InvalidParameters);
	// Encoding round trip; a key that is not a point is refused.
	assert_eq!(MasterKey::decode(&master.encode()).unwrap(), master);
	for tag in [0x00, 0x04, 0x05] {
		let mut bad = master.encode();
		bad[0] = tag;
		assert_eq!(MasterKey::decode(&bad).unwrap_err(), Error::InvalidEncoding, "tag {tag}");
	}
	assert_eq!(
		MasterKey::decode(&master.encode()[..MASTER_KEY_SIZE - 1]).unwrap_err(),
		Error::InvalidEncoding
	);
}

#[test]
fn presignatures_sign_for_the_child_key_and_bad_partials_are_named() {
	let shares = dealt_shares(3, 2);
	let master = MasterKey::decode(&master_key(&shares[0])).unwrap();
	let child_index = 5u32;

	// The chain's child key is the one the nodes' HD derivation gives.
	let extended = shares[0].extended_public_key().unwrap();
	let nodes_child = Slip10::derive_child_public_key(&extended, child_index.try_into().unwrap());
	let child = master.child_public_key(child_index).unwrap();
	assert_eq!(child, compressed(&nodes_child.public_key));

	// Signers 1 and 3 (keygen indexes 0 and 2) presign for m/5.
	let presignatures = presign(&shares, &[0, 2], child_index);
	let public_data = presignatures[0].1.clone();
	assert_eq!(public_data, presignatures[1].1);

	// The public data in the chain's encoding.
	let encoded = encode_public(&public_data);
	let public = PresignaturePublic::decode(&encoded, 2).unwrap();
	assert_eq!(public.signers(), 2);
	assert_eq!(public.encode(), encoded);
	assert_eq!(PresignaturePublic::decode(&encoded, 3).unwrap_err(), Error::InvalidEncoding);
	let commitments: Vec<([u8; 33], [u8; 33])> = public_data
		.commitments
		.iter()
		.map(|c| (compressed(&c.tilde_Delta), compressed(&c.tilde_S)))
		.collect();
	let gamma = compressed(&public_data.Gamma);
	assert_eq!(PresignaturePublic::from_parts(&gamma, &commitments).unwrap(), public);

	// Each signer hashes the preimage itself and issues its partial signature.
	let preimage = b"an unsigned EIP-1559 transaction";
	let digest: [u8; 32] = Keccak256::digest(preimage).into();
	let data = DataToSign::<Secp256k1>::digest::<Keccak256>(preimage);
	let partials: Vec<[u8; 32]> = presignatures
		.into_iter()
		.map(|(presignature, _)| partial_keccak(presignature, preimage))
		.collect();
	for (position, sigma) in partials.iter().enumerate() {
		public.verify_partial(position, &digest, sigma).unwrap();
	}

	// The chain's signature is low-S and verifies under the child key (k256, independently).
	let signature = public.combine(&digest, &partials).unwrap();
	let parsed = Signature::from_slice(&signature).unwrap();
	assert!(parsed.normalize_s().is_none(), "s is low");
	assert_eq!(signature[..32], public.r());
	VerifyingKey::from_sec1_bytes(&child).unwrap().verify_prehash(&digest, &parsed).unwrap();
	// It is the signature cggmp24's own combination gives.
	let theirs = cggmp24::PartialSignature::combine(
		&partials
			.iter()
			.map(|sigma| cggmp24::PartialSignature {
				sigma: cggmp24::generic_ec::Scalar::from_be_bytes(sigma).unwrap(),
			})
			.collect::<Vec<_>>(),
		&public_data,
		data,
	)
	.unwrap();
	let mut their_bytes = [0u8; 64];
	theirs.write_to_slice(&mut their_bytes);
	assert_eq!(signature, their_bytes);

	// A bad partial signature names its signer; a different digest blames everyone.
	let mut tampered = partials.clone();
	tampered[1][31] ^= 1;
	assert_eq!(
		public.combine(&digest, &tampered).unwrap_err(),
		Error::InvalidSignatureShares { culprits: vec![2] }
	);
	assert_eq!(
		public.combine(&[7; 32], &partials).unwrap_err(),
		Error::InvalidSignatureShares { culprits: vec![1, 2] }
	);
	// A non-canonical scalar is the sender's fault too; a wrong count is a caller error.
	assert_eq!(
		public.verify_partial(0, &digest, &[0xff; 32]).unwrap_err(),
		Error::InvalidSignatureShares { culprits: vec![1] }
	);
	assert_eq!(public.combine(&digest, &partials[..1]).unwrap_err(), Error::InvalidParameters);
	assert_eq!(
		public.verify_partial(2, &digest, &partials[0]).unwrap_err(),
		Error::InvalidParameters
	);
}
