//! Solana: legacy and v0 messages.
//!
//! The serialized message is what an Ed25519 key signs, so the payload to sign is the request's
//! bytes unchanged. [`parse_message`] checks the structure as the Solana runtime's sanitizer
//! does (header consistent with the account keys, the fee payer writable, instruction program
//! and account indexes in range, no duplicate keys, every address-table lookup used, nothing
//! after the message), so a keyring never signs bytes that are not a message.
//!
//! ## Value and recipient
//! Only the System Program can debit a system-owned wallet, and only in an instruction that
//! lists the wallet. `value` is the sum of lamports of System Program `Transfer` (tag 2) and
//! `CreateAccount` (tag 0) instructions funded by the signer; `AdvanceNonceAccount` (tag 4) moves
//! nothing. If the signer's account is passed to any other program (which could move lamports by
//! cross-program invocation) or to another System instruction, the value is unknown (`None`).
//! The recipient is reported when all such transfers go to one statically listed account.
//! SPL Token transfers and approvals are decoded by [`crate::token::decode_spl`]; the summary
//! reports the token movement when the message has exactly one.
//!
//! ## Fee
//! 5,000 lamports per required signature plus the priority fee the Compute Budget program sets:
//! `ceil(unit price (micro-lamports) × unit limit / 10^6)`, the limit being the one set or,
//! when none is, 200,000 per other instruction (at most 1,400,000), as the Solana runtime
//! computes it.
//!
//! ## Assembly
//! `shortvec(1) ‖ signature ‖ message` for messages whose only required signer is the key
//! (it is then also the fee payer); the transaction id is the signature (base58).

use alloc::{string::String, vec::Vec};

use crate::{
	token::{decode_spl, is_spl_token_program, TokenMovement},
	transaction::TransactionKind,
	Error, ParsedTransaction, SignPayload, SignedTransaction,
};

/// The System Program id (`11111111111111111111111111111111`).
pub const SYSTEM_PROGRAM_ID: [u8; 32] = [0; 32];
/// Most accounts a message can reference (indexes are one byte).
const MAX_ACCOUNTS: usize = 256;
/// Bit set in the first byte of a versioned message.
const VERSION_PREFIX: u8 = 0x80;

/// The Compute Budget program id (`ComputeBudget111111111111111111111111111111`).
pub const COMPUTE_BUDGET_PROGRAM_ID: [u8; 32] = [
	3, 6, 70, 111, 229, 33, 23, 50, 255, 236, 173, 186, 114, 195, 155, 231, 188, 140, 229, 187,
	197, 247, 18, 107, 44, 67, 155, 58, 64, 0, 0, 0,
];
/// Lamports per required signature.
const LAMPORTS_PER_SIGNATURE: u128 = 5_000;
/// Compute units an instruction gets when the message sets no limit, and the most a message
/// may use.
const DEFAULT_UNITS_PER_INSTRUCTION: u128 = 200_000;
const MAX_COMPUTE_UNITS: u128 = 1_400_000;
const SET_COMPUTE_UNIT_LIMIT: u8 = 2;
const SET_COMPUTE_UNIT_PRICE: u8 = 3;

const SYSTEM_CREATE_ACCOUNT: u32 = 0;
const SYSTEM_TRANSFER: u32 = 2;
const SYSTEM_ADVANCE_NONCE: u32 = 4;

/// The message header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageHeader {
	/// Signatures the transaction needs (the first keys).
	pub num_required_signatures: u8,
	/// Of those, how many are read-only.
	pub num_readonly_signed_accounts: u8,
	/// Read-only keys among the unsigned ones (the last keys).
	pub num_readonly_unsigned_accounts: u8,
}

/// An instruction, with indexes into the message's accounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompiledInstruction {
	/// Index of the program's key (always a static key).
	pub program_id_index: u8,
	/// Indexes of the accounts passed.
	pub accounts: Vec<u8>,
	/// Instruction data.
	pub data: Vec<u8>,
}

/// A v0 address-table lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressTableLookup {
	/// The lookup table account.
	pub account_key: [u8; 32],
	/// Indexes of writable accounts loaded from the table.
	pub writable_indexes: Vec<u8>,
	/// Indexes of read-only accounts loaded from the table.
	pub readonly_indexes: Vec<u8>,
}

/// A parsed message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SolanaMessage {
	/// `None` for a legacy message, `Some(0)` for v0.
	pub version: Option<u8>,
	/// The header.
	pub header: MessageHeader,
	/// The statically listed account keys.
	pub account_keys: Vec<[u8; 32]>,
	/// The recent blockhash (or durable nonce).
	pub recent_blockhash: [u8; 32],
	/// The instructions.
	pub instructions: Vec<CompiledInstruction>,
	/// v0 address-table lookups (empty for legacy).
	pub address_table_lookups: Vec<AddressTableLookup>,
}

