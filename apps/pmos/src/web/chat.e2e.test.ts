import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// A zero-latency fake of an OpenAI-compatible server (real SSE), from the AI providers plugin.
import { startFakeOpenAi } from '../../../../plugins/ai-providers/src/testing/index.js';
import { isFailedResourceLoad, setUpBrowserSession } from '../testing/browser-session.js';
import { signUpInBrowser, workspaceApi } from '../testing/browser-workspace.js';
import type { RunningServer } from '../testing/cli-process.js';
import { greetingFlowOperations } from '../testing/greeting-flow.js';

// Chat in Chromium against the real server (`pmos start`), the bundled AI providers plugin and
// a local OpenAI-compatible fake: the admin picks the model in Settings › AI, asks in Chat for a
// flow, sees the agent's plan and trace live, approves the publish on its card, and finds the
// flow published in Automations.

interface OpenAiMessage {
  role: string;
  content?: string | null;
  tool_calls?: { function: { name: string } }[];
}

/** The tool results the model was sent so far, by tool name (parsed JSON). */
function results(messages: OpenAiMessage[]): Map<string, unknown> {
  const names = new Map<string, string>();
  const byTool = new Map<string, unknown>();
  for (const message of messages) {
    for (const [index, call] of (message.tool_calls ?? []).entries()) {
      names.set(`${messages.indexOf(message)}:${index}`, call.function.name);
    }
  }
  // Tool messages answer the assistant message before them, in order.
  let lastAssistant = -1;
  let answered = 0;
  for (const [i, message] of messages.entries()) {
    if (message.role === 'assistant') {
      lastAssistant = i;
      answered = 0;
    }
    if (message.role === 'tool') {
      const name = names.get(`${lastAssistant}:${answered++}`) ?? 'unknown';
      byTool.set(name, JSON.parse(String(message.content ?? 'null')));
    }
  }
  return byTool;
}

const fake = await startFakeOpenAi({
  apiKey: null,
  respond: ({ body }) => {
    const seen = results((body.messages ?? []) as OpenAiMessage[]);
    const types = seen.get('list_step_types') as
      | { pluginId: string; pluginVersion: string }[]
      | undefined;
    const created = seen.get('create_flow') as { id: string } | undefined;
    const published = seen.get('publish_flow') as { id: string; published: boolean } | undefined;
    if (published) return { text: 'Published “Daily hello”: it is ready to run.' };
    if (created) {
      return {
        text: 'The draft is ready; publishing needs your approval.',
        toolCalls: [{ name: 'publish_flow', args: { flowId: created.id, enable: false } }],
      };
    }
    if (types) {
      const core = types.find((t) => t.pluginId === 'core');
      return {
        text: 'I will create the flow with a manual trigger and one step.',
        toolCalls: [
          {
            name: 'create_flow',
            args: {
              displayName: 'Daily hello',
              operations: greetingFlowOperations(core?.pluginVersion),
            },
          },
        ],
      };
    }
    return {
      text: 'Let me see which steps this workspace offers.',
      toolCalls: [{ name: 'list_step_types', args: {} }],
    };
  },
});

let server: RunningServer;
let page: Page;
const session = setUpBrowserSession({
  ignoreConsoleError: isFailedResourceLoad,
  serverEnv: { PMOS_HTTP_PRIVATE_HOSTS: fake.host },
});
const { scriptErrors, shot } = session;
beforeAll(() => {
  ({ server, page } = session);
});
afterAll(() => fake.close());

let workspace = '';
const call = workspaceApi(
  () => page,
  () => server.url,
  () => workspace,
);

describe('chat in the browser', () => {
  it('chooses the model in Settings › AI', async () => {
    workspace = await signUpInBrowser(page, server.url);
    expect((await call('PUT', '/plugins/ai-providers', { enabled: true })).status).toBe(200);
    const connection = await call('POST', '/connections', {
      pluginId: 'ai-providers',
      connectorId: 'openai-compatible',
      displayName: 'Local model',
      value: { baseUrl: fake.baseUrl },
    });
    expect(connection.status).toBe(201);

    await page.goto(`${server.url}/w/${workspace}/chat`);
    await page.getByText('Chat needs an AI model.').waitFor();
    await page.getByRole('link', { name: 'Settings › AI' }).click();
    await page.getByLabel('AI connection').selectOption({ label: 'Local model' });
    await page.getByText(/models available/).waitFor();
    await page.getByLabel('Model').selectOption(fake.models[0] ?? '');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Chat uses this model now.').waitFor();
    await shot('settings-ai');
  });

  it('asks for a flow, approves its publication, and finds it in Automations', async () => {
    await page.goto(`${server.url}/w/${workspace}/chat`);
    await page.getByRole('heading', { name: 'Operate by chat' }).waitFor();
    const composer = page.getByLabel('Message to the agent');
    await composer.fill('Make a flow called Daily hello that says hello, and publish it');
    await composer.press('Enter');

    const card = page.getByRole('region', { name: 'Approval: Publish a flow' });
    await card.waitFor({ timeout: 20_000 });
    await card.getByText('"enable": false').waitFor();
    const turns = page.locator('.chat-turns');
    await turns.getByText('The draft is ready; publishing needs your approval.').waitFor();
    const trace = page.getByRole('region', { name: 'Trace' });
    await trace.getByText('Create a flow').first().waitFor();
    await shot('chat-approval');
    // The draft exists already; it is not published until the approval.
    const before = await call('GET', '/flows?search=Daily');
    expect(before.body.data[0]?.publishedVersionId).toBeNull();

    await card.getByRole('button', { name: 'Approve' }).click();
    await turns
      .getByText('Published “Daily hello”: it is ready to run.')
      .waitFor({ timeout: 20_000 });
    await card.getByText('Approved').waitFor();
    await trace.getByText('Summary').waitFor();
    await shot('chat-done');

    await page.getByRole('tab', { name: 'History' }).click();
    await page
      .getByRole('region', { name: 'Operation history' })
      .getByText('Publish a flow')
      .waitFor();

    await page.getByRole('link', { name: 'Automations' }).click();
    await page.waitForURL('**/automations');
    await page.getByRole('link', { name: 'Daily hello', exact: true }).first().waitFor();
    await shot('chat-automations');
    const after = await call('GET', '/flows?search=Daily');
    expect(after.body.data[0]?.publishedVersionId).not.toBeNull();
    expect(scriptErrors).toEqual([]);
  });
});
