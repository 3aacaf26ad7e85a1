//! A FROST threshold keyring in the real runtime: Alice, Bob and Charlie (2-of-3) generate Ed25519
//! and Taproot keys in three rounds of signed transactions, and two of them sign in one round with
//! pooled commitments; the treasury stores the keys, verifies the signatures and pays the keyring.
//! The parties' protocol messages are computed here with `zenrock-mpc-core`, as their workers do.

mod common;

use common::{next_block_with, preset_ext, signed_transaction};
use frame_support::traits::fungible::Inspect;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie};
use std::collections::BTreeMap;
use zenrock_chain_formats::{signature::verify_signature, PublicKey};
use zenrock_mpc_core::{
	dkg_round1, dkg_round2, dkg_round3, open_share, seal_share, x25519_public, KeyShare,
	PartySecrets, SigningNonces, Suite,
};
use zenrock_primitives::{KeyType, KeyringBackend, KeyringId, RequestId};
use zenrock_runtime::{
	Balances, Executive, Runtime, RuntimeCall, RuntimeEvent, System, ZenrockIdentity,
};

// Above the existential deposit, so the keyring's new account can take the first fee.
const FEE: u128 = zenrock_runtime::UNIT;

/// A party: its secrets, pooled nonces and key shares, as its worker keeps them.
struct Party {
	keyring: Sr25519Keyring,
	secrets: PartySecrets,
	nonces: BTreeMap<Vec<u8>, SigningNonces>,
	shares: BTreeMap<u64, KeyShare>,
}

impl Party {
	fn new(keyring: Sr25519Keyring, seed: u8) -> Self {
		Party {
			keyring,
			secrets: PartySecrets::derive(&[seed; 64]),
			nonces: BTreeMap::new(),
			shares: BTreeMap::new(),
		}
	}

	fn encryption_key(&self) -> [u8; 32] {
		x25519_public(&self.secrets.x25519_secret().unwrap())
	}
}

/// `call` signed by `signer` and applied in the current block; panics unless it succeeds.
fn apply(signer: Sr25519Keyring, call: RuntimeCall) {
	let nonce = System::account_nonce(signer.to_account_id());
	let outcome = Executive::apply_extrinsic(signed_transaction(signer, call.clone(), nonce))
		.expect("the transaction is valid");
	assert!(outcome.is_ok(), "{call:?} by {signer:?} failed: {outcome:?}");
}

fn mpc_call(call: pallet_zenrock_mpc::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::ZenrockMpc(call)
}

fn info(request: RequestId) -> Vec<u8> {
	[b"zenrock/frost-dkg/v1".as_slice(), &request.to_le_bytes()].concat()
}

fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|record| record.event).collect()
}

/// Registers the 2-of-3 keyring and the parties' encryption keys; returns its id.
fn register(parties: &[Party]) -> KeyringId {
	let keyring = pallet_zenrock_identity::NextKeyringId::<Runtime>::get();
	next_block_with(|| {
		apply(
			Alice,
			RuntimeCall::ZenrockIdentity(pallet_zenrock_identity::Call::register_keyring {
				description: b"FROST 2-of-3".to_vec(),
				backend: KeyringBackend::Frost,
				parties: parties.iter().map(|p| p.keyring.to_account_id()).collect(),
				party_threshold: 2,
				key_request_fee: FEE,
				sign_request_fee: FEE,
			}),
		);
		for party in parties {
			apply(
				party.keyring,
				mpc_call(pallet_zenrock_mpc::Call::register_encryption_key {
					key: party.encryption_key(),
				}),
			);
		}
	});
	keyring
}

