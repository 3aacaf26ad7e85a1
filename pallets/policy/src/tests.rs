//! Unit tests: the rule language (parser, evaluator, property tests) and the pallet (policies,
//! immediate execution, actions, votes, rejection, revocation, expiry, deposits, queries).

use crate::{
	mock::*,
	rule::{self, Environment, Op, RuleError, Vocabulary},
	Action, ActionExpiries, Actions, ApprovalOrigin, Error, Event, HoldReason, NextActionId,
	NextPolicyId, PendingActions, Policies, EXPIRY_SEARCH_BLOCKS,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{
		fungible::{Inspect, InspectHold},
		ConstU32, EnsureOrigin, Hooks,
	},
	weights::Weight,
	BoundedVec,
};
use sp_runtime::DispatchError;
use zenrock_primitives::{Approval, GateOutcome, PolicyContext, PolicyGate, PolicyId};

const A: AccountId = 1;
const B: AccountId = 2;
const C: AccountId = 3;
const D: AccountId = 4;
/// Not a participant of any test policy.
const EVE: AccountId = 5;
/// Creates the test policies.
const CREATOR: AccountId = 10;
/// The workspace every test call is for.
const WORKSPACE: u64 = 7;

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

type TestRule = rule::Rule<ConstU32<MAX_RULE_LENGTH>>;

fn compile(text: &str, labels: &[&str]) -> Result<TestRule, RuleError> {
	compile_bytes(text.as_bytes(), labels)
}

fn compile_bytes(text: &[u8], labels: &[&str]) -> Result<TestRule, RuleError> {
	let labels: Vec<&[u8]> = labels.iter().map(|label| label.as_bytes()).collect();
	let vocabulary =
		Vocabulary { labels: &labels, lists: &[], max_spent_window: MAX_WINDOW_SECONDS };
	rule::compile::<ConstU32<MAX_RULE_LENGTH>>(text, &vocabulary, MAX_RULE_DEPTH)
}

const ABC: &[&str] = &["a", "b", "c"];

/// A context with only `tx.value`.
fn value_context(tx_value: Option<u128>) -> PolicyContext {
	PolicyContext { tx_value, ..Default::default() }
}

/// The value of `text` over participants `a, b, c` with `votes` and `tx_value`.
fn eval(text: &str, votes: [bool; 3], tx_value: Option<u128>) -> Option<i128> {
	let compiled = compile(text, ABC).unwrap_or_else(|e| panic!("{text:?} should compile: {e:?}"));
	rule::evaluate(
		&compiled.ops,
		&compiled.texts,
		&votes,
		&Environment::of(&value_context(tx_value)),
	)
}

fn holds(text: &str, votes: [bool; 3], tx_value: Option<u128>) -> bool {
	let compiled = compile(text, ABC).unwrap_or_else(|e| panic!("{text:?} should compile: {e:?}"));
	compiled.holds(&votes, &Environment::of(&value_context(tx_value)))
}

/// All eight vote combinations of three participants.
fn combinations() -> impl Iterator<Item = [bool; 3]> {
	(0u8..8).map(|bits| [bits & 1 != 0, bits & 2 != 0, bits & 4 != 0])
}

fn policy_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Policy(event) => Some(event),
			_ => None,
		})
		.collect()
}

fn last_policy_event() -> Event<Test> {
	policy_events().pop().expect("a policy event")
}

fn create_policy_with(
	participants: &[(&str, AccountId)],
	approve: &str,
	reject: Option<&str>,
	expiry: Option<u64>,
) -> PolicyId {
	let id = NextPolicyId::<Test>::get();
	assert_ok!(Policy::create_policy(
		RuntimeOrigin::signed(CREATOR),
		b"team".to_vec(),
		participants.iter().map(|(label, who)| (label.as_bytes().to_vec(), *who)).collect(),
		vec![],
		approve.as_bytes().to_vec(),
		reject.map(|text| text.as_bytes().to_vec()),
		expiry,
	));
	id
}

/// A policy over `a` (account 1), `b` (2), `c` (3).
fn abc_policy(approve: &str, reject: Option<&str>) -> PolicyId {
	create_policy_with(&[("a", A), ("b", B), ("c", C)], approve, reject, None)
}

fn try_create(
	participants: Vec<(Vec<u8>, AccountId)>,
	approve: &str,
	reject: Option<&str>,
) -> frame_support::dispatch::DispatchResult {
	Policy::create_policy(
		RuntimeOrigin::signed(CREATOR),
		b"team".to_vec(),
		participants,
		vec![],
		approve.as_bytes().to_vec(),
		reject.map(|text| text.as_bytes().to_vec()),
		None,
	)
}

fn abc() -> Vec<(Vec<u8>, AccountId)> {
	vec![(b"a".to_vec(), A), (b"b".to_vec(), B), (b"c".to_vec(), C)]
}

fn record(value: u32) -> RuntimeCall {
	RuntimeCall::Gated(pallet_gated::Call::record { value })
}

fn failing() -> RuntimeCall {
	RuntimeCall::Gated(pallet_gated::Call::fail {})
}

fn submit(
	requester: AccountId,
	policy: Option<PolicyId>,
	call: RuntimeCall,
	tx_value: Option<u128>,
) -> Result<GateOutcome, DispatchError> {
	<Policy as PolicyGate<AccountId, RuntimeCall>>::submit(
		&requester,
		WORKSPACE,
		policy,
		call,
		PolicyContext { tx_value, ..Default::default() },
	)
}

/// Submit `record(value)` expecting it to wait; the action id.
fn submit_pending(requester: AccountId, policy: PolicyId, value: u32) -> u64 {
	match submit(requester, Some(policy), record(value), None) {
		Ok(GateOutcome::Pending(action)) => action,
		other => panic!("expected a pending action, got {other:?}"),
	}
}

/// `approve` by `who`, its post-dispatch info dropped (refused approvals are charged the base
/// weight, checked in `approve_refunds_the_unused_call_weight`).
fn approve_as(who: AccountId, action: u64) -> frame_support::dispatch::DispatchResult {
	Policy::approve(RuntimeOrigin::signed(who), action).map(|_| ()).map_err(|e| e.error)
}

fn records() -> Vec<(Approval<AccountId>, u32)> {
	pallet_gated::Records::<Test>::get().into_inner()
}

fn action_hold(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Policy(HoldReason::ActionDeposit), &who)
}

fn policy_hold(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::Policy(HoldReason::PolicyDeposit), &who)
}

fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

fn record_deposit(value: u32) -> Balance {
	ACTION_DEPOSIT + DEPOSIT_PER_BYTE * record(value).encode().len() as Balance
}

fn run_to(block: u64) {
	while System::block_number() < block {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Policy::on_initialize(next);
	}
}

/// No trace of `action` is left in storage and its deposit is back.
fn assert_closed(action: u64, requester: AccountId) {
	assert!(!Actions::<Test>::contains_key(action));
	for who in [A, B, C, D, EVE] {
		assert!(!PendingActions::<Test>::contains_key(who, action));
	}
	assert!(ActionExpiries::<Test>::iter().all(|(_, ids)| !ids.contains(&action)));
	assert_eq!(action_hold(requester), 0);
	assert_eq!(free(requester), INITIAL_BALANCE);
}

// ------------------------------------------------------------------------------------------------
// Rule language: labels
// ------------------------------------------------------------------------------------------------

#[test]
fn labels_are_identifiers_and_not_reserved() {
	for good in ["a", "alice", "_x", "cfo_2", "A", "x9", "any1", "tx_value"] {
		assert!(rule::is_valid_label(good.as_bytes()), "{good} should be a valid label");
	}
	for bad in ["", "1a", "a-b", "a.b", "a b", "any", "all", "tx", "é", "a\0"] {
		assert!(!rule::is_valid_label(bad.as_bytes()), "{bad:?} should be refused");
	}
}

// ------------------------------------------------------------------------------------------------
// Rule language: parser, valid rules
// ------------------------------------------------------------------------------------------------

#[test]
fn valid_rules_compile() {
	for text in [
		"a",
		"1",
		"0",
		"a + b + c > 1",
		"a+b+c>=2",
		"a && b || c",
		"!a",
		"!!a",
		"any(2, [a, b, c])",
		"any(1,[c])",
		"all([a, b])",
		"all([a,b,c])",
		"tx.value <= 1000 || any(2, [a, b, c])",
		"(a + b) * 2 >= 3",
		"a == 1",
		"a != 0",
		"a - b < 0",
		"\ta\n&&\r\nb ",
		"(((a)))",
		"all([a]) && any(1, [b, c]) || !(c)",
		"tx.value > 10 && tx.value < 20",
		"170141183460469231731687303715884105727 > tx.value",
		"a+b*c-1!=2",
	] {
		assert!(compile(text, ABC).is_ok(), "{text:?} should compile: {:?}", compile(text, ABC));
	}
}

