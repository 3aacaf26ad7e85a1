// The request pipeline under a bounded load, on its own `zenrock-node --dev`: 200 signature
// requests from 10 requesters sent at once are all accepted and fulfilled, 95 % of them within two
// blocks of their inclusion, and their state is removed after the retention period. Meanwhile a
// transfer is sent every block, and the session-change and era-change blocks must include it with
// their mandatory weight (the election's) leaving half of the normal class free.
// Larger loads by hand: `node load.js --requests 1000` (see README).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startNode } from '../lib/node.js';
import { connect, devAccounts, waitForBlock, waitForEcdsaSetup, waitForThresholdParties } from '../lib/chain.js';
import { formatReport, runLoad } from '../lib/load.js';

const REQUESTS = 200;
const REQUESTERS = 10;

describe('request pipeline under load', { concurrency: 1 }, () => {
  let node;
  let api;
  let accounts;

  before(async () => {
    node = await startNode();
    api = await connect(node.wsUrl);
    accounts = await devAccounts();
    // Alice funds the requesters: first let the dev node's threshold-keyring parties (Alice among
    // them) finish their own start-up transactions.
    await waitForThresholdParties(api);
    // Likewise keyring 2's one-time threshold ECDSA setup (its parties' ceremony messages).
    await waitForEcdsaSetup(api);
  }, { timeout: 480_000 });

  after(async () => {
    if (api) await api.disconnect().catch(() => {});
    if (node) await node.stop();
  }, { timeout: 30_000 });

  it(`${REQUESTS} signature requests at once: all fulfilled, p95 within 2 blocks, state removed after retention; session and era changes take transactions`, { timeout: 600_000 }, async () => {
    // One ordinary transfer per block, so that every block has a transaction to include.
    const { eve, ferdie } = accounts;
    let ticking = true;
    const unsubscribe = await api.rpc.chain.subscribeNewHeads((header) => {
      if (!ticking || header.number.toNumber() > 21) return;
      api.tx.balances.transferKeepAlive(eve.address, 1_000_000n).signAndSend(ferdie, { nonce: -1 }).catch(() => {});
    });

    try {
      let report;
      try {
        report = await runLoad(api, node.wsUrl, accounts.alice, {
          requests: REQUESTS,
          requesters: REQUESTERS,
          requestTimeout: 10,
          retention: 1,
          waitForRemoval: true,
          timeoutMs: 180_000,
          log: (line) => console.log(line),
        });
      } catch (error) {
        error.message += `\nnode log:\n${node.logTail(40)}`;
        throw error;
      }
      console.log(formatReport(report));
      assert.equal(report.refused, 0, 'no request refused');
      assert.equal(report.accepted, REQUESTS, 'all accepted');
      assert.equal(report.fulfilled, REQUESTS, 'all fulfilled');
      assert.ok(report.latency.p95 <= 2, `p95 latency ${report.latency.p95} blocks`);
      assert.equal(report.stateBytesPerRequestAfterRetention, 0, 'no state left after the retention period');

      // Session changes (Session.NewSession) and the first era change (Staking.EraPaid, block 20
      // on the development preset: 10-block sessions, 2 sessions per era).
      await waitForBlock(api, 21, { timeoutMs: 180_000 });
      const best = (await api.rpc.chain.getHeader()).number.toNumber();
      const limits = api.consts.system.blockWeights;
      const maxBlock = limits.maxBlock.refTime.toBigInt();
      const normalMax = limits.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
      let sessionChanges = 0;
      let eraChanges = 0;
      for (let number = 2; number <= best; number += 1) {
        const hash = await api.rpc.chain.getBlockHash(number);
        const events = await api.query.system.events.at(hash);
        const newSession = events.some(({ event }) => api.events.session.NewSession.is(event));
        if (!newSession) continue;
        sessionChanges += 1;
        if (events.some(({ event }) => api.events.staking.EraPaid.is(event))) eraChanges += 1;
        const block = await api.rpc.chain.getBlock(hash);
        const signed = block.block.extrinsics.filter((x) => x.isSigned).length;
        const weight = await api.query.system.blockWeight.at(hash);
        const mandatory = weight.mandatory.refTime.toBigInt();
        console.log(`block ${number}: session change, ${signed} signed transaction(s), mandatory weight ${Number(mandatory) / 1e9} ms of ${Number(maxBlock) / 1e9} ms`);
        assert.ok(signed >= 1, `block ${number} (session change) includes ordinary transactions`);
        assert.ok(maxBlock - mandatory >= normalMax / 2n, `block ${number}: mandatory ${mandatory} leaves less than half of the normal class`);
      }
      assert.ok(sessionChanges >= 2, `${sessionChanges} session changes seen up to block ${best}`);
      assert.ok(eraChanges >= 1, `an era change seen up to block ${best}`);
    } finally {
      ticking = false;
      unsubscribe();
    }
  });
});
