//! Rules over the facts of a transaction: texts, `in` with inline and named lists, `^`,
//! spent(...) over the ledger, type checks, and the gate deciding on them.

use crate::{
	mock::*,
	rule::{self, Environment, RuleError, Vocabulary},
	Error, Policies,
};
use frame_support::{assert_noop, assert_ok, traits::ConstU32};
use zenrock_primitives::{FactText, PolicyContext, PolicyId};

const USDC: &str = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
const TREASURY_1: &str = "0xBA04f1c1E4577165dD2297D3FbEdF956B0e4C8a7";
const TREASURY_2: &str = "0x63fc765a644d31f87A2284fD4BF728C9D767D921";
const STRANGER: &str = "0x39C551cADF430Db3198c90786538Af8795d544C4";
const MAINNET: &str = "eip155:1";
const DAY: u32 = 86_400;
const KEY: u64 = 7;
const A: AccountId = 1;
const B: AccountId = 2;
/// Creates the policies.
const CREATOR: AccountId = 10;

fn text(value: &str) -> FactText {
	FactText::try_from(value.as_bytes().to_vec()).expect("a short text")
}

/// A USDC transfer of `amount` (6 decimals) to `to`, signed by key [`KEY`].
fn usdc_transfer(to: &str, amount: u128) -> PolicyContext {
	PolicyContext {
		tx_value: Some(0),
		chain: Some(text(MAINNET)),
		to: Some(text(to)),
		token: Some(text(USDC)),
		token_amount: Some(amount),
		fee: Some(21_000 * 30_000_000_000),
		kind: Some(text("token_transfer")),
		spending_key: Some(KEY),
		..Default::default()
	}
}

type TestRule = rule::Rule<ConstU32<MAX_RULE_LENGTH>>;

fn compile(text: &str, lists: &[&str]) -> Result<TestRule, RuleError> {
	let lists: Vec<&[u8]> = lists.iter().map(|name| name.as_bytes()).collect();
	let labels: Vec<&[u8]> = vec![b"a", b"b"];
	let vocabulary =
		Vocabulary { labels: &labels, lists: &lists, max_spent_window: MAX_WINDOW_SECONDS };
	rule::compile::<ConstU32<MAX_RULE_LENGTH>>(text.as_bytes(), &vocabulary, MAX_RULE_DEPTH)
}

/// The value of `rule` with no votes over `context`, the ledger answering through the mock.
fn eval(rule: &str, context: &PolicyContext) -> Option<i128> {
	let compiled = compile(rule, &[]).unwrap_or_else(|e| panic!("{rule:?}: {e:?}"));
	let spent = |token: &[u8], window: u32| {
		let asset = zenrock_primitives::spending_asset(context.chain.as_ref()?, token);
		<MockSpending as zenrock_primitives::SpendingLedger>::spent(
			context.spending_key?,
			&asset,
			window,
		)
	};
	let environment = Environment { context, lists: &[], spent: &spent };
	rule::evaluate(&compiled.ops, &compiled.texts, &[false, false], &environment)
}

