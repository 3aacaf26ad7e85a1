//! Test support for the mock runtimes of the Zenrock pallets (a dev-dependency only, std only).
//!
//! - [`gate`]: a mock policy gate for pallets that submit calls to a
//!   [`PolicyGate`](zenrock_primitives::PolicyGate) and accept its approved origin (identity,
//!   treasury). It dispatches calls at once or keeps them pending until a test approves them, and
//!   records every submission.
//! - [`offchain`]: for pallets with an off-chain worker that submits signed transactions
//!   (keyring controller, relayer): the signing types of the test runtime
//!   ([`impl_signed_transactions!`]) and a test node ([`offchain::TestNode`]) with off-chain
//!   database, transaction pool and keystore, whose submitted transactions tests decode and check.
//! - [`ecdsa`] (feature `threshold-ecdsa`): threshold ECDSA as the nodes run it (cggmp24), for
//!   tests of the chain side.
//!
//! Each pallet's `mock.rs` keeps what only it needs and re-exports from here what its tests use,
//! bound to its own `Test` runtime.

#[cfg(feature = "threshold-ecdsa")]
pub mod ecdsa;
pub mod gate;
pub mod offchain;

/// Paths for [`impl_signed_transactions!`], which expands in the pallets' crates.
#[doc(hidden)]
pub mod __private {
	pub use frame_system;
	pub use sp_runtime;
}
