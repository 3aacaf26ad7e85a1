//! Unit tests of the treasury pallet.

use crate::{
	mock::*,
	test_transactions::{eip1559_transaction, eip1559_transaction_of_length},
	Answer, AwaitingBroadcast, BroadcastInfo, Chain, Error, Event, ExpiryQueue, ExpiryQueueEnds,
	Key, KeyByAddress, KeyRequests, KeyType, Keys, NextRequestId, NextRequestToPrune,
	OpenKeyRequestCount, OwedKeyringFees, PayloadsOf, PendingKeyRequests, PendingSignRequests,
	ReasonOf, RequestKind, RequestStatus, Response, SignPayloads, SignRequests, SignaturesOf,
	Spending, TransactionSummary, UnsignedTransactions, WorkspaceKeys, WorkspacesWithKeys,
	CONFLICTING_ANSWERS_REASON,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, Contains, Hooks},
	BoundedVec,
};
use sp_core::{ecdsa, ed25519, Pair as _};
use sp_runtime::{traits::BadOrigin, DispatchError};
use zenrock_chain_formats::{
	address::AddressFormat, signature::parse_recoverable, BitcoinNetwork, PublicKey,
};
use zenrock_primitives::{Approval, KeyId, PolicyContext, PolicyId, RequestId, WorkspaceId};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// Owners of workspace `WS`.
const OWNER: AccountId = 1;
const OWNER_2: AccountId = 2;
/// Parties of keyring `KR`.
const PARTY_A: AccountId = 4;
const PARTY_B: AccountId = 5;
const PARTY_C: AccountId = 6;
/// Neither owner nor party.
const OUTSIDER: AccountId = 9;

const WS: WorkspaceId = 0;
const OTHER_WS: WorkspaceId = 1;
const KR: KeyringId = 0;
const KEY_FEE: Balance = 20;
const SIGN_FEE: Balance = 10;

use zenrock_primitives::KeyringId;

// EIP-155 example: key 0x4646…46, nonce 9, gasPrice 20 gwei, gas 21000, to 0x3535…35, value
// 1 ether, chain 1 (9-field signing form), its signing hash and the published signed transaction.
const EIP155_SIGNING_DATA: &str =
	"ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080";
const EIP155_SIGNING_HASH: &str =
	"daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53";
const EIP155_SIGNED: &str = "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";
const EIP155_ADDRESS: &str = "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F";
const ONE_ETHER: u128 = 1_000_000_000_000_000_000;

fn hex(text: &str) -> Vec<u8> {
	(0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

fn to_hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn approved(
	workspace: WorkspaceId,
	policy: Option<PolicyId>,
	requester: AccountId,
) -> RuntimeOrigin {
	approved_origin(Approval { workspace, policy, requester, action: None })
}

/// The EIP-155 example key.
fn eip155_pair() -> ecdsa::Pair {
	ecdsa::Pair::from_seed(&[0x46; 32])
}

fn ecdsa_pair(seed: u8) -> ecdsa::Pair {
	ecdsa::Pair::from_seed(&[seed; 32])
}

fn ed25519_pair(seed: u8) -> ed25519::Pair {
	ed25519::Pair::from_seed(&[seed; 32])
}

fn submitted(bytes: &[u8]) -> Vec<u8> {
	bytes.to_vec()
}

fn ecdsa_public(pair: &ecdsa::Pair) -> Vec<u8> {
	submitted(&pair.public().0)
}

fn ed25519_public(pair: &ed25519::Pair) -> Vec<u8> {
	submitted(&pair.public().0)
}

/// Payloads as a call takes them.
fn payloads(items: &[Vec<u8>]) -> Vec<Vec<u8>> {
	items.to_vec()
}

/// Payloads as the treasury stores them.
fn stored_payloads(items: &[Vec<u8>]) -> PayloadsOf<Test> {
	let inner: Vec<BoundedVec<u8, MaxPayloadLength>> =
		items.iter().map(|p| p.clone().try_into().expect("payload within bound")).collect();
	inner.try_into().expect("payload count within bound")
}

/// Signatures as a call takes them.
fn sigs(items: &[Vec<u8>]) -> Vec<Vec<u8>> {
	items.to_vec()
}

/// Signatures as the treasury stores them.
fn stored_sigs(items: &[Vec<u8>]) -> SignaturesOf<Test> {
	let inner: Vec<crate::Signature> =
		items.iter().map(|s| s.clone().try_into().expect("signature within 72 bytes")).collect();
	inner.try_into().expect("signature count within bound")
}

/// A rejection reason as a call takes it.
fn reason(text: &[u8]) -> Vec<u8> {
	text.to_vec()
}

/// A rejection reason as events carry it.
fn stored_reason(text: &[u8]) -> ReasonOf<Test> {
	text.to_vec().try_into().expect("reason within bound")
}

fn transaction(bytes: Vec<u8>) -> Vec<u8> {
	bytes
}

fn treasury_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Treasury(event) => Some(event),
			_ => None,
		})
		.collect()
}

fn last_event() -> Event<Test> {
	treasury_events().pop().expect("a treasury event")
}

fn has_event(event: Event<Test>) -> bool {
	treasury_events().contains(&event)
}

/// The fees escrowed for `who`'s open requests.
fn held(who: AccountId) -> Balance {
	let open_fee = |requester: AccountId, status: RequestStatus, fee: Balance| {
		if requester == who && status.is_open() {
			fee
		} else {
			0
		}
	};
	KeyRequests::<Test>::iter()
		.map(|(_, r)| open_fee(r.requester, r.status, r.fee))
		.sum::<Balance>()
		+ SignRequests::<Test>::iter()
			.map(|(_, r)| open_fee(r.requester, r.status, r.fee))
			.sum::<Balance>()
}

/// The stored signatures of a fulfilled signature request.
fn stored_signatures(request: RequestId) -> Option<SignaturesOf<Test>> {
	SignRequests::<Test>::get(request).and_then(|r| r.signatures)
}

fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

/// The expiry queue, oldest first: (kind, request, deadline).
fn queued() -> Vec<(RequestKind, RequestId, u64)> {
	let ends = ExpiryQueueEnds::<Test>::get();
	(ends.oldest..ends.next)
		.map(|position| {
			let entry = ExpiryQueue::<Test>::get(position).expect("no holes in the queue");
			(entry.kind, entry.request, entry.expires_at)
		})
		.collect()
}

fn last_id() -> RequestId {
	NextRequestId::<Test>::get() - 1
}

/// Workspace `WS` owned by `OWNER` and `OWNER_2` (default policy), workspace `OTHER_WS` owned by
/// `OUTSIDER`, and keyring `KR` with `parties` and `threshold`.
fn setup(parties: &[AccountId], threshold: u32) {
	set_workspace(WS, vec![OWNER, OWNER_2], None);
	set_workspace(OTHER_WS, vec![OUTSIDER], None);
	set_keyring(KR, parties.to_vec(), threshold, KEY_FEE, SIGN_FEE);
}

/// One party, threshold 1.
fn setup_single() {
	setup(&[PARTY_A], 1);
}

/// Three parties, threshold 2.
fn setup_two_of_three() {
	setup(&[PARTY_A, PARTY_B, PARTY_C], 2);
}

/// `OWNER` requests a key of `key_type` (default policies); returns the request id.
fn request_key(key_type: KeyType) -> RequestId {
	assert_ok!(Treasury::request_key(signed(OWNER), WS, KR, key_type, None, Balance::MAX, None));
	last_id()
}

/// Create a key with every party of the single-party keyring answering `public_key`.
fn create_key(key_type: KeyType, public_key: Vec<u8>) -> KeyId {
	let request = request_key(key_type);
	assert_ok!(Treasury::fulfil_key_request(signed(PARTY_A), request, public_key));
	assert!(Keys::<Test>::contains_key(request));
	request
}

/// The EIP-155 example key as an ECDSA key of `WS` (single-party keyring).
fn create_eip155_key() -> KeyId {
	create_key(KeyType::EcdsaSecp256k1, ecdsa_public(&eip155_pair()))
}

fn request_signature(key: KeyId, items: &[Vec<u8>]) -> RequestId {
	assert_ok!(Treasury::request_signature(
		signed(OWNER),
		key,
		payloads(items),
		Balance::MAX,
		None
	));
	last_id()
}

fn status_of_key_request(request: RequestId) -> RequestStatus {
	KeyRequests::<Test>::get(request).expect("key request").status
}

fn status_of_sign_request(request: RequestId) -> RequestStatus {
	SignRequests::<Test>::get(request).expect("signature request").status
}

fn run_to_block(target: u64) {
	let mut block = System::block_number();
	while block < target {
		block += 1;
		System::set_block_number(block);
		Treasury::on_initialize(block);
	}
}

fn prehash(seed: u8) -> [u8; 32] {
	sp_io::hashing::blake2_256(&[seed])
}

// ---------------------------------------------------------------------------------------------
// request_key
// ---------------------------------------------------------------------------------------------

#[test]
fn request_key_works() {
	build_and_execute(|| {
		setup_single();
		assert_ok!(Treasury::request_key(
			signed(OWNER),
			WS,
			KR,
			KeyType::EcdsaSecp256k1,
			None,
			Balance::MAX,
			None
		));
		let request = last_id();
		assert_eq!(request, 0);
		let req = KeyRequests::<Test>::get(request).unwrap();
		assert_eq!(req.workspace, WS);
		assert_eq!(req.keyring, KR);
		assert_eq!(req.key_type, KeyType::EcdsaSecp256k1);
		assert_eq!(req.sign_policy, None);
		assert_eq!(req.requester, OWNER);
		assert_eq!(req.fee, KEY_FEE);
		assert_eq!(req.party_threshold, 1);
		assert_eq!(req.status, RequestStatus::Pending);
		assert_eq!(req.created_at, 1);
		assert_eq!(req.expires_at, 1 + REQUEST_TIMEOUT);
		assert!(req.responses.is_empty());
		assert_eq!(
			last_event(),
			Event::KeyRequested {
				request,
				workspace: WS,
				keyring: KR,
				key_type: KeyType::EcdsaSecp256k1,
				requester: OWNER,
				fee: KEY_FEE,
				expires_at: 11,
				memo: Default::default(),
			}
		);
		// The fee is escrowed from the requester.
		assert_eq!(held(OWNER), KEY_FEE);
		assert_eq!(free(OWNER), INITIAL_BALANCE - KEY_FEE);
		// Indexes.
		assert!(PendingKeyRequests::<Test>::contains_key(KR, request));
		assert_eq!(OpenKeyRequestCount::<Test>::get(WS), Some(1));
		assert_eq!(queued(), vec![(RequestKind::Key, request, 11)]);
		// Gated by the workspace's sign policy (the default one), without a value.
		assert_eq!(
			submissions(),
			vec![Submission {
				requester: OWNER,
				workspace: WS,
				policy: None,
				context: PolicyContext::default()
			}]
		);
	});
}

#[test]
fn request_ids_are_sequential_across_kinds() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		assert_eq!(key, 0);
		let sign = request_signature(key, &[prehash(1).to_vec()]);
		assert_eq!(sign, 1);
		assert_eq!(request_key(KeyType::Ed25519), 2);
		// An id names one request: a key request id is not a signature request.
		assert_noop!(
			Treasury::fulfil_signature_request(signed(PARTY_A), 2, sigs(&[vec![0; 65]])),
			Error::<Test>::UnknownRequest
		);
		assert_noop!(
			Treasury::fulfil_key_request(signed(PARTY_A), 1, ed25519_public(&ed25519_pair(1))),
			Error::<Test>::UnknownRequest
		);
	});
}

#[test]
fn request_key_with_key_policy_works() {
	build_and_execute(|| {
		setup_single();
		set_policy(3, vec![OWNER, OWNER_2]);
		assert_ok!(Treasury::request_key(
			signed(OWNER),
			WS,
			KR,
			KeyType::Ed25519,
			Some(3),
			Balance::MAX,
			None
		));
		assert_eq!(KeyRequests::<Test>::get(last_id()).unwrap().sign_policy, Some(3));
		// The request itself is still gated by the workspace's sign policy.
		assert_eq!(submissions()[0].policy, None);
	});
}

