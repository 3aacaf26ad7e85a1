//! Helpers shared by the integration tests.
#![allow(dead_code)]

use k256::ecdsa::SigningKey;
use zenrock_chain_formats::{KeyType, PublicKey};

/// Decodes hex text (test data only).
pub fn hex(text: &str) -> Vec<u8> {
	assert!(text.len().is_multiple_of(2), "odd hex length");
	(0..text.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex digit"))
		.collect()
}

pub fn to_hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A k256 signing key from a 32-byte secret.
pub fn signing_key(secret: &[u8]) -> SigningKey {
	SigningKey::from_slice(secret).expect("valid secret")
}

/// The compressed public key of a signing key, as a `PublicKey` of `key_type`.
pub fn public_key(key: &SigningKey, key_type: KeyType) -> PublicKey {
	let encoded = key.verifying_key().to_encoded_point(true);
	PublicKey::parse(key_type, encoded.as_bytes()).expect("valid key")
}

/// A 65-byte `r || s || v` signature of a prehash (RFC 6979, low-S).
pub fn sign_prehash(key: &SigningKey, prehash: &[u8; 32]) -> [u8; 65] {
	let (signature, recovery_id) = key.sign_prehash_recoverable(prehash).expect("signs");
	let mut out = [0u8; 65];
	out[..64].copy_from_slice(&signature.to_bytes());
	out[64] = recovery_id.to_byte();
	out
}

/// Splits a signed EVM transaction into its unsigned form (typed: without `yParity, r, s`;
/// legacy: the 6-field form) and the `(v, r, s)` payloads.
pub fn unsign_evm(signed: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) {
	use alloy_rlp::Header;
	let (prefix, body) =
		if signed[0] < 0xc0 { (&signed[..1], &signed[1..]) } else { (&[][..], signed) };
	let mut buf = body;
	let header = Header::decode(&mut buf).unwrap();
	assert!(header.list);
	let mut payload = &buf[..header.payload_length];
	let mut items: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
	while !payload.is_empty() {
		let start = payload;
		let item = Header::decode(&mut payload).unwrap();
		let content = payload[..item.payload_length].to_vec();
		payload = &payload[item.payload_length..];
		let raw = start[..start.len() - payload.len()].to_vec();
		items.push((raw, content));
	}
	let split = items.len() - 3;
	let fields: Vec<u8> = items[..split].iter().flat_map(|(raw, _)| raw.clone()).collect();
	let mut unsigned = prefix.to_vec();
	Header { list: true, payload_length: fields.len() }.encode(&mut unsigned);
	unsigned.extend_from_slice(&fields);
	// A one-byte integer below 0x80 is its own encoding: its "content" is the raw byte.
	let v = items[split].1.clone();
	(unsigned, v, items[split + 1].1.clone(), items[split + 2].1.clone())
}

/// Left-pads a big-endian integer to 32 bytes.
pub fn pad32(bytes: &[u8]) -> [u8; 32] {
	let mut out = [0u8; 32];
	out[32 - bytes.len()..].copy_from_slice(bytes);
	out
}
