import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isFailedResourceLoad, setUpBrowserSession } from '../testing/browser-session.js';
import type { RunningServer } from '../testing/cli-process.js';

// Runs in Chromium against the real server and worker: flows of the bundled Core plugin run;
// the Runs page follows them live, the run page shows the timeline, cancels and retries.
let server: RunningServer;
let page: Page;
const session = setUpBrowserSession({ ignoreConsoleError: isFailedResourceLoad });
const { scriptErrors, shot } = session;
beforeAll(() => {
  ({ server, page } = session);
});

const grace = { name: 'Grace Hopper', email: 'grace@example.com', password: 'compiler cobol 1959' };
let workspace = '';
let coreVersion = '';

/** An API call as the signed-in person (the browser's cookies, its origin). */
async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
  const response = await page.request.fetch(`${server.url}/api/workspaces/${workspace}${path}`, {
    method,
    headers: { origin: server.url, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { data: JSON.stringify(body) }),
  });
  return { status: response.status(), body: await response.json() };
}

/** Imports and publishes a flow of Core steps after a manual trigger; answers its id. */
async function coreFlow(name: string, steps: Record<string, unknown>[]) {
  const core = { pluginId: 'core', connectorId: 'core', pluginVersion: coreVersion };
  let next: Record<string, unknown> | undefined;
  for (const step of [...steps].reverse())
    next = { ...step, ...(next ? { nextAction: next } : {}) };
  const created = await call('POST', '/flows/import', {
    pmosFlowExport: 1,
    displayName: name,
    folder: null,
    tags: [],
    document: {
      displayName: name,
      schemaVersion: 1,
      trigger: {
        name: 'trigger',
        displayName: 'Run by hand',
        valid: true,
        type: 'PLUGIN_TRIGGER',
        settings: { ...core, triggerId: 'manual', input: {} },
        ...(next ? { nextAction: next } : {}),
      },
    },
  });
  expect(created.status).toBe(201);
  const published = await call('POST', `/flows/${created.body.id}/operations`, {
    revision: created.body.revision,
    operations: [{ type: 'LOCK_AND_PUBLISH', request: {} }],
  });
  expect(published.status).toBe(200);
  return created.body.id as string;
}

const core = (
  name: string,
  displayName: string,
  actionId: string,
  input: Record<string, unknown>,
) => ({
  name,
  displayName,
  valid: true,
  type: 'PLUGIN',
  settings: { pluginId: 'core', connectorId: 'core', pluginVersion: coreVersion, actionId, input },
});
const code = (name: string, displayName: string, source: string) => ({
  name,
  displayName,
  valid: true,
  type: 'CODE',
  settings: { sourceCode: { code: source }, input: { who: '{{trigger.who}}' } },
});

const row = (name: string) => page.locator('tr.run-row', { hasText: name });

