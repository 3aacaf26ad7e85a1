//! Unit tests of the MPC pallet: three simulated parties run real FROST (through
//! `zenrock-mpc-core`, as their off-chain workers will) against the pallet.

use crate::{
	mock::*, CommitmentPool, Deadlines, DkgConfirmations, DkgPhase, DkgRound1, DkgRound2,
	DkgSessions, EncryptionKeys, Error, Event, GroupKeys, KeyringShares, PartyStatus, PartyTasks,
	SealedShare, ShareBackups, SignatureShares, SigningSessions, Task,
};
use codec::Decode;
use frame_support::{assert_noop, assert_ok};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use std::collections::BTreeMap;
use zenrock_mpc_core::{
	dkg_round1, dkg_round2, dkg_round3, open_share, seal_share, x25519_public, GroupPublic,
	KeyShare, PartySecrets, SigningNonces, Suite,
};
use zenrock_primitives::{
	KeyId, KeyType, KeyringId, RequestId, ThresholdBackend, ThresholdKeyringState,
};

const KR: KeyringId = 7;
const ALICE: AccountId = 1;
const BOB: AccountId = 2;
const CHARLIE: AccountId = 3;
const DAVE: AccountId = 4;

fn has_event(event: Event<Test>) -> bool {
	events().contains(&event)
}

/// A party as its off-chain worker will be: secrets derived from one root, nonces and key
/// shares kept locally.
struct Party {
	account: AccountId,
	secrets: PartySecrets,
	nonces: BTreeMap<Vec<u8>, SigningNonces>,
	shares: BTreeMap<KeyId, KeyShare>,
	rng: ChaCha20Rng,
}

impl Party {
	fn new(account: AccountId) -> Self {
		Party {
			account,
			secrets: PartySecrets::derive(&[account as u8; 64]),
			nonces: BTreeMap::new(),
			shares: BTreeMap::new(),
			rng: ChaCha20Rng::from_seed([account as u8 + 100; 32]),
		}
	}

	fn encryption_key(&self) -> [u8; 32] {
		x25519_public(&self.secrets.x25519_secret().unwrap())
	}

	fn register(&self) {
		assert_ok!(Mpc::register_encryption_key(signed(self.account), self.encryption_key()));
	}

	/// This party's index in the DKG of `request`, with n and t.
	fn seat(&self, request: RequestId) -> (Suite, u16, u16, u16) {
		let session = DkgSessions::<Test>::get(request).expect("a DKG session");
		let me = session.participants.iter().position(|a| *a == self.account).unwrap() as u16 + 1;
		(session.suite, me, session.participants.len() as u16, session.threshold)
	}

	fn round1_package(&self, request: RequestId) -> Vec<u8> {
		let (suite, me, n, t) = self.seat(request);
		dkg_round1(suite, me, n, t, &self.secrets.dkg_seed(request, 0).unwrap()).unwrap()
	}

	fn round1(&self, request: RequestId) {
		let package = self.round1_package(request);
		assert_ok!(Mpc::submit_dkg_round1(signed(self.account), request, package));
	}

	fn round1_packages(request: RequestId) -> Vec<(u16, Vec<u8>)> {
		DkgRound1::<Test>::iter_prefix(request).map(|(i, p)| (i, p.into_inner())).collect()
	}

	fn sealed_shares(&self, request: RequestId) -> Vec<SealedShare> {
		let (suite, me, n, t) = self.seat(request);
		let packages = Self::round1_packages(request);
		let borrowed: Vec<(u16, &[u8])> = packages.iter().map(|(i, p)| (*i, &p[..])).collect();
		let session = DkgSessions::<Test>::get(request).unwrap();
		dkg_round2(suite, me, n, t, &self.secrets.dkg_seed(request, 0).unwrap(), &borrowed)
			.unwrap()
			.into_iter()
			.map(|(recipient, share)| {
				let account = session.participants[recipient as usize - 1];
				let key = EncryptionKeys::<Test>::get(account).expect("registered");
				let sealed = seal_share(
					&key,
					&info(request),
					&[me as u8, recipient as u8],
					&share[..],
					&self.secrets.seal_seed(request, 0, recipient).unwrap(),
				)
				.unwrap();
				sealed.try_into().unwrap()
			})
			.collect()
	}

	fn round2(&self, request: RequestId) {
		let shares = self.sealed_shares(request);
		assert_ok!(Mpc::submit_dkg_round2(signed(self.account), request, shares));
	}

