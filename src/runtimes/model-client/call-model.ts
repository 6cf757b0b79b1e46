/**
 * One model call through the Vercel AI SDK, with keel's own retries: the SDK
 * never retries (`maxRetries: 0`); each attempt is classified into a typed
 * failure, the pure retry policy decides, and every attempt is reported back
 * so the engine can record retries and the tokens they cost.
 */
import { generateText, type LanguageModelUsage, Output, streamText } from 'ai';
import type { z } from 'zod';
import { addUsage, emptyUsage, type TokenUsage } from '../../core/index.ts';
import { classifyError } from './classify-error.ts';
import {
  type AttemptRecord,
  CancelledError,
  type ModelCallError,
  ModelConfigError,
} from './errors.ts';
import { normalizeUsage } from './normalize-usage.ts';
import { type ProviderConfig, providerModel, resolveApiKey } from './provider-model.ts';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy } from './retry-policy.ts';

/** The AI SDK's provider-specific options, keyed by provider name. */
export type ProviderOptions = NonNullable<Parameters<typeof generateText>[0]['providerOptions']>;

/** The facts of a call that keel sends as `x-keel-*` headers (the wind tunnel matches on them). */
export interface CallTrace {
  agent?: string;
  pass?: string;
  attempt?: number;
  workItem?: string;
}

/** The `x-keel-agent` / `x-keel-pass` / `x-keel-attempt` / `x-keel-work-item` headers of a call. */
export function keelHeaders(trace: CallTrace): Record<string, string> {
  const headers: Record<string, string> = {};
  if (trace.agent !== undefined) headers['x-keel-agent'] = trace.agent;
  if (trace.pass !== undefined) headers['x-keel-pass'] = trace.pass;
  if (trace.attempt !== undefined) headers['x-keel-attempt'] = String(trace.attempt);
  if (trace.workItem !== undefined) headers['x-keel-work-item'] = trace.workItem;
  return headers;
}

/** A turn of the conversation sent to the model. */
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** Reported before keel waits and tries again. */
export interface RetryEvent {
  /** The attempt that failed, 1-based. */
  attempt: number;
  error: ModelCallError;
  delayMs: number;
}

export interface CallModelOptions<T = unknown> {
  provider: ProviderConfig;
  model: string;
  system?: string;
  /** A single user message; use `messages` for a conversation. */
  prompt?: string;
  messages?: readonly ChatMessage[];
  /** Asks for structured output and validates the answer against this schema. */
  schema?: z.ZodType<T>;
  /** Extra request headers, e.g. keel's `x-keel-agent` / `x-keel-pass` / `x-keel-attempt`. */
  headers?: Record<string, string>;
  /** Limit for one attempt, from request to the last byte of the answer. */
  timeoutMs: number;
  /** When streaming: limit on the silence between two stream events (a stalled stream). */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  retry?: Partial<RetryPolicy>;
  onRetry?: (event: RetryEvent) => void;
  /** Streams the answer (SSE) instead of waiting for the whole body. */
  stream?: boolean;
  onTextDelta?: (text: string) => void;
  maxOutputTokens?: number;
  temperature?: number;
  /** Provider-specific settings passed through to the AI SDK (e.g. `{ anthropic: { effort: 'low' } }`). */
  providerOptions?: ProviderOptions;
  /** Where API keys and base-URL variables are read; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** Random source in [0, 1) for backoff jitter; injectable for tests. */
  random?: () => number;
}

/** What a successful call returns. */
export interface ModelCallResult<T = unknown> {
  provider: string;
  model: string;
  text: string;
  /** The parsed, schema-valid answer when a schema was given. */
  object: T | undefined;
  /** Usage of the successful attempt. */
  usage: TokenUsage;
  /** Usage of every attempt that reported some, including failed ones (e.g. an invalid structured answer). */
  totalUsage: TokenUsage;
  /** Latency of the successful attempt. */
  latencyMs: number;
  attempts: AttemptRecord[];
  providerResponseId: string | undefined;
  finishReason: string;
}

interface AttemptOutcome<T> {
  text: string;
  object: T | undefined;
  usage: LanguageModelUsage;
  finishReason: string;
  responseId: string | undefined;
}

