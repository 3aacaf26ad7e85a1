//! The referendum tracks. A referendum's track follows from the origin its call asks for: Root
//! (`root`) or `ZenrockAdmin` (`zenrock_admin`). A referendum passes when, for the whole confirm
//! period, both its approval (ayes weighted by conviction, of all ayes and nays) and its support
//! (ayes without conviction, of the total issuance) are above the track's curves; the curves fall
//! linearly over the decision period.
//!
//! The periods are minutes, not the days of a public network: the runtime is one binary for every
//! preset, and every preset today is a development or test network, where a referendum should
//! finish while its proposer watches (`zenrock_admin` in about five minutes, `root` in about
//! fifteen). Longer periods for a public network come with a runtime upgrade; making them
//! governance parameters would let a referendum shorten the periods that guard it.

use alloc::borrow::Cow;
use pallet_referenda::{Curve, Track, TrackInfo, TracksInfo};
use sp_runtime::{str_array, Perbill};

use super::origins::Origin;
use crate::{Balance, BlockNumber, OriginCaller, MINUTES, UNIT};

/// A threshold falling linearly from `ceil` percent at the start of the decision period to `floor`
/// percent at its end.
const fn falling_over_the_decision_period(ceil: u32, floor: u32) -> Curve {
	Curve::LinearDecreasing {
		length: Perbill::from_percent(100),
		floor: Perbill::from_percent(floor),
		ceil: Perbill::from_percent(ceil),
	}
}

/// Identifies a track.
pub type TrackId = u16;

/// The track of calls that need Root, e.g. runtime upgrades.
pub const ROOT: TrackId = 0;
/// The track of the Zenrock parameters and the relayer set.
pub const ZENROCK_ADMIN: TrackId = 1;

/// Sorted by id, as pallet-referenda requires.
static TRACKS: [Track<TrackId, Balance, BlockNumber>; 2] = [
	Track {
		id: ROOT,
		info: TrackInfo {
			name: str_array("root"),
			// One at a time: each can change anything.
			max_deciding: 1,
			decision_deposit: 1_000 * UNIT,
			prepare_period: 2 * MINUTES,
			decision_period: 10 * MINUTES,
			confirm_period: 2 * MINUTES,
			min_enactment_period: MINUTES,
			min_approval: falling_over_the_decision_period(100, 50),
			min_support: falling_over_the_decision_period(50, 5),
		},
	},
	Track {
		id: ZENROCK_ADMIN,
		info: TrackInfo {
			name: str_array("zenrock_admin"),
			max_deciding: 10,
			decision_deposit: 100 * UNIT,
			prepare_period: MINUTES,
			decision_period: 5 * MINUTES,
			confirm_period: MINUTES,
			min_enactment_period: MINUTES / 2,
			min_approval: falling_over_the_decision_period(100, 50),
			min_support: falling_over_the_decision_period(20, 1),
		},
	},
];

/// The tracks of this runtime.
pub struct ZenrockTracks;

impl TracksInfo<Balance, BlockNumber> for ZenrockTracks {
	type Id = TrackId;
	type RuntimeOrigin = OriginCaller;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		TRACKS.iter().map(Cow::Borrowed)
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		match origin {
			OriginCaller::system(frame_system::RawOrigin::Root) => Ok(ROOT),
			OriginCaller::Origins(Origin::ZenrockAdmin) => Ok(ZENROCK_ADMIN),
			_ => Err(()),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn info(id: TrackId) -> TrackInfo<Balance, BlockNumber> {
		match ZenrockTracks::info(id) {
			Some(info) => info.into_owned(),
			None => panic!("track {id} exists"),
		}
	}

	#[test]
	fn tracks_are_sorted_and_named() {
		assert_eq!(ZenrockTracks::check_integrity(), Ok(()));
		assert_eq!(&info(ROOT).name[..4], b"root");
		assert_eq!(&info(ZENROCK_ADMIN).name[..13], b"zenrock_admin");
	}

	#[test]
	fn origins_map_to_their_tracks() {
		let root: OriginCaller = frame_system::RawOrigin::Root.into();
		assert_eq!(ZenrockTracks::track_for(&root), Ok(ROOT));
		assert_eq!(
			ZenrockTracks::track_for(&OriginCaller::Origins(Origin::ZenrockAdmin)),
			Ok(ZENROCK_ADMIN)
		);
		let signed: OriginCaller =
			frame_system::RawOrigin::Signed(sp_keyring::Sr25519Keyring::Alice.to_account_id())
				.into();
		assert_eq!(ZenrockTracks::track_for(&signed), Err(()));
		let none: OriginCaller = frame_system::RawOrigin::<crate::AccountId>::None.into();
		assert_eq!(ZenrockTracks::track_for(&none), Err(()));
	}

	#[test]
	fn zenrock_admin_is_lighter_than_root() {
		let (root, admin) = (info(ROOT), info(ZENROCK_ADMIN));
		assert!(admin.decision_deposit < root.decision_deposit);
		assert!(admin.prepare_period < root.prepare_period);
		assert!(admin.decision_period < root.decision_period);
		assert!(admin.confirm_period < root.confirm_period);
		assert!(admin.min_enactment_period < root.min_enactment_period);
	}

	#[test]
	fn every_period_is_positive_and_a_referendum_fits_in_half_an_hour() {
		for track in ZenrockTracks::tracks() {
			let info = &track.info;
			assert!(info.prepare_period > 0 && info.decision_period > 0);
			assert!(info.confirm_period > 0 && info.min_enactment_period > 0);
			assert!(info.confirm_period <= info.decision_period);
			let longest = info.prepare_period + info.decision_period + info.min_enactment_period;
			assert!(longest <= 30 * MINUTES, "track {} is slow for a development chain", track.id);
		}
	}
}
