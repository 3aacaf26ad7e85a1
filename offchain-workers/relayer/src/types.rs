//! The on-chain types of the relayer: what a relayer reports and what the chain records.
//!
//! All of them encode the same whatever the bound of their `Message` (a `BoundedVec<u8, _>` on
//! chain, a `Vec<u8>` in the runtime API), so clients decode both alike.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use zenrock_chain_formats::Chain;

/// The most bytes of a destination-chain transaction hash (EVM and Bitcoin: 32; a Solana
/// transaction is named by its 64-byte signature).
pub const MAX_TX_HASH_LENGTH: u32 = 64;

/// A destination-chain transaction hash, as raw bytes (EVM: the 32-byte Keccak-256 of the raw
/// signed transaction).
pub type TxHash = BoundedVec<u8, ConstU32<MAX_TX_HASH_LENGTH>>;

/// Why one attempt to reach a destination chain's endpoint gave no usable answer. Such failures
/// are retried with backoff; only when MaxAttempts attempts have failed is the broadcast
/// reported as failed, with the class RetriesExhausted.
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
pub enum AttemptFailure {
	/// No HTTP exchange: the endpoint refused the connection, could not be resolved or closed it.
	Unreachable,
	/// No answer within HttpTimeoutMillis milliseconds.
	Timeout,
	/// The endpoint answered with this HTTP status and no JSON-RPC error.
	HttpStatus {
		/// The HTTP status code (e.g. 502).
		code: u16,
	},
	/// The endpoint answered HTTP 200 with a body that is not a JSON-RPC 2.0 response.
	InvalidResponse,
}

/// What a JSON-RPC rejection of a transaction says, recognised from the node's error message
/// (Ethereum nodes use error code -32000 for nearly all of them, so the code alone says little).
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
pub enum RejectionKind {
	/// The sender's nonce is past the transaction's nonce ("nonce too low"): another
	/// transaction of the same key was included first.
	NonceTooLow,
	/// The sender cannot pay value plus maximum fee ("insufficient funds").
	InsufficientFunds,
	/// The fees are too low ("underpriced", "max fee per gas less than block base fee", ...).
	FeeTooLow,
	/// The gas limit is unusable ("intrinsic gas too low", "exceeds block gas limit").
	GasLimit,
	/// The transaction is malformed or signed for another chain ("invalid sender",
	/// "invalid chain id", "rlp: ...").
	Invalid,
	/// Any other error; the report's message has the node's text.
	Other,
}

/// Why a broadcast failed for good.
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
pub enum FailureClass {
	/// The destination chain's node refused the transaction with a JSON-RPC error.
	Rejected {
		/// The JSON-RPC error code (Ethereum nodes: usually -32000).
		code: i64,
		/// What the error message says.
		kind: RejectionKind,
	},
	/// No usable answer from the endpoint in any of the attempts made, spaced by exponential
	/// backoff.
	RetriesExhausted {
		/// How many attempts were made.
		attempts: u32,
		/// How the last attempt failed.
		last: AttemptFailure,
	},
}

/// What a relayer reports about the broadcast of a request (the outcome given to
/// report_broadcast).
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum BroadcastOutcome<Message> {
	/// The destination chain's node accepted the transaction (or already knew it).
	Accepted {
		/// The transaction hash; must equal the hash the chain computes for the signed
		/// transaction.
		tx_hash: TxHash,
	},
	/// The broadcast failed for good.
	Failed {
		/// Why the broadcast failed.
		class: FailureClass,
		/// The node's error message or a description of the last failed attempt (UTF-8, at
		/// most MaxReportLength bytes).
		message: Message,
	},
}

impl<Message: AsRef<[u8]>> BroadcastOutcome<Message> {
	/// The length of the failure message (0 for an accepted broadcast): the component of the
	/// call's weight.
	pub fn message_len(&self) -> u32 {
		match self {
			BroadcastOutcome::Accepted { .. } => 0,
			BroadcastOutcome::Failed { message, .. } => {
				u32::try_from(message.as_ref().len()).unwrap_or(u32::MAX)
			}
		}
	}
}

/// The broadcast status of a transaction-signature request, once a relayer reported on it.
/// Requests without a status are either not for broadcast (private, not a transaction, not
/// fulfilled) or still waiting for a relayer.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen,
)]
pub enum BroadcastStatus<AccountId, BlockNumber, Message> {
	/// The destination chain accepted the transaction; its receipt is awaited.
	Broadcast {
		/// The destination chain.
		chain: Chain,
		/// The transaction hash on the destination chain.
		tx_hash: TxHash,
		/// The relayer that reported the broadcast.
		by: AccountId,
		/// The block in which the broadcast was reported.
		at: BlockNumber,
	},
	/// The transaction was included in a block of the destination chain.
	Included {
		/// The destination chain.
		chain: Chain,
		/// The transaction hash on the destination chain.
		tx_hash: TxHash,
		/// The destination chain's block number that includes the transaction.
		block: u64,
		/// Whether it succeeded (EVM: receipt status 1) or reverted.
		success: bool,
		/// The relayer that reported the inclusion.
		by: AccountId,
		/// The block in which the inclusion was reported.
		at: BlockNumber,
	},
	/// The broadcast failed for good; nothing will broadcast the transaction again.
	Failed {
		/// Why the broadcast failed.
		class: FailureClass,
		/// The node's error message or a description of the last failed attempt (UTF-8).
		message: Message,
		/// The relayer that reported the failure.
		by: AccountId,
		/// The block in which the failure was reported.
		at: BlockNumber,
	},
}

impl<AccountId, BlockNumber, Message> BroadcastStatus<AccountId, BlockNumber, Message> {
	/// The destination-chain transaction hash, once the transaction was accepted.
	pub fn tx_hash(&self) -> Option<&TxHash> {
		match self {
			BroadcastStatus::Broadcast { tx_hash, .. }
			| BroadcastStatus::Included { tx_hash, .. } => Some(tx_hash),
			BroadcastStatus::Failed { .. } => None,
		}
	}

	/// The same status with its message converted (e.g. from a bounded to a plain vector).
	pub fn map_message<Other>(
		self,
		convert: impl FnOnce(Message) -> Other,
	) -> BroadcastStatus<AccountId, BlockNumber, Other> {
		match self {
			BroadcastStatus::Broadcast { chain, tx_hash, by, at } => {
				BroadcastStatus::Broadcast { chain, tx_hash, by, at }
			}
			BroadcastStatus::Included { chain, tx_hash, block, success, by, at } => {
				BroadcastStatus::Included { chain, tx_hash, block, success, by, at }
			}
			BroadcastStatus::Failed { class, message, by, at } => {
				BroadcastStatus::Failed { class, message: convert(message), by, at }
			}
		}
	}
}

/// A broadcast status as the runtime API returns it (message as a plain byte vector).
pub type BroadcastStatusInfo<AccountId, BlockNumber> =
	BroadcastStatus<AccountId, BlockNumber, Vec<u8>>;
