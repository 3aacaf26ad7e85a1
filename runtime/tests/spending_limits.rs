//! A USDC daily limit in the real runtime: under the policy
//! `tx.to in treasury_wallets && spent(tx.token, 86400) + tx.token_amount <= 10000 * 10^6 ||
//! all([alice, bob])`, EIP-1559 USDC transfers to the treasury wallets are signed at once while
//! the day's total stays within 10,000 USDC; the one that crosses it, and any transfer elsewhere,
//! waits for both owners; a transfer refused by the keyring gives its amount back; a day later
//! transfers run at once again. And a Permit2 permit (EIP-712 typed data) is hashed by the
//! chain and judged by its spender.

use frame_support::assert_ok;
use pallet_zenrock_treasury::test_transactions::{eip1559_call, erc20_transfer_data};
use sp_core::Pair as _;
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use zenrock_chain_formats::{address::evm_checksum_address, Chain, KeyType};
use zenrock_runtime::{
	Runtime, RuntimeEvent, RuntimeOrigin, System, ZenrockPolicy, ZenrockTreasury,
	MILLI_SECS_PER_BLOCK,
};

/// USDC on Ethereum mainnet.
const USDC: [u8; 20] = [
	0xa0, 0xb8, 0x69, 0x91, 0xc6, 0x21, 0x8b, 0x36, 0xc1, 0xd1, 0x9d, 0x4a, 0x2e, 0x9e, 0xb0, 0xce,
	0x36, 0x06, 0xeb, 0x48,
];
const TREASURY_WALLETS: [[u8; 20]; 3] = [[0x11; 20], [0x22; 20], [0x33; 20]];
const ELSEWHERE: [u8; 20] = [0x99; 20];
/// 1 USDC (6 decimals).
const USDC_UNIT: u128 = 1_000_000;

mod common;

fn development_chain() -> sp_io::TestExternalities {
	let mut ext = common::preset_ext("development");
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn signed(who: sp_keyring::Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.to_account_id())
}

/// Workspace 0's key 0 from keyring 0 (Alice's node keystore, threshold 1), answered with a
/// fixed secp256k1 key, under a new policy with the daily limit; the key and the policy.
fn key_under_daily_limit() -> (sp_core::ecdsa::Pair, u64, u64) {
	let pair = sp_core::ecdsa::Pair::from_seed(&[42; 32]);
	let request = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
	assert_ok!(ZenrockTreasury::request_key(
		signed(Alice),
		0,
		0,
		KeyType::EcdsaSecp256k1,
		None,
		u128::MAX,
		None
	));
	assert_ok!(ZenrockTreasury::fulfil_key_request(
		signed(Alice),
		request,
		pair.public().0.to_vec()
	));
	let policy = pallet_zenrock_policy::NextPolicyId::<Runtime>::get();
	let wallets = TREASURY_WALLETS.iter().map(|wallet| evm_checksum_address(wallet).into_bytes());
	assert_ok!(ZenrockPolicy::create_policy(
		signed(Alice),
		b"USDC: 10,000 a day to the treasury wallets".to_vec(),
		vec![(b"alice".to_vec(), Alice.to_account_id()), (b"bob".to_vec(), Bob.to_account_id())],
		vec![(b"treasury_wallets".to_vec(), wallets.collect())],
		b"tx.to in treasury_wallets && spent(tx.token, 86400) + tx.token_amount <= 10000 * 10^6 \
		  || all([alice, bob])"
			.to_vec(),
		None,
		None,
	));
	// The key's current policy (the workspace's: any one owner) approves the change at once.
	assert_ok!(ZenrockTreasury::update_key_policy(signed(Alice), request, Some(policy)));
	(pair, request, policy)
}

/// Alice asks for the signature of a USDC transfer of `amount` to `to`; the request id if it
/// was opened at once, or `None` if it waits for approvals.
fn transfer(key: u64, nonce: u64, to: [u8; 20], amount: u128) -> Option<u64> {
	let request = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
	let unsigned = eip1559_call(nonce, USDC, 0, &erc20_transfer_data(to, amount));
	assert_ok!(ZenrockTreasury::request_transaction_signature(
		signed(Alice),
		key,
		Chain::Evm { chain_id: 1 },
		unsigned,
		true,
		u128::MAX,
		None
	));
	let opened = pallet_zenrock_treasury::NextRequestId::<Runtime>::get() > request;
	opened.then_some(request)
}

