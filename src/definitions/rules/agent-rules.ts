/** Rules for agent files: the name matches the file, references exist, code editors may write somewhere. */
import type { CheckContext, CheckedAgent } from './context.ts';
import { checkResource, checkRole, checkTier } from './references.ts';

/** Checks one agent file against keel.yaml. */
export function checkAgentFile(ctx: CheckContext, agent: CheckedAgent): void {
  const { source, data } = agent;
  const report = ctx.sink.report.bind(ctx.sink, source);
  if (data.name !== agent.stem) {
    report({
      rule: 'agent-name-mismatch',
      path: ['name'],
      message: `agent \`${data.name}\` is defined in ${agent.stem}.md; the name must match the file name`,
      hint: `rename the file to ${data.name}.md, or set \`name: ${agent.stem}\``,
    });
  }
  const names = ctx.names;
  if (names) {
    if (data.tier !== undefined) checkTier(ctx, agent, ['tier'], data.tier, names);
    data.access?.resources?.forEach((resource, i) => {
      checkResource(
        ctx,
        agent,
        ['access', 'resources', i],
        resource,
        names,
        `agent \`${data.name}\``,
      );
    });
    data.escalation?.forEach((step, i) => {
      if (typeof step === 'object' && 'human' in step) {
        checkRole(
          ctx,
          agent,
          ['escalation', i, 'human'],
          step.human,
          names,
          `agent \`${data.name}\``,
        );
      }
    });
  }
  if (data.runtime === 'command') {
    report({
      rule: 'empty-run',
      path: ['runtime'],
      message: `agent \`${data.name}\` has runtime \`command\` but no program to run`,
      hint: 'write `runtime: { kind: command, run: [make, docs] }`',
    });
  }
  if (editsCode(data.runtime) && (data.access?.write ?? []).length === 0) {
    report({
      rule: 'agent-writes-nothing',
      path: ['runtime'],
      message: `agent \`${data.name}\` runs a code-editing runtime but \`access.write\` allows no path, so any edit fails the pass`,
      hint: 'list the globs it may write under `access.write`, e.g. ["src/**", "test/**"]',
    });
  }
  if (agent.body.trim() === '') {
    report({
      rule: 'empty-instructions',
      path: [],
      message: `agent \`${data.name}\` has no instructions after its frontmatter`,
      hint: 'describe its role, method, what to produce and what never to do',
    });
  }
}

const CLAUDE_EDIT_TOOLS = ['Edit', 'Write', 'MultiEdit', 'NotebookEdit'];

/** Whether a runtime edits files in its worktree (a coding-agent CLI not confined to reading). */
function editsCode(runtime: CheckedAgent['data']['runtime']): boolean {
  if (runtime === undefined) return false;
  if (typeof runtime === 'string') return runtime === 'claude-code' || runtime === 'codex';
  if (runtime.kind === 'claude-code') {
    if (runtime.permission_mode === 'plan') return false;
    // Claude Code edits files through its file tools; an agent denied all of them is a reader.
    const denied = runtime.disallowed_tools ?? [];
    const allowed = runtime.allowed_tools;
    const canEdit = (tool: string) =>
      !denied.includes(tool) && (allowed === undefined || allowed.includes(tool));
    return CLAUDE_EDIT_TOOLS.some(canEdit);
  }
  if (runtime.kind === 'codex') return runtime.sandbox !== 'read-only';
  return false;
}