/** Calls a model, retrying transient failures; throws a `ModelCallError` subclass when it gives up. */
export async function callModel<T = unknown>(
  options: CallModelOptions<T>,
): Promise<ModelCallResult<T>> {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const random = options.random ?? Math.random;
  const env = options.env ?? process.env;
  const provider = options.provider.name ?? options.provider.kind;
  checkOptions(options, policy, provider);
  const attempts: AttemptRecord[] = [];
  const failures: ModelCallError[] = [];
  let totalUsage = emptyUsage();
  // Notes whether the current attempt's response headers arrived, to tell a
  // cut-off response from a network failure.
  let tracker = { responseStarted: false, status: undefined as number | undefined };
  const trackingFetch: typeof fetch = async (input, init) => {
    const current = tracker;
    const response = await fetch(input, init);
    current.responseStarted = true;
    current.status = response.status;
    return response;
  };
  // Configuration errors (missing key, missing base URL) surface here, before any attempt.
  const model = providerModel(options.provider, options.model, env, trackingFetch);
  const secret = secretOf(options.provider, env);

  for (let attempt = 1; ; attempt++) {
    tracker = { responseStarted: false, status: undefined };
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), options.timeoutMs);
    // A stream that stalls is noticed long before the whole attempt's limit.
    let idleTimer: NodeJS.Timeout | undefined;
    let idled = false as boolean;
    const touch = () => {
      if (options.idleTimeoutMs === undefined) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idled = true;
        timeout.abort(new Error('idle'));
      }, options.idleTimeoutMs);
    };
    const signal = options.signal
      ? AbortSignal.any([options.signal, timeout.signal])
      : timeout.signal;
    const started = performance.now();
    try {
      if (options.signal?.aborted) throw options.signal.reason;
      const outcome = options.stream
        ? await streamAttempt<T>(model, options, signal, touch)
        : await generateAttempt<T>(model, options, signal);
      const latencyMs = Math.round(performance.now() - started);
      const usage = normalizeUsage(outcome.usage);
      totalUsage = addUsage(totalUsage, usage);
      attempts.push({
        status: tracker.status,
        error: undefined,
        message: undefined,
        delayMs: 0,
        latencyMs,
        usage,
      });
      return {
        provider,
        model: options.model,
        text: outcome.text,
        object: outcome.object,
        usage,
        totalUsage,
        latencyMs,
        attempts,
        providerResponseId: outcome.responseId,
        finishReason: outcome.finishReason,
      };
    } catch (thrown) {
      const latencyMs = Math.round(performance.now() - started);
      const error = classifyError(thrown, {
        provider,
        model: options.model,
        responseStarted: tracker.responseStarted,
        timedOut: timeout.signal.aborted && !options.signal?.aborted,
        cancelled: options.signal?.aborted === true,
        timeoutMs: options.timeoutMs,
        idleTimeoutMs: idled ? options.idleTimeoutMs : undefined,
      });
      redactSecret(error, secret);
      const usage = usageOfFailure(thrown);
      if (usage) totalUsage = addUsage(totalUsage, usage);
      const decision = decideRetry(error, attempt, failures, policy, random);
      attempts.push({
        // A response cut off after a 200 keeps its 200: the provider did answer, then broke.
        status: error.status ?? tracker.status,
        error: error.name,
        message: error.message,
        delayMs: decision.retry ? decision.delayMs : 0,
        latencyMs,
        ...(usage && { usage }),
      });
      failures.push(error);
      if (!decision.retry) {
        error.attempts = attempts;
        throw error;
      }
      options.onRetry?.({ attempt, error, delayMs: decision.delayMs });
      if (!(await wait(decision.delayMs, options.signal))) {
        const cancelled = new CancelledError('the call was cancelled while waiting to retry', {
          provider,
          model: options.model,
        });
        cancelled.attempts = attempts;
        throw cancelled;
      }
    } finally {
      clearTimeout(timer);
      clearTimeout(idleTimer);
    }
  }
}

/** Rejects settings that would make the call meaningless, before anything is sent. */
function checkOptions(
  options: CallModelOptions<unknown>,
  policy: RetryPolicy,
  provider: string,
): void {
  const problems = [
    !(options.timeoutMs > 0) && `timeoutMs must be positive, got ${options.timeoutMs}`,
    options.idleTimeoutMs !== undefined &&
      !(options.idleTimeoutMs > 0) &&
      `idleTimeoutMs must be positive, got ${options.idleTimeoutMs}`,
    !(Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 1) &&
      `retry.maxAttempts must be a whole number of at least 1, got ${policy.maxAttempts}`,
    !(policy.baseDelayMs >= 0 && policy.maxDelayMs >= 0) && 'retry delays must not be negative',
    options.prompt === undefined &&
      (options.messages ?? []).length === 0 &&
      'give a prompt or messages',
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) {
    throw new ModelConfigError(problems.join('; '), {
      provider,
      model: options.model,
      hint: 'fix the options passed to callModel',
    });
  }
}

