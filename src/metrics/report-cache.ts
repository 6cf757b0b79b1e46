/**
 * The report cache: the history state at the last analysed commit, so the next
 * run reads only newer commits. It lives under `.keel/state/report-cache/` when
 * the repository has keel set up, else under `$XDG_CACHE_HOME/keel/` (or
 * `~/.cache/keel/`), one file per repository and branch. A cache is only ever an
 * optimisation: anything unreadable or made with other settings is ignored.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AttributionPatterns } from './attribution-patterns.ts';
import {
  deserializeHistory,
  type HistoryState,
  type SerializedHistory,
  serializeHistory,
} from './history-state.ts';

/** Bumped whenever the cached data's meaning changes. */
export const CACHE_VERSION = 3;

/** What must match for a cached state to be reused. */
export interface CacheKey {
  repoRoot: string;
  branch: string;
  patternsHash: string;
}

interface CacheFile {
  version: number;
  key: CacheKey;
  history: SerializedHistory;
}

/** Directory for the cache of the repository at `repoRoot`. */
export function cacheDirectory(repoRoot: string, env: NodeJS.ProcessEnv): string {
  if (existsSync(join(repoRoot, '.keel'))) return join(repoRoot, '.keel', 'state', 'report-cache');
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'keel');
}

/** The cache file for one repository and branch. */
export function cacheFile(dir: string, repoRoot: string, branch: string): string {
  const id = createHash('sha256').update(`${repoRoot}\0${branch}`).digest('hex').slice(0, 24);
  return join(dir, `report-${id}.json`);
}

/** A stable hash of the attribution patterns (a change of patterns invalidates the cache). */
export function hashPatterns(patterns: AttributionPatterns): string {
  return createHash('sha256').update(JSON.stringify(patterns)).digest('hex').slice(0, 16);
}

/** Loads a cached history made with the same key, or undefined. */
export function loadCache(file: string, key: CacheKey): HistoryState | undefined {
  let data: CacheFile;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (data.version !== CACHE_VERSION || JSON.stringify(data.key) !== JSON.stringify(key))
    return undefined;
  try {
    return deserializeHistory(data.history);
  } catch {
    return undefined;
  }
}

/** Writes the cache atomically (a temporary file renamed into place). */
export function saveCache(file: string, key: CacheKey, state: HistoryState): void {
  const dir = join(file, '..');
  mkdirSync(dir, { recursive: true });
  const data: CacheFile = { version: CACHE_VERSION, key, history: serializeHistory(state) };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, file);
}
