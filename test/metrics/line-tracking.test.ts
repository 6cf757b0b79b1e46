/**
 * The patch parser and line tracker against real git output: unusual file
 * names, and random histories where the tracked lines must always equal the
 * lines of the files at the head.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeRuns, encodeRuns } from '../../src/metrics/history-state.ts';
import { analyzeRepository } from '../../src/metrics/index.ts';
import { type PatchCommit, PatchParser } from '../../src/metrics/patch-parser.ts';
import { DAY, lines, syntheticRepo, T0 } from './synthetic-repo.ts';

/** Line counts of every text file at HEAD, straight from git. */
function headLineCounts(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  const names = execFileSync('git', ['ls-tree', '-r', '-z', '--name-only', 'HEAD'], { cwd: dir })
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  for (const name of names) {
    const blob = execFileSync('git', ['show', `HEAD:${name}`], { cwd: dir });
    if (blob.includes(0)) continue;
    let n = 0;
    for (const b of blob) if (b === 10) n++;
    if (blob.length > 0 && blob[blob.length - 1] !== 10) n++;
    out.set(name, n);
  }
  return out;
}

describe('patch parsing', () => {
  it('reads quoted, spaced and non-ASCII paths, renames and missing final newlines', async () => {
    const repo = syntheticRepo();
    try {
      repo.commit('names', {
        at: T0,
        files: {
          'with space.txt': lines('s', 3),
          'tab\there.txt': lines('t', 2),
          'quote"d.txt': lines('q', 2),
          'ünïcode/ファイル.txt': 'no newline at end',
        },
      });
      repo.git(['mv', 'with space.txt', 'still spaced.txt'], T0 + DAY);
      repo.commit('rename and edit', {
        at: T0 + DAY,
        files: {
          'still spaced.txt': 's 1\ns 2\ns three\n',
          'ünïcode/ファイル.txt': 'now\ntwo lines',
        },
      });
      const analysis = await analyzeRepository({ repo: repo.dir, cache: false });
      const tracked = new Map([...analysis.state.tracker.files].map(([k, v]) => [k, v.length]));
      assert.deepEqual(
        [...tracked].sort(),
        [...headLineCounts(repo.dir)].sort(),
        'tracked files and lengths equal the head tree',
      );
      assert.deepEqual(analysis.state.tracker.files.get('still spaced.txt'), [0, 0, 2]);
    } finally {
      repo.dispose();
    }
  });

  it('hands on each commit as soon as the next begins, whatever the chunking', () => {
    const text =
      '\0aaa 10\n\ndiff --git a/x b/x\nnew file mode 100644\n--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+diff --git a/y b/y\n+\0not a header\n\0bbb 20\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-diff --git a/y b/y\n+z\n\\ No newline at end of file\n';
    for (const size of [1, 3, 7, text.length]) {
      const seen: PatchCommit[] = [];
      const parser = new PatchParser((c) => seen.push(c));
      for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
      parser.end();
      assert.deepEqual(
        seen.map((c) => [
          c.sha,
          c.commitTime,
          c.files.map((f) => [f.oldPath, f.newPath, f.hunks.map((h) => h.lines)]),
        ]),
        [
          ['aaa', 10, [[null, 'x', [['+diff --git a/y b/y', '+\0not a header']]]]],
          ['bbb', 20, [['x', 'x', [['-diff --git a/y b/y', '+z']]]]],
        ],
      );
    }
  });
});

