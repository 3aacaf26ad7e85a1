//! Genesis presets: `development` (Alice alone), `local_testnet` (Alice and Bob) and `four_validators`
//! (Alice, Bob, Charlie and Dave, for the multi-node testnet). Every well-known development account is
//! endowed, and Alice is the sudo key.
//!
//! So that a new user can request a key and a signature at once, every preset also has, per validator,
//! a keyring served by that validator's node (the validator is its admin and only party, threshold 1),
//! and one workspace owned by Alice and Bob whose account holds funds. `development` and
//! `four_validators` also have a FROST keyring of Alice, Bob and Charlie, threshold 2 (the keyring
//! after the validators' ones: 1 on `development`, 4 on `four_validators`), then a threshold ECDSA
//! keyring of the same parties and threshold (2 on `development`, 5 on `four_validators`): on
//! `development` the one dev node serves all three parties (with a warning), on `four_validators`
//! three nodes do. `local_testnet` has none: its two nodes cannot run a third party.

use crate::{
	AccountId, BalancesConfig, Runtime, RuntimeGenesisConfig, SessionConfig, SessionKeys,
	SessionTimingConfig, StakingConfig, SudoConfig, ZenrockIdentityConfig, ZenrockRelayerConfig,
	UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use zenrock_primitives::KeyringBackend;

/// Name of the four-validator preset used by the multi-node testnet.
pub const FOUR_VALIDATORS_PRESET: &str = "four_validators";

/// Balance of every endowed development account: one million ZEN.
pub const ENDOWMENT: u128 = 1_000_000 * UNIT;

/// Bond of every genesis validator: ten thousand ZEN.
pub const VALIDATOR_BOND: u128 = 10_000 * UNIT;
/// The smallest bond a validator may have.
pub const MIN_VALIDATOR_BOND: u128 = 1_000 * UNIT;
/// The smallest bond a nominator may have.
pub const MIN_NOMINATOR_BOND: u128 = 100 * UNIT;

/// Session length of the development chain, in blocks: a minute.
pub const DEV_SESSION_LENGTH: u32 = 10;
/// Sessions per era on the development chain: a new validator set every two minutes.
pub const DEV_SESSIONS_PER_ERA: u32 = 2;

/// How fast sessions and eras go: `None` takes the runtime's defaults (hour-long sessions).
struct Timing {
	session_length: Option<u32>,
	sessions_per_era: Option<u32>,
}

/// The runtime's default session and era lengths.
const DEFAULT_TIMING: Timing = Timing { session_length: None, sessions_per_era: None };

/// Fee of a key request to a genesis keyring.
pub const GENESIS_KEY_REQUEST_FEE: u128 = UNIT;
/// Fee of a signature request to a genesis keyring.
pub const GENESIS_SIGN_REQUEST_FEE: u128 = UNIT / 10;

/// Whether a preset has the FROST keyring of Alice, Bob and Charlie.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ThresholdKeyring {
	/// After the validators' keyrings: Alice, Bob and Charlie, threshold 2, Alice its admin.
	AliceBobCharlie,
	None,
}

/// Threshold of the genesis FROST keyring: any two of Alice, Bob and Charlie sign.
pub const GENESIS_FROST_THRESHOLD: u32 = 2;

/// A validator of a preset: its account (stash, keyring party and admin) and consensus keys.
struct Validator {
	account: AccountId,
	aura: AuraId,
	grandpa: GrandpaId,
}

