/** Attribution of single commits from trailers, signatures, identities and git-ai notes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  attributeCommit,
  type CommitIdentity,
  compilePatterns,
  DEFAULT_PATTERNS,
  findChangeRefs,
  parseAuthorshipNote,
  parsePatterns,
} from '../../src/metrics/index.ts';

const patterns = compilePatterns(DEFAULT_PATTERNS);

function commit(message: string, author = 'Dev <dev@example.com>'): CommitIdentity {
  const [, name = '', email = ''] = /^(.*) <(.*)>$/.exec(author) ?? [];
  return {
    authorName: name,
    authorEmail: email,
    committerName: 'Dev',
    committerEmail: 'dev@example.com',
    message,
  };
}

describe('attribution', () => {
  const cases: [string, CommitIdentity, string[]][] = [
    ['a Claude trailer', commit('x\n\nCo-Authored-By: Claude <noreply@anthropic.com>'), ['claude']],
    [
      'a Claude Code signature',
      commit('x\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)'),
      ['claude'],
    ],
    [
      'a Copilot trailer',
      commit('x\n\nCo-authored-by: Copilot <198982749+Copilot@users.noreply.github.com>'),
      ['copilot'],
    ],
    [
      'the Copilot coding agent bot',
      commit('x', 'Copilot <copilot-swe-agent[bot]@users.noreply.github.com>'),
      ['copilot'],
    ],
    [
      'a Devin bot author',
      commit(
        'x',
        'devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>',
      ),
      ['devin'],
    ],
    ['an aider author suffix', commit('x', 'Ann (aider) <ann@example.com>'), ['aider']],
    [
      'a Cursor trailer',
      commit('x\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>'),
      ['cursor'],
    ],
    ['a Gemini trailer', commit('x\n\nCo-authored-by: Gemini <gemini@google.com>'), ['gemini']],
    ['an Amp trailer', commit('x\n\nCo-authored-by: Amp <amp@ampcode.com>'), ['amp']],
    [
      'an opencode trailer',
      commit('x\n\nCo-authored-by: opencode <noreply@opencode.ai>'),
      ['opencode'],
    ],
    ['an OpenAI Codex signature', commit('x\n\n🤖 Generated with Codex'), ['codex']],
    [
      'keel trailers',
      commit('x\n\nKeel-Generation: g-12\nKeel-Agent: implementer\nKeel-Model: claude-sonnet-4-5'),
      ['keel'],
    ],
  ];
  for (const [what, c, tools] of cases) {
    it(`recognises ${what}`, () => {
      const a = attributeCommit(c, patterns);
      assert.equal(a.ai, true);
      assert.deepEqual(a.tools, tools);
    });
  }

  it('collects every tool of a commit with several trailers, and the model a trailer names', () => {
    const a = attributeCommit(
      commit(
        'x\n\nCo-authored-by: Claude Sonnet 4.5 <noreply@anthropic.com>\nCo-authored-by: Copilot <Copilot@users.noreply.github.com>\nCo-authored-by: Ann <ann@example.com>',
      ),
      patterns,
    );
    assert.deepEqual(a.tools, ['claude', 'copilot']);
    assert.deepEqual(a.models, ['Claude Sonnet 4.5']);
  });

  it('leaves a human commit, with a human co-author and a mention of Claude in prose, unattributed', () => {
    const a = attributeCommit(
      commit('Explain why we do not use Claude here\n\nCo-authored-by: Ann <ann@example.com>'),
      patterns,
    );
    assert.equal(a.ai, false);
    assert.deepEqual(a.tools, []);
  });

  it('takes the model from keel trailers and keel as the tool, whatever the agent is called', () => {
    const a = attributeCommit(
      commit('x\n\nKeel-Generation: g-1\nKeel-Agent: implementer\nKeel-Model: gpt-5-mini'),
      patterns,
    );
    assert.deepEqual(a.tools, ['keel']);
    assert.deepEqual(a.models, ['gpt-5-mini']);
    assert.deepEqual(a.signals, ['keel-trailer']);
  });

  it('prefers a git-ai note to the message, even when the note attests no line', () => {
    const note = parseAuthorshipNote(
      '---\n{"schema_version":"authorship/3.0.0","base_commit_sha":"x","prompts":{}}',
    );
    assert.ok(note);
    const a = attributeCommit(
      commit('x\n\nCo-authored-by: Claude <noreply@anthropic.com>'),
      patterns,
      note,
    );
    assert.equal(a.ai, false);
    assert.equal(a.fromNote, true);
  });
});

describe('git-ai authorship notes', () => {
  const text = [
    'src/a.ts',
    '  aaaaaaaaaaaaaaaa 1-3,7',
    '  bbbbbbbbbbbbbbbb 4,9-10',
    '"src/my file.ts"',
    '  aaaaaaaaaaaaaaaa 2',
    '---',
    JSON.stringify({
      schema_version: 'authorship/3.0.0',
      base_commit_sha: 'abc',
      prompts: {
        aaaaaaaaaaaaaaaa: { agent_id: { tool: 'claude', id: '1', model: 'claude-opus-4-5' } },
        bbbbbbbbbbbbbbbb: { agent_id: { tool: 'cursor', id: '2', model: 'gpt-5' } },
        cccccccccccccccc: { agent_id: { tool: 'amp', id: '3', model: 'x' } },
      },
    }),
  ].join('\n');

  it('merges the ranges of every session per file and names the sessions that wrote lines', () => {
    const note = parseAuthorshipNote(text);
    assert.ok(note);
    assert.deepEqual(note.files.get('src/a.ts'), [
      [1, 4],
      [7, 7],
      [9, 10],
    ]);
    assert.deepEqual(note.files.get('src/my file.ts'), [[2, 2]]);
    assert.equal(note.lineCount, 8);
    assert.deepEqual(note.tools, ['claude', 'cursor']);
    assert.deepEqual(note.models, ['claude-opus-4-5', 'gpt-5']);
  });

  it('ignores notes of other formats', () => {
    assert.equal(parseAuthorshipNote('just a note'), undefined);
    assert.equal(parseAuthorshipNote('a\n---\n{"schema_version":"other/1"}'), undefined);
  });
});

describe('revert and fix references', () => {
  it('finds git reverts, kernel Fixes: trailers and hotfix prose, but not issue numbers', () => {
    const refs = findChangeRefs(
      'Revert "x"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n\nFixes: abcdef1 ("subject")\nHotfix for deadbee0 in prod\nfixes #123, fix for 12ab',
    );
    assert.deepEqual(refs, [
      { kind: 'revert', sha: '0123456789abcdef0123456789abcdef01234567' },
      { kind: 'fix', sha: 'abcdef1' },
      { kind: 'fix', sha: 'deadbee0' },
    ]);
  });
});

describe('patterns files', () => {
  it('adds user rules in front of the defaults, or replaces them when asked', () => {
    const extended = parsePatterns(
      'rules:\n  - {id: a, field: message, tool: t, pattern: "x"}\n',
      'p.yaml',
    );
    assert.equal(extended.rules[0]?.id, 'a');
    assert.equal(extended.rules.length, DEFAULT_PATTERNS.rules.length + 1);
    const replaced = parsePatterns('{"replaceDefaults": true, "rules": []}', 'p.json');
    assert.equal(replaced.rules.length, 0);
  });

  it('names the file and the rule of an invalid regular expression', () => {
    assert.throws(
      () =>
        parsePatterns(
          '{"rules": [{"id": "a", "field": "message", "tool": "t", "pattern": "("}]}',
          'p.json',
        ),
      /p\.json: rules\.0\.pattern is not a valid regular expression/,
    );
  });
});
