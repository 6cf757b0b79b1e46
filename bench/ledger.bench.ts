/**
 * Ledger throughput: single appends (one transaction, one fsync each), batched
 * appends, read-then-append transactions, and verify over a 100k-event chain.
 * SQLite always; PostgreSQL too when KEEL_TEST_POSTGRES_URL is set. Method and
 * published results: docs/bench/ledger.md.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LedgerConfig,
  type LedgerStore,
  type NewEvent,
  openLedger,
} from '../src/ledger/index.ts';

const TOTAL = Number(process.env.KEEL_BENCH_LEDGER_EVENTS ?? 100_000);
const SINGLE = 1_000;
const BATCH = 500;

function sample(i: number): NewEvent {
  return {
    type: i % 10 === 0 ? 'model_call.recorded' : 'attempt.started',
    actor: 'agent:implementer',
    workItemId: `WI-${i % 500}`,
    data: {
      attempt: i,
      model: 'economy',
      usage: { inputTokens: 1200 + (i % 97), outputTokens: 300 },
      note: 'x'.repeat(80),
    },
  };
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

async function run(label: string, config: LedgerConfig, total: number): Promise<void> {
  const ledger: LedgerStore = await openLedger(config, { env: {} });
  let n = 0;
  const single = await time(async () => {
    for (let i = 0; i < SINGLE; i++) await ledger.append([sample(n++)]);
  });
  console.log(
    `${label}  single append (1 event/tx)      ${rate(SINGLE, single.ms)}  (${(single.ms / SINGLE).toFixed(2)} ms each)`,
  );

  const txs = await time(async () => {
    for (let i = 0; i < SINGLE; i++) {
      await ledger.transaction(async (tx) => {
        const seen = await tx.count({ workItemId: `WI-${i % 500}` });
        await tx.append([{ ...sample(n++), data: { seen } }]);
      });
    }
  });
  console.log(`${label}  read-then-append transaction    ${rate(SINGLE, txs.ms)}`);

  const remaining = total - n;
  const batched = await time(async () => {
    while (n < total) {
      const size = Math.min(BATCH, total - n);
      await ledger.append(Array.from({ length: size }, () => sample(n++)));
    }
  });
  console.log(
    `${label}  batched append (${BATCH}/tx)         ${rate(remaining, batched.ms)} events`,
  );

  const byItem = await time(() => ledger.read({ workItemId: 'WI-42' }));
  console.log(
    `${label}  read one work item of ${total}   ${byItem.ms.toFixed(1)} ms (${byItem.value.length} events)`,
  );

  const verify = await time(() => ledger.verify());
  if (!verify.value.ok) throw new Error(`verify failed: ${JSON.stringify(verify.value.firstBad)}`);
  console.log(
    `${label}  verify ${verify.value.checked} events        ${verify.ms.toFixed(0)} ms (${rate(verify.value.checked, verify.ms)})`,
  );
  if (config.kind === 'sqlite')
    console.log(
      `${label}  file size                        ${(statSync(config.path).size / 1e6).toFixed(1)} MB`,
    );
  await ledger.close();
}

const dir = mkdtempSync(join(tmpdir(), 'keel-bench-ledger-'));
try {
  console.log(`node ${process.version}, ${TOTAL} events, SQLite file under ${tmpdir()}`);
  await run('sqlite  ', { kind: 'sqlite', path: join(dir, 'ledger.db') }, TOTAL);
  const url = process.env.KEEL_TEST_POSTGRES_URL;
  if (url) {
    const schema = `keel_bench_${process.pid}`;
    await run('postgres', { kind: 'postgres', url, schema }, TOTAL);
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  } else {
    console.log('postgres  skipped: set KEEL_TEST_POSTGRES_URL to include it');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
