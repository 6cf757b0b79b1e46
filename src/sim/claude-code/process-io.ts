/** The real process's stdin, stdout and stderr as a fake CLI's `SimIO`. */
import type { SimIO } from './sim-io.ts';

/** `SimIO` over this process, for the standalone fake executables and `keel sim`. */
export function processIO(cwd: string, env: NodeJS.ProcessEnv): SimIO {
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
