//! `zenrock-node`: the Zenrock chain's node (Aura + GRANDPA, JSON-RPC, off-chain workers).
#![warn(missing_docs)]
// `sc_cli::Error` and `sc_service::Error` are large, and the Substrate APIs this node implements
// return them by value: boxing them here would only move the allocation.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod keyring_engine;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
