// DEV ONLY: starts a node and answers keyring 0's requests as Alice (stand-in for the controller).
import { secp256k1 } from '@noble/curves/secp256k1';
import { startNode } from './lib/node.js';
import { connect, devAccounts, send } from './lib/chain.js';
import { concat, toHex } from './lib/evm.js';
const node = await startNode();
console.log('WS', node.wsUrl);
const api = await connect(node.wsUrl);
const { alice } = await devAccounts();
const keys = new Map();
const seen = new Set();
await api.rpc.chain.subscribeNewHeads(async (h) => {
  const [keyReqs, signReqs] = await api.call.treasuryApi.pendingRequests(0);
  for (const r of keyReqs) {
    const id = r.request.toNumber(); if (seen.has(id)) continue; seen.add(id);
    const priv = secp256k1.utils.randomPrivateKey(); const pub = secp256k1.getPublicKey(priv, true);
    keys.set(toHex(pub), priv);
    send(api, alice, api.tx.treasury.fulfilKeyRequest(id, toHex(pub))).then(r => console.log('key', id, r.error ?? 'ok')).catch(e => console.log('ERR', e.message));
  }
  for (const r of signReqs) {
    const id = r.request.toNumber(); if (seen.has(id)) continue; seen.add(id);
    const priv = keys.get(r.publicKey.toHex());
    const sigs = r.payloads.map(p => { const s = secp256k1.sign(p.toU8a(true), priv, { lowS: true }); return toHex(concat(s.toCompactRawBytes(), Uint8Array.of(s.recovery))); });
    send(api, alice, api.tx.treasury.fulfilSignatureRequest(id, sigs)).then(r => console.log('sig', id, r.error ?? 'ok')).catch(e => console.log('ERR', e.message));
  }
});
process.on('SIGTERM', async () => { await node.stop(); process.exit(0); });
