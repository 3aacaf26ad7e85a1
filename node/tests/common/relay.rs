//! EVM transactions signed on chain and broadcast by the node's relayer to anvil: unsigned
//! transfers (minimal RLP), the request with broadcast on, and the checks on anvil's side.

use std::time::Duration;

use pallet_zenrock_relayer::Event as RelayerEvent;
use pallet_zenrock_treasury::{Call as TreasuryCall, Event as TreasuryEvent};
use serde_json::json;
use sp_keyring::Sr25519Keyring::Alice;
use zenrock_chain_formats::{address, Chain, PublicKey};
use zenrock_runtime::{RuntimeCall, RuntimeEvent};

use super::{anvil::Anvil, Node};

/// The anvil chain the tests relay to.
pub const CHAIN_ID: u64 = 31337;
/// How long a broadcast and its inclusion report may take.
const TIMEOUT: Duration = Duration::from_secs(120);
/// The transfers' recipient.
pub const RECIPIENT: [u8; 20] = [0x42; 20];

/// Minimal RLP, enough to write unsigned transactions (the chain-formats crate parses, it does not
/// build transactions).
pub fn rlp_bytes(bytes: &[u8], out: &mut Vec<u8>) {
	match bytes {
		[byte] if *byte < 0x80 => out.push(*byte),
		_ => {
			rlp_length(0x80, bytes.len(), out);
			out.extend_from_slice(bytes);
		}
	}
}

pub fn rlp_length(offset: u8, length: usize, out: &mut Vec<u8>) {
	if length <= 55 {
		out.push(offset + length as u8);
	} else {
		let bytes = minimal(length as u128);
		out.push(offset + 55 + bytes.len() as u8);
		out.extend_from_slice(&bytes);
	}
}

pub fn minimal(value: u128) -> Vec<u8> {
	value.to_be_bytes().iter().copied().skip_while(|byte| *byte == 0).collect()
}

/// RLP of a list whose items are byte strings, followed by already-encoded `raw_tail` items.
pub fn rlp_list_with_tail(items: &[Vec<u8>], raw_tail: &[u8]) -> Vec<u8> {
	let mut body = Vec::new();
	for item in items {
		rlp_bytes(item, &mut body);
	}
	body.extend_from_slice(raw_tail);
	let mut out = Vec::new();
	rlp_length(0xc0, body.len(), &mut out);
	out.extend(body);
	out
}

pub fn rlp_list(items: &[Vec<u8>]) -> Vec<u8> {
	rlp_list_with_tail(items, &[])
}

/// An unsigned EIP-1559 transfer of `value` wei to `RECIPIENT`: `0x02 || rlp([chainId, nonce,
/// maxPriorityFeePerGas, maxFeePerGas, gas, to, value, data, accessList])`.
pub fn eip1559_transfer(nonce: u64, value: u128) -> Vec<u8> {
	let fields = [
		minimal(CHAIN_ID as u128),
		minimal(nonce as u128),
		minimal(1_000_000_000),  // max priority fee per gas: 1 gwei
		minimal(50_000_000_000), // max fee per gas: 50 gwei
		minimal(21_000),
		RECIPIENT.to_vec(),
		minimal(value),
		Vec::new(), // no call data
	];
	let mut transaction = vec![0x02];
	transaction.extend(rlp_list_with_tail(&fields, &[0xc0])); // empty access list
	transaction
}

/// An unsigned legacy transfer in its EIP-155 signing form `[nonce, gasPrice, gas, to, value,
/// data, chainId, 0, 0]`.
pub fn legacy_transfer(nonce: u64, value: u128) -> Vec<u8> {
	rlp_list(&[
		minimal(nonce as u128),
		minimal(50_000_000_000),
		minimal(21_000),
		RECIPIENT.to_vec(),
		minimal(value),
		Vec::new(),
		minimal(CHAIN_ID as u128),
		Vec::new(),
		Vec::new(),
	])
}