describe('runs in the browser', () => {
  it('shows an honest empty Runs page before anything ran', async () => {
    await page.goto(`${server.url}/sign-up`);
    await page.getByLabel('Name').fill(grace.name);
    await page.getByLabel('Work email').fill(grace.email);
    await page.getByLabel('Password').fill(grace.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/w\/[0-9a-f-]{36}$/);
    workspace = /\/w\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    const plugins = await call('GET', '/plugins');
    coreVersion = plugins.body.data.find((p: { id: string }) => p.id === 'core').version;

    await page.getByRole('link', { name: 'Runs' }).click();
    await page.waitForURL('**/runs');
    await page.getByRole('heading', { name: 'No runs yet' }).waitFor();
  });

  it('follows a run live in the list, then shows its timeline', async () => {
    const flowId = await coreFlow('Greet the team', [
      core('step_1', 'Wait a moment', 'delay', { seconds: 10 }),
      core('step_2', 'Build the greeting', 'data_mapper', {
        mapping: { greeting: 'Hello {{trigger.who}}' },
      }),
    ]);
    const started = await call('POST', `/flows/${flowId}/runs`, { payload: { who: 'Ada' } });
    expect(started.status).toBe(202);
    await row('Greet the team').getByText('Running', { exact: true }).waitFor();
    await shot('runs-list-running');
    await row('Greet the team')
      .getByText('Succeeded', { exact: true })
      .waitFor({ timeout: 25_000 });

    await row('Greet the team').getByRole('link', { name: 'Greet the team' }).click();
    await page.waitForURL(`**/runs/${started.body.id}`);
    const steps = page.getByRole('list', { name: 'Steps of this run' });
    await steps.getByText('Wait a moment').waitFor();
    await steps.getByText('Build the greeting').waitFor();
    const greeting = steps.locator('li', { hasText: 'Build the greeting' });
    await greeting.getByRole('button', { name: /Show details of/ }).click();
    await greeting.getByText('"greeting": "Hello Ada"').first().waitFor();
    await shot('run-detail');
  });

  it('shows a failed step with its error, and retries the run from it', async () => {
    const flowId = await coreFlow('Check the name', [
      code(
        'step_1',
        'Refuse Bob',
        'if (inputs.who === "Bob") throw new Error("Bob is not on the list"); return { ok: true };',
      ),
    ]);
    const started = await call('POST', `/flows/${flowId}/runs`, { payload: { who: 'Bob' } });
    await page.goto(`${server.url}/w/${workspace}/runs/${started.body.id}`);
    await page.getByText('Failed at step_1').waitFor({ timeout: 15_000 });
    await page
      .getByText(/Bob is not on the list/)
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Retry from failed step' }).click();
    await page.getByText('The run starts again from its failed step.').waitFor();
    await page.getByText('Attempt').locator('..').getByText('2').waitFor({ timeout: 15_000 });
    await page.getByText('Failed at step_1').waitFor({ timeout: 15_000 });
  });

  it('cancels a running run from its page', async () => {
    const flowId = await coreFlow('Slow report', [
      core('step_1', 'Wait long', 'delay', { seconds: 60 }),
    ]);
    const started = await call('POST', `/flows/${flowId}/runs`, {});
    await page.goto(`${server.url}/w/${workspace}/runs/${started.body.id}`);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.getByText('Cancelling the run…').waitFor();
    await page.locator('.run-facts').getByText('Cancelled').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Retry from start' }).waitFor();
  });

  it('filters the list by status and automation, and fits a phone screen', async () => {
    await page.goto(`${server.url}/w/${workspace}/runs?status=FAILED`);
    await row('Check the name').first().waitFor();
    expect(await row('Greet the team').count()).toBe(0);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Automation').selectOption({ label: 'Greet the team' });
    // The previous rows stay (dimmed) until the filtered list arrives: wait for them to go.
    await row('Check the name').first().waitFor({ state: 'detached' });
    await row('Greet the team').waitFor();
    expect(await row('Check the name').count()).toBe(0);
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('runs-list-phone');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      390,
    );
    await page.setViewportSize({ width: 1280, height: 860 });
    expect(scriptErrors).toEqual([]);
  });
});

describe('automations in the browser', () => {
  const flowRow = (name: string) => page.locator('tr.flow-row', { hasText: name });

  it('lists automations with their last run, enables one and runs it now', async () => {
    await page.getByRole('link', { name: 'Automations' }).click();
    await page.waitForURL('**/automations');
    await flowRow('Greet the team').getByText('Published v1').waitFor();
    await flowRow('Check the name').getByText('Failed').waitFor();
    await page.getByRole('button', { name: 'Enable Greet the team' }).click();
    await page.getByText('Greet the team is enabled.').waitFor();
    await flowRow('Greet the team').getByText('Enabled', { exact: true }).waitFor();
    await shot('automations');
    await page.getByRole('button', { name: 'Run Check the name now' }).click();
    await page.getByRole('link', { name: 'Follow the run' }).click();
    await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    // No payload this time: nobody named Bob, so the check passes.
    await page.locator('.run-facts').getByText('Succeeded').waitFor({ timeout: 15_000 });
  });

  it('duplicates, deletes after confirmation, imports a file and searches', async () => {
    await page.goto(`${server.url}/w/${workspace}/automations`);
    await page.getByRole('button', { name: 'Duplicate Slow report' }).click();
    await page.getByText('Created Slow report (copy).').waitFor();
    await page.getByRole('button', { name: 'Delete Slow report (copy)' }).click();
    await page.getByRole('button', { name: 'Delete automation' }).click();
    await page.getByText('Deleted Slow report (copy).').waitFor();
    await flowRow('Slow report (copy)').waitFor({ state: 'detached' });

    const exported = await call('GET', '/flows?search=Greet');
    const file = await page.request.get(
      `${server.url}/api/workspaces/${workspace}/flows/${exported.body.data[0].id}/export`,
    );
    const json = { ...(await file.json()), displayName: 'Greet the team again' };
    await page.getByLabel('Automation file to import').setInputFiles({
      name: 'greet.pmos-flow.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(json)),
    });
    await page.getByText('Imported Greet the team again.').waitFor();
    await page.getByLabel('Automation file to import').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not json'),
    });
    await page.getByText('notes.txt is not a JSON file.', { exact: false }).waitFor();

    await page.getByLabel('Search').fill('again');
    await flowRow('Greet the team again').waitFor();
    await flowRow('Check the name').waitFor({ state: 'detached' });
    expect(scriptErrors).toEqual([]);
  });
});
