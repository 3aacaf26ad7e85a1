//! Token movements inside transactions: ERC-20 calls in EVM calldata and SPL Token instructions
//! in Solana messages.
//!
//! A policy that sees only a transaction's native value is blind to tokens: an ERC-20 transfer
//! of a million USDC has `value = 0`. These decoders recover what the token contract or program
//! will do, so rules can read the token, the amount and the recipient or spender.
//!
//! - ERC-20 (`transfer`, `transferFrom`, `approve`, `increaseAllowance`): recognised by the
//!   4-byte selector. Calldata with one of these selectors must be exactly the ABI encoding of
//!   its arguments (address words zero-padded, no trailing bytes), or the transaction is refused
//!   with [`Error::MalformedTokenCall`]: the facts a policy reads must be the ones the contract
//!   executes. Calldata with any other selector is a contract call whose token facts are
//!   unknown; it is not an error.
//! - SPL Token and Token-2022 (`Transfer`, `TransferChecked`, `Approve`, `ApproveChecked`):
//!   decoded from the instruction data and accounts. `Transfer` and `Approve` do not name the
//!   mint (only token accounts), so their token is unknown; the `Checked` forms name it.
//!
//! Amounts are `uint256` on EVM chains; one larger than 128 bits (such as the "unlimited"
//! approval `2^256 − 1`) is reported as unknown, so a rule bounding it is never satisfied.

use alloc::string::String;

use crate::{address::evm_checksum_address, Error};

/// What a token instruction does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenAction {
	/// Tokens move to a recipient (`transfer`, `transferFrom`, SPL `Transfer[Checked]`).
	Transfer,
	/// A spender is allowed to move tokens (`approve`, `increaseAllowance`, SPL
	/// `Approve[Checked]`).
	Approval,
}

/// One token movement a transaction performs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenMovement {
	/// Transfer or approval.
	pub action: TokenAction,
	/// The token: the ERC-20 contract (EIP-55) or the SPL mint (base58); `None` when the
	/// instruction does not name it (SPL `Transfer`, `Approve`) or it is loaded from an address
	/// lookup table.
	pub token: Option<String>,
	/// The amount in the token's base unit; `None` when it does not fit 128 bits.
	pub amount: Option<u128>,
	/// The recipient (transfer) or spender (approval): an EVM address (EIP-55) or, on Solana,
	/// the destination token account or delegate (base58); `None` when loaded from a lookup
	/// table.
	pub counterparty: Option<String>,
}

/// `transfer(address,uint256)`.
pub const ERC20_TRANSFER: [u8; 4] = [0xa9, 0x05, 0x9c, 0xbb];
/// `transferFrom(address,address,uint256)`.
pub const ERC20_TRANSFER_FROM: [u8; 4] = [0x23, 0xb8, 0x72, 0xdd];
/// `approve(address,uint256)`.
pub const ERC20_APPROVE: [u8; 4] = [0x09, 0x5e, 0xa7, 0xb3];
/// `increaseAllowance(address,uint256)` (OpenZeppelin).
pub const ERC20_INCREASE_ALLOWANCE: [u8; 4] = [0x39, 0x50, 0x93, 0x51];

/// The ERC-20 movement of a call to `contract` with `data`: `Ok(None)` for calldata that is not
/// one of the four recognised calls, [`Error::MalformedTokenCall`] for one that is but is not
/// exactly its ABI encoding.
pub fn decode_erc20(contract: &[u8; 20], data: &[u8]) -> Result<Option<TokenMovement>, Error> {
	let Some((selector, arguments)) = data.split_first_chunk::<4>() else { return Ok(None) };
	let (action, address_word, amount_word, words) = match *selector {
		ERC20_TRANSFER => (TokenAction::Transfer, 0, 1, 2),
		ERC20_TRANSFER_FROM => (TokenAction::Transfer, 1, 2, 3),
		ERC20_APPROVE | ERC20_INCREASE_ALLOWANCE => (TokenAction::Approval, 0, 1, 2),
		_ => return Ok(None),
	};
	if Some(arguments.len()) != usize::checked_mul(words, 32) {
		return Err(Error::MalformedTokenCall);
	}
	let word = |index: usize| -> Result<&[u8; 32], Error> {
		arguments
			.chunks_exact(32)
			.nth(index)
			.and_then(|chunk| chunk.try_into().ok())
			.ok_or(Error::MalformedTokenCall)
	};
	// Every address argument must be canonical (12 zero bytes first): Solidity's decoder
	// reverts otherwise, and a dirty word could show a policy one address and pay another.
	for index in 0..words {
		if index != amount_word {
			abi_address(word(index)?)?;
		}
	}
	let counterparty = abi_address(word(address_word)?)?;
	Ok(Some(TokenMovement {
		action,
		token: Some(evm_checksum_address(contract)),
		amount: uint256_to_u128(word(amount_word)?),
		counterparty: Some(evm_checksum_address(&counterparty)),
	}))
}

