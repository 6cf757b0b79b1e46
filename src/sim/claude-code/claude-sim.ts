/**
 * The Claude Code fake: `claude -p … --output-format stream-json --verbose`
 * with its real event stream, driven by a scenario. It applies the scenario's
 * file edits in its working directory (subject to the permission flags, as the
 * real CLI is), persists sessions for `--resume`, reports realistic usage and
 * cost per model, and injects the scenario's faults.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { isKeelError } from '../../core/index.ts';
import { type ClaudeFlags, isFlagError, parseClaudeFlags, toolPermitted } from './claude-flags.ts';
import { deleteFile, editFile, writeFile } from './file-edits.ts';
import { resolveScenario } from './scenario-load.ts';
import {
  fillStep,
  fillTemplate,
  slug,
  summarisePrompt,
  type TemplateValues,
} from './scenario-match.ts';
import type { SimRule, SimScenario, SimStep } from './scenario-schema.ts';
import { SessionStore, type SimSession, simStateDir } from './session-store.ts';
import { faultStep, hangForever, pacer, planRun, type SimIO } from './sim-io.ts';
import {
  BASE_CONTEXT_TOKENS,
  type ClaudeCallUsage,
  claudeCall,
  claudeCostUsd,
  estimateTokens,
} from './token-meter.ts';

export interface SimRunOptions {
  /** Scenario file (overrides `KEEL_SIM_SCENARIO`). */
  scenarioFile?: string;
}

const DEFAULT_MODEL = 'claude-sonnet-4-5-20250929';
const MODEL_ALIASES: Readonly<Record<string, string>> = {
  sonnet: DEFAULT_MODEL,
  opus: 'claude-opus-4-1-20250805',
  haiku: 'claude-haiku-4-5-20251001',
};
const TOOLS = [
  'Task',
  'Bash',
  'Glob',
  'Grep',
  'ExitPlanMode',
  'Read',
  'Edit',
  'Write',
  'NotebookEdit',
  'WebFetch',
  'TodoWrite',
  'WebSearch',
  'BashOutput',
  'KillShell',
  'SlashCommand',
];

