import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { withTestDatabase } from '@pmos/core/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import corePkg from '../../../../../plugins/core/package.json' with { type: 'json' };
import mcpPkg from '../../../../../plugins/mcp/package.json' with { type: 'json' };
// A real MCP server (the official SDK's McpServer) that ships with the plugin for its tests.
import {
  createMcpTestServer,
  MCP_TOKEN,
  MCP_URL,
} from '../../../../../plugins/mcp/src/testing/mcp-test-server.js';
import type { TestClient } from '../../testing/http-client.js';
import { type ScriptedReply, scriptedModel, toolResults } from '../../testing/scripted-model.js';
import { signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';
import { startPluginHost } from '../plugins/plugin-host.js';

// The generic MCP connector's tools on the real server and PostgreSQL: read-only by default
// (a tool the server marks read-only runs, any other is refused), until a workspace admin
// marks a tool safe (runs), gated (chat asks first) or blocked (never). The same rule holds
// for a flow run, a step test in the Flow Studio and a chat tool call.
const database = withTestDatabase();
const pluginsDir = fileURLToPath(new URL('../../../../../plugins', import.meta.url));
let roots: string;
let mcpServer: Awaited<ReturnType<typeof createMcpTestServer>>;
let pmos: TestApp;
let admin: TestClient;
let member: TestClient;
let ws: string;
let connectionId: string;
let respond: (prompt: LanguageModelV4Prompt) => ScriptedReply | Promise<ScriptedReply> = () => ({
  text: 'Hi.',
});
const scripted = scriptedModel((prompt) => respond(prompt));
// biome-ignore lint/suspicious/noExplicitAny: API bodies are checked by assertions, not types
type Body = any;

beforeAll(async () => {
  roots = mkdtempSync(join(tmpdir(), 'pmos-mcp-'));
  for (const id of ['core', 'mcp']) symlinkSync(join(pluginsDir, id), join(roots, id));
  mcpServer = await createMcpTestServer({ hosts: mcpPkg.pmos.permissions.hosts });
  const plugins = await startPluginHost({
    roots: [{ dir: roots, source: 'bundled' }],
    logger: pino({ level: 'silent' }),
    fetch: mcpServer.http.fetch,
    // mcp.example.com has no public address here: the operator allows it, as for a
    // self-hosted server (PMOS_HTTP_PRIVATE_HOSTS).
    privateHostsAllowed: ['mcp.example.com'],
  });
  pmos = await startTestApp(database.url, {}, undefined, plugins, {
    runs: { timeoutSeconds: 20 },
    chat: { modelResolver: scripted.resolver },
  });
  const root = pmos.client();
  await signUpAs(root, 'root@example.com');
  expect((await root.put('/api/admin/plugins/mcp', { available: true })).status).toBe(200);
  admin = pmos.client();
  ws = (await signUpAs(admin, 'ada@example.com')).workspaces[0]?.id ?? '';
  expect((await admin.put(`/api/workspaces/${ws}/plugins/mcp`, { enabled: true })).status).toBe(
    200,
  );
  const created = await admin.post(`/api/workspaces/${ws}/connections`, {
    pluginId: 'mcp',
    connectorId: 'mcp',
    displayName: 'Weather server',
    value: { url: MCP_URL, bearerToken: MCP_TOKEN },
  });
  expect(created.status, created.text).toBe(201);
  expect(created.body.lastCheck).toMatchObject({ ok: true });
  connectionId = created.body.id;
  member = pmos.client();
  await signUpAs(member, 'bo@example.com');
  const invite = await admin.post(`/api/workspaces/${ws}/invites`, {
    email: 'bo@example.com',
    role: 'member',
  });
  expect(invite.status, invite.text).toBe(201);
  await member.post(`/api/invites/${invite.body.url.split('/invite/')[1]}/accept`);
});
afterAll(async () => {
  await pmos?.close();
  await mcpServer?.close();
  rmSync(roots, { recursive: true, force: true });
});

const toolsUrl = () => `/api/workspaces/${ws}/connections/${connectionId}/tools`;
const mark = (tool: string, value: 'safe' | 'gated' | 'blocked' | null) =>
  admin.patch(toolsUrl(), { marks: [{ tool, mark: value }] });
const policies = async (client: TestClient = admin) => {
  const response = await client.get(toolsUrl());
  expect(response.status, response.text).toBe(200);
  return Object.fromEntries(
    response.body.data.map((t: Body) => [t.name, `${t.mark ?? '-'}:${t.policy}`]),
  );
};

describe('tool marks of an MCP connection', () => {
  it("lists the server's tools with its own word on each: read-only tools run, others are refused", async () => {
    const catalog = await admin.get(`/api/workspaces/${ws}/catalog`);
    expect(catalog.status, catalog.text).toBe(200);
    const connector = catalog.body.connectors.find((c: Body) => c.pluginId === 'mcp');
    expect(connector.hasRemoteTools).toBe(true);
    const response = await member.get(toolsUrl());
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({
      connectionId,
      data: [
        {
          name: 'get_weather',
          title: 'Weather',
          description: 'Current weather for a city',
          serverRisk: 'read',
          listed: true,
          mark: null,
          markedAt: null,
          markedBy: null,
          policy: 'runs',
        },
        expect.objectContaining({ name: 'add_note', serverRisk: 'write', policy: 'refused' }),
        expect.objectContaining({
          name: 'delete_everything',
          serverRisk: 'destructive',
          policy: 'refused',
        }),
      ],
    });
  });

  it('lets admins mark tools, audited; members see the marks but cannot change them', async () => {
    expect(
      (await member.patch(toolsUrl(), { marks: [{ tool: 'add_note', mark: 'safe' }] })).status,
    ).toBe(403);
    const marked = await admin.patch(toolsUrl(), {
      marks: [
        { tool: 'add_note', mark: 'safe' },
        { tool: 'delete_everything', mark: 'gated' },
        { tool: 'retired_tool', mark: 'blocked' },
      ],
    });
    expect(marked.status, marked.text).toBe(200);
    expect(marked.body.data).toEqual([
      { tool: 'add_note', mark: 'safe', markedAt: expect.any(String), markedBy: 'ada@example.com' },
      expect.objectContaining({ tool: 'delete_everything', mark: 'gated' }),
      expect.objectContaining({ tool: 'retired_tool', mark: 'blocked' }),
    ]);
    expect(await policies(member)).toEqual({
      get_weather: '-:runs',
      add_note: 'safe:runs',
      delete_everything: 'gated:asks',
      retired_tool: 'blocked:refused',
    });
    // A tool the server no longer lists keeps its mark, at the end, until removed.
    const listed = (await admin.get(toolsUrl())).body.data as Body[];
    expect(listed.at(-1)).toMatchObject({ name: 'retired_tool', listed: false, serverRisk: null });
    expect((await mark('retired_tool', null)).body.data.map((m: Body) => m.tool)).toEqual([
      'add_note',
      'delete_everything',
    ]);

    const audit = await admin.get(`/api/workspaces/${ws}/audit?action=connection.tool_mark`);
    expect(audit.status, audit.text).toBe(200);
    expect(audit.body.data.map((e: Body) => e.metadata)).toEqual(
      expect.arrayContaining([
        { tool: 'add_note', mark: 'safe', before: null },
        { tool: 'retired_tool', mark: null, before: 'blocked' },
      ]),
    );
    await mark('add_note', null);
    await mark('delete_everything', null);
  });

  it('refuses bad marks with a plain reason', async () => {
    const cases: [Body, RegExp][] = [
      [{ marks: [{ tool: 'add_note', mark: 'trusted' }] }, /safe, gated, blocked or null/],
      [{ marks: [] }, /at least one mark/],
      [
        {
          marks: [
            { tool: 'add_note', mark: 'safe' },
            { tool: 'add_note', mark: 'blocked' },
          ],
        },
        /one mark at a time/,
      ],
      [{ marks: [{ tool: ' ', mark: 'safe' }] }, /Name the tool/],
    ];
    for (const [body, message] of cases) {
      const response = await admin.patch(toolsUrl(), body);
      expect(response.status, response.text).toBe(400);
      expect(JSON.stringify(response.body.error)).toMatch(message);
    }
    const unknown = await admin.get(
      `/api/workspaces/${ws}/connections/00000000-0000-4000-8000-000000000000/tools`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('connection_not_found');
  });

  it('says plainly when the server cannot be asked', async () => {
    const broken = await admin.post(`/api/workspaces/${ws}/connections`, {
      pluginId: 'mcp',
      connectorId: 'mcp',
      displayName: 'Wrong token',
      value: { url: MCP_URL, bearerToken: 'not-the-token-123' },
    });
    expect(broken.status, broken.text).toBe(201);
    const response = await admin.get(`/api/workspaces/${ws}/connections/${broken.body.id}/tools`);
    expect(response.status).toBe(502);
    expect(response.body.error).toMatchObject({
      code: 'plugin_call_failed',
      message: expect.stringContaining('refused the credentials (HTTP 401)'),
    });
    expect(response.text).not.toContain('not-the-token-123');
    await admin.delete(`/api/workspaces/${ws}/connections/${broken.body.id}`);
  });
});

const callStep = (name: string, tool: string, args: Record<string, unknown>) => ({
  name,
  displayName: `Call ${tool}`,
  valid: true,
  type: 'PLUGIN',
  settings: {
    pluginId: 'mcp',
    connectorId: 'mcp',
    actionId: 'call_tool',
    pluginVersion: mcpPkg.version,
    input: { auth: connectionId, tool, arguments: args },
  },
});

/** A published flow run by hand whose steps call the given tools in order. */
async function flowCalling(steps: ReturnType<typeof callStep>[]) {
  for (let i = 0; i < steps.length - 1; i++) {
    (steps[i] as Body).nextAction = steps[i + 1];
  }
  const created = await admin.post(`/api/workspaces/${ws}/flows/import`, {
    pmosFlowExport: 1,
    displayName: `Calls ${steps.map((s) => s.settings.input.tool).join(', ')}`,
    folder: null,
    tags: [],
    document: {
      displayName: 'MCP calls',
      schemaVersion: 1,
      trigger: {
        name: 'trigger',
        displayName: 'Run by hand',
        valid: true,
        type: 'PLUGIN_TRIGGER',
        settings: {
          pluginId: 'core',
          connectorId: 'core',
          triggerId: 'manual',
          pluginVersion: corePkg.version,
          input: {},
        },
        nextAction: steps[0],
      },
    },
  });
  expect(created.status, created.text).toBe(201);
  const published = await admin.post(`/api/workspaces/${ws}/flows/${created.body.id}/operations`, {
    revision: created.body.revision,
    operations: [{ type: 'LOCK_AND_PUBLISH', request: {} }],
  });
  expect(published.status, published.text).toBe(200);
  return created.body.id as string;
}

async function runOnce(flowId: string) {
  const started = await admin.post(`/api/workspaces/${ws}/flows/${flowId}/runs`, {});
  expect(started.status, started.text).toBe(202);
  for (let i = 0; i < 200; i++) {
    const run = await admin.get(`/api/workspaces/${ws}/runs/${started.body.id}`);
    if (!['QUEUED', 'RUNNING'].includes(run.body.status)) return run.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the run did not finish');
}

describe('the marks where tools run', () => {
  it('in a flow run: an unmarked tool that writes fails the step with the reason; marked safe, it runs', async () => {
    const flowId = await flowCalling([
      callStep('step_1', 'get_weather', { city: 'Berlin' }),
      callStep('step_2', 'add_note', { text: 'Buy milk' }),
    ]);
    const refused = await runOnce(flowId);
    expect(refused.status).toBe('FAILED');
    expect(refused.steps.map((s: Body) => [s.name, s.status])).toEqual([
      ['trigger', 'SUCCEEDED'],
      ['step_1', 'SUCCEEDED'],
      ['step_2', 'FAILED'],
    ]);
    expect(refused.steps[1].output).toMatchObject({ text: 'Sunny in Berlin' });
    expect(refused.error).toMatchObject({ code: 'tool_not_allowed', step: 'step_2' });
    expect(refused.error.message).toContain('"add_note" may change data on the server');

    await mark('add_note', 'safe');
    const ran = await runOnce(flowId);
    expect(ran.status, JSON.stringify(ran.error)).toBe('SUCCEEDED');
    expect(ran.steps[2].output).toMatchObject({ text: 'Saved: Buy milk' });

    // Blocked beats the server's own word: even the read-only tool stops.
    await mark('get_weather', 'blocked');
    const blocked = await runOnce(flowId);
    expect(blocked.error).toMatchObject({ code: 'tool_not_allowed', step: 'step_1' });
    expect(blocked.error.message).toContain('blocked the tool "get_weather"');
    await mark('get_weather', null);
    await mark('add_note', null);
  });

  it('in a step test of the Flow Studio: the same rule, as a result to show', async () => {
    const flowId = await flowCalling([callStep('step_1', 'delete_everything', {})]);
    const test = () =>
      admin.post(`/api/workspaces/${ws}/flows/${flowId}/steps/step_1/test`, { sampleData: {} });
    const refused = await test();
    expect(refused.status, refused.text).toBe(200);
    expect(refused.body).toMatchObject({
      status: 'FAILED',
      error: { code: 'tool_not_allowed', message: expect.stringContaining('"delete_everything"') },
    });
    await mark('delete_everything', 'gated');
    // Gated asks in chat; a person testing a step in the Studio runs it (the server refuses it).
    const ran = await test();
    expect(ran.body).toMatchObject({
      status: 'FAILED',
      error: { code: 'plugin_call_failed', message: expect.stringContaining('Not allowed today') },
    });
    await mark('delete_everything', null);
  });

  it("in the Flow Studio's tool dropdown: each tool says what PMOS will do with it", async () => {
    const labels = async () => {
      const response = await admin.post(`/api/workspaces/${ws}/plugins/mcp/options`, {
        connectorId: 'mcp',
        stepId: 'call_tool',
        prop: 'tool',
        connectionId,
        props: {},
      });
      expect(response.status, response.text).toBe(200);
      return Object.fromEntries(
        response.body.options.map((o: { label: string; value: string }) => [o.value, o.label]),
      );
    };
    expect(await labels()).toMatchObject({
      get_weather: expect.stringMatching(/· runs$/),
      add_note: expect.stringMatching(/\(write\) · refused until an admin marks it$/),
      delete_everything: expect.stringMatching(/· refused until an admin marks it$/),
    });
    await mark('add_note', 'safe');
    await mark('delete_everything', 'gated');
    await mark('get_weather', 'blocked');
    expect(await labels()).toMatchObject({
      get_weather: expect.stringMatching(/· blocked by an admin$/),
      add_note: expect.stringMatching(/· runs$/),
      delete_everything: expect.stringMatching(/· asks first in chat$/),
    });
    for (const tool of ['add_note', 'delete_everything', 'get_weather']) await mark(tool, null);
  });

  it('in chat: each tool the marks let run is a tool of its own; gated asks first, refused is not offered', async () => {
    await mark('add_note', 'gated');
    let step = 0;
    respond = (prompt) => {
      step += 1;
      if (step === 1) {
        return {
          toolCalls: [{ name: 'mcp__weather_server__get_weather', args: { city: 'Oslo' } }],
        };
      }
      if (step === 2) {
        return {
          toolCalls: [{ name: 'mcp__weather_server__add_note', args: { text: 'From chat' } }],
        };
      }
      return { text: `Done after ${toolResults(prompt).length} results.` };
    };
    const conversation = await startTurn('Weather in Oslo, then note it.');
    const detail = await waitFor(conversation, (d) => d.approvals.length > 0);
    const offered = (scripted.model.doStreamCalls.at(-1)?.tools ?? []) as Body[];
    const names = offered.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'mcp__list_tools',
        'mcp__weather_server__get_weather',
        'mcp__weather_server__add_note',
      ]),
    );
    // The generic action stands aside; a tool the marks refuse is not offered at all.
    expect(names).not.toContain('mcp__call_tool');
    expect(names.filter((n) => n.includes('delete_everything'))).toEqual([]);
    const weather = offered.find((t) => t.name === 'mcp__weather_server__get_weather');
    expect(weather).toMatchObject({
      description: 'Current weather for a city',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    });
    expect(ofType(detail.events, 'tool.result')).toContain('Sunny in Oslo');
    // Only the gated tool stopped for an approval, with the server's own risk.
    expect(detail.approvals).toEqual([
      expect.objectContaining({
        tool: 'mcp__weather_server__add_note',
        status: 'pending',
        risk: 'write',
      }),
    ]);
    expect(detail.approvals[0].arguments).toEqual({ text: 'From chat' });
    const decided = await admin.post(
      `/api/workspaces/${ws}/chat/approvals/${detail.approvals[0].id}/decision`,
      { decision: 'approve' },
    );
    expect(decided.status, decided.text).toBe(200);
    const done = await waitFor(conversation, (d) => d.turns[0]?.status === 'completed');
    expect(ofType(done.events, 'tool.result')).toContain('Saved: From chat');
    await mark('add_note', null);
  });

  it('in chat: a tool an admin gates during a turn asks first, though the turn began with it safe', async () => {
    await mark('add_note', 'safe');
    let step = 0;
    respond = async () => {
      step += 1;
      if (step === 1) {
        // The admin changes their mind while the agent is at work.
        await mark('add_note', 'gated');
        return {
          toolCalls: [{ name: 'mcp__weather_server__add_note', args: { text: 'Mid-turn' } }],
        };
      }
      return { text: 'Noted.' };
    };
    const conversation = await startTurn('Note it.');
    const detail = await waitFor(conversation, (d) => d.approvals.length > 0);
    expect(detail.approvals).toEqual([
      expect.objectContaining({ tool: 'mcp__weather_server__add_note', status: 'pending' }),
    ]);
    expect(ofType(detail.events, 'tool.result')).not.toContain('Saved: Mid-turn');
    const decided = await admin.post(
      `/api/workspaces/${ws}/chat/approvals/${detail.approvals[0].id}/decision`,
      { decision: 'reject' },
    );
    expect(decided.status, decided.text).toBe(200);
    await waitFor(conversation, (d) => d.turns[0]?.status === 'completed');
    await mark('add_note', null);
  });

  it('in chat, when a server cannot be asked: the generic action, whose calls the marks still check', async () => {
    const broken = await admin.post(`/api/workspaces/${ws}/connections`, {
      pluginId: 'mcp',
      connectorId: 'mcp',
      displayName: 'Locked server',
      value: { url: MCP_URL, bearerToken: 'not-the-token-456' },
    });
    expect(broken.status, broken.text).toBe(201);
    const generic = (tool: string, args: Record<string, unknown>) => ({
      toolCalls: [{ name: 'mcp__call_tool', args: { connectionId, tool, arguments: args } }],
    });
    let step = 0;
    respond = () => {
      step += 1;
      if (step === 1) return generic('get_weather', { city: 'Rome' });
      if (step === 2) return generic('delete_everything', {});
      return { text: 'Done.' };
    };
    const conversation = await startTurn('Weather in Rome, then clear everything.');
    const done = await waitFor(conversation, (d) => d.turns[0]?.status === 'completed');
    const names = (scripted.model.doStreamCalls.at(-1)?.tools ?? []).map((t) => t.name);
    expect(names).toContain('mcp__call_tool');
    expect(names.filter((n) => n.startsWith('mcp__weather_server__'))).toEqual([]);
    expect(ofType(done.events, 'tool.result')).toContain('Sunny in Rome');
    // Unmarked and not read-only: refused when it runs, with nothing to approve.
    expect(done.approvals).toEqual([]);
    expect(done.events.filter((e: Body) => e.type === 'tool.error')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          code: 'tool_not_allowed',
          message: expect.stringContaining('"delete_everything" may change data'),
        }),
      }),
    ]);
    await admin.delete(`/api/workspaces/${ws}/connections/${broken.body.id}`);
  });
});

async function startTurn(text: string): Promise<string> {
  const conversation = (await admin.post(`/api/workspaces/${ws}/chat/conversations`, {})).body.id;
  const sent = await admin.post(
    `/api/workspaces/${ws}/chat/conversations/${conversation}/messages`,
    { text },
  );
  expect(sent.status, sent.text).toBe(202);
  return conversation;
}

const ofType = (events: Body[], type: string) =>
  JSON.stringify(events.filter((e) => e.type === type).map((e) => e.data));

async function waitFor(id: string, until: (detail: Body) => boolean): Promise<Body> {
  for (let i = 0; i < 300; i++) {
    const detail = (await admin.get(`/api/workspaces/${ws}/chat/conversations/${id}`)).body;
    if (until(detail)) return detail;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error('the conversation did not get there');
}
