/**
 * The Codex fake: `codex exec --json` with its real JSONL events, driven by a
 * scenario. It applies file edits in its working directory (refused in the
 * read-only sandbox, as the real CLI's are), persists threads for `exec
 * resume`, reports usage per turn or as thread totals depending on the version
 * it claims, and injects the scenario's faults.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidInputError, isKeelError } from '../../core/index.ts';
import {
  BASE_CONTEXT_TOKENS,
  codexCall,
  confine,
  deleteFile,
  editFile,
  estimateTokens,
  faultStep,
  fillStep,
  fillTemplate,
  hangForever,
  pacer,
  planRun,
  resolveScenario,
  SessionStore,
  type SimIO,
  type SimRule,
  type SimRunOptions,
  type SimScenario,
  type SimSession,
  type SimStep,
  simStateDir,
  slug,
  summarisePrompt,
  type TemplateValues,
  writeFile,
} from '../claude-code/index.ts';
import { type CodexFlags, effectiveSandbox, parseCodexFlags } from './codex-flags.ts';

const DEFAULT_MODEL = 'gpt-5-codex';

/** Runs the fake with `argv` (without the program name); resolves with the exit code. */
export async function runCodexSim(
  argv: readonly string[],
  io: SimIO,
  options: SimRunOptions = {},
): Promise<number> {
  const flags = parseCodexFlags(argv);
  if ('error' in flags) {
    io.err(flags.error);
    return flags.exitCode;
  }
  let scenario: SimScenario;
  try {
    const file = options.scenarioFile ?? io.env.KEEL_SIM_SCENARIO;
    scenario = resolveScenario(file ? resolve(io.cwd, file) : undefined);
  } catch (error) {
    return reportError(io, error);
  }
  if (flags.version) {
    io.out(`codex-cli ${scenario.codex.version}`);
    return 0;
  }
  if (flags.help) {
    io.out(HELP);
    return 0;
  }
  const cwd = resolve(io.cwd, flags.cd ?? '.');
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    io.err(`Error: the working directory ${cwd} does not exist`);
    return 1;
  }
  if (!flags.skipGitRepoCheck && !flags.bypass && !insideGitRepo(cwd)) {
    io.err('Not inside a trusted directory and --skip-git-repo-check was not specified.');
    return 1;
  }
  let prompt = flags.prompt;
  if (prompt === undefined || prompt === '-') {
    io.err('Reading prompt from stdin...');
    prompt = await io.readStdin();
    if (prompt.trim() === '') {
      io.err('No prompt provided via stdin.');
      return 1;
    }
  }
  const stateDir = simStateDir(io.env);
  const store = new SessionStore(stateDir, 'codex');
  let session: SimSession | undefined;
  if (flags.resume) {
    session = flags.resume.last
      ? store.latest(cwd, flags.resume.all)
      : store.load(flags.resume.sessionId ?? '');
    if (!session) {
      io.err(
        flags.resume.last
          ? 'Error: no recorded session to resume'
          : `Error: no rollout found for thread id ${flags.resume.sessionId}`,
      );
      return 1;
    }
  } else {
    session = store.create(cwd, flags.model ?? DEFAULT_MODEL, uuidV7());
  }
  const plan = planRun(scenario, prompt, stateDir, 'codex');
  try {
    if (plan.rule.outcome === 'max_turns' || plan.rule.outcome === 'max_budget')
      throw new InvalidInputError(
        `the scenario rule ${plan.rule.name ?? '(unnamed)'} ends with ${plan.rule.outcome}, which Codex never reports`,
        { hint: 'use outcome error, auth or rate_limit for the Codex fake' },
      );
    return await new CodexRun({
      flags,
      io,
      cwd,
      scenario,
      rule: plan.rule,
      session,
      store,
      values: {
        prompt,
        summary: summarisePrompt(prompt),
        pass: slug(plan.facts.pass ?? 'agent'),
        attempt: plan.facts.attempt,
        session: session.id,
      },
    }).run();
  } catch (error) {
    return reportError(io, error);
  }
}

function reportError(io: SimIO, error: unknown): number {
  io.err(`Error: ${error instanceof Error ? error.message : String(error)}`);
  if (isKeelError(error) && error.hint) io.err(`hint: ${error.hint}`);
  return 1;
}

function insideGitRepo(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(resolve(d, '.git'))) return true;
    if (dirname(d) === d) return false;
  }
}

interface RunContext {
  flags: CodexFlags;
  io: SimIO;
  cwd: string;
  scenario: SimScenario;
  rule: SimRule;
  session: SimSession;
  store: SessionStore;
  values: TemplateValues;
}

interface TurnUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
}

