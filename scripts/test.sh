#!/usr/bin/env bash
# Runs every test: pallet unit tests, runtime tests, the node's end-to-end tests against a real
# `zenrock-node --dev` (keyring controller; relayer against anvil), the four-validator multi-node
# test, the Polkadot.js suite, then the pallets' benchmark tests (which need the `runtime-benchmarks`
# feature, so they are a second, pallet-only cargo invocation).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh

# anvil (a real Ethereum dev node, from npm) for the relayer's end-to-end test.
npm ci --prefix e2e/anvil --no-audit --no-fund --loglevel=error

# One profile (release) for everything: the node binary the end-to-end tests start is built once.
cargo test --release --locked --workspace

# The multi-node test (four validators and a FROST keyring across three of them, about 6 min): built above, skipped there (`#[ignore]`).
# `--workspace` keeps the features of the build above, so nothing is rebuilt.
cargo test --release --locked --workspace --test multi_node -- --ignored

# The Polkadot.js end-to-end suite, against the node binary built above.
npm ci --prefix e2e/polkadot-js --no-audit --no-fund --loglevel=error
(cd e2e/polkadot-js && ZENROCK_NODE="$CARGO_TARGET_DIR/release/zenrock-node" node --test --test-concurrency=1)

benchmarked_pallets=()
for manifest in pallets/*/Cargo.toml offchain-workers/*/Cargo.toml; do
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
