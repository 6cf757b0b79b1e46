/**
 * A realistic ledger and the git history it shipped, for the ledger figures'
 * tests. Six work items over two teams and three ISO weeks (2026-W02…W04), with
 * the expected values of every figure worked out by hand in
 * test/metrics/ledger-figures.test.ts:
 *
 *  WI-1 alpha/shop feature  rework after a failed review, gate + human waits, merged W02; lines rewritten by c3
 *  WI-2 alpha/shop bug      overlapping resource + budget waits, an unpriced call, merged W02 (joined by commit)
 *  WI-3 beta/shop  feature  tests failed then passed, pool wait, merged W03
 *  WI-4 beta/shop  feature  produced a commit, aborted W03
 *  WI-5 alpha/api  feature  open, an open human wait
 *  WI-6 alpha/api  chore    merged W04, its commit too young to judge rework
 */
import type { LedgerStore, NewEvent } from '../../src/ledger/index.ts';
import { DAY, HOUR, lines, type SyntheticRepo, T0 } from './synthetic-repo.ts';

/** The report's "now": Friday 2026-01-23 12:00 UTC. */
export const FLOW_NOW = T0 + 18 * DAY + 12 * HOUR;

export interface FlowShas {
  c0: string;
  c1: string;
  c2: string;
  c3: string;
  c4: string;
  c5: string;
  c6: string;
}

/** The main line: items' commits with Keel-Work-Item trailers, and a human rewrite of WI-1's lines. */
export function buildFlowRepo(repo: SyntheticRepo): FlowShas {
  const trailer = (id: string) => `\n\nKeel-Work-Item: ${id}\nKeel-Pass: implement\n`;
  const c0 = repo.commit('Start', { at: T0 - 3 * DAY, files: { 'a.txt': 'start\n' } });
  const c1 = repo.commit(`Checkout flow${trailer('WI-1')}`, {
    at: T0 + DAY,
    files: { 'f1.txt': lines('one', 4) },
  });
  // WI-2's commit has no trailer: the ledger's work_item.merged names it.
  const c2 = repo.commit('Fix rounding', {
    at: T0 + 2 * DAY + HOUR,
    files: { 'f2.txt': lines('two', 2) },
  });
  const c3 = repo.commit('Rewrite checkout start', {
    at: T0 + 3 * DAY + HOUR,
    files: { 'f1.txt': 'changed first\nchanged second\none 3\none 4\n' },
  });
  const c4 = repo.commit(`Search${trailer('WI-3')}`, {
    at: T0 + 9 * DAY - HOUR,
    files: { 'f3.txt': lines('three', 4) },
  });
  const c5 = repo.commit(`Tidy${trailer('WI-6')}`, {
    at: T0 + 15 * DAY + HOUR,
    files: { 'f4.txt': lines('four', 2) },
  });
  const c6 = repo.commit('Notes', {
    at: T0 + 17 * DAY + 12 * HOUR,
    files: { 'a.txt': 'start\nmore\n' },
  });
  return { c0, c1, c2, c3, c4, c5, c6 };
}

/** Agents of the fixture's definitions: name → category. */
export const FLOW_AGENTS = new Map([
  ['coder', 'implementer'],
  ['reviewer', 'verifier'],
  ['scribe', 'documenter'],
]);

const iso = (s: number) => new Date(s * 1000).toISOString();
const usage = (input: number, output: number) => ({
  inputTokens: input,
  outputTokens: output,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});