	/// Opens the shares sent to this party and runs round 3.
	fn key_share(&self, request: RequestId) -> Result<KeyShare, zenrock_mpc_core::Error> {
		let (suite, me, n, t) = self.seat(request);
		let packages = Self::round1_packages(request);
		let borrowed: Vec<(u16, &[u8])> = packages.iter().map(|(i, p)| (*i, &p[..])).collect();
		let mut received = Vec::new();
		for (sender, sealed) in DkgRound2::<Test>::iter_prefix(request) {
			if sender == me {
				continue;
			}
			let position = if me < sender { me - 1 } else { me - 2 } as usize;
			let plaintext = open_share(
				&self.secrets.x25519_secret().unwrap(),
				&info(request),
				&[sender as u8, me as u8],
				&sealed[position],
			)
			.expect("a share sealed to me");
			received.push((sender, plaintext.to_vec()));
		}
		let received: Vec<(u16, &[u8])> = received.iter().map(|(i, s)| (*i, &s[..])).collect();
		dkg_round3(
			suite,
			me,
			n,
			t,
			&self.secrets.dkg_seed(request, 0).unwrap(),
			&borrowed,
			&received,
		)
	}

	fn confirm(&mut self, request: RequestId) {
		let share = self.key_share(request).expect("valid shares");
		let backup = self.backup(request, &share);
		assert_ok!(Mpc::confirm_dkg(signed(self.account), request, share.group_key(), backup));
		self.shares.insert(request, share);
	}

	/// The key share sealed to the party itself (its chain backup).
	fn backup(&self, request: RequestId, share: &KeyShare) -> SealedShare {
		let me = share.participant();
		seal_share(
			&self.encryption_key(),
			&info(request),
			&[me as u8, me as u8],
			&share.signing_share()[..],
			&self.secrets.seal_seed(request, 0, me).unwrap(),
		)
		.unwrap()
		.try_into()
		.unwrap()
	}

	fn publish(&mut self, suite: Suite, count: usize) {
		let mut commitments = Vec::new();
		for _ in 0..count {
			let (nonces, commitment) = zenrock_mpc_core::commit(suite, &mut self.rng).unwrap();
			self.nonces.insert(commitment.clone(), nonces);
			commitments.push(commitment);
		}
		assert_ok!(Mpc::publish_commitments(signed(self.account), KR, suite, commitments));
	}

	/// This party's shares for the current attempt of `request` (it must be a signer).
	fn signature_shares(&mut self, request: RequestId, payloads: &[Vec<u8>]) -> Vec<[u8; 32]> {
		let session = SigningSessions::<Test>::get(request).expect("a signing session");
		let share = &self.shares[&session.key];
		let me = session.signers.iter().find(|s| s.account == self.account).expect("a signer");
		payloads
			.iter()
			.enumerate()
			.map(|(index, payload)| {
				let commitments: Vec<(u16, Vec<u8>)> = session
					.signers
					.iter()
					.map(|s| (s.participant, s.commitments[index].to_vec()))
					.collect();
				let borrowed: Vec<(u16, &[u8])> =
					commitments.iter().map(|(i, c)| (*i, &c[..])).collect();
				// Each nonce signs once: it leaves the party's store as it is used.
				let nonces =
					self.nonces.remove(me.commitments[index].as_slice()).expect("my nonce");
				zenrock_mpc_core::sign(share, &nonces, payload, &borrowed).unwrap()
			})
			.collect()
	}

	fn sign(&mut self, request: RequestId, payloads: &[Vec<u8>]) {
		let attempt = SigningSessions::<Test>::get(request).unwrap().attempt;
		let shares = self.signature_shares(request, payloads);
		assert_ok!(Mpc::submit_signature_shares(signed(self.account), request, attempt, shares));
	}
}

fn info(request: RequestId) -> Vec<u8> {
	let mut info = b"zenrock/frost-dkg/v1".to_vec();
	info.extend_from_slice(&request.to_le_bytes());
	info
}

/// Keyring `KR` of Alice, Bob and Charlie, threshold 2, everyone's encryption key registered.
fn setup() -> Vec<Party> {
	set_keyring(KR, vec![ALICE, BOB, CHARLIE], 2);
	let parties: Vec<Party> = [ALICE, BOB, CHARLIE].into_iter().map(Party::new).collect();
	for party in &parties {
		party.register();
	}
	parties
}

fn party(parties: &mut [Party], account: AccountId) -> &mut Party {
	parties.iter_mut().find(|p| p.account == account).unwrap()
}

