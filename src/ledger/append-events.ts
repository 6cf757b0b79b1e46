/**
 * The append path: validation, idempotency, a check that the chain's tail still
 * matches its anchor, sealing, and the insert plus anchor move, all inside the
 * caller's locked transaction.
 */
import { InvalidInputError, LedgerError } from '../core/index.ts';
import type { LedgerDb } from './backend.ts';
import { readHead } from './event-queries.ts';
import { toEvent, toRow } from './event-rows.ts';
import { GENESIS_HASH } from './hash-chain.ts';
import { sealEvents, validateNewEvent } from './seal-events.ts';
import type { LedgerEvent, LedgerHead, NewEvent } from './types.ts';

// Rows per INSERT: 10 parameters each stays far below every dialect's limit.
const INSERT_CHUNK = 200;

export interface AppendContext {
  /** Where the ledger lives, for messages. */
  location: string;
  now: () => Date;
  secrets: readonly string[];
}

/**
 * Appends events inside a transaction that holds the write lock: resolves
 * idempotency keys, checks the chain's tail, seals, inserts, moves the anchor.
 * Returns the stored event for each input, in order.
 */
export async function appendEvents(
  db: LedgerDb,
  events: readonly NewEvent[],
  context: AppendContext,
): Promise<LedgerEvent[]> {
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
  const head = await readHead(db, context.location);
  await assertTailMatchesHead(db, head, context.location);
  const sealed = sealEvents(fresh, { head, now: context.now, secrets: context.secrets });
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
