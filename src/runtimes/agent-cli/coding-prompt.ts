/**
 * The prompt keel gives a coding-agent CLI for one attempt: marker lines that
 * name the agent, pass, attempt and work item (the fakes match on them, and
 * they trace a session back to keel), the work item, the pass's task, its
 * input artifacts, the findings to fix on rework, and how to deliver: edit
 * files in place within the agent's write access, never commit, and write
 * each declared output to the pass's artifact folder.
 */
import type { PassContext } from '../runtime.ts';

export interface CodingPromptOptions {
  /** Put the agent's instructions in the prompt (Codex has no system-prompt flag). */
  includeInstructions: boolean;
  /** The pass's artifact folder, relative to the worktree. */
  artifactFolder: string;
}

/** Builds the prompt for one attempt; a resumed session is told what changed since it stopped. */
export function buildCodingPrompt(ctx: PassContext, options: CodingPromptOptions): string {
  const sections: string[] = [
    [
      `x-keel-agent: ${ctx.agent.name}`,
      `x-keel-pass: ${ctx.pass.id}`,
      `x-keel-attempt: ${ctx.attempt}`,
      `x-keel-work-item: ${ctx.itemId}`,
    ].join('\n'),
  ];
  if (ctx.resumeSession)
    sections.push(
      '# You were interrupted',
      'Your previous run of this task was stopped before it finished. keel reset the worktree to its last commit, so any edits you made since are gone: check the files, then finish the task.',
    );
  if (options.includeInstructions && ctx.agent.instructions.trim())
    sections.push('# Your role', ctx.agent.instructions.trim());
  sections.push(
    `# Work item ${ctx.itemId} (${ctx.item.type}): ${ctx.item.title}`,
    ctx.item.body.trim() || '(no description)',
    `# Your task: pass \`${ctx.pass.id}\``,
    ctx.pass.pass.description.trim() || `Do the ${ctx.pass.id} pass of this work item.`,
  );
  for (const input of ctx.inputs) sections.push(`# Input artifact ${input.name}`, input.content);
  if (ctx.findings.length > 0)
    sections.push(
      '# Findings to fix (from the previous attempt)',
      ctx.findings.map((f) => `- ${f}`).join('\n'),
    );
  sections.push('# How to deliver', deliveryRules(ctx, options.artifactFolder));
  return sections.join('\n\n');
}

function deliveryRules(ctx: PassContext, folder: string): string {
  const write = ctx.agent.access.write;
  const rules = [
    'Edit the files of this working tree directly. Do not commit, branch or push: keel commits your changes after checking them.',
    write.length > 0
      ? `You may change only files matching ${write.map((g) => `\`${g}\``).join(', ')} (and the output files below); changes anywhere else fail the pass.`
      : 'You may not change repository files: write only the output files below; changes anywhere else fail the pass.',
  ];
  if (ctx.pass.outputs.length > 0)
    rules.push(
      `Write each output of this pass as a file: ${ctx.pass.outputs.map((o) => `\`${folder}/${o}\``).join(', ')}.`,
    );
  return rules.map((r) => `- ${r}`).join('\n');
}
