//! Governance in the real runtime, from the `development` genesis: a referendum on the
//! `zenrock_admin` track changes a Zenrock parameter end to end (preimage, submission, decision
//! deposit, conviction votes, prepare, decision, confirmation, enactment); the `ZenrockAdmin` origin
//! cannot do what needs Root; plain accounts cannot set parameters; timeouts never become zero.

mod common;

use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		schedule::DispatchTime,
		Bounded, Get, OnInitialize, StorePreimage,
	},
};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use pallet_referenda::{ReferendumInfo, TracksInfo};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Ferdie};
use sp_runtime::{
	traits::{BlakeTwo256, Hash},
	DispatchError,
};
use zenrock_primitives::KeyringBackend;
use zenrock_runtime::{
	governance::{
		origins::Origin as GovernanceOrigin, parameters::zenrock, tracks, RuntimeParameters,
	},
	AccountId, AllPalletsWithSystem, Balances, BlockNumber, ConvictionVoting, OriginCaller,
	Parameters, Preimage, Referenda, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
	ZenrockIdentity, ZenrockRelayer, ZenrockTreasury, UNIT,
};

/// The state of the `development` preset at block 1.
fn development_chain() -> sp_io::TestExternalities {
	let mut ext = common::preset_ext("development");
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs the block-initialisation hooks (the scheduler among them) of every block up to `block`,
/// without finalizing blocks, so that `System::events()` keeps the events of all of them.
fn run_to_block(block: BlockNumber) {
	while System::block_number() < block {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		AllPalletsWithSystem::on_initialize(next);
	}
}

fn account(keyring: Sr25519Keyring) -> AccountId {
	keyring.to_account_id()
}

fn signed(keyring: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(keyring))
}

fn set_keyring_deposit(deposit: u128) -> RuntimeCall {
	pallet_parameters::Call::set_parameter {
		key_value: RuntimeParameters::Zenrock(zenrock::Parameters::KeyringDeposit(
			zenrock::KeyringDeposit,
			Some(deposit),
		)),
	}
	.into()
}

fn set_request_timeout(blocks: BlockNumber) -> RuntimeParameters {
	RuntimeParameters::Zenrock(zenrock::Parameters::RequestTimeout(
		zenrock::RequestTimeout,
		Some(blocks),
	))
}

fn set_default_action_expiry(blocks: BlockNumber) -> RuntimeParameters {
	RuntimeParameters::Zenrock(zenrock::Parameters::DefaultActionExpiry(
		zenrock::DefaultActionExpiry,
		Some(blocks),
	))
}

fn zenrock_admin() -> Box<OriginCaller> {
	Box::new(OriginCaller::Origins(GovernanceOrigin::ZenrockAdmin))
}

/// Alice, Bob, Charlie and Dave vote aye with 900,000 ZEN each at 1x conviction: with the
/// development endowments that is 27% support, above the `zenrock_admin` track's 20% at once.
fn vote_aye(referendum: u32) {
	for voter in [Alice, Bob, Charlie, Dave] {
		assert_ok!(ConvictionVoting::vote(
			signed(voter),
			referendum,
			AccountVote::Standard {
				vote: Vote { aye: true, conviction: Conviction::Locked1x },
				balance: 900_000 * UNIT,
			}
		));
	}
}

/// The blocks a passing referendum on `track` needs: prepare, confirm, enactment, and slack for
/// the alarms.
fn blocks_to_enactment(track: tracks::TrackId) -> BlockNumber {
	let info = tracks::ZenrockTracks::info(track).expect("the track exists");
	info.prepare_period + info.confirm_period + info.min_enactment_period + 5
}

/// The results of the calls the scheduler dispatched (enacted proposals and referendum alarms).
fn scheduler_dispatch_errors() -> Vec<DispatchError> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched {
				result: Err(error),
				..
			}) => Some(error),
			_ => None,
		})
		.collect()
}

