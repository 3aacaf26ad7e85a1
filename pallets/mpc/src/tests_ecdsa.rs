//! Unit tests of threshold ECDSA keyrings: the chain side of setup, child keys, presignature
//! pools and signing, with real CGGMP24 presignatures and partial signatures (a dealt key; the
//! nodes' protocol messages are opaque to the chain, so bundles here are placeholders).

use crate::{
	mock::*, Ceremonies, CeremonyBundles, CeremonyKind, CeremonyTasks, EcdsaBundle, EcdsaKeyrings,
	EcdsaKeys, EcdsaSigningSessions, Error, Event, KeyringShares, PartialSignatures, PartyStatus,
	PartyTasks, PresignaturePools, Presignatures, Task, CEREMONY_ROUNDS,
};
use codec::Encode;
use frame_support::{assert_noop, assert_ok};
use sha3::{Digest, Keccak256};
use zenrock_chain_formats::{Preimage, PreimageHash};
use zenrock_primitives::{KeyType, KeyringId, RequestId, ThresholdBackend, ThresholdKeyringState};
use zenrock_test_support::ecdsa::{
	dealt_shares, encode_public, master_key, partial_keccak, presign, SecretPresignature, Share,
};

const KR: KeyringId = 9;
const ALICE: AccountId = 1;
const BOB: AccountId = 2;
const CHARLIE: AccountId = 3;
const DAVE: AccountId = 4;

fn account(index: u16) -> AccountId {
	[ALICE, BOB, CHARLIE][usize::from(index) - 1]
}

/// A bundle with a broadcast and a direct message to every other participant.
fn bundle(size: u16, sender: u16) -> Vec<u8> {
	EcdsaBundle {
		broadcast: vec![vec![sender as u8; 40]],
		direct: (1..=size).filter(|r| *r != sender).map(|r| (r, vec![r as u8; 50])).collect(),
	}
	.encode()
}

/// Every participant submits placeholder bundles for the message rounds of `ceremony`.
fn run_message_rounds(ceremony: u64) {
	let record = Ceremonies::<Test>::get(ceremony).expect("a ceremony");
	for round in 1..=CEREMONY_ROUNDS {
		for (position, who) in (1u16..).zip(record.participants.iter()) {
			assert_ok!(Mpc::submit_ceremony_bundle(
				signed(*who),
				ceremony,
				round,
				bundle(record.size(), position)
			));
		}
	}
	assert_eq!(Ceremonies::<Test>::get(ceremony).unwrap().round, CEREMONY_ROUNDS + 1);
}

fn report_all(ceremony: u64, output: &[u8]) {
	let record = Ceremonies::<Test>::get(ceremony).expect("a ceremony");
	for who in record.participants.iter() {
		assert_ok!(Mpc::submit_ceremony_output(signed(*who), ceremony, output.to_vec()));
	}
}

fn open_ceremonies(kind: impl Fn(&CeremonyKind) -> bool) -> Vec<u64> {
	let mut ids: Vec<u64> =
		Ceremonies::<Test>::iter().filter(|(_, c)| kind(&c.kind)).map(|(id, _)| id).collect();
	ids.sort();
	ids
}

/// A 2-of-3 ECDSA keyring of Alice, Bob and Charlie, set up with the master key of `shares`.
fn ready_keyring(shares: &[Share]) {
	set_ecdsa_keyring(KR, vec![ALICE, BOB, CHARLIE], 2);
	for who in [ALICE, BOB, CHARLIE] {
		assert_ok!(Mpc::register_encryption_key(signed(who), [who as u8; 32]));
	}
	for who in [ALICE, BOB, CHARLIE] {
		assert_ok!(Mpc::announce_ecdsa_ready(signed(who), KR));
	}
	let setup = open_ceremonies(|_| true);
	assert_eq!(setup.len(), 2);
	let master = master_key(&shares[0]);
	for id in setup {
		run_message_rounds(id);
		let kind = Ceremonies::<Test>::get(id).unwrap().kind;
		let output = if kind == CeremonyKind::AuxInfo { vec![7u8; 32] } else { master.to_vec() };
		report_all(id, &output);
	}
	assert!(EcdsaKeyrings::<Test>::get(KR).unwrap().ready_master().is_some());
}

