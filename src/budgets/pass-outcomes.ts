/**
 * The learned router's history from the ledger: one outcome per finished
 * attempt — the category of its agent, its `provider/model`, whether it was
 * accepted (succeeded and every gate decided on it passed) and what it cost
 * (its own calls and its reviews). Each outcome is also keyed by
 * `category/type`, the work-item type refinement the router accepts.
 */
import { type PassOutcome, usdToMicros } from '../cost/index.ts';
import type { LedgerEvent, LedgerReader } from '../ledger/index.ts';

const TYPES = [
  'work_item.submitted',
  'attempt.started',
  'attempt.finished',
  'gate.decided',
  'model_call.recorded',
];

interface AttemptFacts {
  agent: string;
  model: string;
  itemType: string;
  finished: boolean;
  succeeded: boolean;
  gatesPassed: boolean;
  micros: number;
  unpriced: boolean;
}

/** Outcomes from events in seq order (pure); attempts without a model or a price are left out. */
export function passOutcomesOf(
  events: readonly LedgerEvent[],
  categories: ReadonlyMap<string, string>,
): PassOutcome[] {
  const types = new Map<string, string>();
  const attempts = new Map<string, AttemptFacts>();
  for (const e of events) {
    const d = e.data;
    const item = e.workItemId ?? '';
    const key = `${item}/${String(d.pass)}/${String(d.attempt)}`;
    if (e.type === 'work_item.submitted') types.set(item, String(d.type ?? ''));
    else if (e.type === 'attempt.started') {
      attempts.set(key, {
        agent: String(d.agent),
        model: d.provider && d.model ? `${String(d.provider)}/${String(d.model)}` : '',
        itemType: types.get(item) ?? '',
        finished: false,
        succeeded: false,
        gatesPassed: true,
        micros: 0,
        unpriced: false,
      });
    } else {
      const a = attempts.get(key);
      if (!a) continue;
      if (e.type === 'attempt.finished') {
        a.finished = true;
        a.succeeded = d.outcome === 'succeeded';
      } else if (e.type === 'gate.decided') {
        if (d.verdict !== 'passed') a.gatesPassed = false;
      } else if (e.type === 'model_call.recorded') {
        if (typeof d.costUsd === 'number') a.micros += usdToMicros(d.costUsd);
        else a.unpriced = true;
      }
    }
  }
  const out: PassOutcome[] = [];
  for (const a of attempts.values()) {
    if (!a.finished || !a.model || a.unpriced) continue;
    const category = categories.get(a.agent) ?? a.agent;
    const outcome = {
      model: a.model,
      accepted: a.succeeded && a.gatesPassed,
      costMicros: a.micros,
    };
    out.push({ ...outcome, category });
    if (a.itemType) out.push({ ...outcome, category: `${category}/${a.itemType}` });
  }
  return out;
}

/** Reads the router's history from a ledger. */
export async function readPassOutcomes(
  ledger: LedgerReader,
  categories: ReadonlyMap<string, string>,
): Promise<PassOutcome[]> {
  return passOutcomesOf(await ledger.read({ types: TYPES }), categories);
}
