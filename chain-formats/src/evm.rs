//! EVM transactions: legacy with EIP-155, EIP-2930 (type 1) and EIP-1559 (type 2).
//!
//! ## Accepted unsigned forms
//! - **Legacy**, an RLP list of either
//!   - 6 fields `[nonce, gasPrice, gas, to, value, data]`: the chain id is the request's, or
//!   - 9 fields `[nonce, gasPrice, gas, to, value, data, chainId, 0, 0]` (the EIP-155 signing
//!     form, what most libraries serialise for an unsigned legacy transaction): `chainId` must
//!     equal the request's chain id and the last two fields must be empty.
//!
//!   Pre-EIP-155 signing (without chain id, replayable on every chain) is never produced.
//! - **EIP-2930**: `0x01 ‖ rlp([chainId, nonce, gasPrice, gas, to, value, data, accessList])`.
//! - **EIP-1559**: `0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas, to,
//!   value, data, accessList])`.
//!
//! For typed transactions `chainId` must equal the request's chain id
//! ([`Error::ChainIdMismatch`]). Blob (type 3) and set-code (type 4) transactions are refused.
//! Integers must be canonical RLP (no leading zeros); `nonce`, `gas` and `chainId` fit in 64 bits
//! (EIP-2681), `value` and fee fields in 128 bits (more than the ether supply), `to` is empty or 20
//! bytes, and nothing may follow the transaction.
//!
//! ## Signing hash and assembly
//! The signing hash is keccak256 of the EIP-155 payload `rlp([…6 fields, chainId, 0, 0])` for
//! legacy transactions and of `type ‖ rlp([…fields])` for typed ones. The signed transaction
//! appends `v, r, s` (legacy, `v = chainId·2 + 35 + recoveryId`) or `yParity, r, s` (typed);
//! its hash is keccak256 of the raw signed bytes.

use alloc::{string::String, vec::Vec};
use alloy_rlp::{Encodable, Header};

use crate::{
	address::evm_checksum_address,
	hashing::keccak256,
	signature::RecoverableSignature,
	token::{decode_erc20, TokenMovement},
	transaction::TransactionKind,
	Error, ParsedTransaction, Preimage, PreimageHash, SignPayload, SignedTransaction,
};

const EIP2930_TYPE: u8 = 0x01;
const EIP1559_TYPE: u8 = 0x02;
/// First byte of an RLP list: a legacy transaction.
const RLP_LIST_START: u8 = 0xc0;

/// The transaction envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvmTransactionType {
	/// A legacy transaction signed with EIP-155 replay protection.
	Legacy,
	/// An EIP-2930 access-list transaction (type 1).
	Eip2930,
	/// An EIP-1559 dynamic-fee transaction (type 2).
	Eip1559,
}

/// A parsed unsigned EVM transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvmTransaction {
	/// The envelope.
	pub transaction_type: EvmTransactionType,
	/// The chain id the transaction is signed for.
	pub chain_id: u64,
	/// The sender's nonce.
	pub nonce: u64,
	/// The gas limit.
	pub gas_limit: u64,
	/// `gasPrice` (legacy, EIP-2930) or `maxFeePerGas` (EIP-1559), in wei.
	pub max_fee_per_gas: u128,
	/// `maxPriorityFeePerGas` (EIP-1559 only), in wei.
	pub max_priority_fee_per_gas: Option<u128>,
	/// The recipient; `None` for contract creation.
	pub to: Option<[u8; 20]>,
	/// The value transferred, in wei.
	pub value: u128,
	/// The call data (or init code).
	pub data: Vec<u8>,
	/// The raw RLP items that are signed, without the legacy `chainId, 0, 0` suffix.
	signed_fields: Vec<u8>,
}

/// Parses an unsigned EVM transaction for the request's `chain_id` (see the module docs).
pub fn parse(unsigned: &[u8], chain_id: u64) -> Result<EvmTransaction, Error> {
	if chain_id == 0 {
		return Err(Error::FieldOutOfRange);
	}
	let (first, rest) = unsigned.split_first().ok_or(Error::UnexpectedEnd)?;
	match *first {
		EIP2930_TYPE => parse_typed(EvmTransactionType::Eip2930, rest, chain_id),
		EIP1559_TYPE => parse_typed(EvmTransactionType::Eip1559, rest, chain_id),
		byte if byte >= RLP_LIST_START => parse_legacy(unsigned, chain_id),
		_ => Err(Error::UnsupportedTransactionType),
	}
}

