/**
 * Incremental parser of `codex exec --json`: JSONL events `thread.started`,
 * `turn.started`, `turn.completed` (usage), `turn.failed`, `item.started` /
 * `item.updated` / `item.completed` (agent messages, reasoning, commands, file
 * changes, MCP tool calls, web searches, to-do lists, error notices) and
 * top-level `error`.
 */
import {
  type AgentEvent,
  type AgentFailureKind,
  type AgentFileChange,
  AgentRunError,
  type AgentRunSummary,
  type AgentStreamParser,
  type CodexUsageCounts,
  classifyErrorText,
  describeExit,
  excerpt,
  isObject,
  type JsonObject,
  LineSplitter,
  type ProcessExit,
  parseJsonObject,
  stderrTail,
  text,
} from '../claude-code/index.ts';
import {
  type CodexUsageReporting,
  decideReporting,
  normaliseCodexUsage,
  readCodexUsage,
  runCodexUsage,
  subtractCodexUsage,
  versionReportsTotals,
} from './codex-usage.ts';

export interface CodexParserOptions {
  /** The model the run used: Codex's JSONL does not name it (pass the `--model` given). */
  model?: string;
  /** `codex --version`, which decides how usage is read (see codex-usage.ts). */
  cliVersion?: string;
  usageReporting?: CodexUsageReporting;
  /** The thread's usage totals before this run (from the previous run's summary), for resumes. */
  baseline?: CodexUsageCounts;
  /** Skip lines that are not JSON events instead of failing the run (default: strict). */
  lenient?: boolean;
  now?: () => number;
}

const CHANGE_KINDS: Readonly<Record<string, AgentFileChange['kind']>> = {
  add: 'add',
  update: 'update',
  delete: 'delete',
};

/** Parses Codex's exec JSONL into events and a run summary. */
export class CodexStreamParser implements AgentStreamParser {
  private readonly options: CodexParserOptions;
  private readonly lines = new LineSplitter();
  private readonly startedAt: number;
  private threadId: string | undefined;
  private turnsStarted = 0;
  private turnsFailed = 0;
  private readonly reports: CodexUsageCounts[] = [];
  private readonly files = new Map<string, AgentFileChange['kind']>();
  private lastMessage = '';
  private turnFailure: string | undefined;
  private lastError: string | undefined;
  private readonly malformed: string[] = [];
  private events = 0;

  constructor(options: CodexParserOptions = {}) {
    this.options = options;
    this.startedAt = (options.now ?? Date.now)();
  }

  push(chunk: string | Uint8Array): AgentEvent[] {
    return this.lines.push(chunk).flatMap((line) => this.parseLine(line));
  }

