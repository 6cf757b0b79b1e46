/**
 * One synthetic history exercising every figure, with the answers worked out by
 * hand in test/metrics/analyze.test.ts. Change indexes (first-parent order):
 *
 *  0 c1   T0            other   a.txt alpha 1–10
 *  1 c2   T0+1h         AI      b.txt beta 1–4 (Claude trailer with model)
 *  2 c3   T0+2h         AI      c.txt gamma 1–3 (Copilot and Cursor trailers)
 *  3 c4   T0+72h59m     other   rewrites "beta 1" (71h59m after it landed)
 *  4 c5   T0+74h01m     other   deletes "gamma 1" (72h01m after it landed)
 *  5 merge T0+4d        AI      brings x1 (aider author, d.txt) and x2 (rewrites 2 lines in the branch)
 *  6 c7   T0+4d+1h      AI      squash with a Codex trailer, e.txt epsilon 1–2
 *  7 c8   T0+5d         other   renames a.txt → a-renamed.txt, rewrites "alpha 10"
 *  8 c9   T0+5d+1h      other   moves beta 2–4 from b.txt to f.txt
 *  9 c10  T0+5d+2h      other   adds a binary file; tagged v1.0 (annotated)
 * 10 c11  T0+6d         other   reverts c7
 * 11 c12  T0+6d+1h      other   "Hotfix for <c3>": rewrites "gamma 2"
 * 12 n1   T0+8d         AI      g.txt golf 1–4, git-ai note attests lines 2–3 (cursor, gpt-5)
 * 13 n2   T0+8d+1h      other   h.txt, Claude trailer but a git-ai note attesting nothing
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY, HOUR, lines, type SyntheticRepo, T0 } from './synthetic-repo.ts';

export interface Scenario {
  shas: Record<string, string>;
  head: number;
}

function note(repo: SyntheticRepo, sha: string, text: string, at: number): void {
  const file = join(repo.dir, '.git', 'keel-test-note');
  writeFileSync(file, text);
  repo.git(['notes', '--ref=ai', 'add', '-F', file, sha], at);
}

/** Builds the scenario's history in `repo`. */
export function buildScenario(repo: SyntheticRepo): Scenario {
  const s: Record<string, string> = {};
  s.c1 = repo.commit('Add alpha', { at: T0, files: { 'a.txt': lines('alpha', 10) } });
  s.c2 = repo.commit('Add beta\n\nCo-authored-by: Claude Opus 4.5 <noreply@anthropic.com>\n', {
    at: T0 + HOUR,
    files: { 'b.txt': lines('beta', 4) },
  });
  s.c3 = repo.commit(
    'Add gamma\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>\n',
    { at: T0 + 2 * HOUR, files: { 'c.txt': lines('gamma', 3) } },
  );
  s.c4 = repo.commit('Reword beta 1', {
    at: T0 + HOUR + 71 * HOUR + 59 * 60,
    files: { 'b.txt': `beta one\n${lines('beta', 4).split('\n').slice(1).join('\n')}` },
  });
  s.c5 = repo.commit('Drop gamma 1', {
    at: T0 + 2 * HOUR + 72 * HOUR + 60,
    files: { 'c.txt': 'gamma 2\ngamma 3\n' },
  });
  repo.git(['checkout', '-q', '-b', 'feature'], T0 + 3 * DAY);
  s.x1 = repo.commit('Add delta', {
    at: T0 + 3 * DAY,
    author: { name: 'Bob (aider)', email: 'bob@example.com' },
    files: { 'd.txt': lines('delta', 5) },
  });
  s.x2 = repo.commit('Polish delta', {
    at: T0 + 3 * DAY + HOUR,
    files: { 'd.txt': 'delta 1\ndelta 2\ndelta 3\ndelta four\ndelta five\n' },
  });
  repo.git(['checkout', '-q', 'main'], T0 + 4 * DAY);
  repo.git(['merge', '-q', '--no-ff', '-m', 'Merge branch feature', 'feature'], T0 + 4 * DAY);
  s.merge = repo.git(['rev-parse', 'HEAD']);
  s.c7 = repo.commit(
    'Add epsilon (#12)\n\n* wip\n* more\n\nCo-authored-by: codex <codex@openai.com>\n',
    { at: T0 + 4 * DAY + HOUR, files: { 'e.txt': lines('epsilon', 2) } },
  );
  repo.git(['mv', 'a.txt', 'a-renamed.txt'], T0 + 5 * DAY);
  s.c8 = repo.commit('Rename alpha', {
    at: T0 + 5 * DAY,
    files: { 'a-renamed.txt': `${lines('alpha', 9)}alpha ten\n` },
  });
  s.c9 = repo.commit('Move beta 2-4 to f.txt', {
    at: T0 + 5 * DAY + HOUR,
    files: { 'b.txt': 'beta one\n', 'f.txt': 'beta 2\nbeta 3\nbeta 4\n' },
  });
  s.c10 = repo.commit('Add image', {
    at: T0 + 5 * DAY + 2 * HOUR,
    files: { 'img.bin': Buffer.from([0, 1, 2, 0, 10, 0, 10, 255]) },
  });
  repo.git(['tag', '-a', 'v1.0', '-m', 'release 1.0', s.c10], T0 + 5 * DAY + 2 * HOUR);
  repo.git(['revert', '--no-edit', s.c7], T0 + 6 * DAY);
  s.c11 = repo.git(['rev-parse', 'HEAD']);
  s.c12 = repo.commit(`Hotfix for ${s.c3.slice(0, 8)}: spell gamma 2\n`, {
    at: T0 + 6 * DAY + HOUR,
    files: { 'c.txt': 'gamma two\ngamma 3\n' },
  });
  s.n1 = repo.commit('Add golf', { at: T0 + 8 * DAY, files: { 'g.txt': lines('golf', 4) } });
  note(
    repo,
    s.n1,
    `g.txt\n  0123456789abcdef 2-3\n---\n${JSON.stringify({
      schema_version: 'authorship/3.0.0',
      base_commit_sha: s.c12,
      prompts: {
        '0123456789abcdef': {
          agent_id: { tool: 'cursor', id: 'session-1', model: 'gpt-5' },
          messages: [],
          total_additions: 2,
          total_deletions: 0,
          accepted_lines: 2,
          overriden_lines: 0,
        },
      },
    })}\n`,
    T0 + 8 * DAY,
  );
  s.n2 = repo.commit('Add hotel\n\nCo-authored-by: Claude <noreply@anthropic.com>\n', {
    at: T0 + 8 * DAY + HOUR,
    files: { 'h.txt': 'hotel 1\n' },
  });
  note(
    repo,
    s.n2,
    `---\n${JSON.stringify({ schema_version: 'authorship/3.0.0', base_commit_sha: s.n1, prompts: {} })}\n`,
    T0 + 8 * DAY + HOUR,
  );
  return { shas: s, head: T0 + 8 * DAY + HOUR };
}