/// Key request `request` on the keyring; the new key's compressed public key.
fn request_key(request: RequestId) -> Vec<u8> {
	add_request(request, MockRequest::Key { key_type: KeyType::EcdsaSecp256k1 });
	assert_ok!(<Mpc as ThresholdBackend>::key_requested(request, KR, KeyType::EcdsaSecp256k1));
	match outcome(request) {
		Some(Outcome::KeyCreated(key)) => key,
		other => panic!("key request {request}: {other:?}"),
	}
}

/// Completes every open presigning ceremony of `key` with a real presignature of its signers
/// for the key's child index; the signers' secret presignatures by ceremony.
fn presign_pool(shares: &[Share], key: u64) -> Vec<(u64, Vec<SecretPresignature>)> {
	let child = EcdsaKeys::<Test>::get(key).unwrap().child;
	open_ceremonies(|kind| *kind == CeremonyKind::Presignature { key })
		.into_iter()
		.map(|id| {
			let record = Ceremonies::<Test>::get(id).unwrap();
			let signers: Vec<u16> = record.indexes.iter().map(|i| i - 1).collect();
			let presignatures = presign(shares, &signers, child);
			run_message_rounds(id);
			report_all(id, &encode_public(&presignatures[0].1));
			(id, presignatures.into_iter().map(|(secret, _)| secret).collect())
		})
		.collect()
}

/// A signature request of `key` for one EVM-like preimage.
fn request_signature(request: RequestId, key: u64, preimage: &[u8]) {
	let digest = Keccak256::digest(preimage).to_vec();
	add_request(request, MockRequest::Signature { key, payloads: vec![digest] });
	set_preimages(
		request,
		vec![Preimage { hash: PreimageHash::Keccak256, bytes: preimage.to_vec() }],
	);
	let payloads = vec![Keccak256::digest(preimage).to_vec()];
	assert_ok!(<Mpc as ThresholdBackend>::signature_requested(request, KR, key, &payloads));
}

