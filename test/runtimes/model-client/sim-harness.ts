/**
 * Starts the model-API wind tunnel for one test file and builds provider
 * configs pointing at it, with fake keys in a private env (never process.env).
 */
import { after, before } from 'node:test';
import type { ProviderConfig } from '../../../src/runtimes/model-client/index.ts';
import {
  type ModelApiSim,
  parseModelApiScenario,
  startModelApiSim,
} from '../../../src/sim/index.ts';

export const ENV = {
  KEEL_TEST_ANTHROPIC_KEY: 'sk-ant-test-secret-1234',
  KEEL_TEST_OPENAI_KEY: 'sk-test-secret-5678',
};
export const PROVIDERS = ['openai', 'anthropic'] as const;
export const MODELS = { openai: 'gpt-4.1-mini', anthropic: 'claude-sonnet-4-5' } as const;

/** Runs a wind tunnel with `scenario` (an object in the scenario format) for the tests of this file. */
export function useSim(scenario: unknown): {
  sim: () => ModelApiSim;
  provider: (kind: 'openai' | 'anthropic') => ProviderConfig;
} {
  let sim: ModelApiSim | undefined;
  before(async () => {
    sim = await startModelApiSim({ scenario: parseModelApiScenario(JSON.stringify(scenario)) });
  });
  after(async () => {
    await sim?.close();
  });
  const current = () => {
    if (!sim) throw new Error('the wind tunnel is not started');
    return sim;
  };
  return {
    sim: current,
    provider: (kind) => ({
      kind,
      baseUrl: `${current().url}/v1`,
      apiKeyEnv: kind === 'openai' ? 'KEEL_TEST_OPENAI_KEY' : 'KEEL_TEST_ANTHROPIC_KEY',
    }),
  };
}