/** Runs the fake with `argv` (without the program name); resolves with the exit code. */
export async function runClaudeSim(
  argv: readonly string[],
  io: SimIO,
  options: SimRunOptions = {},
): Promise<number> {
  const flags = parseClaudeFlags(argv);
  if (isFlagError(flags)) {
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
    io.out(`${scenario.claude.version} (Claude Code)`);
    return 0;
  }
  if (flags.help) {
    io.out(HELP);
    return 0;
  }
  if (!flags.print) {
    io.err('keel-sim-claude: only print mode is simulated; pass -p (see docs/coding-agents.md)');
    return 1;
  }
  if (flags.outputFormat === 'stream-json' && !flags.verbose) {
    io.err('Error: When using --print, --output-format=stream-json requires --verbose');
    return 1;
  }
  const prompt = flags.prompt ?? (await io.readStdin());
  if (prompt.trim() === '') {
    io.err(
      'Error: Input must be provided either through stdin or as a prompt argument when using --print',
    );
    return 1;
  }
  const stateDir = simStateDir(io.env);
  const store = new SessionStore(stateDir, 'claude-code');
  const session = openSession(store, flags, io);
  if (typeof session === 'string') {
    io.err(session);
    return 1;
  }
  const plan = planRun(scenario, prompt, stateDir, 'claude-code');
  try {
    return await new ClaudeRun({
      flags,
      io,
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

/** The session to run in, or the message the real CLI prints when there is none. */
function openSession(store: SessionStore, flags: ClaudeFlags, io: SimIO): SimSession | string {
  const fork = (session: SimSession | undefined): SimSession | undefined =>
    session && flags.forkSession
      ? {
          ...store.create(io.cwd, session.model),
          contextTokens: session.contextTokens,
          turns: session.turns,
        }
      : session;
  if (flags.resume !== undefined) {
    if (flags.resume === '') return 'Error: --resume needs a session ID in print mode';
    // Claude Code keeps sessions per project directory: another directory does not find them.
    const found = store.load(flags.resume);
    return (
      fork(found?.cwd === io.cwd ? found : undefined) ??
      `No conversation found with session ID: ${flags.resume}`
    );
  }
  if (flags.continue) return fork(store.latest(io.cwd)) ?? 'No conversation found to continue';
  if (flags.sessionId !== undefined) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(flags.sessionId))
      return 'Error: Invalid session ID. Must be a valid UUID.';
    if (store.load(flags.sessionId))
      return `Error: Session ID ${flags.sessionId} is already in use.`;
  }
  const model = MODEL_ALIASES[flags.model ?? ''] ?? flags.model ?? DEFAULT_MODEL;
  return store.create(io.cwd, model, flags.sessionId);
}

interface RunContext {
  flags: ClaudeFlags;
  io: SimIO;
  scenario: SimScenario;
  rule: SimRule;
  session: SimSession;
  store: SessionStore;
  values: TemplateValues;
}

interface ModelTotals extends ClaudeCallUsage {
  costUSD: number;
}

/** One process's run of the fake: emits the stream, edits files, keeps the books. */
class ClaudeRun {
  private readonly startedAt = Date.now();
  private readonly model: string;
  private readonly totals = new Map<string, ModelTotals>();
  private readonly denials: { tool_name: string; tool_use_id: string; tool_input: unknown }[] = [];
  private calls = 0;
  /** Text to send with the next tool use, in the same message. */
  private preface: string | undefined;
  /** Tokens already in the provider's cache, and new tokens the next call sends. */
  private cached: number;
  private pending: number;
  private sessionTurnsAtStart = 0;

  private readonly flags: ClaudeFlags;
  private readonly io: SimIO;
  private readonly scenario: SimScenario;
  private readonly rule: SimRule;
  private readonly session: SimSession;
  private readonly store: SessionStore;
  private readonly values: TemplateValues;

  constructor(context: RunContext) {
    this.flags = context.flags;
    this.io = context.io;
    this.scenario = context.scenario;
    this.rule = context.rule;
    this.session = context.session;
    this.store = context.store;
    this.values = context.values;
    const requested = this.rule.model ?? this.flags.model;
    this.model = requested ? (MODEL_ALIASES[requested] ?? requested) : this.session.model;
    const extra =
      estimateTokens(this.flags.appendSystemPrompt ?? '') + estimateTokens(this.values.prompt);
    this.cached = this.session.contextTokens;
    this.sessionTurnsAtStart = this.session.turns;
    this.pending =
      this.session.contextTokens === 0 ? BASE_CONTEXT_TOKENS['claude-code'] + extra : extra;
  }

  async run(): Promise<number> {
    const pace = pacer(this.io.env, this.scenario.pacing, this.rule.pacing);
    const fault = this.rule.fault;
    if (fault?.kind === 'nonzero_exit') {
      this.io.err(this.rule.message ?? 'Error: Claude Code could not start (simulated failure)');
      return fault.exitCode ?? 1;
    }
    await pace.startup();
    this.session.runs += 1;
    this.store.save(this.session);
    this.emit(this.initEvent());
    if (this.rule.outcome === 'auth' || this.rule.outcome === 'rate_limit')
      return this.providerFailure();
    const strikeAt = faultStep(this.rule);
    for (const [index, raw] of this.rule.steps.entries()) {
      if (index === strikeAt && fault) {
        const stop = await this.strike(fault.kind, fault.exitCode);
        if (stop !== undefined) return stop;
      }
      if (this.flags.maxTurns !== undefined && this.calls >= this.flags.maxTurns)
        return this.finish('max_turns');
      const next = this.rule.steps[index + 1];
      if (raw.say !== undefined && next && isToolStep(next) && strikeAt !== index + 1) {
        // Text before a tool use belongs to the same model response, as in a real stream.
        this.preface = fillStep(raw, this.values).say;
        continue;
      }
      await pace.step();
      this.step(fillStep(raw, this.values));
    }
    if (strikeAt === this.rule.steps.length && fault) {
      const stop = await this.strike(fault.kind, fault.exitCode);
      if (stop !== undefined) return stop;
    }
    if (this.flags.maxTurns !== undefined && this.calls >= this.flags.maxTurns)
      return this.finish('max_turns');
    return this.finish(this.rule.outcome);
  }

  /** Injects a mid-stream fault; returns an exit code when the process should stop. */
  private async strike(kind: string, exitCode: number | undefined): Promise<number | undefined> {
    this.saveSession();
    if (kind === 'crash') {
      this.io.err(this.rule.message ?? 'Error: Claude Code stopped unexpectedly (simulated crash)');
      return exitCode ?? 1;
    }
    if (kind === 'hang') return hangForever();
    // malformed: a line cut off half-way, as when output is interleaved or truncated.
    this.io.out(JSON.stringify(this.assistant([{ type: 'text', text: 'partial' }])).slice(0, 57));
    return undefined;
  }

  private step(step: SimStep): void {
    if (step.say !== undefined) {
      this.call([{ type: 'text', text: step.say }], estimateTokens(step.say) + 8);
      return;
    }
    if (step.think !== undefined) {
      const signature = randomBytes(48).toString('base64');
      this.call(
        [{ type: 'thinking', thinking: step.think, signature }],
        estimateTokens(step.think) + 12,
      );
      return;
    }
    const cwd = this.io.cwd;
    if (step.write) {
      const { path, content } = step.write;
      this.tool('Write', { file_path: abs(cwd, path), content }, 'Write', undefined, () => {
        const r = writeFile(cwd, path, content);
        return {
          ...r,
          structured: {
            type: r.existed ? 'update' : 'create',
            filePath: r.absPath,
            content,
            structuredPatch: [],
          },
        };
      });
    } else if (step.edit) {
      const { path, old, new: replacement, all } = step.edit;
      const input = {
        file_path: abs(cwd, path),
        old_string: old,
        new_string: replacement,
        replace_all: all ?? false,
      };
      this.tool('Edit', input, 'Edit', undefined, () => {
        const r = editFile(cwd, path, old, replacement, all);
        return {
          ...r,
          structured: {
            filePath: r.absPath,
            oldString: old,
            newString: replacement,
            replaceAll: all ?? false,
          },
        };
      });
    } else if (step.delete !== undefined) {
      const path = step.delete;
      const command = `rm -- ${shellQuote(path)}`;
      this.tool('Bash', { command, description: `Delete ${path}` }, 'Bash', command, () => {
        const r = deleteFile(cwd, path);
        return {
          ...r,
          structured: {
            stdout: '',
            stderr: r.ok ? '' : r.message,
            interrupted: false,
            isImage: false,
          },
        };
      });
    } else if (step.run) {
      const { command, output, exitCode } = step.run;
      // Commands are scripted, never executed: the fake must be safe to run anywhere.
      this.tool('Bash', { command, description: `Run ${command}` }, 'Bash', command, () => ({
        ok: exitCode === 0,
        message: exitCode === 0 ? output : `Exit code ${exitCode}\n${output}`,
        structured: { stdout: output, stderr: '', interrupted: false, isImage: false },
      }));
    }
  }

  /** One model call that asks for a tool, then the tool's result (or the refusal). */
  private tool(
    name: string,
    input: Record<string, unknown>,
    permission: string,
    command: string | undefined,
    perform: () => { ok: boolean; message: string; structured: unknown },
  ): void {
    const id = `toolu_01${base62(22)}`;
    const text = this.preface;
    this.preface = undefined;
    this.call(
      [...(text ? [{ type: 'text', text }] : []), { type: 'tool_use', id, name, input }],
      estimateTokens(JSON.stringify(input)) + 25 + (text ? estimateTokens(text) : 0),
    );
    let content: string;
    let isError: boolean;
    let structured: unknown;
    if (!toolPermitted(this.flags, permission, command)) {
      content =
        name === 'Bash'
          ? "Claude requested permissions to use Bash, but you haven't granted it yet."
          : `Claude requested permissions to write to ${String(input.file_path)}, but you haven't granted it yet.`;
      isError = true;
      structured = `Error: ${content}`;
      this.denials.push({ tool_name: name, tool_use_id: id, tool_input: input });
    } else {
      const r = perform();
      isError = !r.ok;
      content = r.ok
        ? r.message
        : name === 'Bash'
          ? r.message
          : `<tool_use_error>${r.message}</tool_use_error>`;
      structured = r.ok ? r.structured : `Error: ${r.message}`;
    }
    const block: Record<string, unknown> = { tool_use_id: id, type: 'tool_result', content };
    if (isError) block.is_error = true;
    this.emit({
      type: 'user',
      message: { role: 'user', content: [block] },
      parent_tool_use_id: null,
      session_id: this.session.id,
      uuid: randomUUID(),
      tool_use_result: structured,
    });
    this.pending += estimateTokens(content) + 10;
  }

  /** Emits one assistant message (one API call) and books its usage. */
  private call(content: Record<string, unknown>[], outputTokens: number): void {
    this.calls += 1;
    const usage = claudeCall(this.cached, this.pending, outputTokens);
    this.book(this.model, usage);
    this.cached += this.pending;
    this.pending = outputTokens;
    // One event per content block, sharing the message id and usage, as Claude Code streams them.
    const id = `msg_01${base62(22)}`;
    for (const block of content) this.emit(this.assistant([block], usage, id));
    // Claude Code's small background model (titles, command checks) runs beside the main one.
    for (const model of this.rule.alsoUses)
      this.book(model, {
        input_tokens: 180 + (outputTokens % 97),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 12 + (outputTokens % 23),
      });
  }

  private book(model: string, usage: ClaudeCallUsage): void {
    const t = this.totals.get(model) ?? {
      input_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 0,
      costUSD: 0,
    };
    t.input_tokens += usage.input_tokens;
    t.cache_creation_input_tokens += usage.cache_creation_input_tokens;
    t.cache_read_input_tokens += usage.cache_read_input_tokens;
    t.output_tokens += usage.output_tokens;
    t.costUSD += claudeCostUsd(model, usage);
    this.totals.set(model, t);
  }

  private assistant(
    content: Record<string, unknown>[],
    usage?: ClaudeCallUsage,
    id = `msg_01${base62(22)}`,
  ): Record<string, unknown> {
    const u = usage ?? claudeCall(0, 0, 0);
    return {
      type: 'assistant',
      message: {
        model: this.model,
        id,
        type: 'message',
        role: 'assistant',
        content,
        stop_reason: null,
        stop_sequence: null,
        usage: {
          ...u,
          cache_creation: {
            ephemeral_5m_input_tokens: u.cache_creation_input_tokens,
            ephemeral_1h_input_tokens: 0,
          },
          service_tier: 'standard',
        },
        context_management: null,
      },
      parent_tool_use_id: null,
      session_id: this.session.id,
      uuid: randomUUID(),
    };
  }

  /** An invalid key or a rate limit: Claude Code answers with a synthetic message and an error result. */
  private providerFailure(): number {
    const auth = this.rule.outcome === 'auth';
    const text =
      this.rule.message ??
      (auth
        ? 'Invalid API key · Please run /login'
        : 'API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}');
    const event = this.assistant([{ type: 'text', text }]);
    (event.message as Record<string, unknown>).model = '<synthetic>';
    event.error = auth ? 'authentication_failed' : 'rate_limit';
    this.emit(event);
    this.calls = 1;
    return this.writeResult({ subtype: 'success', is_error: true, result: text }, 1);
  }

  private finish(outcome: SimRule['outcome']): number {
    this.saveSession();
    if (outcome === 'success') {
      const text = fillTemplate(this.rule.result, this.values);
      this.call([{ type: 'text', text }], estimateTokens(text) + 6);
      this.saveSession();
      return this.writeResult({ subtype: 'success', is_error: false, result: text }, 0);
    }
    if (outcome === 'max_turns')
      return this.writeResult(
        {
          subtype: 'error_max_turns',
          is_error: true,
          errors: [`Reached maximum number of turns (${this.flags.maxTurns ?? this.calls})`],
        },
        1,
      );
    if (outcome === 'max_budget')
      return this.writeResult(
        { subtype: 'error_max_budget_usd', is_error: true, errors: ['Reached maximum budget'] },
        1,
      );
    return this.writeResult(
      {
        subtype: 'error_during_execution',
        is_error: true,
        errors: [
          this.rule.message ??
            'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}',
        ],
      },
      1,
    );
  }

  private writeResult(fields: Record<string, unknown>, exitCode: number): number {
    const duration = Date.now() - this.startedAt;
    const main = this.totals.get(this.model) ?? {
      input_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 0,
      costUSD: 0,
    };
    const modelUsage: Record<string, unknown> = {};
    let cost = 0;
    for (const [model, t] of this.totals) {
      cost += t.costUSD;
      modelUsage[model] = {
        inputTokens: t.input_tokens,
        outputTokens: t.output_tokens,
        cacheReadInputTokens: t.cache_read_input_tokens,
        cacheCreationInputTokens: t.cache_creation_input_tokens,
        webSearchRequests: 0,
        costUSD: t.costUSD,
        contextWindow: 200_000,
        maxOutputTokens: /opus-4-1/.test(model) ? 32_000 : 64_000,
      };
    }
    const resultEvent = {
      type: 'result',
      ...fields,
      duration_ms: duration,
      duration_api_ms: Math.round(duration * 0.9),
      num_turns: this.calls,
      session_id: this.session.id,
      total_cost_usd: cost,
      usage: {
        input_tokens: main.input_tokens,
        cache_creation_input_tokens: main.cache_creation_input_tokens,
        cache_read_input_tokens: main.cache_read_input_tokens,
        output_tokens: main.output_tokens,
        server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
        service_tier: 'standard',
        cache_creation: {
          ephemeral_1h_input_tokens: 0,
          ephemeral_5m_input_tokens: main.cache_creation_input_tokens,
        },
      },
      modelUsage,
      permission_denials: this.denials,
      uuid: randomUUID(),
    };
    this.emit(resultEvent);
    if (this.flags.outputFormat === 'json') this.io.out(JSON.stringify(resultEvent));
    if (this.flags.outputFormat === 'text') {
      const text =
        typeof fields.result === 'string' ? fields.result : `Error: ${String(fields.subtype)}`;
      this.io.out(text);
    }
    return exitCode;
  }

  private initEvent(): Record<string, unknown> {
    const blocked = new Set(this.flags.disallowedTools.filter((t) => !t.includes('(')));
    return {
      type: 'system',
      subtype: 'init',
      cwd: this.io.cwd,
      session_id: this.session.id,
      tools: TOOLS.filter((t) => !blocked.has(t)),
      mcp_servers: [],
      model: this.model,
      permissionMode: this.flags.dangerouslySkipPermissions
        ? 'bypassPermissions'
        : this.flags.permissionMode,
      slash_commands: ['compact', 'context', 'cost', 'init', 'review', 'security-review'],
      apiKeySource: this.io.env.ANTHROPIC_API_KEY ? 'ANTHROPIC_API_KEY' : 'none',
      claude_code_version: this.scenario.claude.version,
      output_style: 'default',
      agents: ['general-purpose', 'statusline-setup', 'Explore', 'Plan'],
      skills: [],
      plugins: [],
      uuid: randomUUID(),
    };
  }

  private emit(event: Record<string, unknown>): void {
    if (this.flags.outputFormat === 'stream-json') this.io.out(JSON.stringify(event));
  }

  private saveSession(): void {
    this.session.model = this.model;
    this.session.turns = this.sessionTurnsAtStart + this.calls;
    this.session.contextTokens = this.cached + this.pending;
    this.store.save(this.session);
  }
}

function isToolStep(step: SimStep): boolean {
  return (
    step.write !== undefined ||
    step.edit !== undefined ||
    step.delete !== undefined ||
    step.run !== undefined
  );
}

function abs(cwd: string, path: string): string {
  return `${cwd.replace(/\/$/, '')}/${path}`;
}

function shellQuote(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function base62(n: number): string {
  return [...randomBytes(n)].map((b) => BASE62[b % 62]).join('');
}

const HELP = `Usage: claude [options] [prompt]

keel wind-tunnel fake of Claude Code (print mode only).

Options:
  -p, --print                       Print response and exit
  --output-format <format>          text, json or stream-json
  --verbose                         Required with stream-json
  --model <model>                   Model for the session (alias or full name)
  --max-turns <n>                   Maximum agentic turns
  --allowedTools <tools...>         Tools allowed without asking
  --disallowedTools <tools...>      Tools denied
  --permission-mode <mode>          acceptEdits, bypassPermissions, default, dontAsk, plan
  --dangerously-skip-permissions    Bypass all permission checks
  -r, --resume [sessionId]          Resume a session
  -c, --continue                    Continue the most recent session here
  --session-id <uuid>               Use this id for a new session
  --append-system-prompt <prompt>   Append to the system prompt
  -v, --version                     Output the version number
  -h, --help                        Display help

Scenario: KEEL_SIM_SCENARIO=<file>; state: KEEL_SIM_STATE_DIR; pacing: KEEL_SIM_SPEED.`;
