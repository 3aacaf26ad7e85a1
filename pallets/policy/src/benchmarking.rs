//! Benchmarks for the policy pallet, at the worst case of every bound: the most participants with
//! the longest labels, the longest rules, the largest gated call and full expiry slots.

use super::*;
use crate::Pallet as Policy;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Hooks};
use frame_system::RawOrigin;
use sp_runtime::traits::Bounded;

const SEED: u32 = 0;

/// An account with plenty of funds for deposits.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount = BalanceOf::<T>::max_value() / 1_000_000u32.into();
	T::Currency::set_balance(&who, amount);
	who
}

/// The label of participant `index`: `p<index>` padded with `x` to `MaxLabelLength` bytes, so that
/// every label lookup compares as many bytes as possible.
fn label<T: Config>(index: u32) -> Vec<u8> {
	let mut text = vec![b'p'];
	text.extend_from_slice(alloc::format!("{index}").as_bytes());
	let max = T::MaxLabelLength::get() as usize;
	while text.len() < max {
		text.push(b'x');
	}
	text
}

fn labels<T: Config>(count: u32) -> Vec<Vec<u8>> {
	(0..count).map(label::<T>).collect()
}

/// A valid rule of exactly `len` bytes (`len >= 1`) that holds only when every participant voted:
/// `all([p0, p1, ...])` followed by `&&p0&&p1...`, padded with spaces. When that does not fit, a
/// single label, or `0`.
fn rule_text(labels: &[Vec<u8>], len: usize) -> Vec<u8> {
	let mut text = b"all([".to_vec();
	text.extend_from_slice(&labels.join(&b","[..]));
	text.extend_from_slice(b"])");
	if text.len() > len {
		text = labels.first().cloned().unwrap_or_default();
	}
	if text.len() > len || text.is_empty() {
		text = b"0".to_vec();
	} else {
		for label in labels.iter().cycle().take(len) {
			if text.len() + 2 + label.len() > len {
				break;
			}
			text.extend_from_slice(b"&&");
			text.extend_from_slice(label);
		}
	}
	text.resize(len, b' ');
	text
}

/// The name of address list `index`: `l<index>` padded like a label.
fn list_name<T: Config>(index: u32) -> Vec<u8> {
	let mut name = label::<T>(index);
	if let Some(first) = name.first_mut() {
		*first = b'l';
	}
	name
}

/// Address lists holding `items` items in all, each list full before the next starts; the items
/// are lower-case EVM addresses, the most expensive form to check (hex, then the EIP-55
/// checksum).
fn address_lists<T: Config>(items: u32) -> Vec<(Vec<u8>, Vec<Vec<u8>>)> {
	let per_list = T::MaxListItems::get().max(1);
	let mut lists = Vec::new();
	let mut made = 0u32;
	let mut list = 0u32;
	while made < items && list < T::MaxAddressLists::get() {
		let count = per_list.min(items - made);
		let entries = (0..count).map(|i| evm_item(made + i)).collect();
		lists.push((list_name::<T>(list), entries));
		made += count;
		list += 1;
	}
	lists
}

fn evm_item(index: u32) -> Vec<u8> {
	alloc::format!("0x{index:040x}").into_bytes()
}

/// The text `tx.to` has in the benchmarked actions: the last item of the last full list, so
/// that `in` compares with every item before finding it.
fn last_item<T: Config>() -> Result<Text, BenchmarkError> {
	let items = T::MaxListItems::get();
	let last = items.saturating_mul(T::MaxAddressLists::get()).saturating_sub(1);
	rule::normalize_text(&evm_item(last)).map_err(|_| BenchmarkError::Stop("invalid list item"))
}

/// The context of the benchmarked actions.
fn context<T: Config>() -> Result<PolicyContext, BenchmarkError> {
	Ok(PolicyContext { tx_value: Some(1), to: Some(last_item::<T>()?), ..Default::default() })
}

