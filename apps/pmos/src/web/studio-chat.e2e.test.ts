import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// A zero-latency fake of an OpenAI-compatible server (real SSE), from the AI providers plugin.
import { startFakeOpenAi } from '../../../../plugins/ai-providers/src/testing/index.js';
import { isFailedResourceLoad, setUpBrowserSession } from '../testing/browser-session.js';
import { signUpInBrowser, workspaceApi } from '../testing/browser-workspace.js';
import type { RunningServer } from '../testing/cli-process.js';
import { greetingFlowOperations } from '../testing/greeting-flow.js';

// The Studio's side chat in Chromium against the real server (`pmos start`) and a local
// OpenAI-compatible fake: asked to add a step, the agent edits the open flow and the new card
// appears on the canvas at once, marked as the agent's; asked to publish, it waits for the
// approval in the same panel, and the Studio shows the flow published after "Approve".

interface OpenAiMessage {
  role: string;
  content?: string | null;
  tool_calls?: { id: string; function: { name: string } }[];
  tool_call_id?: string;
}

/** The tool results since the person's last message, by tool name (parsed JSON). */
function resultsOfThisTurn(messages: OpenAiMessage[]): Map<string, unknown> {
  const lastUser = messages.map((m) => m.role).lastIndexOf('user');
  const names = new Map<string, string>();
  const byTool = new Map<string, unknown>();
  for (const message of messages.slice(lastUser + 1)) {
    for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
    if (message.role === 'tool') {
      const name = names.get(message.tool_call_id ?? '') ?? 'unknown';
      byTool.set(name, JSON.parse(String(message.content ?? 'null')));
    }
  }
  return byTool;
}

interface FlowResult {
  draft: { trigger: { nextAction?: { name: string; settings: Record<string, unknown> } } };
}

