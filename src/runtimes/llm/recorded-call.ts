/**
 * One model call made on behalf of a pass or a review gate, recorded as it
 * happens: reuses a recorded answer to the same prompt from an interrupted
 * attempt (no second payment), sends keel's `x-keel-*` headers, reports every
 * retry, and turns a provider failure into a typed infrastructure failure.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { addUsage, emptyUsage } from '../../core/index.ts';
import { callModel, ModelCallError, type RetryPolicy } from '../model-client/index.ts';
import { type ModelCallRecord, type PassContext, RuntimeFailure } from '../runtime.ts';

export interface RecordedCallOptions<T> {
  purpose: 'pass' | 'review';
  gate?: string;
  /** The agent whose call this is (`x-keel-agent`): the pass's agent or the reviewer. */
  agent: string;
  system: string;
  prompt: string;
  schema: z.ZodType<T>;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

/** A stable hash of what is asked, so a resumed run recognises a prompt it already paid for. */
export function promptHash(parts: {
  provider: string;
  model: string;
  system: string;
  prompt: string;
}): string {
  return createHash('sha256')
    .update(JSON.stringify([parts.provider, parts.model, parts.system, parts.prompt]))
    .digest('hex');
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** Makes (or reuses) one structured call and records it through `ctx.onCall`; returns the parsed answer. */
export async function recordedCall<T>(
  ctx: PassContext,
  options: RecordedCallOptions<T>,
): Promise<T> {
  const target = ctx.target;
  if (!target) {
    throw new RuntimeFailure('infrastructure', `no model is configured for tier ${ctx.tier}`, {
      hint: 'add a model of that tier under `models:` in .keel/keel.yaml with a configured provider',
    });
  }
  const hash = promptHash({
    provider: target.provider.name,
    model: target.model,
    system: options.system,
    prompt: options.prompt,
  });
  const base = {
    purpose: options.purpose,
    ...(options.gate !== undefined && { gate: options.gate }),
    provider: target.provider.name,
    model: target.model,
    promptHash: hash,
  };

  const reusable = ctx.findReusable(hash);
  if (reusable) {
    const parsed = options.schema.safeParse(safeJson(reusable.response));
    if (parsed.success) {
      await ctx.onCall({
        ...base,
        outcome: 'succeeded',
        usage: emptyUsage(),
        latencyMs: 0,
        retries: [],
        response: reusable.response,
        reusedFrom: reusable.callId,
      });
      return parsed.data;
    }
  }

  const retries: ModelCallRecord['retries'] = [];
  try {
    const result = await callModel({
      provider: target.provider,
      model: target.model,
      system: options.system,
      prompt: options.prompt,
      schema: options.schema,
      headers: {
        'x-keel-agent': options.agent,
        'x-keel-pass': ctx.pass.id,
        'x-keel-attempt': String(ctx.attempt),
        'x-keel-work-item': ctx.itemId,
      },
      timeoutMs: options.timeoutMs ?? ctx.agent.runtime.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: ctx.signal,
      env: ctx.env,
      ...((options.retry ?? ctx.retry) && { retry: { ...ctx.retry, ...options.retry } }),
      onRetry: (e) =>
        retries.push({ error: e.error.name, delayMs: e.delayMs, status: e.error.status ?? null }),
    });
    await ctx.onCall({
      ...base,
      outcome: 'succeeded',
      usage: result.totalUsage,
      latencyMs: result.latencyMs,
      retries,
      response: result.object === undefined ? result.text : JSON.stringify(result.object),
    });
    return result.object as T;
  } catch (error) {
    if (!(error instanceof ModelCallError)) throw error;
    const usage = error.attempts.reduce(
      (sum, a) => (a.usage ? addUsage(sum, a.usage) : sum),
      emptyUsage(),
    );
    await ctx.onCall({
      ...base,
      outcome: 'failed',
      error: `${error.name}: ${error.message}`,
      usage,
      latencyMs: error.attempts.reduce((s, a) => s + a.latencyMs, 0),
      retries,
      response: '',
    });
    throw new RuntimeFailure(
      error.name === 'StructuredOutputError' || error.name === 'InvalidResponseError'
        ? 'output'
        : 'infrastructure',
      `${options.purpose === 'review' ? `review by ${options.agent}` : 'model call'} failed: ${error.message}`,
      { cause: error, hint: error.hint },
    );
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
