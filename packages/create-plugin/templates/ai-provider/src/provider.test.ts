import { fakeHttp, jsonResponse } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import { pmos, version } from '../package.json';
import { apiRoot, provider } from './provider';
import plugin from './server';

/** The hosts package.json declares: requests anywhere else fail here as they would in PMOS. */
const hosts = pmos.permissions.hosts;
const base = 'https://api.example.com';

/** What PMOS passes: the connection's values and `fetch` bound to the declared hosts. */
function context(
  routes: Parameters<typeof fakeHttp>[0],
  auth = { apiKey: 'sk-test' as string | undefined },
) {
  const http = fakeHttp(routes, { hosts });
  return {
    http,
    ctx: {
      auth: { baseUrl: `${base}/`, apiKey: auth.apiKey },
      http: http.fetch,
      signal: new AbortController().signal,
    },
  };
}

describe('listModels', () => {
  it('lists the models of GET {baseUrl}/v1/models, sorted, with the key', async () => {
    const { ctx, http } = context({
      [`GET ${base}/v1/models`]: () => ({
        object: 'list',
        data: [
          { id: 'large', object: 'model', context_length: 128000 },
          { id: 'small', object: 'model' },
          { id: 'embed', object: 'model' },
        ],
      }),
    });
    await expect(provider.listModels(ctx)).resolves.toEqual([
      { id: 'embed', displayName: 'embed' },
      { id: 'large', displayName: 'large', contextWindow: 128000 },
      { id: 'small', displayName: 'small' },
    ]);
    expect(http.calls).toHaveLength(1);
    expect(http.calls[0]?.headers.authorization).toBe('Bearer sk-test');
  });

  it('sends no authorization header without a key', async () => {
    const { ctx, http } = context(
      { [`GET ${base}/v1/models`]: () => ({ data: [] }) },
      { apiKey: undefined },
    );
    await expect(provider.listModels(ctx)).resolves.toEqual([]);
    expect(http.calls[0]?.headers.authorization).toBeUndefined();
  });

  it('says what the server answered when it fails', async () => {
    const { ctx } = context({ [`GET ${base}/v1/models`]: () => jsonResponse({}, 500) });
    await expect(provider.listModels(ctx)).rejects.toThrow(/answered 500/);
  });
});

describe('healthCheck', () => {
  it('explains a refused key', async () => {
    const { ctx } = context({ [`GET ${base}/v1/models`]: () => jsonResponse({}, 401) });
    await expect(provider.healthCheck?.(ctx)).resolves.toMatchObject({ ok: false });
  });
});

describe('languageModel', () => {
  it('returns an AI SDK model with the chosen id', () => {
    const { ctx } = context({});
    const model = provider.languageModel(ctx, 'large');
    expect(model.modelId).toBe('large');
    expect(model.specificationVersion).toBe('v4');
    expect(model.provider).toContain(provider.id);
  });

  it('sends chat completions through ctx.http', async () => {
    const { ctx, http } = context({
      [`POST ${base}/v1/chat/completions`]: () => ({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1767600000,
        model: 'large',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Hello, Ada.' },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
      }),
    });
    const result = await provider.languageModel(ctx, 'large').doGenerate({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Say hello to Ada.' }] }],
    });
    expect(result.content).toEqual([{ type: 'text', text: 'Hello, Ada.' }]);
    expect(http.calls[0]).toMatchObject({
      url: `${apiRoot(base)}/chat/completions`,
      headers: { authorization: 'Bearer sk-test' },
      body: { model: 'large', messages: [{ role: 'user', content: 'Say hello to Ada.' }] },
    });
  });
});

describe('plugin', () => {
  it('matches package.json and contributes the provider', () => {
    expect(plugin).toMatchObject({ id: pmos.id, version, sdk: pmos.sdk });
    expect(plugin.contributes.aiProviders?.map((p) => p.id)).toEqual([provider.id]);
  });
});
