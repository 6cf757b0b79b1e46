/**
 * Incremental parser of `claude -p --output-format stream-json --verbose`:
 * one JSON object per line — a `system`/`init` event, `assistant` and `user`
 * message events whose content blocks carry text, thinking, `tool_use` and
 * `tool_result`, and a final `result` event with the run's usage and cost.
 */
import { addUsage, emptyUsage, type TokenUsage } from '../../core/index.ts';
import {
  type AgentCallRecord,
  type AgentEvent,
  type AgentFailureKind,
  type AgentFileChange,
  AgentRunError,
  type AgentRunSummary,
  type AgentStreamParser,
  type ProcessExit,
} from './agent-run.ts';
import {
  classifyErrorText,
  count,
  excerpt,
  isObject,
  type JsonObject,
  parseJsonObject,
  text,
} from './json-line.ts';
import { LineSplitter } from './line-splitter.ts';

export interface ClaudeParserOptions {
  /** Treat a run that had tools refused as a success (default: a `permission_denied` failure). */
  allowPermissionDenials?: boolean;
  /** Skip lines that are not JSON events instead of failing the run (default: strict). */
  lenient?: boolean;
  /** Clock for the duration when the stream has no result; injectable for tests. */
  now?: () => number;
}

/** Claude Code's file-editing tools, and the input field that names the file. */
const FILE_TOOLS: Readonly<Record<string, { field: string; kind: AgentFileChange['kind'] }>> = {
  Write: { field: 'file_path', kind: 'write' },
  Edit: { field: 'file_path', kind: 'update' },
  MultiEdit: { field: 'file_path', kind: 'update' },
  NotebookEdit: { field: 'notebook_path', kind: 'update' },
};

/** Parses Claude Code's stream-json output into events and a run summary. */
export class ClaudeStreamParser implements AgentStreamParser {
  private readonly options: ClaudeParserOptions;
  private readonly lines = new LineSplitter();
  private readonly startedAt: number;
  private sessionId: string | undefined;
  private model: string | undefined;
  private readonly messageUsage = new Map<string, { model: string; usage: TokenUsage }>();
  private readonly pendingTools = new Map<string, { name: string; input: JsonObject }>();
  private readonly files = new Map<string, AgentFileChange['kind']>();
  private lastText = '';
  private assistantError: string | undefined;
  private result: JsonObject | undefined;
  private readonly malformed: string[] = [];
  private events = 0;

  constructor(options: ClaudeParserOptions = {}) {
    this.options = options;
    this.startedAt = (options.now ?? Date.now)();
  }

  push(chunk: string | Uint8Array): AgentEvent[] {
    return this.lines.push(chunk).flatMap((line) => this.parseLine(line));
  }

  finish(exit?: ProcessExit): AgentRunSummary {
    for (const line of this.lines.end()) this.parseLine(line);
    const summary = this.summarise();
    const failure = this.failureOf(summary, exit);
    if (!failure) return summary;
    summary.outcome = 'error';
    summary.failure = failure;
    throw new AgentRunError(failure.kind, failure.message, { partial: summary });
  }

  private parseLine(line: string): AgentEvent[] {
    if (line.trim() === '') return [];
    const event = parseJsonObject(line);
    const type = event ? text(event.type) : undefined;
    if (!event || !type) {
      this.malformed.push(line);
      return [{ type: 'warning', message: `not a stream-json event: ${excerpt(line)}` }];
    }
    this.events += 1;
    switch (type) {
      case 'system':
        return this.onSystem(event);
      case 'assistant':
        return this.onAssistant(event);
      case 'user':
        return this.onUser(event);
      case 'result':
        this.result = event;
        this.sessionId = text(event.session_id) ?? this.sessionId;
        return [{ type: 'result', outcome: event.is_error === true ? 'error' : 'success' }];
      default:
        // stream_event (partial messages) and future event types carry nothing we account for.
        return [];
    }
  }

  private onSystem(event: JsonObject): AgentEvent[] {
    if (event.subtype !== 'init') return [];
    this.sessionId = text(event.session_id) ?? this.sessionId;
    this.model = text(event.model) ?? this.model;
    const tools = Array.isArray(event.tools)
      ? event.tools.filter((t) => typeof t === 'string')
      : [];
    if (!this.sessionId) return [];
    return [{ type: 'session', sessionId: this.sessionId, model: this.model, tools }];
  }

