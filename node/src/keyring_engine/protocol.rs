//! One party's run of a threshold ECDSA ceremony (CGGMP24): a thread drives the protocol's
//! state machine, round by round, with the chain as the only transport. The engine hands it
//! every participant's bundle of a round once the chain has them all, and takes from it the
//! party's next bundle, then its output.

use std::{
	collections::VecDeque,
	sync::mpsc::{Receiver, Sender},
};

use cggmp24::{
	generic_ec::Point,
	key_share::{AuxInfo, IncompleteKeyShare},
	round_based::{
		state_machine::{ProceedResult, StateMachine},
		Incoming, MessageDestination, MessageType,
	},
	security_level::SecurityLevel128,
	signing::PresignaturePublicData,
	supported_curves::Secp256k1,
	DataToSign, ExecutionId, KeyShare, PregeneratedPrimes, Presignature,
};
use codec::{Decode, Encode};
use pallet_zenrock_mpc::ecdsa::EcdsaBundle;
use rand_core::{OsRng, RngCore};
use serde::{de::DeserializeOwned, Serialize};
use zenrock_chain_formats::{Preimage, PreimageHash};
use zenrock_mpc_core::{open_share, seal_share, Zeroizing};
use zenrock_primitives::ecdsa_view::CeremonyTarget;

/// The rounds of messages every ceremony has (the chain's count).
pub const MESSAGE_ROUNDS: u8 = pallet_zenrock_mpc::ecdsa::CEREMONY_ROUNDS;

/// Paillier primes of the protocol's security level.
pub type Primes = PregeneratedPrimes<SecurityLevel128>;
/// Auxiliary info of the protocol's security level.
pub type Aux = AuxInfo<SecurityLevel128>;
/// A key share without its auxiliary info.
pub type MasterShare = IncompleteKeyShare<Secp256k1>;
/// A secret presignature.
pub type SecretPresignature = Presignature<Secp256k1>;

/// What a party brings to a ceremony.
pub enum Input {
	/// Its Paillier primes (auxiliary info).
	Primes(Primes),
	/// Nothing (master key).
	Nothing,
	/// Its key share (presignature).
	Share(Box<KeyShare<Secp256k1, SecurityLevel128>>),
}

/// A ceremony's output for this party: the secret to keep and the public result to report.
pub enum Output {
	/// Auxiliary info.
	Aux(Box<Aux>),
	/// A share of the master key.
	MasterShare(Box<MasterShare>),
	/// A presignature.
	Presignature(Box<SecretPresignature>),
}

/// What the ceremony thread tells the engine.
pub enum Report {
	/// The party's bundle of round `round` (SCALE-encoded [`EcdsaBundle`]).
	Bundle { round: u8, bundle: Vec<u8> },
	/// The protocol finished: the public result for the chain, and the secret to keep.
	Finished { public: Vec<u8>, output: Output },
	/// The protocol aborted; `accused` is the participant (position) whose message failed.
	Aborted { accused: Option<u16>, why: String },
}

/// A participant as the protocol sees it.
#[derive(Clone)]
pub struct Peer {
	/// Index in the keyring (1-based).
	pub index: u16,
	/// X25519 key direct messages to it are sealed to.
	pub encryption_key: [u8; 32],
}

/// Everything a ceremony thread needs besides its input.
pub struct Ceremony {
	/// The chain's genesis hash (binds execution ids and sealed messages to this chain).
	pub genesis: Vec<u8>,
	/// The ceremony's id.
	pub id: u64,
	/// What it makes.
	pub target: CeremonyTarget,
	/// The participants in protocol order.
	pub peers: Vec<Peer>,
	/// This party's position (1-based).
	pub position: u16,
	/// The keyring's threshold.
	pub threshold: u16,
	/// This party's X25519 secret (opens direct messages to it).
	pub x25519_secret: Zeroizing<[u8; 32]>,
}

