//! Genesis presets: `development` (Alice alone), `local_testnet` (Alice and Bob) and `four_validators`
//! (Alice, Bob, Charlie and Dave, for the multi-node testnet). Every well-known development account is
//! endowed, and Alice is the sudo key.

use crate::{AccountId, BalancesConfig, RuntimeGenesisConfig, SudoConfig, UNIT};
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

/// A genesis with the given validators (Aura and GRANDPA keys), endowed accounts and sudo key.
fn genesis(
	validators: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.into_iter().map(|account| (account, ENDOWMENT)).collect(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: validators.iter().map(|(aura, _)| aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: validators
				.into_iter()
				.map(|(_, grandpa)| (grandpa, 1))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
	})
}

/// The Aura (sr25519) and GRANDPA (ed25519) keys of a well-known development account.
fn validator_keys(sr25519: Sr25519Keyring, ed25519: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(sr25519.public().into(), ed25519.public().into())
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
	fn unknown_preset_is_none() {
		assert!(get_preset(&PresetId::from("no-such-preset")).is_none());
	}
}
