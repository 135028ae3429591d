/**
 * A fake Gemini API (generativelanguage.googleapis.com) on a loopback port, speaking the
 * real wire format:
 * - `GET /v1beta/models?pageSize&pageToken` → `{ models: [{ name: "models/…", displayName,
 *   inputTokenLimit, supportedGenerationMethods }], nextPageToken }`;
 * - `POST /v1beta/models/{id}:generateContent` → one `GenerateContentResponse`;
 *   `:streamGenerateContent?alt=sse` → SSE chunks of the same shape, text in pieces,
 *   `functionCall` parts whole (Gemini does not split arguments), the last with `finishReason`;
 * - the key in `x-goog-api-key` or `?key=`; errors in Google's shape `{ error: { code,
 *   message, status, details } }`: `INVALID_ARGUMENT` + `API_KEY_INVALID`, `PERMISSION_DENIED`
 *   without a key, `NOT_FOUND`, `RESOURCE_EXHAUSTED` (per-day quota or per-minute rate),
 *   `UNAVAILABLE`, `INTERNAL`.
 */
import type { ServerResponse } from 'node:http';
import {
  type FakeProblem,
  type FakeProvider,
  type FakeProviderOptions,
  type FakeTurn,
  type RecordedRequest,
  sendEvents,
  sendJson,
  splitText,
  startLoopbackServer,
  TurnScript,
  usageOf,
} from './fake-server.js';

export const FAKE_GOOGLE_KEY = 'AIzaFakeTestKey-0123456789abcdefghijklmn';
/** Chat models plus an embedding model and AQA, which cannot chat. */
export const FAKE_GOOGLE_MODELS = [
  'gemini-2.0-flash',
  'gemini-2.5-flash',
  'gemini-2.5-pro',
  'text-embedding-004',
  'aqa',
];

function methodsOf(id: string): string[] {
  if (id.includes('embedding')) return ['embedContent', 'batchEmbedContents'];
  if (id === 'aqa') return ['generateAnswer'];
  return ['generateContent', 'countTokens', 'createCachedContent'];
}

function googleError(
  res: ServerResponse,
  code: number,
  status: string,
  message: string,
  details?: unknown[],
): void {
  sendJson(res, code, { error: { code, message, status, ...(details ? { details } : {}) } });
}

