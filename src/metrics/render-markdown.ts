/** Renders a report as Markdown (`keel report --md`), each table followed by its definitions. */

import { LANDED_DEFINITION } from './definitions.ts';
import { reportTables, withoutPreamble } from './render-text.ts';
import type { ReportDocument } from './report.ts';

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The whole report as one Markdown document. */
export function renderMarkdown(report: ReportDocument): string {
  const out: string[] = [
    `# keel report — ${report.branch}`,
    '',
    `Repository \`${report.repository}\`, head \`${report.head.sha.slice(0, 12)}\` (${report.head.landedAt}).`,
    `Period: ${report.period.since ?? 'first commit'} → ${report.period.until ?? 'head'}; ${report.figures.changes.total} changes (${report.figures.changes.ai} AI-assisted).`,
    '',
    `> ${LANDED_DEFINITION}`,
    '',
  ];
  for (const table of reportTables(report)) {
    out.push(`## ${table.title}`, '');
    if (table.rows.length === 0) {
      out.push('_none in this period_', '');
      continue;
    }
    out.push(`| ${table.headers.map(escapeCell).join(' | ')} |`);
    out.push(`|${table.headers.map(() => ' --- ').join('|')}|`);
    for (const row of table.rows) out.push(`| ${row.map(escapeCell).join(' | ')} |`);
    out.push('');
    for (const note of table.notes) out.push(`- ${withoutPreamble(note)}`);
    if (table.notes.length > 0) out.push('');
  }
  out.push('## The five weekly numbers over time', '');
  const weekly = report.ledger?.weekly ?? [];
  if (weekly.length === 0) out.push('_no ledger data_', '');
  else {
    out.push(
      '| week | cycle time (h) | rework rate | wait-state ratio | cost per shipped feature (USD) | AI acceptance rate |',
    );
    out.push('| --- | --- | --- | --- | --- | --- |');
    for (const w of weekly)
      out.push(
        `| ${w.week} | ${w.cycleTimeHours ?? '—'} | ${w.reworkRate ?? '—'} | ${w.waitStateRatio ?? '—'} | ${w.costPerShippedFeatureUsd ?? '—'} | ${w.aiAcceptanceRate ?? '—'} |`,
      );
    out.push('');
  }
  out.push('## Cost by role and model', '');
  const costs = report.ledger?.costByRoleModel ?? [];
  if (costs.length === 0) out.push('_no ledger data_', '');
  else {
    out.push('| role | model | cost (USD) |', '| --- | --- | --- |');
    for (const c of costs)
      out.push(`| ${escapeCell(c.role)} | ${escapeCell(c.model)} | ${c.costUsd.toFixed(2)} |`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
