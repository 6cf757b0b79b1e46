/**
 * The model-API wind tunnel: a local HTTP server that speaks OpenAI Chat
 * Completions, the OpenAI Responses API and Anthropic Messages over their real
 * wire protocols, answers
 * from a scenario, injects faults, and records every request for assertions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicEvents, anthropicMessage } from './anthropic-messages.ts';
import { type ErrorKind, errorResponse, faultError } from './fault-errors.ts';
import { OPENAI_DONE, openaiChunks, openaiCompletion, type ReplyIds } from './openai-chat.ts';
import { responsesBody, responsesEvents } from './openai-responses.ts';
import { requestProblem } from './request-checks.ts';
import { type RequestFacts, requestFacts, type SimApi } from './request-facts.ts';
import { type ResolvedReply, ScenarioRunner } from './scenario-runner.ts';
import { type Scenario, type SimProvider, scenarioSchema } from './scenario-schema.ts';
import { frameSse, type SseEvent } from './sse.ts';
import type { WireError } from './wire-error.ts';

export interface ModelApiSimOptions {
  /** The scenario to play; the default scenario (no rules, plausible answers) when omitted. */
  scenario?: Scenario;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Called with one line per request (never with keys or prompt text). */
  log?: (line: string) => void;
  /** Keeps only the last N request records (a long-running server); all of them by default. */
  maxRecords?: number;
}

/** One request as the simulator saw and answered it. */
export interface SimRequestRecord {
  seq: number;
  method: string;
  path: string;
  provider: SimProvider | undefined;
  api: SimApi | undefined;
  model: string | undefined;
  stream: boolean;
  agent: string | undefined;
  pass: string | undefined;
  attempt: number | undefined;
  workItem: string | undefined;
  system: string;
  lastUserText: string;
  structured: boolean;
  /** The rule that answered (undefined: the default answer, or refused before matching). */
  rule: string | undefined;
  call: number | undefined;
  /** `answered`, the fault injected, or why the request was refused. */
  outcome: string;
  status: number | undefined;
  /** Request headers without credentials. */
  headers: Record<string, string>;
  body: unknown;
}

/** A running simulator. */
export interface ModelApiSim {
  /** Base URL without a path, e.g. `http://127.0.0.1:40123`; providers use `${url}/v1`. */
  url: string;
  port: number;
  /** Every request received, in order. */
  readonly requests: SimRequestRecord[];
  close(): Promise<void>;
}

