import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { type AiProviderContext, auth, defineAiProvider, prop } from '@pmos/sdk/server';
import { apiRootOf } from '../connection.js';
import { serviceName } from '../explain/explain.js';
import { reportListing } from '../health.js';
import { getProviderJson } from '../http.js';
import { byId, featuredOf, readOpenAiModelList, toModelInfo } from './openai-models.js';

/**
 * Any server with the OpenAI Chat Completions API: Ollama, vLLM, LM Studio, LiteLLM, a
 * hosted gateway. The base URL is required; the key only when the server asks for one.
 */
export const openAiCompatibleConnection = auth.custom({
  description: 'A server that speaks the OpenAI API: Ollama, vLLM, LM Studio, LiteLLM …',
  props: {
    privateHosts: prop.markdown({
      variant: 'info',
      text:
        'PMOS reaches public addresses only. For a server on the PMOS machine or your own ' +
        'network (e.g. Ollama on 127.0.0.1), the PMOS operator must allow it first in ' +
        '`PMOS_HTTP_PRIVATE_HOSTS` (e.g. `127.0.0.1:11434`).',
    }),
    baseUrl: prop.shortText({
      displayName: 'Base URL',
      description:
        'The API root, usually ending in /v1: http://127.0.0.1:11434/v1 (Ollama), http://127.0.0.1:1234/v1 (LM Studio), http://<host>:8000/v1 (vLLM).',
      required: true,
    }),
    apiKey: prop.shortText({
      displayName: 'API key (optional)',
      description: 'Only if the server asks for one (vLLM --api-key, LiteLLM, a hosted gateway).',
      required: false,
      secret: true,
    }),
  },
});

type CompatibleContext = AiProviderContext<typeof openAiCompatibleConnection>;

const rootOf = (ctx: CompatibleContext) =>
  apiRootOf(ctx.auth.baseUrl, {
    versionPath: '/v1',
    example: 'http://127.0.0.1:11434/v1',
  });

/** Ollama and others list their embedding, speech and rerank models beside the chat ones. */
const notChat = /(embed|whisper|tts|rerank)/i;

async function fetchChatModels(ctx: CompatibleContext) {
  const root = rootOf(ctx);
  const apiKey = ctx.auth.apiKey?.trim() || undefined;
  const entries = await getProviderJson(
    ctx,
    {
      url: `${root}/models`,
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    },
    { family: 'openai-compatible', baseUrl: root, secrets: [apiKey] },
    readOpenAiModelList,
  );
  return entries.filter((e) => !notChat.test(e.id));
}

export const openAiCompatibleProvider = defineAiProvider({
  id: 'openai-compatible',
  displayName: 'OpenAI-compatible server',
  description: 'Ollama, vLLM, LM Studio or any server with the OpenAI Chat Completions API.',
  auth: openAiCompatibleConnection,

  /** GET {baseUrl}/models, chat models only, sorted by id. */
  async listModels(ctx) {
    return (await fetchChatModels(ctx)).map(toModelInfo).sort(byId);
  },

  languageModel(ctx, modelId) {
    return createOpenAICompatible({
      name: 'openai-compatible',
      baseURL: rootOf(ctx),
      apiKey: ctx.auth.apiKey?.trim() || undefined,
      fetch: ctx.http,
      // Streams end with a usage chunk only when asked; PMOS counts tokens per workspace.
      includeUsage: true,
    }).chatModel(modelId);
  },

  healthCheck(ctx) {
    const service = serviceName('openai-compatible', ctx.auth.baseUrl);
    return reportListing(
      async () => {
        const models = await fetchChatModels(ctx);
        return { count: models.length, featured: featuredOf(models) };
      },
      {
        connected: `Connected to ${service.replace(/^The server at /, '')}`,
        empty: `${service} answered, but offers no chat models yet (on Ollama, download one first, e.g. \`ollama pull llama3.2\`).`,
      },
    );
  },
});
