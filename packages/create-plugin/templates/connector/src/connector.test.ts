import { InvalidPropsError } from '@pmos/sdk/server';
import {
  createMemoryStore,
  createTestContext,
  fakeHttp,
  jsonResponse,
  loadOptions,
  runAction,
  runHealthCheck,
  runTrigger,
} from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import { pmos, version } from '../package.json';
import { API, type apiKey, CURSOR, connector, createTask, listTasks, newTask } from './connector';
import plugin from './server';

/** The hosts package.json declares: requests anywhere else fail here as they would in PMOS. */
const hosts = pmos.permissions.hosts;
const key = 'test-key';

const task = (id: number, title = `Task ${id}`) => ({
  id,
  title,
  status: 'open',
  createdAt: '2026-01-05T09:00:00Z',
});

describe('health check', () => {
  const routes = {
    [`GET ${API}/me`]: ({ headers }: { headers: Record<string, string> }) =>
      headers.authorization === `Bearer ${key}`
        ? { name: 'Ada' }
        : jsonResponse({ error: 'unauthorized' }, 401),
  };

  it('reports who the key belongs to', async () => {
    const { report } = await runHealthCheck(connector, { auth: key, http: routes, hosts });
    expect(report).toEqual({ ok: true, message: 'Connected as Ada' });
  });

  it('explains a refused key', async () => {
    const { report } = await runHealthCheck(connector, { auth: 'revoked', http: routes, hosts });
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/refused the API key/);
  });
});

describe('dropdowns', () => {
  it('lists the projects of the connection', async () => {
    const http = fakeHttp(
      {
        [`GET ${API}/projects`]: () => [
          { id: 'p1', name: 'Launch' },
          { id: 'p2', name: 'Hiring' },
        ],
      },
      { hosts },
    );
    const result = await loadOptions(createTask, 'project', { auth: key, http });
    expect(result).toMatchObject({
      kind: 'options',
      state: {
        options: [
          { label: 'Launch', value: 'p1' },
          { label: 'Hiring', value: 'p2' },
        ],
      },
    });
    expect(http.calls[0]?.headers.authorization).toBe(`Bearer ${key}`);
  });

  it('asks for a project before it lists assignees, then lists that project’s members', async () => {
    const http = fakeHttp(
      { [`GET ${API}/projects/p1/members`]: () => [{ id: 'u1', name: 'Grace' }] },
      { hosts },
    );
    const before = await loadOptions(createTask, 'assignee', { auth: key, http });
    expect(before).toMatchObject({ state: { disabled: true, options: [] } });
    expect(http.calls).toHaveLength(0);

    const after = await loadOptions(createTask, 'assignee', {
      auth: key,
      http,
      props: { project: 'p1' },
    });
    expect(after).toMatchObject({ state: { options: [{ label: 'Grace', value: 'u1' }] } });
    expect(http.calls.map((c) => c.url)).toEqual([`${API}/projects/p1/members`]);
  });
});

describe('actions', () => {
  it('lists open tasks by default', async () => {
    const { output, calls } = await runAction(listTasks, {
      auth: key,
      props: { project: 'p1' },
      hosts,
      http: {
        [`GET ${API}/projects/p1/tasks`]: ({ query }) =>
          query.get('status') === 'open' ? [task(1)] : [],
      },
    });
    expect(output).toEqual([task(1)]);
    expect(calls[0]?.url).toBe(`${API}/projects/p1/tasks?status=open`);
  });

  it('creates a task with the given fields', async () => {
    const { output, calls, logs } = await runAction(createTask, {
      auth: key,
      props: { project: 'p1', title: 'Ship it', assignee: 'u1' },
      hosts,
      http: {
        [`POST ${API}/projects/p1/tasks`]: ({ body }) =>
          jsonResponse({ ...task(7), ...(body as object) }, 201),
      },
    });
    expect(output).toMatchObject({ id: 7, title: 'Ship it', assigneeId: 'u1' });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: { title: 'Ship it', assigneeId: 'u1' },
    });
    expect(logs).toEqual([{ level: 'info', message: 'task created', data: { id: 7 } }]);
  });

  it('refuses a task without a title before any request', async () => {
    const run = runAction(createTask, { auth: key, props: { project: 'p1' }, hosts });
    await expect(run).rejects.toBeInstanceOf(InvalidPropsError);
    await expect(run).rejects.toThrow(/title/);
  });

  it('turns an API error into a readable message', async () => {
    const run = runAction(listTasks, {
      auth: key,
      props: { project: 'gone' },
      hosts,
      http: { [`GET ${API}/projects/gone/tasks`]: () => jsonResponse({}, 404) },
    });
    await expect(run).rejects.toThrow(/answered 404 to GET \/projects\/gone\/tasks/);
  });
});

describe('new task trigger', () => {
  it('starts from the newest task when a flow is enabled', async () => {
    const { ctx, store } = createTestContext<typeof apiKey, typeof newTask.props>(newTask.props, {
      auth: key,
      props: { project: 'p1' },
      hosts,
      http: { [`GET ${API}/projects/p1/tasks`]: () => [task(41)] },
    });
    await newTask.onEnable?.(ctx);
    expect(await store.get(CURSOR)).toBe(41);
  });

  it('returns each task once, keeping its cursor in the store', async () => {
    const store = createMemoryStore({ [CURSOR]: 41 });
    const http = fakeHttp(
      {
        [`GET ${API}/projects/p1/tasks`]: ({ query }) =>
          Number(query.get('since_id')) < 43 ? [task(43), task(42)] : [],
      },
      { hosts },
    );
    const first = await runTrigger(newTask, { auth: key, props: { project: 'p1' }, store, http });
    expect(first.events.map((t) => t.id)).toEqual([42, 43]);
    expect(await store.get(CURSOR)).toBe(43);

    const second = await runTrigger(newTask, { auth: key, props: { project: 'p1' }, store, http });
    expect(second.events).toEqual([]);
    expect(http.calls.map((c) => c.url)).toEqual([
      `${API}/projects/p1/tasks?since_id=41`,
      `${API}/projects/p1/tasks?since_id=43`,
    ]);
  });
});

describe('plugin', () => {
  it('matches package.json and contributes the connector', () => {
    expect(plugin).toMatchObject({ id: pmos.id, version, sdk: pmos.sdk });
    expect(plugin.contributes.connectors?.map((c) => c.id)).toEqual([connector.id]);
    expect(connector.actions.map((a) => a.id)).toEqual(['list_tasks', 'create_task']);
  });
});
