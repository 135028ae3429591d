import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import {
  type AiModelInfo,
  type AiProviderContext,
  auth,
  defineAiProvider,
  prop,
} from '@pmos/sdk/server';

/**
 * An AI provider for a server that speaks the OpenAI API (vLLM, Ollama, LiteLLM, a hosted
 * gateway …). PMOS lists its models for admins and hands its language models to the
 * Vercel AI SDK for chat and flows. Every request goes through `ctx.http`, which only
 * reaches the hosts in `pmos.permissions.hosts` of package.json.
 */

export const SERVICE = '{{displayName}}';
export const DEFAULT_BASE_URL = 'https://api.example.com';

/** The connection: where the server is, and its key when it needs one. */
export const endpoint = auth.custom({
  description: 'Any server with the OpenAI API. Its host must be one the plugin declares.',
  props: {
    baseUrl: prop.shortText({
      displayName: 'Base URL',
      description: 'Without /v1, e.g. https://api.example.com',
      required: true,
      defaultValue: DEFAULT_BASE_URL,
    }),
    apiKey: prop.shortText({
      displayName: 'API key',
      description: 'Leave empty when the server needs none.',
      required: false,
    }),
  },
});

type Context = AiProviderContext<typeof endpoint>;

/** The API root the OpenAI paths hang off: the base URL without trailing "/", plus /v1. */
export function apiRoot(baseUrl: string): string {
  return `${baseUrl.trim().replace(/\/+$/, '')}/v1`;
}

function authorization(ctx: Context): Record<string, string> {
  return ctx.auth.apiKey ? { authorization: `Bearer ${ctx.auth.apiKey}` } : {};
}

interface ModelList {
  data: { id: string; context_length?: number; context_window?: number }[];
}

async function fetchModels(ctx: Context): Promise<Response> {
  return ctx.http(`${apiRoot(ctx.auth.baseUrl)}/models`, {
    headers: { accept: 'application/json', ...authorization(ctx) },
    signal: ctx.signal,
  });
}

export const provider = defineAiProvider({
  id: '{{id}}',
  displayName: SERVICE,
  description: '{{description}}',
  auth: endpoint,

  /** GET {baseUrl}/v1/models, sorted by id. */
  async listModels(ctx): Promise<AiModelInfo[]> {
    const res = await fetchModels(ctx);
    if (!res.ok) throw new Error(`${SERVICE} answered ${res.status} when asked for its models`);
    const list = (await res.json()) as ModelList;
    return list.data
      .map((model) => {
        const contextWindow = model.context_length ?? model.context_window;
        return contextWindow === undefined
          ? { id: model.id, displayName: model.id }
          : { id: model.id, displayName: model.id, contextWindow };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  },

  /** An AI SDK chat model whose requests go through `ctx.http`. */
  languageModel(ctx, modelId) {
    const openai = createOpenAICompatible({
      name: '{{id}}',
      baseURL: apiRoot(ctx.auth.baseUrl),
      apiKey: ctx.auth.apiKey || undefined,
      fetch: ctx.http,
    });
    return openai(modelId);
  },

  /** Shown to the admin when the connection is saved: one cheap request, a plain answer. */
  async healthCheck(ctx) {
    const res = await fetchModels(ctx);
    if (res.status === 401 || res.status === 403) {
      return { ok: false, message: `${SERVICE} refused the API key.` };
    }
    if (!res.ok) return { ok: false, message: `${SERVICE} answered ${res.status}.` };
    const { data } = (await res.json()) as ModelList;
    return { ok: true, message: `Connected: ${data.length} model(s) available.` };
  },
});
