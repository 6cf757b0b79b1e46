/**
 * Mapping between the envelope (camelCase, parsed data) and the ledger_events
 * row (snake_case, canonical data text), in both directions.
 */
import type { Insertable, Selectable } from 'kysely';
import type { LedgerEventsTable } from './schema.ts';
import type { SealedEvent } from './seal-events.ts';
import type { LedgerEvent } from './types.ts';
import type { ChainRow } from './verify-chain.ts';

export type EventRow = Selectable<LedgerEventsTable>;

/** The row to insert for a sealed event. */
export function toRow({ event, dataJson }: SealedEvent): Insertable<LedgerEventsTable> {
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

/** The envelope of a stored row, with its data parsed. */
export function toEvent(row: EventRow): LedgerEvent {
  const { dataJson, ...rest } = toChainRow(row);
  return { ...rest, data: JSON.parse(dataJson) };
}

/** A stored row as verify reads it: data left as the stored text. */
export function toChainRow(row: EventRow): ChainRow {
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
