/**
 * Turns what callers append into sealed events: validated, secrets redacted,
 * defaults filled, numbered after the head and chained by hash. Pure: the store
 * supplies the head, the clock and the secrets.
 */
import { InvalidInputError } from '../core/index.ts';
import { canonicalJson, isPlainObject, type JsonValue } from './canonical-json.ts';
import { EVENT_TYPE_PATTERN } from './event-types.ts';
import { hashEnvelope } from './hash-chain.ts';
import { redactString, redactValue } from './redact.ts';
import type { LedgerEvent, LedgerHead, NewEvent } from './types.ts';
import { ulid } from './ulid.ts';

/** ISO-8601 in UTC with a `Z`, as `Date.prototype.toISOString` writes it (milliseconds optional). */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const MAX_TEXT = 512;

export interface SealContext {
  head: LedgerHead;
  now: () => Date;
  /** Secret values to scrub (see `secretEnvValues`). */
  secrets: readonly string[];
}

/** Validates one new event; throws an InvalidInputError naming the event and the field. */
export function validateNewEvent(event: NewEvent, index: number): void {
  const where = `ledger event #${index + 1}`;
  const fail = (message: string, hint: string): never => {
    throw new InvalidInputError(`${where}: ${message}`, { hint });
  };
  if (event === null || typeof event !== 'object')
    fail('is not an object', 'pass { type, actor, data }');
  if (typeof event.type !== 'string' || !EVENT_TYPE_PATTERN.test(event.type)) {
    fail(
      `type ${JSON.stringify(event.type)} is not a dotted lowercase name`,
      'event types look like `work_item.submitted` (letters and _ separated by dots)',
    );
  }
  if (
    typeof event.actor !== 'string' ||
    event.actor.trim() === '' ||
    event.actor.length > MAX_TEXT
  ) {
    fail(
      'actor must be a non-empty string',
      'name who or what caused the event, e.g. `user:alice` or `keel`',
    );
  }
  if (
    event.workItemId != null &&
    (typeof event.workItemId !== 'string' || event.workItemId === '')
  ) {
    fail('workItemId must be a non-empty string or null', 'pass the work item id, or leave it out');
  }
  if (event.data !== undefined && !isPlainObject(event.data)) {
    fail('data must be a plain JSON object', 'wrap values in an object, e.g. { value: 3 }');
  }
  if (
    event.at !== undefined &&
    (typeof event.at !== 'string' || !ISO_UTC.test(event.at) || Number.isNaN(Date.parse(event.at)))
  ) {
    fail(`at ${JSON.stringify(event.at)} is not ISO-8601 UTC`, 'use new Date().toISOString()');
  }
  if (
    event.id !== undefined &&
    (typeof event.id !== 'string' || event.id === '' || event.id.length > MAX_TEXT)
  ) {
    fail('id must be a non-empty string', 'leave id out to get a ULID');
  }
  if (
    event.idempotencyKey !== undefined &&
    (typeof event.idempotencyKey !== 'string' ||
      event.idempotencyKey === '' ||
      event.idempotencyKey.length > MAX_TEXT)
  ) {
    fail(
      'idempotencyKey must be a non-empty string',
      'use a key that identifies the operation, e.g. a call id',
    );
  }
}

/** A sealed event with its data as the canonical JSON text that is stored and hashed. */
export interface SealedEvent {
  event: LedgerEvent;
  dataJson: string;
}

/** Seals new events after `context.head`, in order; the input must be deduplicated already. */
export function sealEvents(events: readonly NewEvent[], context: SealContext): SealedEvent[] {
  const sealed: SealedEvent[] = [];
  let { seq, hash: prevHash } = context.head;
  for (const event of events) {
    const at = event.at ?? context.now().toISOString();
    const dataJson = canonicalJson(redactValue(event.data ?? {}, context.secrets), '$.data');
    seq += 1;
    const fields = {
      seq,
      id: event.id ?? ulid(Date.parse(at)),
      type: event.type,
      at,
      actor: redactString(event.actor, context.secrets),
      workItemId: event.workItemId ?? null,
      idempotencyKey: event.idempotencyKey ?? null,
      prevHash,
    };
    const hash = hashEnvelope(fields, dataJson);
    // Parsed back from the canonical text: drops undefined fields, so the event
    // returned now is exactly what a later read returns.
    const data = JSON.parse(dataJson) as { [key: string]: JsonValue };
    sealed.push({ event: { ...fields, data, hash }, dataJson });
    prevHash = hash;
  }
  return sealed;
}
