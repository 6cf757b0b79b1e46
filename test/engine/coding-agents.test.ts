/**
 * The claude-code and codex runtimes inside the engine, end to end over keel's
 * fake CLIs in temporary git repositories: the implementation pass edits files
 * through the CLI, its calls are recorded with tokens and cost, the commit
 * carries keel's trailers and the tool's Co-authored-by line, and an edit
 * outside the agent's access fails the pass.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDefinitions } from '../../src/definitions/index.ts';
import {
  type AgentSessionRecorded,
  type AttemptFinished,
  type AttemptStarted,
  type ModelCallRecorded,
  runWorkItems,
} from '../../src/engine/index.ts';
import { attributeCommit, compilePatterns, DEFAULT_PATTERNS } from '../../src/metrics/index.ts';
import { runKeel } from '../helpers/cli.ts';
import { agentHarness, buildWorkflow, fakeCommand } from '../runtimes/agent-cli/engine-fixture.ts';
import { dataOf } from './harness.ts';

/** How `keel report` attributes a commit with this message, made by keel's identity. */
const attributed = (message: string) =>
  attributeCommit(
    {
      authorName: 'Test',
      authorEmail: 'test@example.com',
      committerName: 'Test',
      committerEmail: 'test@example.com',
      message,
    },
    compilePatterns(DEFAULT_PATTERNS),
  );

/** A fake-agent rule for the build pass that writes src/greet.js and the pass's notes. */
const greetRule = (extra = '', run = false) => `  - match: { pass: build }
${extra}    steps:
      - think: The task wants a greet function.
      - write: { path: src/greet.js, content: "export const greet = (name) => 'Hello, ' + name;\\n" }
      - write: { path: .keel/artifacts/WI-1/build/notes.md, content: "Added greet() in src/greet.js." }
${run ? '      - run: { command: npm test, output: "1 passing" }\n' : ''}    result: Added greet().
`;

test('a build pass on Claude Code edits the worktree, records one call per model with both costs, and commits with a Claude co-author', async () => {
  const h = await agentHarness(
    'claude-code',
    `version: 1\nrules:\n${greetRule('    alsoUses: [claude-haiku-4-5]\n', true)}`,
    {
      tier: 'standard',
      runtime:
        '{ kind: claude-code, max_turns: 12, permission_mode: acceptEdits, allowed_tools: ["Bash(npm test:*)"] }',
    },
  );
  try {
    await h.submit();
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'done');
    const events = await h.events();
    const [started] = dataOf<AttemptStarted>(events, 'attempt.started');
    assert.equal(started?.runtime, 'claude-code');
    assert.equal(started?.provider, 'anthropic');

    const calls = dataOf<ModelCallRecorded>(events, 'model_call.recorded');
    assert.equal(calls.length, 2, 'the main model and the background model');
    assert.equal(calls[0]?.model, started?.model);
    assert.deepEqual(calls.map((c) => c.model).sort(), [started?.model, 'claude-haiku-4-5'].sort());
    for (const c of calls) {
      assert.equal(c.purpose, 'pass');
      assert.equal(c.outcome, 'succeeded');
      assert.ok(c.usage.inputTokens + c.usage.cacheReadTokens > 0);
      assert.equal(c.priced, true);
      assert.ok((c.costUsd ?? 0) > 0);
      assert.equal(typeof c.reportedCostUsd, 'number', 'the tool’s own figure is kept');
      assert.equal(c.reportedCostFlag, undefined, 'both price tables agree within rounding');
    }

    const [session] = dataOf<AgentSessionRecorded>(events, 'agent_session.recorded');
    assert.equal(session?.tool, 'claude-code');
    assert.match(session?.sessionId ?? '', /^[0-9a-f-]{36}$/);

    const worktree = '.keel/state/worktrees/wi-1';
    assert.match(h.repo.git('-C', worktree, 'show', 'keel/wi-1~1:src/greet.js'), /Hello, /);
    const message = h.repo.git('log', '--format=%B', '-1', 'keel/wi-1~1');
    assert.match(message, /^keel: WI-1 build \(attempt 1\)/);
    assert.match(message, /Keel-Work-Item: WI-1/);
    assert.match(message, new RegExp(`Keel-Generation: ${started?.generationId}`));
    assert.match(message, /Keel-Agent: implementer/);
    assert.match(message, new RegExp(`Keel-Model: anthropic/${started?.model}`));
    assert.match(message, /^Co-authored-by: Claude <noreply@anthropic\.com>$/m);
    const trailers = h.repo.git(
      'log',
      '-1',
      '--format=%(trailers:key=Co-authored-by,valueonly)',
      'keel/wi-1~1',
    );
    assert.equal(trailers.trim(), 'Claude <noreply@anthropic.com>');
    assert.deepEqual(attributed(message).tools, ['claude', 'keel'], 'keel report attributes it');
  } finally {
    await h.close();
  }
});

