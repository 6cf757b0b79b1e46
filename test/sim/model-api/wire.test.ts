/** The wire protocols as raw HTTP: bodies, SSE framing and order, usage fields, error shapes, headers. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type ModelApiSim,
  parseScenario,
  startModelApiSim,
} from '../../../src/sim/model-api/index.ts';

let sim: ModelApiSim;
before(async () => {
  sim = await startModelApiSim({
    scenario: parseScenario(
      [
        'rules:',
        '  - { name: tool, match: { content: "^weather$" }, reply: { toolCall: { name: get_weather, input: { city: Paris } } } }',
        '  - { name: cached, match: { content: "^cached$" }, reply: { text: "hello world", usage: { input: 10, cacheRead: 90, cacheWrite: 5, output: 7, reasoning: 3 } } }',
        '  - { name: busy, match: { content: "^busy$" }, reply: { fault: overloaded } }',
        '  - { name: limited, match: { content: "^limited$" }, reply: { fault: rate-limit, retryAfterSeconds: 7 } }',
        '  - { name: midway, match: { content: "^midway$" }, reply: { fault: stream-error, afterChunks: 1, text: "one two three four" } }',
      ].join('\n'),
    ),
  });
});
after(() => sim.close());

const openai = (
  body: Record<string, unknown>,
  headers: Record<string, string> = { authorization: 'Bearer sk-x' },
) =>
  fetch(`${sim.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const anthropic = (
  body: Record<string, unknown>,
  headers: Record<string, string> = { 'x-api-key': 'sk-ant-x' },
) =>
  fetch(`${sim.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify({ max_tokens: 100, ...body }),
  });
const user = (content: string) => [{ role: 'user', content }];

// biome-ignore lint/suspicious/noExplicitAny: raw wire bodies are probed field by field, like JSON.parse results
type Wire = any;
/** Reads a response body as loosely typed JSON. */
const json = async (res: Response): Promise<Wire> => res.json();

/** Splits an SSE body into its events. */
function sse(text: string): { event: string | undefined; data: string }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      return {
        event: lines.find((l) => l.startsWith('event: '))?.slice(7),
        data: lines
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n'),
      };
    });
}

describe('OpenAI Chat Completions', () => {
  it('answers with a chat.completion body whose usage includes cached tokens in prompt_tokens', async () => {
    const res = await openai({ model: 'gpt-4.1', messages: user('cached') });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('x-request-id') ?? '', /^req_sim/);
    const body = await json(res);
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.model, 'gpt-4.1');
    assert.deepEqual(body.choices[0].message.content, 'hello world');
    assert.equal(body.choices[0].finish_reason, 'stop');
    assert.equal(body.usage.prompt_tokens, 105);
    assert.equal(body.usage.completion_tokens, 7);
    assert.equal(body.usage.total_tokens, 112);
    assert.equal(body.usage.prompt_tokens_details.cached_tokens, 90);
    assert.equal(body.usage.completion_tokens_details.reasoning_tokens, 3);
  });

  it('streams chunks, then the usage chunk with empty choices, then [DONE] when include_usage is set', async () => {
    const res = await openai({
      model: 'gpt-4.1',
      stream: true,
      stream_options: { include_usage: true },
      messages: user('cached'),
    });
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = sse(await res.text());
    assert.ok(events.every((e) => e.event === undefined));
    assert.equal(events.at(-1)?.data, '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id));
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    const usageChunk = chunks.at(-1);
    assert.deepEqual(usageChunk.choices, []);
    assert.equal(usageChunk.usage.prompt_tokens_details.cached_tokens, 90);
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'stop');
    assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), 'hello world');
  });

  it('sends no usage chunk and no usage field without include_usage', async () => {
    const res = await openai({ model: 'gpt-4.1', stream: true, messages: user('cached') });
    const chunks = sse(await res.text())
      .slice(0, -1)
      .map((e) => JSON.parse(e.data));
    assert.ok(chunks.every((c) => !('usage' in c) && c.choices.length === 1));
  });

  it('answers a tool call with tool_calls and finish_reason tool_calls, streamed as argument deltas', async () => {
    const once = await json(await openai({ model: 'gpt-4.1', messages: user('weather') }));
    const call = once.choices[0].message.tool_calls[0];
    assert.equal(once.choices[0].finish_reason, 'tool_calls');
    assert.equal(once.choices[0].message.content, null);
    assert.deepEqual(
      [call.type, call.function.name, JSON.parse(call.function.arguments)],
      ['function', 'get_weather', { city: 'Paris' }],
    );
    const chunks = sse(
      await (await openai({ model: 'gpt-4.1', stream: true, messages: user('weather') })).text(),
    )
      .slice(0, -1)
      .map((e) => JSON.parse(e.data));
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    assert.equal(deltas[0].function.name, 'get_weather');
    assert.deepEqual(
      JSON.parse(
        deltas.map((d: { function: { arguments: string } }) => d.function.arguments).join(''),
      ),
      { city: 'Paris' },
    );
  });

  it('answers response_format json_object with a JSON message', async () => {
    const body = await json(
      await openai({
        model: 'gpt-4.1',
        response_format: { type: 'json_object' },
        messages: user('summarise'),
      }),
    );
    assert.deepEqual(Object.keys(JSON.parse(body.choices[0].message.content)), ['answer']);
  });

  it('refuses a request without an API key with 401 and the OpenAI error body', async () => {
    const res = await openai({ model: 'gpt-4.1', messages: user('hi') }, {});
    assert.equal(res.status, 401);
    const body = await json(res);
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /didn't provide an API key/);
    assert.equal(body.error.param, null);
  });

  it('sends a 429 with retry-after, retry-after-ms and the rate_limit_exceeded code', async () => {
    const res = await openai({ model: 'gpt-4.1', messages: user('limited') });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal(res.headers.get('retry-after-ms'), '7000');
    assert.equal((await json(res)).error.code, 'rate_limit_exceeded');
  });

  it('lists models in the OpenAI shape', async () => {
    const body = await json(
      await fetch(`${sim.url}/v1/models`, { headers: { authorization: 'Bearer x' } }),
    );
    assert.equal(body.object, 'list');
    assert.ok(body.data.every((m: { object: string }) => m.object === 'model'));
  });
});

