#!/usr/bin/env bash
# Regenerates the `weights.rs` of every Zenrock pallet from benchmarks: builds zenrock-node with
# `--features runtime-benchmarks`, then runs `zenrock-node benchmark pallet` per pallet with the
# project's weight template (scripts/frame-weight-template.hbs).
#
#   scripts/benchmark-pallets.sh            # steps 50, repeat 20 (what is committed)
#   scripts/benchmark-pallets.sh --quick    # steps 2, repeat 1: a smoke run, not for committing
#   PALLETS="pallets/policy" scripts/benchmark-pallets.sh   # only some pallets (their directories)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh

steps=50
repeat=20
if [ "${1:-}" = "--quick" ]; then
	steps=2
	repeat=1
fi

# A target directory of its own: the runtime-benchmarks runtime must never replace the WASM blob that
# the normal node build embeds (both would be written to the same wbuild path).
export CARGO_TARGET_DIR="$CARGO_TARGET_DIR-benchmarks"
# Only `benchmark pallet` is used: skip the storage benchmark's test runtime (its WASM build fails
# outside the polkadot-sdk workspace and is not needed).
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1
cargo build --release --locked -p zenrock-node --features runtime-benchmarks
node="$CARGO_TARGET_DIR/release/zenrock-node"
runtime="$CARGO_TARGET_DIR/release/wbuild/zenrock-runtime/zenrock_runtime.compact.compressed.wasm"

# Every crate of the project with benchmarks (a `src/benchmarking.rs`), and the runtime's own
# pallet `session_timing` (the staking election's benchmark).
default_pallets=$(ls -d pallets/*/ offchain-workers/*/ | sed 's:/$::' | while read -r dir; do
	[ -f "$dir/src/benchmarking.rs" ] && echo "$dir"
done)
default_pallets="$default_pallets runtime/src/session_timing"
for directory in ${PALLETS:-$default_pallets}; do
	pallet_steps=$steps
	pallet_repeat=$repeat
	if [ "$directory" = "runtime/src/session_timing" ]; then
		pallet=session_timing
		output="$directory/weights.rs"
		# An election at the bounds takes about a second: fewer, still spread, samples.
		if [ "$steps" -gt 10 ]; then pallet_steps=10; pallet_repeat=5; fi
	else
		# Each MPC sample runs a key generation of up to 16 parties in its setup: fewer, still
		# spread, samples.
		if [ "$directory" = "pallets/mpc" ] && [ "$steps" -gt 10 ]; then pallet_steps=10; pallet_repeat=5; fi
		manifest="$directory/Cargo.toml"
		[ -f "$manifest" ] || { echo "no pallet at $directory" >&2; exit 1; }
		crate=$(sed -n 's/^name = "\(.*\)"/\1/p' "$manifest" | head -1)
		pallet=${crate//-/_}
		output="$directory/src/weights.rs"
	fi
	echo "benchmarking $pallet (steps $pallet_steps, repeat $pallet_repeat)"
	"$node" benchmark pallet \
		--runtime "$runtime" \
		--genesis-builder runtime \
		--genesis-builder-preset development \
		--pallet "$pallet" \
		--extrinsic '*' \
		--steps "$pallet_steps" \
		--repeat "$pallet_repeat" \
		--template scripts/frame-weight-template.hbs \
		--output "$output"
done
