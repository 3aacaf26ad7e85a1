//! Benchmarks of the treasury pallet, at the worst case of every bound.
//!
//! Policy-gated calls are benchmarked on their execution path: dispatched with the approved origin
//! that [`Config::BenchmarkHelper`] builds; the weight of submitting to the gate is added by the
//! call's weight annotation (`PolicyGate::submit_weight`). Workspaces, keyrings and policies are
//! created through the helper.
//!
//! Worst cases:
//! - requests: payloads at `MaxPayloadLength` (Ed25519); the transaction is an EIP-1559
//!   transaction of exactly `l` bytes. (Appending to the expiry queue costs the same always.)
//! - answers: the keyring has `MaxParties` parties and the deciding answer is the last one
//!   (`MaxParties - 1` answers recorded before). Keys are submitted uncompressed (ECDSA; the key
//!   type with the most default addresses). secp256k1 signatures are Bitcoin strict-DER
//!   signatures whose recovery id is 1, so each costs two public-key recoveries; Ed25519
//!   signatures sign `MaxPayloadLength`-byte messages. The fulfilled request is a transaction
//!   marked for broadcast. Signatures are made in the benchmark with the keystore host functions
//!   (`ecdsa_generate` / `ecdsa_sign_prehashed`, `ed25519_generate` / `ed25519_sign`) from fixed
//!   seeds, so they are deterministic.
//! - batched answers (`fulfil_signature_requests_*`, `fulfil_key_requests`, `reject_requests`):
//!   `n` items, each deciding its request as above and each request with its own key (or, for
//!   rejections, its own requester, so that every refund moves funds to another account);
//!   `e` extra signatures on the first item. secp256k1 items carry 65-byte recoverable
//!   signatures (the batch refuses DER).
//! - `on_initialize_expire(n)`: `n` open key requests expire in one block.

use super::*;
use crate::test_transactions::{eip1559_transaction_of_length, typed_data_of_length};
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Hooks};
use frame_system::RawOrigin;
use sp_core::crypto::KeyTypeId;
use sp_runtime::traits::{Bounded, Saturating};
use zenrock_chain_formats::signature::parse_recoverable;

const SEED: u32 = 0;
/// Key type under which the benchmarks keep their keys in the keystore.
const BENCH_KEY_TYPE: KeyTypeId = KeyTypeId(*b"zrtb");
/// Owners of the benchmark workspace (participants of its policies).
const OWNERS: u32 = 8;

fn assert_last_event<T: Config>(event: Event<T>) {
	let event: <T as frame_system::Config>::RuntimeEvent = event.into();
	frame_system::Pallet::<T>::assert_last_event(event);
}

/// What the benchmarks set up in the other pallets.
struct Setup<T: Config> {
	owners: Vec<T::AccountId>,
	workspace: WorkspaceId,
	keyring: KeyringId,
	parties: Vec<T::AccountId>,
}

impl<T: Config> Setup<T> {
	fn owner(&self) -> T::AccountId {
		self.owners[0].clone()
	}

	/// The approved origin for a call on the workspace under `policy`, requested by the owner.
	fn approved(&self, policy: Option<PolicyId>) -> T::RuntimeOrigin {
		T::BenchmarkHelper::approved_origin(Approval {
			workspace: self.workspace,
			policy,
			requester: self.owner(),
			action: None,
		})
	}

	/// The last party: the one whose answer decides in the benchmarks.
	fn last_party(&self) -> T::AccountId {
		self.parties.last().cloned().expect("MaxParties >= 1")
	}
}

/// A fee that must really move: the existential deposit.
fn fee<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(1u32.into())
}

