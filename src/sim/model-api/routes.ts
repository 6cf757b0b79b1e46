/** Which endpoint a request is for, whether it carries credentials, and the model lists. */
import type { IncomingMessage } from 'node:http';
import type { SimApi } from './request-facts.ts';
import type { Scenario, SimProvider } from './scenario-schema.ts';

/** The provider (when the path says it) and the API a request is for. */
export type Route = { provider: SimProvider | undefined; api: SimApi | 'models' };

/** Accepts paths with and without the `/v1` prefix, since clients disagree on where it goes. */
export function routeOf(method: string, path: string): Route | undefined {
  const p = path.replace(/\/+$/, '').replace(/^\/v1(?=\/)/, '');
  if (method === 'POST' && p === '/chat/completions')
    return { provider: 'openai', api: 'openai-chat' };
  if (method === 'POST' && p === '/responses')
    return { provider: 'openai', api: 'openai-responses' };
  if (method === 'POST' && p === '/messages')
    return { provider: 'anthropic', api: 'anthropic-messages' };
  // Both providers list models at the same path; the caller tells them apart by headers.
  if (method === 'GET' && p === '/models') return { provider: undefined, api: 'models' };
  return undefined;
}

/** Whether the request carries a key the way the provider expects (any non-empty value). */
export function hasCredentials(provider: SimProvider, req: IncomingMessage): boolean {
  const bearer = /^Bearer\s+\S+/i.test(req.headers.authorization ?? '');
  if (provider === 'openai') return bearer;
  const key = req.headers['x-api-key'];
  return bearer || (typeof key === 'string' && key.trim() !== '');
}

/** `GET /v1/models` in the provider's shape: a few current models plus those the scenario names. */
export function modelList(provider: SimProvider, scenario: Scenario) {
  const fromRules = scenario.rules
    .map((r) => r.match.model)
    .filter((m): m is string => m !== undefined && !m.startsWith('/'));
  const ids = [
    ...new Set(
      provider === 'openai'
        ? ['gpt-4.1', 'gpt-4.1-mini', ...fromRules]
        : ['claude-sonnet-4-5', 'claude-haiku-4-5', ...fromRules],
    ),
  ];
  if (provider === 'openai') {
    return {
      object: 'list',
      data: ids.map((id) => ({
        id,
        object: 'model',
        created: 1_700_000_000,
        owned_by: 'wind-tunnel',
      })),
    };
  }
  return {
    data: ids.map((id) => ({
      type: 'model',
      id,
      display_name: id,
      created_at: '2025-01-01T00:00:00Z',
    })),
    has_more: false,
    first_id: ids[0] ?? null,
    last_id: ids.at(-1) ?? null,
  };
}
