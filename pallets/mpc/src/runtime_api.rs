//! Runtime API of the MPC pallet: what a party's node asks the chain about threshold ECDSA
//! ceremonies (its keyring engine's to-do list and the messages of a round).
//!
//! The runtime implements it with [`crate::Pallet::ecdsa_work`] (passing the threshold ECDSA
//! keyrings the party belongs to) and [`crate::Pallet::ceremony_bundles`], and `submit` with the
//! keyring controller's party submission (one nonce journal per party account).

use alloc::vec::Vec;
use codec::Codec;
use zenrock_primitives::ecdsa_view::{EcdsaCall, EcdsaSubmitError, EcdsaWork};

sp_api::decl_runtime_apis! {
	/// Queries of the MPC pallet for threshold ECDSA parties.
	pub trait ThresholdEcdsaApi<AccountId>
	where
		AccountId: Codec,
	{
		/// What the party's keyring engine has to do now.
		fn ecdsa_work(party: AccountId) -> EcdsaWork<AccountId>;

		/// The message bundles of a round of a ceremony, by sender position.
		fn ceremony_bundles(ceremony: u64, round: u8) -> Vec<(u16, Vec<u8>)>;

		/// Signs `call` with the party's key from the node's keystore and hands it to the
		/// node's transaction pool, with the nonce journal the party's off-chain worker uses.
		/// Only meaningful when the node calls it with its keystore, off-chain database and
		/// off-chain transaction pool registered (as GRANDPA's equivocation reports are sent).
		/// `pool_nonce`: the party's next nonce as the node's pool shows it (a floor).
		fn submit(party: AccountId, call: EcdsaCall, pool_nonce: u64) -> Result<(), EcdsaSubmitError>;
	}
}