#[test]
fn request_key_refuses_unknown_workspace_and_non_owners() {
	build_and_execute(|| {
		setup_single();
		assert_noop!(
			Treasury::request_key(signed(OWNER), 7, KR, KeyType::Ed25519, None, Balance::MAX, None),
			Error::<Test>::UnknownWorkspace
		);
		assert_noop!(
			Treasury::request_key(
				signed(OUTSIDER),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Treasury::request_key(
				signed(PARTY_A),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Treasury::request_key(
				RuntimeOrigin::none(),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			BadOrigin
		);
		assert_noop!(
			Treasury::request_key(
				RuntimeOrigin::root(),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			BadOrigin
		);
		assert!(submissions().is_empty());
	});
}

#[test]
fn request_key_refuses_keyrings_that_cannot_serve() {
	build_and_execute(|| {
		setup_single();
		assert_noop!(
			Treasury::request_key(signed(OWNER), WS, 9, KeyType::Ed25519, None, Balance::MAX, None),
			Error::<Test>::UnknownKeyring
		);
		update_keyring(KR, |k| k.is_active = false);
		assert_noop!(
			Treasury::request_key(
				signed(OWNER),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			Error::<Test>::KeyringInactive
		);
		update_keyring(KR, |k| {
			k.is_active = true;
			k.party_threshold = 2;
		});
		assert_noop!(
			Treasury::request_key(
				signed(OWNER),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			Error::<Test>::InsufficientParties
		);
		// More parties than MaxParties (4).
		update_keyring(KR, |k| k.parties = vec![3, 4, 5, 6, 7]);
		assert_noop!(
			Treasury::request_key(
				signed(OWNER),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			Error::<Test>::TooManyParties
		);
		update_keyring(KR, |k| k.parties = vec![3, 4, 5, 6]);
		assert_ok!(Treasury::request_key(
			signed(OWNER),
			WS,
			KR,
			KeyType::Ed25519,
			None,
			Balance::MAX,
			None
		));
	});
}

#[test]
fn request_key_refuses_key_policies_beyond_the_owners() {
	build_and_execute(|| {
		setup_single();
		set_policy(3, vec![OWNER, OUTSIDER]);
		assert_noop!(
			Treasury::request_key(
				signed(OWNER),
				WS,
				KR,
				KeyType::Ed25519,
				Some(3),
				Balance::MAX,
				None
			),
			Error::<Test>::PolicyParticipantNotOwner
		);
		assert_noop!(
			Treasury::request_key(
				signed(OWNER),
				WS,
				KR,
				KeyType::Ed25519,
				Some(99),
				Balance::MAX,
				None
			),
			DispatchError::Other("UnknownPolicy")
		);
	});
}

#[test]
fn request_key_refuses_requesters_who_cannot_pay_the_fee() {
	build_and_execute(|| {
		setup_single();
		update_keyring(KR, |k| k.key_request_fee = INITIAL_BALANCE * 2);
		let result = Treasury::request_key(
			signed(OWNER),
			WS,
			KR,
			KeyType::Ed25519,
			None,
			Balance::MAX,
			None,
		);
		assert!(result.is_err());
		assert_eq!(NextRequestId::<Test>::get(), 0);
		assert_eq!(held(OWNER), 0);
		assert!(PendingKeyRequests::<Test>::iter().next().is_none());
	});
}

#[test]
fn request_key_without_fee_holds_nothing() {
	build_and_execute(|| {
		setup_single();
		update_keyring(KR, |k| k.key_request_fee = 0);
		let request = request_key(KeyType::Ed25519);
		assert_eq!(held(OWNER), 0);
		assert_ok!(Treasury::fulfil_key_request(
			signed(PARTY_A),
			request,
			ed25519_public(&ed25519_pair(1))
		));
		assert_eq!(free(keyring_account(KR)), 0);
	});
}

#[test]
fn request_key_is_gated_by_the_workspace_sign_policy() {
	build_and_execute(|| {
		setup_single();
		set_policy(7, vec![OWNER, OWNER_2]);
		set_workspace_sign_policy(WS, Some(7));
		set_gate_mode(GateMode::Pending);
		assert_ok!(Treasury::request_key(
			signed(OWNER),
			WS,
			KR,
			KeyType::Ed25519,
			None,
			Balance::MAX,
			None
		));
		// Waiting for approvals: nothing requested, nothing held.
		assert_eq!(NextRequestId::<Test>::get(), 0);
		assert_eq!(held(OWNER), 0);
		assert_eq!(
			last_event(),
			Event::RequestAwaitingApproval {
				workspace: WS,
				requester: OWNER,
				action: 0,
				memo: Default::default(),
			}
		);
		assert_eq!(submissions()[0].policy, Some(7));
		assert_eq!(pending_actions(), vec![0]);
		// Approved: it runs for the requester.
		assert_ok!(approve(0));
		let req = KeyRequests::<Test>::get(0).unwrap();
		assert_eq!(req.requester, OWNER);
		assert_eq!(held(OWNER), KEY_FEE);
	});
}

#[test]
fn approved_requests_are_checked_again() {
	build_and_execute(|| {
		setup_single();
		set_policy(7, vec![OWNER]);
		set_workspace_sign_policy(WS, Some(7));
		// An approval for another workspace.
		assert_noop!(
			Treasury::request_key(
				approved(OTHER_WS, Some(7), OWNER),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			Error::<Test>::ApprovalForOtherWorkspace
		);
		// An approval by another policy than the current sign policy.
		assert_noop!(
			Treasury::request_key(
				approved(WS, None, OWNER),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			Error::<Test>::SignPolicyChanged
		);
		// The requester is no longer an owner.
		assert_noop!(
			Treasury::request_key(
				approved(WS, Some(7), OUTSIDER),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			Error::<Test>::NotOwner
		);
		// The keyring is checked again too.
		update_keyring(KR, |k| k.is_active = false);
		assert_noop!(
			Treasury::request_key(
				approved(WS, Some(7), OWNER),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			Error::<Test>::KeyringInactive
		);
		update_keyring(KR, |k| k.is_active = true);
		assert_ok!(Treasury::request_key(
			approved(WS, Some(7), OWNER_2),
			WS,
			KR,
			KeyType::Ed25519,
			None,
			Balance::MAX,
			None
		));
		assert_eq!(KeyRequests::<Test>::get(0).unwrap().requester, OWNER_2);
		assert_eq!(held(OWNER_2), KEY_FEE);
		// The approved origin does not go to the gate again.
		assert!(submissions().is_empty());
	});
}

#[test]
fn pending_approval_fails_if_the_policy_changed() {
	build_and_execute(|| {
		setup_single();
		set_policy(7, vec![OWNER]);
		set_policy(8, vec![OWNER]);
		set_workspace_sign_policy(WS, Some(7));
		set_gate_mode(GateMode::Pending);
		assert_ok!(Treasury::request_key(
			signed(OWNER),
			WS,
			KR,
			KeyType::Ed25519,
			None,
			Balance::MAX,
			None
		));
		set_workspace_sign_policy(WS, Some(8));
		assert!(approve(0).is_err());
		assert_eq!(NextRequestId::<Test>::get(), 0);
	});
}

// ---------------------------------------------------------------------------------------------
// fulfil_key_request
// ---------------------------------------------------------------------------------------------

#[test]
fn fulfil_key_request_creates_the_key_and_pays_the_keyring() {
	build_and_execute(|| {
		setup_single();
		let request = request_key(KeyType::EcdsaSecp256k1);
		let public = ecdsa_public(&eip155_pair());
		let party_before = free(PARTY_A);
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_A), request, public.clone()));

		let stored: crate::StoredPublicKey = public.to_vec().try_into().unwrap();
		let key = Keys::<Test>::get(request).expect("key id = request id");
		assert_eq!(
			key,
			Key {
				workspace: WS,
				keyring: KR,
				key_type: KeyType::EcdsaSecp256k1,
				public_key: stored.clone(),
				sign_policy: None,
				created_at: 1,
			}
		);
		let req = KeyRequests::<Test>::get(request).unwrap();
		assert_eq!(req.status, RequestStatus::Fulfilled);
		assert_eq!(
			req.responses.to_vec(),
			vec![Response {
				party: PARTY_A,
				answer: Answer::Fulfil(sp_io::hashing::blake2_256(&stored))
			}]
		);
		let events = treasury_events();
		assert_eq!(
			events[events.len() - 3],
			Event::KeyAnswerRecorded { request, party: PARTY_A, public_key: stored.clone() }
		);
		assert_eq!(last_event(), Event::KeyringFeesPaid { keyring: KR, amount: KEY_FEE });
		assert_eq!(
			events[events.len() - 2],
			Event::KeyRequestFulfilled {
				request,
				key: request,
				workspace: WS,
				keyring: KR,
				public_key: stored,
				fee: KEY_FEE,
			}
		);
		// The fee went from the escrow to the keyring's account; the party paid nothing.
		assert_eq!(held(OWNER), 0);
		assert_eq!(free(OWNER), INITIAL_BALANCE - KEY_FEE);
		assert_eq!(free(keyring_account(KR)), KEY_FEE);
		assert_eq!(free(PARTY_A), party_before);
		// Indexes.
		assert!(WorkspaceKeys::<Test>::contains_key(WS, request));
		assert!(!PendingKeyRequests::<Test>::contains_key(KR, request));
		assert_eq!(OpenKeyRequestCount::<Test>::get(WS), None);
		assert_eq!(Treasury::key_by_address(EIP155_ADDRESS.as_bytes()), Some(request));
	});
}

#[test]
fn uncompressed_secp256k1_keys_are_stored_compressed() {
	build_and_execute(|| {
		setup_single();
		let request = request_key(KeyType::BitcoinSecp256k1);
		let compressed = eip155_pair().public().0;
		let uncompressed = PublicKey::parse(KeyType::BitcoinSecp256k1, &compressed)
			.unwrap()
			.secp256k1_uncompressed()
			.unwrap();
		assert_ok!(Treasury::fulfil_key_request(
			signed(PARTY_A),
			request,
			submitted(&uncompressed)
		));
		assert_eq!(Keys::<Test>::get(request).unwrap().public_key.to_vec(), compressed.to_vec());
	});
}

#[test]
fn fulfil_key_request_checks_the_public_key() {
	build_and_execute(|| {
		setup_single();
		let ecdsa_request = request_key(KeyType::EcdsaSecp256k1);
		let ed_request = request_key(KeyType::Ed25519);
		// Wrong length for the type.
		assert_noop!(
			Treasury::fulfil_key_request(signed(PARTY_A), ecdsa_request, submitted(&[2; 32])),
			Error::<Test>::InvalidPublicKey
		);
		assert_noop!(
			Treasury::fulfil_key_request(signed(PARTY_A), ed_request, ecdsa_public(&eip155_pair())),
			Error::<Test>::InvalidPublicKey
		);
		// Not a curve point (x = 0 is not on secp256k1... use all 0xff, above the field prime).
		let mut not_a_point = [0xff; 33];
		not_a_point[0] = 0x02;
		assert_noop!(
			Treasury::fulfil_key_request(signed(PARTY_A), ecdsa_request, submitted(&not_a_point)),
			Error::<Test>::InvalidPublicKey
		);
		// A small-order Ed25519 point (the identity).
		let mut identity = [0u8; 32];
		identity[0] = 1;
		assert_noop!(
			Treasury::fulfil_key_request(signed(PARTY_A), ed_request, submitted(&identity)),
			Error::<Test>::InvalidPublicKey
		);
		// An Ed25519 key for an ECDSA request.
		assert_noop!(
			Treasury::fulfil_key_request(
				signed(PARTY_A),
				ecdsa_request,
				ed25519_public(&ed25519_pair(1))
			),
			Error::<Test>::InvalidPublicKey
		);
		assert_eq!(status_of_key_request(ecdsa_request), RequestStatus::Pending);
	});
}

#[test]
fn fulfil_key_request_refuses_non_parties_and_unknown_or_closed_requests() {
	build_and_execute(|| {
		setup_single();
		let request = request_key(KeyType::Ed25519);
		let public = ed25519_public(&ed25519_pair(1));
		for who in [OWNER, OUTSIDER, PARTY_B] {
			assert_noop!(
				Treasury::fulfil_key_request(signed(who), request, public.clone()),
				Error::<Test>::NotParty
			);
		}
		assert_noop!(
			Treasury::fulfil_key_request(RuntimeOrigin::root(), request, public.clone()),
			BadOrigin
		);
		// The approved origin is not a party either.
		assert_noop!(
			Treasury::fulfil_key_request(approved(WS, None, PARTY_A), request, public.clone()),
			BadOrigin
		);
		assert_noop!(
			Treasury::fulfil_key_request(signed(PARTY_A), 42, public.clone()),
			Error::<Test>::UnknownRequest
		);
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_A), request, public.clone()));
		// A party added later cannot answer a decided request.
		update_keyring(KR, |k| k.parties.push(PARTY_B));
		assert_noop!(
			Treasury::fulfil_key_request(signed(PARTY_B), request, public),
			Error::<Test>::RequestNotPending
		);
	});
}

#[test]
fn a_public_key_cannot_become_two_keys() {
	build_and_execute(|| {
		setup_single();
		let first = request_key(KeyType::Ed25519);
		let second = request_key(KeyType::Ed25519);
		let public = ed25519_public(&ed25519_pair(1));
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_A), first, public.clone()));
		assert_noop!(
			Treasury::fulfil_key_request(signed(PARTY_A), second, public),
			Error::<Test>::PublicKeyInUse
		);
		// The same secp256k1 material as an ECDSA key and as a Bitcoin key has different
		// addresses; both are allowed.
		let ecdsa_request = request_key(KeyType::EcdsaSecp256k1);
		let bitcoin_request = request_key(KeyType::BitcoinSecp256k1);
		let material = ecdsa_public(&eip155_pair());
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_A), ecdsa_request, material.clone()));
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_A), bitcoin_request, material));
	});
}

#[test]
fn two_of_three_identical_keys_fulfil() {
	build_and_execute(|| {
		setup_two_of_three();
		let request = request_key(KeyType::Ed25519);
		let public = ed25519_public(&ed25519_pair(1));
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_A), request, public.clone()));
		assert_eq!(status_of_key_request(request), RequestStatus::Partial);
		assert!(!Keys::<Test>::contains_key(request));
		assert_eq!(held(OWNER), KEY_FEE);
		assert!(PendingKeyRequests::<Test>::contains_key(KR, request));
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_C), request, public.clone()));
		assert_eq!(status_of_key_request(request), RequestStatus::Fulfilled);
		assert!(Keys::<Test>::contains_key(request));
		assert_eq!(free(keyring_account(KR)), KEY_FEE);
		// The third party is too late.
		assert_noop!(
			Treasury::fulfil_key_request(signed(PARTY_B), request, public),
			Error::<Test>::RequestNotPending
		);
	});
}

#[test]
fn two_of_three_conflicting_keys() {
	build_and_execute(|| {
		setup_two_of_three();
		// A and B disagree; C agrees with A: fulfilled with A's key.
		let request = request_key(KeyType::Ed25519);
		let key_1 = ed25519_public(&ed25519_pair(1));
		let key_2 = ed25519_public(&ed25519_pair(2));
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_A), request, key_1.clone()));
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_B), request, key_2.clone()));
		assert_eq!(status_of_key_request(request), RequestStatus::Partial);
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_C), request, key_1.clone()));
		assert_eq!(status_of_key_request(request), RequestStatus::Fulfilled);
		assert_eq!(Keys::<Test>::get(request).unwrap().public_key.to_vec(), key_1.to_vec());

		// Three different keys: the threshold can no longer be reached; rejected and refunded.
		let request = request_key(KeyType::Ed25519);
		assert_eq!(held(OWNER), KEY_FEE);
		let key_3 = ed25519_public(&ed25519_pair(3));
		let key_4 = ed25519_public(&ed25519_pair(4));
		let key_5 = ed25519_public(&ed25519_pair(5));
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_A), request, key_3));
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_B), request, key_4));
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_C), request, key_5));
		assert_eq!(status_of_key_request(request), RequestStatus::Rejected);
		assert!(!Keys::<Test>::contains_key(request));
		assert_eq!(held(OWNER), 0);
		assert_eq!(
			last_event(),
			Event::KeyRequestRejected {
				request,
				reason: stored_reason(CONFLICTING_ANSWERS_REASON),
				refunded: KEY_FEE,
			}
		);
	});
}

#[test]
fn a_second_answer_is_refused_without_harming_the_request() {
	build_and_execute(|| {
		setup_two_of_three();
		let request = request_key(KeyType::Ed25519);
		let public = ed25519_public(&ed25519_pair(1));
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_A), request, public.clone()));
		let before = KeyRequests::<Test>::get(request).unwrap();
		// The same answer again, another answer, or a rejection: refused, nothing changes.
		assert_noop!(
			Treasury::fulfil_key_request(signed(PARTY_A), request, public.clone()),
			Error::<Test>::AlreadyResponded
		);
		assert_noop!(
			Treasury::fulfil_key_request(
				signed(PARTY_A),
				request,
				ed25519_public(&ed25519_pair(2))
			),
			Error::<Test>::AlreadyResponded
		);
		assert_noop!(
			Treasury::reject_key_request(signed(PARTY_A), request, reason(b"changed my mind")),
			Error::<Test>::AlreadyResponded
		);
		assert_eq!(KeyRequests::<Test>::get(request).unwrap(), before);
		assert_eq!(before.status, RequestStatus::Partial);
		// The request still completes normally.
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_B), request, public));
		assert_eq!(status_of_key_request(request), RequestStatus::Fulfilled);
	});
}

// ---------------------------------------------------------------------------------------------
// reject_key_request
// ---------------------------------------------------------------------------------------------

#[test]
fn reject_key_request_with_one_party_rejects_and_refunds() {
	build_and_execute(|| {
		setup_single();
		let request = request_key(KeyType::Ed25519);
		assert_eq!(free(OWNER), INITIAL_BALANCE - KEY_FEE);
		assert_ok!(Treasury::reject_key_request(signed(PARTY_A), request, reason(b"unsupported")));
		assert_eq!(status_of_key_request(request), RequestStatus::Rejected);
		let events = treasury_events();
		assert_eq!(
			events[events.len() - 2],
			Event::KeyRejectionRecorded {
				request,
				party: PARTY_A,
				reason: stored_reason(b"unsupported")
			}
		);
		assert_eq!(
			last_event(),
			Event::KeyRequestRejected {
				request,
				reason: stored_reason(b"unsupported"),
				refunded: KEY_FEE
			}
		);
		assert_eq!(held(OWNER), 0);
		assert_eq!(free(OWNER), INITIAL_BALANCE);
		assert_eq!(free(keyring_account(KR)), 0);
		assert!(!PendingKeyRequests::<Test>::contains_key(KR, request));
		assert_eq!(OpenKeyRequestCount::<Test>::get(WS), None);
		// Decided.
		assert_noop!(
			Treasury::reject_key_request(signed(PARTY_A), request, reason(b"again")),
			Error::<Test>::RequestNotPending
		);
	});
}

#[test]
fn non_parties_cannot_reject() {
	build_and_execute(|| {
		setup_single();
		let request = request_key(KeyType::Ed25519);
		// zrchain lets anyone reject; here only a party may.
		for who in [OWNER, OWNER_2, OUTSIDER] {
			assert_noop!(
				Treasury::reject_key_request(signed(who), request, reason(b"grief")),
				Error::<Test>::NotParty
			);
		}
		assert_noop!(
			Treasury::reject_key_request(signed(PARTY_A), 42, reason(b"x")),
			Error::<Test>::UnknownRequest
		);
		assert_noop!(
			Treasury::reject_key_request(RuntimeOrigin::none(), request, reason(b"x")),
			BadOrigin
		);
		assert_eq!(status_of_key_request(request), RequestStatus::Pending);
	});
}