fn last_action() -> u64 {
	pallet_zenrock_policy::NextActionId::<Runtime>::get() - 1
}

/// Alice's keystore answers `request` with `pair`'s signature.
fn sign(pair: &sp_core::ecdsa::Pair, request: u64) {
	let payloads = pallet_zenrock_treasury::SignPayloads::<Runtime>::get(request).expect("open");
	let prehash: [u8; 32] = payloads[0].to_vec().try_into().expect("a prehash");
	let signature = pair.sign_prehashed(&prehash).0.to_vec();
	assert_ok!(ZenrockTreasury::fulfil_signature_request(signed(Alice), request, vec![signature]));
}

#[test]
fn a_usdc_daily_limit_runs_small_transfers_at_once_and_holds_the_rest() {
	development_chain().execute_with(|| {
		let (pair, key, _) = key_under_daily_limit();
		let [first, second, third] = TREASURY_WALLETS;

		// 4,000 + 5,000 + 1,000 = exactly 10,000 USDC: each runs at once.
		let mut nonce = 0;
		for (to, amount) in [(first, 4_000), (second, 5_000), (third, 1_000)] {
			let request = transfer(key, nonce, to, amount * USDC_UNIT);
			sign(&pair, request.expect("within the limit: at once"));
			nonce += 1;
		}
		// One more USDC unit crosses the limit: it waits for Alice and Bob.
		assert_eq!(transfer(key, nonce, first, 1), None);
		let over_limit = last_action();
		// A transfer outside the list waits too, whatever its size.
		assert_eq!(transfer(key, nonce, ELSEWHERE, USDC_UNIT), None);
		let elsewhere = last_action();
		// Bob's approval opens the one over the limit (Alice's approval came with her request).
		let request = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
		assert_ok!(ZenrockPolicy::approve(signed(Bob), over_limit));
		sign(&pair, request);
		assert_ok!(ZenrockPolicy::revoke(signed(Alice), elsewhere));
		nonce += 1;

		// Half a day later the whole day's 10,000.000001 still counts.
		let blocks_per_day = 86_400_000 / MILLI_SECS_PER_BLOCK as u32;
		System::set_block_number(1 + blocks_per_day / 2);
		assert_eq!(transfer(key, nonce, second, USDC_UNIT), None, "still over today's limit");
		let waiting = last_action();
		assert_ok!(ZenrockPolicy::revoke(signed(Alice), waiting));

		// A day after the first transfers they leave the window: 10,000 USDC runs at once again.
		System::set_block_number(1 + blocks_per_day);
		let request = transfer(key, nonce, second, 9_999 * USDC_UNIT).expect("a new day");
		sign(&pair, request);
		nonce += 1;
		// 9,999 + 1.000001 crosses the limit again...
		assert_eq!(transfer(key, nonce, third, USDC_UNIT + 1), None);
		assert_ok!(ZenrockPolicy::revoke(signed(Alice), last_action()));
		// ...and a transfer the keyring refuses gives its amount back: 0.999999 fits once, and
		// fits again after the refusal.
		let refused = transfer(key, nonce, third, 999_999).expect("within the limit");
		assert_ok!(ZenrockTreasury::reject_signature_request(
			signed(Alice),
			refused,
			b"not today".to_vec()
		));
		let request = transfer(key, nonce, third, 999_999).expect("the refused amount is back");
		sign(&pair, request);
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::ZenrockTreasury(pallet_zenrock_treasury::Event::SignatureRequestFulfilled {
				request: fulfilled,
				..
			}) if fulfilled == request
		)));
	});
}

