import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTestDatabase } from '@pmos/core/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The fakes ship with the plugin (they import only Node): real wire formats, SSE included.
import {
  type FakeProvider,
  startFakeAnthropic,
  startFakeOpenAi,
} from '../../../../../plugins/ai-providers/src/testing/index.js';
import type { TestClient } from '../../testing/http-client.js';
import { signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';
import { startPluginHost } from '../plugins/plugin-host.js';

// Chat through the real AI providers plugin and the AI SDK's real provider adapters, over HTTP
// to local fakes of OpenAI(-compatible) and Anthropic that stream real SSE with tool calls:
// the agent lists flows, answers, and leaves a trace of the same shape for both providers.
const database = withTestDatabase();
const pluginDir = fileURLToPath(new URL('../../../../../plugins/ai-providers', import.meta.url));
let roots: string;
let openai: FakeProvider;
let anthropic: FakeProvider;
let pmos: TestApp;
let admin: TestClient;
let ws: string;

beforeAll(async () => {
  openai = await startFakeOpenAi({ apiKey: null, chunkDelayMs: 1 });
  anthropic = await startFakeAnthropic({ chunkDelayMs: 1 });
  roots = mkdtempSync(join(tmpdir(), 'pmos-ai-plugins-'));
  symlinkSync(pluginDir, join(roots, 'ai-providers'));
  const plugins = await startPluginHost({
    roots: [{ dir: roots, source: 'bundled' }],
    logger: pino({ level: 'silent' }),
    privateHostsAllowed: [openai.host, anthropic.host],
  });
  pmos = await startTestApp(database.url, {}, undefined, plugins);
  const root = pmos.client();
  await signUpAs(root, 'root@example.com');
  expect((await root.put('/api/admin/plugins/ai-providers', { available: true })).status).toBe(200);
  admin = pmos.client();
  ws = (await signUpAs(admin, 'ada@example.com')).workspaces[0]?.id ?? '';
  await admin.put(`/api/workspaces/${ws}/plugins/ai-providers`, { enabled: true });
  await admin.post(`/api/workspaces/${ws}/flows`, { displayName: 'Weekly report' });
});
afterAll(async () => {
  await pmos?.close();
  await openai?.close();
  await anthropic?.close();
  rmSync(roots, { recursive: true, force: true });
});

async function useProvider(connectorId: string, fake: FakeProvider, model: string) {
  const connection = await admin.post(`/api/workspaces/${ws}/connections`, {
    pluginId: 'ai-providers',
    connectorId,
    displayName: `${connectorId} fake`,
    value: { baseUrl: fake.baseUrl, ...(fake.apiKey ? { apiKey: fake.apiKey } : {}) },
  });
  expect(connection.status, connection.text).toBe(201);
  const models = await admin.post(
    `/api/workspaces/${ws}/plugins/ai-providers/ai-providers/${connectorId}/models`,
    { connectionId: connection.body.id },
  );
  expect(models.status, models.text).toBe(200);
  expect(models.body.data.map((m: { id: string }) => m.id)).toContain(model);
  const settings = await admin.put(`/api/workspaces/${ws}/chat/settings`, {
    connectionId: connection.body.id,
    modelId: model,
  });
  expect(settings.status, settings.text).toBe(200);
  expect(settings.body.configured).toBe(true);
}

/** One conversation: "which flows?" → list_flows → an answer naming the flow. */
async function ask(fake: FakeProvider) {
  fake.enqueue(
    { text: 'Let me look.', toolCalls: [{ name: 'list_flows', args: {} }] },
    { text: 'You have one flow: Weekly report.' },
  );
  const conversation = await admin.post(`/api/workspaces/${ws}/chat/conversations`, {});
  const sent = await admin.post(
    `/api/workspaces/${ws}/chat/conversations/${conversation.body.id}/messages`,
    { text: 'Which flows do I have?' },
  );
  expect(sent.status, sent.text).toBe(202);
  for (let i = 0; i < 200; i++) {
    const detail = await admin.get(
      `/api/workspaces/${ws}/chat/conversations/${conversation.body.id}`,
    );
    const turn = detail.body.turns[0];
    if (turn && turn.status !== 'running') {
      expect(turn.status, JSON.stringify(detail.body.events)).toBe('completed');
      return detail.body as {
        turns: { assistantText: string; inputTokens: number; model: string; provider: string }[];
        events: { type: string; data: Record<string, unknown> }[];
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error('the turn did not finish');
}

describe('chat over real provider adapters', () => {
  let openaiTrace: Awaited<ReturnType<typeof ask>>;

  it('answers through an OpenAI-compatible endpoint (streamed tool call, tool result sent back)', async () => {
    const model = openai.models[0] ?? '';
    await useProvider('openai-compatible', openai, model);
    openaiTrace = await ask(openai);
    expect(openaiTrace.turns[0]?.assistantText).toBe('You have one flow: Weekly report.');
    const result = openaiTrace.events.find((e) => e.type === 'tool.result');
    expect(JSON.stringify(result?.data.result)).toContain('Weekly report');
    // The model really received the tool's result on its second request.
    const second = openai.chatRequests().at(-1) as {
      messages: { role: string; content: unknown }[];
    };
    expect(JSON.stringify(second.messages)).toContain('Weekly report');
    expect(openaiTrace.events.find((e) => e.type === 'usage')?.data).toMatchObject({
      provider: 'ai-providers/openai-compatible',
      model,
    });
  });

  it('leaves a trace of the same shape through Anthropic', async () => {
    const model = anthropic.models[0] ?? '';
    await useProvider('anthropic', anthropic, model);
    const trace = await ask(anthropic);
    expect(trace.turns[0]?.assistantText).toBe('You have one flow: Weekly report.');
    const shape = (t: typeof trace) => t.events.map((e) => [e.type, Object.keys(e.data).sort()]);
    expect(shape(trace)).toEqual(shape(openaiTrace));
  });

  it('explains a provider failure in plain words, without the key', async () => {
    anthropic.failNext('invalid_key');
    const conversation = await admin.post(`/api/workspaces/${ws}/chat/conversations`, {});
    await admin.post(`/api/workspaces/${ws}/chat/conversations/${conversation.body.id}/messages`, {
      text: 'Hello',
    });
    let failed: { type: string; data: Record<string, unknown> } | undefined;
    for (let i = 0; i < 200 && !failed; i++) {
      const detail = await admin.get(
        `/api/workspaces/${ws}/chat/conversations/${conversation.body.id}`,
      );
      failed = detail.body.events.find((e: { type: string }) => e.type === 'turn.failed');
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(failed?.data.code).toBe('invalid_key');
    expect(String(failed?.data.message)).not.toContain(anthropic.apiKey ?? 'never');
  });
});
