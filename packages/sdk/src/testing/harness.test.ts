import { describe, expect, it } from 'vitest';
import { auth } from '../server/auth.js';
import { defineAction, defineConnector, defineTrigger } from '../server/define.js';
import { HostNotAllowedError, InvalidPropsError, PrivateHostError } from '../server/errors.js';
import { prop } from '../server/props.js';
import { fakeHttp, jsonResponse } from './fake-http.js';
import {
  createTestContext,
  loadOptions,
  runAction,
  runHealthCheck,
  runTrigger,
  scheduleOf,
} from './harness.js';
import { createMemoryStore } from './memory.js';

const apiKey = auth.secretText({ displayName: 'API key' });
const api = 'https://api.todo.example';

const project = prop.dropdown({
  displayName: 'Project',
  required: true,
  refreshers: [],
  async options(ctx) {
    const res = await ctx.http(`${api}/projects`, {
      headers: { authorization: `Bearer ${ctx.auth}` },
    });
    const list = (await res.json()) as { id: string; name: string }[];
    return { options: list.map((p) => ({ label: p.name, value: p.id })) };
  },
});

const createTodo = defineAction({
  id: 'create_todo',
  displayName: 'Create to-do',
  description: 'Adds a to-do to a project.',
  risk: 'write',
  auth: apiKey,
  props: { project, title: prop.shortText({ displayName: 'Title', required: true }) },
  async run(ctx) {
    const res = await ctx.http(`${api}/projects/${ctx.props.project}/todos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.auth}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: ctx.props.title }),
    });
    ctx.logger.info('created', { status: res.status });
    return (await res.json()) as { id: string; title: string };
  },
});

const newTodos = defineTrigger({
  id: 'new_todo',
  displayName: 'New to-do',
  description: 'Fires for each new to-do.',
  strategy: 'polling',
  auth: apiKey,
  props: {},
  async run(ctx) {
    const since = (await ctx.store.get<number>('cursor')) ?? 0;
    const res = await ctx.http(`${api}/todos?since=${since}`);
    const todos = (await res.json()) as { id: number }[];
    if (todos.length) await ctx.store.put('cursor', Math.max(...todos.map((t) => t.id)));
    return todos;
  },
});

const connector = defineConnector({
  id: 'todo',
  displayName: 'To-do',
  auth: apiKey,
  async healthCheck(ctx) {
    const res = await ctx.http(`${api}/me`, { headers: { authorization: `Bearer ${ctx.auth}` } });
    if (res.status === 401) return { ok: false, message: 'The API key was refused.' };
    const me = (await res.json()) as { name: string };
    return { ok: true, message: `Connected as ${me.name}` };
  },
  actions: [createTodo],
  triggers: [newTodos],
});

describe('@pmos/sdk/testing', () => {
  it('runs an action with validated props and records its requests', async () => {
    const result = await runAction(createTodo, {
      auth: 'k-123',
      props: { project: 'p1', title: 'Write docs' },
      hosts: ['api.todo.example'],
      http: {
        [`POST ${api}/projects/p1/todos`]: ({ body }) =>
          jsonResponse({ id: 't1', ...(body as object) }, 201),
      },
    });
    expect(result.output).toEqual({ id: 't1', title: 'Write docs' });
    expect(result.calls).toHaveLength(1);
    expect(result.calls[0]).toMatchObject({
      method: 'POST',
      headers: { authorization: 'Bearer k-123' },
      body: { title: 'Write docs' },
    });
    expect(result.logs).toEqual([{ level: 'info', message: 'created', data: { status: 201 } }]);
  });

  it('refuses inputs that do not fit the props, naming the prop', async () => {
    const run = runAction(createTodo, { auth: 'k', props: { project: 'p1' } });
    await expect(run).rejects.toBeInstanceOf(InvalidPropsError);
    await expect(run).rejects.toThrow(/title/);
  });

  it('refuses hosts the plugin did not declare, as PMOS does', async () => {
    const run = runAction(createTodo, {
      auth: 'k',
      props: { project: 'p1', title: 'x' },
      hosts: ['other.example'],
      http: () => ({}),
    });
    await expect(run).rejects.toBeInstanceOf(HostNotAllowedError);
  });

  it('fails loudly on a request no fake route answers', async () => {
    const run = runAction(createTodo, { auth: 'k', props: { project: 'p1', title: 'x' } });
    await expect(run).rejects.toThrow(/no route for POST https:\/\/api.todo.example\/projects/);
  });

  it('loads dropdown options, narrowed by the search text', async () => {
    const http = fakeHttp({
      [`GET ${api}/projects`]: () => [
        { id: 'p1', name: 'Launch' },
        { id: 'p2', name: 'Hiring' },
      ],
    });
    const all = await loadOptions(createTodo, 'project', { auth: 'k', http });
    expect(all).toMatchObject({
      kind: 'options',
      state: {
        options: [
          { label: 'Launch', value: 'p1' },
          { label: 'Hiring', value: 'p2' },
        ],
      },
    });
    const searched = await loadOptions(createTodo, 'project', {
      auth: 'k',
      http,
      searchValue: 'hir',
    });
    expect(searched).toMatchObject({ state: { options: [{ label: 'Hiring', value: 'p2' }] } });
    expect(http.calls).toHaveLength(2);
  });

  it('runs a polling trigger twice with its cursor kept in the store', async () => {
    const store = createMemoryStore();
    const http = fakeHttp({
      [`GET ${api}/todos`]: ({ query }) =>
        query.get('since') === '0' ? [{ id: 1 }, { id: 2 }] : [],
    });
    const first = await runTrigger(newTodos, { auth: 'k', store, http });
    expect(first.events).toEqual([{ id: 1 }, { id: 2 }]);
    expect(store.dump()).toEqual({ 'flow:cursor': 2 });
    const second = await runTrigger(newTodos, { auth: 'k', store, http });
    expect(second.events).toEqual([]);
    expect(http.calls.map((c) => c.url)).toEqual([`${api}/todos?since=0`, `${api}/todos?since=2`]);
  });

  it('runs a health check for a good and a refused key', async () => {
    const routes = {
      [`GET ${api}/me`]: ({ headers }: { headers: Record<string, string> }) =>
        headers.authorization === 'Bearer good'
          ? { name: 'Ada' }
          : jsonResponse({ error: 'unauthorized' }, 401),
    };
    const good = await runHealthCheck(connector, { auth: 'good', http: routes });
    expect(good.report).toEqual({ ok: true, message: 'Connected as Ada' });
    const bad = await runHealthCheck(connector, { auth: 'bad', http: routes });
    expect(bad.report).toEqual({ ok: false, message: 'The API key was refused.' });
  });
});

describe('@pmos/sdk/testing details', () => {
  it('applies the host rule to a ready-made fakeHttp too', async () => {
    const http = fakeHttp(() => ({}));
    const run = runAction(createTodo, {
      auth: 'k',
      props: { project: 'p1', title: 'x' },
      hosts: ['elsewhere.example'],
      http,
    });
    await expect(run).rejects.toBeInstanceOf(HostNotAllowedError);
    expect(http.calls).toEqual([]);
  });

  it('fills a prop left empty with its default value', async () => {
    const action = defineAction({
      id: 'greet',
      displayName: 'Greet',
      description: 'Greets.',
      risk: 'read',
      props: {
        greeting: prop.shortText({
          displayName: 'Greeting',
          required: true,
          defaultValue: 'Hello',
        }),
      },
      async run(ctx) {
        return ctx.props.greeting;
      },
    });
    expect((await runAction(action)).output).toBe('Hello');
    expect((await runAction(action, { props: { greeting: 'Hi' } })).output).toBe('Hi');
  });
});

describe('ctx.run in the harness', () => {
  const reply = defineAction({
    id: 'reply',
    displayName: 'Reply',
    description: 'Answers the webhook that started the run.',
    risk: 'read',
    props: { status: prop.number({ displayName: 'Status', required: true }) },
    async run(ctx) {
      const answer = {
        status: ctx.props.status,
        headers: { 'x-run': String(ctx.run.id) },
        body: { ok: true },
      };
      ctx.run.respond(answer);
      answer.body.ok = false; // what it changes afterwards is not what it answered
      return { runId: ctx.run.id, flowId: ctx.run.flowId, stepName: ctx.run.stepName };
    },
  });

  it('has null ids, as in a step test, and records each reply', async () => {
    const result = await runAction(reply, { props: { status: 202 } });
    expect(result.output).toEqual({ runId: null, flowId: null, stepName: null });
    expect(result.replies).toEqual([
      { status: 202, headers: { 'x-run': 'null' }, body: { ok: true } },
    ]);
  });

  it('takes run ids from the options', async () => {
    const result = await runAction(reply, {
      props: { status: 200 },
      run: { id: 'run_1', flowId: 'flow_1', stepName: 'step_2' },
    });
    expect(result.output).toEqual({ runId: 'run_1', flowId: 'flow_1', stepName: 'step_2' });
    expect(result.replies[0]?.headers).toEqual({ 'x-run': 'run_1' });
  });

  it('gives createTestContext callers the replies too', () => {
    const { ctx, replies } = createTestContext({}, {});
    ctx.run.respond({ status: 204 });
    expect(replies).toEqual([{ status: 204 }]);
  });
});

describe('schedule triggers in the harness', () => {
  const daily = defineTrigger({
    id: 'daily',
    displayName: 'Daily',
    description: 'Every day at a time.',
    strategy: 'schedule',
    props: { hour: prop.number({ displayName: 'Hour', required: true, defaultValue: 9 }) },
    schedule: (props) => ({ cron: `0 ${props.hour} * * *`, timezone: 'Europe/Berlin' }),
    async run(ctx) {
      return [ctx.payload as { firedAt: string }];
    },
  });

  it('passes a firing as PMOS does, now by default', async () => {
    const before = Date.now();
    const { events } = await runTrigger(daily);
    expect(Date.parse(events[0]?.firedAt ?? '')).toBeGreaterThanOrEqual(before);
    const given = await runTrigger(daily, { payload: { firedAt: '2026-03-01T08:00:00.000Z' } });
    expect(given.events).toEqual([{ firedAt: '2026-03-01T08:00:00.000Z' }]);
  });

  it('shows the schedule PMOS would register, from validated inputs', () => {
    expect(scheduleOf(daily)).toEqual({ cron: '0 9 * * *', timezone: 'Europe/Berlin' });
    expect(scheduleOf(daily, { props: { hour: '7' } })).toEqual({
      cron: '0 7 * * *',
      timezone: 'Europe/Berlin',
    });
    expect(() => scheduleOf(newTodos)).toThrow(
      'Trigger "new_todo" is a polling trigger, not a schedule',
    );
  });
});

describe('"*" hosts in the harness', () => {
  const fetchUrl = defineAction({
    id: 'fetch_url',
    displayName: 'Fetch URL',
    description: 'Fetches any public URL.',
    risk: 'read',
    props: { url: prop.shortText({ displayName: 'URL', required: true }) },
    async run(ctx) {
      return (await ctx.http(ctx.props.url)).status;
    },
  });

  it('treats names as public without DNS, and judges IP literals', async () => {
    const http = fakeHttp(() => new Response(null, { status: 204 }));
    const ok = await runAction(fetchUrl, {
      props: { url: 'https://anything.example/x' },
      hosts: ['*'],
      http,
    });
    expect(ok.output).toBe(204);
    await expect(
      runAction(fetchUrl, { props: { url: 'http://127.0.0.1:5432/' }, hosts: ['*'], http }),
    ).rejects.toBeInstanceOf(PrivateHostError);
    expect(http.calls.map((c) => c.url)).toEqual(['https://anything.example/x']);
  });

  it('resolves names with the resolver a test gives, and honours the allowed list', async () => {
    const options = {
      hosts: ['*'],
      http: () => ({}),
      resolveHost: async () => ['10.0.0.5'],
    };
    await expect(
      runAction(fetchUrl, { ...options, props: { url: 'http://wiki.corp/' } }),
    ).rejects.toThrow(/^wiki\.corp resolves to 10\.0\.0\.5, not a public address/);
    const allowed = await runAction(fetchUrl, {
      ...options,
      props: { url: 'http://wiki.corp/' },
      privateHostsAllowed: ['wiki.corp'],
    });
    expect(allowed.output).toBe(200);
  });
});
