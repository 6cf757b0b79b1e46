/** A minimal pass context for the coding-agent runtime's unit tests. */
import type { Agent, PlannedPass } from '../../../src/definitions/index.ts';
import type { PassContext } from '../../../src/runtimes/index.ts';

/** A claude-code implementer pass `build` of WI-7 with one output, overridable. */
export function passContext(overrides: Partial<PassContext> = {}): PassContext {
  const agent = {
    name: 'implementer',
    instructions: 'You are the implementer.',
    access: { write: ['src/**'], resources: [] },
    runtime: {
      kind: 'claude-code',
      maxTurns: undefined,
      allowedTools: [],
      disallowedTools: [],
      permissionMode: undefined,
      timeoutMs: undefined,
    },
  } as unknown as Agent;
  const pass = {
    id: 'build',
    pass: { description: 'Add a greet function.' },
    agent,
    outputs: ['notes.md'],
    inputs: ['spec.md'],
  } as unknown as PlannedPass;
  return {
    itemId: 'WI-7',
    item: { title: 'Greet people', body: 'Say hello by name.', type: 'feature' },
    pass,
    agent,
    attempt: 2,
    generationId: 'G1',
    tier: 'standard',
    target: undefined,
    findings: [],
    worktree: '/nowhere',
    inputs: [{ name: 'spec.md', content: '# Spec\nGreet by name.' }],
    contextFiles: [],
    env: {},
    signal: new AbortController().signal,
    onCall: async () => {},
    findReusable: () => undefined,
    ...overrides,
  };
}
