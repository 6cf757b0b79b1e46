/**
 * Reads a coding agent's declared outputs back from the worktree, where the
 * prompt asked it to write them. A single missing output falls back to the
 * agent's final message; anything else missing is an output failure with
 * findings that say where to write it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeFailure, type RuntimeOutput } from '../runtime.ts';

/** The declared outputs, read from `folder` under `worktree`. */
export function collectOutputs(
  worktree: string,
  folder: string,
  outputs: readonly string[],
  finalMessage: string,
): RuntimeOutput[] {
  const found = outputs.map((name) => {
    const file = join(worktree, folder, name);
    return { name, content: existsSync(file) ? readFileSync(file, 'utf8') : undefined };
  });
  const missing = found.filter((o) => o.content === undefined || o.content.trim() === '');
  if (missing.length === 1 && outputs.length === 1 && finalMessage.trim() !== '')
    return [{ name: outputs[0] as string, content: finalMessage }];
  if (missing.length > 0)
    throw new RuntimeFailure(
      'output',
      `the agent did not write its outputs: ${missing.map((o) => o.name).join(', ')}`,
      {
        findings: missing.map((o) => `write the output ${o.name} as the file ${folder}/${o.name}`),
        hint: 'the prompt names the file of each output; check the agent was allowed to write it',
      },
    );
  return found.map((o) => ({ name: o.name, content: o.content as string }));
}
