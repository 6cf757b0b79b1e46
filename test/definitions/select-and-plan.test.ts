/** Choosing a workflow for a work item, and planning its passes for a mode. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { NotFoundError } from '../../src/core/index.ts';
import {
  type Definitions,
  loadDefinitions,
  type PlannedPass,
  planPasses,
  selectWorkflow,
  shiftTier,
} from '../../src/definitions/index.ts';
import { fixture } from './fixtures.ts';

let defs: Definitions;
before(async () => {
  const result = await loadDefinitions(fixture('valid'));
  assert.ok(result.definitions, JSON.stringify(result.diagnostics));
  defs = result.definitions;
});

const feature = () => defs.workflows.find((w) => w.name === 'feature') ?? assert.fail('feature');
const summary = (plan: PlannedPass[]) =>
  plan.map((p) => `${p.id}@${p.tier}<${p.needs.join(',')}>[${p.gates.map((g) => g.id).join(',')}]`);

describe('selectWorkflow', () => {
  it('selects the workflow whose types include the work item type', () => {
    const selection = selectWorkflow(defs, { type: 'feature' });
    assert.equal(selection.workflow?.name, 'feature');
    assert.equal(selection.reason, 'workflow `feature` selects type `feature` (priority 10)');
  });

  it('selects by label when no type matches', () => {
    const selection = selectWorkflow(defs, { type: 'chore', labels: ['documentation'] });
    assert.equal(selection.workflow?.name, 'docs');
    assert.match(selection.reason, /label `documentation`/);
  });

  it('prefers the higher priority when several workflows match, and says which others did', () => {
    // docs (priority 0) matches by label, feature (priority 10) by type.
    const selection = selectWorkflow(defs, { type: 'feature', labels: ['documentation'] });
    assert.equal(selection.workflow?.name, 'feature');
    assert.ok(selection.matched);
    assert.deepEqual(selection.alsoMatched, ['docs']);
    assert.match(selection.reason, /also matched: docs \(priority 0\)/);
  });

  it('explains a miss by listing which workflows exist and what they select', () => {
    const selection = selectWorkflow(defs, { type: 'incident', labels: ['sev1'] });
    assert.equal(selection.matched, false);
    assert.equal(selection.workflow, undefined);
    assert.equal(
      selection.reason,
      'no workflow selects type `incident` or labels `sev1`; workflows: ' +
        'docs (types: docs; labels: documentation); feature (types: feature; labels: —)',
    );
    assert.deepEqual(selection.matched ? [] : selection.available.map((w) => w.name), [
      'docs',
      'feature',
    ]);
  });

  it('takes an explicitly named workflow, whatever it selects', () => {
    const selection = selectWorkflow(defs, { type: 'feature', workflow: 'docs' });
    assert.equal(selection.workflow?.name, 'docs');
    assert.equal(selection.reason, 'workflow `docs` was named explicitly');
  });

  it('rejects an unknown workflow name with the closest one suggested', () => {
    const selection = selectWorkflow(defs, { type: 'feature', workflow: 'featur' });
    assert.equal(selection.matched, false);
    assert.equal(selection.reason, 'no workflow is named `featur`: did you mean `feature`?');
  });

  it('says so when no workflow is defined at all', () => {
    const selection = selectWorkflow({ workflows: [] }, { type: 'bug' });
    assert.match(selection.reason, /no workflows are defined/);
  });
});

describe('planPasses', () => {
  it('runs every pass in balanced mode in needs order, with optional gates left out', () => {
    assert.deepEqual(summary(planPasses(feature(), 'balanced')), [
      'spec@standard<>[spec-review]',
      'design@frontier<spec>[lead-approval]',
      'implement@standard<design>[tests]',
      'release@standard<implement>[]',
    ]);
  });

  it('drops passes restricted to other modes and links their dependants to what they needed', () => {
    // fast: design only runs in balanced/thorough, so implement waits for spec directly.
    assert.deepEqual(summary(planPasses(feature(), 'fast')), [
      'spec@economy<>[]',
      'implement@economy<spec>[tests]',
      'release@economy<implement>[]',
    ]);
  });

  it('shifts unpinned tiers by the mode and leaves pinned tiers alone', () => {
    const plan = planPasses(feature(), 'thorough');
    const byId = Object.fromEntries(plan.map((p) => [p.id, p]));
    assert.equal(byId.spec?.tier, 'frontier');
    assert.equal(byId.design?.tier, 'frontier');
    assert.equal(byId.design?.tierPinned, true);
    assert.equal(byId.implement?.tier, 'frontier');
  });

  it('adds optional gates a mode asks for and skips the gates it skips', () => {
    const thorough = planPasses(feature(), 'thorough').find((p) => p.id === 'implement');
    assert.deepEqual(
      thorough?.gates.map((g) => g.id),
      ['tests', 'security-review'],
    );
    const fast = planPasses(feature(), 'fast').find((p) => p.id === 'spec');
    assert.deepEqual(fast?.gates, []);
  });

  it('carries inputs, outputs, actions, resources and checkpoints of each pass', () => {
    const release = planPasses(feature(), 'balanced').find((p) => p.id === 'release');
    assert.deepEqual(release?.inputs, ['diff']);
    assert.deepEqual(release?.actions, ['deploy']);
    assert.deepEqual(release?.resources, [{ id: 'staging', mode: 'X' }]);
    assert.deepEqual(
      release?.checkpoints.map((c) => c.id),
      ['production-deploy'],
    );
    assert.equal(release?.agent.name, 'deployer');
  });

  it('refuses a mode the workflow does not have, naming the modes it has', () => {
    assert.throws(
      () => planPasses(feature(), 'reckless'),
      (error: unknown) =>
        error instanceof NotFoundError &&
        /no mode `reckless`/.test(error.message) &&
        /fast, balanced, thorough/.test(error.hint ?? ''),
    );
  });

  it('keeps tier shifts within the tier list', () => {
    const tiers = ['local', 'economy', 'standard', 'frontier'];
    assert.equal(shiftTier(tiers, 'frontier', 2), 'frontier');
    assert.equal(shiftTier(tiers, 'economy', -3), 'local');
    assert.equal(shiftTier(tiers, 'economy', 1), 'standard');
  });
});
