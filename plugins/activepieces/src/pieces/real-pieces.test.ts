import type { ActionDefinition, ConnectorDefinition, TriggerDefinition } from '@pmos/sdk/server';
import { createMemoryStore, loadOptions, runAction, runTrigger } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { pieceToConnector } from '../adapter/connector.js';
import { isActivepiecesError } from '../errors.js';
import { catalog } from '../server.js';
import { fakeTodoist } from '../testing/fake-todoist.js';
import { asInstalled, framework } from '../testing/synthetic-pieces.js';

// The four published pieces this plugin ships, run through the SDK harness the way PMOS runs
// a step: inputs validated, ctx.http bound to the manifest's hosts, an in-memory store.
const connector = (id: string): ConnectorDefinition => {
  const found = catalog.connectors.find((c) => c.id === id);
  if (!found) throw new Error(`no connector ${id}`);
  return found;
};
const action = (c: string, id: string): ActionDefinition => {
  const found = connector(c).actions.find((a) => a.id === id);
  if (!found) throw new Error(`no action ${c}/${id}`);
  return found;
};
const trigger = (c: string, id: string): TriggerDefinition => {
  const found = connector(c).triggers?.find((t) => t.id === id);
  if (!found) throw new Error(`no trigger ${c}/${id}`);
  return found;
};
const hosts = pkg.pmos.permissions.hosts;
const inFlow = { id: 'run-1', flowId: 'flow-1', stepName: 'step_1' };

