/**
 * The live progress view of `keel run` on a terminal: one line per work item
 * (pass, attempt, gate, tokens and cost so far), redrawn in place, with
 * notable events (gate verdicts, approvals, completions) kept above it.
 */
import {
  type AttemptStarted,
  describeEvent,
  type GateDecided,
  type ModelCallRecorded,
} from '../../engine/index.ts';
import type { LedgerEvent } from '../../ledger/index.ts';
import type { Colors } from '../output.ts';

interface ItemLine {
  pass: string;
  attempt: number;
  gate: string;
  tokens: number;
  costUsd: number;
}

const KEPT = new Set([
  'gate.decided',
  'escalation.applied',
  'approval.requested',
  'approval.decided',
  'pass.completed',
  'work_item.completed',
]);

export class LiveView {
  private readonly items = new Map<string, ItemLine>();
  private drawn = 0;
  private readonly write: (text: string) => void;
  private readonly color: Colors;

  constructor(write: (text: string) => void, color: Colors) {
    this.write = write;
    this.color = color;
  }

  /** Folds one event into the view and redraws it. */
  update(event: LedgerEvent): void {
    const id = event.workItemId;
    if (!id) return;
    const line = this.items.get(id) ?? { pass: '—', attempt: 0, gate: '', tokens: 0, costUsd: 0 };
    this.items.set(id, line);
    if (event.type === 'attempt.started') {
      const a = event.data as unknown as AttemptStarted;
      line.pass = a.pass;
      line.attempt = a.attempt;
      line.gate = '';
    } else if (event.type === 'gate.decided') {
      const g = event.data as unknown as GateDecided;
      line.gate = `${g.gate} ${g.verdict}`;
    } else if (event.type === 'model_call.recorded') {
      const c = event.data as unknown as ModelCallRecorded;
      line.tokens +=
        c.usage.inputTokens +
        c.usage.cacheReadTokens +
        c.usage.cacheWriteTokens +
        c.usage.outputTokens;
      line.costUsd += c.costUsd ?? 0;
    }
    this.clear();
    const failedAttempt =
      event.type === 'attempt.finished' &&
      (event.data as { outcome?: string }).outcome !== 'succeeded';
    if (KEPT.has(event.type) || failedAttempt) {
      const text = describeEvent(event);
      if (text) this.write(`${text}\n`);
    }
    this.draw();
  }

  /** Leaves the last state on screen. */
  finish(): void {
    this.drawn = 0;
  }

  private clear(): void {
    if (this.drawn > 0) this.write(`\u001b[${this.drawn}A\u001b[0J`);
    this.drawn = 0;
  }

  private draw(): void {
    const c = this.color;
    for (const [id, l] of this.items) {
      this.write(
        `${c.bold(id)} ${c.cyan(l.pass)} attempt ${l.attempt}${l.gate ? ` · ${l.gate}` : ''} · ${l.tokens} tokens · $${l.costUsd.toFixed(4)}\n`,
      );
      this.drawn++;
    }
  }
}
