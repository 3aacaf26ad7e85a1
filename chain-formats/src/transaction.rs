//! Chain-independent entry points for transaction requests.
//!
//! A transaction signature request names a [`Chain`], a key and the unsigned transaction bytes.
//! [`parse_transaction`] validates the bytes and computes what must be signed, so the approvers
//! approve exactly what gets signed; [`assemble_signed_transaction`] lets a relayer turn the same
//! bytes plus the verified signatures into the raw transaction to broadcast.
//!
//! | chain | unsigned bytes | payloads to sign | key type |
//! | --- | --- | --- | --- |
//! | [`Chain::Evm`] | legacy RLP (6 or 9 fields) or `0x01`/`0x02` typed transaction ([`crate::evm`]) | one keccak256 prehash | secp256k1 |
//! | [`Chain::Bitcoin`] | SCALE [`BitcoinUnsignedTransaction`] ([`crate::bitcoin`]) | one sighash per input: BIP-143 (ECDSA key, P2WPKH) or BIP-341 key path (Taproot key, P2TR) | Bitcoin ECDSA or Taproot |
//! | [`Chain::Solana`] | a serialized legacy or v0 message ([`crate::solana`]) | the message itself | Ed25519 |
//!
//! `value`, `recipient` and `fee` are in the chain's base unit (wei, satoshi, lamport); see
//! [`ParsedTransaction`] for what they mean per chain.

use alloc::{string::String, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::{
	bitcoin::{self, BitcoinNetwork, BitcoinUnsignedTransaction, Spender},
	evm, signature, solana, taproot,
	token::TokenMovement,
	Error, PublicKey,
};

/// The destination chain of a transaction request (wallet type plus chain id or network).
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
pub enum Chain {
	/// An EVM chain with its EIP-155 chain id (1 for Ethereum mainnet); must not be 0.
	Evm {
		/// The EIP-155 chain id.
		chain_id: u64,
	},
	/// Bitcoin on the given network (used to render the recipient address).
	Bitcoin {
		/// The network.
		network: BitcoinNetwork,
	},
	/// Solana (any cluster: the message itself carries no cluster).
	Solana,
}

impl Chain {
	/// The chain's CAIP-2 id, as policies read it in `tx.chain`: `eip155:<chain id>`,
	/// `bip122:<first 16 bytes of the genesis block hash>` (mainnet, testnet3, regtest), and
	/// `solana` (a message names no cluster).
	pub fn caip2(&self) -> String {
		match self {
			Chain::Evm { chain_id } => alloc::format!("eip155:{chain_id}"),
			Chain::Bitcoin { network } => {
				let genesis = match network {
					BitcoinNetwork::Mainnet => "000000000019d6689c085ae165831e93",
					BitcoinNetwork::Testnet => "000000000933ea01ad0ee984209779ba",
					BitcoinNetwork::Regtest => "0f9188f13cb7b2c71f2a335e3a4fc328",
				};
				alloc::format!("bip122:{genesis}")
			}
			Chain::Solana => String::from("solana"),
		}
	}
}

/// One thing a keyring must sign.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum SignPayload {
	/// A 32-byte prehash, signed by a secp256k1 key without further hashing.
	Prehash([u8; 32]),
	/// A message, signed by an Ed25519 key.
	Message(Vec<u8>),
}

impl SignPayload {
	/// The bytes handed to the signer and to [`signature::verify_signature`].
	pub fn as_bytes(&self) -> &[u8] {
		match self {
			SignPayload::Prehash(hash) => hash,
			SignPayload::Message(message) => message,
		}
	}
}

/// How a [`Preimage`] is hashed into the 32-byte payload an ECDSA key signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub enum PreimageHash {
	/// Keccak-256 (EVM transactions).
	Keccak256,
	/// SHA-256 of SHA-256 (Bitcoin BIP-143 sighashes).
	Sha256d,
}

