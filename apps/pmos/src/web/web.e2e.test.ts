import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@pmos/core/testing';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../testing/cli-process.js';

// The web app as a person sees it: the real server, the real browser.
const screenshots = join(import.meta.dirname, '../../.e2e-screenshots');
let database: TestDatabase;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startServer({ DATABASE_URL: database.url });
  browser = await chromium.launch({
    executablePath: process.env.PMOS_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
  mkdirSync(screenshots, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await database?.drop();
});

describe('web app', () => {
  it('loads without console errors and shows the server as ready', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Welcome to PMOS' }).waitFor();
    await page.getByText('Server: Ready').waitFor();
    expect(await page.title()).toBe('PMOS');
    await page.screenshot({ path: join(screenshots, 'home.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('serves client-side routes with the app, so a reload never 404s', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/automations`);
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Welcome to PMOS' }).waitFor();
  });
});