/// Runs a whole DKG for key request `request` of `key_type`; returns the group key.
fn generate_key(parties: &mut [Party], request: RequestId, key_type: KeyType) -> Vec<u8> {
	add_request(request, MockRequest::Key { key_type });
	assert_ok!(<Mpc as ThresholdBackend>::key_requested(request, KR, key_type));
	for party in parties.iter() {
		party.round1(request);
	}
	for party in parties.iter() {
		party.round2(request);
	}
	for party in parties.iter_mut() {
		party.confirm(request);
	}
	match outcome(request) {
		Some(Outcome::KeyCreated(key)) => key,
		other => panic!("key not created: {other:?}"),
	}
}

fn request_signature(request: RequestId, key: KeyId, payloads: &[Vec<u8>]) -> Vec<u16> {
	add_request(request, MockRequest::Signature { key, payloads: payloads.to_vec() });
	assert_ok!(<Mpc as ThresholdBackend>::signature_requested(request, KR, key, payloads));
	let session = SigningSessions::<Test>::get(request).unwrap();
	session.signers.iter().map(|s| s.participant).collect()
}

fn account_of(participant: u16) -> AccountId {
	[ALICE, BOB, CHARLIE][participant as usize - 1]
}

// ---------------------------------------------------------------------------------------------
// Key generation
// ---------------------------------------------------------------------------------------------

#[test]
fn three_parties_generate_ed25519_and_taproot_keys() {
	new_test_ext().execute_with(|| {
		let mut parties = setup();
		for (request, key_type, suite) in [
			(1, KeyType::Ed25519, Suite::Ed25519),
			(2, KeyType::BitcoinTaproot, Suite::Secp256k1Taproot),
		] {
			add_request(request, MockRequest::Key { key_type });
			assert_ok!(<Mpc as ThresholdBackend>::key_requested(request, KR, key_type));
			assert!(has_event(Event::DkgStarted {
				request,
				keyring: KR,
				suite,
				participants: 3,
				threshold: 2
			}));
			for account in [ALICE, BOB, CHARLIE] {
				assert_eq!(PartyTasks::<Test>::get(account, request), Some(Task::KeyGeneration));
			}
			for party in &parties {
				party.round1(request);
			}
			assert!(has_event(Event::DkgRound1Completed { request }));
			assert_eq!(DkgSessions::<Test>::get(request).unwrap().phase, DkgPhase::Round2);
			for party in &parties {
				party.round2(request);
			}
			let public = DkgSessions::<Test>::get(request).unwrap().public.unwrap();
			let group_key = GroupPublic::decode(&mut &public[..]).unwrap().group_key();
			assert!(has_event(Event::DkgRound2Completed { request, group_key }));
			// Every party reaches the chain's group key on its own.
			for party in parties.iter_mut() {
				party.confirm(request);
			}
			assert_eq!(outcome(request), Some(Outcome::KeyCreated(group_key.to_vec())));
			assert!(has_event(Event::DkgCompleted { request, key: request, group_key }));
			let stored = GroupKeys::<Test>::get(request).unwrap();
			assert_eq!((stored.keyring, stored.suite), (KR, suite));
			assert_eq!(stored.participants.to_vec(), vec![ALICE, BOB, CHARLIE]);
			// Backups kept; round data, deadline and tasks gone.
			assert_eq!(ShareBackups::<Test>::iter_prefix(request).count(), 3);
			assert!(DkgSessions::<Test>::get(request).is_none());
			assert_eq!(DkgRound1::<Test>::iter_prefix(request).count(), 0);
			assert_eq!(DkgRound2::<Test>::iter_prefix(request).count(), 0);
			assert_eq!(DkgConfirmations::<Test>::iter_prefix(request).count(), 0);
			assert_eq!(PartyTasks::<Test>::iter_key_prefix(ALICE).count(), 0);
			// No party's share alone is the key: each verifying share differs from the group's.
			let shares: Vec<&KeyShare> = parties.iter().map(|p| &p.shares[&request]).collect();
			for share in &shares {
				assert_eq!(share.group_key(), group_key);
				assert_ne!(share.verifying_share(), share.verifying_key());
			}
			// Each party recovers its share from its chain backup.
			for party in &parties {
				let share = &party.shares[&request];
				let me = share.participant();
				let backup = ShareBackups::<Test>::get(request, me).unwrap();
				let opened = open_share(
					&party.secrets.x25519_secret().unwrap(),
					&info(request),
					&[me as u8, me as u8],
					&backup,
				)
				.unwrap();
				assert_eq!(&opened[..], &share.signing_share()[..]);
			}
		}
		assert_eq!(KeyringShares::<Test>::get(KR), 2);
		assert!(<Mpc as ThresholdKeyringState>::holds_shares(KR));
	});
}

