import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isFailedResourceLoad, setUpBrowserSession } from '../testing/browser-session.js';
import type { RunningServer } from '../testing/cli-process.js';
import { TestClient } from '../testing/http-client.js';

// Plugins end to end, in Chromium against the built server: the super admin offers the
// repository's GitHub Issues example, a workspace admin enables it, its connector and its
// federated settings panel (loaded over module federation, sharing the host's React) appear
// in Integrations, and disabling takes them away again. The test fixture plugins are installed
// too, for refused plugins on the admin page, a panel that cannot load, and an OAuth2 sign-in
// whose provider page the test plays itself.
// The steps build on each other, so they run in order.
let server: RunningServer;
let page: Page;

const grace = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler a-0 1952' };
const linus = { name: 'Linus Pauling', email: 'linus@example.com', password: 'vitamin c 1954 x' };
const firstToken = 'github_pat_e2e_first_0a1b2c3d4e5f';
const secondToken = 'github_pat_e2e_second_6a7b8c9d0e1f';
let workspace = '';

const fixturePlugins = fileURLToPath(new URL('../testing/fixture-plugins', import.meta.url));

// Refused requests (403, 409 …) are part of the scenario; script errors never are.
const session = setUpBrowserSession({
  serverEnv: { PMOS_PLUGINS_DIR: fixturePlugins },
  ignoreConsoleError: isFailedResourceLoad,
});
const { scriptErrors, shot } = session;
beforeAll(() => {
  ({ server, page } = session);
});

