//! The node's service: client, import queue, networking, Aura block authoring, GRANDPA finality, RPC and
//! off-chain workers (with HTTP enabled, for relayers).

use std::{sync::Arc, time::Duration};

use futures::FutureExt;
use pallet_zenrock_relayer::RELAYER_KEY_TYPE;
use sc_client_api::{Backend, BlockBackend};
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::SharedVoterState;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryHandle, TelemetryWorker};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_consensus_aura::{inherents::InherentDataProvider as SlotInherent, sr25519::AuthorityPair};
use sp_core::offchain::OffchainStorage;
use sp_keystore::{Keystore, KeystorePtr};
use sp_runtime::traits::Block as BlockT;
use zenrock_primitives::{MPC_ENCRYPTION_KEY_TYPE, PARTY_KEY_TYPE};
use zenrock_runtime::{apis::RuntimeApi, opaque::Block};

use crate::cli::RelayerEndpoint;

/// The off-chain storage key of a chain's relayer endpoint (the relayer worker reads the same key).
fn relayer_endpoint_key(chain: &str) -> Vec<u8> {
	pallet_zenrock_relayer::endpoint_storage_key_for_label(chain)
}

/// The client: executes the runtime from its WASM blob only.
pub(crate) type FullClient = sc_service::TFullClient<
	Block,
	RuntimeApi,
	sc_executor::WasmExecutor<sp_io::SubstrateHostFunctions>,
>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type GrandpaBlockImport =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;
type GrandpaLink = sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>;
type TransactionPool = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;

/// Blocks between the GRANDPA justifications a node keeps (for warp sync and light clients).
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// Everything of a node but networking and the consensus tasks; subcommands such as `check-block`
/// need no more.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	TransactionPool,
	(GrandpaBlockImport, GrandpaLink, Option<Telemetry>),
>;

/// The timestamp and Aura slot inherents of a block authored or imported now.
fn slot_inherents(
	slot_duration: sp_consensus_aura::SlotDuration,
) -> (SlotInherent, sp_timestamp::InherentDataProvider) {
	let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
	let slot = SlotInherent::from_timestamp_and_slot_duration(*timestamp, slot_duration);
	(slot, timestamp)
}

fn telemetry_handle(telemetry: &Option<Telemetry>) -> Option<TelemetryHandle> {
	telemetry.as_ref().map(Telemetry::handle)
}

/// Builds the client, the transaction pool and the Aura + GRANDPA import queue.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let telemetry_worker = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<sp_io::SubstrateHostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry_worker.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry_worker.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry_handle(&telemetry),
	)?;

	let inherents_client = client.clone();
	let import_queue =
		sc_consensus_aura::import_queue::<AuthorityPair, _, _, _, _, _>(ImportQueueParams {
			block_import: grandpa_block_import.clone(),
			justification_import: Some(Box::new(grandpa_block_import.clone())),
			client: client.clone(),
			create_inherent_data_providers: move |parent_hash, _| {
				let client = inherents_client.clone();
				async move {
					let slot_duration =
						sc_consensus_aura::standalone::slot_duration_at(&*client, parent_hash)?;
					Ok(slot_inherents(slot_duration))
				}
			},
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			check_for_equivocation: Default::default(),
			telemetry: telemetry_handle(&telemetry),
			compatibility_mode: Default::default(),
		})?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa_block_import, grandpa_link, telemetry),
	})
}

/// With `--dev`, `--alice`, `--bob`, ...: puts the development account's keyring party key, relayer
/// key and threshold-keyring root key (`zenc`) into the keystore, so that the node serves that
/// account's genesis keyrings and relays for it.
fn insert_dev_keys(keystore: &KeystorePtr, seed: &str) -> Result<(), ServiceError> {
	let relayer = keystore.sr25519_generate_new(RELAYER_KEY_TYPE, Some(seed)).map_err(|error| {
		ServiceError::Other(format!("cannot insert the dev relayer key: {error}"))
	})?;
	log::info!(target: "zenrock", "🔑 Development relayer key {relayer} in the keystore");
	insert_dev_party_keys(keystore, seed)
}

/// The keyring party key (`zprt`) and threshold-keyring root key (`zenc`) of the development
/// account `seed`.
fn insert_dev_party_keys(keystore: &KeystorePtr, seed: &str) -> Result<(), ServiceError> {
	let party = keystore.sr25519_generate_new(PARTY_KEY_TYPE, Some(seed)).map_err(|error| {
		ServiceError::Other(format!("cannot insert the dev keyring party key {seed}: {error}"))
	})?;
	let root =
		keystore.ed25519_generate_new(MPC_ENCRYPTION_KEY_TYPE, Some(seed)).map_err(|error| {
			ServiceError::Other(format!(
				"cannot insert the dev threshold-keyring root key {seed}: {error}"
			))
		})?;
	log::info!(
		target: "zenrock",
		"🔑 Development keyring party key {party} and threshold-keyring root key {root} of {seed} \
		 in the keystore"
	);
	Ok(())
}

/// The other parties of the development chain's threshold keyring (keyring 1: Alice, Bob and
/// Charlie, threshold 2), whose keys `--dev` also inserts so that the single dev node serves it.
const DEV_THRESHOLD_CO_PARTIES: [&str; 2] = ["//Bob", "//Charlie"];

