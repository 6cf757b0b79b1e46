/**
 * Evaluates one gate of a pass's attempt and records `gate.decided`: commands
 * run as argv in the worktree (their output kept as the gate's log artifact),
 * reviews ask the reviewer agent for a verdict per criterion, human checks
 * read the approval a person gave, and all_of / any_of combine their members.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Check, PlannedPass } from '../definitions/index.ts';
import {
  type ModelCallRecord,
  type PassContext,
  RuntimeFailure,
  recordedCall,
  runArgv,
} from '../runtimes/index.ts';
import type { WorkItemSubmitted } from '../workitems/index.ts';
import {
  artifactDir,
  commitAll,
  ensureWorktree,
  readArtifact,
  withWorktreeLock,
  worktreePath,
} from '../workspaces/index.ts';
import type { Action } from './decide.ts';
import { appendEvents, ENGINE_ACTOR, type EngineContext } from './engine-context.ts';
import {
  type CriterionVerdict,
  GATE_DECIDED,
  type GateDecided,
  keys,
  MODEL_CALL_RECORDED,
} from './events.ts';
import { callRecord } from './execute-attempt.ts';
import { reviewPrompt, verdictSchema, verdictsOf } from './review.ts';
import { chooseTarget } from './routing.ts';
import type { AttemptRun, RunState } from './run-state.ts';

type EvaluateGate = Extract<Action, { kind: 'evaluate_gate' }>;

const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60_000;

interface CheckResult {
  passed: boolean;
  criteria: CriterionVerdict[];
  findings: string[];
  decidedBy: string[];
}

interface GateScope {
  item: WorkItemSubmitted;
  pass: PlannedPass;
  attempt: AttemptRun;
  state: RunState;
  defaultTier: string;
}

/** Executes an evaluate_gate action; records the verdict (a broken check is a failed gate with a finding). */
export async function executeGate(
  ctx: EngineContext,
  scope: GateScope,
  action: EvaluateGate,
): Promise<void> {
  const { item, pass } = scope;
  const gate = pass.gates.find((g) => g.id === action.gate);
  if (!gate) return;
  // Commands run in (and logs are committed to) the shared worktree: take turns with other passes.
  if (hasCommand(gate.check)) {
    await withWorktreeLock(worktreePath(ctx.root, item.id), () =>
      evaluate(ctx, scope, action, gate),
    );
  } else {
    await evaluate(ctx, scope, action, gate);
  }
}

function hasCommand(check: Check): boolean {
  if (check.kind === 'command') return true;
  return (check.kind === 'all_of' || check.kind === 'any_of') && check.members.some(hasCommand);
}

async function evaluate(
  ctx: EngineContext,
  scope: GateScope,
  action: EvaluateGate,
  gate: PlannedPass['gates'][number],
): Promise<void> {
  const { item, pass, attempt } = scope;
  const log: string[] = [];
  let worktree: string;
  try {
    worktree = await ensureWorktree(ctx.root, item.id);
  } catch (error) {
    // Without its worktree no check can run: a failed gate the ladder handles, not a crashed run.
    await record(ctx, scope, action, gate.check.kind, {
      passed: false,
      criteria: [],
      findings: [`the work item's worktree could not be prepared: ${(error as Error).message}`],
      decidedBy: ['keel'],
    });
    return;
  }
  let callNumber = 0;
  const evaluation = {
    ctx,
    scope,
    gateId: gate.id,
    worktree,
    log,
    approval: action.approval,
    nextCall: () => ++callNumber,
  };
  let result: CheckResult;
  try {
    result = await evaluateCheck(gate.check, evaluation);
  } catch (error) {
    if (ctx.signal.aborted) return;
    const message = error instanceof Error ? error.message : String(error);
    result = {
      passed: false,
      criteria: [],
      findings: [`gate ${gate.id} could not be evaluated: ${message}`],
      decidedBy: ['keel'],
    };
  }
  // Stopped on purpose: a check cut short decides nothing; the next run evaluates the gate again.
  if (ctx.signal.aborted) return;
  let logPath: string | undefined;
  if (log.length > 0) {
    logPath = `${artifactDir(item.id, pass.id)}/gates/${gate.id}.log`;
    const abs = join(worktree, logPath);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, log.join('\n'));
    await commitAll(worktree, `keel: ${item.id} ${pass.id} gate ${gate.id} log`, {
      workItem: item.id,
      pass: pass.id,
      generation: attempt.started.generationId,
      agent: pass.agent.name,
      model: attempt.started.model
        ? `${attempt.started.provider}/${attempt.started.model}`
        : attempt.started.runtime,
    }).catch(() => null);
  }
  await record(ctx, scope, action, gate.check.kind, result, logPath);
}

/** Appends the gate's verdict. */
async function record(
  ctx: EngineContext,
  scope: GateScope,
  action: EvaluateGate,
  kind: string,
  result: CheckResult,
  logPath?: string,
): Promise<void> {
  const decided: GateDecided = {
    pass: scope.pass.id,
    attempt: action.attempt,
    gate: action.gate,
    kind,
    verdict: result.passed ? 'passed' : 'failed',
    criteria: result.criteria,
    findings: result.findings,
    decidedBy: [...new Set(result.decidedBy)].join(', '),
    ...(logPath !== undefined && { logPath }),
  };
  await appendEvents(ctx, [
    {
      type: GATE_DECIDED,
      actor: ENGINE_ACTOR,
      workItemId: scope.item.id,
      data: { ...decided },
      idempotencyKey: keys.gateDecided(scope.item.id, scope.pass.id, action.attempt, action.gate),
    },
  ]);
}