/** The fixture's events, in the order the engine would append them. */
export function flowEvents(shas: FlowShas): NewEvent[] {
  const out: NewEvent[] = [];
  const ev = (
    type: string,
    item: string | null,
    at: number,
    data: Record<string, unknown>,
    actor = 'keel',
  ) => out.push({ type, actor, workItemId: item, at: iso(at), data });
  const submit = (id: string, at: number, type: string, team: string, project: string) =>
    ev('work_item.submitted', id, at, {
      version: 1,
      id,
      number: Number(id.slice(3)),
      title: `${type} ${id}`,
      body: '',
      type,
      priority: 'normal',
      org: 'acme',
      project,
      team,
      owner: 'ana',
      labels: [],
      source: null,
      budgetUsd: null,
      somethingNew: { ignored: true },
    });
  const started = (id: string, at: number, pass: string, attempt: number, agent: string) =>
    ev('attempt.started', id, at, {
      pass,
      attempt,
      generationId: `${id}-${pass}-${attempt}`,
      agent,
      runtime: 'llm',
      tier: 'standard',
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      reason: attempt === 1 ? 'first' : 'rework',
      findings: [],
    });
  const finished = (
    id: string,
    at: number,
    pass: string,
    attempt: number,
    commit: string | null = null,
  ) =>
    ev('attempt.finished', id, at, {
      pass,
      attempt,
      generationId: `${id}-${pass}-${attempt}`,
      outcome: 'succeeded',
      findings: [],
      commit,
    });
  let callNo = 0;
  const call = (
    id: string,
    at: number,
    pass: string,
    attempt: number,
    actor: string,
    model: string,
    tokens: [number, number],
    cost: number | null,
    extra: Record<string, unknown> = {},
  ) =>
    ev(
      'model_call.recorded',
      id,
      at,
      {
        callId: `call-${++callNo}`,
        generationId: `${id}-${pass}-${attempt}`,
        pass,
        attempt,
        purpose: actor === 'reviewer' ? 'review' : 'pass',
        provider: model.startsWith('gpt') ? 'openai' : 'anthropic',
        model,
        outcome: 'succeeded',
        usage: usage(...tokens),
        latencyMs: 1200,
        costUsd: cost,
        priced: cost !== null,
        retries: [],
        promptHash: 'h',
        response: '{}',
        ...extra,
      },
      actor,
    );
  const gate = (
    id: string,
    at: number,
    pass: string,
    attempt: number,
    name: string,
    passed: boolean,
  ) =>
    ev('gate.decided', id, at, {
      pass,
      attempt,
      gate: name,
      kind: name === 'review' ? 'review' : 'command',
      verdict: passed ? 'passed' : 'failed',
      criteria: [],
      findings: [],
      decidedBy: 'keel',
    });
  const wait = (
    id: string,
    at: number,
    type: 'wait.started' | 'wait.ended',
    data: Record<string, unknown>,
  ) => ev(type, id, at, data);
  const h = (day: number, hour: number) => T0 + day * DAY + hour * HOUR;

  // Noise the adapter must skip: no work item, an unknown item, an end without a start.
  ev('budget.reserved', null, h(0, 8), { amountUsd: 5 });
  ev('attempt.started', 'WI-99', h(0, 8), { pass: 'x', attempt: 1 });

  // WI-1: Monday 09:00 → merged Tuesday 09:00 (24 h).
  submit('WI-1', h(0, 9), 'feature', 'alpha', 'shop');
  ev('work_item.planned', 'WI-1', h(0, 9), {
    workflow: { name: 'feature' },
    mode: 'balanced',
    passes: [],
  });
  started('WI-1', h(0, 9), 'implement', 1, 'coder');
  call('WI-1', h(0, 9.5), 'implement', 1, 'coder', 'claude-sonnet-4-5', [1000, 500], 0.5);
  finished('WI-1', h(0, 10), 'implement', 1);
  wait('WI-1', h(0, 10), 'wait.started', { reason: 'gate', pass: 'implement', gate: 'tests' });
  wait('WI-1', h(0, 11), 'wait.ended', { reason: 'gate', pass: 'implement', gate: 'tests' });
  gate('WI-1', h(0, 11), 'implement', 1, 'tests', true);
  call('WI-1', h(0, 11.5), 'implement', 1, 'reviewer', 'gpt-5-mini', [300, 100], 0.05);
  gate('WI-1', h(0, 11.5), 'implement', 1, 'review', false);
  started('WI-1', h(0, 11.5), 'implement', 2, 'coder');
  call('WI-1', h(0, 11.6), 'implement', 2, 'coder', 'claude-sonnet-4-5', [800, 200], 0.3);
  // A resumed run reused that answer: no new tokens, no new cost.
  call('WI-1', h(0, 11.7), 'implement', 2, 'coder', 'claude-sonnet-4-5', [800, 200], 0.3, {
    reusedFrom: 'call-4',
  });
  finished('WI-1', h(0, 11.8), 'implement', 2);
  gate('WI-1', h(0, 11.9), 'implement', 2, 'tests', true);
  call('WI-1', h(0, 11.95), 'implement', 2, 'reviewer', 'gpt-5-mini', [300, 100], 0.05);
  gate('WI-1', h(0, 12), 'implement', 2, 'review', true);
  ev('approval.requested', 'WI-1', h(0, 12), { approvalId: 'WI-1/implement/merge', kind: 'gate' });
  wait('WI-1', h(0, 12), 'wait.started', { reason: 'human', approvalId: 'WI-1/implement/merge' });
  wait('WI-1', h(0, 18), 'wait.ended', { reason: 'human', approvalId: 'WI-1/implement/merge' });
  ev('pass.completed', 'WI-1', h(0, 18), { pass: 'implement', outcome: 'passed' });
  ev('work_item.completed', 'WI-1', h(1, 8), { outcome: 'done', reason: 'all passes passed' });
  ev('work_item.merged', 'WI-1', h(1, 9), {});

  // WI-2: Tuesday 10:00 → merged Wednesday 10:00 (24 h); waits 11–13 resource, 12–14 budget.
  submit('WI-2', h(1, 10), 'bug', 'alpha', 'shop');
  started('WI-2', h(1, 10), 'implement', 1, 'coder');
  wait('WI-2', h(1, 11), 'wait.started', { reason: 'resource', waitId: 'r1', resource: 'db' });
  wait('WI-2', h(1, 12), 'wait.started', { reason: 'budget', waitId: 'b1' });
  wait('WI-2', h(1, 13), 'wait.ended', { reason: 'resource', waitId: 'r1' });
  wait('WI-2', h(1, 14), 'wait.ended', { reason: 'budget', waitId: 'b1' });
  wait('WI-2', h(1, 14), 'wait.ended', { reason: 'pool', waitId: 'never-started' });
  call('WI-2', h(1, 15), 'implement', 1, 'coder', 'claude-sonnet-4-5', [2000, 1000], 1);
  finished('WI-2', h(1, 15), 'implement', 1, shas.c2);
  gate('WI-2', h(1, 16), 'implement', 1, 'tests', true);
  started('WI-2', h(1, 17), 'document', 1, 'scribe');
  call('WI-2', h(1, 18), 'document', 1, 'scribe', 'local-llama', [500, 500], null, {
    unpricedReason: 'no price for local-llama',
  });
  finished('WI-2', h(1, 18), 'document', 1);
  ev('work_item.completed', 'WI-2', h(2, 9), { outcome: 'done', reason: 'all passes passed' });
  ev('work_item.merged', 'WI-2', h(2, 10), { commit: shas.c2 });

  // WI-3 (beta): Monday W03 08:00 → merged Wednesday 08:00 (48 h).
  submit('WI-3', h(7, 8), 'feature', 'beta', 'shop');
  started('WI-3', h(7, 8), 'implement', 1, 'coder');
  wait('WI-3', h(7, 9), 'wait.started', { reason: 'pool', pool: 'gpu' });
  wait('WI-3', h(7, 10), 'wait.ended', { reason: 'pool', pool: 'gpu' });
  call('WI-3', h(7, 11), 'implement', 1, 'coder', 'claude-sonnet-4-5', [1000, 1000], 2);
  finished('WI-3', h(7, 11), 'implement', 1);
  gate('WI-3', h(7, 12), 'implement', 1, 'tests', false);
  started('WI-3', h(7, 13), 'implement', 2, 'coder');
  // Recorded by keel itself: the role comes from the attempt's agent.
  call('WI-3', h(7, 14), 'implement', 2, 'keel', 'claude-sonnet-4-5', [1000, 1000], 2);
  finished('WI-3', h(7, 14), 'implement', 2);
  gate('WI-3', h(7, 15), 'implement', 2, 'tests', true);
  ev('work_item.completed', 'WI-3', h(9, 7), { outcome: 'done', reason: 'all passes passed' });
  ev('work_item.merged', 'WI-3', h(9, 8), { commit: 'f'.repeat(40) });

  // WI-4 (beta): produced a commit, then aborted after 24 h.
  submit('WI-4', h(8, 9), 'feature', 'beta', 'shop');
  started('WI-4', h(8, 9), 'implement', 1, 'coder');
  call('WI-4', h(8, 10), 'implement', 1, 'coder', 'claude-sonnet-4-5', [500, 500], 0.4);
  finished('WI-4', h(8, 10), 'implement', 1, 'd'.repeat(40));
  gate('WI-4', h(8, 11), 'implement', 1, 'tests', false);
  ev('work_item.completed', 'WI-4', h(9, 9), { outcome: 'aborted', reason: 'stopped by ana' });

  // WI-5: open since Monday W04 09:00, waiting for a person since Tuesday 09:00.
  submit('WI-5', h(14, 9), 'feature', 'alpha', 'api');
  started('WI-5', h(14, 9), 'implement', 1, 'coder');
  call('WI-5', h(14, 10), 'implement', 1, 'coder', 'claude-sonnet-4-5', [1000, 1000], 1.5);
  finished('WI-5', h(14, 10), 'implement', 1);
  gate('WI-5', h(14, 11), 'implement', 1, 'tests', true);
  wait('WI-5', h(15, 9), 'wait.started', { reason: 'human', approvalId: 'WI-5/implement/merge' });

  // WI-6: Monday W04 10:00 → merged Tuesday 10:00 (24 h).
  submit('WI-6', h(14, 10), 'chore', 'alpha', 'api');
  started('WI-6', h(14, 10), 'implement', 1, 'coder');
  call('WI-6', h(14, 11), 'implement', 1, 'coder', 'gpt-5-mini', [100, 100], 0.1);
  finished('WI-6', h(14, 11), 'implement', 1);
  gate('WI-6', h(14, 12), 'implement', 1, 'tests', true);
  ev('work_item.completed', 'WI-6', h(15, 9), { outcome: 'done', reason: 'all passes passed' });
  ev('work_item.merged', 'WI-6', h(15, 10), {});

  // After the report's now: must not count.
  ev('work_item.merged', 'WI-5', FLOW_NOW + DAY, {});
  return out;
}

/** Appends the fixture's events to a ledger. */
export async function writeFlowLedger(store: LedgerStore, shas: FlowShas): Promise<void> {
  await store.append(flowEvents(shas));
}