/// `--dev`: this one node serves every party of the development chain's threshold keyring, so it
/// inserts the other parties' keys too and writes the development flag that lets the keyring
/// controller act for a keyring whose threshold it holds alone (it warns that it does). Any other
/// start clears the flag: a base path once used with `--dev` does not keep the exception.
fn set_up_dev_threshold_keyring(
	backend: &FullBackend,
	keystore: &KeystorePtr,
	dev: bool,
) -> Result<(), ServiceError> {
	let Some(mut storage) = backend.offchain_storage() else { return Ok(()) };
	let key = zenrock_primitives::DEV_SINGLE_HOLDER_KEY;
	if !dev {
		storage.remove(sp_core::offchain::STORAGE_PREFIX, key);
		return Ok(());
	}
	for seed in DEV_THRESHOLD_CO_PARTIES {
		insert_dev_party_keys(keystore, seed)?;
	}
	storage.set(sp_core::offchain::STORAGE_PREFIX, key, &[1]);
	log::warn!(
		target: "zenrock",
		"⚠️  Development node: it holds every party key of the threshold keyring 1 and serves it \
		 alone, which only a development chain may do"
	);
	Ok(())
}

/// Writes `--relayer-endpoint` values into the node's persistent off-chain storage, where this node's
/// relayer worker reads them (they can also be changed at run time with `offchain_localStorageSet`).
fn store_relayer_endpoints(
	backend: &FullBackend,
	endpoints: &[RelayerEndpoint],
) -> Result<(), ServiceError> {
	if endpoints.is_empty() {
		return Ok(());
	}
	let mut storage = backend.offchain_storage().ok_or_else(|| {
		ServiceError::Other("--relayer-endpoint needs the node's off-chain storage".into())
	})?;
	for endpoint in endpoints {
		let key = relayer_endpoint_key(&endpoint.chain);
		storage.set(sp_core::offchain::STORAGE_PREFIX, &key, endpoint.url.as_bytes());
		log::info!(target: "relayer", "📡 Relayer endpoint for {}: {}", endpoint.chain, endpoint.url);
	}
	Ok(())
}

/// Marks this start of the node in its persistent off-chain storage (see
/// `zenrock_primitives::NODE_START_KEY`), so that off-chain workers notice that the transactions
/// they submitted before a restart died with the old process's transaction pool.
fn mark_node_start(backend: &FullBackend) {
	let Some(mut storage) = backend.offchain_storage() else { return };
	let now = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_or(0, |elapsed| elapsed.as_nanos());
	let mut marker = now.to_le_bytes().to_vec();
	marker.extend_from_slice(&std::process::id().to_le_bytes());
	storage.set(sp_core::offchain::STORAGE_PREFIX, zenrock_primitives::NODE_START_KEY, &marker);
}

/// Builds and starts a full node: networking, RPC, off-chain workers, and for validators Aura
/// authoring and the GRANDPA voter.
pub fn new_full<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	config: Configuration,
	relayer_endpoints: &[RelayerEndpoint],
	dev: bool,
	primes: crate::keyring_engine::PrimesSource,
) -> Result<TaskManager, ServiceError> {
	if matches!(primes, crate::keyring_engine::PrimesSource::TestFile(_))
		&& config.chain_spec.chain_type() == sc_service::ChainType::Live
	{
		return Err(ServiceError::Other(
			"--test-paillier-primes is for test chains only: its primes are published secrets"
				.into(),
		));
	}
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, mut telemetry),
	} = new_partial(&config)?;

	mark_node_start(&backend);
	if let Some(seed) = &config.dev_key_seed {
		insert_dev_keys(&keystore_container.keystore(), seed)?;
	}
	set_up_dev_threshold_keyring(&backend, &keystore_container.keystore(), dev)?;
	store_relayer_endpoints(&backend, relayer_endpoints)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as BlockT>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let genesis_hash = client
		.block_hash(0)
		.ok()
		.flatten()
		.ok_or_else(|| ServiceError::Other("the genesis block is missing".into()))?;
	let grandpa_protocol_name =
		sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			net_config.peer_store_handle(),
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::default(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	if config.offchain_worker.enabled {
		// HTTP is enabled so that relayers can reach destination chains' JSON-RPC endpoints.
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				custom_extensions: |_| vec![],
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	// The threshold ECDSA keyring engine of the keystore's parties (idle without party keys).
	if let Some(offchain_storage) = backend.offchain_storage() {
		let engine = crate::keyring_engine::run(crate::keyring_engine::EngineParams {
			client: client.clone(),
			keystore: keystore_container.keystore(),
			offchain_storage,
			transaction_pool: transaction_pool.clone(),
			primes,
		});
		task_manager.spawn_handle().spawn_blocking("keyring-engine", Some("keyring"), engine);
	}

	let role = config.role;
	let force_authoring = config.force_authoring;
	let node_name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	let rpc_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps { client: client.clone(), pool: pool.clone() };
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: Arc::new(network.clone()),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	if role.is_authority() {
		let proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry_handle(&telemetry),
		);
		let slot_duration = sc_consensus_aura::slot_duration(&*client)?;
		let aura = sc_consensus_aura::start_aura::<AuthorityPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client,
				select_chain,
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |_, ()| async move {
					Ok(slot_inherents(slot_duration))
				},
				force_authoring,
				backoff_authoring_blocks: Option::<()>::None,
				keystore: keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
				max_block_proposal_slot_portion: None,
				telemetry: telemetry_handle(&telemetry),
				compatibility_mode: Default::default(),
			},
		)?;
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		// Only validators vote; other nodes follow finality as observers of the justifications.
		let keystore = role.is_authority().then(|| keystore_container.keystore());
		let grandpa = sc_consensus_grandpa::GrandpaParams {
			config: sc_consensus_grandpa::Config {
				gossip_duration: Duration::from_millis(333),
				justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
				name: Some(node_name),
				observer_enabled: false,
				keystore,
				local_role: role,
				telemetry: telemetry_handle(&telemetry),
				protocol_name: grandpa_protocol_name,
			},
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry_handle(&telemetry),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa)?,
		);
	}

	Ok(task_manager)
}
