//! Key and signature requests through a test node, waiting for their fulfilment event; each
//! returns its latency in blocks from the request's inclusion to its fulfilment.

use std::time::Duration;

use codec::Encode;
use pallet_zenrock_treasury::{Call as TreasuryCall, Event as TreasuryEvent};
use sp_keyring::Sr25519Keyring;
use zenrock_chain_formats::{Chain, KeyType};
use zenrock_runtime::{RuntimeCall, RuntimeEvent};

use super::Node;

/// How long a request may take to be included and fulfilled.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(180);

/// A fulfilled key request.
pub struct FulfilledKey {
	pub request: u64,
	pub key: u64,
	pub public_key: Vec<u8>,
	/// Block of the request's inclusion.
	pub requested_at: u64,
	/// Blocks from the request's inclusion to its fulfilment.
	pub latency: u64,
}

/// Requests a `key_type` key of `keyring` for `workspace` as `requester`, with its next nonce as
/// `node` sees it, and waits for its fulfilment.
pub fn request_key(
	node: &Node,
	requester: Sr25519Keyring,
	workspace: u64,
	keyring: u64,
	key_type: KeyType,
) -> FulfilledKey {
	let from = node.best_number();
	node.submit(
		RuntimeCall::ZenrockTreasury(TreasuryCall::request_key {
			workspace,
			keyring,
			key_type,
			sign_policy: None,
			max_fee: u128::MAX,
			memo: None,
		}),
		requester,
	);
	let (requested_at, request) =
		node.wait_for_event("the key request", from, REQUEST_TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::KeyRequested {
				request,
				keyring: k,
				key_type: t,
				..
			}) if *k == keyring && *t == key_type => Some(*request),
			_ => None,
		});
	wait_for_key(node, request, requested_at)
}

/// Waits for the fulfilment of key request `request`, included at block `requested_at`; panics
/// if it is rejected.
pub fn wait_for_key(node: &Node, request: u64, requested_at: u64) -> FulfilledKey {
	let (fulfilled_at, (key, public_key)) =
		node.wait_for_event("the key's fulfilment", requested_at, REQUEST_TIMEOUT, |event| {
			match event {
				RuntimeEvent::ZenrockTreasury(TreasuryEvent::KeyRequestFulfilled {
					request: r,
					key,
					public_key,
					..
				}) if *r == request => Some((*key, public_key.to_vec())),
				RuntimeEvent::ZenrockTreasury(TreasuryEvent::KeyRequestRejected {
					request: r,
					reason,
					..
				}) if *r == request => panic!(
					"key request {request} was rejected: {}",
					String::from_utf8_lossy(reason)
				),
				_ => None,
			}
		});
	FulfilledKey { request, key, public_key, requested_at, latency: fulfilled_at - requested_at }
}

/// A fulfilled signature request.
pub struct FulfilledSignatures {
	pub request: u64,
	pub signatures: Vec<Vec<u8>>,
	/// Blocks from the request's inclusion to its fulfilment.
	pub latency: u64,
}

/// Requests signatures of `payloads` with `key` as `requester` and waits for them.
pub fn request_signatures(
	node: &Node,
	requester: Sr25519Keyring,
	key: u64,
	payloads: Vec<Vec<u8>>,
) -> FulfilledSignatures {
	submit_and_wait_for_signatures(
		node,
		requester,
		key,
		RuntimeCall::ZenrockTreasury(TreasuryCall::request_signature {
			key,
			payloads,
			max_fee: u128::MAX,
			memo: None,
		}),
	)
}

/// Requests the signatures of the unsigned transaction `unsigned` for `chain` with `key` (not
/// broadcast) and waits for them.
pub fn request_transaction_signature(
	node: &Node,
	requester: Sr25519Keyring,
	key: u64,
	chain: Chain,
	unsigned: &impl Encode,
) -> FulfilledSignatures {
	request_raw_transaction_signature(node, requester, key, chain, unsigned.encode())
}

/// Requests the signature of the raw unsigned EVM transaction `unsigned` on chain `chain_id`
/// with `key` (not broadcast) and waits for it.
pub fn request_evm_signature(
	node: &Node,
	requester: Sr25519Keyring,
	key: u64,
	chain_id: u64,
	unsigned: Vec<u8>,
) -> FulfilledSignatures {
	request_raw_transaction_signature(node, requester, key, Chain::Evm { chain_id }, unsigned)
}

/// Requests the signatures of `unsigned`, already in the chain's request encoding for `chain`.
fn request_raw_transaction_signature(
	node: &Node,
	requester: Sr25519Keyring,
	key: u64,
	chain: Chain,
	unsigned_transaction: Vec<u8>,
) -> FulfilledSignatures {
	submit_and_wait_for_signatures(
		node,
		requester,
		key,
		RuntimeCall::ZenrockTreasury(TreasuryCall::request_transaction_signature {
			key,
			chain,
			unsigned_transaction,
			broadcast: false,
			max_fee: u128::MAX,
			memo: None,
		}),
	)
}

fn submit_and_wait_for_signatures(
	node: &Node,
	requester: Sr25519Keyring,
	key: u64,
	call: RuntimeCall,
) -> FulfilledSignatures {
	let from = node.best_number();
	node.submit(call, requester);
	let (requested_at, request) =
		node.wait_for_event("the signature request", from, REQUEST_TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::SignatureRequested {
				request,
				key: k,
				..
			}) if *k == key => Some(*request),
			_ => None,
		});
	wait_for_signatures(node, request, requested_at)
}

/// Waits for the signatures of signature request `request`, included at block `requested_at`;
/// panics if it is rejected.
pub fn wait_for_signatures(node: &Node, request: u64, requested_at: u64) -> FulfilledSignatures {
	let (fulfilled_at, signatures) =
		node.wait_for_event("the signatures", requested_at, REQUEST_TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::SignatureRequestFulfilled {
				request: r,
				signatures,
				..
			}) if *r == request => {
				Some(signatures.iter().map(|signature| signature.to_vec()).collect::<Vec<_>>())
			}
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::SignatureRequestRejected {
				request: r,
				reason,
				..
			}) if *r == request => panic!(
				"signature request {request} was rejected: {}",
				String::from_utf8_lossy(reason)
			),
			_ => None,
		});
	FulfilledSignatures { request, signatures, latency: fulfilled_at - requested_at }
}
