//! Runtime API of the relayer: the broadcast status of a request and the registered relayers.
//!
//! The runtime implements it with the pallet's query functions:
//! ```ignore
//! impl pallet_zenrock_relayer::RelayerApi<Block, AccountId, BlockNumber> for Runtime {
//!     fn broadcast_status(request: RequestId) -> Option<BroadcastStatusInfo<AccountId, BlockNumber>> {
//!         Relayer::broadcast_status(request)
//!     }
//!     fn relayers() -> Vec<AccountId> {
//!         Relayer::relayers()
//!     }
//! }
//! ```

use alloc::vec::Vec;
use codec::Codec;

use crate::types::BroadcastStatusInfo;
use zenrock_primitives::RequestId;

sp_api::decl_runtime_apis! {
	/// Queries of the relayer pallet.
	pub trait RelayerApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// The broadcast status of request: broadcast (with the destination chain and its
		/// transaction hash), included (with the destination block and success) or failed
		/// (with the class and message); none while no relayer has reported on it (or it is
		/// not a request for broadcast).
		fn broadcast_status(request: RequestId) -> Option<BroadcastStatusInfo<AccountId, BlockNumber>>;

		/// The registered relayers.
		fn relayers() -> Vec<AccountId>;
	}
}
