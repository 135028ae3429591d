import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  isFailedResourceLoad,
  screenshotsDir,
  setUpBrowserSession,
} from '../testing/browser-session.js';
import type { RunningServer } from '../testing/cli-process.js';

// The Flow Studio in Chromium against the real server and worker: a flow built from scratch
// with dropdowns and the data picker only, tested step by step and whole, published, started
// by its webhook and followed in Runs; undo and redo; a conflict; a viewer's read-only canvas.
let server: RunningServer;
let page: Page;
const session = setUpBrowserSession({
  viewport: { width: 1440, height: 900 },
  ignoreConsoleError: isFailedResourceLoad,
});
const { scriptErrors, shot } = session;
beforeAll(() => {
  ({ server, page } = session);
});

const ada = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine 1843' };
let workspace = '';
let flowId = '';
/** The imported flow with a loop and a router. */
let routedId = '';

async function call(method: 'GET' | 'POST', path: string, body?: unknown, on: Page = page) {
  const response = await on.request.fetch(`${server.url}${path}`, {
    method,
    headers: { origin: server.url, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { data: JSON.stringify(body) }),
  });
  return { status: response.status(), body: await response.json().catch(() => null) };
}

const flowApi = (suffix = '') => `/api/workspaces/${workspace}/flows/${flowId}${suffix}`;
const routedDraft = async () =>
  (await call('GET', `/api/workspaces/${workspace}/flows/${routedId}`)).body.draft;
const saved = () => page.getByText('All changes saved').waitFor();
const card = (name: string) =>
  page.getByRole('button', { name: new RegExp(`^(Step|Trigger): ${name}\\.`) });
const picker = () => page.getByRole('region', { name: 'Data picker' });
/** A field of the step panel by its label (required fields' labels end in a marker). */
const field = (label: string) => page.getByLabel(new RegExp(`^${label}\\*?$`));

/** Focuses a field of the step panel, then inserts a reference with the data picker. */
async function insertData(field: string, expand: string[], reference: string) {
  await page.getByLabel(new RegExp(`^${field}\\*?$`)).click();
  for (const node of expand) {
    const open = picker().getByRole('button', { name: `Collapse ${node}` });
    if ((await open.count()) === 0)
      await picker()
        .getByRole('button', { name: `Expand ${node}` })
        .click();
  }
  await picker()
    .getByRole('button', { name: `Insert ${reference}`, exact: true })
    .click();
}

