/**
 * The `human` runtime: a person does the pass. The engine waits for their
 * approval before starting the attempt; the note they gave is the work, written
 * to the pass's first declared output. A rejection fails the pass.
 */
import { type PassContext, type Runtime, RuntimeFailure, type RuntimeResult } from '../runtime.ts';

export const humanRuntime: Runtime = {
  kind: 'human',
  async execute(ctx: PassContext): Promise<RuntimeResult> {
    const approval = ctx.approval;
    if (!approval) {
      throw new RuntimeFailure(
        'infrastructure',
        `pass ${ctx.pass.id} is done by a person, and nobody has answered yet`,
      );
    }
    if (approval.decision === 'rejected') {
      throw new RuntimeFailure(
        'rejected',
        `${approval.by} rejected pass ${ctx.pass.id}: ${approval.note || 'no note'}`,
      );
    }
    const first = ctx.pass.outputs[0];
    const content = `${approval.note || `Done by ${approval.by}.`}\n\n— ${approval.by}\n`;
    return { outputs: first ? [{ name: first, content }] : [], calls: [] };
  },
};
