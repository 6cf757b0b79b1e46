/** Properties of planPasses over random pass DAGs: order, mode filtering, preserved dependencies. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Agent, Pass, Workflow } from '../../src/definitions/index.ts';
import { planPasses } from '../../src/definitions/index.ts';

const MODES = ['fast', 'balanced', 'thorough'] as const;
const here = { file: 'x.yaml', line: 1, column: 1 };
const agent: Agent = {
  name: 'a',
  version: 1,
  category: 'implementer',
  description: '',
  capabilities: [],
  context: { paths: [], artifacts: [] },
  access: { write: [], resources: [] },
  runtime: { kind: 'llm', timeoutMs: undefined },
  tier: undefined,
  escalation: undefined,
  instructions: '',
  source: here,
};

interface Shape {
  needs: number[][];
  modes: ((typeof MODES)[number][] | undefined)[];
  order: number[];
}

/** Pass i may only need passes j < i, so the graph is acyclic; declaration order is then shuffled. */
const shapes = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.record({
    needs: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        i === 0
          ? fc.constant<number[]>([])
          : fc.uniqueArray(fc.integer({ min: 0, max: i - 1 }), { maxLength: 3 }),
      ),
    ),
    modes: fc.tuple(
      ...Array.from({ length: n }, () =>
        fc.option(fc.subarray([...MODES], { minLength: 1 }), { nil: undefined }),
      ),
    ),
    order: fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => i),
      { minLength: n, maxLength: n },
    ),
  }),
);

function workflowOf(shape: Shape): Workflow {
  const pass = (i: number): Pass => ({
    id: `p${i}`,
    agent,
    description: '',
    needs: (shape.needs[i] ?? []).map((j) => `p${j}`),
    inputs: [],
    outputs: [],
    actions: [],
    resources: [],
    modes: shape.modes[i],
    tier: undefined,
    gates: [],
    checkpoints: [],
    source: here,
  });
  const modes = Object.fromEntries(
    MODES.map((m) => [m, { name: m, tierShift: 0, skipGates: [], addGates: [] }]),
  );
  return {
    name: 'w',
    version: 1,
    description: '',
    file: 'x.yaml',
    selects: { types: [], labels: [], priority: 0 },
    defaultMode: 'balanced',
    modes,
    passes: shape.order.map(pass),
    tiers: ['economy', 'standard'],
    defaultTier: 'standard',
    source: here,
  };
}

/** Every pass reachable from `id` through `needs`. */
function reach(id: string, needs: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...needs(id)];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...needs(next));
  }
  return seen;
}

describe('planPasses on random DAGs', () => {
  it('plans exactly the passes of the mode, each after everything it needs, keeping transitive order', () => {
    fc.assert(
      fc.property(shapes, fc.constantFrom(...MODES), (shape, mode) => {
        const workflow = workflowOf(shape);
        const plan = planPasses(workflow, mode);
        const expected = workflow.passes
          .filter((p) => !p.modes || p.modes.includes(mode))
          .map((p) => p.id);
        assert.deepEqual(plan.map((p) => p.id).sort(), [...expected].sort());

        const position = new Map(plan.map((p, i) => [p.id, i]));
        for (const p of plan) {
          for (const need of p.needs) {
            assert.ok(
              (position.get(need) ?? Infinity) < (position.get(p.id) ?? -1),
              `${need} before ${p.id}`,
            );
          }
        }
        // A dependency between two planned passes survives, even through passes the mode drops.
        const original = (id: string) => workflow.passes.find((p) => p.id === id)?.needs ?? [];
        const planned = (id: string) => plan.find((p) => p.id === id)?.needs ?? [];
        for (const p of plan) {
          const before = [...reach(p.id, original)].filter((id) => position.has(id)).sort();
          assert.deepEqual([...reach(p.id, planned)].sort(), before);
        }
      }),
      { numRuns: 300 },
    );
  });
});
