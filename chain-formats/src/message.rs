//! Messages an EVM key signs instead of a transaction: EIP-191 `personal_sign` and EIP-712
//! typed data (`eth_signTypedData_v4`).
//!
//! A raw 32-byte hash tells approvers nothing; a typed message says what it grants. The chain
//! computes the digest itself from the message, as it does for transactions, so what the
//! approvers see is what the key signs, and reads the facts a policy needs:
//!
//! - EIP-191: the digest of `"\x19Ethereum Signed Message:\n" ‖ decimal length ‖ message`
//!   (the message is taken as bytes, as wallets' `personal_sign` does with `0x`-hex input).
//! - EIP-712: the JSON object a wallet receives (`types`, `primaryType`, `domain`, `message`),
//!   parsed and hashed by alloy's `alloy-dyn-abi`. Its domain must be canonical: only the five
//!   standard fields, and `types.EIP712Domain` listing exactly the fields present, in the
//!   standard order with their standard types (alloy, like ethers, derives the domain type from
//!   the domain's keys; a non-canonical domain would hash differently in other wallets).
//!   `primaryType` `EIP712Domain` (a signature over the domain alone) is refused.
//!
//! The facts: the domain's `chainId` and `verifyingContract`; for an EIP-2612 `Permit` and
//! Uniswap Permit2's `PermitSingle` and `PermitTransferFrom` (recognised by their type hash, not
//! their name) the token, the amount and the spender, as a token approval. Any other primary
//! type whose name starts with `Permit` (batches, witnesses) is an approval whose token is
//! unknown.

use alloc::{string::String, vec::Vec};
use alloy_dyn_abi::{DynSolValue, TypedData};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde_json::Value;

use crate::{
	address::evm_checksum_address,
	hashing::keccak256,
	token::{TokenAction, TokenMovement},
	transaction::TransactionKind,
	Error, Preimage, PreimageHash,
};

/// How a message request's bytes are to be read.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum MessageFormat {
	/// EIP-191 `personal_sign`: the bytes are the message.
	PersonalSign,
	/// EIP-712: the bytes are the typed data as JSON (UTF-8).
	TypedData,
}

/// What a message means, for the signer and the policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedMessage {
	/// The 32-byte digest the key signs.
	pub digest: [u8; 32],
	/// The message the digest is the Keccak-256 of (for threshold ECDSA signers, who hash it
	/// themselves): the EIP-191 prefixed message, or `0x1901 ‖ domain separator ‖ hashStruct`.
	pub preimage: Preimage,
	/// `message`, `typed_data` or `token_approval`.
	pub kind: TransactionKind,
	/// The EIP-712 domain's `chainId`, if it has one that fits 64 bits.
	pub chain_id: Option<u64>,
	/// The EIP-712 domain's `verifyingContract` (EIP-55).
	pub verifying_contract: Option<String>,
	/// For a permit: the token, amount and spender it approves.
	pub token: Option<TokenMovement>,
}

/// `keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256
/// deadline)")` (EIP-2612).
const PERMIT_TYPEHASH: [u8; 32] =
	hex_literal::hex!("6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9");
/// Permit2 `PermitSingle(PermitDetails details,address spender,uint256 sigDeadline)
/// PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)`.
const PERMIT_SINGLE_TYPEHASH: [u8; 32] =
	hex_literal::hex!("f3841cd1ff0085026a6327b620b67997ce40f282c88a8e905a7a5626e310f3d0");
/// Permit2 `PermitTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,
/// uint256 deadline)TokenPermissions(address token,uint256 amount)`.
const PERMIT_TRANSFER_FROM_TYPEHASH: [u8; 32] =
	hex_literal::hex!("939c21a48a8dbe3a9a2404a1d46691e4d39f6583d6ec6b35714604c986d80106");

/// The standard EIP-712 domain fields, in their canonical order, with their types.
const DOMAIN_FIELDS: [(&str, &str); 5] = [
	("name", "string"),
	("version", "string"),
	("chainId", "uint256"),
	("verifyingContract", "address"),
	("salt", "bytes32"),
];

/// Parses a message of `format` (see the module docs).
pub fn parse_message(format: MessageFormat, bytes: &[u8]) -> Result<ParsedMessage, Error> {
	match format {
		MessageFormat::PersonalSign => personal_sign(bytes),
		MessageFormat::TypedData => typed_data(bytes),
	}
}

fn personal_sign(message: &[u8]) -> Result<ParsedMessage, Error> {
	if message.is_empty() {
		return Err(Error::EmptyMessage);
	}
	let preimage = alloy_primitives::utils::eip191_message(message);
	Ok(ParsedMessage {
		digest: keccak256(&preimage),
		preimage: Preimage { hash: PreimageHash::Keccak256, bytes: preimage },
		kind: TransactionKind::Message,
		chain_id: None,
		verifying_contract: None,
		token: None,
	})
}

