/**
 * The ledger's public types: the event envelope, what callers append, how they
 * read, and the store boundary every dialect implements.
 */
import type { JsonValue } from './canonical-json.ts';

/** One recorded event, as stored and hashed. */
export interface LedgerEvent {
  /** Position in the ledger: 1, 2, 3… without gaps. */
  seq: number;
  /** Unique id (a ULID unless the caller supplied one). */
  id: string;
  /** Dotted type, e.g. `work_item.submitted`. */
  type: string;
  /** When it happened, ISO-8601 UTC (`2026-01-02T03:04:05.678Z`). */
  at: string;
  /** Who or what caused it: a user, an agent, `keel`. */
  actor: string;
  workItemId: string | null;
  data: { [key: string]: JsonValue };
  /** Caller-chosen key that makes a retried append a no-op; unique when set. */
  idempotencyKey: string | null;
  /** Hash of the previous event (64 zeros for the first). */
  prevHash: string;
  /** sha256 of the canonical JSON of every other field. */
  hash: string;
}

/** What a caller appends; the ledger fills in seq, hashes, and defaults. */
export interface NewEvent {
  type: string;
  actor: string;
  workItemId?: string | null;
  data?: Record<string, unknown>;
  /** Defaults to now. */
  at?: string;
  /** Defaults to a new ULID. */
  id?: string;
  idempotencyKey?: string;
}

/** The last event's position and hash: seq 0 and the genesis hash for an empty ledger. */
export interface LedgerHead {
  seq: number;
  hash: string;
}

/** Which events to read; every field narrows the selection, results come in seq order. */
export interface ReadQuery {
  workItemId?: string;
  /** Exact types, or families written `budget.*`; any of them matches. Empty or absent: every type. */
  types?: readonly string[];
  /** Only events with seq greater than this. */
  afterSeq?: number;
  limit?: number;
  /** Newest first instead of seq order (e.g. the last event of a work item). */
  descending?: boolean;
}

/** The kinds of tampering verify names. */
export const TAMPER_PROBLEMS = ['edited', 'deleted', 'inserted', 'reordered', 'truncated'] as const;
export type TamperProblem = (typeof TAMPER_PROBLEMS)[number];

/** Where the chain first breaks. `id` and `type` are null when the event itself is gone. */
export interface ChainBreak {
  seq: number;
  id: string | null;
  type: string | null;
  problem: TamperProblem;
  /** One sentence saying what was found, for people. */
  detail: string;
}

/** The result of walking the whole chain. */
export interface VerifyResult {
  ok: boolean;
  /** Events checked before stopping (all of them when ok). */
  checked: number;
  head: LedgerHead;
  firstBad?: ChainBreak;
}

/** Reads shared by the store and by a transaction. */
export interface LedgerReader {
  /** Events matching the query, in seq order (or reverse with `descending`). */
  read(query?: ReadQuery): Promise<LedgerEvent[]>;
  /** How many events match the query (limit and afterSeq apply). */
  count(query?: ReadQuery): Promise<number>;
  /** The last event's seq and hash. */
  head(): Promise<LedgerHead>;
}

/** Inside `transaction`: reads see a stable ledger, appends commit together at the end. */
export interface LedgerTransaction extends LedgerReader {
  /** Appends events (after redaction); returns them as stored, in order. */
  append(events: readonly NewEvent[]): Promise<LedgerEvent[]>;
}

/** Which database holds the ledger. */
export type LedgerDialect = 'sqlite' | 'postgres';

/** The store boundary: every caller uses this, whatever the database. */
export interface LedgerStore extends LedgerReader {
  readonly dialect: LedgerDialect;
  /** Where the ledger lives, for messages (a file path, or a URL without password). */
  readonly location: string;
  /**
   * Appends a batch atomically (all or nothing). Events whose idempotency key is
   * already recorded are not appended again; the recorded event is returned instead.
   */
  append(events: readonly NewEvent[]): Promise<LedgerEvent[]>;
  /**
   * Runs `fn` serialised against every other writer, in every process: what it
   * reads cannot change before its appends commit. A throw rolls everything back.
   * Keep it short (no model calls inside): other writers wait on it.
   */
  transaction<T>(fn: (tx: LedgerTransaction) => Promise<T>): Promise<T>;
  /** Iterates over matching events in seq order, a page at a time. */
  iterate(query?: Omit<ReadQuery, 'descending'>, pageSize?: number): AsyncIterable<LedgerEvent>;
  /** Walks the whole chain and the head anchor; names the first break. */
  verify(): Promise<VerifyResult>;
  /** The schema version of the open database. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}
