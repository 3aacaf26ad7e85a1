import { startNode } from './lib/node.js';
import { connect } from './lib/chain.js';
const node = await startNode();
const api = await connect(node.wsUrl);
try {
  const md = api.runtimeMetadata;
  console.log('metadata version', md.version);
  const lookup = api.registry.lookup;
  for (const p of md.asLatest.pallets) {
    const name = p.name.toString();
    if (!/Policy|Identity|Treasury|Keyring|Relayer/i.test(name)) { console.log('skip', name); continue; }
    console.log('==', name, 'pallet docs', p.docs.length);
    const variants = (opt) => opt.isSome ? lookup.getSiType(opt.unwrap().type).def.asVariant.variants : [];
    for (const v of variants(p.calls)) console.log(' call', v.name.toString(), v.docs.length);
    for (const v of variants(p.events)) console.log(' event', v.name.toString(), v.docs.length);
    if (p.storage.isSome) for (const s of p.storage.unwrap().items) console.log(' storage', s.name.toString(), s.docs.length);
    for (const v of variants(p.errors)) if (v.docs.length === 0) console.log(' error w/o docs', v.name.toString());
    for (const c of p.constants) if (c.docs.length === 0) console.log(' const w/o docs', c.name.toString());
  }
  console.log(Object.keys(api.call.treasuryApi), Object.keys(api.call.policyApi));
} finally { await api.disconnect(); await node.stop(); }
