/**
 * The engine's decision core: from a run's projected state and its plan, the
 * actions that move it forward. Pure and total — no I/O, no clock — so every
 * rule (gates in order, the escalation ladder, checkpoints before a pass,
 * interrupted attempts retried) is tested as a table.
 */
import type { EscalationStep } from '../definitions/index.ts';
import type {
  ApprovalKind,
  ApprovalRequested,
  AttemptReason,
  EscalationApplied,
  WorkItemCompleted,
} from './events.ts';
import {
  type ApprovalRun,
  type AttemptRun,
  type PassRun,
  type RunState,
  stepUses,
} from './run-state.ts';

/** Attempts of one pass that may fail without reaching their gates (provider down, bad output, writes outside access) before the pass fails. */
export const MAX_FAILED_ATTEMPTS = 3;

export interface RolePlan {
  name: string;
  members: string[];
}

export interface GatePlan {
  id: string;
  kind: string;
  /** The role whose approval the gate needs (a human check, alone or inside all_of/any_of). */
  human: RolePlan | undefined;
  onFail: EscalationStep[];
}

export interface PassPlan {
  id: string;
  agent: string;
  runtime: string;
  needs: string[];
  tier: string;
  checkpoints: { id: string; role: RolePlan }[];
  gates: GatePlan[];
}

export interface RunPlan {
  itemId: string;
  /** The project's tiers, cheapest first: what escalate-tier climbs. */
  tiers: string[];
  passes: PassPlan[];
  /** keel.yaml roles, for the human step of an escalation ladder. */
  roles?: Record<string, RolePlan>;
}

export type Action =
  | { kind: 'request_approval'; request: ApprovalRequested }
  | { kind: 'wait'; pass: string; approvalId: string }
  | { kind: 'close_interrupted'; pass: string; attempt: number; generationId: string }
  | {
      kind: 'start_attempt';
      pass: string;
      attempt: number;
      reason: AttemptReason;
      tier: string;
      findings: string[];
      /** For a human pass: the approval whose note is the pass's work. */
      approval?: ApprovalRun;
    }
  | { kind: 'evaluate_gate'; pass: string; attempt: number; gate: string; approval?: ApprovalRun }
  | { kind: 'apply_escalation'; record: EscalationApplied }
  | {
      kind: 'complete_pass';
      pass: string;
      outcome: 'passed' | 'failed';
      reason: string;
      item?: WorkItemCompleted;
    }
  | { kind: 'complete_item'; outcome: WorkItemCompleted['outcome']; reason: string };

/** The id a person types to decide an approval, e.g. `WI-3/integration/merge-approval`. */
export function approvalIdFor(
  itemId: string,
  pass: string,
  kind: ApprovalKind,
  name: string | undefined,
  attempt: number,
): string {
  const base =
    kind === 'checkpoint'
      ? `${itemId}/${pass}/checkpoint${name ? `-${name}` : ''}`
      : kind === 'gate'
        ? `${itemId}/${pass}/${name}`
        : kind === 'escalation'
          ? `${itemId}/${pass}/${name}/escalation`
          : `${itemId}/${pass}/work`;
  return attempt > 1 && kind !== 'checkpoint' ? `${base}/${attempt}` : base;
}

/** Decides what to do next for one work item; `busy` holds passes with work in flight in this process. */
export function decide(state: RunState, plan: RunPlan, busy: ReadonlySet<string>): Action[] {
  if (state.completed) return [];
  const actions: Action[] = [];
  for (const pass of plan.passes) {
    const run = state.passes.get(pass.id);
    if (run?.completed || busy.has(pass.id)) continue;
    const needsMet = pass.needs.every((n) => {
      const outcome = state.passes.get(n)?.completed?.outcome;
      return outcome === 'passed' || outcome === 'skipped';
    });
    if (!needsMet) continue;
    actions.push(...decidePass(state, plan, pass, run));
  }
  if (actions.length === 0 && busy.size === 0) {
    const allDone = plan.passes.every((p) => {
      const o = state.passes.get(p.id)?.completed?.outcome;
      return o === 'passed' || o === 'skipped';
    });
    if (allDone)
      actions.push({
        kind: 'complete_item',
        outcome: 'done',
        reason: 'every pass passed its gates',
      });
  }
  return actions;
}

