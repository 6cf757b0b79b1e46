/** Rules across files: unique workflow and agent names, unambiguous workflow selection. */
import type { CheckContext } from './context.ts';

/** Checks names and selection across every workflow and agent. */
export function checkAcrossFiles(ctx: CheckContext): void {
  const seenWorkflows = new Map<string, string>();
  for (const { source, data } of ctx.workflows) {
    const first = seenWorkflows.get(data.name);
    if (first === undefined) seenWorkflows.set(data.name, source.file);
    else {
      ctx.sink.report(source, {
        rule: 'duplicate-id',
        path: ['name'],
        message: `workflow name \`${data.name}\` is already used by ${first}`,
        hint: 'give each workflow a unique name',
      });
    }
  }
  const seenAgents = new Map<string, string>();
  for (const { source, data } of ctx.agents) {
    const first = seenAgents.get(data.name);
    if (first === undefined) seenAgents.set(data.name, source.file);
    else {
      ctx.sink.report(source, {
        rule: 'duplicate-id',
        path: ['name'],
        message: `agent name \`${data.name}\` is already used by ${first}`,
        hint: 'give each agent a unique name, matching its file name',
      });
    }
  }

  // Two workflows that take the same type (or label) at the same priority leave the choice to file order.
  const claims = new Map<string, { workflow: string; file: string }>();
  for (const { source, data } of ctx.workflows) {
    const priority = data.selects?.priority ?? 0;
    const selectors = [
      ...(data.selects?.types ?? []).map((value, i) => ({
        what: `type \`${value}\``,
        key: `type:${value}`,
        path: ['selects', 'types', i],
      })),
      ...(data.selects?.labels ?? []).map((value, i) => ({
        what: `label \`${value}\``,
        key: `label:${value}`,
        path: ['selects', 'labels', i],
      })),
    ];
    for (const selector of selectors) {
      const key = `${selector.key}@${priority}`;
      const other = claims.get(key);
      if (other === undefined) {
        claims.set(key, { workflow: data.name, file: source.file });
        continue;
      }
      if (other.workflow === data.name) continue;
      ctx.sink.report(source, {
        rule: 'ambiguous-selection',
        path: selector.path,
        message: `workflows \`${other.workflow}\` and \`${data.name}\` both select ${selector.what} at priority ${priority}`,
        hint: 'set a different `selects.priority` on one of them (higher wins)',
      });
    }
  }
}
