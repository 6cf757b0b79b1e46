/**
 * The exact definition of every figure computed from keel's ledger; the JSON,
 * Markdown and HTML outputs carry these strings next to the values, and
 * docs/metrics.md lists the same text.
 */

export const LEDGER_FIGURE_IDS = [
  'cycle-time',
  'active-waiting',
  'wait-state-ratio',
  'first-pass-acceptance',
  'attempts-per-pass',
  'tokens',
  'cost',
  'cost-per-merged-change',
  'cost-per-shipped-feature',
  'tokens-per-good-change',
  'ai-acceptance-rate',
  'cost-by-role',
  'cost-by-model',
  'rework-rate',
] as const;
export type LedgerFigureId = (typeof LEDGER_FIGURE_IDS)[number];

export interface LedgerFigureDefinition {
  title: string;
  unit: 'hours' | 'share' | 'usd' | 'tokens' | 'count';
  definition: string;
}

const GROUPED =
  'An item belongs to the ISO week (UTC), team and project of its end: when it merged (see cycle time), else when it completed (work_item.completed); items still open belong to no group.';
const UNPRICED =
  'Cost is the sum of costUsd over the model calls recorded for the items (model_call.recorded); calls without a price are counted in unpricedCalls and never added as $0, so any unpricedCalls makes the cost a lower bound.';

/** Every ledger figure's title, unit and definition. */
export const LEDGER_DEFINITIONS: Record<LedgerFigureId, LedgerFigureDefinition> = {
  'cycle-time': {
    title: 'Cycle time',
    unit: 'hours',
    definition:
      'Hours from work_item.submitted to work_item.merged; when the ledger records no merge but the git analysis finds main-line commits with the item’s Keel-Work-Item trailer, the latest of their landing times (mergedFrom: git). An item that has not merged has no cycle time. Per group: the median over the group’s merged items.',
  },
  'active-waiting': {
    title: 'Time active vs waiting',
    unit: 'hours',
    definition:
      'Elapsed time runs from submission to the merge, else to completion, else to the report’s now. Waiting time is the length of the union of the item’s waits (wait.started to the matching wait.ended, matched by approval or wait id, else by reason and pass; a wait still open counts until the end of the elapsed time), per reason (gate, human, resource, budget, pool) and in total; active time is elapsed minus waiting.',
  },
  'wait-state-ratio': {
    title: 'Wait-state ratio',
    unit: 'share',
    definition:
      'Waiting time divided by cycle time, for merged items. Per group: the sum of waiting hours over the sum of cycle hours of its merged items.',
  },
  'first-pass-acceptance': {
    title: 'First-pass gate acceptance',
    unit: 'share',
    definition:
      'Of the passes with at least one gate decided (gate.decided), the share whose first attempt passed every gate decided for it.',
  },
  'attempts-per-pass': {
    title: 'Attempts per pass',
    unit: 'count',
    definition:
      'Attempts started (attempt.started) divided by the passes with at least one attempt.',
  },
  tokens: {
    title: 'Tokens',
    unit: 'tokens',
    definition:
      'Input, cache read, cache write and output tokens of the model calls recorded for the item; a record that reuses an earlier answer spent none.',
  },
  cost: {
    title: 'Cost',
    unit: 'usd',
    definition: UNPRICED,
  },
  'cost-per-merged-change': {
    title: 'Cost per merged change',
    unit: 'usd',
    definition: `Cost of the merged items divided by their number. ${GROUPED} ${UNPRICED}`,
  },
  'cost-per-shipped-feature': {
    title: 'Cost per shipped feature',
    unit: 'usd',
    definition: `Cost of the merged items of type feature divided by their number. ${GROUPED} ${UNPRICED}`,
  },
  'tokens-per-good-change': {
    title: 'Tokens per accepted, shipped, non-reworked change',
    unit: 'tokens',
    definition: `Tokens of every item that ended (merged or completed, waste included) divided by the merged items that are non-reworked: the git analysis finds commits of the item on the main line (a Keel-Work-Item trailer, or the commit work_item.merged names), all landed at least 7 days before the analysed head, and none of their landed lines removed or rewritten within 7 days. Items whose commits are younger than 7 days or not found on the main line are not counted. ${GROUPED}`,
  },
  'ai-acceptance-rate': {
    title: 'Acceptance rate of AI-generated changes',
    unit: 'share',
    definition: `Merged items divided by the items that ended and produced code (an attempt or artifact recorded a commit, or the item merged). ${GROUPED}`,
  },
  'cost-by-role': {
    title: 'Cost by role',
    unit: 'usd',
    definition:
      'Cost of the model calls recorded in the period, by the category of the agent that made them (from .keel/agents; “unknown” when the agent is not defined). Calls without a price are counted apart, never as $0.',
  },
  'cost-by-model': {
    title: 'Cost by model',
    unit: 'usd',
    definition:
      'Cost of the model calls recorded in the period, by provider model. Calls without a price are counted apart, never as $0.',
  },
  'rework-rate': {
    title: 'Rework rate',
    unit: 'share',
    definition:
      'From git: of the lines landed on the main line (in the period, or in the week) at least 7 days before the analysed head, the share a later change removed or rewrote within 7 days of landing (the git figure churn7d).',
  },
};
