import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { makeTempRepo, parseJson, runKeel, type TempRepo } from '../helpers/cli.ts';

interface ListJson {
  at: string;
  models: {
    provider: string;
    id: string;
    tier: string;
    origin: string;
    price: { effective: string; rates: { input: number; output: number }; origin: string } | null;
  }[];
}

const KEEL_YAML = `version: 1
org: acme
team: core
project: shop
models:
  - id: qwen3-coder
    provider: ollama
    tier: local
    local: true
    price: { amortised: { usd_per_hour: 1.5, tokens_per_hour: 3000000 } }
  - id: claude-sonnet-4-5
    provider: anthropic
    price: { input: 2.5, output: 12 }
    effective: 2026-10-01
    source: negotiated rate, contract 2026-09
`;

const LITELLM = {
  sample_spec: { input_cost_per_token: 0, litellm_provider: 'see docs', mode: 'chat' },
  'mistral/devstral-medium': {
    input_cost_per_token: 4e-7,
    output_cost_per_token: 2e-6,
    litellm_provider: 'mistral',
    max_input_tokens: 128000,
    mode: 'chat',
  },
  'gpt-5-mini': {
    input_cost_per_token: 2.5e-7,
    output_cost_per_token: 2e-6,
    cache_read_input_token_cost: 2.5e-8,
    litellm_provider: 'openai',
    mode: 'chat',
  },
  'dall-e-3': { output_cost_per_image: 0.04, litellm_provider: 'openai', mode: 'image_generation' },
};

describe('keel prices', () => {
  let repo: TempRepo;
  before(() => {
    repo = makeTempRepo();
    mkdirSync(join(repo.dir, '.keel'));
    writeFileSync(join(repo.dir, '.keel', 'keel.yaml'), KEEL_YAML);
  });
  after(() => repo.dispose());

  it('lists the built-in catalog with keel.yaml models merged over it, as JSON', async () => {
    const r = await runKeel(['prices', 'list', '--json', '--at', '2026-11-01'], { cwd: repo.dir });
    assert.equal(r.code, 0, r.stderr);
    const json = parseJson<ListJson>(r);
    assert.equal(json.at, '2026-11-01');
    const sonnet = json.models.find((m) => m.id === 'claude-sonnet-4-5');
    assert.equal(sonnet?.price?.rates.input, 2.5);
    assert.equal(sonnet?.price?.origin, 'keel.yaml');
    assert.equal(sonnet?.tier, 'standard');
    const local = json.models.find((m) => m.id === 'qwen3-coder');
    assert.equal(local?.price?.rates.input, 0.5); // $1.50/h over 3M tokens/h
  });

  it('keeps the built-in price before a keel.yaml price takes effect', async () => {
    const r = await runKeel(
      ['prices', 'list', '--json', '--provider', 'anthropic', '--at', '2026-09-30'],
      { cwd: repo.dir },
    );
    const json = parseJson<ListJson>(r);
    assert.ok(json.models.every((m) => m.provider === 'anthropic'));
    assert.equal(json.models.find((m) => m.id === 'claude-sonnet-4-5')?.price?.rates.input, 3);
  });

  it('prints a table for people', async () => {
    const r = await runKeel(['prices', 'list', '--provider', 'google'], { cwd: repo.dir });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^PROVIDER\s+MODEL\s+TIER/m);
    assert.match(r.stdout, /gemini-2\.5-pro\s+frontier\s+1M\s+\$1\.25\s+\$10/);
  });

  it('imports a LiteLLM map into .keel/prices/imported.yaml effective today, then lists it', async () => {
    const file = join(repo.dir, 'prices.json');
    writeFileSync(file, JSON.stringify(LITELLM));
    const r = await runKeel(['prices', 'import', 'prices.json', '--json'], { cwd: repo.dir });
    assert.equal(r.code, 0, r.stderr);
    const today = new Date().toISOString().slice(0, 10);
    const json = parseJson<{
      effective: string;
      imported: { id: string; tier?: string }[];
      skipped: { key: string }[];
      written: string;
    }>(r);
    assert.equal(json.effective, today);
    assert.deepEqual(
      json.imported.map((m) => [m.id, m.tier]),
      [
        ['devstral-medium', 'unassigned'],
        ['gpt-5-mini', undefined],
      ],
    );
    assert.deepEqual(
      json.skipped.map((s) => s.key),
      ['dall-e-3'],
    );
    const written = parse(readFileSync(join(repo.dir, '.keel', 'prices', 'imported.yaml'), 'utf8'));
    assert.equal(written.models.length, 2);
    assert.equal(written.models[0].effective, today);
    const list = parseJson<ListJson>(
      await runKeel(['prices', 'list', '--json', '--provider', 'mistral'], { cwd: repo.dir }),
    );
    assert.equal(list.models[0]?.id, 'devstral-medium');
    assert.equal(list.models[0]?.price?.rates.output, 2);
  });

  it('writes nothing and names each invalid entry when the map has errors', async () => {
    const dir = makeTempRepo();
    try {
      mkdirSync(join(dir.dir, '.keel'));
      writeFileSync(
        join(dir.dir, '.keel', 'keel.yaml'),
        'version: 1\norg: a\nteam: b\nproject: c\n',
      );
      writeFileSync(
        join(dir.dir, 'bad.json'),
        JSON.stringify({
          ...LITELLM,
          'broken-model': {
            input_cost_per_token: -2,
            output_cost_per_token: 1e-6,
            litellm_provider: 'openai',
            mode: 'chat',
          },
        }),
      );
      const r = await runKeel(['prices', 'import', 'bad.json'], { cwd: dir.dir });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /1 invalid entry in bad\.json; nothing was written/);
      assert.match(r.stderr, /broken-model: input_cost_per_token is -2/);
      assert.equal(existsSync(join(dir.dir, '.keel', 'prices')), false);
    } finally {
      dir.dispose();
    }
  });

  it('refuses a file that is not JSON, and a missing argument as a usage error', async () => {
    writeFileSync(join(repo.dir, 'notjson.json'), '{ nope');
    const bad = await runKeel(['prices', 'import', 'notjson.json'], { cwd: repo.dir });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /notjson\.json is not JSON/);
    const missing = await runKeel(['prices', 'import'], { cwd: repo.dir });
    assert.equal(missing.code, 2);
  });

  it('reports an invalid keel.yaml models entry with its path', async () => {
    const dir = makeTempRepo();
    try {
      mkdirSync(join(dir.dir, '.keel'));
      writeFileSync(
        join(dir.dir, '.keel', 'keel.yaml'),
        'version: 1\nmodels:\n  - id: x\n    provider: acme\n    tier: economy\n    price: { input: "cheap", output: 1 }\n',
      );
      const r = await runKeel(['prices', 'list'], { cwd: dir.dir });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /\.keel\/keel\.yaml: models\[0\]\.price/);
    } finally {
      dir.dispose();
    }
  });
});
