/**
 * Runs one attempt of a pass: records `attempt.started`, prepares the
 * worktree, runs the agent's runtime (recording each model call as it
 * happens, with its cost), writes and commits the outputs with keel's
 * trailers after checking the agent's write access, and records how it ended.
 */
import { compareReportedCost, priceCall } from '../cost/index.ts';
import type { PlannedPass } from '../definitions/index.ts';
import {
  type AgentSession,
  type ModelCallRecord,
  type PassContext,
  RuntimeFailure,
  type RuntimeResult,
  runtimeFor,
} from '../runtimes/index.ts';
import type { WorkItemSubmitted } from '../workitems/index.ts';
import {
  artifactDir,
  changedFiles,
  commitAll,
  ensureWorktree,
  readArtifact,
  readContextFiles,
  resetWorktree,
  withWorktreeLock,
  worktreePath,
  writeArtifacts,
  writesOutside,
} from '../workspaces/index.ts';
import { reusedEvent, reusedResult, reuseFor } from './artifact-reuse.ts';
import type { Action } from './decide.ts';
import { appendEvents, ENGINE_ACTOR, type EngineContext } from './engine-context.ts';
import {
  AGENT_SESSION_RECORDED,
  ARTIFACT_WRITTEN,
  ATTEMPT_FINISHED,
  ATTEMPT_STARTED,
  type AttemptFinished,
  type AttemptStarted,
  keys,
  MODEL_CALL_RECORDED,
  type ModelCallRecorded,
} from './events.ts';
import { newGenerationId } from './ids.ts';
import { chooseTarget } from './routing.ts';
import type { RunState } from './run-state.ts';

type StartAttempt = Extract<Action, { kind: 'start_attempt' }>;

/** A coding-agent CLI runs its own vendor's models: the engine picks the tier's model among those. */
const CLI_PROVIDER_KINDS: Readonly<Record<string, readonly string[]>> = {
  'claude-code': ['anthropic'],
  codex: ['openai'],
};

/** Everything about the item an attempt needs beyond the action itself. */
export interface AttemptScope {
  item: WorkItemSubmitted;
  /** The planned passes in order, to find which pass produced an input. */
  order: PlannedPass[];
  pass: PlannedPass;
  state: RunState;
}

