#!/usr/bin/env bash
# The multi-node test (node/tests/multi_node.rs): four validator processes of `--chain
# four_validators` on loopback. Every validator authors and every node finalizes; each node's keyring
# controller fulfils its own keyring's key requests (one submitted through another node); the chain
# finalizes with one validator killed, which then restarts and catches up. About 100 s; also run by
# scripts/test.sh after the workspace tests (which compile it but skip it).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
source scripts/env.sh
started=$(date +%s)
cargo test --release --locked -p zenrock-node --test multi_node -- --ignored --nocapture
echo "test-multi-node: finished in $(( $(date +%s) - started )) s"
