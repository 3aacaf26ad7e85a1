//! Threshold ECDSA as the parties' nodes run it (cggmp24), for tests of the chain side: keys
//! dealt from fixture primes, protocol runs in lockstep, and the public data and partial
//! signatures in the chain's encodings.

use std::collections::VecDeque;

use cggmp24::{
	generic_ec::Point,
	round_based::{
		state_machine::{ProceedResult, StateMachine},
		Incoming, MessageDestination, MessageType,
	},
	security_level::SecurityLevel128,
	signing::PresignaturePublicData,
	supported_curves::Secp256k1,
	DataToSign, ExecutionId, KeyShare, PregeneratedPrimes, Presignature,
};
use sha3::Keccak256;

/// A key share of the tests' curve and security level.
pub type Share = KeyShare<Secp256k1>;
/// A signer's secret presignature.
pub type SecretPresignature = Presignature<Secp256k1>;

/// Safe primes generated once for the tests (`PregeneratedPrimes::generate` takes about a
/// minute per party on the project's machines): test secrets, for at most four parties.
pub fn fixture_primes(parties: usize) -> Vec<PregeneratedPrimes<SecurityLevel128>> {
	include_str!("../data/paillier-primes.txt")
		.lines()
		.take(parties)
		.map(|line| {
			let primes: Vec<_> = line
				.split_whitespace()
				.map(|hex| {
					cggmp24::backend::Integer::from_str_radix(hex, 16).expect("fixture is hex")
				})
				.collect();
			let primes: [_; 4] = primes.try_into().ok().expect("four primes per party");
			PregeneratedPrimes::try_from(primes).ok().expect("primes of the security level")
		})
		.collect()
}

/// A `threshold`-of-`parties` key with a chain code, dealt (the protocol's key generation is
/// cggmp24's to test; the chain side needs its outputs).
pub fn dealt_shares(parties: u16, threshold: u16) -> Vec<Share> {
	cggmp24::trusted_dealer::builder::<Secp256k1, SecurityLevel128>(parties)
		.set_threshold(Some(threshold))
		.hd_wallet(true)
		.set_pregenerated_primes(fixture_primes(usize::from(parties)))
		.generate_shares(&mut rand_core::OsRng)
		.expect("dealt shares")
}

/// Runs the parties' state machines in lockstep, delivering every message; their outputs.
pub fn run_lockstep<S, O, M>(mut machines: Vec<S>) -> Vec<O>
where
	S: StateMachine<Output = O, Msg = M>,
	M: Clone,
{
	let n = machines.len();
	let mut inbox: Vec<VecDeque<Incoming<M>>> = (0..n).map(|_| VecDeque::new()).collect();
	let mut outputs: Vec<Option<O>> = (0..n).map(|_| None).collect();
	let mut waiting = vec![false; n];
	let mut id = 0;
	while outputs.iter().any(Option::is_none) {
		let mut sent = Vec::new();
		for (i, machine) in machines.iter_mut().enumerate() {
			while outputs[i].is_none() {
				if waiting[i] {
					let Some(message) = inbox[i].pop_front() else { break };
					waiting[i] = false;
					assert!(machine.received_msg(message).is_ok(), "party {i} took a message");
				}
				match machine.proceed() {
					ProceedResult::SendMsg(message) => sent.push((i as u16, message)),
					ProceedResult::NeedsOneMoreMessage => waiting[i] = true,
					ProceedResult::Output(output) => outputs[i] = Some(output),
					ProceedResult::Yielded => {}
					ProceedResult::Error(error) => panic!("party {i}: {error}"),
				}
			}
		}
		assert!(!sent.is_empty() || outputs.iter().all(Option::is_some), "deadlock");
		for (sender, message) in sent {
			id += 1;
			let (recipients, msg_type): (Vec<u16>, _) = match message.recipient {
				MessageDestination::AllParties => {
					((0..n as u16).filter(|j| *j != sender).collect(), MessageType::Broadcast)
				}
				MessageDestination::OneParty(j) => (vec![j], MessageType::P2P),
			};
			for j in recipients {
				let msg = message.msg.clone();
				inbox[usize::from(j)].push_back(Incoming { id, sender, msg_type, msg });
			}
		}
	}
	outputs.into_iter().map(|output| output.expect("every party finished")).collect()
}

/// Presignatures of `signers` (key-share indexes, 0-based) for the child `m/child` of the dealt
/// key, one per signer in signer order.
pub fn presign(
	shares: &[Share],
	signers: &[u16],
	child: u32,
) -> Vec<(Presignature<Secp256k1>, PresignaturePublicData<Secp256k1>)> {
	let eid = format!("zenrock test presignature {signers:?} {child}").into_bytes();
	let mut rngs: Vec<_> = signers.iter().map(|_| rand_core::OsRng).collect();
	let machines: Vec<_> = rngs
		.iter_mut()
		.enumerate()
		.map(|(i, rng)| {
			cggmp24::signing(
				ExecutionId::new(&eid),
				i as u16,
				signers,
				&shares[usize::from(signers[i])],
			)
			.enforce_reliable_broadcast(false)
			.set_derivation_path([child])
			.expect("a non-hardened index")
			.generate_presignature_sync(rng)
		})
		.collect();
	run_lockstep(machines).into_iter().map(|output| output.expect("presigning succeeds")).collect()
}

/// A compressed point.
pub fn compressed(point: &Point<Secp256k1>) -> [u8; 33] {
	point.to_bytes(true).as_ref().try_into().expect("a compressed point")
}

/// The master key in the chain's encoding: compressed key ‖ chain code.
pub fn master_key(share: &Share) -> [u8; 65] {
	let extended = share.extended_public_key().expect("an HD key");
	let mut bytes = [0u8; 65];
	bytes[..33].copy_from_slice(&compressed(&extended.public_key));
	bytes[33..].copy_from_slice(&extended.chain_code);
	bytes
}

/// A presignature's public data in the chain's encoding: `Γ`, then each signer's `Δ̃`, `S̃`.
pub fn encode_public(public: &PresignaturePublicData<Secp256k1>) -> Vec<u8> {
	let mut bytes = compressed(&public.Gamma).to_vec();
	for commitment in &public.commitments {
		bytes.extend_from_slice(&compressed(&commitment.tilde_Delta));
		bytes.extend_from_slice(&compressed(&commitment.tilde_S));
	}
	bytes
}

/// A signer's partial signature of the keccak-256 digest of `preimage` (EVM).
pub fn partial_keccak(presignature: Presignature<Secp256k1>, preimage: &[u8]) -> [u8; 32] {
	let data = DataToSign::<Secp256k1>::digest::<Keccak256>(preimage);
	let sigma = presignature.issue_partial_signature(data).sigma;
	sigma.to_be_bytes().as_ref().try_into().expect("a 32-byte scalar")
}
