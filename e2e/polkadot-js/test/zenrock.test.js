// The Zenrock user story end to end, as a Polkadot.js user does it, against a real
// `zenrock-node --dev`: policies, a workspace, a key from the node's keyring controller, signatures
// verified here with @noble/curves, transaction signatures gated on `tx.value`, and the pallets'
// errors decoded by name. One node for the whole file; the tests run in order and build on each
// other (a later test fails fast with a clear message if an earlier one did not produce what it
// needs).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startNode } from '../lib/node.js';
import { DEV_ECDSA_KEYRING, DEV_FROST_KEYRING, NO_FEE_LIMIT, connect, describeDispatchError, devAccounts, rawRpc, send, waitForEcdsaSetup, waitForEvent, waitForThresholdParties } from '../lib/chain.js';
import { ed25519 } from '@noble/curves/ed25519';
import { schnorr } from '@noble/curves/secp256k1';
import { encodeAddress } from '@polkadot/util-crypto';
import {
  checksumAddress,
  decodeSignedEip1559,
  eip1559Unsigned,
  equalBytes,
  evmAddress,
  fromHex,
  keccak_256,
  toHex,
  typedSigningHash,
  verifyRecoverable,
} from '../lib/evm.js';

/** The Permit2 `PermitSingle` of Uniswap's permit2 tests (test/TypehashGeneration.t.sol), and its
 * EIP-712 digest (eth-account agrees; the MetaMask signature published there recovers from it). */
const PERMIT2_SINGLE = JSON.stringify({
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    PermitSingle: [
      { name: 'details', type: 'PermitDetails' },
      { name: 'spender', type: 'address' },
      { name: 'sigDeadline', type: 'uint256' },
    ],
    PermitDetails: [
      { name: 'token', type: 'address' },
      { name: 'amount', type: 'uint160' },
      { name: 'expiration', type: 'uint48' },
      { name: 'nonce', type: 'uint48' },
    ],
  },
  primaryType: 'PermitSingle',
  domain: { name: 'Permit2', chainId: 1, verifyingContract: '0xCe71065D4017F316EC606Fe4422e11eB2c47c246' },
  message: {
    details: { token: '0x1f9840a85d5aF5bf1D1762F925BDADdC4201F984', amount: '100', expiration: '946902158100', nonce: '0' },
    spender: '0x68b3465833fb72A70ecDF485E0e4C7bD8665Fc45',
    sigDeadline: '146902158100',
  },
});
const PERMIT2_SINGLE_DIGEST = '0x6a4964621b8c850feebefb04dd997d9d109a807ec26f7fdc26282c3b2f0e2c74';

/** 1 ZEN in plancks (12 decimals). */
const ZEN = 10n ** 12n;
/** The genesis keyring of the dev chain, served by the node's own keyring controller. */
const GENESIS_KEYRING = 0;
/** How long the keyring controller may take to answer (it answers within a few 6 s blocks). */
const FULFIL_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 240_000;

/** The runtime's own pallets, by their metadata names. */
const ZENROCK_PALLET_NAMES = [
  'ZenrockPolicy',
  'ZenrockIdentity',
  'ZenrockTreasury',
  'ZenrockMpc',
  'ZenrockKeyringController',
  'ZenrockRelayer',
  'SessionTiming',
];
const ZENROCK_PALLETS = (name) => ZENROCK_PALLET_NAMES.includes(name);
/**
 * Names of FRAME pallets this runtime does not run. Wallets, explorers and the Polkadot.js
 * libraries recognise a pallet by its name (apps calls `identity.subsOf` on any `Identity`), so
 * none of our pallets may carry one of these names.
 */
const FRAME_NAMES_NOT_RUN = [
  'Identity', 'Treasury', 'Multisig', 'Proxy', 'Utility', 'Assets', 'Nfts', 'Uniques', 'Society',
  'Recovery', 'Vesting', 'Bounties', 'ChildBounties', 'Tips', 'Council', 'TechnicalCommittee',
  'Democracy', 'Elections', 'PhragmenElection', 'Indices', 'Contracts', 'Revive', 'Lottery', 'Nis',
  'Whitelist', 'Salary', 'Alliance', 'Broker', 'Membership', 'Collective', 'AssetRate',
  'Claims', 'Registrar', 'Crowdloan', 'Auctions', 'Slots', 'Fellowship', 'FellowshipCollective',
];

/** State shared by the ordered tests. */
const story = {};

function need(...names) {
  for (const name of names) {
    assert.ok(story[name] !== undefined, `an earlier test should have produced ${name}`);
  }
}

