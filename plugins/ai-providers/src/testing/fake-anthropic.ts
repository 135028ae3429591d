/**
 * A fake Anthropic API on a loopback port, speaking the real wire format:
 * - `GET /v1/models?limit&after_id` → `{ data: [{ type: "model", id, display_name, created_at }],
 *   has_more, first_id, last_id }` (pages of `modelsPageSize`);
 * - `POST /v1/messages` with `stream: true` → SSE `message_start`, `ping`,
 *   `content_block_start` / `content_block_delta` (`text_delta`, `input_json_delta` split over
 *   several events) / `content_block_stop` per block, `message_delta` with `stop_reason` and
 *   usage, `message_stop`; without `stream` → one `message`;
 * - `x-api-key` and `anthropic-version` checked as the real API does;
 * - errors in Anthropic's shape `{ type: "error", error: { type, message } }`:
 *   `authentication_error` 401, `not_found_error` 404, low credit 400, `rate_limit_error` 429,
 *   `overloaded_error` 529, `api_error` 500.
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
  splitJson,
  splitText,
  startLoopbackServer,
  TurnScript,
  usageOf,
} from './fake-server.js';

export const FAKE_ANTHROPIC_KEY = 'sk-ant-test-fake-0123456789abcdef';
/** Newest first, as Anthropic lists them. */
export const FAKE_ANTHROPIC_MODELS = [
  'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5-20251001',
  'claude-opus-4-1-20250805',
];

/** "claude-sonnet-4-5-20250929" → "Claude Sonnet 4.5", as Anthropic names them. */
export function anthropicDisplayName(id: string): string {
  const words = id.replace(/-\d{8}$/, '').split('-');
  const name = words.filter((w) => !/^\d+$/.test(w)).map((w) => w[0]?.toUpperCase() + w.slice(1));
  const version = words.filter((w) => /^\d+$/.test(w)).join('.');
  return [...name, version].filter(Boolean).join(' ');
}

function anthropicError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    status,
    { type: 'error', error: { type, message }, request_id: 'req_fake' },
    headers,
  );
}

function sendProblem(res: ServerResponse, problem: FakeProblem, model: string) {
  switch (problem) {
    case 'invalid_key':
      return anthropicError(res, 401, 'authentication_error', 'invalid x-api-key');
    case 'model_not_found':
      return anthropicError(res, 404, 'not_found_error', `model: ${model}`);
    case 'quota_exhausted':
      return anthropicError(
        res,
        400,
        'invalid_request_error',
        'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      );
    case 'rate_limited':
      return anthropicError(
        res,
        429,
        'rate_limit_error',
        'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.',
        { 'retry-after': '12' },
      );
    case 'overloaded':
      return anthropicError(res, 529, 'overloaded_error', 'Overloaded');
    case 'server_error':
      return anthropicError(res, 500, 'api_error', 'Internal server error');
  }
}

type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

function blocksOf(turn: FakeTurn, messageNo: number): Block[] {
  const blocks: Block[] = turn.text ? [{ type: 'text', text: turn.text }] : [];
  (turn.toolCalls ?? []).forEach((call, i) => {
    blocks.push({
      type: 'tool_use',
      id: call.id ?? `toolu_fake${messageNo}_${i}`,
      name: call.name,
      input: call.args ?? {},
    });
  });
  return blocks;
}

function streamEvents(id: string, model: string, turn: FakeTurn, blocks: Block[], body: unknown) {
  const usage = usageOf(turn, body);
  const event = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const events = [
    event('message_start', {
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.inputTokens,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 1,
        },
      },
    }),
    event('ping', {}),
  ];
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(
        event('content_block_start', { index, content_block: { type: 'text', text: '' } }),
      );
      for (const text of splitText(block.text)) {
        events.push(event('content_block_delta', { index, delta: { type: 'text_delta', text } }));
      }
    } else {
      events.push(
        event('content_block_start', {
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        }),
      );
      // Anthropic opens every tool input with an empty delta.
      for (const partial_json of ['', ...splitJson(JSON.stringify(block.input))]) {
        events.push(
          event('content_block_delta', {
            index,
            delta: { type: 'input_json_delta', partial_json },
          }),
        );
      }
    }
    events.push(event('content_block_stop', { index }));
  });
  events.push(
    event('message_delta', {
      delta: { stop_reason: stopReason(blocks), stop_sequence: null },
      usage: { output_tokens: usage.outputTokens },
    }),
    event('message_stop', {}),
  );
  return events;
}

