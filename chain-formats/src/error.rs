//! The one error type of the crate.

use core::fmt;

/// Why a key, address, transaction or signature was refused.
///
/// The variants are plain data (no strings) so the runtime can map them to pallet errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
	// Keys.
	/// The public key has the wrong length for its key type.
	InvalidKeyLength,
	/// The public key bytes are not a valid point (or a small-order / non-canonical one).
	InvalidKeyPoint,
	/// The operation does not apply to this key type (e.g. a Solana address of a secp256k1 key).
	KeyTypeMismatch,

	// Addresses.
	/// The address prefix (bech32 human-readable part, SS58 prefix) is not allowed.
	InvalidAddressPrefix,
	/// The address text is malformed.
	InvalidAddress,
	/// The address has mixed case that is not its EIP-55 checksum.
	InvalidAddressChecksum,

	// Signatures.
	/// The signature has the wrong length for its format.
	InvalidSignatureLength,
	/// The recovery id (`v`) is not one of 0, 1, 27, 28.
	InvalidRecoveryId,
	/// `r` or `s` is zero or not below the curve order, or the DER encoding is not strict.
	InvalidSignatureEncoding,
	/// `s` is in the upper half of the curve order (malleable signature).
	HighS,
	/// The signature is well formed but not valid for this key and payload.
	SignatureMismatch,
	/// The payload does not fit the key type (secp256k1 keys sign 32-byte hashes).
	InvalidPayload,

	// Transactions (general).
	/// The transaction ended before a field was complete.
	UnexpectedEnd,
	/// Bytes remain after the end of the transaction.
	TrailingBytes,
	/// A length or count is not in its canonical (minimal) encoding.
	NonCanonicalEncoding,
	/// A field holds a value outside its allowed range.
	FieldOutOfRange,
	/// A sum of amounts overflowed.
	AmountOverflow,
	/// The number of signatures does not match the number of payloads.
	SignatureCountMismatch,

	// EVM.
	/// The RLP encoding is malformed (bad header, list where a string is expected, ...).
	InvalidRlp,
	/// The transaction type byte is not legacy, EIP-2930 or EIP-1559.
	UnsupportedTransactionType,
	/// The list has the wrong number of fields for its transaction type.
	WrongFieldCount,
	/// The chain id in the transaction differs from the chain id of the request.
	ChainIdMismatch,
	/// A legacy transaction in the 9-field form does not end with `chainId, 0, 0`.
	InvalidLegacySigningFields,

	// Tokens.
	/// The calldata has an ERC-20 selector (or the instruction is an SPL Token transfer or
	/// approval) but is not exactly its encoding: wrong length, dirty address bits, too few
	/// accounts.
	MalformedTokenCall,

	// Messages.
	/// A personal_sign message is empty.
	EmptyMessage,
	/// The typed data is not valid EIP-712 JSON (types, primaryType, domain and message, with
	/// values matching their types), or its primary type is EIP712Domain.
	InvalidTypedData,
	/// The typed data's domain has fields other than name, version, chainId,
	/// verifyingContract and salt, or types.EIP712Domain does not list exactly its fields in
	/// that order with their standard types.
	NonCanonicalDomain,

	// Bitcoin.
	/// The transaction has no inputs or no outputs.
	NoInputsOrOutputs,
	/// The number of spent outputs differs from the number of inputs.
	SpentOutputCountMismatch,
	/// A spent output is not a P2WPKH output of the signing key.
	ForeignInput,
	/// An input carries a scriptSig or witness data although the transaction is unsigned.
	InputNotEmpty,
	/// The outputs spend more than the inputs hold.
	OutputsExceedInputs,
	/// The request is not a valid SCALE-encoded `BitcoinUnsignedTransaction`.
	InvalidRequestEncoding,

	// Solana.
	/// The message header is inconsistent with its account keys.
	InvalidMessageHeader,
	/// An instruction refers to an account index that does not exist.
	AccountIndexOutOfRange,
	/// The same account key is listed twice.
	DuplicateAccountKey,
	/// The signing key is not one of the message's required signers.
	SignerNotFound,
	/// Assembly needs a message with the signing key as its only signer.
	MultipleSignersUnsupported,
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		fmt::Debug::fmt(self, f)
	}
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
