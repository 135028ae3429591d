import { fakeHttp, jsonResponse, runHealthCheck } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { bcgpt } from './server.js';
import { safeConnectUrl } from './status.js';
import { createFakeBcgpt } from './testing/fake-bcgpt.js';
import { LINKED_KEY, UNKNOWN_KEY, UNLINKED_KEY, withTestKeys } from './testing/keys.js';

const hosts = pkg.pmos.permissions.hosts;

function check(apiKey: string, baseUrl?: string) {
  const fake = withTestKeys(createFakeBcgpt());
  return runHealthCheck(bcgpt, { auth: { apiKey, baseUrl }, http: fake.http, hosts });
}

describe('health check', () => {
  it('names the selected Basecamp account when linked, with one startbcgpt call', async () => {
    const { report, calls } = await check(LINKED_KEY);
    expect(report).toEqual({
      ok: true,
      message: 'Connected to the Basecamp account "Analytical Engines Ltd" as Ada Lovelace.',
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: 'https://bcgpt.wickedlab.io/action/startbcgpt',
      headers: { 'x-bcgpt-api-key': LINKED_KEY },
    });
  });

  it('says the key works but Basecamp is not linked, with a link free of the key', async () => {
    const { report } = await check(UNLINKED_KEY);
    expect(report).toEqual({
      ok: false,
      message:
        'The BCGPT key works (Charles Babbage), but no Basecamp account is linked to it. Link Basecamp at https://bcgpt.wickedlab.io/connect, then test again.',
    });
    expect(report.message).not.toContain(UNLINKED_KEY);
  });

  it('says an unknown key is not recognised', async () => {
    const { report } = await check(UNKNOWN_KEY);
    expect(report).toEqual({
      ok: false,
      message:
        'BCGPT does not recognise this API key. Open https://bcgpt.wickedlab.io/connect, sign in with Basecamp and copy your key again.',
    });
  });

  it('treats an HTTP 401 as a refused key', async () => {
    const { report } = await runHealthCheck(bcgpt, {
      auth: { apiKey: UNKNOWN_KEY, baseUrl: undefined },
      http: () => jsonResponse({ error: 'unauthorized' }, 401),
      hosts,
    });
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/^BCGPT does not recognise this API key/);
  });

  it('reads the {ok:false, code:NOT_AUTHENTICATED} answer of /action as not linked', async () => {
    const { report } = await runHealthCheck(bcgpt, {
      auth: { apiKey: LINKED_KEY, baseUrl: undefined },
      http: () => ({ ok: false, error: 'Not authenticated', code: 'NOT_AUTHENTICATED' }),
      hosts,
    });
    expect(report).toMatchObject({
      ok: false,
      message: expect.stringContaining('Link Basecamp at'),
    });
  });

  it('says when no account is selected yet', async () => {
    const { report } = await runHealthCheck(bcgpt, {
      auth: { apiKey: LINKED_KEY, baseUrl: undefined },
      http: () => ({
        connected: true,
        basecamp_connected: true,
        user: { name: 'Ada' },
        accounts: [],
        selected_account_id: null,
      }),
      hosts,
    });
    expect(report).toEqual({
      ok: true,
      message:
        'Connected to Basecamp as Ada, but no account is selected yet: choose one on the BCGPT connect page.',
    });
  });

  it('says BCGPT is unreachable, naming the address but never the key', async () => {
    const down = fakeHttp(() => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND') });
    });
    const { report } = await runHealthCheck(bcgpt, {
      auth: { apiKey: LINKED_KEY, baseUrl: 'https://bcgpt.example.org/' },
      http: down,
      hosts,
    });
    expect(report).toEqual({
      ok: false,
      message: 'BCGPT could not be reached at https://bcgpt.example.org (getaddrinfo ENOTFOUND).',
    });
    const html = await runHealthCheck(bcgpt, {
      auth: { apiKey: LINKED_KEY, baseUrl: undefined },
      http: () => new Response('<html>maintenance</html>', { status: 503 }),
      hosts,
    });
    expect(html.report).toMatchObject({ ok: false, message: expect.stringContaining('HTTP 503') });
  });

  it('explains that PMOS may not reach a private BCGPT address', async () => {
    const fake = withTestKeys(createFakeBcgpt({ base: 'http://10.0.0.7:8080' }));
    const { report, calls } = await runHealthCheck(bcgpt, {
      auth: { apiKey: LINKED_KEY, baseUrl: 'http://10.0.0.7:8080' },
      http: fake.http,
      hosts,
    });
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(
      /^BCGPT cannot be reached: 10\.0\.0\.7:8080 is not a public address .*PMOS_HTTP_PRIVATE_HOSTS/,
    );
    expect(calls).toEqual([]);
    const allowed = await runHealthCheck(bcgpt, {
      auth: { apiKey: LINKED_KEY, baseUrl: 'http://10.0.0.7:8080' },
      http: fake.http,
      hosts,
      privateHostsAllowed: ['10.0.0.7:8080'],
    });
    expect(allowed.report.ok).toBe(true);
  });

  it('uses a self-hosted address and explains a missing key or a bad address', async () => {
    const fake = withTestKeys(createFakeBcgpt({ base: 'https://bc.acme.example' }));
    const { report } = await runHealthCheck(bcgpt, {
      auth: { apiKey: LINKED_KEY, baseUrl: 'https://bc.acme.example/' },
      http: fake.http,
      hosts,
    });
    expect(report.ok).toBe(true);
    expect((await check('  ')).report).toEqual({
      ok: false,
      message: 'Add your BCGPT API key: get it at https://bcgpt.wickedlab.io/connect.',
    });
    expect((await check(LINKED_KEY, 'ftp://x')).report.message).toMatch(/must start with https/);
  });
});

describe('safeConnectUrl', () => {
  const base = 'https://bcgpt.wickedlab.io';
  it.each([
    [`${base}/connect?api_key=${LINKED_KEY}`, `${base}/connect`],
    [`${base}/connect?api_key=${LINKED_KEY}&next=x`, `${base}/connect?next=x`],
    [`${base}/auth/basecamp/start?state=${LINKED_KEY}`, `${base}/connect`],
    [`/connect`, `${base}/connect`],
    [`${base}/p/${LINKED_KEY}`, `${base}/connect`],
    ['javascript:alert(1)', `${base}/connect`],
    [undefined, `${base}/connect`],
  ])('%s → %s', (link, expected) => {
    expect(safeConnectUrl(link, base, LINKED_KEY)).toBe(expected);
  });
});
