/**
 * Opening a ledger from configuration: SQLite at `.keel/state/ledger.db` by
 * default (or `KEEL_LEDGER_PATH`), PostgreSQL when configured for team mode.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { createLedgerStore, type StoreOptions } from './ledger-store.ts';
import { openPostgresBackend } from './postgres-backend.ts';
import { openSqliteBackend } from './sqlite-backend.ts';
import type { LedgerStore } from './types.ts';

/** Where a ledger lives. */
export type LedgerConfig =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string; schema?: string };

export interface OpenLedgerOptions extends StoreOptions {
  /** Create a missing ledger (default true): the SQLite file, or the PostgreSQL schema. Read-only commands pass false. */
  create?: boolean;
}

/** The default PostgreSQL schema for keel's tables. */
export const DEFAULT_POSTGRES_SCHEMA = 'keel';

/** The SQLite path for a repository: `KEEL_LEDGER_PATH` (relative to the root) or `.keel/state/ledger.db`. */
export function defaultLedgerPath(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.KEEL_LEDGER_PATH;
  if (override && override.trim() !== '')
    return isAbsolute(override) ? override : resolve(repoRoot, override);
  return join(repoRoot, '.keel', 'state', 'ledger.db');
}

/** Opens the ledger described by `config`, applying pending migrations. */
export async function openLedger(
  config: LedgerConfig,
  options: OpenLedgerOptions = {},
): Promise<LedgerStore> {
  const backend =
    config.kind === 'sqlite'
      ? openSqliteBackend(config.path, { create: options.create ?? true })
      : await openPostgresBackend({
          url: config.url,
          schema: config.schema ?? DEFAULT_POSTGRES_SCHEMA,
          create: options.create ?? true,
        });
  return createLedgerStore(backend, options);
}

/** Opens a repository's SQLite ledger (see `defaultLedgerPath`). */
export function openRepoLedger(
  repoRoot: string,
  options: OpenLedgerOptions = {},
): Promise<LedgerStore> {
  return openLedger({ kind: 'sqlite', path: defaultLedgerPath(repoRoot, options.env) }, options);
}
