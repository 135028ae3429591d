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

/**
 * `fetch` bound to the hosts a plugin declared: any other host is refused before a byte
 * leaves. The host and the test harness use the same rule, so a plugin's tests catch a
 * missing permission.
 */
export function boundFetch(allowed: readonly string[], base: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!isHostAllowed(url.host, allowed)) {
      return Promise.reject(new HostNotAllowedError(url.host, allowed));
    }
    return base(input, init);
  };
}
