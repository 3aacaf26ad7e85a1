// A bounded load of signature requests against a dev node, by hand:
//
//   node load.js [--requests 1000] [--requesters 10] [--waves 1] [--ws ws://127.0.0.1:9944]
//
// Without --ws it starts its own `zenrock-node --dev` (as the tests do: loopback, free ports,
// stopped at the end, also on failure). Prints requests accepted and answered per block, latency
// in blocks (p50, p95, max) and the treasury's state per finished request. `--waves 5` sends the
// requests over five consecutive blocks; `--keep-state` skips waiting for the retention period.

import { startNode } from './lib/node.js';
import { connect, devAccounts } from './lib/chain.js';
import { formatReport, runLoad } from './lib/load.js';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1] : fallback;
}

const requests = Number(option('requests', 1000));
const requesters = Number(option('requesters', 10));
const waves = Number(option('waves', 1));
const external = option('ws', null);
if (!Number.isInteger(requests) || requests < 1 || requests > 20_000) {
  console.error('--requests must be an integer from 1 to 20000');
  process.exit(2);
}

const node = external ? { wsUrl: external, stop: async () => {}, logTail: () => '' } : await startNode();
let api;
try {
  api = await connect(node.wsUrl);
  const accounts = await devAccounts();
  const report = await runLoad(api, node.wsUrl, accounts.alice, {
    requests,
    requesters,
    waves,
    requestTimeout: Number(option('request-timeout', 20)),
    retention: 1,
    waitForRemoval: !process.argv.includes('--keep-state'),
    timeoutMs: 600_000,
    log: (line) => console.log(line),
  });
  console.log(formatReport(report));
} catch (error) {
  console.error(error.message);
  if (node.logTail) console.error(node.logTail(40));
  process.exitCode = 1;
} finally {
  if (api) await api.disconnect().catch(() => {});
  await node.stop();
}
