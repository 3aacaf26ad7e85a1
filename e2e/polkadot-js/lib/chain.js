// Helpers for talking to the chain the way a Polkadot.js user does: dev accounts, sign-and-send
// with the events of the extrinsic decoded by name, dispatch errors decoded to `Pallet.ErrorName`,
// and waiting for events in later blocks.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

/** Connects to `wsUrl` and waits until the API is ready (metadata loaded). */
export async function connect(wsUrl) {
  const provider = new WsProvider(wsUrl, 1000, {}, 30_000);
  const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
  await api.isReady;
  return api;
}

/**
 * Calls a JSON-RPC method @polkadot/api has no definition for (e.g. `author_rotateKeysWithOwner`,
 * newer than 16.5.6) on its own connection, closed afterwards.
 */
export async function rawRpc(wsUrl, method, params) {
  const provider = new WsProvider(wsUrl, false);
  try {
    await provider.connect();
    await provider.isReady;
    return await provider.send(method, params);
  } finally {
    await provider.disconnect().catch(() => {});
  }
}

/** The well-known development accounts (sr25519, `//Alice` ...), keyed by lower-case name. */
export async function devAccounts() {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const accounts = {};
  for (const name of ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']) {
    accounts[name.toLowerCase()] = keyring.addFromUri(`//${name}`, { name });
  }
  return accounts;
}

/** The name of the pallet with metadata index `index`, as the runtime names it (`Treasury`). */
export function palletName(api, index) {
  const pallet = api.runtimeMetadata.asLatest.pallets.find((p) => p.index.eqn(Number(index)));
  return pallet ? pallet.name.toString() : `Pallet#${index}`;
}

/**
 * A `DispatchError` (from a failed extrinsic, or carried in an event such as
 * `ZenrockPolicy.ActionFailed`) as text: `Pallet.ErrorName` for module errors (decoded with
 * `api.registry.findMetaError`), else the variant and its detail, e.g. `Token.FundsUnavailable`.
 */
export function describeDispatchError(api, dispatchError) {
  if (dispatchError.isModule) {
    const meta = api.registry.findMetaError(dispatchError.asModule);
    return `${palletName(api, dispatchError.asModule.index)}.${meta.name}`;
  }
  const kind = dispatchError.type;
  const inner = dispatchError.value;
  if (inner && typeof inner.type === 'string') return `${kind}.${inner.type}`;
  return kind;
}

/** `section.method` of an event, e.g. `treasury.KeyRequested` (for messages). */
export const eventName = (event) => `${event.section}.${event.method}`;

/**
 * Signs `tx` as `signer`, submits it, and waits until it is in a block.
 *
 * Resolves with `{ blockHash, blockNumber, events, error, ok, find, filter, names }`:
 * - `events`: the extrinsic's own events (`EventRecord.event`), in order;
 * - `error`: `null` on success, else the dispatch error as `Pallet.ErrorName`;
 * - `find(def)` / `filter(def)`: the events `def.is(event)` holds for, where `def` is an event
 *   definition such as `api.events.zenrockTreasury.KeyRequested`;
 * - `names`: `section.method` of every event, for assertion messages.
 *
 * `nonce`: -1 (default) takes the account's next nonce including the transaction pool; give
 * explicit nonces to submit several transactions of one account at once.
 *
 * Rejects if the transaction is invalid, dropped or not included within `timeoutMs`.
 */
export function send(api, signer, tx, { timeoutMs = 60_000, nonce = -1 } = {}) {
  return new Promise((resolve, reject) => {
    let unsubscribe = null;
    let settled = false;
    const finish = (fn, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (unsubscribe) unsubscribe();
      fn(value);
    };
    const label = `${tx.method.section}.${tx.method.method}`;
    const timer = setTimeout(
      () => finish(reject, new Error(`${label} by ${signer.meta.name ?? signer.address} not in a block within ${timeoutMs} ms`)),
      timeoutMs,
    );
    tx.signAndSend(signer, { nonce }, async (result) => {
      const { status } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped || status.isFinalityTimeout) {
        finish(reject, new Error(`${label}: transaction ${status.type}`));
        return;
      }
      if (!status.isInBlock) return;
      try {
        const blockHash = status.asInBlock;
        const header = await api.rpc.chain.getHeader(blockHash);
        const events = result.events.map((record) => record.event);
        const error = result.dispatchError ? describeDispatchError(api, result.dispatchError) : null;
        finish(resolve, {
          blockHash,
          blockNumber: header.number.toNumber(),
          events,
          error,
          ok: error === null,
          find: (def) => events.find((event) => def.is(event)),
          filter: (def) => events.filter((event) => def.is(event)),
          names: events.map(eventName),
        });
      } catch (error) {
        finish(reject, error);
      }
    })
      .then((unsub) => {
        if (settled) unsub();
        else unsubscribe = unsub;
      })
      .catch((error) => finish(reject, new Error(`${label}: ${error.message}`)));
  });
}