/** One process's run of the fake: one turn, its items, and the books. */
class CodexRun {
  private readonly c: RunContext;
  private readonly model: string;
  private readonly usage: TurnUsage = {
    input_tokens: 0,
    cached_input_tokens: 0,
    output_tokens: 0,
    reasoning_output_tokens: 0,
  };
  private context: number;
  private pending: number;
  private items = 0;

  constructor(context: RunContext) {
    this.c = context;
    this.model = context.rule.model ?? context.flags.model ?? context.session.model;
    this.context = context.session.contextTokens;
    const prompt = estimateTokens(context.values.prompt);
    this.pending = this.context === 0 ? BASE_CONTEXT_TOKENS.codex + prompt : prompt;
  }

  async run(): Promise<number> {
    const { rule, io, scenario } = this.c;
    const pace = pacer(io.env, scenario.pacing, rule.pacing);
    const fault = rule.fault;
    if (fault?.kind === 'nonzero_exit') {
      io.err(rule.message ?? 'Error: Codex could not start (simulated failure)');
      return fault.exitCode ?? 1;
    }
    await pace.startup();
    this.c.session.runs += 1;
    this.save();
    this.emit({ type: 'thread.started', thread_id: this.c.session.id });
    this.emit({ type: 'turn.started' });
    if (rule.outcome === 'auth' || rule.outcome === 'rate_limit' || rule.outcome === 'error')
      if (rule.steps.length === 0) return this.fail();
    const strikeAt = faultStep(rule);
    for (const [index, raw] of rule.steps.entries()) {
      if (index === strikeAt && fault) {
        const stop = await this.strike(fault.kind, fault.exitCode);
        if (stop !== undefined) return stop;
      }
      await pace.step();
      this.step(fillStep(raw, this.c.values));
    }
    if (strikeAt === rule.steps.length && fault) {
      const stop = await this.strike(fault.kind, fault.exitCode);
      if (stop !== undefined) return stop;
    }
    if (rule.outcome !== 'success') return this.fail();
    const text = fillTemplate(rule.result, this.c.values);
    this.call(estimateTokens(text) + 6, 0);
    this.item({ type: 'agent_message', text });
    this.emit({ type: 'turn.completed', usage: this.reportedUsage() });
    this.save(true);
    if (this.c.flags.outputLastMessage)
      writeFileSync(resolve(this.c.cwd, this.c.flags.outputLastMessage), text);
    if (!this.c.flags.json) io.out(text);
    return 0;
  }

  private async strike(kind: string, exitCode: number | undefined): Promise<number | undefined> {
    this.save();
    if (kind === 'crash') {
      this.c.io.err(this.c.rule.message ?? 'Error: Codex stopped unexpectedly (simulated crash)');
      return exitCode ?? 1;
    }
    if (kind === 'hang') return hangForever();
    this.c.io.out('{"type":"item.completed","item":{"id":"item_');
    return undefined;
  }

  private fail(): number {
    const defaults: Record<string, string> = {
      auth: 'unexpected status 401 Unauthorized: Missing bearer or basic authentication in header',
      rate_limit: 'exceeded retry limit, last status: 429 Too Many Requests',
      error:
        'stream disconnected before completion: error sending request for url (https://api.openai.com/v1/responses)',
    };
    const message = this.c.rule.message ?? defaults[this.c.rule.outcome] ?? 'the turn failed';
    this.emit({ type: 'error', message });
    this.emit({ type: 'turn.failed', error: { message } });
    this.save(true);
    if (!this.c.flags.json) this.c.io.err(`ERROR: ${message}`);
    return 1;
  }

  private step(step: SimStep): void {
    if (step.say !== undefined) {
      this.call(estimateTokens(step.say) + 8, 0);
      this.item({ type: 'agent_message', text: step.say });
      return;
    }
    if (step.think !== undefined) {
      const reasoning = estimateTokens(step.think) * 3;
      this.call(12, reasoning);
      this.item({ type: 'reasoning', text: step.think });
      return;
    }
    if (step.run) {
      const { command, output, exitCode } = step.run;
      const shown = `bash -lc ${JSON.stringify(command)}`;
      this.call(estimateTokens(command) + 30, 20);
      const id = this.nextId();
      const base = { id, type: 'command_execution', command: shown };
      this.emit({
        type: 'item.started',
        item: { ...base, aggregated_output: '', exit_code: null, status: 'in_progress' },
      });
      // Commands are scripted, never executed: the fake must be safe to run anywhere.
      this.emit({
        type: 'item.completed',
        item: {
          ...base,
          aggregated_output: output,
          exit_code: exitCode,
          status: exitCode === 0 ? 'completed' : 'failed',
        },
      });
      this.pending += estimateTokens(output) + 10;
      return;
    }
    this.fileChange(step);
  }

