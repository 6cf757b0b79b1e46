/** `keel agents import` as a user runs it, on Claude Code subagent files written by each test. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { makeTempRepo, parseJson, runKeel, type TempRepo } from '../helpers/cli.ts';

function subagent(fields: string, body = 'You are a careful engineer.\n'): string {
  return `---\n${fields.trim()}\n---\n${body}`;
}

function writeSubagents(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
}

function readAgent(repoDir: string, name: string): { fm: Record<string, unknown>; body: string } {
  const text = readFileSync(join(repoDir, '.keel/agents', `${name}.md`), 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  assert.ok(match, `no frontmatter in ${name}.md:\n${text}`);
  return { fm: parse(match[1] ?? '') as Record<string, unknown>, body: match[2] ?? '' };
}

describe('keel agents import', { concurrency: true }, () => {
  const repos: TempRepo[] = [];
  const repo = (): TempRepo => {
    const r = makeTempRepo();
    repos.push(r);
    return r;
  };
  after(() => {
    for (const r of repos.splice(0)) r.dispose();
  });

  it('turns subagents into keel agents: tools as a string or a list, each model alias mapped to a tier', async () => {
    const r = repo();
    writeSubagents(join(r.dir, '.claude/agents'), {
      'code-reviewer.md': subagent(
        'name: code-reviewer\ndescription: Reviews code for quality. Use PROACTIVELY after changes.\ntools: Read, Grep, Glob, Bash(git diff:*, git log:*)\nmodel: sonnet',
        '\nYou are a senior reviewer.\n\n## Checklist\n- naming\n',
      ),
      'backend-builder.md': subagent(
        'name: backend-builder\ndescription: Builds API endpoints and their tests.\ntools:\n  - Read\n  - Edit\n  - Write\n  - Bash\nmodel: opus\nmaxTurns: 25\npermissionMode: acceptEdits',
      ),
      'quick-helper.md': subagent(
        'name: quick-helper\ndescription: Answers small questions.\nmodel: haiku',
      ),
      'follower.md': subagent(
        'name: follower\ndescription: Does what the session does.\nmodel: inherit',
      ),
      'plain.md': subagent('name: plain\ndescription: Has no model at all.'),
      'pinned.md': subagent(
        'name: pinned\ndescription: Pinned to a full model id.\nmodel: claude-opus-4-1-20250805',
      ),
    });
    const result = await runKeel(['agents', 'import', '--json'], { cwd: r.dir });
    assert.equal(result.code, 0, result.stderr);
    const out = parseJson<{ imported: { name: string; tier: string }[] }>(result);
    assert.equal(out.imported.length, 6);

    const reviewer = readAgent(r.dir, 'code-reviewer');
    assert.deepEqual(reviewer.fm, {
      name: 'code-reviewer',
      version: 1,
      category: 'verifier',
      description: 'Reviews code for quality. Use PROACTIVELY after changes.',
      access: { write: [], resources: [] },
      runtime: {
        kind: 'claude-code',
        allowed_tools: ['Read', 'Grep', 'Glob', 'Bash(git diff:*, git log:*)'],
      },
      tier: 'standard',
    });
    assert.equal(reviewer.body, '\nYou are a senior reviewer.\n\n## Checklist\n- naming\n');

    const builder = readAgent(r.dir, 'backend-builder');
    assert.deepEqual(builder.fm, {
      name: 'backend-builder',
      version: 1,
      category: 'implementer',
      description: 'Builds API endpoints and their tests.',
      access: { write: ['src/**', 'test/**'], resources: [] },
      runtime: {
        kind: 'claude-code',
        max_turns: 25,
        allowed_tools: ['Read', 'Edit', 'Write', 'Bash'],
        permission_mode: 'acceptEdits',
      },
      tier: 'frontier',
    });

    const tiers = Object.fromEntries(
      ['quick-helper', 'follower', 'plain', 'pinned'].map((n) => [n, readAgent(r.dir, n).fm.tier]),
    );
    assert.deepEqual(tiers, {
      'quick-helper': 'economy',
      follower: 'standard',
      plain: 'standard',
      pinned: 'frontier',
    });
    assert.equal(readAgent(r.dir, 'plain').fm.runtime, 'claude-code');
  });

  it('rejects a malformed subagent with exit 1 and its file:line:column, and writes nothing', async () => {
    const r = repo();
    writeSubagents(join(r.dir, 'agents'), {
      'a-good.md': subagent('name: good\ndescription: Fine.'),
      'b-bad.md': subagent('name: bad\ndescription: Broken.\ntools: 42'),
    });
    const result = await runKeel(['agents', 'import', 'agents'], { cwd: r.dir });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /agents\/b-bad\.md:4:8: `tools` must be a comma-separated string or a list/,
    );
    assert.equal(
      existsSync(join(r.dir, '.keel/agents/good.md')),
      false,
      'imported half the folder',
    );
  });

  it('locates invalid YAML, a missing name and a missing frontmatter', async () => {
    const r = repo();
    writeSubagents(join(r.dir, 'agents'), {
      'a.md': '---\nname: a\ndescription: [never closed\n---\nbody\n',
      'b.md': '---\ndescription: No name here.\n---\n',
      'c.md': 'Just a prompt, no frontmatter.\n',
    });
    const result = await runKeel(['agents', 'import', 'agents'], { cwd: r.dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /agents\/a\.md:3:\d+: invalid YAML/);
    assert.match(result.stderr, /agents\/b\.md:2:1: missing required `name`/);
    assert.match(result.stderr, /agents\/c\.md:1:1: expected the file to start with a `---` line/);
  });

  it('refuses to overwrite an existing agent unless --force', async () => {
    const r = repo();
    writeSubagents(join(r.dir, '.claude/agents'), {
      'docs-writer.md': subagent(
        'name: docs-writer\ndescription: Writes documentation.\ntools: Read, Write',
      ),
    });
    mkdirSync(join(r.dir, '.keel/agents'), { recursive: true });
    writeFileSync(join(r.dir, '.keel/agents/docs-writer.md'), 'hand-written\n');
    const refused = await runKeel(['agents', 'import'], { cwd: r.dir });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /\.keel\/agents\/docs-writer\.md/);
    assert.equal(
      readFileSync(join(r.dir, '.keel/agents/docs-writer.md'), 'utf8'),
      'hand-written\n',
    );

    const forced = await runKeel(['agents', 'import', '--force'], { cwd: r.dir });
    assert.equal(forced.code, 0, forced.stderr);
    const { fm } = readAgent(r.dir, 'docs-writer');
    assert.equal(fm.category, 'documenter');
    assert.deepEqual((fm.access as { write: string[] }).write, ['docs/**', 'README.md']);
  });

  it('adds to the .keel/ found above the current folder, as keel validate finds it', async () => {
    const r = repo();
    mkdirSync(join(r.dir, 'services/pay/.keel'), { recursive: true });
    writeFileSync(join(r.dir, 'services/pay/.keel/keel.yaml'), 'version: 1\n');
    writeSubagents(join(r.dir, 'services/pay/.claude/agents'), {
      'pay-fixer.md': subagent('name: pay-fixer\ndescription: Fixes payment bugs.'),
    });
    mkdirSync(join(r.dir, 'services/pay/src'), { recursive: true });
    const result = await runKeel(['agents', 'import', '../.claude/agents'], {
      cwd: join(r.dir, 'services/pay/src'),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(join(r.dir, 'services/pay/.keel/agents/pay-fixer.md')));
    assert.equal(existsSync(join(r.dir, '.keel')), false);
  });

  it('reports a missing subagent folder with exit 1', async () => {
    const r = repo();
    const result = await runKeel(['agents', 'import'], { cwd: r.dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no Claude Code subagents at \.claude\/agents/);
  });
});
