/**
 * Line identity through the main line's history. Every tracked file is an array
 * holding, for each of its current lines, the origin that added it (origin =
 * change index × 2 + 1 when the line is AI-written, + 0 otherwise). Applying a
 * change's hunks updates the arrays and the per-origin counters — lines added,
 * still alive, and removed within 72 hours / 7 days of landing — so survival and
 * churn fall out of one pass with no blame.
 *
 * Moved code: an added line whose content (ignoring surrounding whitespace, and
 * containing a letter or digit) was removed elsewhere in the same change keeps
 * the origin of the removed line — it was moved, not written or rewritten.
 * Renamed files keep their arrays. Binary files and submodules have no lines.
 */
import type { FileDiff, PatchCommit } from './patch-parser.ts';

export const HOURS_72 = 72 * 3600;
export const DAYS_7 = 7 * 24 * 3600;

/** A line whose origin is unknown (e.g. a binary file that became text); never counted. */
export const UNKNOWN_ORIGIN = -1;

/** Per-origin counters; index = origin. */
export interface OriginCounters {
  added: number[];
  alive: number[];
  churn72h: number[];
  churn7d: number[];
}

/** What applying one change did, for the change's own record. */
export interface ApplyResult {
  /** Lines the diff adds / deletes as git counts them (moved lines included). */
  diffAdded: number;
  diffDeleted: number;
  /** New lines that landed with this change, by class. */
  landedAi: number;
  landedOther: number;
  /** Added lines recognised as moved from elsewhere in the same change. */
  moved: number;
}

/** Decides whether line `line` (1-based, new version) of `path` added by the current change is AI-written. */
export type LineClassifier = (path: string, line: number) => boolean;

/** The mutable state of the pass: file line arrays, counters, landing times. */
export class LineTracker {
  readonly files: Map<string, number[]>;
  readonly counters: OriginCounters;
  /** Landing time (seconds) of each change, by change index. */
  readonly landedAt: number[];

  constructor(
    files = new Map<string, number[]>(),
    counters: OriginCounters = { added: [], alive: [], churn72h: [], churn7d: [] },
    landedAt: number[] = [],
  ) {
    this.files = files;
    this.counters = counters;
    this.landedAt = landedAt;
  }

  /** Applies one first-parent commit as change `change`, landing at `commit.commitTime`. */
  apply(commit: PatchCommit, change: number, isAi: LineClassifier): ApplyResult {
    this.landedAt[change] = commit.commitTime;
    for (const o of [change * 2, change * 2 + 1]) {
      this.counters.added[o] = 0;
      this.counters.alive[o] = 0;
      this.counters.churn72h[o] = 0;
      this.counters.churn7d[o] = 0;
    }
    const result: ApplyResult = {
      diffAdded: 0,
      diffDeleted: 0,
      landedAi: 0,
      landedOther: 0,
      moved: 0,
    };
    const files = commit.files.filter((f) => !f.submodule);
    // Pass 1: every removed line's origin, by content, so that pass 2 can recognise moves.
    const removed = new Map<string, number[]>();
    const removedOrigins: number[] = [];
    for (const file of files) {
      const old = file.oldPath === null ? [] : (this.files.get(file.oldPath) ?? []);
      if (file.binary) {
        // A text file that became binary loses its lines.
        if (file.oldPath !== null) for (const o of old) removedOrigins.push(o);
        continue;
      }
      for (const hunk of file.hunks) {
        let pos = hunk.oldCount === 0 ? hunk.oldStart : hunk.oldStart - 1;
        for (const line of hunk.lines) {
          const c = line.charCodeAt(0);
          if (c === 43) continue;
          if (c === 45) {
            result.diffDeleted++;
            const origin = old[pos] ?? UNKNOWN_ORIGIN;
            const key = moveKey(line);
            if (key !== undefined && origin !== UNKNOWN_ORIGIN) {
              const queue = removed.get(key);
              if (queue) queue.push(origin);
              else removed.set(key, [origin]);
            } else removedOrigins.push(origin);
          }
          pos++;
        }
      }
    }
    // Pass 2: new arrays; added lines take a moved origin or the change's own.
    const next = new Map<string, number[]>();
    for (const file of files) {
      if (file.binary || file.newPath === null) continue;
      next.set(file.newPath, this.rebuild(file, change, isAi, removed, result));
    }
    for (const queue of removed.values()) for (const o of queue) removedOrigins.push(o);
    for (const origin of removedOrigins) this.remove(origin, commit.commitTime);
    for (const file of files) if (file.oldPath !== null) this.files.delete(file.oldPath);
    for (const [path, lines] of next) this.files.set(path, lines);
    return result;
  }

  /** Copies alive counts of every origin so far (for the survival-at-tag snapshot). */
  snapshotAlive(): number[] {
    return [...this.counters.alive];
  }

  private rebuild(
    file: FileDiff,
    change: number,
    isAi: LineClassifier,
    removed: Map<string, number[]>,
    result: ApplyResult,
  ): number[] {
    const old = file.oldPath === null ? [] : (this.files.get(file.oldPath) ?? []);
    if (file.hunks.length === 0) return old;
    const path = file.newPath as string;
    const out: number[] = [];
    let pos = 0;
    for (const hunk of file.hunks) {
      const start = hunk.oldCount === 0 ? hunk.oldStart : hunk.oldStart - 1;
      while (pos < start) out.push(old[pos++] ?? UNKNOWN_ORIGIN);
      for (const line of hunk.lines) {
        const c = line.charCodeAt(0);
        if (c === 45) {
          pos++;
          continue;
        }
        if (c !== 43) {
          out.push(old[pos++] ?? UNKNOWN_ORIGIN);
          continue;
        }
        result.diffAdded++;
        const key = moveKey(line);
        const moved = key === undefined ? undefined : removed.get(key)?.shift();
        if (moved !== undefined) {
          result.moved++;
          out.push(moved);
          continue;
        }
        const ai = isAi(path, out.length + 1);
        const origin = change * 2 + (ai ? 1 : 0);
        this.counters.added[origin] = (this.counters.added[origin] ?? 0) + 1;
        this.counters.alive[origin] = (this.counters.alive[origin] ?? 0) + 1;
        if (ai) result.landedAi++;
        else result.landedOther++;
        out.push(origin);
      }
    }
    while (pos < old.length) out.push(old[pos++] as number);
    return out;
  }

  private remove(origin: number, at: number): void {
    if (origin < 0) return;
    const c = this.counters;
    c.alive[origin] = (c.alive[origin] ?? 0) - 1;
    const landed = this.landedAt[origin >> 1] ?? at;
    // Clock skew can put the removal before the landing; that is still "within".
    const age = Math.max(0, at - landed);
    if (age <= HOURS_72) c.churn72h[origin] = (c.churn72h[origin] ?? 0) + 1;
    if (age <= DAYS_7) c.churn7d[origin] = (c.churn7d[origin] ?? 0) + 1;
  }
}

// Lines without a letter or digit (braces, blank lines) are too common to prove a move.
function moveKey(line: string): string | undefined {
  const content = line.slice(1).trim();
  return /[\p{L}\p{N}]/u.test(content) ? content : undefined;
}
