//! # The rule language of policies
//!
//! A policy has an *approve* rule and optionally a *reject* rule, written as text when the policy
//! is created. The text is parsed and checked on chain once, at creation, and stored together with
//! a compact compiled form (a bounded list of [`Op`]s in reverse Polish notation, participant
//! labels replaced by participant indexes, text literals normalised into a bounded table). Every
//! later evaluation runs the compiled form on an explicit, bounded stack: no recursion, no
//! allocation beyond the rule's own length, no panics.
//!
//! ## Syntax
//!
//! ```text
//! rule        := or
//! or          := and ( "||" and )*
//! and         := comparison ( "&&" comparison )*
//! comparison  := additive ( ( ">" | ">=" | "<" | "<=" | "==" | "!=" ) additive
//!                         | "in" ( texts | LIST ) )?
//! additive    := product ( ( "+" | "-" ) product )*
//! product     := unary ( "*" unary )*
//! unary       := "!" unary | power
//! power       := primary ( "^" primary )?
//! primary     := INTEGER | TEXT | LABEL | FACT | "(" rule ")"
//!              | "any" "(" INTEGER "," labels ")" | "all" "(" labels ")"
//!              | "spent" "(" rule "," INTEGER ")"
//! labels      := "[" LABEL ( "," LABEL )* "]"
//! texts       := "[" TEXT ( "," TEXT )* "]"
//! ```
//!
//! - A participant `LABEL` (letters, digits and `_`, not starting with a digit) is `1` when that
//!   participant has voted (approved, in the approve rule; rejected, in the reject rule) and `0`
//!   otherwise. Labels are case-sensitive; `any`, `all`, `in`, `spent` and `tx` are reserved.
//! - `INTEGER` is a non-negative decimal literal up to `i128::MAX`. Arithmetic is on `i128` and
//!   checked: an overflow makes the expression *unknown* (see below). There is no unary minus;
//!   write `0 - 5`. `a ^ b` is `a` to the power `b` (`10 ^ 6`).
//! - `TEXT` is a double-quoted literal of 1 to 64 printable ASCII characters without `"` or
//!   `\`, e.g. `"eip155:1"`. An EVM address (`0x` and 40 hex digits) is checked (mixed case must
//!   be its EIP-55 checksum) and stored in EIP-55 form; a bech32 Bitcoin address is stored in
//!   lower case; everything else as written. Facts use the same forms, so `==` compares texts
//!   byte for byte.
//! - `any(n, [a, b, c])` holds when at least `n` of the listed participants voted
//!   (`1 <= n <= list length`); `all([a, b])` when all of them did. A list names each participant
//!   at most once.
//! - Facts of the gated operation ([`PolicyContext`]): numbers `tx.value`, `tx.token_amount`,
//!   `tx.fee`; texts `tx.chain`, `tx.to`, `tx.token`, `tx.spender`, `tx.kind`.
//! - `x in ["a", "b"]` holds when the text `x` is one of the listed texts; `x in name` when it
//!   is in the policy's address list `name` (kept with the policy, so a long list is written
//!   once and used by both rules).
//! - `spent(token, seconds)` is the amount of `token` (usually `tx.token`, or `"native"` for the
//!   chain's coin) that the key being used signed for on this chain in the last `seconds`
//!   (1 to the ledger's longest window), as recorded when signature requests were approved.
//! - Comparisons and logic yield `1` (true) or `0` (false); any non-zero value counts as true, so
//!   `a && b`, `!a` and `a + b + c >= 2` all work. Comparisons do not chain (`a < b < c` is an
//!   error). Texts may only be compared with `==`, `!=` and `in`; mixing a text and a number is
//!   an error at creation.
//! - Precedence, loosest first: `||`, `&&`, comparisons and `in`, `+ -`, `*`, `!`, `^`.
//!
//! ## Unknown values
//!
//! When the gated operation did not supply a fact (e.g. `tx.value` when adding a workspace owner,
//! `tx.token` of a plain transfer), spent(...) has no ledger to read, or an arithmetic operation
//! overflows, the value is *unknown*. Unknown propagates through arithmetic, comparisons, `in`
//! and `!`; `x || unknown` is true when `x` is true and `x && unknown` is false when `x` is false
//! (three-valued, Kleene logic). **A rule whose result is unknown is not satisfied**, so
//! `tx.value <= 1000` never approves an operation without a value, `tx.to in wallets` never
//! approves one without a recipient, and `!(tx.value > 1000)` does not either, while
//! `tx.value <= 1000 || any(2, [a, b, c])` is satisfied by two approvals whatever the operation.

use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	traits::{ConstU32, Get},
	BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use zenrock_primitives::{FactText, PolicyContext, MAX_FACT_TEXT};

/// A text literal or fact, normalised (see the module docs).
pub type Text = FactText;