/// Parses and sanitises a serialized message.
pub fn parse_message(bytes: &[u8]) -> Result<SolanaMessage, Error> {
	let mut reader = Reader { bytes };
	let first = reader.peek().ok_or(Error::UnexpectedEnd)?;
	let version = if first & VERSION_PREFIX != 0 {
		let [prefix] = reader.array::<1>()?;
		let version = prefix & !VERSION_PREFIX;
		if version != 0 {
			return Err(Error::UnsupportedTransactionType);
		}
		Some(version)
	} else {
		None
	};
	let [num_required_signatures, num_readonly_signed_accounts, num_readonly_unsigned_accounts] =
		reader.array::<3>()?;
	let header = MessageHeader {
		num_required_signatures,
		num_readonly_signed_accounts,
		num_readonly_unsigned_accounts,
	};

	let key_count = reader.count(32)?;
	let mut account_keys = Vec::with_capacity(key_count);
	for _ in 0..key_count {
		account_keys.push(reader.array::<32>()?);
	}
	let recent_blockhash = reader.array::<32>()?;

	// Each instruction is at least 3 bytes: program index and two empty lengths.
	let instruction_count = reader.count(3)?;
	let mut instructions = Vec::with_capacity(instruction_count);
	for _ in 0..instruction_count {
		let [program_id_index] = reader.array::<1>()?;
		let accounts = reader.bytes_with_length()?.to_vec();
		let data = reader.bytes_with_length()?.to_vec();
		instructions.push(CompiledInstruction { program_id_index, accounts, data });
	}

	let mut address_table_lookups = Vec::new();
	if version.is_some() {
		// Key plus two empty lengths.
		let lookup_count = reader.count(34)?;
		for _ in 0..lookup_count {
			let account_key = reader.array::<32>()?;
			let writable_indexes = reader.bytes_with_length()?.to_vec();
			let readonly_indexes = reader.bytes_with_length()?.to_vec();
			address_table_lookups.push(AddressTableLookup {
				account_key,
				writable_indexes,
				readonly_indexes,
			});
		}
	}
	if !reader.bytes.is_empty() {
		return Err(Error::TrailingBytes);
	}

	let message = SolanaMessage {
		version,
		header,
		account_keys,
		recent_blockhash,
		instructions,
		address_table_lookups,
	};
	message.sanitize()?;
	Ok(message)
}

impl SolanaMessage {
	/// Static keys plus keys loaded from lookup tables.
	pub fn total_account_count(&self) -> usize {
		self.address_table_lookups.iter().fold(self.account_keys.len(), |sum, lookup| {
			sum.saturating_add(lookup.writable_indexes.len())
				.saturating_add(lookup.readonly_indexes.len())
		})
	}

	fn sanitize(&self) -> Result<(), Error> {
		let header = &self.header;
		let static_count = self.account_keys.len();
		if header.num_required_signatures == 0
			|| header.num_readonly_signed_accounts >= header.num_required_signatures
			|| usize::from(header.num_required_signatures)
				.saturating_add(usize::from(header.num_readonly_unsigned_accounts))
				> static_count
		{
			return Err(Error::InvalidMessageHeader);
		}
		if self
			.address_table_lookups
			.iter()
			.any(|lookup| lookup.writable_indexes.is_empty() && lookup.readonly_indexes.is_empty())
		{
			return Err(Error::InvalidMessageHeader);
		}
		let total = self.total_account_count();
		if total > MAX_ACCOUNTS {
			return Err(Error::AccountIndexOutOfRange);
		}
		for instruction in &self.instructions {
			let program = usize::from(instruction.program_id_index);
			// The fee payer (index 0) cannot be a program; programs are never loaded from tables.
			if program == 0 || program >= static_count {
				return Err(Error::AccountIndexOutOfRange);
			}
			if instruction.accounts.iter().any(|index| usize::from(*index) >= total) {
				return Err(Error::AccountIndexOutOfRange);
			}
		}
		for (position, key) in self.account_keys.iter().enumerate() {
			if self.account_keys.iter().skip(position.saturating_add(1)).any(|other| other == key) {
				return Err(Error::DuplicateAccountKey);
			}
		}
		Ok(())
	}

	/// The index of `signer` among the required signers.
	pub fn signer_index(&self, signer: &[u8; 32]) -> Result<usize, Error> {
		self.account_keys
			.iter()
			.take(usize::from(self.header.num_required_signatures))
			.position(|key| key == signer)
			.ok_or(Error::SignerNotFound)
	}