  private onAssistant(event: JsonObject): AgentEvent[] {
    const message = isObject(event.message) ? event.message : undefined;
    if (!message) return [];
    const out: AgentEvent[] = [];
    const error = text(event.error);
    if (error) this.assistantError = error;
    const id = text(message.id) ?? `anonymous-${this.messageUsage.size}`;
    const model = text(message.model) ?? this.model ?? 'unknown';
    // One API response may arrive as several events (one per content block) sharing an id.
    if (!this.messageUsage.has(id)) out.push({ type: 'turn', index: this.messageUsage.size + 1 });
    if (isObject(message.usage)) {
      const usage = claudeUsage(message.usage);
      this.messageUsage.set(id, { model, usage });
      out.push({ type: 'usage', model, usage });
    } else if (!this.messageUsage.has(id)) {
      this.messageUsage.set(id, { model, usage: emptyUsage() });
    }
    for (const block of Array.isArray(message.content) ? message.content : []) {
      if (!isObject(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') {
        this.lastText = block.text;
        out.push({ type: 'message', text: block.text });
      } else if (block.type === 'thinking' && typeof block.thinking === 'string') {
        out.push({ type: 'thinking', text: block.thinking });
      } else if (block.type === 'tool_use') {
        const toolId = text(block.id) ?? '';
        const name = text(block.name) ?? 'unknown';
        const input = isObject(block.input) ? block.input : {};
        this.pendingTools.set(toolId, { name, input });
        out.push({ type: 'tool_use', id: toolId, name, input });
      }
    }
    return out;
  }

  private onUser(event: JsonObject): AgentEvent[] {
    const message = isObject(event.message) ? event.message : undefined;
    const content = message && Array.isArray(message.content) ? message.content : [];
    const out: AgentEvent[] = [];
    for (const block of content) {
      if (!isObject(block) || block.type !== 'tool_result') continue;
      const id = text(block.tool_use_id) ?? '';
      const isError = block.is_error === true;
      out.push({ type: 'tool_result', id, isError });
      const tool = this.pendingTools.get(id);
      this.pendingTools.delete(id);
      const fileTool = tool ? FILE_TOOLS[tool.name] : undefined;
      const path = fileTool && tool ? text(tool.input[fileTool.field]) : undefined;
      if (!isError && fileTool && path) {
        this.files.set(path, fileTool.kind);
        out.push({ type: 'file_change', path, kind: fileTool.kind });
      }
    }
    return out;
  }

  private summarise(): AgentRunSummary {
    const result = this.result;
    const denials =
      result && Array.isArray(result.permission_denials)
        ? result.permission_denials
            .map((d) => (isObject(d) ? text(d.tool_name) : undefined))
            .filter((name): name is string => name !== undefined)
        : [];
    const summary: AgentRunSummary = {
      cli: 'claude-code',
      sessionId: this.sessionId,
      outcome: 'success',
      numTurns: result ? count(result.num_turns) : this.messageUsage.size,
      durationMs: result
        ? count(result.duration_ms)
        : (this.options.now ?? Date.now)() - this.startedAt,
      calls: result ? callsFromResult(result, this.model) : this.callsFromMessages(),
      result: (result && text(result.result)) ?? this.lastText,
    };
    if (result && typeof result.total_cost_usd === 'number')
      summary.reportedCostUsd = result.total_cost_usd;
    if (this.files.size > 0)
      summary.filesChanged = [...this.files].map(([path, kind]) => ({ path, kind }));
    if (denials.length > 0) summary.permissionDenials = denials;
    return summary;
  }

  /** Without a result event (a crash), the per-message usage is the best account of what was spent. */
  private callsFromMessages(): AgentCallRecord[] {
    const byModel = new Map<string, TokenUsage>();
    for (const { model, usage } of this.messageUsage.values())
      byModel.set(model, addUsage(byModel.get(model) ?? emptyUsage(), usage));
    return [...byModel].map(([model, usage]) => ({ model, usage }));
  }

  private failureOf(
    summary: AgentRunSummary,
    exit: ProcessExit | undefined,
  ): { kind: AgentFailureKind; message: string } | undefined {
    const result = this.result;
    const exitText = describeExit(exit);
    if (!result) {
      if (this.events === 0 && this.malformed.length > 0)
        return {
          kind: 'malformed_output',
          message: `Claude Code printed no stream-json events${exitText}: ${excerpt(this.malformed[0] ?? '')}`,
        };
      if (this.events === 0 && exit && exit.code !== 0 && exit.signal === null)
        return {
          kind: 'nonzero_exit',
          message: `Claude Code exited before starting the run${exitText}${stderrTail(exit)}`,
        };
      return {
        kind: 'crashed',
        message: `Claude Code's output ended without a result event${exitText}${stderrTail(exit)}`,
      };
    }
    const subtype = text(result.subtype) ?? 'unknown';
    const errors = Array.isArray(result.errors)
      ? result.errors.filter((e) => typeof e === 'string')
      : [];
    const detail = errors.length > 0 ? `: ${errors.join('; ')}` : '';
    if (subtype === 'error_max_turns')
      return {
        kind: 'max_turns',
        message: `Claude Code stopped at its maximum number of turns (${summary.numTurns})${detail}`,
      };
    if (subtype === 'error_max_budget_usd')
      return { kind: 'max_budget', message: `Claude Code stopped at its maximum budget${detail}` };
    if (subtype !== 'success' || result.is_error === true) {
      const message = [text(result.result), ...errors, this.assistantError]
        .filter(Boolean)
        .join('; ');
      const kind =
        this.assistantError === 'authentication_failed'
          ? 'auth'
          : (classifyErrorText(message) ?? 'execution_error');
      return {
        kind,
        message: `Claude Code reported an error (${subtype})${message ? `: ${message}` : ''}`,
      };
    }
    if (this.malformed.length > 0 && !this.options.lenient)
      return {
        kind: 'malformed_output',
        message: `Claude Code printed ${this.malformed.length} line(s) that are not stream-json events, first: ${excerpt(this.malformed[0] ?? '')}`,
      };
    if (summary.permissionDenials && !this.options.allowPermissionDenials)
      return {
        kind: 'permission_denied',
        message: `Claude Code was refused: ${[...new Set(summary.permissionDenials)].join(', ')}`,
      };
    if (exit && (exit.code !== 0 || exit.signal !== null))
      return {
        kind: 'nonzero_exit',
        message: `Claude Code reported success but exited${exitText}${stderrTail(exit)}`,
      };
    return undefined;
  }
}

/** Normalises Anthropic-style usage (`usage` of a message or of the result). */
export function claudeUsage(u: JsonObject): TokenUsage {
  const usage: TokenUsage = {
    inputTokens: count(u.input_tokens),
    outputTokens: count(u.output_tokens),
    cacheReadTokens: count(u.cache_read_input_tokens),
    cacheWriteTokens: count(u.cache_creation_input_tokens),
    reasoningTokens: 0,
  };
  const breakdown = isObject(u.cache_creation) ? u.cache_creation : undefined;
  if (breakdown && count(breakdown.ephemeral_1h_input_tokens) > 0)
    usage.cacheWrite1hTokens = count(breakdown.ephemeral_1h_input_tokens);
  return usage;
}

/** One call record per model of `modelUsage`; else the run's `usage` under the init model. */
function callsFromResult(result: JsonObject, initModel: string | undefined): AgentCallRecord[] {
  const models = isObject(result.modelUsage) ? Object.entries(result.modelUsage) : [];
  if (models.length > 0) {
    return models.map(([model, raw]) => {
      const m = isObject(raw) ? raw : {};
      const record: AgentCallRecord = {
        model,
        usage: {
          inputTokens: count(m.inputTokens),
          outputTokens: count(m.outputTokens),
          cacheReadTokens: count(m.cacheReadInputTokens),
          cacheWriteTokens: count(m.cacheCreationInputTokens),
          reasoningTokens: 0,
        },
      };
      if (typeof m.costUSD === 'number') record.reportedCostUsd = m.costUSD;
      return record;
    });
  }
  const usage = isObject(result.usage) ? claudeUsage(result.usage) : emptyUsage();
  const record: AgentCallRecord = { model: initModel ?? 'unknown', usage };
  if (typeof result.total_cost_usd === 'number') record.reportedCostUsd = result.total_cost_usd;
  return [record];
}

/** ` (exit code 1)` / ` (killed by SIGKILL)`, or nothing. */
export function describeExit(exit: ProcessExit | undefined): string {
  if (!exit) return '';
  if (exit.signal) return ` (killed by ${exit.signal})`;
  return exit.code === null ? '' : ` (exit code ${exit.code})`;
}

/** The last line of stderr, to say why a process stopped. */
export function stderrTail(exit: ProcessExit | undefined): string {
  const lines = (exit?.stderr ?? '').trim().split('\n').filter(Boolean);
  const last = lines.at(-1);
  return last ? `: ${excerpt(last, 200)}` : '';
}