pub fn hex(bytes: &[u8]) -> String {
	format!("0x{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// Has `unsigned` signed with broadcast on, and waits until the relayer reports the broadcast and
/// the receipt. Returns (tx hash recorded on chain, receipt block, success).
pub fn sign_and_relay(node: &Node, key: u64, unsigned: Vec<u8>) -> (Vec<u8>, u64, bool) {
	let from = node.best_number();
	node.submit(
		RuntimeCall::ZenrockTreasury(TreasuryCall::request_transaction_signature {
			key,
			chain: Chain::Evm { chain_id: CHAIN_ID },
			unsigned_transaction: unsigned,
			broadcast: true,
			max_fee: u128::MAX,
			memo: None,
		}),
		Alice,
	);
	let (requested_at, request) =
		node.wait_for_event("the signature request", from, TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockTreasury(TreasuryEvent::SignatureRequested {
				request,
				key: k,
				..
			}) if *k == key => Some(*request),
			_ => None,
		});
	let (_, tx_hash) =
		node.wait_for_event("the broadcast report", requested_at, TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockRelayer(RelayerEvent::BroadcastAccepted {
				request: r,
				tx_hash,
				..
			}) if *r == request => Some(tx_hash.to_vec()),
			RuntimeEvent::ZenrockRelayer(RelayerEvent::BroadcastFailed {
				request: r,
				class,
				message,
				..
			}) if *r == request => {
				panic!("the broadcast failed: {class:?} {}", String::from_utf8_lossy(message))
			}
			_ => None,
		});
	let (_, (block, success)) =
		node.wait_for_event("the inclusion report", requested_at, TIMEOUT, |event| match event {
			RuntimeEvent::ZenrockRelayer(RelayerEvent::InclusionReported {
				request: r,
				block,
				success,
				..
			}) if *r == request => Some((*block, *success)),
			_ => None,
		});
	(tx_hash, block, success)
}

/// An EIP-1559 and a legacy transfer from `key`'s address, signed on chain and broadcast by the
/// relayer, are mined by anvil: the value arrives and anvil recovers the sender to the key.
pub fn transfers_are_mined(anvil: &Anvil, node: &Node, key: u64, public_key: &PublicKey) {
	let sender = address::evm_checksum_address(&address::evm_address(public_key).expect("EVM"));
	anvil.rpc("anvil_setBalance", json!([sender, "0x8AC7230489E80000"])); // 10 ether
	let recipient = hex(&RECIPIENT);
	let before = anvil.balance(&recipient);

	for (nonce, (kind, unsigned, value)) in [
		("EIP-1559", eip1559_transfer(0, 123_456_789), 123_456_789u128),
		("legacy EIP-155", legacy_transfer(1, 987_654_321), 987_654_321u128),
	]
	.into_iter()
	.enumerate()
	{
		let balance_before = anvil.balance(&recipient);
		let (tx_hash, block, success) = sign_and_relay(node, key, unsigned);
		let receipt = anvil.rpc("eth_getTransactionReceipt", json!([hex(&tx_hash)]));
		assert!(!receipt.is_null(), "{kind}: anvil knows the hash recorded on chain");
		assert_eq!(receipt["status"], json!("0x1"), "{kind}: the transfer succeeded on anvil");
		let anvil_block = u64::from_str_radix(
			receipt["blockNumber"].as_str().unwrap_or("0x0").trim_start_matches("0x"),
			16,
		)
		.expect("a block number");
		assert_eq!(block, anvil_block, "{kind}: the reported block is anvil's");
		assert!(success, "{kind}: the chain records the success");
		assert_eq!(anvil.balance(&recipient), balance_before + value, "{kind}: value arrived");
		let transaction = anvil.rpc("eth_getTransactionByHash", json!([hex(&tx_hash)]));
		assert_eq!(
			transaction["from"].as_str().map(str::to_lowercase),
			Some(sender.to_lowercase())
		);
		assert_eq!(transaction["nonce"], json!(format!("0x{nonce:x}")));
	}
	assert_eq!(anvil.balance(&recipient), before + 123_456_789 + 987_654_321);
}
