/** The resolved model of a valid `.keel/`: references linked, defaults filled, durations compiled. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Definitions, loadDefinitions } from '../../src/definitions/index.ts';
import { fixture } from './fixtures.ts';

let defs: Definitions;
before(async () => {
  const result = await loadDefinitions(fixture('valid'));
  assert.deepEqual(result.diagnostics, []);
  assert.ok(result.definitions);
  defs = result.definitions;
});

const workflow = (name: string) => {
  const found = defs.workflows.find((w) => w.name === name);
  assert.ok(found, `workflow ${name}`);
  return found;
};
const pass = (id: string) => {
  const found = workflow('feature').passes.find((p) => p.id === id);
  assert.ok(found, `pass ${id}`);
  return found;
};

describe('resolving valid definitions', () => {
  it('lists workflows and agents sorted by name', () => {
    assert.deepEqual(
      defs.workflows.map((w) => w.name),
      ['docs', 'feature'],
    );
    assert.deepEqual(
      defs.agents.map((a) => a.name),
      ['architect', 'deployer', 'implementer', 'spec-reviewer', 'specifier'],
    );
  });

  it('links a pass to its agent object and a review gate to its reviewer', () => {
    const spec = pass('spec');
    assert.equal(
      spec.agent,
      defs.agents.find((a) => a.name === 'specifier'),
    );
    const check = spec.gates[0]?.check;
    assert.equal(check?.kind, 'review');
    assert.equal(check?.kind === 'review' ? check.agent.name : '', 'spec-reviewer');
  });

  it("uses the gate's on_fail, else the pass agent's escalation, else the default ladder", () => {
    assert.deepEqual(pass('spec').gates[0]?.onFail, [
      { kind: 'rework', max: 2 },
      { kind: 'escalate-tier', max: 1 },
      { kind: 'human', role: 'tech-lead' },
      { kind: 'abort' },
    ]);
    const security = pass('implement').gates.find((g) => g.id === 'security-review');
    assert.deepEqual(security?.onFail, [
      { kind: 'rework', max: 2 },
      { kind: 'escalate-tier', max: 1 },
      { kind: 'human', role: 'tech-lead' },
    ]);
    // architect declares no escalation: the default applies.
    assert.deepEqual(pass('design').gates[0]?.onFail, [
      { kind: 'rework', max: 2 },
      { kind: 'abort' },
    ]);
  });

  it('compiles durations to milliseconds', () => {
    const tests = pass('implement').gates.find((g) => g.id === 'tests');
    assert.deepEqual(tests?.check, { kind: 'command', run: ['npm', 'test'], timeoutMs: 600_000 });
    const api = defs.config.resources.find((r) => r.id === 'github-api');
    assert.deepEqual(api?.rateLimit, { requests: 5000, perMs: 3_600_000 });
  });

  it('normalises every runtime to an object', () => {
    const runtimes = Object.fromEntries(defs.agents.map((a) => [a.name, a.runtime]));
    assert.deepEqual(runtimes.specifier, { kind: 'llm', timeoutMs: undefined });
    assert.deepEqual(runtimes['spec-reviewer'], { kind: 'llm', timeoutMs: 300_000 });
    assert.deepEqual(runtimes.deployer, {
      kind: 'command',
      run: ['make', 'deploy'],
      timeoutMs: undefined,
    });
    assert.deepEqual(runtimes.implementer, {
      kind: 'claude-code',
      maxTurns: 30,
      allowedTools: ['Read', 'Edit', 'Bash'],
      disallowedTools: [],
      permissionMode: 'acceptEdits',
      timeoutMs: 1_200_000,
    });
  });

  it('fills the defaults of keel.yaml', () => {
    const team = defs.config.budgets.find((b) => b.id === 'team-monthly');
    assert.deepEqual(team, {
      id: 'team-monthly',
      scope: 'team',
      target: 'payments',
      period: 'monthly',
      limitUsd: 2000,
      approachingAt: 0.8,
      hardCap: false,
      owner: 'tech-lead',
    });
    assert.equal(defs.config.budgets.find((b) => b.id === 'per-item')?.target, undefined);
    assert.deepEqual(defs.config.store, { driver: 'sqlite', path: '.keel/state/ledger.db' });
    assert.equal(defs.config.providers.openai?.apiKeyEnv, 'OPENAI_API_KEY');
    assert.equal(defs.config.providers.ollama?.baseUrl, 'http://127.0.0.1:11434/v1');
    assert.deepEqual(defs.config.routing, { defaultTier: 'standard', preferLocal: false });
  });

  it('keeps the resource hierarchy with parents', () => {
    const db = defs.config.resources.find((r) => r.id === 'test-db');
    const schema = db?.children[0];
    assert.equal(schema?.parent, 'test-db');
    assert.equal(schema?.children[0]?.id, 'test-db.public.orders');
    assert.equal(schema?.children[0]?.parent, 'test-db.public');
  });

  it('attaches a checkpoint to the pass that declares its action', () => {
    assert.deepEqual(
      pass('release').checkpoints.map((c) => [c.id, c.approver.name, c.approver.members]),
      [['production-deploy', 'release-manager', ['dave']]],
    );
    assert.deepEqual(pass('spec').checkpoints, []);
  });

  it('keeps the source location of workflows, passes, gates and agents', () => {
    assert.deepEqual(pass('design').source, {
      file: '.keel/workflows/feature.yaml',
      line: 29,
      column: 5,
    });
    assert.deepEqual(pass('implement').gates[0]?.source, {
      file: '.keel/workflows/feature.yaml',
      line: 46,
      column: 9,
    });
    assert.deepEqual(defs.agents.find((a) => a.name === 'architect')?.source, {
      file: '.keel/agents/architect.md',
      line: 2,
      column: 1,
    });
  });

  it('gives a workflow without modes the three standard modes, defaulting to balanced', () => {
    const docs = workflow('docs');
    assert.deepEqual(Object.keys(docs.modes), ['fast', 'balanced', 'thorough']);
    assert.equal(docs.defaultMode, 'balanced');
    assert.deepEqual(docs.modes.fast, { name: 'fast', tierShift: 0, skipGates: [], addGates: [] });
  });
});
