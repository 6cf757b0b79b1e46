/**
 * Rule behaviour beyond the one-fixture table: nested gates, union branches,
 * per-mode inputs, frontmatter line offsets, and reporting everything at once.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { DefinitionError, type Diagnostic, NotInitializedError } from '../../src/core/index.ts';
import { loadDefinitions, requireDefinitions } from '../../src/definitions/index.ts';
import { type TempKeel, tempKeel } from './fixtures.ts';

const W = 'workflows/feature.yaml';
let keel: TempKeel;
afterEach(() => keel?.dispose());

async function diagnosticsOf(k: TempKeel): Promise<Diagnostic[]> {
  return (await loadDefinitions(k.dir)).diagnostics;
}
const brief = (d: Diagnostic) =>
  `${d.rule} ${d.location.file}:${d.location.line}:${d.location.column} ${d.path}`;

describe('validation rules in detail', () => {
  it('finds a self-review inside an all_of member', async () => {
    keel = tempKeel();
    keel.edit(
      W,
      '        command: { run: [npm, test] }\n',
      '        all_of:\n          - command: { run: [npm, test] }\n          - review: { agent: author, criteria: [Readable.] }\n',
    );
    const [d, ...rest] = await diagnosticsOf(keel);
    assert.deepEqual(rest, []);
    assert.equal(
      brief(d as Diagnostic),
      'self-review .keel/workflows/feature.yaml:20:30 passes[1].gates[0].all_of[1].review.agent',
    );
  });

  it('suggests the closest key inside a runtime object, choosing the branch by its kind', async () => {
    keel = tempKeel();
    keel.edit(
      'agents/author.md',
      'runtime: llm',
      'runtime: { kind: claude-code, max_turn: 3 }\naccess: { write: ["src/**"] }',
    );
    const diagnostics = await diagnosticsOf(keel);
    assert.equal(diagnostics.length, 1);
    assert.equal(
      brief(diagnostics[0] as Diagnostic),
      'unknown-key .keel/agents/author.md:6:31 runtime.max_turn',
    );
    assert.equal(diagnostics[0]?.hint, 'did you mean `max_turns`?');
  });

  it('suggests `rework` for a misspelt escalation step', async () => {
    keel = tempKeel();
    keel.edit(
      W,
      'command: { run: [npm, test] }',
      'command: { run: [npm, test] }\n        on_fail: [{ reworks: 2 }, abort]',
    );
    const diagnostics = await diagnosticsOf(keel);
    assert.equal(diagnostics.length, 1);
    assert.equal(
      brief(diagnostics[0] as Diagnostic),
      'unknown-key .keel/workflows/feature.yaml:19:21 passes[1].gates[0].on_fail[0].reworks',
    );
    assert.equal(diagnostics[0]?.hint, 'did you mean `rework`?');
  });

  it('rejects an input whose only producer does not run in some mode the consumer runs in', async () => {
    keel = tempKeel();
    keel.edit(W, '    outputs: [spec.md]', '    outputs: [spec.md]\n    modes: [thorough]');
    const diagnostics = await diagnosticsOf(keel);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]?.rule, 'input-not-produced');
    assert.match(
      diagnostics[0]?.message ?? '',
      /in mode `fast`, input `spec.md` of pass `build` is not produced/,
    );
  });

  it('names every pass of a longer needs cycle, once', async () => {
    keel = tempKeel();
    keel.edit(
      W,
      '    agent: author\n    outputs: [spec.md]',
      '    agent: author\n    needs: [check]\n    outputs: [spec.md]',
    );
    keel.edit(W, 'passes:\n', 'passes:\n  - id: check\n    agent: reviewer\n    needs: [build]\n');
    const cycles = (await diagnosticsOf(keel)).filter((d) => d.rule === 'needs-cycle');
    assert.equal(cycles.length, 1);
    assert.match(cycles[0]?.message ?? '', /check → build → spec → check/);
  });

  it('reports unknown roles in checkpoints, human gates and escalation ladders', async () => {
    keel = tempKeel();
    keel.edit(
      'keel.yaml',
      'budgets:',
      'checkpoints:\n  - { id: deploys, actions: [deploy], approver: release }\nbudgets:',
    );
    keel.edit(
      W,
      'command: { run: [npm, test] }',
      'human: { role: qa-lead }\n        on_fail: [{ human: oncall }]',
    );
    const rules = (await diagnosticsOf(keel)).map((d) => `${d.rule} ${d.path}`);
    assert.deepEqual(rules, [
      'unknown-role checkpoints[0].approver',
      'unknown-role passes[1].gates[0].human.role',
      'unknown-role passes[1].gates[0].on_fail[0].human',
    ]);
  });

  it('reports frontmatter YAML errors at their line in the markdown file', async () => {
    keel = tempKeel();
    keel.edit('agents/reviewer.md', 'runtime: llm', 'runtime: [llm');
    const [d] = await diagnosticsOf(keel);
    assert.equal(d?.rule, 'malformed-frontmatter');
    assert.equal(d?.location.file, '.keel/agents/reviewer.md');
    assert.ok((d?.location.line ?? 0) >= 6, `line ${d?.location.line} is inside the frontmatter`);
  });

  it('finds duplicate resource ids across the hierarchy and duplicate workflow names across files', async () => {
    keel = tempKeel();
    keel.edit(
      'keel.yaml',
      '    kind: database\n',
      '    kind: database\n    children: [{ id: test-db, kind: schema }]\n',
    );
    keel.write(
      'workflows/other.yaml',
      'name: feature\nversion: 1\npasses:\n  - { id: build, agent: author }\n',
    );
    const found = (await diagnosticsOf(keel)).map(brief);
    assert.deepEqual(found, [
      'duplicate-id .keel/keel.yaml:10:22 resources[0].children[0].id',
      'duplicate-id .keel/workflows/other.yaml:1:7 name',
    ]);
  });

  it('refuses a secret where an environment variable name belongs', async () => {
    keel = tempKeel();
    keel.edit(
      'keel.yaml',
      'roles:',
      'store: { driver: postgres, url_env: "postgres://u:p@db/keel" }\nroles:',
    );
    const [d, ...rest] = await diagnosticsOf(keel);
    assert.deepEqual(rest, []);
    assert.equal(d?.rule, 'invalid-value');
    assert.equal(d?.path, 'store.url_env');
    assert.match(d?.message ?? '', /environment variable name/);
  });

  it('reports every problem of every file in one run, sorted by file and position', async () => {
    keel = tempKeel();
    keel.edit('keel.yaml', 'limit_usd: 1000', 'limit_usd: -5');
    keel.edit('agents/author.md', 'version: 1', 'version: 1\ncolour: blue');
    keel.edit(W, 'needs: [spec]', 'needs: [spek]');
    keel.edit(W, 'version: 1', 'version: 1\nowner: me');
    const found = (await diagnosticsOf(keel)).map(
      (d) => `${d.location.file}:${d.location.line} ${d.rule}`,
    );
    assert.deepEqual(found, [
      '.keel/agents/author.md:4 unknown-key',
      '.keel/keel.yaml:14 budget-limit',
      '.keel/workflows/feature.yaml:3 unknown-key',
    ]);
  });

  it('checks cross-file rules for the files that are valid while reporting the others', async () => {
    keel = tempKeel();
    keel.edit('agents/reviewer.md', 'version: 1', 'version: first');
    keel.edit(W, '  - id: build\n    agent: author', '  - id: build\n    agent: builder');
    const found = (await diagnosticsOf(keel)).map((d) => d.rule);
    // The reviewer file is invalid but exists, so references to it are not "unknown".
    assert.deepEqual(found, ['invalid-type', 'unknown-agent']);
  });
});

describe('schema messages in the words of YAML authors', () => {
  const agent = (runtime: string) =>
    `---\nname: author\nversion: 1\ncategory: implementer\ndescription: Writes code.\n${runtime}\n---\nBody.\n`;

  it('suggests the nearest runtime kind, bare or in an object', async () => {
    keel = tempKeel();
    keel.write('agents/author.md', agent('runtime: claud-code'));
    let [d] = await diagnosticsOf(keel);
    assert.equal(d?.hint, 'did you mean `claude-code`?');
    assert.equal(brief(d as Diagnostic), 'invalid-value .keel/agents/author.md:6:10 runtime');
    keel.write('agents/author.md', agent('runtime: { kind: codx }'));
    [d] = await diagnosticsOf(keel);
    assert.equal(brief(d as Diagnostic), 'invalid-value .keel/agents/author.md:6:18 runtime.kind');
    assert.equal(d?.hint, 'did you mean `codex`?');
  });

  it('reports a runtime object without a kind as a missing field', async () => {
    keel = tempKeel();
    keel.write('agents/author.md', agent('runtime: { max_turns: 3 }'));
    const [d] = await diagnosticsOf(keel);
    assert.equal(d?.rule, 'missing-field');
    assert.equal(d?.message, 'missing required field `kind` in `runtime`');
  });

  it('explains an escalation step that combines two actions', async () => {
    keel = tempKeel();
    keel.write('agents/author.md', agent('escalation: [{ rework: 1, human: tech-lead }]'));
    const diagnostics = await diagnosticsOf(keel);
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0]?.message ?? '', /combines `rework` and `human`/);
  });

  it('says the file must be a mapping when it is a list', async () => {
    keel = tempKeel();
    keel.write('keel.yaml', '- version: 1\n');
    const [d] = await diagnosticsOf(keel);
    assert.equal(d?.message, 'the file must be a mapping of keys to values, not a list');
  });

  it('accepts YAML merge keys to share blocks', async () => {
    keel = tempKeel();
    keel.edit(
      'keel.yaml',
      'roles:\n  tech-lead: { members: [alice] }',
      'roles:\n  tech-lead: &lead { members: [alice] }\n  reviewers: { <<: *lead }',
    );
    const { definitions, diagnostics } = await loadDefinitions(keel.dir);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(definitions?.config.roles.reviewers?.members, ['alice']);
  });
});

describe('requireDefinitions', () => {
  it('throws NotInitializedError with a hint when there is no .keel/keel.yaml', async () => {
    keel = tempKeel('missing-config');
    await assert.rejects(requireDefinitions(keel.dir), (error: unknown) => {
      assert.ok(error instanceof NotInitializedError);
      assert.match(error.hint ?? '', /keel init/);
      return true;
    });
  });

  it('throws DefinitionError carrying every diagnostic when the definitions are invalid', async () => {
    keel = tempKeel('needs-cycle');
    await assert.rejects(requireDefinitions(keel.dir), (error: unknown) => {
      assert.ok(error instanceof DefinitionError);
      assert.equal(error.diagnostics.length, 1);
      assert.equal(error.diagnostics[0]?.rule, 'needs-cycle');
      return true;
    });
  });
});
