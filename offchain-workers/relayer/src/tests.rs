//! Unit tests of the relayer: the calls on the mock chain, the JSON-RPC parsing, and the
//! off-chain worker against a scripted HTTP endpoint, a test transaction pool and an in-memory
//! keystore.

use crate::{
	chain_label, endpoint_storage_key, endpoint_storage_key_for_label,
	json_rpc::{self, hex, parse_receipt, parse_reply, ReceiptState, Reply},
	mock::*,
	worker::{
		backoff, lock_key, next_nonce, nonce_record_after, open_requests_key, request_record_key,
		NonceRecord, Report, RequestRecord, SubmittedReport,
	},
	AttemptFailure, AwaitingReceipt, AwaitingReceiptCount, BroadcastOutcome, BroadcastOutcomeOf,
	BroadcastStatus, BroadcastStatuses, Chain, Error, Event, FailureClass, RejectionKind,
	RelayerCount, Relayers, RequestId, TxHash,
};
use codec::Decode;
use frame_support::{assert_noop, assert_ok, dispatch::Pays, BoundedVec};
use serde_json::json;
use sp_core::offchain::StorageKind;
use sp_runtime::{
	offchain::{
		storage_lock::{StorageLock, Time},
		Duration,
	},
	DispatchError,
};
use zenrock_chain_formats::BitcoinNetwork;

type RelayerCall = crate::Call<Test>;

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------

fn accepted(hash: &[u8]) -> BroadcastOutcomeOf<Test> {
	BroadcastOutcome::Accepted { tx_hash: TxHash::try_from(hash.to_vec()).unwrap() }
}

fn failed(class: FailureClass, message: &str) -> BroadcastOutcomeOf<Test> {
	BroadcastOutcome::Failed {
		class,
		message: BoundedVec::try_from(message.as_bytes().to_vec()).unwrap(),
	}
}

const REJECTED: FailureClass =
	FailureClass::Rejected { code: -32000, kind: RejectionKind::InsufficientFunds };

fn ok_response(result: serde_json::Value) -> String {
	json!({ "jsonrpc": "2.0", "id": 1, "result": result }).to_string()
}

fn error_response(code: i64, message: &str) -> String {
	json!({ "jsonrpc": "2.0", "id": 1, "error": { "code": code, "message": message } }).to_string()
}

fn receipt(block: u64, status: &str) -> serde_json::Value {
	json!({
		"transactionHash": "0x00",
		"blockNumber": format!("{block:#x}"),
		"blockHash": "0x11",
		"status": status,
		"logs": [],
	})
}

/// The relayer call of a submitted transaction.
fn relayer_call(submitted: &Submitted) -> RelayerCall {
	match &submitted.call {
		RuntimeCall::Relayer(call) => call.clone(),
		other => panic!("not a relayer call: {other:?}"),
	}
}

/// The request and outcome of a submitted broadcast report.
fn broadcast_report(submitted: &Submitted) -> (RequestId, BroadcastOutcomeOf<Test>) {
	match relayer_call(submitted) {
		RelayerCall::report_broadcast { request, outcome } => (request, outcome),
		other => panic!("not a broadcast report: {other:?}"),
	}
}

/// The request, block and success of a submitted inclusion report.
fn inclusion_report(submitted: &Submitted) -> (RequestId, u64, bool) {
	match relayer_call(submitted) {
		RelayerCall::report_inclusion { request, block_number, success } => {
			(request, block_number, success)
		}
		other => panic!("not an inclusion report: {other:?}"),
	}
}

/// The one transaction submitted since the last check.
fn single(node: &Node) -> Submitted {
	let mut submitted = node.take_submitted();
	assert_eq!(submitted.len(), 1, "expected exactly one transaction: {submitted:?}");
	submitted.remove(0)
}

fn record(node: &mut Node, request: RequestId) -> Option<RequestRecord<BlockNumber>> {
	node.execute(|| {
		sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, &request_record_key(request))
			.map(|bytes| RequestRecord::decode(&mut &bytes[..]).unwrap())
	})
}

/// Expects `eth_sendRawTransaction` of `transaction` answered with `response`.
fn expect_send(node: &Node, transaction: &SignedTransaction, response: &str) {
	node.expect_rpc("eth_sendRawTransaction", &hex(&transaction.raw), response);
}

/// Expects a successful `eth_sendRawTransaction` of `transaction`.
fn expect_send_ok(node: &Node, transaction: &SignedTransaction) {
	expect_send(node, transaction, &ok_response(json!(hex(&transaction.hash))));
}

fn expect_receipt(node: &Node, transaction: &SignedTransaction, result: serde_json::Value) {
	node.expect_rpc("eth_getTransactionReceipt", &hex(&transaction.hash), &ok_response(result));
}

fn expect_lookup(node: &Node, transaction: &SignedTransaction, result: serde_json::Value) {
	node.expect_rpc("eth_getTransactionByHash", &hex(&transaction.hash), &ok_response(result));
}

fn awaiting_broadcast(node: &mut Node) -> Vec<RequestId> {
	node.execute(<MockTreasury as crate::BroadcastSource>::awaiting_broadcast)
}

fn status(node: &mut Node, request: RequestId) -> Option<crate::BroadcastStatusOf<Test>> {
	node.execute(|| BroadcastStatuses::<Test>::get(request))
}

/// A relayer node (Alice) with request 1 awaiting broadcast on anvil.
fn alice_with_request() -> (Node, AccountId, SignedTransaction) {
	let (mut node, alice) = Node::relayer("//Alice");
	let transaction = node.execute(|| add_awaiting(1));
	(node, alice, transaction)
}

/// Alice's node after request 1 was broadcast and the accepted report included on chain.
fn alice_broadcast() -> (Node, AccountId, SignedTransaction) {
	let (mut node, alice, transaction) = alice_with_request();
	expect_send_ok(&node, &transaction);
	node.run_worker(1);
	assert_ok!(node.include(&single(&node)));
	(node, alice, transaction)
}

// ------------------------------------------------------------------------------------------
// Relayer registry
// ------------------------------------------------------------------------------------------

#[test]
fn genesis_registers_relayers() {
	new_test_ext_with_relayers(vec![account(1), account(2)]).execute_with(|| {
		assert!(Relayer::is_relayer(&account(1)));
		assert!(Relayer::is_relayer(&account(2)));
		assert!(!Relayer::is_relayer(&account(3)));
		assert_eq!(RelayerCount::<Test>::get(), 2);
		let mut relayers = Relayer::relayers();
		relayers.sort();
		assert_eq!(relayers, vec![account(1), account(2)]);
	});
}

