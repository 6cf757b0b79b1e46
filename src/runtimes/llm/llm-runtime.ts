/**
 * The `llm` runtime: one structured model call per attempt. The prompt holds
 * the agent's instructions, the work item, the pass's task, its input
 * artifacts, the agent's context files and, on rework, the findings to fix;
 * the answer is `{ "artifacts": { "<output>": "<content>" } }`, one entry per
 * declared output.
 */
import { z } from 'zod';
import { type PassContext, type Runtime, RuntimeFailure, type RuntimeResult } from '../runtime.ts';
import { recordedCall } from './recorded-call.ts';

/** The structured answer asked of the model: one string per declared output. */
export function artifactsSchema(outputs: readonly string[]) {
  return z.object({
    artifacts: z.object(Object.fromEntries(outputs.map((name) => [name, z.string()]))),
  });
}

/** The system and user prompt for one attempt of a pass. */
export function buildPassPrompt(ctx: PassContext): { system: string; prompt: string } {
  const sections: string[] = [
    `# Work item ${ctx.itemId} (${ctx.item.type}): ${ctx.item.title}`,
    ctx.item.body.trim() || '(no description)',
    `# Your task: pass \`${ctx.pass.id}\``,
    ctx.pass.pass.description,
  ];
  for (const input of ctx.inputs) sections.push(`# Input artifact ${input.name}`, input.content);
  for (const file of ctx.contextFiles)
    sections.push(`# Repository file ${file.path}`, file.content);
  if (ctx.findings.length > 0) {
    sections.push(
      '# Findings to fix (from the previous attempt)',
      ctx.findings.map((f) => `- ${f}`).join('\n'),
    );
  }
  const outputs = ctx.pass.outputs;
  sections.push(
    '# Answer',
    outputs.length > 0
      ? `Answer with a JSON object {"artifacts": {...}} holding the full text of each output: ${outputs.map((o) => `"${o}"`).join(', ')}.`
      : 'Answer with a JSON object {"artifacts": {}}: this pass declares no outputs.',
  );
  return { system: ctx.agent.instructions, prompt: sections.join('\n\n') };
}

export const llmRuntime: Runtime = {
  kind: 'llm',
  async execute(ctx: PassContext): Promise<RuntimeResult> {
    const { system, prompt } = buildPassPrompt(ctx);
    const schema = artifactsSchema(ctx.pass.outputs);
    const calls: RuntimeResult['calls'] = [];
    const recording: PassContext = {
      ...ctx,
      onCall: async (call) => {
        calls.push(call);
        await ctx.onCall(call);
      },
    };
    const answer = await recordedCall(recording, {
      purpose: 'pass',
      agent: ctx.agent.name,
      system,
      prompt,
      schema,
    });
    const outputs = ctx.pass.outputs.map((name) => ({
      name,
      content: (answer.artifacts as Record<string, string>)[name] ?? '',
    }));
    const empty = outputs.filter((o) => o.content.trim() === '').map((o) => o.name);
    if (empty.length > 0) {
      throw new RuntimeFailure('output', `the model left outputs empty: ${empty.join(', ')}`, {
        findings: empty.map((name) => `output ${name} was empty; write its full content`),
      });
    }
    return { outputs, calls };
  },
};