describe('line tracking', () => {
  it('round-trips line arrays through run-length encoding', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1, max: 5 }), { maxLength: 200 }), (arr) => {
        assert.deepEqual(decodeRuns(encodeRuns(arr)), arr);
      }),
      { numRuns: 200 },
    );
  });

  it('tracks exactly the lines of the head over random histories of edits, moves, renames and deletions', async () => {
    const edit = fc.record({
      file: fc.integer({ min: 0, max: 3 }),
      op: fc.constantFrom('insert', 'delete', 'replace', 'rename', 'remove', 'move'),
      at: fc.nat(),
      n: fc.integer({ min: 1, max: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        async (commits) => {
          const repo = syntheticRepo();
          try {
            const files = new Map<string, string[]>();
            let counter = 0;
            commits.forEach((edits, c) => {
              const changes: Record<string, string | null> = {};
              for (const e of edits) {
                const names = [...files.keys()].sort();
                const name = names[e.file % Math.max(1, names.length)] ?? `f${e.file}.txt`;
                const content = files.get(name) ?? [];
                const at = content.length === 0 ? 0 : e.at % (content.length + 1);
                const fresh = () => Array.from({ length: e.n }, () => `line ${counter++}`);
                if (e.op === 'remove' && files.has(name)) {
                  files.delete(name);
                  changes[name] = null;
                  continue;
                }
                if (e.op === 'rename' && files.has(name)) {
                  files.delete(name);
                  changes[name] = null;
                  const to = `r${counter++}-${name}`;
                  files.set(to, [...content, ...fresh()]);
                  changes[to] = `${files.get(to)?.join('\n')}\n`;
                  continue;
                }
                if (e.op === 'move' && content.length > 1) {
                  const taken = content.splice(
                    at % content.length,
                    Math.min(e.n, content.length - 1),
                  );
                  const target = `m${e.file}.txt`;
                  files.set(name, content);
                  files.set(target, [...(files.get(target) ?? []), ...taken]);
                  changes[name] = `${content.join('\n')}\n`;
                  changes[target] = `${files.get(target)?.join('\n')}\n`;
                  continue;
                }
                if (e.op === 'delete') content.splice(at, e.n);
                else if (e.op === 'replace') content.splice(at, e.n, ...fresh());
                else content.splice(at, 0, ...fresh());
                files.set(name, content);
                changes[name] = content.length === 0 ? '' : `${content.join('\n')}\n`;
              }
              repo.commit(`commit ${c}`, { at: T0 + c * 3600, files: changes });
            });
            const analysis = await analyzeRepository({ repo: repo.dir, cache: false });
            const expected = headLineCounts(repo.dir);
            const tracked = analysis.state.tracker.files;
            for (const [name, count] of expected)
              assert.equal(tracked.get(name)?.length ?? 0, count, name);
            for (const [name, arr] of tracked) {
              assert.ok(expected.has(name), `tracks ${name}, absent at head`);
              assert.ok(
                arr.every((o) => o >= 0),
                `${name} has only known origins`,
              );
            }
            const total = [...expected.values()].reduce((a, b) => a + b, 0);
            const alive = analysis.state.tracker.counters.alive.reduce((a, b) => a + b, 0);
            assert.equal(alive, total, 'alive counters add up to the lines at head');
          } finally {
            repo.dispose();
          }
        },
      ),
      { numRuns: 8 },
    );
  });

  it('agrees with git blame on the origin of every line when nothing moves', async () => {
    const edit = fc.record({
      file: fc.integer({ min: 0, max: 2 }),
      op: fc.constantFrom('insert', 'delete', 'replace'),
      at: fc.nat(),
      n: fc.integer({ min: 1, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (commits, viaBranch) => {
          const repo = syntheticRepo();
          try {
            const files = new Map<string, string[]>();
            let counter = 0;
            commits.forEach((edits, c) => {
              // Optionally land the last commit through a merged branch.
              const branch = viaBranch && c === commits.length - 1 && c > 0;
              if (branch) repo.git(['checkout', '-q', '-b', 'topic'], T0 + c * 3600);
              const changes: Record<string, string> = {};
              for (const e of edits) {
                const name = `f${e.file}.txt`;
                const content = files.get(name) ?? [];
                const at = content.length === 0 ? 0 : e.at % (content.length + 1);
                const fresh = Array.from({ length: e.n }, () => `line ${counter++}`);
                if (e.op === 'delete') content.splice(at, e.n);
                else if (e.op === 'replace') content.splice(at, e.n, ...fresh);
                else content.splice(at, 0, ...fresh);
                files.set(name, content);
                changes[name] = content.length === 0 ? '' : `${content.join('\n')}\n`;
              }
              repo.commit(`commit ${c}`, { at: T0 + c * 3600, files: changes });
              if (branch) {
                repo.git(['checkout', '-q', 'main'], T0 + c * 3600 + 60);
                repo.git(['merge', '-q', '--no-ff', '-m', 'merge', 'topic'], T0 + c * 3600 + 60);
              }
            });
            const analysis = await analyzeRepository({ repo: repo.dir, cache: false });
            for (const [name, origins] of analysis.state.tracker.files) {
              const blamed = execFileSync(
                'git',
                ['blame', '--line-porcelain', 'HEAD', '--', name],
                {
                  cwd: repo.dir,
                  encoding: 'utf8',
                },
              )
                .split('\n')
                .filter((l) => /^[0-9a-f]{40} \d+ \d+/.test(l))
                .map((l) => analysis.state.landedBy.get(l.slice(0, 40)));
              assert.deepEqual(
                origins.map((o) => o >> 1),
                blamed,
                `${name}: change index of each line`,
              );
            }
          } finally {
            repo.dispose();
          }
        },
      ),
      { numRuns: 6 },
    );
  });
});
