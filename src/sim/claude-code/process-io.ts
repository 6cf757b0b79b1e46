/** The real process's stdin, stdout and stderr as a fake CLI's `SimIO`. */
import type { SimIO } from './sim-io.ts';

/** `SimIO` over this process, for the standalone fake executables and `keel sim`. */
export function processIO(cwd: string, env: NodeJS.ProcessEnv): SimIO {
  quietOnClosedPipe();
  return {
    cwd,
    env,
    readStdin: async () => {
      if (process.stdin.isTTY) return '';
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    out: (line) => {
      process.stdout.write(`${line}\n`);
    },
    err: (line) => {
      process.stderr.write(`${line}\n`);
    },
  };
}

let guarded = false;

/**
 * Exits quietly when the reader of stdout goes away (`… | head -1`), as a CLI
 * killed by SIGPIPE would, instead of dying on an unhandled EPIPE.
 */
export function quietOnClosedPipe(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