#[test]
fn text_facts_compare_with_normalised_literals() {
	let context = usdc_transfer(TREASURY_1, 5);
	assert_eq!(eval(r#"tx.chain == "eip155:1""#, &context), Some(1));
	assert_eq!(eval(r#"tx.chain != "eip155:1""#, &context), Some(0));
	assert_eq!(eval(r#"tx.kind == "token_transfer""#, &context), Some(1));
	// An address written in lower case is stored in its EIP-55 form, as facts are.
	let lower = TREASURY_1.to_lowercase();
	assert_eq!(eval(&format!(r#"tx.to == "{lower}""#), &context), Some(1));
	assert_eq!(eval(&format!(r#"tx.to == "{TREASURY_1}""#), &context), Some(1));
	assert_eq!(eval(&format!(r#"tx.token == "{USDC}""#), &context), Some(1));
	assert_eq!(eval(r#""tb1QXYZ" == "tb1qxyz""#, &context), Some(1), "bech32 is lower-cased");
	// A wrong checksum is refused when the rule is written.
	let bad = TREASURY_1.replacen("BA", "Ba", 1);
	assert_eq!(
		compile(&format!(r#"tx.to == "{bad}""#), &[]).err(),
		Some(RuleError::InvalidAddress)
	);
	// Unknown facts stay unknown, whatever the comparison.
	let empty = PolicyContext::default();
	assert_eq!(eval(r#"tx.to == "x""#, &empty), None);
	assert_eq!(eval(r#"tx.to != "x""#, &empty), None);
	assert_eq!(eval(r#"tx.to in ["x"]"#, &empty), None);
	assert_eq!(eval(r#"!(tx.to in ["x"])"#, &empty), None);
	assert_eq!(eval(r#"tx.to in ["x"] || 1"#, &empty), Some(1));
}

#[test]
fn numbers_facts_and_powers() {
	let context = usdc_transfer(TREASURY_1, 10_000 * 1_000_000);
	assert_eq!(eval("tx.token_amount == 10000 * 10^6", &context), Some(1));
	assert_eq!(eval("tx.token_amount > 10000 * 10 ^ 6", &context), Some(0));
	assert_eq!(eval("tx.fee", &context), Some(21_000 * 30_000_000_000));
	assert_eq!(eval("2 ^ 127", &context), None, "overflow is unknown");
	assert_eq!(eval("2 ^ 126 > 0", &context), Some(1));
	assert_eq!(eval("10 ^ (0 - 1)", &context), None, "a negative exponent is unknown");
	assert_eq!(eval("tx.token_amount", &PolicyContext::default()), None);
}

#[test]
fn a_fee_cap() {
	let cap = "tx.fee <= 2 * 10^16";
	let cheap = PolicyContext { fee: Some(2 * 10u128.pow(16)), ..usdc_transfer(TREASURY_1, 1) };
	let dear = PolicyContext { fee: Some(2 * 10u128.pow(16) + 1), ..usdc_transfer(TREASURY_1, 1) };
	assert_eq!(eval(cap, &cheap), Some(1));
	assert_eq!(eval(cap, &dear), Some(0));
	assert_eq!(eval(cap, &PolicyContext { fee: None, ..cheap }), None, "no fee known: unknown");
}

#[test]
fn inline_lists() {
	let rule = format!(r#"tx.to in ["{TREASURY_1}", "{}"]"#, TREASURY_2.to_lowercase());
	assert_eq!(eval(&rule, &usdc_transfer(TREASURY_1, 1)), Some(1));
	assert_eq!(eval(&rule, &usdc_transfer(TREASURY_2, 1)), Some(1));
	assert_eq!(eval(&rule, &usdc_transfer(STRANGER, 1)), Some(0));
	assert_eq!(
		eval(r#"tx.chain in ["eip155:1", "eip155:8453"]"#, &usdc_transfer(STRANGER, 1)),
		Some(1)
	);
	// The same address twice (in two spellings) is a duplicate.
	let twice = format!(r#"tx.to in ["{TREASURY_1}", "{}"]"#, TREASURY_1.to_lowercase());
	assert_eq!(compile(&twice, &[]).err(), Some(RuleError::DuplicateInList));
	assert_eq!(compile("tx.to in []", &[]).err(), Some(RuleError::EmptyList));
	assert_eq!(compile("tx.to in [1]", &[]).err(), Some(RuleError::TypeMismatch));
	assert_eq!(compile("tx.to in wallets", &[]).err(), Some(RuleError::UnknownIdentifier));
	assert_eq!(compile(r#"tx.to in ["a"] in ["b"]"#, &[]).err(), Some(RuleError::Syntax));
	let many: Vec<String> = (0..33).map(|i| format!(r#""t{i}""#)).collect();
	let too_many = format!("tx.to in [{}]", many.join(","));
	assert_eq!(compile(&too_many, &[]).err(), Some(RuleError::TooManyTexts));
}

#[test]
fn type_and_text_errors() {
	for (rule, error) in [
		("tx.to", RuleError::TypeMismatch),
		("tx.to + 1", RuleError::TypeMismatch),
		(r#"tx.to < "b""#, RuleError::TypeMismatch),
		(r#"tx.to == 1"#, RuleError::TypeMismatch),
		(r#""a" && a"#, RuleError::TypeMismatch),
		(r#"!tx.chain"#, RuleError::TypeMismatch),
		("1 in [\"x\"]", RuleError::TypeMismatch),
		("spent(1, 10) > 0", RuleError::TypeMismatch),
		("tx.token_amount ^ tx.to", RuleError::TypeMismatch),
		(r#"tx.to == "unterminated"#, RuleError::InvalidText),
		(r#"tx.to == """#, RuleError::InvalidText),
		("tx.to == \"caf\u{e9}\"", RuleError::InvalidText),
		("tx.recipient == \"x\"", RuleError::UnknownIdentifier),
		("tx.tokens > 1", RuleError::UnknownIdentifier),
	] {
		assert_eq!(compile(rule, &[]).err(), Some(error), "{rule}");
	}
	let long = format!(r#"tx.to == "{}""#, "x".repeat(65));
	assert_eq!(compile(&long, &[]).err(), Some(RuleError::InvalidText));
	assert!(compile(&format!(r#"tx.to == "{}""#, "x".repeat(64)), &[]).is_ok());
}

#[test]
fn spent_reads_the_ledger_of_the_key_on_the_chain() {
	let limit = "spent(tx.token, 86400) + tx.token_amount <= 10000 * 10^6";
	set_spent(KEY, MAINNET, USDC, DAY, 9_000 * 1_000_000);
	assert_eq!(eval(limit, &usdc_transfer(TREASURY_1, 1_000 * 1_000_000)), Some(1));
	assert_eq!(eval(limit, &usdc_transfer(TREASURY_1, 1_000 * 1_000_000 + 1)), Some(0));
	// Another key, another chain: nothing spent there.
	let other_key = PolicyContext { spending_key: Some(KEY + 1), ..usdc_transfer(TREASURY_1, 1) };
	assert_eq!(eval("spent(tx.token, 86400)", &other_key), Some(0));
	let other_chain =
		PolicyContext { chain: Some(text("eip155:10")), ..usdc_transfer(TREASURY_1, 1) };
	assert_eq!(eval("spent(tx.token, 86400)", &other_chain), Some(0));
	// A literal token, and "native" for the coin.
	set_spent(KEY, MAINNET, "native", 3600, 42);
	assert_eq!(eval(r#"spent("native", 3600)"#, &usdc_transfer(TREASURY_1, 1)), Some(42));
	// No key (an operation that is not a signature) or no token: unknown.
	let no_key = PolicyContext { spending_key: None, ..usdc_transfer(TREASURY_1, 1) };
	assert_eq!(eval(limit, &no_key), None);
	let no_token = PolicyContext { token: None, ..usdc_transfer(TREASURY_1, 1) };
	assert_eq!(eval(limit, &no_token), None);
	// Windows are literals from 1 second to the ledger's longest.
	assert_eq!(compile("spent(tx.token, 0) > 0", &[]).err(), Some(RuleError::BadWindow));
	let beyond = format!("spent(tx.token, {}) > 0", MAX_WINDOW_SECONDS + 1);
	assert_eq!(compile(&beyond, &[]).err(), Some(RuleError::BadWindow));
	assert_eq!(compile("spent(tx.token, tx.fee) > 0", &[]).err(), Some(RuleError::BadWindow));
	let five = ["spent(tx.token, 1)"; 5].join(" + ") + " > 0";
	assert_eq!(compile(&five, &[]).err(), Some(RuleError::TooManySpentCalls));
	let four = ["spent(tx.token, 1)"; 4].join(" + ") + " > 0";
	assert_eq!(compile(&four, &[]).map(|rule| rule.spent_calls()), Ok(4));
}

/// Create a policy over `a` (account A) and `b` (B) with `lists`; its id, or the error.
fn create(
	lists: Vec<(&str, Vec<String>)>,
	approve: &str,
	reject: Option<&str>,
) -> Result<PolicyId, sp_runtime::DispatchError> {
	let id = crate::NextPolicyId::<Test>::get();
	crate::Pallet::<Test>::create_policy(
		RuntimeOrigin::signed(CREATOR),
		b"treasury".to_vec(),
		vec![(b"a".to_vec(), A), (b"b".to_vec(), B)],
		lists
			.into_iter()
			.map(|(name, items)| {
				(name.as_bytes().to_vec(), items.into_iter().map(String::into_bytes).collect())
			})
			.collect(),
		approve.as_bytes().to_vec(),
		reject.map(|text| text.as_bytes().to_vec()),
		None,
	)?;
	Ok(id)
}

fn evm_of(address: &[u8; 20]) -> String {
	zenrock_chain_formats::address::evm_checksum_address(address)
}

/// Address lists as create_policy takes them: (name, items).
type Lists = Vec<(&'static str, Vec<String>)>;

fn wallets() -> Vec<String> {
	vec![TREASURY_1.to_lowercase(), TREASURY_2.to_string()]
}

#[test]
fn address_lists_are_checked_and_kept_normalised() {
	new_test_ext().execute_with(|| {
		let id = create(vec![("wallets", wallets())], "tx.to in wallets || all([a, b])", None)
			.expect("a valid policy");
		let stored = Policies::<Test>::get(id).expect("stored");
		let items: Vec<&[u8]> = stored.lists[0].items.iter().map(|item| &item[..]).collect();
		assert_eq!(items, vec![TREASURY_1.as_bytes(), TREASURY_2.as_bytes()]);
		// 20 raw bytes (what Polkadot.js sends for a 0x-hex string) are an EVM address.
		for raw in [[0x11; 20], [0x22; 20], *b"abcdefghijklmnopqrst"] {
			let item = rule::normalize_list_item(&raw).map(|item| item.into_inner());
			assert_eq!(item, Ok(evm_of(&raw).into_bytes()));
		}
		let text = rule::normalize_list_item(b"eip155:1").map(|item| item.into_inner());
		assert_eq!(text, Ok(b"eip155:1".to_vec()));

		let cases: Vec<(Lists, Error<Test>)> = vec![
			(vec![("wallets", vec![])], Error::<Test>::InvalidAddressListLength),
			(
				vec![("wallets", (0..=MAX_LIST_ITEMS).map(|i| format!("w{i}")).collect())],
				Error::<Test>::InvalidAddressListLength,
			),
			(vec![("a", wallets())], Error::<Test>::InvalidAddressListName),
			(vec![("spent", wallets())], Error::<Test>::InvalidAddressListName),
			(vec![("9x", wallets())], Error::<Test>::InvalidAddressListName),
			(vec![("w", wallets()), ("w", wallets())], Error::<Test>::InvalidAddressListName),
			(
				vec![("w1", wallets()), ("w2", wallets()), ("w3", wallets())],
				Error::<Test>::TooManyAddressLists,
			),
			(vec![("w", vec!["has space".into()])], Error::<Test>::InvalidAddressListItem),
			(
				vec![("w", vec![TREASURY_1.replacen("BA", "Ba", 1)])],
				Error::<Test>::InvalidAddressListItem,
			),
			(
				vec![("w", vec![TREASURY_1.into(), TREASURY_1.to_lowercase()])],
				Error::<Test>::DuplicateAddressListItem,
			),
		];
		for (lists, error) in cases {
			assert_noop!(create(lists, "a", None), error);
		}
		// Rule errors reach the caller as pallet errors.
		assert_noop!(create(vec![], "tx.to + 1 > 0", None), Error::<Test>::RuleTypeMismatch);
		assert_noop!(
			create(vec![], "tx.to in nowhere", None),
			Error::<Test>::RuleUnknownIdentifier
		);
		assert_noop!(create(vec![], "spent(tx.token, 0) > 0", None), Error::<Test>::RuleBadWindow);
		assert_noop!(create(vec![], r#"tx.to == "x"#, None), Error::<Test>::RuleInvalidText);
	});
}

fn request(
	who: u64,
	policy: PolicyId,
	value: u32,
	context: PolicyContext,
) -> sp_runtime::DispatchResult {
	pallet_gated::Pallet::<Test>::request_with_context(
		RuntimeOrigin::signed(who),
		0,
		Some(policy),
		value,
		Box::new(context),
	)
}

fn recorded() -> Vec<u32> {
	pallet_gated::Records::<Test>::get().iter().map(|(_, value)| *value).collect()
}

#[test]
fn the_gate_runs_allowed_transfers_at_once_and_holds_the_others() {
	new_test_ext().execute_with(|| {
		let approve =
			"tx.to in wallets && spent(tx.token, 86400) + tx.token_amount <= 10000 * 10^6 \
		               || all([a, b])";
		let policy = create(vec![("wallets", wallets())], approve, None).expect("created");
		set_spent(KEY, MAINNET, USDC, DAY, 9_000 * 1_000_000);
		assert_ok!(request(A, policy, 1, usdc_transfer(TREASURY_2, 1_000 * 1_000_000)));
		assert_eq!(recorded(), vec![1], "within the list and the limit: at once");
		assert_ok!(request(A, policy, 2, usdc_transfer(TREASURY_2, 1_000 * 1_000_000 + 1)));
		assert_ok!(request(A, policy, 3, usdc_transfer(STRANGER, 1)));
		assert_eq!(recorded(), vec![1], "over the limit, or to a stranger: waits");
		// Bob's approval completes the one over the limit.
		let over_limit = crate::NextActionId::<Test>::get() - 2;
		assert_ok!(crate::Pallet::<Test>::approve(RuntimeOrigin::signed(B), over_limit));
		assert_eq!(recorded(), vec![1, 2]);
	});
}

#[test]
fn a_reject_rule_can_refuse_every_token_approval() {
	new_test_ext().execute_with(|| {
		let policy = create(vec![], "a", Some(r#"tx.kind == "token_approval""#)).expect("created");
		let approval = PolicyContext {
			kind: Some(text("token_approval")),
			spender: Some(text(STRANGER)),
			..usdc_transfer(USDC, u128::MAX)
		};
		assert_noop!(request(A, policy, 1, approval), Error::<Test>::RejectedByPolicy);
		assert_ok!(request(A, policy, 2, usdc_transfer(TREASURY_1, 1)));
		assert_eq!(recorded(), vec![2]);
		// Without the fact the reject rule is unknown: it does not refuse.
		assert_ok!(request(A, policy, 3, PolicyContext::default()));
		// A reject rule that holds for every operation is refused at creation.
		assert_noop!(
			create(vec![], "a", Some(r#"tx.kind == "x" || 1"#)),
			Error::<Test>::RejectRuleAlwaysHolds
		);
	});
}
