import { createOpenAI } from '@ai-sdk/openai';
import { type AiProviderContext, defineAiProvider } from '@pmos/sdk/server';
import { apiRootOf, hostedConnection, requireKey } from '../connection.js';
import { reportListing } from '../health.js';
import { getProviderJson } from '../http.js';
import { byId, featuredOf, readOpenAiModelList, toModelInfo } from './openai-models.js';

export const OPENAI_API_ROOT = 'https://api.openai.com/v1';

export const openAiConnection = hostedConnection({
  description: 'An OpenAI API key. PMOS uses it for the models you pick in chat and flows.',
  keyHelp: 'Create one at platform.openai.com › API keys (it starts with sk-).',
  apiRoot: OPENAI_API_ROOT,
});

type OpenAiContext = AiProviderContext<typeof openAiConnection>;

const rootOf = (ctx: OpenAiContext) =>
  apiRootOf(ctx.auth.baseUrl, {
    apiRoot: OPENAI_API_ROOT,
    versionPath: '/v1',
    example: OPENAI_API_ROOT,
  });

/**
 * Whether a model id answers on Chat Completions with text. `/v1/models` also lists
 * embeddings, speech, images, moderation, legacy completions and Responses-only models
 * (codex, computer-use, deep-research, the -pro models), none of which can chat here.
 */
export function isOpenAiChatModel(id: string): boolean {
  const family = /^(gpt-|chatgpt-|o\d+(-|$)|ft:(gpt-|o\d))/.test(id);
  const notChat =
    /(realtime|audio|transcribe|tts|image|instruct|embedding|moderation|codex|computer-use|deep-research|-pro(-|$))/.test(
      id,
    );
  return family && !notChat;
}

async function fetchChatModels(ctx: OpenAiContext) {
  const apiKey = requireKey(ctx.auth.apiKey, 'openai');
  const root = rootOf(ctx);
  const entries = await getProviderJson(
    ctx,
    { url: `${root}/models`, headers: { authorization: `Bearer ${apiKey}` } },
    { family: 'openai', baseUrl: root, secrets: [apiKey] },
    readOpenAiModelList,
  );
  return entries.filter((e) => isOpenAiChatModel(e.id));
}

export const openAiProvider = defineAiProvider({
  id: 'openai',
  displayName: 'OpenAI',
  description: 'GPT and o-series models through the OpenAI API.',
  auth: openAiConnection,

  /** GET /v1/models, chat models only, sorted by id. */
  async listModels(ctx) {
    return (await fetchChatModels(ctx)).map(toModelInfo).sort(byId);
  },

  languageModel(ctx, modelId) {
    // Chat Completions rather than the SDK's default Responses API: it is the wire format
    // every OpenAI-compatible server speaks, so OpenAI and Ollama/vLLM/LM Studio share one
    // request and stream shape, one fake and one error mapping — and nothing depends on
    // state OpenAI keeps between Responses calls. Key and base URL are always passed, or
    // the SDK would read OPENAI_API_KEY / OPENAI_BASE_URL from the PMOS process.
    return createOpenAI({
      apiKey: requireKey(ctx.auth.apiKey, 'openai'),
      baseURL: rootOf(ctx),
      fetch: ctx.http,
    }).chat(modelId);
  },

  healthCheck(ctx) {
    return reportListing(
      async () => {
        const models = await fetchChatModels(ctx);
        return { count: models.length, featured: featuredOf(models) };
      },
      {
        connected: 'Connected to OpenAI',
        empty:
          'OpenAI accepted the key, but it may use no chat models. Check the project the key belongs to at platform.openai.com › Settings › Limits.',
      },
    );
  },
});