fn abi_address(word: &[u8; 32]) -> Result<[u8; 20], Error> {
	let (padding, address) = word.split_at(12);
	if padding.iter().any(|byte| *byte != 0) {
		return Err(Error::MalformedTokenCall);
	}
	address.try_into().map_err(|_| Error::MalformedTokenCall)
}

fn uint256_to_u128(word: &[u8; 32]) -> Option<u128> {
	let (high, low) = word.split_at(16);
	if high.iter().any(|byte| *byte != 0) {
		return None;
	}
	Some(u128::from_be_bytes(low.try_into().ok()?))
}

/// The SPL Token program (`TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA`).
pub const SPL_TOKEN_PROGRAM_ID: [u8; 32] = [
	6, 221, 246, 225, 215, 101, 161, 147, 217, 203, 225, 70, 206, 235, 121, 172, 28, 180, 133, 237,
	95, 91, 55, 145, 58, 140, 245, 133, 126, 255, 0, 169,
];
/// The SPL Token-2022 program (`TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb`).
pub const SPL_TOKEN_2022_PROGRAM_ID: [u8; 32] = [
	6, 221, 246, 225, 238, 117, 143, 222, 24, 66, 93, 188, 228, 108, 205, 218, 182, 26, 252, 77,
	131, 185, 13, 39, 254, 189, 249, 40, 216, 161, 139, 252,
];

/// Whether `program` is SPL Token or Token-2022.
pub fn is_spl_token_program(program: &[u8; 32]) -> bool {
	*program == SPL_TOKEN_PROGRAM_ID || *program == SPL_TOKEN_2022_PROGRAM_ID
}

/// Where an SPL instruction's accounts are: the positions of its mint and counterparty in the
/// instruction's account list.
struct SplLayout {
	action: TokenAction,
	mint: Option<usize>,
	counterparty: usize,
}

/// The movement of an SPL Token instruction with `data`, whose accounts resolve through
/// `account` (position in the instruction's account list → key, `None` when the key is loaded
/// from a lookup table). `Ok(None)` for instructions that move no tokens (e.g. `InitializeMint`,
/// `CloseAccount`); [`Error::MalformedTokenCall`] for a transfer or approval whose data or
/// account list is too short.
pub fn decode_spl<'a>(
	data: &[u8],
	account_count: usize,
	account: impl Fn(usize) -> Option<&'a [u8; 32]>,
) -> Result<Option<TokenMovement>, Error> {
	let Some((tag, rest)) = data.split_first() else { return Err(Error::MalformedTokenCall) };
	// Account order per instruction (spl-token `instruction.rs`):
	// Transfer [source, destination, owner], Approve [source, delegate, owner],
	// TransferChecked [source, mint, destination, owner], ApproveChecked [source, mint, delegate,
	// owner]. Data: tag, amount (u64 LE), and for the Checked forms the decimals (u8).
	let (layout, data_len, accounts_needed) = match tag {
		3 => (SplLayout { action: TokenAction::Transfer, mint: None, counterparty: 1 }, 8, 3),
		4 => (SplLayout { action: TokenAction::Approval, mint: None, counterparty: 1 }, 8, 3),
		12 => (SplLayout { action: TokenAction::Transfer, mint: Some(1), counterparty: 2 }, 9, 4),
		13 => (SplLayout { action: TokenAction::Approval, mint: Some(1), counterparty: 2 }, 9, 4),
		_ => return Ok(None),
	};
	if rest.len() != data_len || account_count < accounts_needed {
		return Err(Error::MalformedTokenCall);
	}
	let amount_bytes: [u8; 8] =
		rest.get(..8).and_then(|bytes| bytes.try_into().ok()).ok_or(Error::MalformedTokenCall)?;
	let text = |position: usize| account(position).map(|key| bs58::encode(key).into_string());
	Ok(Some(TokenMovement {
		action: layout.action,
		token: layout.mint.and_then(text),
		amount: Some(u128::from(u64::from_le_bytes(amount_bytes))),
		counterparty: text(layout.counterparty),
	}))
}
