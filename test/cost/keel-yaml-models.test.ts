/** keel.yaml `models:` is one format: what definitions validate is what the price catalog accepts. */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadCatalog } from '../../src/cost/index.ts';
import { loadDefinitions } from '../../src/definitions/index.ts';

const base = new URL('../fixtures/definitions/valid-base/', import.meta.url);
const costDocs = readFileSync(new URL('../../docs/cost.md', import.meta.url), 'utf8');

/** The `models:` example of docs/cost.md, verbatim. */
function docsModels(): string {
  const start = costDocs.indexOf('### `models:` entries');
  const open = costDocs.indexOf('```yaml\n', start);
  const close = costDocs.indexOf('\n```', open + 8);
  return costDocs.slice(open + 8, close + 1);
}

async function withModels(models: string) {
  const dir = mkdtempSync(join(tmpdir(), 'keel-models-'));
  cpSync(base, dir, { recursive: true });
  const path = join(dir, '.keel', 'keel.yaml');
  writeFileSync(path, `${readFileSync(path, 'utf8')}\n${models}`);
  try {
    const result = await loadDefinitions(dir);
    let catalogError: string | undefined;
    try {
      loadCatalog(dir);
    } catch (error) {
      catalogError = (error as Error).message;
    }
    return { ...result, catalogError };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('keel.yaml models', () => {
  it('accepts the docs/cost.md example in both definitions and the price catalog', async () => {
    const providers = ['mistral', 'ollama', 'vllm']
      .map((p) => `  ${p}: { kind: openai-compatible, base_url: "http://127.0.0.1:8000/v1" }`)
      .join('\n');
    const r = await withModels(`providers:\n${providers}\n${docsModels()}`);
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.rule} ${d.message}`),
      [],
    );
    assert.equal(r.catalogError, undefined);
    const models = r.definitions?.config.models ?? [];
    const sonnet = models.find((m) => m.id === 'claude-sonnet-4-5');
    assert.equal(sonnet?.tier, undefined, 'an override keeps the built-in tier');
    assert.equal(sonnet?.effective, '2026-10-01');
    const qwen = models.find((m) => m.id === 'qwen3-coder');
    assert.equal(qwen?.price?.input, 0.5, 'amortised $1.50/h over 3M tokens/h is $0.50 per MTok');
    const devstral = models.find((m) => m.id === 'devstral-medium');
    assert.deepEqual(devstral?.aliases, ['devstral']);
    assert.equal(devstral?.price?.longContext?.aboveTokens, 200000);
  });

  it('refuses a price without an output rate instead of pricing it at $0', async () => {
    const r = await withModels(
      'models:\n  - id: m1\n    provider: openai\n    tier: economy\n    price: { input: 1 }\n',
    );
    assert.equal(r.definitions, undefined);
    const d = r.diagnostics.find((x) => x.message.includes('is required'));
    assert.ok(d, JSON.stringify(r.diagnostics));
    assert.match(r.catalogError ?? '', /models\[0\]\.price\.output: is required/);
  });

  it('keeps an entry without a price unpriced', async () => {
    const r = await withModels('models:\n  - id: m2\n    provider: openai\n    tier: economy\n');
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.definitions?.config.models[0]?.price, undefined);
  });
});
