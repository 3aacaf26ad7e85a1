//! The facts a policy reads from a transaction request, and the spending ledger behind its
//! spent(token, seconds) rules.
//!
//! When a transaction-signature request is approved (it runs at once or its action completes),
//! the amounts it moves are recorded for its key, per asset, in the block of the approval: the
//! token of a token transfer (`tx.token_amount` of `tx.token`) and the native value
//! (`tx.value`, as the asset `native`). Approvals of tokens are not spending. If the request
//! is then rejected or expires without signatures, its amounts are withdrawn again; a request
//! refused by its policy, revoked or expired before approval never recorded anything.

use crate::*;

/// The token name under which the native coin of a chain is recorded.
pub const NATIVE_ASSET: &str = "native";

fn fact(text: &str) -> Option<FactText> {
	FactText::try_from(text.as_bytes().to_vec()).ok()
}

impl<T: Config> Pallet<T> {
	/// The facts the policy sees for `parsed`, signed with `key` on `chain`.
	pub fn transaction_context(
		key: KeyId,
		chain: &Chain,
		parsed: &ParsedTransaction,
	) -> PolicyContext {
		let movement = parsed.token.as_ref();
		let counterparty = movement.and_then(|movement| movement.counterparty.as_deref());
		let to = match parsed.kind {
			TransactionKind::TokenTransfer => counterparty,
			_ => parsed.recipient.as_deref(),
		};
		let spender = match parsed.kind {
			TransactionKind::TokenApproval => counterparty,
			_ => None,
		};
		PolicyContext {
			tx_value: parsed.value,
			chain: fact(&chain.caip2()),
			to: to.and_then(fact),
			token: movement.and_then(|movement| movement.token.as_deref()).and_then(fact),
			token_amount: movement.and_then(|movement| movement.amount),
			spender: spender.and_then(fact),
			fee: parsed.fee,
			kind: fact(parsed.kind.as_str()),
			spending_key: Some(key),
		}
	}

	/// The facts the policy sees for message `parsed`, signed with `key`. A permit is an
	/// approval: it spends nothing.
	pub fn message_context(key: KeyId, parsed: &ParsedMessage) -> PolicyContext {
		let movement = parsed.token.as_ref();
		PolicyContext {
			chain: zenrock_chain_formats::message::message_chain(parsed).as_deref().and_then(fact),
			to: parsed.verifying_contract.as_deref().and_then(fact),
			token: movement.and_then(|movement| movement.token.as_deref()).and_then(fact),
			token_amount: movement.and_then(|movement| movement.amount),
			spender: movement.and_then(|movement| movement.counterparty.as_deref()).and_then(fact),
			kind: fact(parsed.kind.as_str()),
			spending_key: Some(key),
			..Default::default()
		}
	}

	/// `memo` within MaxMemoLength (none: empty).
	pub(crate) fn bounded_memo(memo: Option<Vec<u8>>) -> Result<MemoOf<T>, DispatchError> {
		memo.unwrap_or_default().try_into().map_err(|_| Error::<T>::MemoTooLong.into())
	}

	/// The pallet error for a message the chain cannot read.
	pub(crate) fn message_error(error: FormatError) -> DispatchError {
		match error {
			FormatError::EmptyMessage => Error::<T>::EmptyMessage,
			FormatError::NonCanonicalDomain => Error::<T>::NonCanonicalTypedDataDomain,
			_ => Error::<T>::InvalidTypedData,
		}
		.into()
	}

	/// What approving `parsed` on `chain` spends: the token transfer and the native value, when
	/// known and not zero.
	pub fn spending_of(
		chain: &Chain,
		parsed: &ParsedTransaction,
	) -> BoundedVec<Spending, ConstU32<MAX_SPENDING_PER_REQUEST>> {
		let chain = chain.caip2();
		let mut spending = BoundedVec::new();
		let token = parsed.token.as_ref().filter(|_| parsed.kind == TransactionKind::TokenTransfer);
		if let Some((token, amount)) =
			token.and_then(|movement| Some((movement.token.as_deref()?, movement.amount?)))
		{
			let asset = spending_asset(chain.as_bytes(), token.as_bytes());
			let _ = spending.try_push(Spending { asset, amount });
		}
		if let Some(amount) = parsed.value.filter(|value| *value > 0) {
			let asset = spending_asset(chain.as_bytes(), NATIVE_ASSET.as_bytes());
			let _ = spending.try_push(Spending { asset, amount });
		}
		spending
	}

