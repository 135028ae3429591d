import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../../testing/http-client.js';
import { acmeKeys, fakeAcme, loadFixturePlugins } from '../../testing/plugin-fixtures.js';
import { query, signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';

// Flows over HTTP: drafts edited by operations under optimistic concurrency, validation
// against the workspace's plugins, immutable published versions, import / export.
const database = withTestDatabase();
let pmos: TestApp;
let admin: TestClient;
let viewer: TestClient;
let ws: string;

beforeAll(async () => {
  pmos = await startTestApp(
    database.url,
    {},
    undefined,
    await loadFixturePlugins(fakeAcme().fetch),
  );
  const root = pmos.client();
  await signUpAs(root, 'root@example.com');
  await root.put('/api/admin/plugins/acme-tasks', { available: true });
  admin = pmos.client();
  ws = (await signUpAs(admin, 'ada@example.com')).workspaces[0]?.id ?? '';
  await admin.put(`/api/workspaces/${ws}/plugins/acme-tasks`, { enabled: true });
  viewer = pmos.client();
  await signUpAs(viewer, 'vic@example.com');
  const invite = await admin.post(`/api/workspaces/${ws}/invites`, {
    email: 'vic@example.com',
    role: 'viewer',
  });
  await viewer.post(`/api/invites/${invite.body.url.split('/invite/')[1]}/accept`);
});
afterAll(() => pmos.close());

const flowsUrl = () => `/api/workspaces/${ws}/flows`;
const trigger = {
  name: 'trigger',
  type: 'PLUGIN_TRIGGER',
  displayName: 'New task',
  settings: {
    pluginId: 'acme-tasks',
    connectorId: 'acme',
    triggerId: 'new_task',
    pluginVersion: '1.0.0',
    input: { auth: 'acme-connection' },
  },
};
const createTask = (input: Record<string, unknown>) => ({
  type: 'ADD_ACTION',
  request: {
    parentStep: 'trigger',
    stepLocationRelativeToParent: 'AFTER',
    action: {
      type: 'PLUGIN',
      displayName: 'Create task',
      settings: {
        pluginId: 'acme-tasks',
        connectorId: 'acme',
        actionId: 'create_task',
        pluginVersion: '1.0.0',
        input,
      },
    },
  },
});

describe('flows over HTTP', () => {
  let flowId: string;
  let revision: number;
  const apply = (operations: unknown[], at = revision) =>
    admin.post(`${flowsUrl()}/${flowId}/operations`, { revision: at, operations });

  it('creates an empty draft that says what is missing', async () => {
    const created = await admin.post(flowsUrl(), {
      displayName: 'Triage new tasks',
      folder: 'Ops',
      tags: ['tasks', 'tasks', ' triage '],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      displayName: 'Triage new tasks',
      folder: 'Ops',
      tags: ['tasks', 'triage'],
      status: 'DISABLED',
      revision: 1,
      publishedVersionId: null,
      valid: false,
      draft: { schemaVersion: 1, trigger: { type: 'EMPTY' } },
      problems: [expect.objectContaining({ step: 'trigger', code: 'empty_trigger' })],
    });
    flowId = created.body.id;
    revision = created.body.revision;
    expect((await viewer.post(flowsUrl(), { displayName: 'Nope' })).status).toBe(403);
    const blank = await admin.post(flowsUrl(), { displayName: '  ' });
    expect(blank.status).toBe(400);
  });

  it('applies edits, refuses a stale revision with the current flow, and refuses bad edits precisely', async () => {
    const edited = await apply([
      { type: 'UPDATE_TRIGGER', request: trigger },
      createTask({ auth: 'acme-connection', title: '{{trigger.title}}' }),
    ]);
    expect(edited.status).toBe(200);
    expect(edited.body.revision).toBe(revision + 1);
    expect(edited.body.draft.trigger.nextAction).toMatchObject({ name: 'step_1', type: 'PLUGIN' });
    // project and list are required props of create_task and still empty.
    expect(edited.body.valid).toBe(false);
    expect(edited.body.problems.map((p: { prop?: string }) => p.prop).sort()).toEqual([
      'list',
      'project',
    ]);

    const stale = await apply(
      [{ type: 'CHANGE_NAME', request: { displayName: 'Lost' } }],
      revision,
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: 'flow_conflict',
      details: { currentRevision: revision + 1, current: { displayName: 'Triage new tasks' } },
    });
    revision = edited.body.revision;

    const refused = await apply([
      { type: 'CHANGE_NAME', request: { displayName: 'Renamed' } },
      { type: 'DELETE_ACTION', request: { names: ['step_9'] } },
    ]);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'flow_operation_refused',
      message: expect.stringMatching(/^Operation 2 was refused: /),
      details: { operation: 1, reason: 'step_not_found' },
    });
    const malformed = await apply([{ type: 'TELEPORT', request: {} }]);
    expect(malformed.body.error.code).toBe('flow_operation_refused');
    // All or nothing: the rename in the refused batch did not land.
    const current = await viewer.get(`${flowsUrl()}/${flowId}`);
    expect(current.body).toMatchObject({ displayName: 'Triage new tasks', revision });
  });

  it('publishes only a complete flow, into immutable numbered versions, and enables only a published one', async () => {
    const notPublished = await apply([{ type: 'CHANGE_STATUS', request: { status: 'ENABLED' } }]);
    expect(notPublished.status).toBe(409);
    expect(notPublished.body.error.code).toBe('flow_not_published');

    const incomplete = await apply([{ type: 'LOCK_AND_PUBLISH', request: {} }]);
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error.code).toBe('flow_incomplete');
    expect(incomplete.body.error.details.problems).toHaveLength(2);

    const published = await apply([
      {
        type: 'UPDATE_ACTION',
        request: {
          name: 'step_1',
          type: 'PLUGIN',
          displayName: 'Create task',
          settings: {
            pluginId: 'acme-tasks',
            connectorId: 'acme',
            actionId: 'create_task',
            pluginVersion: '1.0.0',
            input: {
              auth: 'acme-connection',
              project: 'p1',
              list: 'p1-l1',
              title: '{{trigger.title}}',
            },
          },
        },
      },
      { type: 'LOCK_AND_PUBLISH', request: { status: 'ENABLED' } },
    ]);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      valid: true,
      problems: [],
      status: 'ENABLED',
      publishedVersionNumber: 1,
    });
    revision = published.body.revision;

    const second = await apply([
      { type: 'CHANGE_NAME', request: { displayName: 'Triage v2' } },
      { type: 'LOCK_AND_PUBLISH', request: {} },
    ]);
    expect(second.body).toMatchObject({ publishedVersionNumber: 2, displayName: 'Triage v2' });
    revision = second.body.revision;

    const versions = await viewer.get(`${flowsUrl()}/${flowId}/versions`);
    expect(versions.body.data.map((v: { number: number }) => v.number)).toEqual([2, 1]);
    const first = await viewer.get(`${flowsUrl()}/${flowId}/versions/${versions.body.data[1].id}`);
    expect(first.body.document.displayName).toBe('Triage new tasks');

    const restored = await apply([
      { type: 'USE_AS_DRAFT', request: { versionId: versions.body.data[1].id } },
    ]);
    expect(restored.body).toMatchObject({
      displayName: 'Triage new tasks',
      publishedVersionNumber: 2,
    });
    revision = restored.body.revision;

    await expect(query(pmos.orm, 'update flow_version set number = 9')).rejects.toThrow(
      /flow versions are immutable/,
    );
    await expect(query(pmos.orm, 'delete from flow_version')).rejects.toThrow(
      /deleted only with its flow/,
    );
    const audit = await admin.get(`/api/workspaces/${ws}/audit?action=flow`);
    expect(audit.body.data.map((e: { action: string }) => e.action).sort()).toEqual([
      'flow.create',
      'flow.enable',
      'flow.publish',
      'flow.publish',
    ]);
  });

  it('marks steps of a disabled plugin, lists and pages with filters', async () => {
    await admin.put(`/api/workspaces/${ws}/plugins/acme-tasks`, { enabled: false });
    const flow = await viewer.get(`${flowsUrl()}/${flowId}`);
    expect(flow.body.valid).toBe(false);
    expect(flow.body.problems.map((p: { code: string }) => p.code)).toContain('plugin_disabled');
    await admin.put(`/api/workspaces/${ws}/plugins/acme-tasks`, { enabled: true });

    for (const name of ['Weekly report', 'Daily digest']) {
      await admin.post(flowsUrl(), { displayName: name, tags: ['reports'] });
    }
    const page1 = await viewer.get(`${flowsUrl()}?limit=2`);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.next).toEqual(expect.any(String));
    const page2 = await viewer.get(`${flowsUrl()}?limit=2&cursor=${page1.body.next}`);
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.next).toBeNull();
    const all = [...page1.body.data, ...page2.body.data].map(
      (f: { displayName: string }) => f.displayName,
    );
    expect(new Set(all).size).toBe(3);
    expect(
      (await viewer.get(`${flowsUrl()}?tag=reports&search=digest`)).body.data.map(
        (f: { displayName: string }) => f.displayName,
      ),
    ).toEqual(['Daily digest']);
    expect((await viewer.get(`${flowsUrl()}?status=ENABLED`)).body.data).toHaveLength(1);
    expect((await viewer.get(`${flowsUrl()}?search=100%25`)).body.data).toEqual([]);
    const badCursor = await viewer.get(`${flowsUrl()}?cursor=garbage`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.code).toBe('invalid_cursor');
  });

  it('exports, imports, duplicates, moves and deletes', async () => {
    const exported = await viewer.get(`${flowsUrl()}/${flowId}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toBe(
      'attachment; filename="Triage new tasks.pmos-flow.json"',
    );
    const imported = await admin.post(`${flowsUrl()}/import`, {
      ...exported.body,
      displayName: 'Imported triage',
    });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({
      displayName: 'Imported triage',
      draft: { displayName: 'Imported triage', trigger: { nextAction: { name: 'step_1' } } },
      status: 'DISABLED',
      publishedVersionId: null,
      valid: true,
    });
    const broken = await admin.post(`${flowsUrl()}/import`, {
      ...exported.body,
      document: { ...exported.body.document, trigger: { name: 'trigger', type: 'WORMHOLE' } },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_flow');

    const copy = await admin.post(`${flowsUrl()}/${flowId}/duplicate`);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ displayName: 'Triage new tasks (copy)', folder: 'Ops' });

    const moved = await admin.patch(`${flowsUrl()}/${copy.body.id}`, { folder: null, tags: ['x'] });
    expect(moved.body).toMatchObject({ folder: null, tags: ['x'] });

    expect((await viewer.delete(`${flowsUrl()}/${flowId}`)).status).toBe(403);
    expect((await admin.delete(`${flowsUrl()}/${flowId}`)).status).toBe(204);
    expect((await admin.get(`${flowsUrl()}/${flowId}`)).status).toBe(404);
    const [left] = await query(
      pmos.orm,
      'select count(*)::int as n from flow_version where flow_id = ?',
      [flowId],
    );
    expect(left.n).toBe(0);
  });
});

describe('testing one step', () => {
  it('runs a plugin step of the draft with sample data, and reports a failure as a result', async () => {
    const connection = await admin.post(`/api/workspaces/${ws}/connections`, {
      pluginId: 'acme-tasks',
      connectorId: 'acme',
      displayName: 'Acme for tests',
      value: acmeKeys.good,
    });
    const flow = await admin.post(flowsUrl(), { displayName: 'Step tests' });
    const step = (name: string, actionId: string, input: Record<string, unknown>) => ({
      type: 'ADD_ACTION',
      request: {
        parentStep: name === 'step_1' ? 'trigger' : 'step_1',
        stepLocationRelativeToParent: 'AFTER',
        action: {
          name,
          type: 'PLUGIN',
          displayName: actionId,
          settings: {
            pluginId: 'acme-tasks',
            connectorId: 'acme',
            actionId,
            pluginVersion: '1.0.0',
            input,
          },
        },
      },
    });
    const edited = await admin.post(`${flowsUrl()}/${flow.body.id}/operations`, {
      revision: flow.body.revision,
      operations: [
        { type: 'UPDATE_TRIGGER', request: trigger },
        step('step_1', 'create_task', {
          auth: `{{connections['${connection.body.id}']}}`,
          project: 'p1',
          list: 'p1-l1',
          title: 'From {{trigger.from}}: {{trigger.subject}}',
        }),
        step('step_2', 'archive_task', { auth: connection.body.id, taskId: '{{step_1.id}}' }),
      ],
    });
    expect(edited.status).toBe(200);
    const url = (name: string) => `${flowsUrl()}/${flow.body.id}/steps/${name}/test`;

    const ok = await admin.post(url('step_1'), {
      sampleData: { trigger: { from: 'Ada', subject: 'Ship it' } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'SUCCEEDED',
      input: { project: 'p1', list: 'p1-l1', title: 'From Ada: Ship it' },
      output: { id: 't1', title: 'From Ada: Ship it' },
      durationMs: expect.any(Number),
    });

    const failed = await admin.post(url('step_2'), { sampleData: { step_1: { id: 't1' } } });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({
      status: 'FAILED',
      input: { taskId: 't1' },
      error: {
        code: 'plugin_call_failed',
        message: expect.stringContaining('Acme refused to archive t1'),
      },
    });
    expect(failed.text).not.toContain(acmeKeys.good);

    const code = (name: string, source: string) => ({
      type: 'ADD_ACTION',
      request: {
        parentStep: 'step_2',
        stepLocationRelativeToParent: 'AFTER',
        action: {
          name,
          type: 'CODE',
          displayName: name,
          settings: { sourceCode: { code: source }, input: { title: '{{step_1.title}}' } },
        },
      },
    });
    const current = await admin.get(`${flowsUrl()}/${flow.body.id}`);
    await admin.post(`${flowsUrl()}/${flow.body.id}/operations`, {
      revision: current.body.revision,
      operations: [
        code('shout', 'console.log("shouting"); return { loud: inputs.title.toUpperCase() };'),
        code('spin', 'while (true) {}'),
      ],
    });
    const shout = await admin.post(url('shout'), { sampleData: { step_1: { title: 'ship it' } } });
    expect(shout.body).toMatchObject({
      status: 'SUCCEEDED',
      input: { title: 'ship it' },
      output: { loud: 'SHIP IT' },
      logs: ['shouting'],
    });
    const spin = await admin.post(url('spin'), {});
    expect(spin.body).toMatchObject({ status: 'FAILED', error: { code: 'code_timeout' } });

    const missing = await admin.post(url('step_9'), {});
    expect(missing.status).toBe(404);
    const badInput = await admin.post(url('step_2'), { sampleData: {} });
    expect(badInput.status).toBe(400);
    expect(badInput.body.error).toMatchObject({ code: 'invalid_step_input' });
    expect((await viewer.post(url('step_1'), {})).status).toBe(403);
    expect(pmos.logs.join('\n')).not.toContain(acmeKeys.good);
  });
});
