/**
 * Budgets in real engine runs over the wind tunnel: each graded action of
 * evaluateBudgets as the engine meets it — approaching (owner notified, webhook
 * from an env var), at the limit (a P1 dispatch waits for `keel approve`, a P3
 * one pauses), over (everything pauses, escalated) — waits recorded as
 * wait.started / wait.ended, and a crash's reservations released on recovery.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import {
  BudgetService,
  budgetsFromConfig,
  forecastApprovalRequest,
} from '../../src/budgets/index.ts';
import { decideApproval, listPending } from '../../src/engine/index.ts';
import { BASE_AGENTS, FEATURE_WORKFLOW, harness, KEEL_YAML, makeRepo } from '../engine/harness.ts';

const SCENARIO = `rules:\n  - { match: { agent: author, pass: spec }, reply: { json: { artifacts: { spec.md: "# Spec" } } } }\n`;

/** The engine test repository with a project budget (and optional cost policy). */
function repoWith(budget: string, cost = '') {
  return makeRepo({
    '.keel/keel.yaml': `${KEEL_YAML}budgets:\n  - { id: demo-total, scope: project, period: total, owner: tech-lead, ${budget} }\n${cost}`,
    ...BASE_AGENTS,
    '.keel/workflows/feature.yaml': FEATURE_WORKFLOW,
  });
}