#[test]
fn round_messages_are_checked() {
	new_test_ext().execute_with(|| {
		let mut parties = setup();
		add_request(1, MockRequest::Key { key_type: KeyType::Ed25519 });
		assert_ok!(<Mpc as ThresholdBackend>::key_requested(1, KR, KeyType::Ed25519));
		let alice = &parties[0];
		// A tampered proof of knowledge, or a package of another size, is refused.
		let mut tampered = alice.round1_package(1);
		let last = tampered.len() - 1;
		tampered[last] ^= 1;
		assert_noop!(
			Mpc::submit_dkg_round1(signed(ALICE), 1, tampered),
			Error::<Test>::InvalidRound1Package
		);
		// Bob's package is bound to Bob's index: Alice cannot submit it.
		let bobs = parties[1].round1_package(1);
		assert_noop!(
			Mpc::submit_dkg_round1(signed(ALICE), 1, bobs),
			Error::<Test>::InvalidRound1Package
		);
		assert_noop!(
			Mpc::submit_dkg_round1(signed(ALICE), 1, vec![0; 10]),
			Error::<Test>::InvalidRound1Package
		);
		// Not a participant; unknown session; a later round's message.
		let package = alice.round1_package(1);
		assert_noop!(
			Mpc::submit_dkg_round1(signed(DAVE), 1, package.clone()),
			Error::<Test>::NotParticipant
		);
		assert_noop!(
			Mpc::submit_dkg_round1(signed(ALICE), 9, package.clone()),
			Error::<Test>::UnknownSession
		);
		assert_noop!(
			Mpc::submit_dkg_round2(signed(ALICE), 1, vec![[0; 80]; 2]),
			Error::<Test>::WrongPhase
		);
		alice.round1(1);
		assert_noop!(
			Mpc::submit_dkg_round1(signed(ALICE), 1, package),
			Error::<Test>::AlreadySubmitted
		);
		parties[1].round1(1);
		parties[2].round1(1);
		// Round 2 needs one sealed share per other participant.
		assert_noop!(
			Mpc::submit_dkg_round2(signed(ALICE), 1, vec![[0; 80]; 3]),
			Error::<Test>::WrongShareCount
		);
		for party in &parties {
			party.round2(1);
		}
		// A confirmation of another group key is refused and changes nothing.
		let share = parties[0].key_share(1).unwrap();
		let backup = parties[0].backup(1, &share);
		let mut wrong = share.group_key();
		wrong[0] ^= 1;
		assert_noop!(
			Mpc::confirm_dkg(signed(ALICE), 1, wrong, backup),
			Error::<Test>::WrongGroupKey
		);
		parties[0].confirm(1);
		assert_noop!(
			Mpc::confirm_dkg(signed(ALICE), 1, share.group_key(), backup),
			Error::<Test>::AlreadySubmitted
		);
		// Past the round's deadline, messages are late.
		System::set_block_number(1 + ROUND_TIMEOUT);
		let share = parties[1].key_share(1).unwrap();
		assert_noop!(
			Mpc::confirm_dkg(signed(BOB), 1, share.group_key(), parties[1].backup(1, &share)),
			Error::<Test>::TooLate
		);
	});
}

#[test]
fn a_silent_party_fails_the_key_generation_and_refunds() {
	new_test_ext().execute_with(|| {
		let parties = setup();
		add_request(1, MockRequest::Key { key_type: KeyType::BitcoinTaproot });
		assert_ok!(<Mpc as ThresholdBackend>::key_requested(1, KR, KeyType::BitcoinTaproot));
		assert!(<Mpc as ThresholdKeyringState>::holds_shares(KR));
		for party in &parties {
			party.round1(1);
		}
		// Charlie stays silent in round 2.
		parties[0].round2(1);
		parties[1].round2(1);
		let deadline = DkgSessions::<Test>::get(1).unwrap().deadline;
		run_to_block(deadline - 1);
		assert!(outcome(1).is_none());
		run_to_block(deadline);
		assert_eq!(outcome(1), Some(Outcome::Rejected(b"dkg: party 3 unresponsive".to_vec())));
		assert!(has_event(Event::PartyTimedOut { keyring: KR, party: CHARLIE, request: 1 }));
		assert_eq!(PartyStatus::<Test>::get(KR, CHARLIE).missed, 1);
		assert!(DkgSessions::<Test>::get(1).is_none());
		assert_eq!(DkgRound1::<Test>::iter_prefix(1).count(), 0);
		assert_eq!(Deadlines::<Test>::iter().count(), 0);
		assert!(!<Mpc as ThresholdKeyringState>::holds_shares(KR));
	});
}

