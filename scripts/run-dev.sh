#!/usr/bin/env bash
# Installs what is missing, builds zenrock-node (release) and starts a development chain: Alice
# authors and finalizes blocks; RPC on ws://127.0.0.1:9944. Extra arguments go to the node
# (e.g. `--tmp` for a throw-away chain).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
cargo build --release --locked -p zenrock-node
exec "$CARGO_TARGET_DIR/release/zenrock-node" --dev "$@"
