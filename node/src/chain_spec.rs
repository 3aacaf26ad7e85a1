//! Chain specifications built from the runtime's genesis presets.

use sc_service::ChainType;
use zenrock_runtime::{genesis_config_presets::FOUR_VALIDATORS_PRESET, WASM_BINARY};

/// A chain specification of this node.
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token symbol, decimals and SS58 prefix, so that wallets such as Polkadot.js display balances.
fn properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("tokenSymbol".into(), zenrock_runtime::TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), zenrock_runtime::TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), zenrock_runtime::SS58_PREFIX.into());
	properties
}

fn chain_spec(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| {
		"The runtime WASM is not available: the node was built with SKIP_WASM_BUILD".to_string()
	})?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// `--dev`: Alice alone validates, holds sudo and is endowed with the other development accounts.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	chain_spec("Development", "dev", ChainType::Development, sp_genesis_builder::DEV_RUNTIME_PRESET)
}

/// `--chain local`: Alice and Bob validate.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	chain_spec(
		"Local Testnet",
		"local_testnet",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}

/// `--chain four_validators`: Alice, Bob, Charlie and Dave validate (the zombienet testnet).
pub fn four_validators_chain_spec() -> Result<ChainSpec, String> {
	chain_spec("Four Validators", "four_validators", ChainType::Local, FOUR_VALIDATORS_PRESET)
}