/// The message whose hash an ECDSA payload is. Threshold ECDSA signers sign from presignatures,
/// which is safe only for a digest they computed themselves from its message (a chosen raw hash
/// allows forgeries), so they are given the preimage and hash it themselves.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct Preimage {
	/// How the payload is computed from [`Self::bytes`].
	pub hash: PreimageHash,
	/// The message.
	pub bytes: Vec<u8>,
}

impl Preimage {
	/// The payload: the hash of the message.
	pub fn digest(&self) -> [u8; 32] {
		match self.hash {
			PreimageHash::Keccak256 => crate::hashing::keccak256(&self.bytes),
			PreimageHash::Sha256d => crate::hashing::sha256d(&self.bytes),
		}
	}
}

/// What a request's unsigned transaction means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedTransaction {
	/// What the keyring must sign, in order: one payload for EVM and Solana, one per input for
	/// Bitcoin. Signatures are returned in the same order.
	pub payloads_to_sign: Vec<SignPayload>,
	/// For ECDSA signatures (EVM, Bitcoin P2WPKH), the message each payload is the hash of, in
	/// the same order; empty for Taproot and Solana, whose signers need no preimage.
	pub preimages: Vec<Preimage>,
	/// The native amount leaving the signer's account, when the format states it:
	/// - EVM: the transaction's `value` in wei (token transfers inside `data` are not counted);
	/// - Bitcoin: the sum of outputs not paying back to the signer's own P2WPKH script (change
	///   excluded), in satoshi;
	/// - Solana: the lamports of System Program `Transfer` / `CreateAccount` instructions funded
	///   by the signer; `None` when another program receives the signer's account (it could move
	///   lamports by cross-program invocation) or a System instruction is not interpreted.
	pub value: Option<u128>,
	/// Where the value goes, in the chain's usual text form, when there is exactly one
	/// destination: EVM `to` (EIP-55; `None` for contract creation); the one non-change Bitcoin
	/// output script's address; the one Solana transfer recipient (base58).
	pub recipient: Option<String>,
	/// The fee: exact for Bitcoin (inputs − outputs); the maximum `gas × gasPrice` (or
	/// `maxFeePerGas`) for EVM; for Solana the base fee of its signatures (5,000 lamports each;
	/// a priority fee set through the Compute Budget program is not counted).
	pub fee: Option<u128>,
	/// What kind of transaction this is, for policies.
	pub kind: TransactionKind,
	/// The token movement, when the transaction is an ERC-20 call or has exactly one SPL Token
	/// transfer or approval (see [`crate::token`]); `None` otherwise.
	pub token: Option<TokenMovement>,
}

/// What a transaction does, as far as the chain can tell (the policy fact `tx.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransactionKind {
	/// It moves only the chain's coin: an EVM transaction without calldata, a Bitcoin spend, a
	/// Solana message whose signer's lamports move only through System transfers.
	Transfer,
	/// It transfers tokens ([`ParsedTransaction::token`]).
	TokenTransfer,
	/// It lets a spender move tokens ([`ParsedTransaction::token`]).
	TokenApproval,
	/// Anything else: a contract call or creation, other Solana programs.
	Call,
	/// An EIP-191 `personal_sign` message.
	Message,
	/// EIP-712 typed data that is not a permit.
	TypedData,
}

impl TransactionKind {
	/// The text policies read as `tx.kind`.
	pub fn as_str(self) -> &'static str {
		match self {
			TransactionKind::Transfer => "transfer",
			TransactionKind::TokenTransfer => "token_transfer",
			TransactionKind::TokenApproval => "token_approval",
			TransactionKind::Call => "call",
			TransactionKind::Message => "message",
			TransactionKind::TypedData => "typed_data",
		}
	}

	/// The kind of a transaction with `token` movement, or else the given kind.
	pub fn of(token: Option<&TokenMovement>, otherwise: TransactionKind) -> TransactionKind {
		match token.map(|movement| movement.action) {
			Some(crate::token::TokenAction::Transfer) => TransactionKind::TokenTransfer,
			Some(crate::token::TokenAction::Approval) => TransactionKind::TokenApproval,
			None => otherwise,
		}
	}
}

