import type { LanguageModelV4Prompt } from '@ai-sdk/provider';
import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceWithPlugin } from '../../testing/flowkit-workspace.js';
import type { TestClient } from '../../testing/http-client.js';
import { loadRunFixturePlugins } from '../../testing/plugin-fixtures.js';
import { type ScriptedReply, scriptedModel, toolResults } from '../../testing/scripted-model.js';
import { query, startTestApp, type TestApp } from '../../testing/test-app.js';
import type { PluginHost } from '../plugins/plugin-host.js';

// Chat with the operator agent end to end on the real server and PostgreSQL, with a scripted
// model (the AI SDK's mock): flows created, edited, published and run by chat; approvals
// approved, rejected, expired and decided across a restart; the trace; quotas; roles.
const database = withTestDatabase();
let plugins: PluginHost;
let pmos: TestApp;
let admin: TestClient;
let viewer: TestClient;
let root: TestClient;
let ws: string;
let respond: (prompt: LanguageModelV4Prompt, call: number) => ScriptedReply = () => ({
  text: 'Hi.',
});
const scripted = scriptedModel((prompt, call) => respond(prompt, call));

const start = () =>
  startTestApp(database.url, {}, undefined, plugins, {
    runs: {},
    chat: { modelResolver: scripted.resolver, approvalTtlSeconds: 600 },
  });

beforeAll(async () => {
  plugins = await loadRunFixturePlugins();
  pmos = await start();
  ({ root, admin, viewer, ws } = await workspaceWithPlugin(pmos));
});
afterAll(() => pmos.close());

interface TraceEvent {
  seq: number;
  type: string;
  data: Record<string, unknown>;
}