/**
 * Waits for the first event in a block after `afterBlock` (a block number; default: the current
 * best block) for which `predicate(event, record)` holds. Blocks are read in order, including any
 * produced between `afterBlock` and the subscription, so nothing is missed.
 *
 * Resolves with `{ event, blockNumber, blockHash }`; rejects after `timeoutMs` with `what` in the
 * message.
 */
export async function waitForEvent(api, predicate, { afterBlock, timeoutMs = 60_000, what = 'event' } = {}) {
  let next = (afterBlock ?? (await api.rpc.chain.getHeader()).number.toNumber()) + 1;
  return new Promise((resolve, reject) => {
    let unsubscribe = null;
    let settled = false;
    let scanning = Promise.resolve();
    const finish = (fn, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (unsubscribe) unsubscribe();
      fn(value);
    };
    const timer = setTimeout(
      () => finish(reject, new Error(`no ${what} within ${timeoutMs} ms (read up to block ${next - 1})`)),
      timeoutMs,
    );
    const scanTo = (best) => {
      scanning = scanning
        .then(async () => {
          while (!settled && next <= best) {
            const blockHash = await api.rpc.chain.getBlockHash(next);
            const records = await api.query.system.events.at(blockHash);
            for (const record of records) {
              if (predicate(record.event, record)) {
                finish(resolve, { event: record.event, blockNumber: next, blockHash });
                return;
              }
            }
            next += 1;
          }
        })
        .catch((error) => finish(reject, error));
    };
    api.rpc.chain
      .subscribeNewHeads((header) => scanTo(header.number.toNumber()))
      .then((unsub) => {
        if (settled) unsub();
        else unsubscribe = unsub;
      })
      .catch((error) => finish(reject, error));
  });
}

/** Waits until the best block number is at least `number`. */
export async function waitForBlock(api, number, { timeoutMs = 60_000 } = {}) {
  return waitForEvent(api, () => true, { afterBlock: number - 1, timeoutMs, what: `block ${number}` });
}

/** The `.toHuman()` of an event's data, keyed by field name (for messages). */
export const eventData = (event) => event.data.toHuman();

/** The dev chain's FROST keyring: Alice, Bob and Charlie, threshold 2, served by the dev node. */
export const DEV_FROST_KEYRING = 1;
/** A request's `max_fee` that accepts any keyring fee (u128::MAX). */
export const NO_FEE_LIMIT = (1n << 128n) - 1n;
/** The dev chain's threshold ECDSA keyring (Alice, Bob, Charlie; 2 of 3). */
export const DEV_ECDSA_KEYRING = 2;

/**
 * Waits until every party of threshold keyring `keyring` has registered its encryption key and
 * pooled nonce commitments for both suites (Ed25519, Secp256k1Taproot): key requests are accepted from
 * then on. Until then the dev node's keyring controller submits transactions as Alice, Bob and
 * Charlie, which would race a test's own transactions for their nonces. Resolves with the best
 * block number at that point.
 */
/** Waits until threshold ECDSA keyring `keyring` is set up (auxiliary info and master key);
 * returns the block number then. */
export async function waitForEcdsaSetup(api, keyring = DEV_ECDSA_KEYRING, { timeoutMs = 300_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await api.query.zenrockMpc.ecdsaKeyrings(keyring);
    if (record.isSome && record.unwrap().auxReady.isTrue && record.unwrap().master.isSome) {
      return (await api.rpc.chain.getHeader()).number.toNumber();
    }
    if (Date.now() > deadline) throw new Error(`threshold ECDSA keyring ${keyring} was not set up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

export async function waitForThresholdParties(api, keyring = DEV_FROST_KEYRING, { timeoutMs = 120_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  const ready = async (party) => {
    if ((await api.query.zenrockMpc.encryptionKeys(party)).isNone) return false;
    for (const suite of ['Ed25519', 'Secp256k1Taproot']) {
      if ((await api.query.zenrockMpc.commitmentPool([keyring, suite], party)).length === 0) return false;
    }
    return true;
  };
  for (;;) {
    const parties = (await api.query.zenrockIdentity.keyrings(keyring)).unwrap().parties;
    const states = await Promise.all(parties.map(ready));
    if (states.every(Boolean)) return (await api.rpc.chain.getHeader()).number.toNumber();
    if (Date.now() > deadline) {
      throw new Error(`the parties of keyring ${keyring} did not register and pool commitments within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
