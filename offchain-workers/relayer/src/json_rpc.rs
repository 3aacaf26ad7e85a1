//! JSON-RPC 2.0 over HTTP from the off-chain worker, and the parsing of what Ethereum nodes
//! answer. Everything here treats the answer as untrusted input: no body, however malformed or
//! large, makes it panic.

// Answers come from arbitrary endpoints: this module may not panic. (Not set crate-wide because
// the pallet macro's generated code trips these lints.)
#![deny(
	clippy::arithmetic_side_effects,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::unreachable,
	clippy::unwrap_used
)]

use crate::types::{AttemptFailure, RejectionKind};
use alloc::{
	format,
	string::{String, ToString},
	vec,
	vec::Vec,
};
use serde_json::Value;
use sp_core::offchain::{Duration, HttpError};
use sp_runtime::offchain::http;

/// The most bytes of a response body the worker reads; a longer body counts as an invalid
/// response. (A receipt with many logs is the largest answer expected.)
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// A JSON-RPC answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
	/// The call's `result` (may be `null`).
	Result(Value),
	/// The call's `error`.
	Error {
		/// `error.code` (0 if missing).
		code: i64,
		/// `error.message` (empty if missing), followed by `error.data` when it is a string.
		message: String,
	},
}

/// The body of a JSON-RPC 2.0 request with id 1 and string parameters, e.g.
/// `{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x02f8…"]}`.
pub fn request_body(method: &str, params: &[String]) -> Vec<u8> {
	let params: Vec<String> = params.iter().map(|p| Value::String(p.clone()).to_string()).collect();
	let method = Value::String(method.into()).to_string();
	format!(r#"{{"jsonrpc":"2.0","id":1,"method":{method},"params":[{}]}}"#, params.join(","))
		.into_bytes()
}

/// Calls `method` with `params` at `url` (a POST with `Content-Type: application/json`),
/// waiting at most `timeout_millis` for the whole exchange.
pub fn call(
	url: &str,
	method: &str,
	params: &[String],
	timeout_millis: u64,
) -> Result<Reply, AttemptFailure> {
	let deadline = sp_io::offchain::timestamp().add(Duration::from_millis(timeout_millis));
	let pending = http::Request::post(url, vec![request_body(method, params)])
		.add_header("Content-Type", "application/json")
		.deadline(deadline)
		.send()
		.map_err(|error| match error {
			HttpError::DeadlineReached => AttemptFailure::Timeout,
			HttpError::IoError | HttpError::Invalid => AttemptFailure::Unreachable,
		})?;
	let response = match pending.try_wait(deadline) {
		Err(_still_pending) => return Err(AttemptFailure::Timeout),
		Ok(Err(http::Error::DeadlineReached)) => return Err(AttemptFailure::Timeout),
		Ok(Err(http::Error::IoError | http::Error::Unknown)) => {
			return Err(AttemptFailure::Unreachable)
		}
		Ok(Ok(response)) => response,
	};
	let mut body = response.body();
	body.deadline(deadline);
	let mut bytes = Vec::new();
	for byte in body.by_ref() {
		if bytes.len() >= MAX_RESPONSE_BYTES {
			return Err(AttemptFailure::InvalidResponse);
		}
		bytes.push(byte);
	}
	match body.error() {
		Some(HttpError::DeadlineReached) => Err(AttemptFailure::Timeout),
		Some(HttpError::IoError | HttpError::Invalid) => Err(AttemptFailure::Unreachable),
		None => parse_reply(response.code, &bytes),
	}
}

/// Parses an HTTP answer into a JSON-RPC reply. A JSON-RPC error counts whatever the HTTP
/// status (some servers answer errors with 4xx/5xx); a result only with status 200.
pub fn parse_reply(status: u16, body: &[u8]) -> Result<Reply, AttemptFailure> {
	let not_json_rpc = if status == 200 {
		AttemptFailure::InvalidResponse
	} else {
		AttemptFailure::HttpStatus { code: status }
	};
	let Ok(value) = serde_json::from_slice::<Value>(body) else {
		return Err(not_json_rpc);
	};
	let Some(object) = value.as_object() else {
		return Err(not_json_rpc);
	};
	if let Some(error) = object.get("error").filter(|error| !error.is_null()) {
		let code = error.get("code").and_then(Value::as_i64).unwrap_or(0);
		let mut message: String =
			error.get("message").and_then(Value::as_str).unwrap_or_default().into();
		if let Some(data) = error.get("data").and_then(Value::as_str).filter(|d| !d.is_empty()) {
			message.push_str(": ");
			message.push_str(data);
		}
		return Ok(Reply::Error { code, message });
	}
	if status != 200 {
		return Err(not_json_rpc);
	}
	match object.get("result") {
		Some(result) => Ok(Reply::Result(result.clone())),
		None => Err(not_json_rpc),
	}
}

/// Whether a JSON-RPC error says that the node already has the transaction (geth, erigon:
/// `already known`; older geth, besu: `known transaction`; anvil: `transaction already
/// imported`; nethermind: `AlreadyKnown`).
pub fn is_already_known(message: &str) -> bool {
	let message = message.to_ascii_lowercase();
	["already known", "known transaction", "already imported", "alreadyknown"]
		.iter()
		.any(|needle| message.contains(needle))
}

/// What a JSON-RPC error message of `eth_sendRawTransaction` says.
pub fn rejection_kind(message: &str) -> RejectionKind {
	let message = message.to_ascii_lowercase();
	let has = |needles: &[&str]| needles.iter().any(|needle| message.contains(needle));
	if has(&["nonce too low", "nonce has already been used", "oldnonce", "nonce_too_low"]) {
		RejectionKind::NonceTooLow
	} else if has(&["insufficient funds", "insufficient balance", "insufficientfunds"]) {
		RejectionKind::InsufficientFunds
	} else if has(&[
		"underpriced",
		"base fee",
		"fee too low",
		"feetoolow",
		"gas price too low",
		"fee cap",
		"tip too low",
	]) {
		RejectionKind::FeeTooLow
	} else if has(&["intrinsic gas", "gas limit", "gaslimit"]) {
		RejectionKind::GasLimit
	} else if has(&["invalid", "rlp", "chain id", "chainid", "decode", "unsupported"]) {
		RejectionKind::Invalid
	} else {
		RejectionKind::Other
	}
}

/// What an `eth_getTransactionReceipt` result says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReceiptState {
	/// No receipt yet (`null`, or a pending receipt without a block number).
	Pending,
	/// Included in block `block`; `success` when `status` is `0x1`.
	Included {
		/// The block number.
		block: u64,
		/// Whether the transaction succeeded.
		success: bool,
	},
	/// Not a receipt.
	Malformed,
}

