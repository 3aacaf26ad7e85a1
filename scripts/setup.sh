#!/usr/bin/env bash
# Installs what building zenrock-node needs and is not yet on this machine: Debian's protobuf-compiler
# (sc-network's build scripts), libssl-dev and pkg-config (OpenSSL is linked, not compiled), and the
# rust WASM target the runtime is built for. Safe to run again: it only installs what is missing.
set -euo pipefail

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev)
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
# Node.js and npm run anvil and the Polkadot.js end-to-end suite (Node.js 20 or newer).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	as_root apt-get update -qq
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# rust-toolchain.toml names these, but rustup does not install them automatically on every machine.
installed_targets=$(rustup target list --installed)
for target in wasm32v1-none; do
	grep -qx "$target" <<<"$installed_targets" || rustup target add "$target"
done
rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
