//! End to end with a real Ethereum node: anvil (npm `@foundry-rs/anvil`) and `zenrock-node --dev
//! --relayer-endpoint eip155:<id>=<anvil>`. A key requested on the dev chain signs an EIP-1559 and a
//! legacy (EIP-155) transfer; the dev node's relayer broadcasts them to anvil and reports the
//! transaction hash and the receipt on chain. Once with a key of the node's keystore keyring (0),
//! once with a key of the threshold ECDSA keyring of Alice, Bob and Charlie (2).

mod common;

use std::time::Duration;

use common::{
	anvil::Anvil,
	ecdsa,
	relay::{transfers_are_mined, CHAIN_ID},
	Node,
};
use pallet_zenrock_treasury::{Call as TreasuryCall, Event as TreasuryEvent};
use sp_keyring::Sr25519Keyring::Alice;
use zenrock_chain_formats::{KeyType, PublicKey};
use zenrock_runtime::{RuntimeCall, RuntimeEvent};

const TIMEOUT: Duration = Duration::from_secs(120);
/// One dev node and anvil at a time (two cores).
static ONE_NODE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Requests an ECDSA key from the dev keyring and returns (key id, public key).
fn request_ecdsa_key(node: &Node, keyring: u64) -> (u64, PublicKey) {
	let from = node.best_number();
	node.submit(
		RuntimeCall::ZenrockTreasury(TreasuryCall::request_key {
			workspace: 0,
			keyring,
			key_type: KeyType::EcdsaSecp256k1,
			sign_policy: None,
			max_fee: u128::MAX,
			memo: None,
		}),
		Alice,
	);
	let (_, (key, public_key)) =
		node.wait_for_event("an ECDSA key", from, TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::KeyRequestFulfilled {
				key,
				public_key,
				..
			}) => Some((*key, public_key.to_vec())),
			_ => None,
		});
	(key, PublicKey::parse(KeyType::EcdsaSecp256k1, &public_key).expect("a valid key"))
}

#[test]
fn relayer_broadcasts_signed_transactions_to_anvil() {
	let _serial = ONE_NODE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	let anvil = Anvil::start(CHAIN_ID);
	let endpoint = format!("eip155:{CHAIN_ID}={}", anvil.url());
	let node = Node::start(&["--dev", "--relayer-endpoint", &endpoint]);
	let (key, public_key) = request_ecdsa_key(&node, 0);
	transfers_are_mined(&anvil, &node, key, &public_key);
}

/// Keyring 2 of the dev chain: no node holds its key; two of the three parties sign.
#[test]
fn relayer_broadcasts_threshold_ecdsa_signed_transactions_to_anvil() {
	let _serial = ONE_NODE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
	let anvil = Anvil::start(CHAIN_ID);
	let endpoint = format!("eip155:{CHAIN_ID}={}", anvil.url());
	let node = Node::start(&["--dev", "--relayer-endpoint", &endpoint]);
	node.wait_until("keyring 2's setup", Duration::from_secs(300), |node| {
		ecdsa::keyring_ready(node, 2)
	});
	let (key, public_key) = request_ecdsa_key(&node, 2);
	transfers_are_mined(&anvil, &node, key, &public_key);
}