#[test]
fn compiled_form_is_reverse_polish_with_participant_indexes() {
	use Op::*;
	let ops = |text: &str| compile(text, ABC).unwrap().ops.into_inner();
	assert_eq!(
		ops("a + b + c > 1"),
		vec![Participant(0), Participant(1), Add, Participant(2), Add, Literal(1), Gt]
	);
	assert_eq!(ops("any(2, [a, c])"), vec![Participant(0), Participant(2), Add, Literal(2), Ge]);
	assert_eq!(ops("all([b])"), vec![Participant(1), Literal(1), Ge]);
	assert_eq!(
		ops("all([c, b, a])"),
		vec![Participant(2), Participant(1), Add, Participant(0), Add, Literal(3), Ge]
	);
	assert_eq!(ops("tx.value <= 5"), vec![TxValue, Literal(5), Le]);
	assert_eq!(ops("!a"), vec![Participant(0), Not]);
	assert_eq!(ops("a != b"), vec![Participant(0), Participant(1), Ne]);
	assert_eq!(ops("a == b"), vec![Participant(0), Participant(1), Eq]);
	assert_eq!(ops("a < b"), vec![Participant(0), Participant(1), Lt]);
	assert_eq!(ops("a >= b"), vec![Participant(0), Participant(1), Ge]);
}

#[test]
fn precedence_and_associativity() {
	use Op::*;
	let ops = |text: &str| compile(text, ABC).unwrap().ops.into_inner();
	// `&&` binds tighter than `||`.
	assert_eq!(ops("a || b && c"), vec![Participant(0), Participant(1), Participant(2), And, Or]);
	assert_eq!(ops("a && b || c"), vec![Participant(0), Participant(1), And, Participant(2), Or]);
	// `*` binds tighter than `+`.
	assert_eq!(ops("a + b * c"), vec![Participant(0), Participant(1), Participant(2), Mul, Add]);
	// `-` is left-associative.
	assert_eq!(ops("a - b - c"), vec![Participant(0), Participant(1), Sub, Participant(2), Sub]);
	// `!` binds tightest.
	assert_eq!(ops("!a && b"), vec![Participant(0), Not, Participant(1), And]);
	// Comparisons bind tighter than logic and looser than arithmetic.
	assert_eq!(
		ops("a + b > 1 && c"),
		vec![Participant(0), Participant(1), Add, Literal(1), Gt, Participant(2), And]
	);
	// Parentheses override.
	assert_eq!(ops("(a || b) && c"), vec![Participant(0), Participant(1), Or, Participant(2), And]);
}

#[test]
fn compiled_rule_keeps_its_text() {
	let compiled = compile("any(2, [a, b, c])", ABC).unwrap();
	assert_eq!(compiled.text.into_inner(), b"any(2, [a, b, c])".to_vec());
}

#[test]
fn labels_are_case_sensitive_and_exact() {
	assert_eq!(compile("A", ABC).unwrap_err(), RuleError::UnknownIdentifier);
	assert_eq!(compile("ab", ABC).unwrap_err(), RuleError::UnknownIdentifier);
	let ops = compile("Bob && alice", &["alice", "Bob"]).unwrap().ops.into_inner();
	assert_eq!(ops, vec![Op::Participant(1), Op::Participant(0), Op::And]);
}

// ------------------------------------------------------------------------------------------------
// Rule language: parser, invalid rules
// ------------------------------------------------------------------------------------------------

#[test]
fn invalid_rules_give_the_error_that_says_what_is_wrong() {
	use RuleError::*;
	let cases: &[(&str, RuleError)] = &[
		("", Empty),
		("   \n\t ", Empty),
		("d", UnknownIdentifier),
		("a + d", UnknownIdentifier),
		("tx.amount > 1", UnknownIdentifier),
		("tx > 1", UnknownIdentifier),
		("value", UnknownIdentifier),
		("a.b", UnknownIdentifier),
		("a +", UnexpectedEnd),
		("(a", UnexpectedEnd),
		("!", UnexpectedEnd),
		("a &&", UnexpectedEnd),
		("any", UnexpectedEnd),
		("any(", UnexpectedEnd),
		("any(2", UnexpectedEnd),
		("any(2,", UnexpectedEnd),
		("all([a,", UnexpectedEnd),
		("all([a", UnexpectedEnd),
		("all([a]", UnexpectedEnd),
		("a + + b", Syntax),
		("a b", Syntax),
		("a)", Syntax),
		("()", Syntax),
		("(a))", Syntax),
		("a < b < c", Syntax),
		("a == b == c", Syntax),
		("a = b", Syntax),
		("a & b", Syntax),
		("a | b", Syntax),
		("any + a", Syntax),
		("all a", Syntax),
		("any(2 [a, b])", Syntax),
		("all([a b])", Syntax),
		("[a]", Syntax),
		(",", Syntax),
		("a,", Syntax),
		("-1", Syntax),
		("a # b", InvalidCharacter),
		("a ≥ b", InvalidCharacter),
		("a;", InvalidCharacter),
		("a\0", InvalidCharacter),
		("a / b", InvalidCharacter),
		("'a'", InvalidCharacter),
		("170141183460469231731687303715884105728", LiteralTooLarge),
		("a + 99999999999999999999999999999999999999999", LiteralTooLarge),
		("any(0, [a])", BadThreshold),
		("any(3, [a, b])", BadThreshold),
		("any(a, [a])", BadThreshold),
		("any(-1, [a])", BadThreshold),
		("any(170141183460469231731687303715884105727, [a])", BadThreshold),
		("all([])", EmptyList),
		("any(1, [])", EmptyList),
		("all([a, 1])", ListItemNotParticipant),
		("all([tx.value])", ListItemNotParticipant),
		("all([any])", ListItemNotParticipant),
		("all([(a)])", ListItemNotParticipant),
		("all([a, d])", UnknownIdentifier),
		("all([a, a])", DuplicateInList),
		("any(1, [b, c, b])", DuplicateInList),
	];
	for (text, expected) in cases {
		assert_eq!(compile(text, ABC).map(|_| ()), Err(*expected), "rule {text:?}");
	}
}

#[test]
fn rule_length_is_bounded() {
	let max = MAX_RULE_LENGTH as usize;
	let mut text = b"a".to_vec();
	text.resize(max, b' ');
	assert!(compile_bytes(&text, ABC).is_ok());
	text.push(b' ');
	assert_eq!(compile_bytes(&text, ABC).map(|_| ()), Err(RuleError::TooLong));
	// The longest sum that fits: `a+a+...`.
	let mut sum = b"a".to_vec();
	while sum.len() + 2 <= max {
		sum.extend_from_slice(b"+a");
	}
	let compiled = compile_bytes(&sum, ABC).unwrap();
	assert!(compiled.ops.len() <= max);
}

#[test]
fn rule_depth_is_bounded() {
	let depth = MAX_RULE_DEPTH as usize;
	// The whole rule is level 1, each group one more.
	let nested = |levels: usize| format!("{}a{}", "(".repeat(levels), ")".repeat(levels));
	assert!(compile(&nested(depth - 1), ABC).is_ok());
	assert_eq!(compile(&nested(depth), ABC).map(|_| ()), Err(RuleError::TooDeep));
	let negated = |levels: usize| format!("{}a", "!".repeat(levels));
	assert!(compile(&negated(depth - 1), ABC).is_ok());
	assert_eq!(compile(&negated(depth), ABC).map(|_| ()), Err(RuleError::TooDeep));
	// `any`/`all` count as a level.
	let with_any =
		|levels: usize| format!("{}any(1, [a]){}", "(".repeat(levels), ")".repeat(levels));
	assert!(compile(&with_any(depth - 2), ABC).is_ok());
	assert_eq!(compile(&with_any(depth - 1), ABC).map(|_| ()), Err(RuleError::TooDeep));
	// Deep nesting far beyond the bound is refused without exhausting the stack.
	let huge = "(".repeat(100_000);
	assert_eq!(compile(&huge, ABC).map(|_| ()), Err(RuleError::TooLong));
	let deep_but_short = "(".repeat(200);
	assert_eq!(compile(&deep_but_short, ABC).map(|_| ()), Err(RuleError::TooDeep));
	// Long flat chains are not deep.
	let flat = vec!["a"; 40].join(" && ");
	assert!(compile(&flat, ABC).is_ok());
}

#[test]
fn largest_literal_is_accepted() {
	let compiled = compile("170141183460469231731687303715884105727", ABC).unwrap();
	assert_eq!(compiled.ops.into_inner(), vec![Op::Literal(i128::MAX)]);
}

// ------------------------------------------------------------------------------------------------
// Rule language: evaluator
// ------------------------------------------------------------------------------------------------

#[test]
fn labels_are_one_when_voted() {
	for votes in combinations() {
		assert_eq!(eval("a", votes, None), Some(votes[0] as i128));
		assert_eq!(eval("b", votes, None), Some(votes[1] as i128));
		assert_eq!(eval("c", votes, None), Some(votes[2] as i128));
		assert_eq!(
			eval("a + b + c", votes, None),
			Some(votes.iter().filter(|v| **v).count() as i128)
		);
	}
}