#[test]
fn setup_starts_when_every_party_is_ready_and_ends_with_the_master_key() {
	new_test_ext().execute_with(|| {
		let shares = dealt_shares(3, 2);
		set_ecdsa_keyring(KR, vec![ALICE, BOB, CHARLIE], 2);
		// Encryption keys first; only parties announce.
		assert_noop!(
			Mpc::announce_ecdsa_ready(signed(ALICE), KR),
			Error::<Test>::MissingEncryptionKey
		);
		for who in [ALICE, BOB, CHARLIE] {
			assert_ok!(Mpc::register_encryption_key(signed(who), [who as u8; 32]));
		}
		assert_noop!(Mpc::announce_ecdsa_ready(signed(DAVE), KR), Error::<Test>::NotKeyringParty);
		assert_ok!(Mpc::announce_ecdsa_ready(signed(ALICE), KR));
		assert_ok!(Mpc::announce_ecdsa_ready(signed(BOB), KR));
		assert!(Ceremonies::<Test>::iter().next().is_none());
		assert!(!Mpc::holds_shares(KR));
		// Not set up: key requests are refused with a clear error.
		assert_noop!(
			<Mpc as ThresholdBackend>::ensure_ready(KR, 3),
			Error::<Test>::EcdsaSetupPending
		);
		assert_ok!(Mpc::announce_ecdsa_ready(signed(CHARLIE), KR));
		let setup = open_ceremonies(|_| true);
		assert_eq!(setup.len(), 2);
		assert!(Mpc::holds_shares(KR), "the party set is frozen once setup starts");
		assert_eq!(KeyringShares::<Test>::get(KR), 1);
		assert!(CeremonyTasks::<Test>::contains_key(BOB, setup[0]));
		assert_noop!(
			Mpc::announce_ecdsa_ready(signed(ALICE), KR),
			Error::<Test>::EcdsaAlreadySetUp
		);

		// Bundles are checked: round, participant, encoding, recipients, once.
		let aux = setup[0];
		assert_noop!(
			Mpc::submit_ceremony_bundle(signed(ALICE), aux, 2, bundle(3, 1)),
			Error::<Test>::WrongPhase
		);
		assert_noop!(
			Mpc::submit_ceremony_bundle(signed(DAVE), aux, 1, bundle(3, 1)),
			Error::<Test>::NotCeremonyParticipant
		);
		assert_noop!(
			Mpc::submit_ceremony_bundle(signed(ALICE), aux, 1, vec![1, 2, 3]),
			Error::<Test>::InvalidBundle
		);
		let to_self = EcdsaBundle { broadcast: vec![], direct: vec![(1, vec![1])] }.encode();
		assert_noop!(
			Mpc::submit_ceremony_bundle(signed(ALICE), aux, 1, to_self),
			Error::<Test>::InvalidBundle
		);
		let to_nobody = EcdsaBundle { broadcast: vec![], direct: vec![(4, vec![1])] }.encode();
		assert_noop!(
			Mpc::submit_ceremony_bundle(signed(ALICE), aux, 1, to_nobody),
			Error::<Test>::InvalidBundle
		);
		assert_noop!(
			Mpc::submit_ceremony_bundle(signed(ALICE), aux, 1, vec![0; 3 << 19 | 1]),
			Error::<Test>::InvalidBundle
		);
		assert_noop!(
			Mpc::submit_ceremony_output(signed(ALICE), aux, vec![7; 32]),
			Error::<Test>::WrongPhase
		);
		assert_ok!(Mpc::submit_ceremony_bundle(signed(ALICE), aux, 1, bundle(3, 1)));
		assert_noop!(
			Mpc::submit_ceremony_bundle(signed(ALICE), aux, 1, bundle(3, 1)),
			Error::<Test>::AlreadySubmitted
		);
		assert!(CeremonyBundles::<Test>::contains_key((aux, 1), 1));

		// Both ceremonies complete; outputs are checked per kind.
		for id in &setup {
			let record = Ceremonies::<Test>::get(id).unwrap();
			for round in record.round..=CEREMONY_ROUNDS {
				for (position, who) in (1u16..).zip(record.participants.iter()) {
					if !CeremonyBundles::<Test>::contains_key((*id, round), position) {
						assert_ok!(Mpc::submit_ceremony_bundle(
							signed(*who),
							*id,
							round,
							bundle(3, position)
						));
					}
				}
			}
		}
		let master_ceremony = setup[1];
		assert_eq!(Ceremonies::<Test>::get(master_ceremony).unwrap().kind, CeremonyKind::MasterKey);
		assert_noop!(
			Mpc::submit_ceremony_output(signed(ALICE), master_ceremony, vec![9; 65]),
			Error::<Test>::InvalidOutput
		);
		assert_noop!(
			Mpc::submit_ceremony_output(signed(ALICE), aux, vec![7; 31]),
			Error::<Test>::InvalidOutput
		);
		report_all(aux, &[7; 32]);
		assert!(EcdsaKeyrings::<Test>::get(KR).unwrap().aux_ready);
		let master = master_key(&shares[0]);
		report_all(master_ceremony, &master);
		assert!(events().contains(&Event::EcdsaKeyringReady {
			keyring: KR,
			master_key: master[..33].try_into().unwrap(),
		}));
		assert!(Ceremonies::<Test>::iter().next().is_none());
		assert!(CeremonyBundles::<Test>::iter().next().is_none(), "messages are dropped");
		assert!(CeremonyTasks::<Test>::iter().next().is_none());
		assert_ok!(<Mpc as ThresholdBackend>::ensure_ready(KR, 3));
	});
}

