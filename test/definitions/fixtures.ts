/**
 * Helpers for the definitions tests: where the fixtures live, and a way to
 * build a throw-away `.keel/` from the small valid base with one change.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const fixturesDir = fileURLToPath(new URL('../fixtures/definitions/', import.meta.url));

/** Absolute path of the repository root of one fixture. */
export function fixture(name: string): string {
  return join(fixturesDir, name);
}

/** The small valid base every rule fixture starts from (the `unknown-key` fixture minus its one mistake). */
export const BASE_FIXTURE = 'valid-base';

export interface TempKeel {
  dir: string;
  read(file: string): string;
  write(file: string, text: string): void;
  /** Replaces the first occurrence of `from` in `.keel/<file>`; fails loudly when absent. */
  edit(file: string, from: string, to: string): void;
  dispose(): void;
}

/** Copies a fixture into a temporary directory so a test can change it. */
export function tempKeel(from = BASE_FIXTURE): TempKeel {
  const dir = mkdtempSync(join(tmpdir(), 'keel-defs-'));
  cpSync(fixture(from), dir, { recursive: true });
  const path = (file: string) => join(dir, '.keel', file);
  return {
    dir,
    read: (file) => readFileSync(path(file), 'utf8'),
    write: (file, text) => {
      mkdirSync(dirname(path(file)), { recursive: true });
      writeFileSync(path(file), text);
    },
    edit(file, from, to) {
      const text = readFileSync(path(file), 'utf8');
      if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
      writeFileSync(path(file), text.replace(from, to));
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs the CLI's `main` in this process (no child process: fast), capturing its output. */
export async function runInProcess(
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/cli/main.ts');
  let stdout = '';
  let stderr = '';
  const capture = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await main(args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    streams: {
      stdout: capture((s) => {
        stdout += s;
      }),
      stderr: capture((s) => {
        stderr += s;
      }),
    },
  });
  return { code, stdout, stderr };
}
