/** Small HTTP helpers of the wind tunnel: sending, cutting, reading bodies, abortable pauses. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Sends `data`, waits until it has left, then drops the connection without finishing the response. */
export function cutAfter(res: ServerResponse, data: string): void {
  // Destroying at once would discard what is still buffered; the client must see a partial answer.
  res.write(data, () => res.socket?.destroy());
}

/** Sends a JSON (or pre-serialised) body with its length. */
export function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  // Node knows no reason phrase for Anthropic's non-standard 529.
  if (status === 529) res.statusMessage = 'Overloaded';
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** Reads the request body as a JSON object, with the messages the APIs give for bad bodies. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
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
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
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
export function closedSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}
