//! Talking to the runtime of a test node: signed extrinsics built with the runtime's own types,
//! storage reads, and waiting for events block by block.

use std::time::{Duration, Instant};

use codec::{Decode, Encode};
use serde_json::{json, Value};
use sp_consensus_aura::{sr25519::AuthorityId as AuraId, Slot, AURA_ENGINE_ID};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::{DigestItem, Era},
	MultiAddress, MultiSignature,
};
use zenrock_runtime::{
	Hash, Runtime, RuntimeCall, RuntimeEvent, SignedPayload, TxExtension, UncheckedExtrinsic,
};

use super::{hex_bytes, Node};

fn hex(bytes: &[u8]) -> String {
	let mut text = String::from("0x");
	for byte in bytes {
		text.push_str(&format!("{byte:02x}"));
	}
	text
}

impl Node {
	fn genesis_hash(&self) -> Hash {
		let hash = hex_bytes(&self.rpc("chain_getBlockHash", json!([0])));
		Hash::from_slice(&hash)
	}

	/// The next nonce of `signer` as this node sees it (its chain and transaction pool).
	pub fn next_nonce(&self, signer: Sr25519Keyring) -> u32 {
		let account = signer.to_account_id();
		serde_json::from_value(self.rpc("system_accountNextIndex", json!([account.to_string()])))
			.expect("a nonce")
	}

	/// Signs `call` as `signer` (immortal, no tip) with its next nonce and submits it; returns the
	/// transaction hash. The node's own off-chain workers may submit for the same account (a dev
	/// node's keyring parties are Alice, Bob and Charlie): if one took the nonce first, the pool
	/// refuses this one as a replacement of lower priority, and it is signed again with the next.
	pub fn submit(&self, call: RuntimeCall, signer: Sr25519Keyring) -> String {
		let mut attempts = 0;
		loop {
			let extrinsic = self.signed_extrinsic(call.clone(), signer, self.next_nonce(signer));
			match self.try_rpc("author_submitExtrinsic", json!([hex(&extrinsic)])) {
				Ok(hash) => return hash.as_str().expect("a transaction hash").to_string(),
				Err(error) if attempts < 5 && error.contains("Priority is too low") => {
					attempts += 1;
					std::thread::sleep(Duration::from_millis(500));
				}
				Err(error) => panic!("author_submitExtrinsic failed: {error}"),
			}
		}
	}

	/// [`Node::submit`] with an explicit nonce: for several transactions of one signer sent through
	/// different nodes, whose pools do not see each other's transactions at once.
	pub fn submit_with_nonce(
		&self,
		call: RuntimeCall,
		signer: Sr25519Keyring,
		nonce: u32,
	) -> String {
		let extrinsic = self.signed_extrinsic(call, signer, nonce);
		let hash = self.rpc("author_submitExtrinsic", json!([hex(&extrinsic)]));
		hash.as_str().expect("a transaction hash").to_string()
	}

