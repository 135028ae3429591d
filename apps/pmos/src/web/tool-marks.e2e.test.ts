import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// A real MCP server (the official SDK's McpServer) that ships with the plugin for its tests;
// here it answers over loopback HTTP, as a server of tools on the network does.
import {
  createMcpTestServer,
  MCP_TOKEN,
  MCP_URL,
} from '../../../../plugins/mcp/src/testing/mcp-test-server.js';
import { isFailedResourceLoad, setUpBrowserSession } from '../testing/browser-session.js';
import { signUpInBrowser, workspaceApi } from '../testing/browser-workspace.js';
import type { RunningServer } from '../testing/cli-process.js';

// The Tools of an MCP connection in Chromium against the real `pmos start`: the admin opens
// them from Integrations, sees which tools run (read-only ones) and which are refused, marks
// one safe and one gated, and the marks hold after a reload.

async function serveMcp(): Promise<{ url: string; host: string; server: Server }> {
  const mcp = await createMcpTestServer();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? 'GET';
    const response = await mcp.http.fetch(`${new URL(MCP_URL).origin}${req.url}`, {
      method,
      headers: Object.entries(req.headers).flatMap(([k, v]) =>
        typeof v === 'string' ? [[k, v] as [string, string]] : [],
      ),
      ...(method === 'GET' || method === 'HEAD' || method === 'DELETE'
        ? {}
        : { body: Buffer.concat(chunks) }),
    });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/mcp`, host: `127.0.0.1:${port}`, server };
}

const mcp = await serveMcp();

let server: RunningServer;
let page: Page;
const session = setUpBrowserSession({
  ignoreConsoleError: isFailedResourceLoad,
  serverEnv: { PMOS_HTTP_PRIVATE_HOSTS: mcp.host },
});
const { scriptErrors, shot } = session;
beforeAll(() => {
  ({ server, page } = session);
});
afterAll(() => new Promise<void>((resolve) => mcp.server.close(() => resolve())));

let workspace = '';
let connectionId = '';
const call = workspaceApi(
  () => page,
  () => server.url,
  () => workspace,
);

const dialog = () => page.getByTestId('tool-marks-dialog');
const row = (tool: string) => dialog().locator(`[data-testid="tool-row"][data-tool="${tool}"]`);

async function openTools() {
  await page.getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('button', { name: 'Tools of Weather server' }).click();
  await row('get_weather').waitFor();
}

describe('tool marks in the browser', () => {
  it('shows the tools of an MCP connection: read-only ones run, the others are refused', async () => {
    workspace = await signUpInBrowser(page, server.url);
    expect((await call('PUT', '/plugins/mcp', { enabled: true })).status).toBe(200);
    const connection = await call('POST', '/connections', {
      pluginId: 'mcp',
      connectorId: 'mcp',
      displayName: 'Weather server',
      value: { url: mcp.url, bearerToken: MCP_TOKEN },
    });
    expect(connection.status, JSON.stringify(connection.body)).toBe(201);
    expect(connection.body.lastCheck?.ok, connection.body.lastCheck?.message).toBe(true);
    connectionId = connection.body.id;

    await openTools();
    expect(await dialog().getByRole('heading').first().textContent()).toBe(
      'Tools of Weather server',
    );
    expect(await row('get_weather').getAttribute('data-policy')).toBe('runs');
    expect(await row('add_note').getAttribute('data-policy')).toBe('refused');
    expect(await row('delete_everything').getAttribute('data-policy')).toBe('refused');
    await row('get_weather').getByText('Reads only').waitFor();
    await row('delete_everything').getByText('May delete or overwrite').waitFor();
    await shot('tool-marks-default');
  });

  it('marks one tool safe and one gated, and the marks hold after a reload', async () => {
    await row('add_note').getByLabel('Mark for add_note').selectOption('safe');
    await dialog()
      .getByText(/Saved\. add_note now runs without asking/)
      .waitFor();
    expect(await row('add_note').getAttribute('data-policy')).toBe('runs');
    await row('delete_everything').getByLabel('Mark for delete_everything').selectOption('gated');
    await dialog()
      .getByText(/delete_everything now asks first in chat/)
      .waitFor();
    expect(await row('delete_everything').getAttribute('data-policy')).toBe('asks');
    await row('delete_everything')
      .getByText(/Marked by ada@example\.com/)
      .waitFor();
    await shot('tool-marks-marked');

    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('button', { name: 'Tools of Weather server' }).click();
    await row('get_weather').waitFor();
    expect(await row('add_note').getAttribute('data-policy')).toBe('runs');
    expect(await row('delete_everything').getAttribute('data-policy')).toBe('asks');
    expect(
      await row('delete_everything').getByLabel('Mark for delete_everything').inputValue(),
    ).toBe('gated');
    // The server agrees: the marks are stored, as the API answers them.
    const tools = await call('GET', `/connections/${connectionId}/tools`);
    expect(
      tools.body.data.map((t: { name: string; mark: string | null }) => [t.name, t.mark]),
    ).toEqual([
      ['get_weather', null],
      ['add_note', 'safe'],
      ['delete_everything', 'gated'],
    ]);
    expect(scriptErrors).toEqual([]);
  });
});
