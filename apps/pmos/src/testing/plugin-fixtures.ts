import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { type PluginHost, startPluginHost } from '../server/plugins/plugin-host.js';

/** The fake Acme Tasks API the fixture plugin talks to (its keys, projects and lists). */
export const acmeKeys = { good: 'acme-key-0123456789abcd', other: 'acme-key-other-999999' };

export interface AcmeFake {
  fetch: typeof fetch;
  requests: { url: string; authorization: string | null }[];
}

export function fakeAcme(): AcmeFake {
  const requests: AcmeFake['requests'] = [];
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fakeFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    requests.push({ url: request.url, authorization: request.headers.get('authorization') });
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
    const lists = path.match(/^\/v1\/projects\/(\w+)\/lists$/);
    if (lists) return json([{ id: `${lists[1]}-l1`, name: `Backlog of ${lists[1]}` }]);
    return json({ error: 'not_found' }, 404);
  };
  return { fetch: fakeFetch, requests };
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