#[test]
fn two_of_three_rejections() {
	build_and_execute(|| {
		setup_two_of_three();
		let request = request_key(KeyType::Ed25519);
		// One rejection: the two others can still agree.
		assert_ok!(Treasury::reject_key_request(signed(PARTY_B), request, reason(b"busy")));
		assert_eq!(status_of_key_request(request), RequestStatus::Partial);
		assert_eq!(held(OWNER), KEY_FEE);
		// A second rejection: 3 - 2 < 2.
		assert_ok!(Treasury::reject_key_request(signed(PARTY_C), request, reason(b"down")));
		assert_eq!(status_of_key_request(request), RequestStatus::Rejected);
		assert_eq!(held(OWNER), 0);
		assert_eq!(
			last_event(),
			Event::KeyRequestRejected {
				request,
				reason: stored_reason(b"down"),
				refunded: KEY_FEE
			}
		);

		// A fulfilment and a rejection, then a conflicting fulfilment: unreachable.
		let request = request_key(KeyType::Ed25519);
		assert_ok!(Treasury::fulfil_key_request(
			signed(PARTY_A),
			request,
			ed25519_public(&ed25519_pair(1))
		));
		assert_ok!(Treasury::reject_key_request(signed(PARTY_B), request, reason(b"no")));
		assert_eq!(status_of_key_request(request), RequestStatus::Partial);
		assert_ok!(Treasury::fulfil_key_request(
			signed(PARTY_C),
			request,
			ed25519_public(&ed25519_pair(2))
		));
		assert_eq!(status_of_key_request(request), RequestStatus::Rejected);
	});
}

#[test]
fn one_of_three_needs_every_party_to_reject() {
	build_and_execute(|| {
		setup(&[PARTY_A, PARTY_B, PARTY_C], 1);
		let request = request_key(KeyType::Ed25519);
		assert_ok!(Treasury::reject_key_request(signed(PARTY_A), request, reason(b"a")));
		assert_ok!(Treasury::reject_key_request(signed(PARTY_B), request, reason(b"b")));
		assert_eq!(status_of_key_request(request), RequestStatus::Partial);
		assert_ok!(Treasury::reject_key_request(signed(PARTY_C), request, reason(b"c")));
		assert_eq!(status_of_key_request(request), RequestStatus::Rejected);

		// One rejection, then one fulfilment: fulfilled.
		let request = request_key(KeyType::Ed25519);
		assert_ok!(Treasury::reject_key_request(signed(PARTY_A), request, reason(b"a")));
		assert_ok!(Treasury::fulfil_key_request(
			signed(PARTY_B),
			request,
			ed25519_public(&ed25519_pair(1))
		));
		assert_eq!(status_of_key_request(request), RequestStatus::Fulfilled);
	});
}

#[test]
fn the_threshold_is_fixed_when_the_request_is_made() {
	build_and_execute(|| {
		setup_two_of_three();
		let request = request_key(KeyType::Ed25519);
		assert_eq!(KeyRequests::<Test>::get(request).unwrap().party_threshold, 2);
		update_keyring(KR, |k| k.party_threshold = 3);
		let public = ed25519_public(&ed25519_pair(1));
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_A), request, public.clone()));
		assert_ok!(Treasury::fulfil_key_request(signed(PARTY_B), request, public));
		assert_eq!(status_of_key_request(request), RequestStatus::Fulfilled);
	});
}

#[test]
fn a_removed_party_can_no_longer_answer() {
	build_and_execute(|| {
		setup_two_of_three();
		let request = request_key(KeyType::Ed25519);
		update_keyring(KR, |k| k.parties.retain(|p| *p != PARTY_C));
		assert_noop!(
			Treasury::reject_key_request(signed(PARTY_C), request, reason(b"x")),
			Error::<Test>::NotParty
		);
		// With two parties left, one rejection makes 2 identical answers impossible.
		assert_ok!(Treasury::reject_key_request(signed(PARTY_A), request, reason(b"x")));
		assert_eq!(status_of_key_request(request), RequestStatus::Rejected);
	});
}

#[test]
fn the_reason_of_conflicting_answers_fits_any_bound() {
	build_and_execute(|| {
		let reason = crate::Pallet::<Test>::conflicting_answers_reason();
		assert_eq!(reason.to_vec(), CONFLICTING_ANSWERS_REASON.to_vec());
	});
}

// ---------------------------------------------------------------------------------------------
// request_signature
// ---------------------------------------------------------------------------------------------

#[test]
fn request_signature_works() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		let items = vec![prehash(1).to_vec(), prehash(2).to_vec()];
		assert_ok!(Treasury::request_signature(
			signed(OWNER_2),
			key,
			payloads(&items),
			Balance::MAX,
			None
		));
		let request = last_id();
		let req = SignRequests::<Test>::get(request).unwrap();
		assert_eq!(req.key, key);
		assert_eq!(req.workspace, WS);
		assert_eq!(req.keyring, KR);
		assert_eq!(req.requester, OWNER_2);
		assert_eq!(req.fee, SIGN_FEE);
		assert_eq!(req.party_threshold, 1);
		assert_eq!(req.transaction, None);
		assert_eq!(req.status, RequestStatus::Pending);
		assert_eq!(req.expires_at, 11);
		assert_eq!(SignPayloads::<Test>::get(request).unwrap(), stored_payloads(&items));
		assert!(!UnsignedTransactions::<Test>::contains_key(request));
		assert_eq!(
			last_event(),
			Event::SignatureRequested {
				request,
				key,
				keyring: KR,
				requester: OWNER_2,
				payloads: 2,
				chain: None,
				fee: SIGN_FEE,
				expires_at: 11,
				memo: Default::default(),
			}
		);
		assert_eq!(held(OWNER_2), SIGN_FEE);
		assert!(PendingSignRequests::<Test>::contains_key(KR, request));
		assert_eq!(queued().last(), Some(&(RequestKind::Signature, request, 11)));
	});
}

#[test]
fn request_signature_checks_payloads() {
	build_and_execute(|| {
		setup_single();
		let ecdsa_key = create_eip155_key();
		let ed_key = create_key(KeyType::Ed25519, ed25519_public(&ed25519_pair(1)));
		assert_noop!(
			Treasury::request_signature(
				signed(OWNER),
				ecdsa_key,
				payloads(&[]),
				Balance::MAX,
				None
			),
			Error::<Test>::NoPayloads
		);
		// secp256k1 keys sign 32-byte prehashes only.
		assert_noop!(
			Treasury::request_signature(
				signed(OWNER),
				ecdsa_key,
				payloads(&[vec![1; 31]]),
				Balance::MAX,
				None
			),
			Error::<Test>::InvalidPayloadLength
		);
		assert_noop!(
			Treasury::request_signature(
				signed(OWNER),
				ecdsa_key,
				payloads(&[prehash(1).to_vec(), vec![1; 33]]),
				Balance::MAX,
				None
			),
			Error::<Test>::InvalidPayloadLength
		);
		// Ed25519 keys sign messages of 1 to MaxPayloadLength bytes.
		assert_noop!(
			Treasury::request_signature(
				signed(OWNER),
				ed_key,
				payloads(&[vec![]]),
				Balance::MAX,
				None
			),
			Error::<Test>::InvalidPayloadLength
		);
		assert_ok!(Treasury::request_signature(
			signed(OWNER),
			ed_key,
			payloads(&[vec![7; 300], b"hello".to_vec(), vec![1], vec![2; 32]]),
			Balance::MAX,
			None
		));
		assert_noop!(
			Treasury::request_signature(
				signed(OWNER),
				99,
				payloads(&[prehash(1).to_vec()]),
				Balance::MAX,
				None
			),
			Error::<Test>::UnknownKey
		);
	});
}

#[test]
fn request_signature_checks_the_requester_and_keyring() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		let items = [prehash(1).to_vec()];
		assert_noop!(
			Treasury::request_signature(
				signed(OUTSIDER),
				key,
				payloads(&items),
				Balance::MAX,
				None
			),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Treasury::request_signature(signed(PARTY_A), key, payloads(&items), Balance::MAX, None),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Treasury::request_signature(
				approved(OTHER_WS, None, OUTSIDER),
				key,
				payloads(&items),
				Balance::MAX,
				None
			),
			Error::<Test>::ApprovalForOtherWorkspace
		);
		update_keyring(KR, |k| k.is_active = false);
		assert_noop!(
			Treasury::request_signature(signed(OWNER), key, payloads(&items), Balance::MAX, None),
			Error::<Test>::KeyringInactive
		);
		update_keyring(KR, |k| {
			k.is_active = true;
			k.parties.clear();
		});
		assert_noop!(
			Treasury::request_signature(signed(OWNER), key, payloads(&items), Balance::MAX, None),
			Error::<Test>::InsufficientParties
		);
	});
}

#[test]
fn request_signature_is_gated_by_the_key_policy_else_the_workspace_policy() {
	build_and_execute(|| {
		setup_single();
		set_policy(7, vec![OWNER]);
		set_policy(8, vec![OWNER, OWNER_2]);
		set_workspace_sign_policy(WS, Some(8));
		// Requested with the workspace's policy 8 (the request itself is gated by 8).
		let with_policy = {
			assert_ok!(Treasury::request_key(
				signed(OWNER),
				WS,
				KR,
				KeyType::Ed25519,
				Some(7),
				Balance::MAX,
				None
			));
			let request = last_id();
			assert_ok!(Treasury::fulfil_key_request(
				signed(PARTY_A),
				request,
				ed25519_public(&ed25519_pair(1))
			));
			request
		};
		let without_policy = {
			assert_ok!(Treasury::request_key(
				signed(OWNER),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			));
			let request = last_id();
			assert_ok!(Treasury::fulfil_key_request(
				signed(PARTY_A),
				request,
				ed25519_public(&ed25519_pair(2))
			));
			request
		};
		let items = [b"message".to_vec()];
		assert_ok!(Treasury::request_signature(
			signed(OWNER),
			with_policy,
			payloads(&items),
			Balance::MAX,
			None
		));
		assert_eq!(submissions().last().unwrap().policy, Some(7));
		assert_ok!(Treasury::request_signature(
			signed(OWNER),
			without_policy,
			payloads(&items),
			Balance::MAX,
			None
		));
		assert_eq!(submissions().last().unwrap().policy, Some(8));
		// Approvals must be by the governing policy.
		assert_noop!(
			Treasury::request_signature(
				approved(WS, Some(8), OWNER),
				with_policy,
				payloads(&items),
				Balance::MAX,
				None
			),
			Error::<Test>::SignPolicyChanged
		);
		assert_noop!(
			Treasury::request_signature(
				approved(WS, None, OWNER),
				without_policy,
				payloads(&items),
				Balance::MAX,
				None
			),
			Error::<Test>::SignPolicyChanged
		);
		assert_ok!(Treasury::request_signature(
			approved(WS, Some(7), OWNER),
			with_policy,
			payloads(&items),
			Balance::MAX,
			None
		));
	});
}

// ---------------------------------------------------------------------------------------------
// request_transaction_signature
// ---------------------------------------------------------------------------------------------

#[test]
fn request_transaction_signature_computes_the_hash_and_passes_the_value() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		let unsigned = hex(EIP155_SIGNING_DATA);
		assert_ok!(Treasury::request_transaction_signature(
			signed(OWNER),
			key,
			Chain::Evm { chain_id: 1 },
			transaction(unsigned.clone()),
			true,
			Balance::MAX,
			None
		));
		let request = last_id();
		// What is signed is the chain's own signing hash of the transaction.
		assert_eq!(
			SignPayloads::<Test>::get(request).unwrap(),
			stored_payloads(&[hex(EIP155_SIGNING_HASH)])
		);
		assert_eq!(UnsignedTransactions::<Test>::get(request).unwrap().to_vec(), unsigned);
		assert_eq!(
			SignRequests::<Test>::get(request).unwrap().transaction,
			Some(TransactionSummary {
				chain: Chain::Evm { chain_id: 1 },
				broadcast: true,
				value: Some(ONE_ETHER),
				spending: BoundedVec::truncate_from(vec![Spending {
					asset: zenrock_primitives::spending_asset(b"eip155:1", b"native"),
					amount: ONE_ETHER,
				}]),
			})
		);
		// The transaction's facts reached the policy.
		let context = submissions().last().unwrap().context.clone();
		assert_eq!(context.tx_value, Some(ONE_ETHER));
		assert_eq!(context.chain.map(|text| text.into_inner()), Some(b"eip155:1".to_vec()));
		assert_eq!(
			context.to.map(|text| text.into_inner()),
			Some(b"0x3535353535353535353535353535353535353535".to_vec())
		);
		assert_eq!(context.kind.map(|text| text.into_inner()), Some(b"transfer".to_vec()));
		assert_eq!(context.fee, Some(21_000 * 20_000_000_000));
		assert_eq!((context.token, context.token_amount, context.spender), (None, None, None));
		assert_eq!(context.spending_key, Some(SignRequests::<Test>::get(request).unwrap().key));
		assert_eq!(
			last_event(),
			Event::SignatureRequested {
				request,
				key,
				keyring: KR,
				requester: OWNER,
				payloads: 1,
				chain: Some(Chain::Evm { chain_id: 1 }),
				fee: SIGN_FEE,
				expires_at: 11,
				memo: Default::default(),
			}
		);
	});
}

#[test]
fn request_transaction_signature_accepts_eip1559() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		let unsigned = eip1559_transaction(100);
		assert_ok!(Treasury::request_transaction_signature(
			signed(OWNER),
			key,
			Chain::Evm { chain_id: 1 },
			transaction(unsigned.clone()),
			false,
			Balance::MAX,
			None
		));
		let request = last_id();
		assert_eq!(
			SignPayloads::<Test>::get(request).unwrap(),
			stored_payloads(&[sp_io::hashing::keccak_256(&unsigned).to_vec()])
		);
		let context = submissions().last().unwrap().context.clone();
		assert_eq!(context.tx_value, Some(ONE_ETHER));
		assert_eq!(
			context.kind.map(|text| text.into_inner()),
			Some(b"call".to_vec()),
			"calldata of no known token call"
		);
	});
}

#[test]
fn request_transaction_signature_accepts_the_longest_transaction() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		let longest = eip1559_transaction_of_length(MaxUnsignedTransactionLength::get() as usize);
		assert_eq!(longest.len() as u32, MaxUnsignedTransactionLength::get());
		assert_ok!(Treasury::request_transaction_signature(
			signed(OWNER),
			key,
			Chain::Evm { chain_id: 1 },
			transaction(longest.clone()),
			true,
			Balance::MAX,
			None
		));
		assert_eq!(UnsignedTransactions::<Test>::get(last_id()).unwrap().to_vec(), longest);
		// One byte more is refused by the call with a named error.
		let mut too_long = longest;
		too_long.push(0);
		assert_noop!(
			Treasury::request_transaction_signature(
				signed(OWNER),
				key,
				Chain::Evm { chain_id: 1 },
				too_long,
				true,
				Balance::MAX,
				None
			),
			Error::<Test>::TransactionTooLong
		);
	});
}

