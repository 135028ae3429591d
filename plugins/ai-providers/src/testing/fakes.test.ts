import { afterEach, describe, expect, it } from 'vitest';
import {
  FAKE_ANTHROPIC_KEY,
  FAKE_OPENAI_KEY,
  type FakeProvider,
  startFakeAnthropic,
  startFakeGoogle,
  startFakeOpenAi,
} from './index.js';

// The fakes' own contract, as PMOS's chat tests rely on it: plain fetch, no provider SDK.
const started: FakeProvider[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((fake) => fake.close()));
});
async function track(fake: Promise<FakeProvider>): Promise<FakeProvider> {
  const ready = await fake;
  started.push(ready);
  return ready;
}

/** Wire JSON, read loosely: these tests check the fakes' exact shapes by hand. */
// biome-ignore lint/suspicious/noExplicitAny: arbitrary wire JSON
const json = async (response: Response): Promise<any> => response.json();

const post = (url: string, body: unknown, headers: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const openAiAuth = { authorization: `Bearer ${FAKE_OPENAI_KEY}` };

/** The `data:` payloads of an SSE body. */
const dataLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6));

describe('startFakeOpenAi', () => {
  it('answers turns in order and records what the model was sent', async () => {
    const fake = await track(startFakeOpenAi({ turns: [{ text: 'One.' }, { text: 'Two.' }] }));
    for (const content of ['first', 'second']) {
      await post(
        `${fake.baseUrl}/chat/completions`,
        { model: 'gpt-4.1', messages: [{ role: 'user', content }] },
        openAiAuth,
      );
    }
    expect(
      fake.chatRequests().map((b) => (b.messages as { content: string }[])[0]?.content),
    ).toEqual(['first', 'second']);
    expect(fake.requests).toHaveLength(2);
  });

  it('streams chat.completion.chunk lines: tool call split, finish, usage, [DONE]', async () => {
    const fake = await track(
      startFakeOpenAi({
        turns: [{ toolCalls: [{ id: 'call_1', name: 'lookup', args: { q: 'Ada' } }] }],
      }),
    );
    const response = await post(
      `${fake.baseUrl}/chat/completions`,
      { model: 'gpt-4.1', messages: [], stream: true, stream_options: { include_usage: true } },
      openAiAuth,
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const lines = dataLines(await response.text());
    expect(lines.at(-1)).toBe('[DONE]');
    const chunks = lines.slice(0, -1).map((line) => JSON.parse(line));
    const argumentPieces = chunks.flatMap(
      (c) =>
        c.choices[0]?.delta?.tool_calls?.map(
          (t: { function: { arguments: string } }) => t.function.arguments,
        ) ?? [],
    );
    expect(argumentPieces.filter(Boolean).length).toBeGreaterThan(1);
    expect(argumentPieces.join('')).toBe('{"q":"Ada"}');
    expect(chunks[1].choices[0].delta.tool_calls[0]).toEqual({
      index: 0,
      id: 'call_1',
      type: 'function',
      function: { name: 'lookup', arguments: '' },
    });
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { total_tokens: expect.any(Number) },
    });
  });

  it('lets a respond function decide, with the request and its number', async () => {
    const seen: number[] = [];
    const fake = await track(
      startFakeOpenAi({
        respond: ({ body, index }) => {
          seen.push(index);
          const tools = body.tools as unknown[] | undefined;
          return tools?.length ? { toolCalls: [{ name: 'lookup' }] } : { text: 'No tools.' };
        },
      }),
    );
    const answer = await post(
      `${fake.baseUrl}/chat/completions`,
      { model: 'gpt-4.1', messages: [] },
      openAiAuth,
    ).then(json);
    expect(answer.choices[0]).toMatchObject({
      message: { role: 'assistant', content: 'No tools.' },
      finish_reason: 'stop',
    });
    expect(seen).toEqual([0]);
  });

  it('fails loudly when the script runs out, unless there is a fallback turn', async () => {
    const bare = await track(startFakeOpenAi());
    const response = await post(
      `${bare.baseUrl}/chat/completions`,
      { model: 'gpt-4.1' },
      openAiAuth,
    );
    expect(response.status).toBe(500);
    expect((await json(response)).error.message).toMatch(/no scripted turn left/);
    const lenient = await track(startFakeOpenAi({ fallbackTurn: { text: 'OK' } }));
    const ok = await post(`${lenient.baseUrl}/chat/completions`, { model: 'gpt-4.1' }, openAiAuth);
    expect((await json(ok)).choices[0].message.content).toBe('OK');
  });

  it('answers OpenAI’s real errors: no key, wrong key, unknown model, quota', async () => {
    const fake = await track(startFakeOpenAi({ turns: [{ error: 'quota_exhausted' }] }));
    const noKey = await fetch(`${fake.baseUrl}/models`);
    expect(noKey.status).toBe(401);
    const wrong = await fetch(`${fake.baseUrl}/models`, {
      headers: { authorization: 'Bearer sk-proj-wrongwrongwrong1234' },
    });
    expect(await json(wrong)).toEqual({
      error: {
        message:
          'Incorrect API key provided: sk-proj-************1234. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
    const unknown = await post(`${fake.baseUrl}/chat/completions`, { model: 'gpt-9' }, openAiAuth);
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('model_not_found');
    const quota = await post(`${fake.baseUrl}/chat/completions`, { model: 'gpt-4.1' }, openAiAuth);
    expect(quota.status).toBe(429);
    expect((await json(quota)).error).toMatchObject({
      code: 'insufficient_quota',
      type: 'insufficient_quota',
    });
  });

  it('fails the next request of any kind on demand', async () => {
    const fake = await track(startFakeOpenAi());
    fake.failNext('rate_limited');
    const limited = await fetch(`${fake.baseUrl}/models`, { headers: openAiAuth });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect((await fetch(`${fake.baseUrl}/models`, { headers: openAiAuth })).status).toBe(200);
  });

  it('pauses between streamed events when asked', async () => {
    const fake = await track(
      startFakeOpenAi({ chunkDelayMs: 25, turns: [{ text: 'one two three' }] }),
    );
    const started = Date.now();
    const response = await post(
      `${fake.baseUrl}/chat/completions`,
      { model: 'gpt-4.1', stream: true },
      openAiAuth,
    );
    const reader = response.body?.getReader();
    const arrivals: number[] = [];
    for (;;) {
      const { done } = (await reader?.read()) ?? { done: true };
      if (done) break;
      arrivals.push(Date.now() - started);
    }
    // role, 3 text pieces, finish, [DONE]: six events, 25 ms apart.
    expect(arrivals.at(-1)).toBeGreaterThanOrEqual(6 * 25 - 10);
    expect(arrivals.length).toBeGreaterThan(1);
  });
});

describe('startFakeAnthropic', () => {
  const headers = { 'x-api-key': FAKE_ANTHROPIC_KEY, 'anthropic-version': '2023-06-01' };

  it('streams Anthropic’s events for text and tool_use blocks', async () => {
    const fake = await track(
      startFakeAnthropic({
        turns: [{ text: 'Sure.', toolCalls: [{ name: 'lookup', args: { q: 'Ada' } }] }],
      }),
    );
    const response = await post(
      `${fake.baseUrl}/messages`,
      { model: fake.models[0], max_tokens: 100, messages: [], stream: true },
      headers,
    );
    const text = await response.text();
    const events = [...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(events).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const data = dataLines(text).map((line) => JSON.parse(line));
    expect(data.find((d) => d.type === 'message_delta')).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { output_tokens: expect.any(Number) },
    });
    const partial = data
      .filter((d) => d.delta?.type === 'input_json_delta')
      .map((d) => d.delta.partial_json)
      .join('');
    expect(partial).toBe('{"q":"Ada"}');
  });

  it('answers without streaming, and in Anthropic’s error shape', async () => {
    const fake = await track(startFakeAnthropic({ turns: [{ text: 'Hi.' }] }));
    const message = await post(`${fake.baseUrl}/messages`, { model: fake.models[0] }, headers).then(
      json,
    );
    expect(message).toMatchObject({
      type: 'message',
      content: [{ type: 'text', text: 'Hi.' }],
      stop_reason: 'end_turn',
    });
    const noVersion = await post(
      `${fake.baseUrl}/messages`,
      {},
      { 'x-api-key': FAKE_ANTHROPIC_KEY },
    );
    expect(await json(noVersion)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
    });
    fake.failNext('overloaded');
    const overloaded = await fetch(`${fake.baseUrl}/models`, { headers });
    expect(overloaded.status).toBe(529);
  });
});

describe('startFakeGoogle', () => {
  it('accepts the key as ?key= too, and streams SSE chunks', async () => {
    const fake = await track(startFakeGoogle({ turns: [{ text: 'Hello there.' }] }));
    const listed = await fetch(`${fake.baseUrl}/models?key=${fake.apiKey}`).then(json);
    expect(listed.models[0]).toMatchObject({ name: 'models/gemini-2.0-flash' });
    const response = await post(
      `${fake.baseUrl}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
      { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
      { 'x-goog-api-key': fake.apiKey ?? '' },
    );
    const chunks = dataLines((await response.text()).replaceAll('\r', '')).map((l) =>
      JSON.parse(l),
    );
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text).join('')).toBe('Hello there.');
    expect(chunks.at(-1)).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      usageMetadata: { totalTokenCount: expect.any(Number) },
    });
  });
});
