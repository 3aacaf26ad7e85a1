//! What every request carries besides its content: the most fee the requester accepts
//! (checked when the request is made and again when its approval completes) and a memo,
//! stored with the request and returned in its events.

use super::*;

fn memo(text: &[u8]) -> Option<Vec<u8>> {
	Some(text.to_vec())
}

/// `OWNER` asks keyring `KR` for a key of `key_type` in `WS`, accepting `max_fee`, with `memo`.
fn key_request(
	key_type: KeyType,
	max_fee: Balance,
	memo: Option<Vec<u8>>,
) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Treasury::request_key(signed(OWNER), WS, KR, key_type, None, max_fee, memo)
}

#[test]
fn a_fee_above_the_requesters_maximum_is_refused() {
	build_and_execute(|| {
		setup_single();
		assert_noop!(
			key_request(KeyType::Ed25519, KEY_FEE - 1, None),
			Error::<Test>::FeeAboveMaximum
		);
		assert_ok!(key_request(KeyType::Ed25519, KEY_FEE, None));
		let key = create_eip155_key();
		assert_noop!(
			Treasury::request_signature(
				signed(OWNER),
				key,
				payloads(&[prehash(1).to_vec()]),
				SIGN_FEE - 1,
				None
			),
			Error::<Test>::FeeAboveMaximum
		);
		assert_noop!(
			Treasury::request_transaction_signature(
				signed(OWNER),
				key,
				Chain::Evm { chain_id: 1 },
				hex(EIP155_SIGNING_DATA),
				false,
				SIGN_FEE - 1,
				None
			),
			Error::<Test>::FeeAboveMaximum
		);
		assert_noop!(
			Treasury::request_message_signature(
				signed(OWNER),
				key,
				zenrock_chain_formats::message::MessageFormat::PersonalSign,
				b"hi".to_vec(),
				SIGN_FEE - 1,
				None
			),
			Error::<Test>::FeeAboveMaximum
		);
		assert_eq!(held(OWNER), KEY_FEE, "only the accepted key request holds a fee");
	});
}

#[test]
fn a_fee_raised_while_the_request_waits_fails_its_approval() {
	build_and_execute(|| {
		setup_single();
		set_policy(7, vec![OWNER, OWNER_2]);
		set_workspace_sign_policy(WS, Some(7));
		set_gate_mode(GateMode::Pending);
		assert_ok!(key_request(KeyType::Ed25519, KEY_FEE, None));
		// The keyring's admin raises the fee before the second owner approves.
		set_keyring(KR, vec![PARTY_A], 1, KEY_FEE + 1, SIGN_FEE);
		assert_eq!(approve(0), Err(Error::<Test>::FeeAboveMaximum.into()));
		assert_eq!(NextRequestId::<Test>::get(), 0, "no request was made");
		assert_eq!(held(OWNER), 0, "nothing was charged");
	});
}

#[test]
fn the_memo_is_stored_and_returned_in_the_events() {
	build_and_execute(|| {
		setup_single();
		assert_ok!(key_request(KeyType::EcdsaSecp256k1, Balance::MAX, memo(b"order-42")));
		let request = last_id();
		assert_eq!(KeyRequests::<Test>::get(request).unwrap().memo.to_vec(), b"order-42".to_vec());
		assert!(matches!(
			last_event(),
			Event::KeyRequested { memo, .. } if memo.to_vec() == b"order-42".to_vec()
		));
		assert_ok!(Treasury::fulfil_key_request(
			signed(PARTY_A),
			request,
			ecdsa_public(&eip155_pair())
		));
		assert_ok!(Treasury::request_signature(
			signed(OWNER),
			request,
			payloads(&[prehash(1).to_vec()]),
			Balance::MAX,
			memo(b"invoice 7")
		));
		let signing = last_id();
		assert_eq!(
			SignRequests::<Test>::get(signing).unwrap().memo.to_vec(),
			b"invoice 7".to_vec()
		);
		assert!(treasury_events().iter().any(|event| matches!(
			event,
			Event::SignatureRequested { request, memo, .. }
				if *request == signing && memo.to_vec() == b"invoice 7".to_vec()
		)));
		// At most MaxMemoLength (16 in the mock) bytes.
		assert_noop!(
			key_request(KeyType::Ed25519, Balance::MAX, Some(vec![b'x'; 17])),
			Error::<Test>::MemoTooLong
		);
		// A request that waits carries its memo in RequestAwaitingApproval.
		set_policy(7, vec![OWNER, OWNER_2]);
		set_workspace_sign_policy(WS, Some(7));
		set_gate_mode(GateMode::Pending);
		assert_ok!(key_request(KeyType::Ed25519, Balance::MAX, memo(b"waits")));
		assert!(matches!(
			last_event(),
			Event::RequestAwaitingApproval { memo, .. } if memo.to_vec() == b"waits".to_vec()
		));
		assert_ok!(approve(0));
		assert_eq!(KeyRequests::<Test>::get(last_id()).unwrap().memo.to_vec(), b"waits".to_vec());
	});
}
