//! On-chain governance (OpenGov): token holders propose referenda and vote on them with conviction.
//!
//! - `origins`: the `ZenrockAdmin` origin, with which a passed referendum on the `zenrock_admin` track
//!   dispatches.
//! - `tracks`: the referendum tracks, `root` and `zenrock_admin`, with their deposits, periods and
//!   passing curves.
//! - [`parameters`]: the Zenrock values governance changes without a runtime upgrade, stored by
//!   pallet-parameters.
//!
//! The pallets' configuration is in `configs::governance`.

pub mod origins;
pub mod tracks;

use core::marker::PhantomData;
use frame_support::{
	dynamic_params::{dynamic_pallet_params, dynamic_params},
	traits::{EnsureOrigin, EnsureOriginWithArg, Get},
};
use frame_system::EnsureRoot;

use crate::{AccountId, Balance, BlockNumber, Runtime, RuntimeOrigin, DAYS, UNIT};

pub use origins::EnsureZenrockAdmin;

/// Root, or a referendum passed on the `zenrock_admin` track.
pub type RootOrZenrockAdmin =
	frame_support::traits::EitherOf<EnsureRoot<AccountId>, EnsureZenrockAdmin>;

#[dynamic_params(RuntimeParameters, pallet_parameters::Parameters::<Runtime>)]
pub mod parameters {
	use super::*;

	/// Values of the Zenrock pallets (identity, treasury, policy). Until governance sets one, the
	/// default below applies.
	#[dynamic_pallet_params]
	#[codec(index = 0)]
	pub mod zenrock {
		/// Held from a keyring's registrant (identity pallet), so that keyrings are not free spam.
		/// Applies to keyrings registered after the change.
		#[codec(index = 0)]
		pub static KeyringDeposit: Balance = 100 * UNIT;

		/// Blocks until an unanswered key or signature request expires and is refunded (treasury
		/// pallet), about an hour. Applies to requests made after the change; 0 acts as 1.
		#[codec(index = 1)]
		pub static RequestTimeout: BlockNumber = 600;

		/// Blocks an action under a policy without its own expiry waits for approvals (policy
		/// pallet), a day. Applies to actions created after the change; 0 acts as 1.
		#[codec(index = 2)]
		pub static DefaultActionExpiry: BlockNumber = DAYS;

		/// Blocks a decided key or signature request is kept in state after its deadline before
		/// the treasury removes it (its outcome stays in the events), a day.
		#[codec(index = 3)]
		pub static RequestRetention: BlockNumber = DAYS;
	}
}

/// The benchmark of `set_parameter` stores this value: the variant with the largest encoding.
#[cfg(feature = "runtime-benchmarks")]
impl Default for RuntimeParameters {
	fn default() -> Self {
		RuntimeParameters::Zenrock(parameters::zenrock::Parameters::KeyringDeposit(
			parameters::zenrock::KeyringDeposit,
			Some(UNIT),
		))
	}
}

/// Who may set a parameter: every parameter so far is a Zenrock value, which Root and the
/// `ZenrockAdmin` origin may set. Matching on the key makes a future Root-only parameter a
/// one-line change.
pub struct ParameterAdmin;

impl EnsureOriginWithArg<RuntimeOrigin, RuntimeParametersKey> for ParameterAdmin {
	type Success = ();

	fn try_origin(
		origin: RuntimeOrigin,
		key: &RuntimeParametersKey,
	) -> Result<Self::Success, RuntimeOrigin> {
		match key {
			RuntimeParametersKey::Zenrock(_) => {
				<RootOrZenrockAdmin as EnsureOrigin<RuntimeOrigin>>::try_origin(origin)
			}
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin(_key: &RuntimeParametersKey) -> Result<RuntimeOrigin, ()> {
		Ok(RuntimeOrigin::root())
	}
}

/// A number of blocks read from `Blocks`, never less than one: a timeout of zero blocks would
/// expire requests and actions in the block that creates them, and the pallets' integrity checks
/// refuse it. Governance can set 0; the pallets then see 1.
pub struct AtLeastOneBlock<Blocks>(PhantomData<Blocks>);

impl<Blocks: Get<BlockNumber>> Get<BlockNumber> for AtLeastOneBlock<Blocks> {
	fn get() -> BlockNumber {
		Blocks::get().max(1)
	}
}
