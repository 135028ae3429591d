import type { LanguageModelV4 } from '@ai-sdk/provider';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineAiProvider } from './ai-provider.js';
import { auth } from './auth.js';
import { SdkDefinitionError } from './errors.js';
import { definePlugin } from './plugin.js';

const fakeModel = (modelId: string, apiKey: string) =>
  ({
    specificationVersion: 'v4',
    provider: 'acme',
    modelId,
    supportedUrls: {},
    doGenerate: async () => {
      throw new Error(`not in this test (${apiKey.length})`);
    },
    doStream: async () => {
      throw new Error('not in this test');
    },
  }) as unknown as LanguageModelV4;

describe('defineAiProvider', () => {
  const provider = defineAiProvider({
    id: 'acme-ai',
    displayName: 'Acme AI',
    auth: auth.secretText({ displayName: 'API key' }),
    async listModels() {
      return [{ id: 'acme-1', displayName: 'Acme 1', contextWindow: 128000 }];
    },
    languageModel(ctx, modelId) {
      expectTypeOf(ctx.auth).toEqualTypeOf<string>();
      return fakeModel(modelId, ctx.auth);
    },
  });

  it('returns the provider, whose model is an AI SDK language model', async () => {
    const ctx = { auth: 'sk-1', http: fetch, signal: new AbortController().signal };
    await expect(provider.listModels(ctx)).resolves.toEqual([
      { id: 'acme-1', displayName: 'Acme 1', contextWindow: 128000 },
    ]);
    expect(provider.languageModel(ctx, 'acme-1').modelId).toBe('acme-1');
  });

  it('counts as a contribution of a plugin', () => {
    const plugin = definePlugin({
      id: 'acme-ai',
      version: '1.0.0',
      sdk: '^0.1.0',
      displayName: 'Acme AI',
      contributes: { aiProviders: [provider] },
    });
    expect(plugin.contributes.aiProviders).toHaveLength(1);
  });

  it('names what is missing', () => {
    expect(() =>
      defineAiProvider({
        id: 'Bad Id',
        displayName: '',
        auth: auth.none(),
        listModels: undefined as never,
        languageModel: undefined as never,
      }),
    ).toThrow(SdkDefinitionError);
  });
});
