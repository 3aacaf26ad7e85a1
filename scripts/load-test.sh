#!/usr/bin/env bash
# A bounded load of signature requests against its own `zenrock-node --dev` (loopback, free ports,
# stopped at the end): requests accepted and answered per block, latency in blocks (p50, p95, max),
# treasury state per finished request. Arguments go to e2e/polkadot-js/load.js, e.g.
#   scripts/load-test.sh --requests 1000 --requesters 10
#   scripts/load-test.sh --requests 5000 --requesters 10 --waves 5
# (CI runs the same at 200 requests: e2e/polkadot-js/test/load.test.js.)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
cargo build --release --locked -p zenrock-node
npm ci --prefix e2e/polkadot-js --no-audit --no-fund --loglevel=error
cd e2e/polkadot-js
ZENROCK_NODE="$CARGO_TARGET_DIR/release/zenrock-node" node load.js "$@"
