import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@pmos/core/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
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

/** Console errors and page errors, except the signed-out answer of `/api/me` (expected). */
function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (message.location().url.endsWith('/api/me') && message.text().includes('401')) return;
    problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

describe('web app', () => {
  it('loads without console errors and sends a signed-out visitor to sign in', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = collectProblems(page);

    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to PMOS' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.title()).toBe('Sign in to PMOS · PMOS');
    await page.screenshot({ path: join(screenshots, 'home.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('serves client-side routes with the app, so a reload never 404s', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/automations`);
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Sign in to PMOS' }).waitFor();
    // The wanted page is kept, to return to after signing in.
    expect(new URL(page.url()).searchParams.get('next')).toBe('/automations');
    await page.close();
  });
});
