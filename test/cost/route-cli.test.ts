import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parsePassHistory, seededRng } from '../../src/cost/index.ts';
import { makeTempRepo, parseJson, runKeel, type TempRepo } from '../helpers/cli.ts';

interface Explain {
  chosen: string;
  reason: string;
  historyPasses: number;
  candidates: { model: string; passes: number; acceptance: number }[];
}

// A seeded history: gpt-5-mini cheap but often rejected, Sonnet dear and reliable.
function history(): string {
  const rng = seededRng(11);
  const truth = [
    ['openai/gpt-5-mini', 0.3, 0.02],
    ['anthropic/claude-sonnet-4-5', 0.9, 0.09],
  ] as const;
  const lines: string[] = [];
  for (let i = 0; i < 80; i++)
    for (const [model, p, cost] of truth)
      lines.push(
        JSON.stringify({ category: 'implementer', model, accepted: rng() < p, cost_usd: cost }),
      );
  lines.push(
    JSON.stringify({
      category: 'documenter',
      model: 'openai/gpt-5-mini',
      accepted: true,
      cost_micros: 500,
    }),
  );
  return lines.join('\n');
}

describe('keel route explain', () => {
  let repo: TempRepo;
  before(() => {
    repo = makeTempRepo();
    mkdirSync(join(repo.dir, '.keel'));
    writeFileSync(join(repo.dir, '.keel', 'keel.yaml'), 'version: 1\n');
    writeFileSync(join(repo.dir, 'history.jsonl'), history());
  });
  after(() => repo.dispose());

  it('chooses by expected cost per accepted pass over the history, with the escalation policy', async () => {
    const args = [
      'route',
      'explain',
      '--category',
      'implementer',
      '--models',
      'openai/gpt-5-mini,anthropic/claude-sonnet-4-5,anthropic/claude-opus-4-5',
      '--history',
      'history.jsonl',
      '--json',
    ];
    const plain = parseJson<Explain>(await runKeel(args, { cwd: repo.dir }));
    assert.equal(plain.historyPasses, 160);
    assert.equal(plain.chosen, 'openai/gpt-5-mini'); // $0.02 / ~0.3 < $0.09 / ~0.9
    const escalating = await runKeel(
      [...args, '--escalate-to', 'anthropic/claude-opus-4-5', '--retries', '1'],
      { cwd: repo.dir },
    );
    assert.equal(escalating.code, 0, escalating.stderr);
    const e = parseJson<Explain>(escalating);
    assert.equal(e.chosen, 'anthropic/claude-sonnet-4-5');
    assert.equal(e.reason, 'lowest-expected-cost');
    assert.deepEqual(e.candidates.map((c) => c.passes).sort(), [0, 80, 80]);
  });

  it('prints a table with the choice for people and rejects both --tier and --models', async () => {
    const r = await runKeel(
      [
        'route',
        'explain',
        '--category',
        'implementer',
        '--tier',
        'economy',
        '--history',
        'history.jsonl',
      ],
      { cwd: repo.dir },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /MODEL\s+TIER\s+PASSES/);
    assert.match(r.stdout, /choice: \S+: \$\d/);
    const both = await runKeel(
      ['route', 'explain', '--category', 'x', '--tier', 'economy', '--models', 'openai/gpt-5'],
      { cwd: repo.dir },
    );
    assert.equal(both.code, 2);
  });
});

describe('pass history files', () => {
  it('reads a JSON array as well as JSON Lines', () => {
    const h = parsePassHistory(
      '[{"category":"qa","model":"openai/gpt-5","accepted":false,"cost_usd":0.25}]',
      'h.json',
    );
    assert.deepEqual(h, [
      { category: 'qa', model: 'openai/gpt-5', accepted: false, costMicros: 250_000 },
    ]);
  });

  it('names every bad record by its line', () => {
    assert.throws(
      () =>
        parsePassHistory(
          '{"category":"qa","model":"openai/gpt-5","accepted":true,"cost_usd":1}\nnot json\n',
          'h.jsonl',
        ),
      /h\.jsonl: line 2: not a JSON object/,
    );
    assert.throws(
      () => parsePassHistory('{"category":"qa","model":"gpt-5","accepted":true}', 'h.jsonl'),
      (e: unknown) =>
        e instanceof Error &&
        /line 1: model: must be provider\/model/.test(e.message) &&
        /exactly one of cost_usd and cost_micros/.test(e.message),
    );
  });
});
