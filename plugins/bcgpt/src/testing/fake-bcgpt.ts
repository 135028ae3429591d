/**
 * A fake BCGPT for the plugin's tests, on `fakeHttp` from `@pmos/sdk/testing`. It answers
 * like the real server does (reference bcgpt-basecamp.md §1), not like the MCP spec:
 * - `POST /mcp`: one JSON-RPC object in, one out, always HTTP 200 application/json;
 *   `initialize`, `tools/list` and `ping` work without a valid key;
 * - `tools/call` results are the raw payload (`{projects:[…], count}`), no `content[]`
 *   (a test can switch to `content[]` to play a spec-compliant proxy);
 * - errors carry a string `code` with `category`, `retryable`, `retry_after_ms`;
 *   Basecamp tools without a linked login fail with `NOT_AUTHENTICATED`;
 * - lists longer than the threshold come back chunked (`<key>_payload_key` …) and are
 *   fetched with `get_cached_payload_chunk`;
 * - `POST /action/startbcgpt` answers the status object.
 */
import { type FakeHttp, type FakeRequest, fakeHttp, jsonResponse } from '@pmos/sdk/testing';

export const BCGPT = 'https://bcgpt.wickedlab.io';

export interface FakeUserKey {
  user: { name: string; email: string };
  /** Whether Basecamp OAuth is linked to the key. */
  linked: boolean;
  accounts: { id: number; name: string }[];
  selectedAccountId: number | null;
}

export interface FakeTodo {
  id: number;
  content: string;
  description: string;
  completed: boolean;
  due_on: string | null;
  starts_on: string | null;
  assignees: { id: number; name: string }[];
  todolist_id: number;
  project_id: number;
  app_url: string;
}

export interface FakeWireError {
  code: string | number;
  message: string;
  category?: string;
  retryable?: boolean;
  retry_after_ms?: number;
  status?: number;
  action?: string;
}

interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
  key: string | null;
}

