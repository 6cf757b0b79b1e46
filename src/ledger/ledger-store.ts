/**
 * The ledger store over any backend: appends (validated, redacted, sealed into
 * the hash chain, head anchor moved in the same transaction), reads, and verify.
 * Dialect differences live in the backends; this file is written once for both.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { LedgerError } from '../core/index.ts';
import { type AppendContext, appendEvents } from './append-events.ts';
import type { LedgerDb, StoreBackend } from './backend.ts';
import { countEvents, readEvents, readHead } from './event-queries.ts';
import { toChainRow } from './event-rows.ts';
import { GENESIS_HASH } from './hash-chain.ts';
import { migrate } from './migrations.ts';
import { secretEnvValues } from './redact.ts';
import type {
  LedgerEvent,
  LedgerHead,
  LedgerStore,
  LedgerTransaction,
  NewEvent,
  ReadQuery,
  VerifyResult,
} from './types.ts';
import { ChainVerifier } from './verify-chain.ts';

export interface StoreOptions {
  /** Clock for events appended without `at`. */
  now?: () => Date;
  /** Where secret-named variables are read from for redaction, once at open (default process.env). */
  env?: NodeJS.ProcessEnv;
}

// Events per page when iterating and verifying.
const PAGE = 2000;

/** Opens a store over a backend, bringing its schema up to date. */
export async function createLedgerStore(
  backend: StoreBackend,
  options: StoreOptions = {},
): Promise<LedgerStore> {
  try {
    await backend.write((db) => migrate(db, backend.dialect, backend.location));
  } catch (error) {
    await backend.close();
    throw error;
  }
  return new KyselyLedgerStore(backend, options);
}

class KyselyLedgerStore implements LedgerStore {
  readonly dialect;
  readonly location;
  private readonly backend: StoreBackend;
  private readonly appendContext: AppendContext;
  // Set while a transaction runs, to turn a nested store call (a deadlock on
  // SQLite, a fork risk on PostgreSQL) into a clear error.
  private readonly inTransaction = new AsyncLocalStorage<boolean>();

  constructor(backend: StoreBackend, options: StoreOptions) {
    this.backend = backend;
    this.dialect = backend.dialect;
    this.location = backend.location;
    this.appendContext = {
      location: backend.location,
      now: options.now ?? (() => new Date()),
      // Read once at open: scanning process.env costs more than the rest of a small append.
      secrets: secretEnvValues(options.env ?? process.env),
    };
  }

  append(events: readonly NewEvent[]): Promise<LedgerEvent[]> {
    return this.transaction((tx) => tx.append(events));
  }

  async transaction<T>(fn: (tx: LedgerTransaction) => Promise<T>): Promise<T> {
    this.refuseNested('transaction');
    return this.backend.write((db) =>
      this.inTransaction.run(true, async () => {
        let open = true;
        const guard = (): LedgerDb => {
          if (!open)
            throw new LedgerError('a ledger transaction was used after it ended', {
              hint: 'await every tx call inside the transaction callback',
            });
          return db;
        };
        const tx: LedgerTransaction = {
          read: (query) => readEvents(guard(), query),
          count: (query) => countEvents(guard(), query),
          head: () => readHead(guard(), this.location),
          append: (events) => appendEvents(guard(), events, this.appendContext),
        };
        try {
          return await fn(tx);
        } finally {
          open = false;
        }
      }),
    );
  }

  async read(query?: ReadQuery): Promise<LedgerEvent[]> {
    this.refuseNested('read');
    return this.backend.read((db) => readEvents(db, query));
  }

  async count(query?: ReadQuery): Promise<number> {
    this.refuseNested('count');
    return this.backend.read((db) => countEvents(db, query));
  }

  async head(): Promise<LedgerHead> {
    this.refuseNested('head');
    return this.backend.read((db) => readHead(db, this.location));
  }

  async *iterate(
    query: Omit<ReadQuery, 'descending'> = {},
    pageSize = PAGE,
  ): AsyncIterable<LedgerEvent> {
    let afterSeq = query.afterSeq ?? 0;
    let remaining = query.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const page = await this.read({ ...query, afterSeq, limit: Math.min(pageSize, remaining) });
      for (const event of page) yield event;
      if (page.length < pageSize) return;
      afterSeq = page.at(-1)?.seq ?? afterSeq;
      remaining -= page.length;
    }
  }

  async verify(): Promise<VerifyResult> {
    this.refuseNested('verify');
    return this.backend.snapshot(async (db) => {
      const max = await db
        .selectFrom('ledger_events')
        .select((eb) => eb.fn.max('seq').as('max'))
        .executeTakeFirst();
      const anchorRow = await db
        .selectFrom('ledger_head')
        .select(['seq', 'hash'])
        .where('id', '=', 1)
        .executeTakeFirst();
      const anchor = anchorRow ? { seq: Number(anchorRow.seq), hash: anchorRow.hash } : undefined;
      const verifier = new ChainVerifier(Number(max?.max ?? 0));
      let afterSeq = Number.NEGATIVE_INFINITY;
      let broken = undefined as ReturnType<ChainVerifier['push']>;
      while (!broken) {
        let query = db.selectFrom('ledger_events').selectAll().orderBy('seq').limit(PAGE);
        if (afterSeq !== Number.NEGATIVE_INFINITY) query = query.where('seq', '>', afterSeq);
        const rows = await query.execute();
        for (const row of rows) {
          broken = verifier.push(toChainRow(row));
          if (broken) break;
        }
        if (rows.length < PAGE) break;
        afterSeq = Number(rows.at(-1)?.seq);
      }
      broken ??= verifier.finish(anchor);
      const result: VerifyResult = {
        ok: broken === undefined,
        checked: verifier.checked,
        head: anchor ?? { seq: 0, hash: GENESIS_HASH },
      };
      if (broken) result.firstBad = broken;
      return result;
    });
  }

  async schemaVersion(): Promise<number> {
    this.refuseNested('schemaVersion');
    return this.backend.read(async (db) => {
      const row = await db
        .selectFrom('ledger_schema')
        .select('version')
        .where('id', '=', 1)
        .executeTakeFirst();
      return Number(row?.version ?? 0);
    });
  }

  close(): Promise<void> {
    return this.backend.close();
  }

  private refuseNested(what: string): void {
    if (this.inTransaction.getStore()) {
      throw new LedgerError(`ledger.${what}() was called inside ledger.transaction()`, {
        hint: 'use the `tx` passed to the transaction callback for reads and appends inside it',
      });
    }
  }
}