/// Words that cannot be participant labels.
pub const RESERVED_WORDS: &[&[u8]] = &[b"any", b"all", b"tx", b"in", b"spent"];

/// The name of the transaction value context variable.
pub const TX_VALUE: &[u8] = b"tx.value";

/// The most text literals one rule may hold (inline `in [...]` items included).
pub const MAX_RULE_TEXTS: u32 = 32;

/// The most spent(...) calls one rule may make (each reads the ledger once per evaluation).
pub const MAX_SPENT_CALLS: u32 = 4;

/// A fact of the gated operation, read from its [`PolicyContext`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub enum Fact {
	/// `tx.token_amount` (number).
	TokenAmount,
	/// `tx.fee` (number).
	Fee,
	/// `tx.chain` (text).
	Chain,
	/// `tx.to` (text).
	To,
	/// `tx.token` (text).
	Token,
	/// `tx.spender` (text).
	Spender,
	/// `tx.kind` (text).
	Kind,
}

/// The facts by name; `tx.value` is [`Op::TxValue`].
const FACTS: &[(&[u8], Fact)] = &[
	(b"tx.token_amount", Fact::TokenAmount),
	(b"tx.fee", Fact::Fee),
	(b"tx.chain", Fact::Chain),
	(b"tx.to", Fact::To),
	(b"tx.token", Fact::Token),
	(b"tx.spender", Fact::Spender),
	(b"tx.kind", Fact::Kind),
];

impl Fact {
	fn value_type(self) -> Type {
		match self {
			Fact::TokenAmount | Fact::Fee => Type::Number,
			Fact::Chain | Fact::To | Fact::Token | Fact::Spender | Fact::Kind => Type::Text,
		}
	}
}

/// One instruction of a compiled rule (reverse Polish notation). New instructions are only ever
/// appended, so stored rules keep decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub enum Op {
	/// Push `1` if the participant at this index of the policy voted, else `0`.
	Participant(u32),
	/// Push an integer literal.
	Literal(i128),
	/// Push the context's `tx.value` (unknown when not supplied or larger than `i128::MAX`).
	TxValue,
	/// Pop two values, push their sum.
	Add,
	/// Pop two values, push the first minus the second.
	Sub,
	/// Pop two values, push their product.
	Mul,
	/// Pop two values, push `first > second`.
	Gt,
	/// Pop two values, push `first >= second`.
	Ge,
	/// Pop two values, push `first < second`.
	Lt,
	/// Pop two values, push `first <= second`.
	Le,
	/// Pop two values (numbers or texts), push `first == second`.
	Eq,
	/// Pop two values (numbers or texts), push `first != second`.
	Ne,
	/// Pop two values, push their (three-valued) conjunction.
	And,
	/// Pop two values, push their (three-valued) disjunction.
	Or,
	/// Pop one value, push its negation.
	Not,
	/// Push a fact of the context (unknown when not supplied).
	Fact(Fact),
	/// Push the rule's text literal at this index.
	Text(u32),
	/// Pop a text, push whether it is one of the rule's texts `first .. first + count`.
	InTexts {
		/// The first text of the list.
		first: u32,
		/// How many texts the list has.
		count: u32,
	},
	/// Pop a text, push whether it is in the policy's address list at this index.
	InList(u32),
	/// Pop a token text, push the amount of it the key signed for in the last this many
	/// seconds.
	Spent(u32),
	/// Pop two values, push the first to the power of the second.
	Pow,
}

/// A rule as stored: the text its author wrote and the compiled form that is evaluated.
#[derive(
	Encode, Decode, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(S))]
#[codec(mel_bound(S: Get<u32>))]
pub struct Rule<S: Get<u32>> {
	/// The rule's text, as written at creation (UTF-8, ASCII in practice).
	pub text: BoundedVec<u8, S>,
	/// The compiled instructions (never more than the text's length).
	pub ops: BoundedVec<Op, S>,
	/// The text literals, normalised, that [`Op::Text`] and [`Op::InTexts`] refer to.
	pub texts: BoundedVec<Text, ConstU32<MAX_RULE_TEXTS>>,
}

impl<S: Get<u32>> Rule<S> {
	/// Whether the rule holds for `votes` (index `i`: whether participant `i` voted) in
	/// `environment`.
	pub fn holds(&self, votes: &[bool], environment: &Environment<'_>) -> bool {
		holds(&self.ops, &self.texts, votes, environment)
	}

	/// How many times an evaluation reads the spending ledger.
	pub fn spent_calls(&self) -> u32 {
		spent_calls(&self.ops)
	}
}

/// How many [`Op::Spent`] `ops` has.
pub fn spent_calls(ops: &[Op]) -> u32 {
	let count = ops.iter().filter(|op| matches!(op, Op::Spent(_))).count();
	u32::try_from(count).unwrap_or(u32::MAX)
}