#[test]
fn request_transaction_signature_maps_format_errors() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		let ed_key = create_key(KeyType::Ed25519, ed25519_public(&ed25519_pair(1)));
		let unsigned = transaction(hex(EIP155_SIGNING_DATA));
		// The transaction says chain 1; the request says chain 5.
		assert_noop!(
			Treasury::request_transaction_signature(
				signed(OWNER),
				key,
				Chain::Evm { chain_id: 5 },
				unsigned.clone(),
				true,
				Balance::MAX,
				None
			),
			Error::<Test>::ChainIdMismatch
		);
		// Not a transaction.
		assert_noop!(
			Treasury::request_transaction_signature(
				signed(OWNER),
				key,
				Chain::Evm { chain_id: 1 },
				transaction(vec![0x7f, 1, 2, 3]),
				true,
				Balance::MAX,
				None
			),
			Error::<Test>::InvalidTransaction
		);
		assert_noop!(
			Treasury::request_transaction_signature(
				signed(OWNER),
				key,
				Chain::Evm { chain_id: 1 },
				transaction(vec![]),
				true,
				Balance::MAX,
				None
			),
			Error::<Test>::InvalidTransaction
		);
		// A Bitcoin request that is not SCALE-encoded.
		assert_noop!(
			Treasury::request_transaction_signature(
				signed(OWNER),
				key,
				Chain::Bitcoin { network: BitcoinNetwork::Regtest },
				unsigned.clone(),
				true,
				Balance::MAX,
				None
			),
			Error::<Test>::InvalidTransaction
		);
		// Key types the chain cannot use.
		assert_noop!(
			Treasury::request_transaction_signature(
				signed(OWNER),
				ed_key,
				Chain::Evm { chain_id: 1 },
				unsigned.clone(),
				true,
				Balance::MAX,
				None
			),
			Error::<Test>::KeyTypeNotSupportedByChain
		);
		assert_noop!(
			Treasury::request_transaction_signature(
				signed(OWNER),
				key,
				Chain::Solana,
				unsigned.clone(),
				true,
				Balance::MAX,
				None
			),
			Error::<Test>::KeyTypeNotSupportedByChain
		);
		assert_noop!(
			Treasury::request_transaction_signature(
				signed(OUTSIDER),
				key,
				Chain::Evm { chain_id: 1 },
				unsigned.clone(),
				true,
				Balance::MAX,
				None
			),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Treasury::request_transaction_signature(
				signed(OWNER),
				77,
				Chain::Evm { chain_id: 1 },
				unsigned,
				true,
				Balance::MAX,
				None
			),
			Error::<Test>::UnknownKey
		);
		assert!(submissions().iter().all(|s| s.context.tx_value.is_none()));
	});
}

#[test]
fn transaction_requests_wait_for_approval_with_their_value() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		set_policy(7, vec![OWNER, OWNER_2]);
		assert_ok!(Treasury::update_key_policy(signed(OWNER), key, Some(7)));
		set_gate_mode(GateMode::Pending);
		assert_ok!(Treasury::request_transaction_signature(
			signed(OWNER),
			key,
			Chain::Evm { chain_id: 1 },
			transaction(hex(EIP155_SIGNING_DATA)),
			true,
			Balance::MAX,
			None
		));
		let submission = submissions().last().unwrap().clone();
		assert_eq!(submission.policy, Some(7));
		assert_eq!(submission.context.tx_value, Some(ONE_ETHER));
		assert!(SignRequests::<Test>::iter().next().is_none());
		let action = pending_actions()[0];
		assert_ok!(approve(action));
		assert_eq!(SignRequests::<Test>::get(last_id()).unwrap().requester, OWNER);
	});
}

// ---------------------------------------------------------------------------------------------
// fulfil_signature_request
// ---------------------------------------------------------------------------------------------

#[test]
fn evm_transaction_round_trip_reproduces_the_published_transaction() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		assert_ok!(Treasury::request_transaction_signature(
			signed(OWNER),
			key,
			Chain::Evm { chain_id: 1 },
			transaction(hex(EIP155_SIGNING_DATA)),
			true,
			Balance::MAX,
			None
		));
		let request = last_id();
		let hash: [u8; 32] = hex(EIP155_SIGNING_HASH).try_into().unwrap();
		let signature = eip155_pair().sign_prehashed(&hash);
		let party_before = free(PARTY_A);
		assert_ok!(Treasury::fulfil_signature_request(
			signed(PARTY_A),
			request,
			sigs(&[signature.0.to_vec()])
		));
		assert_eq!(status_of_sign_request(request), RequestStatus::Fulfilled);
		assert_eq!(stored_signatures(request).unwrap(), stored_sigs(&[signature.0.to_vec()]));
		assert_eq!(
			AwaitingBroadcast::<Test>::get(request),
			Some(BroadcastInfo { chain: Chain::Evm { chain_id: 1 }, key })
		);
		assert_eq!(Treasury::awaiting_broadcast(), vec![request]);
		assert_eq!(last_event(), Event::KeyringFeesPaid { keyring: KR, amount: SIGN_FEE });
		let events = treasury_events();
		assert_eq!(
			events[events.len() - 2],
			Event::SignatureRequestFulfilled {
				request,
				key,
				signatures: stored_sigs(&[signature.0.to_vec()]),
				fee: SIGN_FEE,
				awaiting_broadcast: true,
			}
		);
		// The relayer's view: the published signed transaction.
		let signed_tx = Treasury::signed_transaction(request).expect("assembled");
		assert_eq!(to_hex(&signed_tx.raw), EIP155_SIGNED);
		assert_eq!(signed_tx.chain, Chain::Evm { chain_id: 1 });
		assert!(signed_tx.broadcast);
		assert_eq!(signed_tx.id_text, format!("0x{}", to_hex(&signed_tx.id)));
		// Fees: the keyring got the key fee and the sign fee, from the requester's escrow.
		assert_eq!(free(keyring_account(KR)), KEY_FEE + SIGN_FEE);
		assert_eq!(free(PARTY_A), party_before);
		assert_eq!(held(OWNER), 0);
		assert!(!PendingSignRequests::<Test>::contains_key(KR, request));
		// The relayer takes it off the index once reported.
		assert_eq!(
			Treasury::take_awaiting_broadcast(request),
			Some(BroadcastInfo { chain: Chain::Evm { chain_id: 1 }, key })
		);
		assert!(Treasury::awaiting_broadcast().is_empty());
	});
}

#[test]
fn private_transactions_are_not_broadcast() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		assert_ok!(Treasury::request_transaction_signature(
			signed(OWNER),
			key,
			Chain::Evm { chain_id: 1 },
			transaction(hex(EIP155_SIGNING_DATA)),
			false,
			Balance::MAX,
			None
		));
		let request = last_id();
		let hash: [u8; 32] = hex(EIP155_SIGNING_HASH).try_into().unwrap();
		let signature = eip155_pair().sign_prehashed(&hash);
		assert_ok!(Treasury::fulfil_signature_request(
			signed(PARTY_A),
			request,
			sigs(&[signature.0.to_vec()])
		));
		assert!(!AwaitingBroadcast::<Test>::contains_key(request));
		assert!(Treasury::awaiting_broadcast().is_empty());
		assert_eq!(last_event(), Event::KeyringFeesPaid { keyring: KR, amount: SIGN_FEE });
		let events = treasury_events();
		assert_eq!(
			events[events.len() - 2],
			Event::SignatureRequestFulfilled {
				request,
				key,
				signatures: stored_sigs(&[signature.0.to_vec()]),
				fee: SIGN_FEE,
				awaiting_broadcast: false,
			}
		);
		// The requester can still assemble it itself.
		let signed_tx = Treasury::signed_transaction(request).unwrap();
		assert!(!signed_tx.broadcast);
		assert_eq!(to_hex(&signed_tx.raw), EIP155_SIGNED);
		// Plain signature requests have no transaction.
		let plain = request_signature(key, &[prehash(1).to_vec()]);
		assert_eq!(Treasury::signed_transaction(plain), None);
	});
}

#[test]
fn fulfil_signature_request_verifies_ecdsa_signatures() {
	build_and_execute(|| {
		setup_single();
		let pair = ecdsa_pair(3);
		let key = create_key(KeyType::EcdsaSecp256k1, ecdsa_public(&pair));
		let request = request_signature(key, &[prehash(1).to_vec(), prehash(2).to_vec()]);
		let good_1 = pair.sign_prehashed(&prehash(1)).0.to_vec();
		let good_2 = pair.sign_prehashed(&prehash(2)).0.to_vec();
		// Wrong count.
		assert_noop!(
			Treasury::fulfil_signature_request(
				signed(PARTY_A),
				request,
				sigs(core::slice::from_ref(&good_1))
			),
			Error::<Test>::WrongSignatureCount
		);
		assert_noop!(
			Treasury::fulfil_signature_request(
				signed(PARTY_A),
				request,
				sigs(&[good_1.clone(), good_2.clone(), good_2.clone()])
			),
			Error::<Test>::WrongSignatureCount
		);
		// Swapped order: each signature is checked against its own payload.
		assert_noop!(
			Treasury::fulfil_signature_request(
				signed(PARTY_A),
				request,
				sigs(&[good_2.clone(), good_1.clone()])
			),
			Error::<Test>::InvalidSignature
		);
		// Another key's signature.
		let foreign = ecdsa_pair(4).sign_prehashed(&prehash(2)).0.to_vec();
		assert_noop!(
			Treasury::fulfil_signature_request(
				signed(PARTY_A),
				request,
				sigs(&[good_1.clone(), foreign])
			),
			Error::<Test>::InvalidSignature
		);
		// Malformed: truncated, and a wrong recovery id.
		assert_noop!(
			Treasury::fulfil_signature_request(
				signed(PARTY_A),
				request,
				sigs(&[good_1.clone(), good_2[..64].to_vec()])
			),
			Error::<Test>::InvalidSignature
		);
		let mut flipped = good_2.clone();
		flipped[64] ^= 1;
		assert_noop!(
			Treasury::fulfil_signature_request(
				signed(PARTY_A),
				request,
				sigs(&[good_1.clone(), flipped])
			),
			Error::<Test>::InvalidSignature
		);
		// High-S (malleated) signature: refused even though it is mathematically valid.
		let mut high_s = good_2.clone();
		let n: [u8; 32] = hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
			.try_into()
			.unwrap();
		let mut borrow = 0i16;
		for i in (0..32).rev() {
			let value = n[i] as i16 - good_2[32 + i] as i16 - borrow;
			high_s[32 + i] = value.rem_euclid(256) as u8;
			borrow = if value < 0 { 1 } else { 0 };
		}
		high_s[64] ^= 1;
		assert_noop!(
			Treasury::fulfil_signature_request(
				signed(PARTY_A),
				request,
				sigs(&[good_1.clone(), high_s])
			),
			Error::<Test>::InvalidSignature
		);
		assert_eq!(status_of_sign_request(request), RequestStatus::Pending);
		// `v` as 27/28 is accepted.
		let mut v27 = good_2.clone();
		v27[64] += 27;
		assert_ok!(Treasury::fulfil_signature_request(
			signed(PARTY_A),
			request,
			sigs(&[good_1, v27])
		));
		assert_eq!(status_of_sign_request(request), RequestStatus::Fulfilled);
	});
}

#[test]
fn fulfil_signature_request_verifies_ed25519_signatures() {
	build_and_execute(|| {
		setup_single();
		let pair = ed25519_pair(1);
		let key = create_key(KeyType::Ed25519, ed25519_public(&pair));
		let long = vec![0x42; 300];
		let request = request_signature(key, &[b"hello".to_vec(), long.clone()]);
		let good_1 = pair.sign(b"hello").0.to_vec();
		let good_2 = pair.sign(&long).0.to_vec();
		assert_noop!(
			Treasury::fulfil_signature_request(
				signed(PARTY_A),
				request,
				sigs(&[good_1.clone(), ed25519_pair(2).sign(&long).0.to_vec()])
			),
			Error::<Test>::InvalidSignature
		);
		assert_noop!(
			Treasury::fulfil_signature_request(
				signed(PARTY_A),
				request,
				sigs(&[good_1.clone(), good_2[..63].to_vec()])
			),
			Error::<Test>::InvalidSignature
		);
		assert_ok!(Treasury::fulfil_signature_request(
			signed(PARTY_A),
			request,
			sigs(&[good_1.clone(), good_2.clone()])
		));
		assert_eq!(stored_signatures(request).unwrap(), stored_sigs(&[good_1, good_2]));
	});
}

#[test]
fn bitcoin_keys_accept_der_signatures() {
	build_and_execute(|| {
		setup_single();
		let pair = ecdsa_pair(5);
		let key = create_key(KeyType::BitcoinSecp256k1, ecdsa_public(&pair));
		let request = request_signature(key, &[prehash(9).to_vec()]);
		let signature = pair.sign_prehashed(&prehash(9));
		let der = parse_recoverable(&signature.0).unwrap().to_der().unwrap();
		assert_ok!(Treasury::fulfil_signature_request(signed(PARTY_A), request, sigs(&[der])));
		assert_eq!(status_of_sign_request(request), RequestStatus::Fulfilled);
		// ECDSA keys (not Bitcoin) take only the 65-byte form.
		let ecdsa_key = create_key(KeyType::EcdsaSecp256k1, ecdsa_public(&pair));
		let request = request_signature(ecdsa_key, &[prehash(9).to_vec()]);
		let der = parse_recoverable(&signature.0).unwrap().to_der().unwrap();
		assert_noop!(
			Treasury::fulfil_signature_request(signed(PARTY_A), request, sigs(&[der])),
			Error::<Test>::InvalidSignature
		);
	});
}

#[test]
fn signatures_cannot_be_replayed_onto_another_request() {
	build_and_execute(|| {
		setup_single();
		let pair = ecdsa_pair(3);
		let key = create_key(KeyType::EcdsaSecp256k1, ecdsa_public(&pair));
		let first = request_signature(key, &[prehash(1).to_vec()]);
		let second = request_signature(key, &[prehash(2).to_vec()]);
		let answer = sigs(&[pair.sign_prehashed(&prehash(1)).0.to_vec()]);
		assert_ok!(Treasury::fulfil_signature_request(signed(PARTY_A), first, answer.clone()));
		assert_noop!(
			Treasury::fulfil_signature_request(signed(PARTY_A), second, answer.clone()),
			Error::<Test>::InvalidSignature
		);
		assert_noop!(
			Treasury::fulfil_signature_request(signed(PARTY_A), first, answer),
			Error::<Test>::RequestNotPending
		);
	});
}

#[test]
fn fulfil_signature_request_refuses_non_parties() {
	build_and_execute(|| {
		setup_single();
		let pair = ecdsa_pair(3);
		let key = create_key(KeyType::EcdsaSecp256k1, ecdsa_public(&pair));
		let request = request_signature(key, &[prehash(1).to_vec()]);
		let answer = sigs(&[pair.sign_prehashed(&prehash(1)).0.to_vec()]);
		for who in [OWNER, OUTSIDER] {
			assert_noop!(
				Treasury::fulfil_signature_request(signed(who), request, answer.clone()),
				Error::<Test>::NotParty
			);
		}
		assert_noop!(
			Treasury::fulfil_signature_request(signed(PARTY_A), 77, answer),
			Error::<Test>::UnknownRequest
		);
	});
}

#[test]
fn two_of_three_signatures() {
	build_and_execute(|| {
		setup_two_of_three();
		let pair = ecdsa_pair(5);
		// Create the key with two identical answers.
		let key_request = request_key(KeyType::BitcoinSecp256k1);
		for party in [PARTY_A, PARTY_B] {
			assert_ok!(Treasury::fulfil_key_request(
				signed(party),
				key_request,
				ecdsa_public(&pair)
			));
		}
		let key = key_request;
		let request = request_signature(key, &[prehash(1).to_vec()]);
		let signature = pair.sign_prehashed(&prehash(1));
		let compact = sigs(&[signature.0.to_vec()]);
		let der = sigs(&[parse_recoverable(&signature.0).unwrap().to_der().unwrap()]);
		// Two valid but different encodings are different answers.
		assert_ok!(Treasury::fulfil_signature_request(signed(PARTY_A), request, compact.clone()));
		assert_eq!(status_of_sign_request(request), RequestStatus::Partial);
		// A second answer from A is refused without harm.
		assert_noop!(
			Treasury::fulfil_signature_request(signed(PARTY_A), request, der.clone()),
			Error::<Test>::AlreadyResponded
		);
		assert_noop!(
			Treasury::reject_signature_request(signed(PARTY_A), request, reason(b"x")),
			Error::<Test>::AlreadyResponded
		);
		assert_ok!(Treasury::fulfil_signature_request(signed(PARTY_B), request, der.clone()));
		assert_eq!(status_of_sign_request(request), RequestStatus::Partial);
		assert!(stored_signatures(request).is_none());
		assert_ok!(Treasury::fulfil_signature_request(signed(PARTY_C), request, der.clone()));
		assert_eq!(status_of_sign_request(request), RequestStatus::Fulfilled);
		assert_eq!(stored_signatures(request).unwrap(), stored_sigs(&der));
		let responses = SignRequests::<Test>::get(request).unwrap().responses;
		assert_eq!(responses.len(), 3);
		assert_eq!(
			responses[0].answer,
			Answer::Fulfil(sp_io::hashing::blake2_256(&compact.encode()))
		);
	});
}