fn typed_data(json: &[u8]) -> Result<ParsedMessage, Error> {
	let value: Value = serde_json::from_slice(json).map_err(|_| Error::InvalidTypedData)?;
	check_canonical(&value)?;
	let typed: TypedData = serde_json::from_value(value).map_err(|_| Error::InvalidTypedData)?;
	let struct_hash = typed.hash_struct().map_err(|_| Error::InvalidTypedData)?;
	let mut preimage = Vec::with_capacity(66);
	preimage.extend_from_slice(&[0x19, 0x01]);
	preimage.extend_from_slice(typed.domain.separator().as_slice());
	preimage.extend_from_slice(struct_hash.as_slice());
	let verifying_contract =
		typed.domain.verifying_contract.map(|address| evm_checksum_address(&address.into_array()));
	let token = permit(&typed, verifying_contract.as_deref())?;
	let kind = if token.is_some() || typed.primary_type.starts_with("Permit") {
		TransactionKind::TokenApproval
	} else {
		TransactionKind::TypedData
	};
	Ok(ParsedMessage {
		digest: keccak256(&preimage),
		preimage: Preimage { hash: PreimageHash::Keccak256, bytes: preimage },
		kind,
		chain_id: typed.domain.chain_id.and_then(|id| u64::try_from(id).ok()),
		verifying_contract,
		token,
	})
}

/// Refuses what other wallets would hash differently, or what signs nothing but a domain.
fn check_canonical(value: &Value) -> Result<(), Error> {
	let object = value.as_object().ok_or(Error::InvalidTypedData)?;
	let allowed = ["types", "primaryType", "domain", "message"];
	if object.keys().any(|key| !allowed.contains(&key.as_str())) {
		return Err(Error::InvalidTypedData);
	}
	let primary = object.get("primaryType").and_then(Value::as_str);
	if primary.is_none() || primary == Some("EIP712Domain") {
		return Err(Error::InvalidTypedData);
	}
	if !object.get("message").is_some_and(Value::is_object) {
		return Err(Error::InvalidTypedData);
	}
	let domain =
		object.get("domain").and_then(Value::as_object).ok_or(Error::NonCanonicalDomain)?;
	if domain.keys().any(|key| !DOMAIN_FIELDS.iter().any(|(name, _)| name == key)) {
		return Err(Error::NonCanonicalDomain);
	}
	let declared = object
		.get("types")
		.and_then(|types| types.get("EIP712Domain"))
		.and_then(Value::as_array)
		.ok_or(Error::NonCanonicalDomain)?;
	let mut expected = DOMAIN_FIELDS.iter().filter(|(name, _)| domain.contains_key(*name));
	for field in declared {
		let (name, kind) = expected.next().ok_or(Error::NonCanonicalDomain)?;
		let field = field.as_object().ok_or(Error::NonCanonicalDomain)?;
		let same = field.len() == 2
			&& field.get("name").and_then(Value::as_str) == Some(name)
			&& field.get("type").and_then(Value::as_str) == Some(kind);
		if !same {
			return Err(Error::NonCanonicalDomain);
		}
	}
	if expected.next().is_some() {
		return Err(Error::NonCanonicalDomain);
	}
	Ok(())
}

/// The approval of a recognised permit (see the module docs).
fn permit(
	typed: &TypedData,
	verifying_contract: Option<&str>,
) -> Result<Option<TokenMovement>, Error> {
	let type_hash = typed.type_hash().map_err(|_| Error::InvalidTypedData)?.0;
	let recognised = [PERMIT_TYPEHASH, PERMIT_SINGLE_TYPEHASH, PERMIT_TRANSFER_FROM_TYPEHASH];
	if !recognised.contains(&type_hash) {
		return Ok(None);
	}
	let message = typed.coerce().map_err(|_| Error::InvalidTypedData)?;
	let (token, amount) = match type_hash {
		PERMIT_TYPEHASH => (verifying_contract.map(String::from), field(&message, "value")),
		PERMIT_SINGLE_TYPEHASH => {
			let details = field(&message, "details");
			(
				address(details.and_then(|d| field(d, "token"))),
				details.and_then(|d| field(d, "amount")),
			)
		}
		_ => {
			let permitted = field(&message, "permitted");
			(
				address(permitted.and_then(|p| field(p, "token"))),
				permitted.and_then(|p| field(p, "amount")),
			)
		}
	};
	Ok(Some(TokenMovement {
		action: TokenAction::Approval,
		token,
		amount: amount.and_then(DynSolValue::as_uint).and_then(|(value, _)| value.try_into().ok()),
		counterparty: address(field(&message, "spender")),
	}))
}

fn field<'a>(value: &'a DynSolValue, name: &str) -> Option<&'a DynSolValue> {
	let (_, names, values) = value.as_custom_struct()?;
	names.iter().zip(values).find(|(field, _)| *field == name).map(|(_, value)| value)
}

fn address(value: Option<&DynSolValue>) -> Option<String> {
	value
		.and_then(DynSolValue::as_address)
		.map(|address| evm_checksum_address(&address.into_array()))
}

/// The CAIP-2 chain of a message: `eip155:<chainId>` when its domain names one.
pub fn message_chain(parsed: &ParsedMessage) -> Option<String> {
	parsed.chain_id.map(|chain_id| crate::Chain::Evm { chain_id }.caip2())
}