/// Alice requests a key of `key_type` and the parties run the DKG, one round per block.
fn generate_key(parties: &mut [Party], keyring: KeyringId, key_type: KeyType) -> (u64, Vec<u8>) {
	let request = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
	next_block_with(|| {
		apply(
			Alice,
			RuntimeCall::ZenrockTreasury(pallet_zenrock_treasury::Call::request_key {
				workspace: 0,
				keyring,
				key_type,
				sign_policy: None,
				max_fee: u128::MAX,
				memo: None,
			}),
		)
	});
	let session = pallet_zenrock_mpc::DkgSessions::<Runtime>::get(request).expect("DKG started");
	let (suite, n, t) = (session.suite, session.participants.len() as u16, session.threshold);
	let seat = |party: &Party| {
		session.participants.iter().position(|a| *a == party.keyring.to_account_id()).unwrap()
			as u16 + 1
	};
	next_block_with(|| {
		for party in parties.iter() {
			let seed = party.secrets.dkg_seed(request, 0).unwrap();
			let package = dkg_round1(suite, seat(party), n, t, &seed).unwrap();
			apply(
				party.keyring,
				mpc_call(pallet_zenrock_mpc::Call::submit_dkg_round1 { request, package }),
			);
		}
	});
	let packages: Vec<(u16, Vec<u8>)> =
		pallet_zenrock_mpc::DkgRound1::<Runtime>::iter_prefix(request)
			.map(|(i, p)| (i, p.into_inner()))
			.collect();
	let borrowed: Vec<(u16, &[u8])> = packages.iter().map(|(i, p)| (*i, &p[..])).collect();
	next_block_with(|| {
		for party in parties.iter() {
			let me = seat(party);
			let seed = party.secrets.dkg_seed(request, 0).unwrap();
			let shares = dkg_round2(suite, me, n, t, &seed, &borrowed)
				.unwrap()
				.into_iter()
				.map(|(recipient, share)| {
					let account = &session.participants[recipient as usize - 1];
					let key = pallet_zenrock_mpc::EncryptionKeys::<Runtime>::get(account).unwrap();
					let seal_seed = party.secrets.seal_seed(request, 0, recipient).unwrap();
					let sealed = seal_share(
						&key,
						&info(request),
						&[me as u8, recipient as u8],
						&share[..],
						&seal_seed,
					)
					.unwrap();
					sealed.try_into().unwrap()
				})
				.collect();
			apply(
				party.keyring,
				mpc_call(pallet_zenrock_mpc::Call::submit_dkg_round2 { request, shares }),
			);
		}
	});
	next_block_with(|| {
		for party in parties.iter_mut() {
			let me = seat(party);
			let secret = party.secrets.x25519_secret().unwrap();
			let received: Vec<(u16, Vec<u8>)> =
				pallet_zenrock_mpc::DkgRound2::<Runtime>::iter_prefix(request)
					.filter(|(sender, _)| *sender != me)
					.map(|(sender, sealed)| {
						let position = if me < sender { me - 1 } else { me - 2 } as usize;
						let share = open_share(
							&secret,
							&info(request),
							&[sender as u8, me as u8],
							&sealed[position],
						)
						.unwrap();
						(sender, share.to_vec())
					})
					.collect();
			let received: Vec<(u16, &[u8])> = received.iter().map(|(i, s)| (*i, &s[..])).collect();
			let seed = party.secrets.dkg_seed(request, 0).unwrap();
			let share = dkg_round3(suite, me, n, t, &seed, &borrowed, &received).unwrap();
			let backup = seal_share(
				&party.encryption_key(),
				&info(request),
				&[me as u8, me as u8],
				&share.signing_share()[..],
				&party.secrets.seal_seed(request, 0, me).unwrap(),
			)
			.unwrap()
			.try_into()
			.unwrap();
			apply(
				party.keyring,
				mpc_call(pallet_zenrock_mpc::Call::confirm_dkg {
					request,
					group_key: share.group_key(),
					backup,
				}),
			);
			party.shares.insert(request, share);
		}
	});
	let key = pallet_zenrock_treasury::Keys::<Runtime>::get(request).expect("the key exists");
	assert_eq!(key.keyring, keyring);
	assert_eq!(key.key_type, key_type);
	(request, key.public_key.into_inner())
}

/// Every party pools `count` commitments for `suite`.
fn publish(parties: &mut [Party], keyring: KeyringId, suite: Suite, count: usize) {
	next_block_with(|| {
		for (index, party) in parties.iter_mut().enumerate() {
			let mut rng = party.secrets.nonce_rng(&[index as u8 + 40; 32]).unwrap();
			let mut commitments = Vec::new();
			for _ in 0..count {
				let (nonces, commitment) = zenrock_mpc_core::commit(suite, &mut rng).unwrap();
				party.nonces.insert(commitment.clone(), nonces);
				commitments.push(commitment);
			}
			apply(
				party.keyring,
				mpc_call(pallet_zenrock_mpc::Call::publish_commitments {
					keyring,
					suite,
					commitments,
				}),
			);
		}
	});
}

