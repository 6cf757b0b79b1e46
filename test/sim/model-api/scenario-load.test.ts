/** Scenario files: YAML or JSON, validated, every problem located by file, line and column. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../../src/core/index.ts';
import { loadScenario, parseScenario, ScenarioError } from '../../../src/sim/model-api/index.ts';

const problemsOf = (text: string) => {
  try {
    parseScenario(text, 'wind.yaml');
  } catch (error) {
    assert.ok(error instanceof ScenarioError);
    return error.problems.map(
      (p) => `${p.location.line}:${p.location.column} ${p.path}: ${p.message}`,
    );
  }
  assert.fail('expected the scenario to be rejected');
};

describe('parseScenario', () => {
  it('accepts a YAML scenario and fills in the defaults', () => {
    const scenario = parseScenario(
      [
        'rules:',
        '  - name: review',
        '    match: { agent: reviewer, attempt: [1, 2] }',
        '    reply: { json: { verdict: approve } }',
      ].join('\n'),
    );
    assert.equal(scenario.version, 1);
    assert.equal(scenario.requireAuth, true);
    assert.deepEqual(scenario.rules[0]?.match, { agent: 'reviewer', attempt: [1, 2] });
  });

  it('accepts the same scenario written as JSON', () => {
    const scenario = parseScenario(
      '{"rules":[{"match":{"provider":"openai"},"replies":[{"fault":"rate-limit"},{"text":"ok"}]}]}',
    );
    assert.equal(scenario.rules[0]?.replies?.length, 2);
  });

  it('treats an empty file as the default scenario', () => {
    assert.deepEqual(parseScenario('').rules, []);
  });

  it('locates an unknown fault at its value', () => {
    assert.deepEqual(
      problemsOf(
        ['rules:', '  - match: { agent: a }', '    reply:', '      fault: explode'].join('\n'),
      ),
      [
        '4:14 rules[0].reply.fault: Invalid option: expected one of "rate-limit"|"server-error"|"overloaded"|"timeout"|"malformed-json"|"truncated-stream"|"stream-error"|"stall"|"bad-request"|"unauthorized"',
      ],
    );
  });

  it('reports every problem at once, each with its own location', () => {
    const problems = problemsOf(
      [
        'rules:',
        '  - match: { agnt: a }',
        '    reply: { text: hi }',
        '  - match: { content: "(" }',
        '    reply: { text: hi, json: {} }',
      ].join('\n'),
    );
    assert.equal(problems.length, 3);
    assert.match(problems[0] ?? '', /^2:14 rules\[0\]\.match: Unrecognized key: "agnt"/);
    assert.match(
      problems[1] ?? '',
      /^4:23 rules\[1\]\.match\.content: not a valid regular expression/,
    );
    assert.match(
      problems[2] ?? '',
      /^5:12 rules\[1\]\.reply: a reply gives one answer, but this one has text and json/,
    );
  });

  it('needs exactly one of reply and replies', () => {
    assert.match(
      problemsOf('rules:\n  - match: {}\n')[0] ?? '',
      /^2:5 rules\[0\]: a rule needs exactly one of `reply` or `replies`/,
    );
  });

  it('locates YAML syntax errors', () => {
    const problems = problemsOf('rules:\n  - match: { agent: a\n');
    assert.match(problems[0] ?? '', /^\d+:\d+ : /);
  });

  it('names the file, the line and the column in the error message', () => {
    assert.throws(
      () => parseScenario('requireAuth: maybe\n', 'tunnel/scenario.yaml'),
      (error: unknown) => {
        assert.ok(error instanceof ScenarioError);
        assert.ok(error instanceof InvalidInputError);
        assert.match(
          error.message,
          /tunnel\/scenario\.yaml:1:14: requireAuth: Invalid input: expected boolean/,
        );
        assert.match(error.hint ?? '', /docs\/wind-tunnel\.md/);
        return true;
      },
    );
  });
});

describe('loadScenario', () => {
  it('reads a scenario file from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-sim-'));
    try {
      writeFileSync(join(dir, 's.yaml'), 'description: demo\nrules: []\n');
      assert.equal((await loadScenario(join(dir, 's.yaml'))).description, 'demo');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which file it could not read', async () => {
    await assert.rejects(
      loadScenario('/nonexistent/wind.yaml'),
      /cannot read scenario \/nonexistent\/wind\.yaml/,
    );
  });
});

describe('the documented scenario format', () => {
  it('accepts every YAML example in docs/wind-tunnel.md', () => {
    const doc = readFileSync(new URL('../../../docs/wind-tunnel.md', import.meta.url), 'utf8');
    const examples = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    assert.ok(examples.length > 0);
    for (const example of examples)
      assert.ok(parseScenario(example, 'docs/wind-tunnel.md').rules.length > 0);
  });
});