/// What a rule may name besides facts: the policy's participant labels and address lists, and
/// the longest window spent(...) may ask for.
#[derive(Clone, Copy, Debug)]
pub struct Vocabulary<'a> {
	/// The participants' labels, by index.
	pub labels: &'a [&'a [u8]],
	/// The names of the policy's address lists, by index.
	pub lists: &'a [&'a [u8]],
	/// The longest spent(...) window, in seconds (0: spent(...) is not available).
	pub max_spent_window: u32,
}

/// What an evaluation reads besides the votes: the operation's facts, the policy's address
/// lists and the spending ledger (token, window in seconds → amount; `None`: unknown).
#[derive(Clone, Copy)]
pub struct Environment<'a> {
	/// The facts of the gated operation.
	pub context: &'a PolicyContext,
	/// The policy's address lists, by index.
	pub lists: &'a [&'a [Text]],
	/// The amount of a token signed for over a window (see [`Op::Spent`]).
	pub spent: &'a dyn Fn(&[u8], u32) -> Option<u128>,
}

fn nothing_spent_known(_: &[u8], _: u32) -> Option<u128> {
	None
}

impl<'a> Environment<'a> {
	/// Facts only: no address lists, spent(...) unknown.
	pub fn of(context: &'a PolicyContext) -> Self {
		Environment { context, lists: &[], spent: &nothing_spent_known }
	}
}

/// What is wrong with a rule's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleError {
	/// The text is empty or only whitespace.
	Empty,
	/// The text is longer than allowed (or compiles to more instructions than allowed).
	TooLong,
	/// Parentheses, `!` and nested expressions go deeper than allowed.
	TooDeep,
	/// A byte that is not part of the language.
	InvalidCharacter,
	/// Tokens in an order the grammar does not allow.
	Syntax,
	/// The text ends where more was expected.
	UnexpectedEnd,
	/// An identifier that is not a participant label, a fact, a list or a function.
	UnknownIdentifier,
	/// An integer literal larger than `i128::MAX`.
	LiteralTooLarge,
	/// The threshold of `any(n, [...])` is not a literal between 1 and the list's length.
	BadThreshold,
	/// A participant list of `any`/`all` or a text list of `in` is empty.
	EmptyList,
	/// A participant list holds something other than participant labels.
	ListItemNotParticipant,
	/// A list names the same participant or text twice.
	DuplicateInList,
	/// A text and a number are combined, or a text is used where a number is needed (or the
	/// other way round).
	TypeMismatch,
	/// A text literal is empty, longer than 64 bytes, unterminated or holds a character other
	/// than printable ASCII without `"` and `\`.
	InvalidText,
	/// A text literal looks like an EVM address but is not one (mixed case that is not its
	/// EIP-55 checksum).
	InvalidAddress,
	/// The rule holds more text literals than allowed.
	TooManyTexts,
	/// The window of spent(...) is not a literal from 1 to the ledger's longest window.
	BadWindow,
	/// The rule calls spent(...) more often than allowed.
	TooManySpentCalls,
}

/// Whether `label` can name a participant: an identifier (`[A-Za-z_][A-Za-z0-9_]*`) that is not a
/// reserved word.
pub fn is_valid_label(label: &[u8]) -> bool {
	let mut bytes = label.iter();
	let first_ok = matches!(bytes.next(), Some(c) if c.is_ascii_alphabetic() || *c == b'_');
	first_ok
		&& bytes.all(|c| c.is_ascii_alphanumeric() || *c == b'_')
		&& !RESERVED_WORDS.contains(&label)
}

/// The stored form of a text literal or address-list item (see the module docs).
pub fn normalize_text(raw: &[u8]) -> Result<Text, RuleError> {
	if raw.is_empty() || raw.len() > MAX_FACT_TEXT as usize {
		return Err(RuleError::InvalidText);
	}
	if !raw.iter().all(|c| c.is_ascii_graphic() && *c != b'"' && *c != b'\\') {
		return Err(RuleError::InvalidText);
	}
	let looks_evm = raw.len() == 42
		&& matches!(raw.get(..2), Some(b"0x") | Some(b"0X"))
		&& raw.iter().skip(2).all(|c| c.is_ascii_hexdigit());
	let normalized = if looks_evm {
		let text = core::str::from_utf8(raw).map_err(|_| RuleError::InvalidText)?;
		let address = zenrock_chain_formats::address::parse_evm_address(text)
			.map_err(|_| RuleError::InvalidAddress)?;
		zenrock_chain_formats::address::evm_checksum_address(&address).into_bytes()
	} else {
		let lower = raw.to_ascii_lowercase();
		if [&b"bc1"[..], b"tb1", b"bcrt1"].iter().any(|prefix| lower.starts_with(prefix)) {
			lower
		} else {
			raw.to_vec()
		}
	};
	Text::try_from(normalized).map_err(|_| RuleError::InvalidText)
}