test('approaching: the owner is notified once, by event and webhook, and the work goes on', async () => {
  const posts: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      posts.push(body);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=s3cret`;
  // The first estimate (worst case of a typical call, ≈ $0.06) is already past half the limit.
  const h = await harness(
    SCENARIO,
    repoWith('limit_usd: 0.1, approaching_at: 0.5', 'cost: { webhook_url_env: BUDGET_HOOK_URL }\n'),
  );
  h.env.BUDGET_HOOK_URL = url;
  try {
    await h.submit();
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'done');
    const notices = await h.events('budget.approaching');
    assert.equal(notices.length, 1);
    assert.equal(notices[0]?.data.owner, 'tech-lead');
    assert.equal(posts.length, 1);
    assert.equal(JSON.parse(posts[0] ?? '{}').budgetId, 'demo-total');
    const all = JSON.stringify(await h.events());
    assert.doesNotMatch(all, /s3cret/, 'the webhook URL never reaches the ledger');
    const reserved = await h.events('budget.reserved');
    const settled = await h.events('budget.settled');
    assert.equal(reserved.length, 3, 'spec, its review, build');
    assert.equal(settled.length, 3);
    const calls = await h.events('model_call.recorded');
    const callMicros = calls.reduce((s, e) => s + Math.round(Number(e.data.costUsd) * 1e6), 0);
    const settledMicros = settled.reduce((s, e) => s + Number(e.data.actualMicros), 0);
    assert.equal(settledMicros, callMicros, 'settled spend is the recorded calls’ cost');
  } finally {
    server.close();
    await h.close();
  }
});

test('at the limit: a P1 dispatch waits for keel approve, with the wait recorded, then proceeds', async () => {
  const h = await harness(SCENARIO, repoWith('limit_usd: 0.05'));
  try {
    const id = await h.submit('Urgent greeting', { priority: 'P1' });
    const first = await h.run();
    assert.equal(first.idle, true);
    assert.equal((await h.events('attempt.started')).length, 0, 'nothing dispatched');
    const waits = await h.events('wait.started');
    assert.equal(waits.length, 1);
    assert.equal(waits[0]?.data.reason, 'budget');
    assert.equal(waits[0]?.data.action, 'wait-approval');
    const pending = await listPending(h.ledger);
    assert.deepEqual(
      pending.map((p) => p.approvalId),
      [`${id}/spec/1/budget`],
    );
    // Each dispatch without history (the spec, then its first review) is estimated at its worst case.
    const approved: string[] = [];
    let result = first;
    for (let round = 0; round < 3 && !result.items[0]?.state.completed; round++) {
      for (const p of await listPending(h.ledger)) {
        await decideApproval(h.ledger, {
          approvalId: p.approvalId,
          decision: 'approved',
          by: 'alice',
          note: 'worth it',
        });
        approved.push(p.approvalId);
      }
      result = await h.run();
    }
    assert.equal(result.items[0]?.state.completed?.outcome, 'done');
    assert.deepEqual(approved, [`${id}/spec/1/budget`, `${id}/spec/1/gate:spec-review/budget`]);
    const ended = (await h.events('wait.ended')).filter((e) => e.data.reason === 'budget');
    assert.equal(ended.length, 2);
  } finally {
    await h.close();
  }
});

test('at the limit: low-priority work pauses without asking anyone', async () => {
  const h = await harness(SCENARIO, repoWith('limit_usd: 0.05'));
  try {
    await h.submit('Nice to have', { priority: 'P3' });
    const result = await h.run();
    assert.equal(result.idle, true);
    assert.equal((await h.events('attempt.started')).length, 0);
    const waits = await h.events('wait.started');
    assert.equal(waits[0]?.data.action, 'pause');
    assert.equal((await listPending(h.ledger)).length, 0);
  } finally {
    await h.close();
  }
});

test('over the limit: everything in scope pauses and the owner is escalated to', async () => {
  const h = await harness(SCENARIO, repoWith('limit_usd: 1'));
  try {
    const service = new BudgetService(h.ledger, {
      configBudgets: budgetsFromConfig(h.definitions.config),
    });
    const scopes = { project: 'demo' };
    await service.admit({
      dispatchId: 'earlier',
      workItemId: null,
      scopes,
      priority: 'P0',
      estimateMicros: 900_000,
      holder: 'x',
    });
    await service.settle('earlier', 1_200_000);
    await h.submit('Critical', { priority: 'P0' });
    const result = await h.run();
    assert.equal(result.idle, true);
    assert.equal((await h.events('attempt.started')).length, 0);
    const escalated = await h.events('budget.escalated');
    assert.equal(escalated.length, 1);
    assert.equal(escalated[0]?.data.owner, 'tech-lead');
    assert.equal((await h.events('wait.started'))[0]?.data.action, 'pause-and-escalate');
  } finally {
    await h.close();
  }
});

test('an item submitted with its own --budget is held to it before anything is spent', async () => {
  // A generous project budget, so only the item's own $0.0001 can stop it.
  const h = await harness(SCENARIO, repoWith('limit_usd: 100'));
  try {
    const id = await h.submit('Tiny budget', { priority: 'P2', budgetUsd: 0.0001 });
    const other = await h.submit('No budget of its own', { priority: 'P2' });
    const result = await h.run();
    assert.equal(result.idle, true);
    const outcome = (itemId: string) =>
      result.items.find((i) => i.state.itemId === itemId)?.state.completed?.outcome;
    assert.equal(outcome(other), 'done', 'an item without its own budget runs to the end');
    assert.equal(outcome(id), undefined, 'the item with the tiny budget is paused, not run');
    const budgetWait = (await h.events('wait.started')).find((e) => e.data.reason === 'budget');
    assert.ok(budgetWait, 'the pause is recorded as a budget wait');
    assert.equal(budgetWait.workItemId, id);
    assert.deepEqual(budgetWait.data.budgets, [`${id}/budget`]);
    const started = (await h.events('attempt.started')).filter((e) => e.workItemId === id);
    assert.equal(started.length, 0, 'nothing of it was dispatched, so nothing was spent');
  } finally {
    await h.close();
  }
});

test('a reservation left by a crashed orchestrator is released when the engine starts', async () => {
  const h = await harness(SCENARIO, repoWith('limit_usd: 10'));
  try {
    const service = new BudgetService(h.ledger, {
      configBudgets: budgetsFromConfig(h.definitions.config),
    });
    await service.admit({
      dispatchId: 'WI-9/spec/1',
      workItemId: null,
      scopes: { project: 'demo' },
      priority: 'P1',
      estimateMicros: 500_000,
      holder: 'dead-run',
    });
    await h.submit();
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'done');
    const released = await h.events('budget.released');
    assert.deepEqual(
      released.map((e) => e.data.dispatchId),
      ['WI-9/spec/1'],
    );
    const { book } = await service.snapshot();
    assert.equal(book.reservations.size, 0, 'nothing leaked');
  } finally {
    await h.close();
  }
});

test('a work item whose forecast exceeds what is left is deferred until there is room', async () => {
  const h = await harness(
    SCENARIO,
    repoWith('limit_usd: 1', 'cost: { defer_over_budget: true }\n'),
  );
  try {
    // Three finished feature items of the same workflow, $2 each.
    const past = [];
    for (const n of [91, 92, 93]) {
      const id = `WI-${n}`;
      const at = (h: number) => new Date(Date.UTC(2026, 9, 1, h)).toISOString();
      past.push(
        {
          type: 'work_item.submitted',
          actor: 't',
          workItemId: id,
          at: at(1),
          data: { id, type: 'feature', labels: [] },
        },
        {
          type: 'work_item.planned',
          actor: 't',
          workItemId: id,
          at: at(1),
          data: { workflow: { name: 'feature' } },
        },
        {
          type: 'model_call.recorded',
          actor: 't',
          workItemId: id,
          at: at(2),
          data: { pass: 'spec', attempt: 1, costUsd: 2, priced: true },
        },
        {
          type: 'work_item.completed',
          actor: 't',
          workItemId: id,
          at: at(5),
          data: { outcome: 'done' },
        },
      );
    }
    await h.ledger.append(past);
    const id = await h.submit('Big feature', { priority: 'P1' });
    const first = await h.run({ items: [id] });
    assert.equal(first.idle, true);
    assert.equal((await h.events('attempt.started')).length, 0);
    const deferred = await h.events('budget.deferred');
    assert.equal(deferred.length, 1);
    assert.match(String(deferred[0]?.data.reason), /p50 forecast \$2\.00 exceeds the \$1\.00 left/);
    const service = new BudgetService(h.ledger);
    const [def] = budgetsFromConfig(h.definitions.config);
    assert.ok(def);
    await service.set({ ...def, limitMicros: 10_000_000 });
    const second = await h.run({ items: [id] });
    assert.equal(second.items[0]?.state.completed?.outcome, 'done');
    const ended = (await h.events('wait.ended')).filter((e) => e.data.waitId === `defer:${id}`);
    assert.equal(ended.length, 1);
  } finally {
    await h.close();
  }
});

test('an item whose forecast needs approval starts only once it is approved', async () => {
  const h = await harness(
    SCENARIO,
    repoWith('limit_usd: 10', 'cost: { forecast_approval_above_usd: 1 }\n'),
  );
  try {
    const id = await h.submit('Pricey feature', { priority: 'P1' });
    const item = { id, org: 'acme', team: 'core', project: 'demo' };
    const request = forecastApprovalRequest(h.definitions.config, item, 3_000_000);
    assert.ok(request);
    await h.ledger.append(request);
    const first = await h.run({ items: [id] });
    assert.equal(first.idle, true);
    assert.equal((await h.events('attempt.started')).length, 0);
    assert.deepEqual(
      (await listPending(h.ledger)).map((p) => p.approvalId),
      [`${id}/forecast`],
    );
    await decideApproval(h.ledger, {
      approvalId: `${id}/forecast`,
      decision: 'approved',
      by: 'alice',
      note: 'go',
    });
    const second = await h.run({ items: [id] });
    assert.equal(second.items[0]?.state.completed?.outcome, 'done');
  } finally {
    await h.close();
  }
});