function sendProblem(res: ServerResponse, problem: FakeProblem, model: string) {
  const quota = (quotaId: string) => ({
    '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
    violations: [
      {
        quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
        quotaId,
        quotaDimensions: { location: 'global', model },
        quotaValue: '10',
      },
    ],
  });
  const tooMany =
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.';
  switch (problem) {
    case 'invalid_key':
      return googleError(
        res,
        400,
        'INVALID_ARGUMENT',
        'API key not valid. Please pass a valid API key.',
        [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
        ],
      );
    case 'model_not_found':
      return googleError(
        res,
        404,
        'NOT_FOUND',
        `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      );
    case 'quota_exhausted':
      return googleError(res, 429, 'RESOURCE_EXHAUSTED', tooMany, [
        quota('GenerateRequestsPerDayPerProjectPerModel-FreeTier'),
      ]);
    case 'rate_limited':
      return googleError(res, 429, 'RESOURCE_EXHAUSTED', tooMany, [
        quota('GenerateRequestsPerMinutePerProjectPerModel-FreeTier'),
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '17s' },
      ]);
    case 'overloaded':
      return googleError(
        res,
        503,
        'UNAVAILABLE',
        'The model is overloaded. Please try again later.',
      );
    case 'server_error':
      return googleError(
        res,
        500,
        'INTERNAL',
        'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      );
  }
}

function partsOf(turn: FakeTurn): Record<string, unknown>[] {
  return [
    ...(turn.text ? [{ text: turn.text }] : []),
    ...(turn.toolCalls ?? []).map((call) => ({
      functionCall: { name: call.name, args: call.args ?? {} },
    })),
  ];
}

function usageMetadata(turn: FakeTurn, body: unknown) {
  const usage = usageOf(turn, body);
  return {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: usage.outputTokens,
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
}

/** Starts a fake Gemini API on 127.0.0.1; close it after the test. */
export async function startFakeGoogle(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const apiKey = options.apiKey === undefined ? FAKE_GOOGLE_KEY : options.apiKey;
  const models = [...(options.models ?? FAKE_GOOGLE_MODELS)];
  const script = new TurnScript(options);
  const requests: RecordedRequest[] = [];
  let ids = 0;

  const listModels = (req: RecordedRequest, res: ServerResponse) => {
    const size = Math.min(
      Number(req.query.pageSize ?? 50) || 50,
      options.modelsPageSize ?? Number.POSITIVE_INFINITY,
    );
    const start = Number(req.query.pageToken ?? 0) || 0;
    const page = models.slice(start, start + size);
    sendJson(res, 200, {
      models: page.map((id) => ({
        name: `models/${id}`,
        version: '001',
        displayName: id
          .split('-')
          .map((word) => (word[0] ?? '').toUpperCase() + word.slice(1))
          .join(' '),
        inputTokenLimit: 1_048_576,
        outputTokenLimit: 65_536,
        supportedGenerationMethods: methodsOf(id),
      })),
      ...(start + size < models.length ? { nextPageToken: String(start + size) } : {}),
    });
  };

  const handle = async (req: RecordedRequest, res: ServerResponse) => {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
      string,
      unknown
    >;
    const call = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(
      req.path,
    );
    const model = call?.[1] ? decodeURIComponent(call[1]) : '';
    const failure = script.takeFailure();
    if (failure) return sendProblem(res, failure, model);
    const given = req.headers['x-goog-api-key'] ?? req.query.key;
    if (apiKey !== null && given !== apiKey) {
      return given
        ? sendProblem(res, 'invalid_key', model)
        : googleError(
            res,
            403,
            'PERMISSION_DENIED',
            "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
          );
    }
    if (req.method === 'GET' && req.path === '/v1beta/models') return listModels(req, res);
    if (req.method === 'POST' && call) {
      if (!models.includes(model) || !methodsOf(model).includes('generateContent')) {
        return sendProblem(res, 'model_not_found', model);
      }
      const stream = call[2] === 'streamGenerateContent';
      const turn = await script.next({ model, stream, body });
      if (!turn) {
        return googleError(
          res,
          500,
          'INTERNAL',
          `The fake Gemini API has no scripted turn left for request #${script.count}: pass more turns, a respond function or a fallbackTurn.`,
        );
      }
      if (turn.error) return sendProblem(res, turn.error, model);
      const responseId = `fake-response-${++ids}`;
      const response = (parts: Record<string, unknown>[], last: boolean) => ({
        candidates: [
          {
            content: { parts, role: 'model' },
            ...(last ? { finishReason: 'STOP' } : {}),
            index: 0,
          },
        ],
        ...(last ? { usageMetadata: usageMetadata(turn, body) } : {}),
        modelVersion: model,
        responseId,
      });
      if (!stream) return sendJson(res, 200, response(partsOf(turn), true));
      const chunks = [
        ...splitText(turn.text ?? '').map((text) => [{ text }]),
        ...(turn.toolCalls?.length ? [partsOf({ toolCalls: turn.toolCalls })] : []),
      ];
      const events = chunks.map(
        (parts, i) => `data: ${JSON.stringify(response(parts, i === chunks.length - 1))}\r\n\r\n`,
      );
      if (events.length === 0) events.push(`data: ${JSON.stringify(response([], true))}\r\n\r\n`);
      return sendEvents(res, events, options.chunkDelayMs);
    }
    return googleError(res, 404, 'NOT_FOUND', `Method not found: ${req.method} ${req.path}`);
  };

  const server = await startLoopbackServer(handle, requests);
  return {
    url: server.url,
    baseUrl: `${server.url}/v1beta`,
    host: server.host,
    apiKey,
    models,
    requests,
    chatRequests: () =>
      requests
        .filter((r) => /:(stream)?[gG]enerateContent$/.test(r.path))
        .map((r) => r.body as Record<string, unknown>),
    enqueue: (...turns) => script.enqueue(turns),
    failNext: (problem) => script.failNext(problem),
    close: server.close,
  };
}
