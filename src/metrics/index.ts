/**
 * Metrics from git: attribution of landed changes to AI assistants, line
 * survival, rework (churn), change failure, batch size and lead time, computed
 * in one streamed pass over the main line; flow and economics from keel's
 * ledger (./ledger/), joined with git by work-item trailers; the renderers.
 */
export {
  type Analysis,
  type AnalysisStats,
  type AnalyzeOptions,
  analyzeRepository,
} from './analyze.ts';
export {
  type Attribution,
  attributeCommit,
  type CommitIdentity,
  compilePatterns,
} from './attribution.ts';
export {
  type AttributionPatterns,
  type AttributionRule,
  DEFAULT_PATTERNS,
  loadPatternsFile,
  parsePatterns,
} from './attribution-patterns.ts';
export { findChangeRefs } from './change-refs.ts';
export { DEFINITIONS, FIGURE_IDS, type FigureId, LANDED_DEFINITION } from './definitions.ts';
export { computeFigures, type FigureInput, type Figures, isoWeek } from './figures.ts';
export { type AuthorshipNote, parseAuthorshipNote } from './git-ai-note.ts';
export { GitError } from './git-process.ts';
export type { ChangeRecord, HistoryState } from './history-state.ts';
export * from './ledger/index.ts';
export { parseTimeBound } from './period.ts';
export { renderHtml } from './render-html.ts';
export { costText, fiveValue, ledgerTables, metText, trendText, usd } from './render-ledger.ts';
export { renderMarkdown } from './render-markdown.ts';
export { percent, reportTables, type TextTable, withoutPreamble } from './render-text.ts';
export {
  buildReport,
  gitJoinInput,
  REPORT_SCHEMA,
  type ReportDocument,
  type ReportPeriod,
} from './report.ts';