#[test]
fn a_complaint_fails_the_key_generation() {
	new_test_ext().execute_with(|| {
		let parties = setup();
		add_request(1, MockRequest::Key { key_type: KeyType::Ed25519 });
		assert_ok!(<Mpc as ThresholdBackend>::key_requested(1, KR, KeyType::Ed25519));
		for party in &parties {
			party.round1(1);
		}
		// Bob seals garbage to Alice: Alice's round 3 names him.
		parties[1].round2(1);
		let mut shares = parties[1].sealed_shares(1);
		shares[0] = [7; 80];
		DkgRound2::<Test>::insert(1, 2u16, frame_support::BoundedVec::truncate_from(shares));
		parties[0].round2(1);
		parties[2].round2(1);
		let garbage = DkgRound2::<Test>::get(1, 2u16).unwrap()[0];
		assert!(open_share(
			&parties[0].secrets.x25519_secret().unwrap(),
			&info(1),
			&[2, 1],
			&garbage
		)
		.is_err());
		assert_noop!(Mpc::complain_dkg(signed(ALICE), 1, 1), Error::<Test>::InvalidAccusation);
		assert_noop!(Mpc::complain_dkg(signed(ALICE), 1, 4), Error::<Test>::InvalidAccusation);
		assert_noop!(Mpc::complain_dkg(signed(DAVE), 1, 2), Error::<Test>::NotParticipant);
		assert_ok!(Mpc::complain_dkg(signed(ALICE), 1, 2));
		assert_eq!(outcome(1), Some(Outcome::Rejected(b"dkg: party 2 accused by 1".to_vec())));
		assert!(DkgSessions::<Test>::get(1).is_none());
	});
}

#[test]
fn threshold_keyrings_need_encryption_keys() {
	new_test_ext().execute_with(|| {
		set_keyring(KR, vec![ALICE, BOB, CHARLIE], 2);
		Party::new(ALICE).register();
		assert_noop!(
			<Mpc as ThresholdBackend>::ensure_ready(KR, 3),
			Error::<Test>::MissingEncryptionKey
		);
		Party::new(BOB).register();
		Party::new(CHARLIE).register();
		assert_ok!(<Mpc as ThresholdBackend>::ensure_ready(KR, 3));
		assert_noop!(<Mpc as ThresholdBackend>::ensure_ready(KR, 6), Error::<Test>::InvalidParties);
		assert_noop!(
			<Mpc as ThresholdBackend>::key_requested(1, KR, KeyType::EcdsaSecp256k1),
			Error::<Test>::UnsupportedKeyType
		);
	});
}

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

#[test]
fn pooled_commitments_sign_in_one_round() {
	new_test_ext().execute_with(|| {
		let mut parties = setup();
		generate_key(&mut parties, 1, KeyType::Ed25519);
		let taproot = generate_key(&mut parties, 2, KeyType::BitcoinTaproot);
		assert_eq!(taproot.len(), 32);
		for party in parties.iter_mut() {
			party.publish(Suite::Ed25519, 4);
			party.publish(Suite::Secp256k1Taproot, 4);
		}
		// An Ed25519 message pair, and a Taproot sighash.
		let messages = vec![b"solana message".to_vec(), vec![0xab; 200]];
		let signers = request_signature(10, 1, &messages);
		assert_eq!(signers.len(), 2);
		for participant in &signers {
			let account = account_of(*participant);
			assert_eq!(PartyTasks::<Test>::get(account, 10), Some(Task::Signing));
			// Each signer gave one commitment per payload.
			assert_eq!(CommitmentPool::<Test>::get((KR, Suite::Ed25519), account).len(), 2);
		}
		for participant in &signers {
			party(&mut parties, account_of(*participant)).sign(10, &messages);
		}
		let Some(Outcome::Signed(signatures)) = outcome(10) else { panic!("not signed") };
		assert_eq!(signatures.len(), 2);
		assert!(has_event(Event::SigningCompleted { request: 10, attempt: 0 }));
		assert!(SigningSessions::<Test>::get(10).is_none());
		assert_eq!(SignatureShares::<Test>::iter_prefix(10).count(), 0);

		let sighash = vec![vec![0x5c; 32]];
		let signers = request_signature(11, 2, &sighash);
		for participant in &signers {
			party(&mut parties, account_of(*participant)).sign(11, &sighash);
		}
		let Some(Outcome::Signed(signatures)) = outcome(11) else { panic!("not signed") };
		// A plain BIP-340 signature of the sighash by the P2TR output key.
		zenrock_chain_formats::taproot::verify_bip340(
			&taproot.try_into().unwrap(),
			&[0x5c; 32],
			&signatures[0],
		)
		.unwrap();
		// Rotation: consecutive requests start at different parties.
		let first = request_signature(12, 1, &messages[..1]);
		let second = request_signature(13, 1, &messages[..1]);
		assert_ne!(first, second);
	});
}

