import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { type PluginHost, startPluginHost } from '../server/plugins/plugin-host.js';

/** The fake Acme Tasks API the fixture plugin talks to (its keys, projects and lists). */
export const acmeKeys = { good: 'acme-key-0123456789abcd', other: 'acme-key-other-999999' };

export interface AcmeFake {
  fetch: typeof fetch;
  requests: { url: string; authorization: string | null }[];
  /** The OAuth2 server: what the provider does when the person consents. */
  oauth: {
    client: { id: string; secret: string };
    approve(authorizationUrl: string): string;
    tokenRequests: Record<string, string>[];
  };
}

export function fakeAcme(): AcmeFake {
  const requests: AcmeFake['requests'] = [];
  const client = { id: 'pmos-client', secret: 'client-secret-xyz' };
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const tokenRequests: Record<string, string>[] = [];
  let issued = 0;
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fakeFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    requests.push({ url: request.url, authorization: request.headers.get('authorization') });
    if (url.host === 'auth.acme.test' && url.pathname === '/eu/token') {
      // RFC 6749 token endpoint: form body, client authenticated with HTTP Basic.
      const form = Object.fromEntries(new URLSearchParams(await request.text()));
      tokenRequests.push(form);
      const basic = `Basic ${btoa(`${client.id}:${client.secret}`)}`;
      if (request.headers.get('authorization') !== basic) {
        return json({ error: 'invalid_client' }, 401);
      }
      if (form.grant_type === 'authorization_code') {
        const grant = codes.get(form.code ?? '');
        codes.delete(form.code ?? '');
        const verified =
          grant &&
          grant.redirectUri === form.redirect_uri &&
          createHash('sha256')
            .update(form.code_verifier ?? '')
            .digest('base64url') === grant.challenge;
        if (!verified) return json({ error: 'invalid_grant', error_description: 'Bad code' }, 400);
        // Expires within the renewal margin: PMOS must refresh before first use.
        return json({
          access_token: acmeKeys.good,
          token_type: 'Bearer',
          expires_in: 30,
          refresh_token: 'refresh-1',
          scope: 'tasks:read tasks:write',
        });
      }
      if (form.grant_type === 'refresh_token' && form.refresh_token === 'refresh-1') {
        return json({ access_token: acmeKeys.other, token_type: 'Bearer', expires_in: 3600 });
      }
      return json({ error: 'invalid_grant' }, 400);
    }
    if (url.host !== 'tasks.acme.test') throw new Error(`unexpected host ${url.host}`);
    const key = request.headers.get('authorization')?.replace(/^Bearer /, '');
    if (!key || !Object.values(acmeKeys).includes(key)) {
      return json({ error: 'invalid_key', message: 'Invalid API key' }, 401);
    }
    const path = url.pathname;
    if (path === '/v1/me') return json({ id: 'u1', name: key === acmeKeys.good ? 'Ada' : 'Bo' });
    if (path === '/v1/projects') {
      return json([
        { id: 'p1', name: 'Launch' },
        { id: 'p2', name: 'Hiring' },
      ]);
    }
    if (path === '/v1/models') {
      return json({
        object: 'list',
        data: [
          { id: 'acme-small', object: 'model', created: 1700000000, owned_by: 'acme' },
          { id: 'acme-large', object: 'model', created: 1700000000, owned_by: 'acme' },
        ],
      });
    }
    const lists = path.match(/^\/v1\/projects\/(\w+)\/lists$/);
    if (lists) return json([{ id: `${lists[1]}-l1`, name: `Backlog of ${lists[1]}` }]);
    return json({ error: 'not_found' }, 404);
  };
  const approve = (authorizationUrl: string) => {
    const params = new URL(authorizationUrl).searchParams;
    const code = `code-${++issued}`;
    codes.set(code, {
      challenge: params.get('code_challenge') ?? '',
      redirectUri: params.get('redirect_uri') ?? '',
    });
    return code;
  };
  return { fetch: fakeFetch, requests, oauth: { client, approve, tokenRequests } };
}

/** Loads the fixture plugins (one good, one that throws on import, one too new). */
export function loadFixturePlugins(fetchImpl: typeof fetch): Promise<PluginHost> {
  return startPluginHost({
    roots: [
      { dir: fileURLToPath(new URL('./fixture-plugins', import.meta.url)), source: 'installed' },
    ],
    logger: pino({ level: 'silent' }),
    fetch: fetchImpl,
  });
}

/** Loads the flow engine's fixture plugin, Flow Kit (echo, failures, waits, triggers). */
export function loadRunFixturePlugins(): Promise<PluginHost> {
  return startPluginHost({
    roots: [
      { dir: fileURLToPath(new URL('./run-fixtures', import.meta.url)), source: 'installed' },
    ],
    logger: pino({ level: 'silent' }),
    config: {},
  });
}