  finish(exit?: ProcessExit): AgentRunSummary {
    for (const line of this.lines.end()) this.parseLine(line);
    const summary = this.summarise();
    const failure = this.failureOf(exit);
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
      return [{ type: 'warning', message: `not a Codex JSONL event: ${excerpt(line)}` }];
    }
    this.events += 1;
    switch (type) {
      case 'thread.started':
        this.threadId = text(event.thread_id) ?? this.threadId;
        return this.threadId ? [{ type: 'session', sessionId: this.threadId }] : [];
      case 'turn.started':
        this.turnsStarted += 1;
        return [{ type: 'turn', index: this.turnsStarted }];
      case 'turn.completed':
        return this.onTurnCompleted(event);
      case 'turn.failed': {
        this.turnsFailed += 1;
        const error = isObject(event.error) ? text(event.error.message) : undefined;
        this.turnFailure = error ?? this.lastError ?? 'the turn failed';
        return [{ type: 'result', outcome: 'error' }];
      }
      case 'error':
        // Also sent while Codex reconnects: fatal only if the turn then fails or never ends.
        this.lastError = text(event.message) ?? 'unknown error';
        return [{ type: 'warning', message: this.lastError }];
      case 'item.started':
      case 'item.updated':
      case 'item.completed':
        return isObject(event.item) ? this.onItem(type, event.item) : [];
      default:
        return [];
    }
  }

  private onTurnCompleted(event: JsonObject): AgentEvent[] {
    const report = readCodexUsage(event.usage);
    const previous = this.reports.at(-1);
    this.reports.push(report);
    // Live figures: the difference from the last report when this version reports totals.
    const live =
      previous &&
      this.options.usageReporting !== 'per-turn' &&
      versionReportsTotals(this.options.cliVersion)
        ? subtractCodexUsage(report, previous)
        : report;
    return [
      { type: 'usage', model: this.options.model, usage: normaliseCodexUsage(live) },
      { type: 'result', outcome: 'success' },
    ];
  }

  private onItem(phase: string, item: JsonObject): AgentEvent[] {
    const id = text(item.id) ?? '';
    const status = text(item.status) ?? '';
    const completed = phase === 'item.completed';
    switch (item.type) {
      case 'agent_message':
        if (!completed) return [];
        this.lastMessage = text(item.text) ?? '';
        return [{ type: 'message', text: this.lastMessage }];
      case 'reasoning':
        return completed ? [{ type: 'thinking', text: text(item.text) ?? '' }] : [];
      case 'command_execution': {
        const out: AgentEvent = { type: 'command', command: text(item.command) ?? '', status };
        if (typeof item.exit_code === 'number') out.exitCode = item.exit_code;
        return [out];
      }
      case 'file_change': {
        if (!completed || status !== 'completed') return [];
        const changes = Array.isArray(item.changes) ? item.changes : [];
        const out: AgentEvent[] = [];
        for (const change of changes) {
          if (!isObject(change)) continue;
          const path = text(change.path);
          const kind = CHANGE_KINDS[text(change.kind) ?? ''] ?? 'update';
          if (!path) continue;
          this.files.set(path, kind);
          out.push({ type: 'file_change', path, kind });
        }
        return out;
      }
      case 'mcp_tool_call': {
        const name = `${text(item.server) ?? 'mcp'}.${text(item.tool) ?? 'tool'}`;
        if (phase === 'item.started')
          return [{ type: 'tool_use', id, name, input: item.arguments }];
        return completed ? [{ type: 'tool_result', id, isError: status === 'failed' }] : [];
      }
      case 'web_search':
        return phase === 'item.started'
          ? [{ type: 'tool_use', id, name: 'web_search', input: { query: text(item.query) ?? '' } }]
          : [];
      case 'error':
        return [{ type: 'warning', message: text(item.message) ?? 'error' }];
      default:
        // todo_list, plan and future item types carry nothing keel accounts for.
        return [];
    }
  }

  private summarise(): AgentRunSummary {
    const reporting = decideReporting(
      this.reports,
      this.options.usageReporting ?? 'auto',
      this.options.cliVersion,
    );
    const { run, threadTotals } = runCodexUsage(this.reports, reporting, this.options.baseline);
    const summary: AgentRunSummary = {
      cli: 'codex',
      sessionId: this.threadId,
      outcome: 'success',
      numTurns: this.reports.length + this.turnsFailed,
      durationMs: (this.options.now ?? Date.now)() - this.startedAt,
      calls:
        this.reports.length > 0
          ? [{ model: this.options.model ?? 'unknown', usage: normaliseCodexUsage(run) }]
          : [],
      result: this.lastMessage,
      codex: { usageReporting: reporting, threadTotals },
    };
    if (this.files.size > 0)
      summary.filesChanged = [...this.files].map(([path, kind]) => ({ path, kind }));
    return summary;
  }

  private failureOf(
    exit: ProcessExit | undefined,
  ): { kind: AgentFailureKind; message: string } | undefined {
    const exitText = describeExit(exit);
    if (this.turnFailure !== undefined)
      return failureFromMessage(`Codex's turn failed: ${this.turnFailure}`);
    if (this.events === 0 && this.malformed.length > 0)
      return {
        kind: 'malformed_output',
        message: `Codex printed no JSONL events${exitText}: ${excerpt(this.malformed[0] ?? '')}`,
      };
    if (this.events === 0 && exit && exit.code !== 0 && exit.signal === null)
      return {
        kind: 'nonzero_exit',
        message: `Codex exited before starting the run${exitText}${stderrTail(exit)}`,
      };
    if (this.reports.length === 0) {
      if (this.lastError !== undefined && exit && exit.signal === null)
        return failureFromMessage(`Codex stopped with an error${exitText}: ${this.lastError}`);
      return {
        kind: 'crashed',
        message: `Codex's output ended without a completed turn${exitText}${stderrTail(exit)}`,
      };
    }
    if (this.turnsStarted > this.reports.length + this.turnsFailed)
      return {
        kind: 'crashed',
        message: `Codex's output ended in the middle of a turn${exitText}${stderrTail(exit)}`,
      };
    if (this.malformed.length > 0 && !this.options.lenient)
      return {
        kind: 'malformed_output',
        message: `Codex printed ${this.malformed.length} line(s) that are not JSONL events, first: ${excerpt(this.malformed[0] ?? '')}`,
      };
    if (exit && (exit.code !== 0 || exit.signal !== null))
      return {
        kind: 'nonzero_exit',
        message: `Codex completed its turn but exited${exitText}${stderrTail(exit)}`,
      };
    return undefined;
  }
}

function failureFromMessage(message: string): { kind: AgentFailureKind; message: string } {
  return { kind: classifyErrorText(message) ?? 'execution_error', message };
}
