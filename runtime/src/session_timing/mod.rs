//! # Session timing
//!
//! The length of a session and the number of sessions in a staking era, read by the session and
//! staking pallets. They are storage values set in genesis rather than constants so that one runtime
//! serves both the `--dev` chain (sessions of a minute, validator changes seen within minutes) and
//! longer-lived networks (hour-long sessions). Without a genesis value the defaults of the runtime's
//! configuration apply. The values can change only by a runtime upgrade (or `system.set_storage`
//! from root): a session length that changes while a session runs would move its end.

//!
//! It also **rotates the sessions**: pallet-session's own hook charges a whole block
//! (`max_block`) for every rotation, so that a session-change block could take no transaction.
//! Here the rotation runs in this pallet's `on_initialize` instead (pallet-session is told never
//! to end a session itself) and is charged the weight measured for it by this pallet's benchmark,
//! a whole era's rotations at the largest validator set. The on-chain staking election, which a
//! rotation may start, declares its own measured weight (`election_seq_phragmen`, see
//! `configs::staking`).

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod weights;

pub use pallet::*;
pub use weights::WeightInfo;

/// Ends sessions: whether a session ends at a block, and the rotation itself (pallet-session's).
pub trait SessionRotation<BlockNumber> {
	/// Whether the session ends at the start of block `now`.
	fn should_end_session(now: BlockNumber) -> bool;
	/// Ends the session: the next one starts with the queued validators.
	fn rotate_session();
}

#[frame_support::pallet]
pub mod pallet {
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::BlockNumberFor;
	use sp_runtime::traits::One;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// Blocks per session when genesis sets none.
		#[pallet::constant]
		type DefaultSessionLength: Get<BlockNumberFor<Self>>;
		/// Sessions per staking era when genesis sets none.
		#[pallet::constant]
		type DefaultSessionsPerEra: Get<u32>;
		/// Ends sessions (pallet-session, on the periodic schedule of this pallet's lengths).
		type SessionRotation: super::SessionRotation<BlockNumberFor<Self>>;
		/// Weights measured by this pallet's benchmarks (session rotation, staking election).
		type WeightInfo: super::WeightInfo;
	}

	/// Blocks per session, if genesis set it.
	#[pallet::storage]
	pub type SessionLength<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	/// Sessions per staking era, if genesis set it.
	#[pallet::storage]
	pub type SessionsPerEra<T: Config> = StorageValue<_, u32, OptionQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Blocks per session; `None` or zero: the runtime's default.
		pub session_length: Option<BlockNumberFor<T>>,
		/// Sessions per era; `None` or zero: the runtime's default.
		pub sessions_per_era: Option<u32>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(length) = self.session_length.filter(|length| !length.is_zero()) {
				SessionLength::<T>::put(length);
			}
			if let Some(sessions) = self.sessions_per_era.filter(|sessions| *sessions > 0) {
				SessionsPerEra::<T>::put(sessions);
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Rotates the session when it ends, charging the measured weight of a rotation.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			use super::{SessionRotation, WeightInfo};
			if T::SessionRotation::should_end_session(now) {
				T::SessionRotation::rotate_session();
				T::WeightInfo::rotate_session()
			} else {
				Weight::zero()
			}
		}

		fn integrity_test() {
			assert!(!T::DefaultSessionLength::get().is_zero(), "sessions last at least a block");
			assert!(T::DefaultSessionsPerEra::get() > 0, "eras last at least a session");
		}
	}

	/// The session length in effect: never zero, since sessions end when the block number is a
	/// multiple of it.
	pub struct SessionLengthOf<T>(PhantomData<T>);
	impl<T: Config> Get<BlockNumberFor<T>> for SessionLengthOf<T> {
		fn get() -> BlockNumberFor<T> {
			SessionLength::<T>::get().unwrap_or_else(T::DefaultSessionLength::get).max(One::one())
		}
	}

	/// The number of sessions per era in effect: never zero.
	pub struct SessionsPerEraOf<T>(PhantomData<T>);
	impl<T: Config> Get<u32> for SessionsPerEraOf<T> {
		fn get() -> u32 {
			SessionsPerEra::<T>::get().unwrap_or_else(T::DefaultSessionsPerEra::get).max(1)
		}
	}
}