#[test]
fn logic_truth_tables() {
	for votes in combinations() {
		let [a, b, c] = votes;
		assert_eq!(holds("a && b", votes, None), a && b, "{votes:?}");
		assert_eq!(holds("a || b", votes, None), a || b, "{votes:?}");
		assert_eq!(holds("!a", votes, None), !a, "{votes:?}");
		assert_eq!(holds("!!a", votes, None), a, "{votes:?}");
		assert_eq!(holds("a && b || c", votes, None), (a && b) || c, "{votes:?}");
		assert_eq!(holds("a && (b || c)", votes, None), a && (b || c), "{votes:?}");
		assert_eq!(holds("!(a || b)", votes, None), !(a || b), "{votes:?}");
		assert_eq!(holds("a != b", votes, None), a != b, "{votes:?}");
		assert_eq!(holds("a == b", votes, None), a == b, "{votes:?}");
		assert_eq!(holds("a > b", votes, None), a & !b, "{votes:?}");
		assert_eq!(holds("a >= b", votes, None), a | !b, "{votes:?}");
		assert_eq!(holds("a < b", votes, None), !a & b, "{votes:?}");
		assert_eq!(holds("a <= b", votes, None), !a | b, "{votes:?}");
		// Logic yields exactly 0 or 1.
		assert_eq!(eval("a && b", votes, None), Some((a && b) as i128));
		assert_eq!(eval("a || b", votes, None), Some((a || b) as i128));
	}
}

#[test]
fn thresholds() {
	for votes in combinations() {
		let count = votes.iter().filter(|v| **v).count();
		for n in 1..=3 {
			let expected = count >= n;
			assert_eq!(holds(&format!("a + b + c >= {n}"), votes, None), expected);
			assert_eq!(holds(&format!("any({n}, [a, b, c])"), votes, None), expected);
		}
		assert_eq!(holds("a + b + c > 1", votes, None), count > 1);
		assert_eq!(holds("all([a, b, c])", votes, None), count == 3);
		assert_eq!(holds("all([a, b])", votes, None), votes[0] && votes[1]);
		assert_eq!(holds("any(1, [b, c])", votes, None), votes[1] || votes[2]);
		// Weighted: a counts double.
		assert_eq!(
			holds("2 * a + b + c >= 3", votes, None),
			2 * votes[0] as u8 + votes[1] as u8 + votes[2] as u8 >= 3
		);
	}
}

#[test]
fn arithmetic_is_signed_and_checked() {
	assert_eq!(eval("a - b - c", [false, true, true], None), Some(-2));
	assert!(holds("a - b < 0", [false, true, false], None));
	assert_eq!(eval("7 * 6", [false; 3], None), Some(42));
	// Overflow makes the value unknown: the rule does not hold, whatever surrounds it.
	let max = "170141183460469231731687303715884105727";
	assert_eq!(eval(&format!("{max} + 1"), [false; 3], None), None);
	assert!(!holds(&format!("{max} + 1 > 0"), [false; 3], None));
	assert!(!holds(&format!("!({max} + 1 > 0)"), [false; 3], None));
	assert_eq!(eval(&format!("{max} * 2"), [false; 3], None), None);
	assert_eq!(eval(&format!("0 - {max} - 2"), [false; 3], None), None);
	assert_eq!(eval(&format!("{max} + a"), [true, false, false], None), None);
	assert_eq!(eval(&format!("{max} + a"), [false, false, false], Some(1)), Some(i128::MAX));
	// ... but a decided `||`/`&&` side still decides.
	assert!(holds(&format!("a || {max} + 1 > 0"), [true, false, false], None));
	assert_eq!(eval(&format!("a && {max} + 1 > 0"), [false, false, false], None), Some(0));
}

#[test]
fn tx_value_is_read_from_the_context() {
	assert!(holds("tx.value <= 1000", [false; 3], Some(1000)));
	assert!(holds("tx.value <= 1000", [false; 3], Some(0)));
	assert!(!holds("tx.value <= 1000", [false; 3], Some(1001)));
	assert!(holds("tx.value == 5", [false; 3], Some(5)));
	assert_eq!(eval("tx.value + 1", [false; 3], Some(41)), Some(42));
	assert!(holds(
		"tx.value > 340282366920938463 && tx.value < 340282366920938465",
		[false; 3],
		Some(340282366920938464)
	));
}

#[test]
fn missing_tx_value_is_unknown_and_never_satisfies() {
	// A rule that depends on a missing tx.value is not satisfied, negated or not.
	assert_eq!(eval("tx.value", [true; 3], None), None);
	assert!(!holds("tx.value <= 1000", [true; 3], None));
	assert!(!holds("tx.value > 1000", [true; 3], None));
	assert!(!holds("!(tx.value > 1000)", [true; 3], None));
	assert!(!holds("tx.value == tx.value", [true; 3], None));
	assert!(!holds("a && tx.value < 5", [true; 3], None));
	// Unknown is not false either: `!unknown` stays unknown.
	assert_eq!(eval("!(tx.value < 5)", [true; 3], None), None);
	// A side that is decided regardless of tx.value decides.
	assert!(holds("tx.value <= 1000 || any(2, [a, b, c])", [true, true, false], None));
	assert!(!holds("tx.value <= 1000 || any(2, [a, b, c])", [true, false, false], None));
	assert_eq!(eval("tx.value <= 1000 && a", [false, false, false], None), Some(0));
	assert!(holds("tx.value <= 1000 || any(2, [a, b, c])", [true, false, false], Some(10)));
	assert!(!holds("tx.value <= 1000 || any(2, [a, b, c])", [true, false, false], Some(10_000)));
}

#[test]
fn tx_value_beyond_i128_is_unknown() {
	assert_eq!(eval("tx.value", [false; 3], Some(u128::MAX)), None);
	assert_eq!(eval("tx.value", [false; 3], Some(i128::MAX as u128)), Some(i128::MAX));
	assert!(!holds("tx.value > 0", [false; 3], Some(u128::MAX)));
	assert!(holds("tx.value > 0 || a", [true, false, false], Some(u128::MAX)));
}

#[test]
fn any_non_zero_value_is_true() {
	assert!(holds("5", [false; 3], None));
	assert!(!holds("0", [true; 3], None));
	assert!(holds("a + b", [false, true, false], None));
	assert!(holds("0 - 3", [false; 3], None));
	assert!(holds("(a + b) && c", [true, false, true], None));
}

#[test]
fn malformed_instructions_evaluate_to_unknown() {
	use Op::*;
	let context = PolicyContext::default();
	let votes = [true, true, true];
	assert_eq!(rule::evaluate(&[], &[], &votes, &Environment::of(&context)), None);
	assert_eq!(rule::evaluate(&[Add], &[], &votes, &Environment::of(&context)), None);
	assert_eq!(rule::evaluate(&[Literal(1), Add], &[], &votes, &Environment::of(&context)), None);
	assert_eq!(rule::evaluate(&[Not], &[], &votes, &Environment::of(&context)), None);
	assert_eq!(
		rule::evaluate(&[Literal(1), Literal(2)], &[], &votes, &Environment::of(&context)),
		None
	);
	assert_eq!(rule::evaluate(&[Participant(3)], &[], &votes, &Environment::of(&context)), None);
	assert_eq!(
		rule::evaluate(&[Participant(u32::MAX)], &[], &votes, &Environment::of(&context)),
		None
	);
	assert!(!rule::holds(&[Literal(1), Literal(1)], &[], &votes, &Environment::of(&context)));
	assert_eq!(
		rule::evaluate(&[Literal(1), Literal(2), Add], &[], &votes, &Environment::of(&context)),
		Some(3)
	);
}

// ------------------------------------------------------------------------------------------------
// Rule language: property tests (no panic on any input, compiled form agrees with a reference)
// ------------------------------------------------------------------------------------------------

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
	}

	fn below(&mut self, n: u64) -> u64 {
		self.next() % n.max(1)
	}

	fn flip(&mut self) -> bool {
		self.next() & 1 == 1
	}

	fn votes(&mut self) -> [bool; 3] {
		[self.flip(), self.flip(), self.flip()]
	}

	fn tx_value(&mut self) -> Option<u128> {
		match self.below(4) {
			0 => None,
			1 => Some(u128::MAX),
			_ => Some(u128::from(self.below(40))),
		}
	}
}

/// Check the invariants of a compile attempt on arbitrary input.
fn check_compile(text: &[u8], rng: &mut Rng) {
	match compile_bytes(text, ABC) {
		Ok(compiled) => {
			assert!(compiled.ops.len() <= text.len().max(1));
			assert_eq!(compiled.text.as_slice(), text);
			for op in compiled.ops.iter() {
				if let Op::Participant(index) = op {
					assert!(*index < 3);
				}
			}
			// Well-formed: evaluation is known unless tx.value or overflow is involved.
			let votes = rng.votes();
			let tx_value = Some(u128::from(rng.below(10)));
			let _ = rule::evaluate(
				&compiled.ops,
				&compiled.texts,
				&votes,
				&Environment::of(&value_context(tx_value)),
			);
			let _ = rule::evaluate(
				&compiled.ops,
				&compiled.texts,
				&votes,
				&Environment::of(&PolicyContext::default()),
			);
			// Participant indexes stay in range even with fewer votes than participants.
			let _ = rule::evaluate(
				&compiled.ops,
				&compiled.texts,
				&[],
				&Environment::of(&PolicyContext::default()),
			);
		}
		Err(error) => {
			if text.len() > MAX_RULE_LENGTH as usize {
				assert_eq!(error, RuleError::TooLong);
			}
		}
	}
}

