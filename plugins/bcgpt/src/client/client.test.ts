import { fakeHttp, jsonResponse } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { createFakeBcgpt } from '../testing/fake-bcgpt.js';
import { LINKED_KEY, UNLINKED_KEY, withTestKeys } from '../testing/keys.js';
import { createBcgptClient } from './client.js';
import {
  BcgptAuthError,
  BcgptError,
  BcgptRequestError,
  BcgptServiceError,
  BcgptTransportError,
} from './errors.js';

const hosts = pkg.pmos.permissions.hosts;
const signal = new AbortController().signal;

function setup(apiKey = LINKED_KEY) {
  const fake = withTestKeys(createFakeBcgpt({ hosts }));
  const waits: number[] = [];
  const client = createBcgptClient({
    http: fake.http.fetch,
    baseUrl: fake.base,
    apiKey,
    signal,
    sleep: async (ms) => void waits.push(ms),
  });
  return { fake, client, waits };
}

const rpcReply = (body: Record<string, unknown>) =>
  jsonResponse({ jsonrpc: '2.0', id: 1, ...body });

function clientAnswering(answer: () => unknown, apiKey = LINKED_KEY) {
  const http = fakeHttp(() => answer(), { hosts });
  return {
    http,
    client: createBcgptClient({
      http: http.fetch,
      baseUrl: 'https://bcgpt.wickedlab.io',
      apiKey,
      signal,
      sleep: async () => {},
    }),
  };
}

describe('BCGPT client: requests and results', () => {
  it('posts one JSON-RPC tools/call with the key in x-bcgpt-api-key and returns the raw result', async () => {
    const { fake, client } = setup();
    const result = await client.callTool('list_projects', { archived: false });
    expect(result).toMatchObject({ count: 2, projects: [{ name: 'Launch' }, { name: 'Hiring' }] });
    const call = fake.http.calls[0];
    expect(call).toMatchObject({
      method: 'POST',
      url: 'https://bcgpt.wickedlab.io/mcp',
      headers: { 'x-bcgpt-api-key': LINKED_KEY, 'content-type': 'application/json' },
      body: {
        jsonrpc: '2.0',
        method: 'tools/call',
        params: { name: 'list_projects', arguments: { archived: false } },
      },
    });
    expect(call?.body).toMatchObject({ id: expect.any(Number) });
  });

  it('accepts content[] results: JSON text, structuredContent, plain text', async () => {
    const { fake, client } = setup();
    fake.state.contentResults = true;
    await expect(client.callTool('find_project', { name: 'Hiring' })).resolves.toMatchObject({
      project: { id: 1002 },
    });
    const structured = clientAnswering(() =>
      rpcReply({
        result: { content: [{ type: 'text', text: 'ignored' }], structuredContent: { ok: 1 } },
      }),
    );
    await expect(structured.client.callTool('whoami')).resolves.toEqual({ ok: 1 });
    const text = clientAnswering(() =>
      rpcReply({ result: { content: [{ type: 'text', text: 'Done, 3 items.' }] } }),
    );
    await expect(text.client.callTool('smart_action')).resolves.toEqual({ text: 'Done, 3 items.' });
    // The MCP SDK's view of BCGPT: raw fields beside an empty content list.
    const mixed = clientAnswering(() => rpcReply({ result: { content: [], count: 0 } }));
    await expect(mixed.client.callTool('list_projects')).resolves.toEqual({ count: 0 });
  });

  it('turns an isError content result into a tool failure', async () => {
    const { client } = clientAnswering(() =>
      rpcReply({
        result: { isError: true, content: [{ type: 'text', text: 'MCP error -32602: bad id' }] },
      }),
    );
    await expect(client.callTool('get_todo')).rejects.toMatchObject({
      code: 'tool_failed',
      message: expect.stringContaining('bad id'),
    });
  });

  it('lists tools without a valid key, as BCGPT allows', async () => {
    const { fake, client } = setup('not-a-key');
    const tools = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('list_projects');
    expect(fake.http.calls[0]?.body).toMatchObject({ method: 'tools/list' });
  });
});

