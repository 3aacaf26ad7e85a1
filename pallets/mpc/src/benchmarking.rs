//! Benchmarks of the MPC pallet, at the worst case of every bound.
//!
//! Ceremonies run real FROST through `zenrock-mpc-core` with Bitcoin Taproot keys (secp256k1
//! arithmetic and BIP-340 verification run in the runtime, where Ed25519 verification is a host
//! call, so Taproot is the costlier suite). Keyrings, key requests and signature requests are made
//! through [`Config::BenchmarkHelper`] the way users make them, so the ceremonies' results go to
//! the real treasury. Round-2 shares are opaque to the chain and are not computed here.

use super::*;
use alloc::{vec, vec::Vec};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;
use zenrock_mpc_core::{commit, dkg_round1, dkg_round2, dkg_round3, sign, KeyShare, PartySecrets};

const SEED: u32 = 0;
const KEY_TYPE: KeyType = KeyType::BitcoinTaproot;
const SUITE: Suite = Suite::Secp256k1Taproot;

fn assert_last_event<T: Config>(event: Event<T>) {
	let event: <T as frame_system::Config>::RuntimeEvent = event.into();
	frame_system::Pallet::<T>::assert_last_event(event);
}

/// `n` party accounts with encryption keys.
fn parties<T: Config>(n: u32) -> Vec<T::AccountId> {
	(0..n)
		.map(|i| {
			let party: T::AccountId = account("party", i, SEED);
			EncryptionKeys::<T>::insert(&party, [i as u8 + 1; 32]);
			party
		})
		.collect()
}

/// Participant `participant`'s DKG seed (any distinct seeds do for benchmarks).
fn seed(participant: u16) -> [u8; 32] {
	[participant as u8; 32]
}

/// A `t`-of-`n` FROST keyring and a key request on it, with the key generation started.
fn key_generation<T: Config>(n: u32, t: u32) -> (Vec<T::AccountId>, RequestId) {
	let parties = parties::<T>(n);
	let keyring = T::BenchmarkHelper::frost_keyring(parties.clone(), t);
	let request = T::BenchmarkHelper::request_key(keyring, KEY_TYPE);
	assert!(DkgSessions::<T>::contains_key(request), "the key generation started");
	(parties, request)
}

fn round1_package(n: u32, t: u32, participant: u16) -> Vec<u8> {
	dkg_round1(SUITE, participant, n as u16, t as u16, &seed(participant))
		.expect("a valid round-1 package")
}

/// Round 1 by the first `count` participants.
fn round1<T: Config>(parties: &[T::AccountId], t: u32, request: RequestId, count: usize) {
	let n = parties.len() as u32;
	for (index, party) in parties.iter().enumerate().take(count) {
		let package = round1_package(n, t, index as u16 + 1);
		Pallet::<T>::submit_dkg_round1(RawOrigin::Signed(party.clone()).into(), request, package)
			.expect("round 1 accepted");
	}
}

/// Round 2 by the first `count` participants (sealed shares are opaque to the chain).
fn round2<T: Config>(parties: &[T::AccountId], request: RequestId, count: usize) {
	for party in parties.iter().take(count) {
		let shares = vec![[7u8; SEALED_SHARE_SIZE]; parties.len() - 1];
		Pallet::<T>::submit_dkg_round2(RawOrigin::Signed(party.clone()).into(), request, shares)
			.expect("round 2 accepted");
	}
}

fn group_key<T: Config>(request: RequestId) -> [u8; 32] {
	let session = DkgSessions::<T>::get(request).expect("a DKG session");
	Pallet::<T>::session_public(&session).expect("past round 1").group_key()
}

/// Confirmations by the first `count` participants.
fn confirm<T: Config>(parties: &[T::AccountId], request: RequestId, count: usize) {
	let key = group_key::<T>(request);
	for party in parties.iter().take(count) {
		Pallet::<T>::confirm_dkg(
			RawOrigin::Signed(party.clone()).into(),
			request,
			key,
			[9u8; SEALED_SHARE_SIZE],
		)
		.expect("confirmation accepted");
	}
}

