/**
 * The engine end to end, in-process, over the wind tunnel and a real ledger in
 * temporary git repositories: happy path, rework after a failed review, tier
 * escalation, the access check, checkpoints and human gates.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import {
  type AttemptFinished,
  type AttemptStarted,
  decideApproval,
  type GateDecided,
  listPending,
  type ModelCallRecorded,
} from '../../src/engine/index.ts';
import { agent, dataOf, featureRepo, harness } from './harness.ts';

const specAnswer = (text: string) =>
  `{ match: { agent: author, pass: spec }, reply: { json: { artifacts: { spec.md: "${text}" } } } }`;
const verdict = (first: boolean, second: boolean) =>
  `{ json: { criteria: { c1: { passed: ${first}, finding: "c1 seen" }, c2: { passed: ${second}, finding: "${second ? 'non-goals stated' : 'non-goals are missing'}" } } } }`;

test('a feature runs through both passes, records calls with cost and commits artifacts with trailers', async () => {
  const h = await harness(`rules:\n  - ${specAnswer('# Spec')}\n`);
  try {
    const id = await h.submit();
    const result = await h.run();
    const item = result.items[0];
    assert.equal(item?.state.completed?.outcome, 'done');
    const events = await h.events();
    const calls = dataOf<ModelCallRecorded>(events, 'model_call.recorded');
    assert.deepEqual(
      calls.map((c) => `${c.pass}:${c.purpose}`),
      ['spec:pass', 'spec:review', 'build:pass'],
    );
    for (const c of calls) {
      assert.equal(c.priced, true, `${c.model} should be in the built-in catalog`);
      assert.ok((c.costUsd ?? 0) > 0);
      assert.ok(c.usage.inputTokens > 0);
    }
    const headers = h.sim.requests.map((r) => `${r.agent}/${r.pass}/${r.attempt}/${r.workItem}`);
    assert.deepEqual(headers, [
      `author/spec/1/${id}`,
      `reviewer/spec/1/${id}`,
      `author/build/1/${id}`,
    ]);
    const spec = h.repo.git(
      '-C',
      '.keel/state/worktrees/wi-1',
      'show',
      `keel/wi-1:.keel/artifacts/${id}/spec/spec.md`,
    );
    assert.equal(spec, '# Spec');
    const log = h.repo.git('log', '--format=%B', 'keel/wi-1');
    assert.match(log, /Keel-Work-Item: WI-1/);
    assert.match(log, /Keel-Pass: spec/);
    const started = dataOf<AttemptStarted>(events, 'attempt.started');
    assert.match(log, new RegExp(`Keel-Generation: ${started[0]?.generationId}`));
    const gates = dataOf<GateDecided>(events, 'gate.decided');
    assert.deepEqual(
      gates.map((g) => `${g.gate}:${g.verdict}`),
      ['spec-review:passed', 'tests:passed'],
    );
    assert.match(gates[1]?.logPath ?? '', /gates\/tests\.log$/);
    assert.equal((await h.ledger.verify()).ok, true);
  } finally {
    await h.close();
  }
});

test('a review that fails a criterion sends the pass back with its findings, and the rework passes', async () => {
  const h = await harness(
    `rules:\n  - ${specAnswer('# Spec')}\n  - match: { agent: reviewer }\n    replies:\n      - ${verdict(true, false)}\n      - ${verdict(true, true)}\n`,
  );
  try {
    await h.submit();
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'done');
    const events = await h.events();
    const starts = dataOf<AttemptStarted>(events, 'attempt.started').filter(
      (a) => a.pass === 'spec',
    );
    assert.deepEqual(
      starts.map((a) => a.reason),
      ['first', 'rework'],
    );
    assert.deepEqual(starts[1]?.findings, ['Non-goals are stated. — non-goals are missing']);
    assert.notEqual(starts[0]?.generationId, starts[1]?.generationId);
    const second = h.sim.requests.filter((r) => r.agent === 'author' && r.pass === 'spec')[1];
    assert.match(second?.lastUserText ?? '', /Findings to fix[\s\S]*non-goals are missing/);
    const gates = dataOf<GateDecided>(events, 'gate.decided').filter(
      (g) => g.gate === 'spec-review',
    );
    assert.deepEqual(
      gates.map((g) => g.verdict),
      ['failed', 'passed'],
    );
  } finally {
    await h.close();
  }
});

test('when rework is used up, escalate-tier re-runs the pass one tier up, then the ladder aborts', async () => {
  const h = await harness(
    `rules:\n  - ${specAnswer('# Spec')}\n  - match: { agent: reviewer }\n    reply: ${verdict(false, true)}\n`,
  );
  try {
    await h.submit();
    const result = await h.run();
    const state = result.items[0]?.state;
    assert.equal(state?.completed?.outcome, 'aborted');
    const starts = dataOf<AttemptStarted>(await h.events(), 'attempt.started');
    assert.deepEqual(
      starts.map((a) => `${a.reason}@${a.tier}`),
      ['first@economy', 'rework@economy', 'rework@economy', 'escalate_tier@standard'],
    );
    assert.notEqual(starts[3]?.model, starts[0]?.model);
    assert.equal(state?.passes.get('build'), undefined);
  } finally {
    await h.close();
  }
});

test('a pass that writes outside its access globs fails with the files named, and nothing of it is committed', async () => {
  const repo = featureRepo({
    '.keel/agents/author.md': agent('author', '', 'command').replace(
      'runtime: command',
      'runtime: { kind: command, run: [sh, -c, "echo hacked > README.md; echo ok > src.txt"] }',
    ),
    '.keel/workflows/feature.yaml': `name: feature
version: 1
selects: { types: [feature] }
passes:
  - id: build
    agent: author
    outputs: [notes.md]
`,
  });
  const h = await harness('rules: []\n', repo);
  try {
    await h.submit();
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'failed');
    const finished = dataOf<AttemptFinished>(await h.events(), 'attempt.finished');
    assert.equal(finished.length, 3);
    assert.equal(finished[0]?.error?.kind, 'access');
    assert.match(finished[0]?.findings[0] ?? '', /README\.md, src\.txt/);
    const branchReadme = h.repo.git('show', 'keel/wi-1:README.md');
    assert.equal(branchReadme, '# demo\n');
    const status = execFileSync('git', ['status', '--porcelain'], {
      cwd: `${h.repo.dir}/.keel/state/worktrees/wi-1`,
      encoding: 'utf8',
    });
    assert.equal(status, '');
  } finally {
    await h.close();
  }
});

test('a checkpoint holds its pass until the approver decides; pending lists it; a non-member is refused', async () => {
  const repo = featureRepo({
    '.keel/workflows/feature.yaml': `name: feature
version: 1
selects: { types: [feature] }
passes:
  - id: deploy
    agent: author
    outputs: [deploy.md]
    actions: [deploy]
`,
  });
  const h = await harness('rules: []\n', repo);
  try {
    await h.submit();
    const first = await h.run();
    assert.equal(first.idle, true);
    assert.equal(h.sim.requests.length, 0, 'the pass must not run before the approval');
    const pending = await listPending(h.ledger);
    assert.deepEqual(
      pending.map((p) => `${p.approvalId} ${p.role}`),
      ['WI-1/deploy/checkpoint release-manager'],
    );
    await assert.rejects(
      decideApproval(h.ledger, {
        approvalId: 'WI-1/deploy/checkpoint',
        decision: 'approved',
        by: 'mallory',
        note: '',
      }),
      /mallory is not a member of role release-manager/,
    );
    await decideApproval(h.ledger, {
      approvalId: 'wi-1/deploy/checkpoint',
      decision: 'approved',
      by: 'dave',
      note: 'go',
    });
    const second = await h.run();
    assert.equal(second.items[0]?.state.completed?.outcome, 'done');
    assert.equal(h.sim.requests.length, 1);
    await assert.rejects(
      decideApproval(h.ledger, {
        approvalId: 'WI-1/deploy/checkpoint',
        decision: 'rejected',
        by: 'dave',
        note: '',
      }),
      /already approved by dave/,
    );
  } finally {
    await h.close();
  }
});

test('after a stop in the middle of an attempt, the next run closes it as interrupted and reuses the recorded answer instead of paying again', async () => {
  const h = await harness(`rules:\n  - ${specAnswer('# Spec')}\n`);
  try {
    await h.submit();
    const stop = new AbortController();
    await h.run({
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'model_call.recorded' && !stop.signal.aborted) {
          stop.abort();
          throw new Error('stopped right after the call was recorded');
        }
      },
    });
    assert.equal(h.sim.requests.filter((r) => r.agent === 'author').length, 1);
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'done');
    const events = await h.events();
    const finished = dataOf<AttemptFinished>(events, 'attempt.finished').filter(
      (f) => f.pass === 'spec',
    );
    assert.deepEqual(
      finished.map((f) => `${f.attempt}:${f.outcome}`),
      ['1:interrupted', '2:succeeded'],
    );
    const starts = dataOf<AttemptStarted>(events, 'attempt.started').filter(
      (a) => a.pass === 'spec',
    );
    assert.equal(starts[1]?.reason, 'after_interruption');
    const calls = dataOf<ModelCallRecorded>(events, 'model_call.recorded').filter(
      (c) => c.purpose === 'pass' && c.pass === 'spec',
    );
    assert.equal(calls.length, 2);
    assert.equal(calls[1]?.reusedFrom, calls[0]?.callId);
    assert.equal(calls[1]?.usage.inputTokens, 0);
    assert.equal(
      h.sim.requests.filter((r) => r.agent === 'author' && r.pass === 'spec').length,
      1,
      'the provider was asked once',
    );
  } finally {
    await h.close();
  }
});

test('a human pass waits for a person, and their note becomes its output', async () => {
  const repo = featureRepo({
    '.keel/agents/writer.md': agent('writer', '', 'human'),
    '.keel/workflows/feature.yaml': `name: feature
version: 1
selects: { types: [feature] }
passes:
  - id: notes
    agent: writer
    outputs: [notes.md]
`,
  });
  const h = await harness('rules: []\n', repo);
  try {
    await h.submit();
    assert.equal((await h.run()).idle, true);
    const [pending] = await listPending(h.ledger);
    assert.equal(pending?.approvalId, 'WI-1/notes/work');
    await decideApproval(h.ledger, {
      approvalId: 'WI-1/notes/work',
      decision: 'approved',
      by: 'bob',
      note: 'Release notes: greeting added.',
    });
    assert.equal((await h.run()).items[0]?.state.completed?.outcome, 'done');
    const notes = h.repo.git('show', 'keel/wi-1:.keel/artifacts/WI-1/notes/notes.md');
    assert.match(notes, /Release notes: greeting added\.\n\n— bob/);
  } finally {
    await h.close();
  }
});

test('independent passes run in parallel up to the concurrency, and a pass waits for its needs', async () => {
  const repo = featureRepo({
    '.keel/workflows/feature.yaml': `name: feature
version: 1
selects: { types: [feature] }
passes:
  - id: left
    agent: author
    outputs: [left.md]
  - id: right
    agent: author
    outputs: [right.md]
  - id: join
    agent: author
    needs: [left, right]
    inputs: [left.md, right.md]
    outputs: [joined.md]
`,
  });
  const h = await harness(
    'rules:\n  - { match: { pass: "/left|right/" }, reply: { delayMs: 300, json: { artifacts: { left.md: L, right.md: R } } } }\n',
    repo,
  );
  try {
    await h.submit();
    const result = await h.run({ concurrency: 2 });
    assert.equal(result.items[0]?.state.completed?.outcome, 'done');
    const events = await h.events();
    const at = (type: string, pass: string) =>
      events.find((e) => e.type === type && (e.data as { pass?: string }).pass === pass)?.seq ?? -1;
    assert.ok(
      at('attempt.started', 'right') < at('attempt.finished', 'left'),
      'right started while left ran',
    );
    assert.ok(at('attempt.started', 'join') > at('pass.completed', 'left'));
    assert.ok(at('attempt.started', 'join') > at('pass.completed', 'right'));
    const joinRequest = h.sim.requests.find((r) => r.pass === 'join');
    assert.match(
      joinRequest?.lastUserText ?? '',
      /# Input artifact left\.md\n\nL[\s\S]*# Input artifact right\.md\n\nR/,
    );
  } finally {
    await h.close();
  }
});

test('a reviewer whose answer never fits the verdict schema fails the gate with a finding that says so', async () => {
  const h = await harness(
    `rules:\n  - ${specAnswer('# Spec')}\n  - { match: { agent: reviewer }, reply: { json: { verdict: approve } } }\n`,
  );
  try {
    await h.submit();
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'aborted');
    const gates = dataOf<GateDecided>(await h.events(), 'gate.decided');
    assert.equal(gates[0]?.verdict, 'failed');
    assert.match(gates[0]?.findings[0] ?? '', /the review by reviewer gave no usable verdict/);
    const reviews = h.sim.requests.filter((r) => r.agent === 'reviewer' && r.attempt === 1);
    assert.ok(reviews.length > 1, 'the off-schema answer was asked again before the gate failed');
  } finally {
    await h.close();
  }
});
