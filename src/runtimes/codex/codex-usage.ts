/**
 * How Codex reports token usage, and how keel reads it.
 *
 * `turn.completed.usage` has `input_tokens` (cached tokens included, OpenAI
 * style), `cached_input_tokens`, `output_tokens` (reasoning included) and, on
 * newer versions, `cache_write_input_tokens` and `reasoning_output_tokens`.
 *
 * Whether the figures are the turn's own or the thread's running totals depends
 * on the version: recorded runs show 0.153.x reporting the turn, and 0.155.x
 * the whole thread (after `exec resume` its first `turn.completed` includes the
 * earlier runs). The rule keel applies (mode `auto`):
 *
 * - usage is cumulative when the CLI version is known to report totals
 *   (>= 0.155.0) **and** the reported figures never decrease from one turn to
 *   the next — a decrease proves they are per-turn whatever the version says;
 * - cumulative usage of a run is its last report minus the thread's totals
 *   before the run (the `baseline`, which a runtime keeps from the previous
 *   run's summary), so a resumed thread is never billed twice;
 * - otherwise every report is the turn's own and the run's usage is their sum.
 */
import type { TokenUsage } from '../../core/index.ts';
import type { CodexUsageCounts } from '../claude-code/index.ts';
import { count, isObject } from '../claude-code/index.ts';

export type CodexUsageReporting = 'auto' | 'per-turn' | 'cumulative';

/** The first Codex version known to report thread totals in `turn.completed`. */
export const CODEX_CUMULATIVE_SINCE = '0.155.0';

/** Zero counts. */
export function zeroCodexUsage(): CodexUsageCounts {
  return {
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    outputTokens: 0,
    reasoningOutputTokens: 0,
  };
}

/** Reads a `usage` object of a `turn.completed` event. */
export function readCodexUsage(raw: unknown): CodexUsageCounts {
  const u = isObject(raw) ? raw : {};
  return {
    inputTokens: count(u.input_tokens),
    cachedInputTokens: count(u.cached_input_tokens),
    cacheWriteInputTokens: count(u.cache_write_input_tokens),
    outputTokens: count(u.output_tokens),
    reasoningOutputTokens: count(u.reasoning_output_tokens),
  };
}

const FIELDS = [
  'inputTokens',
  'cachedInputTokens',
  'cacheWriteInputTokens',
  'outputTokens',
  'reasoningOutputTokens',
] as const;

/** Field-wise `a + b`. */
export function addCodexUsage(a: CodexUsageCounts, b: CodexUsageCounts): CodexUsageCounts {
  const out = zeroCodexUsage();
  for (const f of FIELDS) out[f] = a[f] + b[f];
  return out;
}

/** Field-wise `a - b`, never below zero. */
export function subtractCodexUsage(a: CodexUsageCounts, b: CodexUsageCounts): CodexUsageCounts {
  const out = zeroCodexUsage();
  for (const f of FIELDS) out[f] = Math.max(0, a[f] - b[f]);
  return out;
}

/** True when every field of `b` is at least that of `a`. */
export function dominates(b: CodexUsageCounts, a: CodexUsageCounts): boolean {
  return FIELDS.every((f) => b[f] >= a[f]);
}

/** True when no field ever decreases from one report to the next. */
export function neverDecreases(reports: readonly CodexUsageCounts[]): boolean {
  return reports.every((r, i) => i === 0 || dominates(r, reports[i - 1] as CodexUsageCounts));
}

/** Compares dotted versions numerically; `undefined` when either does not parse. */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (v: string): number[] | undefined => {
    const m = /(\d+)\.(\d+)\.(\d+)/.exec(v);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < 3; i += 1) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return 0;
}

/** Whether this Codex version reports thread totals (`codex --version` text or a bare version). */
export function versionReportsTotals(cliVersion: string | undefined): boolean {
  if (!cliVersion) return false;
  const c = compareVersions(cliVersion, CODEX_CUMULATIVE_SINCE);
  return c !== undefined && c >= 0;
}

/** Decides how to read a run's reports, following the rule in this file's header. */
export function decideReporting(
  reports: readonly CodexUsageCounts[],
  mode: CodexUsageReporting,
  cliVersion: string | undefined,
): 'per-turn' | 'cumulative' {
  if (mode !== 'auto') return mode;
  return versionReportsTotals(cliVersion) && neverDecreases(reports) ? 'cumulative' : 'per-turn';
}

/** The run's own usage, and the thread's totals after it. */
export function runCodexUsage(
  reports: readonly CodexUsageCounts[],
  reporting: 'per-turn' | 'cumulative',
  baseline: CodexUsageCounts = zeroCodexUsage(),
): { run: CodexUsageCounts; threadTotals: CodexUsageCounts } {
  if (reporting === 'per-turn') {
    const run = reports.reduce(addCodexUsage, zeroCodexUsage());
    return { run, threadTotals: addCodexUsage(baseline, run) };
  }
  const last = reports.at(-1);
  if (!last) return { run: zeroCodexUsage(), threadTotals: baseline };
  // A baseline above the totals belongs to another thread: count the totals whole.
  const run = dominates(last, baseline) ? subtractCodexUsage(last, baseline) : last;
  return { run, threadTotals: last };
}

/** Normalises Codex counts to keel's convention: cached and cache-write tokens out of input. */
export function normaliseCodexUsage(u: CodexUsageCounts): TokenUsage {
  return {
    inputTokens: Math.max(0, u.inputTokens - u.cachedInputTokens - u.cacheWriteInputTokens),
    outputTokens: u.outputTokens,
    cacheReadTokens: u.cachedInputTokens,
    cacheWriteTokens: u.cacheWriteInputTokens,
    reasoningTokens: u.reasoningOutputTokens,
  };
}