async function signOut(person: typeof grace) {
  await page.getByRole('button', { name: `Account menu for ${person.name}` }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in to PMOS' }).waitFor();
}

async function signIn(person: typeof grace) {
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const settingsTabs = () => page.getByRole('navigation', { name: 'Settings sections' });
const pluginItem = (name: string) => page.locator('.plugin-item', { hasText: name });
const githubPanel = () => page.locator('[data-testid="github-issues-settings"]');
const githubSection = () => page.getByRole('region', { name: 'GitHub', exact: true });
const acmeOAuth = () => page.getByRole('region', { name: 'Acme Tasks (sign in)', exact: true });

describe('plugins in the browser', () => {
  it('lets the super admin offer the GitHub Issues example to every workspace', async () => {
    const admin = new TestClient(server.url);
    expect((await admin.post('/api/auth/sign-up', grace)).status).toBe(201);
    const listed = await admin.get('/api/admin/plugins');
    expect(listed.status).toBe(200);
    const github = listed.body.data.find((p: { id: string }) => p.id === 'github-issues');
    expect(github).toMatchObject({ source: 'example', status: 'loaded', available: false });
    for (const id of ['github-issues', 'acme-tasks']) {
      const offered = await admin.put(`/api/admin/plugins/${id}`, { available: true });
      expect(offered.status).toBe(200);
      expect(offered.body.available).toBe(true);
    }
  });

  it('shows a workspace admin the offered plugins and the hosts each may reach', async () => {
    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel('Name').fill(linus.name);
    await page.getByLabel('Work email').fill(linus.email);
    await page.getByLabel('Password').fill(linus.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/w\/[0-9a-f-]{36}$/);
    workspace = /\/w\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';

    // Nothing is enabled yet: Integrations says where connectors come from.
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('heading', { name: 'No integrations to connect yet' }).waitFor();
    await page.getByRole('link', { name: 'Open Settings › Plugins' }).click();
    await page.waitForURL('**/settings/plugins');
    await settingsTabs().getByRole('link', { name: 'Plugins' }).waitFor();

    const github = pluginItem('GitHub Issues');
    await github.getByText('Can reach: api.github.com').waitFor();
    await github.getByText('Version 0.1.0').waitFor();
    await github.getByText(/the GitHub connector and a panel in Integrations/).waitFor();
    await github.getByText('Not enabled').waitFor();
    await pluginItem('Acme Tasks').getByText('Can reach: tasks.acme.test').waitFor();
    await shot('plugins-settings');

    await page.getByRole('button', { name: 'Enable GitHub Issues' }).click();
    await page.getByText('GitHub Issues is enabled.').waitFor();
    await github.getByText('Enabled', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Disable GitHub Issues' }).waitFor();
  });

  it('shows the GitHub connector and its federated settings panel in Integrations', async () => {
    await page.getByRole('link', { name: 'Integrations', exact: true }).first().click();
    await page.waitForURL('**/integrations');
    await githubSection().getByRole('heading', { name: 'No connections yet' }).waitFor();
    await githubSection().getByRole('button', { name: 'Add connection' }).waitFor();
    // The panel comes from the plugin's own remote, over module federation.
    await githubPanel().waitFor();
    await githubPanel().getByText('No GitHub connection yet.').waitFor();
    await githubSection().getByRole('heading', { name: 'GitHub connection' }).waitFor();
    await githubSection().getByText('From the GitHub Issues plugin, version 0.1.0.').waitFor();
    const loaded = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname),
    );
    expect(loaded).toContain('/plugins/github-issues/0.1.0/mf-manifest.json');
    const remoteFiles = loaded.filter((path) => path.startsWith('/plugins/github-issues/0.1.0/'));
    expect(remoteFiles.some((path) => /\/assets\/Settings-[\w-]+\.js$/.test(path))).toBe(true);
    // React is the host's singleton: the remote's own copy is never even fetched.
    expect(remoteFiles.filter((path) => /react/i.test(path))).toEqual([]);
    await shot('plugins-integrations');
  });

  it('adds a connection, tests it and offers to fix credentials that do not work', async () => {
    await githubSection().getByRole('button', { name: 'Add connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect GitHub' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Name').inputValue()).toBe('GitHub connection');
    // Checked before sending.
    await dialog.getByRole('button', { name: 'Save and test' }).click();
    await dialog.getByText('Enter the personal access token.').waitFor();
    const token = dialog.getByRole('textbox', { name: /token/i });
    await token.fill(firstToken);
    expect(await token.getAttribute('type')).toBe('password');
    await shot('plugins-add-connection');
    await dialog.getByRole('button', { name: 'Save and test' }).click();

    // A made-up token never works (and this test may run without internet access at all).
    const result = page.getByRole('dialog', { name: '“GitHub connection” does not work yet' });
    await result.getByText('The test failed').waitFor({ timeout: 20_000 });
    await shot('plugins-connection-failing');
    await result.getByRole('button', { name: 'Fix the credentials' }).click();
    const replace = page.getByRole('dialog', {
      name: 'Replace the credentials of “GitHub connection”',
    });
    await replace.getByText('••••4e5f').waitFor();
    await replace.getByRole('textbox', { name: /token/i }).fill(secondToken);
    await replace.getByRole('button', { name: 'Save and test' }).click();
    await result.getByText('The test failed').waitFor({ timeout: 20_000 });
    await result.getByRole('button', { name: 'Close' }).click();
    await result.waitFor({ state: 'hidden' });

    const row = githubSection().getByRole('row', { name: /GitHub connection/ });
    await row.getByText('••••0e1f').waitFor();
    await row.getByText('Failing').waitFor();
    await row.getByText(/checked just now/).waitFor();
    const html = await page.content();
    expect(html).not.toContain(firstToken);
    expect(html).not.toContain(secondToken);
    // The panel reads the connections itself: it shows the new one too.
    await githubPanel().locator('[data-testid="github-connection"]').waitFor();

    await row.getByRole('button', { name: 'Test GitHub connection again' }).click();
    await githubSection()
      .getByText(/“GitHub connection” failed its test/)
      .waitFor({
        timeout: 20_000,
      });
    await row.getByRole('button', { name: 'Rename GitHub connection' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename “GitHub connection”' });
    await rename.getByLabel('Name').fill('Octo org');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await githubSection().getByText('Renamed to “Octo org”.').waitFor();
    await githubSection()
      .getByRole('row', { name: /Octo org/ })
      .waitFor();
    await shot('plugins-integrations-connection');
  });

  it('takes the connector and its panel away when the plugin is disabled', async () => {
    await page.getByRole('link', { name: 'Manage plugins' }).click();
    await page.waitForURL('**/settings/plugins');
    await page.getByRole('button', { name: 'Disable GitHub Issues' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disable GitHub Issues?' });
    await confirm.getByText(/actions, triggers and panels disappear/).waitFor();
    await confirm.getByRole('button', { name: 'Disable plugin' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByText(/GitHub Issues is disabled/).waitFor();

    await page.getByRole('link', { name: 'Integrations', exact: true }).first().click();
    await page.getByRole('heading', { name: 'No integrations to connect yet' }).waitFor();
    await page
      .getByText(/1 saved connection belongs to a plugin that is not enabled here/)
      .waitFor();
    expect(await githubPanel().count()).toBe(0);
    expect(await githubSection().count()).toBe(0);
  });

  it('loaded React once along the way and had no script errors', async () => {
    expect(
      scriptErrors.filter((text) => /Invalid hook call|more than one copy of React/.test(text)),
    ).toEqual([]);
    expect(scriptErrors).toEqual([]);
  });

  it('keeps the page working when a plugin panel cannot be loaded', async () => {
    // A fresh page load: the federation runtime starts again from nothing.
    await page.goto(`${server.url}/w/${workspace}/settings/plugins`);
    await page.getByRole('button', { name: 'Enable Acme Tasks' }).click();
    await page.getByText('Acme Tasks is enabled.').waitFor();
    await page.getByRole('link', { name: 'Integrations', exact: true }).first().click();

    const acme = page.getByRole('region', { name: 'Acme Tasks', exact: true });
    await acme.getByText('The Acme Tasks panel could not be loaded.').waitFor();
    await acme.getByText('The rest of PMOS works normally.').waitFor();
    await acme.getByRole('button', { name: 'Add connection' }).click();
    await page.getByRole('dialog', { name: 'Connect Acme Tasks' }).waitFor();
    await page.keyboard.press('Escape');
    await acme.getByText('Details').click();
    await shot('plugins-panel-failed');
    expect(scriptErrors.filter((text) => /Invalid hook call/.test(text))).toEqual([]);

    // The panel names its connector: it shows under that one only, not under the plugin's others.
    await acmeOAuth().getByRole('heading', { name: 'No connections yet' }).waitFor();
    expect(await acme.locator('.plugin-panel').count()).toBe(1);
    expect(await acmeOAuth().locator('.plugin-panel').count()).toBe(0);
    // An AI provider without a health check is saved, not tested.
    const acmeAi = page.getByRole('region', { name: 'Acme AI', exact: true });
    await acmeAi.getByText(/PMOS stores it encrypted\.$/).waitFor();
    await acmeAi.getByText('From the Acme Tasks plugin.').waitFor();
  });

  it('signs in to an OAuth2 connector at the provider and says why a declined sign-in failed', async () => {
    const redirectUri = `${server.url}/api/oauth2/callback`;
    await acmeOAuth().getByRole('button', { name: 'Add connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect Acme Tasks (sign in)' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Redirect URI to register with the provider').inputValue()).toBe(
      redirectUri,
    );
    await dialog.getByText('tasks:read', { exact: true }).waitFor();
    await dialog.getByText('tasks:write', { exact: true }).waitFor();
    const signIn = dialog.getByRole('button', { name: 'Sign in with Acme Tasks (sign in)' });
    // Checked before sending.
    await signIn.click();
    await dialog.getByText('Choose the region.').waitFor();
    await dialog.getByText('Enter the client id.').waitFor();
    await dialog.getByLabel('Region').selectOption({ label: 'Europe' });
    await dialog.getByLabel('Client ID').fill('acme-e2e-client');
    await dialog.getByLabel('Client secret (optional for public clients)').fill('acme-e2e-secret');
    await shot('plugins-oauth2-dialog');

    // The provider's page: the person declines, and the provider sends the browser back.
    let authorization: URL | undefined;
    await page.route('https://auth.acme.test/**', async (route) => {
      authorization = new URL(route.request().url());
      const back = new URL(redirectUri);
      back.searchParams.set('state', authorization.searchParams.get('state') ?? '');
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'You declined');
      await route.fulfill({ status: 302, headers: { location: back.href } });
    });
    try {
      await signIn.click();
      const failed = page.getByRole('alert').filter({ hasText: 'You declined' });
      await failed.getByText('Signing in did not finish').waitFor();
      await page.waitForURL((url) => url.pathname === `/w/${workspace}/integrations`);
      await page.waitForURL((url) => !url.searchParams.has('oauth2_error'));
      expect(new URL(page.url()).search).toBe('');
      expect(authorization?.origin + (authorization?.pathname ?? '')).toBe(
        'https://auth.acme.test/eu/authorize',
      );
      expect(authorization?.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorization?.searchParams.get('client_id')).toBe('acme-e2e-client');
      expect(authorization?.searchParams.get('redirect_uri')).toBe(redirectUri);
      expect(authorization?.searchParams.get('scope')).toBe('tasks:read tasks:write');
      await shot('plugins-oauth2-declined');

      // Trying again opens the dialog with what was entered, less the secret.
      await failed.getByRole('button', { name: 'Try again' }).click();
      await dialog.waitFor();
      expect(await dialog.getByLabel('Client ID').inputValue()).toBe('acme-e2e-client');
      expect(await dialog.getByLabel('Name').inputValue()).toBe('Acme Tasks (sign in) connection');
      expect(
        await dialog.getByLabel('Client secret (optional for public clients)').inputValue(),
      ).toBe('');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(await page.getByRole('alert').filter({ hasText: 'You declined' }).count()).toBe(0);
    } finally {
      await page.unroute('https://auth.acme.test/**');
    }
  });

  it('saves a connection it cannot test as saved, and marks the one a sign-in made', async () => {
    const acmeAi = page.getByRole('region', { name: 'Acme AI', exact: true });
    await acmeAi.getByRole('button', { name: 'Add connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect Acme AI' });
    await dialog.getByLabel('API key').fill('acme-ai-e2e-key');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    const result = page.getByRole('dialog', { name: '“Acme AI connection” is saved' });
    await result.getByText('Acme AI has no way to test a connection').waitFor();
    await result.getByRole('button', { name: 'Done' }).click();
    const row = acmeAi.getByRole('row', { name: /Acme AI connection/ });
    await row.getByText('Saved', { exact: true }).waitFor();
    expect(await row.getByRole('button', { name: /Test .* again/ }).count()).toBe(0);

    // Back from a provider, the page names the new connection, marks it and cleans the address.
    const id = await page.evaluate(async (ws) => {
      const response = await fetch(`/api/workspaces/${ws}/connections`);
      const list = (await response.json()) as { data: { id: string; connectorId: string }[] };
      return list.data.find((c) => c.connectorId === 'acme-ai')?.id;
    }, workspace);
    await page.goto(`${server.url}/w/${workspace}/integrations?connection=${id}`);
    await acmeAi.getByText('Connected “Acme AI connection”.').waitFor();
    await acmeAi.locator('tr.connection-highlighted').waitFor();
    await page.waitForURL((url) => url.search === '');
    await shot('plugins-signed-in');
  });

  it('shows the super admin every plugin, refused ones with the reason', async () => {
    await signOut(linus);
    await signIn(grace);
    await page.waitForURL((url) => url.pathname !== '/sign-in');
    await page.goto(`${server.url}/admin/plugins`);
    await page.getByRole('navigation', { name: 'Admin sections' }).waitFor();

    const github = pluginItem('GitHub Issues');
    await github.getByText('Available', { exact: true }).waitFor();
    await github.getByText('Example').waitFor();
    await github.getByText('Can reach: api.github.com').waitFor();
    await github.getByText('0 workspaces').waitFor();
    await pluginItem('Acme Tasks').getByText('1 workspace').waitFor();
    await pluginItem('Needs a newer PMOS').getByText('Refused').waitFor();
    await pluginItem('Needs a newer PMOS').getByRole('alert').waitFor();
    expect(await page.getByRole('button', { name: /Needs a newer PMOS/ }).count()).toBe(0);
    await shot('plugins-admin');

    await page.getByRole('button', { name: 'Withdraw Acme Tasks' }).click();
    const confirm = page.getByRole('dialog', { name: 'Withdraw Acme Tasks?' });
    await confirm
      .getByText(/It is enabled in 1 workspace. Withdrawing disables it there/)
      .waitFor();
    await confirm.getByRole('button', { name: 'Withdraw plugin' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await pluginItem('Acme Tasks').getByText('Not offered', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Make Acme Tasks available' }).click();
    await page.getByText(/Acme Tasks is available/).waitFor();
    await pluginItem('Acme Tasks').getByText('Available', { exact: true }).waitFor();
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await pluginItem('Needs a newer PMOS').getByRole('alert').waitFor();
    await shot('plugins-admin-phone');
    // Nothing sticks out sideways.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
  });
});