/// The stored form of an address-list item: exactly 20 bytes are a raw EVM address (clients
/// such as Polkadot.js encode a `0x`-hex string argument as its bytes; no address text has 20
/// characters), stored in EIP-55 form; anything else a text as [`normalize_text`] takes it.
pub fn normalize_list_item(item: &[u8]) -> Result<Text, RuleError> {
	match <[u8; 20]>::try_from(item) {
		Ok(address) => {
			let text = zenrock_chain_formats::address::evm_checksum_address(&address);
			Text::try_from(text.into_bytes()).map_err(|_| RuleError::InvalidText)
		}
		Err(_) => normalize_text(item),
	}
}

/// Parse and check `text` against the policy's `vocabulary`, producing the stored rule.
///
/// `S` bounds both the text length in bytes and the number of compiled instructions; `max_depth`
/// bounds nesting (each parenthesised group, function argument list and `!` is one level, the
/// whole rule is the first). Never panics, whatever the input.
pub fn compile<S: Get<u32>>(
	text: &[u8],
	vocabulary: &Vocabulary<'_>,
	max_depth: u32,
) -> Result<Rule<S>, RuleError> {
	let max_len = S::get() as usize;
	if text.len() > max_len {
		return Err(RuleError::TooLong);
	}
	let tokens = lex(text)?;
	if tokens.is_empty() {
		return Err(RuleError::Empty);
	}
	let mut parser = Parser {
		tokens: &tokens,
		pos: 0,
		vocabulary,
		ops: Vec::new(),
		texts: Vec::new(),
		depth: 0,
		max_depth,
		max_ops: max_len,
	};
	let rule_type = parser.expression()?;
	if parser.pos != tokens.len() {
		return Err(RuleError::Syntax);
	}
	if rule_type != Type::Number {
		return Err(RuleError::TypeMismatch);
	}
	if spent_calls(&parser.ops) > MAX_SPENT_CALLS {
		return Err(RuleError::TooManySpentCalls);
	}
	let ops = BoundedVec::try_from(parser.ops).map_err(|_| RuleError::TooLong)?;
	let texts = BoundedVec::try_from(parser.texts).map_err(|_| RuleError::TooManyTexts)?;
	let text = BoundedVec::try_from(text.to_vec()).map_err(|_| RuleError::TooLong)?;
	Ok(Rule { text, ops, texts })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'a> {
	Ident(&'a [u8]),
	Number(i128),
	Str(&'a [u8]),
	Plus,
	Minus,
	Star,
	Caret,
	LParen,
	RParen,
	LBracket,
	RBracket,
	Comma,
	Gt,
	Ge,
	Lt,
	Le,
	EqEq,
	Ne,
	Not,
	AndAnd,
	OrOr,
}

fn lex(text: &[u8]) -> Result<Vec<Token<'_>>, RuleError> {
	let mut tokens = Vec::new();
	let mut i = 0usize;
	while let Some(&c) = text.get(i) {
		let next = text.get(i.saturating_add(1)).copied();
		// (token, bytes consumed); `None` for whitespace.
		let (token, width) = match c {
			b' ' | b'\t' | b'\n' | b'\r' => (None, 1),
			b'0'..=b'9' => {
				let mut value: i128 = 0;
				let mut width = 0usize;
				while let Some(&digit) = text.get(i.saturating_add(width)) {
					if !digit.is_ascii_digit() {
						break;
					}
					value = value
						.checked_mul(10)
						.and_then(|v| v.checked_add(i128::from(digit - b'0')))
						.ok_or(RuleError::LiteralTooLarge)?;
					width = width.saturating_add(1);
				}
				(Some(Token::Number(value)), width)
			}
			c if c.is_ascii_alphabetic() || c == b'_' => {
				let mut width = 0usize;
				while let Some(&ch) = text.get(i.saturating_add(width)) {
					if !(ch.is_ascii_alphanumeric() || ch == b'_' || ch == b'.') {
						break;
					}
					width = width.saturating_add(1);
				}
				let ident = text.get(i..i.saturating_add(width)).unwrap_or_default();
				(Some(Token::Ident(ident)), width)
			}
			b'"' => {
				let body = text.get(i.saturating_add(1)..).unwrap_or_default();
				let end = body.iter().position(|ch| *ch == b'"').ok_or(RuleError::InvalidText)?;
				let content = body.get(..end).unwrap_or_default();
				(Some(Token::Str(content)), end.saturating_add(2))
			}
			b'+' => (Some(Token::Plus), 1),
			b'-' => (Some(Token::Minus), 1),
			b'*' => (Some(Token::Star), 1),
			b'^' => (Some(Token::Caret), 1),
			b'(' => (Some(Token::LParen), 1),
			b')' => (Some(Token::RParen), 1),
			b'[' => (Some(Token::LBracket), 1),
			b']' => (Some(Token::RBracket), 1),
			b',' => (Some(Token::Comma), 1),
			b'>' if next == Some(b'=') => (Some(Token::Ge), 2),
			b'>' => (Some(Token::Gt), 1),
			b'<' if next == Some(b'=') => (Some(Token::Le), 2),
			b'<' => (Some(Token::Lt), 1),
			b'=' if next == Some(b'=') => (Some(Token::EqEq), 2),
			b'!' if next == Some(b'=') => (Some(Token::Ne), 2),
			b'!' => (Some(Token::Not), 1),
			b'&' if next == Some(b'&') => (Some(Token::AndAnd), 2),
			b'|' if next == Some(b'|') => (Some(Token::OrOr), 2),
			// A lone `=`, `&` or `|` is a misspelt operator.
			b'=' | b'&' | b'|' => return Err(RuleError::Syntax),
			_ => return Err(RuleError::InvalidCharacter),
		};
		if let Some(token) = token {
			tokens.push(token);
		}
		i = i.saturating_add(width);
	}
	Ok(tokens)
}

/// The type of an expression, checked at compilation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Type {
	Number,
	Text,
}

