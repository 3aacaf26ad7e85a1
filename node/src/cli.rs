//! Command-line flags and subcommands.

use sc_cli::RunCmd;

/// The `zenrock-node` command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Flags of a running node (`--dev`, `--chain`, `--base-path`, `--rpc-port`, ...).
	#[clap(flatten)]
	pub run: RunCmd,
}

/// The subcommands of `zenrock-node`.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys into a node's keystore.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (prefer `export-chain-spec`).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification of a chain (`--chain dev|local|four_validators|<path>`).
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmark runtime pallets (needs a node built with `--features runtime-benchmarks`).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
