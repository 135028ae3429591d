import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFlowkitFlow, workspaceWithPlugin } from '../../testing/flowkit-workspace.js';
import type { TestClient } from '../../testing/http-client.js';
import { loadRunFixturePlugins } from '../../testing/plugin-fixtures.js';
import { query, startTestApp, type TestApp } from '../../testing/test-app.js';

// "Load a real event" in the Flow Studio: a flow's trigger tested alone on the real server —
// its own recent events, one run of a polling or schedule trigger, nothing kept, and a clear
// refusal for a webhook trigger that can only wait for its events.
const database = withTestDatabase();
let pmos: TestApp;
let admin: TestClient;
let viewer: TestClient;
let ws: string;

beforeAll(async () => {
  pmos = await startTestApp(database.url, {}, undefined, await loadRunFixturePlugins(), {});
  ({ admin, viewer, ws } = await workspaceWithPlugin(pmos));
});
afterAll(() => pmos.close());

const flowWith = async (triggerId: string) => (await importFlowkitFlow(admin, ws, triggerId)).id;

const testTrigger = (flowId: string, client = admin) =>
  client.post(`/api/workspaces/${ws}/flows/${flowId}/steps/trigger/test`, { sampleData: {} });

describe('testing a trigger alone', () => {
  it("gives the trigger's recent events, and keeps nothing in its store", async () => {
    const flowId = await flowWith('poll');
    const tested = await testTrigger(flowId);
    expect(tested.status, tested.text).toBe(200);
    expect(tested.body).toMatchObject({
      status: 'SUCCEEDED',
      output: [{ id: 'recent-2' }, { id: 'recent-1' }],
      durationMs: expect.any(Number),
    });
    const kept = await query(
      pmos.orm,
      `select count(*)::int as n from plugin_store where scope = 'flow' and scope_id = ?`,
      [flowId],
    );
    expect(kept[0].n).toBe(0);
  });

  it('runs a schedule trigger once, firing now', async () => {
    const tested = await testTrigger(await flowWith('tick'));
    expect(tested.body.status).toBe('SUCCEEDED');
    expect(tested.body.output).toEqual([{ firedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
  });

  it('says plainly that a webhook trigger gets its events from requests', async () => {
    const tested = await testTrigger(await flowWith('hook'));
    expect(tested.status).toBe(409);
    expect(tested.body.error).toMatchObject({
      code: 'trigger_test_unavailable',
      message: expect.stringContaining('webhook'),
    });
  });

  it('tells the catalog which triggers can be tested, and refuses viewers', async () => {
    const catalog = await admin.get(`/api/workspaces/${ws}/catalog`);
    const kit = catalog.body.connectors.find((c: { id: string }) => c.id === 'kit');
    const testable = Object.fromEntries(
      kit.triggers.map((t: { id: string; testable: boolean }) => [t.id, t.testable]),
    );
    expect(testable).toMatchObject({ poll: true, tick: true, manual: true, hook: false });
    const refused = await testTrigger(await flowWith('poll'), viewer);
    expect(refused.status).toBe(403);
  });

  it('asks for a trigger first when the flow has none', async () => {
    const empty = await admin.post(`/api/workspaces/${ws}/flows`, { displayName: 'Empty' });
    const tested = await testTrigger(empty.body.id);
    expect(tested.status).toBe(400);
    expect(tested.body.error).toMatchObject({
      code: 'invalid_step_input',
      message: 'Choose a trigger first.',
    });
  });
});
