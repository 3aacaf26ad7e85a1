//! Benchmarks of the relayer pallet, at the worst case of every bound.
//!
//! - `add_relayer`: `MaxRelayers - 1` relayers are registered already.
//! - `remove_relayer`: `MaxRelayers` relayers are registered.
//! - `report_broadcast_accepted`: the request comes from
//!   [`BroadcastSource::benchmark_awaiting_broadcast`] (the runtime's most expensive signed
//!   transaction to assemble), and `MaxInFlight - 1` transactions await their receipt.
//! - `report_broadcast_failed(m)`: a failure message of `m` bytes, up to `MaxReportLength`.
//! - `report_inclusion`: the request is broadcast and awaits its receipt.

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{pallet_prelude::Get, traits::EnsureOrigin, BoundedVec};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};

const SEED: u32 = 0;

fn assert_last_event<T: Config>(event: Event<T>) {
	let event: <T as frame_system::Config>::RuntimeEvent = event.into();
	frame_system::Pallet::<T>::assert_last_event(event);
}

/// Registers relayers until there are `count` (counting any from genesis) and returns one of them
/// (or a fresh, unregistered account if `count` is 0).
fn relayers<T: Config>(count: u32) -> T::AccountId {
	let mut last = account("relayer", 0, SEED);
	let mut index = 0;
	while RelayerCount::<T>::get() < count {
		last = account("relayer", index, SEED);
		if !Relayers::<T>::contains_key(&last) {
			Pallet::<T>::insert_relayer(&last).expect("within MaxRelayers");
		}
		index += 1;
	}
	if count > 0 && !Relayers::<T>::contains_key(&last) {
		// Genesis already registered `count` relayers: use one of them.
		last = Relayers::<T>::iter_keys().next().expect("count > 0 relayers exist");
	}
	last
}

/// The admin origin, as `RelayerAdminOrigin` accepts it.
fn admin<T: Config>() -> T::RuntimeOrigin {
	T::RelayerAdminOrigin::try_successful_origin().expect("RelayerAdminOrigin has an origin")
}

/// Fills the receipt index with `count` placeholder requests (ids from `u64::MAX` down, clear of
/// real requests).
fn fill_in_flight<T: Config>(count: u32) {
	for index in 0..count {
		AwaitingReceipt::<T>::insert(u64::MAX - u64::from(index), ());
	}
	AwaitingReceiptCount::<T>::put(count);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn add_relayer() {
		relayers::<T>(T::MaxRelayers::get().saturating_sub(1));
		let relayer: T::AccountId = account("new relayer", 0, SEED);
		let origin = admin::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, relayer.clone());

		assert!(Relayers::<T>::contains_key(&relayer));
		assert_last_event::<T>(Event::RelayerAdded { relayer });
	}

	#[benchmark]
	fn remove_relayer() {
		let relayer = relayers::<T>(T::MaxRelayers::get().max(1));
		let origin = admin::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, relayer.clone());

		assert!(!Relayers::<T>::contains_key(&relayer));
		assert_last_event::<T>(Event::RelayerRemoved { relayer });
	}

	#[benchmark]
	fn report_broadcast_accepted() {
		let relayer = relayers::<T>(1);
		fill_in_flight::<T>(T::MaxInFlight::get().saturating_sub(1));
		let request = T::Broadcasts::benchmark_awaiting_broadcast();
		let (_, _, hash) =
			T::Broadcasts::signed_transaction(request).expect("a signed transaction to broadcast");
		let tx_hash = TxHash::try_from(hash).expect("a hash of at most 64 bytes");
		let outcome = BroadcastOutcome::Accepted { tx_hash: tx_hash.clone() };

		#[extrinsic_call]
		report_broadcast(RawOrigin::Signed(relayer.clone()), request, outcome);

		assert!(AwaitingReceipt::<T>::contains_key(request));
		assert_last_event::<T>(Event::BroadcastAccepted { request, tx_hash, relayer });
	}

	#[benchmark]
	fn report_broadcast_failed(m: Linear<0, { T::MaxReportLength::get() }>) {
		let relayer = relayers::<T>(1);
		let request = T::Broadcasts::benchmark_awaiting_broadcast();
		let message: ReportMessageOf<T> =
			BoundedVec::try_from(vec![b'x'; m as usize]).expect("within MaxReportLength");
		let class = FailureClass::RetriesExhausted {
			attempts: T::MaxAttempts::get(),
			last: AttemptFailure::Timeout,
		};
		let outcome = BroadcastOutcome::Failed { class, message: message.clone() };

		#[extrinsic_call]
		report_broadcast(RawOrigin::Signed(relayer.clone()), request, outcome);

		assert!(matches!(
			BroadcastStatuses::<T>::get(request),
			Some(BroadcastStatus::Failed { .. })
		));
		assert_last_event::<T>(Event::BroadcastFailed { request, class, message, relayer });
	}

	#[benchmark]
	fn report_inclusion() {
		let relayer = relayers::<T>(1);
		fill_in_flight::<T>(T::MaxInFlight::get().saturating_sub(1));
		let request: RequestId = 7;
		let tx_hash = TxHash::try_from(vec![0xab; 32]).expect("32 bytes");
		AwaitingReceipt::<T>::insert(request, ());
		AwaitingReceiptCount::<T>::mutate(|count| *count = count.saturating_add(1));
		BroadcastStatuses::<T>::insert(
			request,
			BroadcastStatus::Broadcast {
				chain: Chain::Evm { chain_id: 1 },
				tx_hash: tx_hash.clone(),
				by: relayer.clone(),
				at: BlockNumberFor::<T>::from(1u32),
			},
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(relayer.clone()), request, 19_000_000, true);

		assert!(!AwaitingReceipt::<T>::contains_key(request));
		assert_last_event::<T>(Event::InclusionReported {
			request,
			tx_hash,
			block: 19_000_000,
			success: true,
			relayer,
		});
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