const fake = await startFakeOpenAi({
  apiKey: null,
  respond: ({ body }) => {
    const messages = (body.messages ?? []) as OpenAiMessage[];
    // The Studio's conversation tells the agent which flow it is about.
    const system = messages.find((m) => m.role === 'system')?.content ?? '';
    const flowId = /flowId ([0-9a-f-]{36})/.exec(system)?.[1];
    const asked = String(messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');
    const seen = resultsOfThisTurn(messages);
    if (!flowId) return { text: 'Which flow do you mean?' };

    if (/publish/i.test(asked)) {
      if (seen.has('publish_flow')) return { text: 'Published version 1; it stays off.' };
      return {
        text: 'Publishing needs your approval.',
        toolCalls: [{ name: 'publish_flow', args: { flowId, enable: false } }],
      };
    }
    if (seen.has('edit_flow')) return { text: 'Added “Format the greeting” after “Say hello”.' };
    const flow = seen.get('get_flow') as FlowResult | undefined;
    if (!flow) {
      return {
        text: 'I will read the flow first.',
        toolCalls: [{ name: 'get_flow', args: { flowId } }],
      };
    }
    const first = flow.draft.trigger.nextAction;
    const { pluginId, pluginVersion, connectorId } = first?.settings ?? {};
    return {
      text: 'Adding the step after “Say hello”.',
      toolCalls: [
        {
          name: 'edit_flow',
          args: {
            flowId,
            operations: [
              {
                type: 'ADD_ACTION',
                request: {
                  parentStep: first?.name ?? 'trigger',
                  stepLocationRelativeToParent: 'AFTER',
                  action: {
                    name: 'step_2',
                    displayName: 'Format the greeting',
                    type: 'PLUGIN',
                    settings: {
                      pluginId,
                      pluginVersion,
                      connectorId,
                      actionId: 'data_mapper',
                      input: { mapping: { text: '{{step_1.greeting}}!' } },
                    },
                  },
                },
              },
            ],
          },
        },
      ],
    };
  },
});

let server: RunningServer;
let page: Page;
const session = setUpBrowserSession({
  viewport: { width: 1440, height: 900 },
  ignoreConsoleError: isFailedResourceLoad,
  serverEnv: { PMOS_HTTP_PRIVATE_HOSTS: fake.host },
});
const { scriptErrors, shot } = session;
beforeAll(() => {
  ({ server, page } = session);
});
afterAll(() => fake.close());

let workspace = '';
let flowId = '';
const call = workspaceApi(
  () => page,
  () => server.url,
  () => workspace,
);

const card = (name: string) =>
  page.getByRole('button', { name: new RegExp(`^(Step|Trigger): ${name}\\.`) });
const panel = () => page.getByRole('complementary', { name: 'Ask the agent' });

describe('the Studio side chat', () => {
  it('sets up a workspace with a model and a two-step flow', async () => {
    workspace = await signUpInBrowser(page, server.url);
    expect((await call('PUT', '/plugins/ai-providers', { enabled: true })).status).toBe(200);
    const connection = await call('POST', '/connections', {
      pluginId: 'ai-providers',
      connectorId: 'openai-compatible',
      displayName: 'Local model',
      value: { baseUrl: fake.baseUrl },
    });
    expect(connection.status).toBe(201);

    const created = await call('POST', '/flows', { displayName: 'Morning greeting' });
    expect(created.status).toBe(201);
    flowId = created.body.id;
    const catalog = await call('GET', '/catalog');
    const core = (catalog.body.connectors as { pluginId: string; pluginVersion: string }[]).find(
      (c) => c.pluginId === 'core',
    );
    const built = await call('POST', `/flows/${flowId}/operations`, {
      revision: created.body.revision,
      operations: greetingFlowOperations(core?.pluginVersion),
    });
    expect(built.status, JSON.stringify(built.body)).toBe(200);

    // Without a model, the side chat says where to choose one.
    await page.goto(`${server.url}/w/${workspace}/flows/${flowId}`);
    await card('Say hello').waitFor();
    await page.getByRole('button', { name: 'Ask the agent' }).click();
    await panel().getByText('Chat needs an AI model.').waitFor();
    await expect(panel().getByRole('link', { name: 'Settings › AI' }).count()).resolves.toBe(1);
    await expect(panel().getByLabel('Message to the agent').isDisabled()).resolves.toBe(true);
    await shot('studio-chat-not-configured');

    const settings = await call('PUT', '/chat/settings', {
      connectionId: connection.body.id,
      modelId: fake.models[0],
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
  });

  it('adds a step by chat: the card appears on the canvas at once, marked as the agent’s', async () => {
    await page.reload();
    await card('Say hello').waitFor();
    // The panel stayed open, and the cursor can reach it: an honest empty state first.
    await panel().getByRole('heading', { name: 'Change this automation by chat' }).waitFor();
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const composer = panel().getByLabel('Message to the agent');
    await composer.focus();
    await composer.fill('Add a step that formats the greeting');
    await composer.press('Enter');

    const added = page.getByRole('button', {
      name: /^Step: Format the greeting\..*Changed by the agent$/,
    });
    await added.waitFor({ timeout: 20_000 });
    await expect(added.getAttribute('class')).resolves.toContain('is-changed');
    await panel().getByText('Added “Format the greeting” after “Say hello”.').waitFor();
    await panel().getByText('The agent changed “Format the greeting” on the canvas.').waitFor();
    await shot('studio-chat-edit');
    // Live, not by a reload: the page is the same one.
    const same = await page.evaluate(
      () => (globalThis as unknown as { notReloaded?: boolean }).notReloaded === true,
    );
    expect(same).toBe(true);
    await page.getByText('All changes saved').waitFor();
    // The mark fades after a few seconds; the step stays.
    await page
      .getByRole('button', { name: /^Step: Format the greeting\..*Ready$/ })
      .waitFor({ timeout: 15_000 });
    const flow = await call('GET', `/flows/${flowId}`);
    expect(flow.body.draft.trigger.nextAction.nextAction).toMatchObject({
      name: 'step_2',
      displayName: 'Format the greeting',
    });
  });

  it('asks to publish: the approval waits in the panel, and Approve publishes', async () => {
    const composer = panel().getByLabel('Message to the agent');
    await composer.fill('Publish it');
    await composer.press('Enter');
    const approval = panel().getByRole('region', { name: 'Approval: Publish a flow' });
    await approval.waitFor({ timeout: 20_000 });
    await panel().getByText('The agent waits for your decision above.').waitFor();
    await expect(page.locator('.studio-badges').textContent()).resolves.toContain('Draft');
    await shot('studio-chat-approval');

    await approval.getByRole('button', { name: 'Approve' }).click();
    await panel().getByText('Published version 1; it stays off.').waitFor({ timeout: 20_000 });
    await approval.getByText('Approved').waitFor();
    // The header follows without a reload: published, version 1, off.
    await page.locator('.studio-badges').getByText('v1 · Off').waitFor();
    await shot('studio-chat-published');
    const flow = await call('GET', `/flows/${flowId}`);
    expect(flow.body.publishedVersionId).not.toBeNull();

    // The conversation is the flow's: it is there again when the Studio opens next time.
    await page.reload();
    await panel().getByText('Published version 1; it stays off.').waitFor();
    await panel().getByRole('button', { name: 'Close the agent panel' }).click();
    await expect(panel().count()).resolves.toBe(0);
    // Closing it gives the focus back to its toggle (once the panel has gone).
    await page.locator('.studio-chat-toggle:focus').waitFor({ timeout: 2000 });
    expect(scriptErrors).toEqual([]);
  });
});