	/// `call` signed as `signer` with `nonce` (immortal, no tip), encoded.
	fn signed_extrinsic(&self, call: RuntimeCall, signer: Sr25519Keyring, nonce: u32) -> Vec<u8> {
		let account = signer.to_account_id();
		let version = self.rpc("state_getRuntimeVersion", json!([]));
		let spec_version = version["specVersion"].as_u64().expect("specVersion") as u32;
		let transaction_version =
			version["transactionVersion"].as_u64().expect("transactionVersion") as u32;
		let genesis = self.genesis_hash();

		let extension: TxExtension = (
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::Immortal),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
			frame_system::WeightReclaim::<Runtime>::new(),
		);
		let implicit =
			((), (), spec_version, transaction_version, genesis, genesis, (), (), (), None, ());
		let payload = SignedPayload::from_raw(call, extension, implicit);
		let signature = payload.using_encoded(|bytes| signer.sign(bytes));
		let (call, extension, _) = payload.deconstruct();
		let extrinsic = UncheckedExtrinsic::new_signed(
			call,
			MultiAddress::Id(account),
			MultiSignature::Sr25519(signature),
			extension,
		);
		extrinsic.encode()
	}

	/// Reads and decodes the storage value at `key` in the best block.
	pub fn storage<T: Decode>(&self, key: &[u8]) -> Option<T> {
		let value = self.rpc("state_getStorage", json!([hex(key)]));
		if value.is_null() {
			return None;
		}
		Some(T::decode(&mut &hex_bytes(&value)[..]).expect("storage decodes"))
	}

	/// Calls a runtime API function (e.g. `TreasuryApi_key_with_addresses`) with SCALE `args`.
	pub fn runtime_api<T: Decode>(&self, function: &str, args: &[u8]) -> T {
		let result = self.rpc("state_call", json!([function, hex(args)]));
		T::decode(&mut &hex_bytes(&result)[..]).expect("runtime API result decodes")
	}

	/// Calls a runtime API function in the state of block `hash` (a `0x…` JSON string).
	pub fn runtime_api_at<T: Decode>(&self, function: &str, args: &[u8], hash: &Value) -> T {
		let result = self.rpc("state_call", json!([function, hex(args), hash]));
		T::decode(&mut &hex_bytes(&result)[..]).expect("runtime API result decodes")
	}

	/// The Aura authority that authored block `number`: the one whose turn the slot in the block's
	/// Aura pre-runtime digest was, among the authorities in the state of its parent.
	pub fn block_author(&self, number: u64) -> AuraId {
		let hash = self.rpc("chain_getBlockHash", json!([number]));
		let header = self.rpc("chain_getHeader", json!([hash]));
		let slot = header["digest"]["logs"]
			.as_array()
			.expect("digest logs")
			.iter()
			.find_map(|log| {
				let item = DigestItem::decode(&mut &hex_bytes(log)[..]).expect("a digest item");
				match item.as_pre_runtime() {
					Some((AURA_ENGINE_ID, mut data)) => {
						Some(Slot::decode(&mut data).expect("a slot"))
					}
					_ => None,
				}
			})
			.unwrap_or_else(|| panic!("block {number} has no Aura pre-runtime digest"));
		let authorities: Vec<AuraId> =
			self.runtime_api_at("AuraApi_authorities", &[], &header["parentHash"]);
		assert!(!authorities.is_empty(), "no Aura authorities at block {number}'s parent");
		authorities[(u64::from(slot) % authorities.len() as u64) as usize].clone()
	}

	/// The events of block `number`.
	pub fn events_at(&self, number: u64) -> Vec<RuntimeEvent> {
		let hash = self.rpc("chain_getBlockHash", json!([number]));
		// `System::Events` (its storage type is private to frame-system).
		let key =
			[sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat();
		let value = self.rpc("state_getStorage", json!([hex(&key), hash]));
		if value.is_null() {
			return Vec::new();
		}
		type Records = Vec<frame_system::EventRecord<RuntimeEvent, Hash>>;
		Records::decode(&mut &hex_bytes(&value)[..])
			.expect("events decode")
			.into_iter()
			.map(|record| record.event)
			.collect()
	}

	/// Walks the blocks from `from` on until one emits an event for which `select` returns a value;
	/// returns it with that block's number. Panics with the node log after `timeout`.
	pub fn wait_for_event<T>(
		&self,
		what: &str,
		from: u64,
		timeout: Duration,
		mut select: impl FnMut(&RuntimeEvent) -> Option<T>,
	) -> (u64, T) {
		let deadline = Instant::now() + timeout;
		let mut next = from;
		while Instant::now() < deadline {
			while next <= self.best_number() {
				for event in self.events_at(next) {
					if let Some(found) = select(&event) {
						return (next, found);
					}
				}
				next += 1;
			}
			std::thread::sleep(Duration::from_millis(300));
		}
		panic!("timed out after {timeout:?} waiting for {what}; node log:\n{}", self.log_tail(60));
	}
}
