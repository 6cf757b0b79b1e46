/** `keel reservations` and `keel queue` read the persisted reservations and waits from the project's ledger. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadDefinitions } from '../../../src/definitions/index.ts';
import { openLedger } from '../../../src/ledger/index.ts';
import {
  LedgerReservations,
  type QueueView,
  type ReservationView,
  reservationConfigFor,
} from '../../../src/scheduling/index.ts';
import { featureRepo, KEEL_YAML, type Repo } from '../../engine/harness.ts';
import { parseJson, runKeel } from '../../helpers/cli.ts';

const RESOURCES = `resources:
  - id: test-db
    kind: database
    children:
      - { id: test-db.public, kind: schema }
  - id: ephemeral-dbs
    kind: pool
    capacity: 2
`;

describe('keel reservations and keel queue', () => {
  let repo: Repo;
  const start = Date.now();
  before(async () => {
    repo = featureRepo({
      '.keel/keel.yaml': KEEL_YAML + RESOURCES,
      '.keel/agents/author.md': `---
name: author
version: 1
category: implementer
description: The author.
runtime: llm
tier: economy
access: { write: ["src/**"], resources: [test-db, ephemeral-dbs] }
---
Write.
`,
    });
  });
  after(() => repo.dispose());

  it('prints an empty picture before anything was recorded', async () => {
    const r = await runKeel(['reservations', '--json'], { cwd: repo.dir });
    assert.equal(r.code, 0, r.stderr);
    const view = parseJson<ReservationView>(r);
    assert.deepEqual([view.holders, view.waiters, view.tokens], [[], [], {}]);
    const q = await runKeel(['queue', '--json'], { cwd: repo.dir });
    assert.equal(q.code, 0, q.stderr);
    assert.deepEqual(parseJson<QueueView>(q).counts, { running: 0, ready: 0, waiting: 0 });
  });

  it('shows holders with their tokens and lease expiry, and waiters in order', async () => {
    const loaded = await loadDefinitions(repo.dir);
    const config = reservationConfigFor(loaded.definitions!);
    const ledger = await openLedger({
      kind: 'sqlite',
      path: join(repo.dir, '.keel/state/ledger.db'),
    });
    try {
      const r = await LedgerReservations.open(ledger, { config, now: () => start });
      const owner = (workItem: string) => ({ agent: 'author', workItem, attempt: 1 });
      const held = await r.request({
        owner: owner('WI-1'),
        priority: 'P2',
        targets: [{ resource: 'test-db.public', mode: 'X' }, { resource: 'ephemeral-dbs' }],
        leaseMs: 3_600_000,
      });
      assert.equal(held.kind, 'granted');
      const waiting = await r.request({
        owner: owner('WI-2'),
        priority: 'P1',
        targets: [{ resource: 'test-db', mode: 'S' }],
        leaseMs: 60_000,
      });
      assert.equal(waiting.kind, 'queued');
    } finally {
      await ledger.close();
    }
    const res = await runKeel(['reservations', '--json'], { cwd: repo.dir });
    assert.equal(res.code, 0, res.stderr);
    const view = parseJson<ReservationView>(res);
    assert.equal(view.holders.length, 1);
    assert.equal(view.holders[0]?.owner.workItem, 'WI-1');
    assert.equal(view.holders[0]?.expiresAt, start + 3_600_000);
    assert.deepEqual(
      view.holders[0]?.grants.map((g) => [g.resource, g.fence, g.units]),
      [
        ['ephemeral-dbs', 1, ['ephemeral-dbs#1']],
        ['test-db.public', 1, undefined],
      ],
    );
    // The waiter blocks behind a P2 holder, which therefore inherits P1.
    assert.equal(view.holders[0]?.inheritedPriority, 'P1');
    assert.deepEqual(
      view.waiters.map((w) => [w.owner.workItem, w.position]),
      [['WI-2', 0]],
    );
    assert.deepEqual(view.tokens, { 'ephemeral-dbs': 1, 'test-db.public': 1 });

    const text = await runKeel(['reservations'], { cwd: repo.dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Held \(1\)/);
    assert.match(text.stdout, /author on WI-1 #1 .*P2 \(inherits P1\)/);
    assert.match(text.stdout, /Waiting \(1\)/);
    assert.match(text.stdout, /test-db S/);
  });

  it('lists running attempts and open waits with their reason, and ended waits with their duration', async () => {
    const ledger = await openLedger({
      kind: 'sqlite',
      path: join(repo.dir, '.keel/state/ledger.db'),
    });
    try {
      const at = (ms: number) => new Date(start + ms).toISOString();
      await ledger.append([
        {
          type: 'attempt.started',
          actor: 'keel',
          workItemId: 'WI-1',
          at: at(0),
          data: { pass: 'spec', attempt: 1, agent: 'author', runtime: 'llm' },
        },
        {
          type: 'wait.started',
          actor: 'keel',
          workItemId: 'WI-2',
          at: at(10),
          data: {
            reason: 'resource',
            waitId: 'sched:WI-2/spec#1',
            pass: 'spec',
            detail: 'busy: test-db',
          },
        },
        {
          type: 'wait.started',
          actor: 'keel',
          workItemId: 'WI-3',
          at: at(20),
          data: {
            reason: 'pool',
            waitId: 'sched:WI-3/spec#1',
            pass: 'spec',
            detail: 'no free slot in local',
          },
        },
        {
          type: 'wait.ended',
          actor: 'keel',
          workItemId: 'WI-3',
          at: at(1520),
          data: { reason: 'pool', waitId: 'sched:WI-3/spec#1', pass: 'spec' },
        },
      ]);
    } finally {
      await ledger.close();
    }
    const q = await runKeel(['queue', '--json'], { cwd: repo.dir });
    assert.equal(q.code, 0, q.stderr);
    const view = parseJson<QueueView>(q);
    assert.deepEqual(
      view.running.map((r) => [r.workItem, r.pass, r.attempt]),
      [['WI-1', 'spec', 1]],
    );
    assert.deepEqual(
      view.waiting.map((w) => [w.workItem, w.reason, w.detail]),
      [['WI-2', 'resource', 'busy: test-db']],
    );
    assert.ok((view.waiting[0]?.forMs ?? 0) > 0);
    assert.deepEqual(
      view.recent.map((w) => [w.workItem, w.reason, w.durationMs]),
      [['WI-3', 'pool', 1500]],
    );
    const text = await runKeel(['queue'], { cwd: repo.dir });
    assert.match(text.stdout, /Waiting \(1\)[\s\S]*WI-2 +spec +resource +busy: test-db/);
    assert.match(text.stdout, /Recent waits[\s\S]*WI-3 +spec +pool .*1\.5 s/);
  });

  it('refuses a --recent that is not a whole number with a usage error', async () => {
    const q = await runKeel(['queue', '--recent', 'many'], { cwd: repo.dir });
    assert.equal(q.code, 2);
    assert.match(q.stderr, /--recent must be a whole number/);
  });
});
