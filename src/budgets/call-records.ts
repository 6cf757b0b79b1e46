/**
 * Cost facts read back from the ledger: every `model_call.recorded` joined with
 * its work item (org, team, project, owner), its plan (workflow, mode) and its
 * attempt (agent), as the CallRecords the pure rollups take. Unpriced calls are
 * counted apart, never as $0.
 */
import { emptyUsage } from '../core/index.ts';
import { type CallRecord, usdToMicros } from '../cost/index.ts';
import type { LedgerEvent, LedgerReader } from '../ledger/index.ts';

export interface CallQuery {
  /** Only calls at or after this instant. */
  since?: Date;
  workItemId?: string;
  /** Agent name → category, from the definitions (unknown agents: their own name). */
  categories?: ReadonlyMap<string, string>;
}

export interface UnpricedCall {
  workItemId: string;
  pass: string;
  model: string;
  provider: string;
  reason: string;
}

export interface CallFacts {
  records: CallRecord[];
  unpriced: UnpricedCall[];
}

interface ItemInfo {
  org: string;
  team: string;
  project: string;
  owner: string;
  type: string;
  workflow: string;
  mode: string;
}

const TYPES = [
  'work_item.submitted',
  'work_item.planned',
  'attempt.started',
  'model_call.recorded',
];
const s = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/** Reads the call records of the ledger (optionally of one item, since a date). */
export async function readCallFacts(
  ledger: LedgerReader,
  query: CallQuery = {},
): Promise<CallFacts> {
  const events = await ledger.read({
    types: TYPES,
    ...(query.workItemId ? { workItemId: query.workItemId } : {}),
  });
  return callFactsOf(events, query);
}

/** Builds call records from events in seq order (pure). */
export function callFactsOf(events: readonly LedgerEvent[], query: CallQuery = {}): CallFacts {
  const items = new Map<string, ItemInfo>();
  const agents = new Map<string, string>();
  const records: CallRecord[] = [];
  const unpriced: UnpricedCall[] = [];
  for (const e of events) {
    const d = e.data;
    const item = e.workItemId ?? '';
    if (e.type === 'work_item.submitted') {
      items.set(item, {
        org: s(d.org),
        team: s(d.team),
        project: s(d.project),
        owner: s(d.owner),
        type: s(d.type),
        workflow: '',
        mode: '',
      });
    } else if (e.type === 'work_item.planned') {
      const info = items.get(item);
      const wf = d.workflow as { name?: unknown } | undefined;
      if (info) {
        info.workflow = s(wf?.name);
        info.mode = s(d.mode);
      }
    } else if (e.type === 'attempt.started') {
      agents.set(`${item}/${s(d.pass)}/${String(d.attempt)}`, s(d.agent));
    } else if (e.type === 'model_call.recorded') {
      const at = new Date(e.at);
      if (query.since && at < query.since) continue;
      const info = items.get(item);
      const pass = s(d.pass);
      if (d.priced !== true || typeof d.costUsd !== 'number') {
        unpriced.push({
          workItemId: item,
          pass,
          model: s(d.model),
          provider: s(d.provider),
          reason: s(d.unpricedReason, 'unpriced'),
        });
        continue;
      }
      const agent = agents.get(`${item}/${pass}/${String(d.attempt)}`) ?? 'unknown';
      records.push({
        // Recorded costs are whole micro-dollars; the float round-trips exactly.
        costMicros: usdToMicros(d.costUsd),
        usage: { ...emptyUsage(), ...(d.usage as object) },
        attemptId: `${item}/${pass}/${String(d.attempt)}`,
        pass,
        workItemId: item,
        org: info?.org ?? '',
        team: info?.team ?? '',
        project: info?.project ?? '',
        agent,
        category: query.categories?.get(agent) ?? agent,
        model: s(d.model),
        provider: s(d.provider),
        workflow: info?.workflow ?? '',
        mode: info?.mode ?? '',
        ...(info?.owner ? { engineer: info.owner } : {}),
        at,
      });
    }
  }
  return { records, unpriced };
}
