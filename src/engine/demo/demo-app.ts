/**
 * The small application `keel demo` works on (a Node module and its
 * `node --test` tests), how the demo adapts keel's starter set (a checkpoint
 * on `merge`), and the fakes it plays the models and coding agents with.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo scenario file for the wind tunnel (model APIs). */
export const DEMO_SCENARIO_FILE = fileURLToPath(new URL('./scenario.yaml', import.meta.url));

/** The demo scenario of the fake Claude Code (what the coding agents edit). */
export const DEMO_AGENT_SCENARIO_FILE = fileURLToPath(new URL('./agents.yaml', import.meta.url));

/** keel's fake Claude Code executable. */
export const SIM_CLAUDE_BIN = fileURLToPath(
  new URL('../../../bin/keel-sim-claude.js', import.meta.url),
);

/** The work item the demo submits. */
export const DEMO_FEATURE = {
  title: 'Greet users by name',
  type: 'feature',
  priority: 'P2' as const,
  labels: [],
  body: 'greet() should greet a user by name, and greet an empty name as "stranger".',
};

const APP_FILES: Record<string, string> = {
  'package.json': `${JSON.stringify(
    {
      name: 'greeter',
      version: '1.0.0',
      type: 'module',
      private: true,
      scripts: { test: 'node --test test/', lint: 'node --check src/greet.js' },
    },
    null,
    2,
  )}\n`,
  'src/greet.js': "export function greet(name) {\n  return 'Hello, ' + name + '!';\n}\n",
  'test/greet.test.js': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { greet } from '../src/greet.js';

test('greets a user by name', () => {
  assert.equal(greet('Ada'), 'Hello, Ada!');
});
`,
  'README.md': '# greeter\n\nA tiny module keel demo works on.\n',
};

/** Writes the demo application into `dir`. */
export function writeDemoApp(dir: string): void {
  for (const [file, text] of Object.entries(APP_FILES)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
}

/** Adapts the starter set `keel init` wrote in `dir` for the demo (see the header). */
export function adaptStarterForDemo(dir: string): void {
  const settings = join(dir, '.keel', 'keel.yaml');
  const text = readFileSync(settings, 'utf8');
  if (!/^checkpoints:\n/m.test(text))
    throw new Error('the starter keel.yaml has no checkpoints section');
  writeFileSync(
    settings,
    text.replace(
      /^checkpoints:\n/m,
      'checkpoints:\n  # Added by keel demo: merging needs a person, whatever the workflow says.\n  - id: merge-to-main\n    actions: [merge]\n    approver: tech-lead\n',
    ),
  );
}
