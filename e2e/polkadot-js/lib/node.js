// Starts a real `zenrock-node --dev` for the suite and always stops it.
//
// The node runs on free loopback ports with a fresh base path under the OS temp directory. It is
// stopped and its base path removed by `stop()` (call it from an `after` hook), on the test
// process's exit, on SIGINT/SIGTERM/SIGHUP, and, should the test process be killed outright
// (SIGKILL, OOM), by a small detached watchdog process that notices the test process is gone.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The node binary: `$ZENROCK_NODE`, else `$CARGO_TARGET_DIR/release/zenrock-node` with
 * `CARGO_TARGET_DIR` defaulting to `$HOME/.cache/zenrock/target` (what scripts/env.sh uses). */
export function nodeBinary() {
  if (process.env.ZENROCK_NODE) return process.env.ZENROCK_NODE;
  const target =
    process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'zenrock', 'target');
  return path.join(target, 'release', 'zenrock-node');
}

/** A free TCP port on 127.0.0.1 (the OS picks it; the listener is closed at once). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nodes started by this process that are not stopped yet (for the exit and signal handlers). */
const running = new Set();
let handlersInstalled = false;

function killNow(node) {
  try {
    if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGKILL');
  } catch {
    // already gone
  }
  try {
    fs.rmSync(node.basePath, { recursive: true, force: true });
  } catch {
    // best effort on exit; the watchdog retries
  }
  running.delete(node);
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Synchronous cleanup on any exit of this process (process.exit, end of the event loop, an
  // uncaught exception).
  process.on('exit', () => {
    for (const node of [...running]) killNow(node);
  });
  // Signals: clean up, then exit with the conventional status (128 + signal number).
  for (const [signal, number] of [
    ['SIGINT', 2],
    ['SIGTERM', 15],
    ['SIGHUP', 1],
  ]) {
    process.once(signal, () => {
      for (const node of [...running]) killNow(node);
      process.exit(128 + number);
    });
  }
}

/** A detached process that kills the node and removes its base path if this process dies
 * without doing so (e.g. SIGKILL). It exits by itself once the node is gone. */
function startWatchdog(parentPid, nodePid, basePath) {
  const script = `
    const fs = require('node:fs');
    const [parent, child, dir] = [Number(process.argv[1]), Number(process.argv[2]), process.argv[3]];
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    const timer = setInterval(() => {
      if (!alive(child)) {
        // The node is gone: give the test process a moment to remove the directory, then make sure.
        setTimeout(() => { if (!alive(parent)) fs.rmSync(dir, { recursive: true, force: true }); process.exit(0); }, 2000);
        clearInterval(timer);
        return;
      }
      if (!alive(parent)) {
        try { process.kill(child, 'SIGKILL'); } catch {}
        setTimeout(() => { fs.rmSync(dir, { recursive: true, force: true }); process.exit(0); }, 1000);
        clearInterval(timer);
      }
    }, 1000);
  `;
  const watchdog = spawn(
    process.execPath,
    ['-e', script, String(parentPid), String(nodePid), basePath],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
  return watchdog;
}

async function rpcHealthy(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
      signal: AbortSignal.timeout(2000),
    });
    if (!response.ok) return false;
    const body = await response.json();
    return body.result !== undefined;
  } catch {
    return false;
  }
}

/** Published Paillier primes for the dev node's threshold ECDSA parties (tests only: new ones
 * take about a minute of a core per party). */
export const TEST_PAILLIER_PRIMES = fileURLToPath(new URL('../../../test-support/data/paillier-primes.txt', import.meta.url));

/**
 * Starts `zenrock-node` with `args` (default `['--dev']`, with the test Paillier primes) and waits
 * until its RPC answers.
 *
 * Returns `{ wsUrl, httpUrl, rpcPort, basePath, pid, logTail(n), stop() }`. `stop()` is idempotent:
 * SIGTERM, then SIGKILL after 10 s, then removes the base path.
 */
export async function startNode({ args = ['--dev'], rpcTimeoutMs = 120_000, logLines = 2000 } = {}) {
  const binary = nodeBinary();
  if (!fs.existsSync(binary)) {
    throw new Error(
      `zenrock-node not found at ${binary}: build it (./scripts/run-dev.sh or cargo build --release -p zenrock-node) or set ZENROCK_NODE`,
    );
  }
  installHandlers();
  const basePath = fs.mkdtempSync(path.join(os.tmpdir(), 'zenrock-e2e-js-'));
  const rpcPort = await freePort();
  let p2pPort = await freePort();
  while (p2pPort === rpcPort) p2pPort = await freePort();

  const child = spawn(
    binary,
    [
      ...args,
      '--test-paillier-primes',
      TEST_PAILLIER_PRIMES,
      '--base-path',
      basePath,
      '--rpc-port',
      String(rpcPort),
      '--listen-addr',
      `/ip4/127.0.0.1/tcp/${p2pPort}`,
      '--no-prometheus',
      '--no-telemetry',
      '--no-mdns',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );

  // Keep the last lines of the node's output, to show when something fails.
  const log = [];
  const keep = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.length === 0) continue;
      log.push(line);
      if (log.length > logLines) log.shift();
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const spawnError = new Promise((resolve) => child.once('error', (error) => resolve(error)));

  let stopped;
  const node = {
    child,
    basePath,
    rpcPort,
    pid: child.pid,
    wsUrl: `ws://127.0.0.1:${rpcPort}`,
    httpUrl: `http://127.0.0.1:${rpcPort}`,
    logTail: (lines = 40) => log.slice(-lines).join('\n'),
    /** Whether the node process is still running. */
    isRunning: () => child.exitCode === null && child.signalCode === null,
    stop() {
      stopped ??= (async () => {
        if (node.isRunning()) {
          child.kill('SIGTERM');
          const done = await Promise.race([exited, sleep(10_000).then(() => null)]);
          if (done === null && node.isRunning()) {
            child.kill('SIGKILL');
            await exited;
          }
        }
        fs.rmSync(basePath, { recursive: true, force: true });
        running.delete(node);
      })();
      return stopped;
    },
  };
  running.add(node);
  if (child.pid !== undefined) startWatchdog(process.pid, child.pid, basePath);

  const deadline = Date.now() + rpcTimeoutMs;
  // Set once the process exits or cannot be spawned, so that waiting stops early.
  let failure = null;
  Promise.race([exited, spawnError]).then((outcome) => {
    failure = outcome;
  });
  while (Date.now() < deadline) {
    if (failure !== null) break;
    if (await rpcHealthy(rpcPort)) return node;
    await sleep(250);
  }
  await node.stop();
  const why =
    failure instanceof Error
      ? `could not be started: ${failure.message}`
      : failure !== null
        ? `exited (${JSON.stringify(failure)})`
        : `did not answer RPC within ${rpcTimeoutMs} ms`;
  throw new Error(`zenrock-node ${why}; last log lines:\n${node.logTail(40)}`);
}
