/**
 * What the engine's actions share while a run lasts: the project, its ledger
 * (every write goes through `append`, which reports each event for progress),
 * the price catalog and the environment.
 */
import type { PriceCatalog } from '../cost/index.ts';
import type { Definitions } from '../definitions/index.ts';
import type { LedgerEvent, LedgerStore, NewEvent } from '../ledger/index.ts';
import type { RetryPolicy, RuntimeProgress } from '../runtimes/index.ts';

export interface EngineContext {
  root: string;
  definitions: Definitions;
  ledger: LedgerStore;
  catalog: PriceCatalog;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** keel-side retries of each model call (the default policy when absent). */
  retry?: Partial<RetryPolicy> | undefined;
  /** Called with each event the engine appended (not with replays of idempotent appends). */
  onEvent: (event: LedgerEvent) => void;
  /** Regenerate every output instead of reusing an identical earlier one (`keel run --no-cache`). */
  noCache?: boolean | undefined;
  /** Live steps of coding-agent runtimes (turns, tool uses, file edits); never recorded. */
  onProgress?: ((itemId: string, pass: string, progress: RuntimeProgress) => void) | undefined;
  /** Checked before an attempt commits: why its reservations no longer allow it (fencing), or null. */
  beforeCommit?:
    | ((itemId: string, pass: string, attempt: number) => Promise<string | null>)
    | undefined;
}

/** The actor the engine's own events carry. */
export const ENGINE_ACTOR = 'keel';

/** Appends events (with idempotency keys) and reports the ones that are new. */
export async function appendEvents(ctx: EngineContext, events: NewEvent[]): Promise<LedgerEvent[]> {
  if (events.length === 0) return [];
  const before = (await ctx.ledger.head()).seq;
  const stored = await ctx.ledger.append(events);
  for (const e of stored) if (e.seq > before) ctx.onEvent(e);
  return stored;
}