fn parse_legacy(encoded: &[u8], chain_id: u64) -> Result<EvmTransaction, Error> {
	let items = single_list(encoded)?;
	let (fields, suffix): (&[Item<'_>], &[Item<'_>]) = match items.len() {
		6 => (&items, &[]),
		9 => items.split_at_checked(6).ok_or(Error::WrongFieldCount)?,
		_ => return Err(Error::WrongFieldCount),
	};
	if let [signed_chain_id, r, s] = suffix {
		if uint_u64(signed_chain_id)? != chain_id {
			return Err(Error::ChainIdMismatch);
		}
		if !is_empty_string(r) || !is_empty_string(s) {
			return Err(Error::InvalidLegacySigningFields);
		}
	}
	let [nonce, gas_price, gas_limit, to, value, data] = fields else {
		return Err(Error::WrongFieldCount);
	};
	Ok(EvmTransaction {
		transaction_type: EvmTransactionType::Legacy,
		chain_id,
		nonce: uint_u64(nonce)?,
		gas_limit: uint_u64(gas_limit)?,
		max_fee_per_gas: uint_u128(gas_price)?,
		max_priority_fee_per_gas: None,
		to: address(to)?,
		value: uint_u128(value)?,
		data: string(data)?.to_vec(),
		signed_fields: concat_raw(fields),
	})
}

fn parse_typed(
	transaction_type: EvmTransactionType,
	encoded: &[u8],
	chain_id: u64,
) -> Result<EvmTransaction, Error> {
	let items = single_list(encoded)?;
	let (signed_chain_id, nonce, priority_fee, max_fee, gas_limit, to, value, data, access_list) =
		match (transaction_type, items.as_slice()) {
			(
				EvmTransactionType::Eip2930,
				[chain, nonce, gas_price, gas_limit, to, value, data, access_list],
			) => (chain, nonce, None, gas_price, gas_limit, to, value, data, access_list),
			(
				EvmTransactionType::Eip1559,
				[chain, nonce, priority_fee, max_fee, gas_limit, to, value, data, access_list],
			) => {
				(chain, nonce, Some(priority_fee), max_fee, gas_limit, to, value, data, access_list)
			}
			_ => return Err(Error::WrongFieldCount),
		};
	if uint_u64(signed_chain_id)? != chain_id {
		return Err(Error::ChainIdMismatch);
	}
	check_access_list(access_list)?;
	Ok(EvmTransaction {
		transaction_type,
		chain_id,
		nonce: uint_u64(nonce)?,
		gas_limit: uint_u64(gas_limit)?,
		max_fee_per_gas: uint_u128(max_fee)?,
		max_priority_fee_per_gas: priority_fee.map(uint_u128).transpose()?,
		to: address(to)?,
		value: uint_u128(value)?,
		data: string(data)?.to_vec(),
		signed_fields: concat_raw(&items),
	})
}

impl EvmTransaction {
	/// The bytes whose keccak256 is signed.
	pub fn signing_payload(&self) -> Vec<u8> {
		match self.transaction_type {
			EvmTransactionType::Legacy => {
				let mut suffix = Vec::with_capacity(11);
				self.chain_id.encode(&mut suffix);
				// `r` and `s` are zero: the empty string.
				suffix.extend_from_slice(&[alloy_rlp::EMPTY_STRING_CODE; 2]);
				list(&[&self.signed_fields, &suffix])
			}
			EvmTransactionType::Eip2930 | EvmTransactionType::Eip1559 => {
				let mut payload = Vec::with_capacity(self.signed_fields.len().saturating_add(10));
				payload.push(self.type_byte());
				payload.extend_from_slice(&list(&[&self.signed_fields]));
				payload
			}
		}
	}

	/// The 32-byte hash the key signs.
	pub fn signing_hash(&self) -> [u8; 32] {
		keccak256(&self.signing_payload())
	}

