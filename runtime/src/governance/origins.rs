//! The origins of governance besides Root. A referendum dispatches its call with the origin of its
//! track; pallets accept these origins where the runtime allows (see `configs`).

pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
	use frame_support::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// A governance origin, given to the call of a referendum passed on the matching track.
	#[derive(
		PartialEq, Eq, Clone, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// The `zenrock_admin` track: may change the Zenrock parameters (deposits, timeouts) and
		/// the relayer set, nothing that needs Root.
		ZenrockAdmin,
	}
}

/// Ensures the `ZenrockAdmin` origin.
pub struct EnsureZenrockAdmin;

impl<OuterOrigin> frame_support::traits::EnsureOrigin<OuterOrigin> for EnsureZenrockAdmin
where
	OuterOrigin: Into<Result<Origin, OuterOrigin>> + From<Origin>,
{
	type Success = ();

	fn try_origin(origin: OuterOrigin) -> Result<Self::Success, OuterOrigin> {
		match origin.into() {
			Ok(Origin::ZenrockAdmin) => Ok(()),
			Err(origin) => Err(origin),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<OuterOrigin, ()> {
		Ok(OuterOrigin::from(Origin::ZenrockAdmin))
	}
}
