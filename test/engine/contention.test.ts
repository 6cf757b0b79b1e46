/**
 * Two work items contend for one test database (exclusive) in a real engine
 * run over the wind tunnel: the scheduler re-plans (the slot goes to a pass
 * that does not need the database), the reservations and waits land in the
 * ledger, and `keel show` and `keel queue` show the waits.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QueueView } from '../../src/scheduling/index.ts';
import { parseJson, runKeel } from '../helpers/cli.ts';
import { agent, featureRepo, harness, KEEL_YAML } from './harness.ts';

const WORKFLOW = `name: feature
version: 1
selects: { types: [feature] }
passes:
  - id: migrate
    agent: author
    outputs: [migration.md]
    resources: [{ id: test-db, mode: X }]
  - id: docs
    agent: author
    outputs: [docs.md]
`;

const RESOURCES = `resources:
  - id: test-db
    kind: database
`;

// The migration answers slowly so that the other item's migration is ready while the database is held.
const SCENARIO = `rules:
  - { match: { agent: author, pass: migrate }, reply: { delayMs: 800, json: { artifacts: { migration.md: "# Migration" } } } }
  - { match: { agent: author, pass: docs }, reply: { json: { artifacts: { docs.md: "# Docs" } } } }
`;

test('two items contending for one exclusive test database take turns while the scheduler runs other passes, and the waits are shown', async () => {
  const repo = featureRepo({
    '.keel/keel.yaml': KEEL_YAML + RESOURCES,
    '.keel/agents/author.md': agent(
      'author',
      'access: { write: ["src/**"], resources: [test-db] }\n',
    ),
    '.keel/workflows/feature.yaml': WORKFLOW,
  });
  const h = await harness(SCENARIO, repo);
  try {
    const one = await h.submit('First migration');
    const two = await h.submit('Second migration');
    const result = await h.run({ concurrency: 2 });
    assert.deepEqual(
      result.items.map((i) => i.state.completed?.outcome),
      ['done', 'done'],
    );
    const events = await h.events();
    const of = (type: string, item: string, pass: string) =>
      events.find((e) => e.type === type && e.workItemId === item && e.data.pass === pass);

    // Each migration held the database alone: one finished before the other started.
    const grants = events.filter((e) => e.type === 'reservation.granted');
    assert.equal(grants.length, 2);
    const [first, second] = grants.map((g) => g.workItemId);
    assert.deepEqual(new Set([first, second]), new Set([one, two]));
    assert.deepEqual(
      grants.map((g) => (g.data.grants as { resource: string; fence: number }[])[0]),
      [
        { resource: 'test-db', fence: 1 },
        { resource: 'test-db', fence: 2 },
      ],
    );
    const firstDone = of('attempt.finished', first ?? '', 'migrate');
    const secondStart = of('attempt.started', second ?? '', 'migrate');
    assert.ok(firstDone && secondStart && firstDone.seq < secondStart.seq);
    assert.equal(events.filter((e) => e.type === 'reservation.released').length, 2);

    // The waiting migration's wait is recorded with its reason, and ended when it got the database.
    const waited = events.filter((e) => e.type === 'wait.started' && e.data.reason === 'resource');
    assert.deepEqual(
      waited.map((e) => [e.workItemId, e.data.pass, e.data.detail]),
      [[second, 'migrate', 'busy: test-db']],
    );
    const ended = events.find(
      (e) => e.type === 'wait.ended' && e.data.waitId === waited[0]?.data.waitId,
    );
    assert.ok(ended && (secondStart?.seq ?? 0) > ended.seq - 1);
    // Re-planning: while it waited, another pass was started instead of leaving the slot idle.
    const during = events.filter(
      (e) =>
        e.type === 'attempt.started' &&
        e.seq > (waited[0]?.seq ?? 0) &&
        e.seq < (ended?.seq ?? 0) &&
        e.data.pass === 'docs',
    );
    assert.ok(during.length >= 1, 'a docs pass ran while the migration waited for the database');

    const show = await runKeel(['show', second ?? '', '--json'], { cwd: repo.dir, env: h.env });
    assert.equal(show.code, 0, show.stderr);
    const timeline = parseJson<{ timeline: { type: string }[] }>(show).timeline.map((t) => t.type);
    assert.ok(timeline.includes('wait.started') && timeline.includes('wait.ended'));
    assert.ok(timeline.includes('reservation.granted'));

    const queue = await runKeel(['queue', '--json'], { cwd: repo.dir, env: h.env });
    assert.equal(queue.code, 0, queue.stderr);
    const view = parseJson<QueueView>(queue);
    assert.deepEqual(view.counts, { running: 0, ready: 0, waiting: 0 });
    const recent = view.recent.find((w) => w.reason === 'resource');
    assert.equal(recent?.workItem, second);
    assert.equal(recent?.detail, 'busy: test-db');
    assert.ok((recent?.durationMs ?? 0) > 0);
  } finally {
    await h.close();
  }
});
