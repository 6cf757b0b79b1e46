/** Positions, frontmatter, durations and suggestions: the building blocks of located diagnostics. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { closest, editDistance } from '../../src/definitions/did-you-mean.ts';
import { parseDuration } from '../../src/definitions/index.ts';
import { parseFrontmatter } from '../../src/definitions/source/frontmatter.ts';
import { parseYamlSource } from '../../src/definitions/source/yaml-source.ts';

describe('located YAML', () => {
  const text =
    'name: feature\npasses:\n  - id: spec\n    agent: writer\n  - { id: build, agent: coder }\n';
  const source = parseYamlSource(text, 'wf.yaml');

  it('locates values and keys by field path, 1-based', () => {
    assert.deepEqual(source.locate(['passes', 0, 'agent']), {
      file: 'wf.yaml',
      line: 4,
      column: 12,
    });
    assert.deepEqual(source.locate(['passes', 0, 'agent'], 'key'), {
      file: 'wf.yaml',
      line: 4,
      column: 5,
    });
    assert.deepEqual(source.locate(['passes', 1, 'agent']), {
      file: 'wf.yaml',
      line: 5,
      column: 25,
    });
  });

  it('falls back to the nearest existing ancestor for a path that does not exist', () => {
    assert.deepEqual(source.locate(['passes', 1, 'gates', 0]), {
      file: 'wf.yaml',
      line: 5,
      column: 5,
    });
  });

  it('reports syntax errors as located problems instead of throwing', () => {
    const broken = parseYamlSource('a: 1\nb: [1, 2\nc: 3\n', 'x.yaml');
    assert.ok(broken.problems.length > 0);
    assert.equal(broken.data, undefined);
    assert.equal(broken.problems[0]?.location.file, 'x.yaml');
  });

  it('treats duplicate keys as syntax errors', () => {
    const dup = parseYamlSource('a: 1\na: 2\n', 'x.yaml');
    assert.equal(dup.problems.length, 1);
    assert.equal(dup.problems[0]?.location.line, 2);
  });
});

describe('frontmatter', () => {
  it('shifts positions to the real line of the markdown file', () => {
    const parsed = parseFrontmatter('---\nname: a\ntier: economy\n---\nBody text.\n', 'a.md');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.yaml.locate(['tier']), { file: 'a.md', line: 3, column: 7 });
    assert.equal(parsed.body, 'Body text.');
  });

  it('accepts Windows line endings and a byte-order mark', () => {
    const parsed = parseFrontmatter('\uFEFF---\r\nname: a\r\n---\r\nBody\r\n', 'a.md');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.yaml.data, { name: 'a' });
  });

  it('explains a missing opening or closing line', () => {
    const none = parseFrontmatter('# Just markdown\n', 'a.md');
    assert.equal(none.ok, false);
    assert.match(none.ok ? '' : none.message, /does not start with a `---`/);
    const open = parseFrontmatter('---\nname: a\n', 'a.md');
    assert.match(open.ok ? '' : open.message, /never closed/);
  });
});

describe('durations', () => {
  it('compiles the units and their combinations to milliseconds', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('10m'), 600_000);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('1d'), 86_400_000);
  });

  it('rejects zero, spaces, missing units and unknown units', () => {
    for (const bad of ['0s', '10 m', '10', 'm', '5w', '-1s', ''])
      assert.equal(parseDuration(bad), undefined, bad);
  });

  it('sums the parts of any well-formed duration', () => {
    const part = fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('ms', 's', 'm', 'h'));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
        const text = parts.map(([n, u]) => `${n}${u}`).join('');
        const expected = parts.reduce((sum, [n, u]) => sum + n * (unit[u] ?? 0), 0);
        assert.equal(parseDuration(text), expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('did you mean', () => {
  it('measures edit distance', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });

  it('suggests only close candidates', () => {
    assert.equal(closest('descriptoin', ['name', 'description', 'version']), 'description');
    assert.equal(closest('zzz', ['name', 'description']), undefined);
  });
});