fn require(actual: Type, wanted: Type) -> Result<(), RuleError> {
	if actual == wanted {
		Ok(())
	} else {
		Err(RuleError::TypeMismatch)
	}
}

struct Parser<'t, 'v> {
	tokens: &'t [Token<'t>],
	pos: usize,
	vocabulary: &'v Vocabulary<'v>,
	ops: Vec<Op>,
	texts: Vec<Text>,
	depth: u32,
	max_depth: u32,
	max_ops: usize,
}

fn comparison_op(token: Token<'_>) -> Option<Op> {
	match token {
		Token::Gt => Some(Op::Gt),
		Token::Ge => Some(Op::Ge),
		Token::Lt => Some(Op::Lt),
		Token::Le => Some(Op::Le),
		Token::EqEq => Some(Op::Eq),
		Token::Ne => Some(Op::Ne),
		_ => None,
	}
}

fn is_comparison(token: Token<'_>) -> bool {
	comparison_op(token).is_some() || token == Token::Ident(b"in")
}

impl<'t, 'v> Parser<'t, 'v> {
	fn peek(&self) -> Option<Token<'t>> {
		self.tokens.get(self.pos).copied()
	}

	fn advance(&mut self) -> Option<Token<'t>> {
		let token = self.peek();
		if token.is_some() {
			self.pos = self.pos.saturating_add(1);
		}
		token
	}

	fn expect(&mut self, wanted: Token<'_>) -> Result<(), RuleError> {
		match self.advance() {
			Some(token) if token == wanted => Ok(()),
			Some(_) => Err(RuleError::Syntax),
			None => Err(RuleError::UnexpectedEnd),
		}
	}

	fn emit(&mut self, op: Op) -> Result<(), RuleError> {
		if self.ops.len() >= self.max_ops {
			return Err(RuleError::TooLong);
		}
		self.ops.push(op);
		Ok(())
	}

	/// Store a text literal; its index.
	fn add_text(&mut self, raw: &[u8]) -> Result<u32, RuleError> {
		let text = normalize_text(raw)?;
		if self.texts.len() >= MAX_RULE_TEXTS as usize {
			return Err(RuleError::TooManyTexts);
		}
		let index = u32::try_from(self.texts.len()).map_err(|_| RuleError::TooManyTexts)?;
		self.texts.push(text);
		Ok(index)
	}

	fn enter(&mut self) -> Result<(), RuleError> {
		self.depth = self.depth.saturating_add(1);
		if self.depth > self.max_depth {
			return Err(RuleError::TooDeep);
		}
		Ok(())
	}

	fn leave(&mut self) {
		self.depth = self.depth.saturating_sub(1);
	}

	fn label_index(&self, name: &[u8]) -> Option<u32> {
		position(self.vocabulary.labels, name)
	}

	fn expression(&mut self) -> Result<Type, RuleError> {
		self.enter()?;
		let value_type = self.or()?;
		self.leave();
		Ok(value_type)
	}

	fn or(&mut self) -> Result<Type, RuleError> {
		let left = self.and()?;
		while self.peek() == Some(Token::OrOr) {
			require(left, Type::Number)?;
			self.advance();
			require(self.and()?, Type::Number)?;
			self.emit(Op::Or)?;
		}
		Ok(left)
	}

	fn and(&mut self) -> Result<Type, RuleError> {
		let left = self.comparison()?;
		while self.peek() == Some(Token::AndAnd) {
			require(left, Type::Number)?;
			self.advance();
			require(self.comparison()?, Type::Number)?;
			self.emit(Op::And)?;
		}
		Ok(left)
	}

	fn comparison(&mut self) -> Result<Type, RuleError> {
		let left = self.additive()?;
		let Some(token) = self.peek() else { return Ok(left) };
		if token == Token::Ident(b"in") {
			self.advance();
			require(left, Type::Text)?;
			self.membership()?;
		} else if let Some(op) = comparison_op(token) {
			self.advance();
			let right = self.additive()?;
			require(right, left)?;
			if left == Type::Text && !matches!(op, Op::Eq | Op::Ne) {
				return Err(RuleError::TypeMismatch);
			}
			self.emit(op)?;
		} else {
			return Ok(left);
		}
		if self.peek().is_some_and(is_comparison) {
			// `a < b < c`: comparisons do not chain.
			return Err(RuleError::Syntax);
		}
		Ok(Type::Number)
	}

	/// After `in`: `["a", "b"]` or the name of an address list.
	fn membership(&mut self) -> Result<(), RuleError> {
		match self.advance() {
			Some(Token::LBracket) => {}
			Some(Token::Ident(name)) => {
				let index =
					position(self.vocabulary.lists, name).ok_or(RuleError::UnknownIdentifier)?;
				return self.emit(Op::InList(index));
			}
			Some(_) => return Err(RuleError::Syntax),
			None => return Err(RuleError::UnexpectedEnd),
		}
		if self.peek() == Some(Token::RBracket) {
			return Err(RuleError::EmptyList);
		}
		let first = u32::try_from(self.texts.len()).map_err(|_| RuleError::TooManyTexts)?;
		loop {
			match self.advance() {
				Some(Token::Str(raw)) => {
					let text = normalize_text(raw)?;
					if self.texts.iter().skip(first as usize).any(|seen| *seen == text) {
						return Err(RuleError::DuplicateInList);
					}
					self.add_text(raw)?;
				}
				Some(_) => return Err(RuleError::TypeMismatch),
				None => return Err(RuleError::UnexpectedEnd),
			}
			match self.advance() {
				Some(Token::Comma) => continue,
				Some(Token::RBracket) => break,
				Some(_) => return Err(RuleError::Syntax),
				None => return Err(RuleError::UnexpectedEnd),
			}
		}
		let end = u32::try_from(self.texts.len()).map_err(|_| RuleError::TooManyTexts)?;
		self.emit(Op::InTexts { first, count: end.saturating_sub(first) })
	}

	fn additive(&mut self) -> Result<Type, RuleError> {
		let left = self.product()?;
		loop {
			let op = match self.peek() {
				Some(Token::Plus) => Op::Add,
				Some(Token::Minus) => Op::Sub,
				_ => return Ok(left),
			};
			require(left, Type::Number)?;
			self.advance();
			require(self.product()?, Type::Number)?;
			self.emit(op)?;
		}
	}

	fn product(&mut self) -> Result<Type, RuleError> {
		let left = self.unary()?;
		while self.peek() == Some(Token::Star) {
			require(left, Type::Number)?;
			self.advance();
			require(self.unary()?, Type::Number)?;
			self.emit(Op::Mul)?;
		}
		Ok(left)
	}

	fn unary(&mut self) -> Result<Type, RuleError> {
		if self.peek() == Some(Token::Not) {
			self.advance();
			self.enter()?;
			require(self.unary()?, Type::Number)?;
			self.leave();
			self.emit(Op::Not)?;
			return Ok(Type::Number);
		}
		self.power()
	}

	fn power(&mut self) -> Result<Type, RuleError> {
		let base = self.primary()?;
		if self.peek() == Some(Token::Caret) {
			require(base, Type::Number)?;
			self.advance();
			require(self.primary()?, Type::Number)?;
			self.emit(Op::Pow)?;
		}
		Ok(base)
	}

	fn primary(&mut self) -> Result<Type, RuleError> {
		match self.advance() {
			None => Err(RuleError::UnexpectedEnd),
			Some(Token::Number(value)) => self.emit(Op::Literal(value)).map(|_| Type::Number),
			Some(Token::Str(raw)) => {
				let index = self.add_text(raw)?;
				self.emit(Op::Text(index)).map(|_| Type::Text)
			}
			Some(Token::LParen) => {
				let inner = self.expression()?;
				self.expect(Token::RParen)?;
				Ok(inner)
			}
			Some(Token::Ident(b"any")) => self.any().map(|_| Type::Number),
			Some(Token::Ident(b"all")) => self.all().map(|_| Type::Number),
			Some(Token::Ident(b"spent")) => self.spent().map(|_| Type::Number),
			Some(Token::Ident(name)) if name == TX_VALUE => {
				self.emit(Op::TxValue).map(|_| Type::Number)
			}
			Some(Token::Ident(name)) => {
				if let Some((_, fact)) = FACTS.iter().find(|(fact_name, _)| *fact_name == name) {
					return self.emit(Op::Fact(*fact)).map(|_| fact.value_type());
				}
				match self.label_index(name) {
					Some(index) => self.emit(Op::Participant(index)).map(|_| Type::Number),
					None => Err(RuleError::UnknownIdentifier),
				}
			}
			Some(_) => Err(RuleError::Syntax),
		}
	}

	/// `spent(token, seconds)`: the token expression, then the window.
	fn spent(&mut self) -> Result<(), RuleError> {
		self.enter()?;
		self.expect(Token::LParen)?;
		require(self.expression()?, Type::Text)?;
		self.expect(Token::Comma)?;
		let window = match self.advance() {
			Some(Token::Number(seconds)) => seconds,
			Some(_) => return Err(RuleError::BadWindow),
			None => return Err(RuleError::UnexpectedEnd),
		};
		self.expect(Token::RParen)?;
		let window = u32::try_from(window).map_err(|_| RuleError::BadWindow)?;
		if window == 0 || window > self.vocabulary.max_spent_window {
			return Err(RuleError::BadWindow);
		}
		self.emit(Op::Spent(window))?;
		self.leave();
		Ok(())
	}

	/// `any(n, [a, b, c])`, compiled to `a b + c + n >=`.
	fn any(&mut self) -> Result<(), RuleError> {
		self.enter()?;
		self.expect(Token::LParen)?;
		let threshold = match self.advance() {
			Some(Token::Number(n)) => n,
			Some(_) => return Err(RuleError::BadThreshold),
			None => return Err(RuleError::UnexpectedEnd),
		};
		self.expect(Token::Comma)?;
		let members = self.list()?;
		self.expect(Token::RParen)?;
		let count = i128::try_from(members.len()).map_err(|_| RuleError::TooLong)?;
		if threshold < 1 || threshold > count {
			return Err(RuleError::BadThreshold);
		}
		self.emit_count(&members)?;
		self.emit(Op::Literal(threshold))?;
		self.emit(Op::Ge)?;
		self.leave();
		Ok(())
	}

	/// `all([a, b])`, compiled to `a b + 2 >=`.
	fn all(&mut self) -> Result<(), RuleError> {
		self.enter()?;
		self.expect(Token::LParen)?;
		let members = self.list()?;
		self.expect(Token::RParen)?;
		let count = i128::try_from(members.len()).map_err(|_| RuleError::TooLong)?;
		self.emit_count(&members)?;
		self.emit(Op::Literal(count))?;
		self.emit(Op::Ge)?;
		self.leave();
		Ok(())
	}

	fn emit_count(&mut self, members: &[u32]) -> Result<(), RuleError> {
		for (position, index) in members.iter().enumerate() {
			self.emit(Op::Participant(*index))?;
			if position > 0 {
				self.emit(Op::Add)?;
			}
		}
		Ok(())
	}

	/// `[label, label, ...]`: the participant indexes, each at most once.
	fn list(&mut self) -> Result<Vec<u32>, RuleError> {
		self.expect(Token::LBracket)?;
		if self.peek() == Some(Token::RBracket) {
			return Err(RuleError::EmptyList);
		}
		let mut members = Vec::new();
		loop {
			let index = match self.advance() {
				Some(Token::Ident(name)) => match self.label_index(name) {
					Some(index) => index,
					None if name == TX_VALUE
						|| RESERVED_WORDS.contains(&name)
						|| FACTS.iter().any(|(fact, _)| *fact == name) =>
					{
						return Err(RuleError::ListItemNotParticipant)
					}
					None => return Err(RuleError::UnknownIdentifier),
				},
				Some(_) => return Err(RuleError::ListItemNotParticipant),
				None => return Err(RuleError::UnexpectedEnd),
			};
			if members.contains(&index) {
				return Err(RuleError::DuplicateInList);
			}
			// A list can never be longer than the instructions it compiles to.
			if members.len() >= self.max_ops {
				return Err(RuleError::TooLong);
			}
			members.push(index);
			match self.advance() {
				Some(Token::Comma) => continue,
				Some(Token::RBracket) => return Ok(members),
				Some(_) => return Err(RuleError::Syntax),
				None => return Err(RuleError::UnexpectedEnd),
			}
		}
	}
}

