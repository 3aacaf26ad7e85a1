//! Every call of the Zenrock pallets has a benchmark: a call `x` is covered by a benchmark named `x`
//! or `x_<variant>` (e.g. `report_broadcast_accepted` / `report_broadcast_failed`) in its pallet's
//! `benchmarking.rs`. Adding a call without a benchmark makes this test fail.

use frame_support::traits::GetCallName;
use zenrock_runtime::Runtime;

/// The benchmark function names declared (`#[benchmark] fn name`) in a `benchmarking.rs` source.
fn benchmark_names(source: &str) -> Vec<String> {
	let mut names = Vec::new();
	let mut after_attribute = false;
	for line in source.lines().map(str::trim) {
		if line.starts_with("#[benchmark") {
			after_attribute = true;
			continue;
		}
		if after_attribute {
			if let Some(rest) = line.strip_prefix("fn ") {
				let name: String =
					rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
				names.push(name);
				after_attribute = false;
			} else if !line.starts_with("#[") && !line.is_empty() {
				after_attribute = false;
			}
		}
	}
	names
}

fn uncovered(calls: &[&str], source: &str) -> Vec<String> {
	let benchmarks = benchmark_names(source);
	calls
		.iter()
		.filter(|call| {
			!benchmarks.iter().any(|name| name == *call || name.starts_with(&format!("{call}_")))
		})
		.map(|call| call.to_string())
		.collect()
}

#[test]
fn every_call_of_the_zenrock_pallets_has_a_benchmark() {
	let pallets: [(&str, &[&str], &str); 5] = [
		(
			"policy",
			pallet_zenrock_policy::Call::<Runtime>::get_call_names(),
			include_str!("../../pallets/policy/src/benchmarking.rs"),
		),
		(
			"identity",
			pallet_zenrock_identity::Call::<Runtime>::get_call_names(),
			include_str!("../../pallets/identity/src/benchmarking.rs"),
		),
		(
			"treasury",
			pallet_zenrock_treasury::Call::<Runtime>::get_call_names(),
			include_str!("../../pallets/treasury/src/benchmarking.rs"),
		),
		(
			"mpc",
			pallet_zenrock_mpc::Call::<Runtime>::get_call_names(),
			include_str!("../../pallets/mpc/src/benchmarking.rs"),
		),
		(
			"relayer",
			pallet_zenrock_relayer::Call::<Runtime>::get_call_names(),
			include_str!("../../offchain-workers/relayer/src/benchmarking.rs"),
		),
	];
	let mut missing = Vec::new();
	for (pallet, calls, source) in pallets {
		assert!(!calls.is_empty(), "{pallet} has calls");
		for call in uncovered(calls, source) {
			missing.push(format!("{pallet}::{call}"));
		}
	}
	assert!(missing.is_empty(), "calls without a benchmark: {missing:?}");
}

#[test]
fn the_check_notices_a_missing_benchmark() {
	let source = "#[benchmark]\nfn covered() {}\n#[benchmark]\nfn other_variant() {}\n";
	assert_eq!(uncovered(&["covered", "other", "missing"], source), vec!["missing".to_string()]);
}
