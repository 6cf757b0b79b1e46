/**
 * The model-API wind tunnel and keel's model client: how many requests per
 * second the wind tunnel serves (raw HTTP, both protocols, streaming and not),
 * and what the AI SDK plus keel's client add per call on top of the raw
 * request. Method and results: docs/bench/model-api.md.
 */
import { performance } from 'node:perf_hooks';
import { callModel } from '../src/runtimes/model-client/index.ts';
import { parseModelApiScenario, startModelApiSim } from '../src/sim/index.ts';

const REQUESTS = Number(process.env.KEEL_BENCH_MODEL_API_REQUESTS ?? 400);
const CONCURRENCY = 8;
const ANSWER = 'keel '.repeat(400).trim(); // about 2 KB, streamed in 12-character deltas

const sim = await startModelApiSim({
  scenario: parseModelApiScenario(
    JSON.stringify({ rules: [{ match: {}, reply: { text: ANSWER } }] }),
  ),
});
const env = { BENCH_KEY: 'sk-bench' };

type Case = { name: string; run: () => Promise<unknown> };

const raw =
  (path: string, body: Record<string, unknown>, headers: Record<string, string>) => async () => {
    const res = await fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    await res.text();
  };
const messages = [{ role: 'user', content: 'benchmark' }];
const anthropicHeaders = { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' };
const client = (kind: 'openai' | 'anthropic', stream: boolean) => () =>
  callModel({
    provider: { kind, baseUrl: `${sim.url}/v1`, apiKeyEnv: 'BENCH_KEY' },
    model: kind === 'openai' ? 'gpt-4.1-mini' : 'claude-haiku-4-5',
    prompt: 'benchmark',
    timeoutMs: 10_000,
    stream,
    env,
  });

const cases: Case[] = [
  {
    name: 'raw HTTP  openai chat',
    run: raw(
      '/v1/chat/completions',
      { model: 'gpt-4.1-mini', messages },
      { authorization: 'Bearer k' },
    ),
  },
  {
    name: 'raw HTTP  openai chat stream',
    run: raw(
      '/v1/chat/completions',
      { model: 'gpt-4.1-mini', messages, stream: true, stream_options: { include_usage: true } },
      { authorization: 'Bearer k' },
    ),
  },
  {
    name: 'raw HTTP  anthropic',
    run: raw(
      '/v1/messages',
      { model: 'claude-haiku-4-5', max_tokens: 1000, messages },
      anthropicHeaders,
    ),
  },
  {
    name: 'raw HTTP  anthropic stream',
    run: raw(
      '/v1/messages',
      { model: 'claude-haiku-4-5', max_tokens: 1000, messages, stream: true },
      anthropicHeaders,
    ),
  },
  { name: 'callModel openai', run: client('openai', false) },
  { name: 'callModel openai stream', run: client('openai', true) },
  { name: 'callModel anthropic', run: client('anthropic', false) },
  { name: 'callModel anthropic stream', run: client('anthropic', true) },
];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

console.log(
  `${REQUESTS} requests per case, ${CONCURRENCY} concurrent; answer ${ANSWER.length} characters`,
);
console.log('case                            req/s    p50 ms   p95 ms');
for (const c of cases) {
  for (let i = 0; i < 20; i++) await c.run(); // warm-up: JIT, sockets
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        const t = performance.now();
        await c.run();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${c.name.padEnd(30)} ${(REQUESTS / seconds).toFixed(0).padStart(6)} ${quantile(latencies, 0.5).toFixed(2).padStart(9)} ${quantile(latencies, 0.95).toFixed(2).padStart(8)}`,
  );
}
await sim.close();
