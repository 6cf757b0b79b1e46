/** Which reply a request gets: matching on headers, model, prompt; sequences; `times`; defaults. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseScenario,
  type RequestFacts,
  ScenarioRunner,
} from '../../../src/sim/model-api/index.ts';

const facts = (over: Partial<RequestFacts> = {}): RequestFacts => ({
  provider: 'anthropic',
  api: 'anthropic-messages',
  model: 'claude-sonnet-4-5',
  stream: false,
  includeUsage: true,
  system: 'You are the reviewer of keel.',
  lastUserText: 'Please review WI-7',
  promptChars: 400,
  structured: undefined,
  toolNames: [],
  agent: undefined,
  pass: undefined,
  attempt: undefined,
  workItem: undefined,
  ...over,
});

const runner = (yaml: string) => new ScenarioRunner(parseScenario(yaml));
const textOf = (r: ReturnType<ScenarioRunner['next']>) =>
  r.answer.kind === 'text' ? r.answer.text : r.answer.kind;

describe('ScenarioRunner', () => {
  it('matches on the keel headers: agent, pass, attempt and work item', () => {
    const r = runner(
      [
        'rules:',
        '  - { name: second-try, match: { agent: implementer, attempt: 2 }, reply: { text: fixed } }',
        '  - { name: impl, match: { agent: implementer, pass: implement, workItem: "/^WI-\\\\d+$/" }, reply: { text: first } }',
      ].join('\n'),
    );
    const impl = { agent: 'implementer', pass: 'implement', workItem: 'WI-12' };
    assert.equal(textOf(r.next(facts({ ...impl, attempt: 1 }))), 'first');
    assert.equal(r.next(facts({ ...impl, attempt: 2 })).rule, 'second-try');
    assert.equal(r.next(facts({ ...impl, workItem: 'BUG-1', attempt: 1 })).rule, undefined);
    assert.equal(r.next(facts()).rule, undefined);
  });

  it('matches the system prompt, the last user message, the model and the provider by regex or exactly', () => {
    const r = runner(
      [
        'rules:',
        '  - { name: sys, match: { system: "reviewer" , content: "/wi-\\\\d/i" }, reply: { text: a } }',
        '  - { name: model, match: { model: "/^gpt-/", provider: openai }, reply: { text: b } }',
      ].join('\n'),
    );
    assert.equal(r.next(facts()).rule, 'sys');
    assert.equal(r.next(facts({ system: 'You write docs.' })).rule, undefined);
    // Earlier rules win: the system prompt still mentions the reviewer.
    assert.equal(r.next(facts({ provider: 'openai', model: 'gpt-4.1' })).rule, 'sys');
    assert.equal(r.next(facts({ provider: 'openai', model: 'gpt-4.1', system: '' })).rule, 'model');
    assert.equal(
      r.next(facts({ provider: 'anthropic', model: 'gpt-4.1', system: '' })).rule,
      undefined,
    );
  });

  it('plays a sequence in order and repeats its last reply', () => {
    const r = runner(
      'rules:\n  - match: {}\n    replies: [{ fault: rate-limit }, { text: one }, { text: two }]\n',
    );
    const seen = [1, 2, 3, 4, 5].map(() => r.next(facts()));
    assert.deepEqual(
      seen.map((s) => s.fault?.kind ?? textOf(s)),
      ['rate-limit', 'one', 'two', 'two', 'two'],
    );
    assert.deepEqual(
      seen.map((s) => s.call),
      [0, 1, 2, 3, 4],
    );
  });

  it('applies a rule with `times` only to its first N calls, then falls through', () => {
    const r = runner(
      'rules:\n  - { name: flaky, times: 2, match: {}, reply: { fault: overloaded } }\n  - { name: fine, match: {}, reply: { text: ok } }\n',
    );
    assert.deepEqual(
      [1, 2, 3].map(() => r.next(facts()).rule),
      ['flaky', 'flaky', 'fine'],
    );
  });

  it('keeps a sequence apart per work item when the rule says `per`', () => {
    const r = runner(
      'rules:\n  - { per: [workItem], times: 1, match: { agent: impl }, reply: { fault: server-error } }\n',
    );
    const outcome = (workItem: string) =>
      r.next(facts({ agent: 'impl', workItem })).fault?.kind ?? 'answered';
    assert.deepEqual(['WI-1', 'WI-2', 'WI-1', 'WI-2', 'WI-3'].map(outcome), [
      'server-error',
      'server-error',
      'answered',
      'answered',
      'server-error',
    ]);
  });

  it('uses the given usage and computes realistic defaults from the prompt and the answer', () => {
    const r = runner(
      'rules:\n  - { match: { agent: a }, reply: { text: "12345678", usage: { cacheRead: 50, reasoning: 4 } } }\n',
    );
    const given = r.next(facts({ agent: 'a', promptChars: 4000, system: '' }));
    assert.deepEqual(given.usage, {
      input: 1000,
      output: 2 + 4,
      cacheRead: 50,
      cacheWrite: 0,
      reasoning: 4,
    });
  });

  it('answers structured requests with an object valid against their schema by default', () => {
    const r = runner('');
    const reply = r.next(
      facts({
        structured: {
          kind: 'json-schema',
          schema: {
            type: 'object',
            properties: {
              verdict: { type: 'string', enum: ['approve', 'reject'] },
              score: { type: 'integer', minimum: 3 },
              tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
              owner: { anyOf: [{ type: 'null' }, { $ref: '#/$defs/person' }] },
            },
            $defs: {
              person: {
                type: 'object',
                properties: { email: { type: 'string', format: 'email' } },
              },
            },
          },
        },
      }),
    );
    assert.deepEqual(reply.answer, {
      kind: 'json',
      value: {
        verdict: 'approve',
        score: 3,
        tags: ['example', 'example'],
        owner: { email: 'someone@example.com' },
      },
    });
  });

  it('gives a deterministic default text that mentions the question', () => {
    const a = runner('').next(facts());
    const b = runner('').next(facts());
    assert.deepEqual(a.answer, b.answer);
    assert.match(textOf(a), /Please review WI-7/);
  });

  it('applies the scenario-wide timing defaults unless a reply sets its own', () => {
    const r = runner(
      'defaults: { chunkDelayMs: 20, delayMs: 5 }\nrules:\n  - { match: { agent: fast }, reply: { text: x, chunkDelayMs: 0 } }\n',
    );
    assert.deepEqual([r.next(facts()).chunkDelayMs, r.next(facts()).delayMs], [20, 5]);
    assert.equal(r.next(facts({ agent: 'fast' })).chunkDelayMs, 0);
  });
});