/// A policy at every bound, its id and its participants' accounts (participant 0 is the requester
/// of the benchmarked actions). Its rules look `tx.to` up in the last (full) address list, then
/// require every participant.
fn worst_policy<T: Config>() -> Result<(PolicyId, Vec<T::AccountId>), BenchmarkError> {
	let count = T::MaxParticipants::get();
	if count < 2 {
		return Err(BenchmarkError::Stop("MaxParticipants must be at least 2"));
	}
	let labels = labels::<T>(count);
	let accounts: Vec<T::AccountId> = (0..count).map(|i| funded::<T>("participant", i)).collect();
	let lists = address_lists::<T>(T::MaxAddressLists::get() * T::MaxListItems::get());
	let last_list = list_name::<T>(T::MaxAddressLists::get().saturating_sub(1));
	let mut text = b"tx.to in ".to_vec();
	text.extend_from_slice(&last_list);
	text.extend_from_slice(b" && ");
	let rest = (T::MaxRuleLength::get() as usize).saturating_sub(text.len());
	text.extend_from_slice(&rule_text(&labels, rest));
	let participants = labels.into_iter().zip(accounts.iter().cloned()).collect();
	let creator = funded::<T>("creator", 0);
	let policy = NextPolicyId::<T>::get();
	Policy::<T>::create_policy(
		RawOrigin::Signed(creator).into(),
		vec![b'n'; T::MaxNameLength::get() as usize],
		participants,
		lists,
		text.clone(),
		Some(text),
		None,
	)?;
	Ok((policy, accounts))
}

/// The largest gated call: a remark filling `MaxCallSize`.
fn gated_call<T: Config>() -> <T as Config>::RuntimeCall {
	let size = T::MaxCallSize::get().saturating_sub(16) as usize;
	frame_system::Call::<T>::remark { remark: vec![1u8; size] }.into()
}

/// Submit the largest call under `policy`, requested by `requester`; the new action's id.
fn submit_action<T: Config>(
	requester: &T::AccountId,
	policy: PolicyId,
) -> Result<ActionId, BenchmarkError> {
	match <Policy<T> as PolicyGate<_, _>>::submit(
		requester,
		0,
		Some(policy),
		gated_call::<T>(),
		context::<T>()?,
	)? {
		GateOutcome::Pending(action) => Ok(action),
		GateOutcome::Executed => Err(BenchmarkError::Stop("the call should wait for approvals")),
	}
}

