import { describe, expect, it } from 'vitest';
import { setUpBrowserSession } from '../testing/browser-session.js';

// The web app as a person sees it: the real server, the real browser.
// Console errors and page errors count, except the signed-out answer of `/api/me` (expected).
const session = setUpBrowserSession({
  viewport: { width: 1280, height: 800 },
  ignoreConsoleError: (text, message) =>
    message.location().url.endsWith('/api/me') && text.includes('401'),
});

describe('web app', () => {
  it('loads without console errors and sends a signed-out visitor to sign in', async () => {
    const { page, server, scriptErrors: problems } = session;

    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to PMOS' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.title()).toBe('Sign in to PMOS · PMOS');
    await session.shot('home');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('serves client-side routes with the app, so a reload never 404s', async () => {
    const { browser, server } = session;
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/automations`);
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Sign in to PMOS' }).waitFor();
    // The wanted page is kept, to return to after signing in.
    expect(new URL(page.url()).searchParams.get('next')).toBe('/automations');
    await page.close();
  });
});
