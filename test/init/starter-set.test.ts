/**
 * The starter set's content, checked file by file: every YAML parses, every
 * agent a workflow names exists, reviewers never review their own pass, and the
 * references between workflows, agents and keel.yaml line up.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadStarterFiles } from '../../src/definitions/starter/index.ts';

type Obj = Record<string, unknown>;
interface Gate extends Obj {
  id?: string;
  review?: { agent: string; criteria: string[] };
  human?: { role: string; criteria?: string[] };
  command?: { run: string[] };
  all_of?: Gate[];
  any_of?: Gate[];
  optional?: boolean;
  on_fail?: Obj[] | string[];
}
interface Pass extends Obj {
  id: string;
  agent: string;
  needs?: string[];
  inputs?: string[];
  outputs?: string[];
  actions?: string[];
  resources?: { id: string; mode: string }[];
  gates?: Gate[];
}
interface Workflow extends Obj {
  name: string;
  selects: { types: string[] };
  modes: Record<string, { skip_gates?: string[]; add_gates?: string[] }>;
  passes: Pass[];
}

const files = loadStarterFiles();
const text = (path: string): string => {
  const file = files.find((f) => f.path === path);
  assert.ok(file, `${path} is not in the starter set`);
  return file.content;
};
const frontmatter = (content: string): Obj => {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(content);
  assert.ok(match, 'agent file has no frontmatter');
  return parse(match[1] ?? '') as Obj;
};
const settings = parse(text('.keel/keel.yaml')) as Obj & {
  roles: Record<string, unknown>;
  resources: { id: string; children?: unknown[] }[];
  checkpoints: { actions: string[] }[];
};
const workflows = files
  .filter((f) => /^\.keel\/workflows\/.+\.yaml$/.test(f.path))
  .map((f) => ({ path: f.path, wf: parse(f.content) as Workflow }));
const agents = new Map(
  files
    .filter((f) => /^\.keel\/agents\/.+\.md$/.test(f.path))
    .map((f) => [f.path.slice('.keel/agents/'.length, -'.md'.length), f.content]),
);

function gatesOf(pass: Pass): Gate[] {
  const out: Gate[] = [];
  const walk = (g: Gate) => {
    out.push(g);
    for (const m of [...(g.all_of ?? []), ...(g.any_of ?? [])]) walk(m);
  };
  for (const g of pass.gates ?? []) walk(g);
  return out;
}

function resourceIds(nodes: { id: string; children?: unknown[] }[]): string[] {
  return nodes.flatMap((n) => [n.id, ...resourceIds((n.children ?? []) as typeof nodes)]);
}

describe('the starter set', () => {
  it('has settings, at least five workflows, agents, a README and a .gitignore for state/', () => {
    assert.equal(settings.version, 1);
    assert.ok(workflows.length >= 5);
    assert.ok(agents.size >= 15);
    assert.equal(text('.keel/.gitignore').trim(), 'state/');
    assert.match(text('.keel/README.md'), /keel validate/);
  });

  it('parses every YAML file and every agent frontmatter', () => {
    for (const f of files) {
      if (f.path.endsWith('.yaml')) assert.doesNotThrow(() => parse(f.content), f.path);
      if (f.path.startsWith('.keel/agents/')) {
        const fm = frontmatter(f.content);
        assert.equal(`.keel/agents/${String(fm.name)}.md`, f.path, 'name matches the file name');
        assert.equal(typeof fm.description, 'string', f.path);
      }
    }
  });

  it('gives every agent real instructions with a role, a method and what never to do', () => {
    for (const [name, content] of agents) {
      const body = content.replace(/^---[\s\S]*?\n---\r?\n/, '');
      assert.ok(body.length > 800, `${name} instructions are too short to be real`);
      assert.match(body, /# Role/, name);
      assert.match(body, /# Method/, name);
      assert.match(body, /# Never/, name);
    }
  });

  it('names only existing agents in passes and gates, and never lets an agent review its own pass', () => {
    for (const { path, wf } of workflows) {
      for (const pass of wf.passes) {
        assert.ok(
          agents.has(pass.agent),
          `${path}: pass ${pass.id} uses missing agent ${pass.agent}`,
        );
        for (const gate of gatesOf(pass)) {
          if (!gate.review) continue;
          assert.ok(
            agents.has(gate.review.agent),
            `${path}: missing reviewer ${gate.review.agent}`,
          );
          assert.notEqual(gate.review.agent, pass.agent, `${path}: ${pass.id} reviews itself`);
          assert.ok(gate.review.criteria.length > 0, `${path}: review without criteria`);
        }
      }
    }
  });

  it('gives reviewers no write access', () => {
    const reviewers = new Set(
      workflows.flatMap(({ wf }) =>
        wf.passes.flatMap((p) => gatesOf(p).flatMap((g) => (g.review ? [g.review.agent] : []))),
      ),
    );
    const authors = new Set(workflows.flatMap(({ wf }) => wf.passes.map((p) => p.agent)));
    for (const name of reviewers) {
      if (authors.has(name)) continue; // also authors passes elsewhere (e.g. security-analyst triage)
      const access = frontmatter(agents.get(name) ?? '').access as { write: string[] };
      assert.deepEqual(access.write, [], `${name} reviews but may write`);
    }
  });

  it('only takes inputs produced by passes a pass (transitively) needs', () => {
    for (const { path, wf } of workflows) {
      const byId = new Map(wf.passes.map((p) => [p.id, p]));
      const upstream = (id: string, seen = new Set<string>()): Set<string> => {
        for (const need of byId.get(id)?.needs ?? []) {
          if (seen.has(need)) continue;
          seen.add(need);
          upstream(need, seen);
        }
        return seen;
      };
      for (const pass of wf.passes) {
        const available = new Set(
          [...upstream(pass.id)].flatMap((id) => byId.get(id)?.outputs ?? []),
        );
        for (const input of pass.inputs ?? []) {
          assert.ok(
            available.has(input),
            `${path}: ${pass.id} reads ${input} that no needed pass writes`,
          );
        }
      }
    }
  });

  it('lets each agent read the inputs of its passes and each reviewer the outputs it reviews', () => {
    const reads = (agent: string): string[] =>
      (frontmatter(agents.get(agent) ?? '').context as { artifacts?: string[] }).artifacts ?? [];
    for (const { path, wf } of workflows) {
      for (const pass of wf.passes) {
        for (const input of pass.inputs ?? []) {
          assert.ok(
            reads(pass.agent).includes(input),
            `${path}: ${pass.agent} cannot read ${input}`,
          );
        }
        for (const gate of gatesOf(pass)) {
          if (!gate.review) continue;
          for (const output of pass.outputs ?? []) {
            assert.ok(
              reads(gate.review.agent).includes(output),
              `${path}: ${gate.review.agent} reviews ${pass.id} but cannot read ${output}`,
            );
          }
        }
      }
    }
  });

  it('reserves only declared resources, through agents allowed to reserve them', () => {
    const declared = new Set(resourceIds(settings.resources));
    for (const { path, wf } of workflows) {
      for (const pass of wf.passes) {
        const access = frontmatter(agents.get(pass.agent) ?? '').access as { resources?: string[] };
        for (const r of pass.resources ?? []) {
          assert.ok(declared.has(r.id), `${path}: ${pass.id} reserves undeclared ${r.id}`);
          assert.ok(
            access.resources?.includes(r.id),
            `${path}: ${pass.agent} may not reserve ${r.id}`,
          );
        }
      }
    }
  });

  it('refers only to declared roles and to gates that exist, adding only optional gates', () => {
    for (const { path, wf } of workflows) {
      const gates = wf.passes.flatMap((p) => p.gates ?? []);
      const gateIds = new Set(gates.map((g) => g.id));
      for (const gate of wf.passes.flatMap(gatesOf)) {
        if (gate.human)
          assert.ok(gate.human.role in settings.roles, `${path}: role ${gate.human.role}`);
        for (const step of (gate.on_fail ?? []) as Obj[]) {
          if (typeof step === 'object' && 'human' in step) {
            assert.ok(
              String(step.human) in settings.roles,
              `${path}: on_fail role ${String(step.human)}`,
            );
          }
        }
      }
      for (const [mode, change] of Object.entries(wf.modes)) {
        for (const id of change.skip_gates ?? [])
          assert.ok(gateIds.has(id), `${path}: ${mode} skips ${id}`);
        for (const id of change.add_gates ?? []) {
          assert.equal(
            gates.find((g) => g.id === id)?.optional,
            true,
            `${path}: ${mode} adds ${id}`,
          );
        }
      }
    }
  });

  it('keeps the security-incident gates mandatory: no fast mode, security approval at triage, containment and before shipping', () => {
    const wf = workflows.find((w) => w.wf.name === 'security-incident')?.wf;
    assert.ok(wf);
    assert.equal('fast' in wf.modes, false);
    for (const change of Object.values(wf.modes)) assert.deepEqual(change.skip_gates ?? [], []);
    const securityGates = (id: string) =>
      (wf.passes.find((p) => p.id === id)?.gates ?? []).filter(
        (g) => g.human?.role === 'security' && g.optional !== true,
      );
    for (const id of ['triage', 'containment', 'fix']) {
      assert.ok(securityGates(id).length > 0, `${id} lacks a mandatory security approval`);
    }
  });

  it('puts every declared deploy behind a checkpoint and the feature integration behind a merge action', () => {
    const checkpointed = new Set(settings.checkpoints.flatMap((c) => c.actions));
    for (const { path, wf } of workflows) {
      for (const pass of wf.passes) {
        if (pass.actions?.includes('deploy')) assert.ok(checkpointed.has('deploy'), path);
      }
    }
    const feature = workflows.find((w) => w.wf.name === 'feature')?.wf;
    assert.deepEqual(
      feature?.passes.map((p) => p.id),
      ['spec', 'design', 'ir', 'validation', 'implementation', 'verification', 'integration'],
    );
    assert.deepEqual(feature?.passes.at(-1)?.actions, ['merge']);
  });
});