function promptOf(options: CallModelOptions<unknown>) {
  if (options.messages && options.messages.length > 0) {
    return { messages: options.messages.map((m) => ({ role: m.role, content: m.content })) };
  }
  return { prompt: options.prompt ?? '' };
}

function settingsOf<T>(options: CallModelOptions<T>, signal: AbortSignal) {
  return {
    ...(options.system !== undefined && { system: options.system }),
    ...promptOf(options as CallModelOptions<unknown>),
    ...(options.headers && { headers: options.headers }),
    ...(options.maxOutputTokens !== undefined && { maxOutputTokens: options.maxOutputTokens }),
    ...(options.temperature !== undefined && { temperature: options.temperature }),
    ...(options.providerOptions && { providerOptions: options.providerOptions }),
    abortSignal: signal,
    // keel retries itself, so that every attempt is seen, classified and recorded.
    maxRetries: 0,
  };
}

async function generateAttempt<T>(
  model: ReturnType<typeof providerModel>,
  options: CallModelOptions<T>,
  signal: AbortSignal,
): Promise<AttemptOutcome<T>> {
  const settings = settingsOf(options, signal);
  if (options.schema) {
    const result = await generateText({
      model,
      ...settings,
      output: Output.object({ schema: options.schema }),
    });
    return {
      text: result.text,
      object: result.output as T,
      usage: result.usage,
      finishReason: result.finishReason,
      responseId: result.response.id,
    };
  }
  const result = await generateText({ model, ...settings });
  return {
    text: result.text,
    object: undefined,
    usage: result.usage,
    finishReason: result.finishReason,
    responseId: result.response.id,
  };
}

async function streamAttempt<T>(
  model: ReturnType<typeof providerModel>,
  options: CallModelOptions<T>,
  signal: AbortSignal,
  touch: () => void,
): Promise<AttemptOutcome<T>> {
  const settings = settingsOf(options, signal);
  touch();
  // Errors arrive as stream parts; keel reads them there instead of letting the SDK log them.
  const result = options.schema
    ? streamText({
        model,
        ...settings,
        output: Output.object({ schema: options.schema }),
        onError: () => {},
      })
    : streamText({ model, ...settings, onError: () => {} });
  let streamError: unknown;
  for await (const part of result.stream) {
    touch();
    if (part.type === 'text-delta') options.onTextDelta?.(part.text);
    else if (part.type === 'error') streamError ??= part.error;
  }
  if (signal.aborted) throw signal.reason;
  if (streamError !== undefined) throw streamError;
  const [text, usage, finishReason, response] = await Promise.all([
    result.text,
    result.usage,
    result.finishReason,
    result.response,
  ]);
  const object = options.schema ? ((await result.output) as T) : undefined;
  return { text, object, usage, finishReason, responseId: response.id };
}

/** The API key in use, so it can be scrubbed from anything a provider echoes back. */
function secretOf(provider: ProviderConfig, env: NodeJS.ProcessEnv): string | undefined {
  try {
    return resolveApiKey(provider, '', env);
  } catch {
    return undefined;
  }
}

/** Some providers quote the key they refused; keel's errors and logs must never carry it. */
function redactSecret(error: ModelCallError, secret: string | undefined): void {
  if (!secret || secret.length < 4) return;
  const cause = error.cause as { message?: unknown; responseBody?: unknown } | undefined;
  const causeText = `${String(cause?.message ?? '')} ${String(cause?.responseBody ?? '')}`;
  if (error.message.includes(secret))
    error.message = error.message.split(secret).join('[redacted]');
  // The SDK's error keeps the raw response body; drop it rather than carry the key along.
  if (causeText.includes(secret)) Object.defineProperty(error, 'cause', { value: undefined });
}

/** Tokens a failed attempt still consumed, when the SDK reports them (e.g. an off-schema answer). */
function usageOfFailure(error: unknown): TokenUsage | undefined {
  const usage = (error as { usage?: LanguageModelUsage } | undefined)?.usage;
  return usage && typeof usage === 'object' && 'inputTokens' in usage
    ? normalizeUsage(usage)
    : undefined;
}

/** Waits `ms`; resolves false if `signal` aborts first. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
