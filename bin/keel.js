#!/usr/bin/env node
// keel's executable. From a clone it runs the TypeScript sources directly (Node 24
// strips types natively); a packed build, when present, takes precedence.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Caches compiled (and type-stripped) modules on disk: a second start skips that work.
module.enableCompileCache?.();

const built = new URL('../dist/cli/main.js', import.meta.url);
const useBuilt = existsSync(built);
if (!useBuilt && !process.features.typescript) {
  process.stderr.write(
    `keel: Node.js ${process.versions.node} cannot run keel's TypeScript sources.\n` +
      'hint: use Node.js 24 (running `npm install` in the keel checkout provides it to `npx keel`).\n',
  );
  process.exit(2);
}
// A reader that closes the pipe early (`keel list | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const entry = useBuilt ? built : new URL('../src/cli/main.ts', import.meta.url);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
