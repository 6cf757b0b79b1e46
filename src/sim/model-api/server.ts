/**
 * The model-API wind tunnel: a local HTTP server that speaks OpenAI Chat
 * Completions, the OpenAI Responses API and Anthropic Messages over their real
 * wire protocols, answers from a scenario, injects faults, and records every
 * request for assertions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ErrorKind, errorResponse, faultError } from './fault-errors.ts';
import { closedSignal, cutAfter, pause, readJson, send } from './http-io.ts';
import type { ReplyIds } from './openai-chat.ts';
import { requestProblem } from './request-checks.ts';
import { type RequestFacts, requestFacts } from './request-facts.ts';
import { logLine, newRecord, type SimRequestRecord } from './request-record.ts';
import { hasCredentials, modelList, routeOf } from './routes.ts';
import { type ResolvedReply, ScenarioRunner } from './scenario-runner.ts';
import { type Scenario, type SimProvider, scenarioSchema } from './scenario-schema.ts';
import { frameSse } from './sse.ts';
import { bodyFor, eventsFor, replyIds, streamErrorEvent } from './wire-dispatch.ts';
import type { WireError } from './wire-error.ts';

export type { SimRequestRecord } from './request-record.ts';

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

/** A running simulator. */
export interface ModelApiSim {
  /** Base URL without a path, e.g. `http://127.0.0.1:40123`; providers use `${url}/v1`. */
  url: string;
  port: number;
  /** Every request received, in order. */
  readonly requests: SimRequestRecord[];
  close(): Promise<void>;
}

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
    // Only answers report usage: an HTTP error or a hang bills nothing.
    if (
      !reply.fault ||
      ['malformed-json', 'truncated-stream', 'stream-error'].includes(reply.fault.kind)
    ) {
      record.usage = reply.usage;
    }
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
    if (reply.fault?.kind === 'stall') {
      // Sends half the body, then goes silent with the connection open.
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
      });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      await pause(Number.POSITIVE_INFINITY, signal);
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
      if (fault === 'stall' && contentSent >= (reply.fault?.afterChunks ?? 0)) {
        // Goes silent mid-answer with the connection open, until the client gives up.
        await pause(Number.POSITIVE_INFINITY, signal);
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

function sendError(res: ServerResponse, record: SimRequestRecord, error: WireError): void {
  record.status = error.status;
  send(res, error.status, error.body, error.headers);
}