const SECRET_HEADER = /authorization|api-key|cookie|token|secret/i;
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Starts the wind tunnel and resolves once it listens. */
export async function startModelApiSim(options: ModelApiSimOptions = {}): Promise<ModelApiSim> {
  const scenario = options.scenario ?? scenarioSchema.parse({});
  const runner = new ScenarioRunner(scenario);
  const requests: SimRequestRecord[] = [];
  const shutdown = new AbortController();
  const log = options.log ?? (() => {});
  const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
  let received = 0;

  const server = createServer((req, res) => {
    const record = newRecord(++received, req);
    requests.push(record);
    if (requests.length > maxRecords) requests.splice(0, requests.length - maxRecords);
    handle(req, res, record).then(
      () => log(logLine(record)),
      (error: unknown) => {
        record.outcome = `internal-error: ${(error as Error).message}`;
        if (!res.headersSent)
          send(res, 500, { error: { message: 'wind tunnel internal error' } }, {});
        else res.destroy();
        log(logLine(record));
      },
    );
  });

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    record: SimRequestRecord,
  ): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routeOf(req.method ?? 'GET', path);
    const provider: SimProvider =
      route?.provider ?? (req.headers['anthropic-version'] ? 'anthropic' : 'openai');
    record.provider = provider;
    const requestId = `req_sim${String(record.seq).padStart(6, '0')}`;
    res.setHeader(provider === 'openai' ? 'x-request-id' : 'request-id', requestId);
    const refuse = (kind: ErrorKind, message?: string) => {
      record.outcome = kind;
      sendError(res, record, errorResponse(provider, kind, requestId, { message }));
    };

    if (!route) return refuse('not-found', `Unknown request URL: ${req.method} ${path}`);
    if (scenario.requireAuth && !hasCredentials(provider, req)) return refuse('unauthorized');
    if (route.api === 'models') {
      record.outcome = 'answered';
      record.status = 200;
      return send(res, 200, modelList(provider, scenario), {});
    }

    let body: Record<string, unknown>;
    try {
      body = await readJson(req);
    } catch (error) {
      return refuse('bad-request', (error as Error).message);
    }
    record.body = body;
    const facts = requestFacts(route.api, body, req.headers);
    Object.assign(record, {
      api: facts.api,
      model: facts.model,
      stream: facts.stream,
      system: facts.system,
      lastUserText: facts.lastUserText,
      structured: facts.structured !== undefined,
    });
    const problem = requestProblem(route.api, body, req.headers);
    if (problem) return refuse('bad-request', problem);

    const reply = runner.next(facts);
    record.rule = reply.rule;
    record.call = reply.call;
    record.outcome = reply.fault?.kind ?? 'answered';

    const signal = AbortSignal.any([shutdown.signal, closedSignal(res)]);
    if (!(await pause(reply.delayMs, signal))) return;

    const wireError = reply.fault
      ? faultError(provider, reply.fault, requestId, facts.stream)
      : undefined;
    if (wireError) return sendError(res, record, wireError);
    if (reply.fault?.kind === 'timeout') {
      // Never answers: holds the connection until the client gives up or the server stops.
      await pause(Number.POSITIVE_INFINITY, signal);
      return;
    }
    const ids = replyIds(facts.api, record.seq);
    if (facts.stream) return streamReply(res, record, reply, facts, ids, signal);
    const payload = bodyFor(facts.api, reply, facts, ids);
    record.status = 200;
    const text = JSON.stringify(payload);
    if (reply.fault?.kind === 'malformed-json') {
      return send(res, 200, text.slice(0, Math.floor(text.length / 2)), {});
    }
    if (reply.fault?.kind === 'truncated-stream') {
      // Announces the whole body, sends half, then cuts the connection.
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
      });
      cutAfter(res, text.slice(0, Math.floor(text.length / 2)));
      return;
    }
    send(res, 200, payload, {});
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function streamReply(
  res: ServerResponse,
  record: SimRequestRecord,
  reply: ResolvedReply,
  facts: RequestFacts,
  ids: ReplyIds,
  signal: AbortSignal,
): Promise<void> {
  const events = eventsFor(facts.api, reply, facts, ids);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  record.status = 200;
  const fault = reply.fault?.kind;
  let contentSent = 0;
  for (const [i, event] of events.entries()) {
    if (i > 0 && !(await pause(reply.chunkDelayMs, signal))) return;
    if (event.content) {
      if (fault === 'truncated-stream' && contentSent >= (reply.fault?.afterChunks ?? 0)) {
        cutAfter(res, '');
        return;
      }
      if (fault === 'stream-error' && contentSent >= (reply.fault?.afterChunks ?? 0)) {
        // The provider gives up mid-answer: an error event, then the end of the stream.
        res.end(frameSse(streamErrorEvent(facts.api, reply.fault?.message, events.length)));
        return;
      }
      if (fault === 'malformed-json' && contentSent === 0) {
        res.write(
          frameSse({ ...event, data: event.data.slice(0, Math.floor(event.data.length / 2)) }),
        );
        contentSent++;
        continue;
      }
      contentSent++;
    }
    res.write(frameSse(event));
  }
  res.end();
}

/** The in-stream error each API sends when it fails mid-answer (overloaded, as is most common). */
function streamErrorEvent(api: SimApi, message: string | undefined, sequence: number): SseEvent {
  switch (api) {
    case 'anthropic-messages':
      return {
        event: 'error',
        data: JSON.stringify({
          type: 'error',
          error: { type: 'overloaded_error', message: message ?? 'Overloaded' },
        }),
        content: false,
      };
    case 'openai-chat':
      return {
        data: JSON.stringify({
          error: {
            message: message ?? 'The server had an error while processing your request.',
            type: 'server_error',
            param: null,
            code: null,
          },
        }),
        content: false,
      };
    case 'openai-responses':
      return {
        event: 'error',
        data: JSON.stringify({
          type: 'error',
          sequence_number: sequence,
          code: 'server_error',
          message: message ?? 'The server had an error while processing your request.',
          param: null,
        }),
        content: false,
      };
  }
}