	/// Blocks in `seconds`, rounded up.
	fn window_blocks(seconds: u32) -> BlockNumberFor<T> {
		let millis = u64::from(seconds).saturating_mul(1_000);
		let block_time = T::ExpectedBlockTime::get().max(1);
		let blocks = millis.div_ceil(block_time);
		BlockNumberFor::<T>::from(u32::try_from(blocks).unwrap_or(u32::MAX))
	}

	/// Whether an amount recorded in block `at` is within `window` blocks of `now`.
	fn within(at: BlockNumberFor<T>, now: BlockNumberFor<T>, window: BlockNumberFor<T>) -> bool {
		now.saturating_sub(at) < window
	}

	/// Record `spending` for `key` in block `now`.
	pub(crate) fn record_spending(key: KeyId, spending: &[Spending], now: BlockNumberFor<T>) {
		let horizon = Self::window_blocks(T::MaxSpendingWindow::get());
		for Spending { asset, amount } in spending {
			SpentAmounts::<T>::mutate(key, asset, |buckets| {
				buckets.retain(|(at, _)| Self::within(*at, now, horizon));
				if let Some((at, sum)) = buckets.last_mut() {
					if *at == now {
						*sum = sum.saturating_add(*amount);
						return;
					}
				}
				if buckets.is_full() {
					// Merge the oldest into the next: it then counts as later, never as earlier.
					if buckets.len() >= 2 {
						let (_, oldest) = buckets.remove(0);
						if let Some((_, next)) = buckets.iter_mut().next() {
							*next = next.saturating_add(oldest);
						}
					} else if let Some((at, sum)) = buckets.iter_mut().next() {
						*at = now;
						*sum = sum.saturating_add(*amount);
						return;
					}
				}
				let _ = buckets.try_push((now, *amount));
			});
		}
	}

	/// Withdraw `spending` that `key` recorded in block `recorded_at` (its request was not
	/// signed).
	pub(crate) fn withdraw_spending(
		key: KeyId,
		spending: &[Spending],
		recorded_at: BlockNumberFor<T>,
	) {
		let now = frame_system::Pallet::<T>::block_number();
		let horizon = Self::window_blocks(T::MaxSpendingWindow::get());
		if !Self::within(recorded_at, now, horizon) {
			// Dropped from the ledger already.
			return;
		}
		for Spending { asset, amount } in spending {
			SpentAmounts::<T>::mutate_exists(key, asset, |entry| {
				let Some(buckets) = entry else { return };
				// A merged amount moved to a later bucket: the first one at or after its block.
				if let Some(position) = buckets.iter().position(|(at, _)| *at >= recorded_at) {
					if let Some((_, sum)) = buckets.get_mut(position) {
						*sum = sum.saturating_sub(*amount);
						if sum.is_zero() {
							buckets.remove(position);
						}
					}
				}
				if buckets.is_empty() {
					*entry = None;
				}
			});
		}
	}
}

impl<T: Config> SpendingLedger for Pallet<T> {
	fn spent(key: KeyId, asset: &[u8; 32], window_seconds: u32) -> Option<u128> {
		if window_seconds > T::MaxSpendingWindow::get() {
			return None;
		}
		let now = frame_system::Pallet::<T>::block_number();
		let window = Self::window_blocks(window_seconds);
		let total = SpentAmounts::<T>::get(key, asset)
			.iter()
			.filter(|(at, _)| Self::within(*at, now, window))
			.fold(0u128, |sum, (_, amount)| sum.saturating_add(*amount));
		Some(total)
	}

	fn max_window_seconds() -> u32 {
		T::MaxSpendingWindow::get()
	}

	fn spent_weight() -> Weight {
		T::WeightInfo::spent()
	}
}
