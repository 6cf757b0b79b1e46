/** Whatever is written in `.keel/`, loading reports located diagnostics and never throws. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadDefinitions } from '../../src/definitions/index.ts';
import { tempKeel } from './fixtures.ts';

const FILES = ['keel.yaml', 'workflows/feature.yaml', 'agents/author.md'] as const;

/** Random content: arbitrary text, or arbitrary YAML data (as frontmatter for the agent). */
const contents = fc.oneof(
  fc.string({ maxLength: 200 }),
  // yaml's stringify returns undefined for an undefined value: write an empty file then.
  fc.anything({ maxDepth: 3 }).map((value) => stringify(value) ?? ''),
  fc
    .dictionary(
      fc.constantFrom('name', 'version', 'passes', 'runtime', 'roles', 'budgets', 'gates', 'x'),
      fc.anything({ maxDepth: 2 }),
    )
    .map((value) => stringify(value)),
);

describe('loading arbitrary content', () => {
  it('never throws, and every diagnostic points inside the file it names', async () => {
    const keel = tempKeel();
    // Earlier runs leave their content behind, so track every file's current text.
    const current = new Map<string, string>(FILES.map((f) => [`.keel/${f}`, keel.read(f)]));
    current.set('.keel/agents/reviewer.md', keel.read('agents/reviewer.md'));
    try {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...FILES), contents, async (file, content) => {
          const text = file.endsWith('.md') ? `---\n${content}\n---\nBody.\n` : content;
          keel.write(file, text);
          current.set(`.keel/${file}`, text);
          const { definitions, diagnostics } = await loadDefinitions(keel.dir);
          for (const d of diagnostics) {
            const lines = current.get(d.location.file)?.split('\n').length ?? 0;
            assert.ok(d.location.line >= 1 && d.location.line <= lines, JSON.stringify(d));
            assert.ok(d.location.column >= 1, JSON.stringify(d));
          }
          assert.equal(
            definitions === undefined,
            diagnostics.some((d) => d.severity === 'error'),
          );
        }),
        { numRuns: 60 },
      );
    } finally {
      keel.dispose();
    }
  });
});
