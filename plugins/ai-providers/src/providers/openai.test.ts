import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AiProviderError } from '../errors.js';
import { explainOpenAiError } from '../explain/openai.js';
import { providerContext } from '../testing/context.js';
import { FAKE_OPENAI_KEY, type FakeProvider, startFakeOpenAi } from '../testing/index.js';
import {
  askPrompt,
  completeTodoTool,
  failureOf,
  readParts,
  textOf,
  withToolResult,
} from '../testing/model-calls.js';
import { isOpenAiChatModel, openAiProvider } from './openai.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());
afterEach(() => {
  fake.requests.length = 0;
});

/** A connection pointed at the fake, with its loopback host allowed as an operator would. */
const ctxWith = (apiKey = FAKE_OPENAI_KEY) =>
  providerContext({ apiKey, baseUrl: fake.baseUrl }, { privateHosts: [fake.host] });

describe('isOpenAiChatModel', () => {
  it('keeps chat models and leaves out the rest of /v1/models', () => {
    const ids = [
      'gpt-4.1',
      'gpt-4o-mini',
      'gpt-5',
      'o3',
      'o4-mini',
      'chatgpt-4o-latest',
      'ft:gpt-4o-mini-2024-07-18:acme::abc123',
      'gpt-4o-realtime-preview',
      'gpt-4o-audio-preview',
      'gpt-4o-transcribe',
      'gpt-4o-mini-tts',
      'gpt-image-1',
      'gpt-3.5-turbo-instruct',
      'text-embedding-3-small',
      'omni-moderation-latest',
      'whisper-1',
      'dall-e-3',
      'davinci-002',
      'codex-mini-latest',
      'o1-pro',
      'computer-use-preview',
    ];
    expect(ids.filter(isOpenAiChatModel)).toEqual([
      'gpt-4.1',
      'gpt-4o-mini',
      'gpt-5',
      'o3',
      'o4-mini',
      'chatgpt-4o-latest',
      'ft:gpt-4o-mini-2024-07-18:acme::abc123',
    ]);
  });
});

describe('openai listModels', () => {
  it('lists the chat models of GET /v1/models, sorted, with the key as a bearer token', async () => {
    await expect(openAiProvider.listModels(ctxWith())).resolves.toEqual([
      { id: 'gpt-4.1', displayName: 'gpt-4.1' },
      { id: 'gpt-4o-mini', displayName: 'gpt-4o-mini' },
      { id: 'o3-mini', displayName: 'o3-mini' },
    ]);
    expect(fake.requests).toMatchObject([
      {
        method: 'GET',
        path: '/v1/models',
        headers: { authorization: `Bearer ${FAKE_OPENAI_KEY}` },
      },
    ]);
  });

  it('throws an explained AiProviderError for a wrong key, without the key', async () => {
    const key = 'sk-proj-wrongwrongwrong0123456789';
    const error = await openAiProvider.listModels(ctxWith(key)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiProviderError);
    expect(error).toMatchObject({ code: 'invalid_key', status: 401 });
    expect((error as Error).message).toMatch(/OpenAI refused the API key/);
    expect((error as Error).message).not.toContain('sk-proj');
    expect((error as Error).message).not.toContain('6789');
  });
});

