/**
 * Renders a report as one self-contained HTML page (`keel report --html FILE`):
 * inline CSS and SVG charts, no scripts or external assets. Every chart element
 * carries `data-series`, `data-value` (and `data-figure` / `data-week`) so tests
 * and tools can read back exactly what was drawn.
 */

import { LANDED_DEFINITION } from './definitions.ts';
import type { ShareFigure } from './figures.ts';
import { percent, reportTables, withoutPreamble } from './render-text.ts';
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

function ledgerSections(report: ReportDocument): string {
  const weekly = report.ledger?.weekly ?? [];
  const costs = report.ledger?.costByRoleModel ?? [];
  const out: string[] = ['<section id="weekly-numbers"><h2>The five weekly numbers over time</h2>'];
  if (weekly.length === 0) out.push('<p class="empty" data-empty="true">no ledger data</p>');
  else {
    const keys = [
      ['cycleTimeHours', 'cycle time (h)'],
      ['reworkRate', 'rework rate'],
      ['waitStateRatio', 'wait-state ratio'],
      ['costPerShippedFeatureUsd', 'cost per shipped feature (USD)'],
      ['aiAcceptanceRate', 'AI acceptance rate'],
    ] as const;
    for (const [key, title] of keys) {
      const values = weekly.map((w) => w[key]);
      const max = Math.max(0, ...values.map((v) => v ?? 0));
      const width = Math.max(240, weekly.length * 60 + 40);
      const points = weekly
        .map((w, i) => {
          const v = w[key];
          if (v === null) return '';
          const x = 30 + i * 60;
          const y = 110 - (max > 0 ? (v / max) * 90 : 0);
          return `<circle cx="${x}" cy="${y.toFixed(1)}" r="4" fill="${COLORS.ai}" data-series="${key}" data-week="${escapeHtml(w.week)}" data-value="${v}"><title>${escapeHtml(`${w.week}: ${v}`)}</title></circle>`;
        })
        .join('');
      out.push(
        `<h3>${escapeHtml(title)}</h3><svg class="chart" viewBox="0 0 ${width} 130" width="${width}" height="130"><line x1="20" y1="120" x2="${width - 10}" y2="120" stroke="#999"/>${points}</svg>`,
      );
    }
  }
  out.push('</section>', '<section id="cost-by-role-model"><h2>Cost by role and model</h2>');
  if (costs.length === 0) out.push('<p class="empty" data-empty="true">no ledger data</p>');
  else {
    const max = Math.max(...costs.map((c) => c.costUsd), 0);
    const rows = costs.map((c, i) => {
      const w = max > 0 ? Math.round((c.costUsd / max) * 300) : 0;
      return `<text x="0" y="${i * 26 + 16}" class="label">${escapeHtml(`${c.role} · ${c.model}`)}</text><rect x="220" y="${i * 26 + 4}" width="${w}" height="16" fill="${COLORS.ai}" data-series="cost" data-role="${escapeHtml(c.role)}" data-model="${escapeHtml(c.model)}" data-value="${c.costUsd}"/><text x="${226 + w}" y="${i * 26 + 16}" class="value">$${c.costUsd.toFixed(2)}</text>`;
    });
    out.push(
      `<svg class="chart" viewBox="0 0 600 ${costs.length * 26 + 8}" width="600" height="${costs.length * 26 + 8}">${rows.join('')}</svg>`,
    );
  }
  out.push('</section>');
  return out.join('\n');
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
  const tables = reportTables(report)
    .map((t) => {
      const head = `<tr>${t.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
      const body = t.rows.length
        ? t.rows
            .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
            .join('\n')
        : `<tr><td colspan="${t.headers.length}">none in this period</td></tr>`;
      const notes = t.notes.map((n) => `<li>${escapeHtml(withoutPreamble(n))}</li>`).join('');
      return `<h3>${escapeHtml(t.title)}</h3><table>${head}\n${body}</table>${notes ? `<ul class="definitions">${notes}</ul>` : ''}`;
    })
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
