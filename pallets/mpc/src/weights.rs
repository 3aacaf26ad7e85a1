//! Weights of the MPC pallet.
//!
//! PROVISIONAL: these are estimates (storage accesses counted from the code, curve arithmetic
//! estimated from the frost crates' operation counts at about 50 µs per scalar multiplication in
//! WASM), not yet replaced by benchmark results: the pallet is not in the runtime yet, and its
//! weights are generated with `scripts/benchmark-pallets.sh` when it joins it.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions of `pallet_zenrock_mpc`.
pub trait WeightInfo {
	fn register_encryption_key() -> Weight;
	fn publish_commitments(c: u32) -> Weight;
	fn reset_commitments() -> Weight;
	fn submit_dkg_round1(n: u32) -> Weight;
	fn submit_dkg_round2(n: u32) -> Weight;
	fn confirm_dkg(n: u32) -> Weight;
	fn complain_dkg(n: u32) -> Weight;
	fn submit_signature_shares(n: u32, p: u32) -> Weight;
	fn on_initialize_deadlines(d: u32) -> Weight;
	fn key_requested(n: u32) -> Weight;
	fn signature_requested(n: u32, p: u32) -> Weight;
}

/// Scalar multiplications in WASM, estimated.
const SCALAR_MULTIPLICATION: u64 = 50_000_000;

/// Estimates with RocksDB weights (see the module docs).
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_encryption_key() -> Weight {
		Weight::from_parts(20_000_000, 3_500).saturating_add(T::DbWeight::get().writes(1))
	}
	fn publish_commitments(c: u32) -> Weight {
		// Two point decompressions per commitment.
		Weight::from_parts(30_000_000, 10_000)
			.saturating_add(
				Weight::from_parts(2 * SCALAR_MULTIPLICATION, 70).saturating_mul(c.into()),
			)
			.saturating_add(T::DbWeight::get().reads_writes(2, 1))
	}
	fn reset_commitments() -> Weight {
		Weight::from_parts(20_000_000, 10_000).saturating_add(T::DbWeight::get().writes(1))
	}
	fn submit_dkg_round1(n: u32) -> Weight {
		// Proof of knowledge (2 multiplications) + t decompressions; the last one computes the
		// group public data: n × t point additions and n verifying shares (n × t multiplications).
		let n = u64::from(n);
		Weight::from_parts(40_000_000, 40_000)
			.saturating_add(Weight::from_parts(
				SCALAR_MULTIPLICATION.saturating_mul(n * n + n + 2),
				1_200 * n,
			))
			.saturating_add(T::DbWeight::get().reads_writes(n + 2, 4))
	}
	fn submit_dkg_round2(n: u32) -> Weight {
		Weight::from_parts(30_000_000, 10_000)
			.saturating_add(Weight::from_parts(0, 80).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(2, 4))
	}
	fn confirm_dkg(n: u32) -> Weight {
		// The last confirmation creates the key in the treasury and moves n backups.
		let n = u64::from(n);
		Weight::from_parts(600_000_000, 20_000 + 2_000 * n)
			.saturating_add(T::DbWeight::get().reads_writes(3 * n + 12, 3 * n + 12))
	}
	fn complain_dkg(n: u32) -> Weight {
		let n = u64::from(n);
		Weight::from_parts(300_000_000, 20_000 + 2_000 * n)
			.saturating_add(T::DbWeight::get().reads_writes(3 * n + 8, 3 * n + 8))
	}
	fn submit_signature_shares(n: u32, p: u32) -> Weight {
		// The last signer's call aggregates (binding factors and t multiplications per payload),
		// lets the treasury verify (up to 1 ms per BIP-340 signature in WASM) and, if a share is
		// invalid, blames every signer (t + 3 multiplications each) and starts another attempt.
		let (n, p) = (u64::from(n), u64::from(p));
		Weight::from_parts(100_000_000, 20_000)
			.saturating_add(Weight::from_parts(
				SCALAR_MULTIPLICATION.saturating_mul(p * (2 * n + n * (n + 3)) + 20 * p),
				2_000 * n * p,
			))
			.saturating_add(T::DbWeight::get().reads_writes(3 * n + 12, 3 * n + 12))
	}
	fn on_initialize_deadlines(d: u32) -> Weight {
		// Each deadline may start another signing attempt (like signature_requested).
		Weight::from_parts(5_000_000, 1_000)
			.saturating_add(Self::signature_requested(32, 16).saturating_mul(d.into()))
			.saturating_add(T::DbWeight::get().reads_writes(2, 1))
	}
	fn key_requested(n: u32) -> Weight {
		let n = u64::from(n);
		Weight::from_parts(30_000_000, 10_000 + 1_000 * n)
			.saturating_add(T::DbWeight::get().reads_writes(3, n + 3))
	}
	fn signature_requested(n: u32, p: u32) -> Weight {
		let n = u64::from(n);
		Weight::from_parts(50_000_000, 10_000 + 9_000 * n)
			.saturating_add(Weight::from_parts(0, 70).saturating_mul(u64::from(p) * n))
			.saturating_add(T::DbWeight::get().reads_writes(3 * n + 3, 2 * n + 3))
	}
}

impl WeightInfo for () {
	fn register_encryption_key() -> Weight {
		Weight::from_parts(20_000_000, 3_500).saturating_add(RocksDbWeight::get().writes(1))
	}
	fn publish_commitments(c: u32) -> Weight {
		Weight::from_parts(30_000_000, 10_000).saturating_add(
			Weight::from_parts(2 * SCALAR_MULTIPLICATION, 70).saturating_mul(c.into()),
		)
	}
	fn reset_commitments() -> Weight {
		Weight::from_parts(20_000_000, 10_000)
	}
	fn submit_dkg_round1(n: u32) -> Weight {
		Weight::from_parts(40_000_000, 40_000).saturating_mul(n.into())
	}
	fn submit_dkg_round2(n: u32) -> Weight {
		Weight::from_parts(30_000_000, 10_000).saturating_mul(n.into())
	}
	fn confirm_dkg(n: u32) -> Weight {
		Weight::from_parts(600_000_000, 20_000).saturating_mul(n.into())
	}
	fn complain_dkg(n: u32) -> Weight {
		Weight::from_parts(300_000_000, 20_000).saturating_mul(n.into())
	}
	fn submit_signature_shares(n: u32, p: u32) -> Weight {
		Weight::from_parts(100_000_000, 20_000).saturating_mul(u64::from(n) * u64::from(p))
	}
	fn on_initialize_deadlines(d: u32) -> Weight {
		Weight::from_parts(5_000_000, 1_000).saturating_mul(d.into())
	}
	fn key_requested(n: u32) -> Weight {
		Weight::from_parts(30_000_000, 10_000).saturating_mul(n.into())
	}
	fn signature_requested(n: u32, p: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_mul(u64::from(n) * u64::from(p))
	}
}