fn position(names: &[&[u8]], name: &[u8]) -> Option<u32> {
	names.iter().position(|candidate| *candidate == name).and_then(|i| u32::try_from(i).ok())
}

/// A value during evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Value<'a> {
	Number(i128),
	Text(&'a [u8]),
}

/// A stack slot: `None` is *unknown*.
type Slot<'a> = Option<Value<'a>>;

fn truth<'a>(value: bool) -> Slot<'a> {
	Some(Value::Number(i128::from(value)))
}

fn number(slot: Slot<'_>) -> Option<i128> {
	match slot {
		Some(Value::Number(value)) => Some(value),
		_ => None,
	}
}

fn and<'a>(left: Option<i128>, right: Option<i128>) -> Slot<'a> {
	match (left, right) {
		(Some(0), _) | (_, Some(0)) => truth(false),
		(Some(_), Some(_)) => truth(true),
		_ => None,
	}
}

fn or<'a>(left: Option<i128>, right: Option<i128>) -> Slot<'a> {
	match (left, right) {
		(Some(l), _) if l != 0 => truth(true),
		(_, Some(r)) if r != 0 => truth(true),
		(Some(_), Some(_)) => truth(false),
		_ => None,
	}
}

fn fact<'a>(context: &'a PolicyContext, fact: Fact) -> Slot<'a> {
	let text = |text: &'a Option<Text>| text.as_ref().map(|text| Value::Text(&text[..]));
	let number =
		|value: Option<u128>| value.and_then(|value| i128::try_from(value).ok()).map(Value::Number);
	match fact {
		Fact::TokenAmount => number(context.token_amount),
		Fact::Fee => number(context.fee),
		Fact::Chain => text(&context.chain),
		Fact::To => text(&context.to),
		Fact::Token => text(&context.token),
		Fact::Spender => text(&context.spender),
		Fact::Kind => text(&context.kind),
	}
}