// ---------------------------------------------------------------------------------------------
// reject_signature_request
// ---------------------------------------------------------------------------------------------

#[test]
fn reject_signature_request_works() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		let request = request_signature(key, &[prehash(1).to_vec()]);
		assert_eq!(held(OWNER), SIGN_FEE);
		for who in [OWNER, OUTSIDER] {
			assert_noop!(
				Treasury::reject_signature_request(signed(who), request, reason(b"x")),
				Error::<Test>::NotParty
			);
		}
		assert_noop!(
			Treasury::reject_signature_request(signed(PARTY_A), 77, reason(b"x")),
			Error::<Test>::UnknownRequest
		);
		assert_ok!(Treasury::reject_signature_request(signed(PARTY_A), request, reason(b"no key")));
		assert_eq!(status_of_sign_request(request), RequestStatus::Rejected);
		let events = treasury_events();
		assert_eq!(
			events[events.len() - 2],
			Event::SignatureRejectionRecorded {
				request,
				party: PARTY_A,
				reason: stored_reason(b"no key")
			}
		);
		assert_eq!(
			last_event(),
			Event::SignatureRequestRejected {
				request,
				reason: stored_reason(b"no key"),
				refunded: SIGN_FEE
			}
		);
		assert_eq!(held(OWNER), 0);
		assert_eq!(free(OWNER), INITIAL_BALANCE - KEY_FEE);
		assert!(!PendingSignRequests::<Test>::contains_key(KR, request));
		assert!(stored_signatures(request).is_none());
		assert_noop!(
			Treasury::reject_signature_request(signed(PARTY_A), request, reason(b"x")),
			Error::<Test>::RequestNotPending
		);
	});
}

#[test]
fn two_of_three_signature_rejections() {
	build_and_execute(|| {
		setup_two_of_three();
		let key_request = request_key(KeyType::Ed25519);
		let pair = ed25519_pair(1);
		for party in [PARTY_A, PARTY_B] {
			assert_ok!(Treasury::fulfil_key_request(
				signed(party),
				key_request,
				ed25519_public(&pair)
			));
		}
		let request = request_signature(key_request, &[b"m".to_vec()]);
		assert_ok!(Treasury::reject_signature_request(signed(PARTY_A), request, reason(b"a")));
		assert_eq!(status_of_sign_request(request), RequestStatus::Partial);
		assert_ok!(Treasury::reject_signature_request(signed(PARTY_B), request, reason(b"b")));
		assert_eq!(status_of_sign_request(request), RequestStatus::Rejected);
		// Conflicting signatures of Ed25519 cannot happen for one key (deterministic), but a
		// rejection plus two answers still decide: here a fresh request.
		let request = request_signature(key_request, &[b"m".to_vec()]);
		let answer = sigs(&[pair.sign(b"m").0.to_vec()]);
		assert_ok!(Treasury::reject_signature_request(signed(PARTY_C), request, reason(b"c")));
		assert_ok!(Treasury::fulfil_signature_request(signed(PARTY_A), request, answer.clone()));
		assert_ok!(Treasury::fulfil_signature_request(signed(PARTY_B), request, answer));
		assert_eq!(status_of_sign_request(request), RequestStatus::Fulfilled);
	});
}

// ---------------------------------------------------------------------------------------------
// update_key_policy
// ---------------------------------------------------------------------------------------------

#[test]
fn update_key_policy_works() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		set_policy(7, vec![OWNER, OWNER_2]);
		set_policy(8, vec![OWNER_2]);
		// No key policy: gated by the workspace's sign policy (the default).
		assert_ok!(Treasury::update_key_policy(signed(OWNER), key, Some(7)));
		assert_eq!(submissions().last().unwrap().policy, None);
		assert_eq!(Keys::<Test>::get(key).unwrap().sign_policy, Some(7));
		assert_eq!(last_event(), Event::KeyPolicyUpdated { key, sign_policy: Some(7) });
		// Now gated by the key's current policy.
		assert_ok!(Treasury::update_key_policy(signed(OWNER_2), key, Some(8)));
		assert_eq!(submissions().last().unwrap().policy, Some(7));
		assert_eq!(Keys::<Test>::get(key).unwrap().sign_policy, Some(8));
		// Back to the workspace's policy.
		assert_ok!(Treasury::update_key_policy(signed(OWNER), key, None));
		assert_eq!(submissions().last().unwrap().policy, Some(8));
		assert_eq!(Keys::<Test>::get(key).unwrap().sign_policy, None);
		assert_eq!(last_event(), Event::KeyPolicyUpdated { key, sign_policy: None });
	});
}

#[test]
fn update_key_policy_errors() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		set_policy(7, vec![OWNER, OUTSIDER]);
		set_policy(8, vec![OWNER]);
		assert_noop!(
			Treasury::update_key_policy(signed(OWNER), 99, Some(8)),
			Error::<Test>::UnknownKey
		);
		assert_noop!(
			Treasury::update_key_policy(signed(OUTSIDER), key, Some(8)),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			Treasury::update_key_policy(signed(OWNER), key, Some(7)),
			Error::<Test>::PolicyParticipantNotOwner
		);
		assert_noop!(
			Treasury::update_key_policy(signed(OWNER), key, Some(99)),
			DispatchError::Other("UnknownPolicy")
		);
		assert_noop!(
			Treasury::update_key_policy(approved(WS, Some(8), OWNER), key, Some(8)),
			Error::<Test>::SignPolicyChanged
		);
		assert_noop!(
			Treasury::update_key_policy(approved(OTHER_WS, None, OWNER), key, Some(8)),
			Error::<Test>::ApprovalForOtherWorkspace
		);
		// Waiting for approval while the policy changes: the approval no longer applies.
		set_policy(9, vec![OWNER, OWNER_2]);
		assert_ok!(Treasury::update_key_policy(signed(OWNER), key, Some(9)));
		set_gate_mode(GateMode::Pending);
		assert_ok!(Treasury::update_key_policy(signed(OWNER), key, Some(8)));
		let action = pending_actions()[0];
		set_gate_mode(GateMode::Immediate);
		// (Changed by another approved call in the meantime.)
		assert_ok!(Treasury::update_key_policy(approved(WS, Some(9), OWNER_2), key, None));
		assert!(approve(action).is_err());
		assert_eq!(Keys::<Test>::get(key).unwrap().sign_policy, None);
	});
}

// ---------------------------------------------------------------------------------------------
// Expiry
// ---------------------------------------------------------------------------------------------

#[test]
fn open_requests_expire_and_are_refunded() {
	build_and_execute(|| {
		setup_two_of_three();
		let key_request = request_key(KeyType::Ed25519);
		let pair = ed25519_pair(1);
		for party in [PARTY_A, PARTY_B] {
			assert_ok!(Treasury::fulfil_key_request(
				signed(party),
				key_request,
				ed25519_public(&pair)
			));
		}
		run_to_block(3);
		let pending = request_key(KeyType::Ed25519);
		let partial = request_key(KeyType::Ed25519);
		assert_ok!(Treasury::fulfil_key_request(
			signed(PARTY_A),
			partial,
			ed25519_public(&ed25519_pair(2))
		));
		let sign = request_signature(key_request, &[b"m".to_vec()]);
		assert_eq!(held(OWNER), 2 * KEY_FEE + SIGN_FEE);
		assert_eq!(queued().iter().filter(|(_, _, at)| *at == 13).count(), 3);

		run_to_block(12);
		assert_eq!(status_of_key_request(pending), RequestStatus::Pending);
		run_to_block(13);
		assert_eq!(status_of_key_request(pending), RequestStatus::Expired);
		assert_eq!(status_of_key_request(partial), RequestStatus::Expired);
		assert_eq!(status_of_sign_request(sign), RequestStatus::Expired);
		assert!(has_event(Event::KeyRequestExpired { request: pending, refunded: KEY_FEE }));
		assert!(has_event(Event::KeyRequestExpired { request: partial, refunded: KEY_FEE }));
		assert!(has_event(Event::SignatureRequestExpired { request: sign, refunded: SIGN_FEE }));
		assert_eq!(held(OWNER), 0);
		assert_eq!(free(OWNER), INITIAL_BALANCE - KEY_FEE);
		assert!(queued().iter().all(|(_, _, at)| *at > 13));
		assert!(PendingKeyRequests::<Test>::iter().next().is_none());
		assert!(PendingSignRequests::<Test>::iter().next().is_none());
		assert_eq!(OpenKeyRequestCount::<Test>::get(WS), None);
		// The fulfilled key request is untouched.
		assert_eq!(status_of_key_request(key_request), RequestStatus::Fulfilled);
		// Expired requests take no answers.
		assert_noop!(
			Treasury::fulfil_key_request(
				signed(PARTY_B),
				partial,
				ed25519_public(&ed25519_pair(2))
			),
			Error::<Test>::RequestNotPending
		);
		assert_noop!(
			Treasury::reject_signature_request(signed(PARTY_A), sign, reason(b"late")),
			Error::<Test>::RequestNotPending
		);
	});
}

#[test]
fn the_sweep_drops_decided_requests_without_touching_them() {
	build_and_execute(|| {
		setup_single();
		let fulfilled = request_key(KeyType::Ed25519);
		let rejected = request_key(KeyType::Ed25519);
		let open = request_key(KeyType::Ed25519);
		assert_ok!(Treasury::fulfil_key_request(
			signed(PARTY_A),
			fulfilled,
			ed25519_public(&ed25519_pair(1))
		));
		assert_ok!(Treasury::reject_key_request(signed(PARTY_A), rejected, reason(b"x")));
		// Answering does not touch the queue: the sweep drops those entries when it reaches them.
		assert_eq!(
			queued(),
			vec![
				(RequestKind::Key, fulfilled, 11),
				(RequestKind::Key, rejected, 11),
				(RequestKind::Key, open, 11)
			]
		);
		let held_before = held(OWNER);
		run_to_block(11);
		assert!(queued().is_empty());
		// Only the open request's fee was refunded.
		assert_eq!(held(OWNER), held_before - KEY_FEE);
		assert_eq!(status_of_key_request(fulfilled), RequestStatus::Fulfilled);
		assert_eq!(status_of_key_request(rejected), RequestStatus::Rejected);
		assert_eq!(status_of_key_request(open), RequestStatus::Expired);
		// Exactly one expiry event.
		let expiries = treasury_events()
			.into_iter()
			.filter(|e| matches!(e, Event::KeyRequestExpired { .. }))
			.count();
		assert_eq!(expiries, 1);
	});
}

#[test]
fn requests_are_never_refused_for_expiry_and_the_sweep_is_bounded_per_block() {
	build_and_execute(|| {
		setup_single();
		update_keyring(KR, |k| k.key_request_fee = 0);
		// MaxExpiriesPerBlock = 3; 10 requests share one deadline: all are accepted.
		let requests: Vec<RequestId> = (0..10).map(|_| request_key(KeyType::Ed25519)).collect();
		for request in &requests {
			assert_eq!(KeyRequests::<Test>::get(request).unwrap().expires_at, 11);
		}
		// At the deadline no party can answer any of them, swept or not.
		run_to_block(11);
		assert_eq!(
			requests
				.iter()
				.filter(|r| status_of_key_request(**r) == RequestStatus::Expired)
				.count(),
			3
		);
		assert_noop!(
			Treasury::fulfil_key_request(
				signed(PARTY_A),
				requests[9],
				ed25519_public(&ed25519_pair(1))
			),
			Error::<Test>::RequestNotPending
		);
		assert_noop!(
			Treasury::reject_key_request(signed(PARTY_A), requests[9], reason(b"late")),
			Error::<Test>::RequestNotPending
		);
		// Nor are they offered to the keyring's parties any more.
		assert!(Treasury::pending_requests(KR).0.is_empty());
		// Three per block: the rest expire in the next blocks, oldest first.
		run_to_block(12);
		assert_eq!(status_of_key_request(requests[5]), RequestStatus::Expired);
		assert_eq!(status_of_key_request(requests[6]), RequestStatus::Pending);
		run_to_block(14);
		assert!(requests.iter().all(|r| status_of_key_request(*r) == RequestStatus::Expired));
		assert!(queued().is_empty());
		assert!(PendingKeyRequests::<Test>::iter().next().is_none());
	});
}

#[test]
fn a_request_can_be_answered_until_the_block_before_its_deadline() {
	build_and_execute(|| {
		setup_single();
		let request = request_key(KeyType::Ed25519);
		run_to_block(10);
		assert_eq!(Treasury::pending_requests(KR).0.len(), 1);
		assert_ok!(Treasury::fulfil_key_request(
			signed(PARTY_A),
			request,
			ed25519_public(&ed25519_pair(1))
		));
		assert_eq!(status_of_key_request(request), RequestStatus::Fulfilled);
	});
}

#[test]
fn on_initialize_reports_the_weight_of_the_sweep_and_the_removal() {
	build_and_execute(|| {
		setup_single();
		request_key(KeyType::Ed25519);
		request_key(KeyType::Ed25519);
		use crate::WeightInfo;
		// Block 5: nothing expires; removal looks at request 0 (open) and stops.
		assert_eq!(
			Treasury::on_initialize(5),
			<() as WeightInfo>::on_initialize_expire(0)
				.saturating_add(<() as WeightInfo>::on_initialize_prune(1))
		);
		// Block 11: both expire; request 0 is retained, so removal stops at it again.
		System::set_block_number(11);
		assert_eq!(
			Treasury::on_initialize(11),
			<() as WeightInfo>::on_initialize_expire(2)
				// Each expired request may withdraw what it recorded in the spending ledger.
				.saturating_add(<() as WeightInfo>::record_spending().saturating_mul(2))
				.saturating_add(<() as WeightInfo>::on_initialize_prune(1))
		);
	});
}

// ---------------------------------------------------------------------------------------------
// Fees
// ---------------------------------------------------------------------------------------------

#[test]
fn fees_are_conserved() {
	build_and_execute(|| {
		setup_two_of_three();
		let issuance = Balances::total_issuance();
		let accounts: Vec<AccountId> =
			vec![OWNER, OWNER_2, PARTY_A, PARTY_B, PARTY_C, OUTSIDER, keyring_account(KR)];
		let total_of = |accounts: &[AccountId]| -> Balance {
			accounts.iter().map(Balances::total_balance).sum()
		};
		let total_before = total_of(&accounts);
		let parties_before: Vec<Balance> = [PARTY_A, PARTY_B, PARTY_C].map(free).to_vec();
		let pair = ed25519_pair(1);

		// Fulfilled key request (paid), rejected (refunded), expired (refunded), fulfilled and
		// rejected signature requests.
		let key = request_key(KeyType::Ed25519);
		for party in [PARTY_A, PARTY_B] {
			assert_ok!(Treasury::fulfil_key_request(signed(party), key, ed25519_public(&pair)));
		}
		let rejected = request_key(KeyType::Ed25519);
		for party in [PARTY_A, PARTY_B] {
			assert_ok!(Treasury::reject_key_request(signed(party), rejected, reason(b"no")));
		}
		let expiring = request_key(KeyType::Ed25519);
		let signed_ok = request_signature(key, &[b"a".to_vec()]);
		let answer = sigs(&[pair.sign(b"a").0.to_vec()]);
		for party in [PARTY_B, PARTY_C] {
			assert_ok!(Treasury::fulfil_signature_request(
				signed(party),
				signed_ok,
				answer.clone()
			));
		}
		let sign_rejected = request_signature(key, &[b"b".to_vec()]);
		for party in [PARTY_A, PARTY_C] {
			assert_ok!(Treasury::reject_signature_request(
				signed(party),
				sign_rejected,
				reason(b"n")
			));
		}
		let escrowed: Balance = KeyRequests::<Test>::iter().map(|(_, r)| r.fee).sum::<Balance>()
			+ SignRequests::<Test>::iter().map(|(_, r)| r.fee).sum::<Balance>();
		assert_eq!(escrowed, 3 * KEY_FEE + 2 * SIGN_FEE);
		assert_eq!(held(OWNER), KEY_FEE); // the expiring request is still open
		run_to_block(1 + REQUEST_TIMEOUT);
		assert_eq!(status_of_key_request(expiring), RequestStatus::Expired);

		// Escrowed = paid + refunded, from the events.
		let (mut paid, mut refunded) = (0, 0);
		for event in treasury_events() {
			match event {
				Event::KeyRequestFulfilled { fee, .. }
				| Event::SignatureRequestFulfilled { fee, .. } => paid += fee,
				Event::KeyRequestRejected { refunded: r, .. }
				| Event::KeyRequestExpired { refunded: r, .. }
				| Event::SignatureRequestRejected { refunded: r, .. }
				| Event::SignatureRequestExpired { refunded: r, .. } => refunded += r,
				_ => {}
			}
		}
		assert_eq!(paid, KEY_FEE + SIGN_FEE);
		assert_eq!(refunded, 2 * KEY_FEE + SIGN_FEE);
		assert_eq!(escrowed, paid + refunded);
		// The keyring received exactly what was paid; the requester lost exactly that.
		assert_eq!(free(keyring_account(KR)), paid);
		assert_eq!(INITIAL_BALANCE - free(OWNER), paid);
		assert_eq!(held(OWNER), 0);
		// The escrow is back to its existential deposit; the keyring was paid in one transfer
		// per call.
		assert_eq!(free(Treasury::escrow_account()), ExistentialDeposit::get());
		let payments: Balance = treasury_events()
			.into_iter()
			.map(|event| match event {
				Event::KeyringFeesPaid { keyring: KR, amount } => amount,
				_ => 0,
			})
			.sum();
		assert_eq!(payments, paid);
		// Nothing minted, nothing burnt, parties untouched.
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(total_of(&accounts), total_before);
		assert_eq!([PARTY_A, PARTY_B, PARTY_C].map(free).to_vec(), parties_before);
	});
}