function decidePass(
  state: RunState,
  plan: RunPlan,
  pass: PassPlan,
  run: PassRun | undefined,
): Action[] {
  // Checkpoints come before the pass runs, whatever the workflow says.
  for (const cp of pass.checkpoints) {
    const name = pass.checkpoints.length > 1 ? cp.id : undefined;
    const gate = approvalGate(state, pass, 'checkpoint', name, 1, cp.role, {
      checkpoint: cp.id,
      reason: `pass ${pass.id} declares an action under checkpoint ${cp.id}: approval needed before it runs`,
    });
    if (gate.blocked) return gate.actions;
    if (gate.approval?.decision?.decision === 'rejected') {
      return [abortPass(pass.id, `checkpoint ${cp.id} rejected by ${gate.approval.decision.by}`)];
    }
  }

  const attempts = run?.attempts ?? [];
  const last = attempts.at(-1);
  if (!last) return startAttempt(state, pass, 1, 'first', pass.tier, []);
  const n = last.started.attempt;
  if (!last.finished) {
    return [
      {
        kind: 'close_interrupted',
        pass: pass.id,
        attempt: n,
        generationId: last.started.generationId,
      },
    ];
  }
  const finished = last.finished;
  if (finished.outcome === 'interrupted') {
    return startAttempt(
      state,
      pass,
      n + 1,
      'after_interruption',
      last.started.tier,
      last.started.findings,
    );
  }
  if (finished.outcome === 'failed') {
    if (finished.error?.kind === 'rejected') {
      return [abortPass(pass.id, finished.error.message)];
    }
    const failures = attempts.filter((a) => a.finished?.outcome === 'failed').length;
    if (failures < MAX_FAILED_ATTEMPTS) {
      return startAttempt(state, pass, n + 1, 'retry', last.started.tier, finished.findings);
    }
    const why = finished.error?.message ?? finished.findings.join('; ');
    return [
      {
        kind: 'complete_pass',
        pass: pass.id,
        outcome: 'failed',
        reason: `${failures} attempts failed; the last: ${why}`,
        item: { outcome: 'failed', reason: `pass ${pass.id} failed: ${why}` },
      },
    ];
  }
  return decideGates(state, plan, pass, run as PassRun, last);
}

function decideGates(
  state: RunState,
  plan: RunPlan,
  pass: PassPlan,
  run: PassRun,
  last: AttemptRun,
): Action[] {
  const n = last.started.attempt;
  for (const gate of pass.gates) {
    const decided = last.gates.get(gate.id);
    if (decided?.verdict === 'passed') continue;
    if (!decided) {
      if (gate.human) {
        const g = approvalGate(state, pass, 'gate', gate.id, n, gate.human, {
          gate: gate.id,
          reason: `gate ${gate.id} of pass ${pass.id} needs a decision by ${gate.human.name}`,
        });
        if (g.blocked) return g.actions;
        return [
          { kind: 'evaluate_gate', pass: pass.id, attempt: n, gate: gate.id, approval: g.approval },
        ];
      }
      return [{ kind: 'evaluate_gate', pass: pass.id, attempt: n, gate: gate.id }];
    }
    const applied = last.escalations.get(gate.id);
    if (!applied) {
      return [{ kind: 'apply_escalation', record: nextStep(plan, pass, run, gate, last) }];
    }
    switch (applied.step) {
      case 'rework':
        return startAttempt(state, pass, n + 1, 'rework', last.started.tier, decided.findings);
      case 'escalate-tier':
        return startAttempt(
          state,
          pass,
          n + 1,
          'escalate_tier',
          tierAbove(plan.tiers, last.started.tier) ?? last.started.tier,
          decided.findings,
        );
      case 'human': {
        const role = humanRole(gate, applied.stepIndex, plan);
        const g = approvalGate(state, pass, 'escalation', gate.id, n, role, {
          gate: gate.id,
          reason: `gate ${gate.id} of pass ${pass.id} failed (${decided.findings.join('; ') || 'no findings'}); approve to accept the pass anyway, reject to abort the work item`,
        });
        if (g.blocked) return g.actions;
        const d = g.approval?.decision;
        if (d?.decision === 'approved') {
          return [
            {
              kind: 'complete_pass',
              pass: pass.id,
              outcome: 'passed',
              reason: `accepted by ${d.by} despite failed gate ${gate.id}`,
            },
          ];
        }
        return [
          abortPass(
            pass.id,
            `${d?.by ?? 'a person'} rejected pass ${pass.id} after gate ${gate.id} failed`,
          ),
        ];
      }
      default:
        return [
          abortPass(
            pass.id,
            applied.step === 'abort'
              ? `gate ${gate.id} failed and its escalation says abort`
              : `gate ${gate.id} failed and its escalation ladder is exhausted`,
          ),
        ];
    }
  }
  return [{ kind: 'complete_pass', pass: pass.id, outcome: 'passed', reason: 'every gate passed' }];
}