describe('Anthropic Messages', () => {
  it('answers with a message body whose usage keeps cache reads and writes apart', async () => {
    const res = await anthropic({
      model: 'claude-sonnet-4-5',
      system: 'be brief',
      messages: user('cached'),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('request-id') ?? '', /^req_sim/);
    const body = await json(res);
    assert.equal(body.type, 'message');
    assert.deepEqual(body.content, [{ type: 'text', text: 'hello world' }]);
    assert.equal(body.stop_reason, 'end_turn');
    assert.deepEqual(
      [
        body.usage.input_tokens,
        body.usage.cache_read_input_tokens,
        body.usage.cache_creation_input_tokens,
        body.usage.output_tokens,
      ],
      [10, 90, 5, 7],
    );
    assert.equal(sim.requests.at(-1)?.system, 'be brief');
  });

  it('streams the named events in the documented order', async () => {
    const res = await anthropic({
      model: 'claude-sonnet-4-5',
      stream: true,
      messages: user('cached'),
    });
    const events = sse(await res.text());
    for (const e of events) assert.equal(JSON.parse(e.data).type, e.event);
    const names = events.map((e) => e.event);
    assert.deepEqual(names.slice(0, 3), ['message_start', 'content_block_start', 'ping']);
    assert.deepEqual(names.slice(-4), [
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    assert.ok(names.slice(3, -3).every((n) => n === 'content_block_delta'));
    const data = events.map((e) => JSON.parse(e.data));
    assert.equal(data[0].message.usage.input_tokens, 10);
    assert.equal(
      data
        .filter((d) => d.type === 'content_block_delta')
        .map((d) => d.delta.text)
        .join(''),
      'hello world',
    );
    const delta = data.find((d) => d.type === 'message_delta');
    assert.equal(delta.delta.stop_reason, 'end_turn');
    assert.equal(delta.usage.output_tokens, 7);
  });

  it('streams a tool call as a tool_use block filled by input_json_delta', async () => {
    const res = await anthropic({
      model: 'claude-sonnet-4-5',
      stream: true,
      messages: user('weather'),
    });
    const data = sse(await res.text()).map((e) => JSON.parse(e.data));
    const start = data.find((d) => d.type === 'content_block_start');
    assert.deepEqual(
      [start.content_block.type, start.content_block.name, start.content_block.input],
      ['tool_use', 'get_weather', {}],
    );
    const args = data
      .filter((d) => d.delta?.type === 'input_json_delta')
      .map((d) => d.delta.partial_json)
      .join('');
    assert.deepEqual(JSON.parse(args), { city: 'Paris' });
    assert.equal(data.find((d) => d.type === 'message_delta').delta.stop_reason, 'tool_use');
  });

  it('sends an error event mid-stream and ends the stream for a stream-error fault', async () => {
    const res = await anthropic({
      model: 'claude-sonnet-4-5',
      stream: true,
      messages: user('midway'),
    });
    const events = sse(await res.text());
    assert.equal(events.filter((e) => e.event === 'content_block_delta').length, 1);
    assert.equal(events.at(-1)?.event, 'error');
    assert.deepEqual(JSON.parse(events.at(-1)?.data ?? '{}'), {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('sends 529 overloaded_error in the Anthropic error shape', async () => {
    const res = await anthropic({ model: 'claude-sonnet-4-5', messages: user('busy') });
    assert.equal(res.status, 529);
    const body = await json(res);
    assert.deepEqual(
      [body.type, body.error.type, body.error.message],
      ['error', 'overloaded_error', 'Overloaded'],
    );
    assert.equal(body.request_id, res.headers.get('request-id'));
  });

  it('sends 429 rate_limit_error with retry-after', async () => {
    const res = await anthropic({ model: 'claude-sonnet-4-5', messages: user('limited') });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal((await json(res)).error.type, 'rate_limit_error');
  });

  it('refuses a request without x-api-key with authentication_error', async () => {
    const res = await anthropic({ model: 'claude-sonnet-4-5', messages: user('hi') }, {});
    assert.equal(res.status, 401);
    assert.equal((await json(res)).error.type, 'authentication_error');
  });

  it('refuses a request without max_tokens or anthropic-version, as the real API does', async () => {
    const noMax = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', messages: user('hi') }),
    });
    assert.equal(noMax.status, 400);
    assert.deepEqual((await json(noMax)).error, {
      type: 'invalid_request_error',
      message: 'max_tokens: Field required',
    });
    const noVersion = await anthropic(
      { model: 'claude-sonnet-4-5', messages: user('hi') },
      { 'x-api-key': 'k', 'anthropic-version': '' },
    );
    assert.equal(noVersion.status, 400);
  });

  it('lists models in the Anthropic shape', async () => {
    const body = await json(
      await fetch(`${sim.url}/v1/models`, {
        headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      }),
    );
    assert.equal(body.has_more, false);
    assert.ok(body.data.every((m: { type: string }) => m.type === 'model'));
  });
});

describe('the server', () => {
  it('serves the same routes without the /v1 prefix', async () => {
    const res = await fetch(`${sim.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: JSON.stringify({ model: 'm', messages: user('hi') }),
    });
    assert.equal(res.status, 200);
  });

  it('answers an unknown path with 404 in the provider error shape', async () => {
    const res = await fetch(`${sim.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
      body: '{}',
    });
    assert.equal(res.status, 404);
    assert.equal((await json(res)).error.code, 'unknown_url');
  });

  it('keeps only the last records when maxRecords is set, numbering every request', async () => {
    const small = await startModelApiSim({
      maxRecords: 2,
      scenario: parseScenario('requireAuth: false'),
    });
    try {
      for (let i = 0; i < 3; i++) {
        await fetch(`${small.url}/v1/chat/completions`, {
          method: 'POST',
          body: JSON.stringify({ model: 'm', messages: user(`n${i}`) }),
        });
      }
      assert.deepEqual(
        small.requests.map((r) => [r.seq, r.lastUserText]),
        [
          [2, 'n1'],
          [3, 'n2'],
        ],
      );
    } finally {
      await small.close();
    }
  });

  it('answers a body that is not JSON with 400', async () => {
    const res = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k' },
      body: '{nope',
    });
    assert.equal(res.status, 400);
    assert.equal((await json(res)).error.type, 'invalid_request_error');
  });

  it('records every request with its keel headers and outcome, without credentials', async () => {
    await anthropic(
      { model: 'claude-sonnet-4-5', messages: user('busy') },
      { 'x-api-key': 'sk-ant-very-secret', 'x-keel-agent': 'reviewer', 'x-keel-attempt': '2' },
    );
    const seen = sim.requests.at(-1);
    assert.deepEqual(
      [seen?.agent, seen?.attempt, seen?.rule, seen?.outcome, seen?.status],
      ['reviewer', 2, 'busy', 'overloaded', 529],
    );
    assert.doesNotMatch(JSON.stringify(sim.requests), /very-secret|sk-x|sk-ant-x/);
  });
});