export function createFakeBcgpt(options: { base?: string; hosts?: readonly string[] } = {}) {
  const base = options.base ?? BCGPT;
  const keys = new Map<string, FakeUserKey>();
  const projects = [
    {
      id: 1001,
      name: 'Launch',
      status: 'active',
      app_url: `https://3.basecamp.com/99/projects/1001`,
    },
    {
      id: 1002,
      name: 'Hiring',
      status: 'active',
      app_url: `https://3.basecamp.com/99/projects/1002`,
    },
  ];
  const todolists = [
    { id: 2001, project_id: 1001, name: 'Website', title: 'Website', completed_ratio: '0/2' },
    { id: 2002, project_id: 1001, name: 'Press', title: 'Press', completed_ratio: '0/0' },
  ];
  const people = [
    { id: 501, name: 'Ada Lovelace', email_address: 'ada@example.com' },
    { id: 502, name: 'Charles Babbage', email_address: 'charles@example.com' },
  ];
  const todos: FakeTodo[] = [];
  const messages: Record<string, unknown>[] = [
    { id: 4001, subject: 'Kick-off', content: '<p>Hello</p>', board_id: 3001, project_id: 1001 },
  ];
  const comments: Record<string, unknown>[] = [];
  const cache = new Map<string, unknown[][]>();
  let nextId = 9000;
  /** Errors to answer once for a tool, in order. */
  const failures = new Map<string, FakeWireError[]>();
  const state = { chunkThreshold: 200, chunkSize: 50, contentResults: false };
  const toolCalls: ToolCall[] = [];

  const addTodo = (t: Partial<FakeTodo> & { content: string; todolist_id: number }): FakeTodo => {
    const list = todolists.find((l) => l.id === t.todolist_id);
    const id = t.id ?? nextId++;
    const todo: FakeTodo = {
      id,
      description: '',
      completed: false,
      due_on: null,
      starts_on: null,
      assignees: [],
      project_id: list?.project_id ?? 1001,
      app_url: `https://3.basecamp.com/99/buckets/${list?.project_id ?? 1001}/todos/${id}`,
      ...t,
    };
    todos.push(todo);
    return todo;
  };
  addTodo({ id: 3101, content: 'Write the landing page', todolist_id: 2001, due_on: '2026-12-01' });
  addTodo({
    id: 3102,
    content: 'Pick a domain',
    todolist_id: 2001,
    assignees: [{ id: 501, name: 'Ada Lovelace' }],
  });

  class ToolFailure extends Error {
    constructor(readonly wire: FakeWireError) {
      super(wire.message);
    }
  }
  const fail = (code: string, message: string, extra: Partial<FakeWireError> = {}): never => {
    throw new ToolFailure({ code, message, category: 'input', retryable: false, ...extra });
  };

  const projectOf = (value: unknown) => {
    const s = String(value ?? '')
      .trim()
      .toLowerCase();
    const found = projects.find((p) => String(p.id) === s || p.name.toLowerCase() === s);
    return found ?? fail('NO_MATCH', `No project matches "${String(value)}"`);
  };
  const todoOf = (value: unknown) =>
    todos.find((t) => t.id === Number(value)) ??
    fail('RESOURCE_NOT_FOUND', `Todo ${String(value)} not found`, { category: 'data' });

  /** BCGPT's chunk envelope for a list longer than the threshold. */
  const list = (key: string, items: unknown[], extra: Record<string, unknown> = {}) => {
    if (items.length <= state.chunkThreshold)
      return { ...extra, [key]: items, count: items.length };
    const chunks: unknown[][] = [];
    for (let i = 0; i < items.length; i += state.chunkSize) {
      chunks.push(items.slice(i, i + state.chunkSize));
    }
    const payloadKey = `pk_${cache.size + 1}`;
    cache.set(payloadKey, chunks);
    return {
      ...extra,
      [key]: chunks[0],
      [`${key}_count`]: items.length,
      [`${key}_cached`]: true,
      [`${key}_payload_key`]: payloadKey,
      [`${key}_chunk_count`]: chunks.length,
      count: items.length,
    };
  };

  const tools: Record<string, (a: Record<string, unknown>) => unknown> = {
    list_projects: (a) =>
      list('projects', a.archived === true ? [] : projects.map((p) => ({ ...p }))),
    find_project: (a) => ({ project: projectOf(a.name) }),
    get_project: (a) => {
      const p = projectOf(a.project_id);
      return {
        project: {
          ...p,
          dock: [
            { id: 3001, name: 'message_board', title: 'Message Board', enabled: true },
            { id: 3002, name: 'todoset', title: 'To-dos', enabled: true },
          ],
        },
      };
    },
    list_todolists: (a) => {
      const p = projectOf(a.project);
      return list(
        'todolists',
        todolists.filter((l) => l.project_id === p.id),
        { project: { id: p.id, name: p.name } },
      );
    },
    list_todos_for_list: (a) => {
      projectOf(a.project);
      return list(
        'todos',
        todos.filter((t) => t.todolist_id === Number(a.todolist_id)),
      );
    },
    get_todo: (a) => ({ todo: todoOf(a.todo_id) }),
    create_todo: (a) => {
      const p = projectOf(a.project);
      const listId = Number(a.todolist ?? todolists.find((l) => l.project_id === p.id)?.id);
      const content = a.task ?? a.content;
      if (!content) fail('MISSING_FIELDS', 'task or content is required');
      const ids = Array.isArray(a.assignee_ids) ? (a.assignee_ids as number[]) : [];
      return {
        todo: addTodo({
          content: String(content),
          todolist_id: listId,
          description: typeof a.description === 'string' ? a.description : '',
          due_on: typeof a.due_on === 'string' ? a.due_on : null,
          starts_on: typeof a.starts_on === 'string' ? a.starts_on : null,
          assignees: people.filter((x) => ids.includes(x.id)).map(({ id, name }) => ({ id, name })),
        }),
      };
    },
    update_todo_details: (a) => {
      projectOf(a.project);
      const todo = todoOf(a.todo_id);
      if (typeof a.content === 'string') todo.content = a.content;
      if (typeof a.description === 'string') todo.description = a.description;
      if (typeof a.due_on === 'string') todo.due_on = a.due_on;
      return { todo };
    },
    complete_todo: (a) => {
      projectOf(a.project);
      todoOf(a.todo_id).completed = true;
      return { message: 'Todo completed', todo_id: Number(a.todo_id), completed: true };
    },
    uncomplete_todo: (a) => {
      projectOf(a.project);
      todoOf(a.todo_id).completed = false;
      return { message: 'Todo reopened', todo_id: Number(a.todo_id), completed: false };
    },
    move_todo: (a) => {
      projectOf(a.project);
      todoOf(a.todo_id).todolist_id = Number(a.target_todolist_id);
      return { todo_id: Number(a.todo_id), target_todolist_id: Number(a.target_todolist_id) };
    },
    trash_todo: (a) => {
      projectOf(a.project);
      const todo = todoOf(a.todo_id);
      todos.splice(todos.indexOf(todo), 1);
      return { todo_id: todo.id, trashed: true };
    },
    list_todos_due: (a) =>
      list(
        'todos',
        todos.filter((t) => t.due_on && (!a.project || t.project_id === projectOf(a.project).id)),
      ),
    list_assigned_to_me: (a) =>
      list(
        'todos',
        todos.filter(
          (t) =>
            t.assignees.some((x) => x.id === 501) &&
            (!a.project || t.project_id === projectOf(a.project).id),
        ),
      ),
    list_messages: (a) => {
      const p = projectOf(a.project);
      return list(
        'messages',
        messages.filter((m) => m.project_id === p.id),
      );
    },
    create_message: (a) => {
      const p = projectOf(a.project);
      if (!a.subject) fail('MISSING_FIELDS', 'subject is required');
      const message = {
        id: nextId++,
        subject: a.subject,
        content: a.content ?? '',
        status: a.status ?? 'active',
        board_id: Number(a.board_id),
        project_id: p.id,
      };
      messages.push(message);
      return { message };
    },
    list_comments: (a) => {
      projectOf(a.project);
      return list(
        'comments',
        comments.filter((c) => c.recording_id === Number(a.recording_id)),
      );
    },
    create_comment: (a) => {
      projectOf(a.project);
      const comment = {
        id: nextId++,
        recording_id: Number(a.recording_id),
        content: a.content ?? a.html,
      };
      comments.push(comment);
      return { comment };
    },
    list_project_people: (a) => {
      projectOf(a.project);
      return list('people', people);
    },
    search_basecamp: (a) => {
      const q = String(a.query ?? '').toLowerCase();
      return list(
        'results',
        todos
          .filter((t) => t.content.toLowerCase().includes(q))
          .map((t) => ({ id: t.id, type: 'Todo', title: t.content, app_url: t.app_url })),
      );
    },
    get_cached_payload_chunk: (a) => {
      const chunks = cache.get(String(a.payload_key));
      if (!chunks) return { chunk: [], next_index: null, done: true };
      const index = Math.max(0, Number(a.index) || 0);
      const next = index + 1 < chunks.length ? index + 1 : null;
      return {
        collection_key: 'items',
        chunk: chunks[index] ?? [],
        next_index: next,
        done: next === null,
        total_chunks: chunks.length,
      };
    },
  };

  const keyOf = (request: FakeRequest): string | null =>
    request.headers['x-bcgpt-api-key'] ??
    request.headers['x-api-key'] ??
    request.headers.authorization?.replace(/^Bearer\s+/i, '') ??
    null;

  const connectUrl = `${base}/connect`;
  const rpc = (id: unknown, body: Record<string, unknown>) =>
    jsonResponse({ jsonrpc: '2.0', id, ...body });

  const mcp = (request: FakeRequest) => {
    const message = request.body as {
      id?: unknown;
      method?: string;
      params?: { name?: string; arguments?: Record<string, unknown>; protocolVersion?: string };
    };
    const key = keyOf(request);
    switch (message.method) {
      case 'initialize':
        return rpc(message.id, {
          result: {
            protocolVersion: message.params?.protocolVersion ?? '2025-06-18',
            capabilities: { logging: {}, prompts: {}, resources: {}, tools: { listChanged: true } },
            serverInfo: { name: 'bcgpt', version: '3.1' },
          },
        });
      case 'ping':
        return rpc(message.id, { result: {} });
      case 'tools/list':
        // No key needed: tools/list proves nothing about the key.
        return rpc(message.id, {
          result: {
            tools: Object.keys(tools).map((name) => ({
              name,
              description: `BCGPT tool ${name}`,
              inputSchema: { type: 'object', properties: {}, additionalProperties: false },
            })),
          },
        });
      case 'tools/call': {
        const name = message.params?.name ?? '';
        const args = message.params?.arguments ?? {};
        toolCalls.push({ name, arguments: args, key });
        const queued = failures.get(name)?.shift();
        if (queued) return rpc(message.id, { error: queued });
        const tool = tools[name];
        if (!tool) {
          return rpc(message.id, {
            error: {
              code: 'TOOL_NOT_ENABLED',
              message: `Unknown tool: ${name}`,
              category: 'feature',
              retryable: false,
            },
          });
        }
        const owner = key ? keys.get(key) : undefined;
        if (!owner?.linked) {
          return rpc(message.id, {
            error: {
              code: 'NOT_AUTHENTICATED',
              message: 'Not authenticated with Basecamp',
              category: 'auth',
              retryable: false,
              action: 'reauth',
            },
          });
        }
        try {
          const result = tool(args);
          return rpc(message.id, {
            result: state.contentResults
              ? { content: [{ type: 'text', text: JSON.stringify(result) }] }
              : result,
          });
        } catch (error) {
          if (error instanceof ToolFailure) return rpc(message.id, { error: error.wire });
          throw error;
        }
      }
      default:
        return rpc(message.id, {
          error: { code: -32601, message: `Method not found: ${message.method}` },
        });
    }
  };

  const startbcgpt = (request: FakeRequest) => {
    const key = keyOf(request);
    const owner = key ? keys.get(key) : undefined;
    if (!owner) {
      return {
        connected: false,
        basecamp_connected: false,
        user: null,
        connect_url: connectUrl,
        message: 'Invalid or missing API key.',
      };
    }
    return {
      connected: true,
      basecamp_connected: owner.linked,
      user: owner.user,
      user_key: `user_${owner.user.email}`,
      api_key: key,
      selected_account_id: owner.selectedAccountId,
      accounts: owner.accounts,
      connect_url: `${base}/connect?api_key=${key}`,
      reauth_url: `${base}/auth/basecamp/start?state=${key}`,
      select_account_endpoint: `${base}/select_account`,
      logout_url: `${base}/logout`,
      message: owner.linked ? 'Connected to Basecamp.' : 'Basecamp is not connected yet.',
    };
  };

  const http: FakeHttp = fakeHttp(
    {
      [`POST ${base}/mcp`]: mcp,
      [`POST ${base}/action/startbcgpt`]: startbcgpt,
    },
    { hosts: options.hosts },
  );

  return {
    http,
    base,
    todos,
    todolists,
    toolCalls,
    state,
    addKey(key: string, value: FakeUserKey) {
      keys.set(key, value);
    },
    addTodo,
    /** The next calls of `tool` fail with these errors, in order. */
    failNext(tool: string, ...errors: FakeWireError[]) {
      failures.set(tool, [...(failures.get(tool) ?? []), ...errors]);
    },
  };
}

export type FakeBcgpt = ReturnType<typeof createFakeBcgpt>;