#[test]
fn share_submissions_are_checked() {
	new_test_ext().execute_with(|| {
		let mut parties = setup();
		generate_key(&mut parties, 1, KeyType::Ed25519);
		for party in parties.iter_mut() {
			party.publish(Suite::Ed25519, 2);
		}
		let message = vec![b"m".to_vec()];
		let signers = request_signature(10, 1, &message);
		let outsider = [ALICE, BOB, CHARLIE]
			.into_iter()
			.find(|a| !signers.iter().any(|p| account_of(*p) == *a))
			.unwrap();
		assert_noop!(
			Mpc::submit_signature_shares(signed(outsider), 10, 0, vec![[1; 32]]),
			Error::<Test>::NotParticipant
		);
		let signer = account_of(signers[0]);
		assert_noop!(
			Mpc::submit_signature_shares(signed(signer), 10, 1, vec![[1; 32]]),
			Error::<Test>::WrongAttempt
		);
		assert_noop!(
			Mpc::submit_signature_shares(signed(signer), 10, 0, vec![[1; 32], [1; 32]]),
			Error::<Test>::InvalidSignatureShares
		);
		// Not a canonical scalar.
		assert_noop!(
			Mpc::submit_signature_shares(signed(signer), 10, 0, vec![[0xff; 32]]),
			Error::<Test>::InvalidSignatureShares
		);
		assert_noop!(
			Mpc::submit_signature_shares(signed(signer), 11, 0, vec![[1; 32]]),
			Error::<Test>::UnknownSession
		);
		party(&mut parties, signer).sign(10, &message);
		assert_noop!(
			Mpc::submit_signature_shares(signed(signer), 10, 0, vec![[1; 32]]),
			Error::<Test>::AlreadySubmitted
		);
		System::set_block_number(1 + SHARE_TIMEOUT);
		assert_noop!(
			Mpc::submit_signature_shares(signed(account_of(signers[1])), 10, 0, vec![[1; 32]]),
			Error::<Test>::TooLate
		);
	});
}

#[test]
fn a_silent_signer_is_replaced_by_another_subset() {
	new_test_ext().execute_with(|| {
		let mut parties = setup();
		generate_key(&mut parties, 1, KeyType::Ed25519);
		for party in parties.iter_mut() {
			party.publish(Suite::Ed25519, 4);
		}
		let message = vec![b"pay".to_vec()];
		let signers = request_signature(10, 1, &message);
		// The first signer answers, the second is down.
		let (answering, silent) = (account_of(signers[0]), account_of(signers[1]));
		party(&mut parties, answering).sign(10, &message);
		let deadline = SigningSessions::<Test>::get(10).unwrap().deadline;
		run_to_block(deadline);
		assert!(has_event(Event::PartyTimedOut { keyring: KR, party: silent, request: 10 }));
		let record = PartyStatus::<Test>::get(KR, silent);
		assert_eq!((record.missed, record.suspended_until), (1, deadline + SUSPEND_BLOCKS));
		let session = SigningSessions::<Test>::get(10).expect("a second attempt");
		assert_eq!(session.attempt, 1);
		let second: Vec<u16> = session.signers.iter().map(|s| s.participant).collect();
		assert!(!second.contains(&signers[1]), "the silent signer is excluded");
		for participant in &second {
			party(&mut parties, account_of(*participant)).sign(10, &message);
		}
		assert!(matches!(outcome(10), Some(Outcome::Signed(_))));
		assert!(has_event(Event::SigningCompleted { request: 10, attempt: 1 }));
		// While suspended, the silent party is passed over when others can sign.
		let next = request_signature(11, 1, &message);
		assert!(!next.iter().any(|p| account_of(*p) == silent));
	});
}

