import { describe, expect, it } from 'vitest';
import { PrivateHostError } from './errors.js';
import {
  assertPublicHost,
  type HostResolver,
  isPrivateHostAllowed,
  nonPublicRange,
} from './public-host.js';

describe('nonPublicRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private network'],
    ['172.16.0.1', 'private network'],
    ['172.31.255.254', 'private network'],
    ['192.168.1.10', 'private network'],
    ['169.254.169.254', 'link-local, where cloud metadata services answer'],
    ['100.64.0.1', 'carrier-grade NAT, 100.64.0.0/10'],
    ['100.127.255.254', 'carrier-grade NAT, 100.64.0.0/10'],
    ['0.0.0.0', 'this network, 0.0.0.0/8'],
    ['0.1.2.3', 'this network, 0.0.0.0/8'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique local, fc00::/7'],
    ['fd12:3456:789a::1', 'unique local, fc00::/7'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback, inside an IPv6 address'],
    ['::ffff:7f00:1', 'loopback, inside an IPv6 address'],
    [
      '::ffff:169.254.169.254',
      'link-local, where cloud metadata services answer, inside an IPv6 address',
    ],
    ['::ffff:10.0.0.1', 'private network, inside an IPv6 address'],
    ['64:ff9b::10.0.0.1', 'private network, inside an IPv6 address'],
    ['64:ff9b:1::1', 'local-use NAT64, 64:ff9b:1::/48'],
    ['2002:c0a8:0101::1', 'private network, inside an IPv6 address'],
    ['::127.0.0.1', 'loopback, inside an IPv6 address'],
    ['[::1]', 'loopback'],
    ['not-an-ip', 'not an IP address'],
  ])('%s is not public: %s', (address, range) => {
    expect(nonPublicRange(address)).toBe(range);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '169.255.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:0808:0808::1',
  ])('%s is public', (address) => {
    expect(nonPublicRange(address)).toBeNull();
  });
});

describe('isPrivateHostAllowed', () => {
  const allowed = ['ollama.internal:11434', 'intranet.acme', '10.0.0.5', '[::1]:8080', 'fd00::7'];
  it.each([
    ['http://ollama.internal:11434/api', true],
    ['http://ollama.internal:11435/api', false],
    ['http://ollama.internal/api', false],
    ['http://intranet.acme/x', true],
    ['https://INTRANET.acme:8443/x', true],
    ['http://10.0.0.5:9000/', true],
    ['http://10.0.0.6/', false],
    ['http://[::1]:8080/', true],
    ['http://[::1]:8081/', false],
    ['http://[fd00::7]/', true],
    ['http://sub.intranet.acme/', false],
  ])('%s → %s', (url, expected) => {
    expect(isPrivateHostAllowed(new URL(url), allowed)).toBe(expected);
  });

  it('reads a port-qualified entry against the default port of the scheme', () => {
    expect(isPrivateHostAllowed(new URL('https://vault.acme/'), ['vault.acme:443'])).toBe(true);
    expect(isPrivateHostAllowed(new URL('http://vault.acme/'), ['vault.acme:443'])).toBe(false);
  });
});

describe('assertPublicHost', () => {
  const resolver =
    (table: Record<string, string[]>): HostResolver =>
    async (name) => {
      const found = table[name];
      if (!found)
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
      return found;
    };
  const dns = resolver({
    'api.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'metadata.evil.example': ['169.254.169.254'],
    'mixed.evil.example': ['93.184.215.14', '10.0.0.7'],
    localhost: ['127.0.0.1', '::1'],
    'intranet.acme': ['10.20.30.40'],
  });

  it('lets a name through when every address is public', async () => {
    await expect(
      assertPublicHost(new URL('https://api.example.com/v1'), { resolveHost: dns }),
    ).resolves.toBeUndefined();
  });

  it('refuses a name resolving to a private address, naming host and address', async () => {
    const check = assertPublicHost(new URL('http://metadata.evil.example/latest/meta-data'), {
      resolveHost: dns,
    });
    await expect(check).rejects.toBeInstanceOf(PrivateHostError);
    await expect(check).rejects.toMatchObject({
      code: 'private_host',
      host: 'metadata.evil.example',
      address: '169.254.169.254',
      message:
        'metadata.evil.example resolves to 169.254.169.254, not a public address (link-local, where cloud metadata services answer): a plugin allowed any host may reach public addresses only; the PMOS operator can allow this host in PMOS_HTTP_PRIVATE_HOSTS',
    });
  });

  it('refuses a name when any one of its addresses is private', async () => {
    await expect(
      assertPublicHost(new URL('https://mixed.evil.example/'), { resolveHost: dns }),
    ).rejects.toMatchObject({ address: '10.0.0.7', range: 'private network' });
    await expect(
      assertPublicHost(new URL('http://localhost:3000/'), { resolveHost: dns }),
    ).rejects.toThrow(/^localhost:3000 resolves to 127.0.0.1, not a public address \(loopback\)/);
  });

  it('judges IP literals without asking the resolver', async () => {
    const never: HostResolver = async () => {
      throw new Error('the resolver must not be asked for a literal');
    };
    for (const [url, host] of [
      ['http://127.0.0.1:5432/', '127.0.0.1:5432'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
      ['http://0.0.0.0/', '0.0.0.0'],
      ['http://2130706433/', '127.0.0.1'], // URL normalises decimal, hex and short forms
      ['http://0x7f.1/', '127.0.0.1'],
      ['http://[::1]/', '[::1]'],
      ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
      ['http://[fd00::1]:8080/', '[fd00::1]:8080'],
    ] as const) {
      await expect(assertPublicHost(new URL(url), { resolveHost: never })).rejects.toMatchObject({
        code: 'private_host',
        host,
        message: expect.stringMatching(
          new RegExp(`^${host.replace(/[[\].]/g, '\\$&')} is not a public address`),
        ),
      });
    }
    await expect(
      assertPublicHost(new URL('https://8.8.8.8/'), { resolveHost: never }),
    ).resolves.toBeUndefined();
  });

  it('lets the hosts the operator allowed through, by name or name:port', async () => {
    await expect(
      assertPublicHost(new URL('http://intranet.acme/wiki'), {
        resolveHost: dns,
        privateHostsAllowed: ['intranet.acme'],
      }),
    ).resolves.toBeUndefined();
    await expect(
      assertPublicHost(new URL('http://127.0.0.1:11434/api/tags'), {
        privateHostsAllowed: ['127.0.0.1:11434'],
      }),
    ).resolves.toBeUndefined();
    await expect(
      assertPublicHost(new URL('http://127.0.0.1:5432/'), {
        privateHostsAllowed: ['127.0.0.1:11434'],
      }),
    ).rejects.toBeInstanceOf(PrivateHostError);
  });

  it('says plainly when a name does not resolve', async () => {
    await expect(
      assertPublicHost(new URL('https://nowhere.example/'), { resolveHost: dns }),
    ).rejects.toThrow('nowhere.example could not be resolved (ENOTFOUND): check the host name');
    await expect(
      assertPublicHost(new URL('https://empty.example/'), { resolveHost: async () => [] }),
    ).rejects.toThrow('empty.example could not be resolved (no address)');
  });
});
