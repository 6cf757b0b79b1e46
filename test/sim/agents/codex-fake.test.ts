/** The Codex fake, run as a real executable: its JSONL parses, it edits files, resumes threads, and fails on cue. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildCodexArgs, CodexStreamParser } from '../../../src/runtimes/codex/index.ts';
import type { SimScenarioInput } from '../../../src/sim/claude-code/index.ts';
import { codexBin, makeWorld, runFake } from './fake-harness.ts';

const edits = (version: string): SimScenarioInput => ({
  codex: { version },
  rules: [
    {
      steps: [
        { think: 'Plan the change.' },
        { run: { command: 'ls src', output: 'index.ts' } },
        { write: { path: 'src/greet.ts', content: 'export const greet = () => "hi";\n' } },
      ],
      result: 'Added src/greet.ts.',
    },
  ],
});

describe('Codex fake', { concurrency: 4 }, () => {
  it('streams a run the parser reads, with the scenario edits made in the working directory', async () => {
    const world = makeWorld(edits('0.155.1'));
    try {
      const { summary, events } = await runFake(
        world,
        codexBin,
        buildCodexArgs({ prompt: 'Add greet.', sandbox: 'workspace-write', model: 'gpt-5-codex' }),
        new CodexStreamParser({ model: 'gpt-5-codex', cliVersion: '0.155.1' }),
      );
      assert.ok(summary, 'the run succeeds');
      assert.equal(summary.result, 'Added src/greet.ts.');
      assert.equal(
        readFileSync(join(world.repo.dir, 'src/greet.ts'), 'utf8'),
        'export const greet = () => "hi";\n',
      );
      assert.deepEqual(summary.filesChanged, [
        { path: join(world.repo.dir, 'src/greet.ts'), kind: 'add' },
      ]);
      const usage = summary.calls[0]?.usage;
      assert.ok(
        usage && usage.cacheReadTokens > 0 && usage.reasoningTokens > 0 && usage.inputTokens > 0,
      );
      assert.ok(
        events.some((e) => e.type === 'command' && e.status === 'completed' && e.exitCode === 0),
      );
    } finally {
      world.dispose();
    }
  });

  for (const version of ['0.155.1', '0.153.4']) {
    it(`continues the same thread on exec resume and bills each run once (version ${version})`, async () => {
      const world = makeWorld(edits(version));
      try {
        const args = (resume?: string) =>
          buildCodexArgs({
            prompt: 'Go.',
            sandbox: 'workspace-write',
            ...(resume ? { resumeSessionId: resume } : {}),
          });
        const first = await runFake(
          world,
          codexBin,
          args(),
          new CodexStreamParser({ cliVersion: version }),
        );
        const id = first.summary?.sessionId;
        assert.ok(id && first.summary?.codex);
        const second = await runFake(
          world,
          codexBin,
          args(id),
          new CodexStreamParser({
            cliVersion: version,
            baseline: first.summary.codex.threadTotals,
          }),
        );
        assert.equal(second.summary?.sessionId, id);
        const a = first.summary.calls[0]?.usage;
        const b = second.summary?.calls[0]?.usage;
        assert.ok(a && b);
        // The resumed run starts from the whole earlier context: more input, but not the earlier run's tokens again.
        assert.ok(b.cacheReadTokens + b.inputTokens > a.cacheReadTokens + a.inputTokens);
        assert.ok(b.outputTokens < a.outputTokens * 1.5);
        assert.equal(
          second.summary?.codex?.threadTotals.outputTokens,
          a.outputTokens + b.outputTokens,
        );
      } finally {
        world.dispose();
      }
    });
  }

  it('keeps no session with --ephemeral, so it cannot be resumed', async () => {
    const world = makeWorld();
    try {
      const first = buildCodexArgs({ prompt: 'Once.', sandbox: 'workspace-write' });
      first.args.splice(2, 0, '--ephemeral');
      const ran = await runFake(world, codexBin, first, new CodexStreamParser());
      const id = ran.summary?.sessionId;
      assert.ok(id);
      const again = await runFake(
        world,
        codexBin,
        buildCodexArgs({ prompt: 'Twice.', resumeSessionId: id }),
        new CodexStreamParser(),
      );
      assert.equal(again.error?.kind, 'nonzero_exit');
      assert.match(again.error?.message ?? '', /no rollout found/);
    } finally {
      world.dispose();
    }
  });

  it('fails the patch in the default read-only sandbox and leaves the tree alone', async () => {
    const world = makeWorld(edits('0.155.1'));
    try {
      const { summary } = await runFake(
        world,
        codexBin,
        buildCodexArgs({ prompt: 'Add greet.' }),
        new CodexStreamParser(),
      );
      assert.equal(summary?.outcome, 'success');
      assert.equal(summary?.filesChanged, undefined);
      assert.ok(!existsSync(join(world.repo.dir, 'src/greet.ts')));
    } finally {
      world.dispose();
    }
  });

  it('refuses to run outside a git repository unless told to skip the check', async () => {
    const world = makeWorld();
    const outside = mkdtempSync(join(tmpdir(), 'keel-no-git-'));
    try {
      const refused = await runFake(
        world,
        codexBin,
        buildCodexArgs({ prompt: 'x', cd: outside }),
        new CodexStreamParser(),
      );
      assert.equal(refused.error?.kind, 'nonzero_exit');
      assert.match(refused.error?.message ?? '', /skip-git-repo-check/);
      const allowed = await runFake(
        world,
        codexBin,
        buildCodexArgs({ prompt: 'x', cd: outside, skipGitRepoCheck: true }),
        new CodexStreamParser(),
      );
      assert.equal(allowed.summary?.outcome, 'success');
    } finally {
      world.dispose();
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('rejects unknown arguments and bad sandbox values with clap’s messages and exit code 2', () => {
    const world = makeWorld();
    try {
      const run = (args: string[]) => {
        try {
          execFileSync(process.execPath, [codexBin, ...args], {
            cwd: world.repo.dir,
            env: world.env,
            stdio: 'pipe',
            encoding: 'utf8',
          });
          return { code: 0, stderr: '' };
        } catch (error) {
          const e = error as { status: number; stderr: string };
          return { code: e.status, stderr: e.stderr };
        }
      };
      const unknown = run(['exec', '--json', '--bogus', 'hi']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /^error: unexpected argument '--bogus' found/);
      const sandbox = run(['exec', '--sandbox', 'wide-open', 'hi']);
      assert.equal(sandbox.code, 2);
      assert.match(
        sandbox.stderr,
        /possible values: read-only, workspace-write, danger-full-access/,
      );
    } finally {
      world.dispose();
    }
  });

  const faults: [string, SimScenarioInput['rules'][number], string][] = [
    [
      'crashes mid-stream',
      { steps: [{ say: 'a' }, { say: 'b' }], fault: { kind: 'crash', afterStep: 1 } },
      'crashed',
    ],
    [
      'prints a malformed line',
      { steps: [{ say: 'a' }], fault: { kind: 'malformed', afterStep: 1 } },
      'malformed_output',
    ],
    ['exits non-zero before starting', { fault: { kind: 'nonzero_exit' } }, 'nonzero_exit'],
    ['fails its turn', { steps: [{ say: 'a' }], outcome: 'error' }, 'execution_error'],
    ['is not logged in', { outcome: 'auth' }, 'auth'],
    ['is rate limited', { outcome: 'rate_limit' }, 'rate_limit'],
  ];
  for (const [what, rule, kind] of faults) {
    it(`reports ${kind} when the fake ${what}`, async () => {
      const world = makeWorld({ rules: [rule] });
      try {
        const { error } = await runFake(
          world,
          codexBin,
          buildCodexArgs({ prompt: 'Do it.' }),
          new CodexStreamParser(),
        );
        assert.equal(error?.kind, kind, error?.message);
      } finally {
        world.dispose();
      }
    });
  }

  it('reports timeout when the fake hangs, and stops it', async () => {
    const world = makeWorld({ rules: [{ steps: [{ say: 'a' }], fault: { kind: 'hang' } }] });
    try {
      const { error } = await runFake(
        world,
        codexBin,
        buildCodexArgs({ prompt: 'Do it.' }),
        new CodexStreamParser(),
        1500,
      );
      assert.equal(error?.kind, 'timeout');
    } finally {
      world.dispose();
    }
  });
});
