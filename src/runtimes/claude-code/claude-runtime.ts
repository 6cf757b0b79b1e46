/**
 * The `claude-code` runtime: runs `claude -p --output-format stream-json
 * --verbose` in the work item's worktree with the engine's model, the agent's
 * max turns, tools and permission mode, and its instructions appended to the
 * system prompt; continues an interrupted attempt's session with `--resume`.
 */
import { type CodingAgentCli, runCodingAgent } from '../agent-cli/index.ts';
import type { PassContext, Runtime, RuntimeResult } from '../runtime.ts';
import { buildClaudeArgs } from './claude-args.ts';
import { ClaudeStreamParser } from './claude-parser.ts';

/** Claude Code's own co-author line, as it writes it in commits it makes. */
export const CLAUDE_CO_AUTHOR = 'Claude <noreply@anthropic.com>';

/** The Claude Code CLI as the coding-agent runner sees it. */
export const claudeCodeCli: CodingAgentCli = {
  tool: 'claude-code',
  displayName: 'Claude Code',
  coAuthor: CLAUDE_CO_AUTHOR,
  defaultProvider: 'anthropic',
  instructionsInPrompt: false,
  invocation(ctx, prompt, resume) {
    const settings = ctx.agent.runtime.kind === 'claude-code' ? ctx.agent.runtime : undefined;
    return buildClaudeArgs({
      prompt,
      ...(ctx.target && { model: ctx.target.model }),
      ...(settings?.maxTurns !== undefined && { maxTurns: settings.maxTurns }),
      allowedTools: settings?.allowedTools ?? [],
      disallowedTools: settings?.disallowedTools ?? [],
      // Headless Claude Code refuses every edit unless told otherwise; an implementer must edit.
      permissionMode: settings?.permissionMode ?? 'acceptEdits',
      ...(resume && { resumeSessionId: resume.sessionId }),
      ...(ctx.agent.instructions.trim() && { appendSystemPrompt: ctx.agent.instructions.trim() }),
    });
  },
  parser: () => new ClaudeStreamParser(),
};

export const claudeCodeRuntime: Runtime = {
  kind: 'claude-code',
  execute: (ctx: PassContext): Promise<RuntimeResult> => runCodingAgent(claudeCodeCli, ctx),
};
