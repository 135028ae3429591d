import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTestDatabase } from '@pmos/core/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The fake instance and the fixtures ship with the plugin (they import nothing of PMOS).
import { apTrigger } from '../../../../../plugins/activepieces/src/sync/fixtures.js';
import {
  type FakeActivepieces,
  fakeActivepieces,
} from '../../../../../plugins/activepieces/src/testing/fake-activepieces.js';
import type { TestClient } from '../../testing/http-client.js';
import { signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';
import { startPluginHost } from '../plugins/plugin-host.js';

// Two-way flow sync between PMOS and an Activepieces instance, on the real PostgreSQL: the
// bundled Activepieces plugin (built dist) loaded by the plugin host, a community-edition
// connection (email + password), and the fake Activepieces REST API behind the plugin's
// ctx.http. The poller's pass is called directly (`app.flowSync.pollAll()`) instead of
// waiting a minute for its pg-boss schedule.
const database = withTestDatabase();
const pluginDir = fileURLToPath(new URL('../../../../../plugins/activepieces', import.meta.url));
let roots: string;
let ap: FakeActivepieces;
let pmos: TestApp;
let admin: TestClient;
let ws: string;
let connectionId: string;
// biome-ignore lint/suspicious/noExplicitAny: API bodies are checked by assertions, not types
type Body = any;

beforeAll(async () => {
  roots = mkdtempSync(join(tmpdir(), 'pmos-ap-sync-'));
  symlinkSync(pluginDir, join(roots, 'activepieces'));
  ap = fakeActivepieces({ url: 'https://ap.example.com', edition: 'ce' });
  const plugins = await startPluginHost({
    roots: [{ dir: roots, source: 'bundled' }],
    logger: pino({ level: 'silent' }),
    fetch: ap.fetch,
    // A self-hosted instance: the operator allows its host (PMOS_HTTP_PRIVATE_HOSTS).
    privateHostsAllowed: ['ap.example.com'],
    config: { activepieces: { syncRetryDelaysMs: [10, 20] } },
  });
  pmos = await startTestApp(database.url, {}, undefined, plugins, {
    flowSync: { poll: false, leaseWaitMs: 5000 },
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

async function linkOf(flowId: string) {
  const response = await admin.get(`/api/workspaces/${ws}/flows/${flowId}/link`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** Background pushes (after an edit) finish on their own: wait for the link to say so. */
async function waitForLink(flowId: string, done: (link: Body) => boolean) {
  for (let i = 0; i < 100; i++) {
    const link = await linkOf(flowId);
    if (done(link)) return link;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`link of ${flowId} never settled: ${JSON.stringify(await linkOf(flowId))}`);
}

async function editInPmos(flowId: string, displayName: string) {
  const flow = (await admin.get(`/api/workspaces/${ws}/flows/${flowId}`)).body;
  const edited = await admin.post(`/api/workspaces/${ws}/flows/${flowId}/operations`, {
    revision: flow.revision,
    operations: [{ type: 'CHANGE_NAME', request: { displayName } }],
  });
  expect(edited.status, edited.text).toBe(200);
  return edited.body;
}

const remoteName = (id: string) =>
  (ap.flows.get(id)?.version as { displayName: string } | undefined)?.displayName ?? '';
const operationsOn = (id: string) =>
  ap.requests.filter((r) => r.method === 'POST' && r.path === `/v1/flows/${id}`);

describe('Activepieces flow sync', () => {
  let flowId: string;
  let remoteId: string;

  it('connects with email and password and says where it is connected', async () => {
    const created = await admin.post(`/api/workspaces/${ws}/connections`, {
      pluginId: 'activepieces',
      connectorId: 'activepieces-instance',
      displayName: 'Our Activepieces',
      value: { url: ap.url, email: ap.user.email, password: ap.user.password },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.lastCheck).toMatchObject({
      ok: true,
      message: `Connected to Activepieces 0.96.2 (Community edition) as ${ap.user.email}, project ${ap.projectId}.`,
    });
    expect(created.text).not.toContain(ap.user.password);
    connectionId = created.body.id;
  });

  it('lists the remote flows a page at a time (Activepieces cursor pagination)', async () => {
    for (const name of ['Older A', 'Older B']) ap.addFlow(name, apTrigger());
    remoteId = String(ap.addFlow('Follow up completed tasks', apTrigger()).id);
    const first = await admin.get(
      `/api/workspaces/${ws}/flow-sync/remote-flows?connectionId=${connectionId}&limit=2`,
    );
    expect(first.status, first.text).toBe(200);
    expect(first.body.data.map((f: { displayName: string }) => f.displayName)).toEqual([
      'Follow up completed tasks',
      'Older B',
    ]);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await admin.get(
      `/api/workspaces/${ws}/flow-sync/remote-flows?connectionId=${connectionId}&limit=2&cursor=${first.body.next}`,
    );
    expect(second.body.data.map((f: { displayName: string }) => f.displayName)).toEqual([
      'Older A',
    ]);
    expect(second.body.next).toBeNull();
  });

  it('imports a remote flow as a linked PMOS flow, pieces mapped to Activepieces plugin steps', async () => {
    const imported = await admin.post(`/api/workspaces/${ws}/flow-sync/import`, {
      connectionId,
      externalId: remoteId,
    });
    expect(imported.status, imported.text).toBe(201);
    flowId = imported.body.flow.id;
    expect(imported.body.flow.displayName).toBe('Follow up completed tasks');
    expect(imported.body.flow.draft.trigger.settings).toMatchObject({
      pluginId: 'activepieces',
      connectorId: 'todoist',
      triggerId: 'task_completed',
    });
    expect(imported.body.flow.draft.trigger.nextAction.settings).toMatchObject({
      connectorId: 'delay',
      actionId: 'delay_for',
    });
    expect(imported.body.link).toMatchObject({
      flowId,
      pluginId: 'activepieces',
      externalId: remoteId,
      state: 'in_sync',
      error: null,
    });
    const links = await admin.get(`/api/workspaces/${ws}/flow-links`);
    expect(
      links.body.data.map((l: { flowId: string; state: string }) => [l.flowId, l.state]),
    ).toEqual([[flowId, 'in_sync']]);
  });

  it('pushes a PMOS edit as one IMPORT_FLOW operation, keeping what PMOS does not carry', async () => {
    const before = operationsOn(remoteId).length;
    const edited = await editInPmos(flowId, 'Follow up (edited in PMOS)');
    const link = await waitForLink(flowId, (l) => l.lastPushedRevision === edited.revision);
    expect(link.state).toBe('in_sync');
    expect(remoteName(remoteId)).toBe('Follow up (edited in PMOS)');
    const pushed = operationsOn(remoteId).slice(before);
    expect(pushed.map((r) => (r.body as { type: string }).type)).toEqual(['IMPORT_FLOW']);
    // Delay stays pinned at the version Activepieces had; the code step keeps its package.json.
    const trigger = (ap.flows.get(remoteId)?.version as { trigger: Body } | undefined)?.trigger;
    expect(trigger.nextAction.settings).toMatchObject({
      pieceVersion: '0.3.20',
      actionName: 'delayFor',
    });
    expect(trigger.nextAction.nextAction.nextAction.settings.sourceCode.packageJson).toContain(
      'dayjs',
    );
  });

  it('pulls an edit made in Activepieces at the next poll', async () => {
    ap.operate(remoteId, {
      type: 'CHANGE_NAME',
      request: { displayName: 'Renamed in Activepieces' },
    });
    const pass = await pmos.app.flowSync.pollAll();
    expect(pass).toEqual({ synced: 1, failed: 0 });
    const flow = (await admin.get(`/api/workspaces/${ws}/flows/${flowId}`)).body;
    expect(flow.displayName).toBe('Renamed in Activepieces');
    expect((await linkOf(flowId)).state).toBe('in_sync');
    // Nothing changed since: the next pass costs one listing and no flow request.
    const requests = ap.requests.length;
    expect(await pmos.app.flowSync.pollAll()).toEqual({ synced: 0, failed: 0 });
    expect(ap.requests.slice(requests).map((r) => r.path.split('?')[0])).toEqual(['/v1/flows']);
  });

  it('reports edits on both sides as a conflict, overwrites neither, and keeps PMOS when asked', async () => {
    ap.operate(remoteId, { type: 'CHANGE_NAME', request: { displayName: 'Theirs' } });
    await editInPmos(flowId, 'Ours');
    const link = await waitForLink(flowId, (l) => l.state === 'conflict');
    expect(link.error).toBe(
      '“Ours” was changed both in PMOS and in Activepieces since the last sync. Nothing was overwritten: choose which version to keep.',
    );
    expect(link.conflict.remoteDocument.displayName).toBe('Theirs');
    expect(remoteName(remoteId)).toBe('Theirs');
    expect((await admin.get(`/api/workspaces/${ws}/flows/${flowId}`)).body.displayName).toBe(
      'Ours',
    );
    // The poller leaves a conflict as it is.
    await pmos.app.flowSync.pollAll();
    expect((await linkOf(flowId)).state).toBe('conflict');
    expect(remoteName(remoteId)).toBe('Theirs');

    const kept = await admin.post(`/api/workspaces/${ws}/flows/${flowId}/link/resolve`, {
      keep: 'pmos',
    });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body).toMatchObject({
      outcome: 'pushed',
      link: { state: 'in_sync', conflict: null },
    });
    expect(remoteName(remoteId)).toBe('Ours');
    const again = await admin.post(`/api/workspaces/${ws}/flows/${flowId}/link/resolve`, {
      keep: 'pmos',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('no_conflict');
  });

  it('keeps the Activepieces version when asked', async () => {
    ap.operate(remoteId, { type: 'CHANGE_NAME', request: { displayName: 'Theirs again' } });
    await editInPmos(flowId, 'Ours again');
    await waitForLink(flowId, (l) => l.state === 'conflict');
    const kept = await admin.post(`/api/workspaces/${ws}/flows/${flowId}/link/resolve`, {
      keep: 'remote',
    });
    expect(kept.body).toMatchObject({ outcome: 'pulled', link: { state: 'in_sync' } });
    expect((await admin.get(`/api/workspaces/${ws}/flows/${flowId}`)).body.displayName).toBe(
      'Theirs again',
    );
    expect(remoteName(remoteId)).toBe('Theirs again');
  });

  it('retries an edit refused with FLOW_IN_USE, and says so when the editor lock stays', async () => {
    ap.markInUse(remoteId, 2);
    const before = operationsOn(remoteId).length;
    const edited = await editInPmos(flowId, 'After a busy minute');
    await waitForLink(flowId, (l) => l.lastPushedRevision === edited.revision);
    expect(operationsOn(remoteId).length - before).toBe(3); // two refusals, then accepted
    expect(remoteName(remoteId)).toBe('After a busy minute');

    ap.lockEditor(remoteId);
    await editInPmos(flowId, 'While Grace has it open');
    const busy = await waitForLink(flowId, (l) => l.error !== null);
    expect(busy.state).toBe('pending_push');
    expect(busy.error).toMatch(
      /^Someone is editing this flow in Activepieces right now \(FLOW_OPERATION_IN_PROGRESS\); PMOS tried 3 times\./,
    );
    expect(remoteName(remoteId)).toBe('After a busy minute');
    ap.unlockEditor(remoteId);
    const synced = await admin.post(`/api/workspaces/${ws}/flows/${flowId}/link/sync`, {});
    expect(synced.body).toMatchObject({
      outcome: 'pushed',
      link: { state: 'in_sync', error: null },
    });
    expect(remoteName(remoteId)).toBe('While Grace has it open');
  });

  it('lists the Activepieces runs of a linked flow', async () => {
    ap.addRun(remoteId, 'SUCCEEDED');
    ap.addRun(remoteId, 'FAILED', {
      name: 'step_1',
      displayName: 'Delay For',
      message: 'Too long',
    });
    const runs = await admin.get(`/api/workspaces/${ws}/flows/${flowId}/link/runs?limit=1`);
    expect(runs.status, runs.text).toBe(200);
    expect(runs.body.data).toEqual([
      expect.objectContaining({ status: 'FAILED', failure: 'Delay For (step_1): Too long' }),
    ]);
    const next = await admin.get(
      `/api/workspaces/${ws}/flows/${flowId}/link/runs?limit=1&cursor=${runs.body.next}`,
    );
    expect(next.body.data.map((r: { status: string }) => r.status)).toEqual(['SUCCEEDED']);
  });

  it('links a PMOS flow to a new Activepieces flow, and refuses to push a PMOS-only step by name', async () => {
    const created = await admin.post(`/api/workspaces/${ws}/flows`, {
      displayName: 'Made in PMOS',
    });
    const linked = await admin.put(`/api/workspaces/${ws}/flows/${created.body.id}/link`, {
      connectionId,
    });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.body).toMatchObject({ outcome: 'pushed', link: { state: 'in_sync' } });
    expect(remoteName(linked.body.link.externalId)).toBe('Made in PMOS');

    const document = {
      displayName: 'Posts to Basecamp',
      schemaVersion: 1,
      trigger: {
        name: 'trigger',
        displayName: 'Nothing yet',
        valid: false,
        type: 'EMPTY',
        settings: {},
        nextAction: {
          name: 'step_1',
          displayName: 'Create a to-do',
          valid: true,
          type: 'PLUGIN',
          settings: {
            pluginId: 'bcgpt',
            connectorId: 'basecamp',
            actionId: 'create_todo',
            pluginVersion: '1.0.0',
            input: {},
          },
        },
      },
    };
    const native = await admin.post(`/api/workspaces/${ws}/flows/import`, {
      pmosFlowExport: 1,
      displayName: document.displayName,
      folder: null,
      tags: [],
      document,
    });
    expect(native.status, native.text).toBe(201);
    const refused = await admin.put(`/api/workspaces/${ws}/flows/${native.body.id}/link`, {
      connectionId,
    });
    expect(refused.body).toMatchObject({ outcome: 'failed', link: { state: 'error' } });
    expect(refused.body.link.error).toBe(
      'Step "Create a to-do" (step_1) uses the PMOS plugin "bcgpt" (basecamp › create_todo), which has no Activepieces equivalent: remove it, or keep this flow in PMOS only.',
    );
  });

  it('unlinks a flow, leaving both flows as they are', async () => {
    const response = await admin.request('DELETE', `/api/workspaces/${ws}/flows/${flowId}/link`);
    expect(response.status).toBe(204);
    expect((await admin.get(`/api/workspaces/${ws}/flows/${flowId}/link`)).status).toBe(404);
    expect(ap.flows.has(remoteId)).toBe(true);
  });

  it('records who linked, synced and unlinked which flow in the audit log', async () => {
    const audit = await admin.get(`/api/workspaces/${ws}/audit?action=flow&limit=100`);
    expect(audit.status, audit.text).toBe(200);
    const events = audit.body.data as {
      action: string;
      actorEmail: string | null;
      targetId: string;
      metadata: Record<string, unknown>;
    }[];
    const ofFlow = events.filter((e) => e.targetId === flowId).map((e) => e.action);
    expect(ofFlow).toEqual(expect.arrayContaining(['flow.unlink', 'flow.sync']));
    expect(events.find((e) => e.action === 'flow.unlink')).toMatchObject({
      metadata: { pluginId: 'activepieces', connectionId, externalId: remoteId },
    });
    // A link is recorded with how its first round went: pushed, or a push the remote refused.
    const links = events.filter((e) => e.action === 'flow.link').map((e) => e.metadata);
    expect(links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ createdRemote: true, outcome: 'pushed' }),
        expect.objectContaining({ createdRemote: true, outcome: 'failed' }),
      ]),
    );
    expect(events.filter((e) => e.action === 'flow.sync').map((e) => e.metadata.mode)).toEqual(
      expect.arrayContaining(['keep_pmos', 'keep_remote', 'auto']),
    );
  });
});
