//! # Zenrock runtime
//!
//! The WASM runtime of the Zenrock chain. It composes the FRAME pallets every Substrate user expects
//! (system, timestamp, Aura, GRANDPA, balances, transaction payment, sudo, and staking with session,
//! authorship and offences) with the Zenrock pallets that coordinate off-chain key management.
//!
//! - `configs`: one `impl Config` block per pallet.
//! - `apis`: the runtime APIs served to the node and to clients.
//! - `genesis_config_presets`: the `development`, `local_testnet` and `four_validators` presets.
//! - `session_timing`: session and era lengths set in genesis.
//! - `benchmarks`: the pallets benchmarked by `zenrock-node benchmark pallet`.
//! - `governance`: referendum tracks, the `ZenrockAdmin` origin and the parameters governance sets.
#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`-style macros expand to deeply nested types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod session_timing;
// Governance: referenda tracks, the ZenrockAdmin origin and the governance-changeable parameters.
pub mod governance;

extern crate alloc;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// Types the node needs without depending on the details of this runtime's extrinsic format.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The keys a validator registers: Aura for block authoring, GRANDPA for finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime version. Bump `spec_version` with every change of runtime logic.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("zenrock"),
	impl_name: alloc::borrow::Cow::Borrowed("zenrock-node"),
	authoring_version: 1,
	spec_version: 102,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

mod block_times {
	/// The target block time. Blocks are authored once per Aura slot of this duration.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6000;

	// The slot duration cannot be changed once the chain has started: block production would stop.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
}
pub use block_times::*;

/// Blocks per minute, hour and day at the target block time.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
pub const HOURS: BlockNumber = MINUTES * 60;
pub const DAYS: BlockNumber = HOURS * 24;

/// Number of block hashes kept for mortal transactions.
pub const BLOCK_HASH_COUNT: BlockNumber = 2400;

/// One ZEN, the native token, has 12 decimals.
pub const UNIT: Balance = 1_000_000_000_000;
pub const MILLI_UNIT: Balance = 1_000_000_000;
pub const MICRO_UNIT: Balance = 1_000_000;

/// The minimum balance an account must keep to exist.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// The token symbol shown by wallets.
pub const TOKEN_SYMBOL: &str = "ZEN";
/// The token decimals shown by wallets.
pub const TOKEN_DECIMALS: u8 = 12;
/// The SS58 address prefix (42: the generic Substrate prefix).
pub const SS58_PREFIX: u16 = 42;

/// Transaction signatures: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;

/// An account is identified by the public key of its signature scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Balance of an account.
pub type Balance = u128;

/// Transaction counter of an account.
pub type Nonce = u32;

/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;

/// A block number.
pub type BlockNumber = u32;

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// A block with a justification.
pub type SignedBlock = generic::SignedBlock<Block>;

/// BlockId type as expected by this runtime.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions, in the order they run. `AuthorizeCall` comes first so that calls with
/// `#[pallet::authorize]` (fee-less submissions from off-chain workers) are validated by their pallet.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Migrations of the runtime, aside from the ones declared in the pallets.
#[allow(unused_parens)]
type Migrations = ();

/// Executive: dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	// Staking. Staking comes before Session: the session's genesis asks staking for the first
	// validator set.
	#[runtime::pallet_index(7)]
	pub type Authorship = pallet_authorship;

	#[runtime::pallet_index(8)]
	pub type Staking = pallet_staking;

	#[runtime::pallet_index(9)]
	pub type Offences = pallet_offences;

	#[runtime::pallet_index(13)]
	pub type Historical = pallet_session::historical;

	#[runtime::pallet_index(14)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(15)]
	pub type SessionTiming = session_timing;

	// Zenrock pallets.
	#[runtime::pallet_index(10)]
	pub type ZenrockPolicy = pallet_zenrock_policy;

	#[runtime::pallet_index(11)]
	pub type ZenrockIdentity = pallet_zenrock_identity;

	#[runtime::pallet_index(12)]
	pub type ZenrockTreasury = pallet_zenrock_treasury;

	#[runtime::pallet_index(16)]
	pub type ZenrockMpc = pallet_zenrock_mpc;

	// Off-chain workers.
	#[runtime::pallet_index(20)]
	pub type ZenrockKeyringController = pallet_zenrock_keyring_controller;

	#[runtime::pallet_index(21)]
	pub type ZenrockRelayer = pallet_zenrock_relayer;

	// Governance (OpenGov), configured in `configs::governance`.
	#[runtime::pallet_index(30)]
	pub type Preimage = pallet_preimage;

	#[runtime::pallet_index(31)]
	pub type Scheduler = pallet_scheduler;

	#[runtime::pallet_index(32)]
	pub type ConvictionVoting = pallet_conviction_voting;

	#[runtime::pallet_index(33)]
	pub type Referenda = pallet_referenda;

	#[runtime::pallet_index(34)]
	pub type Origins = governance::origins::pallet;

	#[runtime::pallet_index(35)]
	pub type Parameters = pallet_parameters;
}
