/**
 * Approvals from any terminal: what waits for a person (`keel pending`), and
 * deciding one (`keel approve` / `keel reject`). A decision is appended in a
 * serialised transaction, so two people deciding at once cannot both win; the
 * running orchestrator picks it up on its next poll.
 */
import { InvalidInputError, NotFoundError } from '../core/index.ts';
import type { LedgerStore } from '../ledger/index.ts';
import {
  APPROVAL_DECIDED,
  APPROVAL_REQUESTED,
  type ApprovalDecided,
  type ApprovalRequested,
  keys,
  WAIT_ENDED,
  WORK_ITEM_COMPLETED,
} from './events.ts';

export interface PendingApproval extends ApprovalRequested {
  workItemId: string;
  requestedAt: string;
}

/** Every approval requested and not yet decided, oldest first (items already completed left out). */
export async function listPending(ledger: LedgerStore): Promise<PendingApproval[]> {
  const pending = new Map<string, PendingApproval>();
  const done = new Set<string>();
  for await (const e of ledger.iterate({
    types: [APPROVAL_REQUESTED, APPROVAL_DECIDED, WORK_ITEM_COMPLETED],
  })) {
    if (e.type === APPROVAL_REQUESTED) {
      const d = e.data as unknown as ApprovalRequested;
      if (!pending.has(d.approvalId))
        pending.set(d.approvalId, { ...d, workItemId: e.workItemId ?? '', requestedAt: e.at });
    } else if (e.type === APPROVAL_DECIDED) {
      pending.delete((e.data as unknown as ApprovalDecided).approvalId);
    } else if (e.workItemId) done.add(e.workItemId);
  }
  return [...pending.values()].filter((p) => !done.has(p.workItemId));
}

export interface Decision {
  approvalId: string;
  decision: 'approved' | 'rejected';
  by: string;
  note: string;
}

/** Records a person's decision; throws naming what is wrong (unknown id, already decided, not in the role). */
export async function decideApproval(
  ledger: LedgerStore,
  decision: Decision,
): Promise<ApprovalDecided> {
  const wanted = decision.approvalId.trim();
  return ledger.transaction(async (tx) => {
    const events = await tx.read({ types: [APPROVAL_REQUESTED, APPROVAL_DECIDED] });
    const requests = events.filter((e) => e.type === APPROVAL_REQUESTED);
    const request = requests.find(
      (e) =>
        (e.data as unknown as ApprovalRequested).approvalId.toLowerCase() === wanted.toLowerCase(),
    );
    if (!request) {
      const open = requests
        .map((e) => (e.data as unknown as ApprovalRequested).approvalId)
        .filter(
          (id) =>
            !events.some(
              (e) =>
                e.type === APPROVAL_DECIDED &&
                (e.data as unknown as ApprovalDecided).approvalId === id,
            ),
        );
      throw new NotFoundError(`no approval \`${wanted}\``, {
        hint:
          open.length > 0
            ? `waiting: ${open.join(', ')} (\`keel pending\` lists them)`
            : 'nothing waits for a person right now',
      });
    }
    const req = request.data as unknown as ApprovalRequested;
    const earlier = events.find(
      (e) =>
        e.type === APPROVAL_DECIDED &&
        (e.data as unknown as ApprovalDecided).approvalId === req.approvalId,
    );
    if (earlier) {
      const d = earlier.data as unknown as ApprovalDecided;
      throw new InvalidInputError(
        `approval \`${req.approvalId}\` was already ${d.decision} by ${d.by} at ${earlier.at}`,
        {
          hint: 'a decision is final; submit the work again to start over',
        },
      );
    }
    if (req.members.length > 0 && !req.members.includes(decision.by)) {
      throw new InvalidInputError(
        `${decision.by} is not a member of role ${req.role}, which decides \`${req.approvalId}\` (members: ${req.members.join(', ')})`,
        {
          hint: `pass --as with one of: ${req.members.join(', ')}; roles are set in .keel/keel.yaml`,
        },
      );
    }
    const data: ApprovalDecided = {
      approvalId: req.approvalId,
      decision: decision.decision,
      by: decision.by,
      note: decision.note,
    };
    await tx.append([
      {
        type: APPROVAL_DECIDED,
        actor: decision.by,
        workItemId: request.workItemId,
        data: { ...data },
        idempotencyKey: keys.approvalDecided(req.approvalId),
      },
      {
        type: WAIT_ENDED,
        actor: decision.by,
        workItemId: request.workItemId,
        data: { reason: 'human', approvalId: req.approvalId, decision: decision.decision },
        idempotencyKey: keys.waitEnded(req.approvalId),
      },
    ]);
    return data;
  });
}