/** Provider-style ids, numbered by the request's sequence number so runs are reproducible. */
function replyIds(api: SimApi, seq: number): ReplyIds {
  const created = Math.floor(Date.now() / 1000);
  const padded = (n: number) => String(seq).padStart(n, '0');
  switch (api) {
    case 'openai-chat':
      return { id: `chatcmpl-sim${seq}`, toolCallId: `call_sim${seq}`, created };
    case 'openai-responses':
      return { id: `resp_sim${padded(20)}`, toolCallId: `call_sim${seq}`, created };
    case 'anthropic-messages':
      return { id: `msg_sim${padded(20)}`, toolCallId: `toolu_sim${padded(18)}`, created };
  }
}

function bodyFor(api: SimApi, reply: ResolvedReply, facts: RequestFacts, ids: ReplyIds): unknown {
  switch (api) {
    case 'openai-chat':
      return openaiCompletion(reply, facts, ids);
    case 'openai-responses':
      return responsesBody(reply, facts, ids);
    case 'anthropic-messages':
      return anthropicMessage(reply, facts, ids);
  }
}

function eventsFor(
  api: SimApi,
  reply: ResolvedReply,
  facts: RequestFacts,
  ids: ReplyIds,
): SseEvent[] {
  switch (api) {
    case 'openai-chat':
      return [...openaiChunks(reply, facts, ids), OPENAI_DONE];
    case 'openai-responses':
      return responsesEvents(reply, facts, ids);
    case 'anthropic-messages':
      return anthropicEvents(reply, facts, ids);
  }
}

/** Sends `data`, waits until it has left, then drops the connection without finishing the response. */
function cutAfter(res: ServerResponse, data: string): void {
  // Destroying at once would discard what is still buffered; the client must see a partial answer.
  res.write(data, () => res.socket?.destroy());
}

function sendError(res: ServerResponse, record: SimRequestRecord, error: WireError): void {
  record.status = error.status;
  send(res, error.status, error.body, error.headers);
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

type Route = { provider: SimProvider | undefined; api: SimApi | 'models' };

/** Accepts paths with and without the `/v1` prefix, since clients disagree on where it goes. */
function routeOf(method: string, path: string): Route | undefined {
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

function hasCredentials(provider: SimProvider, req: IncomingMessage): boolean {
  const bearer = /^Bearer\s+\S+/i.test(req.headers.authorization ?? '');
  if (provider === 'openai') return bearer;
  const key = req.headers['x-api-key'];
  return bearer || (typeof key === 'string' && key.trim() !== '');
}

function modelList(provider: SimProvider, scenario: Scenario) {
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

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Error('the request body is not valid JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error('the request body must be a JSON object');
  return value as Record<string, unknown>;
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    // Infinity is not a valid timer delay; a day is "never" for a test.
    await sleep(Number.isFinite(ms) ? ms : 86_400_000, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Aborts when the client goes away before the response is complete. */
function closedSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

function newRecord(seq: number, req: IncomingMessage): SimRequestRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || SECRET_HEADER.test(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    seq,
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    provider: undefined,
    api: undefined,
    model: undefined,
    stream: false,
    agent: headers['x-keel-agent'],
    pass: headers['x-keel-pass'],
    attempt: headers['x-keel-attempt'] ? Number.parseInt(headers['x-keel-attempt'], 10) : undefined,
    workItem: headers['x-keel-work-item'],
    system: '',
    lastUserText: '',
    structured: false,
    rule: undefined,
    call: undefined,
    outcome: 'pending',
    status: undefined,
    headers,
    body: undefined,
  };
}

function logLine(r: SimRequestRecord): string {
  const who = [
    r.agent && `agent=${r.agent}`,
    r.pass && `pass=${r.pass}`,
    r.attempt && `attempt=${r.attempt}`,
  ]
    .filter(Boolean)
    .join(' ');
  return `#${r.seq} ${r.method} ${r.path} ${r.model ?? ''}${r.stream ? ' (stream)' : ''} ${who} -> ${r.status ?? 'no answer'} ${r.outcome}${r.rule ? ` [${r.rule}]` : ''}`
    .replace(/\s+/g, ' ')
    .trim();
}
