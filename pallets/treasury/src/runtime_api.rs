//! Runtime API of the treasury pallet: what clients, keyring controllers and relayers ask the
//! chain without scanning storage.
//!
//! The runtime implements it with the pallet's query functions, e.g.
//! `fn key_with_addresses(key: KeyId) -> ... { Treasury::key_with_addresses(key) }`.

use alloc::vec::Vec;
use codec::Codec;

use crate::types::{KeyWithAddresses, PendingRequests, SignedTransactionDetails};
use zenrock_primitives::{KeyId, KeyringId, RequestId};

sp_api::decl_runtime_apis! {
	/// Queries of the treasury pallet.
	pub trait TreasuryApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// Key key with its default addresses (format and text: EVM, Cosmos and SS58 for
		/// ECDSA keys; Bitcoin P2WPKH on mainnet, testnet and regtest for Bitcoin keys; Solana
		/// and SS58 for Ed25519 keys), or none if there is no such key.
		fn key_with_addresses(key: KeyId) -> Option<KeyWithAddresses<BlockNumber>>;

		/// The open key requests and open signature requests of keyring, oldest first, with
		/// what a keyring controller needs to answer them.
		fn pending_requests(keyring: KeyringId) -> PendingRequests<AccountId, BlockNumber>;

		/// The key one of whose default addresses is address (UTF-8 text; EVM addresses in any
		/// case, or as 20 raw bytes).
		fn key_by_address(address: Vec<u8>) -> Option<KeyId>;

		/// Fulfilled transaction-signature requests marked for broadcast that no relayer has
		/// reported yet, oldest first.
		fn awaiting_broadcast() -> Vec<RequestId>;

		/// The signed transaction of a fulfilled transaction-signature request, assembled from
		/// its unsigned transaction and verified signatures; none if the request is not a
		/// fulfilled transaction-signature request.
		fn signed_transaction(request: RequestId) -> Option<SignedTransactionDetails>;
	}
}