/// Reads an `eth_getTransactionReceipt` result.
pub fn parse_receipt(result: &Value) -> ReceiptState {
	if result.is_null() {
		return ReceiptState::Pending;
	}
	let Some(receipt) = result.as_object() else {
		return ReceiptState::Malformed;
	};
	let block = match receipt.get("blockNumber") {
		None | Some(Value::Null) => return ReceiptState::Pending,
		Some(block) => match block.as_str().and_then(parse_quantity) {
			Some(block) => block,
			None => return ReceiptState::Malformed,
		},
	};
	let success = receipt.get("status").and_then(Value::as_str).and_then(parse_quantity) == Some(1);
	ReceiptState::Included { block, success }
}

/// `0x`-prefixed lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
	const DIGITS: &[u8; 16] = b"0123456789abcdef";
	let mut text = String::with_capacity(bytes.len().saturating_mul(2).saturating_add(2));
	text.push_str("0x");
	for byte in bytes {
		for nibble in [byte >> 4, byte & 0x0f] {
			text.push(char::from(DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0')));
		}
	}
	text
}

/// The bytes of `0x`-prefixed hex data (an even number of digits, any case).
pub fn parse_hex_bytes(text: &str) -> Option<Vec<u8>> {
	let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))?;
	if digits.len() % 2 != 0 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
		return None;
	}
	digits
		.as_bytes()
		.chunks(2)
		.map(|pair| {
			let text = core::str::from_utf8(pair).ok()?;
			u8::from_str_radix(text, 16).ok()
		})
		.collect()
}

/// A `0x`-prefixed hex quantity (e.g. `0x1b4`) that fits a `u64`.
pub fn parse_quantity(text: &str) -> Option<u64> {
	let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))?;
	if digits.is_empty() || digits.len() > 16 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
		return None;
	}
	u64::from_str_radix(digits, 16).ok()
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub fn truncate_utf8(text: &str, max: usize) -> &str {
	let mut end = max.min(text.len());
	while !text.is_char_boundary(end) {
		end = end.saturating_sub(1);
	}
	text.get(..end).unwrap_or_default()
}

impl core::fmt::Display for AttemptFailure {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match self {
			AttemptFailure::Unreachable => f.write_str("endpoint unreachable"),
			AttemptFailure::Timeout => f.write_str("no answer before the deadline"),
			AttemptFailure::HttpStatus { code } => write!(f, "HTTP status {code}"),
			AttemptFailure::InvalidResponse => f.write_str("answer is not JSON-RPC"),
		}
	}
}