#[test]
fn an_invalid_share_is_proven_and_its_party_excluded() {
	new_test_ext().execute_with(|| {
		let mut parties = setup();
		generate_key(&mut parties, 1, KeyType::BitcoinTaproot);
		for party in parties.iter_mut() {
			party.publish(Suite::Secp256k1Taproot, 4);
		}
		let sighash = vec![vec![0x42; 32]];
		let signers = request_signature(10, 1, &sighash);
		let (honest, cheater) = (account_of(signers[0]), account_of(signers[1]));
		party(&mut parties, honest).sign(10, &sighash);
		// The cheater submits a well-formed but wrong share.
		let mut shares = party(&mut parties, cheater).signature_shares(10, &sighash);
		shares[0][31] ^= 1;
		assert_ok!(Mpc::submit_signature_shares(signed(cheater), 10, 0, shares));
		assert!(has_event(Event::InvalidShareProven { keyring: KR, party: cheater, request: 10 }));
		assert!(!has_event(Event::InvalidShareProven { keyring: KR, party: honest, request: 10 }));
		assert!(PartyStatus::<Test>::get(KR, cheater).faulty);
		assert!(outcome(10).is_none(), "nothing stored from the bad attempt");
		let session = SigningSessions::<Test>::get(10).expect("a new attempt");
		let second: Vec<AccountId> = session.signers.iter().map(|s| s.account).collect();
		assert!(!second.contains(&cheater));
		for account in second {
			party(&mut parties, account).sign(10, &sighash);
		}
		assert!(matches!(outcome(10), Some(Outcome::Signed(_))));
		// A faulty party is never chosen again.
		let next = request_signature(11, 1, &sighash);
		assert!(!next.iter().any(|p| account_of(*p) == cheater));
	});
}

#[test]
fn signing_needs_enough_signers_with_commitments() {
	new_test_ext().execute_with(|| {
		let mut parties = setup();
		generate_key(&mut parties, 1, KeyType::Ed25519);
		add_request(10, MockRequest::Signature { key: 1, payloads: vec![b"m".to_vec()] });
		assert_noop!(
			<Mpc as ThresholdBackend>::signature_requested(10, KR, 1, &[b"m".to_vec()]),
			Error::<Test>::NotEnoughSigners
		);
		party(&mut parties, ALICE).publish(Suite::Ed25519, 1);
		assert_noop!(
			<Mpc as ThresholdBackend>::signature_requested(10, KR, 1, &[b"m".to_vec()]),
			Error::<Test>::NotEnoughSigners
		);
		assert_noop!(
			<Mpc as ThresholdBackend>::signature_requested(10, KR, 99, &[b"m".to_vec()]),
			Error::<Test>::UnknownThresholdKey
		);
		assert_noop!(
			<Mpc as ThresholdBackend>::signature_requested(10, KR + 1, 1, &[b"m".to_vec()]),
			Error::<Test>::UnknownThresholdKey
		);
		// With both signers down, every attempt times out and the request is rejected.
		party(&mut parties, BOB).publish(Suite::Ed25519, 1);
		party(&mut parties, CHARLIE).publish(Suite::Ed25519, 1);
		assert_ok!(<Mpc as ThresholdBackend>::signature_requested(10, KR, 1, &[b"m".to_vec()]));
		let deadline = SigningSessions::<Test>::get(10).unwrap().deadline;
		run_to_block(deadline);
		assert_eq!(
			outcome(10),
			Some(Outcome::Rejected(b"signing: not enough responsive signers".to_vec()))
		);
		assert!(SigningSessions::<Test>::get(10).is_none());
	});
}