/// Evaluate compiled `ops` with their `texts`: `Some(value)`, or `None` when the result is
/// unknown (a missing fact, an overflow) or the instructions are malformed.
///
/// `votes[i]` says whether participant `i` voted. Bounded: one pass over `ops`, a stack no
/// longer than `ops`, one ledger read per [`Op::Spent`].
pub fn evaluate(
	ops: &[Op],
	texts: &[Text],
	votes: &[bool],
	environment: &Environment<'_>,
) -> Option<i128> {
	let mut stack: Vec<Slot<'_>> = Vec::with_capacity(ops.len());
	for op in ops {
		let value = match *op {
			Op::Participant(index) => {
				let voted = votes.get(usize::try_from(index).ok()?)?;
				truth(*voted)
			}
			Op::Literal(value) => Some(Value::Number(value)),
			Op::TxValue => environment
				.context
				.tx_value
				.and_then(|value| i128::try_from(value).ok())
				.map(Value::Number),
			Op::Fact(which) => fact(environment.context, which),
			Op::Text(index) => Some(Value::Text(&texts.get(usize::try_from(index).ok()?)?[..])),
			Op::Not => number(stack.pop()?).map(|value| Value::Number(i128::from(value == 0))),
			Op::InTexts { first, count } => {
				let first = usize::try_from(first).ok()?;
				let end = first.checked_add(usize::try_from(count).ok()?)?;
				let list = texts.get(first..end)?;
				match stack.pop()? {
					Some(Value::Text(text)) => truth(list.iter().any(|item| &item[..] == text)),
					Some(Value::Number(_)) => return None,
					None => None,
				}
			}
			Op::InList(index) => {
				let list = environment.lists.get(usize::try_from(index).ok()?)?;
				match stack.pop()? {
					Some(Value::Text(text)) => truth(list.iter().any(|item| &item[..] == text)),
					Some(Value::Number(_)) => return None,
					None => None,
				}
			}
			Op::Spent(window) => match stack.pop()? {
				Some(Value::Text(token)) => (environment.spent)(token, window)
					.and_then(|amount| i128::try_from(amount).ok())
					.map(Value::Number),
				Some(Value::Number(_)) => return None,
				None => None,
			},
			binary => {
				let right = stack.pop()?;
				let left = stack.pop()?;
				match binary {
					Op::And => and(number(left), number(right)),
					Op::Or => or(number(left), number(right)),
					Op::Eq | Op::Ne => match (left, right) {
						(Some(l), Some(r)) => {
							let same_type = matches!(
								(l, r),
								(Value::Number(_), Value::Number(_))
									| (Value::Text(_), Value::Text(_))
							);
							if !same_type {
								return None;
							}
							truth((l == r) == (binary == Op::Eq))
						}
						_ => None,
					},
					_ => match (number(left), number(right)) {
						(Some(l), Some(r)) => match binary {
							Op::Add => l.checked_add(r).map(Value::Number),
							Op::Sub => l.checked_sub(r).map(Value::Number),
							Op::Mul => l.checked_mul(r).map(Value::Number),
							Op::Pow => u32::try_from(r)
								.ok()
								.and_then(|exponent| l.checked_pow(exponent))
								.map(Value::Number),
							Op::Gt => truth(l > r),
							Op::Ge => truth(l >= r),
							Op::Lt => truth(l < r),
							Op::Le => truth(l <= r),
							// Every other instruction was handled above.
							_ => return None,
						},
						_ => None,
					},
				}
			}
		};
		stack.push(value);
	}
	if stack.len() != 1 {
		return None;
	}
	number(stack.pop().flatten())
}

/// Whether compiled `ops` hold: their value is known and non-zero.
pub fn holds(ops: &[Op], texts: &[Text], votes: &[bool], environment: &Environment<'_>) -> bool {
	matches!(evaluate(ops, texts, votes, environment), Some(value) if value != 0)
}
