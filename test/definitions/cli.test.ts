/** `keel validate` and `keel schema`, run as the real executable. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { z } from 'zod';
import { makeTempRepo, parseJson, runKeel } from '../helpers/cli.ts';
import { fixture, runInProcess, tempKeel } from './fixtures.ts';

describe('keel validate', { concurrency: true }, () => {
  it('exits 0 and summarises a valid .keel/', async () => {
    const result = await runKeel(['validate'], { cwd: fixture('valid') });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /✓ \.keel\/ is valid: 2 workflows, 5 agents \(0 errors, 0 warnings\)/,
    );
  });

  it('exits 1 and prints file:line:column, rule, message and hint for each problem', async () => {
    const result = await runKeel(['validate'], { cwd: fixture('self-review') });
    assert.equal(result.code, 1);
    const lines = result.stdout.split('\n');
    assert.match(
      lines[0] ?? '',
      /^\.keel\/workflows\/feature\.yaml:11:26 {2}error {2}self-review {2}gate `spec-review` is reviewed by `author`/,
    );
    assert.match(lines[1] ?? '', /^ {2}hint: a generator never reviews its own work/);
    assert.match(result.stdout, /✗ \.keel\/ is invalid: 1 error, 0 warnings/);
    assert.equal(result.stderr, '');
  });

  it('exits 0 when there are only warnings, and shows them', async () => {
    const result = await runInProcess(['validate'], fixture('agent-writes-nothing'));
    assert.equal(result.code, 0);
    assert.match(
      result.stdout,
      /\.keel\/agents\/author\.md:6:10 {2}warning {2}agent-writes-nothing/,
    );
  });

  it('prints the documented JSON shape with --json', async () => {
    const result = await runKeel(['validate', '--json'], { cwd: fixture('unknown-agent') });
    assert.equal(result.code, 1);
    assert.deepEqual(parseJson(result), {
      valid: false,
      errors: 1,
      warnings: 0,
      diagnostics: [
        {
          severity: 'error',
          rule: 'unknown-agent',
          message: 'pass `build` names unknown agent `autor`',
          file: '.keel/workflows/feature.yaml',
          line: 13,
          column: 12,
          path: 'passes[1].agent',
          hint: 'did you mean `author`?; agents are the files in .keel/agents/<name>.md',
        },
      ],
    });
  });

  it('validates the directory given with the global -C option', async (t) => {
    const repo = makeTempRepo();
    t.after(() => repo.dispose());
    const result = await runInProcess(['-C', fixture('valid'), 'validate', '--json'], repo.dir);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseJson<{ valid: boolean }>(result).valid, true);
  });

  it('finds .keel/ from a subdirectory of the repository', async (t) => {
    const keel = tempKeel('valid');
    t.after(() => keel.dispose());
    const result = await runInProcess(['validate'], join(keel.dir, '.keel', 'workflows'));
    assert.equal(result.code, 0, result.stderr);
  });

  it('does not borrow a .keel/ from above the git repository it runs in', async (t) => {
    const outer = tempKeel('valid');
    t.after(() => outer.dispose());
    const inner = join(outer.dir, 'nested-repo');
    mkdirSync(join(inner, '.git'), { recursive: true });
    const result = await runInProcess(['validate'], inner);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no \.keel\/keel\.yaml in .*nested-repo/);
  });

  it('exits 1 with a hint to run keel init when there is no .keel/, without a stack trace', async (t) => {
    const repo = makeTempRepo();
    t.after(() => repo.dispose());
    const result = await runKeel(['validate'], { cwd: repo.dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: no \.keel\/keel\.yaml in /);
    assert.match(result.stderr, /hint: run `keel init`/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.equal(result.stdout, '');
  });
});

describe('keel init followed by keel validate', () => {
  it('accepts the starter set as init writes it, with personalised names', async (t) => {
    const repo = makeTempRepo();
    t.after(() => repo.dispose());
    const init = await runInProcess(
      ['init', '--org', 'Acme.Corp', '--team', 'pay_ments'],
      repo.dir,
    );
    assert.equal(init.code, 0, init.stderr);
    const result = await runInProcess(['validate', '--json'], repo.dir);
    assert.equal(result.code, 0, result.stdout);
    assert.deepEqual(parseJson(result), { valid: true, errors: 0, warnings: 0, diagnostics: [] });
  });
});

describe('keel schema', { concurrency: true }, () => {
  it('writes three JSON Schemas that describe and check the definition files', async (t) => {
    const repo = makeTempRepo();
    t.after(() => repo.dispose());
    const result = await runKeel(['schema', '--out', 'schemas', '--json'], { cwd: repo.dir });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(parseJson(result), {
      files: [
        'schemas/keel.schema.json',
        'schemas/workflow.schema.json',
        'schemas/agent.schema.json',
      ],
    });
    const samples: Record<string, unknown> = {
      keel: parse(readFileSync(join(fixture('valid'), '.keel', 'keel.yaml'), 'utf8')),
      workflow: parse(
        readFileSync(join(fixture('valid'), '.keel', 'workflows', 'feature.yaml'), 'utf8'),
      ),
      agent: parse(
        readFileSync(join(fixture('valid'), '.keel', 'agents', 'implementer.md'), 'utf8').split(
          '---\n',
        )[1] ?? '',
      ),
    };
    for (const name of ['keel', 'workflow', 'agent']) {
      const schema = JSON.parse(
        readFileSync(join(repo.dir, 'schemas', `${name}.schema.json`), 'utf8'),
      );
      assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
      assert.equal(schema.type, 'object');
      assert.equal(schema.additionalProperties, false, `${name}: unknown keys are errors`);
      // The generated schema is itself usable: zod reads it back and checks documents with it.
      const back = z.fromJSONSchema(schema);
      assert.equal(back.safeParse({}).success, false, `${name}: required fields are enforced`);
      assert.equal(back.safeParse(samples[name]).success, true, `${name}: a valid file passes`);
      assert.equal(
        back.safeParse({ ...(samples[name] as object), surprise: 1 }).success,
        false,
        `${name}: an unknown key fails`,
      );
    }
    const workflow = JSON.parse(
      readFileSync(join(repo.dir, 'schemas', 'workflow.schema.json'), 'utf8'),
    );
    assert.deepEqual(workflow.required, ['name', 'version', 'passes']);
  });

  it('writes into .keel/schemas/ by default', async (t) => {
    const keel = tempKeel('valid');
    t.after(() => keel.dispose());
    const result = await runInProcess(['schema'], keel.dir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /wrote \.keel\/schemas\/keel\.schema\.json/);
    const agent = JSON.parse(
      readFileSync(join(keel.dir, '.keel', 'schemas', 'agent.schema.json'), 'utf8'),
    );
    assert.ok(agent.properties.runtime);
  });
});
