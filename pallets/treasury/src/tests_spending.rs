//! The spending ledger: what approvals record, what rejections and expiries withdraw, windows
//! and merged buckets; and the facts of token transfers a policy sees.

use super::*;
use crate::{
	spending::NATIVE_ASSET,
	test_transactions::{eip1559_call, erc20_transfer_data},
	SpentAmounts,
};
use zenrock_chain_formats::address::evm_checksum_address;
use zenrock_primitives::{spending_asset, SpendingLedger};

const USDC: [u8; 20] = [0xa0; 20];
const WALLET: [u8; 20] = [0x77; 20];
const DAY: u32 = 86_400;
/// 86,400 s at 6 s per block.
const DAY_BLOCKS: u64 = 14_400;

fn usdc_asset() -> [u8; 32] {
	spending_asset(b"eip155:1", evm_checksum_address(&USDC).as_bytes())
}

fn native_asset() -> [u8; 32] {
	spending_asset(b"eip155:1", NATIVE_ASSET.as_bytes())
}

fn spent(key: KeyId, asset: &[u8; 32], seconds: u32) -> Option<u128> {
	<Treasury as SpendingLedger>::spent(key, asset, seconds)
}

/// Request the signature of a USDC transfer of `amount` (and `value` wei) with `key`.
fn request_transfer(key: KeyId, nonce: u64, amount: u128, value: u64) -> RequestId {
	let unsigned = eip1559_call(nonce, USDC, value, &erc20_transfer_data(WALLET, amount));
	assert_ok!(Treasury::request_transaction_signature(
		signed(OWNER),
		key,
		Chain::Evm { chain_id: 1 },
		unsigned,
		false,
		Balance::MAX,
		None
	));
	last_id()
}

/// Fulfil `request` with `pair`'s signature of its payload.
fn sign(pair: &ecdsa::Pair, request: RequestId) {
	let payload = SignPayloads::<Test>::get(request).expect("payloads")[0].clone();
	let prehash: [u8; 32] = payload.to_vec().try_into().expect("a prehash");
	let signature = pair.sign_prehashed(&prehash).0.to_vec();
	assert_ok!(Treasury::fulfil_signature_request(signed(PARTY_A), request, vec![signature]));
}

fn evm_key() -> (ecdsa::Pair, KeyId) {
	let pair = ecdsa_pair(9);
	let key = create_key(KeyType::EcdsaSecp256k1, ecdsa_public(&pair));
	(pair, key)
}

#[test]
fn the_policy_sees_the_token_transfer() {
	build_and_execute(|| {
		setup_single();
		let (_, key) = evm_key();
		request_transfer(key, 0, 2_500_000, 0);
		let context = submissions().last().expect("submitted").context.clone();
		let text = |value: Option<zenrock_primitives::FactText>| value.map(|t| t.into_inner());
		assert_eq!(text(context.kind), Some(b"token_transfer".to_vec()));
		assert_eq!(text(context.to), Some(evm_checksum_address(&WALLET).into_bytes()));
		assert_eq!(text(context.token), Some(evm_checksum_address(&USDC).into_bytes()));
		assert_eq!(context.token_amount, Some(2_500_000));
		assert_eq!(context.tx_value, Some(0));
		assert_eq!(context.fee, Some(1_000_000 * 30_000_000_000));
		assert_eq!(context.spender, None);
		assert_eq!(context.spending_key, Some(key));
		// Calldata with the transfer selector but one byte short is refused at request time.
		let mut data = erc20_transfer_data(WALLET, 1);
		data.pop();
		assert_noop!(
			Treasury::request_transaction_signature(
				signed(OWNER),
				key,
				Chain::Evm { chain_id: 1 },
				eip1559_call(1, USDC, 0, &data),
				false,
				Balance::MAX,
				None
			),
			Error::<Test>::InvalidTransaction
		);
	});
}