/// A `t`-of-`n` threshold key generated on chain, and every participant's key share (computed
/// here from the same seeds, as the parties' workers would).
fn threshold_key<T: Config>(n: u32, t: u32) -> (Vec<T::AccountId>, KeyId, Vec<KeyShare>) {
	let (parties, request) = key_generation::<T>(n, t);
	round1::<T>(&parties, t, request, parties.len());
	let packages: Vec<(u16, Vec<u8>)> =
		(1..=n as u16).map(|i| (i, round1_package(n, t, i))).collect();
	let borrowed: Vec<(u16, &[u8])> = packages.iter().map(|(i, p)| (*i, &p[..])).collect();
	let outgoing: Vec<Vec<(u16, _)>> = (1..=n as u16)
		.map(|i| {
			dkg_round2(SUITE, i, n as u16, t as u16, &seed(i), &borrowed).expect("round 2 shares")
		})
		.collect();
	let shares = (1..=n as u16)
		.map(|me| {
			let received: Vec<(u16, &[u8])> = outgoing
				.iter()
				.enumerate()
				.filter(|(sender, _)| *sender as u16 + 1 != me)
				.filter_map(|(sender, list)| {
					let share = list.iter().find(|(recipient, _)| *recipient == me)?;
					Some((sender as u16 + 1, &share.1[..]))
				})
				.collect();
			dkg_round3(SUITE, me, n as u16, t as u16, &seed(me), &borrowed, &received)
				.expect("a key share")
		})
		.collect();
	round2::<T>(&parties, request, parties.len());
	confirm::<T>(&parties, request, parties.len());
	assert!(GroupKeys::<T>::contains_key(request), "the key exists");
	(parties, request, shares)
}

/// `count` signing nonces and their commitments for participant `participant`.
fn nonces(participant: u16, count: u32) -> (Vec<zenrock_mpc_core::SigningNonces>, Vec<Vec<u8>>) {
	let secrets = PartySecrets::derive(&[participant as u8; 64]);
	let mut rng = secrets.nonce_rng(&[count as u8; 32]).expect("an RNG");
	(0..count).map(|_| commit(SUITE, &mut rng).expect("a commitment")).unzip()
}

/// 32-byte payloads (Taproot signs BIP-341 sighashes).
fn payloads(p: u32) -> Vec<Vec<u8>> {
	(0..p).map(|i| vec![i as u8 + 1; 32]).collect()
}

/// A signing attempt over `p` payloads by `n - 1` signers of an `n`-party Taproot key (pools
/// hold enough commitments for a second attempt), with each signer's account and valid shares in
/// the attempt's order.
fn signing_attempt<T: Config>(
	n: u32,
	p: u32,
) -> (RequestId, Vec<(T::AccountId, Vec<SignatureShare>)>) {
	let (parties, key, shares) = threshold_key::<T>(n, n - 1);
	let keyring = GroupKeys::<T>::get(key).expect("the key").keyring;
	let mut pooled = Vec::new();
	for (index, party) in parties.iter().enumerate() {
		let (secret, public) = nonces(index as u16 + 1, 2 * p);
		Pallet::<T>::publish_commitments(
			RawOrigin::Signed(party.clone()).into(),
			keyring,
			SUITE,
			public,
		)
		.expect("commitments accepted");
		pooled.push(secret);
	}
	let messages = payloads(p);
	let request = T::BenchmarkHelper::request_signature(key, messages.clone());
	let session = SigningSessions::<T>::get(request).expect("an attempt started");
	let signers = session
		.signers
		.iter()
		.map(|signer| {
			let index = usize::from(signer.participant) - 1;
			let signature_shares = messages
				.iter()
				.enumerate()
				.map(|(payload, message)| {
					let commitments: Vec<(u16, &[u8])> = session
						.signers
						.iter()
						.map(|s| (s.participant, &s.commitments[payload][..]))
						.collect();
					sign(&shares[index], &pooled[index][payload], message, &commitments)
						.expect("a signature share")
				})
				.collect();
			(signer.account.clone(), signature_shares)
		})
		.collect();
	(request, signers)
}

/// Every signer in `signers` submits its shares for attempt 0 of `request`.
fn submit_all<T: Config>(request: RequestId, signers: Vec<(T::AccountId, Vec<SignatureShare>)>) {
	for (account, shares) in signers {
		Pallet::<T>::submit_signature_shares(RawOrigin::Signed(account).into(), request, 0, shares)
			.expect("shares accepted");
	}
}