#[test]
fn parser_never_panics_on_random_bytes() {
	let mut rng = Rng(0x5eed_1234_abcd_ef01);
	for _ in 0..20_000 {
		let len = rng.below(300) as usize;
		let text: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
		check_compile(&text, &mut rng);
	}
}

#[test]
fn parser_never_panics_on_random_token_soup() {
	const FRAGMENTS: &[&str] = &[
		"a",
		"b",
		"c",
		"d",
		"1",
		"0",
		"2",
		"tx.value",
		"tx.to",
		"tx.token",
		"tx.token_amount",
		"tx.chain",
		"in",
		"[\"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48\", \"x\"]",
		"\"eip155:1\"",
		"\"",
		"spent(",
		"spent(tx.token, 86400)",
		"^",
		"tx.",
		"tx",
		"any",
		"all",
		"(",
		")",
		"[",
		"]",
		",",
		"+",
		"-",
		"*",
		">",
		">=",
		"<",
		"<=",
		"==",
		"!=",
		"!",
		"&&",
		"||",
		" ",
		"=",
		"&",
		"|",
		".",
		"_",
		"99999999999999999999999999999999999999999",
		"\n",
		"any(",
		"all([",
		"])",
	];
	let mut rng = Rng(0xdead_beef_cafe_f00d);
	let mut compiled = 0;
	for _ in 0..50_000 {
		let count = rng.below(40) as usize;
		let text: String =
			(0..count).map(|_| FRAGMENTS[rng.below(FRAGMENTS.len() as u64) as usize]).collect();
		if compile(&text, ABC).is_ok() {
			compiled += 1;
		}
		check_compile(text.as_bytes(), &mut rng);
	}
	// The soup is meant to reach deep into the parser, not only its first error.
	assert!(compiled > 100, "only {compiled} random rules compiled");
}

#[derive(Clone, Debug)]
enum Ast {
	Label(usize),
	Literal(i128),
	TxValue,
	Any(i128, Vec<usize>),
	All(Vec<usize>),
	Not(Box<Ast>),
	Binary(&'static str, Box<Ast>, Box<Ast>),
}

const BINARY: &[&str] = &["+", "-", "*", ">", ">=", "<", "<=", "==", "!=", "&&", "||"];

fn random_members(rng: &mut Rng) -> Vec<usize> {
	let mut members: Vec<usize> = (0..3).filter(|_| rng.flip()).collect();
	if members.is_empty() {
		members.push(rng.below(3) as usize);
	}
	// Shuffle a little: order must not matter.
	if members.len() > 1 && rng.flip() {
		members.reverse();
	}
	members
}

fn random_ast(rng: &mut Rng, depth: u32) -> Ast {
	let leaf = depth == 0 || rng.below(3) == 0;
	if leaf {
		return match rng.below(6) {
			0 | 1 => Ast::Label(rng.below(3) as usize),
			2 => Ast::Literal(match rng.below(5) {
				0 => i128::MAX,
				_ => i128::from(rng.below(5) as u8),
			}),
			3 => Ast::TxValue,
			4 => {
				let members = random_members(rng);
				let n = 1 + rng.below(members.len() as u64) as i128;
				Ast::Any(n, members)
			}
			_ => Ast::All(random_members(rng)),
		};
	}
	if rng.below(5) == 0 {
		return Ast::Not(Box::new(random_ast(rng, depth - 1)));
	}
	let op = BINARY[rng.below(BINARY.len() as u64) as usize];
	Ast::Binary(op, Box::new(random_ast(rng, depth - 1)), Box::new(random_ast(rng, depth - 1)))
}

fn print(ast: &Ast) -> String {
	let names = ["a", "b", "c"];
	let list = |members: &[usize]| members.iter().map(|m| names[*m]).collect::<Vec<_>>().join(", ");
	match ast {
		Ast::Label(i) => names[*i].to_string(),
		Ast::Literal(n) => n.to_string(),
		Ast::TxValue => "tx.value".to_string(),
		Ast::Any(n, members) => format!("any({n}, [{}])", list(members)),
		Ast::All(members) => format!("all([{}])", list(members)),
		Ast::Not(inner) => format!("!({})", print(inner)),
		Ast::Binary(op, left, right) => format!("({} {op} {})", print(left), print(right)),
	}
}

/// The documented semantics, written independently of the compiler.
fn reference(ast: &Ast, votes: &[bool; 3], tx_value: Option<u128>) -> Option<i128> {
	let bool_value = |b: bool| Some(b as i128);
	match ast {
		Ast::Label(i) => bool_value(votes[*i]),
		Ast::Literal(n) => Some(*n),
		Ast::TxValue => tx_value.and_then(|v| i128::try_from(v).ok()),
		Ast::Any(n, members) => {
			bool_value(members.iter().filter(|m| votes[**m]).count() as i128 >= *n)
		}
		Ast::All(members) => bool_value(members.iter().all(|m| votes[*m])),
		Ast::Not(inner) => reference(inner, votes, tx_value).map(|v| (v == 0) as i128),
		Ast::Binary(op, left, right) => {
			let l = reference(left, votes, tx_value);
			let r = reference(right, votes, tx_value);
			match *op {
				"&&" => match (l, r) {
					(Some(0), _) | (_, Some(0)) => Some(0),
					(Some(_), Some(_)) => Some(1),
					_ => None,
				},
				"||" => match (l, r) {
					(Some(x), _) | (_, Some(x)) if x != 0 => Some(1),
					(Some(_), Some(_)) => Some(0),
					_ => None,
				},
				_ => {
					let (l, r) = (l?, r?);
					match *op {
						"+" => l.checked_add(r),
						"-" => l.checked_sub(r),
						"*" => l.checked_mul(r),
						">" => bool_value(l > r),
						">=" => bool_value(l >= r),
						"<" => bool_value(l < r),
						"<=" => bool_value(l <= r),
						"==" => bool_value(l == r),
						"!=" => bool_value(l != r),
						_ => unreachable!(),
					}
				}
			}
		}
	}
}

#[test]
fn compiled_rules_agree_with_the_reference_semantics() {
	let mut rng = Rng(0x0123_4567_89ab_cdef);
	let mut checked = 0;
	for _ in 0..5_000 {
		// Depth 3 prints at most 7 levels of nesting (`!(` and `(` each add one).
		let ast = random_ast(&mut rng, 3);
		let text = print(&ast);
		let compiled = match compile(&text, ABC) {
			Ok(compiled) => compiled,
			Err(RuleError::TooLong) if text.len() > MAX_RULE_LENGTH as usize => continue,
			Err(error) => panic!("{text:?} should compile: {error:?}"),
		};
		for _ in 0..8 {
			let votes = rng.votes();
			let tx_value = rng.tx_value();
			assert_eq!(
				rule::evaluate(
					&compiled.ops,
					&compiled.texts,
					&votes,
					&Environment::of(&value_context(tx_value))
				),
				reference(&ast, &votes, tx_value),
				"rule {text:?}, votes {votes:?}, tx.value {tx_value:?}"
			);
		}
		checked += 1;
	}
	assert!(checked > 4_000);
}

// ------------------------------------------------------------------------------------------------
// create_policy
// ------------------------------------------------------------------------------------------------

#[test]
fn create_policy_stores_the_policy_and_holds_a_deposit() {
	new_test_ext().execute_with(|| {
		let id = create_policy_with(
			&[("a", A), ("b", B), ("c", C)],
			"any(2, [a, b, c])",
			Some("all([b, c])"),
			Some(20),
		);
		assert_eq!(id, 0);
		assert_eq!(NextPolicyId::<Test>::get(), 1);
		let policy = Policies::<Test>::get(id).unwrap();
		assert_eq!(policy.creator, CREATOR);
		assert_eq!(policy.name.to_vec(), b"team".to_vec());
		assert_eq!(policy.accounts(), vec![A, B, C]);
		assert_eq!(policy.participants[1].label.to_vec(), b"b".to_vec());
		assert_eq!(policy.approve_rule.text.to_vec(), b"any(2, [a, b, c])".to_vec());
		assert_eq!(policy.reject_rule.as_ref().unwrap().text.to_vec(), b"all([b, c])".to_vec());
		assert_eq!(policy.default_expiry, Some(20));
		let deposit = POLICY_DEPOSIT + DEPOSIT_PER_BYTE * policy.encoded_size() as Balance;
		assert_eq!(policy.deposit, deposit);
		assert_eq!(policy_hold(CREATOR), deposit);
		assert_eq!(free(CREATOR), INITIAL_BALANCE - deposit);
		assert_eq!(
			last_policy_event(),
			Event::PolicyCreated { policy: id, creator: CREATOR, deposit }
		);
		// Ids are sequential.
		assert_eq!(abc_policy("a", None), 1);
		assert_eq!(abc_policy("b", None), 2);
	});
}

#[test]
fn create_policy_needs_a_signed_origin() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Policy::create_policy(
				RuntimeOrigin::none(),
				b"x".to_vec(),
				abc(),
				vec![],
				b"a".to_vec(),
				None,
				None
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Policy::create_policy(
				RuntimeOrigin::root(),
				b"x".to_vec(),
				abc(),
				vec![],
				b"a".to_vec(),
				None,
				None
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn create_policy_checks_name_and_participants() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Policy::create_policy(
				RuntimeOrigin::signed(CREATOR),
				vec![b'n'; 33],
				abc(),
				vec![],
				b"a".to_vec(),
				None,
				None
			),
			Error::<Test>::NameTooLong
		);
		assert_ok!(Policy::create_policy(
			RuntimeOrigin::signed(CREATOR),
			vec![b'n'; 32],
			abc(),
			vec![],
			b"a".to_vec(),
			None,
			None
		));
		assert_noop!(try_create(vec![], "1", None), Error::<Test>::NoParticipants);
		let nine: Vec<_> = (0..9u64).map(|i| (format!("p{i}").into_bytes(), 100 + i)).collect();
		assert_noop!(try_create(nine, "p0", None), Error::<Test>::TooManyParticipants);
		let eight: Vec<_> = (0..8u64).map(|i| (format!("p{i}").into_bytes(), 100 + i)).collect();
		assert_ok!(try_create(eight, "p7", None));
		assert_noop!(try_create(vec![(vec![b'l'; 17], A)], "1", None), Error::<Test>::LabelTooLong);
		assert_ok!(try_create(vec![(vec![b'l'; 16], A)], "1", None));
		for bad in ["", "1a", "a-b", "any", "all", "tx", "a.b", "a b"] {
			assert_noop!(
				try_create(vec![(bad.as_bytes().to_vec(), A)], "1", None),
				Error::<Test>::InvalidLabel
			);
		}
		assert_noop!(
			try_create(vec![(b"a".to_vec(), A), (b"a".to_vec(), B)], "a", None),
			Error::<Test>::DuplicateLabel
		);
		assert_noop!(
			try_create(vec![(b"a".to_vec(), A), (b"b".to_vec(), A)], "a", None),
			Error::<Test>::DuplicateParticipant
		);
		assert_noop!(
			Policy::create_policy(
				RuntimeOrigin::signed(CREATOR),
				b"x".to_vec(),
				abc(),
				vec![],
				b"a".to_vec(),
				None,
				Some(0)
			),
			Error::<Test>::InvalidExpiry
		);
	});
}

