import ipaddr from 'ipaddr.js';
import { PrivateHostError } from './errors.js';

/**
 * The check behind `"*"` in `permissions.hosts` ("any public host"): before each request
 * (and each redirect hop) the host name is resolved and every address must be public, so a
 * generic HTTP step cannot be pointed at PMOS itself, its database, the local network or a
 * cloud metadata service.
 *
 * Limitation — DNS rebinding: the name is resolved here, then `fetch` resolves it again to
 * connect. A resolver that answers a public address first and a private one next (TTL 0)
 * slips through. Closing that needs the connection pinned to the checked address (a
 * dispatcher whose `connect.lookup` runs this check); until then, keep the network itself
 * from letting PMOS reach what it must not.
 */

/** Resolves a host name to every address it has (the system resolver by default). */
export type HostResolver = (hostname: string) => Promise<readonly string[]>;

export interface PublicHostOptions {
  /**
   * Hosts that may be reached although they are not public: `name`, `name:port`, an IP
   * address or `[IPv6]:port`, as the operator lists them in PMOS_HTTP_PRIVATE_HOSTS.
   */
  privateHostsAllowed?: readonly string[];
  resolveHost?: HostResolver;
}

/** Names for the refused ranges of ipaddr.js, as a person reads them in an error. */
const refusedV4: Record<string, string> = {
  unspecified: 'this network, 0.0.0.0/8',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local, where cloud metadata services answer',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT, 100.64.0.0/10',
  private: 'private network',
  reserved: 'reserved',
};
const refusedV6: Record<string, string> = {
  unspecified: 'unspecified',
  linkLocal: 'link-local',
  multicast: 'multicast',
  loopback: 'loopback',
  uniqueLocal: 'unique local, fc00::/7',
  deprecatedSiteLocal: 'site-local',
  discard: 'discard',
  reserved: 'reserved',
  benchmarking: 'benchmarking',
};

/**
 * What kind of non-public address `address` is ("loopback", "private network" …), or null
 * when it is public. IPv6 addresses that carry an IPv4 address (mapped `::ffff:a.b.c.d`,
 * translated, NAT64 `64:ff9b::a.b.c.d`, 6to4, IPv4-compatible) are judged by that address.
 * Anything that is not an IP address is refused as "not an IP address".
 */
export function nonPublicRange(address: string): string | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // Four-part decimal only: what URLs and resolvers hand over; "127.1" and hex are not addresses here.
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) {
    return refusedV4[ipaddr.IPv4.parse(bare).range()] ?? null;
  }
  // A zone index (fe80::1%eth0) names an interface: only link-local addresses carry one.
  if (bare.includes('%')) return 'link-local';
  if (!ipaddr.IPv6.isValid(bare)) return 'not an IP address';
  const ip = ipaddr.IPv6.parse(bare);
  if (ip.range() === 'rfc6052' && ip.parts[2] === 1) return 'local-use NAT64, 64:ff9b:1::/48';
  const embedded = embeddedIPv4(ip);
  if (embedded) {
    const range = refusedV4[embedded.range()];
    return range ? `${range}, inside an IPv6 address` : null;
  }
  return refusedV6[ip.range()] ?? null;
}

/** The IPv4 address an IPv6 address carries, for the forms that route to it. */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  const parts = ip.parts;
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const low = () => v4(parts[6] ?? 0, parts[7] ?? 0);
  switch (ip.range()) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d
      return low();
    case 'rfc6052': // 64:ff9b::a.b.c.d
      return low();
    case '6to4': // 2002:aabb:ccdd::
      return v4(parts[1] ?? 0, parts[2] ?? 0);
    default:
      // IPv4-compatible ::a.b.c.d (deprecated, but some stacks still route it); not :: or ::1.
      if (
        parts.slice(0, 6).every((p) => p === 0) &&
        ((parts[6] ?? 0) !== 0 || (parts[7] ?? 0) > 1)
      ) {
        return low();
      }
      return null;
  }
}

/** Whether the operator allowed this URL's host although it is not public. */
export function isPrivateHostAllowed(url: URL, allowed: readonly string[]): boolean {
  const hostname = unbracket(url.hostname.toLowerCase());
  const port =
    url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
  return allowed.some((entry) => {
    const wanted = splitHostPort(entry.trim().toLowerCase());
    return wanted.hostname === hostname && (wanted.port === null || wanted.port === port);
  });
}

/** "name", "name:port", "10.0.0.5", "::1", "[::1]", "[::1]:8080" → hostname and port. */
function splitHostPort(entry: string): { hostname: string; port: string | null } {
  if (entry.startsWith('[')) {
    const end = entry.indexOf(']');
    const rest = entry.slice(end + 1);
    return { hostname: entry.slice(1, end), port: rest.startsWith(':') ? rest.slice(1) : null };
  }
  const colons = entry.split(':').length - 1;
  if (colons === 1) {
    const [hostname = '', port = ''] = entry.split(':');
    return { hostname, port };
  }
  return { hostname: entry, port: null }; // a name, or a bare IPv6 address
}

function unbracket(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** The system resolver: every address of the name, IPv4 and IPv6, in the resolver's order. */
export const systemResolver: HostResolver = async (hostname) => {
  // Imported when first needed: `@pmos/sdk/server` stays importable where node:dns is not.
  const { lookup } = await import('node:dns/promises');
  const found = await lookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => entry.address);
};

/**
 * Refuses a URL whose host is not public, with a `PrivateHostError` naming the host and the
 * address; an IP literal is judged as it is, a name by every address it resolves to.
 */
export async function assertPublicHost(url: URL, options: PublicHostOptions = {}): Promise<void> {
  if (isPrivateHostAllowed(url, options.privateHostsAllowed ?? [])) return;
  const hostname = unbracket(url.hostname);
  const literal = ipaddr.IPv4.isValidFourPartDecimal(hostname) || url.hostname.startsWith('[');
  let addresses: readonly string[];
  if (literal) {
    addresses = [hostname];
  } else {
    try {
      addresses = await (options.resolveHost ?? systemResolver)(hostname);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new TypeError(
        `${url.host} could not be resolved${code ? ` (${code})` : ''}: check the host name`,
        { cause: error },
      );
    }
    if (addresses.length === 0) {
      throw new TypeError(`${url.host} could not be resolved (no address): check the host name`);
    }
  }
  for (const address of addresses) {
    const range = nonPublicRange(address);
    if (range) throw new PrivateHostError(url.host, address, range);
  }
}
