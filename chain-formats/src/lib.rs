//! # Zenrock chain formats
//!
//! Everything the Zenrock chain, its off-chain workers and its tests need to know about the
//! *destination* chains whose keys the keyrings hold: which public keys are well formed, which
//! addresses a key has, what exactly must be signed for an unsigned transaction, whether a
//! signature a keyring returned is valid, and how a relayer turns an unsigned transaction plus
//! signatures into the raw transaction it broadcasts.
//!
//! The crate is `no_std` (with `alloc`) so the runtime uses the same code as the node side. Every
//! function taking bytes from outside is total: malformed input yields a typed [`Error`], never a
//! panic (no indexing, slicing or unchecked arithmetic on untrusted data).
//!
//! ## Modules
//! - [`keys`]: [`KeyType`] (ECDSA secp256k1, Ed25519, Bitcoin secp256k1) and [`PublicKey`], the
//!   validated key. secp256k1 keys are stored in ONE form, compressed SEC1 (33 bytes); 65-byte
//!   uncompressed input is accepted and normalised. Ed25519 keys are 32-byte canonical encodings
//!   of a point that is not of small order.
//! - [`address`]: addresses derived from a key: EVM (EIP-55 checksummed), Bitcoin P2WPKH (bech32,
//!   mainnet `bc` / testnet `tb` / regtest `bcrt`), Solana (base58), Cosmos (bech32, any prefix) and
//!   Substrate SS58 (any prefix); plus EVM address parsing with checksum validation.
//! - [`evm`]: unsigned legacy (EIP-155), EIP-2930 and EIP-1559 transactions: parsing, the
//!   signing hash, and signed-transaction assembly with the transaction hash.
//! - [`bitcoin`]: segwit v0 spends of P2WPKH outputs: the request format
//!   ([`bitcoin::BitcoinUnsignedTransaction`]: raw unsigned transaction plus the outputs it spends),
//!   BIP-143 sighashes per input, and witness assembly.
//! - [`solana`]: legacy and v0 messages: structural validation, System Program transfer
//!   extraction, and signed-transaction assembly. The message bytes themselves are what is signed.
//! - [`message`]: EIP-191 `personal_sign` and EIP-712 typed-data messages: the digest, its
//!   preimage, and the facts of permits (token, amount, spender).
//! - [`token`]: token movements inside transactions (ERC-20 calls, SPL Token instructions):
//!   token, amount, recipient or spender, for policies.
//! - [`signature`]: verification of ECDSA secp256k1 (65-byte `r || s || v` over a 32-byte prehash,
//!   low-S, recovery id), Bitcoin strict-DER ECDSA (low-S) and Ed25519 signatures.
//! - [`transaction`]: the chain-independent entry points the treasury pallet and the relayer call:
//!   [`Chain`], [`parse_transaction`] → [`ParsedTransaction`] (payloads to sign, value,
//!   recipient, fee) and [`assemble_signed_transaction`] → [`SignedTransaction`].
//!
//! ## Hashing and signature back ends
//! Keccak-256, SHA-256 and BLAKE2b-256 go through `sp_io::hashing`, and secp256k1 recovery and
//! Ed25519 verification through `sp_io::crypto`: inside the WASM runtime these are host functions
//! executed natively by the node (tens of times faster than interpreting a pure-Rust curve
//! implementation, which matters because the treasury verifies every signature on chain and is
//! benchmarked for it); outside a runtime (`std`) the same calls run the same native code
//! directly, without needing externalities. `k256` is used only for point decompression,
//! scalar range checks and DER parsing; `curve25519-dalek` only for Ed25519 point validation.
//!
//! ## Building for the runtime
//! `cargo check --release -p zenrock-chain-formats --no-default-features --target wasm32v1-none`
//! must be run with `RUSTFLAGS="--cfg substrate_runtime"`, as `substrate-wasm-builder` does for
//! the runtime: without that cfg, `sp-io` compiles its native host-function implementations
//! (including the C `secp256k1` library, which needs clang for a WASM target) into the WASM.
//!
//! ## Fuzzing
//! Each transaction parser ([`evm::parse`], [`bitcoin::parse`], [`solana::parse_message`] and
//! the top-level [`parse_transaction`] / [`assemble_signed_transaction`]) has a property test in
//! `tests/fuzz.rs` that feeds it hundreds of thousands of seeded random and mutated inputs (byte
//! flips, truncations, insertions, length-prefix corruption of valid transactions) and asserts
//! it returns without panicking. The PRNG seed is fixed so failures reproduce; raise
//! `ZENROCK_FUZZ_ITERATIONS` to run longer.

#![cfg_attr(not(feature = "std"), no_std)]
// Untrusted bytes reach every parser: the library code may not panic, index, slice or overflow.
#![deny(
	clippy::arithmetic_side_effects,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::panic,
	clippy::unreachable,
	clippy::unwrap_used
)]

extern crate alloc;

pub mod address;
pub mod bitcoin;
mod error;
pub mod evm;
mod hashing;
pub mod keys;
pub mod message;
pub mod signature;
pub mod solana;
pub mod taproot;
pub mod token;
pub mod transaction;

pub use address::{derive_address, AddressFormat};
pub use bitcoin::BitcoinNetwork;
pub use error::Error;
pub use keys::{KeyType, PublicKey};
pub use transaction::{
	assemble_signed_transaction, parse_transaction, Chain, ParsedTransaction, Preimage,
	PreimageHash, SignPayload, SignedTransaction, TransactionKind,
};