/// A signed transaction ready to broadcast.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedTransaction {
	/// The raw transaction bytes (EVM: for `eth_sendRawTransaction`; Bitcoin: for
	/// `sendrawtransaction`; Solana: for `sendTransaction`, base58/base64-encode them).
	pub raw: Vec<u8>,
	/// The transaction id: the EVM transaction hash; the Bitcoin txid in display byte order
	/// (reversed SHA-256d); the Solana transaction signature.
	pub id: Vec<u8>,
	/// `id` in the chain's usual text form (`0x`-hex for EVM, hex for Bitcoin, base58 for Solana).
	pub id_text: String,
}

/// Parses a request's unsigned transaction for `chain`, signed by `key`.
///
/// Refuses keys of the wrong type ([`Error::KeyTypeMismatch`]): EVM needs a secp256k1 ECDSA key,
/// Bitcoin a secp256k1 ECDSA or Taproot key, Solana an Ed25519 key.
pub fn parse_transaction(
	chain: &Chain,
	key: &PublicKey,
	unsigned: &[u8],
) -> Result<ParsedTransaction, Error> {
	match chain {
		Chain::Evm { chain_id } => {
			key.require_secp256k1()?;
			evm::parse(unsigned, *chain_id)?.summary()
		}
		Chain::Bitcoin { network } => {
			let spender = Spender::from_key(key)?;
			let request = BitcoinUnsignedTransaction::decode_request(unsigned)?;
			bitcoin::parse(&request, spender, *network).map(|transaction| transaction.summary())
		}
		Chain::Solana => {
			let signer = key.require_ed25519()?;
			solana::parse_message(unsigned)?.summary(signer, unsigned)
		}
	}
}

/// Assembles the signed transaction from the request's unsigned bytes and the signatures of the
/// payloads [`parse_transaction`] returned (same order). Every signature is verified against
/// `key` first, so a relayer never broadcasts a transaction with a wrong signature.
pub fn assemble_signed_transaction<S: AsRef<[u8]>>(
	chain: &Chain,
	key: &PublicKey,
	unsigned: &[u8],
	signatures: &[S],
) -> Result<SignedTransaction, Error> {
	match chain {
		Chain::Evm { chain_id } => {
			let transaction = evm::parse(unsigned, *chain_id)?;
			let [signature] = signatures else { return Err(Error::SignatureCountMismatch) };
			let verified =
				signature::verify_secp256k1(key, &transaction.signing_hash(), signature.as_ref())?;
			Ok(transaction.assemble(&verified))
		}
		Chain::Bitcoin { network } => {
			let spender = Spender::from_key(key)?;
			let request = BitcoinUnsignedTransaction::decode_request(unsigned)?;
			let transaction = bitcoin::parse(&request, spender, *network)?;
			if signatures.len() != transaction.sighashes.len() {
				return Err(Error::SignatureCountMismatch);
			}
			let signed = transaction.sighashes.iter().zip(signatures);
			match spender {
				Spender::P2wpkh(_) => {
					let verified = signed
						.map(|(sighash, signature)| {
							signature::verify_secp256k1(key, sighash, signature.as_ref())
						})
						.collect::<Result<Vec<_>, Error>>()?;
					transaction.assemble(&verified)
				}
				Spender::Taproot(output_key) => {
					let verified = signed
						.map(|(sighash, signature)| {
							let signature = signature.as_ref();
							taproot::verify_bip340(&output_key, sighash, signature)?;
							signature.try_into().map_err(|_| Error::InvalidSignatureLength)
						})
						.collect::<Result<Vec<[u8; 64]>, Error>>()?;
					transaction.assemble_taproot(&verified)
				}
			}
		}
		Chain::Solana => {
			let signer = key.require_ed25519()?;
			let message = solana::parse_message(unsigned)?;
			let [signature] = signatures else { return Err(Error::SignatureCountMismatch) };
			signature::verify_ed25519(signer, unsigned, signature.as_ref())?;
			message.assemble(signer, unsigned, signature.as_ref())
		}
	}
}
