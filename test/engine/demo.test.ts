/**
 * `keel demo` as a user runs it: with --yes it drives the feature workflow to
 * done over the wind tunnel and reports each pass; without --yes and without
 * a terminal it says so and exits 2.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ItemSummary } from '../../src/engine/index.ts';
import { parseJson, runKeel } from '../helpers/cli.ts';

test('keel demo --yes runs the feature workflow to done: one rework of the spec, real code edits by the fake coding agent, a cost per pass', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'keel-demo-test-'));
  try {
    const result = await runKeel(['demo', '--yes', '--keep', '--json'], {
      cwd,
      timeoutMs: 120_000,
    });
    assert.equal(result.code, 0, result.stderr);
    const out = parseJson<{ repository: string; simulated: boolean; items: ItemSummary[] }>(result);
    assert.equal(out.simulated, true);
    const item = out.items[0];
    assert.equal(item?.outcome, 'done');
    assert.deepEqual(
      item?.passes.map((p) => `${p.pass}:${p.state}:${p.attempts}`),
      [
        'spec:passed:2',
        'design:passed:1',
        'ir:passed:1',
        'validation:passed:1',
        'implementation:passed:1',
        'verification:passed:1',
        'integration:passed:1',
      ],
    );
    assert.deepEqual(
      item?.passes[0]?.gates.map((g) => g.verdict),
      ['failed', 'passed'],
    );
    assert.ok((item?.costUsd ?? 0) > 0);
    assert.match(result.stderr, /WI-1\/integration\/checkpoint approved as alice \(--yes\)/);
    assert.match(result.stderr, /gate unit-tests passed/);
    // The fake coding agent really changed the code the test gates ran on.
    const greet = execFileSync('git', ['show', 'keel/wi-1:src/greet.js'], {
      cwd: out.repository,
      encoding: 'utf8',
    });
    assert.match(greet, /stranger/);
    rmSync(out.repository, { recursive: true, force: true });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

test('keel demo without --yes and without a terminal says so and exits 2', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'keel-demo-test-'));
  try {
    const result = await runKeel(['demo'], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /standard input is not a terminal/);
    assert.match(result.stderr, /--yes/);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
