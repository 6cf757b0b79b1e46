/**
 * The plain data an analysis of the main line produces and the cache keeps: one
 * record per landed change, the line tracker's arrays and counters, and the
 * survival snapshot at the latest tag. Figures are pure functions of this data.
 */
import { LineTracker } from './line-tracker.ts';

/** One landed change: a first-parent commit of the main line. */
export interface ChangeRecord {
  sha: string;
  /** Committer time of the first-parent commit, seconds since the epoch: when it landed. */
  landedAt: number;
  authorTime: number;
  merge: boolean;
  ai: boolean;
  tools: string[];
  models: string[];
  signals: string[];
  /** True when a git-ai note gave line-level attribution. */
  lineLevel: boolean;
  /** Lines added / deleted by the diff against the first parent, as git counts them. */
  diffAdded: number;
  diffDeleted: number;
  /** New lines that landed, by class (moved lines excluded). */
  landedAi: number;
  landedOther: number;
  moved: number;
  /** For a merge: earliest author time of the commits it brings in; else null. */
  branchStart: number | null;
  /** For a merge: how many commits it brings in. */
  broughtIn: number;
  /** Indexes of earlier landed changes this change reverts / says it fixes. */
  reverts: number[];
  fixes: number[];
  /** Work items named by `Keel-Work-Item:` trailers of the commit or the commits a merge brings in. */
  workItems: string[];
}

/** Survival counts frozen when the pass reached the latest tag. */
export interface TagSnapshot {
  name: string;
  sha: string;
  /** Index of the change the tag points at. */
  change: number;
  /** Alive lines per origin at that commit (origin = change × 2 + ai). */
  alive: number[];
}

/** Everything the pass built, up to `tip`. */
export interface HistoryState {
  tip: { sha: string; time: number } | null;
  changes: ChangeRecord[];
  tracker: LineTracker;
  /** Every landed commit (first-parent or brought in by a merge) → index of the change that landed it. */
  landedBy: Map<string, number>;
  tag: TagSnapshot | null;
  /** git-ai notes the pass used: landed commit → note blob id (a changed note invalidates the cache). */
  notes: Map<string, string>;
}

/** An empty history, for a first run. */
export function emptyHistory(): HistoryState {
  return {
    tip: null,
    changes: [],
    tracker: new LineTracker(),
    landedBy: new Map(),
    tag: null,
    notes: new Map(),
  };
}

/** The JSON form of a history, as the cache stores it. */
export interface SerializedHistory {
  tip: { sha: string; time: number } | null;
  changes: ChangeRecord[];
  counters: { added: number[]; alive: number[]; churn72h: number[]; churn7d: number[] };
  /** Path → run-length encoded origins: [origin, count, origin, count, …]. */
  files: Record<string, number[]>;
  landedBy: Record<string, number>;
  tag: TagSnapshot | null;
  notes: Record<string, string>;
}

/** Turns a history into JSON-ready data (line arrays run-length encoded). */
export function serializeHistory(state: HistoryState): SerializedHistory {
  const files: Record<string, number[]> = {};
  for (const [path, lines] of state.tracker.files) files[path] = encodeRuns(lines);
  return {
    tip: state.tip,
    changes: state.changes,
    counters: state.tracker.counters,
    files,
    landedBy: Object.fromEntries(state.landedBy),
    tag: state.tag,
    notes: Object.fromEntries(state.notes),
  };
}

/** Rebuilds a history from its JSON form. */
export function deserializeHistory(data: SerializedHistory): HistoryState {
  const files = new Map<string, number[]>();
  for (const [path, runs] of Object.entries(data.files)) files.set(path, decodeRuns(runs));
  const landedAt = data.changes.map((c) => c.landedAt);
  return {
    tip: data.tip,
    changes: data.changes,
    tracker: new LineTracker(files, data.counters, landedAt),
    landedBy: new Map(Object.entries(data.landedBy)),
    tag: data.tag,
    notes: new Map(Object.entries(data.notes)),
  };
}

/** Run-length encodes a line array: consecutive lines usually share an origin. */
export function encodeRuns(lines: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < lines.length) {
    const origin = lines[i] as number;
    let j = i + 1;
    while (j < lines.length && lines[j] === origin) j++;
    out.push(origin, j - i);
    i = j;
  }
  return out;
}

/** Inverse of `encodeRuns`. */
export function decodeRuns(runs: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const origin = runs[i] as number;
    const count = runs[i + 1] as number;
    for (let k = 0; k < count; k++) out.push(origin);
  }
  return out;
}
