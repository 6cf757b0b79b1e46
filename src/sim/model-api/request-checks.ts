/**
 * The request validation the real APIs do before anything else, so that a
 * client bug (no `max_tokens` for Anthropic, no messages) fails against the
 * wind tunnel the way it would in production: 400 `invalid_request_error`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SimApi } from './request-facts.ts';

/** The first problem with a request, worded like the provider words it, or undefined. */
export function requestProblem(
  api: SimApi,
  body: Record<string, unknown>,
  headers: IncomingHttpHeaders,
): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') {
    return api === 'anthropic-messages'
      ? 'model: Field required'
      : 'you must provide a model parameter';
  }
  switch (api) {
    case 'openai-chat':
      if (!Array.isArray(body.messages) || body.messages.length === 0) {
        return "Missing required parameter: 'messages'.";
      }
      return undefined;
    case 'openai-responses':
      if (body.input === undefined && typeof body.previous_response_id !== 'string') {
        return "Missing required parameter: 'input'.";
      }
      return undefined;
    case 'anthropic-messages':
      if (!headers['anthropic-version']) return 'anthropic-version: header is required';
      if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
      if (!Array.isArray(body.messages)) return 'messages: Field required';
      return undefined;
  }
}
