/**
 * When a runtime reports its own cost (Claude Code's `total_cost_usd`, Codex's
 * usage totals), keel keeps both figures and flags a disagreement. Tolerance:
 * our rounding (at most 3 µ$ per priced call, see price-call.ts) plus 1 µ$ for
 * the reported figure's own rounding, or 0.1% of the reported figure for float
 * noise in long sessions, whichever is larger. Beyond it, one of the two price
 * tables is wrong (or a call went unrecorded) and someone should look.
 */
import { type MicroUsd, microsToUsd, usdToMicros } from './money.ts';

export interface CostComparison {
  oursMicros: MicroUsd;
  reportedMicros: MicroUsd;
  /** ours − reported. */
  differenceMicros: MicroUsd;
  toleranceMicros: MicroUsd;
  agrees: boolean;
  /** Present when they disagree: which side is higher, in words for the ledger and the CLI. */
  flag?: string;
}

/** Compares keel's cost with a tool's own; `calls` is how many priced calls make up `ours`. */
export function compareReportedCost(
  oursMicros: MicroUsd,
  reportedUsd: number,
  calls = 1,
): CostComparison {
  const reportedMicros = usdToMicros(reportedUsd);
  const differenceMicros = oursMicros - reportedMicros;
  const toleranceMicros = Math.max(3 * Math.max(1, calls) + 1, Math.round(reportedMicros * 0.001));
  const agrees = Math.abs(differenceMicros) <= toleranceMicros;
  if (agrees) return { oursMicros, reportedMicros, differenceMicros, toleranceMicros, agrees };
  const side = differenceMicros > 0 ? 'keel computes more' : 'the tool reports more';
  return {
    oursMicros,
    reportedMicros,
    differenceMicros,
    toleranceMicros,
    agrees,
    flag: `reported cost disagrees: ${side} by $${microsToUsd(Math.abs(differenceMicros)).toFixed(6)} (tolerance $${microsToUsd(toleranceMicros).toFixed(6)})`,
  };
}
