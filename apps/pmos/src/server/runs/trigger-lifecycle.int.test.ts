import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  flowkitTrigger,
  importFlowkitFlow,
  workspaceWithPlugin,
} from '../../testing/flowkit-workspace.js';
import type { TestClient } from '../../testing/http-client.js';
import { loadRunFixturePlugins } from '../../testing/plugin-fixtures.js';
import { query, startTestApp, type TestApp } from '../../testing/test-app.js';

// Triggers' onEnable / onDisable on the real PostgreSQL and HTTP server: called when a flow
// is published and turned on, turned off, republished with other inputs, and deleted; a
// failed onEnable shows on the flow and keeps a polling trigger from being scheduled.
const database = withTestDatabase();
let pmos: TestApp;
let root: TestClient;
let admin: TestClient;
let ws: string;

beforeAll(async () => {
  const plugins = await loadRunFixturePlugins();
  pmos = await startTestApp(database.url, {}, undefined, plugins, { runs: {} });
  ({ root, admin, ws } = await workspaceWithPlugin(pmos));
});
afterAll(() => pmos.close());

type FlowBody = Awaited<ReturnType<typeof importFlowkitFlow>>;

const importFlow = (triggerId: string, input: Record<string, unknown> = {}) =>
  importFlowkitFlow(admin, ws, triggerId, input);

async function operate(flowId: string, operations: unknown[]): Promise<FlowBody> {
  const current = await admin.get(`/api/workspaces/${ws}/flows/${flowId}`);
  const response = await admin.post(`/api/workspaces/${ws}/flows/${flowId}/operations`, {
    revision: current.body.revision,
    operations,
  });
  expect(response.status, response.text).toBe(200);
  return (await admin.get(`/api/workspaces/${ws}/flows/${flowId}`)).body;
}

const publish = (flowId: string) =>
  operate(flowId, [{ type: 'LOCK_AND_PUBLISH', request: { status: 'ENABLED' } }]);
const turn = (flowId: string, status: 'ENABLED' | 'DISABLED') =>
  operate(flowId, [{ type: 'CHANGE_STATUS', request: { status } }]);
const setChannel = (flowId: string, channel: string) =>
  operate(flowId, [
    { type: 'UPDATE_TRIGGER', request: flowkitTrigger('registered', { channel }) },
    { type: 'LOCK_AND_PUBLISH', request: { status: 'ENABLED' } },
  ]);

async function hookCalls(flowId: string) {
  const [row] = await query(
    pmos.orm,
    `select value from plugin_store where workspace_id = ? and plugin_id = 'flowkit'
       and scope = 'workspace' and key = 'hookCalls'`,
    [ws],
  );
  return ((row?.value ?? []) as { flowId: string }[])
    .filter((c) => c.flowId === flowId)
    .map(({ flowId: _, ...call }) => call);
}

