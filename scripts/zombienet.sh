#!/usr/bin/env bash
# Spawns the local multi-node testnet, zombienet/four-validators.toml: four validators (Alice, Bob,
# Charlie, Dave) of `--chain four_validators`, each a zenrock-node process on this machine, run by
# zombienet's Rust CLI `zombie-cli` with its native provider. Installs zombie-cli 0.7.1 (crates.io)
# into ~/.cache/zenrock/tools if it is missing, builds zenrock-node, writes the raw chain spec, and
# runs until Ctrl-C, which stops every node.
#
#   ./scripts/zombienet.sh     # RPC: ws://127.0.0.1:9944 (Alice), 9945 (Bob), 9946 (Charlie), 9947 (Dave)
#
# Network files and node logs go to $ZOMBIENET_DIR (default ~/.cache/zenrock/zombienet/<time>).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

tools="$HOME/.cache/zenrock/tools"
zombie_cli="$tools/bin/zombie-cli"
if [ ! -x "$zombie_cli" ]; then
	# Before env.sh: cargo install builds in a temporary directory of its own, not the project's
	# target directory.
	echo "zombienet: installing zombie-cli 0.7.1 into $tools (once; a large build)"
	cargo install --locked zombie-cli --version 0.7.1 --root "$tools"
fi

source scripts/env.sh
cargo build --release --locked -p zenrock-node

state="$HOME/.cache/zenrock/zombienet"
network_dir="${ZOMBIENET_DIR:-$state/$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$state"
export ZENROCK_NODE="$CARGO_TARGET_DIR/release/zenrock-node"
export ZENROCK_CHAIN_SPEC="$state/four_validators-raw.json"
"$ZENROCK_NODE" export-chain-spec --chain four_validators --raw --output "$ZENROCK_CHAIN_SPEC"

for port in 9944 9945 9946 9947 30333 30334 30335 30336; do
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		echo "zombienet: port $port is in use (a dev node?): stop it first" >&2
		exit 1
	fi
done

echo "zombienet: spawning four validators; network files and logs in $network_dir"
echo "zombienet: Polkadot.js apps: https://polkadot.js.org/apps/?rpc=ws://127.0.0.1:9944"
# zombie-cli and the nodes it starts run in a process group of their own, stopped as a whole when
# this script ends (Ctrl-C included): zombie-cli alone would leave its nodes running.
set -m
"$zombie_cli" spawn --provider native --dir "$network_dir" zombienet/four-validators.toml &
zombie_cli_pid=$!
stop_network() {
	kill -TERM -- "-$zombie_cli_pid" 2>/dev/null || true
	wait "$zombie_cli_pid" 2>/dev/null || true
}
trap stop_network EXIT
trap 'exit 130' INT TERM
wait "$zombie_cli_pid"
