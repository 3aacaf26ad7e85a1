//! What a party's keyring engine keeps: its protocol outputs (Paillier primes, auxiliary info,
//! key shares, presignatures), each sealed with the party's storage key in the node's off-chain
//! database, and the journal that makes every presignature sign one message, once, ever.

use codec::{Decode, Encode};
use rand_core::{OsRng, RngCore};
use sp_core::offchain::OffchainStorage;
use zenrock_mpc_core::{open_at_rest, seal_at_rest, Zeroizing, AT_REST_NONCE_SIZE};
use zenrock_primitives::KeyringId;

/// The off-chain database prefix of the engine's records (apart from the workers' own).
const PREFIX: &[u8] = b"zenrock-keyring-engine";

/// A secret the engine keeps for a party.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode)]
pub enum Slot {
	/// The party's Paillier primes, until the auxiliary info that uses them is made.
	Primes,
	/// The party's auxiliary info of a keyring.
	AuxInfo(KeyringId),
	/// The party's share of a keyring's master key (without auxiliary info).
	MasterShare(KeyringId),
}

/// A presignature's journal entry.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum PresignatureEntry {
	/// Not used yet: the sealed secret presignature.
	Unused(Vec<u8>),
	/// Used, for the message of digest `digest`: the secret is gone, the partial signature it gave
	/// is kept so that a resubmission sends the same one.
	Used {
		/// The digest signed.
		digest: [u8; 32],
		/// The partial signature.
		sigma: [u8; 32],
	},
}

/// Why a presignature did not sign.
#[derive(Debug, PartialEq, Eq)]
pub enum PresignatureRefusal {
	/// No such presignature (never made here, or the database was wiped).
	Unknown,
	/// It already signed another message: signing a second one would reveal the key share.
	UsedForAnotherMessage,
	/// Its record does not decrypt or decode.
	Corrupt,
	/// The signing function failed.
	Failed(String),
}

/// A party's sealed records in the node's off-chain database.
pub struct PartyStore<S> {
	storage: S,
	party: Vec<u8>,
	storage_key: Zeroizing<[u8; 32]>,
}

impl<S: OffchainStorage> PartyStore<S> {
	/// The records of the party with encoded account `party`, sealed with `storage_key`.
	pub fn new(storage: S, party: Vec<u8>, storage_key: Zeroizing<[u8; 32]>) -> Self {
		PartyStore { storage, party, storage_key }
	}

	fn key(&self, what: impl Encode) -> Vec<u8> {
		(b"v1", &self.party, what).encode()
	}

