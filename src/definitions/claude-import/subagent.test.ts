/** Unit tests of the subagent parser: what it accepts, and where it locates each problem. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSubagent } from './subagent.ts';

function problems(text: string): string[] {
  const result = parseSubagent('x.md', text);
  assert.equal(result.ok, false, 'expected the file to be rejected');
  return result.ok
    ? []
    : result.problems.map((p) => `${p.location.line}:${p.location.column} ${p.message}`);
}

describe('parseSubagent', () => {
  it('reads every carried key and keeps the body byte for byte', () => {
    const result = parseSubagent(
      'x.md',
      '---\nname: a-b\ndescription: Does A.\ntools: Read, Bash(npm run a, b)\ndisallowedTools: [WebFetch]\nmodel: opus\npermissionMode: plan\nmaxTurns: 7\nskills: x\n---\n\n# Prompt\n',
    );
    assert.ok(result.ok);
    assert.deepEqual(result.value, {
      file: 'x.md',
      name: 'a-b',
      description: 'Does A.',
      tools: ['Read', 'Bash(npm run a, b)'],
      disallowedTools: ['WebFetch'],
      model: 'opus',
      permissionMode: 'plan',
      maxTurns: 7,
      ignoredKeys: ['skills'],
      body: '\n# Prompt\n',
    });
  });

  it('accepts Windows line endings and a byte-order mark', () => {
    const result = parseSubagent(
      'x.md',
      '\uFEFF---\r\nname: a\r\ndescription: B\r\n---\r\nbody\r\n',
    );
    assert.ok(result.ok);
    assert.equal(result.value.description, 'B');
    assert.equal(result.value.body, 'body\r\n');
  });

  it('locates each invalid value at its line and column', () => {
    assert.deepEqual(problems('---\nname: Not_Valid\ndescription: ""\nmaxTurns: 0\n---\n'), [
      '2:7 `name` "Not_Valid" must use only lowercase letters, digits and hyphens',
      '3:14 `description` must not be empty',
      '4:11 `maxTurns` must be a positive whole number',
    ]);
    assert.deepEqual(problems('---\nname: a\ndescription: b\ntools:\n  - Read\n  - 3\n---\n'), [
      '6:5 each entry of `tools` must be a tool name',
    ]);
  });

  it('rejects a duplicate key, a non-mapping frontmatter and a missing description', () => {
    assert.match(
      problems('---\nname: a\nname: b\ndescription: c\n---\n')[0] ?? '',
      /^3:1 invalid YAML/,
    );
    assert.match(problems('---\n- a\n---\n')[0] ?? '', /^2:1 the frontmatter must be a mapping/);
    assert.deepEqual(problems('---\nname: a\n---\n'), ['2:1 missing required `description`']);
  });
});