/** Executes a start_attempt action end to end; never throws for a failing pass. */
export async function executeAttempt(
  ctx: EngineContext,
  scope: AttemptScope,
  action: StartAttempt,
): Promise<void> {
  const { item, pass } = scope;
  const agent = pass.agent;
  const generationId = newGenerationId();
  const needsModel = agent.runtime.kind === 'llm';
  const cliProviders = CLI_PROVIDER_KINDS[agent.runtime.kind];
  const target =
    needsModel || cliProviders
      ? chooseTarget(
          ctx.definitions.config,
          ctx.catalog,
          action.tier,
          ctx.env,
          new Date(),
          cliProviders,
        )
      : undefined;
  const started: AttemptStarted = {
    pass: pass.id,
    attempt: action.attempt,
    generationId,
    agent: agent.name,
    runtime: agent.runtime.kind,
    tier: action.tier,
    model: target?.model ?? null,
    provider: target?.provider.name ?? null,
    reason: action.reason,
    findings: action.findings,
  };
  const [recorded] = await appendEvents(ctx, [
    {
      type: ATTEMPT_STARTED,
      actor: ENGINE_ACTOR,
      workItemId: item.id,
      data: { ...started },
      idempotencyKey: keys.attemptStarted(item.id, pass.id, action.attempt),
    },
  ]);
  // Another run recorded this attempt first (only after a lost lock): leave it to the projection.
  if ((recorded?.data as unknown as AttemptStarted | undefined)?.generationId !== generationId)
    return;

  const finish = (data: Omit<AttemptFinished, 'pass' | 'attempt' | 'generationId'>, extra = []) =>
    appendEvents(ctx, [
      ...extra,
      {
        type: ATTEMPT_FINISHED,
        actor: ENGINE_ACTOR,
        workItemId: item.id,
        data: { pass: pass.id, attempt: action.attempt, generationId, ...data },
        idempotencyKey: keys.attemptFinished(item.id, pass.id, action.attempt),
      },
    ]);

  // Parallel passes of one item share its worktree: preparing, editing tools and committing take turns.
  const lockKey = worktreePath(ctx.root, item.id);
  let worktree: string;
  try {
    worktree = await withWorktreeLock(lockKey, async () => {
      const path = await ensureWorktree(ctx.root, item.id);
      await resetWorktree(path);
      return path;
    });
  } catch (error) {
    await finish({
      outcome: 'failed',
      findings: [`the work item's worktree could not be prepared: ${(error as Error).message}`],
      error: { kind: 'infrastructure', message: (error as Error).message },
    });
    return;
  }

  let callNumber = 0;
  const onCall = async (call: ModelCallRecord): Promise<void> => {
    callNumber++;
    await appendEvents(ctx, [
      {
        type: MODEL_CALL_RECORDED,
        actor: agent.name,
        workItemId: item.id,
        data: { ...callRecord(ctx, call, generationId, pass.id, action.attempt) },
        idempotencyKey: keys.modelCall(generationId, callNumber),
      },
    ]);
  };
  let sessionNumber = 0;
  const onSession = async (session: AgentSession): Promise<void> => {
    sessionNumber++;
    await appendEvents(ctx, [
      {
        type: AGENT_SESSION_RECORDED,
        actor: agent.name,
        workItemId: item.id,
        data: { pass: pass.id, attempt: action.attempt, generationId, ...session },
        idempotencyKey: keys.agentSession(generationId, sessionNumber),
      },
    ]);
  };
  const resumeSession = resumableSession(scope.state, pass.id, action.reason);
  const cliConfig = ctx.definitions.config.runtimes;
  const passContext: PassContext = {
    itemId: item.id,
    item: { title: item.title, body: item.body, type: item.type },
    pass,
    agent,
    attempt: action.attempt,
    generationId,
    tier: action.tier,
    target,
    findings: action.findings,
    worktree,
    inputs: readInputs(worktree, scope),
    contextFiles: needsModel ? readContextFiles(worktree, agent.context.paths) : [],
    ...(action.approval?.decision && {
      approval: {
        by: action.approval.decision.by,
        note: action.approval.decision.note,
        decision: action.approval.decision.decision,
      },
    }),
    env: ctx.env,
    signal: ctx.signal,
    ...(ctx.retry && { retry: ctx.retry }),
    onCall,
    findReusable: (hash) => reusableCall(scope.state, pass.id, hash),
    onSession,
    ...(ctx.onProgress && {
      onProgress: (progress) => ctx.onProgress?.(item.id, pass.id, progress),
    }),
    ...(resumeSession && { resumeSession }),
    cliCommands: {
      ...(cliConfig?.claudeCode && { 'claude-code': cliConfig.claudeCode.command }),
      ...(cliConfig?.codex && { codex: cliConfig.codex.command }),
    },
  };

  const reuse = await reuseFor(ctx, {
    pass,
    target,
    item: { title: item.title, body: item.body, type: item.type },
    inputs: passContext.inputs,
    worktree,
    reason: action.reason,
  });
  // Runtimes that only call a model edit nothing until their outputs are written, so they run outside the lock.
  const editsWorktree = agent.runtime.kind !== 'llm' && agent.runtime.kind !== 'human';
  const execute = async () =>
    reuse?.hit ? reusedResult(reuse.hit) : runtimeFor(agent.runtime.kind).execute(passContext);
  const undoOnFailure = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (!ctx.signal.aborted) await resetWorktree(worktree).catch(() => {});
      throw error;
    }
  };
  const conclude = async (result: RuntimeResult): Promise<void> => {
    const written = writeArtifacts(worktree, item.id, pass.id, result.outputs);
    const folder = artifactDir(item.id, pass.id);
    const outside = writesOutside(await changedFiles(worktree), agent.access.write, folder);
    if (outside.length > 0) {
      await resetWorktree(worktree);
      await finish({
        outcome: 'failed',
        findings: [
          `agent ${agent.name} changed files outside its access.write globs (${agent.access.write.join(', ') || 'none'}) and ${folder}/: ${outside.join(', ')}; those changes were discarded`,
        ],
        error: { kind: 'access', message: `writes outside access: ${outside.join(', ')}` },
      });
      return;
    }
    // A holder whose lease expired may have lost its resources to another: it must not commit.
    const fenced = await ctx.beforeCommit?.(item.id, pass.id, action.attempt);
    if (fenced) {
      await resetWorktree(worktree);
      await finish({
        outcome: 'failed',
        findings: [fenced],
        error: { kind: 'infrastructure', message: fenced },
      });
      return;
    }
    const commit = await commitAll(
      worktree,
      `keel: ${item.id} ${pass.id} (attempt ${action.attempt})`,
      {
        workItem: item.id,
        pass: pass.id,
        generation: generationId,
        agent: agent.name,
        // The model that answered (a coding-agent CLI may run another than asked), else the one chosen.
        model: result.calls[0]
          ? `${result.calls[0].provider}/${result.calls[0].model}`
          : target
            ? `${target.provider.name}/${target.model}`
            : agent.runtime.kind,
        ...(result.coAuthor && { coAuthor: result.coAuthor }),
      },
    );
    await finish({ outcome: 'succeeded', findings: [], commit }, [
      ...(reuse?.hit ? [reusedEvent(item.id, pass.id, action.attempt, generationId, reuse)] : []),
      ...written.map((w) => ({
        type: ARTIFACT_WRITTEN,
        actor: agent.name,
        workItemId: item.id,
        data: {
          pass: pass.id,
          attempt: action.attempt,
          generationId,
          path: w.path,
          sha256: w.sha256,
          bytes: w.bytes,
          commit,
          ...(reuse && { reuseKey: reuse.key }),
        },
        idempotencyKey: keys.artifact(generationId, w.path),
      })),
    ] as never[]);
  };

  try {
    if (editsWorktree) {
      await withWorktreeLock(lockKey, () => undoOnFailure(async () => conclude(await execute())));
    } else {
      const result = await execute();
      await withWorktreeLock(lockKey, () => undoOnFailure(() => conclude(result)));
    }
  } catch (error) {
    // Stopped on purpose (Ctrl-C, SIGTERM): leave the attempt open; the next run closes it as interrupted.
    if (ctx.signal.aborted) return;
    if (error instanceof RuntimeFailure) {
      await finish({
        outcome: 'failed',
        findings: error.findings,
        error: { kind: error.kind, message: error.message },
      });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    await finish({
      outcome: 'failed',
      findings: [`the attempt failed unexpectedly: ${message}`],
      error: { kind: 'infrastructure', message },
    });
  }
}