#[test]
fn a_fee_the_keyring_cannot_receive_yet_is_owed_and_paid_with_its_next_fees() {
	build_and_execute(|| {
		setup_single();
		// 3 is below the existential deposit (5) and the keyring's account does not exist.
		update_keyring(KR, |k| k.key_request_fee = 3);
		let request = request_key(KeyType::Ed25519);
		assert_eq!(held(OWNER), 3);
		assert_eq!(free(OWNER), INITIAL_BALANCE - 3);
		assert_ok!(Treasury::fulfil_key_request(
			signed(PARTY_A),
			request,
			ed25519_public(&ed25519_pair(1))
		));
		// The key exists; the fee is owed to the keyring, still in the escrow.
		assert!(Keys::<Test>::contains_key(request));
		assert_eq!(last_event(), Event::KeyringFeesOwed { keyring: KR, owed: 3 });
		assert!(has_event(Event::KeyRequestFulfilled {
			request,
			key: request,
			workspace: WS,
			keyring: KR,
			public_key: ed25519_pair(1).public().0.to_vec().try_into().unwrap(),
			fee: 3,
		}));
		assert_eq!(OwedKeyringFees::<Test>::get(KR), Some(3));
		assert_eq!(free(Treasury::escrow_account()), ExistentialDeposit::get() + 3);
		// The next fee makes the sum reach the existential deposit: both are paid at once.
		let request = request_key(KeyType::Ed25519);
		assert_ok!(Treasury::fulfil_key_request(
			signed(PARTY_A),
			request,
			ed25519_public(&ed25519_pair(2))
		));
		assert_eq!(last_event(), Event::KeyringFeesPaid { keyring: KR, amount: 6 });
		assert_eq!(OwedKeyringFees::<Test>::get(KR), None);
		assert_eq!(free(keyring_account(KR)), 6);
		assert_eq!(free(OWNER), INITIAL_BALANCE - 6);
		assert_eq!(free(Treasury::escrow_account()), ExistentialDeposit::get());
	});
}

// ---------------------------------------------------------------------------------------------
// Indexes and queries
// ---------------------------------------------------------------------------------------------

#[test]
fn workspaces_with_keys_or_open_key_requests_are_in_use() {
	build_and_execute(|| {
		setup_single();
		assert!(!WorkspacesWithKeys::<Test>::contains(&WS));
		let rejected = request_key(KeyType::Ed25519);
		assert!(WorkspacesWithKeys::<Test>::contains(&WS));
		assert_ok!(Treasury::reject_key_request(signed(PARTY_A), rejected, reason(b"x")));
		assert!(!WorkspacesWithKeys::<Test>::contains(&WS));
		create_key(KeyType::Ed25519, ed25519_public(&ed25519_pair(1)));
		assert!(WorkspacesWithKeys::<Test>::contains(&WS));
		assert!(!WorkspacesWithKeys::<Test>::contains(&OTHER_WS));
	});
}

#[test]
fn keys_are_listed_per_workspace() {
	build_and_execute(|| {
		setup_single();
		set_keyring(1, vec![PARTY_B], 1, 0, 0);
		let a = create_key(KeyType::Ed25519, ed25519_public(&ed25519_pair(1)));
		assert_ok!(Treasury::request_key(
			signed(OUTSIDER),
			OTHER_WS,
			1,
			KeyType::Ed25519,
			None,
			Balance::MAX,
			None
		));
		let other = last_id();
		assert_ok!(Treasury::fulfil_key_request(
			signed(PARTY_B),
			other,
			ed25519_public(&ed25519_pair(2))
		));
		let b = create_key(KeyType::EcdsaSecp256k1, ecdsa_public(&eip155_pair()));
		let mut keys: Vec<KeyId> = WorkspaceKeys::<Test>::iter_key_prefix(WS).collect();
		keys.sort();
		assert_eq!(keys, vec![a, b]);
		assert_eq!(
			WorkspaceKeys::<Test>::iter_key_prefix(OTHER_WS).collect::<Vec<_>>(),
			vec![other]
		);
		assert_eq!(Keys::<Test>::get(other).unwrap().keyring, 1);
	});
}

#[test]
fn pending_requests_lists_what_a_controller_must_answer() {
	build_and_execute(|| {
		setup_two_of_three();
		set_keyring(1, vec![PARTY_B], 1, 0, 0);
		let key_request = request_key(KeyType::Ed25519);
		let pair = ed25519_pair(1);
		for party in [PARTY_A, PARTY_B] {
			assert_ok!(Treasury::fulfil_key_request(
				signed(party),
				key_request,
				ed25519_public(&pair)
			));
		}
		let open_key = request_key(KeyType::EcdsaSecp256k1);
		assert_ok!(Treasury::reject_key_request(signed(PARTY_C), open_key, reason(b"x")));
		let sign = request_signature(key_request, &[b"one".to_vec(), b"two".to_vec()]);
		assert_ok!(Treasury::request_key(
			signed(OWNER),
			WS,
			1,
			KeyType::Ed25519,
			None,
			Balance::MAX,
			None
		));
		let other_keyring = last_id();

		let (keys, signs) = Treasury::pending_requests(KR);
		assert_eq!(keys.len(), 1);
		assert_eq!(keys[0].request, open_key);
		assert_eq!(keys[0].workspace, WS);
		assert_eq!(keys[0].key_type, KeyType::EcdsaSecp256k1);
		assert_eq!(keys[0].expires_at, 11);
		assert_eq!(keys[0].responded, vec![PARTY_C]);
		assert_eq!(signs.len(), 1);
		assert_eq!(signs[0].request, sign);
		assert_eq!(signs[0].key, key_request);
		assert_eq!(signs[0].key_type, KeyType::Ed25519);
		assert_eq!(signs[0].public_key, pair.public().0.to_vec());
		assert_eq!(signs[0].payloads, vec![b"one".to_vec(), b"two".to_vec()]);
		assert_eq!(signs[0].chain, None);
		assert!(signs[0].responded.is_empty());

		let (keys, signs) = Treasury::pending_requests(1);
		assert_eq!(keys.iter().map(|k| k.request).collect::<Vec<_>>(), vec![other_keyring]);
		assert!(signs.is_empty());
		assert_eq!(Treasury::pending_requests(7), (vec![], vec![]));
	});
}

#[test]
fn keys_are_found_by_address() {
	build_and_execute(|| {
		setup_single();
		let ecdsa_key = create_eip155_key();
		let (key, addresses) = Treasury::key_with_addresses(ecdsa_key).unwrap();
		assert_eq!(key.key_type, KeyType::EcdsaSecp256k1);
		assert_eq!(addresses[0], (AddressFormat::Evm, EIP155_ADDRESS.to_string()));
		assert_eq!(addresses.len(), 4);
		for (_, address) in &addresses {
			assert_eq!(Treasury::key_by_address(address.as_bytes()), Some(ecdsa_key));
		}
		// EVM addresses in any case, without 0x, or raw.
		let lower = EIP155_ADDRESS.to_lowercase();
		assert_eq!(Treasury::key_by_address(lower.as_bytes()), Some(ecdsa_key));
		assert_eq!(Treasury::key_by_address(&lower.as_bytes()[2..]), Some(ecdsa_key));
		assert_eq!(Treasury::key_by_address(&hex(&lower[2..])), Some(ecdsa_key));
		// A wrong EIP-55 checksum is not an address of the key.
		let wrong = EIP155_ADDRESS.replace('A', "a").replacen('d', "D", 1);
		assert_eq!(Treasury::key_by_address(wrong.as_bytes()), None);

		let bitcoin_key = create_key(KeyType::BitcoinSecp256k1, ecdsa_public(&ecdsa_pair(5)));
		let (_, addresses) = Treasury::key_with_addresses(bitcoin_key).unwrap();
		assert_eq!(addresses.len(), 3);
		let (format, mainnet) = &addresses[0];
		assert_eq!(*format, AddressFormat::Bitcoin(BitcoinNetwork::Mainnet));
		assert!(mainnet.starts_with("bc1q"));
		assert_eq!(Treasury::key_by_address(mainnet.as_bytes()), Some(bitcoin_key));
		assert_eq!(Treasury::key_by_address(mainnet.to_uppercase().as_bytes()), Some(bitcoin_key));

		let ed_key = create_key(KeyType::Ed25519, ed25519_public(&ed25519_pair(1)));
		let (_, addresses) = Treasury::key_with_addresses(ed_key).unwrap();
		assert_eq!(addresses[0].0, AddressFormat::Solana);
		for (_, address) in &addresses {
			assert_eq!(Treasury::key_by_address(address.as_bytes()), Some(ed_key));
		}
		assert_eq!(Treasury::key_by_address(b"nothing"), None);
		assert_eq!(Treasury::key_with_addresses(99), None);
		assert_eq!(KeyByAddress::<Test>::iter().count(), 4 + 3 + 2);
	});
}

