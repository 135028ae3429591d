import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isFailedResourceLoad, setUpBrowserSession } from '../testing/browser-session.js';
import type { RunningServer } from '../testing/cli-process.js';

// Settings › Usage and Admin › Limits, in Chromium against the real server: the super admin
// lowers a workspace's request limit, the workspace sees it (and hits it), then it goes back.
let server: RunningServer;
let page: Page;

const ada = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843' };
let workspace = '';
let workspaceName = '';

// Refused requests (429 …) are part of the scenario; script errors never are.
const session = setUpBrowserSession({ ignoreConsoleError: isFailedResourceLoad });
const { scriptErrors, shot } = session;
beforeAll(() => {
  ({ server, page } = session);
});

const settingsTabs = () => page.getByRole('navigation', { name: 'Settings sections' });
const adminTabs = () => page.getByRole('navigation', { name: 'Admin sections' });
const requestsBar = () => page.getByRole('progressbar', { name: 'API requests per minute' });
const usagePath = () => `/api/workspaces/${workspace}/usage`;

/** Sends `count` usage requests as the signed-in person; each counts against the workspace. */
async function spendRequests(count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    statuses.push((await page.request.get(`${server.url}${usagePath()}`)).status());
  }
  return statuses;
}

/** Waits, if need be, until the current rate window has at least `seconds` left. */
async function atLeastLeftInMinute(seconds: number) {
  const left = 60 - (Date.now() % 60_000) / 1000;
  if (left < seconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200));
}

describe('usage and limits in the browser', () => {
  it('shows every member the workspace usage against the default limit', async () => {
    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel('Name').fill(ada.name);
    await page.getByLabel('Work email').fill(ada.email);
    await page.getByLabel('Password').fill(ada.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/w\/[0-9a-f-]{36}$/);
    workspace = /\/w\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';

    await page.getByRole('link', { name: 'Settings' }).click();
    await settingsTabs().getByRole('link', { name: 'Usage' }).click();
    await page.waitForURL('**/settings/usage');
    await requestsBar().waitFor();
    expect(await requestsBar().getAttribute('aria-valuemax')).toBe('1000');
    expect(Number(await requestsBar().getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await page
      .getByText(/Resets in \d+ s/)
      .first()
      .waitFor();
    await page.getByText(/by all its members, in the browser and from their scripts/).waitFor();
    await page
      .getByText(/Only the instance's super admin can change this limit/)
      .first()
      .waitFor();
    // Stored run data is a level, not a count per period: it never "resets".
    await page.getByText('Stored run data', { exact: true }).waitFor();
    await page.getByText('Current total').waitFor();
    await shot('usage');
  });

  it('lets the super admin set a workspace override in Admin › Limits', async () => {
    await page.getByRole('link', { name: 'change it in Admin › Limits' }).first().click();
    await page.waitForURL('**/admin/limits');
    await adminTabs().getByRole('link', { name: 'Limits' }).waitFor();
    await page.getByRole('heading', { name: 'No overrides' }).waitFor();
    const defaults = page.getByRole('row', { name: /API requests per minute/ }).first();
    await defaults.getByText('1,000').waitFor();

    // Checked before sending, with messages that say how to fix it.
    await page.getByRole('button', { name: 'Save override' }).click();
    await page.getByText('Enter a whole number from 0 to 10,000,000.').waitFor();
    await page.getByRole('combobox', { name: 'Workspace', exact: true }).selectOption({
      label: 'Another workspace (enter ID)…',
    });
    await page.getByLabel('Workspace ID').fill('not-an-id');
    await page.getByLabel('Value').fill('40');
    await page.getByRole('button', { name: 'Save override' }).click();
    await page.getByText('Paste a whole workspace ID').waitFor();
    await page.getByRole('button', { name: 'Pick from your workspaces' }).click();

    const select = page.getByRole('combobox', { name: 'Workspace', exact: true });
    workspaceName = (await select.locator('option:checked').textContent()) ?? '';
    expect(await select.inputValue()).toBe(workspace);
    await page.getByRole('button', { name: 'Save override' }).click();
    await page.getByText(`Saved: API requests per minute for ${workspaceName} is now 40`).waitFor();
    const row = page.getByRole('row', { name: new RegExp(workspaceName) });
    await row.getByText('40', { exact: true }).waitFor();
    await row.getByText(workspace).waitFor();
    await shot('admin-limits');
  });

  it('shows the workspace its new limit, near it and over it', async () => {
    await page.goto(`${server.url}/w/${workspace}/settings/usage`);
    await requestsBar().waitFor();
    await expect.poll(() => requestsBar().getAttribute('aria-valuemax')).toBe('40');
    expect(Number(await requestsBar().getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await page.locator('.usage-limit').first().getByText('40', { exact: true }).waitFor();
    await shot('usage-override');

    // Near the limit the bar turns amber; over it, the server's own sentence shows.
    await atLeastLeftInMinute(25);
    await spendRequests(32);
    await page.reload();
    await page.getByText(/close to the limit/).waitFor();
    expect(await requestsBar().getAttribute('class')).toContain('usage-bar--near');
    await shot('usage-near');

    const statuses = await spendRequests(10);
    expect(statuses).toContain(429);
    const refused = await page.request.get(`${server.url}${usagePath()}`);
    expect(refused.status()).toBe(429);
    expect(refused.headers()['retry-after']).toMatch(/^\d+$/);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    await page.reload();
    await page.getByText('This workspace is over its request limit').waitFor();
    await page.getByText(/Too many requests: the limit is 40 per minute/).waitFor();
    // The refused answer still carries the numbers: the bar shows the limit reached.
    expect(await requestsBar().getAttribute('aria-valuenow')).toBe('40');
    expect(await requestsBar().getAttribute('class')).toContain('usage-bar--reached');
    await page.getByText('Limit reached: PMOS refuses more until it resets.').waitFor();
    await shot('usage-rate-limited');
  });

  it('goes back to the default when the override is removed', async () => {
    // Admin requests are the super admin's own, not the throttled workspace's.
    await page.goto(`${server.url}/admin/limits`);
    await page
      .getByRole('button', {
        name: `Remove the override of API requests per minute for ${workspaceName}`,
      })
      .click();
    const confirm = page.getByRole('dialog', { name: /Remove the override/ });
    await confirm.getByText(/goes back to 1,000 \(the default\)/).waitFor();
    await shot('admin-limits-remove');
    await confirm.getByRole('button', { name: 'Remove override' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page
      .getByText(/Override removed: API requests per minute for .* is back to 1,000/)
      .waitFor();
    await page.getByRole('heading', { name: 'No overrides' }).waitFor();

    await page.goto(`${server.url}/w/${workspace}/settings/usage`);
    await requestsBar().waitFor();
    await expect.poll(() => requestsBar().getAttribute('aria-valuemax')).toBe('1000');
    await page.locator('.usage-limit').first().getByText('1,000').waitFor();
    expect(await page.getByText('This workspace is over its request limit').count()).toBe(0);
  });

  it('fits a phone screen and had no script errors along the way', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page
      .getByText(/Resets in/)
      .first()
      .waitFor();
    await shot('usage-phone');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
    await page.goto(`${server.url}/admin/limits`);
    await page.getByRole('button', { name: 'Save override' }).waitFor();
    await shot('admin-limits-phone');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
    expect(scriptErrors).toEqual([]);
  });
});