describe('the shipped pieces', () => {
  it('offer their actions with risks and their triggers', () => {
    const summary = Object.fromEntries(
      catalog.connectors.map((c) => [
        c.id,
        {
          auth: c.auth.kind,
          actions: Object.fromEntries(c.actions.map((a) => [a.id, a.risk])),
          triggers: (c.triggers ?? []).map((t) => `${t.id}:${t.strategy}`),
        },
      ]),
    );
    expect(summary).toEqual({
      'data-mapper': { auth: 'none', actions: { advanced_mapping: 'read' }, triggers: [] },
      delay: { auth: 'none', actions: { delay_for: 'read', delay_until: 'read' }, triggers: [] },
      store: {
        auth: 'none',
        actions: {
          get: 'read',
          put: 'write',
          append: 'write',
          remove_value: 'destructive',
          add_to_list: 'write',
          remove_from_list: 'destructive',
        },
        triggers: [],
      },
      todoist: {
        auth: 'oauth2',
        actions: { create_task: 'write' },
        triggers: ['task_completed:polling'],
      },
    });
    expect(connector('todoist').auth).toMatchObject({
      authUrl: 'https://todoist.com/oauth/authorize',
      tokenUrl: 'https://todoist.com/oauth/access_token',
      scopes: ['data:read_write'],
    });
  });

  it('Data Mapper returns its mapping, JSON text parsed', async () => {
    const { output } = await runAction(action('data-mapper', 'advanced_mapping'), {
      props: { mapping: '{"title":"Ship it","n":2}' },
    });
    expect(output).toEqual({ title: 'Ship it', n: 2 });
  });

  it('Delay waits a short delay itself, and refuses a long one that needs pausing the run', async () => {
    const { output } = await runAction(action('delay', 'delay_for'), {
      props: { unit: 'seconds', delayFor: 0.05 },
    });
    expect(output).toEqual({ delayForInMs: 50, success: true });
    const error = await runAction(action('delay', 'delay_for'), {
      props: { unit: 'minutes', delayFor: 5 },
    }).catch((e) => e);
    expect(isActivepiecesError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'piece_feature_unsupported',
      message:
        'Delay › Delay For needs pausing the run until later (ctx.run.pause), which PMOS does not offer yet.',
    });
  });

  it('Storage keeps PROJECT values for the workspace and FLOW values for the flow', async () => {
    const store = createMemoryStore();
    await runAction(action('store', 'put'), {
      store,
      run: inFlow,
      props: { key: 'greeting', value: 'hello', store_scope: 'COLLECTION' },
    });
    await runAction(action('store', 'put'), {
      store,
      run: inFlow,
      props: { key: 'count', value: '1', store_scope: 'FLOW' },
    });
    await runAction(action('store', 'append'), {
      store,
      run: inFlow,
      props: { key: 'greeting', value: ' world', store_scope: 'COLLECTION' },
    });
    const { output } = await runAction(action('store', 'get'), {
      store,
      run: inFlow,
      props: { key: 'greeting', store_scope: 'COLLECTION' },
    });
    expect(output).toBe('hello world');
    expect(store.dump()).toEqual({ 'workspace:greeting': 'hello world', 'flow:count': '1' });
    const missing = await runAction(action('store', 'get'), {
      store,
      run: inFlow,
      props: { key: 'nope', store_scope: 'FLOW' },
    });
    // The piece answers its (empty) default value for a missing key; PMOS records it as null.
    expect(missing.output).toBeUndefined();
  });

  it('Todoist creates a task through ctx.http, as the real API expects it', async () => {
    const todoist = fakeTodoist();
    const { output } = await runAction(action('todoist', 'create_task'), {
      auth: { accessToken: todoist.oauth.token, tokenType: 'Bearer', props: {} },
      props: {
        project_id: '2203306142',
        content: 'Write the launch note',
        labels: ['launch'],
        priority: 4,
        due_date: '2026-05-01',
      },
      http: { fetch: todoist.fetch, calls: [] },
      hosts,
    });
    expect(output).toMatchObject({
      id: '2995104339',
      content: 'Write the launch note',
      project_id: '2203306142',
      labels: ['launch'],
      priority: 4,
      due: { date: '2026-05-01', is_recurring: false },
      url: 'https://todoist.com/showTask?id=2995104339',
    });
    expect(todoist.requests).toEqual([
      {
        method: 'POST',
        url: 'https://api.todoist.com/rest/v2/tasks',
        authorization: `Bearer ${todoist.oauth.token}`,
        body: {
          content: 'Write the launch note',
          project_id: '2203306142',
          labels: ['launch'],
          priority: 4,
          due_date: '2026-05-01',
        },
      },
    ]);
  });

  it('Todoist’s project dropdown loads the projects with the connection', async () => {
    const todoist = fakeTodoist();
    const found = await loadOptions(action('todoist', 'create_task'), 'project_id', {
      auth: { accessToken: todoist.oauth.token, tokenType: 'Bearer', props: {} },
      http: { fetch: todoist.fetch, calls: [] },
      hosts,
    });
    expect(found).toMatchObject({
      kind: 'options',
      state: {
        disabled: false,
        options: [
          { label: 'Inbox', value: '2203306141' },
          { label: 'Launch', value: '2203306142' },
        ],
      },
    });
  });

  it('a refused host is the step’s error, not the piece’s bare “status 500”', async () => {
    const todoist = fakeTodoist();
    const error = await runAction(action('todoist', 'create_task'), {
      auth: { accessToken: todoist.oauth.token, tokenType: 'Bearer', props: {} },
      props: { content: 'x' },
      http: { fetch: todoist.fetch, calls: [] },
      hosts: ['example.org'],
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'host_not_allowed' });
    expect(todoist.requests).toEqual([]);
  });

  it('Todoist’s “Task Completed” enables itself on the first poll, then reports completions', async () => {
    const todoist = fakeTodoist();
    const store = createMemoryStore();
    const auth = { accessToken: todoist.oauth.token, tokenType: 'Bearer', props: {} };
    const poll = () =>
      runTrigger(trigger('todoist', 'task_completed'), {
        auth,
        store,
        run: { flowId: 'flow-1', stepName: 'trigger' },
        http: { fetch: todoist.fetch, calls: [] },
        hosts,
      });
    const task = await runAction(action('todoist', 'create_task'), {
      auth,
      props: { content: 'Done soon' },
      http: { fetch: todoist.fetch, calls: [] },
      hosts,
    });
    expect((await poll()).events).toEqual([]);
    expect(store.dump()).toMatchObject({ 'flow:activepieces:enabled:task_completed': true });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    todoist.complete((task.output as { id: string }).id);
    const { events } = await poll();
    expect(events).toEqual([
      expect.objectContaining({ content: 'Done soon', task_id: '2995104339', user_id: '2671355' }),
    ]);
  });
});