interface Evaluation {
  ctx: EngineContext;
  scope: GateScope;
  gateId: string;
  worktree: string;
  log: string[];
  approval: EvaluateGate['approval'];
  nextCall: () => number;
}

async function evaluateCheck(check: Check, ev: Evaluation): Promise<CheckResult> {
  switch (check.kind) {
    case 'command':
      return commandCheck(check.run, check.timeoutMs, ev);
    case 'review':
      return reviewCheck(check.agent, check.criteria, ev);
    case 'human': {
      const d = ev.approval?.decision;
      if (!d) throw new Error('the human check has no decision yet');
      const passed = d.decision === 'approved';
      const criteria = (check.criteria.length > 0 ? check.criteria : ['approved by a person']).map(
        (criterion) => ({ criterion, passed, finding: d.note || `${d.decision} by ${d.by}` }),
      );
      return {
        passed,
        criteria,
        findings: passed ? [] : [`${d.by} rejected: ${d.note || 'no note'}`],
        decidedBy: [d.by],
      };
    }
    case 'all_of':
    case 'any_of': {
      const results: CheckResult[] = [];
      for (const member of check.members) results.push(await evaluateCheck(member, ev));
      const passed =
        check.kind === 'all_of' ? results.every((r) => r.passed) : results.some((r) => r.passed);
      return {
        passed,
        criteria: results.flatMap((r) => r.criteria),
        findings: passed ? [] : results.flatMap((r) => r.findings),
        decidedBy: results.flatMap((r) => r.decidedBy),
      };
    }
  }
}

async function commandCheck(
  run: string[],
  timeoutMs: number | undefined,
  ev: Evaluation,
): Promise<CheckResult> {
  const shown = run.join(' ');
  const result = await runArgv(run, {
    cwd: ev.worktree,
    timeoutMs: timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    signal: ev.ctx.signal,
    env: { ...ev.ctx.env, KEEL_WORK_ITEM: ev.scope.item.id, KEEL_PASS: ev.scope.pass.id },
  });
  const passed = result.exitCode === 0;
  const how = result.timedOut
    ? `timed out after ${timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS} ms`
    : result.exitCode === null
      ? `could not run (${result.output.trim().split('\n').at(-1) ?? 'no output'})`
      : `exited with ${result.exitCode}`;
  ev.log.push(`$ ${shown}`, result.output.trimEnd(), `[${how}]`);
  const tail = result.output.trimEnd().split('\n').slice(-15).join('\n');
  return {
    passed,
    criteria: [{ criterion: `\`${shown}\` exits 0`, passed, finding: how }],
    findings: passed ? [] : [`\`${shown}\` ${how}; last output:\n${tail}`],
    decidedBy: ['command'],
  };
}

async function reviewCheck(
  reviewer: PlannedPass['agent'],
  criteria: string[],
  ev: Evaluation,
): Promise<CheckResult> {
  const { ctx, scope } = ev;
  const tier = reviewer.tier ?? scope.defaultTier;
  const target = chooseTarget(ctx.definitions.config, ctx.catalog, tier, ctx.env);
  const { pass, item, attempt } = scope;
  const artifacts = pass.outputs.flatMap((name) => {
    const content = readArtifact(ev.worktree, item.id, pass.id, name);
    return content === undefined ? [] : [{ name, content }];
  });
  const prompt = reviewPrompt({
    itemId: item.id,
    title: item.title,
    pass: pass.id,
    gate: ev.gateId,
    criteria,
    artifacts,
  });
  const generationId = attempt.started.generationId;
  const reviewContext: PassContext = {
    itemId: item.id,
    item: { title: item.title, body: item.body, type: item.type },
    pass,
    agent: reviewer,
    attempt: attempt.started.attempt,
    generationId,
    tier,
    target,
    findings: [],
    worktree: ev.worktree,
    inputs: artifacts,
    contextFiles: [],
    env: ctx.env,
    signal: ctx.signal,
    ...(ctx.retry && { retry: ctx.retry }),
    onCall: async (call: ModelCallRecord) => {
      await appendEvents(ctx, [
        {
          type: MODEL_CALL_RECORDED,
          actor: reviewer.name,
          workItemId: item.id,
          data: { ...callRecord(ctx, call, generationId, pass.id, attempt.started.attempt) },
          idempotencyKey: keys.modelCall(generationId, `review-${ev.gateId}-${ev.nextCall()}`),
        },
      ]);
    },
    // A review answered before a crash (same attempt, same gate, same prompt) is not asked again.
    findReusable: (hash) => {
      const call = attempt.calls.find(
        (c) =>
          c.purpose === 'review' &&
          c.gate === ev.gateId &&
          c.promptHash === hash &&
          c.outcome === 'succeeded',
      );
      return call ? { callId: call.reusedFrom ?? call.callId, response: call.response } : undefined;
    },
  };
  try {
    const answer = await recordedCall(reviewContext, {
      purpose: 'review',
      gate: ev.gateId,
      agent: reviewer.name,
      system: reviewer.instructions,
      prompt,
      schema: verdictSchema(criteria),
    });
    const verdicts = verdictsOf(criteria, answer);
    const failed = verdicts.filter((v) => !v.passed);
    return {
      passed: failed.length === 0,
      criteria: verdicts,
      findings: failed.map((v) => `${v.criterion} — ${v.finding}`),
      decidedBy: [reviewer.name],
    };
  } catch (error) {
    if (!(error instanceof RuntimeFailure)) throw error;
    return {
      passed: false,
      criteria: [],
      findings: [`the review by ${reviewer.name} gave no usable verdict: ${error.message}`],
      decidedBy: [reviewer.name],
    };
  }
}
