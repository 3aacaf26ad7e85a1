//! How many of each operation fit in one 6 s block (normal dispatch class), from the weights the
//! runtime charges. `cargo test --release -p zenrock-runtime --test throughput -- --nocapture`
//! prints the table of `docs/performance.md`.

use frame_support::dispatch::{DispatchClass, GetDispatchInfo};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie};
use zenrock_chain_formats::{Chain, KeyType};
use zenrock_primitives::PolicyGate;
use zenrock_runtime::{configs::RuntimeBlockWeights, AccountId, RuntimeCall, ZenrockPolicy, UNIT};

/// How many extrinsics of `call_weight` (ref time) fit in the normal class of one block.
fn per_block(call_weight: u64) -> u64 {
	let weights = RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let available = normal.max_total.unwrap_or(weights.max_block).ref_time();
	available / (call_weight + normal.base_extrinsic.ref_time())
}

/// An unsigned EIP-1559 transfer on chain 1 (nonce 0, 21000 gas, 1 ether, no data).
fn eip1559_transfer() -> Vec<u8> {
	let mut transaction = vec![0x02, 0xf0 - 0xc0 + 0xc0];
	let fields: &[&[u8]] = &[
		&[0x01],
		&[0x80],
		&[0x84, 0x3b, 0x9a, 0xca, 0x00],
		&[0x85, 0x0b, 0xa4, 0x3b, 0x74, 0x00],
		&[0x82, 0x52, 0x08],
		&[
			0x94, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35,
			0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35,
		],
		&[0x88, 0x0d, 0xe0, 0xb6, 0xb3, 0xa7, 0x64, 0x00, 0x00],
		&[0x80],
		&[0xc0],
	];
	let body: Vec<u8> = fields.iter().flat_map(|field| field.iter().copied()).collect();
	transaction[1] = 0xc0 + body.len() as u8;
	transaction.extend(body);
	transaction
}