impl Ceremony {
	/// The protocol's execution id: unique per chain and ceremony.
	fn execution_id(&self) -> [u8; 32] {
		sp_io::hashing::blake2_256(&(b"zenrock/ecdsa-ceremony/v1", &self.genesis, self.id).encode())
	}

	/// HPKE `info` of the direct messages of round `round`.
	fn direct_info(&self, round: u8) -> Vec<u8> {
		(b"zenrock/ecdsa-direct/v1", &self.genesis, self.id, round).encode()
	}

	/// Runs the ceremony with `input`: reports each round's bundle and the result on `reports`;
	/// receives each round's bundles (by sender position) on `rounds`. Returns when the
	/// protocol ends or the engine drops its side (the chain dropped the ceremony).
	pub fn run(self, input: Input, rounds: Receiver<Vec<(u16, Vec<u8>)>>, reports: Sender<Report>) {
		let report = match self.execute(input, &rounds, &reports) {
			Ok(Some(report)) | Err(Some(report)) => report,
			Ok(None) | Err(None) => return,
		};
		let _ = reports.send(report);
	}

	fn execute(
		&self,
		input: Input,
		rounds: &Receiver<Vec<(u16, Vec<u8>)>>,
		reports: &Sender<Report>,
	) -> Result<Option<Report>, Option<Report>> {
		let eid_bytes = self.execution_id();
		let eid = ExecutionId::new(&eid_bytes);
		let i = self.position.checked_sub(1).ok_or_else(|| aborted(None, "no position"))?;
		let n = u16::try_from(self.peers.len()).map_err(|_| aborted(None, "too many peers"))?;
		let mut rng = OsRng;
		let link = Link { ceremony: self, rounds, reports };
		match (self.target, input) {
			(CeremonyTarget::AuxInfo, Input::Primes(primes)) => {
				let machine = cggmp24::aux_info_gen(eid, i, n, primes)
					.enforce_reliable_broadcast(false)
					.into_state_machine(&mut rng);
				let Some(aux) = link.drive(machine)? else { return Ok(None) };
				let aux = aux.map_err(|error| aborted(None, &format!("aux info: {error}")))?;
				Ok(Some(Report::Finished {
					public: aux_digest(&aux).to_vec(),
					output: Output::Aux(Box::new(aux)),
				}))
			}
			(CeremonyTarget::MasterKey, Input::Nothing) => {
				let machine = cggmp24::keygen::<Secp256k1>(eid, i, n)
					.set_threshold(self.threshold)
					.hd_wallet(true)
					.enforce_reliable_broadcast(false)
					.into_state_machine(&mut rng);
				let Some(share) = link.drive(machine)? else { return Ok(None) };
				let share =
					share.map_err(|error| aborted(None, &format!("master key: {error}")))?;
				let public = master_key_bytes(&share)
					.ok_or_else(|| aborted(None, "master key without a chain code"))?;
				Ok(Some(Report::Finished {
					public: public.to_vec(),
					output: Output::MasterShare(Box::new(share)),
				}))
			}
			(CeremonyTarget::Presignature { child, .. }, Input::Share(share)) => {
				let signers: Vec<u16> =
					self.peers.iter().map(|peer| peer.index.saturating_sub(1)).collect();
				let machine = cggmp24::signing(eid, i, &signers, &share)
					.enforce_reliable_broadcast(false)
					.set_derivation_path([child])
					.map_err(|_| aborted(None, "a hardened child index"))?
					.generate_presignature_sync(&mut rng);
				let Some(result) = link.drive(machine)? else { return Ok(None) };
				let (secret, public) =
					result.map_err(|error| aborted(None, &format!("presignature: {error}")))?;
				Ok(Some(Report::Finished {
					public: encode_presignature_public(&public),
					output: Output::Presignature(Box::new(secret)),
				}))
			}
			_ => Err(aborted(None, "the ceremony's input does not match its target")),
		}
	}
}

fn aborted(accused: Option<u16>, why: &str) -> Option<Report> {
	Some(Report::Aborted { accused, why: why.into() })
}

