/**
 * The orchestrator process the crash test kills: drives every open work item
 * of the repository in argv[2] (providers pointed at the wind tunnel by the
 * environment) and prints one line per recorded event, so the test can pick
 * its kill instants in the middle of real work.
 */
import { join } from 'node:path';
import { requireDefinitions } from '../../src/definitions/index.ts';
import { runWorkItems } from '../../src/engine/index.ts';
import { openLedger } from '../../src/ledger/index.ts';

const root = process.argv[2] as string;
const definitions = await requireDefinitions(root);
const ledger = await openLedger({ kind: 'sqlite', path: join(root, '.keel/state/ledger.db') });
process.stdout.write('ready\n');
const result = await runWorkItems({
  root,
  definitions,
  ledger,
  env: process.env,
  untilIdle: true,
  pollMs: 20,
  retry: { baseDelayMs: 5, maxDelayMs: 50 },
  onEvent: (e) => process.stdout.write(`event ${e.seq} ${e.type}\n`),
});
await ledger.close();
process.stdout.write(
  `done ${result.items.map((i) => i.state.completed?.outcome ?? 'open').join(',')}\n`,
);
