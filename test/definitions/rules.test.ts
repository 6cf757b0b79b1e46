/**
 * One fixture per rule: the small valid base plus one mistake. Each must yield
 * exactly that rule's diagnostic, at the exact file, line and column.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadDefinitions, RULES } from '../../src/definitions/index.ts';
import { BASE_FIXTURE, fixture, fixturesDir } from './fixtures.ts';

const W = '.keel/workflows/feature.yaml';
const K = '.keel/keel.yaml';
const AUTHOR = '.keel/agents/author.md';
const REVIEWER = '.keel/agents/reviewer.md';

// rule, file, line, column, field path
const CASES: [string, string, number, number, string][] = [
  ['malformed-yaml', K, 4, 1, ''],
  ['malformed-frontmatter', REVIEWER, 1, 1, ''],
  ['missing-config', K, 1, 1, ''],
  ['unknown-key', W, 3, 1, 'descriptoin'],
  ['missing-field', W, 11, 9, 'passes[0].gates[0].review'],
  ['invalid-type', W, 2, 10, 'version'],
  ['invalid-value', AUTHOR, 4, 11, 'category'],
  ['invalid-duration', W, 18, 47, 'passes[1].gates[0].command.timeout'],
  ['empty-run', W, 18, 25, 'passes[1].gates[0].command.run'],
  ['gate-kind', W, 19, 9, 'passes[1].gates[0].human'],
  ['human-gate-without-role', W, 18, 9, 'passes[1].gates[0].human'],
  ['unknown-agent', W, 13, 12, 'passes[1].agent'],
  ['unknown-role', K, 15, 12, 'budgets[0].owner'],
  ['unknown-resource', W, 16, 23, 'passes[1].resources[0].id'],
  ['unknown-tier', W, 16, 11, 'passes[1].tier'],
  ['unknown-provider', K, 6, 35, 'models[0].provider'],
  ['unknown-pass', W, 14, 13, 'passes[1].needs[0]'],
  ['unknown-mode', W, 5, 15, 'default_mode'],
  ['unknown-gate', W, 6, 24, 'modes.fast.skip_gates[0]'],
  ['needs-cycle', W, 15, 13, 'passes[1].needs[0]'],
  ['input-not-produced', W, 15, 23, 'passes[1].inputs[1]'],
  ['self-review', W, 11, 26, 'passes[0].gates[0].review.agent'],
  ['resource-not-permitted', W, 16, 23, 'passes[1].resources[0].id'],
  ['budget-limit', K, 14, 16, 'budgets[0].limit_usd'],
  ['budget-threshold', K, 15, 21, 'budgets[0].approaching_at'],
  ['budget-exceeds-parent', K, 19, 16, 'budgets[1].limit_usd'],
  ['budget-target', K, 18, 13, 'budgets[1].target'],
  ['duplicate-id', W, 17, 13, 'passes[1].gates[0].id'],
  ['agent-name-mismatch', REVIEWER, 2, 7, 'name'],
  ['store-driver-field', K, 7, 3, 'store.path'],
  ['resource-kind-field', K, 10, 5, 'resources[0].capacity'],
  ['agent-writes-nothing', AUTHOR, 6, 10, 'runtime'],
  ['empty-instructions', REVIEWER, 2, 1, ''],
  ['add-gate-not-optional', W, 7, 27, 'modes.thorough.add_gates[0]'],
  ['optional-gate-never-added', W, 19, 19, 'passes[1].gates[0].optional'],
  ['ambiguous-selection', W, 4, 11, 'selects.types[0]'],
];

describe('each validation rule, on its own fixture', () => {
  it('the small valid base has no diagnostics and resolves', async () => {
    const { definitions, diagnostics } = await loadDefinitions(fixture(BASE_FIXTURE));
    assert.deepEqual(diagnostics, []);
    assert.ok(definitions);
  });

  for (const [rule, file, line, column, path] of CASES) {
    it(`reports ${rule} at ${file}:${line}:${column} and nothing else`, async () => {
      const { definitions, diagnostics } = await loadDefinitions(fixture(rule));
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics, null, 2));
      const [d] = diagnostics;
      assert.ok(d);
      assert.equal(d.rule, rule);
      assert.deepEqual(d.location, { file, line, column });
      assert.equal(d.path, path);
      assert.equal(d.severity, RULES[rule as keyof typeof RULES].severity);
      assert.ok(d.hint && d.hint.length > 0, 'every diagnostic carries a hint');
      // Warnings never block: the definitions still resolve.
      assert.equal(definitions !== undefined, d.severity === 'warning');
    });
  }

  it('documents every rule id in docs/definitions.md', () => {
    const docs = readFileSync(new URL('../../docs/definitions.md', import.meta.url), 'utf8');
    for (const rule of Object.keys(RULES)) {
      assert.match(docs, new RegExp(`\\| \`${rule}\` +\\|`), `undocumented ${rule}`);
    }
  });

  it('has a fixture and a case for every rule id', () => {
    const dirs = new Set(readdirSync(fixturesDir));
    for (const rule of Object.keys(RULES)) {
      assert.ok(dirs.has(rule), `missing fixture for ${rule}`);
      assert.ok(
        CASES.some(([r]) => r === rule),
        `missing case for ${rule}`,
      );
    }
  });
});
