//! # The rule language of policies
//!
//! A policy has an *approve* rule and optionally a *reject* rule, written as text when the policy
//! is created. The text is parsed and checked on chain once, at creation, and stored together with
//! a compact compiled form (a bounded list of [`Op`]s in reverse Polish notation, participant
//! labels replaced by participant indexes). Every later evaluation runs the compiled form on an
//! explicit, bounded stack: no recursion, no allocation beyond the rule's own length, no panics.
//!
//! ## Syntax
//!
//! ```text
//! rule        := or
//! or          := and ( "||" and )*
//! and         := comparison ( "&&" comparison )*
//! comparison  := additive ( ( ">" | ">=" | "<" | "<=" | "==" | "!=" ) additive )?
//! additive    := product ( ( "+" | "-" ) product )*
//! product     := unary ( "*" unary )*
//! unary       := "!" unary | primary
//! primary     := INTEGER | LABEL | "tx.value" | "(" rule ")"
//!              | "any" "(" INTEGER "," list ")" | "all" "(" list ")"
//! list        := "[" LABEL ( "," LABEL )* "]"
//! ```
//!
//! - A participant `LABEL` (letters, digits and `_`, not starting with a digit) is `1` when that
//!   participant has voted (approved, in the approve rule; rejected, in the reject rule) and `0`
//!   otherwise. Labels are case-sensitive; `any`, `all` and `tx` are reserved.
//! - `INTEGER` is a non-negative decimal literal up to `i128::MAX`. Arithmetic is on `i128` and
//!   checked: an overflow makes the expression *unknown* (see below). There is no unary minus;
//!   write `0 - 5`.
//! - `any(n, [a, b, c])` holds when at least `n` of the listed participants voted
//!   (`1 <= n <= list length`); `all([a, b])` when all of them did. A list names each participant
//!   at most once.
//! - `tx.value` is the amount the gated operation moves (`PolicyContext::tx_value`).
//! - Comparisons and logic yield `1` (true) or `0` (false); any non-zero value counts as true, so
//!   `a && b`, `!a` and `a + b + c >= 2` all work. Comparisons do not chain (`a < b < c` is an
//!   error).
//! - Precedence, loosest first: `||`, `&&`, comparisons, `+ -`, `*`, `!`.
//!
//! ## Unknown values
//!
//! When the gated operation did not supply `tx.value` (e.g. adding a workspace owner), or an
//! arithmetic operation overflows, the value is *unknown*. Unknown propagates through arithmetic,
//! comparisons and `!`; `x || unknown` is true when `x` is true and `x && unknown` is false when
//! `x` is false (three-valued, Kleene logic). **A rule whose result is unknown is not satisfied**,
//! so `tx.value <= 1000` never approves an operation without a value, and `!(tx.value > 1000)` does
//! not either, while `tx.value <= 1000 || any(2, [a, b, c])` is satisfied by two approvals whatever
//! the operation.

use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use zenrock_primitives::PolicyContext;

/// Words that cannot be participant labels.
pub const RESERVED_WORDS: &[&[u8]] = &[b"any", b"all", b"tx"];

/// The name of the transaction value context variable.
pub const TX_VALUE: &[u8] = b"tx.value";

/// One instruction of a compiled rule (reverse Polish notation).
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
	/// Pop two values, push `first == second`.
	Eq,
	/// Pop two values, push `first != second`.
	Ne,
	/// Pop two values, push their (three-valued) conjunction.
	And,
	/// Pop two values, push their (three-valued) disjunction.
	Or,
	/// Pop one value, push its negation.
	Not,
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
}