#[test]
fn differing_outputs_or_a_silent_party_fail_the_setup_which_restarts_on_announcement() {
	new_test_ext().execute_with(|| {
		set_ecdsa_keyring(KR, vec![ALICE, BOB, CHARLIE], 2);
		for who in [ALICE, BOB, CHARLIE] {
			assert_ok!(Mpc::register_encryption_key(signed(who), [who as u8; 32]));
		}
		for who in [ALICE, BOB, CHARLIE] {
			assert_ok!(Mpc::announce_ecdsa_ready(signed(who), KR));
		}
		let setup = open_ceremonies(|_| true);
		run_message_rounds(setup[0]);
		assert_ok!(Mpc::submit_ceremony_output(signed(ALICE), setup[0], vec![7; 32]));
		assert_ok!(Mpc::submit_ceremony_output(signed(BOB), setup[0], vec![8; 32]));
		// Both setup ceremonies are gone; readiness is cleared.
		assert!(Ceremonies::<Test>::iter().next().is_none());
		assert!(events().iter().any(|e| matches!(e, Event::CeremonyFailed { culprit: None, .. })));

		// Again, and Charlie stays silent in round 1.
		for who in [ALICE, BOB, CHARLIE] {
			assert_ok!(Mpc::announce_ecdsa_ready(signed(who), KR));
		}
		let setup = open_ceremonies(|_| true);
		assert_eq!(setup.len(), 2, "a failed setup keeps nothing");
		for id in &setup {
			for (who, position) in [(ALICE, 1), (BOB, 2)] {
				assert_ok!(Mpc::submit_ceremony_bundle(signed(who), *id, 1, bundle(3, position)));
			}
		}
		run_to_block(1 + 5);
		assert!(Ceremonies::<Test>::iter().next().is_none());
		// The first of the two deadlines fails the setup (both ceremonies go).
		assert!(events().iter().any(|e| matches!(
			e,
			Event::CeremonyPartyTimedOut { keyring: KR, party: CHARLIE, ceremony }
				if setup.contains(ceremony)
		)));
		assert!(PartyStatus::<Test>::get(KR, CHARLIE).suspended_until > 6);
		assert!(events()
			.iter()
			.any(|e| matches!(e, Event::CeremonyFailed { culprit: Some(3), .. })));
		// A party's abort report fails a ceremony too (it names the accused).
		for who in [ALICE, BOB, CHARLIE] {
			assert_ok!(Mpc::announce_ecdsa_ready(signed(who), KR));
		}
		let setup = open_ceremonies(|_| true);
		assert_noop!(
			Mpc::report_ceremony_abort(signed(ALICE), setup[0], Some(1)),
			Error::<Test>::NotCeremonyParticipant
		);
		assert_ok!(Mpc::report_ceremony_abort(signed(ALICE), setup[0], Some(2)));
		assert!(Ceremonies::<Test>::iter().next().is_none());
		assert!(!PartyStatus::<Test>::get(KR, BOB).faulty, "an accusation proves nothing");
	});
}

