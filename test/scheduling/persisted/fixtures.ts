/** Shared fixtures for the persisted-reservation tests: a temporary SQLite ledger and a manual clock. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LedgerStore, openLedger } from '../../../src/ledger/index.ts';
import type { ReservationConfig } from '../../../src/scheduling/index.ts';

export const CONFIG: ReservationConfig = {
  resources: [
    { id: 'app', kind: 'database' },
    { id: 'app.public', kind: 'schema', parent: 'app' },
    { id: 'app.public.users', kind: 'table', parent: 'app.public' },
    { id: 'staging', kind: 'environment' },
    { id: 'testdb', kind: 'pool', units: 2 },
  ],
  agingStepMs: 1000,
};

/** A temporary directory holding a ledger file; `cleanup` removes it. */
export function tempLedgerPath(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'keel-rsv-'));
  return {
    path: join(dir, 'ledger.db'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Opens (creating) a SQLite ledger at `path`. */
export function open(path: string): Promise<LedgerStore> {
  return openLedger({ kind: 'sqlite', path });
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_700_000_000_000): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}