#[test]
fn create_policy_reports_rule_errors() {
	new_test_ext().execute_with(|| {
		let cases: Vec<(&str, DispatchError)> = vec![
			("", Error::<Test>::RuleEmpty.into()),
			("a +", Error::<Test>::RuleUnexpectedEnd.into()),
			("a + + b", Error::<Test>::RuleSyntax.into()),
			("a # b", Error::<Test>::RuleInvalidCharacter.into()),
			("d", Error::<Test>::RuleUnknownIdentifier.into()),
			(
				"999999999999999999999999999999999999999999",
				Error::<Test>::RuleLiteralTooLarge.into(),
			),
			("any(4, [a, b, c])", Error::<Test>::RuleBadThreshold.into()),
			("all([])", Error::<Test>::RuleEmptyList.into()),
			("all([1])", Error::<Test>::RuleListItemNotParticipant.into()),
			("all([a, a])", Error::<Test>::RuleDuplicateInList.into()),
			("((((((((a))))))))", Error::<Test>::RuleTooDeep.into()),
		];
		for (text, error) in cases {
			assert_noop!(try_create(abc(), text, None), error);
			assert_noop!(try_create(abc(), "a", Some(text)), error);
		}
		let long = format!("a{}", " ".repeat(MAX_RULE_LENGTH as usize));
		assert_noop!(try_create(abc(), &long, None), Error::<Test>::RuleTooLong);
		assert_noop!(try_create(abc(), "a", Some(&long)), Error::<Test>::RuleTooLong);
		// Nothing was stored or held.
		assert_eq!(NextPolicyId::<Test>::get(), 0);
		assert_eq!(policy_hold(CREATOR), 0);
	});
}

#[test]
fn a_reject_rule_that_always_holds_is_refused() {
	new_test_ext().execute_with(|| {
		for text in ["1", "!a", "a + 1 > 0", "!all([a, b])", "a == b", "tx.value > 5 || 1"] {
			assert_noop!(try_create(abc(), "a", Some(text)), Error::<Test>::RejectRuleAlwaysHolds);
		}
		// Rules that need a rejection, or a context value, are fine.
		for text in ["a", "any(2, [a, b, c])", "tx.value > 1000", "tx.value > 1000 || all([a, b])"]
		{
			assert_ok!(try_create(abc(), "a", Some(text)));
		}
	});
}

#[test]
fn create_policy_needs_funds_for_the_deposit() {
	new_test_ext().execute_with(|| {
		let result = Policy::create_policy(
			RuntimeOrigin::signed(99),
			b"x".to_vec(),
			abc(),
			vec![],
			b"a".to_vec(),
			None,
			None,
		);
		assert!(result.is_err());
		assert_eq!(NextPolicyId::<Test>::get(), 0);
		assert!(Policies::<Test>::get(0).is_none());
	});
}

// ------------------------------------------------------------------------------------------------
// Immediate execution
// ------------------------------------------------------------------------------------------------

#[test]
fn default_policy_dispatches_at_once() {
	new_test_ext().execute_with(|| {
		assert_eq!(submit(A, None, record(7), None), Ok(GateOutcome::Executed));
		assert_eq!(
			records(),
			vec![(Approval { workspace: WORKSPACE, policy: None, requester: A, action: None }, 7)]
		);
		assert_eq!(
			last_policy_event(),
			Event::CallExecuted { workspace: WORKSPACE, policy: None, requester: A }
		);
		assert_eq!(NextActionId::<Test>::get(), 0);
		assert_eq!(action_hold(A), 0);
	});
}

#[test]
fn default_policy_returns_the_error_of_the_call() {
	new_test_ext().execute_with(|| {
		assert_eq!(submit(A, None, failing(), None), Err(pallet_gated::Error::<Test>::Boom.into()));
		assert!(policy_events().is_empty());
	});
}

#[test]
fn requester_alone_satisfying_the_rule_dispatches_at_once() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("any(1, [a, b, c])", None);
		assert_eq!(submit(B, Some(policy), record(3), None), Ok(GateOutcome::Executed));
		assert_eq!(
			records(),
			vec![(
				Approval { workspace: WORKSPACE, policy: Some(policy), requester: B, action: None },
				3
			)]
		);
		assert_eq!(
			last_policy_event(),
			Event::CallExecuted { workspace: WORKSPACE, policy: Some(policy), requester: B }
		);
		assert_eq!(Actions::<Test>::iter().count(), 0);
		assert_eq!(action_hold(B), 0);
		// A rule on the requester's own label.
		let own = abc_policy("b || all([a, c])", None);
		assert_eq!(submit(B, Some(own), record(4), None), Ok(GateOutcome::Executed));
		assert!(matches!(submit(A, Some(own), record(5), None), Ok(GateOutcome::Pending(_))));
	});
}

#[test]
fn immediate_failure_is_the_error_of_the_submission() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("a", None);
		assert_eq!(
			submit(A, Some(policy), failing(), None),
			Err(pallet_gated::Error::<Test>::Boom.into())
		);
		assert_eq!(Actions::<Test>::iter().count(), 0);
		assert_eq!(action_hold(A), 0);
	});
}

#[test]
fn submission_through_an_extrinsic_of_another_pallet() {
	new_test_ext().execute_with(|| {
		// The default policy: the gated call runs inside the requester's extrinsic.
		assert_ok!(Gated::request(RuntimeOrigin::signed(A), WORKSPACE, None, 11, None));
		assert_eq!(records().len(), 1);
		// A 2-of-3 policy: the extrinsic succeeds and leaves an action.
		let policy = abc_policy("a + b + c >= 2", None);
		assert_ok!(Gated::request(RuntimeOrigin::signed(A), WORKSPACE, Some(policy), 12, Some(5)));
		let action = Actions::<Test>::get(0).unwrap();
		assert_eq!(action.context, PolicyContext { tx_value: Some(5), ..Default::default() });
		assert_ok!(Policy::approve(RuntimeOrigin::signed(C), 0));
		assert_eq!(records().last().unwrap().1, 12);
		// A non-participant's extrinsic fails with the gate's error.
		assert_noop!(
			Gated::request(RuntimeOrigin::signed(EVE), WORKSPACE, Some(policy), 13, None),
			Error::<Test>::NotParticipant
		);
	});
}

#[test]
fn gated_calls_accept_only_the_approved_origin() {
	new_test_ext().execute_with(|| {
		assert_noop!(Gated::record(RuntimeOrigin::signed(A), 1), DispatchError::BadOrigin);
		assert_noop!(Gated::record(RuntimeOrigin::root(), 1), DispatchError::BadOrigin);
		assert_noop!(Gated::record(RuntimeOrigin::none(), 1), DispatchError::BadOrigin);
		let approval = Approval { workspace: 1, policy: Some(2), requester: A, action: Some(3) };
		let origin = RuntimeOrigin::from(ApprovalOrigin::Approved(approval.clone()));
		assert_eq!(
			<crate::EnsureApproved<Test> as EnsureOrigin<RuntimeOrigin>>::try_origin(origin).ok(),
			Some(approval)
		);
		assert!(<crate::EnsureApproved<Test> as EnsureOrigin<RuntimeOrigin>>::try_origin(
			RuntimeOrigin::signed(A)
		)
		.is_err());
	});
}

