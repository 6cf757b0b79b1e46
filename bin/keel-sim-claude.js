#!/usr/bin/env node
// keel's wind-tunnel fake of Claude Code: point a runtime's `command` here to run
// agents without the real CLI. Runs keel's TypeScript sources directly on Node 24
// (or a packed build when present), like bin/keel.js.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Caches compiled (and type-stripped) modules on disk: a second start skips that work.
module.enableCompileCache?.();

const built = new URL('../dist/sim/claude-code/index.js', import.meta.url);
const useBuilt = existsSync(built);
if (!useBuilt && !process.features.typescript) {
  process.stderr.write(
    `keel-sim-claude: Node.js ${process.versions.node} cannot run keel's TypeScript sources.\n` +
      'hint: use Node.js 24 (running `npm install` in the keel checkout provides it to `npx`).\n',
  );
  process.exit(2);
}
const entry = useBuilt ? built : new URL('../src/sim/claude-code/index.ts', import.meta.url);
const { runClaudeSim, processIO } = await import(entry.href);
process.exitCode = await runClaudeSim(process.argv.slice(2), processIO(process.cwd(), process.env));
