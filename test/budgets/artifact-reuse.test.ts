/**
 * Artifact reuse in engine runs over the wind tunnel: an identical pass (same
 * definitions, model, item text, inputs and context files) takes the earlier
 * output without a model call and records what it saved; a changed context
 * file, or `--no-cache`, regenerates.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runWorkItems } from '../../src/engine/index.ts';
import { agent, FEATURE_WORKFLOW, harness, KEEL_YAML, makeRepo } from '../engine/harness.ts';

const SCENARIO = `rules:\n  - { match: { agent: author, pass: spec }, reply: { json: { artifacts: { spec.md: "# Spec from the model" } } } }\n`;

function reuseRepo() {
  return makeRepo({
    '.keel/keel.yaml': KEEL_YAML,
    '.keel/agents/author.md': agent(
      'author',
      'access: { write: ["src/**"] }\ncontext: { paths: ["docs/**"] }\n',
    ),
    '.keel/agents/reviewer.md': agent('reviewer'),
    '.keel/workflows/feature.yaml': FEATURE_WORKFLOW,
    'docs/guide.md': '# Guide\nGreet people politely.\n',
  });
}

test('an identical pass reuses the earlier output without a model call, and records the saving', async () => {
  const h = await harness(SCENARIO, reuseRepo());
  try {
    await h.submit();
    assert.equal((await h.run()).items[0]?.state.completed?.outcome, 'done');
    const firstCalls = await h.events('model_call.recorded');
    const specCost = firstCalls
      .filter((e) => e.data.pass === 'spec' && e.data.purpose === 'pass')
      .reduce((s, e) => s + Math.round(Number(e.data.costUsd) * 1e6), 0);
    const authorCalls = () => h.sim.requests.filter((r) => r.agent === 'author').length;
    const before = authorCalls();

    const second = await h.submit();
    const run = await h.run({ items: [second] });
    assert.equal(run.items[0]?.state.completed?.outcome, 'done');
    assert.equal(authorCalls(), before, 'no author call for the identical item');
    const reused = (await h.events('artifact.reused')).filter((e) => e.workItemId === second);
    assert.deepEqual(
      reused.map((e) => e.data.pass),
      ['spec', 'build'],
    );
    assert.equal(reused[0]?.data.savedMicros, specCost);
    const spec = h.repo.git('show', `keel/wi-2:.keel/artifacts/${second}/spec/spec.md`);
    assert.equal(spec, '# Spec from the model');
    const written = (await h.events('artifact.written')).filter((e) => e.workItemId === second);
    assert.ok(written.every((e) => typeof e.data.reuseKey === 'string'));
  } finally {
    await h.close();
  }
});

test('a change to a context file, or --no-cache, sends the pass to the model again', async () => {
  const h = await harness(SCENARIO, reuseRepo());
  try {
    await h.submit();
    await h.run();
    const authorCalls = () => h.sim.requests.filter((r) => r.agent === 'author').length;

    h.repo.write('docs/guide.md', '# Guide\nGreet people warmly.\n');
    h.repo.git('commit', '-qam', 'guide changed');
    const before = authorCalls();
    const changed = await h.submit();
    await h.run({ items: [changed] });
    assert.equal(authorCalls(), before + 2, 'spec and build regenerated');
    assert.equal((await h.events('artifact.reused')).length, 0);

    const again = await h.submit();
    const mid = authorCalls();
    const result = await runWorkItems({
      root: h.repo.dir,
      definitions: h.definitions,
      ledger: h.ledger,
      env: h.env,
      items: [again],
      untilIdle: true,
      pollMs: 20,
      noCache: true,
    });
    assert.equal(result.items[0]?.state.completed?.outcome, 'done');
    assert.equal(authorCalls(), mid + 2, '--no-cache regenerates an identical pass');
    assert.equal((await h.events('artifact.reused')).length, 0);
  } finally {
    await h.close();
  }
});
