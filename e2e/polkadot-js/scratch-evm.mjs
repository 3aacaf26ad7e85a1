import { secp256k1 } from '@noble/curves/secp256k1';
import * as e from './lib/evm.js';
console.log(e.checksumAddress(e.fromHex('5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')));
const priv = secp256k1.utils.randomPrivateKey();
const pub = secp256k1.getPublicKey(priv, true);
const tx = { chainId: 1, nonce: 7, maxPriorityFeePerGas: 1_000_000_000n, maxFeePerGas: 30_000_000_000n, gas: 21000, to: new Uint8Array(20).fill(0x35), value: 1000n };
const u = e.eip1559Unsigned(tx);
const h = e.typedSigningHash(u);
const sig = secp256k1.sign(h, priv);
const s65 = e.concat(sig.toCompactRawBytes(), Uint8Array.of(sig.recovery));
console.log('rec', e.verifyRecoverable(s65, h, pub));
const fields = e.rlpDecode(u.subarray(1));
const raw = e.concat(Uint8Array.of(2), e.rlpEncode([...fields, BigInt(sig.recovery), sig.r, sig.s]));
const d = e.decodeSignedEip1559(raw);
console.log(e.equalBytes(d.sender, e.evmAddress(pub)), d.value, e.toHex(u));
// long-list check
console.log(e.rlpDecode(e.rlpEncode([new Uint8Array(100).fill(1), [1n, 2n]])).length);
