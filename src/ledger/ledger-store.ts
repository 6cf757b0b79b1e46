/**
 * The ledger store over any backend: appends (validated, redacted, sealed into
 * the hash chain, head anchor moved in the same transaction), reads, and verify.
 * Dialect differences live in the backends; this file is written once for both.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Insertable, Selectable } from 'kysely';
import { InvalidInputError, LedgerError } from '../core/index.ts';
import type { LedgerDb, StoreBackend } from './backend.ts';
import { TYPE_FILTER_PATTERN } from './event-types.ts';
import { GENESIS_HASH } from './hash-chain.ts';
import { migrate } from './migrations.ts';
import { secretEnvValues } from './redact.ts';
import type { LedgerEventsTable } from './schema.ts';
import { type SealedEvent, sealEvents, validateNewEvent } from './seal-events.ts';
import type {
  LedgerEvent,
  LedgerHead,
  LedgerStore,
  LedgerTransaction,
  NewEvent,
  ReadQuery,
  VerifyResult,
} from './types.ts';
import { type ChainRow, ChainVerifier } from './verify-chain.ts';

export interface StoreOptions {
  /** Clock for events appended without `at`. */
  now?: () => Date;
  /** Where secret-named variables are read from for redaction, once at open (default process.env). */
  env?: NodeJS.ProcessEnv;
}

// Rows per INSERT: 10 parameters each stays far below every dialect's limit.
const INSERT_CHUNK = 200;
const PAGE = 2000;

type EventRow = Selectable<LedgerEventsTable>;

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
  private readonly now: () => Date;
  // Read once at open: scanning process.env costs more than the rest of a small append.
  private readonly secrets: readonly string[];
  // Set while a transaction runs, to turn a nested store call (a deadlock on
  // SQLite, a fork risk on PostgreSQL) into a clear error.
  private readonly inTransaction = new AsyncLocalStorage<boolean>();

  constructor(backend: StoreBackend, options: StoreOptions) {
    this.backend = backend;
    this.dialect = backend.dialect;
    this.location = backend.location;
    this.now = options.now ?? (() => new Date());
    this.secrets = secretEnvValues(options.env ?? process.env);
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
          append: (events) => this.appendIn(guard(), events),
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

  private async appendIn(db: LedgerDb, events: readonly NewEvent[]): Promise<LedgerEvent[]> {
    if (!Array.isArray(events))
      throw new InvalidInputError('ledger append expects an array of events');
    events.forEach(validateNewEvent);
    if (events.length === 0) return [];

    // Idempotency: events whose key is already recorded (or repeated in this
    // batch) resolve to the recorded event instead of being appended again.
    const keys = [...new Set(events.flatMap((e) => (e.idempotencyKey ? [e.idempotencyKey] : [])))];
    const existing = new Map<string, LedgerEvent>();
    for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
      const rows = await db
        .selectFrom('ledger_events')
        .selectAll()
        .where('idempotency_key', 'in', keys.slice(i, i + INSERT_CHUNK))
        .execute();
      for (const row of rows) existing.set(row.idempotency_key ?? '', toEvent(row));
    }
    const fresh: NewEvent[] = [];
    const freshKeys = new Map<string, NewEvent>();
    for (const event of events) {
      const key = event.idempotencyKey;
      if (!key) {
        fresh.push(event);
        continue;
      }
      const earlier = existing.get(key) ?? freshKeys.get(key);
      if (earlier && earlier.type !== event.type) {
        const where =
          'seq' in earlier
            ? `a ${earlier.type} event (seq ${earlier.seq})`
            : `a ${earlier.type} event earlier in this batch`;
        throw new LedgerError(
          `idempotency key ${JSON.stringify(key)} is already used by ${where}, not ${event.type}`,
          {
            hint: 'idempotency keys must identify one operation; include the event kind in the key',
          },
        );
      }
      if (earlier) continue;
      freshKeys.set(key, event);
      fresh.push(event);
    }

    await assertIdsUnused(db, fresh);
    const head = await readHead(db, this.location);
    await assertTailMatchesHead(db, head, this.location);
    const sealed = sealEvents(fresh, { head, now: this.now, secrets: this.secrets });
    for (let i = 0; i < sealed.length; i += INSERT_CHUNK) {
      await db
        .insertInto('ledger_events')
        .values(sealed.slice(i, i + INSERT_CHUNK).map(toRow))
        .execute();
    }
    const last = sealed.at(-1)?.event;
    if (last) {
      await db
        .updateTable('ledger_head')
        .set({ seq: last.seq, hash: last.hash })
        .where('id', '=', 1)
        .execute();
    }
    // Same rule as when choosing `fresh`, so each input maps to its stored event.
    const assigned = new Map<string, LedgerEvent>(existing);
    let next = 0;
    return events.map((event) => {
      const key = event.idempotencyKey;
      const known = key ? assigned.get(key) : undefined;
      if (known) return known;
      const stored = sealed[next++]?.event as LedgerEvent;
      if (key) assigned.set(key, stored);
      return stored;
    });
  }
}

