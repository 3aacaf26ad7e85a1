//! Weights of `session_timing`: the staking election, measured by its benchmark.
//!
//! Provisional until `scripts/benchmark-pallets.sh` regenerates this file.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `session_timing`.
pub trait WeightInfo {
	fn election_seq_phragmen(v: u32, t: u32, ) -> Weight;
}

/// Weights for `session_timing` measured on the machine named above.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn election_seq_phragmen(v: u32, t: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 0)
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(v.into()))
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(t.into()))
	}
}

// For tests
impl WeightInfo for () {
	fn election_seq_phragmen(v: u32, t: u32, ) -> Weight {
		Weight::from_parts(1_000_000_000, 0)
			.saturating_add(Weight::from_parts(100_000_000, 0).saturating_mul(v.into()))
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(t.into()))
	}
}