#[test]
fn keys_are_child_keys_made_at_once_and_sign_from_pooled_presignatures() {
	new_test_ext().execute_with(|| {
		let shares = dealt_shares(3, 2);
		ready_keyring(&shares);
		// Only secp256k1 keys.
		add_request(1, MockRequest::Key { key_type: KeyType::Ed25519 });
		assert_noop!(
			<Mpc as ThresholdBackend>::key_requested(1, KR, KeyType::Ed25519),
			Error::<Test>::UnsupportedKeyType
		);
		// Two keys: children 0 and 1 of the master key, created in the request's block.
		let master = zenrock_mpc_core::ecdsa::MasterKey::decode(&master_key(&shares[0])).unwrap();
		let first = request_key(10);
		assert_eq!(first, master.child_public_key(0).unwrap().to_vec());
		let second = request_key(11);
		assert_eq!(second, master.child_public_key(1).unwrap().to_vec());
		assert_eq!(EcdsaKeys::<Test>::get(11).unwrap().child, 1);

		// Each key's pool opens two presigning ceremonies of one 2-party subset.
		let pool = PresignaturePools::<Test>::get(10).unwrap();
		assert_eq!((pool.pooled, pool.pending), (0, 2));
		assert_eq!(pool.subset.len(), 2);
		let presignatures = presign_pool(&shares, 10);
		assert_eq!(presignatures.len(), 2);
		let pool = PresignaturePools::<Test>::get(10).unwrap();
		assert_eq!((pool.pooled, pool.pending), (2, 0));

		// Raw hashes are refused: a presignature signs only a digest its signers computed.
		add_request(20, MockRequest::Signature { key: 10, payloads: vec![vec![1; 32]] });
		assert_noop!(
			<Mpc as ThresholdBackend>::signature_requested(20, KR, 10, &[vec![1; 32]]),
			Error::<Test>::PreimageRequired
		);
		// Preimages that do not hash to the payloads are refused too.
		set_preimages(20, vec![Preimage { hash: PreimageHash::Keccak256, bytes: vec![1] }]);
		assert_noop!(
			<Mpc as ThresholdBackend>::signature_requested(20, KR, 10, &[vec![1; 32]]),
			Error::<Test>::PreimageRequired
		);

		// A transaction's payload: one presignature taken, its signers chosen at once.
		let preimage = b"an unsigned EIP-1559 transaction".to_vec();
		request_signature(21, 10, &preimage);
		let session = EcdsaSigningSessions::<Test>::get(21).unwrap();
		assert_eq!(session.presignatures.len(), 1);
		assert_eq!(PresignaturePools::<Test>::get(10).unwrap().pooled, 1);
		assert!(!Presignatures::<Test>::contains_key(10, session.presignatures[0]));
		let (_, secrets) =
			presignatures.into_iter().find(|(id, _)| *id == session.presignatures[0]).unwrap();
		// The pool refills behind it.
		assert_eq!(PresignaturePools::<Test>::get(10).unwrap().pending, 1);

		let signers: Vec<AccountId> = session.indexes.iter().map(|i| account(*i)).collect();
		let outsider = [ALICE, BOB, CHARLIE].into_iter().find(|a| !signers.contains(a)).unwrap();
		assert_eq!(PartyTasks::<Test>::get(signers[0], 21), Some(Task::EcdsaSigning));
		let partials: Vec<[u8; 32]> =
			secrets.into_iter().map(|secret| partial_keccak(secret, &preimage)).collect();
		assert_noop!(
			Mpc::submit_partial_signatures(signed(outsider), 21, 0, vec![partials[0]]),
			Error::<Test>::NotParticipant
		);
		assert_noop!(
			Mpc::submit_partial_signatures(signed(signers[0]), 21, 1, vec![partials[0]]),
			Error::<Test>::WrongAttempt
		);
		assert_noop!(
			Mpc::submit_partial_signatures(signed(signers[0]), 21, 0, vec![]),
			Error::<Test>::InvalidSignatureShares
		);
		assert_ok!(Mpc::submit_partial_signatures(signed(signers[0]), 21, 0, vec![partials[0]]));
		assert_noop!(
			Mpc::submit_partial_signatures(signed(signers[0]), 21, 0, vec![partials[0]]),
			Error::<Test>::AlreadySubmitted
		);
		assert!(PartialSignatures::<Test>::contains_key(21, session.indexes[0]));
		assert_ok!(Mpc::submit_partial_signatures(signed(signers[1]), 21, 0, vec![partials[1]]));

		// The mock treasury verified the 65-byte signature against the key (recovery included).
		let Some(Outcome::Signed(signatures)) = outcome(21) else { panic!("{:?}", outcome(21)) };
		assert_eq!(signatures[0].len(), 65);
		let recovered = sp_io::crypto::secp256k1_ecdsa_recover_compressed(
			&signatures[0].clone().try_into().unwrap(),
			&Keccak256::digest(&preimage).into(),
		)
		.ok()
		.unwrap();
		assert_eq!(recovered.to_vec(), first);
		assert!(EcdsaSigningSessions::<Test>::get(21).is_none());
		assert!(PartialSignatures::<Test>::iter().next().is_none());
		assert!(events().contains(&Event::SigningCompleted { request: 21, attempt: 0 }));
	});
}

