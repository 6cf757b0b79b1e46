/** The agent-fake scenario format: validation with located errors, rule matching, templates, confinement. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../../../src/core/index.ts';
import {
  confine,
  DEFAULT_SCENARIO,
  fillTemplate,
  matchRule,
  parseScenario,
  readMarkers,
  summarisePrompt,
} from '../../../src/sim/claude-code/index.ts';

function problems(source: string): string {
  try {
    parseScenario(source, 'agents.yaml');
  } catch (error) {
    assert.ok(error instanceof InvalidInputError);
    assert.ok(error.hint);
    return error.message;
  }
  assert.fail('expected the scenario to be rejected');
}

describe('agent scenario format', () => {
  it('fills defaults for a minimal scenario', () => {
    const scenario = parseScenario('rules:\n  - steps:\n      - say: hello\n', 'agents.yaml');
    const rule = scenario.rules[0];
    assert.equal(rule?.outcome, 'success');
    assert.equal(rule?.result, 'Done.');
    assert.deepEqual(rule?.alsoUses, []);
    assert.equal(scenario.codex.version, '0.155.1');
  });

  it('names the file, line and column of every problem', () => {
    const message = problems(
      [
        'rules:',
        '  - name: a',
        '    steps:',
        '      - say: hi',
        '        write: { path: x.ts, content: "" }',
        '      - edit: { path: /etc/passwd, old: a, new: b }',
        '    outcom: success',
        '  - match: { pattern: "(" }',
        '    fault: { kind: explode }',
      ].join('\n'),
    );
    assert.match(message, /^5 problems in the scenario agents\.yaml/);
    assert.match(message, /agents\.yaml:4:9: rules\[0\]\.steps\[0\]: a step has exactly one of/);
    assert.match(
      message,
      /agents\.yaml:6:23: rules\[0\]\.steps\[1\]\.edit\.path: must be a relative path/,
    );
    assert.match(message, /agents\.yaml:7:5: rules\[0\]\.outcom: Unrecognized key/);
    assert.match(
      message,
      /agents\.yaml:8:23: rules\[1\]\.match\.pattern: is not a valid regular expression/,
    );
    assert.match(message, /agents\.yaml:9:20: rules\[1\]\.fault\.kind: /);
  });

  it('reports YAML syntax errors with their position', () => {
    assert.match(problems('rules:\n  - steps: [\n'), /agents\.yaml:\d+:\d+: /);
  });

  it('requires at least one rule', () => {
    assert.match(problems('rules: []\n'), /rules: /);
  });

  it('accepts JSON as well as YAML', () => {
    const scenario = parseScenario('{"rules":[{"outcome":"auth"}]}', 'agents.json');
    assert.equal(scenario.rules[0]?.outcome, 'auth');
  });

  it('reads the pass and attempt markers of a prompt', () => {
    assert.deepEqual(readMarkers('Fix it.\nx-keel-pass: implement\nX-Keel-Attempt: 3\n'), {
      pass: 'implement',
      attempt: 3,
    });
    assert.deepEqual(readMarkers('x-keel-agent: reviewer\nLook.'), { agent: 'reviewer' });
    assert.deepEqual(readMarkers('no markers here'), {});
    assert.equal(summarisePrompt('x-keel-pass: a\n\n  Add a cache.  \nMore.'), 'Add a cache.');
  });

  it('picks the first rule whose conditions all hold', () => {
    const scenario = parseScenario(
      [
        'rules:',
        '  - { name: third, match: { pass: implement, attempt: [3, 5] } }',
        '  - { name: retry, match: { pass: implement, attempt: { min: 2 } } }',
        '  - { name: review, match: { agent: reviewer } }',
        '  - { name: impl, match: { pass: implement } }',
        '  - { name: docs, match: { prompt: README } }',
        '  - { name: bug, match: { pattern: "fix(es)? #\\\\d+" } }',
      ].join('\n'),
      'agents.yaml',
    );
    const pick = (prompt: string, pass: string | undefined, attempt: number, agent?: string) =>
      matchRule(scenario, { prompt, pass, attempt, agent })?.name;
    assert.equal(pick('x', 'implement', 1), 'impl');
    assert.equal(pick('x', 'implement', 2), 'retry');
    assert.equal(pick('x', 'implement', 3), 'third');
    assert.equal(pick('x', 'review', 1, 'reviewer'), 'review');
    assert.equal(pick('update the readme', undefined, 1), 'docs');
    assert.equal(pick('Fixes #42', undefined, 1), 'bug');
    assert.equal(pick('nothing', 'review', 1), undefined);
  });

  it('fills templates and leaves unknown placeholders as written', () => {
    const values = { prompt: 'p', summary: 's', pass: 'implement', attempt: 2, session: 'id' };
    assert.equal(fillTemplate('{{pass}}#{{ attempt }} {{nope}}', values), 'implement#2 {{nope}}');
  });

  it('ships a default scenario that succeeds without editing files, so any agent’s access allows it', () => {
    const rule = DEFAULT_SCENARIO.rules[0];
    assert.equal(rule?.outcome, 'success');
    assert.ok(rule?.steps.every((s) => !s.write && !s.edit && s.delete === undefined));
    assert.match(rule?.result ?? '', /\{\{pass\}\}/);
  });

  it('never lets an edit leave the working directory', () => {
    assert.equal(confine('/work/repo', 'src/a.ts'), '/work/repo/src/a.ts');
    assert.throws(() => confine('/work/repo', '../other/a.ts'), /outside the working directory/);
    assert.throws(() => confine('/work/repo', '/etc/passwd'), /outside the working directory/);
  });
});
