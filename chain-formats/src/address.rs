//! Addresses derived from a public key.
//!
//! | format | key types | derivation |
//! | --- | --- | --- |
//! | EVM | secp256k1 | last 20 bytes of keccak256(uncompressed key without its `0x04`), EIP-55 checksummed |
//! | Bitcoin P2WPKH | secp256k1 ECDSA | bech32 v0 witness program HASH160(compressed key), `bc` / `tb` / `bcrt` |
//! | Bitcoin P2TR | Taproot (x-only) | bech32m v1 witness program: the 32-byte output key itself (BIP-341, BIP-350) |
//! | Solana | Ed25519 | base58 of the key |
//! | Cosmos | secp256k1 | bech32 of RIPEMD160(SHA256(compressed key)) with the given prefix |
//! | Substrate SS58 | Ed25519, secp256k1 ECDSA | SS58 of the account id: the Ed25519 key itself, or BLAKE2b-256 of the compressed secp256k1 key (as `sp_core::ecdsa` accounts) |

use alloc::{string::String, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;

use crate::{
	bitcoin::BitcoinNetwork,
	hashing::{blake2_256, blake2b_512, hash160, keccak256},
	Error, KeyType, PublicKey,
};

/// An address format, as asked for by a client ("the key's address on chain X").
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum AddressFormat {
	/// An EVM account address, EIP-55 checksummed (`0x…`).
	Evm,
	/// A Bitcoin native segwit address on the given network: P2WPKH (v0) for an ECDSA key, P2TR
	/// (v1, bech32m) for a Taproot key.
	Bitcoin(BitcoinNetwork),
	/// A Solana account address (base58).
	Solana,
	/// A Cosmos SDK account address with a bech32 prefix such as `cosmos` or `zen`
	/// (1 to 83 lowercase ASCII letters or digits).
	Cosmos {
		/// The bech32 human-readable part, ASCII.
		prefix: Vec<u8>,
	},
	/// A Substrate SS58 address with the given network prefix (0 to 16383).
	Ss58 {
		/// The SS58 network prefix (42 is the generic Substrate prefix).
		prefix: u16,
	},
}

/// The address of `key` in `format`.
pub fn derive_address(key: &PublicKey, format: &AddressFormat) -> Result<String, Error> {
	match format {
		AddressFormat::Evm => evm_address(key).map(|address| evm_checksum_address(&address)),
		AddressFormat::Bitcoin(network) => match key {
			PublicKey::BitcoinTaproot(output_key) => bitcoin_p2tr_address(output_key, *network),
			_ => bitcoin_p2wpkh_address(key, *network),
		},
		AddressFormat::Solana => solana_address(key),
		AddressFormat::Cosmos { prefix } => {
			let prefix = core::str::from_utf8(prefix).map_err(|_| Error::InvalidAddressPrefix)?;
			cosmos_address(key, prefix)
		}
		AddressFormat::Ss58 { prefix } => ss58_address(key, *prefix),
	}
}

/// The address formats shown for a key of `key_type` when a client asks for "its addresses":
/// EVM, Cosmos (`cosmos`, `zen`) and SS58 (42) for ECDSA keys; Bitcoin mainnet, testnet and
/// regtest for Bitcoin keys (P2WPKH or P2TR); Solana and SS58 (42) for Ed25519 keys.
pub fn default_address_formats(key_type: KeyType) -> Vec<AddressFormat> {
	match key_type {
		KeyType::EcdsaSecp256k1 => alloc::vec![
			AddressFormat::Evm,
			AddressFormat::Cosmos { prefix: b"cosmos".to_vec() },
			AddressFormat::Cosmos { prefix: b"zen".to_vec() },
			AddressFormat::Ss58 { prefix: 42 },
		],
		KeyType::BitcoinSecp256k1 | KeyType::BitcoinTaproot => alloc::vec![
			AddressFormat::Bitcoin(BitcoinNetwork::Mainnet),
			AddressFormat::Bitcoin(BitcoinNetwork::Testnet),
			AddressFormat::Bitcoin(BitcoinNetwork::Regtest),
		],
		KeyType::Ed25519 => alloc::vec![AddressFormat::Solana, AddressFormat::Ss58 { prefix: 42 }],
	}
}

/// The key's addresses in [`default_address_formats`] of its type.
pub fn default_addresses(key: &PublicKey) -> Vec<(AddressFormat, String)> {
	default_address_formats(key.key_type())
		.into_iter()
		.filter_map(|format| derive_address(key, &format).ok().map(|address| (format, address)))
		.collect()
}

/// The 20-byte EVM address of a secp256k1 key.
pub fn evm_address(key: &PublicKey) -> Result<[u8; 20], Error> {
	let uncompressed = key.secp256k1_uncompressed()?;
	let (_, coordinates) = uncompressed.split_first().ok_or(Error::InvalidKeyPoint)?;
	Ok(evm_address_from_hash(&keccak256(coordinates)))
}

fn evm_address_from_hash(hash: &[u8; 32]) -> [u8; 20] {
	let mut address = [0u8; 20];
	for (out, byte) in address.iter_mut().zip(hash.iter().skip(12)) {
		*out = *byte;
	}
	address
}

/// The EIP-55 mixed-case checksum text (`0x` + 40 hex digits) of an EVM address.
pub fn evm_checksum_address(address: &[u8; 20]) -> String {
	let lower = hex::encode(address);
	let hash = keccak256(lower.as_bytes());
	let nibbles = hash.iter().flat_map(|byte| [byte >> 4, byte & 0x0f]);
	let mut text = String::with_capacity(42);
	text.push_str("0x");
	for (character, nibble) in lower.chars().zip(nibbles) {
		if nibble >= 8 {
			text.push(character.to_ascii_uppercase());
		} else {
			text.push(character);
		}
	}
	text
}

/// Parses an EVM address (`0x` optional). All-lowercase and all-uppercase hex are accepted;
/// mixed case must be the EIP-55 checksum, else [`Error::InvalidAddressChecksum`].
pub fn parse_evm_address(text: &str) -> Result<[u8; 20], Error> {
	let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
	if digits.len() != 40 {
		return Err(Error::InvalidAddress);
	}
	let bytes = hex::decode(digits).map_err(|_| Error::InvalidAddress)?;
	let address: [u8; 20] = bytes.as_slice().try_into().map_err(|_| Error::InvalidAddress)?;
	let has_lower = digits.bytes().any(|b| b.is_ascii_lowercase());
	let has_upper = digits.bytes().any(|b| b.is_ascii_uppercase());
	if has_lower && has_upper {
		let expected = evm_checksum_address(&address);
		if expected.get(2..) != Some(digits) {
			return Err(Error::InvalidAddressChecksum);
		}
	}
	Ok(address)
}

/// The Bitcoin native segwit v0 (P2WPKH) address of a secp256k1 key.
pub fn bitcoin_p2wpkh_address(key: &PublicKey, network: BitcoinNetwork) -> Result<String, Error> {
	let compressed = key.require_secp256k1()?;
	bech32::segwit::encode(network.hrp(), bech32::segwit::VERSION_0, &hash160(compressed))
		.map_err(|_| Error::InvalidAddress)
}

/// The Bitcoin Taproot (P2TR, segwit v1, bech32m) address of an x-only output key.
pub fn bitcoin_p2tr_address(
	output_key: &[u8; 32],
	network: BitcoinNetwork,
) -> Result<String, Error> {
	bech32::segwit::encode(network.hrp(), bech32::segwit::VERSION_1, output_key)
		.map_err(|_| Error::InvalidAddress)
}

/// The Solana address (base58 of the key) of an Ed25519 key.
pub fn solana_address(key: &PublicKey) -> Result<String, Error> {
	Ok(bs58::encode(key.require_ed25519()?).into_string())
}

/// The Cosmos SDK account address of a secp256k1 key with the bech32 `prefix` (1 to 83
/// lowercase ASCII letters or digits, e.g. `cosmos`, `osmo`, `zen`).
pub fn cosmos_address(key: &PublicKey, prefix: &str) -> Result<String, Error> {
	let compressed = key.require_secp256k1()?;
	let well_formed = !prefix.is_empty()
		&& prefix.len() <= 83
		&& prefix.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
	if !well_formed {
		return Err(Error::InvalidAddressPrefix);
	}
	let hrp = bech32::Hrp::parse(prefix).map_err(|_| Error::InvalidAddressPrefix)?;
	bech32::encode::<bech32::Bech32>(hrp, &hash160(compressed)).map_err(|_| Error::InvalidAddress)
}

/// The Substrate account id of a key: the Ed25519 key itself, or BLAKE2b-256 of the compressed
/// secp256k1 key (what `sp_runtime::MultiSigner::Ecdsa` turns into an `AccountId32`). Taproot
/// keys have none ([`Error::KeyTypeMismatch`]): Substrate has no BIP-340 signer.
pub fn substrate_account_id(key: &PublicKey) -> Result<[u8; 32], Error> {
	match key {
		PublicKey::Ed25519(key) => Ok(*key),
		PublicKey::EcdsaSecp256k1(key) | PublicKey::BitcoinSecp256k1(key) => Ok(blake2_256(key)),
		PublicKey::BitcoinTaproot(_) => Err(Error::KeyTypeMismatch),
	}
}

/// The SS58 address of the key's Substrate account id with network `prefix` (0 to 16383).
pub fn ss58_address(key: &PublicKey, prefix: u16) -> Result<String, Error> {
	ss58_encode(&substrate_account_id(key)?, prefix)
}

/// SS58 text of a 32-byte account id, as `sp_core::crypto::Ss58Codec::to_ss58check_with_version`.
pub fn ss58_encode(account_id: &[u8; 32], prefix: u16) -> Result<String, Error> {
	let mut data = Vec::with_capacity(2 + 32 + 2);
	match prefix {
		0..=63 => data.push(prefix as u8),
		64..=16_383 => {
			let first = ((prefix & 0b0000_0000_1111_1100) as u8) >> 2;
			let second = ((prefix >> 8) as u8) | (((prefix & 0b0000_0000_0000_0011) as u8) << 6);
			data.push(first | 0b0100_0000);
			data.push(second);
		}
		_ => return Err(Error::InvalidAddressPrefix),
	}
	data.extend_from_slice(account_id);
	let checksum = blake2b_512(&[b"SS58PRE", &data]);
	data.extend(checksum.iter().take(2));
	Ok(bs58::encode(data).into_string())
}
