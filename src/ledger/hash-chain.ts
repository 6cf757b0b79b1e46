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

/** The envelope fields a hash covers, with `data` already in canonical JSON. */
export type HashedFields = Omit<LedgerEvent, 'hash' | 'data'>;

/** Computes an event's hash: sha256 (hex) of the canonical JSON of its envelope minus `hash`. */
export function computeEventHash(event: Omit<LedgerEvent, 'hash'>): string {
  return hashEnvelope(event, canonicalJson(event.data));
}

/**
 * The same hash from the canonical JSON text of `data` (as stored), without
 * parsing it. The envelope's keys are fixed, so they are written in sorted
 * order directly; a test checks this equals `canonicalJson` of the whole envelope.
 */
export function hashEnvelope(fields: HashedFields, dataJson: string): string {
  const text =
    `{"actor":${JSON.stringify(fields.actor)},"at":${JSON.stringify(fields.at)},"data":${dataJson}` +
    `,"id":${JSON.stringify(fields.id)},"idempotencyKey":${nullable(fields.idempotencyKey)}` +
    `,"prevHash":${JSON.stringify(fields.prevHash)},"seq":${JSON.stringify(fields.seq)}` +
    `,"type":${JSON.stringify(fields.type)},"workItemId":${nullable(fields.workItemId)}}`;
  return createHash('sha256').update(text).digest('hex');
}

function nullable(value: string | null): string {
  return value === null ? 'null' : JSON.stringify(value);
}
