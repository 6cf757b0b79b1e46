/** The wind tunnel's record of each request (for test assertions) and its one-line log. */
import type { IncomingMessage } from 'node:http';
import type { SimApi } from './request-facts.ts';
import type { SimUsage } from './scenario-runner.ts';
import type { SimProvider } from './scenario-schema.ts';

/** Headers never recorded or logged: credentials of any kind. */
const SECRET_HEADER = /authorization|api-key|cookie|token|secret/i;

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
  /** Token counts the answer reported (keel's convention), when it was answered. */
  usage: SimUsage | undefined;
  /** `answered`, the fault injected, or why the request was refused. */
  outcome: string;
  status: number | undefined;
  /** Request headers without credentials. */
  headers: Record<string, string>;
  body: unknown;
}

/** A fresh record for an incoming request, its credentials left out. */
export function newRecord(seq: number, req: IncomingMessage): SimRequestRecord {
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
    usage: undefined,
    outcome: 'pending',
    status: undefined,
    headers,
    body: undefined,
  };
}

/** One log line for a request: who asked, what was answered; never keys or prompt text. */
export function logLine(r: SimRequestRecord): string {
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
