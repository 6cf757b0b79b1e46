/** The Claude Code fake, run as a real executable: its stream parses, it edits files, resumes, and fails on cue. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildClaudeArgs, ClaudeStreamParser } from '../../../src/runtimes/claude-code/index.ts';
import type { SimScenarioInput } from '../../../src/sim/claude-code/index.ts';
import { claudeBin, makeWorld, runFake } from './fake-harness.ts';

const implement: SimScenarioInput = {
  rules: [
    {
      name: 'implement',
      match: { pass: 'implement' },
      alsoUses: ['claude-haiku-4-5-20251001'],
      steps: [
        { think: 'Add the function, export it, drop the old file.' },
        { say: 'Writing the function.' },
        {
          write: {
            path: 'src/greet.ts',
            content: "export const greet = (n: string) => 'hi ' + n;\n",
          },
        },
        { edit: { path: 'src/index.ts', old: '// exports', new: "export * from './greet.ts';" } },
        { delete: 'src/old.ts' },
        { run: { command: 'npm test', output: '2 passing' } },
      ],
      result: 'Added greet() ({{pass}}, attempt {{attempt}}).',
    },
  ],
};

function seed(dir: string): void {
  execFileSync('mkdir', ['-p', join(dir, 'src')]);
  writeFileSync(join(dir, 'src/index.ts'), '// exports\n');
  writeFileSync(join(dir, 'src/old.ts'), 'old\n');
}

const prompt = 'x-keel-pass: implement\nAdd a greeting function.';

describe('Claude Code fake', { concurrency: 4 }, () => {
  it('streams a run the parser reads, with the scenario edits made in the working directory', async () => {
    const world = makeWorld(implement);
    try {
      seed(world.repo.dir);
      const { summary, events } = await runFake(
        world,
        claudeBin,
        buildClaudeArgs({ prompt, permissionMode: 'bypassPermissions', model: 'sonnet' }),
        new ClaudeStreamParser(),
      );
      assert.ok(summary, 'the run succeeds');
      assert.equal(summary.result, 'Added greet() (implement, attempt 1).');
      assert.equal(
        readFileSync(join(world.repo.dir, 'src/index.ts'), 'utf8'),
        "export * from './greet.ts';\n",
      );
      assert.ok(existsSync(join(world.repo.dir, 'src/greet.ts')));
      assert.ok(!existsSync(join(world.repo.dir, 'src/old.ts')));
      assert.deepEqual(
        summary.filesChanged?.map((f) => f.kind),
        ['write', 'update'],
      );
      assert.deepEqual(
        summary.calls.map((c) => c.model),
        ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'],
      );
      const main = summary.calls[0]?.usage;
      assert.ok(
        main && main.cacheWriteTokens > 10_000 && main.cacheReadTokens > main.cacheWriteTokens,
      );
      assert.ok((summary.reportedCostUsd ?? 0) > 0);
      assert.equal(summary.numTurns, 6);
      assert.ok(events.some((e) => e.type === 'tool_use' && e.name === 'Bash'));
      // The text before the Write arrives in the same response: one turn, counted once.
      assert.equal(events.filter((e) => e.type === 'turn').length, summary.numTurns);
      assert.ok(events.some((e) => e.type === 'message' && e.text === 'Writing the function.'));
    } finally {
      world.dispose();
    }
  });

  it('continues the same session on --resume, from the context it had', async () => {
    const world = makeWorld();
    try {
      const first = await runFake(
        world,
        claudeBin,
        buildClaudeArgs({ prompt: 'Start.', permissionMode: 'acceptEdits' }),
        new ClaudeStreamParser(),
      );
      const id = first.summary?.sessionId;
      assert.ok(id);
      const second = await runFake(
        world,
        claudeBin,
        buildClaudeArgs({ prompt: 'Go on.', permissionMode: 'acceptEdits', resumeSessionId: id }),
        new ClaudeStreamParser(),
      );
      assert.equal(second.summary?.sessionId, id);
      const firstRead = first.summary?.calls[0]?.usage.cacheReadTokens ?? 0;
      const secondWrite = second.summary?.calls[0]?.usage.cacheWriteTokens ?? Infinity;
      assert.ok(
        secondWrite < 10_000,
        'a resumed session does not rewrite the system prompt to cache',
      );
      assert.ok((second.summary?.calls[0]?.usage.cacheReadTokens ?? 0) > firstRead);
      const fork = buildClaudeArgs({
        prompt: 'Branch off.',
        permissionMode: 'acceptEdits',
        resumeSessionId: id,
      });
      fork.args.push('--fork-session');
      const forked = await runFake(world, claudeBin, fork, new ClaudeStreamParser());
      assert.ok(
        forked.summary?.sessionId && forked.summary.sessionId !== id,
        'a fork gets its own id',
      );
      assert.ok(
        (forked.summary?.calls[0]?.usage.cacheWriteTokens ?? Infinity) < 10_000,
        'a fork keeps the context',
      );
      const elsewhere = buildClaudeArgs({ prompt: 'x', resumeSessionId: id });
      const other = makeWorld();
      try {
        const fromOtherDir = await runFake(
          { ...other, env: world.env },
          claudeBin,
          elsewhere,
          new ClaudeStreamParser(),
        );
        assert.equal(
          fromOtherDir.error?.kind,
          'nonzero_exit',
          'sessions belong to their project directory',
        );
      } finally {
        other.dispose();
      }
      const missing = await runFake(
        world,
        claudeBin,
        buildClaudeArgs({ prompt: 'x', resumeSessionId: 'nope' }),
        new ClaudeStreamParser(),
      );
      assert.equal(missing.error?.kind, 'nonzero_exit');
      assert.match(missing.error?.message ?? '', /No conversation found with session ID: nope/);
    } finally {
      world.dispose();
    }
  });

  it('refuses writes without permission, as headless Claude Code does', async () => {
    const world = makeWorld(implement);
    try {
      seed(world.repo.dir);
      const { error } = await runFake(
        world,
        claudeBin,
        buildClaudeArgs({ prompt }),
        new ClaudeStreamParser(),
      );
      assert.equal(error?.kind, 'permission_denied');
      assert.ok(!existsSync(join(world.repo.dir, 'src/greet.ts')));
      const allowed = await runFake(
        world,
        claudeBin,
        buildClaudeArgs({ prompt, allowedTools: ['Edit', 'Bash(npm test:*)', 'Bash(rm:*)'] }),
        new ClaudeStreamParser(),
      );
      assert.equal(allowed.summary?.outcome, 'success');
    } finally {
      world.dispose();
    }
  });

  it('rejects unknown flags and stream-json without --verbose like the real CLI', async () => {
    const world = makeWorld();
    try {
      const run = (args: string[]) => {
        try {
          execFileSync(process.execPath, [claudeBin, ...args], {
            cwd: world.repo.dir,
            env: world.env,
            encoding: 'utf8',
            stdio: 'pipe',
          });
          return { code: 0, stderr: '' };
        } catch (error) {
          const e = error as { status: number; stderr: string };
          return { code: e.status, stderr: e.stderr };
        }
      };
      assert.deepEqual(run(['-p', '--bogus', 'hi']), {
        code: 1,
        stderr: "error: unknown option '--bogus'\n",
      });
      assert.match(
        run(['-p', '--output-format', 'stream-json', 'hi']).stderr,
        /requires --verbose/,
      );
      assert.match(run(['-p', '--permission-mode', 'yolo', 'hi']).stderr, /Allowed choices are/);
    } finally {
      world.dispose();
    }
  });

  it('reports an edit whose text is missing as a tool error and carries on, and prints json and text formats', async () => {
    const world = makeWorld({
      rules: [
        {
          steps: [{ edit: { path: 'README.md', old: 'absent', new: 'x' } }],
          result: 'Could not edit.',
        },
      ],
    });
    try {
      writeFileSync(join(world.repo.dir, 'README.md'), '# readme\n');
      const { summary, events } = await runFake(
        world,
        claudeBin,
        buildClaudeArgs({ prompt: 'Edit.', permissionMode: 'acceptEdits' }),
        new ClaudeStreamParser(),
      );
      assert.equal(summary?.result, 'Could not edit.');
      assert.equal(summary?.filesChanged, undefined);
      assert.ok(events.some((e) => e.type === 'tool_result' && e.isError));
      assert.equal(readFileSync(join(world.repo.dir, 'README.md'), 'utf8'), '# readme\n');
      const asJson = JSON.parse(
        execFileSync(process.execPath, [claudeBin, '-p', '--output-format', 'json', 'Edit.'], {
          cwd: world.repo.dir,
          env: world.env,
          encoding: 'utf8',
        }),
      );
      assert.equal(asJson.type, 'result');
      assert.equal(asJson.result, 'Could not edit.');
      const asText = execFileSync(process.execPath, [claudeBin, '-p', 'Edit.'], {
        cwd: world.repo.dir,
        env: world.env,
        encoding: 'utf8',
      });
      assert.equal(asText, 'Could not edit.\n');
    } finally {
      world.dispose();
    }
  });

  const faults: [string, SimScenarioInput['rules'][number], string, string[]?][] = [
    [
      'crashes mid-stream',
      { steps: [{ say: 'a' }, { say: 'b' }], fault: { kind: 'crash', afterStep: 1 } },
      'crashed',
    ],
    [
      'prints a malformed line',
      { steps: [{ say: 'a' }, { say: 'b' }], fault: { kind: 'malformed' } },
      'malformed_output',
    ],
    [
      'exits non-zero before starting',
      { fault: { kind: 'nonzero_exit', exitCode: 3 }, message: 'Error: config broken' },
      'nonzero_exit',
    ],
    [
      'ends with an execution error',
      { steps: [{ say: 'a' }], outcome: 'error' },
      'execution_error',
    ],
    ['ends at max turns', { steps: [{ say: 'a' }], outcome: 'max_turns' }, 'max_turns'],
    [
      'runs out of turns given --max-turns',
      { steps: [{ say: 'a' }, { say: 'b' }, { say: 'c' }] },
      'max_turns',
      ['--max-turns', '2'],
    ],
    ['has an invalid API key', { outcome: 'auth' }, 'auth'],
    ['is rate limited', { outcome: 'rate_limit' }, 'rate_limit'],
  ];
  for (const [what, rule, kind, extra] of faults) {
    it(`reports ${kind} when the fake ${what}`, async () => {
      const world = makeWorld({ rules: [rule] });
      try {
        const invocation = buildClaudeArgs({ prompt: 'Do it.', permissionMode: 'acceptEdits' });
        invocation.args.push(...(extra ?? []));
        const { error } = await runFake(world, claudeBin, invocation, new ClaudeStreamParser());
        assert.equal(error?.kind, kind, error?.message);
      } finally {
        world.dispose();
      }
    });
  }

  it('reports timeout when the fake hangs, and stops it', async () => {
    const world = makeWorld({
      rules: [{ steps: [{ say: 'a' }], fault: { kind: 'hang', afterStep: 1 } }],
    });
    try {
      const { error } = await runFake(
        world,
        claudeBin,
        buildClaudeArgs({ prompt: 'Do it.' }),
        new ClaudeStreamParser(),
        1500,
      );
      assert.equal(error?.kind, 'timeout');
      assert.equal(error?.retryable, true);
    } finally {
      world.dispose();
    }
  });

  it('keeps the usage streamed before a hung fake is cancelled', async () => {
    const world = makeWorld({
      rules: [{ steps: [{ say: 'a' }, { say: 'b' }], fault: { kind: 'hang', afterStep: 2 } }],
    });
    try {
      let said = 0;
      const { error } = await runFake(
        world,
        claudeBin,
        buildClaudeArgs({ prompt: 'Do it.' }),
        new ClaudeStreamParser(),
        30_000,
        (e) => e.type === 'message' && ++said === 2,
      );
      assert.equal(error?.kind, 'aborted');
      assert.equal(error?.partial?.numTurns, 2);
      assert.ok((error?.partial?.calls[0]?.usage.cacheWriteTokens ?? 0) > 10_000);
    } finally {
      world.dispose();
    }
  });

  it('matches rules on the attempt number, counting runs of the same pass', async () => {
    const world = makeWorld({
      rules: [
        { match: { pass: 'fix', attempt: 1 }, outcome: 'error', message: 'flaky provider' },
        { match: { pass: 'fix' }, result: 'fixed on attempt {{attempt}}' },
      ],
    });
    try {
      const args = () => buildClaudeArgs({ prompt: 'x-keel-pass: fix\nFix it.' });
      const first = await runFake(world, claudeBin, args(), new ClaudeStreamParser());
      assert.equal(first.error?.kind, 'execution_error');
      const second = await runFake(world, claudeBin, args(), new ClaudeStreamParser());
      assert.equal(second.summary?.result, 'fixed on attempt 2');
    } finally {
      world.dispose();
    }
  });
});
