import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The fake instance ships with the plugin; here it answers over HTTP, as a real one does.
import { apTrigger } from '../../../../plugins/activepieces/src/sync/fixtures.js';
import {
  type FakeActivepieces,
  fakeActivepieces,
} from '../../../../plugins/activepieces/src/testing/fake-activepieces.js';
import { isFailedResourceLoad, setUpBrowserSession } from '../testing/browser-session.js';
import { signUpInBrowser, workspaceApi } from '../testing/browser-workspace.js';
import type { RunningServer } from '../testing/cli-process.js';

// Flow sync with an Activepieces instance in Chromium against the real `pmos start`: the admin
// connects the instance, imports one of its flows from the Automations page, sees it in sync,
// and, after both sides changed, resolves the conflict by keeping the Activepieces version.

/** The fake Activepieces behind a loopback HTTP server (its own URL is that server's). */
async function serveFake(): Promise<{ ap: FakeActivepieces; host: string; server: Server }> {
  let ap: FakeActivepieces | undefined;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? 'GET';
    const response = await (ap as FakeActivepieces).fetch(`${ap?.url}${req.url}`, {
      method,
      headers: Object.entries(req.headers).flatMap(([k, v]) =>
        typeof v === 'string' ? [[k, v] as [string, string]] : [],
      ),
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
    });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  ap = fakeActivepieces({ url: `http://127.0.0.1:${port}`, edition: 'ce' });
  return { ap, host: `127.0.0.1:${port}`, server };
}

const fake = await serveFake();
const { ap } = fake;

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
afterAll(() => new Promise<void>((resolve) => fake.server.close(() => resolve())));

let workspace = '';
const call = workspaceApi(
  () => page,
  () => server.url,
  () => workspace,
);

const row = (name: string) => page.locator('tr.flow-row', { hasText: name });

describe('flow sync in the browser', () => {
  it('imports an Activepieces flow from the Automations page, in sync', async () => {
    workspace = await signUpInBrowser(page, server.url);
    expect((await call('PUT', '/plugins/activepieces', { enabled: true })).status).toBe(200);
    const connection = await call('POST', '/connections', {
      pluginId: 'activepieces',
      connectorId: 'activepieces-instance',
      displayName: 'Our Activepieces',
      value: { url: ap.url, email: ap.user.email, password: ap.user.password },
    });
    expect(connection.status, JSON.stringify(connection.body)).toBe(201);
    expect(connection.body.lastCheck?.ok).toBe(true);
    ap.addFlow('Follow up completed tasks', apTrigger());

    await page.getByRole('link', { name: 'Automations' }).click();
    await page.getByRole('button', { name: 'Import from Activepieces' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Follow up completed tasks').click();
    await shot('sync-import-dialog');
    await dialog.getByRole('button', { name: 'Import flow' }).click();
    await row('Follow up completed tasks').getByText('Activepieces: In sync').waitFor();
    await shot('sync-in-sync');
  });

  it('shows a conflict when both sides changed, and keeps the version chosen', async () => {
    const links = await call('GET', '/flow-links');
    const link = links.body.data[0] as { flowId: string; externalId: string };
    // A colleague renames it in Activepieces…
    ap.operate(link.externalId, {
      type: 'CHANGE_NAME',
      request: { displayName: 'Follow up (edited in Activepieces)' },
    });
    // …while it is renamed in PMOS, and the push cannot go through yet (the editor is open).
    ap.lockEditor(link.externalId);
    const flow = await call('GET', `/flows/${link.flowId}`);
    const edited = await call('POST', `/flows/${link.flowId}/operations`, {
      revision: flow.body.revision,
      operations: [{ type: 'CHANGE_NAME', request: { displayName: 'Follow up (edited in PMOS)' } }],
    });
    expect(edited.status).toBe(200);
    ap.unlockEditor(link.externalId);

    // The push after the edit finds both sides changed: nothing is overwritten.
    await page.reload();
    const mine = row('Follow up (edited in PMOS)');
    await mine.getByText('Activepieces: Conflict: choose a side').waitFor({ timeout: 15_000 });
    await mine.getByRole('button', { name: /^Resolve the conflict on/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByText(/Follow up \(edited in Activepieces\)/)
      .first()
      .waitFor();
    await shot('sync-conflict');
    await dialog.getByRole('button', { name: 'Keep Activepieces version' }).click();
    await row('Follow up (edited in Activepieces)').getByText('Activepieces: In sync').waitFor();
    await shot('sync-resolved');
    expect(scriptErrors).toEqual([]);
  });
});
