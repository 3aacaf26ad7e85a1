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

	/// A destination chain's JSON-RPC endpoint for this node's relayer, as `CHAIN=URL`, e.g.
	/// `--relayer-endpoint eip155:31337=http://127.0.0.1:8545`. Repeat for several chains. Stored
	/// in the node's off-chain storage at start-up (never on chain).
	#[arg(long = "relayer-endpoint", value_name = "CHAIN=URL", value_parser = parse_relayer_endpoint)]
	pub relayer_endpoints: Vec<RelayerEndpoint>,

	/// Tests only: take the threshold ECDSA parties' Paillier primes from FILE instead of
	/// generating them (about a minute of one core per party). Line k holds the primes of the
	/// k-th development account (Alice, Bob, Charlie, Dave), four hex numbers. Refused on live
	/// chains: such primes are published secrets.
	#[arg(long = "test-paillier-primes", value_name = "FILE")]
	pub test_paillier_primes: Option<std::path::PathBuf>,
}

/// A destination chain and the JSON-RPC URL this node's relayer sends its transactions to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayerEndpoint {
	/// The chain, as the relayer names it: `eip155:<chain id>`.
	pub chain: String,
	/// An `http://` or `https://` URL.
	pub url: String,
}

/// Parses `eip155:<chain id>=<http(s) URL>`.
pub fn parse_relayer_endpoint(text: &str) -> Result<RelayerEndpoint, String> {
	let (chain, url) = text.split_once('=').ok_or_else(|| {
		format!("expected CHAIN=URL (e.g. eip155:1=http://127.0.0.1:8545), got `{text}`")
	})?;
	let chain_id = chain.strip_prefix("eip155:").ok_or_else(|| {
		format!("unsupported chain `{chain}`: relayers serve EVM chains, `eip155:<chain id>`")
	})?;
	match chain_id.parse::<u64>() {
		Ok(id) if id > 0 => {}
		_ => return Err(format!("`{chain_id}` is not a valid EIP-155 chain id")),
	}
	if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() <= "https://".len()
	{
		return Err(format!("`{url}` is not an http:// or https:// URL"));
	}
	Ok(RelayerEndpoint { chain: chain.to_string(), url: url.to_string() })
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_an_evm_endpoint() {
		assert_eq!(
			parse_relayer_endpoint("eip155:31337=http://127.0.0.1:8545"),
			Ok(RelayerEndpoint {
				chain: "eip155:31337".into(),
				url: "http://127.0.0.1:8545".into()
			})
		);
	}

	#[test]
	fn refuses_malformed_endpoints() {
		for bad in [
			"eip155:31337",
			"bitcoin:main=http://127.0.0.1:8332",
			"eip155:0=http://127.0.0.1:8545",
			"eip155:x=http://127.0.0.1:8545",
			"eip155:1=ftp://host",
			"eip155:1=http://",
		] {
			assert!(parse_relayer_endpoint(bad).is_err(), "{bad} must be refused");
		}
	}
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
