/**
 * A fake OpenAI API on a loopback port, speaking the real wire format (and so every
 * OpenAI-compatible server's: start it with `apiKey: null` to play Ollama):
 * - `GET /v1/models` → `{ object: "list", data: [{ id, object: "model", created, owned_by }] }`;
 * - `POST /v1/chat/completions` with `stream: false` → a `chat.completion`; with `stream: true`
 *   → SSE `chat.completion.chunk` lines: text deltas, `delta.tool_calls[{ index, id, type,
 *   function: { name, arguments } }]` with the arguments split over several chunks, a chunk
 *   with `finish_reason`, a usage chunk when `stream_options.include_usage`, then `[DONE]`;
 * - errors in OpenAI's shape `{ error: { message, type, param, code } }`: a wrong key → 401
 *   `invalid_api_key` (echoing the key masked, as OpenAI does), an unknown model → 404
 *   `model_not_found`, and on demand 429 `insufficient_quota` / `rate_limit_exceeded`, 503, 500.
 */
import type { ServerResponse } from 'node:http';
import {
  type FakeProblem,
  type FakeProvider,
  type FakeProviderOptions,
  type FakeTurn,
  maskKey,
  type RecordedRequest,
  sendEvents,
  sendJson,
  splitJson,
  splitText,
  startLoopbackServer,
  TurnScript,
  usageOf,
} from './fake-server.js';

export const FAKE_OPENAI_KEY = 'sk-test-fake-openai-0123456789abcdef';
/** Chat models plus the kinds `/v1/models` also lists and PMOS must leave out. */
export const FAKE_OPENAI_MODELS = [
  'gpt-4.1',
  'gpt-4o-mini',
  'o3-mini',
  'text-embedding-3-small',
  'whisper-1',
  'dall-e-3',
];

/** A fixed time, so answers are the same on every run. */
const created = 1767225600;

function openAiError(
  res: ServerResponse,
  status: number,
  error: { message: string; type: string; code: string | null; param?: string | null },
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { param: null, ...error } }, headers);
}

function sendProblem(res: ServerResponse, problem: FakeProblem, model: string, key: string) {
  switch (problem) {
    case 'invalid_key':
      return openAiError(res, 401, {
        message: `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
    case 'model_not_found':
      return openAiError(res, 404, {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        code: 'model_not_found',
      });
    case 'quota_exhausted':
      return openAiError(res, 429, {
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      });
    case 'rate_limited':
      return openAiError(
        res,
        429,
        {
          message: `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
          type: 'requests',
          code: 'rate_limit_exceeded',
        },
        { 'retry-after': '20' },
      );
    case 'overloaded':
      return openAiError(res, 503, {
        message: 'The engine is currently overloaded, please try again later',
        type: 'server_error',
        code: null,
      });
    case 'server_error':
      return openAiError(res, 500, {
        message: 'The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
        code: null,
      });
  }
}

interface OpenAiToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

function chatCompletion(
  id: string,
  model: string,
  turn: FakeTurn,
  calls: OpenAiToolCall[],
  body: unknown,
) {
  const usage = usageOf(turn, body);
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: turn.text ?? null,
          refusal: null,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        logprobs: null,
        finish_reason: calls.length > 0 ? 'tool_calls' : 'stop',
      },
    ],
    usage: {
      prompt_tokens: usage.inputTokens,
      completion_tokens: usage.outputTokens,
      total_tokens: usage.inputTokens + usage.outputTokens,
    },
    system_fingerprint: 'fp_fake',
  };
}

