/**
 * Rules for one workflow file beyond its schema: every reference resolves, each
 * gate has one kind, a generator never reviews its own work, and modes only name
 * modes and gates that exist.
 */
import { suggestion } from '../did-you-mean.ts';
import type { WorkflowFile } from '../schemas/index.ts';
import type { FieldPath } from '../source/yaml-source.ts';
import { declaredModes } from '../workflow-modes.ts';
import { type CheckContext, type Checked, reportDuplicates } from './context.ts';
import { CHECK_KINDS, forEachCheck, kindsOf } from './gate-checks.ts';
import { checkPassGraph } from './pass-graph-rules.ts';
import { checkAgent, checkResource, checkRole, checkTier } from './references.ts';

/** Checks one workflow against the agents and keel.yaml. */
export function checkWorkflow(ctx: CheckContext, workflow: Checked<WorkflowFile>): void {
  checkPassGraph(ctx, workflow);
  checkPasses(ctx, workflow);
  checkModes(ctx, workflow);
}

function checkPasses(ctx: CheckContext, workflow: Checked<WorkflowFile>): void {
  const { source, data } = workflow;
  const report = ctx.sink.report.bind(ctx.sink, source);
  const names = ctx.names;
  const gateIds: { id: string; path: FieldPath }[] = [];
  data.passes.forEach((pass, i) => {
    const passPath = ['passes', i];
    const agentKnown = checkAgent(
      ctx,
      workflow,
      [...passPath, 'agent'],
      pass.agent,
      `pass \`${pass.id}\``,
    );
    if (names && pass.tier !== undefined)
      checkTier(ctx, workflow, [...passPath, 'tier'], pass.tier, names);

    const agent = ctx.agents.find((a) => a.data.name === pass.agent);
    pass.resources?.forEach((resource, j) => {
      const path = [...passPath, 'resources', j, 'id'];
      if (!names || !checkResource(ctx, workflow, path, resource.id, names, `pass \`${pass.id}\``))
        return;
      if (!agent) return;
      const allowed = agent.data.access?.resources ?? [];
      if (withinAllowed(resource.id, allowed, names.resources)) return;
      report({
        rule: 'resource-not-permitted',
        path,
        message: `pass \`${pass.id}\` reserves \`${resource.id}\`, which agent \`${agent.data.name}\` may not reserve`,
        hint: `add \`${resource.id}\` (or an ancestor) to \`access.resources\` in ${agent.source.file}`,
      });
    });

    pass.gates?.forEach((gate, g) => {
      const gatePath = [...passPath, 'gates', g];
      gateIds.push({ id: gate.id, path: [...gatePath, 'id'] });
      gate.on_fail?.forEach((step, s) => {
        if (names && typeof step === 'object' && 'human' in step) {
          checkRole(
            ctx,
            workflow,
            [...gatePath, 'on_fail', s, 'human'],
            step.human,
            names,
            `gate \`${gate.id}\``,
          );
        }
      });
      forEachCheck(gate, gatePath, (check, path) => {
        const kinds = kindsOf(check);
        if (kinds.length !== 1) {
          report({
            rule: 'gate-kind',
            path: kinds.length === 0 ? path : [...path, kinds[1] as string],
            anchor: 'key',
            message:
              kinds.length === 0
                ? `gate \`${gate.id}\` has no check: it needs one of ${CHECK_KINDS.join(', ')}`
                : `gate \`${gate.id}\` mixes ${kinds.join(' and ')}: each gate or member has exactly one check`,
            hint:
              kinds.length === 0
                ? 'add one check, e.g. `command: { run: [npm, test] }` or `review: { agent: …, criteria: […] }`'
                : 'combine several checks with `all_of: [...]` or `any_of: [...]`',
          });
        }
        if (check.review) {
          const reviewer = check.review.agent;
          const reviewerPath = [...path, 'review', 'agent'];
          if (
            checkAgent(ctx, workflow, reviewerPath, reviewer, `gate \`${gate.id}\``) &&
            agentKnown &&
            reviewer === pass.agent
          ) {
            report({
              rule: 'self-review',
              path: reviewerPath,
              message: `gate \`${gate.id}\` is reviewed by \`${reviewer}\`, the agent that authored pass \`${pass.id}\``,
              hint: 'a generator never reviews its own work: name a different reviewer agent',
            });
          }
        }
        if (check.human && names) {
          checkRole(
            ctx,
            workflow,
            [...path, 'human', 'role'],
            check.human.role,
            names,
            `gate \`${gate.id}\``,
          );
        }
      });
    });
  });
  reportDuplicates(ctx, source, gateIds, 'gate');
}

