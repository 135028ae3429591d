import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../../testing/http-client.js';
import { acmeKeys, fakeAcme, loadFixturePlugins } from '../../testing/plugin-fixtures.js';
import { type ScriptedReply, scriptedModel, toolResults } from '../../testing/scripted-model.js';
import { signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';

// Enabled plugins' actions as chat tools, on the real server: each action's props become the
// tool's input schema, its connection is used for the call, its risk (or its `riskOf` for this
// call) decides the approval gate, and a failing call's error reaches the trace masked.
const database = withTestDatabase();
let pmos: TestApp;
let admin: TestClient;
let ws: string;
let respond: (prompt: LanguageModelV4Prompt) => ScriptedReply = () => ({ text: 'Hi.' });
const scripted = scriptedModel((prompt) => respond(prompt));

beforeAll(async () => {
  pmos = await startTestApp(
    database.url,
    {},
    undefined,
    await loadFixturePlugins(fakeAcme().fetch),
    { chat: { modelResolver: scripted.resolver } },
  );
  const root = pmos.client();
  await signUpAs(root, 'root@example.com');
  await root.put('/api/admin/plugins/acme-tasks', { available: true });
  admin = pmos.client();
  ws = (await signUpAs(admin, 'ada@example.com')).workspaces[0]?.id ?? '';
  await admin.put(`/api/workspaces/${ws}/plugins/acme-tasks`, { enabled: true });
  const connection = await admin.post(`/api/workspaces/${ws}/connections`, {
    pluginId: 'acme-tasks',
    connectorId: 'acme',
    displayName: 'Acme',
    value: acmeKeys.good,
  });
  expect(connection.status, connection.text).toBe(201);
});
afterAll(() => pmos.close());

interface Detail {
  turns: { id: string; status: string; assistantText: string }[];
  events: { type: string; data: Record<string, unknown> }[];
  approvals: { id: string; status: string; tool: string; risk: string; pluginVersion: string }[];
}

async function turn(
  text: string,
  until: (detail: Detail) => boolean,
): Promise<Detail & { id: string }> {
  const id = (await admin.post(`/api/workspaces/${ws}/chat/conversations`, {})).body.id;
  await admin.post(`/api/workspaces/${ws}/chat/conversations/${id}/messages`, { text });
  return waitFor(id, until);
}

async function waitFor(id: string, until: (detail: Detail) => boolean) {
  for (let i = 0; i < 200; i++) {
    const detail = (await admin.get(`/api/workspaces/${ws}/chat/conversations/${id}`))
      .body as Detail;
    if (until(detail)) return { ...detail, id };
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error('the turn did not get there');
}

const settledTurn = (d: Detail) =>
  d.turns[0]?.status !== undefined && d.turns[0].status !== 'running';

describe("plugins' actions as chat tools", () => {
  it('offers each action with its props as the input schema', async () => {
    respond = () => ({ text: 'ok' });
    await turn('hello', settledTurn);
    const tools = scripted.model.doStreamCalls.at(-1)?.tools ?? [];
    const touch = tools.find((t) => t.name === 'acme-tasks__touch_task') as
      | { inputSchema: { properties: Record<string, unknown>; required: string[] } }
      | undefined;
    expect(touch?.inputSchema.properties).toMatchObject({
      taskId: { type: 'string' },
      dryRun: { type: 'boolean' },
    });
    expect(touch?.inputSchema.required).toEqual(['taskId']);
    expect(tools.map((t) => t.name)).toContain('acme-tasks__archive_task');
  });

  it('asks before a destructive action, and masks the key in its error', async () => {
    respond = (prompt) => {
      const archived = toolResults(prompt).find((r) => r.tool === 'acme-tasks__archive_task');
      if (archived) return { text: `Archive failed: ${JSON.stringify(archived.output)}` };
      return { toolCalls: [{ name: 'acme-tasks__archive_task', args: { taskId: 'T-7' } }] };
    };
    const paused = await turn('archive T-7', (d) => d.approvals.length > 0);
    expect(paused.approvals[0]).toMatchObject({
      tool: 'acme-tasks__archive_task',
      risk: 'destructive',
      pluginVersion: '1.0.0',
      status: 'pending',
    });
    await admin.post(`/api/workspaces/${ws}/chat/approvals/${paused.approvals[0]?.id}/decision`, {
      decision: 'approve',
    });
    const done = await waitFor(paused.id, (d) => d.turns[0]?.status === 'completed');
    const failure = done.events.find((e) => e.type === 'tool.error');
    expect(String(failure?.data.message)).toContain('Acme refused to archive T-7');
    const everything = JSON.stringify(done);
    expect(everything).not.toContain(acmeKeys.good);
    const operations = await admin.get(`/api/workspaces/${ws}/chat/operations`);
    expect(operations.body.data[0]).toMatchObject({
      tool: 'acme-tasks__archive_task',
      outcome: 'failed',
      pluginVersion: '1.0.0',
    });
    expect(JSON.stringify(operations.body)).not.toContain(acmeKeys.good);
  });

  it("takes an action's own risk for one call: a dry run goes without asking", async () => {
    respond = (prompt) => {
      const touched = toolResults(prompt).filter((r) => r.tool === 'acme-tasks__touch_task');
      if (touched.length === 0) {
        return {
          toolCalls: [{ name: 'acme-tasks__touch_task', args: { taskId: 'T-1', dryRun: true } }],
        };
      }
      if (touched.length === 1) {
        return { toolCalls: [{ name: 'acme-tasks__touch_task', args: { taskId: 'T-1' } }] };
      }
      return { text: 'Touched.' };
    };
    const paused = await turn('touch T-1', (d) => d.approvals.length > 0);
    // The dry run ran at once; only the real touch waits, as a write.
    const results = paused.events.filter((e) => e.type === 'tool.result');
    expect(results).toHaveLength(1);
    expect(results[0]?.data.result).toMatchObject({ taskId: 'T-1', touched: false });
    expect(paused.approvals).toHaveLength(1);
    expect(paused.approvals[0]).toMatchObject({ tool: 'acme-tasks__touch_task', risk: 'write' });
  });
});