#[test]
fn a_bad_partial_signature_proves_its_signer_faulty_and_another_subset_signs() {
	new_test_ext().execute_with(|| {
		let shares = dealt_shares(3, 2);
		ready_keyring(&shares);
		request_key(10);
		presign_pool(&shares, 10);
		let preimage = b"transaction".to_vec();
		request_signature(21, 10, &preimage);
		let session = EcdsaSigningSessions::<Test>::get(21).unwrap();
		let cheat = account(session.indexes[0]);
		assert_ok!(Mpc::submit_partial_signatures(signed(cheat), 21, 0, vec![[9; 32]]));
		assert!(PartyStatus::<Test>::get(KR, cheat).faulty);
		assert!(events().contains(&Event::InvalidShareProven {
			keyring: KR,
			party: cheat,
			request: 21,
		}));
		// The pooled presignature of the same subset cannot serve (a faulty signer): the request
		// waits and the pool refills with a subset without the cheat.
		let session = EcdsaSigningSessions::<Test>::get(21).unwrap();
		assert_eq!(session.attempt, 1);
		assert!(session.waiting());
		let pool = PresignaturePools::<Test>::get(10).unwrap();
		assert!(!pool.subset.contains(&session_index_of(cheat)));
		// New presignatures arrive: the waiting request starts with them.
		let fresh = presign_pool(&shares, 10);
		let session = EcdsaSigningSessions::<Test>::get(21).unwrap();
		assert!(!session.waiting());
		assert!(!session.signers.contains(&cheat));
		let (_, secrets) =
			fresh.into_iter().find(|(id, _)| *id == session.presignatures[0]).unwrap();
		for (who, secret) in session.signers.clone().into_iter().zip(secrets) {
			let partial = partial_keccak(secret, &preimage);
			assert_ok!(Mpc::submit_partial_signatures(signed(who), 21, 1, vec![partial]));
		}
		assert!(matches!(outcome(21), Some(Outcome::Signed(_))));
	});
}

fn session_index_of(who: AccountId) -> u16 {
	[ALICE, BOB, CHARLIE].iter().position(|a| *a == who).unwrap() as u16 + 1
}

#[test]
fn a_silent_signer_is_suspended_and_a_request_without_presignatures_is_rejected() {
	new_test_ext().execute_with(|| {
		let shares = dealt_shares(3, 2);
		ready_keyring(&shares);
		request_key(10);
		presign_pool(&shares, 10);
		let preimage = b"transaction".to_vec();
		request_signature(21, 10, &preimage);
		let session = EcdsaSigningSessions::<Test>::get(21).unwrap();
		let silent = account(session.indexes[1]);
		run_to_block(System::block_number() + SHARE_TIMEOUT);
		assert!(PartyStatus::<Test>::get(KR, silent).suspended_until > System::block_number());
		let session = EcdsaSigningSessions::<Test>::get(21).unwrap();
		assert_eq!(session.attempt, 1);
		assert!(session.waiting(), "the other pooled presignature needs the silent signer");

		// Nobody presigns: after PresignatureWait the request is rejected (and refunded).
		run_to_block(System::block_number() + 10);
		assert_eq!(outcome(21), Some(Outcome::Rejected(b"signing: no presignatures".to_vec())));
		assert!(EcdsaSigningSessions::<Test>::get(21).is_none());
		assert_eq!(PresignaturePools::<Test>::get(10).unwrap().demand, 0);
		// The silent presigning ceremonies failed too; the pool keeps refilling.
		assert!(Ceremonies::<Test>::iter().count() >= 1);
	});
}