#[test]
fn a_zenrock_admin_referendum_changes_the_keyring_deposit() {
	development_chain().execute_with(|| {
		assert_eq!(<Runtime as pallet_zenrock_identity::Config>::KeyringDeposit::get(), 100 * UNIT);

		// Bob notes the call as a preimage and proposes it on the `zenrock_admin` track.
		let call = set_keyring_deposit(5 * UNIT).encode();
		let hash = BlakeTwo256::hash(&call);
		assert_ok!(Preimage::note_preimage(signed(Bob), call.clone()));
		assert_ok!(Referenda::submit(
			signed(Bob),
			zenrock_admin(),
			Bounded::Lookup { hash, len: call.len() as u32 },
			DispatchTime::After(0),
		));
		let referendum = 0;
		match pallet_referenda::ReferendumInfoFor::<Runtime>::get(referendum) {
			Some(ReferendumInfo::Ongoing(status)) => {
				assert_eq!(status.track, tracks::ZENROCK_ADMIN)
			}
			other => panic!("the referendum is ongoing, not {other:?}"),
		}
		assert_ok!(Referenda::place_decision_deposit(signed(Bob), referendum));
		vote_aye(referendum);

		let start = System::block_number();
		run_to_block(start + blocks_to_enactment(tracks::ZENROCK_ADMIN));
		assert!(
			matches!(
				pallet_referenda::ReferendumInfoFor::<Runtime>::get(referendum),
				Some(ReferendumInfo::Approved(..))
			),
			"the referendum passed"
		);
		assert_eq!(scheduler_dispatch_errors(), vec![], "the enactment succeeded");
		assert_eq!(<Runtime as pallet_zenrock_identity::Config>::KeyringDeposit::get(), 5 * UNIT);
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::Parameters(pallet_parameters::Event::Updated { .. })
		)));

		// A keyring registered now holds the new deposit.
		let ferdie = account(Ferdie);
		assert_eq!(Balances::total_balance_on_hold(&ferdie), 0);
		assert_ok!(ZenrockIdentity::register_keyring(
			signed(Ferdie),
			b"governed".to_vec(),
			KeyringBackend::NodeKeystore,
			vec![ferdie.clone()],
			1,
			0,
			0,
		));
		assert_eq!(Balances::total_balance_on_hold(&ferdie), 5 * UNIT);

		// The decision deposit comes back once the referendum is over.
		let bob_held = Balances::total_balance_on_hold(&account(Bob));
		assert_ok!(Referenda::refund_decision_deposit(signed(Bob), referendum));
		assert_eq!(Balances::total_balance_on_hold(&account(Bob)), bob_held - 100 * UNIT);
	});
}

#[test]
fn alice_alone_passes_a_zenrock_admin_referendum_once_the_support_curve_falls() {
	development_chain().execute_with(|| {
		let proposal =
			<Preimage as StorePreimage>::bound(set_keyring_deposit(7 * UNIT)).expect("bounded");
		assert_ok!(Referenda::submit(signed(Alice), zenrock_admin(), proposal, DispatchTime::After(0)));
		assert_ok!(Referenda::place_decision_deposit(signed(Alice), 0));
		// About 7.7% of the issuance: below the track's initial 20% support, above it after about
		// two thirds of the decision period.
		assert_ok!(ConvictionVoting::vote(
			signed(Alice),
			0,
			AccountVote::Standard {
				vote: Vote { aye: true, conviction: Conviction::None },
				balance: 999_000 * UNIT,
			}
		));
		let info = tracks::ZenrockTracks::info(tracks::ZENROCK_ADMIN).expect("the track exists");
		let start = System::block_number();
		run_to_block(start + info.prepare_period + info.decision_period / 2);
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(0),
			Some(ReferendumInfo::Ongoing(ref status)) if status.deciding.as_ref().is_some_and(|deciding| deciding.confirming.is_none())
		), "half-way through the decision period the support is still too low");

		run_to_block(
			start + info.prepare_period + info.decision_period + info.min_enactment_period + 5,
		);
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(0),
			Some(ReferendumInfo::Approved(..))
		));
		assert_eq!(<Runtime as pallet_zenrock_identity::Config>::KeyringDeposit::get(), 7 * UNIT);
	});
}

#[test]
fn a_zenrock_admin_referendum_cannot_dispatch_a_root_call() {
	development_chain().execute_with(|| {
		let ferdie = account(Ferdie);
		let balance = Balances::balance(&ferdie);
		let call: RuntimeCall =
			pallet_balances::Call::force_set_balance { who: ferdie.clone().into(), new_free: UNIT }
				.into();
		// A short call is stored inline, without a preimage.
		let proposal = <Preimage as StorePreimage>::bound(call).expect("the call is bounded");
		assert_ok!(Referenda::submit(
			signed(Bob),
			zenrock_admin(),
			proposal,
			DispatchTime::After(0)
		));
		assert_ok!(Referenda::place_decision_deposit(signed(Bob), 0));
		vote_aye(0);

		run_to_block(System::block_number() + blocks_to_enactment(tracks::ZENROCK_ADMIN));
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(0),
			Some(ReferendumInfo::Approved(..))
		));
		assert_eq!(scheduler_dispatch_errors(), vec![DispatchError::BadOrigin]);
		assert_eq!(Balances::balance(&ferdie), balance);
	});
}

