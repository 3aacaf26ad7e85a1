//! HPKE share encryption, storage encryption and the party key hierarchy.

use alloc::{collections::BTreeSet, vec::Vec};

use super::*;

#[test]
fn sealed_shares_open_only_for_their_recipient_and_context() {
	let alice = Party::new(1);
	let bob = Party::new(2);
	let share = [42u8; 32];
	let seed = [7u8; 32];
	let sealed = seal_share(&bob.x25519_public, b"info", b"aad", &share, &seed).unwrap();
	assert_eq!(sealed.len(), SEALED_SHARE_SIZE);
	assert_eq!(sealed, seal_share(&bob.x25519_public, b"info", b"aad", &share, &seed).unwrap());
	assert_ne!(sealed, seal_share(&bob.x25519_public, b"info", b"aad", &share, &[8; 32]).unwrap());

	let bob_secret = bob.secrets.x25519_secret().unwrap();
	assert_eq!(*open_share(&bob_secret, b"info", b"aad", &sealed).unwrap(), share.to_vec());
	// Wrong recipient, info, aad.
	let alice_secret = alice.secrets.x25519_secret().unwrap();
	assert_eq!(open_share(&alice_secret, b"info", b"aad", &sealed), Err(Error::Decryption));
	assert_eq!(open_share(&bob_secret, b"other", b"aad", &sealed), Err(Error::Decryption));
	assert_eq!(open_share(&bob_secret, b"info", b"", &sealed), Err(Error::Decryption));
	// Every single-bit change, and every truncation, is detected.
	for byte in 0..sealed.len() {
		let mut tampered = sealed.clone();
		tampered[byte] ^= 0x80;
		assert_eq!(open_share(&bob_secret, b"info", b"aad", &tampered), Err(Error::Decryption));
	}
	for len in 0..sealed.len() {
		assert_eq!(
			open_share(&bob_secret, b"info", b"aad", &sealed[..len]),
			Err(Error::Decryption)
		);
	}
	// A low-order recipient key has no shared secret.
	assert_eq!(seal_share(&[0; 32], b"info", b"aad", &share, &seed), Err(Error::InvalidEncoding));
}

/// The sealed layout is RFC 9180's: checked with hpke's own receiver on the split parts.
#[test]
fn sealed_share_is_encapped_key_then_ciphertext() {
	use hpke::{
		aead::ChaCha20Poly1305, kdf::HkdfSha256, kem::X25519HkdfSha256, Deserializable, OpModeR,
	};
	let bob = Party::new(2);
	let sealed = seal_share(&bob.x25519_public, b"i", b"a", b"plaintext", &[1; 32]).unwrap();
	assert_eq!(sealed.len(), ENCAPPED_KEY_SIZE + 9 + TAG_SIZE);
	let secret = <X25519HkdfSha256 as hpke::Kem>::PrivateKey::from_bytes(
		&*bob.secrets.x25519_secret().unwrap(),
	)
	.unwrap();
	let encapped =
		<X25519HkdfSha256 as hpke::Kem>::EncappedKey::from_bytes(&sealed[..ENCAPPED_KEY_SIZE])
			.unwrap();
	let opened = hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>(
		&OpModeR::Base,
		&secret,
		&encapped,
		b"i",
		&sealed[ENCAPPED_KEY_SIZE..],
		b"a",
	)
	.unwrap();
	assert_eq!(opened, b"plaintext");
}

#[test]
fn storage_encryption_needs_the_key_and_aad() {
	let party = Party::new(3);
	let key = party.secrets.storage_key().unwrap();
	let nonce = [5u8; AT_REST_NONCE_SIZE];
	let sealed = seal_at_rest(&key, b"key-share/1", b"secret", nonce).unwrap();
	assert_eq!(sealed.len(), AT_REST_NONCE_SIZE + 6 + TAG_SIZE);
	assert_eq!(sealed[..AT_REST_NONCE_SIZE], nonce);
	assert_eq!(*open_at_rest(&key, b"key-share/1", &sealed).unwrap(), b"secret".to_vec());

	let other_key = Party::new(4).secrets.storage_key().unwrap();
	assert_eq!(open_at_rest(&other_key, b"key-share/1", &sealed), Err(Error::Decryption));
	assert_eq!(open_at_rest(&key, b"key-share/2", &sealed), Err(Error::Decryption));
	for byte in 0..sealed.len() {
		let mut tampered = sealed.clone();
		tampered[byte] ^= 1;
		assert_eq!(open_at_rest(&key, b"key-share/1", &tampered), Err(Error::Decryption));
	}
	for len in 0..sealed.len() {
		assert_eq!(open_at_rest(&key, b"key-share/1", &sealed[..len]), Err(Error::Decryption));
	}
	// Empty plaintexts work.
	let empty = seal_at_rest(&key, b"", b"", nonce).unwrap();
	assert!(open_at_rest(&key, b"", &empty).unwrap().is_empty());
}

#[test]
fn key_share_survives_encrypted_storage() {
	let dkg = run_dkg(Suite::Secp256k1Taproot, 3, 2, 900);
	let party = dkg.party(2);
	let share = dkg.key_share(2);
	let sealed =
		seal_at_rest(&party.secrets.storage_key().unwrap(), b"ks", &share.to_bytes(), [9; 24])
			.unwrap();
	let opened = open_at_rest(&party.secrets.storage_key().unwrap(), b"ks", &sealed).unwrap();
	assert!(KeyShare::from_bytes(&opened).unwrap() == *share);
}

#[test]
fn party_secrets_are_separated_and_deterministic() {
	let a = Party::new(1);
	let b = Party::new(1);
	let c = Party::new(2);
	assert_eq!(*a.secrets.x25519_secret().unwrap(), *b.secrets.x25519_secret().unwrap());
	assert_eq!(*a.secrets.dkg_seed(1, 0).unwrap(), *b.secrets.dkg_seed(1, 0).unwrap());
	assert_ne!(*a.secrets.x25519_secret().unwrap(), *c.secrets.x25519_secret().unwrap());

	let outputs: Vec<[u8; 32]> = Vec::from([
		*a.secrets.x25519_secret().unwrap(),
		*a.secrets.storage_key().unwrap(),
		*a.secrets.dkg_seed(1, 0).unwrap(),
		*a.secrets.dkg_seed(1, 1).unwrap(),
		*a.secrets.dkg_seed(2, 0).unwrap(),
		*a.secrets.seal_seed(1, 0, 2).unwrap(),
		*a.secrets.seal_seed(1, 0, 3).unwrap(),
		*a.secrets.seal_seed(1, 1, 2).unwrap(),
		*a.secrets.seal_seed(2, 0, 2).unwrap(),
		*c.secrets.dkg_seed(1, 0).unwrap(),
	]);
	let distinct: BTreeSet<_> = outputs.iter().collect();
	assert_eq!(distinct.len(), outputs.len());

	let mut from_a = [0u8; 32];
	let mut from_a_again = [0u8; 32];
	let mut other_entropy = [0u8; 32];
	a.secrets.nonce_rng(&[1; 32]).unwrap().fill_bytes(&mut from_a);
	b.secrets.nonce_rng(&[1; 32]).unwrap().fill_bytes(&mut from_a_again);
	a.secrets.nonce_rng(&[2; 32]).unwrap().fill_bytes(&mut other_entropy);
	assert_eq!(from_a, from_a_again);
	assert_ne!(from_a, other_entropy);

	assert_eq!(x25519_public(&a.secrets.x25519_secret().unwrap()), a.x25519_public);
	let debug = alloc::format!("{:?}", a.secrets);
	assert_eq!(debug, "PartySecrets { .. }");
}
