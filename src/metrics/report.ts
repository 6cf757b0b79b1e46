/**
 * The report document: the figures of one analysis over one period, with what
 * produced them, in the stable shape `keel report --json` prints (schema
 * `keel.report/1`, documented in docs/cli/report.md). Ledger figures are an
 * optional input (computed by ./ledger/) so the git half never needs a ledger.
 */
import type { Analysis, AnalysisStats } from './analyze.ts';
import { computeFigures, type Figures } from './figures.ts';
import type { GitJoinInput, LedgerFigures } from './ledger/index.ts';

export const REPORT_SCHEMA = 'keel.report/1';

export interface ReportDocument {
  schema: typeof REPORT_SCHEMA;
  repository: string;
  branch: string;
  head: { sha: string; landedAt: string };
  period: { since: string | null; until: string | null };
  figures: Figures;
  ledger: LedgerFigures | null;
  analysis: AnalysisStats;
}

export interface ReportPeriod {
  /** Seconds since the epoch, inclusive; null = from the first commit. */
  since: number | null;
  /** Seconds since the epoch, inclusive; null = up to the head. */
  until: number | null;
}

/** Builds the report document of an analysis over a period. */
export function buildReport(
  analysis: Analysis,
  period: ReportPeriod,
  ledger: LedgerFigures | null = null,
): ReportDocument {
  const { state } = analysis;
  return {
    schema: REPORT_SCHEMA,
    repository: analysis.repoRoot,
    branch: analysis.branch,
    head: { sha: analysis.head.sha, landedAt: iso(analysis.head.time) },
    period: {
      since: period.since === null ? null : iso(period.since),
      until: period.until === null ? null : iso(period.until),
    },
    figures: computeFigures({
      changes: state.changes,
      counters: state.tracker.counters,
      tag: state.tag,
      headTime: analysis.head.time,
      since: period.since,
      until: period.until,
    }),
    ledger,
    analysis: analysis.stats,
  };
}

/** The part of an analysis the ledger figures join with (rework of an item's landed lines). */
export function gitJoinInput(analysis: Analysis): GitJoinInput {
  return {
    changes: analysis.state.changes,
    counters: analysis.state.tracker.counters,
    landedBy: analysis.state.landedBy,
    headTime: analysis.head.time,
  };
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