	/// The most the transaction can pay in fees: `gas × gasPrice` (or `maxFeePerGas`), `None`
	/// if that overflows 128 bits.
	pub fn max_fee(&self) -> Option<u128> {
		u128::from(self.gas_limit).checked_mul(self.max_fee_per_gas)
	}

	/// The ERC-20 movement of the call, if it is one (see [`crate::token`]).
	pub fn token_movement(&self) -> Result<Option<TokenMovement>, Error> {
		match &self.to {
			Some(contract) => decode_erc20(contract, &self.data),
			None => Ok(None),
		}
	}

	/// The chain-independent summary the treasury and the policy see; refused when the calldata
	/// claims to be an ERC-20 call but is not exactly one.
	pub fn summary(&self) -> Result<ParsedTransaction, Error> {
		let token = self.token_movement()?;
		let plain = if self.data.is_empty() && self.to.is_some() {
			TransactionKind::Transfer
		} else {
			TransactionKind::Call
		};
		Ok(ParsedTransaction {
			payloads_to_sign: alloc::vec![SignPayload::Prehash(self.signing_hash())],
			preimages: alloc::vec![Preimage {
				hash: PreimageHash::Keccak256,
				bytes: self.signing_payload()
			}],
			value: Some(self.value),
			recipient: self.to.as_ref().map(evm_checksum_address),
			fee: self.max_fee(),
			kind: TransactionKind::of(token.as_ref(), plain),
			token,
		})
	}

	/// The signed transaction for a signature of [`Self::signing_hash`]. The signature's
	/// recovery id must be the one that recovers the sender (as
	/// [`crate::signature::verify_ecdsa`] establishes).
	pub fn assemble(&self, signature: &RecoverableSignature) -> SignedTransaction {
		let mut suffix = Vec::with_capacity(3 + 2 * 33 + 10);
		match self.transaction_type {
			EvmTransactionType::Legacy => {
				// chain_id < 2^64, so this cannot overflow a u128.
				let v = u128::from(self.chain_id)
					.saturating_mul(2)
					.saturating_add(35)
					.saturating_add(u128::from(signature.recovery_id));
				v.encode(&mut suffix);
			}
			EvmTransactionType::Eip2930 | EvmTransactionType::Eip1559 => {
				signature.recovery_id.encode(&mut suffix);
			}
		}
		strip_leading_zeros(&signature.r).encode(&mut suffix);
		strip_leading_zeros(&signature.s).encode(&mut suffix);
		let body = list(&[&self.signed_fields, &suffix]);
		let raw = match self.transaction_type {
			EvmTransactionType::Legacy => body,
			EvmTransactionType::Eip2930 | EvmTransactionType::Eip1559 => {
				let mut raw = Vec::with_capacity(body.len().saturating_add(1));
				raw.push(self.type_byte());
				raw.extend_from_slice(&body);
				raw
			}
		};
		let hash = keccak256(&raw);
		let mut id_text = String::from("0x");
		id_text.push_str(&hex::encode(hash));
		SignedTransaction { raw, id: hash.to_vec(), id_text }
	}

	fn type_byte(&self) -> u8 {
		match self.transaction_type {
			EvmTransactionType::Legacy => 0,
			EvmTransactionType::Eip2930 => EIP2930_TYPE,
			EvmTransactionType::Eip1559 => EIP1559_TYPE,
		}
	}
}

/// One RLP item: its kind, payload and full encoding.
struct Item<'a> {
	is_list: bool,
	payload: &'a [u8],
	raw: &'a [u8],
}

fn next_item<'a>(buf: &mut &'a [u8]) -> Result<Item<'a>, Error> {
	let start: &'a [u8] = buf;
	let mut cursor: &'a [u8] = buf;
	let header = Header::decode(&mut cursor).map_err(|error| match error {
		alloy_rlp::Error::InputTooShort => Error::UnexpectedEnd,
		alloy_rlp::Error::LeadingZero
		| alloy_rlp::Error::NonCanonicalSingleByte
		| alloy_rlp::Error::NonCanonicalSize => Error::NonCanonicalEncoding,
		_ => Error::InvalidRlp,
	})?;
	let (payload, rest) =
		cursor.split_at_checked(header.payload_length).ok_or(Error::UnexpectedEnd)?;
	let consumed = start.len().checked_sub(rest.len()).ok_or(Error::InvalidRlp)?;
	let raw = start.get(..consumed).ok_or(Error::InvalidRlp)?;
	*buf = rest;
	Ok(Item { is_list: header.list, payload, raw })
}

