/** Reading a coding agent's declared outputs back from the worktree. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { collectOutputs } from '../../../src/runtimes/agent-cli/index.ts';
import { RuntimeFailure } from '../../../src/runtimes/index.ts';

const folder = '.keel/artifacts/WI-1/build';

function worktree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'keel-outputs-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, name), text);
  }
  return dir;
}

test('outputs the agent wrote are read from the pass’s artifact folder', () => {
  const dir = worktree({ 'notes.md': 'n', 'plan.md': 'p' });
  try {
    assert.deepEqual(collectOutputs(dir, folder, ['notes.md', 'plan.md'], 'final'), [
      { name: 'notes.md', content: 'n' },
      { name: 'plan.md', content: 'p' },
    ]);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('a single declared output the agent did not write is its final message', () => {
  const dir = worktree({});
  try {
    assert.deepEqual(collectOutputs(dir, folder, ['notes.md'], 'Added greet().'), [
      { name: 'notes.md', content: 'Added greet().' },
    ]);
    assert.deepEqual(collectOutputs(dir, folder, [], ''), []);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('missing outputs otherwise fail as output with findings naming each file', () => {
  const dir = worktree({ 'notes.md': 'n' });
  try {
    assert.throws(
      () => collectOutputs(dir, folder, ['notes.md', 'plan.md'], 'final'),
      (e) =>
        e instanceof RuntimeFailure &&
        e.kind === 'output' &&
        e.findings.join() === `write the output plan.md as the file ${folder}/plan.md`,
    );
    assert.throws(() => collectOutputs(dir, folder, ['plan.md'], '  '), RuntimeFailure);
  } finally {
    rmSync(dir, { recursive: true });
  }
});
