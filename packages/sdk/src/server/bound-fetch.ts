import { HostNotAllowedError } from './errors.js';
import { assertPublicHost, type HostResolver } from './public-host.js';

/** The `permissions.hosts` entry that lets a plugin reach any public host. */
export const anyPublicHost = '*';

/**
 * Whether `host` (name[:port]) is one of the declared patterns; `*.x.com` matches subdomains
 * and `*` any host — for `*`, `boundFetch` also requires the host's addresses to be public.
 */
export function isHostAllowed(host: string, allowed: readonly string[]): boolean {
  const target = host.toLowerCase();
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p === anyPublicHost) return true;
    if (p.startsWith('*.')) return target.endsWith(p.slice(1)) && target.length > p.length - 1;
    return target === p;
  });
}

export interface BoundFetchOptions {
  /**
   * With `*` declared: hosts (`name`, `name:port`, an IP, `[IPv6]:port`) reachable although
   * they are not public — PMOS passes PMOS_HTTP_PRIVATE_HOSTS.
   */
  privateHostsAllowed?: readonly string[];
  /** How names are resolved for the public-address check (tests pass a fake). */
  resolveHost?: HostResolver;
}

/**
 * Refuses a hop the plugin may not make: a host it did not declare, or — when it declared
 * `*` — one that is not public. A host declared by name is trusted as declared.
 */
async function checkHop(
  url: URL,
  allowed: readonly string[],
  options: BoundFetchOptions,
): Promise<void> {
  const named = allowed.filter((pattern) => pattern !== anyPublicHost);
  if (isHostAllowed(url.host, named)) return;
  if (!allowed.includes(anyPublicHost)) throw new HostNotAllowedError(url.host, allowed);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`ctx.http reaches http and https URLs only (got ${url.protocol})`);
  }
  await assertPublicHost(url, options);
}

const maxRedirects = 10;

/**
 * `fetch` bound to the hosts a plugin declared: any other host is refused before a byte
 * leaves — including a redirect from a declared host to an undeclared one, since redirects
 * are followed here, one checked hop at a time. With `*` declared, every hop's host must be
 * public (see public-host.ts) unless the operator allowed it. The host and the test harness
 * use the same rule, so a plugin's tests catch a missing permission.
 */
export function boundFetch(
  allowed: readonly string[],
  base: typeof fetch = fetch,
  options: BoundFetchOptions = {},
): typeof fetch {
  return async (input, init) => {
    let request = new Request(input, init);
    const follow = request.redirect;
    for (let hop = 0; ; hop++) {
      const url = new URL(request.url);
      await checkHop(url, allowed, options);
      // Keep a copy of the body: a 307/308 sends it again.
      const body = request.body ? await request.arrayBuffer() : undefined;
      const response = await base(
        new Request(request, { body, redirect: 'manual', ...(body ? { duplex: 'half' } : {}) }),
      );
      const location = response.headers.get('location');
      if (follow === 'manual' || response.status < 300 || response.status >= 400 || !location) {
        return response;
      }
      if (follow === 'error') throw new TypeError(`Redirected from ${request.url}`);
      if (hop >= maxRedirects) throw new TypeError(`Too many redirects from ${init ? input : url}`);
      await response.body?.cancel();
      const next = new URL(location, request.url);
      const keepsBody = response.status === 307 || response.status === 308;
      const method = keepsBody || request.method === 'HEAD' ? request.method : 'GET';
      const headers = new Headers(request.headers);
      if (!keepsBody) {
        headers.delete('content-type');
        headers.delete('content-length');
      }
      // Credentials never follow a redirect to another origin.
      if (next.origin !== url.origin) headers.delete('authorization');
      request = new Request(next, {
        method,
        headers,
        body: keepsBody ? body : undefined,
        redirect: follow,
        signal: request.signal,
        ...(keepsBody && body ? { duplex: 'half' } : {}),
      } as RequestInit);
    }
  };
}
