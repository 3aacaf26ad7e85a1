// A bounded load of signature requests against a dev node, measured from the chain itself.
//
// `runLoad` funds `requesters` new accounts from Alice, gives each a workspace and an ECDSA key
// of the dev keyring (keyring 0, answered by the dev node's keyring controller), then sends
// `requests` signature requests of one 32-byte hash each, spread evenly over the requesters and
// submitted in `waves` waves, one per new block. It follows every block until all accepted
// requests are decided (or `timeoutMs` passes) and reports:
// - per block: requests accepted (SignatureRequested) and answered (SignatureRequestFulfilled);
// - requests refused (the pool or the chain refused the transaction, or its call failed);
// - latency in blocks from a request's block to its fulfilment's block: p50, p95, max;
// - the treasury's state (keys and values) per finished request while it is retained, and,
//   with `waitForRemoval`, after its retention period (governance sets the timeout and the
//   retention short for the run, through sudo).

import { Keyring } from '@polkadot/keyring';
import { blake2AsU8a, cryptoWaitReady, xxhashAsHex } from '@polkadot/util-crypto';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { NO_FEE_LIMIT, describeDispatchError, rawRpc, send } from './chain.js';

const ZEN = 10n ** 12n;
const DEV_KEYRING = 0;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `q`-quantile (0..1) of sorted numbers, nearest rank. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * The treasury's state for the requests `ids` at the best block, in bytes of keys and values (raw
 * RPC): every entry whose key ends in one of the ids (maps keyed by request id, with
 * Twox64Concat), and, separately, the expiry queue (keyed by position; its entries are dropped at
 * the requests' deadline).
 */
async function treasuryStateBytes(wsUrl, ids) {
  const prefix = xxhashAsHex('ZenrockTreasury', 128);
  const queuePrefix = prefix + xxhashAsHex('ExpiryQueue', 128).slice(2);
  const hexBytes = (hex) => (hex ? (hex.length - 2) / 2 : 0);
  const idOfKey = (key) => {
    const bytes = hexToU8a(key).slice(-8);
    return Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  };
  let byRequest = 0;
  let expiryQueue = 0;
  let startKey = null;
  for (;;) {
    const keys = await rawRpc(wsUrl, 'state_getKeysPaged', [prefix, 1000, startKey]);
    if (keys.length === 0) break;
    const [set] = await rawRpc(wsUrl, 'state_queryStorageAt', [keys]);
    for (const [key, value] of set.changes) {
      const size = hexBytes(key) + hexBytes(value);
      if (key.startsWith(queuePrefix)) expiryQueue += size;
      else if (hexBytes(key) >= 40 && ids.has(idOfKey(key))) byRequest += size;
    }
    if (keys.length < 1000) break;
    startKey = keys[keys.length - 1];
  }
  return { byRequest, expiryQueue };
}

/** Sets a governance parameter of the Zenrock pallets through sudo (dev chain). */
async function setParameter(api, sudo, name, value) {
  const result = await send(
    api,
    sudo,
    api.tx.sudo.sudo(api.tx.parameters.setParameter({ Zenrock: { [name]: [null, value] } })),
  );
  if (!result.ok) throw new Error(`setting ${name}: ${result.error}`);
  const failed = result.events.find((event) => event.section === 'sudo' && event.method === 'Sudid' && event.data[0].isErr);
  if (failed) throw new Error(`setting ${name}: ${describeDispatchError(api, failed.data[0].asErr)}`);
}

/**
 * Runs the load against the node at `wsUrl` (`api` is connected to it); `alice` funds the
 * requesters and is sudo. Options: `requests`, `requesters`,
 * `waves` (blocks over which the requests are submitted), `timeoutMs`, `requestTimeout` and
 * `retention` (blocks, set through governance for the run), `waitForRemoval`, `log`.
 */
export async function runLoad(api, wsUrl, alice, options) {
  const {
    requests,
    requesters: requesterCount = 10,
    waves = 1,
    timeoutMs = 300_000,
    requestTimeout = 20,
    retention = 1,
    waitForRemoval = false,
    log = () => {},
  } = options;
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const requesters = Array.from({ length: requesterCount }, (_, i) => keyring.addFromUri(`//Alice//load//${i}`));
  const perRequester = Math.ceil(requests / requesterCount);

  // Governance: a short timeout and retention for the run.
  await setParameter(api, alice, 'RequestTimeout', requestTimeout);
  await setParameter(api, alice, 'RequestRetention', retention);

  // Fund the requesters: the sign fee of each request plus transaction fees, with room.
  const keyringInfo = (await api.query.zenrockIdentity.keyrings(DEV_KEYRING)).unwrap();
  const perRequestFee = keyringInfo.signRequestFee.toBigInt() + ZEN;
  const funding = BigInt(perRequester) * perRequestFee + 1_000n * ZEN;
  let aliceNonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
  const funded = await Promise.all(
    requesters.map((r) =>
      send(api, alice, api.tx.balances.transferKeepAlive(r.address, funding), { nonce: aliceNonce++ }),
    ),
  );
  for (const result of funded) if (!result.ok) throw new Error(`funding: ${result.error}`);
  log(`funded ${requesterCount} requesters with ${funding / ZEN} ZEN each`);

  // A workspace and an ECDSA key each.
  const created = await Promise.all(
    requesters.map((r) => send(api, r, api.tx.zenrockIdentity.createWorkspace([], null, null))),
  );
  const workspaces = created.map((result) => {
    if (!result.ok) throw new Error(`create_workspace: ${result.error}`);
    return result.find(api.events.zenrockIdentity.WorkspaceCreated).data.workspace.toNumber();
  });
  const keyRequests = await Promise.all(
    requesters.map((r, i) =>
      send(api, r, api.tx.zenrockTreasury.requestKey(workspaces[i], DEV_KEYRING, 'EcdsaSecp256k1', null, NO_FEE_LIMIT, null)),
    ),
  );
  const keyRequestIds = keyRequests.map((result) => {
    if (!result.ok) throw new Error(`request_key: ${result.error}`);
    return result.find(api.events.zenrockTreasury.KeyRequested).data.request.toNumber();
  });
  const keys = new Map();
  const keyDeadline = Date.now() + 120_000;
  while (keys.size < requesterCount) {
    if (Date.now() > keyDeadline) throw new Error(`only ${keys.size} of ${requesterCount} keys created`);
    for (const id of keyRequestIds) {
      if (keys.has(id)) continue;
      const request = await api.query.zenrockTreasury.keyRequests(id);
      if (request.isSome && request.unwrap().status.isFulfilled) keys.set(id, id);
    }
    await sleep(1000);
  }
  log(`${requesterCount} workspaces with a key each`);

  // Pre-sign every request: requester i sends its share with consecutive nonces.
  const firstRequestId = (await api.query.zenrockTreasury.nextRequestId()).toNumber();
  const signed = [];
  for (let i = 0; i < requesterCount; i += 1) {
    const r = requesters[i];
    let nonce = (await api.rpc.system.accountNextIndex(r.address)).toNumber();
    const count = Math.min(perRequester, requests - i * perRequester);
    for (let k = 0; k < count; k += 1) {
      const hash = blake2AsU8a(`load ${i} ${k} ${Date.now()}`);
      const tx = api.tx.zenrockTreasury.requestSignature(keyRequestIds[i], [u8aToHex(hash)], NO_FEE_LIMIT, null);
      await tx.signAsync(r, { nonce: nonce++, era: 0, blockHash: api.genesisHash });
      signed.push({ requester: i, tx });
    }
  }
  // Interleave the requesters (each one's nonces stay in order), then cut into waves.
  signed.sort((a, b) => a.tx.nonce.toNumber() - b.tx.nonce.toNumber() || a.requester - b.requester);
  const waveSize = Math.ceil(signed.length / waves);
  log(`${signed.length} signed requests, ${waves} wave(s) of up to ${waveSize}`);

  // Follow the blocks: requests accepted and answered per block.
  const requesterAddresses = new Set(requesters.map((r) => r.address));
  const requestedAt = new Map();
  const fulfilledAt = new Map();
  const perBlock = new Map();
  let refusedOnChain = 0;
  const row = (number) => {
    if (!perBlock.has(number)) perBlock.set(number, { accepted: 0, answered: 0, signed: 0 });
    return perBlock.get(number);
  };
  let next = (await api.rpc.chain.getHeader()).number.toNumber() + 1;
  let best = next - 1;
  const readBlocks = async () => {
    while (next <= best) {
      const hash = await api.rpc.chain.getBlockHash(next);
      const [block, records] = await Promise.all([api.rpc.chain.getBlock(hash), api.query.system.events.at(hash)]);
      const entry = row(next);
      entry.signed = block.block.extrinsics.filter((x) => x.isSigned).length;
      for (const { event, phase } of records) {
        if (api.events.zenrockTreasury.SignatureRequested.is(event)) {
          if (requesterAddresses.has(event.data.requester.toString())) {
            requestedAt.set(event.data.request.toNumber(), next);
            entry.accepted += 1;
          }
        } else if (api.events.zenrockTreasury.SignatureRequestFulfilled.is(event)) {
          const id = event.data.request.toNumber();
          if (id >= firstRequestId) {
            fulfilledAt.set(id, next);
            entry.answered += 1;
          }
        } else if (api.events.system.ExtrinsicFailed.is(event) && phase.isApplyExtrinsic) {
          const extrinsic = block.block.extrinsics[phase.asApplyExtrinsic.toNumber()];
          if (extrinsic?.isSigned && requesterAddresses.has(extrinsic.signer.toString())) refusedOnChain += 1;
        }
      }
      next += 1;
    }
  };
  const unsubscribe = await api.rpc.chain.subscribeNewHeads((header) => {
    best = Math.max(best, header.number.toNumber());
  });

  let refusedByPool = 0;
  const submitWave = async (wave) => {
    for (let start = 0; start < wave.length; start += 250) {
      const results = await Promise.allSettled(
        wave.slice(start, start + 250).map(({ tx }) => api.rpc.author.submitExtrinsic(tx)),
      );
      for (const result of results) {
        if (result.status === 'rejected') {
          refusedByPool += 1;
          if (refusedByPool <= 3) log(`refused by the pool: ${result.reason.message}`);
        }
      }
    }
  };
  const startedAt = Date.now();
  try {
    for (let w = 0; w < waves; w += 1) {
      const wave = signed.slice(w * waveSize, (w + 1) * waveSize);
      if (w > 0) {
        const target = best + 1;
        while (best < target) await sleep(100);
      }
      await submitWave(wave);
      log(`wave ${w + 1}: ${wave.length} submitted`);
    }
    const submitted = signed.length - refusedByPool;
    for (;;) {
      await readBlocks();
      const decided = [...requestedAt.keys()].filter((id) => fulfilledAt.has(id)).length;
      if (requestedAt.size + refusedOnChain >= submitted && decided === requestedAt.size) break;
      if (Date.now() - startedAt > timeoutMs) break;
      await sleep(500);
    }
  } finally {
    unsubscribe();
  }

  const latencies = [...requestedAt.entries()]
    .filter(([id]) => fulfilledAt.has(id))
    .map(([id, at]) => fulfilledAt.get(id) - at)
    .sort((a, b) => a - b);
  const blocks = [...perBlock.entries()].sort((a, b) => a[0] - b[0]);
  const ids = new Set(requestedAt.keys());
  const retained = await treasuryStateBytes(wsUrl, ids);
  const report = {
    requests: signed.length,
    requesters: requesterCount,
    accepted: requestedAt.size,
    fulfilled: latencies.length,
    refused: refusedByPool + refusedOnChain,
    latency: { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), max: latencies[latencies.length - 1] },
    blocks: blocks.map(([number, counts]) => ({ number, ...counts })),
    stateBytesPerFinishedRequest: ids.size ? retained.byRequest / ids.size : NaN,
    expiryQueueBytesPerRequest: ids.size ? retained.expiryQueue / ids.size : NaN,
    stateBytesPerRequestAfterRetention: null,
  };

  if (waitForRemoval && requestedAt.size > 0) {
    // Removed once the deadline plus the retention period passed, at most 512 per block.
    const lastId = Math.max(...requestedAt.keys());
    const deadline = Date.now() + (requestTimeout + retention + Math.ceil(requestedAt.size / 512) + 10) * 7_000;
    while ((await api.query.zenrockTreasury.nextRequestToPrune()).toNumber() <= lastId) {
      if (Date.now() > deadline) throw new Error('finished requests were not removed after their retention');
      await sleep(2000);
    }
    report.stateBytesPerRequestAfterRetention = (await treasuryStateBytes(wsUrl, ids)).byRequest / ids.size;
  }
  return report;
}

/** The report as text: one line per block with requests, then the figures. */
export function formatReport(report) {
  const lines = ['block  signed txs  accepted  answered'];
  for (const b of report.blocks) {
    if (b.accepted || b.answered) {
      lines.push(`${String(b.number).padStart(5)}  ${String(b.signed).padStart(10)}  ${String(b.accepted).padStart(8)}  ${String(b.answered).padStart(8)}`);
    }
  }
  lines.push(
    `requests ${report.requests} from ${report.requesters} requesters: accepted ${report.accepted}, fulfilled ${report.fulfilled}, refused ${report.refused}`,
    `latency in blocks (request's block to fulfilment's block): p50 ${report.latency.p50}, p95 ${report.latency.p95}, max ${report.latency.max}`,
    `treasury state per finished request while retained: ${report.stateBytesPerFinishedRequest.toFixed(1)} bytes (plus ${report.expiryQueueBytesPerRequest.toFixed(1)} bytes of expiry queue until its deadline)`,
  );
  if (report.stateBytesPerRequestAfterRetention !== null) {
    lines.push(`treasury state per finished request after its retention: ${report.stateBytesPerRequestAfterRetention.toFixed(1)} bytes`);
  }
  return lines.join('\n');
}
