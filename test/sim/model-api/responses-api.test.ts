/**
 * The OpenAI Responses API, exercised through the AI SDK's default OpenAI
 * model (`openai('model')` posts to /v1/responses), so users whose own code
 * uses it can test against the wind tunnel too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, generateText, Output, streamText, tool } from 'ai';
import { z } from 'zod';
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
        '  - { name: cached, match: { content: "^cached$" }, reply: { text: "from the responses api", usage: { input: 20, cacheRead: 300, output: 12, reasoning: 5 } } }',
        '  - { name: weather, match: { content: "^weather$" }, reply: { toolCall: { name: get_weather, input: { city: Oslo } } } }',
        '  - { name: plan, match: { system: "planner" }, reply: { json: { steps: [design, build] } } }',
        '  - { name: limited, match: { content: "^limited$" }, reply: { fault: rate-limit, retryAfterSeconds: 3 } }',
      ].join('\n'),
    ),
  });
});
after(() => sim.close());

const model = () => createOpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1` })('gpt-4.1');

describe('the Responses API through the AI SDK', () => {
  for (const stream of [false, true]) {
    const mode = stream ? 'streaming' : 'non-streaming';

    it(`answers text with usage whose cached tokens sit inside input_tokens (${mode})`, async () => {
      const run = async () => {
        if (!stream) return generateText({ model: model(), prompt: 'cached', maxRetries: 0 });
        const r = streamText({ model: model(), prompt: 'cached', maxRetries: 0 });
        return { text: await r.text, usage: await r.usage, finishReason: await r.finishReason };
      };
      const result = await run();
      assert.equal(result.text, 'from the responses api');
      assert.equal(result.finishReason, 'stop');
      assert.equal(result.usage.inputTokens, 320);
      assert.equal(result.usage.inputTokenDetails.cacheReadTokens, 300);
      assert.equal(result.usage.inputTokenDetails.noCacheTokens, 20);
      assert.equal(result.usage.outputTokenDetails.reasoningTokens, 5);
      const seen = sim.requests.at(-1);
      assert.equal(seen?.path, '/v1/responses');
      assert.equal(seen?.api, 'openai-responses');
    });

    it(`answers a tool call as a function_call item (${mode})`, async () => {
      const tools = { get_weather: tool({ inputSchema: z.object({ city: z.string() }) }) };
      const calls = stream
        ? await streamText({ model: model(), prompt: 'weather', tools, maxRetries: 0 }).toolCalls
        : (await generateText({ model: model(), prompt: 'weather', tools, maxRetries: 0 }))
            .toolCalls;
      assert.deepEqual(
        calls.map((c) => [c.toolName, c.input]),
        [['get_weather', { city: 'Oslo' }]],
      );
    });

    it(`answers structured output from text.format, matched on the instructions (${mode})`, async () => {
      const schema = z.object({ steps: z.array(z.string()) });
      const output = stream
        ? await streamText({
            model: model(),
            system: 'You are the planner.',
            prompt: 'plan it',
            output: Output.object({ schema }),
            maxRetries: 0,
          }).output
        : (
            await generateText({
              model: model(),
              system: 'You are the planner.',
              prompt: 'plan it',
              output: Output.object({ schema }),
              maxRetries: 0,
            })
          ).output;
      assert.deepEqual(output, { steps: ['design', 'build'] });
      assert.equal(sim.requests.at(-1)?.structured, true);
    });
  }

  it('sends the named stream events in order, numbered by sequence_number', async () => {
    const res = await fetch(`${sim.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1', stream: true, input: 'cached' }),
    });
    const events = (await res.text())
      .split('\n\n')
      .filter((b) => b.trim() !== '')
      .map((b) => ({
        event: /^event: (.*)$/m.exec(b)?.[1],
        data: JSON.parse(/^data: (.*)$/m.exec(b)?.[1] ?? '{}'),
      }));
    for (const [i, e] of events.entries()) {
      assert.equal(e.data.type, e.event);
      assert.equal(e.data.sequence_number, i);
    }
    const names = events.map((e) => e.event).filter((n) => n !== 'response.output_text.delta');
    assert.deepEqual(names, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('refuses with the OpenAI error shape and retry-after on a rate limit', async () => {
    const error = await generateText({ model: model(), prompt: 'limited', maxRetries: 0 }).catch(
      (e: unknown) => e,
    );
    assert.ok(APICallError.isInstance(error));
    assert.equal(error.statusCode, 429);
    assert.equal(error.responseHeaders?.['retry-after'], '3');
  });
});