/// A ceremony thread's connection to the engine.
struct Link<'a> {
	ceremony: &'a Ceremony,
	rounds: &'a Receiver<Vec<(u16, Vec<u8>)>>,
	reports: &'a Sender<Report>,
}

impl Link<'_> {
	/// Drives `machine` to its output. `Ok(None)`: the engine stopped listening.
	fn drive<S>(&self, mut machine: S) -> Result<Option<S::Output>, Option<Report>>
	where
		S: StateMachine,
		S::Msg: Serialize + DeserializeOwned,
	{
		let mut round: u8 = 1;
		let mut outgoing = EcdsaBundle::default();
		let mut inbox: VecDeque<Incoming<S::Msg>> = VecDeque::new();
		loop {
			match machine.proceed() {
				ProceedResult::SendMsg(message) => self.pack(&mut outgoing, round, message)?,
				ProceedResult::Yielded => {}
				ProceedResult::Output(output) => return Ok(Some(output)),
				ProceedResult::Error(error) => {
					return Err(aborted(None, &format!("round {round}: {error}")))
				}
				ProceedResult::NeedsOneMoreMessage => {
					if inbox.is_empty() {
						if round > MESSAGE_ROUNDS {
							return Err(aborted(None, "messages missing after the last round"));
						}
						let bundle = core::mem::take(&mut outgoing).encode();
						if self.reports.send(Report::Bundle { round, bundle }).is_err() {
							return Ok(None);
						}
						let Ok(bundles) = self.rounds.recv() else { return Ok(None) };
						inbox = self.unpack(round, bundles)?;
						round = round.saturating_add(1);
					}
					let Some(message) = inbox.pop_front() else {
						return Err(aborted(None, "a round without messages"));
					};
					let sender = message.sender.saturating_add(1);
					if machine.received_msg(message).is_err() {
						return Err(aborted(Some(sender), "a message the protocol did not take"));
					}
				}
			}
		}
	}

	/// Adds `message` to the bundle of `round`: broadcasts plain, direct messages sealed to
	/// their recipient.
	fn pack<M: Serialize>(
		&self,
		bundle: &mut EcdsaBundle,
		round: u8,
		message: cggmp24::round_based::Outgoing<M>,
	) -> Result<(), Option<Report>> {
		let ceremony = self.ceremony;
		let bytes = bincode::serialize(&message.msg)
			.map(Zeroizing::new)
			.map_err(|error| aborted(None, &format!("cannot encode a message: {error}")))?;
		match message.recipient {
			MessageDestination::AllParties => bundle.broadcast.push(bytes.to_vec()),
			MessageDestination::OneParty(recipient) => {
				let peer = ceremony
					.peers
					.get(usize::from(recipient))
					.ok_or_else(|| aborted(None, "a message to no participant"))?;
				let recipient = recipient.saturating_add(1);
				let mut seed = Zeroizing::new([0u8; 32]);
				OsRng.fill_bytes(seed.as_mut());
				let sealed = seal_share(
					&peer.encryption_key,
					&ceremony.direct_info(round),
					&direct_aad(ceremony.position, recipient),
					&bytes,
					&seed,
				)
				.map_err(|_| aborted(Some(recipient), "its encryption key is not usable"))?;
				bundle.direct.push((recipient, sealed));
			}
		}
		Ok(())
	}

	/// The messages for this party in the bundles of `round`.
	fn unpack<M: DeserializeOwned>(
		&self,
		round: u8,
		bundles: Vec<(u16, Vec<u8>)>,
	) -> Result<VecDeque<Incoming<M>>, Option<Report>> {
		let ceremony = self.ceremony;
		let own = ceremony.position;
		let mut inbox = VecDeque::new();
		let mut id = u64::from(round) << 32;
		for (sender, bytes) in bundles.into_iter().filter(|(sender, _)| *sender != own) {
			let culprit = || aborted(Some(sender), "a malformed message");
			let bundle = EcdsaBundle::decode(&mut &bytes[..]).map_err(|_| culprit())?;
			let from = sender.checked_sub(1).ok_or_else(culprit)?;
			for message in bundle.broadcast {
				let msg = bincode::deserialize(&message).map_err(|_| culprit())?;
				id = id.saturating_add(1);
				inbox.push_back(Incoming {
					id,
					sender: from,
					msg_type: MessageType::Broadcast,
					msg,
				});
			}
			for (_, sealed) in bundle.direct.into_iter().filter(|(to, _)| *to == own) {
				let opened = open_share(
					&ceremony.x25519_secret,
					&ceremony.direct_info(round),
					&direct_aad(sender, own),
					&sealed,
				)
				.map_err(|_| culprit())?;
				let msg = bincode::deserialize(&opened).map_err(|_| culprit())?;
				id = id.saturating_add(1);
				inbox.push_back(Incoming { id, sender: from, msg_type: MessageType::P2P, msg });
			}
		}
		Ok(inbox)
	}
}