#[test]
fn operations_per_block() {
	let alice = Alice.to_account_id();
	// Policy-gated calls declare the cost of storing an action; when the requester's approval alone
	// satisfies the policy (e.g. the default policy) nothing is stored and that part is refunded.
	let gate = <ZenrockPolicy as PolicyGate<AccountId, RuntimeCall>>::submit_weight().ref_time();
	let gated = [
		"zenrockIdentity.add_owner",
		"zenrockTreasury.request_key",
		"zenrockTreasury.request_signature (1 hash)",
		"zenrockTreasury.request_transaction_signature (EIP-1559 transfer)",
		"zenrockTreasury.request_message_signature (Permit2 permit, 760 bytes)",
	];
	let operations: Vec<(&str, RuntimeCall)> = vec![
		(
			"balances.transfer_keep_alive",
			pallet_balances::Call::transfer_keep_alive {
				dest: Bob.to_account_id().into(),
				value: UNIT,
			}
			.into(),
		),
		(
			"zenrockPolicy.create_policy (3 participants)",
			pallet_zenrock_policy::Call::create_policy {
				name: b"2 of 3".to_vec(),
				participants: vec![
					(b"a".to_vec(), alice.clone()),
					(b"b".to_vec(), Bob.to_account_id()),
					(b"c".to_vec(), Charlie.to_account_id()),
				],
				address_lists: vec![],
				approve_rule: b"any(2, [a, b, c])".to_vec(),
				reject_rule: None,
				default_expiry: None,
			}
			.into(),
		),
		("zenrockPolicy.approve", pallet_zenrock_policy::Call::approve { action: 0 }.into()),
		(
			"zenrockIdentity.create_workspace",
			pallet_zenrock_identity::Call::create_workspace {
				additional_owners: vec![Bob.to_account_id()],
				admin_policy: None,
				sign_policy: None,
			}
			.into(),
		),
		(
			"zenrockIdentity.add_owner",
			pallet_zenrock_identity::Call::add_owner {
				workspace: 0,
				new_owner: Charlie.to_account_id(),
			}
			.into(),
		),
		(
			"zenrockTreasury.request_key",
			pallet_zenrock_treasury::Call::request_key {
				workspace: 0,
				keyring: 0,
				key_type: KeyType::EcdsaSecp256k1,
				sign_policy: None,
				max_fee: u128::MAX,
				memo: None,
			}
			.into(),
		),
		(
			"zenrockTreasury.fulfil_key_request",
			pallet_zenrock_treasury::Call::fulfil_key_request {
				request: 0,
				public_key: vec![2; 33],
			}
			.into(),
		),
		(
			"zenrockTreasury.request_signature (1 hash)",
			pallet_zenrock_treasury::Call::request_signature {
				key: 0,
				payloads: vec![vec![7; 32]],
				max_fee: u128::MAX,
				memo: None,
			}
			.into(),
		),
		(
			"zenrockTreasury.fulfil_signature_request (1 ECDSA signature, verified)",
			pallet_zenrock_treasury::Call::fulfil_signature_request {
				request: 0,
				signatures: vec![vec![1; 65]],
			}
			.into(),
		),
		(
			"zenrockTreasury.request_transaction_signature (EIP-1559 transfer)",
			pallet_zenrock_treasury::Call::request_transaction_signature {
				key: 0,
				chain: Chain::Evm { chain_id: 1 },
				unsigned_transaction: eip1559_transfer(),
				broadcast: true,
				max_fee: u128::MAX,
				memo: None,
			}
			.into(),
		),
		(
			"zenrockTreasury.request_message_signature (Permit2 permit, 760 bytes)",
			pallet_zenrock_treasury::Call::request_message_signature {
				key: 0,
				format: zenrock_chain_formats::message::MessageFormat::TypedData,
				message: vec![b' '; 760],
				max_fee: u128::MAX,
				memo: None,
			}
			.into(),
		),
		(
			"zenrockRelayer.report_inclusion",
			pallet_zenrock_relayer::Call::report_inclusion {
				request: 0,
				block_number: 1,
				success: true,
			}
			.into(),
		),
	];

	println!(
		"| operation | declared weight (µs) | per block, declared | charged when it runs at once, \
		 keystore keyring (µs) | per block, charged |"
	);
	println!("|---|---:|---:|---:|---:|");
	// Treasury requests also declare their keyring backend's worst case (a threshold keyring's
	// ceremony start) and refund it for a keystore keyring, as in this table.
	let threshold = |name: &str| -> u64 {
		use zenrock_primitives::ThresholdBackend;
		type Mpc = zenrock_runtime::ZenrockMpc;
		match name {
			"zenrockTreasury.request_key" => Mpc::key_requested_weight().ref_time(),
			"zenrockTreasury.request_signature (1 hash)"
			| "zenrockTreasury.request_message_signature (Permit2 permit, 760 bytes)" => {
				Mpc::signature_requested_weight(1).ref_time()
			}
			"zenrockTreasury.request_transaction_signature (EIP-1559 transfer)" => {
				Mpc::signature_requested_weight(16).ref_time()
			}
			_ => 0,
		}
	};
	let mut counts = Vec::new();
	for (name, call) in &operations {
		let declared = call.get_dispatch_info().total_weight().ref_time();
		let charged = if gated.contains(name) {
			declared.saturating_sub(gate).saturating_sub(threshold(name))
		} else {
			declared
		};
		let micros = |weight: u64| weight as f64 / 1_000_000.0;
		println!(
			"| `{name}` | {:.1} | {} | {:.1} | {} |",
			micros(declared),
			per_block(declared),
			micros(charged),
			per_block(charged)
		);
		counts.push((*name, per_block(declared)));
	}
	for (name, count) in counts {
		assert!(count >= 1, "{name} must fit in a block");
	}
}

/// Items of a batched call per block: the most `n` whose call weight (with the base extrinsic
/// weight) fits the normal class, given the call weight for `n` items.
fn items_per_block(weight_of: impl Fn(u32) -> u64) -> (f64, u64) {
	let weights = RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let available =
		normal.max_total.unwrap_or(weights.max_block).ref_time() - normal.base_extrinsic.ref_time();
	let per_item = (weight_of(1_000) - weight_of(0)) as f64 / 1_000.0;
	let fitting = (available - weight_of(0)) as f64 / per_item;
	(per_item / 1_000_000.0, fitting as u64)
}

/// The call weight of a batched call as a function of its number of items.
type WeightOfItems<'a> = Box<dyn Fn(u32) -> u64 + 'a>;

