/**
 * Turns the ledger figures into plain tables (title, headers, rows, and the
 * definitions beneath) shared by the terminal, Markdown and HTML renderers.
 */
import type { Ratio } from './figures.ts';
import type { CostPer, CostRow, FiveNumber, GroupFigures, LedgerFigures } from './ledger/index.ts';
import type { TextTable } from './render-text.ts';

const ARROWS = { up: '↑', down: '↓', flat: '→' } as const;

function fixed(v: number | null, digits = 1): string {
  return v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

function pct(v: number | null): string {
  return v === null ? '—' : `${(v * 100).toFixed(1)}%`;
}

function ratio(r: Ratio): string {
  return r.value === null ? '—' : `${pct(r.value)} (${r.numerator}/${r.denominator})`;
}

/** US dollars with cents (four decimals below a cent), or `—`. */
export function usd(v: number | null): string {
  if (v === null) return '—';
  // Cents hide what cheap models cost: below a cent, show four decimals.
  return `$${v !== 0 && Math.abs(v) < 0.01 ? v.toFixed(4) : v.toFixed(2)}`;
}

/** A cost with its unpriced calls flagged: `$1.20 + 2 unpriced`, or `2 unpriced` when nothing was priced. */
export function costText(costUsd: number | null, unpricedCalls: number, pricedCalls = 1): string {
  if (pricedCalls === 0 && unpricedCalls > 0) return `${unpricedCalls} unpriced`;
  const base = usd(costUsd);
  return unpricedCalls > 0 ? `${base} + ${unpricedCalls} unpriced` : base;
}

function costPer(c: CostPer): string {
  return c.value === null ? '—' : `${costText(c.value, c.unpricedCalls)} (${c.count})`;
}

/** A five-numbers value in its unit. */
export function fiveValue(n: Pick<FiveNumber, 'unit'>, v: number | null): string {
  if (n.unit === 'share') return pct(v);
  if (n.unit === 'usd') return usd(v);
  return v === null ? '—' : `${fixed(v)} h`;
}

/** The trend arrow of a number, with ✓/✗ for better/worse. */
export function trendText(n: FiveNumber): string {
  if (n.trend === null) return '—';
  const mark = n.improving === null ? '' : n.improving ? ' (better)' : ' (worse)';
  return `${ARROWS[n.trend]}${mark}`;
}

/** Met / not met / no target. */
export function metText(n: FiveNumber): string {
  if (n.target === null) return 'no target';
  if (n.met === null) return '—';
  return n.met ? 'met' : 'not met';
}

function groupRows(groups: readonly GroupFigures[]): string[][] {
  return groups.map((g) => [
    g.key,
    String(g.items),
    String(g.merged),
    String(g.mergedFeatures),
    fixed(g.cycleTimeHours.median),
    pct(g.waitStateRatio.value),
    ratio(g.firstPassAcceptance),
    costPer(g.costPerMergedChange),
    costPer(g.costPerShippedFeature),
    g.tokensPerGoodChange.value === null
      ? '—'
      : `${Math.round(g.tokensPerGoodChange.value)} (${g.tokensPerGoodChange.changes})`,
    ratio(g.aiAcceptanceRate),
  ]);
}

const GROUP_HEADERS = [
  'ended',
  'merged',
  'features',
  'median cycle (h)',
  'wait-state ratio',
  'first-pass acceptance',
  'cost / merged change',
  'cost / shipped feature',
  'tokens / good change',
  'AI acceptance',
];

function costRows(rows: readonly CostRow[]): string[][] {
  return rows.map((r) => [
    r.name,
    String(r.calls),
    String(r.tokens),
    costText(r.costUsd, r.unpricedCalls, r.calls - r.unpricedCalls),
  ]);
}

/** The ledger figures as tables, in reading order. */
export function ledgerTables(ledger: LedgerFigures): TextTable[] {
  const d = ledger.definitions;
  const groupNotes = [
    `${d['cost-per-merged-change'].title}: ${d['cost-per-merged-change'].definition}`,
    `${d['cost-per-shipped-feature'].title}: ${d['cost-per-shipped-feature'].definition}`,
    `${d['tokens-per-good-change'].title}: ${d['tokens-per-good-change'].definition}`,
    `${d['ai-acceptance-rate'].title}: ${d['ai-acceptance-rate'].definition}`,
    `${d['first-pass-acceptance'].title}: ${d['first-pass-acceptance'].definition}`,
  ];
  return [
    {
      title: 'The five weekly numbers',
      headers: ['number', 'period', 'target', 'met', 'latest week', 'trend'],
      rows: ledger.fiveNumbers.map((n) => [
        n.title,
        fiveValue(n, n.value),
        n.target === null
          ? '—'
          : `${n.direction === 'lower' ? '≤' : '≥'} ${fiveValue(n, n.target)}`,
        metText(n),
        n.latestWeek === null ? '—' : `${n.latestWeek}: ${fiveValue(n, n.latestValue)}`,
        trendText(n),
      ]),
      notes: ledger.fiveNumbers.map((n) => `${n.title}: ${n.definition}`),
    },
    {
      title: 'The five numbers per week',
      headers: ['week', ...ledger.fiveNumbers.map((n) => n.title)],
      rows: ledger.weekly.map((w) => [
        w.week,
        ...ledger.fiveNumbers.map((n) => fiveValue(n, w[n.key])),
      ]),
      notes: [],
    },
    {
      title: 'Work items',
      headers: [
        'item',
        'team',
        'type',
        'status',
        'cycle (h)',
        'active (h)',
        'waiting (h)',
        'wait-state ratio',
        'first-pass acceptance',
        'attempts / pass',
        'tokens',
        'cost',
        'rework',
      ],
      rows: ledger.items.map((i) => [
        i.id,
        i.team,
        i.type,
        i.status,
        fixed(i.cycleTimeHours),
        fixed(i.activeHours),
        waitingText(i.waitingHours, i.waitingByReason, i.openWaits),
        pct(i.waitStateRatio),
        ratio(i.firstPassAcceptance),
        fixed(i.attemptsPerPass, 2),
        String(i.tokens),
        costText(i.costUsd, i.unpricedCalls, i.pricedCalls),
        i.rework,
      ]),
      notes: (
        [
          'cycle-time',
          'active-waiting',
          'wait-state-ratio',
          'attempts-per-pass',
          'tokens',
          'cost',
        ] as const
      ).map((id) => `${d[id].title}: ${d[id].definition}`),
    },
    {
      title: 'By team',
      headers: ['team', ...GROUP_HEADERS],
      rows: groupRows(ledger.byTeam),
      notes: groupNotes,
    },
    {
      title: 'By project',
      headers: ['org/project', ...GROUP_HEADERS],
      rows: groupRows(ledger.byProject),
      notes: [],
    },
    {
      title: 'By ISO week',
      headers: ['week', ...GROUP_HEADERS],
      rows: groupRows(ledger.byWeek),
      notes: [],
    },
    {
      title: 'Cost by role',
      headers: ['role', 'calls', 'tokens', 'cost'],
      rows: costRows(ledger.costByRole),
      notes: [d['cost-by-role'].definition],
    },
    {
      title: 'Cost by model',
      headers: ['model', 'calls', 'tokens', 'cost'],
      rows: costRows(ledger.costByModel),
      notes: [d['cost-by-model'].definition],
    },
  ];
}

function waitingText(total: number, byReason: Record<string, number>, open: number): string {
  const parts = Object.entries(byReason)
    .filter(([, h]) => h > 0)
    .map(([r, h]) => `${r} ${fixed(h)}`);
  const detail = parts.length ? ` (${parts.join(', ')})` : '';
  return `${fixed(total)}${detail}${open > 0 ? ` [${open} open]` : ''}`;
}