use crate::ecdsa_vector::transaction as benchmark_transaction;

/// Prints the benchmarks' threshold ECDSA vector (`crate::ecdsa_vector`): a dealt 2-of-3 master
/// key, a presignature of signers 1 and 2 for child 0 and their partial signatures of
/// [`benchmark_transaction`]. Run once with `--ignored --nocapture` and paste.
#[test]
#[ignore]
fn print_benchmark_vector() {
	let shares = dealt_shares(3, 2);
	let presignatures = presign(&shares, &[0, 1], 0);
	let public = encode_public(&presignatures[0].1);
	let transaction = benchmark_transaction();
	let partials: Vec<[u8; 32]> =
		presignatures.into_iter().map(|(secret, _)| partial_keccak(secret, &transaction)).collect();
	let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
	println!("MASTER_KEY {}", hex(&master_key(&shares[0])));
	println!("PRESIGNATURE_PUBLIC {}", hex(&public));
	println!("PARTIALS {} {}", hex(&partials[0]), hex(&partials[1]));
}

#[test]
fn the_benchmark_vector_signs_the_benchmark_transaction() {
	use crate::ecdsa_vector::{MASTER_KEY, PARTIALS, PRESIGNATURE_PUBLIC};
	use zenrock_mpc_core::ecdsa::{MasterKey, PresignaturePublic};
	let transaction = benchmark_transaction();
	let parsed = zenrock_chain_formats::evm::parse(&transaction, 1).expect("a valid transaction");
	let digest = parsed.signing_hash();
	let child = MasterKey::decode(&MASTER_KEY).unwrap().child_public_key(0).unwrap();
	let public = PresignaturePublic::decode(&PRESIGNATURE_PUBLIC, 2).unwrap();
	let signature = public.combine(&digest, &PARTIALS).unwrap();
	let key = zenrock_chain_formats::PublicKey::parse(KeyType::EcdsaSecp256k1, &child).unwrap();
	let mut recoverable = signature.to_vec();
	recoverable.push(0);
	let valid =
		|sig: &[u8]| zenrock_chain_formats::signature::verify_signature(&key, &digest, sig).is_ok();
	let ok = valid(&recoverable) || {
		recoverable[64] = 1;
		valid(&recoverable)
	};
	assert!(ok, "the vector's signature verifies under child 0 of its master key");
}