/// A workspace with `OWNERS` owners (the first funded for many fees) and a keyring with
/// `MaxParties` parties and `threshold` (`None`: all parties).
fn setup<T: Config>(threshold: Option<u32>) -> Setup<T> {
	let owners: Vec<T::AccountId> = (0..OWNERS).map(|i| account("owner", i, SEED)).collect();
	T::Currency::set_balance(&owners[0], fee::<T>().saturating_mul(1_000_000u32.into()));
	let workspace = T::BenchmarkHelper::create_workspace(owners.clone());
	let parties: Vec<T::AccountId> =
		(0..T::MaxParties::get()).map(|i| account("party", i, SEED)).collect();
	let threshold = threshold.unwrap_or(parties.len() as u32);
	let keyring =
		T::BenchmarkHelper::create_keyring(parties.clone(), threshold, fee::<T>(), fee::<T>());
	// The keyring's account exists, so that any fee can be paid into it.
	let terms = T::Keyrings::keyring_terms(keyring).expect("keyring created");
	T::Currency::set_balance(&terms.account, T::Currency::minimum_balance());
	Setup { owners, workspace, keyring, parties }
}

/// Store a key of the setup's workspace and keyring directly.
fn insert_key<T: Config>(
	setup: &Setup<T>,
	key_type: KeyType,
	public_key: &[u8],
	sign_policy: Option<PolicyId>,
) -> KeyId {
	let key = NextRequestId::<T>::get();
	NextRequestId::<T>::put(key + 1);
	Keys::<T>::insert(
		key,
		Key {
			workspace: setup.workspace,
			keyring: setup.keyring,
			key_type,
			public_key: public_key.to_vec().try_into().expect("stored key length"),
			sign_policy,
			created_at: frame_system::Pallet::<T>::block_number(),
		},
	);
	WorkspaceKeys::<T>::insert(setup.workspace, key, ());
	key
}

fn ecdsa_key() -> sp_core::ecdsa::Public {
	sp_io::crypto::ecdsa_generate(BENCH_KEY_TYPE, Some(b"//zenrock-treasury-ecdsa".to_vec()))
}

fn ed25519_key() -> sp_core::ed25519::Public {
	sp_io::crypto::ed25519_generate(BENCH_KEY_TYPE, Some(b"//zenrock-treasury-ed25519".to_vec()))
}

/// Record an identical answer `answer` from all parties but the last.
fn answer_all_but_last<T: Config>(
	responses: &mut ResponsesOf<T>,
	setup: &Setup<T>,
	answer: Answer,
) {
	let count = setup.parties.len().saturating_sub(1);
	for party in setup.parties.iter().take(count) {
		responses.try_push(Response { party: party.clone(), answer }).expect("within MaxParties");
	}
}

/// Make a signature request through the call and return its id.
fn sign_request<T: Config>(setup: &Setup<T>, key: KeyId, payloads: Vec<Vec<u8>>) -> RequestId {
	let request = NextRequestId::<T>::get();
	Pallet::<T>::request_signature(
		setup.approved(None),
		key,
		payloads,
		BalanceOf::<T>::max_value(),
		None,
	)
	.expect("signature requested");
	request
}

/// The longest memo.
fn memo<T: Config>() -> Vec<u8> {
	vec![b'm'; T::MaxMemoLength::get() as usize]
}

/// Two assets spent by `key`, each with a full ledger, the newest bucket in this block.
fn full_ledger<T: Config>(key: KeyId) -> Vec<Spending> {
	let now = frame_system::Pallet::<T>::block_number();
	let buckets = T::MaxSpendingBuckets::get();
	[b"token".as_slice(), b"native"]
		.iter()
		.map(|token| {
			let asset = zenrock_primitives::spending_asset(b"eip155:1", token);
			let entries = (0..buckets)
				.map(|age| (now.saturating_sub(age.into()), 1_000u128))
				.rev()
				.collect::<Vec<_>>();
			SpentAmounts::<T>::insert(key, asset, BoundedVec::truncate_from(entries));
			Spending { asset, amount: 1 }
		})
		.collect()
}

/// A transaction summary whose request recorded two assets in full ledgers: withdrawing them is
/// the most a rejection or expiry does to the ledger.
fn worst_spending_summary<T: Config>(key: KeyId) -> TransactionSummary {
	TransactionSummary {
		chain: Chain::Evm { chain_id: 1 },
		broadcast: true,
		value: Some(1),
		spending: BoundedVec::truncate_from(full_ledger::<T>(key)),
	}
}

