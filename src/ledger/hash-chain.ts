/**
 * The hash chain: each event's hash covers every other field of its envelope,
 * including its position (`seq`) and its predecessor's hash (`prevHash`), so an
 * edit, a deletion, an insertion or a reordering breaks the chain.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { LedgerEvent } from './types.ts';

/** The `prevHash` of the first event: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** Computes an event's hash: sha256 (hex) of the canonical JSON of its envelope minus `hash`. */
export function computeEventHash(event: Omit<LedgerEvent, 'hash'>): string {
  const body = {
    seq: event.seq,
    id: event.id,
    type: event.type,
    at: event.at,
    actor: event.actor,
    workItemId: event.workItemId,
    data: event.data,
    idempotencyKey: event.idempotencyKey,
    prevHash: event.prevHash,
  };
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
