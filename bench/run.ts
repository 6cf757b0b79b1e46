/**
 * `npm run bench`: runs every `bench/*.bench.ts` in turn (or those whose name
 * contains one of the arguments), each in its own Node process so that one
 * benchmark's heap never skews the next. Results print as each finishes; method
 * and published results live in docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`bench: no benchmark matches ${filters.join(', ') || '(none found)'}`);
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  console.error(`\n== ${file}`);
  const r = spawnSync(process.execPath, ['--expose-gc', `${dir}${file}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