	fn seal(&self, key: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, zenrock_mpc_core::Error> {
		let mut nonce = [0u8; AT_REST_NONCE_SIZE];
		OsRng.fill_bytes(&mut nonce);
		seal_at_rest(&self.storage_key, key, plaintext, nonce)
	}

	/// Keeps `secret` in `slot` (replacing what was there).
	pub fn put(&mut self, slot: Slot, secret: &[u8]) -> Result<(), zenrock_mpc_core::Error> {
		let key = self.key(slot);
		let sealed = self.seal(&key, secret)?;
		self.storage.set(PREFIX, &key, &sealed);
		Ok(())
	}

	/// The secret in `slot`, if any and if it opens with the party's key.
	pub fn get(&self, slot: Slot) -> Option<Zeroizing<Vec<u8>>> {
		let key = self.key(slot);
		let sealed = self.storage.get(PREFIX, &key)?;
		open_at_rest(&self.storage_key, &key, &sealed).ok()
	}

	/// Forgets `slot`.
	pub fn remove(&mut self, slot: Slot) {
		let key = self.key(slot);
		self.storage.remove(PREFIX, &key);
	}

	fn presignature_key(&self, ceremony: u64) -> Vec<u8> {
		self.key((b"presignature", ceremony))
	}

	/// Keeps the secret presignature made by ceremony `ceremony`, unused. A presignature
	/// already journalled is left as it is.
	pub fn put_presignature(
		&mut self,
		ceremony: u64,
		secret: &[u8],
	) -> Result<(), zenrock_mpc_core::Error> {
		let key = self.presignature_key(ceremony);
		let entry = PresignatureEntry::Unused(self.seal(&key, secret)?).encode();
		self.storage.compare_and_set(PREFIX, &key, None, &entry);
		Ok(())
	}

	/// The journal entry of ceremony `ceremony`'s presignature.
	pub fn presignature(&self, ceremony: u64) -> Option<PresignatureEntry> {
		let bytes = self.storage.get(PREFIX, &self.presignature_key(ceremony))?;
		PresignatureEntry::decode(&mut &bytes[..]).ok()
	}

	/// The partial signature of `digest` with ceremony `ceremony`'s presignature: `sign` is
	/// given the opened secret, and the journal records the use (atomically, replacing the
	/// secret) before the partial signature is returned. Asked again for the same digest, it
	/// returns the recorded partial signature; for another digest, it refuses.
	pub fn sign_once(
		&mut self,
		ceremony: u64,
		digest: [u8; 32],
		sign: impl FnOnce(&[u8]) -> Result<[u8; 32], String>,
	) -> Result<[u8; 32], PresignatureRefusal> {
		let key = self.presignature_key(ceremony);
		let current = self.storage.get(PREFIX, &key).ok_or(PresignatureRefusal::Unknown)?;
		let entry = PresignatureEntry::decode(&mut &current[..])
			.map_err(|_| PresignatureRefusal::Corrupt)?;
		let sealed = match entry {
			PresignatureEntry::Used { digest: used, sigma } if used == digest => return Ok(sigma),
			PresignatureEntry::Used { .. } => {
				return Err(PresignatureRefusal::UsedForAnotherMessage)
			}
			PresignatureEntry::Unused(sealed) => sealed,
		};
		let secret = open_at_rest(&self.storage_key, &key, &sealed)
			.map_err(|_| PresignatureRefusal::Corrupt)?;
		let sigma = sign(&secret).map_err(PresignatureRefusal::Failed)?;
		let used = PresignatureEntry::Used { digest, sigma }.encode();
		if self.storage.compare_and_set(PREFIX, &key, Some(&current), &used) {
			return Ok(sigma);
		}
		// Someone else recorded a use meanwhile: that record rules.
		match self.presignature(ceremony) {
			Some(PresignatureEntry::Used { digest: used, sigma }) if used == digest => Ok(sigma),
			_ => Err(PresignatureRefusal::UsedForAnotherMessage),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::offchain::storage::InMemOffchainStorage;
	use std::sync::{Arc, Mutex};

	/// One database shared by the stores of a test (the node's database handle is shared too).
	#[derive(Clone, Default)]
	struct Database(Arc<Mutex<InMemOffchainStorage>>);

	impl Database {
		fn everything(&self) -> Vec<u8> {
			let storage = self.0.lock().unwrap();
			storage.iter().flat_map(|(key, value)| [key.clone(), value.clone()].concat()).collect()
		}
	}

	impl OffchainStorage for Database {
		fn set(&mut self, prefix: &[u8], key: &[u8], value: &[u8]) {
			self.0.lock().unwrap().set(prefix, key, value)
		}
		fn remove(&mut self, prefix: &[u8], key: &[u8]) {
			self.0.lock().unwrap().remove(prefix, key)
		}
		fn get(&self, prefix: &[u8], key: &[u8]) -> Option<Vec<u8>> {
			self.0.lock().unwrap().get(prefix, key)
		}
		fn compare_and_set(
			&mut self,
			prefix: &[u8],
			key: &[u8],
			old: Option<&[u8]>,
			new: &[u8],
		) -> bool {
			self.0.lock().unwrap().compare_and_set(prefix, key, old, new)
		}
	}

	fn store(database: &Database, party: u8) -> PartyStore<Database> {
		PartyStore::new(database.clone(), vec![party], Zeroizing::new([party; 32]))
	}

	fn counting_signer(
		calls: &std::cell::Cell<u32>,
	) -> impl FnOnce(&[u8]) -> Result<[u8; 32], String> + '_ {
		move |secret| {
			calls.set(calls.get() + 1);
			let mut sigma = [0u8; 32];
			sigma[..secret.len().min(32)].copy_from_slice(&secret[..secret.len().min(32)]);
			Ok(sigma)
		}
	}

	#[test]
	fn a_presignature_signs_one_message_once_across_restarts() {
		let database = Database::default();
		let calls = std::cell::Cell::new(0);
		let mut first_run = store(&database, 1);
		first_run.put_presignature(9, b"secret presignature").unwrap();
		let sigma = first_run.sign_once(9, [0xaa; 32], counting_signer(&calls)).unwrap();
		assert_eq!(&sigma[..19], b"secret presignature");
		// The same message again: the recorded partial signature, without opening the secret.
		assert_eq!(first_run.sign_once(9, [0xaa; 32], counting_signer(&calls)), Ok(sigma));
		assert_eq!(calls.get(), 1);
		// Another message: refused.
		assert_eq!(
			first_run.sign_once(9, [0xbb; 32], counting_signer(&calls)),
			Err(PresignatureRefusal::UsedForAnotherMessage)
		);

		// The node restarts: a new store over the same database still refuses, and the secret
		// is gone from the database.
		let mut after_restart = store(&database, 1);
		assert_eq!(
			after_restart.sign_once(9, [0xbb; 32], counting_signer(&calls)),
			Err(PresignatureRefusal::UsedForAnotherMessage)
		);
		assert_eq!(
			after_restart.presignature(9),
			Some(PresignatureEntry::Used { digest: [0xaa; 32], sigma })
		);
		// A presignature made again by a replayed ceremony output does not reset the journal.
		after_restart.put_presignature(9, b"secret presignature").unwrap();
		assert_eq!(
			after_restart.sign_once(9, [0xbb; 32], counting_signer(&calls)),
			Err(PresignatureRefusal::UsedForAnotherMessage)
		);
		assert_eq!(calls.get(), 1);
		assert_eq!(
			after_restart.sign_once(10, [0xaa; 32], counting_signer(&calls)),
			Err(PresignatureRefusal::Unknown)
		);
	}

	#[test]
	fn secrets_are_sealed_per_party_and_slot() {
		let database = Database::default();
		let mut alice = store(&database, 1);
		alice.put(Slot::AuxInfo(2), b"aux info").unwrap();
		assert_eq!(
			alice.get(Slot::AuxInfo(2)).as_deref().map(Vec::as_slice),
			Some(&b"aux info"[..])
		);
		assert_eq!(alice.get(Slot::MasterShare(2)), None);
		// Nothing in the database reads as the secret.
		assert!(!database.everything().windows(8).any(|window| window == b"aux info"));
		// Another party's key does not open it, even under the same account bytes.
		let intruder = PartyStore::new(database.clone(), vec![1], Zeroizing::new([2; 32]));
		assert_eq!(intruder.get(Slot::AuxInfo(2)), None);
		alice.remove(Slot::AuxInfo(2));
		assert_eq!(alice.get(Slot::AuxInfo(2)), None);
	}
}
