/**
 * Benchmark of `keel report`'s git pass: builds a synthetic history of 20,000+
 * commits with `git fast-import` (files edited, lines rewritten, AI trailers,
 * a merged branch every 50 commits), then times the full analysis against git
 * itself printing the same history (`git log -p --reverse` to /dev/null), and a
 * second, cached run after one more commit. Method and results:
 * docs/bench/git-report.md. `KEEL_BENCH_COMMITS` overrides the size.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRepository } from '../src/metrics/index.ts';

const COMMITS = Number(process.env.KEEL_BENCH_COMMITS ?? 20_000);
const FILES = 60;
const T0 = Date.UTC(2024, 0, 1) / 1000;

/** A deterministic pseudo-random generator (mulberry32), so every run builds the same history. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function buildHistory(dir: string): void {
  const rnd = random(42);
  const files: string[][] = Array.from({ length: FILES }, (_, f) =>
    Array.from({ length: 80 }, (_, i) => `file ${f} line ${i} ${'x'.repeat(i % 40)}`),
  );
  let counter = 0;
  // The import stream is written to a file as it is generated: it is too big for one string.
  const streamFile = join(dir, '..', `${dir.split('/').pop()}.fast-import`);
  const fd = openSync(streamFile, 'w');
  const parts = { push: (text: string) => writeSync(fd, text) };
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const edit = (f: number) => {
    const lines = files[f] as string[];
    const at = Math.floor(rnd() * lines.length);
    const n = 1 + Math.floor(rnd() * 6);
    const fresh = Array.from({ length: n }, () => `new ${counter++} ${'y'.repeat(counter % 50)}`);
    const r = rnd();
    if (r < 0.5) lines.splice(at, 0, ...fresh);
    else if (r < 0.8) lines.splice(at, Math.min(n, lines.length - 1), ...fresh);
    else if (lines.length > 40) lines.splice(at, Math.min(n, lines.length - 40));
    else lines.splice(at, 0, ...fresh);
    // Keep files around 80–200 lines so the history stays realistic.
    if (lines.length > 200) lines.splice(0, lines.length - 200);
    return `M 100644 inline src/file-${f}.txt\n${data(`${lines.join('\n')}\n`)}`;
  };
  let mark = 0;
  let mainMark = 0;
  for (let c = 0; c < COMMITS; c++) {
    const time = T0 + c * 1800;
    const ai = rnd() < 0.4;
    const message = ai
      ? `change ${c}\n\nCo-authored-by: Claude <noreply@anthropic.com>\n`
      : `change ${c}\n`;
    const touched = new Set([Math.floor(rnd() * FILES), Math.floor(rnd() * FILES)]);
    const branch = c > 0 && c % 50 === 0;
    mark++;
    if (branch) {
      // A side commit on a branch, then the merge on main.
      parts.push(
        `commit refs/heads/side\nmark :${mark}\nauthor Dev <dev@example.com> ${time - 900} +0000\ncommitter Dev <dev@example.com> ${time - 900} +0000\n${data(message)}from :${mainMark}\n${[...touched].map(edit).join('')}\n`,
      );
      const side = mark;
      mark++;
      parts.push(
        `commit refs/heads/main\nmark :${mark}\nauthor Dev <dev@example.com> ${time} +0000\ncommitter Dev <dev@example.com> ${time} +0000\n${data(`Merge side ${c}\n`)}from :${mainMark}\nmerge :${side}\n${[...touched].map((f) => `M 100644 inline src/file-${f}.txt\n${data(`${(files[f] as string[]).join('\n')}\n`)}`).join('')}\n`,
      );
    } else {
      parts.push(
        `commit refs/heads/main\nmark :${mark}\nauthor Dev <dev@example.com> ${time} +0000\ncommitter Dev <dev@example.com> ${time} +0000\n${data(message)}${mainMark ? `from :${mainMark}\n` : ''}${[...touched].map(edit).join('')}\n`,
      );
    }
    mainMark = mark;
  }
  closeSync(fd);
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const input = openSync(streamFile, 'r');
  const r = spawnSync('git', ['fast-import', '--quiet'], {
    cwd: dir,
    stdio: [input, 'inherit', 'inherit'],
  });
  closeSync(input);
  rmSync(streamFile);
  if (r.status !== 0) throw new Error('git fast-import failed');
  execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: dir });
}

function timeGit(dir: string, args: string[]): number {
  const out = openSync('/dev/null', 'w');
  const start = performance.now();
  const r = spawnSync('git', args, { cwd: dir, stdio: ['ignore', out, 'inherit'] });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed`);
  return performance.now() - start;
}

const dir = mkdtempSync(join(tmpdir(), 'keel-bench-report-'));
const cacheHome = mkdtempSync(join(tmpdir(), 'keel-bench-cache-'));
try {
  let start = performance.now();
  buildHistory(dir);
  const buildMs = performance.now() - start;
  const total = execFileSync('git', ['rev-list', '--count', 'main'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const first = execFileSync('git', ['rev-list', '--count', '--first-parent', 'main'], {
    cwd: dir,
    encoding: 'utf8',
  });
  console.log(
    `history: ${total.trim()} commits (${first.trim()} first-parent), built in ${(buildMs / 1000).toFixed(1)} s`,
  );

  // Measurements alternate and repeat; the median resists other load on the machine.
  const reps = Number(process.env.KEEL_BENCH_REPS ?? 3);
  const plainRuns: number[] = [];
  const sameRuns: number[] = [];
  const fullRuns: number[] = [];
  let analysis: Awaited<ReturnType<typeof analyzeRepository>> | undefined;
  for (let i = 0; i < reps; i++) {
    plainRuns.push(timeGit(dir, ['log', '-p', '--reverse', '--no-color']));
    sameRuns.push(
      timeGit(dir, [
        'log',
        '--first-parent',
        '--diff-merges=first-parent',
        '-p',
        '--reverse',
        '-M',
        '--no-color',
      ]),
    );
    start = performance.now();
    analysis = await analyzeRepository({ repo: dir, cache: false });
    fullRuns.push(performance.now() - start);
  }
  const median = (xs: number[]) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const plain = median(plainRuns);
  const same = median(sameRuns);
  const full = median(fullRuns);
  if (!analysis) throw new Error('KEEL_BENCH_REPS must be at least 1');
  const env = { ...process.env, XDG_CACHE_HOME: cacheHome };
  await analyzeRepository({ repo: dir, env });
  execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'one more'], {
    cwd: dir,
    env: {
      ...env,
      GIT_AUTHOR_NAME: 'Dev',
      GIT_AUTHOR_EMAIL: 'd@e',
      GIT_COMMITTER_NAME: 'Dev',
      GIT_COMMITTER_EMAIL: 'd@e',
    },
  });
  start = performance.now();
  const cached = await analyzeRepository({ repo: dir, env });
  const incremental = performance.now() - start;

  const rate = Math.round(analysis.state.changes.length / (full / 1000));
  console.log(`median of ${reps} alternating runs each`);
  console.log(
    `git log -p --reverse > /dev/null:                          ${(plain / 1000).toFixed(2)} s`,
  );
  console.log(
    `git log --first-parent -p --reverse -M > /dev/null:         ${(same / 1000).toFixed(2)} s`,
  );
  console.log(
    `keel full analysis (${analysis.state.changes.length} changes, ${rate}/s):            ${(full / 1000).toFixed(2)} s`,
  );
  console.log(
    `ratio full analysis / git log -p --reverse:                 ${(full / plain).toFixed(2)}×`,
  );
  console.log(
    `ratio full analysis / same git log keel reads:              ${(full / same).toFixed(2)}×`,
  );
  console.log(
    `cached run after one new commit (${cached.stats.commitsProcessed} processed):      ${(incremental / 1000).toFixed(2)} s`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cacheHome, { recursive: true, force: true });
}
