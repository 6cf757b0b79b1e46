/**
 * One line of progress per engine event, for people: what happened to which
 * pass of which item. Pure formatting; the CLI decides where it goes.
 */
import type { LedgerEvent } from '../ledger/index.ts';
import type {
  AgentSessionRecorded,
  ApprovalDecided,
  ApprovalRequested,
  AttemptFinished,
  AttemptStarted,
  EscalationApplied,
  GateDecided,
  ModelCallRecorded,
  PassCompleted,
  WorkItemCompleted,
} from './events.ts';

/** A one-line description of an engine event, or undefined for events not worth a line. */
export function describeEvent(event: LedgerEvent): string | undefined {
  const item = event.workItemId ?? '';
  const d = event.data as unknown;
  switch (event.type) {
    case 'attempt.started': {
      const a = d as AttemptStarted;
      const on = a.model ? `${a.tier}, ${a.provider}/${a.model}` : a.runtime;
      return `${item} ${a.pass}: attempt ${a.attempt} started (${a.reason.replace('_', ' ')}; ${on})`;
    }
    case 'attempt.finished': {
      const a = d as AttemptFinished;
      const why = a.outcome === 'succeeded' ? '' : `: ${a.error?.message ?? a.findings.join('; ')}`;
      return `${item} ${a.pass}: attempt ${a.attempt} ${a.outcome}${why}`;
    }
    case 'model_call.recorded': {
      const c = d as ModelCallRecorded;
      const tokens =
        c.usage.inputTokens +
        c.usage.cacheReadTokens +
        c.usage.cacheWriteTokens +
        c.usage.outputTokens;
      const cost = c.costUsd === null ? 'unpriced' : `$${c.costUsd.toFixed(4)}`;
      const extra = c.reusedFrom
        ? ', reused a recorded answer'
        : c.retries.length > 0
          ? `, ${c.retries.length} retr${c.retries.length === 1 ? 'y' : 'ies'}`
          : '';
      const failed = c.outcome === 'failed' ? ' FAILED' : '';
      const flag = c.reportedCostFlag ? ` (${c.reportedCostFlag})` : '';
      return `${item} ${c.pass}: ${c.purpose === 'review' ? `review ${c.gate}` : 'model'} call${failed} ${c.model} ${tokens} tokens ${cost}${extra}${flag}`;
    }
    case 'agent_session.recorded': {
      const s = d as AgentSessionRecorded;
      return s.usageTotals
        ? undefined
        : `${item} ${s.pass}: ${s.tool} session ${s.sessionId} (attempt ${s.attempt})`;
    }
    case 'gate.decided': {
      const g = d as GateDecided;
      const why =
        g.verdict === 'failed' && g.findings.length > 0 ? `: ${g.findings[0]?.split('\n')[0]}` : '';
      return `${item} ${g.pass}: gate ${g.gate} ${g.verdict} (attempt ${g.attempt})${why}`;
    }
    case 'escalation.applied': {
      const e = d as EscalationApplied;
      return `${item} ${e.pass}: gate ${e.gate} failed → ${e.step}${e.max ? ` (${e.used}/${e.max})` : ''}`;
    }
    case 'approval.requested': {
      const a = d as ApprovalRequested;
      return `${item} ${a.pass}: waiting for ${a.role}: keel approve ${a.approvalId} --as NAME`;
    }
    case 'approval.decided': {
      const a = d as ApprovalDecided;
      return `${item}: ${a.approvalId} ${a.decision} by ${a.by}${a.note ? ` (${a.note})` : ''}`;
    }
    case 'pass.completed': {
      const p = d as PassCompleted;
      return `${item} ${p.pass}: ${p.outcome} — ${p.reason}`;
    }
    case 'work_item.completed': {
      const w = d as WorkItemCompleted;
      return `${item}: ${w.outcome} — ${w.reason}`;
    }
    default:
      return undefined;
  }
}
