/**
 * The five weekly numbers on the wall — cycle time, rework rate, wait-state
 * ratio, token cost per shipped feature, acceptance rate of AI-generated
 * changes — each with its target from keel.yaml, met or not, and its trend.
 */
import { LEDGER_DEFINITIONS, type LedgerFigureId } from './definitions.ts';

/** One week of the five numbers. */
export interface WeeklyNumbers {
  week: string;
  cycleTimeHours: number | null;
  reworkRate: number | null;
  waitStateRatio: number | null;
  costPerShippedFeatureUsd: number | null;
  aiAcceptanceRate: number | null;
}

/** keel.yaml `targets` (undefined: no target set). */
export interface TargetValues {
  cycleTimeHours?: number | undefined;
  reworkRate?: number | undefined;
  waitStateRatio?: number | undefined;
  costPerFeatureUsd?: number | undefined;
  aiAcceptanceRate?: number | undefined;
}

export type WeeklyKey = Exclude<keyof WeeklyNumbers, 'week'>;

export interface FiveNumber {
  id: LedgerFigureId;
  key: WeeklyKey;
  title: string;
  unit: string;
  definition: string;
  /** Which way is better. */
  direction: 'lower' | 'higher';
  /** keel.yaml key of the target. */
  targetKey: string;
  target: number | null;
  /** Over the whole report period. */
  value: number | null;
  /** Whether `value` meets the target (≤ for lower-is-better, ≥ for higher); null without both. */
  met: boolean | null;
  /** Latest week with a value, and that value. */
  latestWeek: string | null;
  latestValue: number | null;
  /** Latest week's value against the previous week with a value (flat within 1 %). */
  trend: 'up' | 'down' | 'flat' | null;
  /** True when the trend goes the better way, false the worse way, null when flat or unknown. */
  improving: boolean | null;
  weeks: { week: string; value: number | null }[];
}

const SPECS: {
  id: LedgerFigureId;
  key: WeeklyKey;
  target: keyof TargetValues;
  targetKey: string;
  direction: 'lower' | 'higher';
}[] = [
  {
    id: 'cycle-time',
    key: 'cycleTimeHours',
    target: 'cycleTimeHours',
    targetKey: 'cycle_time_hours',
    direction: 'lower',
  },
  {
    id: 'rework-rate',
    key: 'reworkRate',
    target: 'reworkRate',
    targetKey: 'rework_rate',
    direction: 'lower',
  },
  {
    id: 'wait-state-ratio',
    key: 'waitStateRatio',
    target: 'waitStateRatio',
    targetKey: 'wait_state_ratio',
    direction: 'lower',
  },
  {
    id: 'cost-per-shipped-feature',
    key: 'costPerShippedFeatureUsd',
    target: 'costPerFeatureUsd',
    targetKey: 'cost_per_feature_usd',
    direction: 'lower',
  },
  {
    id: 'ai-acceptance-rate',
    key: 'aiAcceptanceRate',
    target: 'aiAcceptanceRate',
    targetKey: 'ai_acceptance_rate',
    direction: 'higher',
  },
];

/** Trend of the last two values in a series (nulls skipped). */
export function trendOf(values: readonly (number | null)[]): 'up' | 'down' | 'flat' | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length < 2) return null;
  const last = known[known.length - 1] as number;
  const prev = known[known.length - 2] as number;
  if (Math.abs(last - prev) <= 0.01 * Math.abs(prev)) return 'flat';
  return last > prev ? 'up' : 'down';
}

/** The five numbers from the period values, the weekly series and the targets. */
export function fiveNumbers(
  period: Omit<WeeklyNumbers, 'week'>,
  weekly: readonly WeeklyNumbers[],
  targets: TargetValues | null,
): FiveNumber[] {
  return SPECS.map((spec) => {
    const def = LEDGER_DEFINITIONS[spec.id];
    const target = targets?.[spec.target] ?? null;
    const value = period[spec.key];
    const weeks = weekly.map((w) => ({ week: w.week, value: w[spec.key] }));
    const latest = [...weeks].reverse().find((w) => w.value !== null);
    const trend = trendOf(weeks.map((w) => w.value));
    return {
      id: spec.id,
      key: spec.key,
      title: def.title,
      unit: def.unit,
      definition: def.definition,
      direction: spec.direction,
      targetKey: spec.targetKey,
      target,
      value,
      met:
        target === null || value === null
          ? null
          : spec.direction === 'lower'
            ? value <= target
            : value >= target,
      latestWeek: latest?.week ?? null,
      latestValue: latest?.value ?? null,
      trend,
      improving:
        trend === null || trend === 'flat'
          ? null
          : (trend === 'down') === (spec.direction === 'lower'),
      weeks,
    };
  });
}