describe('openai healthCheck', () => {
  it('says the key works and names models, the newest first', async () => {
    await expect(openAiProvider.healthCheck?.(ctxWith())).resolves.toEqual({
      ok: true,
      message: 'Connected to OpenAI: 3 models available: gpt-4.1, gpt-4o-mini, o3-mini.',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('explains a wrong key in plain language and never repeats it', async () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwx';
    const report = await openAiProvider.healthCheck?.(ctxWith(key));
    expect(report).toEqual({
      ok: false,
      message:
        'OpenAI refused the API key: it is wrong, revoked or missing. Create a new key at platform.openai.com › API keys and save it in the connection.',
    });
  });

  it('explains that PMOS refused a loopback base URL, and how the operator allows it', async () => {
    const ctx = providerContext({ apiKey: FAKE_OPENAI_KEY, baseUrl: fake.baseUrl });
    const report = await openAiProvider.healthCheck?.(ctx);
    expect(report?.ok).toBe(false);
    expect(report?.message).toBe(
      `PMOS did not connect to ${fake.host}: ${fake.host} is not a public address (loopback), and AI providers may only reach public addresses unless the PMOS operator allows the host. To use a server on the PMOS machine or your own network (Ollama, vLLM, LM Studio …), ask the operator to add "${fake.host}" to PMOS_HTTP_PRIVATE_HOSTS and restart PMOS.`,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('explains a refused connection', async () => {
    const closed = await startFakeOpenAi();
    await closed.close();
    const ctx = providerContext(
      { apiKey: FAKE_OPENAI_KEY, baseUrl: closed.baseUrl },
      { privateHosts: [closed.host] },
    );
    await expect(openAiProvider.healthCheck?.(ctx)).resolves.toEqual({
      ok: false,
      message: `Nothing answered at ${closed.host}: the connection was refused. Check that the server is running and listens on that address and port.`,
    });
  });

  it('refuses a base URL that is not a web address, without repeating it', async () => {
    const ctx = providerContext({ apiKey: FAKE_OPENAI_KEY, baseUrl: FAKE_OPENAI_KEY });
    const report = await openAiProvider.healthCheck?.(ctx);
    expect(report?.ok).toBe(false);
    expect(report?.message).toMatch(/^The base URL is not a web address/);
    expect(report?.message).not.toContain(FAKE_OPENAI_KEY);
  });
});

describe('openai languageModel (Chat Completions through ctx.http)', () => {
  it('streams a tool call split over chunks into one tool-call part, with usage', async () => {
    fake.enqueue({
      toolCalls: [{ name: 'complete_todo', args: { project: 'Alpha', todo_id: 42 } }],
    });
    const model = openAiProvider.languageModel(ctxWith(), 'gpt-4o-mini');
    expect(model).toMatchObject({ specificationVersion: 'v4', modelId: 'gpt-4o-mini' });
    const { stream } = await model.doStream({ prompt: askPrompt, tools: [completeTodoTool] });
    const parts = await readParts(stream);
    const call = parts.find((p) => p.type === 'tool-call');
    expect(call).toMatchObject({
      type: 'tool-call',
      toolName: 'complete_todo',
      toolCallId: expect.stringMatching(/^call_/),
    });
    expect(JSON.parse((call as { input: string }).input)).toEqual({
      project: 'Alpha',
      todo_id: 42,
    });
    const finish = parts.find((p) => p.type === 'finish');
    expect(finish).toMatchObject({
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      usage: {
        inputTokens: { total: expect.any(Number) },
        outputTokens: { total: expect.any(Number) },
      },
    });
    const [sent] = fake.chatRequests();
    expect(sent).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      tools: [
        {
          type: 'function',
          function: { name: 'complete_todo', description: 'Mark a to-do complete' },
        },
      ],
      messages: [
        { role: 'system', content: 'You operate Basecamp for the team.' },
        { role: 'user', content: 'Complete to-do 42 in Alpha.' },
      ],
    });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
  });

  it('sends the tool result back and streams the answer as text deltas', async () => {
    fake.enqueue({ text: 'Done: to-do 42 is complete.' });
    const model = openAiProvider.languageModel(ctxWith(), 'gpt-4o-mini');
    const { stream } = await model.doStream({
      prompt: withToolResult('call_1'),
      tools: [completeTodoTool],
    });
    const parts = await readParts(stream);
    expect(parts.filter((p) => p.type === 'text-delta').length).toBeGreaterThan(1);
    expect(textOf(parts)).toBe('Done: to-do 42 is complete.');
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop' } });
    const messages = fake.chatRequests()[0]?.messages as Record<string, unknown>[];
    expect(messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'complete_todo', arguments: '{"project":"Alpha","todo_id":42}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"completed":true,"todo_id":42}' },
    ]);
  });

  it('generates without streaming', async () => {
    fake.enqueue({ text: 'Hello, Ada.' });
    const result = await openAiProvider
      .languageModel(ctxWith(), 'gpt-4.1')
      .doGenerate({ prompt: askPrompt });
    expect(result.content).toEqual([{ type: 'text', text: 'Hello, Ada.' }]);
    expect(result.finishReason).toMatchObject({ unified: 'stop' });
    expect(fake.chatRequests()[0]).toMatchObject({ model: 'gpt-4.1' });
    expect(fake.chatRequests()[0]?.stream).toBeUndefined();
  });

  it.each([
    ['quota_exhausted', 'quota_exhausted', /out of credit or quota/],
    ['rate_limited', 'rate_limited', /Wait 20 seconds/],
    ['overloaded', 'overloaded', /overloaded/],
    ['server_error', 'provider_error', /problem on its side \(HTTP 500\)/],
  ] as const)('explains a model call failing with %s', async (problem, code, message) => {
    fake.enqueue({ error: problem });
    const error = await failureOf(
      openAiProvider.languageModel(ctxWith(), 'gpt-4o-mini').doStream({ prompt: askPrompt }),
    );
    const explained = explainOpenAiError(error);
    expect(explained.code).toBe(code);
    expect(explained.message).toMatch(message);
  });

  it('explains an unknown model and a wrong key on a model call', async () => {
    const unknown = await failureOf(
      openAiProvider.languageModel(ctxWith(), 'gpt-9').doGenerate({ prompt: askPrompt }),
    );
    expect(explainOpenAiError(unknown)).toMatchObject({
      code: 'model_not_found',
      message:
        'OpenAI has no model “gpt-9” that this key may use. Pick one from the models this connection lists.',
    });
    const key = 'sk-proj-zzzzzzzzzzzzzzzzzzzzzzzz1234';
    const refused = await failureOf(
      openAiProvider.languageModel(ctxWith(key), 'gpt-4o-mini').doGenerate({ prompt: askPrompt }),
    );
    const explained = explainOpenAiError(refused, { secrets: [key] });
    expect(explained.code).toBe('invalid_key');
    expect(explained.message).not.toMatch(/sk-proj|1234/);
  });

  it('refuses to build a model without a key instead of reading OPENAI_API_KEY', () => {
    expect(() => openAiProvider.languageModel(ctxWith('  '), 'gpt-4o-mini')).toThrow(
      AiProviderError,
    );
  });
});
