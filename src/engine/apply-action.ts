/**
 * The quick actions: ones that only record a decision in the ledger
 * (approvals requested, interrupted attempts closed, escalation steps,
 * completions). Each append carries the idempotency key of its fact.
 */
import type { NewEvent } from '../ledger/index.ts';
import type { Action } from './decide.ts';
import { appendEvents, ENGINE_ACTOR, type EngineContext } from './engine-context.ts';
import {
  APPROVAL_REQUESTED,
  ATTEMPT_FINISHED,
  ESCALATION_APPLIED,
  keys,
  PASS_COMPLETED,
  WAIT_STARTED,
  WORK_ITEM_COMPLETED,
} from './events.ts';

/** Records a quick action; returns false for actions that need a worker (attempts, gates) or nothing (wait). */
export async function applyQuickAction(
  ctx: EngineContext,
  itemId: string,
  action: Action,
): Promise<boolean> {
  const events = quickEvents(itemId, action);
  if (!events) return false;
  await appendEvents(ctx, events);
  return true;
}

function quickEvents(itemId: string, action: Action): NewEvent[] | undefined {
  const base = { actor: ENGINE_ACTOR, workItemId: itemId };
  switch (action.kind) {
    case 'request_approval': {
      const id = action.request.approvalId;
      return [
        {
          ...base,
          type: APPROVAL_REQUESTED,
          data: { ...action.request },
          idempotencyKey: keys.approvalRequested(id),
        },
        {
          ...base,
          type: WAIT_STARTED,
          data: { reason: 'human', approvalId: id, pass: action.request.pass },
          idempotencyKey: keys.waitStarted(id),
        },
      ];
    }
    case 'close_interrupted':
      return [
        {
          ...base,
          type: ATTEMPT_FINISHED,
          data: {
            pass: action.pass,
            attempt: action.attempt,
            generationId: action.generationId,
            outcome: 'interrupted',
            findings: [],
            error: {
              kind: 'infrastructure',
              message: 'the orchestrator stopped while the attempt ran',
            },
          },
          idempotencyKey: keys.attemptFinished(itemId, action.pass, action.attempt),
        },
      ];
    case 'apply_escalation':
      return [
        {
          ...base,
          type: ESCALATION_APPLIED,
          data: { ...action.record },
          idempotencyKey: keys.escalation(
            itemId,
            action.record.pass,
            action.record.attempt,
            action.record.gate,
          ),
        },
      ];
    case 'complete_pass': {
      const events: NewEvent[] = [
        {
          ...base,
          type: PASS_COMPLETED,
          data: { pass: action.pass, outcome: action.outcome, reason: action.reason },
          idempotencyKey: keys.passCompleted(itemId, action.pass),
        },
      ];
      if (action.item) {
        events.push({
          ...base,
          type: WORK_ITEM_COMPLETED,
          data: { ...action.item },
          idempotencyKey: keys.itemCompleted(itemId),
        });
      }
      return events;
    }
    case 'complete_item':
      return [
        {
          ...base,
          type: WORK_ITEM_COMPLETED,
          data: { outcome: action.outcome, reason: action.reason },
          idempotencyKey: keys.itemCompleted(itemId),
        },
      ];
    default:
      return undefined;
  }
}
