#!/usr/bin/env node
// keel's wind-tunnel fake of the Codex CLI (`codex exec --json`): point a runtime's
// `command` here to run agents without the real CLI. Runs keel's TypeScript sources
// directly on Node 24 (or a packed build when present), like bin/keel.js.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Caches compiled (and type-stripped) modules on disk: a second start skips that work.
module.enableCompileCache?.();

const built = new URL('../dist/sim/codex/index.js', import.meta.url);
const useBuilt = existsSync(built);
if (!useBuilt && !process.features.typescript) {
  process.stderr.write(
    `keel-sim-codex: Node.js ${process.versions.node} cannot run keel's TypeScript sources.\n` +
      'hint: use Node.js 24 (running `npm install` in the keel checkout provides it to `npx`).\n',
  );
  process.exit(2);
}
const entry = useBuilt ? built : new URL('../src/sim/codex/index.ts', import.meta.url);
const { runCodexSim, processIO } = await import(entry.href);
process.exitCode = await runCodexSim(process.argv.slice(2), processIO(process.cwd(), process.env));
