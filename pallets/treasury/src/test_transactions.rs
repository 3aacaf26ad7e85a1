//! Unsigned EVM transactions built for the tests and benchmarks (a minimal RLP writer: the
//! chain-formats crate parses, it does not build).

use alloc::{format, string::String, vec, vec::Vec};

/// Minimal big-endian bytes of an integer (RLP).
fn be_bytes(value: u64) -> Vec<u8> {
	let bytes = value.to_be_bytes();
	let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
	bytes[start..].to_vec()
}

fn rlp_header(offset: u8, length: usize, out: &mut Vec<u8>) {
	if length <= 55 {
		out.push(offset + length as u8);
	} else {
		let length_bytes = be_bytes(length as u64);
		out.push(offset + 55 + length_bytes.len() as u8);
		out.extend_from_slice(&length_bytes);
	}
}

fn rlp_string(bytes: &[u8], out: &mut Vec<u8>) {
	if bytes.len() == 1 && bytes[0] < 0x80 {
		out.push(bytes[0]);
	} else {
		rlp_header(0x80, bytes.len(), out);
		out.extend_from_slice(bytes);
	}
}

/// An unsigned EIP-1559 transaction on chain 1 with `data_length` bytes of call data.
pub fn eip1559_transaction(data_length: usize) -> Vec<u8> {
	eip1559_call(7, [0x35; 20], 1_000_000_000_000_000_000, &vec![0xab; data_length])
}

/// An unsigned EIP-1559 transaction on chain 1: `nonce`, gas 1,000,000 at most 30 gwei, to
/// `to` with `value` wei and `data`.
pub fn eip1559_call(nonce: u64, to: [u8; 20], value: u64, data: &[u8]) -> Vec<u8> {
	let mut fields = Vec::new();
	rlp_string(&be_bytes(1), &mut fields); // chain id
	rlp_string(&be_bytes(nonce), &mut fields); // nonce
	rlp_string(&be_bytes(1_000_000_000), &mut fields); // max priority fee per gas
	rlp_string(&be_bytes(30_000_000_000), &mut fields); // max fee per gas
	rlp_string(&be_bytes(1_000_000), &mut fields); // gas
	rlp_string(&to, &mut fields); // to
	rlp_string(&be_bytes(value), &mut fields); // value
	rlp_string(data, &mut fields); // data
	fields.push(0xc0); // empty access list
	let mut transaction = vec![0x02];
	rlp_header(0xc0, fields.len(), &mut transaction);
	transaction.extend_from_slice(&fields);
	transaction
}

/// An unsigned EIP-1559 transaction of at most (and, above its minimum size, exactly) `length`
/// bytes.
pub fn eip1559_transaction_of_length(length: usize) -> Vec<u8> {
	let mut data_length = length;
	loop {
		let transaction = eip1559_transaction(data_length);
		if transaction.len() <= length || data_length == 0 {
			return transaction;
		}
		data_length = data_length.saturating_sub(transaction.len() - length);
	}
}

/// The calldata of ERC-20 `transfer(to, amount)`.
pub fn erc20_transfer_data(to: [u8; 20], amount: u128) -> Vec<u8> {
	let mut data = vec![0xa9, 0x05, 0x9c, 0xbb];
	data.extend_from_slice(&[0; 12]);
	data.extend_from_slice(&to);
	data.extend_from_slice(&[0; 16]);
	data.extend_from_slice(&amount.to_be_bytes());
	data
}

/// EIP-712 typed data of at most (and, above its minimum size, nearly) `length` bytes: a
/// `Data` struct of as many `uint256` fields as fit, each a type entry and a decimal value
/// string, so that resolving, coercing and hashing it is as much work per byte as typed data
/// gets.
pub fn typed_data_of_length(length: usize) -> Vec<u8> {
	let build = |fields: usize| -> Vec<u8> {
		let types: Vec<String> =
			(0..fields).map(|i| format!("{{\"name\":\"f{i}\",\"type\":\"uint256\"}}")).collect();
		let values: Vec<String> = (0..fields).map(|i| format!("\"f{i}\":\"{i}\"")).collect();
		format!(
			"{{\"types\":{{\"EIP712Domain\":[{{\"name\":\"chainId\",\"type\":\"uint256\"}}],\
			 \"Data\":[{}]}},\"primaryType\":\"Data\",\"domain\":{{\"chainId\":1}},\"message\":{{{}}}}}",
			types.join(","),
			values.join(",")
		)
		.into_bytes()
	};
	let mut fields = 1;
	while build(fields + 1).len() <= length {
		fields += 1;
	}
	build(fields)
}