function chunkEvents(
  id: string,
  model: string,
  turn: FakeTurn,
  calls: OpenAiToolCall[],
  body: Record<string, unknown>,
): string[] {
  const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
  const withUsage = streamOptions?.include_usage === true;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: 'fp_fake',
      choices,
      ...(withUsage ? { usage: null } : {}),
      ...extra,
    })}\n\n`;
  const delta = (d: Record<string, unknown>) =>
    chunk([{ index: 0, delta: d, finish_reason: null }]);
  const events = [delta({ role: 'assistant', content: '', refusal: null })];
  for (const piece of splitText(turn.text ?? '')) events.push(delta({ content: piece }));
  calls.forEach((call, index) => {
    events.push(
      delta({
        tool_calls: [
          {
            index,
            id: call.id,
            type: 'function',
            function: { name: call.function.name, arguments: '' },
          },
        ],
      }),
    );
    for (const piece of splitJson(call.function.arguments)) {
      events.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  events.push(
    chunk([{ index: 0, delta: {}, finish_reason: calls.length > 0 ? 'tool_calls' : 'stop' }]),
  );
  if (withUsage) {
    const usage = usageOf(turn, body);
    events.push(
      chunk([], {
        usage: {
          prompt_tokens: usage.inputTokens,
          completion_tokens: usage.outputTokens,
          total_tokens: usage.inputTokens + usage.outputTokens,
        },
      }),
    );
  }
  events.push('data: [DONE]\n\n');
  return events;
}

/** Starts a fake OpenAI (or OpenAI-compatible server) on 127.0.0.1; close it after the test. */
export async function startFakeOpenAi(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const apiKey = options.apiKey === undefined ? FAKE_OPENAI_KEY : options.apiKey;
  const models = [...(options.models ?? FAKE_OPENAI_MODELS)];
  const script = new TurnScript(options);
  const requests: RecordedRequest[] = [];
  let ids = 0;

  const handle = async (req: RecordedRequest, res: ServerResponse) => {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
      string,
      unknown
    >;
    const model = typeof body.model === 'string' ? body.model : '';
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const failure = script.takeFailure();
    if (failure) return sendProblem(res, failure, model, given);
    if (apiKey !== null && given !== apiKey) {
      if (!given) {
        return openAiError(res, 401, {
          message:
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
          type: 'invalid_request_error',
          code: null,
        });
      }
      return sendProblem(res, 'invalid_key', model, given);
    }
    if (req.method === 'GET' && req.path === '/v1/models') {
      return sendJson(res, 200, {
        object: 'list',
        data: models.map((id, i) => ({
          id,
          object: 'model',
          created: created - i * 86_400,
          owned_by: 'system',
        })),
      });
    }
    if (req.method === 'POST' && req.path === '/v1/chat/completions') {
      if (!models.includes(model)) return sendProblem(res, 'model_not_found', model, given);
      const stream = body.stream === true;
      const turn = await script.next({ model, stream, body });
      if (!turn) {
        return openAiError(res, 500, {
          message: `The fake OpenAI has no scripted turn left for chat request #${script.count}: pass more turns, a respond function or a fallbackTurn.`,
          type: 'server_error',
          code: null,
        });
      }
      if (turn.error) return sendProblem(res, turn.error, model, given);
      const id = `chatcmpl-fake${++ids}`;
      const calls: OpenAiToolCall[] = (turn.toolCalls ?? []).map((call, i) => ({
        id: call.id ?? `call_fake${ids}_${i}`,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
      }));
      if (!stream) return sendJson(res, 200, chatCompletion(id, model, turn, calls, body));
      return sendEvents(res, chunkEvents(id, model, turn, calls, body), options.chunkDelayMs);
    }
    return openAiError(res, 404, {
      message: `Invalid URL (${req.method} ${req.path})`,
      type: 'invalid_request_error',
      code: null,
    });
  };

  const server = await startLoopbackServer(handle, requests);
  return {
    url: server.url,
    baseUrl: `${server.url}/v1`,
    host: server.host,
    apiKey,
    models,
    requests,
    chatRequests: () =>
      requests
        .filter((r) => r.path.endsWith('/chat/completions'))
        .map((r) => r.body as Record<string, unknown>),
    enqueue: (...turns) => script.enqueue(turns),
    failNext: (problem) => script.failNext(problem),
    close: server.close,
  };
}
