#!/usr/bin/env bash
# Runs every test of the workspace: pallet unit tests, runtime tests, the node's end-to-end tests
# against a real `zenrock-node --dev`, then the pallets' benchmark tests (which need the
# `runtime-benchmarks` feature, so they are a second, pallet-only cargo invocation).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh

# One profile (release) for everything: the node binary the end-to-end tests start is built once.
cargo test --release --locked --workspace

benchmarked_pallets=()
for manifest in pallets/*/Cargo.toml; do
	grep -q '^runtime-benchmarks' "$manifest" && benchmarked_pallets+=("$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -1)")
done
if [ ${#benchmarked_pallets[@]} -gt 0 ]; then
	packages=()
	features=()
	for pallet in "${benchmarked_pallets[@]}"; do
		packages+=(-p "$pallet")
		features+=("$pallet/runtime-benchmarks")
	done
	features_list=$(IFS=,; echo "${features[*]}")
	cargo test --release --locked "${packages[@]}" --features "$features_list"
fi
