/** What `keel init` and `keel agents import` write passes the team's own validator. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { makeTempRepo, parseJson, runKeel, type TempRepo } from '../helpers/cli.ts';

describe('keel init then keel validate', { concurrency: true }, () => {
  const repos: TempRepo[] = [];
  after(() => {
    for (const r of repos) r.dispose();
  });

  it('validates the starter set with no errors and no warnings', async () => {
    const r = makeTempRepo();
    repos.push(r);
    assert.equal((await runKeel(['init'], { cwd: r.dir })).code, 0);
    const result = await runKeel(['validate', '--json'], { cwd: r.dir });
    const out = parseJson<{
      valid: boolean;
      errors: number;
      warnings: number;
      diagnostics: unknown[];
    }>(result);
    assert.deepEqual(out.diagnostics, []);
    assert.equal(out.valid, true);
    assert.equal(result.code, 0);
  });

  it('validates the starter set with imported subagents added to it', async () => {
    const r = makeTempRepo();
    repos.push(r);
    mkdirSync(join(r.dir, '.claude/agents'), { recursive: true });
    writeFileSync(
      join(r.dir, '.claude/agents/perf-auditor.md'),
      '---\nname: perf-auditor\ndescription: "Audits hot paths: allocations, N+1 queries."\ntools: [Read, Grep, Bash]\nmodel: haiku\ncolor: blue\n---\nYou look for performance problems.\n',
    );
    assert.equal((await runKeel(['init', '--org', 'acme'], { cwd: r.dir })).code, 0);
    assert.equal((await runKeel(['agents', 'import'], { cwd: r.dir })).code, 0);
    const result = await runKeel(['validate', '--json'], { cwd: r.dir });
    assert.deepEqual(parseJson<{ diagnostics: unknown[] }>(result).diagnostics, []);
    assert.equal(result.code, 0);
  });
});
