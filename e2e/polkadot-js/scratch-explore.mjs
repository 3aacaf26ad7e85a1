import { startNode } from './lib/node.js';
import { connect, devAccounts, send, waitForEvent } from './lib/chain.js';
const node = await startNode();
console.log('node up', node.wsUrl, node.basePath);
const api = await connect(node.wsUrl);
try {
  const md = api.runtimeMetadata;
  console.log('metadata version', md.version, 'runtime', api.runtimeVersion.specName.toString(), api.runtimeVersion.specVersion.toNumber());
  for (const p of md.asLatest.pallets) console.log(p.index.toNumber(), p.name.toString(), 'calls', p.calls.isSome, 'storage', p.storage.isSome, 'events', p.events.isSome, 'docs', p.docs.length);
  console.log(Object.keys(api.tx.treasury ?? {}));
  console.log('call apis', Object.keys(api.call));
  const a = await devAccounts();
  const ws = await api.query.identity.workspaces(0);
  console.log('ws0', JSON.stringify(ws.toHuman()));
  const kr = await api.query.identity.keyrings(0);
  console.log('kr0', JSON.stringify(kr.toHuman()));
  const r = await send(api, a.alice, api.tx.treasury.requestKey(0, 0, 'EcdsaSecp256k1', null));
  console.log(r.blockNumber, r.names, r.error);
  const ev = await waitForEvent(api, (e) => api.events.treasury.KeyRequestFulfilled.is(e), { afterBlock: r.blockNumber - 1, timeoutMs: 60000, what: 'fulfil' });
  console.log('fulfilled', ev.blockNumber, JSON.stringify(ev.event.toHuman()));
} catch (e) { console.error('ERR', e.message); console.log(node.logTail(30)); }
finally { await api.disconnect(); await node.stop(); }
