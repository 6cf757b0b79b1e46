/**
 * Resolves a validated workflow: agents and roles linked, each gate's escalation
 * ladder settled (gate, else the pass agent's `escalation`, else the default),
 * checkpoints attached to the passes whose actions they guard.
 */
import type { GateInput, GateMemberInput, WorkflowFile } from '../schemas/index.ts';
import type { YamlSource } from '../source/yaml-source.ts';
import type { Agent, Check, KeelConfig, Pass, Workflow, WorkflowMode } from '../types.ts';
import { declaredModes, defaultModeOf } from '../workflow-modes.ts';
import { DEFAULT_ON_FAIL, escalation, ms } from './resolve-common.ts';

/** Builds the resolved workflow; `agents` must hold every agent it names (validation guarantees it). */
export function resolveWorkflow(
  file: WorkflowFile,
  source: YamlSource,
  config: KeelConfig,
  agents: ReadonlyMap<string, Agent>,
): Workflow {
  const agent = (name: string): Agent => {
    const found = agents.get(name);
    if (!found) throw new Error(`unresolved agent ${name} after validation`);
    return found;
  };
  const role = (name: string) => config.roles[name] ?? { name, members: [] };
  const check = (gate: GateInput | GateMemberInput): Check => {
    if (gate.command)
      return { kind: 'command', run: [...gate.command.run], timeoutMs: ms(gate.command.timeout) };
    if (gate.review)
      return {
        kind: 'review',
        agent: agent(gate.review.agent),
        criteria: [...gate.review.criteria],
      };
    if (gate.human)
      return {
        kind: 'human',
        role: role(gate.human.role),
        criteria: [...(gate.human.criteria ?? [])],
      };
    if (gate.all_of) return { kind: 'all_of', members: gate.all_of.map(check) };
    return { kind: 'any_of', members: (gate.any_of ?? []).map(check) };
  };

  const passes = file.passes.map((p, i): Pass => {
    const author = agent(p.agent);
    const actions = [...(p.actions ?? [])];
    return {
      id: p.id,
      agent: author,
      description: p.description ?? '',
      needs: [...(p.needs ?? [])],
      inputs: [...(p.inputs ?? [])],
      outputs: [...(p.outputs ?? [])],
      actions,
      resources: (p.resources ?? []).map((r) => ({ id: r.id, mode: r.mode })),
      modes: p.modes ? [...p.modes] : undefined,
      tier: p.tier,
      gates: (p.gates ?? []).map((g, j) => ({
        id: g.id,
        check: check(g),
        onFail: g.on_fail ? escalation(g.on_fail) : (author.escalation ?? [...DEFAULT_ON_FAIL]),
        optional: g.optional ?? false,
        source: source.locate(['passes', i, 'gates', j]),
      })),
      checkpoints: config.checkpoints.filter((c) => c.actions.some((a) => actions.includes(a))),
      source: source.locate(['passes', i]),
    };
  });

  const modes: Record<string, WorkflowMode> = {};
  for (const name of declaredModes(file)) {
    const change = file.modes?.[name] ?? {};
    modes[name] = {
      name,
      tierShift: change.tier_shift ?? 0,
      skipGates: [...(change.skip_gates ?? [])],
      addGates: [...(change.add_gates ?? [])],
    };
  }

  return {
    name: file.name,
    version: file.version,
    description: file.description ?? '',
    file: source.file,
    selects: {
      types: [...(file.selects?.types ?? [])],
      labels: [...(file.selects?.labels ?? [])],
      priority: file.selects?.priority ?? 0,
    },
    defaultMode: defaultModeOf(file),
    modes,
    passes,
    tiers: [...config.tiers],
    defaultTier: config.routing.defaultTier,
    source: source.locate([]),
  };
}