// Caller-chosen ids must be new: say so plainly rather than surface a constraint error.
async function assertIdsUnused(db: LedgerDb, events: readonly NewEvent[]): Promise<void> {
  const ids = events.flatMap((e) => (e.id === undefined ? [] : [e.id]));
  const hint = 'leave id out to get a fresh ULID, or use an idempotency key to make retries safe';
  const repeated = ids.find((id, i) => ids.indexOf(id, i + 1) !== -1);
  if (repeated !== undefined) {
    throw new InvalidInputError(`event id ${JSON.stringify(repeated)} appears twice in the batch`, {
      hint,
    });
  }
  for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
    const taken = await db
      .selectFrom('ledger_events')
      .select(['id', 'seq'])
      .where('id', 'in', ids.slice(i, i + INSERT_CHUNK))
      .executeTakeFirst();
    if (taken) {
      throw new InvalidInputError(
        `event id ${JSON.stringify(taken.id)} is already recorded (seq ${Number(taken.seq)})`,
        { hint },
      );
    }
  }
}

async function readHead(db: LedgerDb, location: string): Promise<LedgerHead> {
  const row = await db
    .selectFrom('ledger_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  if (!row) {
    throw new LedgerError(`the ledger at ${location} has lost its head anchor`, {
      hint: 'run `keel audit verify`; the ledger was altered outside keel',
    });
  }
  return { seq: Number(row.seq), hash: row.hash };
}

// Refuses to extend a chain whose tail no longer matches the anchor: appending
// would bury the damage under fresh, valid-looking events.
async function assertTailMatchesHead(
  db: LedgerDb,
  head: LedgerHead,
  location: string,
): Promise<void> {
  const tail = await db
    .selectFrom('ledger_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const tailSeq = tail ? Number(tail.seq) : 0;
  const tailHash = tail?.hash ?? GENESIS_HASH;
  if (tailSeq !== head.seq || tailHash !== head.hash) {
    throw new LedgerError(
      `the ledger at ${location} is inconsistent: its last event (seq ${tailSeq}) does not match its head anchor (seq ${head.seq})`,
      {
        hint: 'run `keel audit verify` to see what was altered; nothing was appended',
      },
    );
  }
}

function filtered(db: LedgerDb, query: ReadQuery = {}) {
  validateQuery(query);
  let q = db.selectFrom('ledger_events');
  if (query.workItemId !== undefined) q = q.where('work_item_id', '=', query.workItemId);
  if (query.afterSeq !== undefined) q = q.where('seq', '>', query.afterSeq);
  if (query.types && query.types.length > 0) {
    const exact = query.types.filter((t) => !t.endsWith('.*'));
    const families = query.types.filter((t) => t.endsWith('.*')).map((t) => `${t.slice(0, -1)}%`);
    q = q.where((eb) =>
      eb.or([
        ...(exact.length > 0 ? [eb('type', 'in', exact)] : []),
        ...families.map((pattern) => eb('type', 'like', pattern)),
      ]),
    );
  }
  return q;
}

async function readEvents(db: LedgerDb, query: ReadQuery = {}): Promise<LedgerEvent[]> {
  let q = filtered(db, query)
    .selectAll()
    .orderBy('seq', query.descending ? 'desc' : 'asc');
  if (query.limit !== undefined) q = q.limit(query.limit);
  const rows = await q.execute();
  return rows.map(toEvent);
}

async function countEvents(db: LedgerDb, query: ReadQuery = {}): Promise<number> {
  const { limit, ...rest } = query;
  const row = await filtered(db, rest)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  const n = Number(row?.n ?? 0);
  return limit === undefined ? n : Math.min(n, limit);
}

function validateQuery(query: ReadQuery): void {
  const bad = (message: string): never => {
    throw new InvalidInputError(`ledger read: ${message}`, {
      hint: 'see ReadQuery in src/ledger/types.ts',
    });
  };
  if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 0))
    bad(`limit ${query.limit} is not a non-negative integer`);
  if (query.afterSeq !== undefined && (!Number.isInteger(query.afterSeq) || query.afterSeq < 0))
    bad(`afterSeq ${query.afterSeq} is not a non-negative integer`);
  for (const type of query.types ?? []) {
    if (!TYPE_FILTER_PATTERN.test(type))
      bad(
        `type filter ${JSON.stringify(type)} is neither a dotted type nor a family like budget.*`,
      );
  }
}

function toRow({ event, dataJson }: SealedEvent): Insertable<LedgerEventsTable> {
  return {
    seq: event.seq,
    id: event.id,
    type: event.type,
    at: event.at,
    actor: event.actor,
    work_item_id: event.workItemId,
    data: dataJson,
    idempotency_key: event.idempotencyKey,
    prev_hash: event.prevHash,
    hash: event.hash,
  };
}

function toEvent(row: EventRow): LedgerEvent {
  const { dataJson, ...rest } = toChainRow(row);
  return { ...rest, data: JSON.parse(dataJson) };
}

function toChainRow(row: EventRow): ChainRow {
  return {
    seq: Number(row.seq),
    id: row.id,
    type: row.type,
    at: row.at,
    actor: row.actor,
    workItemId: row.work_item_id,
    dataJson: row.data,
    idempotencyKey: row.idempotency_key,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
