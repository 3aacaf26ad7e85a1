//! Genesis presets: `development` (Alice alone), `local_testnet` (Alice and Bob) and `four_validators`
//! (Alice, Bob, Charlie and Dave, for the multi-node testnet). Every well-known development account is
//! endowed, and Alice is the sudo key.
//!
//! So that a new user can request a key and a signature at once, every preset also has, per validator,
//! a keyring served by that validator's node (the validator is its admin and only party, threshold 1),
//! and one workspace owned by Alice and Bob whose account holds funds.

use crate::{
	AccountId, BalancesConfig, IdentityConfig, RelayerConfig, Runtime, RuntimeGenesisConfig,
	SudoConfig, UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Name of the four-validator preset used by the multi-node testnet.
pub const FOUR_VALIDATORS_PRESET: &str = "four_validators";

/// Balance of every endowed development account: one million ZEN.
pub const ENDOWMENT: u128 = 1_000_000 * UNIT;

/// Fee of a key request to a genesis keyring.
pub const GENESIS_KEY_REQUEST_FEE: u128 = UNIT;
/// Fee of a signature request to a genesis keyring.
pub const GENESIS_SIGN_REQUEST_FEE: u128 = UNIT / 10;

/// A validator of a preset: its account (keyring party and admin) and consensus keys.
struct Validator {
	account: AccountId,
	aura: AuraId,
	grandpa: GrandpaId,
}

/// A genesis with the given validators, endowed accounts and sudo key; each validator's node serves
/// keyring `i` (the validator's index), and workspace 0 is owned by Alice and Bob.
fn genesis(validators: Vec<Validator>, endowed_accounts: Vec<AccountId>, root: AccountId) -> Value {
	let workspace_account = pallet_zenrock_identity::Pallet::<Runtime>::workspace_account(0);
	let balances = endowed_accounts
		.into_iter()
		.chain(core::iter::once(workspace_account))
		.map(|account| (account, ENDOWMENT))
		.collect::<Vec<_>>();
	let keyrings = validators
		.iter()
		.map(|validator| {
			(
				validator.account.clone(),
				b"Node keystore keyring".to_vec(),
				vec![validator.account.clone()],
				1,
				GENESIS_KEY_REQUEST_FEE,
				GENESIS_SIGN_REQUEST_FEE,
			)
		})
		.collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		identity: IdentityConfig {
			workspaces: vec![(
				Sr25519Keyring::Alice.to_account_id(),
				vec![Sr25519Keyring::Bob.to_account_id()]
			)],
			keyrings,
		},
		aura: pallet_aura::GenesisConfig {
			authorities: validators
				.iter()
				.map(|validator| validator.aura.clone())
				.collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: validators
				.into_iter()
				.map(|validator| (validator.grandpa, 1))
				.collect::<Vec<_>>(),
		},
		// Alice relays on every preset (her node needs an endpoint: `--relayer-endpoint`).
		relayer: RelayerConfig { relayers: vec![Sr25519Keyring::Alice.to_account_id()] },
		sudo: SudoConfig { key: Some(root) },
	})
}

/// A well-known development account as a validator: its sr25519 account and Aura key, and the
/// ed25519 GRANDPA key of the same name.
fn validator_keys(sr25519: Sr25519Keyring, ed25519: Ed25519Keyring) -> Validator {
	Validator {
		account: sr25519.to_account_id(),
		aura: sr25519.public().into(),
		grandpa: ed25519.public().into(),
	}
}

/// Alice, Bob, Charlie, Dave, Eve, Ferdie and their stash accounts.
fn development_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|keyring| keyring != &Sr25519Keyring::One && keyring != &Sr25519Keyring::Two)
		.map(|keyring| keyring.to_account_id())
		.collect()
}

/// `development`: Alice is the only validator.
pub fn development_genesis() -> Value {
	genesis(
		vec![validator_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		development_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// `local_testnet`: Alice and Bob validate.
pub fn local_testnet_genesis() -> Value {
	genesis(
		vec![
			validator_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			validator_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		development_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// `four_validators`: Alice, Bob, Charlie and Dave validate; any three of them finalize.
pub fn four_validators_genesis() -> Value {
	genesis(
		vec![
			validator_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			validator_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			validator_keys(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			validator_keys(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		development_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The JSON patch of the preset `id`, or `None` for an unknown preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_genesis(),
		FOUR_VALIDATORS_PRESET => four_validators_genesis(),
		_ => return None,
	};
	// Serializing a `serde_json::Value` cannot fail.
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets this runtime provides.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(FOUR_VALIDATORS_PRESET),
	]
}

#[cfg(test)]
mod tests {
	use super::*;

	/// Applies a preset's JSON patch to a full config, as the node's chain-spec builder does.
	fn merge(config: &mut Value, patch: Value) {
		match (config, patch) {
			(Value::Object(config), Value::Object(patch)) => {
				for (key, value) in patch {
					merge(config.entry(key).or_insert(Value::Null), value);
				}
			}
			(config, patch) => *config = patch,
		}
	}

	#[test]
	fn every_preset_builds_a_genesis_state() {
		for name in preset_names() {
			let patch = get_preset(&name).expect("listed presets exist");
			let mut config = serde_json::to_value(RuntimeGenesisConfig::default())
				.expect("the default genesis config serializes");
			merge(&mut config, serde_json::from_slice(&patch).expect("a preset is JSON"));
			let config = serde_json::to_vec(&config).expect("JSON serializes");
			sp_io::TestExternalities::default().execute_with(|| {
				frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(config)
					.unwrap_or_else(|error| panic!("preset {name:?} does not build: {error}"));
			});
		}
	}

	#[test]
	fn four_validators_preset_has_four_authorities() {
		let patch = four_validators_genesis();
		assert_eq!(patch["aura"]["authorities"].as_array().map(Vec::len), Some(4));
		assert_eq!(patch["grandpa"]["authorities"].as_array().map(Vec::len), Some(4));
	}

	#[test]
	fn presets_have_a_keyring_per_validator_and_a_funded_workspace() {
		let patch = four_validators_genesis();
		assert_eq!(patch["identity"]["keyrings"].as_array().map(Vec::len), Some(4));
		assert_eq!(patch["identity"]["workspaces"].as_array().map(Vec::len), Some(1));
		let development = development_genesis();
		assert_eq!(development["identity"]["keyrings"].as_array().map(Vec::len), Some(1));
		let workspace_account = pallet_zenrock_identity::Pallet::<Runtime>::workspace_account(0);
		let funded = development["balances"]["balances"]
			.as_array()
			.expect("balances")
			.iter()
			.any(|entry| entry[0] == serde_json::to_value(&workspace_account).expect("json"));
		assert!(funded, "workspace 0's account is endowed");
	}

	#[test]
	fn unknown_preset_is_none() {
		assert!(get_preset(&PresetId::from("no-such-preset")).is_none());
	}
}