#[test]
fn commitment_pools_are_bounded_and_checked() {
	new_test_ext().execute_with(|| {
		let mut parties = setup();
		assert_noop!(
			Mpc::publish_commitments(signed(DAVE), KR, Suite::Ed25519, vec![vec![0; 64]]),
			Error::<Test>::NotKeyringParty
		);
		assert_noop!(
			Mpc::publish_commitments(signed(ALICE), KR, Suite::Ed25519, vec![]),
			Error::<Test>::WrongCommitmentCount
		);
		assert_noop!(
			Mpc::publish_commitments(signed(ALICE), KR, Suite::Ed25519, vec![vec![0; 64]]),
			Error::<Test>::InvalidCommitment
		);
		// A Taproot commitment is not an Ed25519 one.
		let (_, taproot) =
			zenrock_mpc_core::commit(Suite::Secp256k1Taproot, &mut parties[0].rng).unwrap();
		assert_noop!(
			Mpc::publish_commitments(signed(ALICE), KR, Suite::Ed25519, vec![taproot]),
			Error::<Test>::InvalidCommitment
		);
		party(&mut parties, ALICE).publish(Suite::Ed25519, 8);
		assert!(has_event(Event::CommitmentsPublished {
			keyring: KR,
			suite: Suite::Ed25519,
			party: ALICE,
			pooled: 8
		}));
		let (_, one_more) = zenrock_mpc_core::commit(Suite::Ed25519, &mut parties[0].rng).unwrap();
		assert_noop!(
			Mpc::publish_commitments(signed(ALICE), KR, Suite::Ed25519, vec![one_more]),
			Error::<Test>::PoolFull
		);
		assert_ok!(Mpc::reset_commitments(signed(ALICE), KR, Suite::Ed25519));
		assert_eq!(CommitmentPool::<Test>::get((KR, Suite::Ed25519), ALICE).len(), 0);
	});
}

#[test]
fn deadlines_beyond_the_budget_wait_a_block() {
	new_test_ext().execute_with(|| {
		setup();
		// MaxDeadlinesPerBlock is 2: three key generations due at once take two blocks.
		for request in 1..=3 {
			add_request(request, MockRequest::Key { key_type: KeyType::Ed25519 });
			assert_ok!(<Mpc as ThresholdBackend>::key_requested(request, KR, KeyType::Ed25519));
		}
		run_to_block(1 + ROUND_TIMEOUT);
		let rejected =
			(1..=3).filter(|r| matches!(outcome(*r), Some(Outcome::Rejected(_)))).count();
		assert_eq!(rejected, 2);
		run_to_block(2 + ROUND_TIMEOUT);
		assert!((1..=3).all(|r| matches!(outcome(r), Some(Outcome::Rejected(_)))));
		assert_eq!(Deadlines::<Test>::iter().count(), 0);
		assert_eq!(KeyringShares::<Test>::get(KR), 0);
	});
}

#[test]
fn ceremony_calls_are_charged_for_their_own_parties() {
	use crate::WeightInfo;
	new_test_ext().execute_with(|| {
		let mut parties = setup();
		add_request(1, MockRequest::Key { key_type: KeyType::Ed25519 });
		assert_ok!(<Mpc as ThresholdBackend>::key_requested(1, KR, KeyType::Ed25519));
		let package = parties[0].round1_package(1);
		let info = Mpc::submit_dkg_round1(signed(ALICE), 1, package).unwrap();
		let three = <() as WeightInfo>::submit_dkg_round1(3);
		assert_eq!(info.actual_weight, Some(three));
		assert!(
			three.ref_time() < <() as WeightInfo>::submit_dkg_round1(MaxParties::get()).ref_time()
		);

		// Signing with a key of three parties, two signers, one payload.
		let key = {
			let key_request = 2;
			generate_key(&mut parties, key_request, KeyType::Ed25519);
			key_request
		};
		for party in parties.iter_mut() {
			party.publish(Suite::Ed25519, 1);
		}
		let payloads = vec![b"charged for three".to_vec()];
		let signers = request_signature(3, key, &payloads);
		let first = party(&mut parties, account_of(signers[0]));
		let shares = first.signature_shares(3, &payloads);
		let first_account = first.account;
		let info = Mpc::submit_signature_shares(signed(first_account), 3, 0, shares).unwrap();
		// Shares stored: charged as such, not as the declared worst case.
		let stored = <() as WeightInfo>::submit_signature_shares_stored(3, 1);
		assert_eq!(info.actual_weight, Some(stored));
		let declared = <() as WeightInfo>::submit_signature_shares(MaxParties::get(), 1);
		assert!(stored.ref_time() < declared.ref_time());
		// The last signer's valid shares complete the signature: charged as the signing path.
		let second = party(&mut parties, account_of(signers[1]));
		let shares = second.signature_shares(3, &payloads);
		let info = Mpc::submit_signature_shares(signed(second.account), 3, 0, shares).unwrap();
		let completed = <() as WeightInfo>::submit_signature_shares_signed(3, 1);
		assert_eq!(info.actual_weight, Some(completed));
		assert!(completed.ref_time() < declared.ref_time());
		assert!(matches!(outcome(3), Some(Outcome::Signed(_))));
	});
}