describe('BCGPT client: error mapping', () => {
  it('maps NOT_AUTHENTICATED to basecamp_not_linked', async () => {
    const { client } = setup(UNLINKED_KEY);
    const error = await client.callTool('list_projects').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BcgptAuthError);
    expect(error).toMatchObject({
      code: 'basecamp_not_linked',
      bcgptCode: 'NOT_AUTHENTICATED',
      category: 'auth',
      retryable: false,
    });
  });

  it.each([
    ['NO_ACCOUNT_ID', {}, BcgptAuthError, 'no_basecamp_account'],
    ['NOT_AUTHENTICATED', {}, BcgptAuthError, 'basecamp_not_linked'],
    ['TOOL_NOT_ENABLED', {}, BcgptRequestError, 'tool_unavailable'],
    ['TOOL_UNAVAILABLE', {}, BcgptRequestError, 'tool_unavailable'],
    [-32601, {}, BcgptRequestError, 'tool_unavailable'],
    ['INVALID_INPUT', {}, BcgptRequestError, 'invalid_input'],
    ['MISSING_FIELDS', {}, BcgptRequestError, 'invalid_input'],
    [-32602, {}, BcgptRequestError, 'invalid_input'],
    ['RESOURCE_NOT_FOUND', {}, BcgptRequestError, 'not_found'],
    ['NO_MATCH', {}, BcgptRequestError, 'not_found'],
    ['BASECAMP_API_ERROR', { status: 404 }, BcgptRequestError, 'not_found'],
    ['CONFIRM_REQUIRED', { action: 'confirm' }, BcgptRequestError, 'confirmation_required'],
    ['CIRCUIT_OPEN', { retryable: false }, BcgptServiceError, 'temporarily_unavailable'],
    ['BASECAMP_API_ERROR', { status: 422 }, BcgptServiceError, 'basecamp_error'],
    ['COMPLETE_TODO_ERROR', {}, BcgptServiceError, 'tool_failed'],
  ] as const)(
    'BCGPT code %s %o is mapped to its typed error',
    async (code, extra, type, expected) => {
      const { fake, client } = setup();
      fake.failNext('complete_todo', { code, message: 'It went wrong', ...extra });
      const error = await client
        .callTool('complete_todo', { project: 'Launch', todo_id: 3101 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      expect(error).toMatchObject({
        code: expected,
        bcgptCode: String(code),
        tool: 'complete_todo',
      });
      expect((error as Error).message).toContain('BCGPT says: "It went wrong"');
    },
  );

  it('maps HTTP answers that are not BCGPT replies', async () => {
    const refused = clientAnswering(() => jsonResponse({ error: 'nope' }, 401));
    await expect(refused.client.callTool('whoami')).rejects.toMatchObject({
      code: 'invalid_api_key',
      status: 401,
    });
    const down = clientAnswering(() => new Response('Bad gateway', { status: 502 }));
    await expect(down.client.callTool('whoami')).rejects.toMatchObject({
      code: 'temporarily_unavailable',
      status: 502,
    });
    const html = clientAnswering(() => new Response('<html>', { status: 200 }));
    await expect(html.client.callTool('whoami')).rejects.toBeInstanceOf(BcgptTransportError);
    const notRpc = clientAnswering(() => ({ hello: 'world' }));
    await expect(notRpc.client.callTool('whoami')).rejects.toMatchObject({
      code: 'invalid_response',
    });
    const moved = clientAnswering(() => new Response('gone', { status: 404 }));
    await expect(moved.client.callTool('whoami')).rejects.toMatchObject({
      code: 'invalid_response',
    });
  });

  it('reports an unreachable BCGPT without the key, and lets other errors through', async () => {
    const client = createBcgptClient({
      http: async () => {
        throw new TypeError('fetch failed', { cause: new Error(`ECONNREFUSED ${LINKED_KEY}`) });
      },
      baseUrl: 'https://bcgpt.example.org',
      apiKey: LINKED_KEY,
      signal,
    });
    const error = (await client.callTool('whoami').catch((e: unknown) => e)) as BcgptError;
    expect(error).toMatchObject({ code: 'unreachable' });
    expect(error.message).toBe(
      'BCGPT could not be reached at https://bcgpt.example.org (ECONNREFUSED ***).',
    );
    const aborted = createBcgptClient({
      http: async () => {
        throw new DOMException('aborted', 'AbortError');
      },
      baseUrl: 'https://bcgpt.example.org',
      apiKey: LINKED_KEY,
      signal,
    });
    await expect(aborted.callTool('whoami')).rejects.toThrow('aborted');
  });

  it('never puts the key in an error message', async () => {
    const { fake, client } = setup();
    fake.failNext('get_todo', { code: 'GET_TODO_ERROR', message: `key ${LINKED_KEY} refused` });
    const error = (await client.callTool('get_todo').catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain(LINKED_KEY);
    expect(error.message).toContain('key *** refused');
  });
});

describe('BCGPT client: retries', () => {
  const busy = { code: 'BASECAMP_API_ERROR', message: 'Rate limited', status: 429 };

  it('retries what BCGPT marks retryable, waiting retry_after_ms', async () => {
    const { fake, client, waits } = setup();
    fake.failNext(
      'list_projects',
      { ...busy, retryable: true, retry_after_ms: 1200 },
      { code: 'CIRCUIT_OPEN', message: 'Circuit open', retryable: true },
    );
    await expect(client.callTool('list_projects')).resolves.toMatchObject({ count: 2 });
    // 1200 as asked, then the doubled backoff (500 × 2) when no retry_after_ms was given.
    expect(waits).toEqual([1200, 1000]);
    expect(fake.toolCalls.map((c) => c.name)).toEqual([
      'list_projects',
      'list_projects',
      'list_projects',
    ]);
  });

  it('does not retry what BCGPT does not mark retryable', async () => {
    const { fake, client, waits } = setup();
    fake.failNext('create_todo', { ...busy, retryable: false, retry_after_ms: 10 });
    await expect(
      client.callTool('create_todo', { project: 'Launch', task: 'x' }),
    ).rejects.toMatchObject({ code: 'temporarily_unavailable', retryable: false });
    expect(waits).toEqual([]);
    expect(fake.toolCalls).toHaveLength(1);
  });

  it('gives up after three attempts, or at once when the wait is too long', async () => {
    const { fake, client, waits } = setup();
    const retryable = { ...busy, retryable: true, retry_after_ms: 5 };
    fake.failNext('list_projects', retryable, retryable, retryable);
    await expect(client.callTool('list_projects')).rejects.toMatchObject({
      code: 'temporarily_unavailable',
      retryAfterMs: 5,
    });
    expect(waits).toEqual([5, 5]);
    fake.failNext('whoami', { ...busy, retryable: true, retry_after_ms: 60_000 });
    await expect(client.callTool('whoami')).rejects.toMatchObject({ retryAfterMs: 60_000 });
    expect(waits).toEqual([5, 5]);
  });

  it('stops waiting when the run is cancelled', async () => {
    const fake = withTestKeys(createFakeBcgpt({ hosts }));
    const controller = new AbortController();
    const client = createBcgptClient({
      http: fake.http.fetch,
      baseUrl: fake.base,
      apiKey: LINKED_KEY,
      signal: controller.signal,
    });
    fake.failNext('list_projects', { ...busy, retryable: true, retry_after_ms: 5_000 });
    const started = Date.now();
    const pending = client.callTool('list_projects');
    setTimeout(() => controller.abort(new Error('Run cancelled')), 20);
    await expect(pending).rejects.toThrow('Run cancelled');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fake.toolCalls).toHaveLength(1);
  });
});

describe('BCGPT client: chunked payloads', () => {
  it('follows <key>_payload_key with get_cached_payload_chunk until done', async () => {
    const { fake, client } = setup();
    fake.state.chunkThreshold = 5;
    fake.state.chunkSize = 4;
    for (let i = 0; i < 9; i++) fake.addTodo({ content: `Extra ${i}`, todolist_id: 2002 });
    const result = await client.callTool('list_todos_for_list', {
      project: 'Launch',
      todolist_id: 2002,
    });
    expect((result.todos as { content: string }[]).map((t) => t.content)).toEqual(
      Array.from({ length: 9 }, (_, i) => `Extra ${i}`),
    );
    expect(result).toMatchObject({ todos_cached: false, todos_count: 9, todos_chunk_count: 3 });
    expect(fake.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['list_todos_for_list', { project: 'Launch', todolist_id: 2002 }],
      ['get_cached_payload_chunk', { payload_key: 'pk_1', index: 1 }],
      ['get_cached_payload_chunk', { payload_key: 'pk_1', index: 2 }],
    ]);
  });

  it('follows the top-level envelope of BCGPT list tools (payload_key, chunk_required)', async () => {
    const replies: unknown[] = [
      {
        projects: [{ id: 1 }],
        projects_preview: [{ id: 1 }],
        count: 3,
        cached: true,
        chunk_required: true,
        payload_key: 'pk_top',
        chunk_count: 3,
      },
      { chunk: [{ id: 2 }], next_index: 2, done: false },
      { chunk: [{ id: 3 }], next_index: null, done: true },
    ];
    const { http, client } = clientAnswering(() => rpcReply({ result: replies.shift() }));
    const result = await client.callTool('list_projects');
    expect(result).toMatchObject({
      projects: [{ id: 1 }, { id: 2 }, { id: 3 }],
      cached: false,
      chunk_required: false,
    });
    expect(http.calls.map((c) => (c.body as { params: unknown }).params)).toEqual([
      { name: 'list_projects', arguments: {} },
      { name: 'get_cached_payload_chunk', arguments: { payload_key: 'pk_top', index: 1 } },
      { name: 'get_cached_payload_chunk', arguments: { payload_key: 'pk_top', index: 2 } },
    ]);
  });

  it('stops a chunk loop that never ends', async () => {
    const { client } = clientAnswering(() =>
      rpcReply({
        result: {
          todos: [],
          todos_cached: true,
          todos_payload_key: 'pk_loop',
          todos_chunk_count: 'many',
          chunk: [{ id: 1 }],
          next_index: 1,
          done: false,
        },
      }),
    );
    await expect(client.callTool('list_todos_for_list')).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('kept sending chunks of "todos"'),
    });
  });

  it('leaves lists under the threshold alone', async () => {
    const { fake, client } = setup();
    const result = await client.callTool('list_projects');
    expect(result).not.toHaveProperty('projects_cached');
    expect(fake.toolCalls).toHaveLength(1);
  });
});

describe('BCGPT client: errors are BcgptErrors', () => {
  it('keeps one base class with a stable code', () => {
    const error = new BcgptServiceError('tool_failed', 'x');
    expect(error).toBeInstanceOf(BcgptError);
    expect(error.code).toBe('tool_failed');
  });
});