/// A threshold ECDSA keyring of `n` parties (threshold 2) whose parties all announced: both
/// setup ceremonies are open.
fn ecdsa_setup<T: Config>(n: u32) -> (Vec<T::AccountId>, KeyringId) {
	let parties = parties::<T>(n);
	let keyring = T::BenchmarkHelper::ecdsa_keyring(parties.clone(), 2);
	for party in &parties {
		Pallet::<T>::announce_ecdsa_ready(RawOrigin::Signed(party.clone()).into(), keyring)
			.expect("announced");
	}
	(parties, keyring)
}

/// A small valid bundle of participant `position`.
fn small_bundle(position: u16) -> Vec<u8> {
	EcdsaBundle { broadcast: vec![vec![position as u8; 8]], direct: vec![] }.encode()
}

/// Every participant's bundles for the message rounds of `ceremony`.
fn run_rounds<T: Config>(ceremony: CeremonyId) {
	let participants = Ceremonies::<T>::get(ceremony).expect("open").participants;
	for round in 1..=CEREMONY_ROUNDS {
		for (position, party) in (1u16..).zip(&participants) {
			Pallet::<T>::submit_ceremony_bundle(
				RawOrigin::Signed(party.clone()).into(),
				ceremony,
				round,
				small_bundle(position),
			)
			.expect("bundle accepted");
		}
	}
}

/// A threshold ECDSA keyring of `n` parties and threshold `t`, set up with the vector's master
/// key (the setup ceremonies' work is the nodes').
fn ready_ecdsa_keyring<T: Config>(n: u32, t: u32) -> (Vec<T::AccountId>, KeyringId) {
	let parties = parties::<T>(n);
	let keyring = T::BenchmarkHelper::ecdsa_keyring(parties.clone(), t);
	let mut record = Pallet::<T>::ecdsa_keyring(keyring).expect("a threshold ECDSA keyring");
	record.aux_ready = true;
	record.master = Some(ecdsa_vector::MASTER_KEY);
	EcdsaKeyrings::<T>::insert(keyring, record);
	KeyringShares::<T>::insert(keyring, 1);
	(parties, keyring)
}

/// Public data of a presignature of `signers` signers (the vector's points, repeated).
fn presignature_public(signers: usize) -> Vec<u8> {
	let vector = &ecdsa_vector::PRESIGNATURE_PUBLIC;
	let mut bytes = vector[..33].to_vec();
	for _ in 0..signers {
		bytes.extend_from_slice(&vector[33..99]);
	}
	bytes
}

