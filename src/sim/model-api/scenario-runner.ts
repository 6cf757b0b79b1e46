/**
 * Decides the answer to each request: the first rule whose `match` fits (and
 * whose `times` is not used up) gives the reply for its n-th call; requests no
 * rule matches get the default answer. Keeps the per-rule call counts that make
 * sequences and "only the first N calls" work.
 */
import { exampleFromSchema } from './example-from-schema.ts';
import type { RequestFacts } from './request-facts.ts';
import {
  compileMatcher,
  type FaultKind,
  type MatchSpec,
  type ReplySpec,
  type RuleSpec,
  type Scenario,
} from './scenario-schema.ts';

/** What the model "says", independent of the wire protocol. */
export type Answer =
  | { kind: 'text'; text: string }
  | { kind: 'json'; value: unknown }
  | { kind: 'tool-call'; name: string; input: Record<string, unknown> };

/** Full token counts of an answer, in keel's normalised convention. */
export interface SimUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

export interface SimFault {
  kind: FaultKind;
  retryAfterSeconds: number | undefined;
  afterChunks: number;
  message: string | undefined;
}

/** The decided reply to one request. */
export interface ResolvedReply {
  /** Rule name (or `rules[i]`), `undefined` for the default answer. */
  rule: string | undefined;
  /** 0-based index of this call among the rule's matching calls. */
  call: number;
  answer: Answer;
  fault: SimFault | undefined;
  usage: SimUsage;
  delayMs: number;
  chunkDelayMs: number;
  chunkChars: number;
  finishReason: 'stop' | 'length' | 'tool-calls';
}

/** Rough token count of a text, about four characters a token as for English prose. */
export function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

/** True when every condition of `match` holds for the request. */
export function ruleMatches(match: MatchSpec, facts: RequestFacts): boolean {
  if (match.provider !== undefined && match.provider !== facts.provider) return false;
  if (match.stream !== undefined && match.stream !== facts.stream) return false;
  if (match.structured !== undefined && match.structured !== (facts.structured !== undefined))
    return false;
  const exact: [string | undefined, string | undefined][] = [
    [match.model, facts.model],
    [match.agent, facts.agent],
    [match.pass, facts.pass],
    [match.workItem, facts.workItem],
  ];
  for (const [matcher, value] of exact) {
    if (matcher !== undefined && !compileMatcher(matcher)(value)) return false;
  }
  if (match.attempt !== undefined) {
    const allowed = Array.isArray(match.attempt) ? match.attempt : [match.attempt];
    if (facts.attempt === undefined || !allowed.includes(facts.attempt)) return false;
  }
  if (match.system !== undefined && !toRegex(match.system).test(facts.system)) return false;
  if (match.content !== undefined && !toRegex(match.content).test(facts.lastUserText)) return false;
  return true;
}

/** A `/…/flags` string or a bare regular-expression source. */
function toRegex(source: string): RegExp {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(source);
  return m ? new RegExp(m[1] ?? '', m[2]) : new RegExp(source);
}

/** Holds a scenario and its call counts; one per running simulator. */
export class ScenarioRunner {
  readonly scenario: Scenario;
  /** Calls counted per rule index and, for rules with `per`, per value of those facts. */
  private readonly counts = new Map<string, number>();

  constructor(scenario: Scenario) {
    this.scenario = scenario;
  }

  /** Picks the reply for a request and counts the call against its rule. */
  next(facts: RequestFacts): ResolvedReply {
    const rules = this.scenario.rules;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as RuleSpec;
      const key = countKey(i, rule, facts);
      const used = this.counts.get(key) ?? 0;
      if (rule.times !== undefined && used >= rule.times) continue;
      if (!ruleMatches(rule.match, facts)) continue;
      this.counts.set(key, used + 1);
      const sequence = rule.replies ?? (rule.reply ? [rule.reply] : []);
      const spec = sequence[Math.min(used, sequence.length - 1)] ?? {};
      return this.resolve(spec, facts, rule.name ?? `rules[${i}]`, used);
    }
    return this.resolve({}, facts, undefined, 0);
  }

  private resolve(
    spec: ReplySpec,
    facts: RequestFacts,
    rule: string | undefined,
    call: number,
  ): ResolvedReply {
    const defaults = this.scenario.defaults;
    const answer = answerOf(spec, facts);
    const answerChars =
      answer.kind === 'text'
        ? answer.text.length
        : JSON.stringify(answer.kind === 'json' ? answer.value : answer.input).length;
    const reasoning = spec.usage?.reasoning ?? 0;
    return {
      rule,
      call,
      answer,
      fault: spec.fault
        ? {
            kind: spec.fault,
            retryAfterSeconds: spec.retryAfterSeconds,
            afterChunks: spec.afterChunks ?? 2,
            message: spec.message,
          }
        : undefined,
      usage: {
        input: spec.usage?.input ?? estimateTokens(facts.promptChars + facts.system.length),
        output: spec.usage?.output ?? estimateTokens(answerChars) + reasoning,
        cacheRead: spec.usage?.cacheRead ?? 0,
        cacheWrite: spec.usage?.cacheWrite ?? 0,
        reasoning,
      },
      delayMs: spec.delayMs ?? defaults.delayMs ?? 0,
      chunkDelayMs: spec.chunkDelayMs ?? defaults.chunkDelayMs ?? 0,
      chunkChars: spec.chunkChars ?? defaults.chunkChars ?? 12,
      finishReason: answer.kind === 'tool-call' ? 'tool-calls' : (spec.finishReason ?? 'stop'),
    };
  }
}

function countKey(index: number, rule: RuleSpec, facts: RequestFacts): string {
  if (!rule.per) return String(index);
  return JSON.stringify([index, ...rule.per.map((k) => facts[k] ?? null)]);
}

/** The scenario's answer, or the deterministic default for this request. */
function answerOf(spec: ReplySpec, facts: RequestFacts): Answer {
  if (spec.text !== undefined) return { kind: 'text', text: spec.text };
  if (spec.json !== undefined) return { kind: 'json', value: spec.json };
  if (spec.toolCall)
    return { kind: 'tool-call', name: spec.toolCall.name, input: spec.toolCall.input };
  return defaultAnswer(facts);
}

/** A plausible, deterministic answer: a schema-valid object for structured output, else text. */
export function defaultAnswer(facts: RequestFacts): Answer {
  const s = facts.structured;
  if (s?.kind === 'json-schema' || s?.kind === 'json-tool')
    return { kind: 'json', value: exampleFromSchema(s.schema) };
  if (s?.kind === 'json-object') return { kind: 'json', value: { answer: summary(facts) } };
  return {
    kind: 'text',
    text: `Wind tunnel answer from ${facts.model || 'the model'}: ${summary(facts)}`,
  };
}

function summary(facts: RequestFacts): string {
  const asked = facts.lastUserText.replace(/\s+/g, ' ').trim();
  if (asked === '') return 'done.';
  return `noted "${asked.length > 80 ? `${asked.slice(0, 77)}...` : asked}".`;
}
