/**
 * keel.yaml `cost.forecast_approval_above_usd`: a work item whose p90 forecast
 * cost exceeds the threshold waits for a person before its first pass. The
 * approval is an ordinary `approval.requested` (kind `budget`), so `keel
 * pending` lists it and `keel approve` decides it; the owner of the tightest
 * enclosing budget decides.
 */
import { formatUsd, usdToMicros } from '../cost/index.ts';
import type { KeelConfig } from '../definitions/index.ts';
import type { NewEvent } from '../ledger/index.ts';

/** The approval id a forecast approval gets. */
export const forecastApprovalId = (workItemId: string): string => `${workItemId}/forecast`;

/**
 * The approval request owed for an item's forecast, with the start of the
 * person's wait it causes (as the engine records for its approvals), or
 * undefined when the policy does not ask for one.
 */
export function forecastApprovalRequest(
  config: Pick<KeelConfig, 'cost' | 'budgets' | 'roles'>,
  item: { id: string; org: string; team: string; project: string },
  p90Micros: number | undefined,
): NewEvent[] | undefined {
  const threshold = config.cost?.forecastApprovalAboveUsd;
  if (threshold === undefined || p90Micros === undefined) return undefined;
  if (p90Micros <= usdToMicros(threshold)) return undefined;
  const scopeOrder = [
    ['project', item.project],
    ['team', item.team],
    ['org', item.org],
  ] as const;
  let role = '';
  for (const [scope, name] of scopeOrder) {
    const b = config.budgets.find((x) => x.scope === scope && x.target === name && x.owner);
    if (b?.owner) {
      role = b.owner;
      break;
    }
  }
  const approvalId = forecastApprovalId(item.id);
  const request: NewEvent = {
    type: 'approval.requested',
    actor: 'keel',
    workItemId: item.id,
    idempotencyKey: `${approvalId}:requested`,
    data: {
      approvalId,
      kind: 'budget',
      pass: '',
      attempt: null,
      role: role || 'anyone',
      members: role ? [...(config.roles[role]?.members ?? [])] : [],
      reason: `the p90 forecast ${formatUsd(p90Micros)} exceeds ${formatUsd(usdToMicros(threshold))} (keel.yaml cost.forecast_approval_above_usd)`,
    },
  };
  const wait: NewEvent = {
    type: 'wait.started',
    actor: 'keel',
    workItemId: item.id,
    // The engine's key for an approval's wait, so `keel approve` ends it.
    idempotencyKey: `approval:${approvalId}:wait-started`,
    data: { reason: 'human', approvalId, pass: '' },
  };
  return [request, wait];
}
