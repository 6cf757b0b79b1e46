/**
 * Renders a report as one self-contained HTML page (`keel report --html FILE`):
 * inline CSS and SVG charts, no scripts or external assets. Every chart element
 * carries `data-series`, `data-value` (and `data-figure` / `data-week`) so tests
 * and tools can read back exactly what was drawn.
 */

import { LANDED_DEFINITION } from './definitions.ts';
import type { ShareFigure } from './figures.ts';
import type { CostRow, FiveNumber } from './ledger/index.ts';
import { costText, fiveValue, ledgerTables, metText, trendText } from './render-ledger.ts';
import { percent, reportTables, type TextTable, withoutPreamble } from './render-text.ts';
import type { ReportDocument } from './report.ts';

const COLORS = { ai: '#7c3aed', other: '#0d9488' } as const;

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

interface Bar {
  group: string;
  series: 'ai' | 'other';
  value: number | null;
  label: string;
  attrs: Record<string, string>;
}

/** A grouped vertical bar chart; `max` is the value at the top of the axis. */
function barChart(id: string, title: string, bars: Bar[], max: number, unit: string): string {
  const groups = [...new Set(bars.map((b) => b.group))];
  const groupWidth = 130;
  const width = Math.max(320, groups.length * groupWidth + 60);
  const height = 240;
  const plot = 170;
  const parts: string[] = [
    `<svg id="${id}" class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<line x1="40" y1="${plot + 10}" x2="${width - 10}" y2="${plot + 10}" stroke="#999"/>`,
    `<text x="4" y="18" class="axis">${escapeHtml(formatAxis(max, unit))}</text>`,
  ];
  groups.forEach((group, g) => {
    const x0 = 50 + g * groupWidth;
    for (const bar of bars.filter((b) => b.group === group)) {
      const offset = bar.series === 'ai' ? 0 : 42;
      const v = bar.value ?? 0;
      const h = max > 0 ? Math.round((Math.min(v, max) / max) * plot) : 0;
      const attrs = Object.entries(bar.attrs)
        .map(([k, val]) => ` data-${k}="${escapeHtml(val)}"`)
        .join('');
      parts.push(
        `<rect class="bar" x="${x0 + offset}" y="${plot + 10 - h}" width="38" height="${h}" fill="${COLORS[bar.series]}" data-series="${bar.series}" data-value="${bar.value === null ? '' : String(bar.value)}"${attrs}><title>${escapeHtml(`${group} — ${bar.series}: ${bar.label}`)}</title></rect>`,
        `<text x="${x0 + offset + 19}" y="${plot + 4 - h}" text-anchor="middle" class="value">${escapeHtml(bar.label)}</text>`,
      );
    }
    parts.push(
      `<text x="${x0 + 40}" y="${plot + 28}" text-anchor="middle" class="label">${escapeHtml(group)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function formatAxis(max: number, unit: string): string {
  return unit === '%' ? `${Math.round(max * 100)}%` : `${Math.round(max)} ${unit}`;
}

const SHORT_LABELS: Partial<Record<string, string>> = {
  'survival-head': 'survival at head',
  'survival-tag': 'survival at tag',
  'churn-72h': 'rework ≤ 72h',
  'churn-7d': 'rework ≤ 7d',
  'change-failure': 'change failure',
};

function shareBars(figures: ShareFigure[]): Bar[] {
  return figures.flatMap((f) =>
    (['ai', 'other'] as const).map((series) => ({
      group: SHORT_LABELS[f.id] ?? f.title,
      series,
      value: f[series].value,
      label: percent(f[series]),
      attrs: { figure: f.id },
    })),
  );
}

function legend(): string {
  return `<p class="legend"><span style="background:${COLORS.ai}"></span>AI-assisted <span style="background:${COLORS.other}"></span>other</p>`;
}

const EMPTY = '<p class="empty" data-empty="true">no ledger data</p>';

/** One line chart of a weekly number, with its target as a dashed line. */
function weeklyChart(n: FiveNumber): string {
  const width = Math.max(260, n.weeks.length * 60 + 60);
  const max = Math.max(0, n.target ?? 0, ...n.weeks.map((w) => w.value ?? 0));
  const y = (v: number) => (110 - (max > 0 ? (v / max) * 90 : 0)).toFixed(1);
  const x = (i: number) => 40 + i * 60;
  const known = n.weeks.flatMap((w, i) => (w.value === null ? [] : [`${x(i)},${y(w.value)}`]));
  const parts = [
    `<svg id="chart-weekly-${n.id}" class="chart" role="img" aria-label="${escapeHtml(n.title)} per week" viewBox="0 0 ${width} 150" width="${width}" height="150">`,
    `<line x1="30" y1="120" x2="${width - 10}" y2="120" stroke="#999"/>`,
    `<text x="2" y="18" class="axis">${escapeHtml(fiveValue(n, max))}</text>`,
  ];
  if (n.target !== null)
    parts.push(
      `<line class="target" x1="30" x2="${width - 10}" y1="${y(n.target)}" y2="${y(n.target)}" stroke="#dc2626" stroke-dasharray="4 3" data-series="target" data-figure="${n.id}" data-value="${n.target}"><title>${escapeHtml(`target ${fiveValue(n, n.target)}`)}</title></line>`,
    );
  if (known.length > 1)
    parts.push(
      `<polyline points="${known.join(' ')}" fill="none" stroke="${COLORS.ai}" stroke-width="2"/>`,
    );
  n.weeks.forEach((w, i) => {
    parts.push(
      `<text x="${x(i)}" y="140" text-anchor="middle" class="label">${escapeHtml(w.week.slice(5))}</text>`,
    );
    if (w.value === null) return;
    parts.push(
      `<circle cx="${x(i)}" cy="${y(w.value)}" r="4" fill="${COLORS.ai}" data-series="${n.key}" data-figure="${n.id}" data-week="${escapeHtml(w.week)}" data-value="${w.value}"><title>${escapeHtml(`${w.week}: ${fiveValue(n, w.value)}`)}</title></circle>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

function fiveCard(n: FiveNumber): string {
  const met = n.met === null ? '' : ` data-met="${n.met}"`;
  const cls = n.met === null ? 'card' : n.met ? 'card met' : 'card missed';
  return `<div class="${cls}" data-figure="${n.id}" data-value="${n.value ?? ''}" data-target="${n.target ?? ''}"${met} data-trend="${n.trend ?? ''}"><div class="card-title">${escapeHtml(n.title)}</div><div class="card-value">${escapeHtml(fiveValue(n, n.value))}</div><div class="card-meta">target ${escapeHtml(n.target === null ? '—' : `${n.direction === 'lower' ? '≤' : '≥'} ${fiveValue(n, n.target)}`)} · ${escapeHtml(metText(n))} · trend ${escapeHtml(trendText(n))}</div></div>`;
}

interface HBar {
  label: string;
  value: number;
  attrs: Record<string, string>;
  text: string;
}

/** A horizontal bar chart (one bar per row). */
function hbarChart(id: string, title: string, series: string, bars: HBar[]): string {
  const max = Math.max(0, ...bars.map((b) => b.value));
  const height = bars.length * 26 + 8;
  const rows = bars.map((b, i) => {
    const w = max > 0 ? Math.round((b.value / max) * 300) : 0;
    const attrs = Object.entries(b.attrs)
      .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
      .join('');
    return `<text x="0" y="${i * 26 + 16}" class="label">${escapeHtml(b.label)}</text><rect class="bar" x="220" y="${i * 26 + 4}" width="${w}" height="16" fill="${COLORS.ai}" data-series="${series}"${attrs} data-value="${b.value}"><title>${escapeHtml(`${b.label}: ${b.text}`)}</title></rect><text x="${226 + w}" y="${i * 26 + 16}" class="value">${escapeHtml(b.text)}</text>`;
  });
  return `<svg id="${id}" class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 640 ${height}" width="640" height="${height}">${rows.join('')}</svg>`;
}

function costBars(rows: readonly CostRow[], attr: 'role' | 'model'): HBar[] {
  return rows.map((r) => ({
    label: r.name,
    value: r.costUsd,
    attrs: { [attr]: r.name, unpriced: String(r.unpricedCalls), calls: String(r.calls) },
    text: costText(r.costUsd, r.unpricedCalls, r.calls - r.unpricedCalls),
  }));
}

function ledgerSections(report: ReportDocument): string {
  const ledger = report.ledger;
  const out: string[] = ['<section id="weekly-numbers"><h2>The five weekly numbers</h2>'];
  if (!ledger) out.push(EMPTY);
  else {
    const src = ledger.source;
    out.push(
      `<p>Ledger <code>${escapeHtml(src.ledger)}</code>: ${src.events} events, ${src.items} work items, now ${escapeHtml(src.now)}. Values over the period; trend of the latest week against the one before.</p>`,
      `<div class="cards">${ledger.fiveNumbers.map(fiveCard).join('')}</div>`,
    );
    for (const n of ledger.fiveNumbers)
      out.push(
        `<h3>${escapeHtml(n.title)} per week</h3>`,
        n.weeks.length ? weeklyChart(n) : '<p class="empty">no ended items in this period</p>',
      );
    out.push(
      `<ul class="definitions">${ledger.fiveNumbers.map((n) => `<li><strong>${escapeHtml(n.title)}</strong>: ${escapeHtml(n.definition)}</li>`).join('')}</ul>`,
    );
  }
  out.push('</section>', '<section id="cost-by-role-model"><h2>Cost by role and by model</h2>');
  if (!ledger) out.push(EMPTY);
  else {
    const d = ledger.definitions;
    out.push(
      '<h3>By role</h3>',
      ledger.costByRole.length
        ? hbarChart(
            'chart-cost-by-role',
            'Cost by role',
            'cost-by-role',
            costBars(ledger.costByRole, 'role'),
          )
        : '<p class="empty">no model calls in this period</p>',
      '<h3>By model</h3>',
      ledger.costByModel.length
        ? hbarChart(
            'chart-cost-by-model',
            'Cost by model',
            'cost-by-model',
            costBars(ledger.costByModel, 'model'),
          )
        : '<p class="empty">no model calls in this period</p>',
      '<h3>By role and model</h3>',
      ledger.costByRoleModel.length
        ? hbarChart(
            'chart-cost-by-role-model',
            'Cost by role and model',
            'cost',
            ledger.costByRoleModel.map((r) => ({
              label: `${r.role} · ${r.model}`,
              value: r.costUsd,
              attrs: { role: r.role, model: r.model, unpriced: String(r.unpricedCalls) },
              text: costText(r.costUsd, r.unpricedCalls, r.calls - r.unpricedCalls),
            })),
          )
        : '<p class="empty">no model calls in this period</p>',
      `<ul class="definitions"><li>${escapeHtml(d['cost-by-role'].definition)}</li><li>${escapeHtml(d['cost-by-model'].definition)}</li></ul>`,
    );
  }
  out.push('</section>');
  return out.join('\n');
}

function htmlTable(t: TextTable, level: 'h3' | 'h4' = 'h3'): string {
  const head = `<tr>${t.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = t.rows.length
    ? t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')
    : `<tr><td colspan="${t.headers.length}">none in this period</td></tr>`;
  const notes = t.notes.map((n) => `<li>${escapeHtml(withoutPreamble(n))}</li>`).join('');
  return `<${level}>${escapeHtml(t.title)}</${level}><table>${head}\n${body}</table>${notes ? `<ul class="definitions">${notes}</ul>` : ''}`;
}

/** The whole report as a standalone HTML page. */
export function renderHtml(report: ReportDocument): string {
  const f = report.figures;
  const shares = [
    f.survivalAtHead,
    ...(f.survivalAtTag ? [f.survivalAtTag] : []),
    f.churn72h,
    f.churn7d,
    f.changeFailure,
  ];
  const weekBars: Bar[] = f.batchSize.weeks.flatMap((w) =>
    (['ai', 'other'] as const).map((series) => ({
      group: w.week,
      series,
      value: w[series].median,
      label: w[series].median === null ? '—' : String(w[series].median),
      attrs: { week: w.week, count: String(w[series].count) },
    })),
  );
  const maxBatch = Math.max(1, ...weekBars.map((b) => b.value ?? 0));
  const tables = [...reportTables(report), ...(report.ledger ? ledgerTables(report.ledger) : [])]
    .map((t) => htmlTable(t))
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>keel report — ${escapeHtml(report.branch)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2937;max-width:72rem}
h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #e5e7eb}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #e5e7eb;padding:.25rem .5rem;text-align:left}
.chart{display:block;margin:.5rem 0;overflow:visible}.axis,.label,.value{font-size:11px;fill:#374151}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}
.definitions{color:#4b5563;font-size:12px}.empty{color:#6b7280;font-style:italic}
.cards{display:flex;flex-wrap:wrap;gap:.75rem}.card{border:1px solid #e5e7eb;border-radius:6px;padding:.5rem .75rem;min-width:12rem}
.card.met{border-color:#16a34a}.card.missed{border-color:#dc2626}.card-title{font-size:12px;color:#4b5563}.card-value{font-size:1.5rem;font-weight:600}.card-meta{font-size:12px}
</style>
</head>
<body>
<h1>keel report — ${escapeHtml(report.branch)}</h1>
<p>Repository <code>${escapeHtml(report.repository)}</code>, head <code>${escapeHtml(report.head.sha.slice(0, 12))}</code> (${escapeHtml(report.head.landedAt)}). Period ${escapeHtml(report.period.since ?? 'first commit')} → ${escapeHtml(report.period.until ?? 'head')}: <strong data-figure="changes" data-value="${f.changes.total}">${f.changes.total}</strong> changes, <strong data-figure="ai-changes" data-value="${f.changes.ai}">${f.changes.ai}</strong> AI-assisted.</p>
<p class="definitions" id="change-definition">${escapeHtml(LANDED_DEFINITION)}</p>
<section id="survival-churn"><h2>AI vs other: survival, rework and failure</h2>
${legend()}
${barChart('chart-survival-churn', 'AI vs other: survival, rework and failure', shareBars(shares), 1, '%')}
<ul class="definitions">${shares.map((s) => `<li><strong>${escapeHtml(s.title)}</strong>: ${escapeHtml(withoutPreamble(s.definition))}</li>`).join('')}</ul>
</section>
<section id="batch-size"><h2>Batch size per week (median lines changed)</h2>
${legend()}
${weekBars.length ? barChart('chart-batch-size', 'Batch size per ISO week', weekBars, maxBatch, 'lines') : '<p class="empty">no changes in this period</p>'}
<ul class="definitions"><li>${escapeHtml(withoutPreamble(f.batchSize.definition))}</li></ul>
</section>
${ledgerSections(report)}
<section id="tables"><h2>All figures</h2>
${tables}
</section>
</body>
</html>
`;
}