/** A model call as recorded: ids, attribution and its cost from the catalog (unpriced is never $0). */
export function callRecord(
  ctx: Pick<EngineContext, 'catalog'>,
  call: ModelCallRecord,
  generationId: string,
  pass: string,
  attempt: number,
): ModelCallRecorded {
  const price = call.reusedFrom
    ? undefined
    : priceCall({
        provider: call.provider,
        model: call.model,
        usage: call.usage,
        at: new Date(),
        catalog: ctx.catalog,
      });
  const check =
    call.reportedCostUsd !== undefined && price?.status === 'priced'
      ? compareReportedCost(price.costMicros, call.reportedCostUsd)
      : undefined;
  return {
    callId: newGenerationId(),
    generationId,
    pass,
    attempt,
    purpose: call.purpose,
    ...(call.gate !== undefined && { gate: call.gate }),
    provider: call.provider,
    model: call.model,
    usage: call.usage,
    latencyMs: call.latencyMs,
    costUsd: price === undefined ? 0 : price.status === 'priced' ? price.costUsd : null,
    priced: price === undefined || price.status === 'priced',
    ...(price?.status === 'unpriced' && { unpricedReason: price.reason }),
    retries: call.retries,
    promptHash: call.promptHash,
    response: call.response,
    ...(call.reusedFrom !== undefined && { reusedFrom: call.reusedFrom }),
    ...(call.reportedCostUsd !== undefined && { reportedCostUsd: call.reportedCostUsd }),
    ...(check?.flag !== undefined && { reportedCostFlag: check.flag }),
    outcome: call.outcome,
    ...(call.error !== undefined && { error: call.error }),
  };
}

/** A recorded answer to the same prompt in an interrupted attempt of this pass. */
function reusableCall(
  state: RunState,
  pass: string,
  hash: string,
): { callId: string; response: string } | undefined {
  const attempts = state.passes.get(pass)?.attempts ?? [];
  for (const a of [...attempts].reverse()) {
    if (a.finished?.outcome !== 'interrupted') continue;
    const call = [...a.calls]
      .reverse()
      .find(
        (c) =>
          c.purpose === 'pass' &&
          c.promptHash === hash &&
          c.response !== '' &&
          c.outcome === 'succeeded',
      );
    if (call) return { callId: call.reusedFrom ?? call.callId, response: call.response };
  }
  return undefined;
}

/** After an interruption, the coding-agent session the interrupted attempt ran in, to continue it. */
function resumableSession(
  state: RunState,
  pass: string,
  reason: StartAttempt['reason'],
): AgentSession | undefined {
  if (reason !== 'after_interruption') return undefined;
  const last = [...(state.passes.get(pass)?.attempts ?? [])]
    .reverse()
    .find((a) => a.finished?.outcome === 'interrupted');
  const session = last?.session;
  if (!session) return undefined;
  return {
    tool: session.tool,
    sessionId: session.sessionId,
    ...(session.usageTotals && { usageTotals: session.usageTotals }),
  };
}

/** Reads a pass's inputs from the artifacts of the latest earlier pass that declared each as an output. */
function readInputs(worktree: string, scope: AttemptScope): { name: string; content: string }[] {
  const index = scope.order.findIndex((p) => p.id === scope.pass.id);
  const earlier = scope.order.slice(0, index).reverse();
  return scope.pass.inputs.flatMap((name) => {
    const producer = earlier.find((p) => p.outputs.includes(name));
    const content = producer ? readArtifact(worktree, scope.item.id, producer.id, name) : undefined;
    return content === undefined ? [] : [{ name, content }];
  });
}
