import { boundFetch } from '@pmos/sdk/server';
import pkg from '../../package.json' with { type: 'json' };

/**
 * What PMOS hands a provider: the connection's value, and `fetch` bound to the hosts in
 * package.json by the same rule as the host's — with `privateHosts` allowed as the
 * operator would in PMOS_HTTP_PRIVATE_HOSTS (a fake's `host`).
 */
export function providerContext<A>(auth: A, options: { privateHosts?: string[] } = {}) {
  return {
    auth,
    http: boundFetch(pkg.pmos.permissions.hosts, fetch, {
      privateHostsAllowed: options.privateHosts ?? [],
    }),
    signal: new AbortController().signal,
  };
}