test('a build pass on Codex edits the worktree, records its call priced from the catalog, and commits with a Codex co-author', async () => {
  const h = await agentHarness('codex', `version: 1\nrules:\n${greetRule()}`, {
    runtime: '{ kind: codex, sandbox: workspace-write }',
  });
  try {
    await h.submit();
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'done');
    const events = await h.events();
    const [started] = dataOf<AttemptStarted>(events, 'attempt.started');
    assert.equal(started?.runtime, 'codex');
    assert.equal(started?.provider, 'openai');
    const calls = dataOf<ModelCallRecorded>(events, 'model_call.recorded');
    assert.equal(calls.length, 1);
    const call = calls[0];
    assert.equal(call?.model, started?.model);
    assert.equal(call?.priced, true);
    assert.ok((call?.costUsd ?? 0) > 0);
    assert.equal(call?.reportedCostUsd, undefined, 'Codex reports no cost');
    assert.ok((call?.usage.cacheReadTokens ?? 0) > 0, 'cached input is split out');

    const [session] = dataOf<AgentSessionRecorded>(events, 'agent_session.recorded');
    assert.equal(session?.tool, 'codex');
    assert.match(
      h.repo.git('-C', '.keel/state/worktrees/wi-1', 'show', 'HEAD~1:src/greet.js'),
      /Hello/,
    );
    const message = h.repo.git('log', '--format=%B', '-1', 'keel/wi-1~1');
    assert.match(message, /^Co-authored-by: Codex <codex@openai\.com>$/m);
    assert.deepEqual(attributed(message).tools, ['codex', 'keel'], 'keel report attributes it');
    assert.match(message, new RegExp(`Keel-Model: openai/${started?.model}`));
  } finally {
    await h.close();
  }
});

test('keel show lists the pass’s agent call with its tokens and cost', async () => {
  const h = await agentHarness('claude-code', `version: 1\nrules:\n${greetRule()}`);
  try {
    await h.submit();
    await h.run();
    const [call] = dataOf<ModelCallRecorded>(await h.events(), 'model_call.recorded');
    const shown = await runKeel(['show', 'WI-1'], { cwd: h.repo.dir, env: h.env as never });
    assert.equal(shown.code, 0, shown.stderr);
    const tokens =
      (call?.usage.inputTokens ?? 0) +
      (call?.usage.outputTokens ?? 0) +
      (call?.usage.cacheReadTokens ?? 0) +
      (call?.usage.cacheWriteTokens ?? 0);
    // The timeline line of the call itself carries its tokens and cost.
    assert.ok(
      shown.stdout.includes(
        `build: pass call to ${call?.model} (attempt 1): ${tokens} tokens, $${(call?.costUsd ?? 0).toFixed(4)}`,
      ),
      shown.stdout,
    );
    const row = shown.stdout.split('\n').find((l) => l.trimStart().startsWith('build'));
    assert.ok(row?.includes(String(tokens)), `tokens ${tokens} in: ${row}`);
    assert.ok(row?.includes(`$${(call?.costUsd ?? 0).toFixed(4)}`), `cost in: ${row}`);
  } finally {
    await h.close();
  }
});

