/**
 * The `codex` runtime: runs `codex exec --json` in the work item's worktree
 * with the engine's model and the agent's sandbox (workspace-write unless the
 * agent says otherwise), reads usage per turn or cumulative by the CLI's
 * version, and continues an interrupted attempt's thread with `exec resume`,
 * counting only what the thread spent since the tokens already recorded.
 */
import { execFile } from 'node:child_process';
import { type CodingAgentCli, runCodingAgent } from '../agent-cli/index.ts';
import type { CodexUsageCounts } from '../claude-code/agent-run.ts';
import type { PassContext, Runtime, RuntimeResult } from '../runtime.ts';
import { buildCodexArgs } from './codex-args.ts';
import { CodexStreamParser } from './codex-parser.ts';

/** The co-author line Codex commits conventionally carry. */
export const CODEX_CO_AUTHOR = 'Codex <codex@openai.com>';

const versions = new Map<string, Promise<string | undefined>>();

/** `codex --version` of a command (once per command and process); undefined when it cannot say. */
export function codexVersion(
  command: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const key = JSON.stringify(command);
  let version = versions.get(key);
  if (!version) {
    const [program, ...lead] = command as [string, ...string[]];
    version = new Promise((resolve) => {
      execFile(program, [...lead, '--version'], { env, timeout: 10_000 }, (error, stdout) => {
        resolve(error ? undefined : /(\d+\.\d+\.\d+)/.exec(String(stdout))?.[1]);
      });
    });
    versions.set(key, version);
  }
  return version;
}

function baselineOf(totals: Record<string, number> | undefined): CodexUsageCounts | undefined {
  if (!totals) return undefined;
  return {
    inputTokens: totals.inputTokens ?? 0,
    cachedInputTokens: totals.cachedInputTokens ?? 0,
    cacheWriteInputTokens: totals.cacheWriteInputTokens ?? 0,
    outputTokens: totals.outputTokens ?? 0,
    reasoningOutputTokens: totals.reasoningOutputTokens ?? 0,
  };
}

/** The Codex CLI as the coding-agent runner sees it. */
export const codexCli: CodingAgentCli = {
  tool: 'codex',
  displayName: 'Codex',
  coAuthor: CODEX_CO_AUTHOR,
  defaultProvider: 'openai',
  instructionsInPrompt: true,
  async probe(command, ctx): Promise<Record<string, string>> {
    const version = await codexVersion(command, ctx.env);
    return version ? { version } : {};
  },
  invocation(ctx, prompt, resume) {
    const settings = ctx.agent.runtime.kind === 'codex' ? ctx.agent.runtime : undefined;
    return buildCodexArgs({
      prompt,
      ...(ctx.target && { model: ctx.target.model }),
      // `exec` is read-only by default; an implementer must write.
      sandbox: settings?.sandbox ?? 'workspace-write',
      ...(resume && { resumeSessionId: resume.sessionId }),
    });
  },
  parser(ctx, resume, facts) {
    const baseline = baselineOf(resume?.usageTotals);
    return new CodexStreamParser({
      ...(ctx.target && { model: ctx.target.model }),
      ...(facts.version && { cliVersion: facts.version }),
      ...(baseline && { baseline }),
    });
  },
  sessionExtras: (summary) =>
    summary.codex ? { usageTotals: { ...summary.codex.threadTotals } } : {},
};

export const codexRuntime: Runtime = {
  kind: 'codex',
  execute: (ctx: PassContext): Promise<RuntimeResult> => runCodingAgent(codexCli, ctx),
};