	/// Lamports the signer sends through System Program transfers, or `None` if unknowable
	/// (see the module docs), with the destination account indexes.
	pub fn native_outflow(&self, signer_index: usize) -> (Option<u128>, Vec<u8>) {
		let mut value: Option<u128> = Some(0);
		let mut destinations = Vec::new();
		for instruction in &self.instructions {
			let touches_signer =
				instruction.accounts.iter().any(|index| usize::from(*index) == signer_index);
			let program = self.account_keys.get(usize::from(instruction.program_id_index));
			if program != Some(&SYSTEM_PROGRAM_ID) {
				if touches_signer {
					value = None;
				}
				continue;
			}
			match system_instruction(instruction) {
				Some(SystemInstruction::Transfer { lamports, from, to })
				| Some(SystemInstruction::CreateAccount { lamports, from, to }) => {
					if usize::from(from) == signer_index {
						value = value.and_then(|sum| sum.checked_add(u128::from(lamports)));
						destinations.push(to);
					} else if touches_signer {
						value = None;
					}
				}
				Some(SystemInstruction::AdvanceNonce) => {}
				None if touches_signer => value = None,
				None => {}
			}
		}
		(value, destinations)
	}

	/// The chain-independent summary the treasury and the policy see; `bytes` is the message
	/// as serialized (the payload to sign).
	pub fn summary(&self, signer: &[u8; 32], bytes: &[u8]) -> Result<ParsedTransaction, Error> {
		let signer_index = self.signer_index(signer)?;
		let (value, destinations) = self.native_outflow(signer_index);
		let recipient = match destinations.split_first() {
			Some((first, rest)) if rest.iter().all(|other| other == first) => self
				.account_keys
				.get(usize::from(*first))
				.map(|key| bs58::encode(key).into_string()),
			_ => None,
		};
		let token = self.token_movement()?;
		let plain = if value.is_some() { TransactionKind::Transfer } else { TransactionKind::Call };
		Ok(ParsedTransaction {
			kind: TransactionKind::of(token.as_ref(), plain),
			preimages: Vec::new(),
			payloads_to_sign: alloc::vec![SignPayload::Message(bytes.to_vec())],
			value,
			recipient,
			fee: self.fee(),
			token,
		})
	}

	/// The one SPL Token transfer or approval of the message; `None` when it has none or
	/// several. A malformed one is refused.
	pub fn token_movement(&self) -> Result<Option<TokenMovement>, Error> {
		let mut found = None;
		let mut count = 0usize;
		for instruction in &self.instructions {
			let program = self.account_keys.get(usize::from(instruction.program_id_index));
			if !program.is_some_and(is_spl_token_program) {
				continue;
			}
			let account = |position: usize| {
				instruction
					.accounts
					.get(position)
					.and_then(|index| self.account_keys.get(usize::from(*index)))
			};
			if let Some(movement) =
				decode_spl(&instruction.data, instruction.accounts.len(), account)?
			{
				count = count.saturating_add(1);
				found = Some(movement);
			}
		}
		Ok(if count == 1 { found } else { None })
	}

	/// The most the message pays in fees (see the module docs); `None` if a Compute Budget
	/// instruction is malformed.
	pub fn fee(&self) -> Option<u128> {
		let mut unit_limit: Option<u128> = None;
		let mut unit_price: u128 = 0;
		let mut other_instructions: u128 = 0;
		for instruction in &self.instructions {
			let program = self.account_keys.get(usize::from(instruction.program_id_index));
			if program != Some(&COMPUTE_BUDGET_PROGRAM_ID) {
				other_instructions = other_instructions.saturating_add(1);
				continue;
			}
			match instruction.data.split_first() {
				Some((&SET_COMPUTE_UNIT_LIMIT, rest)) => {
					let units: [u8; 4] = rest.try_into().ok()?;
					unit_limit = Some(u128::from(u32::from_le_bytes(units)));
				}
				Some((&SET_COMPUTE_UNIT_PRICE, rest)) => {
					let price: [u8; 8] = rest.try_into().ok()?;
					unit_price = u128::from(u64::from_le_bytes(price));
				}
				// Heap and loaded-data sizes do not change the fee.
				Some(_) => {}
				None => return None,
			}
		}
		let units = unit_limit
			.unwrap_or(other_instructions.saturating_mul(DEFAULT_UNITS_PER_INSTRUCTION))
			.min(MAX_COMPUTE_UNITS);
		let micro_lamports = unit_price.checked_mul(units)?;
		let priority = micro_lamports.checked_add(999_999)?.checked_div(1_000_000)?;
		LAMPORTS_PER_SIGNATURE
			.checked_mul(u128::from(self.header.num_required_signatures))?
			.checked_add(priority)
	}