#[test]
fn integrity_test_passes() {
	new_test_ext().execute_with(|| {
		<Treasury as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn answers_are_bounded_by_max_parties() {
	build_and_execute(|| {
		setup(&[3, 4, 5, 6], 4);
		let request = request_key(KeyType::Ed25519);
		// A party added after the request (5 parties > MaxParties) answers last: no room.
		let public = ed25519_public(&ed25519_pair(1));
		assert_ok!(Treasury::fulfil_key_request(signed(3), request, public.clone()));
		assert_ok!(Treasury::fulfil_key_request(signed(4), request, public.clone()));
		assert_ok!(Treasury::reject_key_request(signed(5), request, reason(b"x")));
		assert_eq!(status_of_key_request(request), RequestStatus::Rejected);
		let request = request_key(KeyType::Ed25519);
		update_keyring(KR, |k| {
			k.parties.push(7);
			k.party_threshold = 5;
		});
		for party in [3, 4, 5, 6] {
			assert_ok!(Treasury::fulfil_key_request(signed(party), request, public.clone()));
		}
		// Threshold 4 was fixed at request time: fulfilled by the four.
		assert_eq!(status_of_key_request(request), RequestStatus::Fulfilled);
	});
}

#[test]
fn a_full_answer_list_is_refused_without_harm() {
	build_and_execute(|| {
		setup(&[3, 4, 5, 6], 2);
		let request = request_key(KeyType::Ed25519);
		// More parties join after the request; four conflicting answers leave it open.
		update_keyring(KR, |k| k.parties.extend([7, 8, 9, 10]));
		for (i, party) in [3, 4, 5, 6].into_iter().enumerate() {
			assert_ok!(Treasury::fulfil_key_request(
				signed(party),
				request,
				ed25519_public(&ed25519_pair(10 + i as u8))
			));
		}
		assert_eq!(status_of_key_request(request), RequestStatus::Partial);
		assert_noop!(
			Treasury::fulfil_key_request(signed(7), request, ed25519_public(&ed25519_pair(10))),
			Error::<Test>::TooManyResponses
		);
		assert_eq!(KeyRequests::<Test>::get(request).unwrap().responses.len(), 4);
	});
}

// ---------------------------------------------------------------------------------------------
// Arguments beyond their bounds and fees that cannot be held: named errors from the call
// ---------------------------------------------------------------------------------------------

#[test]
fn a_requester_who_cannot_cover_the_fee_is_told_so() {
	build_and_execute(|| {
		setup_single();
		// Leave the owner less free balance than the key request fee.
		assert_ok!(Balances::transfer_allow_death(signed(OWNER), OUTSIDER, INITIAL_BALANCE - 10));
		assert!(free(OWNER) < KEY_FEE);
		assert_noop!(
			Treasury::request_key(
				signed(OWNER),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			Error::<Test>::InsufficientBalanceForRequestFee
		);

		// The same for the signature request fee, with a key created while funds lasted.
		assert_ok!(Balances::transfer_allow_death(signed(OUTSIDER), OWNER, 100));
		let key = create_key(KeyType::Ed25519, ed25519_public(&ed25519_pair(1)));
		let keep = free(OWNER) - (SIGN_FEE - 1);
		assert_ok!(Balances::transfer_allow_death(signed(OWNER), OUTSIDER, keep));
		assert_noop!(
			Treasury::request_signature(
				signed(OWNER),
				key,
				payloads(&[b"m".to_vec()]),
				Balance::MAX,
				None
			),
			Error::<Test>::InsufficientBalanceForRequestFee
		);
	});
}

#[test]
fn more_payloads_than_the_bound_are_refused_by_name() {
	build_and_execute(|| {
		setup_single();
		let key = create_key(KeyType::Ed25519, ed25519_public(&ed25519_pair(1)));
		let items = vec![b"m".to_vec(); MaxPayloadsPerRequest::get() as usize + 1];
		assert_noop!(
			Treasury::request_signature(signed(OWNER), key, items, Balance::MAX, None),
			Error::<Test>::TooManyPayloads
		);
		// At the bound the request is made.
		let items = vec![b"m".to_vec(); MaxPayloadsPerRequest::get() as usize];
		assert_ok!(Treasury::request_signature(signed(OWNER), key, items, Balance::MAX, None));
	});
}

#[test]
fn a_payload_longer_than_the_bound_is_refused_by_name() {
	build_and_execute(|| {
		setup_single();
		let key = create_key(KeyType::Ed25519, ed25519_public(&ed25519_pair(1)));
		let longest = vec![7u8; MaxPayloadLength::get() as usize];
		assert_noop!(
			Treasury::request_signature(
				signed(OWNER),
				key,
				vec![[longest.clone(), vec![0]].concat()],
				Balance::MAX,
				None
			),
			Error::<Test>::PayloadTooLong
		);
		assert_ok!(Treasury::request_signature(
			signed(OWNER),
			key,
			vec![longest],
			Balance::MAX,
			None
		));
	});
}

#[test]
fn a_signature_longer_than_any_valid_one_is_refused_by_name() {
	build_and_execute(|| {
		setup_single();
		let key = create_eip155_key();
		let request = request_signature(key, &[prehash(1).to_vec()]);
		assert_noop!(
			Treasury::fulfil_signature_request(signed(PARTY_A), request, vec![vec![1u8; 73]]),
			Error::<Test>::SignatureTooLong
		);
		// More signatures than any request has payloads.
		let too_many = vec![vec![1u8; 65]; MaxPayloadsPerRequest::get() as usize + 1];
		assert_noop!(
			Treasury::fulfil_signature_request(signed(PARTY_A), request, too_many),
			Error::<Test>::WrongSignatureCount
		);
		assert_eq!(status_of_sign_request(request), RequestStatus::Pending);
	});
}

#[test]
fn over_bound_signatures_fail_by_name_before_the_request_is_looked_up() {
	build_and_execute(|| {
		setup_single();
		let unknown = 999;
		assert_noop!(
			Treasury::fulfil_signature_request(signed(PARTY_A), unknown, vec![vec![1u8; 73]]),
			Error::<Test>::SignatureTooLong
		);
		let too_many = vec![vec![1u8; 65]; MaxPayloadsPerRequest::get() as usize + 1];
		assert_noop!(
			Treasury::fulfil_signature_request(signed(PARTY_A), unknown, too_many),
			Error::<Test>::WrongSignatureCount
		);
		assert_noop!(
			Treasury::fulfil_signature_request(signed(PARTY_A), unknown, vec![vec![1u8; 65]]),
			Error::<Test>::UnknownRequest
		);
	});
}

#[test]
fn a_rejection_reason_longer_than_the_bound_is_refused_by_name() {
	build_and_execute(|| {
		setup_single();
		let too_long = vec![b'r'; MaxRejectionReasonLength::get() as usize + 1];
		let request = request_key(KeyType::Ed25519);
		assert_noop!(
			Treasury::reject_key_request(signed(PARTY_A), request, too_long.clone()),
			Error::<Test>::ReasonTooLong
		);
		let key = create_key(KeyType::Ed25519, ed25519_public(&ed25519_pair(1)));
		let sign = request_signature(key, &[b"m".to_vec()]);
		assert_noop!(
			Treasury::reject_signature_request(signed(PARTY_A), sign, too_long),
			Error::<Test>::ReasonTooLong
		);
		// At the bound the rejection is recorded.
		let longest = vec![b'r'; MaxRejectionReasonLength::get() as usize];
		assert_ok!(Treasury::reject_signature_request(signed(PARTY_A), sign, longest));
		assert_eq!(status_of_sign_request(sign), RequestStatus::Rejected);
	});
}

#[test]
fn a_public_key_longer_than_any_valid_one_is_refused() {
	build_and_execute(|| {
		setup_single();
		let request = request_key(KeyType::EcdsaSecp256k1);
		let mut too_long = ecdsa_public(&eip155_pair());
		too_long.resize(66, 0);
		assert_noop!(
			Treasury::fulfil_key_request(signed(PARTY_A), request, too_long),
			Error::<Test>::InvalidPublicKey
		);
	});
}

// ---------------------------------------------------------------------------------------------
// Retention: decided requests leave the state
// ---------------------------------------------------------------------------------------------

/// Bytes (keys and values) stored under the treasury pallet's prefix.
fn treasury_state_bytes() -> usize {
	let prefix = sp_io::hashing::twox_128(b"Treasury").to_vec();
	let mut total = 0;
	let mut key = prefix.clone();
	while let Some(next) = sp_io::storage::next_key(&key) {
		if !next.starts_with(&prefix) {
			break;
		}
		total += next.len() + sp_io::storage::get(&next).map_or(0, |value| value.len());
		key = next;
	}
	total
}

#[test]
fn a_decided_signature_request_leaves_no_state_after_its_retention_period() {
	build_and_execute(|| {
		setup_single();
		RequestRetention::set(5);
		let key = create_key(KeyType::Ed25519, ed25519_public(&ed25519_pair(1)));
		// The key's own request is removed too (its deadline is block 11); the key stays.
		run_to_block(11 + 5);
		assert!(!KeyRequests::<Test>::contains_key(key));
		assert!(Keys::<Test>::contains_key(key));
		let before = treasury_state_bytes();

		let pair = ed25519_pair(1);
		let payload = b"retained for a while".to_vec();
		let request = request_signature(key, std::slice::from_ref(&payload));
		let signature = pair.sign(&payload).0.to_vec();
		assert_ok!(Treasury::fulfil_signature_request(
			signed(PARTY_A),
			request,
			sigs(std::slice::from_ref(&signature))
		));
		// The outcome is in the event, with the signatures.
		assert!(treasury_events().iter().any(|event| matches!(
			event,
			Event::SignatureRequestFulfilled { request: r, signatures, .. }
				if *r == request && signatures.to_vec() == stored_sigs(std::slice::from_ref(&signature)).to_vec()
		)));
		let deadline = SignRequests::<Test>::get(request).unwrap().expires_at;
		assert!(treasury_state_bytes() > before);

		// Kept through the retention period after the deadline, removed at its end.
		run_to_block(deadline + 5 - 1);
		assert!(SignRequests::<Test>::contains_key(request));
		assert!(stored_signatures(request).is_some());
		run_to_block(deadline + 5);
		for present in [
			SignRequests::<Test>::contains_key(request),
			SignPayloads::<Test>::contains_key(request),
			stored_signatures(request).is_some(),
		] {
			assert!(!present);
		}
		// Zero bytes per finished request: the state is as before the request (the counters
		// NextRequestId and NextRequestToPrune have fixed sizes).
		assert_eq!(treasury_state_bytes(), before);
	});
}

#[test]
fn a_transaction_waiting_for_its_broadcast_is_kept_until_a_relayer_reports_it() {
	build_and_execute(|| {
		setup_single();
		RequestRetention::set(2);
		let key = create_eip155_key();
		let unsigned = hex(EIP155_SIGNING_DATA);
		assert_ok!(Treasury::request_transaction_signature(
			signed(OWNER),
			key,
			Chain::Evm { chain_id: 1 },
			unsigned,
			true,
			Balance::MAX,
			None
		));
		let request = last_id();
		let later = request_key(KeyType::Ed25519);
		let signature = eip155_pair().sign_prehashed(&hex(EIP155_SIGNING_HASH).try_into().unwrap());
		assert_ok!(Treasury::fulfil_signature_request(
			signed(PARTY_A),
			request,
			sigs(&[signature.0.to_vec()])
		));
		assert_ok!(Treasury::reject_key_request(signed(PARTY_A), later, reason(b"no")));
		let deadline = SignRequests::<Test>::get(request).unwrap().expires_at;
		run_to_block(deadline + 10);
		// Still waiting for a relayer: kept, with what the relayer needs, and the request after it
		// waits as well (removal goes in id order).
		assert!(Treasury::signed_transaction(request).is_some());
		assert!(KeyRequests::<Test>::contains_key(later));
		assert_eq!(NextRequestToPrune::<Test>::get(), request);
		// Reported: removed in the next block, and the later request with it.
		assert!(Treasury::take_awaiting_broadcast(request).is_some());
		run_to_block(deadline + 11);
		assert!(!SignRequests::<Test>::contains_key(request));
		assert!(!UnsignedTransactions::<Test>::contains_key(request));
		assert!(!KeyRequests::<Test>::contains_key(later));
	});
}

#[test]
fn an_open_request_holds_back_removal_and_removal_is_bounded_per_block() {
	build_and_execute(|| {
		setup_single();
		RequestRetention::set(1);
		update_keyring(KR, |k| k.key_request_fee = 0);
		let open = request_key(KeyType::Ed25519);
		let decided: Vec<RequestId> = (0..7).map(|_| request_key(KeyType::Ed25519)).collect();
		for request in &decided {
			assert_ok!(Treasury::reject_key_request(signed(PARTY_A), *request, reason(b"no")));
		}
		// Before the first deadline nothing can go: the open request is first in line.
		run_to_block(10);
		assert_eq!(NextRequestToPrune::<Test>::get(), open);
		assert!(decided.iter().all(KeyRequests::<Test>::contains_key));
		// It expires at 11 and is removable from 12; three ids per block (MaxPrunesPerBlock).
		run_to_block(12);
		assert!(!KeyRequests::<Test>::contains_key(open));
		assert_eq!(NextRequestToPrune::<Test>::get(), open + 3);
		run_to_block(14);
		assert!(decided.iter().all(|r| !KeyRequests::<Test>::contains_key(r)));
		assert_eq!(NextRequestToPrune::<Test>::get(), NextRequestId::<Test>::get());
	});
}

// ---------------------------------------------------------------------------------------------
// Batched answers
// ---------------------------------------------------------------------------------------------

/// The AnswerFailed events, in order.
fn failed_answers() -> Vec<(RequestId, DispatchError)> {
	treasury_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::AnswerFailed { request, error } => Some((request, error)),
			_ => None,
		})
		.collect()
}

#[test]
fn fulfil_signature_requests_answers_many_and_pays_the_keyring_once() {
	build_and_execute(|| {
		setup_single();
		let ecdsa = ecdsa_pair(1);
		let ed = ed25519_pair(2);
		let ecdsa_key = create_key(KeyType::EcdsaSecp256k1, ecdsa_public(&ecdsa));
		let ed_key = create_key(KeyType::Ed25519, ed25519_public(&ed));
		let first = request_signature(ecdsa_key, &[prehash(1).to_vec(), prehash(2).to_vec()]);
		let second = request_signature(ed_key, &[b"hello".to_vec()]);
		let third = request_signature(ecdsa_key, &[prehash(3).to_vec()]);
		assert_eq!(held(OWNER), 3 * SIGN_FEE);
		let paid_before = free(keyring_account(KR));
		System::reset_events();
		let ecdsa_sig = |seed: u8| ecdsa.sign_prehashed(&prehash(seed)).0.to_vec();
		assert_ok!(Treasury::fulfil_signature_requests(
			signed(PARTY_A),
			KR,
			vec![
				(first, vec![ecdsa_sig(1), ecdsa_sig(2)]),
				(second, vec![ed.sign(b"hello").0.to_vec()]),
				(third, vec![ecdsa_sig(3)]),
			]
		));
		for request in [first, second, third] {
			assert_eq!(status_of_sign_request(request), RequestStatus::Fulfilled);
			assert!(!PendingSignRequests::<Test>::contains_key(KR, request));
		}
		assert_eq!(stored_signatures(first).unwrap(), stored_sigs(&[ecdsa_sig(1), ecdsa_sig(2)]));
		assert!(failed_answers().is_empty());
		// One payment for the three fees, as the last event.
		assert_eq!(last_event(), Event::KeyringFeesPaid { keyring: KR, amount: 3 * SIGN_FEE });
		let payments =
			treasury_events().iter().filter(|e| matches!(e, Event::KeyringFeesPaid { .. })).count();
		assert_eq!(payments, 1);
		assert_eq!(free(keyring_account(KR)), paid_before + 3 * SIGN_FEE);
		assert_eq!(held(OWNER), 0);
		assert_eq!(free(Treasury::escrow_account()), ExistentialDeposit::get());
	});
}

#[test]
fn a_failing_answer_in_a_batch_changes_nothing_and_the_others_stand() {
	build_and_execute(|| {
		setup_single();
		let ed = ed25519_pair(2);
		let key = create_key(KeyType::Ed25519, ed25519_public(&ed));
		let good = request_signature(key, &[b"good".to_vec()]);
		let bad = request_signature(key, &[b"bad".to_vec()]);
		let short = request_signature(key, &[b"one".to_vec(), b"two".to_vec()]);
		System::reset_events();
		assert_ok!(Treasury::fulfil_signature_requests(
			signed(PARTY_A),
			KR,
			vec![
				(bad, vec![ed.sign(b"not what was asked").0.to_vec()]),
				(good, vec![ed.sign(b"good").0.to_vec()]),
				(good, vec![ed.sign(b"good").0.to_vec()]),
				(short, vec![ed.sign(b"one").0.to_vec()]),
				(999, vec![ed.sign(b"good").0.to_vec()]),
			]
		));
		assert_eq!(
			failed_answers(),
			vec![
				(bad, Error::<Test>::InvalidSignature.into()),
				// The same request again: already fulfilled by the answer before it.
				(good, Error::<Test>::RequestNotPending.into()),
				(short, Error::<Test>::WrongSignatureCount.into()),
				(999, Error::<Test>::UnknownRequest.into()),
			]
		);
		assert_eq!(status_of_sign_request(good), RequestStatus::Fulfilled);
		for untouched in [bad, short] {
			let req = SignRequests::<Test>::get(untouched).unwrap();
			assert_eq!(req.status, RequestStatus::Pending);
			assert!(req.responses.is_empty());
			assert!(PendingSignRequests::<Test>::contains_key(KR, untouched));
		}
		assert_eq!(held(OWNER), 2 * SIGN_FEE);
		assert_eq!(last_event(), Event::KeyringFeesPaid { keyring: KR, amount: SIGN_FEE });
	});
}

#[test]
fn batched_calls_check_the_party_the_keyring_and_the_batch_size() {
	build_and_execute(|| {
		setup_single();
		set_keyring(1, vec![PARTY_B], 1, KEY_FEE, SIGN_FEE);
		let ed = ed25519_pair(2);
		let key = create_key(KeyType::Ed25519, ed25519_public(&ed));
		let request = request_signature(key, &[b"m".to_vec()]);
		let answer = vec![(request, vec![ed.sign(b"m").0.to_vec()])];
		// Not a party of the batch's keyring: the whole call fails.
		assert_noop!(
			Treasury::fulfil_signature_requests(signed(PARTY_B), KR, answer.clone()),
			Error::<Test>::NotParty
		);
		assert_noop!(
			Treasury::reject_requests(signed(OUTSIDER), KR, vec![(request, reason(b"no"))]),
			Error::<Test>::NotParty
		);
		// A party of keyring 1 answering keyring 0's request under keyring 1: that item fails.
		System::reset_events();
		assert_ok!(Treasury::fulfil_signature_requests(signed(PARTY_B), 1, answer.clone()));
		assert_eq!(failed_answers(), vec![(request, Error::<Test>::WrongKeyring.into())]);
		assert_eq!(status_of_sign_request(request), RequestStatus::Pending);
		// More answers than MaxAnswersPerCall (8).
		let too_many = vec![(request, vec![ed.sign(b"m").0.to_vec()]); 9];
		assert_noop!(
			Treasury::fulfil_signature_requests(signed(PARTY_A), KR, too_many),
			Error::<Test>::TooManyAnswers
		);
		assert_noop!(
			Treasury::fulfil_key_requests(signed(PARTY_A), KR, vec![(request, vec![]); 9]),
			Error::<Test>::TooManyAnswers
		);
		assert_noop!(
			Treasury::reject_requests(signed(PARTY_A), KR, vec![(request, vec![]); 9]),
			Error::<Test>::TooManyAnswers
		);
		// Eight are fine.
		assert_ok!(Treasury::fulfil_signature_requests(
			signed(PARTY_A),
			KR,
			vec![(request, vec![ed.sign(b"m").0.to_vec()]); 8]
		));
		assert_eq!(status_of_sign_request(request), RequestStatus::Fulfilled);
	});
}

#[test]
fn batched_secp256k1_signatures_must_be_recoverable() {
	build_and_execute(|| {
		setup_single();
		let pair = ecdsa_pair(3);
		let key = create_key(KeyType::BitcoinSecp256k1, ecdsa_public(&pair));
		let request = request_signature(key, &[prehash(7).to_vec()]);
		let signature = pair.sign_prehashed(&prehash(7));
		let der = parse_recoverable(&signature.0).unwrap().to_der().unwrap();
		System::reset_events();
		assert_ok!(Treasury::fulfil_signature_requests(
			signed(PARTY_A),
			KR,
			vec![(request, vec![der.clone()])]
		));
		assert_eq!(
			failed_answers(),
			vec![(request, Error::<Test>::RecoverableSignatureRequired.into())]
		);
		// The same signature in recoverable form is accepted for the Bitcoin key.
		assert_ok!(Treasury::fulfil_signature_requests(
			signed(PARTY_A),
			KR,
			vec![(request, vec![signature.0.to_vec()])]
		));
		assert_eq!(status_of_sign_request(request), RequestStatus::Fulfilled);
		// The single-answer call still takes DER signatures.
		let request = request_signature(key, &[prehash(8).to_vec()]);
		let der = parse_recoverable(&pair.sign_prehashed(&prehash(8)).0).unwrap().to_der().unwrap();
		assert_ok!(Treasury::fulfil_signature_request(signed(PARTY_A), request, vec![der]));
		assert_eq!(status_of_sign_request(request), RequestStatus::Fulfilled);
	});
}

#[test]
fn fulfil_key_requests_and_reject_requests_answer_in_batches() {
	build_and_execute(|| {
		setup_single();
		let ed = ed25519_pair(2);
		let key = create_key(KeyType::Ed25519, ed25519_public(&ed));
		let first = request_key(KeyType::EcdsaSecp256k1);
		let second = request_key(KeyType::Ed25519);
		let taken = request_key(KeyType::Ed25519);
		let rejected_key = request_key(KeyType::Ed25519);
		let rejected_signature = request_signature(key, &[b"m".to_vec()]);
		System::reset_events();
		assert_ok!(Treasury::fulfil_key_requests(
			signed(PARTY_A),
			KR,
			vec![
				(first, ecdsa_public(&ecdsa_pair(1))),
				(second, ed25519_public(&ed25519_pair(5))),
				// The key of the first workspace key: refused, the others stand.
				(taken, ed25519_public(&ed)),
			]
		));
		assert_eq!(failed_answers(), vec![(taken, Error::<Test>::PublicKeyInUse.into())]);
		assert!(Keys::<Test>::contains_key(first) && Keys::<Test>::contains_key(second));
		assert_eq!(status_of_key_request(taken), RequestStatus::Pending);
		assert_eq!(last_event(), Event::KeyringFeesPaid { keyring: KR, amount: 2 * KEY_FEE });
		System::reset_events();
		assert_ok!(Treasury::reject_requests(
			signed(PARTY_A),
			KR,
			vec![
				(rejected_key, reason(b"no key")),
				(rejected_signature, reason(b"no signature")),
				(first, reason(b"too late")),
				(taken, vec![b'x'; 33]),
			]
		));
		assert_eq!(status_of_key_request(rejected_key), RequestStatus::Rejected);
		assert_eq!(status_of_sign_request(rejected_signature), RequestStatus::Rejected);
		assert!(has_event(Event::SignatureRequestRejected {
			request: rejected_signature,
			reason: stored_reason(b"no signature"),
			refunded: SIGN_FEE,
		}));
		assert_eq!(
			failed_answers(),
			vec![
				(first, Error::<Test>::RequestNotPending.into()),
				(taken, Error::<Test>::ReasonTooLong.into()),
			]
		);
		// Only the still-open request keeps its fee in escrow.
		assert_eq!(held(OWNER), KEY_FEE);
	});
}

#[test]
fn a_batch_weight_counts_each_signature_by_its_form() {
	use crate::WeightInfo as _;
	type W = <Test as crate::Config>::WeightInfo;
	let secp = vec![0u8; 65];
	let ed = vec![0u8; 64];
	let weight = Treasury::fulfil_signature_requests_weight;
	assert_eq!(
		weight(&[(0, vec![secp.clone(), secp.clone()]), (1, vec![secp.clone()])]),
		W::fulfil_signature_requests_secp256k1(2, 1)
	);
	assert_eq!(
		weight(&[(0, vec![ed.clone()]), (1, vec![secp.clone(), ed.clone()])]),
		W::fulfil_signature_requests_secp256k1(1, 0)
			.saturating_add(W::fulfil_signature_requests_ed25519(1, 1))
	);
	assert_eq!(weight(&[]), W::fulfil_signature_requests_secp256k1(0, 0));
	// An answer without signatures is counted (it fails, cheaply) as an Ed25519 one.
	assert_eq!(weight(&[(0, vec![])]), W::fulfil_signature_requests_ed25519(1, 0));
}

// ---------------------------------------------------------------------------------------------
// Threshold keyrings: requests handed to the threshold backend, results applied through
// ThresholdResults.
// ---------------------------------------------------------------------------------------------

use crate::{KeyringBackend, ThresholdResults};

/// `KR` as a FROST keyring of the three parties, threshold 2.
fn setup_frost() {
	setup_two_of_three();
	set_frost_keyring(KR, vec![PARTY_A, PARTY_B, PARTY_C], 2);
}

/// A Taproot key of `KR` (FROST), from the x-only key of `secret`.
fn create_taproot_key(secret: u8) -> (KeyId, k256::schnorr::SigningKey) {
	let signing = k256::schnorr::SigningKey::from_bytes(&[secret; 32]).unwrap();
	let request = request_key(KeyType::BitcoinTaproot);
	let x_only: [u8; 32] = signing.verifying_key().to_bytes().into();
	assert_eq!(<Treasury as ThresholdResults>::fulfil_key(request, &x_only), Ok(request));
	(request, signing)
}

#[test]
fn threshold_key_requests_go_to_the_backend() {
	build_and_execute(|| {
		setup_frost();
		let request = request_key(KeyType::Ed25519);
		let req = KeyRequests::<Test>::get(request).unwrap();
		assert_eq!((req.backend, req.party_threshold), (KeyringBackend::Frost, 2));
		assert_eq!(
			ceremonies(),
			vec![Ceremony::KeyGeneration { request, keyring: KR, key_type: KeyType::Ed25519 }]
		);
		// Not listed for parties to answer, and parties cannot answer it.
		assert!(!PendingKeyRequests::<Test>::contains_key(KR, request));
		let pair = ed25519_pair(3);
		assert_noop!(
			Treasury::fulfil_key_request(signed(PARTY_A), request, ed25519_public(&pair)),
			Error::<Test>::AnsweredByBackend
		);
		assert_noop!(
			Treasury::reject_key_request(signed(PARTY_A), request, reason(b"no")),
			Error::<Test>::AnsweredByBackend
		);
		assert_ok!(Treasury::fulfil_key_requests(
			signed(PARTY_A),
			KR,
			vec![(request, ed25519_public(&pair))]
		));
		assert!(has_event(Event::AnswerFailed {
			request,
			error: Error::<Test>::AnsweredByBackend.into()
		}));
		assert_eq!(status_of_key_request(request), RequestStatus::Pending);

		// The ceremony's result creates the key and pays the keyring once.
		let before = free(keyring_account(KR));
		assert_eq!(
			<Treasury as ThresholdResults>::fulfil_key(request, &ed25519_public(&pair)),
			Ok(request)
		);
		assert_eq!(Keys::<Test>::get(request).unwrap().public_key.to_vec(), ed25519_public(&pair));
		assert_eq!(status_of_key_request(request), RequestStatus::Fulfilled);
		assert_eq!(free(keyring_account(KR)), before + 10);
		// A result for a decided request, or an already used key, is refused.
		assert_noop!(
			<Treasury as ThresholdResults>::fulfil_key(request, &ed25519_public(&pair)),
			Error::<Test>::RequestNotPending
		);
		let second = request_key(KeyType::Ed25519);
		assert_noop!(
			<Treasury as ThresholdResults>::fulfil_key(second, &ed25519_public(&pair)),
			Error::<Test>::PublicKeyInUse
		);
		assert_noop!(
			<Treasury as ThresholdResults>::fulfil_key(second, &[0u8; 31]),
			Error::<Test>::InvalidPublicKey
		);
	});
}

#[test]
fn backends_serve_their_key_types_only() {
	build_and_execute(|| {
		setup_single();
		assert_noop!(
			Treasury::request_key(
				signed(OWNER),
				WS,
				KR,
				KeyType::BitcoinTaproot,
				None,
				Balance::MAX,
				None
			),
			Error::<Test>::KeyTypeNotServedByKeyring
		);
		setup_frost();
		for key_type in [KeyType::EcdsaSecp256k1, KeyType::BitcoinSecp256k1] {
			assert_noop!(
				Treasury::request_key(signed(OWNER), WS, KR, key_type, None, Balance::MAX, None),
				Error::<Test>::KeyTypeNotServedByKeyring
			);
		}
		set_threshold_not_ready();
		assert_noop!(
			Treasury::request_key(
				signed(OWNER),
				WS,
				KR,
				KeyType::Ed25519,
				None,
				Balance::MAX,
				None
			),
			DispatchError::Other("parties without encryption keys")
		);
		assert!(ceremonies().is_empty());
	});
}

#[test]
fn threshold_signatures_are_verified_before_they_are_stored() {
	build_and_execute(|| {
		setup_frost();
		let pair = ed25519_pair(7);
		let request = request_key(KeyType::Ed25519);
		let key =
			<Treasury as ThresholdResults>::fulfil_key(request, &ed25519_public(&pair)).unwrap();
		let message = b"threshold".to_vec();
		let sign_request = request_signature(key, core::slice::from_ref(&message));
		assert_eq!(
			ceremonies().last(),
			Some(&Ceremony::Signing {
				request: sign_request,
				keyring: KR,
				key,
				payloads: vec![message.clone()]
			})
		);
		assert!(!PendingSignRequests::<Test>::contains_key(KR, sign_request));
		let good = pair.sign(&message).0.to_vec();
		assert_noop!(
			Treasury::fulfil_signature_request(
				signed(PARTY_A),
				sign_request,
				sigs(core::slice::from_ref(&good))
			),
			Error::<Test>::AnsweredByBackend
		);
		// A wrong signature (another key's) leaves the request open.
		let wrong = ed25519_pair(8).sign(&message).0.to_vec();
		assert_noop!(
			<Treasury as ThresholdResults>::fulfil_signatures(sign_request, vec![wrong]),
			Error::<Test>::InvalidSignature
		);
		assert_noop!(
			<Treasury as ThresholdResults>::fulfil_signatures(sign_request, vec![]),
			Error::<Test>::WrongSignatureCount
		);
		let before = free(keyring_account(KR));
		assert_ok!(<Treasury as ThresholdResults>::fulfil_signatures(
			sign_request,
			vec![good.clone()]
		));
		assert_eq!(stored_signatures(sign_request), Some(stored_sigs(&[good])));
		assert_eq!(status_of_sign_request(sign_request), RequestStatus::Fulfilled);
		assert_eq!(free(keyring_account(KR)), before + 4);
	});
}

#[test]
fn threshold_rejections_refund_with_the_ceremony_reason() {
	build_and_execute(|| {
		setup_frost();
		let before = free(OWNER);
		let request = request_key(KeyType::BitcoinTaproot);
		assert_eq!(free(OWNER), before - 10);
		assert_ok!(<Treasury as ThresholdResults>::reject(request, b"dkg: party 3 unresponsive"));
		assert_eq!(status_of_key_request(request), RequestStatus::Rejected);
		assert_eq!(free(OWNER), before);
		assert!(has_event(Event::KeyRequestRejected {
			request,
			reason: stored_reason(b"dkg: party 3 unresponsive"),
			refunded: 10,
		}));
		assert_noop!(
			<Treasury as ThresholdResults>::reject(request, b"again"),
			Error::<Test>::RequestNotPending
		);
		// A reason longer than MaxRejectionReasonLength is cut, not refused.
		let (key, _) = create_taproot_key(5);
		let sign_request = request_signature(key, &[prehash(1).to_vec()]);
		assert_ok!(<Treasury as ThresholdResults>::reject(sign_request, &[b'x'; 100]));
		assert_eq!(status_of_sign_request(sign_request), RequestStatus::Rejected);
		// Results for keystore keyrings' requests are refused: parties answer those.
		setup_single();
		let keystore_request = request_key(KeyType::Ed25519);
		assert_noop!(
			<Treasury as ThresholdResults>::reject(keystore_request, b"no"),
			Error::<Test>::NotParty
		);
	});
}

#[test]
fn threshold_taproot_spends_are_fulfilled_with_bip340_signatures() {
	build_and_execute(|| {
		setup_frost();
		let (key, signing) = create_taproot_key(0x5a);
		let x_only: [u8; 32] = signing.verifying_key().to_bytes().into();
		let own = zenrock_chain_formats::taproot::p2tr_script(&x_only);
		// One input of the key's P2TR output, paying a P2WPKH recipient.
		let mut tx = Vec::new();
		tx.extend_from_slice(&2i32.to_le_bytes());
		tx.push(1);
		tx.extend_from_slice(&[0x31; 32]);
		tx.extend_from_slice(&0u32.to_le_bytes());
		tx.push(0);
		tx.extend_from_slice(&u32::MAX.to_le_bytes());
		tx.push(1);
		tx.extend_from_slice(&9_000u64.to_le_bytes());
		let recipient = hex("0014751e76e8199196d454941c45d1b3a323f1433bd6");
		tx.push(recipient.len() as u8);
		tx.extend_from_slice(&recipient);
		tx.extend_from_slice(&0u32.to_le_bytes());
		let unsigned = zenrock_chain_formats::bitcoin::BitcoinUnsignedTransaction {
			transaction: tx,
			spent_outputs: vec![zenrock_chain_formats::bitcoin::SpentOutput {
				amount: 10_000,
				script_pubkey: own,
			}],
		}
		.encode();
		assert_ok!(Treasury::request_transaction_signature(
			signed(OWNER),
			key,
			Chain::Bitcoin { network: BitcoinNetwork::Regtest },
			unsigned,
			true,
			Balance::MAX,
			None
		));
		let request = last_id();
		let Some(Ceremony::Signing { payloads, .. }) = ceremonies().last().cloned() else {
			panic!("a signing ceremony")
		};
		let sighash: [u8; 32] = payloads[0].clone().try_into().unwrap();
		let signature = signing.sign_raw(&sighash, &[1; 32]).unwrap().to_bytes().to_vec();
		let mut tampered = signature.clone();
		tampered[63] ^= 1;
		assert_noop!(
			<Treasury as ThresholdResults>::fulfil_signatures(request, vec![tampered]),
			Error::<Test>::InvalidSignature
		);
		assert_ok!(<Treasury as ThresholdResults>::fulfil_signatures(request, vec![signature]));
		assert_eq!(status_of_sign_request(request), RequestStatus::Fulfilled);
		assert!(AwaitingBroadcast::<Test>::contains_key(request));
		// The signed transaction assembles with the Taproot witness.
		let signed_tx = Treasury::signed_transaction(request).expect("a signed transaction");
		assert!(!signed_tx.raw.is_empty());
	});
}

#[test]
fn threshold_ecdsa_keyrings_make_secp256k1_keys_and_their_transactions_give_preimages() {
	build_and_execute(|| {
		setup_frost();
		update_keyring(KR, |kr| kr.backend = KeyringBackend::ThresholdEcdsa);
		for key_type in [KeyType::Ed25519, KeyType::BitcoinTaproot] {
			assert_noop!(
				Treasury::request_key(signed(OWNER), WS, KR, key_type, None, Balance::MAX, None),
				Error::<Test>::KeyTypeNotServedByKeyring
			);
		}
		let request = request_key(KeyType::EcdsaSecp256k1);
		let public = ecdsa::Pair::from_seed(&[5u8; 32]).public().0.to_vec();
		assert_eq!(<Treasury as ThresholdResults>::fulfil_key(request, &public), Ok(request));
		let key = request;

		// A transaction's request: the backend can read the preimage of each payload.
		let unsigned = eip1559_transaction(10);
		assert_ok!(Treasury::request_transaction_signature(
			signed(OWNER),
			key,
			Chain::Evm { chain_id: 1 },
			transaction(unsigned.clone()),
			false,
			Balance::MAX,
			None
		));
		let signing_request = last_id();
		let preimages = <Treasury as ThresholdResults>::sign_preimages(signing_request).unwrap();
		assert_eq!(preimages.len(), 1);
		assert_eq!(preimages[0].bytes, unsigned);
		assert_eq!(preimages[0].digest(), sp_io::hashing::keccak_256(&unsigned));
		// The backend was asked after the request was stored (so it could read them).
		assert!(matches!(
			ceremonies().last(),
			Some(Ceremony::Signing { request, .. }) if *request == signing_request
		));
		// A raw payload has none.
		assert_ok!(Treasury::request_signature(
			signed(OWNER),
			key,
			vec![vec![3; 32]],
			Balance::MAX,
			None
		));
		assert_eq!(<Treasury as ThresholdResults>::sign_preimages(last_id()), None);
	});
}

#[path = "tests_spending.rs"]
mod spending;

#[path = "tests_messages.rs"]
mod messages;

#[path = "tests_terms.rs"]
mod terms;
