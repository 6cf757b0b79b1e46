/**
 * Walks a ledger's events in seq order and names the first place the chain
 * breaks, classifying it as an edit, a deletion, an insertion, a reordering or a
 * truncated tail. Pure: the store feeds rows in and supplies the head anchor.
 */
import { GENESIS_HASH, hashEnvelope } from './hash-chain.ts';
import type { ChainBreak, LedgerEvent, LedgerHead } from './types.ts';

/**
 * An event as read back for verification, with `data` as the stored canonical
 * JSON text: hashing it directly avoids parsing, and any change to the stored
 * bytes counts as an edit.
 */
export type ChainRow = Omit<LedgerEvent, 'data'> & { dataJson: string };

// How many recent events are remembered to name the first of a run of inserted ones.
const RECENT = 1024;

interface Recent {
  seq: number;
  id: string;
  type: string;
}

/** Incremental chain checker: `push` each row in seq order, then `finish` with the anchor. */
export class ChainVerifier {
  /** Rows accepted as intact so far. */
  checked = 0;
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private lastSeq = 0;
  private readonly recent: Recent[] = [];
  private readonly maxSeq: number;
  // A row whose hash fits no position: edited, unless the next row shows it was inserted.
  private pending: ChainRow | undefined;
  private broken: ChainBreak | undefined;

  /** `maxSeq` bounds the search for where a moved event came from (the largest seq present). */
  constructor(maxSeq: number) {
    this.maxSeq = maxSeq;
  }

  /** Checks the next row; returns the break once one is found (and ignores rows after it). */
  push(row: ChainRow): ChainBreak | undefined {
    if (this.broken) return this.broken;
    if (this.pending) {
      this.broken = this.judgePending(this.pending, row);
      return this.broken;
    }
    this.broken = this.check(row);
    return this.broken;
  }

  /** Compares the end of the chain with the head anchor; returns the first break, if any. */
  finish(anchor: LedgerHead | undefined): ChainBreak | undefined {
    if (this.broken) return this.broken;
    if (this.pending) {
      this.broken = edited(this.pending, 'its content no longer matches its hash');
      return this.broken;
    }
    const last = this.recent.at(-1);
    if (!anchor) {
      this.broken = {
        seq: this.lastSeq,
        id: last?.id ?? null,
        type: last?.type ?? null,
        problem: 'deleted',
        detail: 'the head anchor record is missing, so the end of the chain cannot be confirmed',
      };
    } else if (anchor.seq > this.lastSeq) {
      this.broken = {
        seq: this.lastSeq + 1,
        id: null,
        type: null,
        problem: 'truncated',
        detail: `events ${range(this.lastSeq + 1, anchor.seq)} are missing from the end (the head anchor records seq ${anchor.seq})`,
      };
    } else if (anchor.seq < this.lastSeq) {
      const extra = this.recent.find((r) => r.seq === anchor.seq + 1);
      this.broken = {
        seq: anchor.seq + 1,
        id: extra?.id ?? null,
        type: extra?.type ?? null,
        problem: 'inserted',
        detail: `events ${range(anchor.seq + 1, this.lastSeq)} were added after the head anchor (seq ${anchor.seq}) without going through the ledger`,
      };
    } else if (anchor.hash !== this.prevHash) {
      this.broken = {
        seq: this.lastSeq,
        id: last?.id ?? null,
        type: last?.type ?? null,
        problem: 'edited',
        detail: `the last event's hash differs from the head anchor's (${anchor.hash.slice(0, 12)}…): it was rewritten`,
      };
    }
    return this.broken;
  }

  private check(row: ChainRow): ChainBreak | undefined {
    if (row.seq !== this.expectedSeq) {
      return {
        seq: this.expectedSeq,
        id: null,
        type: null,
        problem: 'deleted',
        detail: `events ${range(this.expectedSeq, row.seq - 1)} are missing: the chain jumps to seq ${row.seq} (${row.type} ${row.id})`,
      };
    }
    if (!hashMatches(row, row.seq)) {
      const origin = this.originalSeq(row);
      if (origin === undefined) {
        this.pending = row;
        return undefined;
      }
      if (origin > row.seq) {
        return {
          seq: row.seq,
          id: row.id,
          type: row.type,
          problem: 'reordered',
          detail: `this event was recorded at seq ${origin} but now sits at seq ${row.seq}`,
        };
      }
      // Recorded earlier than where it sits: the rows in between were slipped in.
      const intruder = this.recent.find((r) => r.seq === origin);
      this.checked = origin - 1;
      return {
        seq: origin,
        id: intruder?.id ?? null,
        type: intruder?.type ?? null,
        problem: 'inserted',
        detail: `events ${range(origin, row.seq - 1)} were inserted: the event now at seq ${row.seq} (${row.id}) was recorded at seq ${origin}`,
      };
    }
    if (row.prevHash !== this.prevHash) {
      // The row is intact but points at a different predecessor: the previous
      // event was rewritten together with its own hash.
      const prev = this.recent.at(-1);
      return {
        seq: prev?.seq ?? row.seq,
        id: prev?.id ?? row.id,
        type: prev?.type ?? row.type,
        problem: 'edited',
        detail: prev
          ? `this event was rewritten with a fresh hash: the next event (seq ${row.seq}) still points at its original hash`
          : `the first event does not start from the genesis hash`,
      };
    }
    this.accept(row);
    return undefined;
  }

  // The next row decides: if it fits right after the last good row, the pending row was inserted.
  private judgePending(pending: ChainRow, next: ChainRow): ChainBreak {
    if (
      next.seq === pending.seq + 1 &&
      next.prevHash === this.prevHash &&
      hashMatches(next, pending.seq)
    ) {
      return {
        seq: pending.seq,
        id: pending.id,
        type: pending.type,
        problem: 'inserted',
        detail: `this event is not part of the chain: the next event was recorded at seq ${pending.seq} and follows seq ${pending.seq - 1}`,
      };
    }
    return edited(pending, 'its content no longer matches its hash');
  }

  private originalSeq(row: ChainRow): number | undefined {
    const limit = Math.max(this.maxSeq, row.seq);
    for (let s = 1; s <= limit; s++) {
      if (s !== row.seq && hashMatches(row, s)) return s;
    }
    return undefined;
  }

  private accept(row: ChainRow): void {
    this.checked += 1;
    this.expectedSeq = row.seq + 1;
    this.prevHash = row.hash;
    this.lastSeq = row.seq;
    this.recent.push({ seq: row.seq, id: row.id, type: row.type });
    // Trim in chunks: shifting one element per row would make the walk quadratic.
    if (this.recent.length > 2 * RECENT) this.recent.splice(0, RECENT);
  }
}

function hashMatches(row: ChainRow, seq: number): boolean {
  return hashEnvelope({ ...row, seq }, row.dataJson) === row.hash;
}

function edited(row: ChainRow, why: string): ChainBreak {
  return {
    seq: row.seq,
    id: row.id,
    type: row.type,
    problem: 'edited',
    detail: `this event was edited: ${why}`,
  };
}

function range(from: number, to: number): string {
  return from === to ? `seq ${from}` : `seq ${from}–${to}`;
}
