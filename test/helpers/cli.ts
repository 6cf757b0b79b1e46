/**
 * Runs the real `keel` executable in a child process, as a user would, inside
 * temporary git repositories that each test owns.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const keelBin = join(repoRoot, 'bin', 'keel.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
}

/** Runs `keel ARGS…` with the Node running the tests; never throws on a non-zero exit. */
export function runKeel(args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [keelBin, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', KEEL_DEBUG: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr }),
    );
    child.stdin.end(options.input ?? '');
  });
}

/** Parses a command's stdout as JSON, with the output in the message when it is not. */
export function parseJson<T = unknown>(result: RunResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`expected JSON on stdout, got:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/** A fresh git repository in a temporary folder, removed by `dispose()`. */
export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  dispose(): void;
}

/** Creates an empty git repository with a committer identity, for CLI tests. */
export function makeTempRepo(prefix = 'keel-test-'): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Test',
        GIT_AUTHOR_EMAIL: 'test@example.com',
        GIT_COMMITTER_NAME: 'Test',
        GIT_COMMITTER_EMAIL: 'test@example.com',
      },
    });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Test');
  git('config', 'user.email', 'test@example.com');
  return { dir, git, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
