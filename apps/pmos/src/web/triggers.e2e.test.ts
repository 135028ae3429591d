import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The fake BCGPT that ships with the plugin for its tests (BCGPT's real wire shapes), here
// answering over loopback HTTP as a self-hosted BCGPT would.
import { createFakeBcgpt } from '../../../../plugins/bcgpt/src/testing/fake-bcgpt.js';
import {
  LINKED_KEY,
  UNKNOWN_KEY,
  withTestKeys,
} from '../../../../plugins/bcgpt/src/testing/keys.js';
import { isFailedResourceLoad, setUpBrowserSession } from '../testing/browser-session.js';
import { signUpInBrowser, workspaceApi } from '../testing/browser-workspace.js';
import type { RunningServer } from '../testing/cli-process.js';

// Triggers in Chromium against the real `pmos start`, with a Basecamp to-do trigger:
// - one that cannot be turned on (its BCGPT key is unknown): publishing says so at once, the
//   Studio says why and what to do, the Automations list marks it; with a good key, turning
//   it off and on fixes it;
// - "Load a real event": the trigger's recent to-dos, newest first, one picked as sample data.

async function serveBcgpt(): Promise<{ base: string; host: string; server: Server }> {
  let fake: ReturnType<typeof createFakeBcgpt> | undefined;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const response = await (fake as ReturnType<typeof createFakeBcgpt>).http.fetch(
      `${(fake as ReturnType<typeof createFakeBcgpt>).base}${req.url}`,
      {
        method: req.method ?? 'POST',
        headers: Object.entries(req.headers).flatMap(([k, v]) =>
          typeof v === 'string' ? [[k, v] as [string, string]] : [],
        ),
        ...(req.method === 'GET' ? {} : { body: Buffer.concat(chunks) }),
      },
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  fake = withTestKeys(createFakeBcgpt({ base }));
  return { base, host: `127.0.0.1:${port}`, server };
}

const bcgpt = await serveBcgpt();

let server: RunningServer;
let page: Page;
const session = setUpBrowserSession({
  ignoreConsoleError: isFailedResourceLoad,
  serverEnv: { PMOS_HTTP_PRIVATE_HOSTS: bcgpt.host },
});
const { scriptErrors, shot } = session;
beforeAll(() => {
  ({ server, page } = session);
});
afterAll(() => new Promise<void>((resolve) => bcgpt.server.close(() => resolve())));

let workspace = '';
let flowId = '';
let connectionId = '';
const call = workspaceApi(
  () => page,
  () => server.url,
  () => workspace,
);

describe('triggers in the Flow Studio', () => {
  it('is reported when the automation is published, with the reason and what to do', async () => {
    workspace = await signUpInBrowser(page, server.url);
    expect((await call('PUT', '/plugins/bcgpt', { enabled: true })).status).toBe(200);
    const connection = await call('POST', '/connections', {
      pluginId: 'bcgpt',
      connectorId: 'bcgpt',
      displayName: 'Our Basecamp',
      value: { baseUrl: bcgpt.base, apiKey: UNKNOWN_KEY },
    });
    expect(connection.status, JSON.stringify(connection.body)).toBe(201);
    connectionId = connection.body.id;
    const document = {
      displayName: 'New to-dos',
      schemaVersion: 1,
      trigger: {
        name: 'trigger',
        displayName: 'New or completed to-do',
        valid: true,
        type: 'PLUGIN_TRIGGER',
        settings: {
          pluginId: 'bcgpt',
          connectorId: 'bcgpt',
          triggerId: 'todo_activity',
          pluginVersion: '0.1.0',
          input: { auth: connectionId, project: '1001', event: 'new' },
        },
      },
    };
    const imported = await call('POST', '/flows/import', {
      pmosFlowExport: 1,
      displayName: 'New to-dos',
      folder: null,
      tags: [],
      document,
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    flowId = imported.body.id;

    await page.goto(`${server.url}/w/${workspace}/flows/${flowId}`);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Saved, but the trigger could not be turned on (see below).').waitFor();
    const alert = page
      .locator('.studio-notices')
      .getByText('The trigger could not be turned on', { exact: true });
    await alert.waitFor();
    const notices = (await page.locator('.studio-notices').textContent()) ?? '';
    expect(notices).toMatch(/key/i);
    expect(notices).toContain('Nothing starts this automation until it is.');
    expect(notices).not.toContain(UNKNOWN_KEY);
    await shot('trigger-problem-studio');

    await page.getByRole('link', { name: '← Automations' }).click();
    const badge = page.getByText('Trigger not on');
    await badge.waitFor();
    expect(await badge.getAttribute('title')).toMatch(/key/i);
    await shot('trigger-problem-automations');
  });

  it('clears once the cause is fixed and the automation is turned off and on', async () => {
    const fixed = await call('PATCH', `/connections/${connectionId}`, {
      value: { baseUrl: bcgpt.base, apiKey: LINKED_KEY },
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    await page.goto(`${server.url}/w/${workspace}/flows/${flowId}`);
    await page
      .locator('.studio-notices')
      .getByText('The trigger could not be turned on', { exact: true })
      .waitFor();
    await page.getByRole('button', { name: 'Turn off' }).click();
    await page.getByText('The automation is off: nothing starts it.').waitFor();
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('The automation is on.').waitFor();
    expect(
      await page.getByText('The trigger could not be turned on', { exact: true }).count(),
    ).toBe(0);
    const flow = await call('GET', `/flows/${flowId}`);
    expect(flow.body.triggerProblem).toBeNull();
    await shot('trigger-problem-fixed');
    expect(scriptErrors).toEqual([]);
  });

  it('loads real events from the trigger and uses the one picked as sample data', async () => {
    await page.getByRole('button', { name: /^Trigger: / }).click();
    const panel = page.getByRole('complementary', { name: /^Settings of / });
    await panel.getByRole('button', { name: 'Load a real event' }).click();
    // The fake BCGPT's project has two open to-dos: the newest (3102) is used at once.
    const events = panel.locator('.studio-event');
    await events.nth(1).waitFor();
    expect(await events.count()).toBe(2);
    expect(await events.first().getAttribute('aria-pressed')).toBe('true');
    await panel.locator('.run-value').getByText('Pick a domain').waitFor();
    await events.nth(1).click();
    await panel.locator('.run-value').getByText('Write the landing page').waitFor();
    expect(await events.nth(1).getAttribute('aria-pressed')).toBe('true');
    await shot('trigger-real-events');

    // The pick is saved in the draft: the steps after the trigger are built with it.
    await page.getByText('All changes saved').waitFor();
    const flow = await call('GET', `/flows/${flowId}`);
    expect(flow.body.draft.trigger.settings.sampleData).toMatchObject({
      event: 'new',
      project: '1001',
      todo: { content: 'Write the landing page' },
    });

    // Its connection cannot be deleted while the trigger it starts is on: the trigger would
    // stay registered at its service with nothing left to turn it off.
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('button', { name: 'Delete Our Basecamp' }).click();
    await page.getByRole('button', { name: 'Delete connection' }).click();
    await page.getByText(/This connection starts “New to-dos”: turn it off first/).waitFor();
    await shot('trigger-connection-in-use');
    await page.keyboard.press('Escape');
    const kept = await call('GET', '/connections');
    expect(kept.body.data.map((c: { id: string }) => c.id)).toContain(connectionId);
    expect(scriptErrors).toEqual([]);
  });
});