#[test]
fn batched_answers_per_block() {
	let call_weight = |call: RuntimeCall| call.get_dispatch_info().call_weight.ref_time();
	let signatures = |signature: Vec<u8>| {
		move |n: u32| {
			call_weight(
				pallet_zenrock_treasury::Call::fulfil_signature_requests {
					keyring: 0,
					answers: (0..u64::from(n)).map(|i| (i, vec![signature.clone()])).collect(),
				}
				.into(),
			)
		}
	};
	let batches: Vec<(&str, WeightOfItems)> = vec![
		(
			"zenrockTreasury.fulfil_signature_requests, secp256k1 (1 signature each, verified)",
			Box::new(signatures(vec![1; 65])),
		),
		(
			"zenrockTreasury.fulfil_signature_requests, Ed25519 (1 signature each, verified)",
			Box::new(signatures(vec![1; 64])),
		),
		(
			"zenrockTreasury.fulfil_key_requests",
			Box::new(|n: u32| {
				call_weight(
					pallet_zenrock_treasury::Call::fulfil_key_requests {
						keyring: 0,
						answers: (0..u64::from(n)).map(|i| (i, vec![2; 33])).collect(),
					}
					.into(),
				)
			}),
		),
		(
			"zenrockTreasury.reject_requests",
			Box::new(|n: u32| {
				call_weight(
					pallet_zenrock_treasury::Call::reject_requests {
						keyring: 0,
						rejections: (0..u64::from(n)).map(|i| (i, vec![b'r'; 32])).collect(),
					}
					.into(),
				)
			}),
		),
	];
	println!("| batched call | weight per item (µs) | items per block |");
	println!("|---|---:|---:|");
	let mut per_block = Vec::new();
	for (name, weight_of) in &batches {
		let (micros, items) = items_per_block(weight_of);
		println!("| `{name}` | {micros:.1} | {items} |");
		per_block.push(items);
	}
	assert!(per_block[0] >= 5_000, "at least 5,000 secp256k1 fulfilments per block");
	assert!(per_block[1] >= 5_000, "at least 5,000 Ed25519 fulfilments per block");
}

/// The ceremony calls of threshold keyrings, charged for their own parties (a 2-of-3 keyring and
/// one of 16 parties, the most): what one key generation and one signature cost in block weight.
#[test]
fn threshold_ceremonies_per_block() {
	use pallet_zenrock_mpc::WeightInfo;
	type Weights = pallet_zenrock_mpc::weights::SubstrateWeight<zenrock_runtime::Runtime>;
	let micros = |weight: frame_support::weights::Weight| weight.ref_time() as f64 / 1_000_000.0;
	println!("| ceremony step (charged for its parties) | 3 parties (µs) | 16 parties (µs) |");
	println!("|---|---:|---:|");
	/// A ceremony step's weight for a key of `n` parties.
	type StepWeight = Box<dyn Fn(u32) -> frame_support::weights::Weight>;
	let steps: Vec<(&str, StepWeight)> = vec![
		("`zenrockMpc.submit_dkg_round1` (the last: the group key)", Box::new(Weights::submit_dkg_round1)),
		("`zenrockMpc.submit_dkg_round2`", Box::new(Weights::submit_dkg_round2)),
		("`zenrockMpc.confirm_dkg` (the last: the key is created)", Box::new(Weights::confirm_dkg)),
		(
			"`zenrockMpc.submit_signature_shares`, 1 payload, a signer before the last (shares stored)",
			Box::new(|n| Weights::submit_signature_shares_stored(n, 1)),
		),
		(
			"`zenrockMpc.submit_signature_shares`, 1 payload, the last signer (aggregation, verification)",
			Box::new(|n| Weights::submit_signature_shares_signed(n, 1)),
		),
		(
			"`zenrockMpc.submit_signature_shares`, 1 payload, the last with an invalid share (blame, new attempt; declared before dispatch)",
			Box::new(|n| Weights::submit_signature_shares(n, 1)),
		),
		("`zenrockMpc.publish_commitments` (32 commitments)", Box::new(|_| Weights::publish_commitments(32))),
	];
	for (name, weight) in &steps {
		println!("| {name} | {:.1} | {:.1} |", micros(weight(3)), micros(weight(16)));
	}
	// A 2-of-3 key generation is 9 calls and a signature 2: both fit in a block many times over.
	let key_generation = 3
		* (Weights::submit_dkg_round1(3) + Weights::submit_dkg_round2(3) + Weights::confirm_dkg(3))
			.ref_time();
	// The first signer's shares are stored, the second's complete the signature (refunded to
	// these paths after dispatch).
	let signature = (Weights::submit_signature_shares_stored(3, 1)
		+ Weights::submit_signature_shares_signed(3, 1))
	.ref_time();
	println!(
		"\n2-of-3: a key generation's nine calls {:.1} ms, a signature's two {:.1} ms; {} key \
		 generations or {} signatures per block",
		key_generation as f64 / 1e9,
		signature as f64 / 1e9,
		per_block(key_generation / 9) / 9,
		per_block(signature / 2) / 2
	);
	assert!(per_block(signature / 2) / 2 >= 10, "a block holds at least ten threshold signatures");
}