/// A signature request of the vector's transaction with child 0 of a ready 2-of-`n` keyring,
/// signed from the vector's presignature (signers 1 and 2); the request and the signers.
fn ecdsa_signing<T: Config>(n: u32) -> (RequestId, Vec<T::AccountId>) {
	let (parties, keyring) = ready_ecdsa_keyring::<T>(n, 2);
	let key = T::BenchmarkHelper::request_key(keyring, KeyType::EcdsaSecp256k1);
	let signers: BoundedVec<u16, T::MaxParties> = BoundedVec::truncate_from(vec![1, 2]);
	let public = CeremonyOutput::truncate_from(ecdsa_vector::PRESIGNATURE_PUBLIC.to_vec());
	Presignatures::<T>::insert(key, CeremonyId::MAX, PooledPresignature { signers, public });
	PresignaturePools::<T>::mutate_extant(key, |pool| pool.pooled = pool.pooled + 1);
	let request =
		T::BenchmarkHelper::request_evm_transaction_signature(key, ecdsa_vector::transaction());
	let session = EcdsaSigningSessions::<T>::get(request).expect("a session");
	assert!(!session.waiting(), "signed from the vector's presignature");
	(request, parties[..2].to_vec())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_encryption_key() {
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), [5u8; 32]);
		assert_eq!(EncryptionKeys::<T>::get(&caller), Some([5u8; 32]));
	}

	/// Adds `c` commitments to a pool that has room for exactly them.
	#[benchmark]
	fn publish_commitments(c: Linear<1, { T::MaxPooledCommitments::get() }>) {
		let parties = parties::<T>(2);
		let keyring = T::BenchmarkHelper::frost_keyring(parties.clone(), 2);
		let room = T::MaxPooledCommitments::get() - c;
		if room > 0 {
			let (_, filler) = nonces(2, room);
			Pallet::<T>::publish_commitments(
				RawOrigin::Signed(parties[0].clone()).into(),
				keyring,
				SUITE,
				filler,
			)
			.expect("filler accepted");
		}
		let (_, commitments) = nonces(1, c);
		#[extrinsic_call]
		_(RawOrigin::Signed(parties[0].clone()), keyring, SUITE, commitments);
		assert_eq!(
			CommitmentPool::<T>::decode_len((keyring, SUITE), &parties[0]),
			Some(T::MaxPooledCommitments::get() as usize)
		);
	}

	#[benchmark]
	fn reset_commitments() {
		let parties = parties::<T>(2);
		let keyring = T::BenchmarkHelper::frost_keyring(parties.clone(), 2);
		let (_, commitments) = nonces(1, T::MaxPooledCommitments::get());
		Pallet::<T>::publish_commitments(
			RawOrigin::Signed(parties[0].clone()).into(),
			keyring,
			SUITE,
			commitments,
		)
		.expect("commitments accepted");
		#[extrinsic_call]
		_(RawOrigin::Signed(parties[0].clone()), keyring, SUITE);
		assert_eq!(CommitmentPool::<T>::decode_len((keyring, SUITE), &parties[0]), None);
	}

	/// The last round-1 package of an `n`-of-`n` key generation: its proof of knowledge and the
	/// group's public data from all `n` packages of `n` commitments.
	#[benchmark]
	fn submit_dkg_round1(n: Linear<2, { T::MaxParties::get() }>) {
		let (parties, request) = key_generation::<T>(n, n);
		round1::<T>(&parties, n, request, parties.len() - 1);
		let last = parties.last().expect("n >= 2").clone();
		let package = round1_package(n, n, n as u16);
		#[extrinsic_call]
		_(RawOrigin::Signed(last), request, package);
		assert_last_event::<T>(Event::DkgRound1Completed { request });
	}

	/// The last participant's sealed shares.
	#[benchmark]
	fn submit_dkg_round2(n: Linear<2, { T::MaxParties::get() }>) {
		let (parties, request) = key_generation::<T>(n, n);
		round1::<T>(&parties, n, request, parties.len());
		round2::<T>(&parties, request, parties.len() - 1);
		let last = parties.last().expect("n >= 2").clone();
		let shares = vec![[7u8; SEALED_SHARE_SIZE]; parties.len() - 1];
		#[extrinsic_call]
		_(RawOrigin::Signed(last), request, shares);
		assert_eq!(DkgSessions::<T>::get(request).map(|s| s.phase), Some(DkgPhase::Confirm));
	}

	/// The last confirmation: the key is created in the treasury and `n` backups are kept.
	#[benchmark]
	fn confirm_dkg(n: Linear<2, { T::MaxParties::get() }>) {
		let (parties, request) = key_generation::<T>(n, n);
		round1::<T>(&parties, n, request, parties.len());
		round2::<T>(&parties, request, parties.len());
		confirm::<T>(&parties, request, parties.len() - 1);
		let last = parties.last().expect("n >= 2").clone();
		let key = group_key::<T>(request);
		#[extrinsic_call]
		_(RawOrigin::Signed(last), request, key, [9u8; SEALED_SHARE_SIZE]);
		assert!(GroupKeys::<T>::contains_key(request));
	}

	/// A complaint after `n - 1` confirmations: the request is rejected and refunded and every
	/// round's data removed.
	#[benchmark]
	fn complain_dkg(n: Linear<2, { T::MaxParties::get() }>) {
		let (parties, request) = key_generation::<T>(n, n);
		round1::<T>(&parties, n, request, parties.len());
		round2::<T>(&parties, request, parties.len());
		confirm::<T>(&parties, request, parties.len() - 1);
		let last = parties.last().expect("n >= 2").clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(last), request, 1);
		assert!(!DkgSessions::<T>::contains_key(request));
	}

	/// The worst path: the last of `n - 1` signers submits `p` shares of which one is wrong: the
	/// chain aggregates, the treasury's verification fails, every share is checked (blame) and a
	/// new attempt starts with the spare party. Declared before dispatch; the two cheaper paths
	/// below are refunded.
	#[benchmark]
	fn submit_signature_shares(
		n: Linear<3, { T::MaxParties::get() }>,
		p: Linear<1, { T::MaxPayloads::get() }>,
	) {
		let (request, mut signers) = signing_attempt::<T>(n, p);
		let (last, _) = signers.pop().expect("t >= 2 signers");
		submit_all::<T>(request, signers);
		let wrong = vec![[1u8; SCALAR_SIZE]; p as usize];
		#[extrinsic_call]
		submit_signature_shares(RawOrigin::Signed(last), request, 0, wrong);
		assert_eq!(SigningSessions::<T>::get(request).map(|s| s.attempt), Some(1));
	}

	/// A signer that is not the last submits its `p` valid shares: they are checked and stored.
	#[benchmark]
	fn submit_signature_shares_stored(
		n: Linear<3, { T::MaxParties::get() }>,
		p: Linear<1, { T::MaxPayloads::get() }>,
	) {
		let (request, mut signers) = signing_attempt::<T>(n, p);
		let (first, shares) = signers.remove(0);
		#[extrinsic_call]
		submit_signature_shares(RawOrigin::Signed(first), request, 0, shares);
		assert_eq!(SigningSessions::<T>::get(request).map(|s| s.submitted), Some(1));
	}

	/// The last of `n - 1` signers submits its `p` valid shares: the chain aggregates every
	/// payload's signature and the treasury verifies (BIP-340) and stores them.
	#[benchmark]
	fn submit_signature_shares_signed(
		n: Linear<3, { T::MaxParties::get() }>,
		p: Linear<1, { T::MaxPayloads::get() }>,
	) {
		let (request, mut signers) = signing_attempt::<T>(n, p);
		let (last, shares) = signers.pop().expect("t >= 2 signers");
		submit_all::<T>(request, signers);
		#[extrinsic_call]
		submit_signature_shares(RawOrigin::Signed(last), request, 0, shares);
		assert_last_event::<T>(Event::SigningCompleted { request, attempt: 0 });
	}

	/// `d` key generations of `MaxParties` parties time out in round 1, the last party silent:
	/// each is rejected, refunded and cleared, and its silent party marked. (A signing attempt that times out
	/// starts another one instead; `on_initialize` adds a `signature_requested` for that.)
	#[benchmark]
	fn on_initialize_deadlines(d: Linear<0, { T::MaxDeadlinesPerBlock::get() }>) {
		let n = T::MaxParties::get();
		let parties = parties::<T>(n);
		let keyring = T::BenchmarkHelper::frost_keyring(parties.clone(), n);
		// Every party but the last published: finding the silent one reads every package.
		let requests: Vec<RequestId> = (0..d)
			.map(|_| {
				let request = T::BenchmarkHelper::request_key(keyring, KEY_TYPE);
				round1::<T>(&parties, n, request, parties.len() - 1);
				request
			})
			.collect();
		let now = frame_system::Pallet::<T>::block_number();
		let due = now.saturating_add(T::DkgRoundTimeout::get());
		frame_system::Pallet::<T>::set_block_number(due);
		NextDeadlineBlock::<T>::put(due);
		#[block]
		{
			Pallet::<T>::on_initialize(due);
		}
		for request in requests {
			assert!(!DkgSessions::<T>::contains_key(request));
		}
	}

	/// A key request on a keyring of `n` parties: the readiness check and the start of its key
	/// generation.
	#[benchmark]
	fn key_requested(n: Linear<2, { T::MaxParties::get() }>) {
		let parties = parties::<T>(n);
		let keyring = T::BenchmarkHelper::frost_keyring(parties, n);
		let request = RequestId::MAX;
		#[block]
		{
			<Pallet<T> as ThresholdBackend>::ensure_ready(keyring, n).expect("ready");
			<Pallet<T> as ThresholdBackend>::key_requested(request, keyring, KEY_TYPE)
				.expect("started");
		}
		assert!(DkgSessions::<T>::contains_key(request));
	}

	/// A signature request of `p` payloads with a key of `n` parties (`n - 1` sign): the
	/// readiness check, the choice of signers among all `n` and the commitments taken.
	#[benchmark]
	fn signature_requested(
		n: Linear<3, { T::MaxParties::get() }>,
		p: Linear<1, { T::MaxPayloads::get() }>,
	) {
		let t = n - 1;
		let (parties, request) = key_generation::<T>(n, t);
		round1::<T>(&parties, t, request, parties.len());
		round2::<T>(&parties, request, parties.len());
		confirm::<T>(&parties, request, parties.len());
		let key = request;
		let keyring = GroupKeys::<T>::get(key).expect("the key").keyring;
		for (index, party) in parties.iter().enumerate() {
			let (_, public) = nonces(index as u16 + 1, p);
			Pallet::<T>::publish_commitments(
				RawOrigin::Signed(party.clone()).into(),
				keyring,
				SUITE,
				public,
			)
			.expect("commitments accepted");
		}
		let messages = payloads(p);
		let signature_request = RequestId::MAX;
		#[block]
		{
			<Pallet<T> as ThresholdBackend>::ensure_ready(keyring, n).expect("ready");
			<Pallet<T> as ThresholdBackend>::signature_requested(
				signature_request,
				keyring,
				key,
				&messages,
			)
			.expect("started");
		}
		assert!(SigningSessions::<T>::contains_key(signature_request));
	}

	/// The last party of a threshold ECDSA keyring of `n` announces readiness: both setup
	/// ceremonies open among all `n`.
	#[benchmark]
	fn announce_ecdsa_ready(n: Linear<2, ECDSA_MAX_PARTIES>) {
		let parties = parties::<T>(n);
		let keyring = T::BenchmarkHelper::ecdsa_keyring(parties.clone(), 2);
		let (last, others) = parties.split_last().expect("parties");
		for party in others {
			Pallet::<T>::announce_ecdsa_ready(RawOrigin::Signed(party.clone()).into(), keyring)
				.expect("announced");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), keyring);
		assert_eq!(EcdsaKeyrings::<T>::get(keyring).expect("recorded").setup.len(), 2);
	}

	/// The last participant's bundle of `b` bytes in round 1 of a setup ceremony of the most
	/// parties: decoded and checked, stored, and the next round starts.
	#[benchmark]
	fn submit_ceremony_bundle(b: Linear<16, MAX_BUNDLE_SIZE>) {
		let (parties, keyring) = ecdsa_setup::<T>(ECDSA_MAX_PARTIES);
		let ceremony = EcdsaKeyrings::<T>::get(keyring).expect("recorded").setup[0];
		let (last, others) = parties.split_last().expect("parties");
		for (position, party) in (1u16..).zip(others) {
			Pallet::<T>::submit_ceremony_bundle(
				RawOrigin::Signed(party.clone()).into(),
				ceremony,
				1,
				small_bundle(position),
			)
			.expect("bundle accepted");
		}
		// A broadcast of `b - 8` bytes (the encoding adds its length prefixes).
		let bundle =
			EcdsaBundle { broadcast: vec![vec![7u8; b as usize - 8]], direct: vec![] }.encode();
		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), ceremony, 1, bundle);
		assert_eq!(Ceremonies::<T>::get(ceremony).expect("open").round, 2);
	}

	/// The last output of a presigning ceremony of `n` signers: checked, the presignature pooled,
	/// and a waiting signature request started with it (its signers chosen, the pool refilled).
	#[benchmark]
	fn submit_ceremony_output(n: Linear<2, ECDSA_MAX_PARTIES>) {
		let (parties, keyring) = ready_ecdsa_keyring::<T>(n, n);
		let key = T::BenchmarkHelper::request_key(keyring, KeyType::EcdsaSecp256k1);
		let request =
			T::BenchmarkHelper::request_evm_transaction_signature(key, ecdsa_vector::transaction());
		assert!(EcdsaSigningSessions::<T>::get(request).expect("a session").waiting());
		let ceremony = Ceremonies::<T>::iter_keys().next().expect("a presigning ceremony");
		let record = Ceremonies::<T>::get(ceremony).expect("open");
		run_rounds::<T>(ceremony);
		let output = presignature_public(record.participants.len());
		let (last, others) = record.participants.split_last().expect("participants");
		for party in others {
			Pallet::<T>::submit_ceremony_output(
				RawOrigin::Signed(party.clone()).into(),
				ceremony,
				output.clone(),
			)
			.expect("output accepted");
		}
		let _ = parties;
		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), ceremony, output);
		assert!(!EcdsaSigningSessions::<T>::get(request).expect("a session").waiting());
	}

	/// A participant of a setup ceremony of `n` parties reports an abort: both setup ceremonies
	/// and their messages go, readiness is cleared.
	#[benchmark]
	fn report_ceremony_abort(n: Linear<2, ECDSA_MAX_PARTIES>) {
		let (parties, keyring) = ecdsa_setup::<T>(n);
		let ceremony = EcdsaKeyrings::<T>::get(keyring).expect("recorded").setup[0];
		for (position, party) in (1u16..).zip(&parties) {
			Pallet::<T>::submit_ceremony_bundle(
				RawOrigin::Signed(party.clone()).into(),
				ceremony,
				1,
				small_bundle(position),
			)
			.expect("bundle accepted");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(parties[0].clone()), ceremony, Some(2));
		assert!(Ceremonies::<T>::iter().next().is_none());
	}

	/// The first signer's partial signature (one payload), checked and stored; `n` parties.
	#[benchmark]
	fn submit_partial_signatures_stored(n: Linear<2, ECDSA_MAX_PARTIES>) {
		let (request, signers) = ecdsa_signing::<T>(n);
		#[extrinsic_call]
		submit_partial_signatures(
			RawOrigin::Signed(signers[0].clone()),
			request,
			0,
			vec![ecdsa_vector::PARTIALS[0]],
		);
		assert_eq!(EcdsaSigningSessions::<T>::get(request).expect("open").submitted, 1);
	}

	/// The last signer's partial signature (one payload): checked, the signature combined, its
	/// recovery id found by the host, verified and stored by the treasury; `n` parties.
	#[benchmark]
	fn submit_partial_signatures(n: Linear<2, ECDSA_MAX_PARTIES>) {
		let (request, signers) = ecdsa_signing::<T>(n);
		Pallet::<T>::submit_partial_signatures(
			RawOrigin::Signed(signers[0].clone()).into(),
			request,
			0,
			vec![ecdsa_vector::PARTIALS[0]],
		)
		.expect("first partial accepted");
		#[extrinsic_call]
		_(RawOrigin::Signed(signers[1].clone()), request, 0, vec![ecdsa_vector::PARTIALS[1]]);
		assert!(EcdsaSigningSessions::<T>::get(request).is_none());
		assert_last_event::<T>(Event::SigningCompleted { request, attempt: 0 });
	}

	/// What each payload adds to a signer's submission: its partial signature checked on
	/// arrival and again when combining, and the host's recovery; `p` payloads.
	#[benchmark]
	fn ecdsa_payload_checks(p: Linear<1, { T::MaxPayloads::get() }>) {
		let public = zenrock_mpc_core::ecdsa::PresignaturePublic::decode(
			&ecdsa_vector::PRESIGNATURE_PUBLIC,
			2,
		)
		.expect("the vector");
		let digest = sp_io::hashing::keccak_256(&ecdsa_vector::transaction()[..]);
		let master = zenrock_mpc_core::ecdsa::MasterKey::decode(&ecdsa_vector::MASTER_KEY)
			.expect("the vector");
		let key = master.child_public_key(0).expect("child 0");
		#[block]
		{
			for _ in 0..p {
				public.verify_partial(0, &digest, &ecdsa_vector::PARTIALS[0]).expect("valid");
				let compact = public.combine(&digest, &ecdsa_vector::PARTIALS).expect("valid");
				Pallet::<T>::with_recovery_id(&compact, &digest, &key).expect("recovers");
			}
		}
	}

	/// A key request on a ready threshold ECDSA keyring: the child key derived, the key created
	/// by the treasury and the presignature pool opened.
	#[benchmark]
	fn ecdsa_key_requested() {
		let (_, keyring) = ready_ecdsa_keyring::<T>(ECDSA_MAX_PARTIES, ECDSA_MAX_PARTIES);
		#[block]
		{
			T::BenchmarkHelper::request_key(keyring, KeyType::EcdsaSecp256k1);
		}
		assert!(EcdsaKeys::<T>::iter().next().is_some());
	}

	/// A signature request of an EVM transaction with a threshold ECDSA key whose pool is
	/// empty: preimages checked, the request waits and the pool refills (the costlier path).
	#[benchmark]
	fn ecdsa_signature_requested() {
		let (_, keyring) = ready_ecdsa_keyring::<T>(ECDSA_MAX_PARTIES, ECDSA_MAX_PARTIES);
		let key = T::BenchmarkHelper::request_key(keyring, KeyType::EcdsaSecp256k1);
		let transaction = ecdsa_vector::transaction();
		let request;
		#[block]
		{
			request = T::BenchmarkHelper::request_evm_transaction_signature(key, transaction);
		}
		assert!(EcdsaSigningSessions::<T>::get(request).expect("a session").waiting());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
