import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../src/core/index.ts';
import {
  BUILT_IN_MODELS,
  buildCatalog,
  findModel,
  modelsOfTier,
  parseModelList,
} from '../../src/cost/index.ts';

describe('the built-in catalog', () => {
  it('gives every model a tier, a context window and dated prices in order, each with a source', () => {
    for (const m of BUILT_IN_MODELS) {
      assert.ok(['economy', 'standard', 'frontier'].includes(m.tier), `${m.id} tier ${m.tier}`);
      assert.ok(m.contextWindow > 0, m.id);
      assert.ok(m.prices.length > 0, m.id);
      const dates = m.prices.map((p) => p.effective);
      assert.deepEqual([...dates].sort(), dates, `${m.id} prices out of order`);
      for (const p of m.prices) {
        assert.match(p.effective, /^\d{4}-\d{2}-\d{2}$/);
        assert.match(p.source, /^https:\/\//);
        assert.ok(p.rates.output >= p.rates.input, `${m.id} output cheaper than input`);
      }
    }
  });

  it('has unique ids and aliases per provider', () => {
    const seen = new Set<string>();
    for (const m of BUILT_IN_MODELS)
      for (const name of [m.id, ...m.aliases]) {
        const key = `${m.provider}/${name}`;
        assert.ok(!seen.has(key), `${key} twice`);
        seen.add(key);
      }
  });

  it('covers the Claude 4.x, GPT-5, GPT-4.1, o-series and Gemini 2.5 families', () => {
    const cat = buildCatalog();
    for (const [p, m] of [
      ['anthropic', 'claude-opus-4-5'],
      ['anthropic', 'claude-sonnet-4-5'],
      ['anthropic', 'claude-haiku-4-5'],
      ['openai', 'gpt-5'],
      ['openai', 'gpt-5-mini'],
      ['openai', 'gpt-4.1'],
      ['openai', 'o4-mini'],
      ['google', 'gemini-2.5-pro'],
      ['google', 'gemini-2.5-flash'],
    ] as const)
      assert.ok(findModel(cat, p, m), `${p}/${m}`);
  });

  it("finds a model named with its provider prefix, in the provider's other spelling too", () => {
    const cat = buildCatalog();
    assert.equal(findModel(cat, 'gemini', 'gemini/gemini-2.5-flash')?.model.id, 'gemini-2.5-flash');
    assert.equal(
      findModel(cat, 'anthropic', 'anthropic/claude-opus-4-5')?.model.id,
      'claude-opus-4-5',
    );
    assert.equal(findModel(cat, 'openai', 'anthropic/claude-opus-4-5'), undefined);
  });

  it('lists the models of a tier cheapest first', () => {
    const economy = modelsOfTier(buildCatalog(), 'economy', new Date('2026-11-01T00:00:00Z'));
    assert.equal(economy[0]?.id, 'gpt-5-nano'); // $0.05 + $0.40 per MTok
    assert.ok(economy.some((m) => m.id === 'claude-haiku-4-5'));
  });
});

describe('keel.yaml models: overrides', () => {
  it('overrides the tier of a built-in model and adds an alias, keeping its price history', () => {
    const parsed = parseModelList(
      [{ id: 'gpt-5-mini', provider: 'openai', tier: 'economy', aliases: ['mini'] }],
      'keel.yaml',
      'keel.yaml',
    );
    assert.ok(parsed.ok);
    const found = findModel(buildCatalog({ configured: parsed.overrides }), 'openai', 'mini');
    assert.equal(found?.model.tier, 'economy');
    assert.equal(found?.model.prices.length, 1);
  });

  it('replaces every earlier price when an override price has no effective date', () => {
    const parsed = parseModelList(
      [{ id: 'o3', provider: 'openai', price: { input: 1, output: 4 } }],
      'keel.yaml',
      'keel.yaml',
    );
    assert.ok(parsed.ok);
    const o3 = findModel(buildCatalog({ configured: parsed.overrides }), 'openai', 'o3');
    assert.deepEqual(
      o3?.model.prices.map((p) => p.effective),
      ['1970-01-01'],
    );
  });

  it('rejects a new model without a tier, naming it', () => {
    const parsed = parseModelList(
      [{ id: 'mystery', provider: 'acme', price: { input: 1, output: 1 } }],
      'keel.yaml',
      'keel.yaml',
    );
    assert.ok(parsed.ok);
    assert.throws(
      () => buildCatalog({ configured: parsed.overrides }),
      (e: unknown) => e instanceof InvalidInputError && /acme\/mystery .* no tier/.test(e.message),
    );
  });

  it('locates each invalid field by its path in the list', () => {
    const parsed = parseModelList(
      [
        { id: 'ok', provider: 'acme', tier: 'economy', price: { input: 1, output: 2 } },
        { id: 'bad', provider: 'acme', price: { input: -1, output: 2 }, effective: '2026-13-45' },
        { id: 'typo', provider: 'acme', pirce: {} },
        { id: 'undated', provider: 'acme', effective: '2026-01-01' },
      ],
      'keel.yaml',
      'keel.yaml',
    );
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    const paths = parsed.problems.map((p) => p.path);
    assert.ok(paths.includes('models[1].effective'), paths.join());
    assert.ok(
      paths.some((p) => p.startsWith('models[1].price')),
      paths.join(),
    );
    assert.ok(
      paths.some((p) => p.startsWith('models[2]')),
      paths.join(),
    );
    assert.ok(!paths.some((p) => p.startsWith('models[0]')));
  });
});