async function choose(label: string, option: string) {
  await field(label).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function addStep(after: string, search: string, pick: string) {
  await page.getByRole('button', { name: `Add a step after ${after}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a step' });
  await dialog.getByRole('combobox', { name: 'Search actions' }).fill(search);
  await dialog.getByRole('option', { name: new RegExp(pick) }).click();
  await page.getByRole('complementary', { name: /^Settings of / }).waitFor();
}

describe('the Flow Studio', () => {
  it('opens a new automation from the Automations page', async () => {
    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel('Name').fill(ada.name);
    await page.getByLabel('Work email').fill(ada.email);
    await page.getByLabel('Password').fill(ada.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/w\/[0-9a-f-]{36}$/);
    workspace = /\/w\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';

    await page.getByRole('link', { name: 'Automations' }).click();
    await page.getByRole('button', { name: 'New automation' }).first().click();
    await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/);
    flowId = /\/flows\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    await page.getByRole('button', { name: /^Trigger: / }).waitFor();
    await shot('studio-empty');
  });

  it('chooses a webhook trigger and its method from dropdowns', async () => {
    await page.getByRole('button', { name: /^Trigger: / }).click();
    const dialog = page.getByRole('dialog', { name: 'Choose a trigger' });
    await dialog.getByRole('combobox', { name: 'Search triggers' }).fill('webhook');
    await shot('studio-trigger-picker');
    await dialog.getByRole('combobox', { name: 'Search triggers' }).press('Enter');
    await page.getByRole('complementary', { name: 'Settings of Webhook' }).waitFor();
    await choose('Method', 'POST');
    await page.getByRole('button', { name: 'Use sample data' }).click();
    await page.getByLabel('Automation name').fill('Welcome sign-ups');
    await page.getByLabel('Automation name').press('Tab');
    await saved();
    expect((await call('GET', flowApi())).body.displayName).toBe('Welcome sign-ups');
  });

  it('adds a step and fills it from the data picker, then tests it', async () => {
    await addStep('Webhook', 'map', 'Map data');
    await insertData('Mapping', ['Webhook'], '{{trigger.body}}');
    await shot('studio-data-picker');
    await saved();
    await page.getByRole('button', { name: 'Test step' }).click();
    const test = page.getByRole('region', { name: 'Test this step' });
    await test.getByText('Passed').waitFor();
    expect(await test.locator('pre').last().textContent()).toContain('ada@example.com');
    await shot('studio-step-tested');
  });

  it('adds two more steps from earlier outputs', async () => {
    await addStep('Map data', 'respond', 'Respond to webhook');
    await choose('Body type', 'JSON');
    await insertData('Body', ['Map data'], '{{step_1.email}}');
    await addStep('Respond to webhook', 'map', 'Map data');
    await page.getByLabel('Step name').fill('Remember the answer');
    await page.getByLabel('Step name').press('Tab');
    await insertData('Mapping', [], '{{step_2}}');
    await saved();
    for (const name of ['Webhook', 'Map data', 'Respond to webhook', 'Remember the answer']) {
      await expect(card(name).getAttribute('aria-label')).resolves.toContain('Ready');
    }
    await shot('studio-three-steps');
  });

  it('tests the whole flow and shows each step’s result', async () => {
    await page.getByRole('button', { name: 'Close the step panel' }).click();
    await page.getByRole('button', { name: 'Test flow' }).click();
    const run = page.getByRole('complementary', { name: 'Test run' });
    await run.getByText('Succeeded', { exact: true }).first().waitFor({ timeout: 25_000 });
    await run
      .getByRole('list', { name: 'Steps of the test run' })
      .getByText('Remember the answer')
      .waitFor();
    await shot('studio-test-run');
  });

  it('publishes, and the webhook starts the published flow', async () => {
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published version 1. The automation is on.').waitFor();
    await page.getByText('v1 · On').waitFor();
    await shot('studio-published');
    const { webhookPath } = (await call('GET', flowApi())).body;
    const answer = await page.request.post(`${server.url}${webhookPath}/sync`, {
      data: { email: 'grace@example.com', plan: 'team' },
    });
    expect(answer.status(), await answer.text()).toBe(200);
    expect(await answer.json()).toBe('grace@example.com');

    await page.getByRole('link', { name: '← Automations' }).click();
    await page.waitForURL('**/automations');
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    const row = page.locator('tr.run-row', { hasText: 'Welcome sign-ups' }).first();
    await row.getByText('Succeeded', { exact: true }).waitFor({ timeout: 25_000 });
    await shot('studio-run-in-runs');
  });

  it('keeps published versions to view and restore as the draft', async () => {
    await page.goto(`${server.url}/w/${workspace}/flows/${flowId}`);
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.getByRole('button', { name: 'View version 1' }).click();
    await page.getByText('Viewing version 1 (read only)').waitFor();
    expect(await page.getByRole('button', { name: /^Add a step/ }).count()).toBe(0);
    await shot('studio-version-view');
    await page.getByRole('button', { name: 'Restore as draft' }).click();
    await page.getByText('Version 1 is the draft now. Undo takes it back.').waitFor();
    await saved();
  });

  it('moves a step by dragging its card onto a "+"', async () => {
    const from = await card('Remember the answer').boundingBox();
    const to = await page.getByRole('button', { name: 'Add a step after Map data' }).boundingBox();
    if (!from || !to) throw new Error('card or "+" not on screen');
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
    await page.mouse.up();
    await saved();
    const order = (await call('GET', flowApi())).body.draft.trigger.nextAction;
    expect([order.name, order.nextAction.name, order.nextAction.nextAction.name]).toEqual([
      'step_1',
      'step_3',
      'step_2',
    ]);
    await page.getByRole('button', { name: 'Undo' }).click();
    await saved();
    expect((await call('GET', flowApi())).body.draft.trigger.nextAction.nextAction.name).toBe(
      'step_2',
    );
  });

  it('undoes and redoes edits, with the keyboard too', async () => {
    await addStep('Remember the answer', 'delay', 'Delay');
    await card('Delay').waitFor();
    await saved();
    await page.getByRole('button', { name: 'Undo' }).click();
    await card('Delay').waitFor({ state: 'detached' });
    await saved();
    expect(JSON.stringify((await call('GET', flowApi())).body.draft)).not.toContain('"Delay"');
    await page.getByRole('region', { name: /^Canvas of/ }).click({ position: { x: 40, y: 40 } });
    await page.keyboard.press('Control+Shift+Z');
    await card('Delay').waitFor();
    await saved();
    expect(JSON.stringify((await call('GET', flowApi())).body.draft)).toContain('"Delay"');
    await page.keyboard.press('Control+z');
    await card('Delay').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+y');
    await card('Delay').waitFor();
    await saved();
  });

  it('says so when someone else changed the flow meanwhile', async () => {
    const current = (await call('GET', flowApi())).body;
    const elsewhere = await call('POST', flowApi('/operations'), {
      revision: current.revision,
      operations: [{ type: 'CHANGE_NAME', request: { displayName: 'Renamed elsewhere' } }],
    });
    expect(elsewhere.status).toBe(200);
    await card('Delay').click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete step' }).click();
    await page.getByText('Someone else changed this automation').waitFor();
    await shot('studio-conflict');
    await page.getByRole('button', { name: 'Load their version' }).click();
    await saved();
    await expect(page.getByLabel('Automation name').inputValue()).resolves.toBe(
      'Renamed elsewhere',
    );
    await card('Delay').waitFor();
  });

  it('draws loops and routers as branches, each with its own "+"', async () => {
    const code = (name: string, displayName: string) => ({
      name,
      displayName,
      valid: true,
      type: 'CODE',
      settings: { sourceCode: { code: 'return inputs;' }, input: {} },
    });
    const imported = await call('POST', `/api/workspaces/${workspace}/flows/import`, {
      pmosFlowExport: 1,
      displayName: 'Route orders',
      folder: null,
      tags: [],
      document: {
        displayName: 'Route orders',
        schemaVersion: 1,
        trigger: {
          name: 'trigger',
          displayName: 'Start',
          valid: false,
          type: 'EMPTY',
          settings: {},
          nextAction: {
            name: 'step_1',
            displayName: 'Each order',
            valid: true,
            type: 'LOOP_ON_ITEMS',
            settings: { items: '{{trigger.orders}}' },
            firstLoopAction: {
              name: 'step_2',
              displayName: 'By amount',
              valid: true,
              type: 'ROUTER',
              settings: {
                branches: [
                  {
                    branchType: 'CONDITION',
                    branchName: 'Large',
                    conditions: [
                      [
                        {
                          firstValue: '{{step_1.item.total}}',
                          operator: 'NUMBER_IS_GREATER_THAN',
                          secondValue: '100',
                        },
                      ],
                    ],
                  },
                  { branchType: 'FALLBACK', branchName: 'Otherwise' },
                ],
                executionType: 'EXECUTE_FIRST_MATCH',
              },
              children: [code('step_3', 'Ask for approval'), null],
            },
            nextAction: code('step_4', 'Summarise'),
          },
        },
      },
    });
    expect(imported.status).toBe(201);
    routedId = imported.body.id;
    await page.goto(`${server.url}/w/${workspace}/flows/${routedId}`);
    await card('Summarise').waitFor();
    await page.getByText('Large', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Add a step to branch 2 of By amount' }).waitFor();
    await page.getByRole('button', { name: 'Add a step after Each order' }).waitFor();
    await shot('studio-branches');
    await card('By amount').click();
    await page.getByRole('complementary', { name: 'Settings of By amount' }).waitFor();
    await shot('studio-router-panel');
  });

  it('moves a step by keyboard only, and undo puts it back', async () => {
    const summarise = card('Summarise');
    await summarise.focus();
    await expect(summarise.getAttribute('aria-keyshortcuts')).resolves.toBe(
      'ArrowUp ArrowDown A M',
    );
    await page.getByText('M move the step').waitFor();
    await shot('studio-move-hint');
    await page.keyboard.press('m');
    const dialog = page.getByRole('dialog', { name: 'Move “Summarise”' });
    const places = dialog.getByRole('listbox', { name: 'Places' });
    // The list has focus at once: the arrow keys work without a Tab first.
    await expect(places.and(page.locator(':focus')).count()).resolves.toBe(1);
    expect(await dialog.getByRole('option').allTextContents()).toEqual([
      'After “Start” (first step)',
      'Inside loop “Each order” (first)',
      'In branch “Large” of “By amount” (first)',
      'After “Ask for approval” (in branch “Large” of “By amount”)',
      'In branch “Otherwise” of “By amount” (first)',
      'After “By amount” (in loop “Each order”)',
    ]);
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    const chosen = dialog.getByRole('option', { name: 'In branch “Otherwise” of “By amount”' });
    await expect(chosen.getAttribute('aria-selected')).resolves.toBe('true');
    await shot('studio-move-dialog');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await saved();
    const moved = (await routedDraft()).trigger.nextAction;
    expect(moved.nextAction).toBeUndefined();
    expect(moved.firstLoopAction.children[1].name).toBe('step_4');
    // On the canvas it now stands in the second branch, beside "Ask for approval".
    const [ask, inBranch] = await Promise.all([
      card('Ask for approval').boundingBox(),
      summarise.boundingBox(),
    ]);
    expect(Math.abs((inBranch?.y ?? 0) - (ask?.y ?? 1))).toBeLessThan(2);
    expect(inBranch?.x ?? 0).toBeGreaterThan(ask?.x ?? 0);
    await shot('studio-move-done');

    await page.keyboard.press('Control+z');
    await saved();
    expect((await routedDraft()).trigger.nextAction.nextAction.name).toBe('step_4');
    expect((await summarise.boundingBox())?.y ?? 0).toBeGreaterThan(
      ((await card('Ask for approval').boundingBox())?.y ?? 0) + 100,
    );

    // The step panel offers the same list; Escape leaves the step where it is.
    const move = page
      .getByRole('complementary', { name: 'Settings of Summarise' })
      .getByRole('button', { name: 'Move…' });
    await expect(move.getAttribute('aria-keyshortcuts')).resolves.toBe('M');
    await move.click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect(
      page.locator('.studio-panel button:focus', { hasText: 'Move…' }).count(),
    ).resolves.toBe(1);
  });

  it('adds a step after a card by keyboard only', async () => {
    await card('Ask for approval').focus();
    await page.keyboard.press('a');
    const dialog = page.getByRole('dialog', { name: 'Add a step' });
    await dialog.getByRole('combobox', { name: 'Search actions' }).waitFor();
    await page.keyboard.type('code');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await card('Code').waitFor();
    await saved();
    const router = (await routedDraft()).trigger.nextAction.firstLoopAction;
    expect(router.children[0].nextAction.type).toBe('CODE');
    await shot('studio-move-add-after');
  });

  it('shows a viewer the canvas with no edit controls', async () => {
    const viewer = await session.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const other = await viewer.newPage();
    other.on('pageerror', (error) => scriptErrors.push(error.message));
    const vic = { name: 'Vic Viewer', email: 'vic@example.com', password: 'read only please 1' };
    expect((await call('POST', '/api/auth/sign-up', vic, other)).status).toBe(201);
    const invite = await call('POST', `/api/workspaces/${workspace}/invites`, {
      email: vic.email,
      role: 'viewer',
    });
    const token = String(invite.body.url).split('/invite/')[1];
    expect((await call('POST', `/api/invites/${token}/accept`, {}, other)).status).toBe(200);

    await other.goto(`${server.url}/w/${workspace}/flows/${flowId}`);
    await other.getByText('Read only').waitFor();
    await other.getByRole('button', { name: /^Step: Map data\./ }).click();
    const panel = other.getByRole('complementary', { name: 'Settings of Map data' });
    await panel.waitFor();
    // The arrow keys walk the steps from a focused card.
    await other.getByRole('button', { name: /^Step: Map data\./ }).press('ArrowDown');
    await other.getByRole('complementary', { name: 'Settings of Respond to webhook' }).waitFor();
    await other.getByRole('button', { name: /^Step: Respond to webhook\./ }).press('ArrowUp');
    await panel.waitFor();
    await other.screenshot({ path: join(screenshotsDir, 'studio-viewer.png') });
    for (const name of [
      /^Add a step/,
      /^Publish$/,
      /^Undo$/,
      /^Test flow$/,
      /^Test step$/,
      /^Delete$/,
      /^Move…$/,
      // No side chat either: viewers may not use chat.
      /Ask the agent/,
    ]) {
      expect(await other.getByRole('button', { name }).count()).toBe(0);
    }
    expect(await panel.getByRole('textbox').count()).toBe(0);
    expect(await other.getByLabel('Automation name').count()).toBe(0);
    await viewer.close();
  });

  it('had no script errors along the way', () => {
    expect(scriptErrors).toEqual([]);
  });
});