#[test]
fn each_party_sees_its_announcements_ceremonies_and_signing_work() {
	use zenrock_primitives::ecdsa_view::CeremonyTarget;
	new_test_ext().execute_with(|| {
		let shares = dealt_shares(3, 2);
		set_ecdsa_keyring(KR, vec![ALICE, BOB, CHARLIE], 2);
		for who in [ALICE, BOB, CHARLIE] {
			assert_ok!(Mpc::register_encryption_key(signed(who), [who as u8; 32]));
		}
		// Keyrings the party is not in, or of another backend, are not its to announce.
		set_keyring(KR + 1, vec![ALICE, BOB], 2);
		assert_eq!(Mpc::ecdsa_work(&ALICE, [KR, KR + 1]).announce, vec![KR]);
		assert!(Mpc::ecdsa_work(&DAVE, [KR]).announce.is_empty());
		assert_ok!(Mpc::announce_ecdsa_ready(signed(ALICE), KR));
		assert!(Mpc::ecdsa_work(&ALICE, [KR]).announce.is_empty());
		assert_eq!(Mpc::ecdsa_work(&BOB, [KR]).announce, vec![KR]);
		assert_ok!(Mpc::announce_ecdsa_ready(signed(BOB), KR));
		assert_ok!(Mpc::announce_ecdsa_ready(signed(CHARLIE), KR));

		// Both setup ceremonies, with every participant's encryption key.
		let work = Mpc::ecdsa_work(&BOB, [KR]);
		assert!(work.announce.is_empty(), "setup runs");
		assert_eq!(work.ceremonies.len(), 2);
		let aux = work.ceremonies.iter().find(|c| c.target == CeremonyTarget::AuxInfo).unwrap();
		assert_eq!((aux.position, aux.parties, aux.threshold, aux.round), (2, 3, 2, 1));
		assert!(!aux.submitted);
		assert_eq!(aux.participants[2].account, CHARLIE);
		assert_eq!(aux.participants[2].index, 3);
		assert_eq!(aux.participants[2].encryption_key, [CHARLIE as u8; 32]);
		assert_ok!(Mpc::submit_ceremony_bundle(signed(BOB), aux.id, 1, bundle(3, 2)));
		let work = Mpc::ecdsa_work(&BOB, [KR]);
		assert!(work.ceremonies.iter().find(|c| c.id == aux.id).unwrap().submitted);
		assert_eq!(Mpc::ceremony_bundles(aux.id, 1), vec![(2, bundle(3, 2))]);
		assert!(Mpc::ecdsa_work(&DAVE, [KR]).ceremonies.is_empty());

		// Finish the setup; a key's presigning ceremonies name its child index.
		Ceremonies::<Test>::iter_keys().collect::<Vec<_>>().into_iter().for_each(|id| {
			let record = Ceremonies::<Test>::get(id).unwrap();
			for round in 1..=CEREMONY_ROUNDS {
				for (position, who) in (1u16..).zip(record.participants.iter()) {
					if !CeremonyBundles::<Test>::contains_key((id, round), position) {
						assert_ok!(Mpc::submit_ceremony_bundle(
							signed(*who),
							id,
							round,
							bundle(3, position)
						));
					}
				}
			}
			let output = if record.kind == CeremonyKind::AuxInfo {
				vec![7; 32]
			} else {
				master_key(&shares[0]).to_vec()
			};
			report_all(id, &output);
		});
		request_key(10);
		let subset = PresignaturePools::<Test>::get(10).unwrap().subset;
		let signer = account(subset[0]);
		let work = Mpc::ecdsa_work(&signer, [KR]);
		assert_eq!(work.ceremonies.len(), 2);
		assert!(work
			.ceremonies
			.iter()
			.all(|c| c.target == CeremonyTarget::Presignature { key: 10, child: 0 }));
		presign_pool(&shares, 10);

		// A signing attempt: the presignature to use and the preimage to hash.
		let preimage = b"transaction".to_vec();
		request_signature(21, 10, &preimage);
		let work = Mpc::ecdsa_work(&signer, [KR]);
		assert_eq!(work.signing.len(), 1);
		let signing = &work.signing[0];
		assert_eq!((signing.request, signing.key, signing.attempt), (21, 10, 0));
		assert_eq!(
			signing.presignatures,
			EcdsaSigningSessions::<Test>::get(21).unwrap().presignatures.to_vec()
		);
		assert_eq!(signing.preimages[0].bytes, preimage);
		assert!(!signing.submitted);
	});
}

#[test]
fn nonce_commitments_are_for_frost_keyrings_only() {
	new_test_ext().execute_with(|| {
		set_ecdsa_keyring(KR, vec![ALICE, BOB, CHARLIE], 2);
		assert_noop!(
			Mpc::publish_commitments(
				signed(ALICE),
				KR,
				zenrock_mpc_core::Suite::Secp256k1Taproot,
				vec![vec![2; 66]]
			),
			Error::<Test>::WrongBackend
		);
	});
}