const stopReason = (blocks: Block[]) =>
  blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';

/** Starts a fake Anthropic API on 127.0.0.1; close it after the test. */
export async function startFakeAnthropic(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const apiKey = options.apiKey === undefined ? FAKE_ANTHROPIC_KEY : options.apiKey;
  const models = [...(options.models ?? FAKE_ANTHROPIC_MODELS)];
  const script = new TurnScript(options);
  const requests: RecordedRequest[] = [];
  let ids = 0;

  const listModels = (req: RecordedRequest, res: ServerResponse) => {
    const limit = Math.min(
      Number(req.query.limit ?? 20) || 20,
      options.modelsPageSize ?? Number.POSITIVE_INFINITY,
    );
    const start = req.query.after_id ? models.indexOf(req.query.after_id) + 1 : 0;
    const page = models.slice(start, start + limit);
    sendJson(res, 200, {
      data: page.map((id, i) => ({
        type: 'model',
        id,
        display_name: anthropicDisplayName(id),
        created_at: new Date(Date.UTC(2025, 9, 1) - (start + i) * 86_400_000).toISOString(),
      })),
      has_more: start + limit < models.length,
      first_id: page[0] ?? null,
      last_id: page.at(-1) ?? null,
    });
  };

  const handle = async (req: RecordedRequest, res: ServerResponse) => {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
      string,
      unknown
    >;
    const model = typeof body.model === 'string' ? body.model : '';
    const failure = script.takeFailure();
    if (failure) return sendProblem(res, failure, model);
    if (apiKey !== null && req.headers['x-api-key'] !== apiKey) {
      return req.headers['x-api-key']
        ? sendProblem(res, 'invalid_key', model)
        : anthropicError(res, 401, 'authentication_error', 'x-api-key header is required');
    }
    if (!req.headers['anthropic-version']) {
      return anthropicError(
        res,
        400,
        'invalid_request_error',
        'anthropic-version: header is required',
      );
    }
    if (req.method === 'GET' && req.path === '/v1/models') return listModels(req, res);
    if (req.method === 'POST' && req.path === '/v1/messages') {
      if (!models.includes(model)) return sendProblem(res, 'model_not_found', model);
      const stream = body.stream === true;
      const turn = await script.next({ model, stream, body });
      if (!turn) {
        return anthropicError(
          res,
          500,
          'api_error',
          `The fake Anthropic has no scripted turn left for message request #${script.count}: pass more turns, a respond function or a fallbackTurn.`,
        );
      }
      if (turn.error) return sendProblem(res, turn.error, model);
      const id = `msg_fake${++ids}`;
      const blocks = blocksOf(turn, ids);
      if (stream) {
        return sendEvents(res, streamEvents(id, model, turn, blocks, body), options.chunkDelayMs);
      }
      const usage = usageOf(turn, body);
      return sendJson(res, 200, {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: blocks,
        stop_reason: stopReason(blocks),
        stop_sequence: null,
        usage: {
          input_tokens: usage.inputTokens,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: usage.outputTokens,
        },
      });
    }
    return anthropicError(res, 404, 'not_found_error', 'Not Found');
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
        .filter((r) => r.path === '/v1/messages')
        .map((r) => r.body as Record<string, unknown>),
    enqueue: (...turns) => script.enqueue(turns),
    failNext: (problem) => script.failNext(problem),
    close: server.close,
  };
}