// ------------------------------------------------------------------------------------------------
// Submission checks
// ------------------------------------------------------------------------------------------------

#[test]
fn non_participants_cannot_submit() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("any(2, [a, b, c])", None);
		assert_noop!(submit(EVE, Some(policy), record(1), None), Error::<Test>::NotParticipant);
		assert_noop!(submit(A, Some(99), record(1), None), Error::<Test>::PolicyNotFound);
	});
}

#[test]
fn calls_heavier_than_the_bound_are_refused() {
	new_test_ext().execute_with(|| {
		let heavy = RuntimeCall::Gated(pallet_gated::Call::heavy {});
		assert!(heavy.get_dispatch_info().call_weight.any_gt(MaxGatedCallWeight::get()));
		let policy = abc_policy("all([a, b])", None);
		assert_noop!(submit(A, Some(policy), heavy.clone(), None), Error::<Test>::CallTooHeavy);
		assert_noop!(submit(A, None, heavy, None), Error::<Test>::CallTooHeavy);
	});
}

#[test]
fn calls_larger_than_the_bound_cannot_wait() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b])", None);
		let sized =
			|len: usize| RuntimeCall::Gated(pallet_gated::Call::sized { data: vec![0; len] });
		// 2 bytes of call index and 2 of compact length.
		let fits = MAX_CALL_SIZE as usize - 4;
		assert_eq!(sized(fits).encode().len(), MAX_CALL_SIZE as usize);
		assert!(matches!(submit(A, Some(policy), sized(fits), None), Ok(GateOutcome::Pending(_))));
		assert_noop!(submit(A, Some(policy), sized(fits + 1), None), Error::<Test>::CallTooLarge);
		// A call that runs at once is not stored, so its size does not matter.
		assert_eq!(submit(A, None, sized(4 * fits), None), Ok(GateOutcome::Executed));
	});
}

#[test]
fn a_reject_rule_holding_at_submission_refuses_the_call() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b])", Some("tx.value > 1000 || all([b, c])"));
		assert_noop!(
			submit(A, Some(policy), record(1), Some(5_000)),
			Error::<Test>::RejectedByPolicy
		);
		assert!(matches!(
			submit(A, Some(policy), record(1), Some(10)),
			Ok(GateOutcome::Pending(_))
		));
		// Without a value the reject rule is unknown: not rejected.
		assert!(matches!(submit(A, Some(policy), record(1), None), Ok(GateOutcome::Pending(_))));
	});
}

#[test]
fn submission_needs_funds_for_the_deposit() {
	new_test_ext().execute_with(|| {
		let policy = create_policy_with(&[("a", 99), ("b", B)], "all([a, b])", None, None);
		assert_noop!(
			submit(99, Some(policy), record(1), None),
			Error::<Test>::InsufficientBalanceForActionDeposit
		);
	});
}

#[test]
fn creating_a_policy_needs_funds_for_its_deposit() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Policy::create_policy(
				RuntimeOrigin::signed(99),
				b"p".to_vec(),
				vec![(b"a".to_vec(), 99)],
				vec![],
				b"a".to_vec(),
				None,
				None
			),
			Error::<Test>::InsufficientBalanceForPolicyDeposit
		);
	});
}

// ------------------------------------------------------------------------------------------------
// Actions: approval
// ------------------------------------------------------------------------------------------------

#[test]
fn two_of_three_waits_for_a_second_approval() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("a + b + c >= 2", None);
		let action = submit_pending(A, policy, 42);
		assert_eq!(action, 0);
		let deposit = record_deposit(42);
		let stored = Actions::<Test>::get(action).unwrap();
		assert_eq!(stored.workspace, WORKSPACE);
		assert_eq!(stored.policy, policy);
		assert_eq!(stored.requester, A);
		assert_eq!(stored.call.to_vec(), record(42).encode());
		assert_eq!(stored.call_weight, RECORD_WEIGHT);
		assert_eq!(stored.approvals.to_vec(), vec![A]);
		assert!(stored.rejections.is_empty());
		assert_eq!(stored.created, 1);
		assert_eq!(stored.deadline, 1 + DEFAULT_EXPIRY);
		assert_eq!(stored.deposit, deposit);
		assert_eq!(action_hold(A), deposit);
		assert_eq!(free(A), INITIAL_BALANCE - deposit);
		for who in [A, B, C] {
			assert!(PendingActions::<Test>::contains_key(who, action));
		}
		assert!(!PendingActions::<Test>::contains_key(EVE, action));
		assert_eq!(ActionExpiries::<Test>::get(1 + DEFAULT_EXPIRY).to_vec(), vec![action]);
		assert_eq!(
			last_policy_event(),
			Event::ActionCreated {
				action,
				workspace: WORKSPACE,
				policy,
				requester: A,
				deadline: 1 + DEFAULT_EXPIRY,
				deposit,
			}
		);
		assert!(records().is_empty());

		// A second participant's approval runs the call, with the action in the origin.
		assert_ok!(Policy::approve(RuntimeOrigin::signed(C), action));
		assert_eq!(
			records(),
			vec![(
				Approval {
					workspace: WORKSPACE,
					policy: Some(policy),
					requester: A,
					action: Some(action)
				},
				42
			)]
		);
		let events = policy_events();
		assert_eq!(
			events[events.len() - 2..].to_vec(),
			vec![
				Event::ApprovalRecorded { action, who: C },
				Event::ActionCompleted { action, workspace: WORKSPACE, policy },
			]
		);
		assert_closed(action, A);
		assert_eq!(ActionExpiries::<Test>::iter().count(), 0);
	});
}

#[test]
fn approvals_from_every_participant_are_counted_until_the_rule_holds() {
	new_test_ext().execute_with(|| {
		let policy = create_policy_with(
			&[("a", A), ("b", B), ("c", C), ("d", D)],
			"all([a, b, c, d])",
			None,
			None,
		);
		let action = submit_pending(D, policy, 1);
		assert_ok!(Policy::approve(RuntimeOrigin::signed(A), action));
		assert_eq!(last_policy_event(), Event::ApprovalRecorded { action, who: A });
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), action));
		assert_eq!(Actions::<Test>::get(action).unwrap().approvals.to_vec(), vec![D, A, B]);
		assert!(records().is_empty());
		assert_ok!(Policy::approve(RuntimeOrigin::signed(C), action));
		assert_eq!(records().len(), 1);
		assert_closed(action, D);
	});
}

#[test]
fn approve_errors() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b, c])", None);
		let action = submit_pending(A, policy, 1);
		assert_noop!(approve_as(B, 99), Error::<Test>::ActionNotFound);
		assert_noop!(approve_as(EVE, action), Error::<Test>::NotParticipant);
		// The requester's approval is already counted.
		assert_noop!(approve_as(A, action), Error::<Test>::AlreadyApproved);
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), action));
		assert_noop!(approve_as(B, action), Error::<Test>::AlreadyApproved);
		assert_noop!(Policy::approve(RuntimeOrigin::none(), action), DispatchError::BadOrigin);
		// Once completed, the action is gone.
		assert_ok!(Policy::approve(RuntimeOrigin::signed(C), action));
		assert_noop!(approve_as(C, action), Error::<Test>::ActionNotFound);
	});
}

#[test]
fn approve_refunds_the_unused_call_weight() {
	new_test_ext().execute_with(|| {
		use crate::WeightInfo;
		// The approve rule may read the spending ledger up to four times.
		let base = <() as WeightInfo>::approve() + Policy::spent_reads_weight(1);
		assert_eq!(Policy::spent_reads_weight(1), Weight::from_parts(4_000, 40));
		let declared = crate::Call::<Test>::approve { action: 0 }.get_dispatch_info().call_weight;
		assert_eq!(declared, base + MaxGatedCallWeight::get());

		let policy = abc_policy("all([a, b, c])", None);
		let action = submit_pending(A, policy, 1);
		// Not yet satisfied: only the base weight.
		let post = Policy::approve(RuntimeOrigin::signed(B), action).unwrap();
		assert_eq!(post.actual_weight, Some(base));
		// Satisfied: the base weight plus what the call reported it used.
		let post = Policy::approve(RuntimeOrigin::signed(C), action).unwrap();
		assert_eq!(post.actual_weight, Some(base + RECORD_ACTUAL_WEIGHT));
		// Refused: the base weight only.
		let error = Policy::approve(RuntimeOrigin::signed(C), action).unwrap_err();
		assert_eq!(error.post_info.actual_weight, Some(base));
		// A failing call: its declared weight.
		let failing_action = match submit(A, Some(policy), failing(), None) {
			Ok(GateOutcome::Pending(id)) => id,
			other => panic!("{other:?}"),
		};
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), failing_action));
		let post = Policy::approve(RuntimeOrigin::signed(C), failing_action).unwrap();
		assert_eq!(post.actual_weight, Some(base + failing().get_dispatch_info().call_weight));
	});
}

