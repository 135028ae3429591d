import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@pmos/core/testing';
import { type Browser, type ConsoleMessage, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type RunningServer, startServer } from './cli-process.js';

// The web app as a person sees it, for the browser end-to-end tests: a fresh test database,
// the built server on it, and one Chromium page that records every script error.

/** Where the end-to-end tests leave their screenshots (`apps/pmos/.e2e-screenshots`). */
export const screenshotsDir = join(import.meta.dirname, '../../.e2e-screenshots');

export interface BrowserSessionOptions {
  /** The page's viewport; 1280 × 860 unless told. */
  viewport?: { width: number; height: number };
  /** Console errors the scenario expects (not script errors): these are not recorded. */
  ignoreConsoleError?: (text: string, message: ConsoleMessage) => boolean;
  /** Extra environment for `pmos start`, besides `DATABASE_URL`. */
  serverEnv?: Record<string, string>;
}

export interface BrowserSession {
  database: TestDatabase;
  server: RunningServer;
  browser: Browser;
  /** A page in its own context, with a 10 s default timeout. */
  page: Page;
  /** The page's console errors (less the ignored ones) and uncaught errors, in order. */
  scriptErrors: string[];
  /** A full-page screenshot of `page`, as `<screenshotsDir>/<name>.png`. */
  shot(name: string): Promise<Buffer>;
  /** Closes the browser, stops the server and drops the database. */
  close(): Promise<void>;
}

/** Refused requests (401, 409, 429 …) show in the console as "Failed to load resource". */
export const isFailedResourceLoad = (text: string) => text.startsWith('Failed to load resource');

/** Chromium as the tests run it: `PMOS_CHROMIUM`, or Debian's `/usr/bin/chromium`. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

async function start(
  options: BrowserSessionOptions,
  scriptErrors: string[],
): Promise<BrowserSession> {
  let database: TestDatabase | undefined;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  };
  try {
    database = await createTestDatabase();
    server = await startServer({ DATABASE_URL: database.url, ...options.serverEnv });
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 860 },
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const ignore = options.ignoreConsoleError ?? (() => false);
    page.on('console', (message) => {
      if (message.type() === 'error' && !ignore(message.text(), message)) {
        scriptErrors.push(message.text());
      }
    });
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    mkdirSync(screenshotsDir, { recursive: true });
    const shot = (name: string) =>
      page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
    return { database, server, browser, page, scriptErrors, shot, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Starts a database, the server and Chromium; call `close()` when done. */
export function startBrowserSession(options: BrowserSessionOptions = {}): Promise<BrowserSession> {
  return start(options, []);
}

/**
 * A browser session for a whole test file: started in `beforeAll`, closed in `afterAll`.
 * `scriptErrors` and `shot` may be used straight away; the other fields once `beforeAll` ran.
 */
export function setUpBrowserSession(options: BrowserSessionOptions = {}): BrowserSession {
  const scriptErrors: string[] = [];
  let session: BrowserSession | undefined;
  const started = () => {
    if (!session) throw new Error('the browser session has not started (use it in a test)');
    return session;
  };
  beforeAll(async () => {
    session = await start(options, scriptErrors);
  });
  afterAll(() => session?.close());
  return {
    get database() {
      return started().database;
    },
    get server() {
      return started().server;
    },
    get browser() {
      return started().browser;
    },
    get page() {
      return started().page;
    },
    scriptErrors,
    shot: (name) => started().shot(name),
    close: () => started().close(),
  };
}