describe('the run context refuses what PMOS does not offer yet', () => {
  const { createPiece, createAction, Property } = framework;
  const uses = (name: string, run: (ctx: never) => Promise<unknown>) =>
    createAction({
      name,
      displayName: name,
      description: name,
      props: { x: Property.ShortText({ displayName: 'X', required: false }) },
      run,
    });
  const piece = createPiece({
    displayName: 'Context',
    logoUrl: 'x',
    authors: [],
    triggers: [],
    actions: [
      uses('files', (ctx: { files: { write(f: unknown): Promise<string> } }) =>
        ctx.files.write({ fileName: 'a.txt', data: Buffer.from('a') }),
      ),
      uses('server', async (ctx: { server: { publicUrl: string } }) => ctx.server.publicUrl),
      uses('connections', (ctx: { connections: { get(k: string): Promise<unknown> } }) =>
        ctx.connections.get('gmail'),
      ),
      uses('stop', async (ctx: { run: { stop(): void } }) => ctx.run.stop()),
      uses('waitpoint', (ctx: { run: { createWaitpoint(p: unknown): Promise<unknown> } }) =>
        ctx.run.createWaitpoint({ type: 'WEBHOOK' }),
      ),
      uses(
        'respond',
        async (ctx: {
          run: { id: string; respond(p: unknown): void };
          step: { name: string };
          project: { id: string };
          executionType: string;
        }) => {
          ctx.run.respond({ response: { status: 201, body: { ok: true } } });
          return {
            run: ctx.run.id,
            step: ctx.step.name,
            project: ctx.project.id,
            executionType: ctx.executionType,
          };
        },
      ),
    ],
  });
  const { connector } = pieceToConnector(asInstalled(piece), { hosts: [] });
  const run = (id: string) =>
    runAction(connector.actions.find((a) => a.id === id) as ActionDefinition, {
      run: inFlow,
      workspace: { id: 'ws-1', name: 'W' },
    });

  it('names the piece, the step and the feature', async () => {
    const messages = await Promise.all(
      ['files', 'server', 'connections', 'stop', 'waitpoint'].map((id) =>
        run(id).catch((e) => `${e.code}: ${e.message}`),
      ),
    );
    expect(messages).toEqual([
      'piece_feature_unsupported: Context › files needs the Activepieces file store (ctx.files), which PMOS does not offer yet.',
      'piece_feature_unsupported: Context › server needs the Activepieces server API (ctx.server: apiUrl, publicUrl, token), which PMOS does not offer yet.',
      'piece_feature_unsupported: Context › connections needs reading another connection (ctx.connections.get("gmail")), which PMOS does not offer yet.',
      'piece_feature_unsupported: Context › stop needs stopping the run early (ctx.run.stop), which PMOS does not offer yet.',
      'piece_feature_unsupported: Context › waitpoint needs waiting for a resume (ctx.run.createWaitpoint), which PMOS does not offer yet.',
    ]);
  });

  it('passes on what PMOS has: run id, step name, workspace as project, webhook replies', async () => {
    const { output, replies } = await run('respond');
    expect(output).toEqual({
      run: 'run-1',
      step: 'step_1',
      project: 'ws-1',
      executionType: 'BEGIN',
    });
    expect(replies).toEqual([{ status: 201, body: { ok: true } }]);
  });
});
