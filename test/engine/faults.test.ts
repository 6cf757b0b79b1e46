/**
 * Injected provider faults through the llm runtime: each transient fault is
 * retried by keel and recorded as a retry on the call; a provider that stays
 * down fails the attempt as an infrastructure failure, retried a bounded
 * number of times before the pass (and the item) fails.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttemptFinished, ModelCallRecorded } from '../../src/engine/index.ts';
import { agent, dataOf, featureRepo, harness } from './harness.ts';

const ONE_PASS = `name: feature
version: 1
selects: { types: [feature] }
passes:
  - id: spec
    agent: author
    outputs: [spec.md]
`;

const repo = () =>
  featureRepo({
    '.keel/workflows/feature.yaml': ONE_PASS,
    '.keel/agents/author.md': agent('author').replace(
      'runtime: llm',
      'runtime: { kind: llm, timeout: 1s }',
    ),
  });

const answer = '{ json: { artifacts: { spec.md: "# Spec" } } }';

const cases: { fault: string; reply: string; error: RegExp; status?: number }[] = [
  {
    fault: '429 with retry-after',
    reply: '{ fault: rate-limit, retryAfterSeconds: 0.04 }',
    error: /RateLimited/,
    status: 429,
  },
  { fault: '500', reply: '{ fault: server-error }', error: /ProviderUnavailable/, status: 500 },
  {
    fault: '529 overloaded',
    reply: '{ fault: overloaded }',
    error: /ProviderUnavailable/,
    status: 529,
  },
  { fault: 'timeout', reply: '{ fault: timeout }', error: /Timeout/ },
  {
    fault: 'malformed JSON',
    reply: '{ fault: malformed-json, json: { artifacts: { spec.md: "x" } } }',
    error: /Invalid|Structured/,
  },
  {
    fault: 'truncated body',
    reply: '{ fault: truncated-stream, json: { artifacts: { spec.md: "x" } } }',
    error: /Invalid|Network|Structured/,
  },
];

for (const c of cases) {
  test(`a ${c.fault} from the provider is retried and recorded as a retry on the call`, async () => {
    const h = await harness(
      `rules:\n  - { match: { agent: author }, times: 1, reply: ${c.reply} }\n  - { match: { agent: author }, reply: ${answer} }\n`,
      repo(),
    );
    try {
      await h.submit();
      const result = await h.run();
      assert.equal(result.items[0]?.state.completed?.outcome, 'done');
      const calls = dataOf<ModelCallRecorded>(await h.events(), 'model_call.recorded');
      assert.equal(calls.length, 1);
      assert.equal(calls[0]?.retries.length, 1);
      assert.match(calls[0]?.retries[0]?.error ?? '', c.error);
      if (c.status) assert.equal(h.sim.requests[0]?.status, c.status);
      if (c.fault.startsWith('429'))
        assert.ok((calls[0]?.retries[0]?.delayMs ?? 0) >= 40, 'the retry-after is honoured');
    } finally {
      await h.close();
    }
  });
}

test('a provider that stays down fails each attempt as an infrastructure failure, then the pass and the item', async () => {
  const h = await harness(
    'rules:\n  - { match: { agent: author }, reply: { fault: server-error } }\n',
    repo(),
  );
  try {
    await h.submit();
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'failed');
    const events = await h.events();
    const finished = dataOf<AttemptFinished>(events, 'attempt.finished');
    assert.deepEqual(
      finished.map((f) => `${f.outcome}:${f.error?.kind}`),
      ['failed:infrastructure', 'failed:infrastructure', 'failed:infrastructure'],
    );
    const calls = dataOf<ModelCallRecorded>(events, 'model_call.recorded');
    assert.deepEqual(
      calls.map((c) => c.outcome),
      ['failed', 'failed', 'failed'],
    );
    assert.equal(calls[0]?.retries.length, 3, 'keel retried each call before giving up');
    assert.equal(
      dataOf<{ gate: string }>(events, 'gate.decided').length,
      0,
      'an infrastructure failure is not a gate failure',
    );
  } finally {
    await h.close();
  }
});