#[test]
#[should_panic(expected = "genesis relayers must be unique")]
fn genesis_refuses_duplicate_relayers() {
	new_test_ext_with_relayers(vec![account(1), account(1)]);
}

#[test]
fn admin_adds_and_removes_relayers() {
	new_test_ext().execute_with(|| {
		assert_ok!(Relayer::add_relayer(RuntimeOrigin::root(), account(1)));
		System::assert_last_event(Event::RelayerAdded { relayer: account(1) }.into());
		assert!(Relayers::<Test>::contains_key(account(1)));
		assert_eq!(RelayerCount::<Test>::get(), 1);

		assert_ok!(Relayer::remove_relayer(RuntimeOrigin::root(), account(1)));
		System::assert_last_event(Event::RelayerRemoved { relayer: account(1) }.into());
		assert!(!Relayers::<Test>::contains_key(account(1)));
		assert_eq!(RelayerCount::<Test>::get(), 0);
	});
}

#[test]
fn only_the_admin_origin_manages_relayers() {
	new_test_ext_with_relayers(vec![account(1)]).execute_with(|| {
		assert_noop!(
			Relayer::add_relayer(RuntimeOrigin::signed(account(1)), account(2)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Relayer::remove_relayer(RuntimeOrigin::signed(account(1)), account(1)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Relayer::add_relayer(RuntimeOrigin::none(), account(2)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn adding_a_relayer_twice_fails() {
	new_test_ext_with_relayers(vec![account(1)]).execute_with(|| {
		assert_noop!(
			Relayer::add_relayer(RuntimeOrigin::root(), account(1)),
			Error::<Test>::AlreadyRelayer
		);
	});
}

#[test]
fn relayers_are_bounded() {
	new_test_ext().execute_with(|| {
		for byte in 1..=MAX_RELAYERS as u8 {
			assert_ok!(Relayer::add_relayer(RuntimeOrigin::root(), account(byte)));
		}
		assert_noop!(
			Relayer::add_relayer(RuntimeOrigin::root(), account(99)),
			Error::<Test>::TooManyRelayers
		);
		// Room again after a removal.
		assert_ok!(Relayer::remove_relayer(RuntimeOrigin::root(), account(1)));
		assert_ok!(Relayer::add_relayer(RuntimeOrigin::root(), account(99)));
	});
}

#[test]
fn removing_an_unknown_relayer_fails() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Relayer::remove_relayer(RuntimeOrigin::root(), account(1)),
			Error::<Test>::NotRelayer
		);
	});
}

// ------------------------------------------------------------------------------------------
// report_broadcast
// ------------------------------------------------------------------------------------------

#[test]
fn accepted_broadcast_is_recorded_and_leaves_the_awaiting_index() {
	new_test_ext_with_relayers(vec![account(1)]).execute_with(|| {
		System::set_block_number(5);
		let transaction = add_awaiting(7);

		let result = Relayer::report_broadcast(
			RuntimeOrigin::signed(account(1)),
			7,
			accepted(&transaction.hash),
		);

		assert_ok!(result);
		assert_eq!(result.unwrap().pays_fee, Pays::No);
		let tx_hash = TxHash::try_from(transaction.hash.clone()).unwrap();
		assert_eq!(
			BroadcastStatuses::<Test>::get(7),
			Some(BroadcastStatus::Broadcast {
				chain: ANVIL,
				tx_hash: tx_hash.clone(),
				by: account(1),
				at: 5
			})
		);
		assert!(<MockTreasury as crate::BroadcastSource>::awaiting_broadcast().is_empty());
		assert!(AwaitingReceipt::<Test>::contains_key(7));
		assert_eq!(AwaitingReceiptCount::<Test>::get(), 1);
		System::assert_last_event(
			Event::BroadcastAccepted { request: 7, tx_hash, relayer: account(1) }.into(),
		);
	});
}

#[test]
fn failed_broadcast_is_recorded_and_leaves_the_awaiting_index() {
	new_test_ext_with_relayers(vec![account(1)]).execute_with(|| {
		add_awaiting(7);
		let outcome = failed(REJECTED, "insufficient funds for gas * price + value");

		let result = Relayer::report_broadcast(RuntimeOrigin::signed(account(1)), 7, outcome);

		assert_eq!(result.unwrap().pays_fee, Pays::No);
		let message: BoundedVec<u8, _> =
			b"insufficient funds for gas * price + value".to_vec().try_into().unwrap();
		assert_eq!(
			BroadcastStatuses::<Test>::get(7),
			Some(BroadcastStatus::Failed {
				class: REJECTED,
				message: message.clone(),
				by: account(1),
				at: 1
			})
		);
		assert!(<MockTreasury as crate::BroadcastSource>::awaiting_broadcast().is_empty());
		assert!(!AwaitingReceipt::<Test>::contains_key(7));
		assert_eq!(AwaitingReceiptCount::<Test>::get(), 0);
		System::assert_last_event(
			Event::BroadcastFailed { request: 7, class: REJECTED, message, relayer: account(1) }
				.into(),
		);
	});
}

#[test]
fn only_registered_relayers_report() {
	new_test_ext_with_relayers(vec![account(1)]).execute_with(|| {
		let transaction = add_awaiting(7);
		assert_noop!(
			Relayer::report_broadcast(
				RuntimeOrigin::signed(account(2)),
				7,
				accepted(&transaction.hash)
			),
			Error::<Test>::NotRelayer
		);
		assert_noop!(
			Relayer::report_broadcast(RuntimeOrigin::none(), 7, accepted(&transaction.hash)),
			DispatchError::BadOrigin
		);
		// A removed relayer's reports are refused too.
		assert_ok!(Relayer::remove_relayer(RuntimeOrigin::root(), account(1)));
		assert_noop!(
			Relayer::report_broadcast(
				RuntimeOrigin::signed(account(1)),
				7,
				accepted(&transaction.hash)
			),
			Error::<Test>::NotRelayer
		);
	});
}

#[test]
fn reports_about_requests_not_awaiting_broadcast_are_refused() {
	new_test_ext_with_relayers(vec![account(1)]).execute_with(|| {
		// Unknown request.
		assert_noop!(
			Relayer::report_broadcast(RuntimeOrigin::signed(account(1)), 7, accepted(&[1; 32])),
			Error::<Test>::NotAwaitingBroadcast
		);
		// A private transaction: signed, but never marked for broadcast.
		let private = sample_transaction(8, ANVIL);
		add_signed_transaction(8, ANVIL, private.raw.clone(), private.hash.clone(), false);
		assert_noop!(
			Relayer::report_broadcast(
				RuntimeOrigin::signed(account(1)),
				8,
				accepted(&private.hash)
			),
			Error::<Test>::NotAwaitingBroadcast
		);
		assert_noop!(
			Relayer::report_broadcast(RuntimeOrigin::signed(account(1)), 8, failed(REJECTED, "no")),
			Error::<Test>::NotAwaitingBroadcast
		);
	});
}

#[test]
fn a_wrong_tx_hash_is_refused_and_the_request_keeps_waiting() {
	new_test_ext_with_relayers(vec![account(1)]).execute_with(|| {
		let transaction = add_awaiting(7);
		let mut wrong = transaction.hash.clone();
		wrong[0] ^= 1;
		assert_noop!(
			Relayer::report_broadcast(RuntimeOrigin::signed(account(1)), 7, accepted(&wrong)),
			Error::<Test>::TxHashMismatch
		);
		assert_noop!(
			Relayer::report_broadcast(RuntimeOrigin::signed(account(1)), 7, accepted(&[])),
			Error::<Test>::TxHashMismatch
		);
		assert_eq!(<MockTreasury as crate::BroadcastSource>::awaiting_broadcast(), vec![7]);
	});
}

#[test]
fn an_awaiting_request_without_signed_transaction_is_refused() {
	new_test_ext_with_relayers(vec![account(1)]).execute_with(|| {
		// In the awaiting index but the treasury cannot assemble it.
		frame_support::storage::unhashed::put(
			b"mock-treasury/awaiting-broadcast",
			&std::collections::BTreeSet::from([9u64]),
		);
		assert_noop!(
			Relayer::report_broadcast(RuntimeOrigin::signed(account(1)), 9, accepted(&[1; 32])),
			Error::<Test>::UnknownTransaction
		);
	});
}

#[test]
fn a_request_is_reported_once() {
	new_test_ext_with_relayers(vec![account(1), account(2)]).execute_with(|| {
		let first = add_awaiting(7);
		let second = add_awaiting(8);
		assert_ok!(Relayer::report_broadcast(
			RuntimeOrigin::signed(account(1)),
			7,
			accepted(&first.hash)
		));
		assert_ok!(Relayer::report_broadcast(
			RuntimeOrigin::signed(account(1)),
			8,
			failed(REJECTED, "no")
		));
		for (request, hash) in [(7, &first.hash), (8, &second.hash)] {
			assert_noop!(
				Relayer::report_broadcast(
					RuntimeOrigin::signed(account(2)),
					request,
					accepted(hash)
				),
				Error::<Test>::AlreadyReported
			);
			assert_noop!(
				Relayer::report_broadcast(
					RuntimeOrigin::signed(account(2)),
					request,
					failed(REJECTED, "no")
				),
				Error::<Test>::AlreadyReported
			);
		}
	});
}

#[test]
fn transactions_in_flight_are_bounded() {
	new_test_ext_with_relayers(vec![account(1)]).execute_with(|| {
		for request in 1..=MAX_IN_FLIGHT as u64 {
			let transaction = add_awaiting(request);
			assert_ok!(Relayer::report_broadcast(
				RuntimeOrigin::signed(account(1)),
				request,
				accepted(&transaction.hash)
			));
		}
		let extra = add_awaiting(99);
		assert_noop!(
			Relayer::report_broadcast(RuntimeOrigin::signed(account(1)), 99, accepted(&extra.hash)),
			Error::<Test>::TooManyInFlight
		);
		// A failure report needs no room.
		assert_ok!(Relayer::report_broadcast(
			RuntimeOrigin::signed(account(1)),
			99,
			failed(REJECTED, "no")
		));
		// An inclusion makes room.
		let another = add_awaiting(100);
		assert_ok!(Relayer::report_inclusion(RuntimeOrigin::signed(account(1)), 1, 10, true));
		assert_ok!(Relayer::report_broadcast(
			RuntimeOrigin::signed(account(1)),
			100,
			accepted(&another.hash)
		));
		assert_eq!(AwaitingReceiptCount::<Test>::get(), MAX_IN_FLIGHT);
	});
}

// ------------------------------------------------------------------------------------------
// report_inclusion
// ------------------------------------------------------------------------------------------

#[test]
fn inclusion_is_recorded() {
	new_test_ext_with_relayers(vec![account(1), account(2)]).execute_with(|| {
		let transaction = add_awaiting(7);
		assert_ok!(Relayer::report_broadcast(
			RuntimeOrigin::signed(account(1)),
			7,
			accepted(&transaction.hash)
		));
		System::set_block_number(4);

		let result =
			Relayer::report_inclusion(RuntimeOrigin::signed(account(2)), 7, 19_000_001, false);

		assert_eq!(result.unwrap().pays_fee, Pays::No);
		let tx_hash = TxHash::try_from(transaction.hash.clone()).unwrap();
		assert_eq!(
			BroadcastStatuses::<Test>::get(7),
			Some(BroadcastStatus::Included {
				chain: ANVIL,
				tx_hash: tx_hash.clone(),
				block: 19_000_001,
				success: false,
				by: account(2),
				at: 4
			})
		);
		assert!(!AwaitingReceipt::<Test>::contains_key(7));
		assert_eq!(AwaitingReceiptCount::<Test>::get(), 0);
		System::assert_last_event(
			Event::InclusionReported {
				request: 7,
				tx_hash,
				block: 19_000_001,
				success: false,
				relayer: account(2),
			}
			.into(),
		);
	});
}

#[test]
fn inclusion_needs_a_broadcast_transaction() {
	new_test_ext_with_relayers(vec![account(1)]).execute_with(|| {
		let transaction = add_awaiting(7);
		// Not reported yet.
		assert_noop!(
			Relayer::report_inclusion(RuntimeOrigin::signed(account(1)), 7, 10, true),
			Error::<Test>::NotBroadcast
		);
		// Failed.
		add_awaiting(8);
		assert_ok!(Relayer::report_broadcast(
			RuntimeOrigin::signed(account(1)),
			8,
			failed(REJECTED, "no")
		));
		assert_noop!(
			Relayer::report_inclusion(RuntimeOrigin::signed(account(1)), 8, 10, true),
			Error::<Test>::NotBroadcast
		);
		// Not a relayer.
		assert_ok!(Relayer::report_broadcast(
			RuntimeOrigin::signed(account(1)),
			7,
			accepted(&transaction.hash)
		));
		assert_noop!(
			Relayer::report_inclusion(RuntimeOrigin::signed(account(2)), 7, 10, true),
			Error::<Test>::NotRelayer
		);
		// Twice.
		assert_ok!(Relayer::report_inclusion(RuntimeOrigin::signed(account(1)), 7, 10, true));
		assert_noop!(
			Relayer::report_inclusion(RuntimeOrigin::signed(account(1)), 7, 11, true),
			Error::<Test>::AlreadyReported
		);
	});
}

#[test]
fn runtime_api_queries() {
	new_test_ext_with_relayers(vec![account(1)]).execute_with(|| {
		assert_eq!(Relayer::broadcast_status(7), None);
		add_awaiting(7);
		assert_ok!(Relayer::report_broadcast(
			RuntimeOrigin::signed(account(1)),
			7,
			failed(REJECTED, "nope")
		));
		assert_eq!(
			Relayer::broadcast_status(7),
			Some(BroadcastStatus::Failed {
				class: REJECTED,
				message: b"nope".to_vec(),
				by: account(1),
				at: 1
			})
		);
		assert_eq!(Relayer::relayers(), vec![account(1)]);
		// The plain-vector status encodes like the stored one.
		let stored = BroadcastStatuses::<Test>::get(7).unwrap();
		assert_eq!(
			codec::Encode::encode(&stored),
			codec::Encode::encode(&Relayer::broadcast_status(7).unwrap())
		);
	});
}

// ------------------------------------------------------------------------------------------
// Endpoint keys and JSON-RPC parsing
// ------------------------------------------------------------------------------------------

#[test]
fn chain_labels_and_endpoint_keys() {
	assert_eq!(chain_label(&Chain::Evm { chain_id: 31337 }), "eip155:31337");
	assert_eq!(chain_label(&Chain::Evm { chain_id: 1 }), "eip155:1");
	assert_eq!(
		chain_label(&Chain::Bitcoin { network: BitcoinNetwork::Mainnet }),
		"bip122:000000000019d6689c085ae165831e93"
	);
	assert_eq!(chain_label(&Chain::Solana), "solana");
	assert_eq!(
		endpoint_storage_key(&Chain::Evm { chain_id: 31337 }),
		b"zenrock/relayer/endpoint/eip155:31337".to_vec()
	);
	assert_eq!(
		endpoint_storage_key_for_label("eip155:31337"),
		endpoint_storage_key(&Chain::Evm { chain_id: 31337 })
	);
}

#[test]
fn request_bodies_are_json_rpc_2() {
	let body = json_rpc::request_body("eth_sendRawTransaction", &["0x02f8".into()]);
	assert_eq!(
		String::from_utf8(body.clone()).unwrap(),
		r#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x02f8"]}"#
	);
	let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
	assert_eq!(parsed["params"][0], "0x02f8");
	// Parameters are escaped, whatever they hold.
	let odd = json_rpc::request_body("m", &["\"}]".into()]);
	let parsed: serde_json::Value = serde_json::from_slice(&odd).unwrap();
	assert_eq!(parsed["params"][0], "\"}]");
}

#[test]
fn replies_are_parsed_defensively() {
	assert_eq!(
		parse_reply(200, br#"{"jsonrpc":"2.0","id":1,"result":"0xab"}"#),
		Ok(Reply::Result(json!("0xab")))
	);
	assert_eq!(
		parse_reply(200, br#"{"jsonrpc":"2.0","id":1,"result":null}"#),
		Ok(Reply::Result(json!(null)))
	);
	assert_eq!(
		parse_reply(
			200,
			br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"nonce too low"}}"#
		),
		Ok(Reply::Error { code: -32000, message: "nonce too low".into() })
	);
	// Errors count whatever the status; `data` joins the message.
	assert_eq!(
		parse_reply(500, br#"{"error":{"code":3,"message":"execution reverted","data":"0x08c3"}}"#),
		Ok(Reply::Error { code: 3, message: "execution reverted: 0x08c3".into() })
	);
	// Odd error objects.
	assert_eq!(
		parse_reply(200, br#"{"error":{"code":"x","message":7}}"#),
		Ok(Reply::Error { code: 0, message: String::new() })
	);
	assert_eq!(
		parse_reply(200, br#"{"error":"boom"}"#),
		Ok(Reply::Error { code: 0, message: String::new() })
	);
	// Not JSON-RPC.
	for body in [
		&b""[..],
		b"garbage",
		b"[1,2]",
		b"\"0xab\"",
		b"{}",
		b"{\"id\":1}",
		&[0xff, 0xfe, 0x00],
		b"{\"result\":",
	] {
		assert_eq!(parse_reply(200, body), Err(AttemptFailure::InvalidResponse), "{body:?}");
		assert_eq!(
			parse_reply(502, body),
			Err(AttemptFailure::HttpStatus { code: 502 }),
			"{body:?}"
		);
	}
	// A result with an error status is not trusted.
	assert_eq!(
		parse_reply(503, br#"{"result":"0xab"}"#),
		Err(AttemptFailure::HttpStatus { code: 503 })
	);
	// Deeply nested garbage does not crash the parser.
	let deep = "[".repeat(100_000);
	assert_eq!(parse_reply(200, deep.as_bytes()), Err(AttemptFailure::InvalidResponse));
}

#[test]
fn receipts_are_parsed() {
	assert_eq!(parse_receipt(&json!(null)), ReceiptState::Pending);
	assert_eq!(
		parse_receipt(&receipt(26, "0x1")),
		ReceiptState::Included { block: 26, success: true }
	);
	assert_eq!(
		parse_receipt(&receipt(26, "0x0")),
		ReceiptState::Included { block: 26, success: false }
	);
	assert_eq!(
		parse_receipt(&json!({ "blockNumber": "0x1a" })),
		ReceiptState::Included { block: 26, success: false }
	);
	assert_eq!(
		parse_receipt(&json!({ "blockNumber": null, "status": "0x1" })),
		ReceiptState::Pending
	);
	assert_eq!(parse_receipt(&json!({ "status": "0x1" })), ReceiptState::Pending);
	assert_eq!(parse_receipt(&json!({ "blockNumber": "26" })), ReceiptState::Malformed);
	assert_eq!(parse_receipt(&json!({ "blockNumber": 26 })), ReceiptState::Malformed);
	assert_eq!(parse_receipt(&json!("0x1")), ReceiptState::Malformed);
	assert_eq!(parse_receipt(&json!([])), ReceiptState::Malformed);
}

#[test]
fn hex_helpers() {
	assert_eq!(hex(&[]), "0x");
	assert_eq!(hex(&[0x00, 0xab, 0x0f]), "0x00ab0f");
	assert_eq!(json_rpc::parse_hex_bytes("0x00AB0f"), Some(vec![0x00, 0xab, 0x0f]));
	assert_eq!(json_rpc::parse_hex_bytes("0x"), Some(vec![]));
	assert_eq!(json_rpc::parse_hex_bytes("0xabc"), None);
	assert_eq!(json_rpc::parse_hex_bytes("abcd"), None);
	assert_eq!(json_rpc::parse_hex_bytes("0xzz"), None);
	assert_eq!(json_rpc::parse_hex_bytes("0x+1"), None);
	assert_eq!(json_rpc::parse_hex_bytes("0xé1"), None);
	assert_eq!(json_rpc::parse_quantity("0x0"), Some(0));
	assert_eq!(json_rpc::parse_quantity("0x1b4"), Some(436));
	assert_eq!(json_rpc::parse_quantity("0xffffffffffffffff"), Some(u64::MAX));
	assert_eq!(json_rpc::parse_quantity("0x1ffffffffffffffff"), None);
	assert_eq!(json_rpc::parse_quantity("0x"), None);
	assert_eq!(json_rpc::parse_quantity("0x+1"), None);
	assert_eq!(json_rpc::parse_quantity("12"), None);
	assert_eq!(json_rpc::truncate_utf8("héllo", 2), "h");
	assert_eq!(json_rpc::truncate_utf8("héllo", 3), "hé");
	assert_eq!(json_rpc::truncate_utf8("hi", 10), "hi");
	assert_eq!(json_rpc::truncate_utf8("€", 0), "");
}

#[test]
fn rejections_are_classified() {
	use RejectionKind::*;
	for (message, kind) in [
		("nonce too low: next nonce 5, tx nonce 4", NonceTooLow),
		("insufficient funds for gas * price + value", InsufficientFunds),
		("replacement transaction underpriced", FeeTooLow),
		("max fee per gas less than block base fee", FeeTooLow),
		("intrinsic gas too low", GasLimit),
		("exceeds block gas limit", GasLimit),
		("invalid sender", Invalid),
		("rlp: expected input list for types.DynamicFeeTx", Invalid),
		("something else entirely", Other),
	] {
		assert_eq!(json_rpc::rejection_kind(message), kind, "{message}");
	}
	for message in [
		"already known",
		"known transaction: 0xab",
		"transaction already imported",
		"AlreadyKnown",
		"ALREADY KNOWN",
	] {
		assert!(json_rpc::is_already_known(message), "{message}");
	}
	assert!(!json_rpc::is_already_known("nonce too low"));
}

#[test]
fn backoff_doubles_and_saturates() {
	assert_eq!(backoff::<u64>(2, 1), 2);
	assert_eq!(backoff::<u64>(2, 2), 4);
	assert_eq!(backoff::<u64>(2, 3), 8);
	assert_eq!(backoff::<u64>(3, 0), 3);
	assert_eq!(backoff::<u32>(2, 40), u32::MAX);
	assert_eq!(backoff::<u64>(u64::MAX, 5), u64::MAX);
}

#[test]
fn nonces_count_ahead_of_the_chain_until_it_stalls() {
	assert_eq!(next_nonce::<u32, u64>(None, 3, 10, 5), 3);
	let record = nonce_record_after::<u32, u64>(None, 3, 3, 10);
	assert_eq!(record, NonceRecord { next: 4, chain_nonce: 3, since: 10 });
	assert_eq!(next_nonce(Some(&record), 3, 10, 5), 4);
	let record = nonce_record_after(Some(&record), 4, 3, 11);
	assert_eq!(record, NonceRecord { next: 5, chain_nonce: 3, since: 10 });
	assert_eq!(next_nonce(Some(&record), 3, 14, 5), 5);
	// The chain's nonce did not move for `patience` blocks: back to the chain's.
	assert_eq!(next_nonce(Some(&record), 3, 15, 5), 3);
	// The chain moved: keep counting.
	assert_eq!(next_nonce(Some(&record), 4, 20, 5), 5);
	// The chain caught up or overtook.
	assert_eq!(next_nonce(Some(&record), 5, 11, 5), 5);
	assert_eq!(next_nonce(Some(&record), 9, 11, 5), 9);
}

// ------------------------------------------------------------------------------------------
// Worker: when it does nothing
// ------------------------------------------------------------------------------------------

#[test]
fn no_relayer_key_means_no_work() {
	let mut node = Node::new();
	node.set_endpoint(&ANVIL, ENDPOINT);
	node.execute(|| {
		add_awaiting(1);
		crate::Pallet::<Test>::insert_relayer(&account(1)).unwrap();
	});

	node.run_worker(1);

	assert!(node.take_submitted().is_empty());
	assert_eq!(record(&mut node, 1), None);
}

#[test]
fn a_key_of_an_unregistered_account_does_nothing() {
	let mut node = Node::new();
	node.add_relayer_key("//Bob");
	node.set_endpoint(&ANVIL, ENDPOINT);
	node.execute(|| add_awaiting(1));

	node.run_worker(1);

	assert!(node.take_submitted().is_empty());
}

#[test]
fn the_first_registered_key_signs() {
	let mut node = Node::new();
	node.add_relayer_key("//Bob");
	let alice = node.add_relayer_key("//Alice");
	node.execute(|| crate::Pallet::<Test>::insert_relayer(&alice).unwrap());
	node.set_endpoint(&ANVIL, ENDPOINT);
	let transaction = node.execute(|| add_awaiting(1));
	expect_send_ok(&node, &transaction);

	node.run_worker(1);

	assert_eq!(single(&node).from, alice);
}

#[test]
fn no_endpoint_means_nothing_is_sent() {
	let mut node = Node::new();
	let alice = node.add_relayer_key("//Alice");
	node.execute(|| {
		crate::Pallet::<Test>::insert_relayer(&alice).unwrap();
		add_awaiting(1);
	});
	// An endpoint for another chain does not count.
	node.set_endpoint(&Chain::Evm { chain_id: 1 }, ENDPOINT);

	node.run_worker(1);

	assert!(node.take_submitted().is_empty());
	assert_eq!(awaiting_broadcast(&mut node), vec![1]);
}

#[test]
fn invalid_endpoints_are_ignored_and_scale_encoded_ones_accepted() {
	let (mut node, _alice, transaction) = alice_with_request();
	for bad in ["", "   ", "127.0.0.1:8545", "ftp://x"] {
		node.set_endpoint(&ANVIL, bad);
		node.run_worker(1);
		assert!(node.take_submitted().is_empty(), "{bad:?}");
	}
	// A SCALE-encoded string (as `StorageValueRef::set` would write it) works too.
	let key = endpoint_storage_key(&ANVIL);
	node.execute(|| {
		let value = codec::Encode::encode(&ENDPOINT.as_bytes().to_vec());
		sp_io::offchain::local_storage_set(StorageKind::PERSISTENT, &key, &value)
	});
	expect_send_ok(&node, &transaction);
	node.run_worker(1);
	assert_eq!(broadcast_report(&single(&node)).0, 1);
}

#[test]
fn private_requests_are_never_broadcast() {
	let (mut node, _alice) = Node::relayer("//Alice");
	node.execute(|| {
		let private = sample_transaction(2, ANVIL);
		add_signed_transaction(2, ANVIL, private.raw, private.hash, false);
	});

	for block in 1..5 {
		node.run_worker(block);
	}

	assert!(node.take_submitted().is_empty());
	assert_eq!(record(&mut node, 2), None);
}

#[test]
fn unsupported_chains_are_skipped() {
	let (mut node, _alice) = Node::relayer("//Alice");
	node.set_endpoint(&Chain::Solana, ENDPOINT);
	node.execute(|| {
		let transaction = sample_transaction(3, Chain::Solana);
		add_signed_transaction(3, Chain::Solana, transaction.raw, transaction.hash, true);
	});

	node.run_worker(1);

	assert!(node.take_submitted().is_empty());
}

#[test]
fn a_request_locked_by_another_worker_is_skipped() {
	let (mut node, _alice, transaction) = alice_with_request();
	node.execute(|| {
		let key = lock_key(1);
		let mut lock = StorageLock::<Time>::with_deadline(&key, Duration::from_millis(60_000));
		lock.try_lock().unwrap().forget();
	});

	node.run_worker(1);
	assert!(node.take_submitted().is_empty());

	// Once the lock expires the request is sent.
	node.offchain.0.write().timestamp = sp_core::offchain::Timestamp::from_unix_millis(61_000);
	expect_send_ok(&node, &transaction);
	node.run_worker(2);
	assert_eq!(broadcast_report(&single(&node)).0, 1);
}

// ------------------------------------------------------------------------------------------
// Worker: broadcasting
// ------------------------------------------------------------------------------------------

#[test]
fn a_successful_broadcast_is_reported_and_never_sent_again() {
	let (mut node, alice, transaction) = alice_with_request();
	expect_send_ok(&node, &transaction);

	node.run_worker(1);

	let report = single(&node);
	assert_eq!(report.from, alice);
	assert_eq!(report.nonce, 0);
	assert_eq!(broadcast_report(&report), (1, accepted(&transaction.hash)));
	node.assert_script_done();

	// Until the report is on chain, nothing is sent again.
	for block in 2..4 {
		node.run_worker(block);
	}
	assert!(node.take_submitted().is_empty());

	// On chain: the request is broadcast and awaits its receipt.
	assert_ok!(node.include(&report));
	assert!(awaiting_broadcast(&mut node).is_empty());
	assert!(matches!(
		status(&mut node, 1),
		Some(BroadcastStatus::Broadcast { by, at: 3, .. }) if by == alice
	));
	assert!(node.execute(|| AwaitingReceipt::<Test>::contains_key(1)));
}

#[test]
fn a_node_answering_another_hash_is_reported_with_the_chains_hash() {
	let (mut node, _alice, transaction) = alice_with_request();
	expect_send(&node, &transaction, &ok_response(json!("0x1234")));

	node.run_worker(1);

	let report = single(&node);
	assert_eq!(broadcast_report(&report), (1, accepted(&transaction.hash)));
	assert_ok!(node.include(&report));
}

#[test]
fn a_json_rpc_error_is_reported_as_a_classified_failure() {
	let (mut node, _alice, transaction) = alice_with_request();
	expect_send(
		&node,
		&transaction,
		&error_response(-32000, "insufficient funds for gas * price + value"),
	);
	expect_lookup(&node, &transaction, json!(null));

	node.run_worker(1);

	let report = single(&node);
	assert_eq!(
		broadcast_report(&report),
		(1, failed(REJECTED, "insufficient funds for gas * price + value"))
	);
	assert_ok!(node.include(&report));
	assert!(matches!(status(&mut node, 1), Some(BroadcastStatus::Failed { class: REJECTED, .. })));
	assert!(awaiting_broadcast(&mut node).is_empty());

	// Nothing more happens for it.
	node.run_worker(2);
	assert!(node.take_submitted().is_empty());
}

#[test]
fn a_json_rpc_error_with_an_error_status_is_still_a_rejection() {
	let (mut node, _alice, transaction) = alice_with_request();
	node.expect_rpc_status(
		"eth_sendRawTransaction",
		&hex(&transaction.raw),
		400,
		&error_response(-32602, "invalid sender"),
	);
	expect_lookup(&node, &transaction, json!(null));

	node.run_worker(1);

	let class = FailureClass::Rejected { code: -32602, kind: RejectionKind::Invalid };
	assert_eq!(broadcast_report(&single(&node)), (1, failed(class, "invalid sender")));
}

#[test]
fn long_error_messages_are_truncated_on_a_character_boundary() {
	let (mut node, _alice, transaction) = alice_with_request();
	// 63 ASCII bytes, then a 3-byte character across the 64-byte bound.
	let message = format!("{}€ and more", "x".repeat(63));
	expect_send(&node, &transaction, &error_response(-32000, &message));
	expect_lookup(&node, &transaction, json!(null));

	node.run_worker(1);

	let (_, outcome) = broadcast_report(&single(&node));
	let BroadcastOutcome::Failed { message: reported, .. } = outcome else { panic!("{outcome:?}") };
	assert_eq!(reported.to_vec(), "x".repeat(63).into_bytes());
}

#[test]
fn an_already_known_transaction_counts_as_accepted() {
	for message in ["already known", "known transaction: 0xabc", "transaction already imported"] {
		let (mut node, _alice, transaction) = alice_with_request();
		expect_send(&node, &transaction, &error_response(-32000, message));

		node.run_worker(1);

		let report = single(&node);
		assert_eq!(broadcast_report(&report), (1, accepted(&transaction.hash)), "{message}");
		assert_ok!(node.include(&report));
	}
}

#[test]
fn a_refused_transaction_the_node_knows_counts_as_accepted() {
	// Our earlier broadcast was mined but its report lost: the node now says `nonce too low`.
	let (mut node, _alice, transaction) = alice_with_request();
	expect_send(&node, &transaction, &error_response(-32000, "nonce too low"));
	expect_lookup(
		&node,
		&transaction,
		json!({ "hash": hex(&transaction.hash), "blockNumber": "0x5" }),
	);

	node.run_worker(1);

	assert_eq!(broadcast_report(&single(&node)), (1, accepted(&transaction.hash)));
}

#[test]
fn a_failed_lookup_leaves_the_rejection() {
	let (mut node, _alice, transaction) = alice_with_request();
	expect_send(&node, &transaction, &error_response(-32000, "nonce too low"));
	node.expect_failure(Fault::Timeout);

	node.run_worker(1);

	let class = FailureClass::Rejected { code: -32000, kind: RejectionKind::NonceTooLow };
	assert_eq!(broadcast_report(&single(&node)), (1, failed(class, "nonce too low")));
}

#[test]
fn unreachable_endpoints_are_retried_with_backoff_up_to_the_bound() {
	let (mut node, _alice, transaction) = alice_with_request();

	// Attempt 1 at block 1: next at 1 + 2.
	node.expect_failure(Fault::Timeout);
	node.run_worker(1);
	assert!(node.take_submitted().is_empty());
	assert_eq!(record(&mut node, 1).unwrap().attempts, 1);
	assert_eq!(record(&mut node, 1).unwrap().next_attempt_at, Some(3));
	node.run_worker(2);

	// Attempt 2 at block 3: next at 3 + 4.
	node.expect_failure(Fault::Unreachable);
	node.run_worker(3);
	assert!(node.take_submitted().is_empty());
	assert_eq!(record(&mut node, 1).unwrap().next_attempt_at, Some(7));
	for block in 4..7 {
		node.run_worker(block);
	}

	// Attempt 3 at block 7 is the last: reported as failed.
	node.expect_failure(Fault::Timeout);
	node.run_worker(7);
	let report = single(&node);
	let class = FailureClass::RetriesExhausted { attempts: 3, last: AttemptFailure::Timeout };
	let (request, outcome) = broadcast_report(&report);
	assert_eq!(request, 1);
	let BroadcastOutcome::Failed { class: reported, message } = outcome else {
		panic!("{outcome:?}")
	};
	assert_eq!(reported, class);
	assert_eq!(
		std::str::from_utf8(&message).unwrap(),
		"no answer before the deadline (3 attempts, last at eip155:31337)"
	);
	// Every attempt sent the transaction.
	let expected_body = json_rpc::request_body("eth_sendRawTransaction", &[hex(&transaction.raw)]);
	assert_eq!(node.failed_bodies(), vec![expected_body; 3]);

	assert_ok!(node.include(&report));
	assert!(matches!(
		status(&mut node, 1),
		Some(BroadcastStatus::Failed { class: FailureClass::RetriesExhausted { .. }, .. })
	));
}

#[test]
fn a_retry_that_succeeds_is_reported_as_accepted() {
	let (mut node, _alice, transaction) = alice_with_request();
	node.expect_failure(Fault::Unreachable);
	node.run_worker(1);

	expect_send_ok(&node, &transaction);
	node.run_worker(3);

	assert_eq!(broadcast_report(&single(&node)), (1, accepted(&transaction.hash)));
}

#[test]
fn bad_answers_are_retried_like_network_failures() {
	let (mut node, _alice, transaction) = alice_with_request();
	// A proxy error page.
	node.expect_rpc_status(
		"eth_sendRawTransaction",
		&hex(&transaction.raw),
		502,
		"<html>Bad Gateway</html>",
	);
	node.run_worker(1);
	assert!(node.take_submitted().is_empty());

	// Not JSON-RPC at all.
	expect_send(&node, &transaction, "\u{0}\u{1}garbage{{{");
	node.run_worker(3);
	assert!(node.take_submitted().is_empty());

	// A result that is not a string: the node accepted it.
	expect_send(&node, &transaction, &ok_response(json!({ "weird": [1, 2] })));
	node.run_worker(7);
	assert_eq!(broadcast_report(&single(&node)), (1, accepted(&transaction.hash)));
}

#[test]
fn bad_answers_exhaust_retries_with_the_last_failure() {
	let (mut node, _alice, transaction) = alice_with_request();
	node.expect_failure(Fault::Timeout);
	node.run_worker(1);
	node.expect_failure(Fault::Timeout);
	node.run_worker(3);
	node.expect_rpc_status("eth_sendRawTransaction", &hex(&transaction.raw), 503, "");
	node.run_worker(7);

	let (_, outcome) = broadcast_report(&single(&node));
	assert!(matches!(
		outcome,
		BroadcastOutcome::Failed {
			class: FailureClass::RetriesExhausted {
				attempts: 3,
				last: AttemptFailure::HttpStatus { code: 503 }
			},
			..
		}
	));
}

// ------------------------------------------------------------------------------------------
// Worker: reports, nonces, budget, clean-up
// ------------------------------------------------------------------------------------------

#[test]
fn a_lost_report_is_resubmitted_after_a_bounded_wait_without_sending_again() {
	let (mut node, _alice, transaction) = alice_with_request();
	expect_send_ok(&node, &transaction);
	node.run_worker(1);
	let first = single(&node);

	// The report is lost: the chain never shows it.
	for block in 2..1 + RESUBMIT_AFTER {
		node.run_worker(block);
		assert!(node.take_submitted().is_empty(), "block {block}");
	}
	node.run_worker(1 + RESUBMIT_AFTER);
	let again = single(&node);
	assert_eq!(again.call, first.call);
	// The chain's nonce did not move for `ResubmitAfter` blocks: the chain's nonce again.
	assert_eq!(again.nonce, 0);
	assert_ok!(node.include(&again));
}

#[test]
fn a_restarted_node_does_not_broadcast_a_decided_request_again() {
	let (mut node, _alice, transaction) = alice_with_request();
	expect_send_ok(&node, &transaction);
	node.run_worker(1);
	let _lost = single(&node);

	// A record left by a node that stopped after deciding but before submitting.
	node.execute(|| {
		let record = RequestRecord::<BlockNumber> {
			attempts: 0,
			next_attempt_at: None,
			polled_at: None,
			report: Some(SubmittedReport {
				report: Report::Accepted { tx_hash: transaction.hash.clone() },
				submitted_at: None,
			}),
		};
		sp_runtime::offchain::storage::StorageValueRef::persistent(&request_record_key(1))
			.set(&record);
	});
	// Submitted at once (no HTTP), as no earlier submission reached the pool.
	node.run_worker(2);
	assert_eq!(broadcast_report(&single(&node)), (1, accepted(&transaction.hash)));
	assert_eq!(record(&mut node, 1).unwrap().report.unwrap().submitted_at, Some(2));
}

#[test]
fn reports_in_consecutive_blocks_get_consecutive_nonces() {
	let (mut node, _alice) = Node::relayer("//Alice");
	let first = node.execute(|| add_awaiting(1));
	expect_send_ok(&node, &first);
	node.run_worker(1);
	let second = node.execute(|| add_awaiting(2));
	expect_send_ok(&node, &second);
	let third = node.execute(|| add_awaiting(3));
	expect_send_ok(&node, &third);
	node.run_worker(2);

	let nonces: Vec<_> = node.take_submitted().iter().map(|s| s.nonce).collect();
	assert_eq!(nonces, vec![0, 1, 2]);
}

#[test]
fn at_most_max_requests_per_run_are_sent_per_block() {
	let (mut node, _alice) = Node::relayer("//Alice");
	let transactions: Vec<_> =
		(1..=MAX_REQUESTS_PER_RUN as u64 + 1).map(|r| node.execute(|| add_awaiting(r))).collect();
	for transaction in &transactions[..MAX_REQUESTS_PER_RUN as usize] {
		expect_send_ok(&node, transaction);
	}

	node.run_worker(1);
	let reports = node.take_submitted();
	assert_eq!(reports.len(), MAX_REQUESTS_PER_RUN as usize);
	for report in &reports {
		assert_ok!(node.include(report));
	}

	// The last one in the next block; the budget left polls the receipts of the first three.
	let last = transactions.last().unwrap();
	expect_send_ok(&node, last);
	for transaction in &transactions[..MAX_REQUESTS_PER_RUN as usize - 1] {
		expect_receipt(&node, transaction, json!(null));
	}
	node.run_worker(2);
	assert_eq!(broadcast_report(&single(&node)).0, MAX_REQUESTS_PER_RUN as u64 + 1);
	assert_eq!(record(&mut node, MAX_REQUESTS_PER_RUN as u64).unwrap().polled_at, None);
}

#[test]
fn records_are_removed_once_the_chain_settles_the_request() {
	let (mut node, _alice, transaction) = alice_with_request();
	expect_send(&node, &transaction, &error_response(-32000, "invalid sender"));
	expect_lookup(&node, &transaction, json!(null));
	node.run_worker(1);
	assert!(record(&mut node, 1).is_some());
	assert_ok!(node.include(&single(&node)));

	node.run_worker(2);

	assert_eq!(record(&mut node, 1), None);
	let open: Vec<RequestId> = node.execute(|| {
		sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, &open_requests_key())
			.map(|bytes| Vec::<RequestId>::decode(&mut &bytes[..]).unwrap())
			.unwrap_or_default()
	});
	assert!(open.is_empty());
}

#[test]
fn a_broadcast_another_relayer_reported_first_is_not_reported_again() {
	// Another relayer reported first: ours is refused and the request is settled.
	let (mut node, _alice, transaction) = alice_with_request();
	expect_send_ok(&node, &transaction);
	node.run_worker(1);
	let ours = single(&node);
	node.execute(|| {
		crate::Pallet::<Test>::insert_relayer(&account(9)).unwrap();
		assert_ok!(Relayer::report_broadcast(
			RuntimeOrigin::signed(account(9)),
			1,
			accepted(&transaction.hash)
		));
	});
	assert_eq!(
		node.include(&ours).map_err(|e| e.error),
		Err(Error::<Test>::AlreadyReported.into())
	);
	// The worker forgets the broadcast and follows the receipt instead.
	expect_receipt(&node, &transaction, json!(null));
	node.run_worker(1 + RESUBMIT_AFTER);
	assert!(node.take_submitted().is_empty());
}

// ------------------------------------------------------------------------------------------
// Worker: receipts
// ------------------------------------------------------------------------------------------

#[test]
fn receipts_are_polled_until_the_inclusion_is_reported() {
	let (mut node, alice, transaction) = alice_broadcast();

	// Block 2: first poll, no receipt yet.
	expect_receipt(&node, &transaction, json!(null));
	node.run_worker(2);
	assert!(node.take_submitted().is_empty());
	assert_eq!(record(&mut node, 1).unwrap().polled_at, Some(2));

	// Not polled again before `ReceiptPollInterval` blocks.
	for block in 3..2 + RECEIPT_POLL_INTERVAL {
		node.run_worker(block);
	}

	// A pending receipt without block, then the network fails: still waiting.
	expect_receipt(&node, &transaction, json!({ "blockNumber": null }));
	node.run_worker(2 + RECEIPT_POLL_INTERVAL);
	node.expect_failure(Fault::Unreachable);
	node.run_worker(2 + 2 * RECEIPT_POLL_INTERVAL);
	assert!(node.take_submitted().is_empty());

	// The receipt.
	let block = 2 + 3 * RECEIPT_POLL_INTERVAL;
	expect_receipt(&node, &transaction, receipt(0x1a2b, "0x1"));
	node.run_worker(block);
	let report = single(&node);
	assert_eq!(report.from, alice);
	assert_eq!(inclusion_report(&report), (1, 0x1a2b, true));

	// Not sent again while waiting for it on chain.
	node.run_worker(block + 1);
	assert!(node.take_submitted().is_empty());

	assert_ok!(node.include(&report));
	assert!(matches!(
		status(&mut node, 1),
		Some(BroadcastStatus::Included { block: 0x1a2b, success: true, .. })
	));
	assert!(!node.execute(|| AwaitingReceipt::<Test>::contains_key(1)));

	// Done: the record goes, nothing more is polled.
	node.run_worker(block + 2);
	assert_eq!(record(&mut node, 1), None);
	assert!(node.take_submitted().is_empty());
}

#[test]
fn a_reverted_transaction_is_reported_as_such() {
	let (mut node, _alice, transaction) = alice_broadcast();
	expect_receipt(&node, &transaction, receipt(7, "0x0"));

	node.run_worker(2);

	let report = single(&node);
	assert_eq!(inclusion_report(&report), (1, 7, false));
	assert_ok!(node.include(&report));
	assert!(matches!(
		status(&mut node, 1),
		Some(BroadcastStatus::Included { block: 7, success: false, .. })
	));
}

#[test]
fn malformed_receipts_and_errors_do_not_report() {
	let (mut node, _alice, transaction) = alice_broadcast();
	expect_receipt(&node, &transaction, json!({ "blockNumber": "twenty" }));
	node.run_worker(2);
	node.expect_rpc(
		"eth_getTransactionReceipt",
		&hex(&transaction.hash),
		&error_response(-32601, "method not found"),
	);
	node.run_worker(2 + RECEIPT_POLL_INTERVAL);
	node.expect_rpc("eth_getTransactionReceipt", &hex(&transaction.hash), "not json");
	node.run_worker(2 + 2 * RECEIPT_POLL_INTERVAL);

	assert!(node.take_submitted().is_empty());
}

#[test]
fn a_lost_inclusion_report_is_resubmitted_without_polling_again() {
	let (mut node, _alice, transaction) = alice_broadcast();
	expect_receipt(&node, &transaction, receipt(9, "0x1"));
	node.run_worker(2);
	let first = single(&node);

	node.run_worker(2 + RESUBMIT_AFTER);

	assert_eq!(single(&node).call, first.call);
}

#[test]
fn receipts_are_not_polled_without_an_endpoint() {
	let (mut node, _alice, _transaction) = alice_broadcast();
	node.set_endpoint(&ANVIL, "");

	node.run_worker(2);

	assert!(node.take_submitted().is_empty());
}