/** True when `id` is one of `allowed` or lies under one of them in the resource hierarchy. */
function withinAllowed(
  id: string,
  allowed: readonly string[],
  parents: Map<string, string | undefined>,
): boolean {
  for (
    let current: string | undefined = id;
    current !== undefined;
    current = parents.get(current)
  ) {
    if (allowed.includes(current)) return true;
  }
  return false;
}

function checkModes(ctx: CheckContext, workflow: Checked<WorkflowFile>): void {
  const { source, data } = workflow;
  const report = ctx.sink.report.bind(ctx.sink, source);
  const modes = declaredModes(data);
  const gates = new Map<string, boolean>();
  for (const pass of data.passes)
    for (const gate of pass.gates ?? []) gates.set(gate.id, gate.optional === true);
  const gateIds = [...gates.keys()];

  if (data.default_mode !== undefined && !modes.includes(data.default_mode)) {
    report({
      rule: 'unknown-mode',
      path: ['default_mode'],
      message: `default mode \`${data.default_mode}\` is not one of the workflow's modes`,
      hint: `${suggestion(data.default_mode, modes, 'mode')}`,
    });
  }
  data.passes.forEach((pass, i) => {
    pass.modes?.forEach((mode, j) => {
      if (modes.includes(mode)) return;
      report({
        rule: 'unknown-mode',
        path: ['passes', i, 'modes', j],
        message: `pass \`${pass.id}\` runs in unknown mode \`${mode}\``,
        hint: `${suggestion(mode, modes, 'mode')}; modes are declared under \`modes\``,
      });
    });
  });
  const added = new Set(
    Object.values(data.modes ?? {}).flatMap((change) => change.add_gates ?? []),
  );
  data.passes.forEach((pass, i) => {
    pass.gates?.forEach((gate, g) => {
      if (gate.optional !== true || added.has(gate.id)) return;
      report({
        rule: 'optional-gate-never-added',
        path: ['passes', i, 'gates', g, 'optional'],
        message: `gate \`${gate.id}\` is optional, but no mode adds it, so it never runs`,
        hint: `add it to a mode's \`add_gates\` (e.g. \`thorough: { add_gates: [${gate.id}] }\`), or remove \`optional\``,
      });
    });
  });
  for (const [mode, change] of Object.entries(data.modes ?? {})) {
    for (const field of ['skip_gates', 'add_gates'] as const) {
      change[field]?.forEach((gate, j) => {
        const path = ['modes', mode, field, j];
        if (!gates.has(gate)) {
          report({
            rule: 'unknown-gate',
            path,
            message: `mode \`${mode}\` ${field === 'skip_gates' ? 'skips' : 'adds'} unknown gate \`${gate}\``,
            hint: suggestion(gate, gateIds, 'gate'),
          });
        } else if (field === 'add_gates' && gates.get(gate) === false) {
          report({
            rule: 'add-gate-not-optional',
            path,
            message: `mode \`${mode}\` adds gate \`${gate}\`, which is not optional and always runs`,
            hint: `mark the gate \`optional: true\` so only modes that add it run it, or drop it from \`add_gates\``,
          });
        }
      });
    }
  }
}