/// The Permit2 `PermitSingle` signed with MetaMask in Uniswap's permit2 tests
/// (`test/TypehashGeneration.t.sol`): spender 0x68b3…Fc45 (Uniswap's router), token UNI.
const PERMIT2_SINGLE: &str = r#"{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],"PermitSingle":[{"name":"details","type":"PermitDetails"},{"name":"spender","type":"address"},{"name":"sigDeadline","type":"uint256"}],"PermitDetails":[{"name":"token","type":"address"},{"name":"amount","type":"uint160"},{"name":"expiration","type":"uint48"},{"name":"nonce","type":"uint48"}]},"primaryType":"PermitSingle","domain":{"name":"Permit2","chainId":1,"verifyingContract":"0xCe71065D4017F316EC606Fe4422e11eB2c47c246"},"message":{"details":{"token":"0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984","amount":"100","expiration":"946902158100","nonce":"0"},"spender":"0x68b3465833fb72A70ecDF485E0e4C7bD8665Fc45","sigDeadline":"146902158100"}}"#;

#[test]
fn permits_to_a_known_spender_are_signed_at_once_and_others_wait() {
	development_chain().execute_with(|| {
		let (pair, key, _) = key_under_daily_limit();
		// A second policy: approvals (transactions or signed permits) only to listed spenders.
		let policy = pallet_zenrock_policy::NextPolicyId::<Runtime>::get();
		assert_ok!(ZenrockPolicy::create_policy(
			signed(Alice),
			b"permits to known spenders".to_vec(),
			vec![
				(b"alice".to_vec(), Alice.to_account_id()),
				(b"bob".to_vec(), Bob.to_account_id())
			],
			vec![(
				b"spenders".to_vec(),
				vec![b"0x68b3465833fb72a70ecdf485e0e4c7bd8665fc45".to_vec()]
			)],
			b"tx.kind == \"token_approval\" && tx.spender in spenders || all([alice, bob])"
				.to_vec(),
			None,
			None,
		));
		// The key's policy (the daily limit) needs Bob to change it.
		assert_ok!(ZenrockTreasury::update_key_policy(signed(Alice), key, Some(policy)));
		assert_ok!(ZenrockPolicy::approve(signed(Bob), last_action()));

		let request = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
		assert_ok!(ZenrockTreasury::request_message_signature(
			signed(Alice),
			key,
			zenrock_chain_formats::message::MessageFormat::TypedData,
			PERMIT2_SINGLE.as_bytes().to_vec(),
			u128::MAX,
			None,
		));
		// Signed at once, over the digest eth-account and the permit2 test's MetaMask signature
		// agree on.
		let payloads =
			pallet_zenrock_treasury::SignPayloads::<Runtime>::get(request).expect("open");
		assert_eq!(
			payloads[0].to_vec(),
			[
				0x6a, 0x49, 0x64, 0x62, 0x1b, 0x8c, 0x85, 0x0f, 0xee, 0xbe, 0xfb, 0x04, 0xdd, 0x99,
				0x7d, 0x9d, 0x10, 0x9a, 0x80, 0x7e, 0xc2, 0x6f, 0x7f, 0xdc, 0x26, 0x28, 0x2c, 0x3b,
				0x2f, 0x0e, 0x2c, 0x74,
			]
		);
		sign(&pair, request);

		// The same permit for another spender waits for Bob.
		let other = PERMIT2_SINGLE.replace(
			"0x68b3465833fb72A70ecDF485E0e4C7bD8665Fc45",
			"0x000000000000000000000000000000000000dEaD",
		);
		let next = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
		assert_ok!(ZenrockTreasury::request_message_signature(
			signed(Alice),
			key,
			zenrock_chain_formats::message::MessageFormat::TypedData,
			other.into_bytes(),
			u128::MAX,
			None,
		));
		assert_eq!(pallet_zenrock_treasury::NextRequestId::<Runtime>::get(), next, "it waits");
		let detail = pallet_zenrock_policy::Actions::<Runtime>::get(last_action()).expect("open");
		assert_eq!(
			detail.context.spender.map(|spender| spender.into_inner()),
			Some(b"0x000000000000000000000000000000000000dEaD".to_vec())
		);
	});
}
