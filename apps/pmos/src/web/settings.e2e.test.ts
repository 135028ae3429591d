import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isFailedResourceLoad, setUpBrowserSession } from '../testing/browser-session.js';
import type { RunningServer } from '../testing/cli-process.js';

// Secrets and the audit log as admins, members and the super admin use them, in Chromium
// against the real server. The steps build on each other, so they run in order.
let server: RunningServer;
let page: Page;

const ada = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843' };
const bob = { name: 'Bob Dylan', email: 'bob@example.com', password: 'blowing in the wind 62' };
const firstValue = 'sk-test-first-value-0a1b2c3d9f3a';
const secondValue = 'sk-test-second-value-4e5f6a7b77b2';
const basecampValue = 'bc-token-8c9d0e1f2a3b5c6d';
let workspace = '';

// Refused requests (409, 403 …) are part of the scenario; script errors never are.
const session = setUpBrowserSession({ ignoreConsoleError: isFailedResourceLoad });
const { scriptErrors, shot } = session;
beforeAll(() => {
  ({ server, page } = session);
});

async function signOut(person: typeof ada) {
  await page.getByRole('button', { name: `Account menu for ${person.name}` }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in to PMOS' }).waitFor();
}

async function signIn(person: typeof ada) {
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const settingsTabs = () => page.getByRole('navigation', { name: 'Settings sections' });
const workspaceFilter = () => page.getByRole('combobox', { name: 'Workspace', exact: true });
const auditCodes = () => page.locator('.audit-table .audit-code');

describe('secrets and the audit log in the browser', () => {
  it('shows a new workspace admin an empty secrets page that explains what secrets are for', async () => {
    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel('Name').fill(ada.name);
    await page.getByLabel('Work email').fill(ada.email);
    await page.getByLabel('Password').fill(ada.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/w\/[0-9a-f-]{36}$/);
    workspace = /\/w\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';

    await page.getByRole('link', { name: 'Settings' }).click();
    await settingsTabs().getByRole('link', { name: 'Audit' }).waitFor();
    await settingsTabs().getByRole('link', { name: 'Secrets' }).click();
    await page.getByRole('heading', { name: 'No secrets yet' }).waitFor();
    await page
      .getByText(/AI providers/)
      .first()
      .waitFor();
    await page.getByText(/never shown again/).waitFor();
    await shot('secrets-empty');
  });

  it('adds a secret and shows only its mask, never the value', async () => {
    await page.getByRole('button', { name: 'Add secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a secret' });
    await dialog.waitFor();
    // Checked before sending, with the API's own messages.
    await dialog.getByRole('button', { name: 'Save secret' }).click();
    await dialog.getByText('Name the secret.').waitFor();
    await dialog.getByText('Enter the secret value.').waitFor();

    await dialog.getByLabel('Name').fill('OpenAI API key');
    const value = dialog.getByLabel('Value', { exact: true });
    await value.fill(firstValue);
    expect(await value.getAttribute('type')).toBe('password');
    await dialog.getByRole('button', { name: 'Show value' }).click();
    expect(await value.getAttribute('type')).toBe('text');
    await dialog.getByLabel('Description').fill('Used by the support assistant');
    await shot('secrets-add');
    await dialog.getByRole('button', { name: 'Save secret' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByRole('row', { name: /OpenAI API key/ });
    await row.getByText('••••9f3a').waitFor();
    await row.getByText('Used by the support assistant').waitFor();
    expect(await page.content()).not.toContain(firstValue);
    expect(await page.content()).not.toContain('0a1b2c3d');
  });

  it('explains a taken name next to the field', async () => {
    await page.getByRole('button', { name: 'Add secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a secret' });
    await dialog.getByLabel('Name').fill('OpenAI API key');
    await dialog.getByLabel('Value', { exact: true }).fill('whatever-value');
    await dialog.getByRole('button', { name: 'Save secret' }).click();
    await dialog.locator('.pmos-field__error').waitFor();
    expect(await dialog.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await shot('secrets-name-taken');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain('whatever-value');
  });

  it('replaces the value, then deletes the secret after confirmation', async () => {
    await page.getByRole('button', { name: 'Replace the value of OpenAI API key' }).click();
    const dialog = page.getByRole('dialog', { name: /Replace the value of/ });
    await dialog.getByText('••••9f3a').waitFor();
    await dialog.getByLabel('New value').fill(secondValue);
    await dialog.getByRole('button', { name: 'Replace value' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('row', { name: /OpenAI API key/ })
      .getByText('••••77b2')
      .waitFor();
    const html = await page.content();
    expect(html).not.toContain(firstValue);
    expect(html).not.toContain(secondValue);

    // A second secret stays for the member's read-only view.
    await page.getByRole('button', { name: 'Add secret' }).click();
    const add = page.getByRole('dialog', { name: 'Add a secret' });
    await add.getByLabel('Name').fill('Basecamp token');
    await add.getByLabel('Value', { exact: true }).fill(basecampValue);
    await add.getByRole('button', { name: 'Save secret' }).click();
    await add.waitFor({ state: 'hidden' });
    await page
      .getByRole('row', { name: /Basecamp token/ })
      .getByText('••••5c6d')
      .waitFor();
    await shot('secrets');

    await page.getByRole('button', { name: 'Delete OpenAI API key' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete “OpenAI API key”?' });
    await confirm.getByRole('button', { name: 'Delete secret' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByText('“OpenAI API key” was deleted.').waitFor();
    expect(await page.getByRole('row', { name: /OpenAI API key/ }).count()).toBe(0);
    expect(await page.content()).not.toContain(basecampValue);
  });

  it('lists the secret events in the audit log and filters them', async () => {
    // Something else happens in the workspace, for the filter to leave out.
    await settingsTabs().getByRole('link', { name: 'General' }).click();
    await page.getByLabel('Name').fill('Analytical Engines');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Workspace renamed.').waitFor();

    await settingsTabs().getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByText('Secret added').first().waitFor();
    await page.getByText('Secret value replaced').waitFor();
    await page.getByText('Secret deleted').waitFor();
    expect(await auditCodes().allTextContents()).toContain('workspace.rename');

    await page.getByLabel('Action').selectOption({ label: 'Secrets' });
    await page.waitForURL(/action=secret/);
    await page.getByRole('button', { name: 'Clear filters' }).first().waitFor();
    await expect
      .poll(async () => (await auditCodes().allTextContents()).join(' '))
      .not.toContain('workspace.rename');
    const codes = await auditCodes().allTextContents();
    expect(codes).toEqual(['secret.delete', 'secret.create', 'secret.update', 'secret.create']);

    // A row opens to its details: metadata as JSON, request and chain.
    await page.getByRole('button', { name: /^Details of Secret value replaced/ }).click();
    const details = page.locator('.audit-details');
    await details.getByText('"valueChanged": true').waitFor();
    await details.getByText('Chain position').waitFor();
    await details.getByText('Request ID').waitFor();
    expect(await details.textContent()).not.toContain(secondValue);
    await shot('audit');

    // The export honours the filters.
    const href =
      (await page.getByRole('link', { name: 'Export NDJSON' }).getAttribute('href')) ?? '';
    expect(href).toContain('action=secret');
    const exported = await page.request.get(new URL(href, server.url).toString());
    expect(exported.ok()).toBe(true);
    const lines = (await exported.text()).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).action)).toEqual(codes);

    await page.getByLabel('Outcome').selectOption({ label: 'Denied' });
    await page.getByRole('heading', { name: 'No events match these filters' }).waitFor();
    await shot('audit-empty');
    await page.getByRole('button', { name: 'Clear filters' }).last().click();
    await page.getByText('workspace.rename').waitFor();
  });

  it('shows a member the secrets read-only and no audit log', async () => {
    await settingsTabs().getByRole('link', { name: 'Invites' }).click();
    await page.getByLabel('Email').fill(bob.email);
    await page.getByLabel('Role').selectOption('member');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    const link = await page
      .getByRole('textbox', { name: `Invite link for ${bob.email}` })
      .inputValue();
    await signOut(ada);

    await page.goto(link);
    await page.getByRole('link', { name: 'Create account' }).click();
    await page.getByLabel('Name').fill(bob.name);
    await page.getByLabel('Password').fill(bob.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: /^Accept and join/ }).click();
    // The invite answer names the joined workspace: it opens, not Bob's own new one.
    await page.waitForURL(`**/w/${workspace}`);

    await page.getByRole('link', { name: 'Settings' }).click();
    await settingsTabs().getByRole('link', { name: 'Secrets' }).click();
    await page
      .getByRole('row', { name: /Basecamp token/ })
      .getByText('••••5c6d')
      .waitFor();
    await page.getByText('Only workspace admins can add, replace or delete secrets.').waitFor();
    expect(await page.getByRole('button', { name: 'Add secret' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Replace the value|Delete/ }).count()).toBe(0);
    expect(await settingsTabs().getByRole('link', { name: 'Audit' }).count()).toBe(0);
    await shot('secrets-member');

    await page.goto(`${server.url}/w/${workspace}/settings/audit`);
    await page.getByText('Only workspace admins can read the audit log').waitFor();
    await signOut(bob);
  });

  it('lets the super admin read every workspace and verify the audit chains', async () => {
    await signIn(ada);
    await page.waitForURL(/\/w\//);
    await page.goto(`${server.url}/admin`);
    await page.getByRole('navigation', { name: 'Admin sections' }).waitFor();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL('**/admin/audit');
    await page.getByRole('columnheader', { name: 'Workspace' }).waitFor();
    await page.getByText('Secret deleted').waitFor();

    await workspaceFilter().selectOption({ label: 'Instance only' });
    await page.waitForURL(/workspace=instance/);
    await expect
      .poll(async () => (await auditCodes().allTextContents()).join(' '))
      .not.toContain('secret.');

    // A workspace the super admin is not in is typed in by id.
    await workspaceFilter().selectOption({ label: 'Another workspace (enter ID)…' });
    const typed = page.getByLabel('Workspace ID');
    await typed.fill('not-an-id');
    await page.getByText('Paste a whole workspace ID').waitFor();
    await typed.fill(workspace);
    await page.waitForURL(new RegExp(`workspace=${workspace}`));
    await page.getByText('Secret deleted').waitFor();

    await page.getByRole('button', { name: 'Verify audit chains' }).click();
    await page.getByText('All audit chains are intact').waitFor();
    await page.getByText(/\d+ chains and \d+ events checked/).waitFor();
    await shot('admin-audit');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => !url.search.includes('workspace='));
    // The page renders the cleared filters just after the address changes.
    await expect.poll(() => workspaceFilter().inputValue()).toBe('');
    await expect.poll(() => page.getByLabel('Workspace ID').count()).toBe(0);
  });

  it('fits a phone screen and had no script errors along the way', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/w/${workspace}/settings/audit`);
    await page.getByText('Secret deleted').waitFor();
    await shot('audit-phone');
    // Nothing sticks out sideways: wide tables scroll inside their card.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
    expect(scriptErrors).toEqual([]);
  });
});