/** The next usable step of a failed gate's ladder (or `exhausted`). */
export function nextStep(
  plan: RunPlan,
  pass: PassPlan,
  run: PassRun,
  gate: GatePlan,
  last: AttemptRun,
): EscalationApplied {
  const base = { pass: pass.id, attempt: last.started.attempt, gate: gate.id };
  for (const [i, step] of gate.onFail.entries()) {
    const used = stepUses(run, gate.id, i);
    if (step.kind === 'rework' && used < step.max) {
      return { ...base, step: 'rework', stepIndex: i, used: used + 1, max: step.max };
    }
    if (
      step.kind === 'escalate-tier' &&
      used < step.max &&
      tierAbove(plan.tiers, last.started.tier) !== undefined
    ) {
      return { ...base, step: 'escalate-tier', stepIndex: i, used: used + 1, max: step.max };
    }
    if (step.kind === 'human' && used === 0) {
      return { ...base, step: 'human', stepIndex: i, used: 1, max: 1 };
    }
    if (step.kind === 'abort')
      return { ...base, step: 'abort', stepIndex: i, used: used + 1, max: null };
  }
  return { ...base, step: 'exhausted', stepIndex: gate.onFail.length, used: 1, max: null };
}

/** The tier one step up `tiers`, or undefined at the top (or for a tier not in the list). */
export function tierAbove(tiers: readonly string[], tier: string): string | undefined {
  const i = tiers.indexOf(tier);
  return i === -1 || i === tiers.length - 1 ? undefined : tiers[i + 1];
}

function humanRole(gate: GatePlan, stepIndex: number, plan: RunPlan): RolePlan {
  const step = gate.onFail[stepIndex];
  const name = step?.kind === 'human' ? step.role : 'owner';
  return plan.roles?.[name] ?? { name, members: [] };
}

function startAttempt(
  state: RunState,
  pass: PassPlan,
  attempt: number,
  reason: AttemptReason,
  tier: string,
  findings: string[],
): Action[] {
  if (pass.runtime !== 'human') {
    return [{ kind: 'start_attempt', pass: pass.id, attempt, reason, tier, findings }];
  }
  // A human pass is done by a person: its attempt starts once they have answered.
  const role = { name: 'owner', members: [] };
  const g = approvalGate(state, pass, 'work', undefined, attempt, role, {
    reason: `pass ${pass.id} is done by a person: approve with a --note holding the work, or reject`,
  });
  if (g.blocked) return g.actions;
  return [
    { kind: 'start_attempt', pass: pass.id, attempt, reason, tier, findings, approval: g.approval },
  ];
}

function abortPass(pass: string, reason: string): Action {
  return {
    kind: 'complete_pass',
    pass,
    outcome: 'failed',
    reason,
    item: { outcome: 'aborted', reason },
  };
}

interface ApprovalGateResult {
  blocked: boolean;
  actions: Action[];
  approval: ApprovalRun | undefined;
}

/** Requests an approval if needed; blocked while it is missing or undecided. */
function approvalGate(
  state: RunState,
  pass: PassPlan,
  kind: ApprovalKind,
  name: string | undefined,
  attempt: number,
  role: RolePlan,
  extra: { gate?: string; checkpoint?: string; reason: string },
): ApprovalGateResult {
  const approvalId = approvalIdFor(state.itemId, pass.id, kind, name, attempt);
  const approval = state.approvals.get(approvalId);
  if (!approval) {
    const request: ApprovalRequested = {
      approvalId,
      kind,
      pass: pass.id,
      attempt: kind === 'checkpoint' ? null : attempt,
      ...(extra.gate !== undefined && { gate: extra.gate }),
      ...(extra.checkpoint !== undefined && { checkpoint: extra.checkpoint }),
      role: role.name,
      members: [...role.members],
      reason: extra.reason,
    };
    return { blocked: true, actions: [{ kind: 'request_approval', request }], approval };
  }
  if (!approval.decision) {
    return { blocked: true, actions: [{ kind: 'wait', pass: pass.id, approvalId }], approval };
  }
  return { blocked: false, actions: [], approval };
}
