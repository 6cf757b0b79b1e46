/**
 * Turns a report into plain tables (title, headers, rows) that the terminal
 * renderer (`ctx.out.table`) and the Markdown renderer share.
 */
import { LANDED_DEFINITION } from './definitions.ts';
import type { Distribution, Ratio, ShareFigure } from './figures.ts';
import type { ReportDocument } from './report.ts';

export interface TextTable {
  title: string;
  headers: string[];
  rows: string[][];
  /** Definitions of the figures in the table, printed beneath it. */
  notes: string[];
}

/** A definition without the shared "what a change is" preamble, for outputs that print it once. */
export function withoutPreamble(definition: string): string {
  return definition.replace(`${LANDED_DEFINITION} `, '');
}

/** Formats a share as a percentage with one decimal, `—` when undefined. */
export function percent(r: Ratio): string {
  return r.value === null ? '—' : `${(r.value * 100).toFixed(1)}%`;
}

function fraction(r: Ratio): string {
  return `${r.numerator}/${r.denominator}`;
}

function num(value: number | null, digits = 1): string {
  return value === null ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

function dist(d: Distribution): string[] {
  return [String(d.count), num(d.median), num(d.mean), num(d.p90)];
}

/** The report as tables, in reading order. */
export function reportTables(report: ReportDocument): TextTable[] {
  const f = report.figures;
  const shares: ShareFigure[] = [f.survivalAtHead, f.churn72h, f.churn7d, f.changeFailure];
  if (f.survivalAtTag) shares.splice(1, 0, f.survivalAtTag);
  const tables: TextTable[] = [
    {
      title: 'AI share',
      headers: ['figure', 'value', 'of'],
      rows: [
        [
          f.aiShareOfChanges.title,
          percent(f.aiShareOfChanges.all),
          fraction(f.aiShareOfChanges.all),
        ],
        [f.aiShareOfLines.title, percent(f.aiShareOfLines.all), fraction(f.aiShareOfLines.all)],
      ],
      notes: [f.aiShareOfChanges.definition, f.aiShareOfLines.definition],
    },
    {
      title: 'AI vs other',
      headers: ['figure', 'AI', 'AI lines/changes', 'other', 'other lines/changes'],
      rows: shares.map((s) => [
        s === f.survivalAtTag ? `${s.title} (${f.survivalAtTag?.tag})` : s.title,
        percent(s.ai),
        fraction(s.ai),
        percent(s.other),
        fraction(s.other),
      ]),
      notes: shares.map((s) => `${s.title}: ${s.definition}`),
    },
    {
      title: 'Batch size and lead time',
      headers: ['figure', 'class', 'count', 'median', 'mean', 'p90'],
      rows: [
        [`${f.batchSize.title} (lines)`, 'AI', ...dist(f.batchSize.ai)],
        [`${f.batchSize.title} (lines)`, 'other', ...dist(f.batchSize.other)],
        [`${f.leadTime.title} (hours)`, 'AI', ...dist(f.leadTime.ai)],
        [`${f.leadTime.title} (hours)`, 'other', ...dist(f.leadTime.other)],
      ],
      notes: [f.batchSize.definition, f.leadTime.definition],
    },
    {
      title: 'Batch size per week',
      headers: ['week', 'AI changes', 'AI median lines', 'other changes', 'other median lines'],
      rows: f.batchSize.weeks.map((w) => [
        w.week,
        String(w.ai.count),
        num(w.ai.median),
        String(w.other.count),
        num(w.other.median),
      ]),
      notes: [],
    },
    {
      title: 'AI-assisted changes by tool',
      headers: ['tool', 'changes', 'AI lines'],
      rows: f.byTool.map((r) => [r.name, String(r.changes), String(r.lines)]),
      notes: [],
    },
    {
      title: 'AI-assisted changes by model',
      headers: ['model', 'changes', 'AI lines'],
      rows: f.byModel.map((r) => [r.name, String(r.changes), String(r.lines)]),
      notes: [],
    },
  ];
  return tables;
}
