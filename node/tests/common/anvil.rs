//! A real Ethereum dev node for end-to-end tests: anvil from npm's `@foundry-rs/anvil`, installed
//! under `e2e/anvil` by `scripts/test.sh` (`npm ci --prefix e2e/anvil`), started on a free loopback
//! port and killed when dropped.

use std::{
	os::unix::process::CommandExt,
	path::PathBuf,
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

use serde_json::{json, Value};

use super::{free_port, json_rpc};

/// A running anvil.
pub struct Anvil {
	child: Child,
	pub port: u16,
	pub chain_id: u64,
}

impl Anvil {
	/// Starts anvil with `chain_id`, mining a block for every transaction.
	pub fn start(chain_id: u64) -> Anvil {
		let binary =
			PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../e2e/anvil/node_modules/.bin/anvil");
		assert!(
			binary.exists(),
			"anvil is not installed at {}: run `npm ci --prefix e2e/anvil` (scripts/test.sh does)",
			binary.display()
		);
		let port = free_port();
		let child = Command::new(&binary)
			.args(["--host", "127.0.0.1", "--port", &port.to_string()])
			.args(["--chain-id", &chain_id.to_string(), "--silent"])
			.stdout(Stdio::null())
			.stderr(Stdio::null())
			// npm's `anvil` is a launcher that starts the real binary as its child: both get a
			// process group of their own, killed as a whole on drop.
			.process_group(0)
			.spawn()
			.expect("anvil starts");
		let anvil = Anvil { child, port, chain_id };
		let deadline = Instant::now() + Duration::from_secs(30);
		while json_rpc(port, "eth_chainId", json!([])).is_err() {
			assert!(Instant::now() < deadline, "anvil did not answer within 30 s");
			std::thread::sleep(Duration::from_millis(200));
		}
		anvil
	}

	/// The URL of its JSON-RPC endpoint.
	pub fn url(&self) -> String {
		format!("http://127.0.0.1:{}", self.port)
	}

	/// Calls JSON-RPC `method`; panics on an error.
	pub fn rpc(&self, method: &str, params: Value) -> Value {
		json_rpc(self.port, method, params)
			.unwrap_or_else(|error| panic!("anvil {method} failed: {error}"))
	}

	/// The balance of `address` (`0x…`) in wei.
	pub fn balance(&self, address: &str) -> u128 {
		let balance = self.rpc("eth_getBalance", json!([address, "latest"]));
		u128::from_str_radix(balance.as_str().unwrap_or("0x0").trim_start_matches("0x"), 16)
			.expect("a hex balance")
	}
}

impl Drop for Anvil {
	fn drop(&mut self) {
		let _ =
			Command::new("kill").args(["-KILL", "--", &format!("-{}", self.child.id())]).status();
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}
