/** Unit tests of the pure import decisions: category, tier, write access, tool lists. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferCategory, inferWrite, tierForModel, toKeelAgent } from './mapping.ts';
import { splitTools } from './subagent.ts';

describe('inferCategory', () => {
  it('reads the role from the name before the description', () => {
    assert.equal(inferCategory('code-reviewer', 'Writes a short report.'), 'verifier');
    assert.equal(inferCategory('test-runner', 'Runs things.'), 'qa');
    assert.equal(inferCategory('debugger', 'Reviews stack traces.'), 'diagnostician');
    assert.equal(inferCategory('api-documenter', 'Keeps the API reference current.'), 'documenter');
    assert.equal(inferCategory('frontend-developer', 'Reviews nothing; builds UI.'), 'implementer');
  });

  it('takes the role word that comes first in the description', () => {
    assert.equal(inferCategory('helper', 'Builds API endpoints and their tests.'), 'implementer');
    assert.equal(inferCategory('helper', 'Reviews code and suggests fixes.'), 'verifier');
    assert.equal(inferCategory('helper', 'Use PROACTIVELY to deploy releases.'), 'deployer');
  });

  it('defaults to implementer when nothing names a role', () => {
    assert.equal(inferCategory('helper', 'General assistant.'), 'implementer');
  });
});

describe('tierForModel', () => {
  it('maps each alias and full model id to a tier', () => {
    assert.equal(tierForModel('haiku').tier, 'economy');
    assert.equal(tierForModel('sonnet').tier, 'standard');
    assert.equal(tierForModel('opus').tier, 'frontier');
    assert.equal(tierForModel('inherit').tier, 'standard');
    assert.equal(tierForModel(undefined).tier, 'standard');
    assert.equal(tierForModel('claude-3-5-haiku-20241022').tier, 'economy');
    assert.equal(tierForModel('claude-opus-4-1-20250805').tier, 'frontier');
  });

  it('flags a model it does not recognise and falls back to standard', () => {
    assert.deepEqual(tierForModel('gpt-5'), { tier: 'standard', known: false });
  });
});

describe('inferWrite', () => {
  it('gives reviewers and read-only tool sets no write access', () => {
    assert.deepEqual(inferWrite('verifier', ['Read', 'Edit']), []);
    assert.deepEqual(inferWrite('implementer', ['Read', 'Grep', 'Bash']), []);
    assert.deepEqual(inferWrite('implementer', ['Read', 'Edit(src/**)']), ['src/**', 'test/**']);
    assert.deepEqual(inferWrite('implementer', undefined), ['src/**', 'test/**']);
  });
});

describe('splitTools', () => {
  it('splits on commas outside parentheses and drops empty entries', () => {
    assert.deepEqual(splitTools('Read, Grep,, Bash(git diff:*, git log:*) '), [
      'Read',
      'Grep',
      'Bash(git diff:*, git log:*)',
    ]);
  });
});

describe('toKeelAgent', () => {
  it('does not carry bypassPermissions over, and says so', () => {
    const { agent, notes } = toKeelAgent({
      file: 'a.md',
      name: 'a',
      description: 'Builds things.',
      permissionMode: 'bypassPermissions',
      ignoredKeys: ['color'],
      body: '',
    });
    assert.equal(agent.runtime, 'claude-code');
    assert.equal(notes.length, 2);
    assert.match(notes[0]?.message ?? '', /bypassPermissions/);
  });
});
