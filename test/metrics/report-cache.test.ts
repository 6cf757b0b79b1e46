/** The report cache: reused for new commits, rebuilt when what it summarised changed. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeRepository } from '../../src/metrics/index.ts';
import { HOUR, lines, type SyntheticRepo, syntheticRepo, T0 } from './synthetic-repo.ts';

const NOTE = (sha: string) =>
  `x.txt\n  0123456789abcdef 1\n---\n${JSON.stringify({
    schema_version: 'authorship/3.0.0',
    base_commit_sha: sha,
    prompts: { '0123456789abcdef': { agent_id: { tool: 'amp', id: 's', model: 'm' } } },
  })}\n`;

describe('report cache', () => {
  let repo: SyntheticRepo;
  let cacheHome: string;
  const analyze = (extra: { until?: number } = {}) =>
    analyzeRepository({ repo: repo.dir, env: { XDG_CACHE_HOME: cacheHome }, ...extra });
  const addNote = (sha: string) => {
    const file = join(cacheHome, 'note.txt');
    writeFileSync(file, NOTE(sha));
    repo.git(['notes', '--ref=ai', 'add', '-f', '-F', file, sha]);
  };

  before(() => {
    cacheHome = mkdtempSync(join(tmpdir(), 'keel-cache-'));
    repo = syntheticRepo();
  });
  after(() => {
    repo.dispose();
    rmSync(cacheHome, { recursive: true, force: true });
  });

  it('extends the cached state with new commits, including one that has a git-ai note', async () => {
    const first = repo.commit('one', { at: T0, files: { 'x.txt': lines('x', 3) } });
    assert.equal((await analyze()).stats.cache, 'miss');
    const second = repo.commit('two', { at: T0 + HOUR, files: { 'y.txt': lines('y', 2) } });
    addNote(second);
    const run = await analyze();
    assert.equal(run.stats.cache, 'hit');
    assert.equal(run.stats.commitsProcessed, 1);
    assert.equal(run.state.changes[1]?.ai, true);
    assert.equal(run.state.changes[0]?.sha, first);
  });

  it('rebuilds when a note appears on a commit it had already analysed', async () => {
    addNote(repo.git(['rev-parse', 'HEAD~1']));
    const run = await analyze();
    assert.equal(run.stats.cache, 'invalidated');
    assert.equal(run.stats.commitsProcessed, 2);
    assert.equal(run.state.changes[0]?.ai, true);
  });

  it('rebuilds when the branch was rewritten under it', async () => {
    repo.git(['reset', '-q', '--hard', 'HEAD~1']);
    repo.commit('two, again', { at: T0 + 2 * HOUR, files: { 'z.txt': lines('z', 1) } });
    const run = await analyze();
    assert.equal(run.stats.cache, 'invalidated');
    assert.equal(run.stats.commitsProcessed, 2);
  });

  it('rebuilds when the branch fast-forwards to a merge whose first parent is a side branch', async () => {
    const before = repo.git(['rev-parse', 'HEAD']);
    assert.equal((await analyze()).stats.commitsProcessed, 0);
    repo.git(['checkout', '-q', '-b', 'side', 'HEAD~1']);
    repo.commit('side work', { at: T0 + 3 * HOUR, files: { 's.txt': lines('s', 2) } });
    repo.git(['merge', '-q', '--no-ff', '-m', 'merge main into side', 'main'], T0 + 4 * HOUR);
    repo.git(['checkout', '-q', 'main']);
    repo.git(['merge', '-q', '--ff-only', 'side']);
    const run = await analyze();
    assert.equal(run.stats.cache, 'invalidated');
    assert.equal(run.state.changes.length, 3, 'root, side work, merge');
    assert.equal(run.state.landedBy.get(before), 2, 'the old tip landed with the merge');
    const tracked = [...run.state.tracker.files.keys()].sort();
    assert.deepEqual(tracked, ['s.txt', 'x.txt', 'z.txt']);
    repo.git(['reset', '-q', '--hard', before]);
    assert.equal((await analyze()).stats.cache, 'invalidated', 'and back again');
  });

  it('does not use a cache newer than --until, nor overwrite it with the shorter history', async () => {
    const cut = await analyze({ until: T0 + 30 * 60 });
    assert.equal(cut.stats.cache, 'invalidated');
    assert.equal(cut.state.changes.length, 1);
    const full = await analyze();
    assert.equal(full.stats.cache, 'hit');
    assert.equal(full.stats.commitsProcessed, 0);
    assert.equal(full.state.changes.length, 2);
  });
});
