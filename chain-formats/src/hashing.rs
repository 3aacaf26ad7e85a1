//! Hash functions. Keccak-256, SHA-256 and BLAKE2b-256 are `sp_io` host functions (native speed
//! inside the runtime); RIPEMD-160 and BLAKE2b-512 have no host function and use RustCrypto.

use blake2::Digest as _;

pub(crate) fn keccak256(data: &[u8]) -> [u8; 32] {
	sp_io::hashing::keccak_256(data)
}

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
	sp_io::hashing::sha2_256(data)
}

/// Bitcoin's double SHA-256.
pub(crate) fn sha256d(data: &[u8]) -> [u8; 32] {
	sha256(&sha256(data))
}

pub(crate) fn blake2_256(data: &[u8]) -> [u8; 32] {
	sp_io::hashing::blake2_256(data)
}

/// BLAKE2b-512 over the concatenation of `parts` (SS58 checksums).
pub(crate) fn blake2b_512(parts: &[&[u8]]) -> [u8; 64] {
	let mut hasher = blake2::Blake2b512::new();
	for part in parts {
		hasher.update(part);
	}
	hasher.finalize().into()
}

/// Bitcoin's HASH160: RIPEMD-160 of SHA-256.
pub(crate) fn hash160(data: &[u8]) -> [u8; 20] {
	ripemd::Ripemd160::digest(sha256(data)).into()
}
