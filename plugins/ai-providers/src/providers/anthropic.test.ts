import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explainAnthropicError } from '../explain/anthropic.js';
import { providerContext } from '../testing/context.js';
import {
  FAKE_ANTHROPIC_KEY,
  FAKE_OPENAI_KEY,
  type FakeProvider,
  startFakeAnthropic,
  startFakeOpenAi,
} from '../testing/index.js';
import {
  askPrompt,
  completeTodoTool,
  failureOf,
  readParts,
  textOf,
  withToolResult,
} from '../testing/model-calls.js';
import { ANTHROPIC_VERSION, anthropicProvider } from './anthropic.js';
import { openAiProvider } from './openai.js';

let fake: FakeProvider;
beforeAll(async () => {
  // Pages of two: the listing must follow has_more / last_id.
  fake = await startFakeAnthropic({ modelsPageSize: 2 });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.requests.length = 0;
});

const ctxWith = (apiKey = FAKE_ANTHROPIC_KEY) =>
  providerContext({ apiKey, baseUrl: fake.baseUrl }, { privateHosts: [fake.host] });

describe('anthropic listModels', () => {
  it('follows the pages of GET /v1/models and keeps Anthropic’s order and names', async () => {
    await expect(anthropicProvider.listModels(ctxWith())).resolves.toEqual([
      { id: 'claude-sonnet-4-5-20250929', displayName: 'Claude Sonnet 4.5' },
      { id: 'claude-haiku-4-5-20251001', displayName: 'Claude Haiku 4.5' },
      { id: 'claude-opus-4-1-20250805', displayName: 'Claude Opus 4.1' },
    ]);
    expect(fake.requests.map((r) => r.query)).toEqual([
      { limit: '1000' },
      { limit: '1000', after_id: 'claude-haiku-4-5-20251001' },
    ]);
    expect(fake.requests[0]?.headers).toMatchObject({
      'x-api-key': FAKE_ANTHROPIC_KEY,
      'anthropic-version': ANTHROPIC_VERSION,
    });
  });
});

describe('anthropic healthCheck', () => {
  it('says the key works and names the newest models', async () => {
    await expect(anthropicProvider.healthCheck?.(ctxWith())).resolves.toEqual({
      ok: true,
      message:
        'Connected to Anthropic: 3 models available: claude-sonnet-4-5-20250929, claude-haiku-4-5-20251001, claude-opus-4-1-20250805.',
    });
  });

  it('explains a wrong key without repeating it', async () => {
    const key = 'sk-ant-api03-wrongwrongwrong-0123456789';
    const report = await anthropicProvider.healthCheck?.(ctxWith(key));
    expect(report).toEqual({
      ok: false,
      message:
        'Anthropic refused the API key: it is wrong, revoked or missing. Create a new key at console.anthropic.com › Settings › API keys and save it in the connection.',
    });
  });

  it('explains a base URL that is not the API', async () => {
    const ctx = providerContext(
      { apiKey: FAKE_ANTHROPIC_KEY, baseUrl: `${fake.url}/api` },
      { privateHosts: [fake.host] },
    );
    const report = await anthropicProvider.healthCheck?.(ctx);
    expect(report).toEqual({
      ok: false,
      message: `Anthropic has no API at ${fake.host}/api/models: check the base URL, or leave it empty to use the provider’s own address.`,
    });
  });

  it('explains an overloaded API', async () => {
    fake.failNext('overloaded');
    await expect(anthropicProvider.healthCheck?.(ctxWith())).resolves.toEqual({
      ok: false,
      message: 'Anthropic is overloaded or briefly unavailable. Try again in a moment.',
    });
  });
});