fn set_votes<T: Config>(action: ActionId, approvals: &[T::AccountId], rejections: &[T::AccountId]) {
	Actions::<T>::mutate(action, |open| {
		if let Some(open) = open {
			open.approvals = BoundedVec::truncate_from(approvals.to_vec());
			open.rejections = BoundedVec::truncate_from(rejections.to_vec());
		}
	});
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `p` participants, rules of `r` bytes (both the approve and the reject rule), `l` address
	/// list items in all.
	#[benchmark]
	fn create_policy(
		p: Linear<1, { T::MaxParticipants::get() }>,
		r: Linear<1, { T::MaxRuleLength::get() }>,
		l: Linear<0, { T::MaxAddressLists::get() * T::MaxListItems::get() }>,
	) -> Result<(), BenchmarkError> {
		let creator = funded::<T>("creator", 0);
		let labels = labels::<T>(p);
		let text = rule_text(&labels, r as usize);
		let participants: Vec<(Vec<u8>, T::AccountId)> = labels
			.into_iter()
			.enumerate()
			.map(|(i, label)| (label, account("participant", i as u32, SEED)))
			.collect();
		let name = vec![b'n'; T::MaxNameLength::get() as usize];
		let policy = NextPolicyId::<T>::get();

		let lists = address_lists::<T>(l);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(creator),
			name,
			participants,
			lists,
			text.clone(),
			Some(text),
			Some(1u32.into()),
		);

		assert!(Policies::<T>::contains_key(policy));
		Ok(())
	}

	/// The last approval of an action under the worst policy: the approve rule holds and the
	/// largest call is dispatched.
	#[benchmark]
	fn approve() -> Result<(), BenchmarkError> {
		frame_system::Pallet::<T>::set_block_number(1u32.into());
		let (policy, accounts) = worst_policy::<T>()?;
		let requester = accounts.first().cloned().ok_or(BenchmarkError::Stop("no participant"))?;
		let action = submit_action::<T>(&requester, policy)?;
		let (last, others) = accounts.split_last().ok_or(BenchmarkError::Stop("no participant"))?;
		set_votes::<T>(action, others, &[]);

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), action);

		assert!(!Actions::<T>::contains_key(action));
		Ok(())
	}

	/// The last rejection of an action under the worst policy: the reject rule holds.
	#[benchmark]
	fn reject() -> Result<(), BenchmarkError> {
		frame_system::Pallet::<T>::set_block_number(1u32.into());
		let (policy, accounts) = worst_policy::<T>()?;
		let requester = accounts.first().cloned().ok_or(BenchmarkError::Stop("no participant"))?;
		let action = submit_action::<T>(&requester, policy)?;
		let (last, others) = accounts.split_last().ok_or(BenchmarkError::Stop("no participant"))?;
		set_votes::<T>(action, &[], others);

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), action);

		assert!(!Actions::<T>::contains_key(action));
		Ok(())
	}

	/// The requester withdraws an action under the worst policy.
	#[benchmark]
	fn revoke() -> Result<(), BenchmarkError> {
		frame_system::Pallet::<T>::set_block_number(1u32.into());
		let (policy, accounts) = worst_policy::<T>()?;
		let requester = accounts.first().cloned().ok_or(BenchmarkError::Stop("no participant"))?;
		let action = submit_action::<T>(&requester, policy)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), action);

		assert!(!Actions::<T>::contains_key(action));
		Ok(())
	}

	/// `PolicyGate::submit` storing the largest call under the worst policy, with the expiry
	/// slots of all but the last searched block full.
	#[benchmark]
	fn submit() -> Result<(), BenchmarkError> {
		frame_system::Pallet::<T>::set_block_number(1u32.into());
		let (policy, accounts) = worst_policy::<T>()?;
		let requester = accounts.first().cloned().ok_or(BenchmarkError::Stop("no participant"))?;
		let deadline =
			frame_system::Pallet::<T>::block_number().saturating_add(T::DefaultActionExpiry::get());
		let full: BoundedVec<ActionId, T::MaxExpiriesPerBlock> =
			BoundedVec::truncate_from(vec![ActionId::MAX; T::MaxExpiriesPerBlock::get() as usize]);
		let mut at = deadline;
		for _ in 1..EXPIRY_SEARCH_BLOCKS {
			ActionExpiries::<T>::insert(at, full.clone());
			at = at.saturating_add(One::one());
		}
		let call = gated_call::<T>();
		let context = context::<T>()?;
		let outcome;

		#[block]
		{
			outcome =
				<Policy<T> as PolicyGate<_, _>>::submit(&requester, 0, Some(policy), call, context);
		}

		assert!(matches!(outcome, Ok(GateOutcome::Pending(_))));
		Ok(())
	}

	/// `on_initialize` expiring `n` actions under the worst policy.
	#[benchmark]
	fn expire_actions(
		n: Linear<0, { T::MaxExpiriesPerBlock::get() }>,
	) -> Result<(), BenchmarkError> {
		frame_system::Pallet::<T>::set_block_number(1u32.into());
		let (policy, accounts) = worst_policy::<T>()?;
		let requester = accounts.first().cloned().ok_or(BenchmarkError::Stop("no participant"))?;
		let deadline =
			frame_system::Pallet::<T>::block_number().saturating_add(T::DefaultActionExpiry::get());
		for _ in 0..n {
			let action = submit_action::<T>(&requester, policy)?;
			let due = Actions::<T>::get(action).map(|open| open.deadline);
			if due != Some(deadline) {
				return Err(BenchmarkError::Stop("actions must expire in the same block"));
			}
		}

		#[block]
		{
			Policy::<T>::on_initialize(deadline);
		}

		assert_eq!(Actions::<T>::iter().count(), 0);
		Ok(())
	}

	impl_benchmark_test_suite!(Policy, crate::mock::new_test_ext(), crate::mock::Test);
}
