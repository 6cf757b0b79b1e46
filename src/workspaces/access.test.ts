/** The access check and the worktree lock, without git. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writesOutside } from './access.ts';
import { withWorktreeLock } from './worktree-lock.ts';

describe('writesOutside', () => {
  const folder = '.keel/artifacts/WI-1/build';
  const cases: { name: string; changed: string[]; globs: string[]; outside: string[] }[] = [
    {
      name: 'the artifact folder is always writable',
      changed: [`${folder}/notes.md`],
      globs: [],
      outside: [],
    },
    {
      name: 'files matching a write glob are allowed',
      changed: ['src/a.ts', 'src/deep/b.ts'],
      globs: ['src/**'],
      outside: [],
    },
    {
      name: 'a file outside every glob is named',
      changed: ['src/a.ts', 'README.md'],
      globs: ['src/**'],
      outside: ['README.md'],
    },
    {
      name: 'an agent that may write nothing may only fill its artifact folder',
      changed: ['src/a.ts', `${folder}/x`],
      globs: [],
      outside: ['src/a.ts'],
    },
    {
      name: "another pass's artifact folder is outside",
      changed: ['.keel/artifacts/WI-1/spec/spec.md'],
      globs: [],
      outside: ['.keel/artifacts/WI-1/spec/spec.md'],
    },
    {
      name: 'dot files match globs that reach them',
      changed: ['test/.fixture'],
      globs: ['test/**'],
      outside: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(writesOutside(c.changed, c.globs, folder), c.outside);
    });
  }
});

describe('withWorktreeLock', () => {
  it('runs holders of the same key one at a time, in arrival order, and other keys alongside', async () => {
    const log: string[] = [];
    let releaseFirst: () => void = () => {};
    const first = withWorktreeLock('a', async () => {
      log.push('a1 start');
      await new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      log.push('a1 end');
    });
    const second = withWorktreeLock('a', async () => {
      log.push('a2');
    });
    const other = withWorktreeLock('b', async () => {
      log.push('b');
    });
    await other;
    assert.deepEqual(log, ['a1 start', 'b']);
    releaseFirst();
    await Promise.all([first, second]);
    assert.deepEqual(log, ['a1 start', 'b', 'a1 end', 'a2']);
  });

  it('releases the key when the holder throws', async () => {
    await assert.rejects(
      withWorktreeLock('c', async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await withWorktreeLock('c', async () => 'next'), 'next');
  });
});
