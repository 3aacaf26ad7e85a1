// EVM transactions and secp256k1 checks done independently of the chain: a small RLP encoder and
// decoder, EIP-1559 unsigned transactions and their signing hash, and signature verification and
// recovery with @noble/curves (keccak-256 from @noble/hashes).

import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';

export { keccak_256 };

export const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

export const toHex = (bytes) => `0x${Buffer.from(bytes).toString('hex')}`;
export const fromHex = (hex) => Uint8Array.from(Buffer.from(hex.replace(/^0x/, ''), 'hex'));
export const equalBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Minimal big-endian bytes of a non-negative integer (RLP: zero is the empty string). */
export function bigintBytes(value) {
  let v = BigInt(value);
  if (v < 0n) throw new Error('negative integer');
  const out = [];
  while (v > 0n) {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return Uint8Array.from(out);
}

const bytesToBigint = (bytes) => bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);

function rlpLength(length, offset) {
  if (length <= 55) return Uint8Array.of(offset + length);
  const lengthBytes = bigintBytes(length);
  return concat(Uint8Array.of(offset + 55 + lengthBytes.length), lengthBytes);
}

/** RLP of a byte string (Uint8Array), an integer (bigint/number) or a list (Array) of those. */
export function rlpEncode(item) {
  if (Array.isArray(item)) {
    const payload = concat(...item.map(rlpEncode));
    return concat(rlpLength(payload.length, 0xc0), payload);
  }
  const bytes = item instanceof Uint8Array ? item : bigintBytes(item);
  if (bytes.length === 1 && bytes[0] < 0x80) return bytes;
  return concat(rlpLength(bytes.length, 0x80), bytes);
}

/** Decodes one RLP item (byte strings as Uint8Array, lists as Array); the whole input must be it. */
export function rlpDecode(input) {
  const [item, rest] = decodeItem(input);
  if (rest.length !== 0) throw new Error('trailing bytes after RLP item');
  return item;
}

function decodeItem(input) {
  const first = input[0];
  if (first === undefined) throw new Error('empty RLP input');
  const long = (offset) => {
    const n = first - offset;
    return [1 + n, Number(bytesToBigint(input.subarray(1, 1 + n)))];
  };
  if (first < 0x80) return [input.subarray(0, 1), input.subarray(1)];
  if (first <= 0xb7) {
    const len = first - 0x80;
    return [input.subarray(1, 1 + len), input.subarray(1 + len)];
  }
  if (first <= 0xbf) {
    const [head, len] = long(0xb7);
    return [input.subarray(head, head + len), input.subarray(head + len)];
  }
  const [head, len] = first <= 0xf7 ? [1, first - 0xc0] : long(0xf7);
  let payload = input.subarray(head, head + len);
  const items = [];
  while (payload.length > 0) {
    const [item, rest] = decodeItem(payload);
    items.push(item);
    payload = rest;
  }
  return [items, input.subarray(head + len)];
}

/**
 * An unsigned EIP-1559 transaction, `0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas,
 * maxFeePerGas, gas, to, value, data, accessList])`, with an empty access list.
 */
export function eip1559Unsigned({ chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas, to, value, data = new Uint8Array() }) {
  const fields = [chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas, to, value, data, []].map((f) =>
    typeof f === 'number' ? BigInt(f) : f,
  );
  return concat(Uint8Array.of(0x02), rlpEncode(fields));
}

/** The signing hash of a typed (EIP-2718) unsigned transaction: keccak256 of its bytes. */
export const typedSigningHash = (unsigned) => keccak_256(unsigned);

/** A compressed (33-byte) secp256k1 public key in uncompressed SEC1 form (65 bytes). */
export const uncompressed = (compressed) =>
  secp256k1.ProjectivePoint.fromHex(compressed).toRawBytes(false);

/** The EVM address (20 bytes) of a secp256k1 public key (compressed or uncompressed). */
export function evmAddress(publicKey) {
  const full = publicKey.length === 65 ? publicKey : uncompressed(publicKey);
  return keccak_256(full.subarray(1)).subarray(12);
}

/** EIP-55 mixed-case hex of a 20-byte address. */
export function checksumAddress(address) {
  const hex = Buffer.from(address).toString('hex');
  const hash = Buffer.from(keccak_256(new TextEncoder().encode(hex))).toString('hex');
  return `0x${[...hex].map((c, i) => (parseInt(hash[i], 16) >= 8 ? c.toUpperCase() : c)).join('')}`;
}

/**
 * Checks a 65-byte `r ‖ s ‖ v` signature of the 32-byte `prehash` against the compressed
 * `publicKey` with @noble/curves: the signature is low-S and verifies, and the public key
 * recovered with `v` is `publicKey`. Returns the recovery id (0 or 1); throws on any mismatch.
 */
export function verifyRecoverable(signature, prehash, publicKey) {
  if (signature.length !== 65) throw new Error(`signature is ${signature.length} bytes, not 65`);
  if (prehash.length !== 32) throw new Error(`prehash is ${prehash.length} bytes, not 32`);
  const compact = signature.subarray(0, 64);
  const v = signature[64];
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery !== 0 && recovery !== 1) throw new Error(`bad recovery byte ${v}`);
  const parsed = secp256k1.Signature.fromCompact(compact);
  if (parsed.hasHighS()) throw new Error('signature is not low-S');
  if (!secp256k1.verify(compact, prehash, publicKey, { lowS: true })) {
    throw new Error('signature does not verify against the public key');
  }
  const recovered = parsed.addRecoveryBit(recovery).recoverPublicKey(prehash).toRawBytes(true);
  if (!equalBytes(recovered, publicKey)) {
    throw new Error(`recovered ${toHex(recovered)} with v=${v}, expected ${toHex(publicKey)}`);
  }
  return recovery;
}

/**
 * Decodes a signed EIP-1559 transaction and recovers its sender: returns `{ fields, yParity, r,
 * s, signingHash, sender, hash }` (`sender` the 20-byte address, `hash` keccak256 of the raw bytes).
 */
export function decodeSignedEip1559(raw) {
  if (raw[0] !== 0x02) throw new Error(`not an EIP-1559 transaction (type ${raw[0]})`);
  const items = rlpDecode(raw.subarray(1));
  if (!Array.isArray(items) || items.length !== 12) throw new Error('expected 12 RLP fields');
  const fields = items.slice(0, 9);
  const [yParityBytes, r, s] = items.slice(9);
  const yParity = Number(bytesToBigint(yParityBytes));
  const signingHash = keccak_256(concat(Uint8Array.of(0x02), rlpEncode(fields)));
  const pad = (b) => concat(new Uint8Array(32 - b.length), b);
  const signature = new secp256k1.Signature(bytesToBigint(r), bytesToBigint(s)).addRecoveryBit(yParity);
  const sender = evmAddress(signature.recoverPublicKey(signingHash).toRawBytes(false));
  return {
    fields,
    value: bytesToBigint(fields[6]),
    yParity,
    r: pad(r),
    s: pad(s),
    signingHash,
    sender,
    hash: keccak_256(raw),
  };
}