#[test]
fn a_failing_call_is_recorded_and_closes_the_action() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("a + b + c >= 2", None);
		let action = match submit(A, Some(policy), failing(), None) {
			Ok(GateOutcome::Pending(id)) => id,
			other => panic!("{other:?}"),
		};
		assert!(action_hold(A) > 0);
		// The approving extrinsic succeeds; the failure is in the event.
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), action));
		assert_eq!(
			last_policy_event(),
			Event::ActionFailed {
				action,
				workspace: WORKSPACE,
				policy,
				error: pallet_gated::Error::<Test>::Boom.into(),
			}
		);
		assert_closed(action, A);
	});
}

#[test]
fn an_undecodable_stored_call_fails_instead_of_sticking() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("a + b >= 2", None);
		let action = submit_pending(A, policy, 1);
		Actions::<Test>::mutate(action, |open| {
			open.as_mut().unwrap().call = BoundedVec::truncate_from(vec![0xff, 0xff, 0xff]);
		});
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), action));
		assert_eq!(
			last_policy_event(),
			Event::ActionFailed {
				action,
				workspace: WORKSPACE,
				policy,
				error: Error::<Test>::CallUndecodable.into(),
			}
		);
		assert_closed(action, A);
	});
}

#[test]
fn a_stored_call_grown_too_heavy_fails_instead_of_running() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("a + b >= 2", None);
		let action = submit_pending(A, policy, 1);
		// As if a runtime upgrade made the call heavier than `approve` pays for.
		let heavy = RuntimeCall::Gated(pallet_gated::Call::heavy {});
		Actions::<Test>::mutate(action, |open| {
			open.as_mut().unwrap().call = BoundedVec::truncate_from(heavy.encode());
		});
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), action));
		assert_eq!(
			last_policy_event(),
			Event::ActionFailed {
				action,
				workspace: WORKSPACE,
				policy,
				error: Error::<Test>::CallTooHeavy.into(),
			}
		);
		assert_closed(action, A);
	});
}

#[test]
fn tx_value_decides_between_at_once_and_waiting() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("tx.value <= 1000 || all([a, b])", None);
		assert_eq!(submit(A, Some(policy), record(1), Some(500)), Ok(GateOutcome::Executed));
		assert_eq!(submit(A, Some(policy), record(2), Some(1000)), Ok(GateOutcome::Executed));
		let big = match submit(A, Some(policy), record(3), Some(5_000)) {
			Ok(GateOutcome::Pending(id)) => id,
			other => panic!("{other:?}"),
		};
		// No value supplied (not a transaction): only the approvals can satisfy it.
		let none = match submit(A, Some(policy), record(4), None) {
			Ok(GateOutcome::Pending(id)) => id,
			other => panic!("{other:?}"),
		};
		assert_eq!(records().len(), 2);
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), big));
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), none));
		assert_eq!(records().iter().map(|(_, v)| *v).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
		// C alone cannot complete it.
		let other = match submit(C, Some(policy), record(5), Some(2_000)) {
			Ok(GateOutcome::Pending(id)) => id,
			other => panic!("{other:?}"),
		};
		assert_ok!(Policy::approve(RuntimeOrigin::signed(A), other));
		assert!(Actions::<Test>::contains_key(other));
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), other));
		assert!(!Actions::<Test>::contains_key(other));
	});
}

#[test]
fn actions_under_several_policies_are_independent() {
	new_test_ext().execute_with(|| {
		let first = abc_policy("all([a, b])", None);
		let second = create_policy_with(&[("x", B), ("y", D)], "x && y", None, None);
		let one = submit_pending(A, first, 1);
		let two = submit_pending(B, second, 2);
		assert_eq!((one, two), (0, 1));
		// D is a participant of the second policy only.
		assert_noop!(approve_as(D, one), Error::<Test>::NotParticipant);
		assert_ok!(Policy::approve(RuntimeOrigin::signed(D), two));
		assert!(Actions::<Test>::contains_key(one));
		assert_eq!(
			records(),
			vec![(
				Approval {
					workspace: WORKSPACE,
					policy: Some(second),
					requester: B,
					action: Some(two)
				},
				2
			)]
		);
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), one));
		assert_eq!(records().len(), 2);
		assert_eq!(free(A), INITIAL_BALANCE);
		assert_eq!(free(B), INITIAL_BALANCE);
	});
}

// ------------------------------------------------------------------------------------------------
// Actions: rejection and revocation
// ------------------------------------------------------------------------------------------------

#[test]
fn the_reject_rule_rejects() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b, c])", Some("any(2, [a, b, c])"));
		let action = submit_pending(A, policy, 1);
		assert_ok!(Policy::reject(RuntimeOrigin::signed(B), action));
		assert_eq!(last_policy_event(), Event::RejectionRecorded { action, who: B });
		let open = Actions::<Test>::get(action).unwrap();
		assert_eq!(open.rejections.to_vec(), vec![B]);
		assert_ok!(Policy::reject(RuntimeOrigin::signed(C), action));
		let events = policy_events();
		assert_eq!(
			events[events.len() - 2..].to_vec(),
			vec![Event::RejectionRecorded { action, who: C }, Event::ActionRejected { action }]
		);
		assert!(records().is_empty());
		assert_closed(action, A);
	});
}

#[test]
fn reject_errors() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b, c])", Some("all([a, b, c])"));
		let action = submit_pending(A, policy, 1);
		assert_noop!(Policy::reject(RuntimeOrigin::signed(B), 99), Error::<Test>::ActionNotFound);
		assert_noop!(
			Policy::reject(RuntimeOrigin::signed(EVE), action),
			Error::<Test>::NotParticipant
		);
		assert_ok!(Policy::reject(RuntimeOrigin::signed(B), action));
		assert_noop!(
			Policy::reject(RuntimeOrigin::signed(B), action),
			Error::<Test>::AlreadyRejected
		);
		assert_noop!(Policy::reject(RuntimeOrigin::root(), action), DispatchError::BadOrigin);
	});
}

#[test]
fn without_a_reject_rule_rejections_are_only_recorded() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b, c])", None);
		let action = submit_pending(A, policy, 1);
		assert_ok!(Policy::reject(RuntimeOrigin::signed(B), action));
		assert_ok!(Policy::reject(RuntimeOrigin::signed(C), action));
		let open = Actions::<Test>::get(action).unwrap();
		assert_eq!(open.rejections.to_vec(), vec![B, C]);
		assert_eq!(action_hold(A), record_deposit(1));
	});
}

#[test]
fn participants_may_change_their_vote() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b, c])", Some("all([a, b])"));
		let action = submit_pending(A, policy, 1);
		// B approves, then rejects: the approval is withdrawn.
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), action));
		assert_ok!(Policy::reject(RuntimeOrigin::signed(B), action));
		let open = Actions::<Test>::get(action).unwrap();
		assert_eq!(open.approvals.to_vec(), vec![A]);
		assert_eq!(open.rejections.to_vec(), vec![B]);
		// C approves; B changes back to approve: the rejection is withdrawn and the rule holds.
		assert_ok!(Policy::approve(RuntimeOrigin::signed(C), action));
		assert!(Actions::<Test>::contains_key(action));
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), action));
		assert_eq!(records().len(), 1);
		assert_closed(action, A);

		// The requester may reject their own action: with B that meets the reject rule.
		let second = submit_pending(A, policy, 2);
		assert_ok!(Policy::reject(RuntimeOrigin::signed(A), second));
		assert_eq!(Actions::<Test>::get(second).unwrap().approvals.len(), 0);
		assert_ok!(Policy::reject(RuntimeOrigin::signed(B), second));
		assert_eq!(last_policy_event(), Event::ActionRejected { action: second });
		assert_closed(second, A);
	});
}

#[test]
fn the_requester_can_revoke() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b, c])", None);
		let action = submit_pending(A, policy, 1);
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), action));
		assert_noop!(Policy::revoke(RuntimeOrigin::signed(B), action), Error::<Test>::NotRequester);
		assert_noop!(
			Policy::revoke(RuntimeOrigin::signed(EVE), action),
			Error::<Test>::NotRequester
		);
		assert_noop!(Policy::revoke(RuntimeOrigin::signed(A), 99), Error::<Test>::ActionNotFound);
		assert_ok!(Policy::revoke(RuntimeOrigin::signed(A), action));
		assert_eq!(last_policy_event(), Event::ActionRevoked { action });
		assert!(records().is_empty());
		assert_closed(action, A);
		assert_noop!(approve_as(C, action), Error::<Test>::ActionNotFound);
	});
}

// ------------------------------------------------------------------------------------------------
// Expiry
// ------------------------------------------------------------------------------------------------

#[test]
fn actions_expire_in_on_initialize_at_their_deadline() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b, c])", None);
		let action = submit_pending(A, policy, 1);
		let deadline = 1 + DEFAULT_EXPIRY;
		run_to(deadline - 1);
		// Still open the block before: it can be approved up to `deadline - 1`.
		assert!(Actions::<Test>::contains_key(action));
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), action));
		run_to(deadline);
		assert_eq!(last_policy_event(), Event::ActionExpired { action });
		assert!(records().is_empty());
		assert_closed(action, A);
		assert!(!ActionExpiries::<Test>::contains_key(deadline));
		assert_noop!(approve_as(C, action), Error::<Test>::ActionNotFound);
	});
}

