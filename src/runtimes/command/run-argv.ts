/**
 * Runs an argv in a folder with a timeout and collects its combined output.
 * Used by the command runtime and command gates: never through a shell.
 */
import { spawn } from 'node:child_process';
import { commandEnv, maskSecrets } from './command-env.ts';

export interface ArgvResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** stdout and stderr interleaved, capped at the last 1 MiB, with secrets masked. */
  output: string;
}

const MAX_OUTPUT = 1024 * 1024;

/** Spawns `argv[0]` with the rest as arguments; never throws for a failing command. */
export function runArgv(
  argv: readonly string[],
  options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<ArgvResult> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    if (!file) {
      resolve({ exitCode: null, signal: null, timedOut: false, output: 'empty command' });
      return;
    }
    let output = '';
    let timedOut = false;
    const child = spawn(file, args, {
      cwd: options.cwd,
      // Credentials are withheld: the output becomes a committed artifact.
      env: commandEnv(options.env ?? process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > MAX_OUTPUT) output = output.slice(-MAX_OUTPUT);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const kill = () => {
      try {
        // The whole process group: test runners spawn children of their own.
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = () => kill();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const masked = (text: string) => maskSecrets(text, options.env ?? process.env);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({
        exitCode: null,
        signal: null,
        timedOut,
        output: masked(`${output}${error.message}\n`),
      });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ exitCode: code, signal, timedOut, output: masked(output) });
    });
  });
}
