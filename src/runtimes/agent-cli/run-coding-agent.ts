/**
 * One attempt of a pass by a coding-agent CLI, whichever CLI: build the prompt,
 * spawn the configured command in the work item's worktree, record the session
 * as soon as the CLI names it (so an interruption resumes it), report progress,
 * record one model call per model used (also for a failed run: those tokens
 * were spent), read the declared outputs, and turn failures into the engine's
 * kinds. The CLI-specific parts come in through a `CodingAgentCli`.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative } from 'node:path';
import { artifactDir } from '../../workspaces/index.ts';
import {
  type AgentEvent,
  AgentRunError,
  type AgentRunSummary,
  type AgentStreamParser,
} from '../claude-code/agent-run.ts';
import type { CliInvocation } from '../claude-code/claude-args.ts';
import { runAgentCli } from '../claude-code/run-agent-cli.ts';
import type {
  AgentSession,
  ModelCallRecord,
  PassContext,
  RuntimeProgress,
  RuntimeResult,
} from '../runtime.ts';
import { type CodingAgentTool, resolveCliCommand } from './cli-command.ts';
import { buildCodingPrompt } from './coding-prompt.ts';
import { collectOutputs } from './collect-outputs.ts';
import { toRuntimeFailure } from './runtime-failure.ts';

/** What differs between coding-agent CLIs. */
export interface CodingAgentCli {
  tool: CodingAgentTool;
  /** For messages: `Claude Code`, `Codex`. */
  displayName: string;
  /** The `Co-authored-by:` value of its commits. */
  coAuthor: string;
  /** The catalog provider its models are priced under when the engine chose none. */
  defaultProvider: string;
  /** Whether the agent's instructions go in the prompt (else the CLI takes them apart). */
  instructionsInPrompt: boolean;
  /** Anything to learn about the CLI before running it (e.g. its version). */
  probe?(command: readonly string[], ctx: PassContext): Promise<Record<string, string>>;
  invocation(ctx: PassContext, prompt: string, resume: AgentSession | undefined): CliInvocation;
  parser(
    ctx: PassContext,
    resume: AgentSession | undefined,
    facts: Record<string, string>,
  ): AgentStreamParser;
  /** What to record about a session beyond its id (Codex: the usage totals). */
  sessionExtras?(summary: AgentRunSummary): Pick<AgentSession, 'usageTotals'>;
}

/** Without a timeout in the agent's runtime settings, a run may take this long. */
export const DEFAULT_AGENT_TIMEOUT_MS = 30 * 60_000;

/** Runs one attempt with the given CLI; returns outputs, recorded calls and the co-author. */
export async function runCodingAgent(
  cli: CodingAgentCli,
  ctx: PassContext,
): Promise<RuntimeResult> {
  const command = resolveCliCommand(cli.tool, ctx.cliCommands?.[cli.tool], ctx.env);
  const [program, ...lead] = command as [string, ...string[]];
  const folder = artifactDir(ctx.itemId, ctx.pass.id);
  const resume = ctx.resumeSession?.tool === cli.tool ? ctx.resumeSession : undefined;
  const prompt = buildCodingPrompt(
    { ...ctx, ...(resume ? { resumeSession: resume } : { resumeSession: undefined }) },
    { includeInstructions: cli.instructionsInPrompt, artifactFolder: folder },
  );
  const facts = cli.probe ? await cli.probe(command, ctx) : {};
  const { args, stdin } = cli.invocation(ctx, prompt, resume);

  // Session records are appended in order, after one another, from a synchronous event callback.
  let sessionWrites: Promise<void> = Promise.resolve();
  let sessionError: unknown;
  const recordSession = (session: AgentSession): void => {
    if (!ctx.onSession) return;
    const write = ctx.onSession.bind(ctx);
    sessionWrites = sessionWrites.then(() =>
      write(session).catch((error: unknown) => {
        sessionError ??= error;
      }),
    );
  };
  const onEvent = (event: AgentEvent): void => {
    if (event.type === 'session') recordSession({ tool: cli.tool, sessionId: event.sessionId });
    const progress = progressOf(event, ctx.worktree);
    if (progress) ctx.onProgress?.(progress);
  };

  const hash = createHash('sha256')
    .update(JSON.stringify([cli.tool, ctx.agent.instructions, prompt]))
    .digest('hex');
  const calls: ModelCallRecord[] = [];
  const record = async (summary: AgentRunSummary, failure?: string): Promise<void> => {
    for (const [index, call] of summary.calls.entries()) {
      const recorded: ModelCallRecord = {
        purpose: 'pass',
        provider: ctx.target?.provider.name ?? cli.defaultProvider,
        model: call.model,
        outcome: failure ? 'failed' : 'succeeded',
        ...(failure !== undefined && { error: failure }),
        usage: call.usage,
        // The run is one span of time; its first model carries it so sums stay right.
        latencyMs: index === 0 ? summary.durationMs : 0,
        retries: [],
        promptHash: hash,
        response: index === 0 ? summary.result : '',
        ...(call.reportedCostUsd !== undefined && { reportedCostUsd: call.reportedCostUsd }),
      };
      calls.push(recorded);
      await ctx.onCall(recorded);
    }
  };

  let summary: AgentRunSummary;
  try {
    summary = await runAgentCli({
      command: program,
      name: cli.displayName,
      args: [...lead, ...args],
      cwd: ctx.worktree,
      env: ctx.env,
      stdin,
      timeoutMs: ctx.agent.runtime.timeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS,
      signal: ctx.signal,
      parser: cli.parser(ctx, resume, facts),
      onEvent,
    });
  } catch (error) {
    await sessionWrites;
    if (!(error instanceof AgentRunError)) throw error;
    const partial = error.partial;
    if (partial) {
      await record(partial, `${error.kind}: ${error.message}`);
      // Stopped on purpose: keep what the thread has already been billed for, the baseline of its resume.
      if (partial.sessionId && cli.sessionExtras && error.kind === 'aborted')
        recordSession({
          tool: cli.tool,
          sessionId: partial.sessionId,
          ...cli.sessionExtras(partial),
        });
      await sessionWrites;
    }
    throw toRuntimeFailure(cli.displayName, error);
  }
  await sessionWrites;
  if (sessionError !== undefined) throw sessionError;
  await record(summary);
  const outputs = collectOutputs(ctx.worktree, folder, ctx.pass.outputs, summary.result);
  return { outputs, calls, coAuthor: cli.coAuthor };
}

/** A progress line for the events worth showing; file paths relative to the worktree. */
function progressOf(event: AgentEvent, worktree: string): RuntimeProgress | undefined {
  switch (event.type) {
    case 'session':
      return { kind: 'session', text: `session ${event.sessionId}` };
    case 'turn':
      return { kind: 'turn', text: `turn ${event.index}` };
    case 'tool_use':
      return { kind: 'tool_use', text: event.name };
    case 'file_change':
      return { kind: 'file_change', text: `${event.kind} ${inWorktree(event.path, worktree)}` };
    case 'command':
      return event.status === 'in_progress'
        ? undefined
        : { kind: 'command', text: `${event.command} (${event.status})` };
    case 'warning':
      return { kind: 'warning', text: event.message };
    default:
      return undefined;
  }
}

/** A path as the repository names it when the CLI reported it absolute inside the worktree. */
function inWorktree(path: string, worktree: string): string {
  if (!isAbsolute(path)) return path;
  const inside = relative(worktree, path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}
