import { HostNotAllowedError } from './errors.js';

/** Whether `host` (name[:port]) is one of the declared patterns; `*.x.com` matches subdomains. */
export function isHostAllowed(host: string, allowed: readonly string[]): boolean {
  const target = host.toLowerCase();
  return allowed.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p.startsWith('*.')) return target.endsWith(p.slice(1)) && target.length > p.length - 1;
    return target === p;
  });
}

const maxRedirects = 10;

/**
 * `fetch` bound to the hosts a plugin declared: any other host is refused before a byte
 * leaves — including a redirect from a declared host to an undeclared one, since redirects
 * are followed here, one checked hop at a time. The host and the test harness use the same
 * rule, so a plugin's tests catch a missing permission.
 */
export function boundFetch(allowed: readonly string[], base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    let request = new Request(input, init);
    const follow = request.redirect;
    for (let hop = 0; ; hop++) {
      const url = new URL(request.url);
      if (!isHostAllowed(url.host, allowed)) throw new HostNotAllowedError(url.host, allowed);
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
