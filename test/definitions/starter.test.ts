/** The starter set `keel init` writes must pass `keel validate` with zero errors and zero warnings. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadDefinitions, planPasses, selectWorkflow } from '../../src/definitions/index.ts';

const starterFiles = fileURLToPath(
  new URL('../../src/definitions/starter/files/', import.meta.url),
);

describe('the starter set', {
  skip: existsSync(starterFiles) ? false : 'no starter set in this checkout',
}, () => {
  it('validates with no diagnostics and resolves', async () => {
    const { definitions, diagnostics } = await loadDefinitions(starterFiles);
    const shown = diagnostics.map(
      (d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.rule} ${d.message}`,
    );
    assert.deepEqual(shown, []);
    assert.ok(definitions);
  });

  it('has a workflow for features that plans in each of its modes', async () => {
    const { definitions } = await loadDefinitions(starterFiles);
    assert.ok(definitions);
    const selection = selectWorkflow(definitions, { type: 'feature' });
    assert.ok(selection.matched, selection.reason);
    for (const mode of Object.keys(selection.workflow.modes)) {
      assert.ok(planPasses(selection.workflow, mode).length > 0, `mode ${mode} plans passes`);
    }
  });
});