/// Alice requests signatures of `payloads` with `key`; the chosen signers answer in the next
/// block. Returns the stored signatures.
fn sign(parties: &mut [Party], key: u64, payloads: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
	let request = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
	next_block_with(|| {
		apply(
			Alice,
			RuntimeCall::ZenrockTreasury(pallet_zenrock_treasury::Call::request_signature {
				key,
				payloads: payloads.clone(),
				max_fee: u128::MAX,
				memo: None,
			}),
		)
	});
	let session = pallet_zenrock_mpc::SigningSessions::<Runtime>::get(request).expect("signing");
	assert_eq!(session.signers.len(), 2, "t = 2 signers");
	next_block_with(|| {
		for signer in &session.signers {
			let party = parties
				.iter_mut()
				.find(|p| p.keyring.to_account_id() == signer.account)
				.expect("a party");
			let shares = payloads
				.iter()
				.enumerate()
				.map(|(index, payload)| {
					let commitments: Vec<(u16, &[u8])> = session
						.signers
						.iter()
						.map(|s| (s.participant, &s.commitments[index][..]))
						.collect();
					let nonces = party.nonces.remove(&signer.commitments[index][..]).unwrap();
					zenrock_mpc_core::sign(&party.shares[&key], &nonces, payload, &commitments)
						.unwrap()
				})
				.collect();
			apply(
				party.keyring,
				mpc_call(pallet_zenrock_mpc::Call::submit_signature_shares {
					request,
					attempt: 0,
					shares,
				}),
			);
		}
	});
	events()
		.into_iter()
		.find_map(|event| match event {
			RuntimeEvent::ZenrockTreasury(
				pallet_zenrock_treasury::Event::SignatureRequestFulfilled {
					request: fulfilled,
					signatures,
					..
				},
			) if fulfilled == request => Some(signatures.into_iter().map(|s| s.into_inner()).collect()),
			_ => None,
		})
		.expect("the signature request is fulfilled in the block of the shares")
}

#[test]
fn a_two_of_three_frost_keyring_makes_keys_and_signs_in_the_runtime() {
	preset_ext("development").execute_with(|| {
		common::run_to_block(1);
		let mut parties = vec![Party::new(Alice, 1), Party::new(Bob, 2), Party::new(Charlie, 3)];
		let keyring = register(&parties);
		let keyring_account = ZenrockIdentity::keyring_account(keyring);
		let earned_before = Balances::balance(&keyring_account);

		let (ed25519_key, ed25519_public) = generate_key(&mut parties, keyring, KeyType::Ed25519);
		let (taproot_key, taproot_public) =
			generate_key(&mut parties, keyring, KeyType::BitcoinTaproot);
		// No party holds the key: each share alone is not it.
		for party in &parties {
			assert_ne!(party.shares[&ed25519_key].verifying_share(), &ed25519_public[..]);
		}

		publish(&mut parties, keyring, Suite::Ed25519, 2);
		publish(&mut parties, keyring, Suite::Secp256k1Taproot, 2);
		let message = b"a Solana message, signed by two of three".to_vec();
		let signatures = sign(&mut parties, ed25519_key, vec![message.clone()]);
		let public = PublicKey::parse(KeyType::Ed25519, &ed25519_public).unwrap();
		assert!(verify_signature(&public, &message, &signatures[0]).is_ok());

		let sighash = [7u8; 32].to_vec();
		let signatures = sign(&mut parties, taproot_key, vec![sighash.clone()]);
		let public = PublicKey::parse(KeyType::BitcoinTaproot, &taproot_public).unwrap();
		assert!(verify_signature(&public, &sighash, &signatures[0]).is_ok());

		// Two keys and two signatures paid for.
		assert_eq!(Balances::balance(&keyring_account) - earned_before, 4 * FEE);
		// Its parties hold shares: the party set is frozen.
		assert!(pallet_zenrock_mpc::KeyringShares::<Runtime>::get(keyring) > 0);
	});
}