/// HPKE AAD of a direct message from position `sender` to position `recipient`.
fn direct_aad(sender: u16, recipient: u16) -> [u8; 4] {
	let [a, b] = sender.to_le_bytes();
	let [c, d] = recipient.to_le_bytes();
	[a, b, c, d]
}

/// The auxiliary info's public result: a hash of every party's Paillier modulus and
/// ring-Pedersen parameters (the same for every participant; no secret in it).
pub fn aux_digest(aux: &Aux) -> [u8; 32] {
	let public: Vec<Vec<Vec<u8>>> = aux
		.N
		.iter()
		.zip(&aux.pedersen_params)
		.map(|(n, pedersen)| {
			vec![
				n.to_bytes_msf(),
				pedersen.hat_N.to_bytes_msf(),
				pedersen.s.to_bytes_msf(),
				pedersen.t.to_bytes_msf(),
			]
		})
		.collect();
	sp_io::hashing::blake2_256(&(b"zenrock/ecdsa-aux/v1", public).encode())
}

fn compressed(point: &Point<Secp256k1>) -> Vec<u8> {
	point.to_bytes(true).as_ref().to_vec()
}

/// The master key in the chain's form: compressed public key ‖ chain code.
pub fn master_key_bytes(share: &MasterShare) -> Option<[u8; 65]> {
	let extended = share.extended_public_key()?;
	let mut bytes = [0u8; 65];
	bytes[..33].copy_from_slice(&compressed(&extended.public_key));
	bytes[33..].copy_from_slice(&extended.chain_code);
	Some(bytes)
}

/// A presignature's public data in the chain's form: `Γ`, then each signer's `Δ̃`, `S̃`.
pub fn encode_presignature_public(public: &PresignaturePublicData<Secp256k1>) -> Vec<u8> {
	let mut bytes = compressed(&public.Gamma);
	for commitment in &public.commitments {
		bytes.extend(compressed(&commitment.tilde_Delta));
		bytes.extend(compressed(&commitment.tilde_S));
	}
	bytes
}