async function conversation(client = admin) {
  const created = await client.post(`/api/workspaces/${ws}/chat/conversations`, {});
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

async function send(conversationId: string, text: string, client = admin) {
  const sent = await client.post(
    `/api/workspaces/${ws}/chat/conversations/${conversationId}/messages`,
    { text },
  );
  expect(sent.status, sent.text).toBe(202);
  return sent.body.turn.id as string;
}

/** Waits until the turn is no longer running; returns the conversation. */
async function settled(conversationId: string, turnId: string, client = admin) {
  for (let i = 0; i < 300; i++) {
    const detail = await client.get(`/api/workspaces/${ws}/chat/conversations/${conversationId}`);
    const turn = detail.body.turns.find((t: { id: string }) => t.id === turnId);
    if (turn && turn.status !== 'running') {
      return detail.body as {
        turns: { id: string; status: string; assistantText: string; error: unknown }[];
        events: TraceEvent[];
        approvals: {
          id: string;
          status: string;
          tool: string;
          arguments: Record<string, unknown>;
        }[];
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error(`turn ${turnId} did not settle`);
}

const lastResult = (prompt: LanguageModelV4Prompt, tool: string) =>
  toolResults(prompt)
    .filter((r) => r.tool === tool)
    .at(-1)?.output as
    | { type: string; value?: Record<string, unknown>; reason?: string }
    | undefined;

const flowOperations = [
  {
    type: 'UPDATE_TRIGGER',
    request: {
      name: 'trigger',
      displayName: 'By hand',
      type: 'PLUGIN_TRIGGER',
      settings: {
        pluginId: 'flowkit',
        pluginVersion: '1.0.0',
        connectorId: 'kit',
        triggerId: 'manual',
        input: {},
      },
    },
  },
  {
    type: 'ADD_ACTION',
    request: {
      parentStep: 'trigger',
      stepLocationRelativeToParent: 'AFTER',
      action: {
        name: 'step_1',
        displayName: 'Echo',
        type: 'PLUGIN',
        settings: {
          pluginId: 'flowkit',
          pluginVersion: '1.0.0',
          connectorId: 'kit',
          actionId: 'echo',
          input: { value: 'Hello {{trigger.name}}' },
        },
      },
    },
  },
];

/** create → edit → publish (approval) → run (approval) → answer. */
function buildAndRunScript(): typeof respond {
  return (prompt) => {
    const created = lastResult(prompt, 'create_flow');
    const edited = lastResult(prompt, 'edit_flow');
    const published = lastResult(prompt, 'publish_flow');
    const ran = lastResult(prompt, 'run_flow');
    if (ran) {
      return ran.type === 'json'
        ? { text: `Started run ${ran.value?.runId}.` }
        : { text: `The run was not started: ${ran.reason ?? ran.type}.` };
    }
    if (published) {
      if (published.type !== 'json') return { text: `Not published: ${published.reason}` };
      return {
        text: 'Published. Now I will run it.',
        toolCalls: [
          { name: 'run_flow', args: { flowId: published.value?.id, payload: { name: 'Ada' } } },
        ],
      };
    }
    if (edited) {
      return {
        text: 'I will publish it.',
        toolCalls: [{ name: 'publish_flow', args: { flowId: edited.value?.id, enable: false } }],
      };
    }
    if (created) {
      return {
        text: 'Renaming it.',
        toolCalls: [
          {
            name: 'edit_flow',
            args: {
              flowId: created.value?.id,
              operations: [{ type: 'CHANGE_NAME', request: { displayName: 'Greet by chat' } }],
            },
          },
        ],
      };
    }
    if (!lastResult(prompt, 'list_step_types')) {
      return {
        text: 'Let me see what steps exist.',
        toolCalls: [{ name: 'list_step_types', args: {} }],
      };
    }
    return {
      text: 'Creating the flow.',
      toolCalls: [
        { name: 'create_flow', args: { displayName: 'Greet', operations: flowOperations } },
      ],
    };
  };
}

async function decide(approvalId: string, decision: 'approve' | 'reject', client = admin) {
  const decided = await client.post(`/api/workspaces/${ws}/chat/approvals/${approvalId}/decision`, {
    decision,
    ...(decision === 'reject' ? { reason: 'Not today' } : {}),
  });
  expect(decided.status, decided.text).toBe(200);
  return decided.body;
}

describe('chat with the operator agent', () => {
  it('creates, edits, publishes and runs a flow, stopping twice for approval', async () => {
    respond = buildAndRunScript();
    const id = await conversation();
    const turnId = await send(id, 'Make me a flow that greets people, then run it for Ada');
    let detail = await settled(id, turnId);
    expect(detail.turns[0]?.status).toBe('awaiting_approval');
    const publish = detail.approvals.find((a) => a.status === 'pending');
    expect(publish?.tool).toBe('publish_flow');
    // Drafts were made without asking: the flow exists, unpublished.
    const flows = await admin.get(`/api/workspaces/${ws}/flows?search=Greet`);
    const flow = flows.body.data.find(
      (f: { displayName: string }) => f.displayName === 'Greet by chat',
    );
    expect(
      flow?.publishedVersionId,
      JSON.stringify(detail.events.map((e) => [e.type, e.data])),
    ).toBeNull();

    await decide(publish?.id ?? '', 'approve');
    detail = await settled(id, turnId);
    // The resumed turn waits again: running a flow needs its own approval.
    await new Promise((resolve) => setTimeout(resolve, 100));
    detail = await settled(id, turnId);
    const run = detail.approvals.find((a) => a.status === 'pending');
    expect(run?.tool).toBe('run_flow');
    expect(run?.arguments).toMatchObject({ flowId: flow.id, payload: { name: 'Ada' } });
    await decide(run?.id ?? '', 'approve');
    for (let i = 0; i < 100 && detail.turns[0]?.status !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      detail = await settled(id, turnId);
    }
    expect(detail.turns[0]?.status, JSON.stringify(detail.turns[0])).toBe('completed');
    expect(detail.turns[0]?.assistantText).toMatch(/^Started run /);

    const after = await admin.get(`/api/workspaces/${ws}/flows/${flow.id}`);
    expect(after.body.publishedVersionId).not.toBeNull();
    const runs = await admin.get(`/api/workspaces/${ws}/runs?flowId=${flow.id}`);
    expect(runs.body.data).toHaveLength(1);

    // The trace: ordered, complete, the same shape whatever the provider.
    const types = detail.events.map((e) => e.type);
    expect(detail.events.map((e) => e.seq)).toEqual(detail.events.map((_, i) => i + 1));
    expect(types[0]).toBe('turn.started');
    for (const type of [
      'plan',
      'tool.call',
      'tool.result',
      'approval.requested',
      'approval.decided',
      'usage',
      'summary',
      'turn.finished',
    ]) {
      expect(types).toContain(type);
    }
    const usage = detail.events.find((e) => e.type === 'usage');
    expect(usage?.data).toMatchObject({
      provider: 'test/scripted',
      model: 'scripted-1',
      inputTokens: 10,
      outputTokens: 5,
    });

    // Operation history: every executed call, with what replay needs.
    const operations = await admin.get(`/api/workspaces/${ws}/chat/operations`);
    expect(operations.body.data.map((o: { tool: string }) => o.tool)).toEqual([
      'run_flow',
      'publish_flow',
      'edit_flow',
      'create_flow',
      'list_step_types',
    ]);
    expect(operations.body.data[0]).toMatchObject({ outcome: 'succeeded', model: 'scripted-1' });
    expect(operations.body.data[0].resultDigest).toMatch(/^[0-9a-f]{64}$/);

    // Decisions are audited.
    const audit = await admin.get(`/api/workspaces/${ws}/audit?action=chat.approval.approve`);
    expect(audit.status).toBe(200);
    const stored = await query(
      pmos.orm,
      `select count(*)::int as n from audit_event where workspace_id = ? and action = 'chat.approval.approve'`,
      [ws],
    );
    expect(stored[0].n).toBe(2);
  });

  it('tells the agent a rejection, and nothing runs', async () => {
    const existing = await admin.post(`/api/workspaces/${ws}/flows`, { displayName: 'Keep me' });
    respond = (prompt) => {
      const deleted = lastResult(prompt, 'delete_flow');
      if (deleted) return { text: `Result: ${deleted.type} ${deleted.reason ?? ''}` };
      return { toolCalls: [{ name: 'delete_flow', args: { flowId: existing.body.id } }] };
    };
    const id = await conversation();
    const turnId = await send(id, 'Delete Keep me');
    let detail = await settled(id, turnId);
    const approval = detail.approvals[0];
    expect(approval).toMatchObject({ tool: 'delete_flow', status: 'pending' });
    await decide(approval?.id ?? '', 'reject');
    await pmos.app.chat.idle();
    detail = await settled(id, turnId);
    expect(detail.turns[0]?.status).toBe('completed');
    expect(detail.turns[0]?.assistantText).toMatch(/execution-denied .*rejected this: Not today/);
    expect(detail.events.map((e) => e.type)).toContain('tool.denied');
    expect((await admin.get(`/api/workspaces/${ws}/flows/${existing.body.id}`)).status).toBe(200);
    // A decided approval cannot be decided again.
    const again = await admin.post(
      `/api/workspaces/${ws}/chat/approvals/${approval?.id}/decision`,
      {
        decision: 'approve',
      },
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('approval_already_decided');
  });

  it('fails closed when an approval expires, and tells the agent', async () => {
    const existing = await admin.post(`/api/workspaces/${ws}/flows`, { displayName: 'Expiring' });
    respond = (prompt) => {
      const deleted = lastResult(prompt, 'delete_flow');
      if (deleted) return { text: `Result: ${deleted.reason ?? deleted.type}` };
      return { toolCalls: [{ name: 'delete_flow', args: { flowId: existing.body.id } }] };
    };
    const id = await conversation();
    const turnId = await send(id, 'Delete Expiring');
    let detail = await settled(id, turnId);
    const approval = detail.approvals[0];
    await query(
      pmos.orm,
      `update chat_approval set expires_at = now() - interval '1 second' where id = ?`,
      [approval?.id],
    );
    // A late approval is refused, whoever sends it…
    const late = await admin.post(`/api/workspaces/${ws}/chat/approvals/${approval?.id}/decision`, {
      decision: 'approve',
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('approval_expired');
    // …and the sweeper expires it and resumes the turn with a denial.
    for (let i = 0; i < 100 && detail.turns[0]?.status !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      detail = await settled(id, turnId);
    }
    expect(detail.approvals[0]?.status).toBe('expired');
    expect(detail.turns[0]?.assistantText).toMatch(/expired and nothing was done/);
    expect((await admin.get(`/api/workspaces/${ws}/flows/${existing.body.id}`)).status).toBe(200);
  });

  it('streams the trace live and lets a reconnecting client catch up', async () => {
    respond = () => ({ text: 'Hello there, Ada.' });
    const id = await conversation();
    const turnId = await send(id, 'Say hello');
    await settled(id, turnId);
    const cookie = `pmos_session=${admin.cookie}`;
    const read = async (lastEventId?: string) => {
      const controller = new AbortController();
      const response = await fetch(
        `${pmos.url}/api/workspaces/${ws}/chat/conversations/${id}/events`,
        {
          headers: { cookie, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
          signal: controller.signal,
        },
      );
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body?.getReader();
      let text = '';
      const deadline = Date.now() + 1500;
      while (reader && Date.now() < deadline && !text.includes('turn.finished')) {
        const { value, done } = await Promise.race([
          reader.read(),
          new Promise<{ value: undefined; done: true }>((r) =>
            setTimeout(() => r({ value: undefined, done: true }), 300),
          ),
        ]);
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      controller.abort();
      return [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    };
    const all = await read();
    expect(all[0]).toBe(1);
    const resumed = await read(String(all[2]));
    expect(resumed).toEqual(all.slice(3));
  });

  it('tells the agent which flow a conversation opened from its Studio is about', async () => {
    const flow = await admin.post(`/api/workspaces/${ws}/flows`, { displayName: 'Studio focus' });
    const created = await admin.post(`/api/workspaces/${ws}/chat/conversations`, {
      flowId: flow.body.id,
      title: 'About Studio focus',
    });
    expect(created.status, created.text).toBe(201);
    let system = '';
    respond = (prompt) => {
      system = prompt.find((m) => m.role === 'system')?.content ?? '';
      return { text: 'Noted.' };
    };
    await settled(created.body.id, await send(created.body.id, 'add a step'));
    expect(system).toContain(`"Studio focus" (flowId ${flow.body.id})`);

    // A conversation about no flow says nothing of one.
    const plain = await conversation();
    await settled(plain, await send(plain, 'hello'));
    expect(system).not.toContain('flowId');
  });

  it('refuses viewers and enforces the chat quotas', async () => {
    const refused = await viewer.post(`/api/workspaces/${ws}/chat/conversations`, {});
    expect(refused.status).toBe(403);
    const subject = `workspace:${ws}`;
    respond = () => ({ text: 'ok', inputTokens: 600, outputTokens: 600 });
    await root.put('/api/admin/limits', { limitName: 'ai_tokens_per_day', subject, value: 1000 });
    const id = await conversation();
    await settled(id, await send(id, 'spend tokens'));
    const overTokens = await admin.post(`/api/workspaces/${ws}/chat/conversations/${id}/messages`, {
      text: 'more',
    });
    expect(overTokens.status).toBe(429);
    expect(overTokens.body.error.code).toBe('quota_exceeded');
    await root.put('/api/admin/limits', { limitName: 'ai_tokens_per_day', subject, value: null });

    await root.put('/api/admin/limits', {
      limitName: 'chat_messages_per_minute',
      subject,
      value: 1,
    });
    const overRate = await admin.post(`/api/workspaces/${ws}/chat/conversations/${id}/messages`, {
      text: 'again',
    });
    expect(overRate.status).toBe(429);
    expect(overRate.body.error.code).toBe('rate_limited');
    expect(overRate.body.error.details).toMatchObject({ limit: 1, resetsAt: expect.any(String) });
    expect(Number(overRate.headers.get('retry-after'))).toBeGreaterThan(0);
    await root.put('/api/admin/limits', {
      limitName: 'chat_messages_per_minute',
      subject,
      value: null,
    });
  });

  it('replays an operation through the same approval gate', async () => {
    const operations = await admin.get(`/api/workspaces/${ws}/chat/operations`);
    const publish = operations.body.data.find((o: { tool: string }) => o.tool === 'publish_flow');
    const replay = await admin.post(
      `/api/workspaces/${ws}/chat/operations/${publish.id}/replay`,
      {},
    );
    expect(replay.status, replay.text).toBe(202);
    const detail = await settled(replay.body.conversationId, replay.body.turn.id);
    const pending = detail.approvals.find((a) => a.status === 'pending');
    expect(pending?.tool).toBe('publish_flow');
    await decide(pending?.id ?? '', 'approve');
    await pmos.app.chat.idle();
    const after = await admin.get(`/api/workspaces/${ws}/chat/operations`);
    expect(after.body.data[0]).toMatchObject({
      tool: 'publish_flow',
      replayOf: publish.id,
      outcome: 'succeeded',
    });
  });

  it('refuses to replay an operation whose arguments held a secret (it was not kept)', async () => {
    respond = (prompt) =>
      lastResult(prompt, 'flowkit__echo')
        ? { text: 'Echoed.' }
        : {
            toolCalls: [
              { name: 'flowkit__echo', args: { value: { apiKey: 'sk-live-0123456789abcdef' } } },
            ],
          };
    const id = await conversation();
    await settled(id, await send(id, 'Echo my key'));
    await pmos.app.chat.idle();
    const operations = await admin.get(`/api/workspaces/${ws}/chat/operations`);
    const echo = operations.body.data.find((o: { tool: string }) => o.tool === 'flowkit__echo');
    expect(JSON.stringify(echo.arguments)).not.toContain('sk-live');
    const replay = await admin.post(`/api/workspaces/${ws}/chat/operations/${echo.id}/replay`, {});
    expect(replay.status).toBe(409);
    expect(replay.body.error).toMatchObject({
      code: 'operation_not_replayable',
      message: expect.stringContaining('ask the agent to do it again'),
    });
  });

  it('resumes a turn decided after a restart', async () => {
    const existing = await admin.post(`/api/workspaces/${ws}/flows`, { displayName: 'Restart me' });
    respond = (prompt) => {
      const deleted = lastResult(prompt, 'delete_flow');
      if (deleted) return { text: deleted.type === 'json' ? 'Deleted.' : 'Not deleted.' };
      return { toolCalls: [{ name: 'delete_flow', args: { flowId: existing.body.id } }] };
    };
    const id = await conversation();
    const turnId = await send(id, 'Delete Restart me');
    const detail = await settled(id, turnId);
    const approvalId = detail.approvals[0]?.id ?? '';
    await pmos.close();
    pmos = await start();
    // Cookies are tied to the server's URL: sign in again on the new one.
    admin = pmos.client();
    const signedIn = await admin.post('/api/auth/sign-in', {
      email: 'ada@example.com',
      password: 'correct horse battery staple',
    });
    expect(signedIn.status).toBe(200);
    await decide(approvalId, 'approve');
    let after = await settled(id, turnId);
    for (let i = 0; i < 100 && after.turns[0]?.status !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await settled(id, turnId);
    }
    expect(after.turns[0]?.assistantText).toBe('Deleted.');
    expect((await admin.get(`/api/workspaces/${ws}/flows/${existing.body.id}`)).status).toBe(404);
  });

  it("tells the agent when a published flow's trigger could not be turned on", async () => {
    const imported = await admin.post(`/api/workspaces/${ws}/flows/import`, {
      pmosFlowExport: 1,
      displayName: 'Refused hook',
      folder: null,
      tags: [],
      document: {
        displayName: 'Refused hook',
        schemaVersion: 1,
        trigger: {
          name: 'trigger',
          displayName: 'Registered webhook',
          valid: true,
          type: 'PLUGIN_TRIGGER',
          settings: {
            pluginId: 'flowkit',
            connectorId: 'kit',
            triggerId: 'registered',
            pluginVersion: '1.0.0',
            input: { channel: 'refused' },
          },
        },
      },
    });
    expect(imported.status, imported.text).toBe(201);
    let seen: Record<string, unknown> | undefined;
    respond = (prompt) => {
      const published = lastResult(prompt, 'publish_flow');
      if (published) {
        seen = published.value;
        return { text: String(published.value?.triggerProblem ?? 'It is on.') };
      }
      return {
        toolCalls: [{ name: 'publish_flow', args: { flowId: imported.body.id, enable: true } }],
      };
    };
    const id = await conversation();
    const turnId = await send(id, 'Publish Refused hook and turn it on');
    const detail = await settled(id, turnId);
    await decide(detail.approvals[0]?.id ?? '', 'approve');
    await pmos.app.chat.idle();
    const after = await settled(id, turnId);
    expect(seen).toMatchObject({ status: 'ENABLED', published: true });
    expect(after.turns[0]?.assistantText).toMatch(
      /^The trigger could not be turned on: .*The service refused to register the webhook\./,
    );
  });
});
