/**
 * Runs git with argv arrays (never a shell) and streams its output. Git's own
 * configuration must not change the text keel parses, so every call pins the
 * settings that affect it (quoting, colours, diff prefixes, external tools).
 */
import { execFile, spawn } from 'node:child_process';
import { KeelError, type KeelErrorOptions } from '../core/index.ts';

/** git failed or is missing. */
export class GitError extends KeelError {
  override readonly code = 'GIT';
  readonly stderr: string;
  constructor(message: string, stderr = '', options: KeelErrorOptions = {}) {
    super(message, options);
    this.stderr = stderr;
  }
}

const PINNED = [
  '-c',
  'core.quotePath=false',
  '-c',
  'color.ui=false',
  '-c',
  'diff.noprefix=false',
  '-c',
  'diff.mnemonicPrefix=false',
  '-c',
  'log.showSignature=false',
  '-c',
  'i18n.logOutputEncoding=UTF-8',
];

function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: 'C', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0' };
}

/** Runs a short git command and returns its stdout; undefined on a non-zero exit when `allowFail`. */
export function gitText(cwd: string, args: readonly string[]): Promise<string>;
export function gitText(
  cwd: string,
  args: readonly string[],
  allowFail: true,
): Promise<string | undefined>;
export function gitText(
  cwd: string,
  args: readonly string[],
  allowFail = false,
): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...PINNED, ...args],
      { cwd, env: gitEnv(), maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if (allowFail && typeof error.code === 'number') return resolve(undefined);
        reject(spawnFailure(error, args, stderr));
      },
    );
  });
}

/** Streams a git command's stdout (UTF-8) into `onChunk`; resolves when git exits successfully. */
export function gitStream(
  cwd: string,
  args: readonly string[],
  onChunk: (text: string) => void,
  input?: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...PINNED, ...args], {
      cwd,
      env: gitEnv(),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let failed: unknown;
    const { stdout, stderr: errors } = child as unknown as {
      stdout: NodeJS.ReadableStream;
      stderr: NodeJS.ReadableStream;
    };
    stdout.setEncoding('utf8');
    stdout.on('data', (text: string) => {
      if (failed !== undefined) return;
      try {
        onChunk(text);
      } catch (error) {
        failed = error;
        child.kill();
      }
    });
    errors.setEncoding('utf8');
    errors.on('data', (text: string) => {
      if (stderr.length < 64 * 1024) stderr += text;
    });
    child.on('error', (error) => reject(spawnFailure(error, args, stderr)));
    child.on('close', (code) => {
      if (failed !== undefined) return reject(failed);
      if (code === 0) return resolve();
      reject(
        new GitError(`git ${args[0]} failed (exit ${code}): ${firstLine(stderr)}`, stderr, {
          hint: 'check that the repository is readable and not corrupted (`git fsck`)',
        }),
      );
    });
    if (input !== undefined && child.stdin) child.stdin.end(input);
  });
}

function spawnFailure(error: unknown, args: readonly string[], stderr: string): GitError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new GitError('git is not installed or not on PATH', '', {
      hint: 'install git (2.31 or newer) and make sure `git --version` works',
    });
  return new GitError(`git ${args[0]} failed: ${firstLine(stderr) || String(error)}`, stderr);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/** Runs git with `input` on stdin and returns stdout as bytes (for `cat-file --batch`). */
export function gitBytes(cwd: string, args: readonly string[], input: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...PINNED, ...args], { cwd, env: gitEnv() });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    child.on('error', (error) => reject(spawnFailure(error, args, stderr)));
    child.on('close', (code) => {
      if (code === 0) return resolve(Buffer.concat(chunks));
      reject(new GitError(`git ${args[0]} failed (exit ${code}): ${firstLine(stderr)}`, stderr));
    });
    child.stdin.end(input);
  });
}
