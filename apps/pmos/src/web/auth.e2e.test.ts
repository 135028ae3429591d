import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isFailedResourceLoad, setUpBrowserSession } from '../testing/browser-session.js';
import type { RunningServer } from '../testing/cli-process.js';

// Accounts, sessions, workspaces and invites as people use them: the real server and browser.
// The steps build on each other (first account, second account, invite), so they run in order.
let server: RunningServer;
let page: Page;

const ada = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843' };
const bob = { name: 'Bob Dylan', email: 'bob@example.com', password: 'blowing in the wind 62' };
let adaWorkspace = '';
let bobWorkspace = '';
let inviteUrl = '';

// Refused requests (401, 409 …) are part of the scenario; script errors never are.
const session = setUpBrowserSession({
  serverEnv: { PMOS_ENABLE_SHELL: '1' },
  ignoreConsoleError: isFailedResourceLoad,
});
const { scriptErrors, shot } = session;
beforeAll(() => {
  ({ server, page } = session);
});

function workspaceIdOf(url: string): string {
  const match = /\/w\/([0-9a-f-]{36})/.exec(new URL(url).pathname);
  if (!match?.[1]) throw new Error(`not a workspace URL: ${url}`);
  return match[1];
}

async function signUp(person: typeof ada) {
  await page.goto(`${server.url}/sign-up`);
  await page.getByLabel('Name').fill(person.name);
  await page.getByLabel('Work email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL(/\/w\/[0-9a-f-]{36}$/);
  await page.getByRole('heading', { name: `, ${person.name.split(' ')[0]}` }).waitFor();
}

async function signIn(person: typeof ada) {
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function signOut(person: typeof ada) {
  await page.getByRole('button', { name: `Account menu for ${person.name}` }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { name: 'Sign in to PMOS' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/sign-in');
}

const adminLink = () => page.getByRole('navigation', { name: 'Instance' }).getByRole('link');

describe('accounts and workspaces in the browser', () => {
  it('sends a signed-out visitor to sign in, keeping the page they wanted', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to PMOS' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.getByText('Welcome to PMOS').count()).toBe(0);

    await page.goto(`${server.url}/account`);
    await page.getByRole('heading', { name: 'Sign in to PMOS' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/account');
    await shot('sign-in');
  });

  it('explains a refused password inline, then signs up the first account as super admin', async () => {
    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel('Name').fill(ada.name);
    await page.getByLabel('Work email').fill(ada.email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    const passwordError = page.locator('.pmos-field__error');
    await passwordError.waitFor();
    expect(await passwordError.textContent()).toMatch(/12|characters/i);
    await shot('sign-up-error');

    await signUp(ada);
    adaWorkspace = workspaceIdOf(page.url());
    await adminLink().filter({ hasText: 'Admin' }).waitFor();
    await page.getByText('Server: Ready').waitFor();
    await shot('dashboard');
  });

  it('shows the super admin the instance and a working shell console', async () => {
    await adminLink().filter({ hasText: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    await page.getByText('Enabled').waitFor();
    await page.getByLabel('Command', { exact: true }).fill('echo hello from pmos; echo oops 1>&2');
    await page.getByRole('button', { name: 'Run' }).click();
    const output = page.getByRole('log', { name: 'Command output' });
    await output.locator('.terminal-stdout', { hasText: 'hello from pmos' }).waitFor();
    await output.locator('.terminal-stderr', { hasText: 'oops' }).waitFor();
    await page.getByText(/Exited with code 0/).waitFor();

    // Output arrives while the command still runs, and the timeout stops it.
    await page.getByLabel('Command', { exact: true }).fill('echo first; sleep 3; echo second');
    await page.getByLabel('Timeout (seconds)').fill('1.5');
    await page.getByRole('button', { name: 'Run' }).click();
    await output.locator('.terminal-stdout', { hasText: 'first' }).waitFor();
    expect(await page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);
    await page.getByText(/Timed out after/).waitFor();
    expect(await output.locator('.terminal-stdout', { hasText: 'second' }).count()).toBe(0);
    await shot('admin');
  });

  it('creates an invite link, shown once with a copy button', async () => {
    await page.goto(`${server.url}/w/${adaWorkspace}/settings/invites`);
    await page.getByLabel('Email').fill(bob.email);
    await page.getByLabel('Role').selectOption('member');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    const link = page.getByRole('textbox', { name: `Invite link for ${bob.email}` });
    await link.waitFor();
    inviteUrl = await link.inputValue();
    expect(inviteUrl).toMatch(/\/invite\/.+/);
    await page.getByRole('button', { name: 'Copy' }).waitFor();
    await page.getByRole('cell', { name: bob.email }).first().waitFor();
    await page.getByText('Pending').first().waitFor();
    await shot('invites');
  });

  it('signs out to the sign-in page', async () => {
    await signOut(ada);
  });

  it('signs up a second account that sees no Admin and cannot open the first workspace', async () => {
    await signUp(bob);
    bobWorkspace = workspaceIdOf(page.url());
    expect(bobWorkspace).not.toBe(adaWorkspace);
    await page.getByRole('link', { name: 'Dashboard' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Instance' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);

    await page.goto(`${server.url}/w/${adaWorkspace}/settings`);
    await page.getByRole('heading', { name: 'You do not have access to this workspace' }).waitFor();
    expect(await page.getByText("Ada's workspace").count()).toBe(0);
    await shot('no-access');

    await page.goto(`${server.url}/admin`);
    await page.getByText("Only the instance's super admin can open this page").waitFor();
  });

  it('signs out and signs in again as the second account', async () => {
    await page.goto(server.url);
    await page.waitForURL(/\/w\//);
    await signOut(bob);
    await signIn({ ...bob, password: 'not the right password' });
    await page
      .getByRole('alert')
      .filter({ hasText: /password/i })
      .waitFor();
    await shot('sign-in-error');
    await signIn(bob);
    await page.waitForURL(`**/w/${bobWorkspace}`);
    await page.getByRole('heading', { name: ', Bob' }).waitFor();

    // Signed in, the sign-in page has nothing to offer: it sends you on to the app.
    await page.goto(`${server.url}/sign-in`);
    await page.waitForURL(`**/w/${bobWorkspace}`);
  });

  it('opens an invite signed out, signs in from it and joins the workspace', async () => {
    await signOut(bob);
    await page.goto(inviteUrl);
    await page.getByRole('heading', { name: /^Join / }).waitFor();
    await page.locator('.invite-summary').getByText(bob.email).waitFor();
    await shot('invite');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in to PMOS' }).waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe(bob.email);
    await page.getByLabel('Password').fill(bob.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /^Accept and join/ }).click();
    await page.waitForURL(`**/w/${adaWorkspace}`);
    await page.getByText('Member', { exact: true }).first().waitFor();
  });

  it('switches between the two workspaces', async () => {
    const switcher = page.getByRole('button', { name: /Switch workspace/ });
    await switcher.click();
    const options = page.locator('.switcher-list a');
    expect(await options.count()).toBe(2);
    await shot('switcher');
    await options.filter({ hasText: "Bob's workspace" }).click();
    await page.waitForURL(`**/w/${bobWorkspace}`);
    await page.getByRole('button', { name: /Workspace: Bob's workspace/ }).waitFor();

    await switcher.click();
    await page.locator('.switcher-list a').filter({ hasText: "Ada's workspace" }).click();
    await page.waitForURL(`**/w/${adaWorkspace}`);
    // A member of Ada's workspace reads its members but cannot manage them.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('cell', { name: /Ada Lovelace/ }).waitFor();
    expect(await page.getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Invites' }).count()).toBe(0);
  });

  it('creates an API token, shows it once and lists it by its hint', async () => {
    await page.goto(`${server.url}/account`);
    await page.getByLabel('Token name').fill('Nightly export');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = page.getByRole('textbox', { name: 'API token Nightly export' });
    await token.waitFor();
    expect((await token.inputValue()).length).toBeGreaterThan(20);
    await page
      .getByRole('cell', { name: /Nightly export/ })
      .first()
      .waitFor();
    await shot('account');
  });

  it('lets the first account see the new member and manage roles', async () => {
    await signOut(bob);
    // Signing in from a deep link returns to it.
    await page.goto(`${server.url}/w/${adaWorkspace}/settings/members`);
    await page.getByRole('heading', { name: 'Sign in to PMOS' }).waitFor();
    await signIn(ada);
    await page.waitForURL(`**/w/${adaWorkspace}/settings/members`);
    const bobRole = page.getByRole('combobox', { name: `Role of ${bob.name}` });
    await bobRole.waitFor();
    expect(await bobRole.inputValue()).toBe('member');
    await bobRole.selectOption('viewer');
    await page.getByText(`${bob.name} is now a viewer.`).waitFor();

    // The only admin cannot step down: the server's reason is shown.
    await page.getByRole('combobox', { name: `Role of ${ada.name}` }).selectOption('member');
    await page.getByText('The role was not changed').waitFor();
    expect(await page.getByRole('combobox', { name: `Role of ${ada.name}` }).inputValue()).toBe(
      'workspace_admin',
    );
    await shot('members');

    await page.getByRole('button', { name: `Remove ${bob.name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Remove ${bob.name}?` });
    await dialog.waitFor();
    await shot('remove-member');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('renames the workspace and creates another one from the switcher', async () => {
    await page.getByRole('link', { name: 'General' }).click();
    await page.getByLabel('Name').fill('Analytical Engines');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Workspace renamed.').waitFor();
    await page.getByRole('button', { name: /Workspace: Analytical Engines/ }).waitFor();
    await shot('settings-general');

    await page.getByRole('button', { name: /Switch workspace/ }).click();
    await page.getByRole('button', { name: 'Create workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a workspace' });
    await dialog.getByLabel('Workspace name').fill('Research');
    await shot('create-workspace');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('button', { name: /Workspace: Research/ }).waitFor();
    expect(workspaceIdOf(page.url())).not.toBe(adaWorkspace);

    await page.getByRole('link', { name: 'Automations' }).click();
    await page.getByRole('heading', { name: 'No automations yet' }).waitFor();
    await shot('automations');
  });

  it('lets a newcomer create an account from an invite and join as a viewer', async () => {
    const carol = {
      name: 'Carol Shaw',
      email: 'carol@example.com',
      password: 'river raid atari 1982',
    };
    await page.goto(`${server.url}/w/${adaWorkspace}/settings/invites`);
    await page.getByLabel('Email').fill(carol.email);
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    const link = await page
      .getByRole('textbox', { name: `Invite link for ${carol.email}` })
      .inputValue();
    await signOut(ada);

    await page.goto(link);
    await page.getByText('as a viewer').waitFor();
    await page.getByRole('link', { name: 'Create account' }).click();
    expect(await page.getByLabel('Work email').inputValue()).toBe(carol.email);
    await page.getByLabel('Name').fill(carol.name);
    await page.getByLabel('Password').fill(carol.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Accept and join Analytical Engines' }).click();
    await page.waitForURL(`**/w/${adaWorkspace}`);
    await page.getByRole('button', { name: /Workspace: Analytical Engines/ }).waitFor();
    await page.getByText('Viewer', { exact: true }).first().waitFor();
    await signOut(carol);
    await page.getByLabel('Email').fill(ada.email);
    await page.getByLabel('Password').fill(ada.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/w\//);
  });

  it('fits a phone screen and had no script errors along the way', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: ', Ada' }).waitFor();
    await shot('dashboard-phone');
    expect(scriptErrors).toEqual([]);
  });
});
