/**
 * Builds small git histories with exact dates and authors, for tests whose
 * figures are known by construction.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** 2026-01-05T00:00:00Z, a Monday (ISO week 2026-W02). */
export const T0 = Date.UTC(2026, 0, 5) / 1000;
export const HOUR = 3600;
export const DAY = 24 * HOUR;

export interface CommitOptions {
  /** Committer (landing) time, seconds. */
  at: number;
  /** Author time; defaults to `at`. */
  authorAt?: number;
  author?: { name: string; email: string };
  /** path → new content; null deletes the file. */
  files?: Record<string, string | Buffer | null>;
}

export interface SyntheticRepo {
  dir: string;
  git(args: string[], at?: number, author?: { name: string; email: string }): string;
  commit(message: string, options: CommitOptions): string;
  dispose(): void;
}

/** Lines `prefix 1` … `prefix n`, newline-terminated. */
export function lines(prefix: string, n: number): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');
}

/** Creates an empty repository on branch main in a temporary directory. */
export function syntheticRepo(): SyntheticRepo {
  const dir = mkdtempSync(join(tmpdir(), 'keel-metrics-'));
  const git = (args: string[], at = T0, author = { name: 'Dev', email: 'dev@example.com' }) => {
    const date = `@${at} +0000`;
    return execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: 'Dev',
        GIT_COMMITTER_EMAIL: 'dev@example.com',
        GIT_COMMITTER_DATE: date,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
      },
    }).trim();
  };
  git(['init', '-q', '-b', 'main']);
  git(['config', 'commit.gpgsign', 'false']);
  const commit = (message: string, options: CommitOptions): string => {
    for (const [path, content] of Object.entries(options.files ?? {})) {
      const full = join(dir, path);
      if (content === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    git(['add', '-A']);
    const env = options.author;
    const authorAt = options.authorAt ?? options.at;
    // Author and committer dates differ only when asked.
    execFileSync('git', ['commit', '-q', '--allow-empty', '-F', '-'], {
      cwd: dir,
      input: message,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: env?.name ?? 'Dev',
        GIT_AUTHOR_EMAIL: env?.email ?? 'dev@example.com',
        GIT_AUTHOR_DATE: `@${authorAt} +0000`,
        GIT_COMMITTER_NAME: 'Dev',
        GIT_COMMITTER_EMAIL: 'dev@example.com',
        GIT_COMMITTER_DATE: `@${options.at} +0000`,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
      },
    });
    return git(['rev-parse', 'HEAD']);
  };
  return { dir, git, commit, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