	/// The signed transaction: `bytes` (this message, serialized) with the signer's 64-byte
	/// signature. The signer must be the only required signer.
	pub fn assemble(
		&self,
		signer: &[u8; 32],
		bytes: &[u8],
		signature: &[u8],
	) -> Result<SignedTransaction, Error> {
		if self.signer_index(signer)? != 0 || self.header.num_required_signatures != 1 {
			return Err(Error::MultipleSignersUnsupported);
		}
		let signature: [u8; 64] =
			signature.try_into().map_err(|_| Error::InvalidSignatureLength)?;
		let mut raw = Vec::with_capacity(bytes.len().saturating_add(65));
		// shortvec(1) is the single byte 1.
		raw.push(1);
		raw.extend_from_slice(&signature);
		raw.extend_from_slice(bytes);
		let id_text: String = bs58::encode(signature).into_string();
		Ok(SignedTransaction { raw, id: signature.to_vec(), id_text })
	}
}

enum SystemInstruction {
	CreateAccount { lamports: u64, from: u8, to: u8 },
	Transfer { lamports: u64, from: u8, to: u8 },
	AdvanceNonce,
}

/// The System instructions we interpret, in their exact bincode layout; `None` for others.
fn system_instruction(instruction: &CompiledInstruction) -> Option<SystemInstruction> {
	let (tag, rest) = instruction.data.split_first_chunk::<4>()?;
	match u32::from_le_bytes(*tag) {
		SYSTEM_TRANSFER => {
			let lamports: [u8; 8] = rest.try_into().ok()?;
			let [from, to] = instruction.accounts.as_slice() else { return None };
			Some(SystemInstruction::Transfer {
				lamports: u64::from_le_bytes(lamports),
				from: *from,
				to: *to,
			})
		}
		SYSTEM_CREATE_ACCOUNT => {
			// lamports (8), space (8), owner (32).
			if rest.len() != 48 {
				return None;
			}
			let (lamports, _) = rest.split_first_chunk::<8>()?;
			let [from, to] = instruction.accounts.as_slice() else { return None };
			Some(SystemInstruction::CreateAccount {
				lamports: u64::from_le_bytes(*lamports),
				from: *from,
				to: *to,
			})
		}
		SYSTEM_ADVANCE_NONCE if rest.is_empty() => Some(SystemInstruction::AdvanceNonce),
		_ => None,
	}
}

/// A cursor over untrusted bytes; every read is bounds-checked.
struct Reader<'a> {
	bytes: &'a [u8],
}

impl<'a> Reader<'a> {
	fn peek(&self) -> Option<u8> {
		self.bytes.first().copied()
	}

	fn take(&mut self, length: usize) -> Result<&'a [u8], Error> {
		let (taken, rest) = self.bytes.split_at_checked(length).ok_or(Error::UnexpectedEnd)?;
		self.bytes = rest;
		Ok(taken)
	}

	fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
		self.take(N)?.try_into().map_err(|_| Error::UnexpectedEnd)
	}

	/// A canonical compact-u16 ("shortvec" length): 1 to 3 bytes of 7 bits, little-endian.
	fn short_u16(&mut self) -> Result<u16, Error> {
		let mut value: u32 = 0;
		for shift in [0u32, 7, 14] {
			let [byte] = self.array::<1>()?;
			// A zero continuation byte would give the same value a second encoding.
			if byte == 0 && shift > 0 {
				return Err(Error::NonCanonicalEncoding);
			}
			value |= u32::from(byte & 0x7f).checked_shl(shift).ok_or(Error::FieldOutOfRange)?;
			if byte & 0x80 == 0 {
				return u16::try_from(value).map_err(|_| Error::FieldOutOfRange);
			}
		}
		Err(Error::FieldOutOfRange)
	}

	/// A shortvec count of items at least `min_item_len` bytes each, bounded by what remains.
	fn count(&mut self, min_item_len: usize) -> Result<usize, Error> {
		let count = usize::from(self.short_u16()?);
		let needed = count.checked_mul(min_item_len).ok_or(Error::UnexpectedEnd)?;
		if needed > self.bytes.len() {
			return Err(Error::UnexpectedEnd);
		}
		Ok(count)
	}

	fn bytes_with_length(&mut self) -> Result<&'a [u8], Error> {
		let length = usize::from(self.short_u16()?);
		self.take(length)
	}
}