/// A genesis with the given validators (each bonds `VALIDATOR_BOND` and is elected for the first
/// era), endowed accounts and sudo key; each validator's node serves keyring `i` (the validator's
/// index), then comes the FROST keyring if asked for, and workspace 0 is owned by Alice and Bob.
fn genesis(
	validators: Vec<Validator>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
	timing: Timing,
	threshold_keyring: ThresholdKeyring,
) -> Value {
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
				KeyringBackend::NodeKeystore,
				vec![validator.account.clone()],
				1,
				GENESIS_KEY_REQUEST_FEE,
				GENESIS_SIGN_REQUEST_FEE,
			)
		})
		.chain(
			(threshold_keyring == ThresholdKeyring::AliceBobCharlie)
				.then(|| {
					[
						(
							&b"FROST keyring of Alice, Bob and Charlie (2 of 3)"[..],
							KeyringBackend::Frost,
						),
						(
							&b"Threshold ECDSA keyring of Alice, Bob and Charlie (2 of 3)"[..],
							KeyringBackend::ThresholdEcdsa,
						),
					]
				})
				.into_iter()
				.flatten()
				.map(|(description, backend)| {
					(
						Sr25519Keyring::Alice.to_account_id(),
						description.to_vec(),
						backend,
						[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
							.iter()
							.map(|party| party.to_account_id())
							.collect::<Vec<_>>(),
						GENESIS_FROST_THRESHOLD,
						GENESIS_KEY_REQUEST_FEE,
						GENESIS_SIGN_REQUEST_FEE,
					)
				}),
		)
		.collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		zenrock_identity: ZenrockIdentityConfig {
			workspaces: vec![(
				Sr25519Keyring::Alice.to_account_id(),
				vec![Sr25519Keyring::Bob.to_account_id()]
			)],
			keyrings,
		},
		// Aura and GRANDPA take their authorities from the session keys.
		session: SessionConfig {
			keys: validators
				.iter()
				.map(|validator| {
					(
						validator.account.clone(),
						validator.account.clone(),
						SessionKeys {
							aura: validator.aura.clone(),
							grandpa: validator.grandpa.clone(),
						},
					)
				})
				.collect::<Vec<_>>(),
		},
		session_timing: SessionTimingConfig {
			session_length: timing.session_length,
			sessions_per_era: timing.sessions_per_era,
		},
		staking: StakingConfig {
			// Every candidate with the minimum bond is elected, up to the authority limit.
			validator_count: crate::configs::staking::MAX_VALIDATORS,
			minimum_validator_count: 1,
			// The genesis validators cannot be slashed or kicked: a development network stays up.
			invulnerables: validators
				.iter()
				.map(|validator| validator.account.clone())
				.collect::<Vec<_>>(),
			stakers: validators
				.iter()
				.map(|validator| {
					(
						validator.account.clone(),
						validator.account.clone(),
						VALIDATOR_BOND,
						pallet_staking::StakerStatus::<AccountId>::Validator,
					)
				})
				.collect::<Vec<_>>(),
			min_validator_bond: MIN_VALIDATOR_BOND,
			min_nominator_bond: MIN_NOMINATOR_BOND,
			slash_reward_fraction: sp_runtime::Perbill::from_percent(10),
		},
		// Alice relays on every preset (her node needs an endpoint: `--relayer-endpoint`).
		zenrock_relayer: ZenrockRelayerConfig {
			relayers: vec![Sr25519Keyring::Alice.to_account_id()]
		},
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

/// `development`: Alice is the only validator; minute-long sessions, two-session eras; keyring 1 is
/// the FROST keyring of Alice, Bob and Charlie.
pub fn development_genesis() -> Value {
	genesis(
		vec![validator_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		development_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		Timing {
			session_length: Some(DEV_SESSION_LENGTH),
			sessions_per_era: Some(DEV_SESSIONS_PER_ERA),
		},
		ThresholdKeyring::AliceBobCharlie,
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
		DEFAULT_TIMING,
		ThresholdKeyring::None,
	)
}

/// `four_validators`: Alice, Bob, Charlie and Dave validate; any three of them finalize; keyring 4
/// is the FROST keyring of Alice, Bob and Charlie.
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
		DEFAULT_TIMING,
		ThresholdKeyring::AliceBobCharlie,
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

/// The full genesis config of the preset `id` (the preset's patch over the defaults), as the node's
/// chain-spec builder makes it; for tests that start from a preset.
#[cfg(feature = "std")]
pub fn preset_genesis_config(id: &str) -> Result<RuntimeGenesisConfig, String> {
	/// Applies a JSON patch to a full config, object by object.
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

	let patch = get_preset(&PresetId::from(id)).ok_or_else(|| format!("no preset {id:?}"))?;
	let patch = serde_json::from_slice(&patch).map_err(|error| error.to_string())?;
	let mut config =
		serde_json::to_value(RuntimeGenesisConfig::default()).map_err(|error| error.to_string())?;
	merge(&mut config, patch);
	serde_json::from_value(config).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::BuildStorage;

	#[test]
	fn every_preset_builds_a_genesis_state() {
		for name in preset_names() {
			let name: &str = name.as_ref();
			let config = preset_genesis_config(name).expect("listed presets exist");
			let storage = config
				.build_storage()
				.unwrap_or_else(|error| panic!("preset {name:?} does not build: {error}"));
			sp_io::TestExternalities::from(storage).execute_with(|| {
				let validators = pallet_session::Validators::<Runtime>::get();
				assert!(!validators.is_empty(), "preset {name:?} has validators");
				assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), validators.len());
				assert_eq!(pallet_grandpa::Authorities::<Runtime>::get().len(), validators.len());
			});
		}
	}

	#[test]
	fn four_validators_preset_has_four_bonded_validators() {
		let patch = four_validators_genesis();
		assert_eq!(patch["session"]["keys"].as_array().map(Vec::len), Some(4));
		assert_eq!(patch["staking"]["stakers"].as_array().map(Vec::len), Some(4));
	}

	#[test]
	fn presets_have_a_keyring_per_validator_and_a_funded_workspace() {
		let patch = four_validators_genesis();
		assert_eq!(patch["zenrockIdentity"]["keyrings"].as_array().map(Vec::len), Some(6));
		assert_eq!(patch["zenrockIdentity"]["workspaces"].as_array().map(Vec::len), Some(1));
		let development = development_genesis();
		assert_eq!(development["zenrockIdentity"]["keyrings"].as_array().map(Vec::len), Some(3));
		let local = local_testnet_genesis();
		assert_eq!(local["zenrockIdentity"]["keyrings"].as_array().map(Vec::len), Some(2));
		let workspace_account = pallet_zenrock_identity::Pallet::<Runtime>::workspace_account(0);
		let funded = development["balances"]["balances"]
			.as_array()
			.expect("balances")
			.iter()
			.any(|entry| entry[0] == serde_json::to_value(&workspace_account).expect("json"));
		assert!(funded, "workspace 0's account is endowed");
	}

	#[test]
	fn development_and_four_validators_have_the_threshold_keyrings_of_alice_bob_and_charlie() {
		let parties: Vec<AccountId> =
			[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
				.iter()
				.map(|party| party.to_account_id())
				.collect();
		for (preset, keyring, backend) in [
			("development", 1, KeyringBackend::Frost),
			("development", 2, KeyringBackend::ThresholdEcdsa),
			(FOUR_VALIDATORS_PRESET, 4, KeyringBackend::Frost),
			(FOUR_VALIDATORS_PRESET, 5, KeyringBackend::ThresholdEcdsa),
		] {
			let config = preset_genesis_config(preset).expect("the preset exists");
			let storage = config.build_storage().expect("the preset builds");
			sp_io::TestExternalities::from(storage).execute_with(|| {
				let keyring = pallet_zenrock_identity::Keyrings::<Runtime>::get(keyring)
					.unwrap_or_else(|| panic!("{preset} has keyring {keyring}"));
				assert_eq!(keyring.backend, backend, "{preset}");
				assert_eq!(keyring.parties.to_vec(), parties, "{preset}");
				assert_eq!(keyring.party_threshold, GENESIS_FROST_THRESHOLD, "{preset}");
			});
		}
	}

	#[test]
	fn unknown_preset_is_none() {
		assert!(get_preset(&PresetId::from("no-such-preset")).is_none());
	}
}
