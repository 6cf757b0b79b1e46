/**
 * Helpers for the engine tests: a throw-away git repository with a small
 * `.keel/` (agents on the llm runtime, a feature workflow with a review gate
 * and a command gate), the wind tunnel, and the engine driven in-process over
 * the repository's real SQLite ledger.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Definitions } from '../../src/definitions/index.ts';
import { loadDefinitions } from '../../src/definitions/index.ts';
import { type RunResult, runWorkItems } from '../../src/engine/index.ts';
import { type LedgerEvent, type LedgerStore, openLedger } from '../../src/ledger/index.ts';
import { type ModelApiSim, parseModelApiScenario, startModelApiSim } from '../../src/sim/index.ts';
import { submitWorkItem } from '../../src/workitems/index.ts';

export const KEEL_YAML = `version: 1
org: acme
team: core
project: demo
store: { driver: sqlite, path: .keel/state/ledger.db }
providers:
  anthropic: { kind: anthropic, api_key_env: ANTHROPIC_API_KEY }
tiers: [economy, standard, frontier]
routing: { default_tier: economy }
roles:
  tech-lead: { members: [alice] }
  release-manager: { members: [dave] }
checkpoints:
  - id: production-deploy
    actions: [deploy]
    approver: release-manager
`;

export const agent = (name: string, extra = '', runtime = 'llm'): string => `---
name: ${name}
version: 1
category: ${name.includes('review') ? 'verifier' : 'implementer'}
description: The ${name} of the engine tests.
runtime: ${runtime}
tier: economy
${extra}---
You are the ${name}. Do the task you are given.
`;

export const BASE_AGENTS: Record<string, string> = {
  '.keel/agents/author.md': agent('author', 'access: { write: ["src/**"] }\n'),
  '.keel/agents/reviewer.md': agent('reviewer'),
};

export const FEATURE_WORKFLOW = `name: feature
version: 1
selects: { types: [feature] }
passes:
  - id: spec
    agent: author
    outputs: [spec.md]
    gates:
      - id: spec-review
        review: { agent: reviewer, criteria: [Every requirement is testable., Non-goals are stated.] }
        on_fail: [{ rework: 2 }, { escalate_tier: 1 }, abort]
  - id: build
    agent: author
    needs: [spec]
    inputs: [spec.md]
    outputs: [notes.md]
    gates:
      - id: tests
        command: { run: [git, status, --short] }
`;

export interface Repo {
  dir: string;
  write(file: string, text: string): void;
  git(...args: string[]): string;
  dispose(): void;
}

/** A temporary git repository holding `files`, committed. */
export function makeRepo(files: Record<string, string>): Repo {
  const dir = mkdtempSync(join(tmpdir(), 'keel-engine-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.name', 'Test');
  git('config', 'user.email', 'test@example.com');
  write('.keel/.gitignore', 'state/\n');
  write('README.md', '# demo\n');
  for (const [file, text] of Object.entries(files)) write(file, text);
  git('add', '-A');
  git('commit', '--quiet', '-m', 'initial');
  return { dir, write, git, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The standard test repository: keel.yaml, author + reviewer, the feature workflow (overridable). */
export function featureRepo(overrides: Record<string, string> = {}): Repo {
  return makeRepo({
    '.keel/keel.yaml': KEEL_YAML,
    ...BASE_AGENTS,
    '.keel/workflows/feature.yaml': FEATURE_WORKFLOW,
    ...overrides,
  });
}

export interface Harness {
  repo: Repo;
  sim: ModelApiSim;
  env: NodeJS.ProcessEnv;
  definitions: Definitions;
  ledger: LedgerStore;
  submit(title?: string, extra?: Record<string, unknown>): Promise<string>;
  run(options?: {
    untilIdle?: boolean;
    items?: string[];
    concurrency?: number;
    signal?: AbortSignal;
    onEvent?: (event: LedgerEvent) => void;
  }): Promise<RunResult>;
  events(type?: string): Promise<LedgerEvent[]>;
  close(): Promise<void>;
}

/** A repository, a wind tunnel playing `scenario`, and its open ledger. */
export async function harness(scenario: string, repo: Repo = featureRepo()): Promise<Harness> {
  const sim = await startModelApiSim({ scenario: parseModelApiScenario(scenario) });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANTHROPIC_BASE_URL: `${sim.url}/v1`,
    ANTHROPIC_API_KEY: 'sk-ant-engine-test',
    KEEL_LEDGER_PATH: '',
  };
  const loaded = await loadDefinitions(repo.dir);
  if (!loaded.definitions) {
    throw new Error(`test definitions are invalid: ${JSON.stringify(loaded.diagnostics, null, 2)}`);
  }
  const definitions = loaded.definitions;
  const ledger = await openLedger(
    { kind: 'sqlite', path: join(repo.dir, '.keel/state/ledger.db') },
    { env },
  );
  return {
    repo,
    sim,
    env,
    definitions,
    ledger,
    async submit(title = 'Add a greeting', extra = {}) {
      const view = await submitWorkItem(
        {
          title,
          type: 'feature',
          priority: 'P2',
          labels: [],
          body: 'Say hello to the user by name.',
          ...extra,
        } as never,
        { definitions, actor: 'alice', ledger },
      );
      return view.id;
    },
    run: (options = {}) =>
      runWorkItems({
        root: repo.dir,
        definitions,
        ledger,
        env,
        pollMs: 20,
        retry: { baseDelayMs: 5, maxDelayMs: 50 },
        untilIdle: options.untilIdle ?? true,
        ...(options.items && { items: options.items }),
        ...(options.concurrency && { concurrency: options.concurrency }),
        ...(options.signal && { signal: options.signal }),
        ...(options.onEvent && { onEvent: options.onEvent }),
      }),
    events: (type?: string) => ledger.read(type ? { types: [type] } : {}),
    async close() {
      await ledger.close();
      await sim.close();
      repo.dispose();
    },
  };
}

/** The data of every event of `type`, in order. */
export function dataOf<T>(events: readonly LedgerEvent[], type: string): T[] {
  return events.filter((e) => e.type === type).map((e) => e.data as unknown as T);
}
