/** The examples in docs/definitions.md are real: together they form a valid `.keel/`. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { loadDefinitions } from '../../src/definitions/index.ts';

const docs = readFileSync(new URL('../../docs/definitions.md', import.meta.url), 'utf8');

/** The first fenced block of `language` after `heading`. */
function example(heading: string, language: string): string {
  const start = docs.indexOf(heading);
  assert.ok(start >= 0, `heading ${heading}`);
  const open = docs.indexOf(`\`\`\`${language}\n`, start);
  const close = docs.indexOf('\n```', open + 4 + language.length);
  return docs.slice(open + 4 + language.length, close + 1);
}

const stubAgent = (name: string, category: string, extra = '') =>
  `---\nname: ${name}\nversion: 1\ncategory: ${category}\ndescription: ${name}.\n${extra}---\nInstructions.\n`;

describe('the examples in docs/definitions.md', () => {
  it('validate together with no diagnostics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-docs-'));
    try {
      const files: Record<string, string> = {
        'keel.yaml': example('## `.keel/keel.yaml`', 'yaml'),
        'workflows/feature.yaml': example('## `.keel/workflows/<name>.yaml`', 'yaml'),
        'agents/implementer.md': example('## `.keel/agents/<name>.md`', 'markdown'),
        'agents/specifier.md': stubAgent(
          'specifier',
          'specifier',
          'access: { resources: [test-db] }\n',
        ),
        'agents/spec-reviewer.md': stubAgent('spec-reviewer', 'verifier'),
        'agents/code-reviewer.md': stubAgent('code-reviewer', 'verifier'),
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, '.keel', file)), { recursive: true });
        writeFileSync(join(dir, '.keel', file), text);
      }
      const { definitions, diagnostics } = await loadDefinitions(dir);
      assert.deepEqual(
        diagnostics.map((d) => `${d.location.file}:${d.location.line} ${d.rule} ${d.message}`),
        [],
      );
      assert.ok(definitions);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