impl<S: Get<u32>> Rule<S> {
	/// Whether the rule holds for `votes` (index `i`: whether participant `i` voted) and `context`.
	pub fn holds(&self, votes: &[bool], context: &PolicyContext) -> bool {
		holds(&self.ops, votes, context)
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
	/// An identifier that is not a participant label, a variable or a function.
	UnknownIdentifier,
	/// An integer literal larger than `i128::MAX`.
	LiteralTooLarge,
	/// The threshold of `any(n, [...])` is not a literal between 1 and the list's length.
	BadThreshold,
	/// A participant list of `any`/`all` is empty.
	EmptyList,
	/// A participant list holds something other than participant labels.
	ListItemNotParticipant,
	/// A participant list names the same participant twice.
	DuplicateInList,
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

/// Parse and check `text` against the participant `labels`, producing the stored rule.
///
/// `S` bounds both the text length in bytes and the number of compiled instructions; `max_depth`
/// bounds nesting (each parenthesised group, function argument list and `!` is one level, the
/// whole rule is the first). Never panics, whatever the input.
pub fn compile<S: Get<u32>>(
	text: &[u8],
	labels: &[&[u8]],
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
		labels,
		ops: Vec::new(),
		depth: 0,
		max_depth,
		max_ops: max_len,
	};
	parser.expression()?;
	if parser.pos != tokens.len() {
		return Err(RuleError::Syntax);
	}
	let ops = BoundedVec::try_from(parser.ops).map_err(|_| RuleError::TooLong)?;
	let text = BoundedVec::try_from(text.to_vec()).map_err(|_| RuleError::TooLong)?;
	Ok(Rule { text, ops })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'a> {
	Ident(&'a [u8]),
	Number(i128),
	Plus,
	Minus,
	Star,
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
			b'+' => (Some(Token::Plus), 1),
			b'-' => (Some(Token::Minus), 1),
			b'*' => (Some(Token::Star), 1),
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

struct Parser<'t, 'l> {
	tokens: &'t [Token<'t>],
	pos: usize,
	labels: &'l [&'l [u8]],
	ops: Vec<Op>,
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

impl<'t, 'l> Parser<'t, 'l> {
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
		self.labels
			.iter()
			.position(|label| *label == name)
			.and_then(|index| u32::try_from(index).ok())
	}

	fn expression(&mut self) -> Result<(), RuleError> {
		self.enter()?;
		self.or()?;
		self.leave();
		Ok(())
	}

	fn or(&mut self) -> Result<(), RuleError> {
		self.and()?;
		while self.peek() == Some(Token::OrOr) {
			self.advance();
			self.and()?;
			self.emit(Op::Or)?;
		}
		Ok(())
	}

	fn and(&mut self) -> Result<(), RuleError> {
		self.comparison()?;
		while self.peek() == Some(Token::AndAnd) {
			self.advance();
			self.comparison()?;
			self.emit(Op::And)?;
		}
		Ok(())
	}

	fn comparison(&mut self) -> Result<(), RuleError> {
		self.additive()?;
		if let Some(op) = self.peek().and_then(comparison_op) {
			self.advance();
			self.additive()?;
			self.emit(op)?;
			if self.peek().and_then(comparison_op).is_some() {
				// `a < b < c`: comparisons do not chain.
				return Err(RuleError::Syntax);
			}
		}
		Ok(())
	}

	fn additive(&mut self) -> Result<(), RuleError> {
		self.product()?;
		loop {
			let op = match self.peek() {
				Some(Token::Plus) => Op::Add,
				Some(Token::Minus) => Op::Sub,
				_ => return Ok(()),
			};
			self.advance();
			self.product()?;
			self.emit(op)?;
		}
	}

	fn product(&mut self) -> Result<(), RuleError> {
		self.unary()?;
		while self.peek() == Some(Token::Star) {
			self.advance();
			self.unary()?;
			self.emit(Op::Mul)?;
		}
		Ok(())
	}

	fn unary(&mut self) -> Result<(), RuleError> {
		if self.peek() == Some(Token::Not) {
			self.advance();
			self.enter()?;
			self.unary()?;
			self.leave();
			return self.emit(Op::Not);
		}
		self.primary()
	}

	fn primary(&mut self) -> Result<(), RuleError> {
		match self.advance() {
			None => Err(RuleError::UnexpectedEnd),
			Some(Token::Number(value)) => self.emit(Op::Literal(value)),
			Some(Token::LParen) => {
				self.expression()?;
				self.expect(Token::RParen)
			}
			Some(Token::Ident(b"any")) => self.any(),
			Some(Token::Ident(b"all")) => self.all(),
			Some(Token::Ident(name)) if name == TX_VALUE => self.emit(Op::TxValue),
			Some(Token::Ident(name)) => match self.label_index(name) {
				Some(index) => self.emit(Op::Participant(index)),
				None => Err(RuleError::UnknownIdentifier),
			},
			Some(_) => Err(RuleError::Syntax),
		}
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
					None if name == TX_VALUE || RESERVED_WORDS.contains(&name) => {
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

/// A value during evaluation: `None` is *unknown*.
type Value = Option<i128>;

fn truth(value: bool) -> Value {
	Some(i128::from(value))
}

fn and(left: Value, right: Value) -> Value {
	match (left, right) {
		(Some(0), _) | (_, Some(0)) => truth(false),
		(Some(_), Some(_)) => truth(true),
		_ => None,
	}
}

fn or(left: Value, right: Value) -> Value {
	match (left, right) {
		(Some(l), _) if l != 0 => truth(true),
		(_, Some(r)) if r != 0 => truth(true),
		(Some(_), Some(_)) => truth(false),
		_ => None,
	}
}

/// Evaluate compiled `ops`: `Some(value)`, or `None` when the result is unknown (a missing
/// variable, an overflow) or the instructions are malformed.
///
/// `votes[i]` says whether participant `i` voted. Bounded: one pass over `ops`, a stack no
/// longer than `ops`.
pub fn evaluate(ops: &[Op], votes: &[bool], context: &PolicyContext) -> Option<i128> {
	let mut stack: Vec<Value> = Vec::with_capacity(ops.len());
	for op in ops {
		let value = match *op {
			Op::Participant(index) => {
				let voted = votes.get(usize::try_from(index).ok()?)?;
				truth(*voted)
			}
			Op::Literal(value) => Some(value),
			Op::TxValue => context.tx_value.and_then(|value| i128::try_from(value).ok()),
			Op::Not => {
				let operand = stack.pop()?;
				operand.map(|value| i128::from(value == 0))
			}
			binary => {
				let right = stack.pop()?;
				let left = stack.pop()?;
				match binary {
					Op::And => and(left, right),
					Op::Or => or(left, right),
					_ => match (left, right) {
						(Some(l), Some(r)) => match binary {
							Op::Add => l.checked_add(r),
							Op::Sub => l.checked_sub(r),
							Op::Mul => l.checked_mul(r),
							Op::Gt => truth(l > r),
							Op::Ge => truth(l >= r),
							Op::Lt => truth(l < r),
							Op::Le => truth(l <= r),
							Op::Eq => truth(l == r),
							Op::Ne => truth(l != r),
							// Operands and `Not` were handled above.
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
	stack.pop().flatten()
}

/// Whether compiled `ops` hold: their value is known and non-zero.
pub fn holds(ops: &[Op], votes: &[bool], context: &PolicyContext) -> bool {
	matches!(evaluate(ops, votes, context), Some(value) if value != 0)
}
