# Sourced by the scripts: one cargo target directory outside the clone, kept between runs, so that
# repeated builds and CI runs on the same machine are incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/zenrock/target}"
# Link Debian's OpenSSL instead of compiling it (also set in .cargo/config.toml for plain cargo calls).
export OPENSSL_NO_VENDOR=1
# The runtime WASM must be built: SKIP_WASM_BUILD skips it whenever it is set, even to 0.
unset SKIP_WASM_BUILD