#[test]
fn approvals_record_and_the_window_rolls() {
	build_and_execute(|| {
		setup_single();
		let (pair, key) = evm_key();
		let request = request_transfer(key, 0, 4_000_000, 7);
		assert_eq!(spent(key, &usdc_asset(), DAY), Some(4_000_000));
		assert_eq!(spent(key, &native_asset(), DAY), Some(7));
		sign(&pair, request);
		// A fulfilled request keeps counting.
		run_to_block(REQUEST_TIMEOUT + 5);
		assert_eq!(spent(key, &usdc_asset(), DAY), Some(4_000_000));
		// Recorded in block 1: in the window up to block 1 + DAY_BLOCKS - 1.
		System::set_block_number(DAY_BLOCKS);
		assert_eq!(spent(key, &usdc_asset(), DAY), Some(4_000_000));
		System::set_block_number(DAY_BLOCKS + 1);
		assert_eq!(spent(key, &usdc_asset(), DAY), Some(0));
		// A shorter window: 60 s is 10 blocks.
		let second = request_transfer(key, 1, 1_000, 0);
		sign(&pair, second);
		System::set_block_number(DAY_BLOCKS + 10);
		assert_eq!(spent(key, &usdc_asset(), 60), Some(1_000));
		System::set_block_number(DAY_BLOCKS + 11);
		assert_eq!(spent(key, &usdc_asset(), 60), Some(0));
		assert_eq!(spent(key, &usdc_asset(), DAY), Some(1_000));
		// No window beyond what the ledger keeps; another key spent nothing.
		assert_eq!(spent(key, &usdc_asset(), DAY + 1), None);
		assert_eq!(spent(key + 1, &usdc_asset(), DAY), Some(0));
	});
}

#[test]
fn rejections_and_expiries_withdraw_exactly_what_they_recorded() {
	build_and_execute(|| {
		setup_single();
		let (pair, key) = evm_key();
		let kept = request_transfer(key, 0, 1_000, 0);
		let rejected = request_transfer(key, 1, 20_000, 3);
		assert_eq!(spent(key, &usdc_asset(), DAY), Some(21_000));
		assert_ok!(Treasury::reject_signature_request(signed(PARTY_A), rejected, reason(b"no")));
		assert_eq!(spent(key, &usdc_asset(), DAY), Some(1_000));
		assert_eq!(spent(key, &native_asset(), DAY), Some(0));
		assert!(!SpentAmounts::<Test>::contains_key(key, native_asset()), "emptied, removed");
		sign(&pair, kept);

		// Block 2: one that expires unsigned.
		run_to_block(2);
		let expiring = request_transfer(key, 2, 300, 0);
		assert_eq!(spent(key, &usdc_asset(), DAY), Some(1_300));
		run_to_block(2 + REQUEST_TIMEOUT);
		assert_eq!(status_of_sign_request(expiring), RequestStatus::Expired);
		assert_eq!(spent(key, &usdc_asset(), DAY), Some(1_000));
		// Rejecting a fulfilled request is refused and changes nothing.
		assert!(Treasury::reject_signature_request(signed(PARTY_A), kept, reason(b"x")).is_err());
		assert_eq!(spent(key, &usdc_asset(), DAY), Some(1_000));
	});
}

#[test]
fn a_full_ledger_merges_its_oldest_blocks_and_loses_nothing() {
	build_and_execute(|| {
		setup_single();
		let (_, key) = evm_key();
		// Six blocks with spending; the mock keeps four buckets.
		let mut requests = Vec::new();
		for block in 1..=6u64 {
			run_to_block(block);
			requests.push(request_transfer(key, block, u128::from(block) * 100, 0));
		}
		let buckets = SpentAmounts::<Test>::get(key, usdc_asset()).into_inner();
		assert_eq!(buckets, vec![(3, 600), (4, 400), (5, 500), (6, 600)]);
		assert_eq!(spent(key, &usdc_asset(), DAY), Some(2_100));
		// Merged amounts count as later, never as earlier: a 3-block window (18 s) at block 6
		// covers blocks 4..=6 exactly.
		assert_eq!(spent(key, &usdc_asset(), 18), Some(1_500));
		// Withdrawing the request of block 1 takes its amount from the bucket it moved to.
		assert_ok!(Treasury::reject_signature_request(signed(PARTY_A), requests[0], reason(b"x")));
		let buckets = SpentAmounts::<Test>::get(key, usdc_asset()).into_inner();
		assert_eq!(buckets, vec![(3, 500), (4, 400), (5, 500), (6, 600)]);
		assert_eq!(spent(key, &usdc_asset(), DAY), Some(2_000));
	});
}