/// This signer's partial signature of the message `preimage`, hashed here as its chain hashes
/// it (the protocol signs only messages whose preimage the signer knows).
pub fn partial_signature(presignature: SecretPresignature, preimage: &Preimage) -> [u8; 32] {
	let message = match preimage.hash {
		PreimageHash::Keccak256 => DataToSign::digest::<sha3::Keccak256>(&preimage.bytes),
		PreimageHash::Sha256d => {
			use sha2::Digest;
			DataToSign::from_digest(sha2::Sha256::new_with_prefix(sha2::Sha256::digest(
				&preimage.bytes,
			)))
		}
	};
	let sigma = presignature.issue_partial_signature(message).sigma;
	let mut bytes = [0u8; 32];
	bytes.copy_from_slice(sigma.to_be_bytes().as_ref());
	bytes
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::{sync::mpsc, time::Duration};

	/// Runs a ceremony of `inputs.len()` parties with the chain's transport simulated: each
	/// round's bundles are collected from every party, `tamper`ed with, and handed to all.
	/// Returns each party's last report.
	fn run(
		target: CeremonyTarget,
		threshold: u16,
		inputs: Vec<Input>,
		tamper: impl Fn(u8, u16, &mut EcdsaBundle),
	) -> Vec<Report> {
		let secrets: Vec<[u8; 32]> = (1..=inputs.len()).map(|i| [i as u8; 32]).collect();
		let peers: Vec<Peer> = secrets
			.iter()
			.enumerate()
			.map(|(i, secret)| Peer {
				index: i as u16 + 1,
				encryption_key: zenrock_mpc_core::x25519_public(secret),
			})
			.collect();
		let mut links = Vec::new();
		for (i, input) in inputs.into_iter().enumerate() {
			let (rounds, rounds_receiver) = mpsc::channel();
			let (reports_sender, reports) = mpsc::channel();
			let ceremony = Ceremony {
				genesis: vec![7; 32],
				id: 11,
				target,
				peers: peers.clone(),
				position: i as u16 + 1,
				threshold,
				x25519_secret: Zeroizing::new(secrets[i]),
			};
			std::thread::spawn(move || ceremony.run(input, rounds_receiver, reports_sender));
			links.push((rounds, reports));
		}
		let wait = Duration::from_secs(120);
		for round in 1..=MESSAGE_ROUNDS {
			let mut bundles = Vec::new();
			let mut finished = Vec::new();
			for (position, (_, reports)) in links.iter().enumerate() {
				match reports.recv_timeout(wait).expect("a report") {
					Report::Bundle { round: r, bundle } => {
						assert_eq!(r, round);
						let mut decoded = EcdsaBundle::decode(&mut &bundle[..]).expect("a bundle");
						tamper(round, position as u16 + 1, &mut decoded);
						bundles.push((position as u16 + 1, decoded.encode()));
					}
					other => finished.push(other),
				}
			}
			if !finished.is_empty() {
				return finished;
			}
			for (rounds, _) in &links {
				rounds.send(bundles.clone()).expect("the party listens");
			}
		}
		links.iter().map(|(_, reports)| reports.recv_timeout(wait).expect("a result")).collect()
	}

	#[test]
	fn three_parties_make_one_master_key_through_sealed_bundles() {
		let reports = run(
			CeremonyTarget::MasterKey,
			2,
			(0..3).map(|_| Input::Nothing).collect(),
			|_, _, _| {},
		);
		let publics: Vec<Vec<u8>> = reports
			.into_iter()
			.map(|report| match report {
				Report::Finished { public, output: Output::MasterShare(share) } => {
					assert_eq!(
						master_key_bytes(&share).map(|bytes| bytes.to_vec()),
						Some(public.clone())
					);
					public
				}
				_ => panic!("every party finishes"),
			})
			.collect();
		assert_eq!(publics.len(), 3);
		assert!(publics.iter().all(|public| public == &publics[0]), "one master key");
		let master =
			zenrock_mpc_core::ecdsa::MasterKey::decode(&publics[0]).expect("the chain's form");
		assert!(master.child_public_key(0).is_ok());
	}

	#[test]
	fn a_tampered_direct_message_names_its_sender() {
		// Party 2's direct message to party 1 in round 2 is altered in transit (HPKE refuses it).
		let reports = run(
			CeremonyTarget::MasterKey,
			2,
			(0..3).map(|_| Input::Nothing).collect(),
			|round, sender, bundle| {
				if round == 2 && sender == 2 {
					for (recipient, sealed) in &mut bundle.direct {
						if *recipient == 1 {
							if let Some(last) = sealed.last_mut() {
								*last ^= 1;
							}
						}
					}
				}
			},
		);
		let accused: Vec<Option<u16>> = reports
			.iter()
			.filter_map(|report| match report {
				Report::Aborted { accused, .. } => Some(*accused),
				_ => None,
			})
			.collect();
		assert_eq!(accused, vec![Some(2)], "party 1 accuses party 2; the others go on");
	}
}
