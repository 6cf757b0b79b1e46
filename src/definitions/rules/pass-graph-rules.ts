/**
 * The pass DAG of a workflow: unique ids, `needs` that exist and never loop,
 * and inputs that some pass it (transitively) needs produces — in every mode.
 */
import { suggestion } from '../did-you-mean.ts';
import type { PassInput, WorkflowFile } from '../schemas/index.ts';
import { declaredModes, runsIn } from '../workflow-modes.ts';
import { type CheckContext, type Checked, reportDuplicates } from './context.ts';

/** Checks pass ids, `needs` references and cycles, and where each input comes from. */
export function checkPassGraph(ctx: CheckContext, workflow: Checked<WorkflowFile>): void {
  const { source, data } = workflow;
  const passes = data.passes;
  reportDuplicates(
    ctx,
    source,
    passes.map((p, i) => ({ id: p.id, path: ['passes', i, 'id'] })),
    'pass',
  );
  const byId = new Map<string, PassInput>();
  for (const pass of passes) if (!byId.has(pass.id)) byId.set(pass.id, pass);
  const ids = [...byId.keys()];

  passes.forEach((pass, i) => {
    pass.needs?.forEach((need, j) => {
      if (byId.has(need)) return;
      ctx.sink.report(source, {
        rule: 'unknown-pass',
        path: ['passes', i, 'needs', j],
        message: `pass \`${pass.id}\` needs unknown pass \`${need}\``,
        hint: suggestion(need, ids, 'pass'),
      });
    });
  });

  reportCycles(ctx, workflow, byId);
  reportUnproducedInputs(ctx, workflow, byId);
}

function reportCycles(
  ctx: CheckContext,
  workflow: Checked<WorkflowFile>,
  byId: Map<string, PassInput>,
): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (id: string): void => {
    state.set(id, 'visiting');
    stack.push(id);
    const pass = byId.get(id);
    pass?.needs?.forEach((need, j) => {
      if (!byId.has(need)) return;
      if (state.get(need) === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(need)), need];
        const key = [...new Set(cycle)].sort().join(',');
        if (reported.has(key)) return;
        reported.add(key);
        ctx.sink.report(workflow.source, {
          rule: 'needs-cycle',
          path: ['passes', workflow.data.passes.indexOf(pass), 'needs', j],
          message: `passes depend on each other in a cycle: ${cycle.join(' → ')}`,
          hint: `remove \`${need}\` from the needs of \`${id}\`, or another edge of the cycle`,
        });
      } else if (state.get(need) === undefined) visit(need);
    });
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of byId.keys()) if (state.get(id) === undefined) visit(id);
}

/** Every pass reachable through `needs` from `pass` (cycles tolerated). */
export function ancestorsOf(pass: PassInput, byId: Map<string, PassInput>): PassInput[] {
  const seen = new Set<string>();
  const out: PassInput[] = [];
  const queue = [...(pass.needs ?? [])];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const found = byId.get(id);
    if (seen.has(id) || !found || found === pass) continue;
    seen.add(id);
    out.push(found);
    queue.push(...(found.needs ?? []));
  }
  return out;
}

function reportUnproducedInputs(
  ctx: CheckContext,
  workflow: Checked<WorkflowFile>,
  byId: Map<string, PassInput>,
): void {
  const { data, source } = workflow;
  const modes = declaredModes(data);
  data.passes.forEach((pass, i) => {
    // With an unknown need the author gets `unknown-pass`; guessing where inputs come from would only add noise.
    if (pass.needs?.some((need) => !byId.has(need))) return;
    const ancestors = ancestorsOf(pass, byId);
    pass.inputs?.forEach((input, j) => {
      const path = ['passes', i, 'inputs', j];
      const producers = ancestors.filter((a) => a.outputs?.includes(input));
      if (producers.length === 0) {
        const elsewhere = data.passes.find((p) => p !== pass && p.outputs?.includes(input));
        ctx.sink.report(source, {
          rule: 'input-not-produced',
          path,
          message: `input \`${input}\` of pass \`${pass.id}\` is not produced by any pass it needs`,
          hint: elsewhere
            ? `pass \`${elsewhere.id}\` produces it: add \`${elsewhere.id}\` to \`needs\``
            : 'no pass lists it in `outputs`: add it to the outputs of a pass this one needs',
        });
        return;
      }
      // The producers exist, but may not run in every mode this pass runs in.
      for (const mode of modes) {
        if (!runsIn(pass.modes, mode) || producers.some((p) => runsIn(p.modes, mode))) continue;
        ctx.sink.report(source, {
          rule: 'input-not-produced',
          path,
          message: `in mode \`${mode}\`, input \`${input}\` of pass \`${pass.id}\` is not produced: ${producers.map((p) => `\`${p.id}\``).join(', ')} do not run in that mode`,
          hint: `run \`${pass.id}\` only in modes where its input is produced (its \`modes\`), or let a producer run in \`${mode}\``,
        });
        return;
      }
    });
  });
}
