import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explainGoogleError } from '../explain/google.js';
import { providerContext } from '../testing/context.js';
import { FAKE_GOOGLE_KEY, type FakeProvider, startFakeGoogle } from '../testing/index.js';
import {
  askPrompt,
  completeTodoTool,
  failureOf,
  readParts,
  textOf,
} from '../testing/model-calls.js';
import { googleProvider } from './google.js';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeGoogle({ modelsPageSize: 2 });
});
afterAll(() => fake.close());
afterEach(() => {
  fake.requests.length = 0;
});

const ctxWith = (apiKey = FAKE_GOOGLE_KEY) =>
  providerContext({ apiKey, baseUrl: fake.baseUrl }, { privateHosts: [fake.host] });

describe('google listModels', () => {
  it('follows nextPageToken, keeps generateContent models, strips "models/" and sorts', async () => {
    await expect(googleProvider.listModels(ctxWith())).resolves.toEqual([
      { id: 'gemini-2.0-flash', displayName: 'Gemini 2.0 Flash', contextWindow: 1_048_576 },
      { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', contextWindow: 1_048_576 },
      { id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', contextWindow: 1_048_576 },
    ]);
    expect(fake.requests.map((r) => r.query)).toEqual([
      { pageSize: '1000' },
      { pageSize: '1000', pageToken: '2' },
      { pageSize: '1000', pageToken: '4' },
    ]);
    // The key travels in a header, never in the URL.
    expect(fake.requests[0]?.headers['x-goog-api-key']).toBe(FAKE_GOOGLE_KEY);
    expect(fake.requests.every((r) => r.query.key === undefined)).toBe(true);
  });
});

describe('google healthCheck', () => {
  it('says the key works and names the newest Gemini models', async () => {
    await expect(googleProvider.healthCheck?.(ctxWith())).resolves.toEqual({
      ok: true,
      message:
        'Connected to Google Gemini: 3 models available: gemini-2.5-pro, gemini-2.5-flash, gemini-2.0-flash.',
    });
  });

  it('explains "API key not valid" (INVALID_ARGUMENT) as a wrong key', async () => {
    const key = 'AIzaSyWrongWrongWrong0123456789abcdef';
    const report = await googleProvider.healthCheck?.(ctxWith(key));
    expect(report).toEqual({
      ok: false,
      message:
        'Google Gemini refused the API key: it is wrong, revoked or missing. Create a key at aistudio.google.com › Get API key and save it in the connection.',
    });
  });

  it('tells a spent daily quota from a per-minute rate limit', async () => {
    fake.failNext('quota_exhausted');
    const quota = await googleProvider.healthCheck?.(ctxWith());
    expect(quota?.message).toMatch(/run out of credit or quota.*daily quota to reset/);
    fake.failNext('rate_limited');
    const rate = await googleProvider.healthCheck?.(ctxWith());
    expect(rate?.message).toBe(
      'Google Gemini is limiting how often this key may send requests. Wait 17 seconds and try again.',
    );
  });
});

describe('google languageModel (Gemini API through ctx.http)', () => {
  it('streams text and a function call', async () => {
    fake.enqueue({
      text: 'On it.',
      toolCalls: [{ name: 'complete_todo', args: { project: 'Alpha', todo_id: 42 } }],
    });
    const { stream } = await googleProvider
      .languageModel(ctxWith(), 'gemini-2.5-flash')
      .doStream({ prompt: askPrompt, tools: [completeTodoTool] });
    const parts = await readParts(stream);
    expect(textOf(parts)).toBe('On it.');
    const call = parts.find((p) => p.type === 'tool-call');
    expect(call).toMatchObject({ toolName: 'complete_todo' });
    expect(JSON.parse((call as { input: string }).input)).toEqual({
      project: 'Alpha',
      todo_id: 42,
    });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls' } });
    expect(fake.requests[0]).toMatchObject({
      path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent',
      query: { alt: 'sse' },
      headers: { 'x-goog-api-key': FAKE_GOOGLE_KEY },
    });
    expect(fake.chatRequests()[0]).toMatchObject({
      tools: [{ functionDeclarations: [{ name: 'complete_todo' }] }],
    });
  });

  it('explains an unknown model', async () => {
    const error = await failureOf(
      googleProvider.languageModel(ctxWith(), 'gemini-9').doGenerate({ prompt: askPrompt }),
    );
    expect(explainGoogleError(error)).toMatchObject({
      code: 'model_not_found',
      message:
        'Google Gemini has no model “gemini-9” that this key may use. Pick one from the models this connection lists.',
    });
  });
});
