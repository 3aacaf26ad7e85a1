//! Starts the real `zenrock-node --dev` and checks that it is a working chain: blocks are produced and
//! finalized, and the runtime serves metadata V15 or newer.

mod common;

use std::time::Duration;

use codec::Decode;
use common::{hex_bytes, Node};
use serde_json::json;

#[test]
fn dev_chain_produces_and_finalizes_blocks_and_serves_metadata() {
	let node = Node::start(&["--dev"]);

	node.wait_until("block 3 to be produced", Duration::from_secs(120), |node| {
		node.best_number() >= 3
	});
	node.wait_until("block 2 to be finalized", Duration::from_secs(120), |node| {
		node.finalized_number() >= 2
	});

	let versions = node.rpc("state_call", json!(["Metadata_metadata_versions", "0x"]));
	let versions = Vec::<u32>::decode(&mut &hex_bytes(&versions)[..]).expect("a SCALE Vec<u32>");
	assert!(
		versions.iter().any(|version| *version >= 15),
		"metadata V15 or newer must be served, got {versions:?}"
	);

	let chain = node.rpc("system_chain", json!([]));
	assert_eq!(chain, json!("Development"));
	let properties = node.rpc("system_properties", json!([]));
	assert_eq!(properties["tokenSymbol"], json!("ZEN"));

	// `system_accountNextIndex` comes from this node's RPC extensions. (Dave: Alice, Bob and
	// Charlie are parties of keyring 1, whose worker transactions move their nonces.)
	let dave = "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy";
	assert_eq!(node.rpc("system_accountNextIndex", json!([dave])), json!(0));
}

#[test]
fn exports_every_preset_as_a_chain_spec() {
	for chain in ["dev", "local", "four_validators"] {
		let output = std::process::Command::new(env!("CARGO_BIN_EXE_zenrock-node"))
			.args(["export-chain-spec", "--chain", chain])
			.output()
			.expect("zenrock-node runs");
		assert!(output.status.success(), "export-chain-spec --chain {chain} failed: {output:?}");
		let spec: serde_json::Value =
			serde_json::from_slice(&output.stdout).expect("the chain spec is JSON");
		assert!(spec["genesis"].is_object(), "chain spec of {chain} has a genesis: {spec}");
	}
}

#[test]
fn unknown_chain_is_a_clear_error() {
	let output = std::process::Command::new(env!("CARGO_BIN_EXE_zenrock-node"))
		.args(["export-chain-spec", "--chain", "/no/such/chain-spec.json"])
		.output()
		.expect("zenrock-node runs");
	assert!(!output.status.success());
	let stderr = String::from_utf8_lossy(&output.stderr);
	assert!(stderr.contains("chain-spec.json"), "the error names the file: {stderr}");
}
