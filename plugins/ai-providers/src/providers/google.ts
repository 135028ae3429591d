import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { type AiModelInfo, type AiProviderContext, defineAiProvider } from '@pmos/sdk/server';
import { apiRootOf, hostedConnection, requireKey } from '../connection.js';
import { isRecord } from '../explain/failure.js';
import { reportListing } from '../health.js';
import { getProviderJson } from '../http.js';
import { byId } from './openai-models.js';

export const GOOGLE_API_ROOT = 'https://generativelanguage.googleapis.com/v1beta';
/** Pages of the model list PMOS reads at most (1000 models each): a runaway guard. */
const maxPages = 10;

export const googleConnection = hostedConnection({
  description: 'A Gemini API key. PMOS uses it for the Gemini models you pick in chat and flows.',
  keyHelp: 'Create one at aistudio.google.com › Get API key.',
  apiRoot: GOOGLE_API_ROOT,
});

type GoogleContext = AiProviderContext<typeof googleConnection>;

const rootOf = (ctx: GoogleContext) =>
  apiRootOf(ctx.auth.baseUrl, {
    apiRoot: GOOGLE_API_ROOT,
    versionPath: '/v1beta',
    example: GOOGLE_API_ROOT,
  });

interface ModelPage {
  models: AiModelInfo[];
  nextPageToken: string | undefined;
}

/**
 * `{ models: [{ name: "models/…", displayName, inputTokenLimit, supportedGenerationMethods }],
 * nextPageToken }`: only models that answer `generateContent` can chat (not embeddings, AQA).
 */
function readModelPage(body: unknown): ModelPage | undefined {
  if (!isRecord(body)) return undefined;
  // An empty page comes back as `{}`.
  const list = body.models === undefined ? [] : body.models;
  if (!Array.isArray(list)) return undefined;
  const models = list.flatMap((m): AiModelInfo[] => {
    if (!isRecord(m) || typeof m.name !== 'string') return [];
    const methods = Array.isArray(m.supportedGenerationMethods) ? m.supportedGenerationMethods : [];
    if (!methods.includes('generateContent')) return [];
    const id = m.name.replace(/^models\//, '');
    const displayName = typeof m.displayName === 'string' && m.displayName ? m.displayName : id;
    return typeof m.inputTokenLimit === 'number' && m.inputTokenLimit > 0
      ? [{ id, displayName, contextWindow: m.inputTokenLimit }]
      : [{ id, displayName }];
  });
  const token = typeof body.nextPageToken === 'string' ? body.nextPageToken : undefined;
  return { models, nextPageToken: token || undefined };
}

/** Every chat model of GET /v1beta/models, following `nextPageToken`, sorted by id. */
async function fetchModels(ctx: GoogleContext): Promise<AiModelInfo[]> {
  const apiKey = requireKey(ctx.auth.apiKey, 'google');
  const root = rootOf(ctx);
  const models: AiModelInfo[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const query = new URLSearchParams({ pageSize: '1000', ...(pageToken ? { pageToken } : {}) });
    const found = await getProviderJson(
      ctx,
      // The key goes in a header, never in `?key=`: URLs end up in errors and logs.
      { url: `${root}/models?${query}`, headers: { 'x-goog-api-key': apiKey } },
      { family: 'google', baseUrl: root, secrets: [apiKey] },
      readModelPage,
    );
    models.push(...found.models);
    if (!found.nextPageToken) break;
    pageToken = found.nextPageToken;
  }
  return models.sort(byId);
}

/** Gemini models, highest version first ("gemini-2.5-pro" before "gemini-2.0-flash"). */
function featuredOf(models: AiModelInfo[]): string[] {
  const gemini = models.filter((m) => m.id.startsWith('gemini-'));
  return (gemini.length > 0 ? gemini : models)
    .map((m) => m.id)
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    .slice(0, 3);
}

export const googleProvider = defineAiProvider({
  id: 'google',
  displayName: 'Google Gemini',
  description: 'Gemini models through the Gemini API (Google AI Studio keys).',
  auth: googleConnection,

  listModels: fetchModels,

  languageModel(ctx, modelId) {
    // Key always passed: the SDK would otherwise read GOOGLE_GENERATIVE_AI_API_KEY.
    return createGoogleGenerativeAI({
      apiKey: requireKey(ctx.auth.apiKey, 'google'),
      baseURL: rootOf(ctx),
      fetch: ctx.http,
    }).languageModel(modelId.replace(/^models\//, ''));
  },

  healthCheck(ctx) {
    return reportListing(
      async () => {
        const models = await fetchModels(ctx);
        return { count: models.length, featured: featuredOf(models) };
      },
      {
        connected: 'Connected to Google Gemini',
        empty: 'Google accepted the key, but lists no Gemini models it may use for chat.',
      },
    );
  },
});