/// The worst-case state for the deciding signature answer: the request is a transaction marked
/// for broadcast and all parties but the last gave `signatures`.
fn prepare_sign_answer<T: Config>(setup: &Setup<T>, request: RequestId, signatures: &[Vec<u8>]) {
	let digest = sp_io::hashing::blake2_256(&signatures.encode());
	SignRequests::<T>::mutate(request, |req| {
		let req = req.as_mut().expect("request exists");
		req.transaction = Some(TransactionSummary {
			chain: Chain::Evm { chain_id: 1 },
			broadcast: true,
			value: None,
			spending: BoundedVec::new(),
		});
		answer_all_but_last::<T>(&mut req.responses, setup, Answer::Fulfil(digest));
	});
}

/// Signature requests for a batched answer: `n` requests, each with its own key (of `key_type`,
/// the same key pair), a transaction marked for broadcast that all parties but the last have
/// answered identically; the first request has `1 + extra` payloads, the others one. Returns
/// the last party's answers, in the order of the requests.
fn batch_of_sign_requests<T: Config>(
	setup: &Setup<T>,
	key_type: KeyType,
	n: u32,
	extra: u32,
) -> Vec<(RequestId, Vec<Vec<u8>>)> {
	let ecdsa = ecdsa_key();
	let ed25519 = ed25519_key();
	let length = T::MaxPayloadLength::get() as usize;
	let mut answers = Vec::new();
	for item in 0..n {
		let public: &[u8] = if key_type == KeyType::Ed25519 { &ed25519.0 } else { &ecdsa.0 };
		let key = insert_key::<T>(setup, key_type, public, None);
		let count = if item == 0 { 1 + extra } else { 1 };
		let mut payloads = Vec::new();
		let mut signatures = Vec::new();
		for payload in 0..count {
			let prehash = sp_io::hashing::blake2_256(&(b"zenrock-batch", item, payload).encode());
			if key_type == KeyType::Ed25519 {
				let mut message = vec![0x5a; length];
				message[..32].copy_from_slice(&prehash);
				let signature = sp_io::crypto::ed25519_sign(BENCH_KEY_TYPE, &ed25519, &message)
					.expect("key in keystore");
				payloads.push(message);
				signatures.push(signature.0.to_vec());
			} else {
				let signature =
					sp_io::crypto::ecdsa_sign_prehashed(BENCH_KEY_TYPE, &ecdsa, &prehash)
						.expect("key in keystore");
				payloads.push(prehash.to_vec());
				signatures.push(signature.0.to_vec());
			}
		}
		let request = sign_request::<T>(setup, key, payloads);
		prepare_sign_answer::<T>(setup, request, &signatures);
		answers.push((request, signatures));
	}
	answers
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn request_key() {
		let setup = setup::<T>(None);
		let policy = T::BenchmarkHelper::policy_with_participants(setup.owners.clone());
		let request = NextRequestId::<T>::get();
		let origin = setup.approved(None);

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			setup.workspace,
			setup.keyring,
			KeyType::Ed25519,
			Some(policy),
			BalanceOf::<T>::max_value(),
			Some(memo::<T>()),
		);

		let req = KeyRequests::<T>::get(request).expect("request stored");
		assert_eq!(req.status, RequestStatus::Pending);
		assert!(PendingKeyRequests::<T>::contains_key(setup.keyring, request));
	}

	#[benchmark]
	fn fulfil_key_request() {
		let setup = setup::<T>(None);
		let request = NextRequestId::<T>::get();
		Pallet::<T>::request_key(
			setup.approved(None),
			setup.workspace,
			setup.keyring,
			KeyType::EcdsaSecp256k1,
			None,
			BalanceOf::<T>::max_value(),
			None,
		)
		.expect("key requested");
		let public = PublicKey::parse(KeyType::EcdsaSecp256k1, &ecdsa_key().0).expect("valid key");
		let uncompressed = public.secp256k1_uncompressed().expect("secp256k1 key");
		let digest = sp_io::hashing::blake2_256(public.as_bytes());
		KeyRequests::<T>::mutate(request, |req| {
			let req = req.as_mut().expect("request exists");
			answer_all_but_last::<T>(&mut req.responses, &setup, Answer::Fulfil(digest));
		});
		let submitted = uncompressed.to_vec();

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.last_party()), request, submitted);

		assert!(Keys::<T>::contains_key(request));
		assert_eq!(
			KeyRequests::<T>::get(request).map(|r| r.status),
			Some(RequestStatus::Fulfilled)
		);
	}

	#[benchmark]
	fn reject_key_request() {
		// Threshold 1: every party must reject, the last one decides.
		let setup = setup::<T>(Some(1));
		let request = NextRequestId::<T>::get();
		Pallet::<T>::request_key(
			setup.approved(None),
			setup.workspace,
			setup.keyring,
			KeyType::Ed25519,
			None,
			BalanceOf::<T>::max_value(),
			None,
		)
		.expect("key requested");
		KeyRequests::<T>::mutate(request, |req| {
			let req = req.as_mut().expect("request exists");
			answer_all_but_last::<T>(&mut req.responses, &setup, Answer::Reject);
		});
		let reason = vec![b'r'; T::MaxRejectionReasonLength::get() as usize];

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.last_party()), request, reason);

		assert_eq!(KeyRequests::<T>::get(request).map(|r| r.status), Some(RequestStatus::Rejected));
	}

	#[benchmark]
	fn request_signature(p: Linear<1, { T::MaxPayloadsPerRequest::get() }>) {
		let setup = setup::<T>(None);
		let key = insert_key::<T>(&setup, KeyType::Ed25519, &ed25519_key().0, None);
		let length = T::MaxPayloadLength::get() as usize;
		let payloads: Vec<Vec<u8>> = (0..p).map(|i| vec![i as u8; length]).collect();
		let request = NextRequestId::<T>::get();
		let origin = setup.approved(None);

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			key,
			payloads,
			BalanceOf::<T>::max_value(),
			Some(memo::<T>()),
		);

		assert_eq!(SignPayloads::<T>::get(request).map(|p| p.len() as u32), Some(p));
	}

	/// EIP-712 typed data of `l` bytes (see `typed_data_of_length`), signed by an EVM key.
	#[benchmark]
	fn request_message_signature(l: Linear<256, { T::MaxMessageLength::get().max(256) }>) {
		let setup = setup::<T>(None);
		let key = insert_key::<T>(&setup, KeyType::EcdsaSecp256k1, &ecdsa_key().0, None);
		let message = typed_data_of_length(l as usize);
		let request = NextRequestId::<T>::get();
		let origin = setup.approved(None);

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			key,
			MessageFormat::TypedData,
			message,
			BalanceOf::<T>::max_value(),
			Some(memo::<T>()),
		);

		assert!(SignPreimages::<T>::contains_key(request));
	}

	#[benchmark]
	fn request_transaction_signature(
		l: Linear<64, { T::MaxUnsignedTransactionLength::get().max(64) }>,
	) {
		let setup = setup::<T>(None);
		let key = insert_key::<T>(&setup, KeyType::EcdsaSecp256k1, &ecdsa_key().0, None);
		let transaction = eip1559_transaction_of_length(l as usize);
		let request = NextRequestId::<T>::get();
		let origin = setup.approved(None);

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			key,
			Chain::Evm { chain_id: 1 },
			transaction,
			true,
			BalanceOf::<T>::max_value(),
			Some(memo::<T>()),
		);

		assert!(UnsignedTransactions::<T>::contains_key(request));
		assert_eq!(SignPayloads::<T>::get(request).map(|p| p.len()), Some(1));
	}

	#[benchmark]
	fn fulfil_signature_request_secp256k1(p: Linear<1, { T::MaxPayloadsPerRequest::get() }>) {
		let setup = setup::<T>(None);
		let public = ecdsa_key();
		let key = insert_key::<T>(&setup, KeyType::BitcoinSecp256k1, &public.0, None);
		// Prehashes whose signatures have recovery id 1: DER verification then tries both ids.
		let mut payloads = Vec::new();
		let mut signatures: Vec<Vec<u8>> = Vec::new();
		let mut nonce: u32 = 0;
		while (payloads.len() as u32) < p {
			nonce += 1;
			let prehash = sp_io::hashing::blake2_256(&(b"zenrock-bench", nonce).encode());
			let signature = sp_io::crypto::ecdsa_sign_prehashed(BENCH_KEY_TYPE, &public, &prehash)
				.expect("key in keystore");
			let parsed = parse_recoverable(&signature.0).expect("well-formed signature");
			if parsed.recovery_id != 1 {
				continue;
			}
			let der = parsed.to_der().expect("valid scalars");
			signatures.push(der);
			payloads.push(prehash.to_vec());
		}
		let request = sign_request::<T>(&setup, key, payloads);
		prepare_sign_answer::<T>(&setup, request, &signatures);

		#[extrinsic_call]
		fulfil_signature_request(RawOrigin::Signed(setup.last_party()), request, signatures);

		assert!(SignRequests::<T>::get(request).is_some_and(|r| r.signatures.is_some()));
		assert!(AwaitingBroadcast::<T>::contains_key(request));
	}

	#[benchmark]
	fn fulfil_signature_request_ed25519(p: Linear<1, { T::MaxPayloadsPerRequest::get() }>) {
		let setup = setup::<T>(None);
		let public = ed25519_key();
		let key = insert_key::<T>(&setup, KeyType::Ed25519, &public.0, None);
		let length = T::MaxPayloadLength::get() as usize;
		let payloads: Vec<Vec<u8>> = (0..p).map(|i| vec![i as u8 ^ 0x5a; length]).collect();
		let mut signatures: Vec<Vec<u8>> = Vec::new();
		for payload in &payloads {
			let signature = sp_io::crypto::ed25519_sign(BENCH_KEY_TYPE, &public, payload)
				.expect("key in keystore");
			signatures.push(signature.0.to_vec());
		}
		let request = sign_request::<T>(&setup, key, payloads);
		prepare_sign_answer::<T>(&setup, request, &signatures);

		#[extrinsic_call]
		fulfil_signature_request(RawOrigin::Signed(setup.last_party()), request, signatures);

		assert!(SignRequests::<T>::get(request).is_some_and(|r| r.signatures.is_some()));
	}

	#[benchmark]
	fn reject_signature_request() {
		let setup = setup::<T>(Some(1));
		let key = insert_key::<T>(&setup, KeyType::Ed25519, &ed25519_key().0, None);
		let request = sign_request::<T>(&setup, key, vec![vec![1u8; 32]]);
		SignRequests::<T>::mutate(request, |req| {
			let req = req.as_mut().expect("request exists");
			req.transaction = Some(worst_spending_summary::<T>(key));
			answer_all_but_last::<T>(&mut req.responses, &setup, Answer::Reject);
		});
		let reason = vec![b'r'; T::MaxRejectionReasonLength::get() as usize];

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.last_party()), request, reason);

		assert_eq!(
			SignRequests::<T>::get(request).map(|r| r.status),
			Some(RequestStatus::Rejected)
		);
	}

	/// Reading one full ledger: what spent(...) costs a policy.
	#[benchmark]
	fn spent() {
		frame_system::Pallet::<T>::set_block_number(T::MaxSpendingBuckets::get().into());
		let spending = full_ledger::<T>(0);
		let asset = spending.first().map(|spending| spending.asset).unwrap_or_default();
		let total;

		#[block]
		{
			total = <Pallet<T> as SpendingLedger>::spent(0, &asset, T::MaxSpendingWindow::get());
		}

		assert_eq!(total, Some(1_000 * u128::from(T::MaxSpendingBuckets::get())));
	}

	/// Recording two assets in full ledgers in a new block: the oldest buckets merge.
	#[benchmark]
	fn record_spending() {
		frame_system::Pallet::<T>::set_block_number(T::MaxSpendingBuckets::get().into());
		let spending = full_ledger::<T>(0);
		let next = frame_system::Pallet::<T>::block_number().saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(next);

		#[block]
		{
			Pallet::<T>::record_spending(0, &spending, next);
		}

		for Spending { asset, .. } in spending {
			let buckets = SpentAmounts::<T>::get(0, asset);
			assert_eq!(buckets.last(), Some(&(next, 1)));
		}
	}

	#[benchmark]
	fn update_key_policy() {
		let setup = setup::<T>(None);
		let current = T::BenchmarkHelper::policy_with_participants(setup.owners.clone());
		let next = T::BenchmarkHelper::policy_with_participants(setup.owners.clone());
		let key = insert_key::<T>(&setup, KeyType::Ed25519, &ed25519_key().0, Some(current));
		let origin = setup.approved(Some(current));

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, key, Some(next));

		assert_last_event::<T>(Event::KeyPolicyUpdated { key, sign_policy: Some(next) });
	}

	#[benchmark]
	fn on_initialize_expire(n: Linear<0, { T::MaxExpiriesPerBlock::get() }>) {
		let setup = setup::<T>(None);
		let first = NextRequestId::<T>::get();
		for _ in 0..n {
			Pallet::<T>::request_key(
				setup.approved(None),
				setup.workspace,
				setup.keyring,
				KeyType::EcdsaSecp256k1,
				None,
				BalanceOf::<T>::max_value(),
				None,
			)
			.expect("key requested");
		}
		let at = frame_system::Pallet::<T>::block_number().saturating_add(T::RequestTimeout::get());
		let ends = ExpiryQueueEnds::<T>::get();
		assert_eq!(ends.next - ends.oldest, u64::from(n));

		#[block]
		{
			Pallet::<T>::on_initialize(at);
		}

		for request in first..first + u64::from(n) {
			assert_eq!(
				KeyRequests::<T>::get(request).map(|r| r.status),
				Some(RequestStatus::Expired)
			);
		}
	}

	#[benchmark]
	fn on_initialize_prune(n: Linear<0, { T::MaxPrunesPerBlock::get() }>) {
		// `n` decided transaction-signature requests at every bound: the most payloads, each of
		// the longest length, the longest unsigned transaction and a signature per payload.
		let setup = setup::<T>(None);
		let key = insert_key::<T>(&setup, KeyType::Ed25519, &ed25519_key().0, None);
		let length = T::MaxPayloadLength::get() as usize;
		let most = T::MaxPayloadsPerRequest::get() as usize;
		let template = sign_request::<T>(&setup, key, vec![vec![7u8; length]; most]);
		let mut req = SignRequests::<T>::get(template).expect("request exists");
		req.status = RequestStatus::Fulfilled;
		req.signatures =
			Some(BoundedVec::truncate_from(vec![Signature::truncate_from(vec![1u8; 64]); most]));
		req.transaction = Some(TransactionSummary {
			chain: Chain::Evm { chain_id: 1 },
			broadcast: false,
			value: None,
			spending: BoundedVec::new(),
		});
		let payloads = SignPayloads::<T>::get(template).expect("payloads stored");
		let unsigned: BoundedVec<u8, T::MaxUnsignedTransactionLength> =
			BoundedVec::truncate_from(vec![2u8; T::MaxUnsignedTransactionLength::get() as usize]);
		let first = NextRequestId::<T>::get();
		for id in first..first + u64::from(n) {
			SignRequests::<T>::insert(id, req.clone());
			SignPayloads::<T>::insert(id, payloads.clone());
			UnsignedTransactions::<T>::insert(id, unsigned.clone());
		}
		NextRequestId::<T>::put(first + u64::from(n));
		NextRequestToPrune::<T>::put(first);
		let at = req.expires_at.saturating_add(T::RequestRetention::get());

		#[block]
		{
			Pallet::<T>::prune_decided_requests(at, n);
		}

		for id in first..first + u64::from(n) {
			assert!(!SignRequests::<T>::contains_key(id));
			assert!(!SignPayloads::<T>::contains_key(id));
		}
		assert_eq!(NextRequestToPrune::<T>::get(), first + u64::from(n));
	}

	#[benchmark]
	fn fulfil_signature_requests_secp256k1(
		n: Linear<1, { T::MaxAnswersPerCall::get().min(100) }>,
		e: Linear<0, { T::MaxPayloadsPerRequest::get().saturating_sub(1) }>,
	) {
		let setup = setup::<T>(None);
		let answers = batch_of_sign_requests::<T>(&setup, KeyType::EcdsaSecp256k1, n, e);
		let requests: Vec<RequestId> = answers.iter().map(|(request, _)| *request).collect();

		#[extrinsic_call]
		fulfil_signature_requests(RawOrigin::Signed(setup.last_party()), setup.keyring, answers);

		for request in requests {
			assert!(AwaitingBroadcast::<T>::contains_key(request));
		}
		assert_last_event::<T>(Event::KeyringFeesPaid {
			keyring: setup.keyring,
			amount: fee::<T>().saturating_mul(n.into()),
		});
	}

	#[benchmark]
	fn fulfil_signature_requests_ed25519(
		n: Linear<1, { T::MaxAnswersPerCall::get().min(100) }>,
		e: Linear<0, { T::MaxPayloadsPerRequest::get().saturating_sub(1) }>,
	) {
		let setup = setup::<T>(None);
		let answers = batch_of_sign_requests::<T>(&setup, KeyType::Ed25519, n, e);
		let requests: Vec<RequestId> = answers.iter().map(|(request, _)| *request).collect();

		#[extrinsic_call]
		fulfil_signature_requests(RawOrigin::Signed(setup.last_party()), setup.keyring, answers);

		for request in requests {
			assert!(AwaitingBroadcast::<T>::contains_key(request));
		}
	}

	#[benchmark]
	fn fulfil_key_requests(n: Linear<1, { T::MaxAnswersPerCall::get().min(100) }>) {
		// `n` ECDSA key requests (the key type with the most addresses), all parties but the
		// last answered; the last submits each key uncompressed.
		let setup = setup::<T>(None);
		let mut answers = Vec::new();
		for item in 0..n {
			let request = NextRequestId::<T>::get();
			Pallet::<T>::request_key(
				setup.approved(None),
				setup.workspace,
				setup.keyring,
				KeyType::EcdsaSecp256k1,
				None,
				BalanceOf::<T>::max_value(),
				None,
			)
			.expect("key requested");
			let seed = alloc::format!("//zenrock-treasury-batch-{item}");
			let generated = sp_io::crypto::ecdsa_generate(BENCH_KEY_TYPE, Some(seed.into_bytes()));
			let public =
				PublicKey::parse(KeyType::EcdsaSecp256k1, &generated.0).expect("valid key");
			let digest = sp_io::hashing::blake2_256(public.as_bytes());
			KeyRequests::<T>::mutate(request, |req| {
				let req = req.as_mut().expect("request exists");
				answer_all_but_last::<T>(&mut req.responses, &setup, Answer::Fulfil(digest));
			});
			let uncompressed = public.secp256k1_uncompressed().expect("secp256k1 key");
			answers.push((request, uncompressed.to_vec()));
		}
		let requests: Vec<RequestId> = answers.iter().map(|(request, _)| *request).collect();

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.last_party()), setup.keyring, answers);

		for request in requests {
			assert!(Keys::<T>::contains_key(request));
		}
	}

	#[benchmark]
	fn reject_requests(n: Linear<1, { T::MaxAnswersPerCall::get().min(100) }>) {
		// `n` signature requests of `n` different requesters (each refund moves funds to another
		// account); threshold 1, so the last party's rejection decides each.
		let setup = setup::<T>(Some(1));
		let key = insert_key::<T>(&setup, KeyType::Ed25519, &ed25519_key().0, None);
		let reason = vec![b'r'; T::MaxRejectionReasonLength::get() as usize];
		let mut rejections = Vec::new();
		for item in 0..n {
			let request = sign_request::<T>(&setup, key, vec![vec![1u8; 32]]);
			let requester: T::AccountId = account("requester", item, SEED);
			T::Currency::set_balance(&requester, T::Currency::minimum_balance());
			SignRequests::<T>::mutate(request, |req| {
				let req = req.as_mut().expect("request exists");
				req.requester = requester;
				req.transaction = Some(worst_spending_summary::<T>(key));
				answer_all_but_last::<T>(&mut req.responses, &setup, Answer::Reject);
			});
			rejections.push((request, reason.clone()));
		}
		let requests: Vec<RequestId> = rejections.iter().map(|(request, _)| *request).collect();

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.last_party()), setup.keyring, rejections);

		for request in requests {
			assert_eq!(
				SignRequests::<T>::get(request).map(|r| r.status),
				Some(RequestStatus::Rejected)
			);
		}
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
