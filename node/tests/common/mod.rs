//! The one harness for tests that run real `zenrock-node` processes: starts a node on free loopback
//! ports with a temporary base path, talks JSON-RPC to it over HTTP, and always stops it (on drop,
//! so also when the test fails). A node can be killed and restarted on the same base path and
//! ports, and gives its libp2p address for other nodes' `--bootnodes` (the multi-node test).
// Each test binary uses only part of the harness.
#![allow(dead_code)]

use std::{
	io::{BufRead, BufReader, Read, Write},
	net::{TcpListener, TcpStream},
	path::PathBuf,
	process::{Child, Command, Stdio},
	sync::{
		atomic::{AtomicU32, Ordering},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};

use serde_json::{json, Value};

pub mod anvil;
pub mod chain;
pub mod ecdsa;
pub mod relay;
pub mod requests;
pub mod threshold;

/// A free TCP port on the loopback interface (the OS picks it; the listener is closed at once).
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|listener| listener.local_addr())
		.map(|address| address.port())
		.expect("the OS hands out a free loopback port")
}

/// A running `zenrock-node`, killed and its base path removed when dropped.
pub struct Node {
	/// The process; `None` while the node is stopped (see [`Node::kill`] and [`Node::restart`]).
	child: Option<Child>,
	args: Vec<String>,
	base_path: PathBuf,
	rpc_port: u16,
	p2p_port: u16,
	log: Arc<Mutex<Vec<String>>>,
}

/// Paillier primes of Alice, Bob, Charlie and Dave for the nodes' threshold ECDSA parties.
pub const TEST_PAILLIER_PRIMES: &str =
	concat!(env!("CARGO_MANIFEST_DIR"), "/../test-support/data/paillier-primes.txt");

static NEXT_NODE: AtomicU32 = AtomicU32::new(0);

impl Node {
	/// Starts `zenrock-node` with `args` (e.g. `["--dev"]`) on free ports under a fresh base path,
	/// listening on loopback only, and waits until its RPC answers.
	pub fn start(args: &[&str]) -> Node {
		let base_path = std::env::temp_dir().join(format!(
			"zenrock-test-{}-{}",
			std::process::id(),
			NEXT_NODE.fetch_add(1, Ordering::SeqCst)
		));
		let mut node = Node {
			child: None,
			args: args.iter().map(|arg| arg.to_string()).collect(),
			base_path,
			rpc_port: free_port(),
			p2p_port: free_port(),
			log: Arc::new(Mutex::new(Vec::new())),
		};
		node.spawn();
		node
	}

	fn spawn(&mut self) {
		let mut child = Command::new(env!("CARGO_BIN_EXE_zenrock-node"))
			.args(&self.args)
			.arg("--base-path")
			.arg(&self.base_path)
			.args(["--rpc-port", &self.rpc_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", self.p2p_port)])
			.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
			// Threshold ECDSA parties take published test primes instead of spending a minute of
			// a core each on new ones.
			.arg("--test-paillier-primes")
			.arg(TEST_PAILLIER_PRIMES)
			.stdout(Stdio::null())
			.stderr(Stdio::piped())
			.spawn()
			.expect("zenrock-node starts");

		// Keep the node's log so that a failing test can show it.
		if let Some(stderr) = child.stderr.take() {
			let log = self.log.clone();
			std::thread::spawn(move || {
				for line in BufReader::new(stderr).lines().map_while(Result::ok) {
					if let Ok(mut log) = log.lock() {
						log.push(line);
					}
				}
			});
		}
		self.child = Some(child);
		self.wait_for_rpc(Duration::from_secs(120));
	}

	/// Kills the node's process (as a crash would) but keeps its base path, so that
	/// [`Node::restart`] continues from its database and keystore.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
		if let Ok(mut log) = self.log.lock() {
			log.push("---- killed by the test ----".into());
		}
	}

	/// Starts the node again with the same arguments, ports and base path; waits for its RPC.
	pub fn restart(&mut self) {
		self.kill();
		if let Ok(mut log) = self.log.lock() {
			log.push("---- restarted by the test ----".into());
		}
		self.spawn();
	}

	/// The node's libp2p address on loopback, for other nodes' `--bootnodes`
	/// (`/ip4/127.0.0.1/tcp/<port>/p2p/<peer id>`).
	pub fn p2p_address(&self) -> String {
		let peer_id = self.rpc("system_localPeerId", json!([]));
		let peer_id = peer_id.as_str().expect("a peer id");
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer_id}", self.p2p_port)
	}

