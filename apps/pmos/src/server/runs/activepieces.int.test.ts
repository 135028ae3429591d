import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTestDatabase } from '@pmos/core/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The fake Todoist API ships with the plugin (it imports nothing), so plugin and app tests share it.
import {
  type FakeTodoist,
  fakeTodoist,
} from '../../../../../plugins/activepieces/src/testing/fake-todoist.js';
import type { TestClient } from '../../testing/http-client.js';
import { query, signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';
import { startPluginHost } from '../plugins/plugin-host.js';

// Published Activepieces pieces in a PMOS flow, end to end on the real PostgreSQL: the bundled
// Activepieces plugin (built dist, loaded by the plugin host with the instance setting), an
// OAuth2 Todoist connection, a poll of Todoist's "Task Completed" trigger, then Data Mapper,
// Todoist "Create Task" and Storage "Put" run by the worker. Todoist is the local fake: the
// piece's own axios requests reach it through the plugin's ctx.http, never the network.
const database = withTestDatabase();
const pluginDir = fileURLToPath(new URL('../../../../../plugins/activepieces', import.meta.url));
let roots: string;
let todoist: FakeTodoist;
let pmos: TestApp;
let admin: TestClient;
let ws: string;
let connectionId: string;

beforeAll(async () => {
  roots = mkdtempSync(join(tmpdir(), 'pmos-ap-plugins-'));
  symlinkSync(pluginDir, join(roots, 'activepieces'));
  todoist = fakeTodoist();
  const plugins = await startPluginHost({
    roots: [{ dir: roots, source: 'bundled' }],
    logger: pino({ level: 'silent' }),
    fetch: todoist.fetch,
    // The admin setting: three of the four installed pieces (Delay left out).
    config: {
      activepieces: {
        pieces: [
          { name: '@activepieces/piece-todoist', version: '0.3.1' },
          { name: '@activepieces/piece-data-mapper', version: '0.3.15' },
          { name: '@activepieces/piece-store', version: '0.6.20' },
        ],
      },
    },
  });
  pmos = await startTestApp(database.url, {}, undefined, plugins, {
    runs: { timeoutSeconds: 20 },
  });
  const root = pmos.client();
  await signUpAs(root, 'root@example.com');
  expect((await root.put('/api/admin/plugins/activepieces', { available: true })).status).toBe(200);
  admin = pmos.client();
  ws = (await signUpAs(admin, 'ada@example.com')).workspaces[0]?.id ?? '';
  await admin.put(`/api/workspaces/${ws}/plugins/activepieces`, { enabled: true });
});
afterAll(async () => {
  await pmos?.close();
  rmSync(roots, { recursive: true, force: true });
});

const todoistStep = (name: string, actionId: string, input: Record<string, unknown>) => ({
  name,
  displayName: actionId,
  valid: true,
  type: 'PLUGIN',
  settings: {
    pluginId: 'activepieces',
    connectorId: 'todoist',
    actionId,
    pluginVersion: '0.1.0',
    input,
  },
});

async function waitForRun(runId: string) {
  for (let i = 0; i < 200; i++) {
    const run = await admin.get(`/api/workspaces/${ws}/runs/${runId}`);
    if (!['QUEUED', 'RUNNING'].includes(run.body.status)) return run.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe('Activepieces pieces in a PMOS flow', () => {
  it('offers the pieces the instance setting lists, each as a connector', async () => {
    const response = await admin.get(`/api/workspaces/${ws}/plugins`);
    const plugin = response.body.data.find((p: { id: string }) => p.id === 'activepieces');
    // Plus the flow-sync connector, offered whatever the setting says.
    expect(plugin.contributes.connectors.map((c: { id: string }) => c.id).sort()).toEqual([
      'activepieces-instance',
      'data-mapper',
      'store',
      'todoist',
    ]);
  });

  it('connects Todoist with OAuth2 and loads its project dropdown through the connection', async () => {
    const started = await admin.post(`/api/workspaces/${ws}/connections/oauth2/start`, {
      pluginId: 'activepieces',
      connectorId: 'todoist',
      displayName: 'Todoist',
      clientId: todoist.oauth.client.id,
      clientSecret: todoist.oauth.client.secret,
      props: {},
    });
    expect(started.status, started.text).toBe(200);
    const url = new URL(started.body.authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://todoist.com/oauth/authorize');
    expect(url.searchParams.get('scope')).toBe('data:read_write');
    const code = todoist.oauth.approve(started.body.authorizationUrl);
    const back = await admin.get(
      `/api/oauth2/callback?state=${url.searchParams.get('state')}&code=${code}`,
    );
    expect(back.status, back.text).toBe(302);
    connectionId =
      new URL(back.headers.get('location') ?? '', pmos.url).searchParams.get('connection') ?? '';
    expect(connectionId).toMatch(/^[0-9a-f-]{36}$/);

    const projects = await admin.post(`/api/workspaces/${ws}/plugins/activepieces/options`, {
      connectorId: 'todoist',
      stepId: 'create_task',
      prop: 'project_id',
      connectionId,
    });
    expect(projects.status, projects.text).toBe(200);
    expect(projects.body.options).toEqual([
      { label: 'Inbox', value: '2203306141' },
      { label: 'Launch', value: '2203306142' },
    ]);
  });

  it('runs Todoist trigger → Data Mapper → Todoist Create Task → Storage Put against the fake API', async () => {
    // Steps name their connection by id: the engine resolves `{{…}}` in step inputs before the
    // connection is looked up, so the Activepieces form `{{connections['id']}}` would not survive.
    const auth = connectionId;
    const step = (name: string, connectorId: string, actionId: string, input: object) => ({
      ...todoistStep(name, actionId, input as Record<string, unknown>),
      settings: { ...todoistStep(name, actionId, {}).settings, connectorId, input },
    });
    const chain = [
      step('step_1', 'data-mapper', 'advanced_mapping', {
        mapping: { content: 'Follow up: {{trigger.content}}', source: '{{trigger.task_id}}' },
      }),
      step('step_2', 'todoist', 'create_task', {
        auth,
        project_id: '2203306142',
        content: '{{step_1.content}}',
        labels: ['follow-up'],
        priority: 3,
      }),
      step('step_3', 'store', 'put', {
        key: 'last_follow_up',
        value: '{{step_2.id}}',
        store_scope: 'COLLECTION',
      }),
    ] as Record<string, unknown>[];
    for (let i = 0; i < chain.length - 1; i++)
      (chain[i] as Record<string, unknown>).nextAction = chain[i + 1];
    const document = {
      displayName: 'Follow up completed tasks',
      schemaVersion: 1,
      trigger: {
        name: 'trigger',
        displayName: 'Task Completed',
        valid: true,
        type: 'PLUGIN_TRIGGER',
        settings: {
          pluginId: 'activepieces',
          connectorId: 'todoist',
          triggerId: 'task_completed',
          pluginVersion: '0.1.0',
          input: { auth },
        },
        nextAction: chain[0],
      },
    };
    const created = await admin.post(`/api/workspaces/${ws}/flows/import`, {
      pmosFlowExport: 1,
      displayName: document.displayName,
      folder: null,
      tags: [],
      document,
    });
    expect(created.status, created.text).toBe(201);
    const published = await admin.post(
      `/api/workspaces/${ws}/flows/${created.body.id}/operations`,
      {
        revision: created.body.revision,
        operations: [{ type: 'LOCK_AND_PUBLISH', request: { status: 'ENABLED' } }],
      },
    );
    expect(published.status, published.text).toBe(200);
    const flow = { flowId: created.body.id as string, workspaceId: ws };

    // The first poll enables the trigger (its cursor = now): nothing completed yet.
    expect(await pmos.runs?.triggers.fire(flow)).toEqual([]);

    // Someone creates and completes a task in Todoist.
    const made = await todoist.fetch('https://api.todoist.com/rest/v2/tasks', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${todoist.oauth.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ content: 'Call the printer' }),
    });
    const task = (await made.json()) as { id: string };
    await new Promise((resolve) => setTimeout(resolve, 1100));
    todoist.complete(task.id);

    const queued = (await pmos.runs?.triggers.fire(flow)) ?? [];
    expect(queued).toHaveLength(1);
    const run = await waitForRun(queued[0]?.runId ?? '');
    expect(run.status, JSON.stringify(run.error ?? run.steps)).toBe('SUCCEEDED');
    expect(run.steps.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual(
      ['trigger:SUCCEEDED', 'step_1:SUCCEEDED', 'step_2:SUCCEEDED', 'step_3:SUCCEEDED'],
    );
    expect(run.steps[1].output).toEqual({
      content: 'Follow up: Call the printer',
      source: task.id,
    });
    expect(run.steps[2].output).toMatchObject({
      content: 'Follow up: Call the printer',
      project_id: '2203306142',
      labels: ['follow-up'],
      priority: 3,
    });

    // What Todoist received, as the piece sends it, with the connection's token.
    const created2 = todoist.requests
      .filter((r) => r.method === 'POST' && r.url.endsWith('/rest/v2/tasks'))
      .at(-1);
    expect(created2).toMatchObject({
      authorization: `Bearer ${todoist.oauth.token}`,
      body: {
        content: 'Follow up: Call the printer',
        project_id: '2203306142',
        labels: ['follow-up'],
        priority: 3,
      },
    });
    const followUp = todoist.tasks.find((t) => t.content === 'Follow up: Call the printer');
    // Storage kept the new task's id for the workspace (Activepieces' PROJECT scope).
    const stored = await query(
      pmos.orm,
      `select scope, value from plugin_store where workspace_id = ? and plugin_id = 'activepieces' and key = 'last_follow_up'`,
      [ws],
    );
    expect(stored).toEqual([{ scope: 'workspace', value: followUp?.id }]);
    // The token never reached the run record or the logs.
    expect(JSON.stringify(run)).not.toContain(todoist.oauth.token);
    expect(pmos.logs.join('\n')).not.toContain(todoist.oauth.token);

    // Polled again: the same completion does not start a second run.
    expect(await pmos.runs?.triggers.fire(flow)).toEqual([]);
  });
});
