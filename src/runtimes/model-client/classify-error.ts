/**
 * Maps whatever the AI SDK (or fetch underneath it) threw to keel's typed
 * model-call failures, so retry decisions depend on the kind of failure only.
 */
import {
  APICallError,
  JSONParseError,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  RetryError,
  StreamProviderError,
  TypeValidationError,
} from 'ai';
import {
  AuthenticationError,
  BadRequestError,
  CancelledError,
  InvalidResponseError,
  ModelCallError,
  NetworkError,
  ProviderUnavailableError,
  RateLimitedError,
  StructuredOutputError,
  TimeoutError,
} from './errors.ts';

/** What the caller knows about the failed attempt besides the error itself. */
export interface AttemptContext {
  provider: string;
  model: string;
  /** Whether response headers had arrived (a later failure is a cut-off response). */
  responseStarted: boolean;
  timedOut: boolean;
  cancelled: boolean;
  timeoutMs: number;
  /** Set when the stream went silent for this long (rather than the whole attempt running out). */
  idleTimeoutMs?: number;
}

/** The typed failure for `error` thrown during one attempt. */
export function classifyError(error: unknown, ctx: AttemptContext): ModelCallError {
  const who = { provider: ctx.provider, model: ctx.model };
  if (ctx.cancelled) return new CancelledError('the call was cancelled', { ...who, cause: error });
  if (ctx.timedOut && ctx.idleTimeoutMs !== undefined) {
    return new TimeoutError(`the stream stalled: no data for ${ctx.idleTimeoutMs} ms`, {
      ...who,
      timeoutMs: ctx.idleTimeoutMs,
      cause: error,
    });
  }
  if (ctx.timedOut) {
    return new TimeoutError(`no complete answer within ${ctx.timeoutMs} ms`, {
      ...who,
      timeoutMs: ctx.timeoutMs,
      cause: error,
    });
  }
  if (error instanceof ModelCallError) return error;
  if (NoObjectGeneratedError.isInstance(error)) {
    return new StructuredOutputError(
      `the answer does not match the output schema (${firstLine(error.cause) ?? error.message})`,
      {
        ...who,
        text: error.text,
        cause: error,
      },
    );
  }
  if (RetryError.isInstance(error) && error.lastError !== undefined)
    return classifyError(error.lastError, ctx);
  if (NoOutputGeneratedError.isInstance(error) && error.cause !== undefined)
    return classifyError(error.cause, ctx);
  if (APICallError.isInstance(error)) return fromApiCallError(error, ctx);
  if (StreamProviderError.isInstance(error)) return fromStreamError(error, ctx);
  if (JSONParseError.isInstance(error) || TypeValidationError.isInstance(error)) {
    return new InvalidResponseError(
      `the provider sent a malformed response (${firstLine(error)})`,
      { ...who, cause: error },
    );
  }
  return transportError(error, ctx);
}

function fromApiCallError(error: APICallError, ctx: AttemptContext): ModelCallError {
  const who = { provider: ctx.provider, model: ctx.model, status: error.statusCode, cause: error };
  const status = error.statusCode;
  const said = firstLine(error) ?? 'no message';
  if (status === undefined) return transportError(error, ctx);
  if (status === 429) {
    return new RateLimitedError(`rate limited (429): ${said}`, {
      ...who,
      retryAfterMs: retryAfterMs(error.responseHeaders),
    });
  }
  if (status === 401 || status === 403)
    return new AuthenticationError(`refused the credentials (${status}): ${said}`, who);
  if (status === 408 || status === 409 || status >= 500)
    return new ProviderUnavailableError(`unavailable (${status}): ${said}`, who);
  if (status >= 400) return new BadRequestError(`rejected the request (${status}): ${said}`, who);
  // A 2xx that the SDK could not read: malformed JSON or a body that does not fit the protocol.
  return new InvalidResponseError(
    `sent an unreadable response (${status}): ${firstLine(error.cause) ?? said}`,
    who,
  );
}

/** An error event inside a stream that had started well (e.g. Anthropic's mid-stream overloaded_error). */
function fromStreamError(error: StreamProviderError, ctx: AttemptContext): ModelCallError {
  const who = { provider: ctx.provider, model: ctx.model, status: error.statusCode, cause: error };
  const said = `${error.type ?? 'error'} in the stream: ${firstLine(error) ?? 'no message'}`;
  if (error.statusCode === 429)
    return new RateLimitedError(`rate limited: ${said}`, { ...who, retryAfterMs: undefined });
  if (error.isRetryable || (error.statusCode ?? 500) >= 500)
    return new ProviderUnavailableError(`failed mid-answer: ${said}`, who);
  return new BadRequestError(`failed mid-answer: ${said}`, who);
}

/** A failure below HTTP: before the response started it is the network, after it a cut-off response. */
function transportError(error: unknown, ctx: AttemptContext): ModelCallError {
  const who = { provider: ctx.provider, model: ctx.model, cause: error };
  const detail = firstLine(error) ?? String(error);
  if (ctx.responseStarted)
    return new InvalidResponseError(`the response was cut off (${detail})`, who);
  return new NetworkError(`could not reach the provider (${detail})`, who);
}

/** `retry-after-ms` (OpenAI) or `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(
  headers: Record<string, string> | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && /^\s*[\d.]+\s*$/.test(value)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function firstLine(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  return error.message.split('\n')[0];
}
