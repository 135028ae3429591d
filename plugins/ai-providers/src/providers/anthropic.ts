import { createAnthropic } from '@ai-sdk/anthropic';
import { type AiModelInfo, type AiProviderContext, defineAiProvider } from '@pmos/sdk/server';
import { apiRootOf, hostedConnection, requireKey } from '../connection.js';
import { isRecord } from '../explain/failure.js';
import { reportListing } from '../health.js';
import { getProviderJson } from '../http.js';

export const ANTHROPIC_API_ROOT = 'https://api.anthropic.com/v1';
/** The API version PMOS speaks; the AI SDK sends the same one for model calls. */
export const ANTHROPIC_VERSION = '2023-06-01';
/** Pages of the model list PMOS reads at most (1000 models each): a runaway guard. */
const maxPages = 10;

export const anthropicConnection = hostedConnection({
  description:
    'An Anthropic API key. PMOS uses it for the Claude models you pick in chat and flows.',
  keyHelp: 'Create one at console.anthropic.com › Settings › API keys (it starts with sk-ant-).',
  apiRoot: ANTHROPIC_API_ROOT,
});

type AnthropicContext = AiProviderContext<typeof anthropicConnection>;

const rootOf = (ctx: AnthropicContext) =>
  apiRootOf(ctx.auth.baseUrl, {
    apiRoot: ANTHROPIC_API_ROOT,
    versionPath: '/v1',
    example: ANTHROPIC_API_ROOT,
  });

interface ModelPage {
  models: AiModelInfo[];
  hasMore: boolean;
  lastId: string | undefined;
}

/** `{ data: [{ type: "model", id, display_name }], has_more, last_id }`. */
function readModelPage(body: unknown): ModelPage | undefined {
  if (!isRecord(body) || !Array.isArray(body.data)) return undefined;
  const models = body.data.flatMap((m) =>
    isRecord(m) && typeof m.id === 'string'
      ? [{ id: m.id, displayName: typeof m.display_name === 'string' ? m.display_name : m.id }]
      : [],
  );
  return {
    models,
    hasMore: body.has_more === true,
    lastId: typeof body.last_id === 'string' ? body.last_id : undefined,
  };
}

/** Every model of GET /v1/models, following `has_more` / `last_id`, in Anthropic's order. */
async function fetchModels(ctx: AnthropicContext): Promise<AiModelInfo[]> {
  const apiKey = requireKey(ctx.auth.apiKey, 'anthropic');
  const root = rootOf(ctx);
  const models: AiModelInfo[] = [];
  let after: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const query = new URLSearchParams({ limit: '1000', ...(after ? { after_id: after } : {}) });
    const found = await getProviderJson(
      ctx,
      {
        url: `${root}/models?${query}`,
        headers: { 'x-api-key': apiKey, 'anthropic-version': ANTHROPIC_VERSION },
      },
      { family: 'anthropic', baseUrl: root, secrets: [apiKey] },
      readModelPage,
    );
    models.push(...found.models);
    if (!found.hasMore || !found.lastId) break;
    after = found.lastId;
  }
  return models;
}

export const anthropicProvider = defineAiProvider({
  id: 'anthropic',
  displayName: 'Anthropic',
  description: 'Claude models through the Anthropic API.',
  auth: anthropicConnection,

  /** Anthropic's own order: newest first, which is the order people choose from. */
  listModels: fetchModels,

  languageModel(ctx, modelId) {
    // Key and base URL always passed: the SDK would otherwise read ANTHROPIC_API_KEY /
    // ANTHROPIC_BASE_URL from the PMOS process.
    return createAnthropic({
      apiKey: requireKey(ctx.auth.apiKey, 'anthropic'),
      baseURL: rootOf(ctx),
      fetch: ctx.http,
    }).messages(modelId);
  },

  healthCheck(ctx) {
    return reportListing(
      async () => {
        const models = await fetchModels(ctx);
        return { count: models.length, featured: models.slice(0, 3).map((m) => m.id) };
      },
      {
        connected: 'Connected to Anthropic',
        empty: 'Anthropic accepted the key, but lists no models for it.',
      },
    );
  },
});
