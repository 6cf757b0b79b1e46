/**
 * The `command` runtime: runs the agent's `run` argv (never a shell string) in
 * the work item's worktree. Exit 0 is success; the combined output becomes the
 * pass's first declared output (if any), so it is reviewable like any artifact.
 */

import { type PassContext, type Runtime, RuntimeFailure, type RuntimeResult } from '../runtime.ts';
import { runArgv } from './run-argv.ts';

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export const commandRuntime: Runtime = {
  kind: 'command',
  async execute(ctx: PassContext): Promise<RuntimeResult> {
    const runtime = ctx.agent.runtime;
    if (runtime.kind !== 'command') {
      throw new RuntimeFailure('infrastructure', `agent ${ctx.agent.name} has no command to run`);
    }
    const result = await runArgv(runtime.run, {
      cwd: ctx.worktree,
      timeoutMs: runtime.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: ctx.signal,
      env: { ...ctx.env, KEEL_WORK_ITEM: ctx.itemId, KEEL_PASS: ctx.pass.id },
    });
    if (result.exitCode !== 0) {
      throw new RuntimeFailure(
        'infrastructure',
        `\`${runtime.run.join(' ')}\` ${result.timedOut ? 'timed out' : `exited with ${result.exitCode ?? result.signal}`}`,
        { findings: [`command failed; last output:\n${result.output.slice(-2000)}`] },
      );
    }
    const first = ctx.pass.outputs[0];
    return { outputs: first ? [{ name: first, content: result.output }] : [], calls: [] };
  },
};