test('an edit outside the agent’s access fails the attempt, discards the change and, every attempt doing it, the pass', async () => {
  const h = await agentHarness(
    'claude-code',
    `version: 1
rules:
  - match: { pass: build }
    steps:
      - write: { path: src/greet.js, content: "export const greet = () => 'hi';\\n" }
      - write: { path: package.json, content: "{}\\n" }
    result: Done.
`,
    { workflow: buildWorkflow() },
  );
  try {
    await h.submit();
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'failed');
    const finished = dataOf<AttemptFinished>(await h.events(), 'attempt.finished');
    assert.equal(finished.length, 3);
    for (const f of finished) {
      assert.equal(f.outcome, 'failed');
      assert.equal(f.error?.kind, 'access');
      assert.match(
        f.findings[0] ?? '',
        /outside its access\.write globs \(src\/\*\*\).*package\.json/,
      );
    }
    assert.equal(h.repo.git('-C', '.keel/state/worktrees/wi-1', 'status', '--porcelain'), '');
    assert.equal(h.repo.git('rev-parse', 'keel/wi-1'), h.repo.git('rev-parse', 'main'));
  } finally {
    await h.close();
  }
});

test('keel.yaml’s runtimes command starts the CLI when no environment override is set', async () => {
  const h = await agentHarness('codex', `version: 1\nrules:\n${greetRule()}`);
  try {
    delete h.env.KEEL_CODEX_COMMAND;
    const [node, bin] = fakeCommand('codex');
    h.repo.write(
      '.keel/keel.yaml',
      `${readFileSync(join(h.repo.dir, '.keel/keel.yaml'), 'utf8')}runtimes:\n  codex: { command: [${JSON.stringify(node)}, ${JSON.stringify(bin)}] }\n`,
    );
    const loaded = await loadDefinitions(h.repo.dir);
    assert.deepEqual(loaded.definitions?.config.runtimes, { codex: { command: [node, bin] } });
    Object.assign(h.definitions, loaded.definitions);
    await h.submit();
    const result = await h.run();
    assert.equal(result.items[0]?.state.completed?.outcome, 'done');
    const [session] = dataOf<AgentSessionRecorded>(await h.events(), 'agent_session.recorded');
    assert.equal(session?.tool, 'codex');
  } finally {
    await h.close();
  }
});

test('a Claude Code cost that disagrees with keel’s catalog is kept and flagged on the call', async () => {
  // keel.yaml prices the economy model at ten times the list price Claude Code computes with.
  const h = await agentHarness('claude-code', `version: 1\nrules:\n${greetRule()}`, {
    keelYaml: `version: 1
org: acme
team: core
project: demo
providers:
  anthropic: { kind: anthropic, api_key_env: ANTHROPIC_API_KEY }
tiers: [economy, standard, frontier]
routing: { default_tier: economy }
models:
  - id: claude-haiku-4-5
    provider: anthropic
    tier: economy
    price: { input: 10, output: 50, cache_read: 1, cache_write: 12.5 }
`,
  });
  try {
    await h.submit();
    await h.run();
    const [call] = dataOf<ModelCallRecorded>(await h.events(), 'model_call.recorded');
    assert.equal(call?.model, 'claude-haiku-4-5');
    assert.ok((call?.costUsd ?? 0) > (call?.reportedCostUsd ?? Infinity) * 5);
    assert.match(call?.reportedCostFlag ?? '', /reported cost disagrees: keel computes more/);
  } finally {
    await h.close();
  }
});

test('the engine forwards a coding agent’s live steps to onProgress, naming item and pass', async () => {
  const h = await agentHarness('claude-code', `version: 1\nrules:\n${greetRule()}`);
  try {
    await h.submit();
    const seen: string[] = [];
    await runWorkItems({
      root: h.repo.dir,
      definitions: h.definitions,
      ledger: h.ledger,
      env: h.env,
      pollMs: 20,
      untilIdle: true,
      onProgress: (item, pass, p) => seen.push(`${item} ${pass} ${p.kind}: ${p.text}`),
    });
    assert.match(seen[0] ?? '', /^WI-1 build session: session [0-9a-f-]{36}$/);
    assert.ok(seen.includes('WI-1 build turn: turn 1'), seen.join('\n'));
    assert.ok(seen.includes('WI-1 build file_change: write src/greet.js'), seen.join('\n'));
    assert.ok(seen.includes('WI-1 build tool_use: Write'), seen.join('\n'));
  } finally {
    await h.close();
  }
});