/// The items of a list payload.
fn items(mut payload: &[u8]) -> Result<Vec<Item<'_>>, Error> {
	let mut items = Vec::new();
	while !payload.is_empty() {
		items.push(next_item(&mut payload)?);
	}
	Ok(items)
}

/// The items of the one list that is all of `encoded`.
fn single_list(encoded: &[u8]) -> Result<Vec<Item<'_>>, Error> {
	let mut buf = encoded;
	let outer = next_item(&mut buf)?;
	if !buf.is_empty() {
		return Err(Error::TrailingBytes);
	}
	if !outer.is_list {
		return Err(Error::InvalidRlp);
	}
	items(outer.payload)
}

fn string<'a>(item: &Item<'a>) -> Result<&'a [u8], Error> {
	if item.is_list {
		Err(Error::InvalidRlp)
	} else {
		Ok(item.payload)
	}
}

fn is_empty_string(item: &Item<'_>) -> bool {
	!item.is_list && item.payload.is_empty()
}

/// A canonical big-endian unsigned integer of at most `N` bytes.
fn uint<const N: usize>(item: &Item<'_>) -> Result<[u8; N], Error> {
	let bytes = string(item)?;
	if bytes.first() == Some(&0) {
		return Err(Error::NonCanonicalEncoding);
	}
	let offset = N.checked_sub(bytes.len()).ok_or(Error::FieldOutOfRange)?;
	let mut out = [0u8; N];
	for (slot, byte) in out.iter_mut().skip(offset).zip(bytes) {
		*slot = *byte;
	}
	Ok(out)
}

fn uint_u64(item: &Item<'_>) -> Result<u64, Error> {
	uint::<8>(item).map(u64::from_be_bytes)
}

fn uint_u128(item: &Item<'_>) -> Result<u128, Error> {
	uint::<16>(item).map(u128::from_be_bytes)
}

fn address(item: &Item<'_>) -> Result<Option<[u8; 20]>, Error> {
	let bytes = string(item)?;
	if bytes.is_empty() {
		return Ok(None);
	}
	bytes.try_into().map(Some).map_err(|_| Error::FieldOutOfRange)
}

/// `[[address, [storageKey, …]], …]` with 20-byte addresses and 32-byte keys.
fn check_access_list(item: &Item<'_>) -> Result<(), Error> {
	if !item.is_list {
		return Err(Error::InvalidRlp);
	}
	for entry in items(item.payload)? {
		if !entry.is_list {
			return Err(Error::InvalidRlp);
		}
		let entry_items = items(entry.payload)?;
		let [account, keys] = entry_items.as_slice() else { return Err(Error::WrongFieldCount) };
		if string(account)?.len() != 20 {
			return Err(Error::FieldOutOfRange);
		}
		if !keys.is_list {
			return Err(Error::InvalidRlp);
		}
		for key in items(keys.payload)? {
			if string(&key)?.len() != 32 {
				return Err(Error::FieldOutOfRange);
			}
		}
	}
	Ok(())
}

fn concat_raw(items: &[Item<'_>]) -> Vec<u8> {
	items.iter().flat_map(|item| item.raw.iter().copied()).collect()
}

/// An RLP list whose payload is the concatenation of `parts`.
fn list(parts: &[&[u8]]) -> Vec<u8> {
	let payload_length = parts.iter().fold(0usize, |sum, part| sum.saturating_add(part.len()));
	let mut out = Vec::with_capacity(payload_length.saturating_add(9));
	Header { list: true, payload_length }.encode(&mut out);
	for part in parts {
		out.extend_from_slice(part);
	}
	out
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
	let zeros = bytes.iter().take_while(|byte| **byte == 0).count();
	bytes.get(zeros..).unwrap_or_default()
}
