/**
 * The error responses of injected faults and of refused requests, shaped as
 * each provider sends them (status, body, rate-limit headers).
 */
import { anthropicError } from './anthropic-messages.ts';
import { openaiError } from './openai-chat.ts';
import type { SimFault } from './scenario-runner.ts';
import type { SimProvider } from './scenario-schema.ts';
import type { WireError } from './wire-error.ts';

/** The kinds of refusal the simulator sends as a plain HTTP error. */
export type ErrorKind =
  | 'rate-limit'
  | 'server-error'
  | 'overloaded'
  | 'bad-request'
  | 'unauthorized'
  | 'not-found';

/** The error response of `kind` for a provider. */
export function errorResponse(
  provider: SimProvider,
  kind: ErrorKind,
  requestId: string,
  options: { message?: string | undefined; retryAfterSeconds?: number | undefined } = {},
): WireError {
  const error =
    provider === 'openai'
      ? openaiShape(kind, options.message)
      : anthropicShape(kind, options.message, requestId);
  if (kind === 'rate-limit') {
    const seconds = options.retryAfterSeconds ?? 1;
    error.headers['retry-after'] = String(seconds);
    if (provider === 'openai') {
      error.headers['retry-after-ms'] = String(Math.round(seconds * 1000));
      error.headers['x-ratelimit-remaining-requests'] = '0';
      error.headers['x-ratelimit-reset-requests'] = `${seconds}s`;
    } else {
      error.headers['anthropic-ratelimit-requests-remaining'] = '0';
      error.headers['anthropic-ratelimit-requests-reset'] = new Date(
        Date.now() + seconds * 1000,
      ).toISOString();
    }
  }
  return error;
}

/** The error response of a fault answered with an HTTP error status, or undefined. */
export function faultError(
  provider: SimProvider,
  fault: SimFault,
  requestId: string,
  streaming: boolean,
): WireError | undefined {
  switch (fault.kind) {
    case 'stream-error':
      // Without a stream to break, the same outage shows as a plain overloaded response.
      return streaming ? undefined : errorResponse(provider, 'overloaded', requestId, fault);
    case 'rate-limit':
    case 'server-error':
    case 'overloaded':
    case 'bad-request':
    case 'unauthorized':
      return errorResponse(provider, fault.kind, requestId, fault);
    default:
      return undefined;
  }
}

function openaiShape(kind: ErrorKind, message: string | undefined): WireError {
  switch (kind) {
    case 'rate-limit':
      return openaiError(
        429,
        'requests',
        message ?? 'Rate limit reached for requests per min (RPM). Please try again later.',
        'rate_limit_exceeded',
      );
    case 'server-error':
      return openaiError(
        500,
        'server_error',
        message ?? 'The server had an error while processing your request. Sorry about that!',
      );
    case 'overloaded':
      return openaiError(
        503,
        'server_error',
        message ?? 'The engine is currently overloaded, please try again later.',
      );
    case 'bad-request':
      return openaiError(400, 'invalid_request_error', message ?? 'Invalid request.');
    case 'unauthorized':
      return openaiError(
        401,
        'invalid_request_error',
        message ??
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      );
    case 'not-found':
      return openaiError(
        404,
        'invalid_request_error',
        message ?? 'Unknown request URL.',
        'unknown_url',
      );
  }
}

function anthropicShape(
  kind: ErrorKind,
  message: string | undefined,
  requestId: string,
): WireError {
  switch (kind) {
    case 'rate-limit':
      return anthropicError(
        429,
        'rate_limit_error',
        message ?? 'Number of request tokens has exceeded your per-minute rate limit.',
        requestId,
      );
    case 'server-error':
      return anthropicError(500, 'api_error', message ?? 'Internal server error', requestId);
    case 'overloaded':
      return anthropicError(529, 'overloaded_error', message ?? 'Overloaded', requestId);
    case 'bad-request':
      return anthropicError(400, 'invalid_request_error', message ?? 'Invalid request.', requestId);
    case 'unauthorized':
      return anthropicError(
        401,
        'authentication_error',
        message ?? 'x-api-key header is required',
        requestId,
      );
    case 'not-found':
      return anthropicError(404, 'not_found_error', message ?? 'Not found', requestId);
  }
}