  private fileChange(step: SimStep): void {
    const cwd = this.c.cwd;
    const path = step.write?.path ?? step.edit?.path ?? step.delete;
    if (path === undefined) return;
    const absPath = confine(cwd, path);
    const payload = JSON.stringify(step);
    this.call(estimateTokens(payload) + 40, 30);
    const writable = effectiveSandbox(this.c.flags) !== 'read-only';
    let ok = false;
    let kind: 'add' | 'update' | 'delete' = 'update';
    if (step.write) {
      kind = existsSync(absPath) ? 'update' : 'add';
      ok = writable && writeFile(cwd, path, step.write.content).ok;
    } else if (step.edit) {
      ok = writable && editFile(cwd, path, step.edit.old, step.edit.new, step.edit.all).ok;
    } else {
      kind = 'delete';
      ok = writable && deleteFile(cwd, path).ok;
    }
    this.item({
      type: 'file_change',
      changes: [{ path: absPath, kind }],
      status: ok ? 'completed' : 'failed',
    });
    this.pending += 20;
  }

  /** Books one model call of this turn. */
  private call(outputTokens: number, reasoningTokens: number): void {
    const u = codexCall(this.context, this.pending, outputTokens, reasoningTokens);
    this.usage.input_tokens += u.input_tokens;
    this.usage.cached_input_tokens += u.cached_input_tokens;
    this.usage.output_tokens += u.output_tokens;
    this.usage.reasoning_output_tokens += u.reasoning_output_tokens;
    this.context += this.pending;
    this.pending = outputTokens;
  }

  /** Per-turn usage on versions before 0.155; thread totals (with newer fields) from 0.155 on. */
  private reportedUsage(): Record<string, number> {
    const version = /(\d+)\.(\d+)\.(\d+)/.exec(this.c.scenario.codex.version);
    const minor = version ? Number(version[1]) * 1000 + Number(version[2]) : 0;
    if (minor < 155)
      return {
        input_tokens: this.usage.input_tokens,
        cached_input_tokens: this.usage.cached_input_tokens,
        output_tokens: this.usage.output_tokens,
      };
    const t = this.c.session.totals;
    return {
      input_tokens: t.inputTokens + this.usage.input_tokens,
      cached_input_tokens: t.cachedInputTokens + this.usage.cached_input_tokens,
      cache_write_input_tokens: 0,
      output_tokens: t.outputTokens + this.usage.output_tokens,
      reasoning_output_tokens: t.reasoningOutputTokens + this.usage.reasoning_output_tokens,
    };
  }

  private item(details: Record<string, unknown>): void {
    this.emit({ type: 'item.completed', item: { id: this.nextId(), ...details } });
  }

  private nextId(): string {
    const id = `item_${this.items}`;
    this.items += 1;
    return id;
  }

  private emit(event: Record<string, unknown>): void {
    if (this.c.flags.json) this.c.io.out(JSON.stringify(event));
    else if (event.type === 'item.completed') {
      const item = event.item as Record<string, unknown>;
      this.c.io.err(
        `[${String(item.type)}] ${String(item.text ?? item.command ?? JSON.stringify(item.changes ?? ''))}`,
      );
    }
  }

  /** Saves the thread; `final` adds this turn to its totals. */
  private save(final = false): void {
    const s = this.c.session;
    s.model = this.model;
    s.contextTokens = this.context + this.pending;
    if (final) {
      s.turns += 1;
      s.totals.inputTokens += this.usage.input_tokens;
      s.totals.cachedInputTokens += this.usage.cached_input_tokens;
      s.totals.outputTokens += this.usage.output_tokens;
      s.totals.reasoningOutputTokens += this.usage.reasoning_output_tokens;
    }
    if (!this.c.flags.ephemeral) this.c.store.save(s);
  }
}

/** A time-ordered UUID (version 7), the kind Codex uses for thread ids. */
export function uuidV7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const HELP = `Run Codex non-interactively (keel wind-tunnel fake)

Usage: codex exec [OPTIONS] [PROMPT]
       codex exec [OPTIONS] resume [SESSION_ID|--last] [PROMPT]

Options:
      --json                      Print events to stdout as JSONL
  -m, --model <MODEL>             Model the agent should use
  -s, --sandbox <SANDBOX_MODE>    read-only, workspace-write, danger-full-access
      --full-auto                 Low-friction sandboxed automatic execution
      --dangerously-bypass-approvals-and-sandbox
  -C, --cd <DIR>                  Working root for the agent
      --skip-git-repo-check       Allow running outside a Git repository
  -c, --config <key=value>        Override a configuration value
  -o, --output-last-message <FILE>
  -h, --help                      Print help
  -V, --version                   Print version

Scenario: KEEL_SIM_SCENARIO=<file>; state: KEEL_SIM_STATE_DIR; pacing: KEEL_SIM_SPEED.`;