describe('Zenrock on Substrate through Polkadot.js', { concurrency: 1 }, () => {
  let node;
  let api;
  let accounts;

  before(async () => {
    if (process.env.ZENROCK_E2E_WS) {
      // A node that is already running (e.g. ./scripts/run-dev.sh): not started or stopped here.
      node = { wsUrl: process.env.ZENROCK_E2E_WS, logTail: () => '(external node: log not captured)', stop: async () => {} };
    } else {
      node = await startNode();
    }
    api = await connect(node.wsUrl);
    accounts = await devAccounts();
    // The dev node's keyring controller registers keyring 1's parties (Alice, Bob, Charlie) in
    // the first blocks; the tests send as the same accounts, so they start once it is done.
    await waitForThresholdParties(api);
    // Likewise keyring 2's one-time threshold ECDSA setup (its parties' ceremony messages).
    await waitForEcdsaSetup(api);
  }, { timeout: 480_000 });

  after(async () => {
    if (api) await api.disconnect().catch(() => {});
    if (node) await node.stop();
  }, { timeout: 30_000 });

  /** `send`, with the node's recent log added to the message if it throws. */
  async function submit(signer, tx, options) {
    try {
      return await send(api, signer, tx, options);
    } catch (error) {
      error.message += `\nnode log:\n${node.logTail(30)}`;
      throw error;
    }
  }

  /** Waits for `def` (an `api.events.*` definition) with `match(data)` after block `afterBlock`. */
  async function waitFor(def, match, afterBlock, what) {
    try {
      return await waitForEvent(api, (event) => def.is(event) && match(event.data), {
        afterBlock,
        timeoutMs: FULFIL_TIMEOUT_MS,
        what,
      });
    } catch (error) {
      error.message += `\nnode log:\n${node.logTail(30)}`;
      throw error;
    }
  }

  const expectOk = (result, what) =>
    assert.equal(result.error, null, `${what} failed with ${result.error}; events: ${result.names.join(', ')}`);

  // --------------------------------------------------------------------------------------------
  // Metadata
  // --------------------------------------------------------------------------------------------

  /** The Zenrock pallets of the runtime metadata, with their calls, events, errors, storage. */
  function zenrockPallets() {
    const variants = (option) =>
      option.isSome ? api.registry.lookup.getSiType(option.unwrap().type).def.asVariant.variants : [];
    return api.runtimeMetadata.asLatest.pallets
      .filter((pallet) => ZENROCK_PALLETS(pallet.name.toString()))
      .map((pallet) => ({
        name: pallet.name.toString(),
        calls: variants(pallet.calls),
        events: variants(pallet.events),
        errors: variants(pallet.errors),
        storage: pallet.storage.isSome ? pallet.storage.unwrap().items : [],
        constants: pallet.constants,
      }));
  }

  const documented = (item) => item.docs.map((line) => line.toString()).join(' ').trim().length > 0;

  it('metadata: no pallet carries the name of a FRAME pallet it is not', { timeout: TEST_TIMEOUT_MS }, (t) => {
    const all = api.runtimeMetadata.asLatest.pallets.map((pallet) => pallet.name.toString());
    const clashing = all.filter((name) => FRAME_NAMES_NOT_RUN.includes(name));
    assert.deepEqual(clashing, [], `pallets named like FRAME pallets with another meaning (all: ${all.join(', ')})`);
    for (const expected of ZENROCK_PALLET_NAMES) {
      assert.ok(all.includes(expected), `pallet ${expected} in the metadata`);
    }
    // The old names are gone from the API surface too.
    for (const old of ['identity', 'treasury', 'policy', 'relayer', 'keyringController']) {
      assert.equal(api.tx[old], undefined, `api.tx.${old}`);
      assert.equal(api.query[old], undefined, `api.query.${old}`);
    }
    t.diagnostic(`${all.length} pallets: ${all.join(', ')}`);
  });

  it('metadata: the docs of the Zenrock pallets read as plain text', { timeout: TEST_TIMEOUT_MS }, (t) => {
    // Clients show these docs as plain text: backticks vanish ("key `key` was created" reads
    // "key key was created") and rustdoc links show their brackets.
    const markup = /`|\[[^\]]*\]\(|\[`|`\]|\*\*/;
    const offending = [];
    let checked = 0;
    for (const pallet of zenrockPallets()) {
      for (const [kind, items] of [
        ['call', pallet.calls],
        ['storage', pallet.storage],
        ['event', pallet.events],
        ['error', pallet.errors],
        ['constant', pallet.constants],
      ]) {
        for (const item of items) {
          checked += 1;
          const text = item.docs.map((line) => line.toString()).join(' ');
          if (markup.test(text)) offending.push(`${pallet.name} ${kind} ${item.name.toString()}: ${text}`);
        }
      }
    }
    assert.deepEqual(offending, [], 'docs with markup');
    t.diagnostic(`${checked} docs read as plain text`);
  });

  it('metadata: every call, storage item and event of the Zenrock pallets is documented', { timeout: TEST_TIMEOUT_MS }, (t) => {
    const pallets = zenrockPallets();
    const names = pallets.map((pallet) => pallet.name);
    for (const expected of ZENROCK_PALLET_NAMES) {
      assert.ok(names.includes(expected), `pallet ${expected} in the metadata (found ${names.join(', ')})`);
    }
    const undocumented = [];
    let checked = 0;
    for (const pallet of pallets) {
      for (const [kind, items] of [
        ['call', pallet.calls],
        ['storage', pallet.storage],
        ['event', pallet.events],
      ]) {
        for (const item of items) {
          checked += 1;
          if (!documented(item)) undocumented.push(`${pallet.name} ${kind} ${item.name.toString()}`);
        }
      }
    }
    assert.deepEqual(undocumented, [], 'undocumented metadata items');
    assert.ok(checked > 50, `checked ${checked} items of ${names.join(', ')}`);
    t.diagnostic(`metadata v${api.runtimeMetadata.version}: ${checked} calls, storage items and events of ${names.join(', ')}`);
  });

  it('metadata: every error and constant of the Zenrock pallets is documented', { timeout: TEST_TIMEOUT_MS }, (t) => {
    const undocumented = [];
    for (const pallet of zenrockPallets()) {
      for (const [kind, items] of [
        ['error', pallet.errors],
        ['constant', pallet.constants],
      ]) {
        for (const item of items) {
          if (!documented(item)) undocumented.push(`${pallet.name} ${kind} ${item.name.toString()}`);
        }
      }
    }
    assert.deepEqual(undocumented, [], 'undocumented metadata items');
  });

  it('the dev chain has genesis keyring 0 (Alice, threshold 1, 1 ZEN / 0.1 ZEN) and workspace 0', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const keyring = (await api.query.zenrockIdentity.keyrings(GENESIS_KEYRING)).unwrap();
    assert.deepEqual(keyring.parties.map((a) => a.toString()), [accounts.alice.address]);
    assert.deepEqual(keyring.admins.map((a) => a.toString()), [accounts.alice.address]);
    assert.equal(keyring.partyThreshold.toNumber(), 1);
    assert.equal(keyring.keyRequestFee.toBigInt(), ZEN);
    assert.equal(keyring.signRequestFee.toBigInt(), ZEN / 10n);
    assert.equal(keyring.isActive.isTrue, true);
    const workspace = (await api.query.zenrockIdentity.workspaces(0)).unwrap();
    assert.deepEqual(workspace.owners.map((a) => a.toString()), [accounts.alice.address, accounts.bob.address]);
    const { data } = await api.query.system.account(accounts.charlie.address);
    assert.ok(data.free.toBigInt() >= 999_000n * ZEN, 'Charlie is endowed');
  });

  it('keyring 1 is FROST (Alice, Bob, Charlie, 2 of 3): an Ed25519 and a Taproot key, each signs; @noble/curves verifies', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { alice, bob, charlie } = accounts;
    const keyring = (await api.query.zenrockIdentity.keyrings(DEV_FROST_KEYRING)).unwrap();
    assert.equal(keyring.backend.type, 'Frost');
    assert.deepEqual(keyring.parties.map((a) => a.toString()), [alice.address, bob.address, charlie.address]);
    assert.equal(keyring.partyThreshold.toNumber(), 2);

    const verifiers = {
      Ed25519: (signature, payload, publicKey) => ed25519.verify(signature, payload, publicKey, { zip215: false }),
      BitcoinTaproot: (signature, payload, publicKey) => schnorr.verify(signature, payload, publicKey),
    };
    for (const keyType of ['Ed25519', 'BitcoinTaproot']) {
      const requested = await submit(alice, api.tx.zenrockTreasury.requestKey(0, DEV_FROST_KEYRING, keyType, null, NO_FEE_LIMIT, null));
      expectOk(requested, `request_key ${keyType}`);
      assert.ok(requested.find(api.events.zenrockMpc.DkgStarted), `DkgStarted among ${requested.names}`);
      const request = requested.find(api.events.zenrockTreasury.KeyRequested).data.request.toNumber();
      const fulfilled = await waitFor(
        api.events.zenrockTreasury.KeyRequestFulfilled,
        (data) => data.request.toNumber() === request,
        requested.blockNumber,
        `KeyRequestFulfilled for ${keyType} request ${request}`,
      );
      const key = fulfilled.event.data.key.toNumber();
      const publicKey = fulfilled.event.data.publicKey.toU8a(true);
      assert.equal(publicKey.length, 32);

      // A 32-byte payload: a message for Ed25519, a prehash (sighash) for Taproot.
      const payload = keccak_256(new TextEncoder().encode(`signed by two of three: ${keyType}`));
      const signed = await submit(alice, api.tx.zenrockTreasury.requestSignature(key, [toHex(payload)], NO_FEE_LIMIT, null));
      expectOk(signed, `request_signature ${keyType}`);
      const signing = signed.find(api.events.zenrockMpc.SigningStarted);
      assert.ok(signing, `SigningStarted among ${signed.names}`);
      assert.equal(signing.data.signers.length, 2, 'two of the three parties sign');
      const signRequest = signing.data.request.toNumber();
      const done = await waitFor(
        api.events.zenrockTreasury.SignatureRequestFulfilled,
        (data) => data.request.toNumber() === signRequest,
        signed.blockNumber,
        `SignatureRequestFulfilled for ${keyType} request ${signRequest}`,
      );
      const signature = done.event.data.signatures[0].toU8a(true);
      assert.equal(signature.length, 64);
      assert.ok(verifiers[keyType](signature, payload, publicKey), `the ${keyType} signature verifies`);
      t.diagnostic(
        `${keyType}: key ${fulfilled.blockNumber - requested.blockNumber} block(s) after its request, ` +
          `signature ${done.blockNumber - signed.blockNumber} block(s) after its request`,
      );
    }
  });

  it('keyring 2 is threshold ECDSA (Alice, Bob, Charlie, 2 of 3): an EVM key in its request\'s block, an EIP-1559 transfer and a Permit2 permit signed by two parties; @noble/curves recovers the key', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { alice, bob, charlie } = accounts;
    const keyring = (await api.query.zenrockIdentity.keyrings(DEV_ECDSA_KEYRING)).unwrap();
    assert.equal(keyring.backend.type, 'ThresholdEcdsa');
    assert.deepEqual(keyring.parties.map((a) => a.toString()), [alice.address, bob.address, charlie.address]);
    assert.equal(keyring.partyThreshold.toNumber(), 2);

    // The chain derives the key (the master key's child m/i) in the request's own block.
    const requested = await submit(alice, api.tx.zenrockTreasury.requestKey(0, DEV_ECDSA_KEYRING, 'EcdsaSecp256k1', null, NO_FEE_LIMIT, null));
    expectOk(requested, 'request_key EcdsaSecp256k1 on keyring 2');
    const fulfilled = requested.find(api.events.zenrockTreasury.KeyRequestFulfilled);
    assert.ok(fulfilled, `KeyRequestFulfilled in the request's block, among ${requested.names}`);
    const key = fulfilled.data.key.toNumber();
    const publicKey = fulfilled.data.publicKey.toU8a(true);
    assert.equal(publicKey.length, 33);

    // Presignatures for the key are made in the background; then one round of partial signatures.
    const presignaturePooled = async () => {
      const deadline = Date.now() + FULFIL_TIMEOUT_MS;
      for (;;) {
        const pool = await api.query.zenrockMpc.presignaturePools(key);
        if (pool.isSome && pool.unwrap().pooled.toNumber() >= 1) return;
        if (Date.now() > deadline) throw new Error(`no presignature pooled for key ${key} within ${FULFIL_TIMEOUT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    };
    await presignaturePooled();
    const unsigned = eip1559Unsigned({
      chainId: 31337,
      nonce: 0,
      maxPriorityFeePerGas: 1_000_000_000n,
      maxFeePerGas: 30_000_000_000n,
      gas: 21_000,
      to: fromHex('0x4242424242424242424242424242424242424242'),
      value: 1_000n,
    });
    const signed = await submit(
      alice,
      api.tx.zenrockTreasury.requestTransactionSignature(key, { Evm: { chainId: 31337 } }, toHex(unsigned), false, NO_FEE_LIMIT, null),
    );
    expectOk(signed, 'request_transaction_signature on keyring 2');
    const request = signed.find(api.events.zenrockTreasury.SignatureRequested).data.request.toNumber();
    const done = await waitFor(
      api.events.zenrockTreasury.SignatureRequestFulfilled,
      (data) => data.request.toNumber() === request,
      signed.blockNumber,
      `SignatureRequestFulfilled for keyring 2 request ${request}`,
    );
    const signature = (await api.query.zenrockTreasury.signRequests(request)).unwrap().signatures.unwrap()[0].toU8a(true);
    verifyRecoverable(signature, typedSigningHash(unsigned), publicKey);
    t.diagnostic(
      `threshold ECDSA: key in the request's block, signature ${done.blockNumber - signed.blockNumber} block(s) after its request`,
    );

    // A Permit2 permit (EIP-712 typed data, the one Uniswap's permit2 tests sign with MetaMask):
    // the chain hashes it, two parties sign the digest from its preimage.
    await presignaturePooled();
    const permit = await submit(
      alice,
      api.tx.zenrockTreasury.requestMessageSignature(key, 'TypedData', PERMIT2_SINGLE, NO_FEE_LIMIT, 'permit-1'),
    );
    expectOk(permit, 'request_message_signature on keyring 2');
    const permitRequested = permit.find(api.events.zenrockTreasury.SignatureRequested);
    assert.equal(permitRequested.data.memo.toUtf8(), 'permit-1');
    const permitRequest = permitRequested.data.request.toNumber();
    const permitDigest = (await api.query.zenrockTreasury.signPayloads(permitRequest)).unwrap()[0].toU8a(true);
    assert.equal(toHex(permitDigest), PERMIT2_SINGLE_DIGEST, 'the digest eth-account and MetaMask agree on');
    await waitFor(
      api.events.zenrockTreasury.SignatureRequestFulfilled,
      (data) => data.request.toNumber() === permitRequest,
      permit.blockNumber,
      `SignatureRequestFulfilled for the permit request ${permitRequest}`,
    );
    const permitSignature = (await api.query.zenrockTreasury.signRequests(permitRequest)).unwrap().signatures.unwrap()[0].toU8a(true);
    verifyRecoverable(permitSignature, permitDigest, publicKey);
  });

  it('a request states the most fee it accepts, and its memo comes back in its events', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { alice } = accounts;
    const tooLow = await submit(alice, api.tx.zenrockTreasury.requestKey(0, GENESIS_KEYRING, 'Ed25519', null, ZEN - 1n, 'order-7'));
    assert.equal(tooLow.error, 'ZenrockTreasury.FeeAboveMaximum');
    const requested = await submit(alice, api.tx.zenrockTreasury.requestKey(0, GENESIS_KEYRING, 'Ed25519', null, ZEN, 'order-7'));
    expectOk(requested, 'request_key with max_fee = the fee');
    const event = requested.find(api.events.zenrockTreasury.KeyRequested);
    assert.equal(event.data.memo.toUtf8(), 'order-7');
    assert.equal(event.data.fee.toBigInt(), ZEN);
    const request = event.data.request.toNumber();
    assert.equal((await api.query.zenrockTreasury.keyRequests(request)).unwrap().memo.toUtf8(), 'order-7');
  });

  // --------------------------------------------------------------------------------------------
  // The user story
  // --------------------------------------------------------------------------------------------

  it('Alice creates a 2-of-3 policy among Alice, Bob and Charlie', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const { alice, bob, charlie } = accounts;
    const rule = 'any(2, [alice, bob, charlie])';
    const result = await submit(
      alice,
      api.tx.zenrockPolicy.createPolicy(
        'treasury 2-of-3',
        [
          ['alice', alice.address],
          ['bob', bob.address],
          ['charlie', charlie.address],
        ],
        [],
        rule,
        null,
        null,
      ),
    );
    expectOk(result, 'create_policy');
    const created = result.find(api.events.zenrockPolicy.PolicyCreated);
    assert.ok(created, `PolicyCreated among ${result.names}`);
    assert.equal(created.data.creator.toString(), alice.address);
    assert.ok(created.data.deposit.toBigInt() > 0n, 'a deposit is held');
    story.policy = created.data.policy.toNumber();

    const policy = (await api.query.zenrockPolicy.policies(story.policy)).unwrap();
    assert.equal(policy.approveRule.text.toUtf8(), rule);
    assert.equal(policy.rejectRule.isNone, true);
    assert.deepEqual(
      policy.participants.map((p) => [p.label.toUtf8(), p.account.toString()]),
      [
        ['alice', alice.address],
        ['bob', bob.address],
        ['charlie', charlie.address],
      ],
    );
  });

  it('Alice creates a workspace owned by Alice, Bob and Charlie with that policy as sign policy', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    need('policy');
    const { alice, bob, charlie } = accounts;
    const result = await submit(
      alice,
      api.tx.zenrockIdentity.createWorkspace([bob.address, charlie.address], null, story.policy),
    );
    expectOk(result, 'create_workspace');
    const created = result.find(api.events.zenrockIdentity.WorkspaceCreated);
    assert.ok(created, `WorkspaceCreated among ${result.names}`);
    assert.equal(created.data.creator.toString(), alice.address);
    assert.equal(created.data.signPolicy.unwrap().toNumber(), story.policy);
    assert.equal(created.data.adminPolicy.isNone, true);
    story.workspace = created.data.workspace.toNumber();

    const workspace = (await api.query.zenrockIdentity.workspaces(story.workspace)).unwrap();
    assert.deepEqual(
      workspace.owners.map((a) => a.toString()),
      [alice.address, bob.address, charlie.address],
    );
    assert.equal(workspace.signPolicy.unwrap().toNumber(), story.policy);
  });

  it('a key request by Alice waits for a second owner (RequestAwaitingApproval, no KeyRequested)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    need('workspace');
    const { alice, bob, charlie } = accounts;
    const requestsBefore = (await api.query.zenrockTreasury.nextRequestId()).toNumber();
    const result = await submit(
      alice,
      api.tx.zenrockTreasury.requestKey(story.workspace, GENESIS_KEYRING, 'EcdsaSecp256k1', null, NO_FEE_LIMIT, null),
    );
    expectOk(result, 'request_key');
    assert.equal(result.find(api.events.zenrockTreasury.KeyRequested), undefined, 'no KeyRequested before approval');
    const awaiting = result.find(api.events.zenrockTreasury.RequestAwaitingApproval);
    assert.ok(awaiting, `RequestAwaitingApproval among ${result.names}`);
    assert.equal(awaiting.data.workspace.toNumber(), story.workspace);
    assert.equal(awaiting.data.requester.toString(), alice.address);
    const action = awaiting.data.action.toNumber();
    const created = result.find(api.events.zenrockPolicy.ActionCreated);
    assert.ok(created, 'ZenrockPolicy.ActionCreated');
    assert.equal(created.data.action.toNumber(), action);
    assert.equal(created.data.policy.toNumber(), story.policy);
    story.keyAction = action;

    // What the approvers see: the action, its gated call decoded, who has not voted.
    const detail = (await api.call.policyApi.actionDetail(action)).unwrap();
    const call = api.createType('Call', detail.call);
    assert.equal(`${call.section}.${call.method}`, 'zenrockTreasury.requestKey');
    assert.equal(call.args[0].toNumber(), story.workspace);
    assert.deepEqual(detail.approvals.map((a) => a.toString()), [alice.address]);
    assert.deepEqual(
      detail.missingApprovers.map((a) => a.toString()).sort(),
      [bob.address, charlie.address].sort(),
    );
    assert.equal(detail.approveRule.toUtf8(), 'any(2, [alice, bob, charlie])');
    const bobsPending = (await api.call.policyApi.pendingActions(bob.address)).map((id) => id.toNumber());
    assert.ok(bobsPending.includes(action), `action ${action} pending for Bob (${bobsPending})`);
    assert.equal((await api.query.zenrockTreasury.nextRequestId()).toNumber(), requestsBefore, 'no request yet');
  });

  it('Bob approves: KeyRequested, then the keyring controller fulfils it with a secp256k1 key', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    need('keyAction');
    const { alice, bob } = accounts;
    const result = await submit(bob, api.tx.zenrockPolicy.approve(story.keyAction));
    expectOk(result, 'approve');
    assert.ok(result.find(api.events.zenrockPolicy.ApprovalRecorded), `ApprovalRecorded among ${result.names}`);
    const completed = result.find(api.events.zenrockPolicy.ActionCompleted);
    assert.ok(completed, `ActionCompleted among ${result.names}`);
    assert.equal(completed.data.action.toNumber(), story.keyAction);
    const requested = result.find(api.events.zenrockTreasury.KeyRequested);
    assert.ok(requested, `KeyRequested among ${result.names}`);
    assert.equal(requested.data.requester.toString(), alice.address, 'the requester is Alice, not the approver');
    assert.equal(requested.data.workspace.toNumber(), story.workspace);
    assert.equal(requested.data.keyring.toNumber(), GENESIS_KEYRING);
    assert.equal(requested.data.keyType.type, 'EcdsaSecp256k1');
    assert.equal(requested.data.fee.toBigInt(), ZEN);
    const request = requested.data.request.toNumber();
    assert.equal((await api.query.zenrockPolicy.actions(story.keyAction)).isNone, true, 'the action is closed');

    const fulfilled = await waitFor(
      api.events.zenrockTreasury.KeyRequestFulfilled,
      (data) => data.request.toNumber() === request,
      result.blockNumber,
      `KeyRequestFulfilled for request ${request} (is the keyring controller in the node?)`,
    );
    const data = fulfilled.event.data;
    assert.equal(data.workspace.toNumber(), story.workspace);
    assert.equal(data.fee.toBigInt(), ZEN, 'the keyring earned the fee');
    const publicKey = data.publicKey.toU8a(true);
    assert.equal(publicKey.length, 33, 'compressed secp256k1 key');
    assert.ok(publicKey[0] === 2 || publicKey[0] === 3, 'compressed SEC1 prefix');
    story.key = data.key.toNumber();
    story.publicKey = publicKey;
    t.diagnostic(`key fulfilled ${fulfilled.blockNumber - result.blockNumber} block(s) after the approval`);

    const key = (await api.query.zenrockTreasury.keys(story.key)).unwrap();
    assert.equal(key.workspace.toNumber(), story.workspace);
    assert.equal(key.keyring.toNumber(), GENESIS_KEYRING);
    assert.ok(equalBytes(key.publicKey.toU8a(true), publicKey));
    assert.equal(key.signPolicy.isNone, true);
    const keyRequest = (await api.query.zenrockTreasury.keyRequests(request)).unwrap();
    assert.equal(keyRequest.status.type, 'Fulfilled');
    const keys = await api.query.zenrockTreasury.workspaceKeys.keys(story.workspace);
    assert.deepEqual(keys.map(({ args: [, k] }) => k.toNumber()), [story.key]);

    // The chain's EVM address of the key is the one derived here from the public key.
    const [, addresses] = (await api.call.treasuryApi.keyWithAddresses(story.key)).unwrap();
    const evm = addresses.find(([format]) => format.isEvm);
    assert.ok(evm, `an EVM address among ${addresses.map(([f]) => f.type)}`);
    story.evmAddress = evmAddress(publicKey);
    assert.equal(evm[1].toString(), checksumAddress(story.evmAddress));
    assert.equal(
      (await api.call.treasuryApi.keyByAddress(evm[1].toString())).unwrap().toNumber(),
      story.key,
    );
  });

  it('a signature over a 32-byte hash waits, Charlie approves, the controller signs; @noble/curves verifies it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    need('key');
    const { alice, charlie } = accounts;
    const hash = keccak_256(new TextEncoder().encode('Zenrock on Substrate: e2e signature request'));
    const result = await submit(alice, api.tx.zenrockTreasury.requestSignature(story.key, [toHex(hash)], NO_FEE_LIMIT, null));
    expectOk(result, 'request_signature');
    assert.equal(result.find(api.events.zenrockTreasury.SignatureRequested), undefined, 'no SignatureRequested yet');
    const awaiting = result.find(api.events.zenrockTreasury.RequestAwaitingApproval);
    assert.ok(awaiting, `RequestAwaitingApproval among ${result.names}`);
    const action = awaiting.data.action.toNumber();

    const approval = await submit(charlie, api.tx.zenrockPolicy.approve(action));
    expectOk(approval, 'approve');
    assert.ok(approval.find(api.events.zenrockPolicy.ActionCompleted), `ActionCompleted among ${approval.names}`);
    const requested = approval.find(api.events.zenrockTreasury.SignatureRequested);
    assert.ok(requested, `SignatureRequested among ${approval.names}`);
    assert.equal(requested.data.key.toNumber(), story.key);
    assert.equal(requested.data.requester.toString(), alice.address);
    assert.equal(requested.data.payloads.toNumber(), 1);
    assert.equal(requested.data.chain.isNone, true);
    assert.equal(requested.data.fee.toBigInt(), ZEN / 10n);
    const request = requested.data.request.toNumber();

    const fulfilled = await waitFor(
      api.events.zenrockTreasury.SignatureRequestFulfilled,
      (data) => data.request.toNumber() === request,
      approval.blockNumber,
      `SignatureRequestFulfilled for request ${request}`,
    );
    assert.equal(fulfilled.event.data.fee.toBigInt(), ZEN / 10n);
    // Paid from the escrow to the keyring's account in the same call.
    const paid = await api.query.system.events.at(fulfilled.blockHash);
    assert.ok(
      paid.some(({ event }) => api.events.zenrockTreasury.KeyringFeesPaid.is(event) && event.data.keyring.toNumber() === GENESIS_KEYRING),
      'KeyringFeesPaid for the keyring',
    );
    assert.equal(fulfilled.event.data.awaitingBroadcast.isFalse, true);
    t.diagnostic(`signature fulfilled ${fulfilled.blockNumber - approval.blockNumber} block(s) after the approval`);

    const signatures = (await api.query.zenrockTreasury.signRequests(request)).unwrap().signatures.unwrap();
    assert.equal(signatures.length, 1);
    const signature = signatures[0].toU8a(true);
    verifyRecoverable(signature, hash, story.publicKey);
    const payloads = (await api.query.zenrockTreasury.signPayloads(request)).unwrap();
    assert.ok(equalBytes(payloads[0].toU8a(true), hash), 'the stored payload is the hash that was asked for');
    assert.equal((await api.query.zenrockTreasury.signRequests(request)).unwrap().status.type, 'Fulfilled');
  });

  it('a second policy `tx.value <= 1000 || any(2, [alice, bob, charlie])` becomes the key\'s sign policy once approved under the current one', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    need('key', 'workspace');
    const { alice, bob, charlie } = accounts;
    const rule = 'tx.value <= 1000 || any(2, [alice, bob, charlie])';
    const created = await submit(
      alice,
      api.tx.zenrockPolicy.createPolicy(
        'small transfers alone, large ones 2-of-3',
        [
          ['alice', alice.address],
          ['bob', bob.address],
          ['charlie', charlie.address],
        ],
        [],
        rule,
        null,
        null,
      ),
    );
    expectOk(created, 'create_policy');
    story.valuePolicy = created.find(api.events.zenrockPolicy.PolicyCreated).data.policy.toNumber();
    assert.equal((await api.query.zenrockPolicy.policies(story.valuePolicy)).unwrap().approveRule.text.toUtf8(), rule);

    // `update_key_policy` is gated by the key's current policy: the workspace's 2-of-3.
    const update = await submit(alice, api.tx.zenrockTreasury.updateKeyPolicy(story.key, story.valuePolicy));
    expectOk(update, 'update_key_policy');
    assert.equal(update.find(api.events.zenrockTreasury.KeyPolicyUpdated), undefined, 'not changed by Alice alone');
    const awaiting = update.find(api.events.zenrockTreasury.RequestAwaitingApproval);
    assert.ok(awaiting, `RequestAwaitingApproval among ${update.names}`);
    assert.equal(update.find(api.events.zenrockPolicy.ActionCreated).data.policy.toNumber(), story.policy);

    const approval = await submit(bob, api.tx.zenrockPolicy.approve(awaiting.data.action));
    expectOk(approval, 'approve');
    const updated = approval.find(api.events.zenrockTreasury.KeyPolicyUpdated);
    assert.ok(updated, `KeyPolicyUpdated among ${approval.names}`);
    assert.equal(updated.data.key.toNumber(), story.key);
    assert.equal(updated.data.signPolicy.unwrap().toNumber(), story.valuePolicy);
    const key = (await api.query.zenrockTreasury.keys(story.key)).unwrap();
    assert.equal(key.signPolicy.unwrap().toNumber(), story.valuePolicy);
  });

  /** An unsigned EIP-1559 transfer on chain 1 from the key's address. */
  const transfer = (nonce, value) =>
    eip1559Unsigned({
      chainId: 1,
      nonce,
      maxPriorityFeePerGas: 1_000_000_000n,
      maxFeePerGas: 30_000_000_000n,
      gas: 21_000,
      to: fromHex('0x3535353535353535353535353535353535353535'),
      value,
    });

  /** Waits for the fulfilment of transaction-signature request `request` and checks the result
   * independently: the payload is the keccak signing hash, the signature recovers to the key, and
   * the signed transaction the runtime assembles has the key's address as sender. */
  async function expectSignedTransaction(request, unsigned, value, afterBlock) {
    const fulfilled = await waitFor(
      api.events.zenrockTreasury.SignatureRequestFulfilled,
      (data) => data.request.toNumber() === request,
      afterBlock,
      `SignatureRequestFulfilled for transaction request ${request}`,
    );
    assert.equal(fulfilled.event.data.awaitingBroadcast.isFalse, true, 'a private transaction is not broadcast');
    const signingHash = typedSigningHash(unsigned);
    const payloads = (await api.query.zenrockTreasury.signPayloads(request)).unwrap();
    assert.equal(payloads.length, 1);
    assert.ok(equalBytes(payloads[0].toU8a(true), signingHash), 'the chain signs the keccak-256 of the unsigned EIP-1559 bytes');
    const signature = (await api.query.zenrockTreasury.signRequests(request)).unwrap().signatures.unwrap()[0].toU8a(true);
    const recovery = verifyRecoverable(signature, signingHash, story.publicKey);

    const details = (await api.call.treasuryApi.signedTransaction(request)).unwrap();
    const raw = details.raw.toU8a(true);
    const decoded = decodeSignedEip1559(raw);
    assert.equal(decoded.value, value);
    assert.equal(decoded.yParity, recovery);
    assert.ok(equalBytes(decoded.r, signature.subarray(0, 32)) && equalBytes(decoded.s, signature.subarray(32, 64)));
    assert.ok(equalBytes(decoded.sender, story.evmAddress), 'the signed transaction is sent from the key\'s EVM address');
    assert.ok(equalBytes(details.id.toU8a(true), decoded.hash), 'the transaction id is keccak-256 of the raw bytes');
    assert.equal(details.idText.toString(), toHex(decoded.hash));
    const stored = (await api.query.zenrockTreasury.signRequests(request)).unwrap();
    assert.equal(stored.status.type, 'Fulfilled');
    assert.equal(stored.transaction.unwrap().value.unwrap().toBigInt(), value);
    return fulfilled;
  }

  it('a small-value EIP-1559 transaction (500 wei) is signed at once by Alice alone', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    need('valuePolicy', 'key');
    const { alice } = accounts;
    const unsigned = transfer(0, 500n);
    const result = await submit(
      alice,
      api.tx.zenrockTreasury.requestTransactionSignature(story.key, { Evm: { chainId: 1 } }, toHex(unsigned), false, NO_FEE_LIMIT, null),
    );
    expectOk(result, 'request_transaction_signature');
    assert.equal(result.find(api.events.zenrockTreasury.RequestAwaitingApproval), undefined, 'no approval needed');
    const executed = result.find(api.events.zenrockPolicy.CallExecuted);
    assert.ok(executed, `ZenrockPolicy.CallExecuted among ${result.names}`);
    assert.equal(executed.data.policy.unwrap().toNumber(), story.valuePolicy);
    const requested = result.find(api.events.zenrockTreasury.SignatureRequested);
    assert.ok(requested, `SignatureRequested among ${result.names}`);
    assert.deepEqual(requested.data.chain.unwrap().toJSON(), { evm: { chainId: 1 } });
    await expectSignedTransaction(requested.data.request.toNumber(), unsigned, 500n, result.blockNumber);
  });

  it('a large-value EIP-1559 transaction (1 ETH) waits for a second approval, then is signed', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    need('valuePolicy', 'key');
    const { alice, bob } = accounts;
    const value = 10n ** 18n;
    const unsigned = transfer(1, value);
    const result = await submit(
      alice,
      api.tx.zenrockTreasury.requestTransactionSignature(story.key, { Evm: { chainId: 1 } }, toHex(unsigned), false, NO_FEE_LIMIT, null),
    );
    expectOk(result, 'request_transaction_signature');
    assert.equal(result.find(api.events.zenrockTreasury.SignatureRequested), undefined, 'not requested before approval');
    const awaiting = result.find(api.events.zenrockTreasury.RequestAwaitingApproval);
    assert.ok(awaiting, `RequestAwaitingApproval among ${result.names}`);
    const action = awaiting.data.action.toNumber();
    const detail = (await api.call.policyApi.actionDetail(action)).unwrap();
    assert.equal(detail.policy.toNumber(), story.valuePolicy);
    assert.equal(detail.context.txValue.unwrap().toBigInt(), value, 'the policy sees the value as tx.value');

    const approval = await submit(bob, api.tx.zenrockPolicy.approve(action));
    expectOk(approval, 'approve');
    const requested = approval.find(api.events.zenrockTreasury.SignatureRequested);
    assert.ok(requested, `SignatureRequested among ${approval.names}`);
    assert.equal(requested.data.requester.toString(), alice.address);
    await expectSignedTransaction(requested.data.request.toNumber(), unsigned, value, approval.blockNumber);
  });

  // The README's "Writing policies" examples, together in one policy: USDC to three wallets,
  // 10,000 a day, a fee cap, and no token approvals at all.
  const USDC = fromHex('0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48');
  const TREASURY_WALLETS = ['0x1111111111111111111111111111111111111111', '0x2222222222222222222222222222222222222222', '0x3333333333333333333333333333333333333333'];
  /** ERC-20 calldata: `selector ‖ address word ‖ amount word`. */
  const erc20Call = (selector, address, amount) =>
    fromHex(`0x${selector}${'0'.repeat(24)}${address.slice(2)}${amount.toString(16).padStart(64, '0')}`);
  const usdcCall = (nonce, data) =>
    eip1559Unsigned({ chainId: 1, nonce, maxPriorityFeePerGas: 1_000_000_000n, maxFeePerGas: 30_000_000_000n, gas: 100_000, to: USDC, value: 0n, data });

  it('Writing policies: USDC only to the treasury wallets, 10,000 a day, fees capped, no approvals (the README\'s examples)', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    need('valuePolicy', 'key');
    const { alice, bob, charlie } = accounts;
    const approveRule =
      'tx.to in treasury_wallets && tx.token == "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"' +
      ' && spent(tx.token, 86400) + tx.token_amount <= 10000 * 10^6 && tx.fee <= 2 * 10^16' +
      ' || all([alice, bob])';
    const rejectRule = 'tx.kind == "token_approval"';
    const created = await submit(
      alice,
      api.tx.zenrockPolicy.createPolicy(
        'USDC treasury',
        [
          ['alice', alice.address],
          ['bob', bob.address],
          ['charlie', charlie.address],
        ],
        [['treasury_wallets', TREASURY_WALLETS]],
        approveRule,
        rejectRule,
        null,
      ),
    );
    expectOk(created, 'create_policy');
    const policy = created.find(api.events.zenrockPolicy.PolicyCreated).data.policy.toNumber();
    const stored = (await api.query.zenrockPolicy.policies(policy)).unwrap();
    assert.equal(stored.lists[0].name.toUtf8(), 'treasury_wallets');
    assert.equal(stored.lists[0].items.length, 3);

    // The key's current policy (tx.value <= 1000 || any 2) needs a second approval to change.
    const update = await submit(alice, api.tx.zenrockTreasury.updateKeyPolicy(story.key, policy));
    const updateAction = update.find(api.events.zenrockTreasury.RequestAwaitingApproval).data.action;
    expectOk(await submit(bob, api.tx.zenrockPolicy.approve(updateAction)), 'approve');
    assert.equal((await api.query.zenrockTreasury.keys(story.key)).unwrap().signPolicy.unwrap().toNumber(), policy);

    // 4,000 USDC to a treasury wallet: signed at once.
    const small = usdcCall(2, erc20Call('a9059cbb', TREASURY_WALLETS[0], 4_000_000_000n));
    const signedAtOnce = await submit(
      alice,
      api.tx.zenrockTreasury.requestTransactionSignature(story.key, { Evm: { chainId: 1 } }, toHex(small), false, NO_FEE_LIMIT, null),
    );
    expectOk(signedAtOnce, 'request_transaction_signature');
    const requested = signedAtOnce.find(api.events.zenrockTreasury.SignatureRequested);
    assert.ok(requested, `SignatureRequested among ${signedAtOnce.names}`);
    await expectSignedTransaction(requested.data.request.toNumber(), small, 0n, signedAtOnce.blockNumber);

    // 7,000 more would make 11,000 today: it waits, and the policy saw the token's facts.
    const large = usdcCall(3, erc20Call('a9059cbb', TREASURY_WALLETS[1], 7_000_000_000n));
    const waits = await submit(
      alice,
      api.tx.zenrockTreasury.requestTransactionSignature(story.key, { Evm: { chainId: 1 } }, toHex(large), false, NO_FEE_LIMIT, null),
    );
    expectOk(waits, 'request_transaction_signature');
    const action = waits.find(api.events.zenrockTreasury.RequestAwaitingApproval)?.data.action.toNumber();
    assert.ok(action !== undefined, `RequestAwaitingApproval among ${waits.names}`);
    const context = (await api.call.policyApi.actionDetail(action)).unwrap().context;
    assert.equal(context.kind.unwrap().toUtf8(), 'token_transfer');
    assert.equal(context.token.unwrap().toUtf8(), checksumAddress(USDC));
    assert.equal(context.to.unwrap().toUtf8(), checksumAddress(fromHex(TREASURY_WALLETS[1])));
    assert.equal(context.tokenAmount.unwrap().toBigInt(), 7_000_000_000n);
    assert.equal(context.fee.unwrap().toBigInt(), 100_000n * 30_000_000_000n);
    expectOk(await submit(alice, api.tx.zenrockPolicy.revoke(action)), 'revoke');

    // An unlimited approval is refused outright by the reject rule.
    const approval = usdcCall(4, erc20Call('095ea7b3', TREASURY_WALLETS[2], (1n << 256n) - 1n));
    const refused = await submit(
      alice,
      api.tx.zenrockTreasury.requestTransactionSignature(story.key, { Evm: { chainId: 1 } }, toHex(approval), false, NO_FEE_LIMIT, null),
    );
    assert.equal(refused.error, 'ZenrockPolicy.RejectedByPolicy');
  });

  // --------------------------------------------------------------------------------------------
  // Errors, decoded to `Pallet.ErrorName`
  // --------------------------------------------------------------------------------------------

  it('error paths decode to the named pallet errors', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    need('workspace', 'key', 'keyAction');
    const { alice, bob, dave, eve } = accounts;

    // An action to vote on: a plain signature request under the tx.value policy has no value, so
    // it needs two approvals.
    const pending = await submit(
      alice,
      api.tx.zenrockTreasury.requestSignature(story.key, [toHex(keccak_256(new TextEncoder().encode('pending')))], NO_FEE_LIMIT, null),
    );
    expectOk(pending, 'request_signature');
    const action = pending.find(api.events.zenrockTreasury.RequestAwaitingApproval)?.data.action.toNumber();
    assert.ok(action !== undefined, `RequestAwaitingApproval among ${pending.names}`);

    const nonce = async (who) => (await api.rpc.system.accountNextIndex(who.address)).toNumber();
    const [aliceNonce, daveNonce, eveNonce] = await Promise.all([nonce(alice), nonce(dave), nonce(eve)]);
    const participants = [
      ['alice', alice.address],
      ['bob', bob.address],
    ];
    const createPolicy = (rule) => api.tx.zenrockPolicy.createPolicy('bad rule', participants, [], rule, null, null);
    // Everything at once (explicit nonces): these land in the same block or two.
    const cases = [
      ['Dave (not an owner) requests a key', dave, api.tx.zenrockTreasury.requestKey(story.workspace, GENESIS_KEYRING, 'EcdsaSecp256k1', null, NO_FEE_LIMIT, null), daveNonce, 'ZenrockTreasury.NotOwner'],
      ['Dave (not a participant) approves', dave, api.tx.zenrockPolicy.approve(action), daveNonce + 1, 'ZenrockPolicy.NotParticipant'],
      ['Alice approves her own request again', alice, api.tx.zenrockPolicy.approve(action), aliceNonce, 'ZenrockPolicy.AlreadyApproved'],
      ['a 31-byte payload for a secp256k1 key', alice, api.tx.zenrockTreasury.requestSignature(story.key, [toHex(new Uint8Array(31))], NO_FEE_LIMIT, null), aliceNonce + 1, 'ZenrockTreasury.InvalidPayloadLength'],
      ['a transaction for chain 1 requested for chain 5', alice, api.tx.zenrockTreasury.requestTransactionSignature(story.key, { Evm: { chainId: 5 } }, toHex(transfer(2, 1n)), false, NO_FEE_LIMIT, null), aliceNonce + 2, 'ZenrockTreasury.ChainIdMismatch'],
      ['a signature with a key that does not exist', alice, api.tx.zenrockTreasury.requestSignature(999_999, [toHex(new Uint8Array(32))], NO_FEE_LIMIT, null), aliceNonce + 3, 'ZenrockTreasury.UnknownKey'],
      ['Bob approves an action that has completed', bob, api.tx.zenrockPolicy.approve(story.keyAction), undefined, 'ZenrockPolicy.ActionNotFound'],
      ['rule `alice && mallory`', eve, createPolicy('alice && mallory'), eveNonce, 'ZenrockPolicy.RuleUnknownIdentifier'],
      ['rule `alice + + bob`', eve, createPolicy('alice + + bob'), eveNonce + 1, 'ZenrockPolicy.RuleSyntax'],
      ['rule `alice +`', eve, createPolicy('alice +'), eveNonce + 2, 'ZenrockPolicy.RuleUnexpectedEnd'],
      ['rule `any(3, [alice, bob])`', eve, createPolicy('any(3, [alice, bob])'), eveNonce + 3, 'ZenrockPolicy.RuleBadThreshold'],
    ];
    const results = await Promise.all(
      cases.map(([, signer, tx, n]) => submit(signer, tx, n === undefined ? {} : { nonce: n })),
    );
    const got = cases.map(([what], i) => [what, results[i].error]);
    const expected = cases.map(([what, , , , error]) => [what, error]);
    assert.deepEqual(got, expected);
    for (const result of results) {
      assert.ok(result.find(api.events.system.ExtrinsicFailed), 'System.ExtrinsicFailed');
    }

    // The requester withdraws the action; it is gone.
    const revoked = await submit(alice, api.tx.zenrockPolicy.revoke(action));
    expectOk(revoked, 'revoke');
    assert.ok(revoked.find(api.events.zenrockPolicy.ActionRevoked), `ActionRevoked among ${revoked.names}`);
    assert.equal((await api.query.zenrockPolicy.actions(action)).isNone, true);
  });

  it('arguments beyond their bounds are included and fail with a named error, not refused by the pool', { timeout: TEST_TIMEOUT_MS }, async (t) => {
    // Every bound check comes first in its call, so these fail by name whoever sends them and
    // whatever the other arguments are; Ferdie (funded, in no workspace or keyring) sends all.
    const { ferdie } = accounts;
    const treasury = api.consts.zenrockTreasury;
    const identity = api.consts.zenrockIdentity;
    const bytes = (length, fill = 7) => toHex(new Uint8Array(length).fill(fill));
    const maxPayloads = treasury.maxPayloadsPerRequest.toNumber();
    const maxPayloadLength = treasury.maxPayloadLength.toNumber();
    const maxTransaction = treasury.maxUnsignedTransactionLength.toNumber();
    const maxReason = treasury.maxRejectionReasonLength.toNumber();
    const maxOwners = identity.maxOwners.toNumber();
    const maxParties = identity.maxKeyringParties.toNumber();
    const maxDescription = identity.maxKeyringDescriptionLength.toNumber();
    const someAccounts = (count) => Array.from({ length: count }, (_, i) => encodeAddress(new Uint8Array(32).fill(i + 1), 42));

    const first = (await api.rpc.system.accountNextIndex(ferdie.address)).toNumber();
    const cases = [
      [`${maxPayloads + 1} payloads`, api.tx.zenrockTreasury.requestSignature(0, Array(maxPayloads + 1).fill(bytes(32)), NO_FEE_LIMIT, null), 'ZenrockTreasury.TooManyPayloads'],
      [`a ${maxPayloadLength + 1}-byte payload`, api.tx.zenrockTreasury.requestSignature(0, [bytes(maxPayloadLength + 1)], NO_FEE_LIMIT, null), 'ZenrockTreasury.PayloadTooLong'],
      [`a ${maxTransaction + 1}-byte unsigned transaction`, api.tx.zenrockTreasury.requestTransactionSignature(0, { Evm: { chainId: 1 } }, bytes(maxTransaction + 1), false, NO_FEE_LIMIT, null), 'ZenrockTreasury.TransactionTooLong'],
      ['a 73-byte signature', api.tx.zenrockTreasury.fulfilSignatureRequest(0, [bytes(73)]), 'ZenrockTreasury.SignatureTooLong'],
      [`${maxPayloads + 1} signatures`, api.tx.zenrockTreasury.fulfilSignatureRequest(0, Array(maxPayloads + 1).fill(bytes(65))), 'ZenrockTreasury.WrongSignatureCount'],
      ['a 66-byte public key', api.tx.zenrockTreasury.fulfilKeyRequest(0, bytes(66)), 'ZenrockTreasury.InvalidPublicKey'],
      [`a ${maxReason + 1}-byte key rejection reason`, api.tx.zenrockTreasury.rejectKeyRequest(0, bytes(maxReason + 1, 0x61)), 'ZenrockTreasury.ReasonTooLong'],
      [`a ${maxReason + 1}-byte signature rejection reason`, api.tx.zenrockTreasury.rejectSignatureRequest(0, bytes(maxReason + 1, 0x61)), 'ZenrockTreasury.ReasonTooLong'],
      [`${maxOwners + 1} additional owners`, api.tx.zenrockIdentity.createWorkspace(someAccounts(maxOwners + 1), null, null), 'ZenrockIdentity.TooManyOwners'],
      [`a ${maxDescription + 1}-byte keyring description`, api.tx.zenrockIdentity.registerKeyring(bytes(maxDescription + 1, 0x64), 'NodeKeystore', [], 1, 0, 0), 'ZenrockIdentity.DescriptionTooLong'],
      [`${maxParties + 1} keyring parties`, api.tx.zenrockIdentity.registerKeyring('0x', 'NodeKeystore', someAccounts(maxParties + 1), 1, 0, 0), 'ZenrockIdentity.TooManyParties'],
      [`a ${maxDescription + 1}-byte description update`, api.tx.zenrockIdentity.updateKeyring(0, bytes(maxDescription + 1, 0x64), null, null, null), 'ZenrockIdentity.DescriptionTooLong'],
    ];
    const results = await Promise.all(cases.map(([, tx], i) => submit(ferdie, tx, { nonce: first + i })));
    const got = cases.map(([what], i) => [what, results[i].error]);
    const expected = cases.map(([what, , error]) => [what, error]);
    assert.deepEqual(got, expected);
    t.diagnostic(`${cases.length} over-bound arguments, each included and failed by name`);
  });

  it('an approved call that fails when dispatched ends in ZenrockPolicy.ActionFailed with the decoded error', { timeout: TEST_TIMEOUT_MS }, async () => {
    need('workspace');
    const { alice, bob } = accounts;
    // Alice (admin of keyring 0) asks for a key, then deactivates the keyring before Bob approves.
    const aliceNonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
    const [requested, deactivated] = await Promise.all([
      submit(alice, api.tx.zenrockTreasury.requestKey(story.workspace, GENESIS_KEYRING, 'Ed25519', null, NO_FEE_LIMIT, null), { nonce: aliceNonce }),
      submit(alice, api.tx.zenrockIdentity.deactivateKeyring(GENESIS_KEYRING), { nonce: aliceNonce + 1 }),
    ]);
    try {
      expectOk(requested, 'request_key');
      expectOk(deactivated, 'deactivate_keyring');
      assert.ok(deactivated.find(api.events.zenrockIdentity.KeyringDeactivated), `KeyringDeactivated among ${deactivated.names}`);
      const action = requested.find(api.events.zenrockTreasury.RequestAwaitingApproval)?.data.action.toNumber();
      assert.ok(action !== undefined, `RequestAwaitingApproval among ${requested.names}`);

      const approval = await submit(bob, api.tx.zenrockPolicy.approve(action));
      expectOk(approval, 'approve (the approval itself succeeds)');
      assert.equal(approval.find(api.events.zenrockTreasury.KeyRequested), undefined);
      const failed = approval.find(api.events.zenrockPolicy.ActionFailed);
      assert.ok(failed, `ActionFailed among ${approval.names}`);
      assert.equal(failed.data.action.toNumber(), action);
      assert.equal(describeDispatchError(api, failed.data.error), 'ZenrockTreasury.KeyringInactive');
      assert.equal((await api.query.zenrockPolicy.actions(action)).isNone, true, 'a failed action is closed');
    } finally {
      if (deactivated.ok) {
        const reactivated = await submit(alice, api.tx.zenrockIdentity.reactivateKeyring(GENESIS_KEYRING));
        expectOk(reactivated, 'reactivate_keyring');
      }
    }
  });

  // --------------------------------------------------------------------------------------------
  // Staking: the README's operator steps. Last, because the dev node then holds two of the
  // GRANDPA authorities' keys but votes with one, so finality stops (as on any Substrate chain
  // whose validator shares a node with another); block production goes on.
  // --------------------------------------------------------------------------------------------

  it('era rewards: anyone pays out Alice\'s era-0 reward into her bond; the StakingApi answers', { timeout: 300_000 }, async () => {
    const { alice, eve } = accounts;
    // Development eras last 20 blocks (2 minutes); wait until era 0 has ended.
    const endedBy = Date.now() + 240_000;
    while ((await api.query.staking.activeEra()).unwrap().index.toNumber() < 1) {
      assert.ok(Date.now() < endedBy, 'era 1 has not started');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    const reward = (await api.query.staking.erasValidatorReward(0)).unwrap().toBigInt();
    assert.ok(reward > 0n, 'era 0 minted a reward');
    // The runtime API: 16 nominations whatever the bond (`FixedNominationsQuota<16>`).
    assert.equal((await api.call.stakingApi.nominationsQuota(1_000n * ZEN)).toNumber(), 16);

    const bondedBefore = (await api.query.staking.ledger(alice.address)).unwrap().active.toBigInt();
    const paid = await submit(eve, api.tx.staking.payoutStakers(alice.address, 0));
    expectOk(paid, 'staking.payoutStakers');
    const rewarded = paid.find(api.events.staking.Rewarded);
    assert.ok(rewarded, `Rewarded among ${paid.names}`);
    assert.equal(rewarded.data.stash.toString(), alice.address);
    const bondedAfter = (await api.query.staking.ledger(alice.address)).unwrap().active.toBigInt();
    assert.equal(bondedAfter - bondedBefore, rewarded.data.amount.toBigInt(), 'the reward is bonded (payee Staked)');
    assert.deepEqual((await api.query.staking.claimedRewards(0, alice.address)).map((page) => page.toNumber()), [0]);
    const again = await submit(eve, api.tx.staking.payoutStakers(alice.address, 0));
    assert.equal(again.error, 'Staking.AlreadyClaimed');
  });

  it('an operator bonds, sets keys from author_rotateKeysWithOwner, validates, and is elected at the next era', { timeout: 600_000 }, async () => {
    const { dave } = accounts;
    const bonded = await submit(dave, api.tx.staking.bond(5_000n * ZEN, 'Staked'));
    expectOk(bonded, 'staking.bond');

    // The node generates the keys in its key store and signs the stash with each of them.
    const owner = api.createType('AccountId', dave.address).toHex();
    const generated = await rawRpc(node.wsUrl, 'author_rotateKeysWithOwner', [owner]);
    assert.match(generated.keys, /^0x[0-9a-f]{128}$/, 'Aura sr25519 and GRANDPA ed25519 public keys');

    // A proof made for Dave does not register the keys for Eve.
    const stolen = await submit(accounts.eve, api.tx.session.setKeys(generated.keys, generated.proof));
    assert.equal(stolen.error, 'Session.InvalidProof');

    const keysSet = await submit(dave, api.tx.session.setKeys(generated.keys, generated.proof));
    expectOk(keysSet, 'session.setKeys');
    const validating = await submit(dave, api.tx.staking.validate({ commission: 0, blocked: false }));
    expectOk(validating, 'staking.validate');
    assert.equal((await api.query.session.validators()).some((v) => v.eq(dave.address)), false);

    const startEra = (await api.query.staking.activeEra()).unwrap().index.toNumber();
    // The development preset's eras last two 10-block sessions: elected within two eras.
    const electedBy = Date.now() + 540_000;
    while (!(await api.query.session.validators()).some((v) => v.eq(dave.address))) {
      assert.ok(Date.now() < electedBy, `Dave is not a session validator by now\nnode log:\n${node.logTail(20)}`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    const era = (await api.query.staking.activeEra()).unwrap().index.toNumber();
    assert.ok(era > startEra, `elected in a later era (${startEra} -> ${era})`);
    const aura = (await api.query.aura.authorities()).map((key) => key.toHex());
    assert.ok(aura.includes(generated.keys.slice(0, 66)), 'Dave\'s Aura key is an authority');

    // Dave's slots are authored too (by this node, which holds his key).
    const from = (await api.rpc.chain.getHeader()).number.toNumber();
    const deadline = Date.now() + 60_000;
    while ((await api.rpc.chain.getHeader()).number.toNumber() < from + 3) {
      assert.ok(Date.now() < deadline, 'blocks are still produced');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  });
});
