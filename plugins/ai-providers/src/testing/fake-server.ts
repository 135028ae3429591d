/**
 * What the fake providers share: a loopback `node:http` server that records every request,
 * the script of model turns a test hands in, and the pieces a streamed answer is cut into.
 * Each fake (fake-openai.ts, fake-anthropic.ts, fake-google.ts) only adds its wire format.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, as the provider's API would have seen it. */
export interface RecordedRequest {
  method: string;
  /** The path without the query, e.g. "/v1/chat/completions". */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The JSON body parsed; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
}

export interface FakeToolCall {
  /** Default: a fresh id in the provider's style (call_…, toolu_…). */
  id?: string;
  name: string;
  /** The tool input; default {}. */
  args?: Record<string, unknown>;
}

/** Failures a fake answers in its provider's real error shape. */
export type FakeProblem =
  | 'invalid_key'
  | 'model_not_found'
  | 'quota_exhausted'
  | 'rate_limited'
  | 'overloaded'
  | 'server_error';

/** What the model says in one turn: text, tool calls (or both), or an error instead. */
export interface FakeTurn {
  text?: string;
  toolCalls?: FakeToolCall[];
  error?: FakeProblem;
  /** Default: estimated from the request and the answer (about 4 characters a token). */
  usage?: { inputTokens: number; outputTokens: number };
}

/** A chat request as a `respond` function sees it. */
export interface FakeChatRequest {
  model: string;
  stream: boolean;
  /** The body as the provider's API received it (messages, tools, …). */
  body: Record<string, unknown>;
  /** 0 for the fake's first chat request, then 1, 2 … */
  index: number;
}

export type FakeResponder = (request: FakeChatRequest) => FakeTurn | Promise<FakeTurn>;

export interface FakeProviderOptions {
  /** The key the fake accepts; `null` accepts any key or none (like Ollama). */
  apiKey?: string | null;
  /** The model ids it serves (and lists); chat requests for others get the provider's 404. */
  models?: string[];
  /** Turns answered in order, one per chat request. */
  turns?: FakeTurn[];
  /** Decides each chat request's turn instead of the queue. */
  respond?: FakeResponder;
  /** Answered when no turn is left; without it such a request fails loudly (HTTP 500). */
  fallbackTurn?: FakeTurn;
  /** A pause before each streamed event, in milliseconds (to watch streaming happen). */
  chunkDelayMs?: number;
  /** Models per page of the model list (to exercise pagination); default all in one. */
  modelsPageSize?: number;
}

/** A running fake provider. Point a connection's base URL at `baseUrl`. */
export interface FakeProvider {
  /** The origin, e.g. http://127.0.0.1:40123. */
  url: string;
  /** The API root a connection's base URL takes, e.g. http://127.0.0.1:40123/v1. */
  baseUrl: string;
  /** host:port, for PMOS_HTTP_PRIVATE_HOSTS (loopback is refused without it). */
  host: string;
  /** The key it accepts, or null for any. */
  apiKey: string | null;
  /** The model ids it serves; change it in place (push, splice) to change what it serves. */
  models: string[];
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** The bodies of the chat requests only: what the model was sent. */
  chatRequests(): Record<string, unknown>[];
  /** Adds turns to the queue. */
  enqueue(...turns: FakeTurn[]): void;
  /** Answers the next request (of any kind) with this failure. */
  failNext(problem: FakeProblem): void;
  close(): Promise<void>;
}

/** The queue of turns, the `respond` function and pending failures of one fake. */
export class TurnScript {
  private readonly queue: FakeTurn[];
  private readonly failures: FakeProblem[] = [];
  private chats = 0;

  constructor(private readonly options: FakeProviderOptions) {
    this.queue = [...(options.turns ?? [])];
  }

  enqueue(turns: FakeTurn[]): void {
    this.queue.push(...turns);
  }

  failNext(problem: FakeProblem): void {
    this.failures.push(problem);
  }

  takeFailure(): FakeProblem | undefined {
    return this.failures.shift();
  }

  /** The next turn for a chat request, or undefined when the script ran out. */
  async next(request: Omit<FakeChatRequest, 'index'>): Promise<FakeTurn | undefined> {
    const index = this.chats++;
    if (this.options.respond) return this.options.respond({ ...request, index });
    return this.queue.shift() ?? this.options.fallbackTurn;
  }

  /** How many chat requests came in so far. */
  get count(): number {
    return this.chats;
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export type FakeHandler = (request: RecordedRequest, res: ServerResponse) => Promise<void> | void;

/** Starts a `node:http` server on 127.0.0.1 (a free port) that records, then handles. */
export async function startLoopbackServer(
  handle: FakeHandler,
  requests: RecordedRequest[],
): Promise<{ url: string; host: string; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: await readBody(req),
      };
      requests.push(recorded);
      await handle(recorded, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake provider failed: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes server-sent events one by one (each already framed), pausing between them. */
export async function sendEvents(
  res: ServerResponse,
  events: string[],
  delayMs = 0,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
  for (const event of events) {
    if (delayMs > 0) await sleep(delayMs);
    // The client went away (a cancelled chat): stop like a real server would.
    if (res.destroyed) return;
    res.write(event);
  }
  res.end();
}

/** "Hello there, Ada." → ["Hello ", "there, ", "Ada."]: how providers stream text. */
export function splitText(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** A JSON text cut into three pieces, so tool arguments arrive over several chunks. */
export function splitJson(json: string): string[] {
  if (json.length < 3) return [json];
  const third = Math.ceil(json.length / 3);
  return [json.slice(0, third), json.slice(third, 2 * third), json.slice(2 * third)];
}

/** The usage a turn reports: its own, or about 4 characters a token. */
export function usageOf(
  turn: FakeTurn,
  requestBody: unknown,
): { inputTokens: number; outputTokens: number } {
  if (turn.usage) return turn.usage;
  const answer = (turn.text ?? '') + JSON.stringify(turn.toolCalls?.map((c) => c.args ?? {}) ?? []);
  return {
    inputTokens: Math.max(1, Math.ceil(JSON.stringify(requestBody ?? '').length / 4)),
    outputTokens: Math.max(1, Math.ceil(answer.length / 4)),
  };
}

/** "sk-proj-abc…xyz" → "sk-proj-****…wxyz": how OpenAI echoes a wrong key. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '****' : `${key.slice(0, 8)}${'*'.repeat(12)}${key.slice(-4)}`;
}
