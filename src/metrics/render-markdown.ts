/** Renders a report as Markdown (`keel report --md`), each table followed by its definitions. */

import { LANDED_DEFINITION } from './definitions.ts';
import { ledgerTables } from './render-ledger.ts';
import { reportTables, type TextTable, withoutPreamble } from './render-text.ts';
import type { ReportDocument } from './report.ts';

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function pushTable(out: string[], table: TextTable, level: string): void {
  out.push(`${level} ${table.title}`, '');
  if (table.rows.length === 0) out.push('_none in this period_', '');
  else {
    out.push(`| ${table.headers.map(escapeCell).join(' | ')} |`);
    out.push(`|${table.headers.map(() => ' --- ').join('|')}|`);
    for (const row of table.rows) out.push(`| ${row.map(escapeCell).join(' | ')} |`);
    out.push('');
  }
  for (const note of table.notes) out.push(`- ${withoutPreamble(note)}`);
  if (table.notes.length > 0) out.push('');
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
  for (const table of reportTables(report)) pushTable(out, table, '##');
  out.push('## From the ledger', '');
  if (!report.ledger) {
    out.push('_no ledger data_', '');
    return `${out.join('\n').trimEnd()}\n`;
  }
  const src = report.ledger.source;
  out.push(
    `Ledger \`${src.ledger}\`: ${src.events} events, ${src.items} work items, now ${src.now}.`,
    '',
  );
  for (const table of ledgerTables(report.ledger)) pushTable(out, table, '###');
  return `${out.join('\n').trimEnd()}\n`;
}