describe('anthropic languageModel (Messages API through ctx.http)', () => {
  it('streams a tool_use block with input_json_delta into one tool-call part', async () => {
    fake.enqueue({
      text: 'Completing it now.',
      toolCalls: [{ name: 'complete_todo', args: { project: 'Alpha', todo_id: 42 } }],
    });
    const model = anthropicProvider.languageModel(ctxWith(), 'claude-sonnet-4-5-20250929');
    const { stream } = await model.doStream({ prompt: askPrompt, tools: [completeTodoTool] });
    const parts = await readParts(stream);
    expect(textOf(parts)).toBe('Completing it now.');
    const call = parts.find((p) => p.type === 'tool-call');
    expect(call).toMatchObject({ toolName: 'complete_todo', toolCallId: 'toolu_fake1_0' });
    expect(JSON.parse((call as { input: string }).input)).toEqual({
      project: 'Alpha',
      todo_id: 42,
    });
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'tool-calls', raw: 'tool_use' },
      usage: {
        inputTokens: { total: expect.any(Number) },
        outputTokens: { total: expect.any(Number) },
      },
    });
    expect(fake.chatRequests()[0]).toMatchObject({
      model: 'claude-sonnet-4-5-20250929',
      stream: true,
      system: [{ type: 'text', text: 'You operate Basecamp for the team.' }],
      tools: [{ name: 'complete_todo', input_schema: { required: ['project', 'todo_id'] } }],
    });
  });

  it('sends the tool result back as a tool_result block and streams the answer', async () => {
    fake.enqueue({ text: 'Done.' });
    const model = anthropicProvider.languageModel(ctxWith(), 'claude-haiku-4-5-20251001');
    const { stream } = await model.doStream({
      prompt: withToolResult('toolu_1'),
      tools: [completeTodoTool],
    });
    expect(textOf(await readParts(stream))).toBe('Done.');
    const messages = fake.chatRequests()[0]?.messages as { role: string; content: unknown[] }[];
    expect(messages.at(-1)).toMatchObject({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_1',
          content: '{"completed":true,"todo_id":42}',
        },
      ],
    });
  });

  it('generates without streaming', async () => {
    fake.enqueue({ text: 'Hello, Ada.' });
    const result = await anthropicProvider
      .languageModel(ctxWith(), 'claude-haiku-4-5-20251001')
      .doGenerate({ prompt: askPrompt });
    expect(result.content).toEqual([{ type: 'text', text: 'Hello, Ada.' }]);
    expect(result.finishReason).toMatchObject({ unified: 'stop', raw: 'end_turn' });
  });

  it.each([
    ['quota_exhausted', 'quota_exhausted', /Buy credits/],
    ['rate_limited', 'rate_limited', /Wait 12 seconds/],
    ['overloaded', 'overloaded', /overloaded/],
    ['server_error', 'provider_error', /HTTP 500/],
  ] as const)('explains a model call failing with %s', async (problem, code, message) => {
    fake.enqueue({ error: problem });
    const error = await failureOf(
      anthropicProvider
        .languageModel(ctxWith(), 'claude-haiku-4-5-20251001')
        .doStream({ prompt: askPrompt }),
    );
    expect(explainAnthropicError(error)).toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
  });

  it('explains an unknown model', async () => {
    const error = await failureOf(
      anthropicProvider.languageModel(ctxWith(), 'claude-9').doGenerate({ prompt: askPrompt }),
    );
    expect(explainAnthropicError(error)).toMatchObject({
      code: 'model_not_found',
      message:
        'Anthropic has no model “claude-9” that this key may use. Pick one from the models this connection lists.',
    });
  });
});

describe('one tool-call part, whatever the provider', () => {
  it('parses the same streamed tool call from fake OpenAI and fake Anthropic alike', async () => {
    const openai = await startFakeOpenAi();
    try {
      // The same turn for both: one call with a fixed id.
      const turn = {
        toolCalls: [
          { id: 'call_same', name: 'complete_todo', args: { project: 'Alpha', todo_id: 42 } },
        ],
      };
      openai.enqueue(turn);
      fake.enqueue(turn);
      const fromOpenAi = await openAiProvider
        .languageModel(
          providerContext(
            { apiKey: FAKE_OPENAI_KEY, baseUrl: openai.baseUrl },
            { privateHosts: [openai.host] },
          ),
          'gpt-4o-mini',
        )
        .doStream({ prompt: askPrompt, tools: [completeTodoTool] });
      const fromAnthropic = await anthropicProvider
        .languageModel(ctxWith(), 'claude-sonnet-4-5-20250929')
        .doStream({ prompt: askPrompt, tools: [completeTodoTool] });
      const callOf = async (stream: typeof fromOpenAi.stream) => {
        const part = (await readParts(stream)).find((p) => p.type === 'tool-call');
        const { type, toolCallId, toolName, input } = part as {
          type: string;
          toolCallId: string;
          toolName: string;
          input: string;
        };
        return { type, toolCallId, toolName, input: JSON.parse(input) };
      };
      const expected = {
        type: 'tool-call',
        toolCallId: 'call_same',
        toolName: 'complete_todo',
        input: { project: 'Alpha', todo_id: 42 },
      };
      expect(await callOf(fromOpenAi.stream)).toEqual(expected);
      expect(await callOf(fromAnthropic.stream)).toEqual(expected);
    } finally {
      await openai.close();
    }
  });
});