	/// The last `lines` lines the node logged.
	pub fn log_tail(&self, lines: usize) -> String {
		let log = self.log.lock().map(|log| log.clone()).unwrap_or_default();
		log[log.len().saturating_sub(lines)..].join("\n")
	}

	/// How many lines the node logged (since the test started it) contain `text`.
	pub fn log_count(&self, text: &str) -> usize {
		self.log
			.lock()
			.map(|log| log.iter().filter(|line| line.contains(text)).count())
			.unwrap_or(0)
	}

	fn wait_for_rpc(&self, timeout: Duration) {
		let deadline = Instant::now() + timeout;
		while Instant::now() < deadline {
			if self.try_rpc("system_health", json!([])).is_ok() {
				return;
			}
			std::thread::sleep(Duration::from_millis(250));
		}
		panic!("the node's RPC did not come up in {timeout:?}; log:\n{}", self.log_tail(50));
	}

	/// Calls the JSON-RPC `method` and returns its `result`; panics on a JSON-RPC error.
	pub fn rpc(&self, method: &str, params: Value) -> Value {
		self.try_rpc(method, params).unwrap_or_else(|error| {
			panic!("RPC {method} failed: {error}; node log:\n{}", self.log_tail(30))
		})
	}

	/// Calls the node's JSON-RPC `method`.
	pub fn try_rpc(&self, method: &str, params: Value) -> Result<Value, String> {
		json_rpc(self.rpc_port, method, params)
	}

	/// The number of the best block.
	pub fn best_number(&self) -> u64 {
		block_number(&self.rpc("chain_getHeader", json!([])))
	}

	/// The number of the last finalized block.
	pub fn finalized_number(&self) -> u64 {
		let hash = self.rpc("chain_getFinalizedHead", json!([]));
		block_number(&self.rpc("chain_getHeader", json!([hash])))
	}

	/// Waits until `condition` holds, polling every half second; panics with the node log on timeout.
	pub fn wait_until(
		&self,
		what: &str,
		timeout: Duration,
		mut condition: impl FnMut(&Node) -> bool,
	) {
		let deadline = Instant::now() + timeout;
		while Instant::now() < deadline {
			if condition(self) {
				return;
			}
			std::thread::sleep(Duration::from_millis(500));
		}
		panic!("timed out after {timeout:?} waiting for {what}; node log:\n{}", self.log_tail(40));
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.kill();
		let _ = std::fs::remove_dir_all(&self.base_path);
	}
}

/// Calls JSON-RPC `method` on `127.0.0.1:port` over HTTP/1.1 and returns its `result`. The `Host`
/// header names the port: outside `--dev`, the node only answers hosts like `127.0.0.1:<rpc port>`.
pub fn json_rpc(port: u16, method: &str, params: Value) -> Result<Value, String> {
	let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
	let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|error| error.to_string())?;
	stream.set_read_timeout(Some(Duration::from_secs(30))).map_err(|e| e.to_string())?;
	write!(
		stream,
		"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
		 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	)
	.map_err(|error| error.to_string())?;
	let mut response = String::new();
	stream.read_to_string(&mut response).map_err(|error| error.to_string())?;
	let (_, payload) =
		response.split_once("\r\n\r\n").ok_or_else(|| format!("bad HTTP response {response}"))?;
	let reply: Value = serde_json::from_str(payload.trim())
		.map_err(|error| format!("bad JSON-RPC reply {payload}: {error}"))?;
	match reply.get("error") {
		Some(error) => Err(error.to_string()),
		None => Ok(reply["result"].clone()),
	}
}

/// The number of a JSON-RPC header (`"number": "0x1a"`).
pub fn block_number(header: &Value) -> u64 {
	header["number"]
		.as_str()
		.and_then(|hex| u64::from_str_radix(hex.trim_start_matches("0x"), 16).ok())
		.unwrap_or_else(|| panic!("header without a number: {header}"))
}

/// Decodes a `0x`-prefixed hex string.
pub fn hex_bytes(value: &Value) -> Vec<u8> {
	let hex = value.as_str().unwrap_or_else(|| panic!("not a hex string: {value}"));
	let hex = hex.trim_start_matches("0x");
	(0..hex.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("valid hex"))
		.collect()
}