#[test]
fn referenda_need_a_governance_origin_with_a_track() {
	development_chain().execute_with(|| {
		let proposal =
			<Preimage as StorePreimage>::bound(set_keyring_deposit(UNIT)).expect("bounded");
		let signed_origin: OriginCaller = frame_system::RawOrigin::Signed(account(Bob)).into();
		assert_noop!(
			Referenda::submit(
				signed(Bob),
				Box::new(signed_origin),
				proposal.clone(),
				DispatchTime::After(0)
			),
			pallet_referenda::Error::<Runtime>::NoTrack
		);
		let root: OriginCaller = frame_system::RawOrigin::Root.into();
		assert_ok!(Referenda::submit(
			signed(Bob),
			Box::new(root),
			proposal,
			DispatchTime::After(0)
		));
		match pallet_referenda::ReferendumInfoFor::<Runtime>::get(0) {
			Some(ReferendumInfo::Ongoing(status)) => assert_eq!(status.track, tracks::ROOT),
			other => panic!("the referendum is ongoing, not {other:?}"),
		}
	});
}

#[test]
fn only_root_and_zenrock_admin_set_parameters_and_relayers() {
	development_chain().execute_with(|| {
		assert_noop!(
			Parameters::set_parameter(signed(Alice), set_request_timeout(10)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ZenrockRelayer::add_relayer(signed(Alice), account(Bob)),
			DispatchError::BadOrigin
		);

		let admin = RuntimeOrigin::from(GovernanceOrigin::ZenrockAdmin);
		assert_ok!(Parameters::set_parameter(admin.clone(), set_request_timeout(10)));
		assert_eq!(<Runtime as pallet_zenrock_treasury::Config>::RequestTimeout::get(), 10);
		assert_ok!(Parameters::set_parameter(RuntimeOrigin::root(), set_request_timeout(20)));
		assert_eq!(<Runtime as pallet_zenrock_treasury::Config>::RequestTimeout::get(), 20);

		assert_ok!(ZenrockRelayer::add_relayer(admin, account(Bob)));
		assert!(ZenrockRelayer::relayers().contains(&account(Bob)));
	});
}

#[test]
fn timeouts_never_become_zero() {
	development_chain().execute_with(|| {
		assert_eq!(<Runtime as pallet_zenrock_treasury::Config>::RequestTimeout::get(), 600);
		assert_eq!(
			<Runtime as pallet_zenrock_policy::Config>::DefaultActionExpiry::get(),
			zenrock_runtime::DAYS
		);

		assert_ok!(Parameters::set_parameter(RuntimeOrigin::root(), set_request_timeout(0)));
		assert_ok!(Parameters::set_parameter(RuntimeOrigin::root(), set_default_action_expiry(0)));
		assert_eq!(<Runtime as pallet_zenrock_treasury::Config>::RequestTimeout::get(), 1);
		assert_eq!(<Runtime as pallet_zenrock_policy::Config>::DefaultActionExpiry::get(), 1);

		assert_ok!(Parameters::set_parameter(RuntimeOrigin::root(), set_request_timeout(7)));
		assert_ok!(Parameters::set_parameter(RuntimeOrigin::root(), set_default_action_expiry(9)));
		assert_eq!(<Runtime as pallet_zenrock_treasury::Config>::RequestTimeout::get(), 7);
		assert_eq!(<Runtime as pallet_zenrock_policy::Config>::DefaultActionExpiry::get(), 9);
	});
}

#[test]
fn a_key_request_made_with_a_zero_timeout_expires_in_the_next_block() {
	development_chain().execute_with(|| {
		// Unclamped, a request made at block n would wait for the expiry of block n, already past:
		// it would never expire.
		assert_ok!(Parameters::set_parameter(RuntimeOrigin::root(), set_request_timeout(0)));
		let request = pallet_zenrock_treasury::NextRequestId::<Runtime>::get();
		assert_ok!(ZenrockTreasury::request_key(
			signed(Alice),
			0,
			0,
			zenrock_chain_formats::KeyType::EcdsaSecp256k1,
			None,
			u128::MAX,
			None
		));
		run_to_block(System::block_number() + 1);
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::ZenrockTreasury(pallet_zenrock_treasury::Event::KeyRequestExpired {
				request: expired,
				..
			}) if expired == request
		)));
	});
}