/// Threshold ECDSA (2-of-3): what a presignature and a signature cost in block weight and
/// length. A presignature's bundles are the protocol's messages (84,638 bytes for two signers,
/// measured with cggmp24 on this project's machine, see docs/threshold-keyrings.md); each signer
/// submits three bundles and one output.
#[test]
fn threshold_ecdsa_per_block() {
	use pallet_zenrock_mpc::WeightInfo;
	type Weights = pallet_zenrock_mpc::weights::SubstrateWeight<zenrock_runtime::Runtime>;
	const PRESIGNATURE_BYTES: u32 = 84_638;
	const SIGNERS: u32 = 2;
	let length = zenrock_runtime::configs::RuntimeBlockLength::get();
	let normal_length = *length.max.get(DispatchClass::Normal);
	// Six bundles share the presignature's bytes; each weight is for its own bundle size.
	let bundle = PRESIGNATURE_BYTES / (3 * SIGNERS);
	let presignature_calls = 3 * SIGNERS + SIGNERS;
	let presignature = (Weights::submit_ceremony_bundle(bundle) * u64::from(3 * SIGNERS)
		+ Weights::submit_ceremony_output(SIGNERS) * u64::from(SIGNERS))
	.ref_time();
	let signature = (Weights::submit_partial_signatures_stored(3)
		+ Weights::submit_partial_signatures(3)
		+ Weights::ecdsa_payload_checks(1) * 2)
		.ref_time();
	let by_weight =
		per_block(presignature / u64::from(presignature_calls)) / u64::from(presignature_calls);
	let by_length = u64::from(normal_length / PRESIGNATURE_BYTES);
	println!(
		"2-of-3 threshold ECDSA: a presignature's {presignature_calls} calls {:.1} ms and \
		 {PRESIGNATURE_BYTES} bytes ({} per block by weight, {} by length); a signature's two \
		 calls {:.1} ms ({} per block)",
		presignature as f64 / 1e9,
		by_weight,
		by_length,
		signature as f64 / 1e9,
		per_block(signature / 2) / 2
	);
	assert!(by_length >= 10, "a block holds at least ten presignatures' messages");
	assert!(per_block(signature / 2) / 2 >= 100, "a block holds at least 100 ECDSA signatures");
}

/// What reading transactions costs policies: the ledger read of one spent(...), recording an
/// approved transfer, an address-list item at policy creation, and typed data per KiB.
#[test]
fn policy_fact_costs() {
	use pallet_zenrock_policy::WeightInfo as _;
	use pallet_zenrock_treasury::WeightInfo as _;
	type Policy = pallet_zenrock_policy::weights::SubstrateWeight<zenrock_runtime::Runtime>;
	type Treasury = pallet_zenrock_treasury::weights::SubstrateWeight<zenrock_runtime::Runtime>;
	let micros = |weight: frame_support::weights::Weight| weight.ref_time() as f64 / 1_000_000.0;
	let spent = Treasury::spent();
	let record = Treasury::record_spending();
	let list_item = Policy::create_policy(3, 64, 1).saturating_sub(Policy::create_policy(3, 64, 0));
	let message_1k = Treasury::request_message_signature(1024);
	let message_4k = Treasury::request_message_signature(4096);
	let gate = <ZenrockPolicy as PolicyGate<AccountId, RuntimeCall>>::submit_weight();
	println!("| cost | µs |");
	println!("|---|---:|");
	println!("| one spent(...) (a full ledger of 128 blocks read) | {:.1} |", micros(spent));
	println!(
		"| recording an approved transfer (token and coin, full ledgers) | {:.1} |",
		micros(record)
	);
	println!("| an address-list item at policy creation | {:.1} |", micros(list_item));
	println!("| request_message_signature, 1 KiB of typed data | {:.1} |", micros(message_1k));
	println!("| request_message_signature, 4 KiB of typed data | {:.1} |", micros(message_4k));
	println!("| PolicyGate::submit (with 8 spent(...) reads reserved) | {:.1} |", micros(gate));
	assert!(spent.ref_time() > 0 && record.ref_time() > 0);
	assert!(per_block(message_4k.ref_time()) >= 100, "typed data must not crowd a block");
}
