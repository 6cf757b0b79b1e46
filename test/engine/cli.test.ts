/**
 * The real `keel` binary: `keel run` polls while a person approves a human
 * gate from a second process (`keel pending`, `keel approve`), a second
 * `keel run` is refused while the first holds the repository, and the
 * summary table is printed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { parseModelApiScenario, startModelApiSim } from '../../src/sim/index.ts';
import { keelBin, parseJson, runKeel } from '../helpers/cli.ts';
import { featureRepo } from './harness.ts';

test('keel run waits on a human gate until keel approve from another process decides it', async () => {
  const repo = featureRepo({
    '.keel/workflows/feature.yaml': `name: feature
version: 1
selects: { types: [feature] }
passes:
  - id: build
    agent: author
    outputs: [notes.md]
    gates:
      - id: merge-approval
        human: { role: tech-lead, criteria: [The change matches the request.] }
`,
  });
  const sim = await startModelApiSim({ scenario: parseModelApiScenario('rules: []\n') });
  const env = { ANTHROPIC_BASE_URL: `${sim.url}/v1`, ANTHROPIC_API_KEY: 'sk-ant-cli-test' };
  try {
    const submitted = await runKeel(['submit', '--title', 'Add a greeting'], {
      cwd: repo.dir,
      env,
    });
    assert.equal(submitted.code, 0, submitted.stderr);
    const child = spawn(process.execPath, [keelBin, 'run'], {
      cwd: repo.dir,
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

    let pending: { approvalId: string; role: string }[] = [];
    for (let i = 0; i < 300 && pending.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      pending = parseJson(await runKeel(['pending', '--json'], { cwd: repo.dir, env }));
    }
    assert.deepEqual(
      pending.map((p) => `${p.approvalId} ${p.role}`),
      ['WI-1/build/merge-approval tech-lead'],
    );

    const second = await runKeel(['run', '--until-idle'], { cwd: repo.dir, env });
    assert.equal(second.code, 1);
    assert.match(second.stderr, /another keel run \(pid \d+/);

    const wrong = await runKeel(['approve', 'WI-1/build/merge-approval', '--as', 'mallory'], {
      cwd: repo.dir,
      env,
    });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /mallory is not a member of role tech-lead/);
    const approved = await runKeel(
      ['approve', 'WI-1/build/merge-approval', '--as', 'alice', '--note', 'ship it'],
      {
        cwd: repo.dir,
        env,
      },
    );
    assert.equal(approved.code, 0, approved.stderr);

    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /WI-1 build: gate merge-approval passed/);
    assert.match(stdout, /WI-1\s+done/);
    assert.match(stdout, /build\s+passed\s+1\s+merge-approval ✓/);
    const show = parseJson<{ status: string }>(
      await runKeel(['show', 'WI-1', '--json'], { cwd: repo.dir, env }),
    );
    assert.equal(show.status, 'done');
  } finally {
    await sim.close();
    repo.dispose();
  }
});

test('keel reject without --note is a usage error that says why the note is needed', async () => {
  const repo = featureRepo();
  try {
    const result = await runKeel(['reject', 'WI-1/build/merge-approval', '--as', 'alice'], {
      cwd: repo.dir,
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /keel reject needs --note/);
  } finally {
    repo.dispose();
  }
});
