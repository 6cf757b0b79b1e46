/**
 * Reading events: the filters of a ReadQuery as SQL, validated first, and the
 * head anchor. Shared by the store and by transactions.
 */
import { InvalidInputError, LedgerError } from '../core/index.ts';
import type { LedgerDb } from './backend.ts';
import { toEvent } from './event-rows.ts';
import { TYPE_FILTER_PATTERN } from './event-types.ts';
import type { LedgerEvent, LedgerHead, ReadQuery } from './types.ts';

function filtered(db: LedgerDb, query: ReadQuery = {}) {
  validateQuery(query);
  let q = db.selectFrom('ledger_events');
  if (query.workItemId !== undefined) q = q.where('work_item_id', '=', query.workItemId);
  if (query.afterSeq !== undefined) q = q.where('seq', '>', query.afterSeq);
  if (query.types && query.types.length > 0) {
    const exact = query.types.filter((t) => !t.endsWith('.*'));
    // A family `budget.*` is a prefix match. Not LIKE: `_` is a LIKE wildcard
    // and type names contain it (`work_item.*` would match `workXitem.…`).
    const prefixes = query.types.filter((t) => t.endsWith('.*')).map((t) => t.slice(0, -1));
    q = q.where((eb) =>
      eb.or([
        ...(exact.length > 0 ? [eb('type', 'in', exact)] : []),
        ...prefixes.map((prefix) =>
          eb(eb.fn<string>('substr', ['type', eb.val(1), eb.val(prefix.length)]), '=', prefix),
        ),
      ]),
    );
  }
  return q;
}

/** Events matching the query, in seq order (or newest first). */
export async function readEvents(db: LedgerDb, query: ReadQuery = {}): Promise<LedgerEvent[]> {
  let q = filtered(db, query)
    .selectAll()
    .orderBy('seq', query.descending ? 'desc' : 'asc');
  if (query.limit !== undefined) q = q.limit(query.limit);
  const rows = await q.execute();
  return rows.map(toEvent);
}

/** How many events match the query. */
export async function countEvents(db: LedgerDb, query: ReadQuery = {}): Promise<number> {
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

/** The head anchor; a missing anchor means the ledger was altered outside keel. */
export async function readHead(db: LedgerDb, location: string): Promise<LedgerHead> {
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