describe('trigger onEnable and onDisable', () => {
  it('registers a webhook trigger when the flow is turned on, with a URL that starts it', async () => {
    const flow = await importFlow('registered', { channel: 'news' });
    expect(await hookCalls(flow.id)).toEqual([]);
    const published = await publish(flow.id);
    const url = `${pmos.url}${flow.webhookPath}`;
    expect(await hookCalls(flow.id)).toEqual([{ hook: 'enable', channel: 'news', url }]);
    expect(published.triggerProblem).toBeNull();

    // The URL the service was given starts the flow.
    const delivery = await fetch(url, { method: 'POST', body: '{"hello":1}' });
    expect(delivery.status).toBe(202);

    // Publishing again with the same trigger changes nothing on the service's side.
    await publish(flow.id);
    expect(await hookCalls(flow.id)).toHaveLength(1);

    // Off, then on again: removed, then registered again.
    await turn(flow.id, 'DISABLED');
    await turn(flow.id, 'ENABLED');
    expect(await hookCalls(flow.id)).toEqual([
      { hook: 'enable', channel: 'news', url },
      { hook: 'disable', channel: 'news', url },
      { hook: 'enable', channel: 'news', url },
    ]);
  });

  it('turns the old trigger off before the new one on when a version changes its inputs', async () => {
    const flow = await importFlow('registered', { channel: 'news' });
    await publish(flow.id);
    await setChannel(flow.id, 'sport');
    const url = `${pmos.url}${flow.webhookPath}`;
    expect(await hookCalls(flow.id)).toEqual([
      { hook: 'enable', channel: 'news', url },
      { hook: 'disable', channel: 'news', url },
      { hook: 'enable', channel: 'sport', url },
    ]);
  });

  it('turns the trigger off when the flow is deleted, then forgets what it kept', async () => {
    const flow = await importFlow('registered', { channel: 'gone' });
    await publish(flow.id);
    const deleted = await admin.delete(`/api/workspaces/${ws}/flows/${flow.id}`);
    expect(deleted.status).toBe(204);
    const url = `${pmos.url}${flow.webhookPath}`;
    expect(await hookCalls(flow.id)).toEqual([
      { hook: 'enable', channel: 'gone', url },
      { hook: 'disable', channel: 'gone', url },
    ]);
    const kept = await query(
      pmos.orm,
      `select count(*)::int as n from plugin_store where scope = 'flow' and scope_id = ?`,
      [flow.id],
    );
    expect(kept[0].n).toBe(0);
    const state = await query(pmos.orm, 'select * from flow_trigger_state where flow_id = ?', [
      flow.id,
    ]);
    expect(state).toEqual([]);
  });

  it('shows a failed onEnable on the flow, and the next change tries again', async () => {
    const flow = await importFlow('registered', { channel: 'refused' });
    const published = await publish(flow.id);
    expect(published.status).toBe('ENABLED');
    expect(published.triggerProblem).toMatchObject({
      code: 'plugin_call_failed',
      message: expect.stringContaining('The service refused to register the webhook.'),
    });
    const listed = await admin.get(`/api/workspaces/${ws}/flows`);
    const row = listed.body.data.find((f: { id: string }) => f.id === flow.id);
    expect(row.triggerProblem?.code).toBe('plugin_call_failed');

    // Nothing was turned on, so turning off calls nothing and clears the problem.
    const off = await turn(flow.id, 'DISABLED');
    expect(off.triggerProblem).toBeNull();
    expect(await hookCalls(flow.id)).toEqual([]);

    const fixed = await setChannel(flow.id, 'fixed');
    expect(fixed.triggerProblem).toBeNull();
    expect(await hookCalls(flow.id)).toEqual([
      { hook: 'enable', channel: 'fixed', url: `${pmos.url}${flow.webhookPath}` },
    ]);
  });

  it('does not schedule a polling trigger whose onEnable failed', async () => {
    const refuse = (on: boolean) =>
      query(
        pmos.orm,
        `insert into plugin_store (workspace_id, plugin_id, scope, scope_id, key, value)
         values (?, 'flowkit', 'workspace', '', 'refuseEnable', ?::jsonb)
         on conflict (workspace_id, plugin_id, scope, scope_id, key) do update set value = excluded.value`,
        [ws, JSON.stringify(on)],
      );
    const scheduled = async (flowId: string) =>
      (await query(pmos.orm, 'select key from pgboss.schedule where key = ?', [flowId])).length;
    await refuse(true);
    const flow = await importFlow('poll');
    const published = await publish(flow.id);
    expect(published.triggerProblem?.message).toContain('The item service is down.');
    expect(await scheduled(flow.id)).toBe(0);

    await refuse(false);
    await turn(flow.id, 'DISABLED');
    const on = await turn(flow.id, 'ENABLED');
    expect(on.triggerProblem).toBeNull();
    expect(await scheduled(flow.id)).toBe(1);
  });

  it('brings in line, at start, flows turned on before triggers were, and triggers left on', async () => {
    // A flow turned on by an older PMOS: on, published, no trigger turned on.
    const older = await importFlow('registered', { channel: 'older' });
    await publish(older.id);
    await query(pmos.orm, 'delete from flow_trigger_state where flow_id = ?', [older.id]);
    // A trigger left on for a flow that is gone (a process stopped before its sync).
    const gone = await importFlow('registered', { channel: 'gone-too' });
    await publish(gone.id);
    await query(pmos.orm, 'delete from flow where id = ?', [gone.id]);

    const synced = (await pmos.runs?.triggers.reconcile()) ?? 0;
    expect(synced).toBeGreaterThanOrEqual(2);
    const url = (flow: FlowBody) => `${pmos.url}${flow.webhookPath}`;
    expect(await hookCalls(older.id)).toEqual([
      { hook: 'enable', channel: 'older', url: url(older) },
      { hook: 'enable', channel: 'older', url: url(older) },
    ]);
    expect(await hookCalls(gone.id)).toEqual([
      { hook: 'enable', channel: 'gone-too', url: url(gone) },
      { hook: 'disable', channel: 'gone-too', url: url(gone) },
    ]);
    // In line now: nothing more to do.
    expect(await pmos.runs?.triggers.reconcile()).toBe(0);
  });

  it('turns triggers off when their plugin is disabled here, and on again when it is enabled', async () => {
    const flow = await importFlow('registered', { channel: 'plugin' });
    await publish(flow.id);
    const off = await admin.put(`/api/workspaces/${ws}/plugins/flowkit`, { enabled: false });
    expect(off.status, off.text).toBe(200);
    const url = `${pmos.url}${flow.webhookPath}`;
    expect(await hookCalls(flow.id)).toEqual([
      { hook: 'enable', channel: 'plugin', url },
      { hook: 'disable', channel: 'plugin', url },
    ]);
    const shown = (await admin.get(`/api/workspaces/${ws}/flows/${flow.id}`)).body as FlowBody;
    expect(shown.triggerProblem).toMatchObject({
      code: 'plugin_disabled',
      message: expect.stringContaining('Flow Kit'),
    });
    const on = await admin.put(`/api/workspaces/${ws}/plugins/flowkit`, { enabled: true });
    expect(on.status, on.text).toBe(200);
    expect((await hookCalls(flow.id)).at(-1)).toEqual({ hook: 'enable', channel: 'plugin', url });
    const again = (await admin.get(`/api/workspaces/${ws}/flows/${flow.id}`)).body as FlowBody;
    expect(again.triggerProblem).toBeNull();

    // Withdrawn from the whole instance by the super admin: the same, in every workspace.
    expect((await root.put('/api/admin/plugins/flowkit', { available: false })).status).toBe(200);
    expect((await hookCalls(flow.id)).at(-1)).toEqual({ hook: 'disable', channel: 'plugin', url });
    expect((await root.put('/api/admin/plugins/flowkit', { available: true })).status).toBe(200);
    expect((await hookCalls(flow.id)).at(-1)).toEqual({ hook: 'enable', channel: 'plugin', url });
  });
});
