/** `keel sim claude` and `keel sim codex`: the fakes through keel's own CLI, with --scenario. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ClaudeStreamParser } from '../../../src/runtimes/claude-code/index.ts';
import { CodexStreamParser } from '../../../src/runtimes/codex/index.ts';
import { makeTempRepo, runKeel } from '../../helpers/cli.ts';

const scenario =
  'rules:\n  - steps:\n      - write: { path: notes/todo.md, content: "- [ ] ship\\n" }\n    result: wrote the list\n';

describe('keel sim claude / codex', { concurrency: 2 }, () => {
  for (const [name, args, parser] of [
    [
      'claude',
      [
        '-p',
        '--output-format',
        'stream-json',
        '--verbose',
        '--permission-mode',
        'acceptEdits',
        'Make a list.',
      ],
      () => new ClaudeStreamParser(),
    ],
    [
      'codex',
      ['exec', '--json', '--sandbox', 'workspace-write', 'Make a list.'],
      () => new CodexStreamParser(),
    ],
  ] as const) {
    it(`keel sim ${name} follows --scenario and prints output its parser reads`, async () => {
      const repo = makeTempRepo();
      const state = mkdtempSync(join(tmpdir(), 'keel-sim-state-'));
      try {
        writeFileSync(join(state, 'agents.yaml'), scenario);
        const result = await runKeel(
          ['sim', name, '--scenario', join(state, 'agents.yaml'), ...args],
          {
            cwd: repo.dir,
            env: { KEEL_SIM_STATE_DIR: state, KEEL_SIM_SPEED: '0', KEEL_SIM_SCENARIO: undefined },
          },
        );
        assert.equal(result.code, 0, result.stderr);
        const p = parser();
        p.push(result.stdout);
        const summary = p.finish({ code: result.code, signal: null });
        assert.equal(summary.result, 'wrote the list');
        assert.ok(existsSync(join(repo.dir, 'notes/todo.md')));
      } finally {
        repo.dispose();
        rmSync(state, { recursive: true, force: true });
      }
    });
  }

  it('exits 1 naming the line of a bad scenario, and writes nothing', async () => {
    const repo = makeTempRepo();
    const state = mkdtempSync(join(tmpdir(), 'keel-sim-state-'));
    try {
      writeFileSync(join(state, 'agents.yaml'), 'rules:\n  - outcome: sideways\n');
      const result = await runKeel(
        [
          'sim',
          'claude',
          '--scenario',
          join(state, 'agents.yaml'),
          '-p',
          '--output-format',
          'stream-json',
          '--verbose',
          'x',
        ],
        { cwd: repo.dir, env: { KEEL_SIM_STATE_DIR: state, KEEL_SIM_SPEED: '0' } },
      );
      assert.equal(result.code, 1);
      assert.match(result.stderr, /agents\.yaml:2:14: rules\[0\]\.outcome/);
      assert.equal(result.stdout, '');
    } finally {
      repo.dispose();
      rmSync(state, { recursive: true, force: true });
    }
  });
});