#[test]
fn a_policy_may_set_its_own_expiry() {
	new_test_ext().execute_with(|| {
		let policy = create_policy_with(&[("a", A), ("b", B)], "all([a, b])", None, Some(5));
		let action = submit_pending(A, policy, 1);
		assert_eq!(Actions::<Test>::get(action).unwrap().deadline, 6);
		run_to(5);
		assert!(Actions::<Test>::contains_key(action));
		run_to(6);
		assert_closed(action, A);
	});
}

#[test]
fn the_sweep_weight_counts_the_expired_actions() {
	new_test_ext().execute_with(|| {
		use crate::WeightInfo;
		let policy = create_policy_with(&[("a", A), ("b", B)], "all([a, b])", None, Some(3));
		let first = submit_pending(A, policy, 1);
		let second = submit_pending(B, policy, 2);
		let revoked = submit_pending(A, policy, 3);
		assert_ok!(Policy::revoke(RuntimeOrigin::signed(A), revoked));
		// Nothing is due before the deadline.
		System::set_block_number(2);
		assert_eq!(Policy::on_initialize(2), <() as WeightInfo>::expire_actions(0));
		System::set_block_number(4);
		assert_eq!(Policy::on_initialize(4), <() as WeightInfo>::expire_actions(2));
		let expired: Vec<_> = policy_events()
			.into_iter()
			.filter(|event| matches!(event, Event::ActionExpired { .. }))
			.collect();
		assert_eq!(
			expired,
			vec![Event::ActionExpired { action: first }, Event::ActionExpired { action: second }]
		);
		assert_closed(first, A);
		assert_closed(second, B);
	});
}

#[test]
fn a_full_expiry_block_pushes_the_deadline_to_the_next() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b, c])", None);
		let deadline = 1 + DEFAULT_EXPIRY;
		let actions: Vec<u64> =
			(0..MAX_EXPIRIES + 1).map(|i| submit_pending(A, policy, i)).collect();
		for action in &actions[..MAX_EXPIRIES as usize] {
			assert_eq!(Actions::<Test>::get(action).unwrap().deadline, deadline);
		}
		let last = *actions.last().unwrap();
		assert_eq!(Actions::<Test>::get(last).unwrap().deadline, deadline + 1);
		assert_eq!(ActionExpiries::<Test>::get(deadline + 1).to_vec(), vec![last]);
		run_to(deadline);
		assert_eq!(Actions::<Test>::iter().count(), 1);
		run_to(deadline + 1);
		assert_eq!(Actions::<Test>::iter().count(), 0);
		assert_eq!(free(A), INITIAL_BALANCE);
	});
}

#[test]
fn submission_is_refused_when_every_searched_expiry_block_is_full() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b, c])", None);
		let deadline = 1 + DEFAULT_EXPIRY;
		let full: BoundedVec<u64, ConstU32<MAX_EXPIRIES>> =
			BoundedVec::truncate_from(vec![u64::MAX; MAX_EXPIRIES as usize]);
		for offset in 0..u64::from(EXPIRY_SEARCH_BLOCKS) {
			ActionExpiries::<Test>::insert(deadline + offset, full.clone());
		}
		assert_noop!(submit(A, Some(policy), record(1), None), Error::<Test>::ExpiryQueueFull);
		// One slot free in the last searched block is enough.
		ActionExpiries::<Test>::mutate(deadline + u64::from(EXPIRY_SEARCH_BLOCKS) - 1, |ids| {
			ids.pop();
		});
		let action = submit_pending(A, policy, 1);
		assert_eq!(
			Actions::<Test>::get(action).unwrap().deadline,
			deadline + u64::from(EXPIRY_SEARCH_BLOCKS) - 1
		);
		// Ids in the index without an action are skipped by the sweep.
		run_to(deadline + 1);
		assert!(Actions::<Test>::contains_key(action));
	});
}

// ------------------------------------------------------------------------------------------------
// Deposits
// ------------------------------------------------------------------------------------------------

#[test]
fn the_deposit_is_returned_at_every_terminal_state() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b])", Some("all([b, c])"));
		let deposit = record_deposit(1);
		let fresh = || {
			let action = submit_pending(A, policy, 1);
			assert_eq!(action_hold(A), deposit);
			assert_eq!(free(A), INITIAL_BALANCE - deposit);
			action
		};
		// Completed.
		let action = fresh();
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), action));
		assert!(matches!(last_policy_event(), Event::ActionCompleted { .. }));
		assert_closed(action, A);
		// Failed.
		let failed = match submit(A, Some(policy), failing(), None) {
			Ok(GateOutcome::Pending(id)) => id,
			other => panic!("{other:?}"),
		};
		assert!(action_hold(A) > 0);
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), failed));
		assert!(matches!(last_policy_event(), Event::ActionFailed { .. }));
		assert_closed(failed, A);
		// Rejected.
		let action = fresh();
		assert_ok!(Policy::reject(RuntimeOrigin::signed(B), action));
		assert_ok!(Policy::reject(RuntimeOrigin::signed(C), action));
		assert!(matches!(last_policy_event(), Event::ActionRejected { .. }));
		assert_closed(action, A);
		// Revoked.
		let action = fresh();
		assert_ok!(Policy::revoke(RuntimeOrigin::signed(A), action));
		assert_closed(action, A);
		// Expired.
		let action = fresh();
		run_to(System::block_number() + DEFAULT_EXPIRY);
		assert!(matches!(last_policy_event(), Event::ActionExpired { .. }));
		assert_closed(action, A);
		// The policy deposit stays held: policies are permanent.
		assert!(policy_hold(CREATOR) > 0);
	});
}

#[test]
fn deposits_of_several_actions_add_up() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b])", None);
		let one = submit_pending(A, policy, 1);
		let two = submit_pending(A, policy, 2);
		assert_eq!(action_hold(A), record_deposit(1) + record_deposit(2));
		assert_ok!(Policy::revoke(RuntimeOrigin::signed(A), one));
		assert_eq!(action_hold(A), record_deposit(2));
		assert_ok!(Policy::approve(RuntimeOrigin::signed(B), two));
		assert_eq!(action_hold(A), 0);
		assert_eq!(free(A), INITIAL_BALANCE);
	});
}

// ------------------------------------------------------------------------------------------------
// Queries
// ------------------------------------------------------------------------------------------------

#[test]
fn participants_of_a_policy() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("a", None);
		assert_eq!(
			<Policy as PolicyGate<AccountId, RuntimeCall>>::participants(policy),
			Ok(vec![A, B, C])
		);
		assert_eq!(
			<Policy as PolicyGate<AccountId, RuntimeCall>>::participants(42),
			Err(Error::<Test>::PolicyNotFound.into())
		);
	});
}

#[test]
fn pending_actions_and_action_detail() {
	new_test_ext().execute_with(|| {
		let policy = abc_policy("all([a, b, c])", Some("all([b, c])"));
		let first = submit_pending(A, policy, 1);
		let second = submit_pending(B, policy, 2);
		let mut pending = Policy::pending_actions(&C);
		pending.sort();
		assert_eq!(pending, vec![first, second]);
		assert!(Policy::pending_actions(&EVE).is_empty());

		let detail = Policy::action_detail(first).unwrap();
		assert_eq!(detail.id, first);
		assert_eq!(detail.workspace, WORKSPACE);
		assert_eq!(detail.policy, policy);
		assert_eq!(detail.requester, A);
		assert_eq!(detail.call, record(1).encode());
		assert_eq!(detail.approvals, vec![A]);
		assert!(detail.rejections.is_empty());
		assert_eq!(detail.missing_approvers, vec![B, C]);
		assert_eq!(detail.approve_rule, b"all([a, b, c])".to_vec());
		assert_eq!(detail.reject_rule, Some(b"all([b, c])".to_vec()));
		assert_eq!(detail.created, 1);
		assert_eq!(detail.deadline, 1 + DEFAULT_EXPIRY);
		assert_eq!(detail.deposit, record_deposit(1));

		assert_ok!(Policy::reject(RuntimeOrigin::signed(B), first));
		let detail = Policy::action_detail(first).unwrap();
		assert_eq!(detail.rejections, vec![B]);
		assert_eq!(detail.missing_approvers, vec![C]);

		assert_ok!(Policy::revoke(RuntimeOrigin::signed(A), first));
		assert!(Policy::action_detail(first).is_none());
		assert_eq!(Policy::pending_actions(&C), vec![second]);
		assert!(Policy::action_detail(99).is_none());
	});
}

// ------------------------------------------------------------------------------------------------
// Configuration
// ------------------------------------------------------------------------------------------------

#[test]
fn integrity_test_passes() {
	new_test_ext().execute_with(|| {
		<Policy as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn storage_is_bounded() {
	use codec::MaxEncodedLen;
	// `MaxEncodedLen` exists for every stored type (no `without_storage_info`).
	assert!(crate::Policy::<Test>::max_encoded_len() > 0);
	assert!(Action::<Test>::max_encoded_len() >= MAX_CALL_SIZE as usize);
}

#[test]
fn the_submit_weight_is_the_benchmarked_one() {
	use crate::WeightInfo;
	assert_eq!(
		<Policy as PolicyGate<AccountId, RuntimeCall>>::submit_weight(),
		// Both rules may read the spending ledger up to four times each.
		<() as WeightInfo>::submit() + Weight::from_parts(8_000, 80)
	);
	let _ = Weight::zero();
}
