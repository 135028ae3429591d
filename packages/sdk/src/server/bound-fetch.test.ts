import { describe, expect, it } from 'vitest';
import { boundFetch, isHostAllowed } from './bound-fetch.js';
import { HostNotAllowedError, PrivateHostError } from './errors.js';
import type { HostResolver } from './public-host.js';

describe('isHostAllowed', () => {
  it.each([
    ['api.github.com', ['api.github.com'], true],
    ['API.GitHub.com', ['api.github.com'], true],
    ['uploads.github.com', ['*.github.com'], true],
    ['github.com', ['*.github.com'], false],
    ['evilgithub.com', ['*.github.com'], false],
    ['api.github.com.evil.io', ['api.github.com'], false],
    ['localhost:8080', ['localhost:8080'], true],
    ['localhost:8081', ['localhost:8080'], false],
    ['api.github.com', [], false],
    ['anything.example:8443', ['*'], true],
  ])('%s against %j → %s', (host, allowed, expected) => {
    expect(isHostAllowed(host, allowed)).toBe(expected);
  });
});

describe('boundFetch', () => {
  it('passes declared hosts through and refuses others before any request', async () => {
    const seen: string[] = [];
    const base: typeof fetch = async (input) => {
      seen.push((input as Request).url);
      return new Response('ok');
    };
    const http = boundFetch(['api.example.com'], base);
    await expect((await http('https://api.example.com/x')).text()).resolves.toBe('ok');
    await expect(http('https://other.example.com/x')).rejects.toBeInstanceOf(HostNotAllowedError);
    await expect(http(new Request('https://other.example.com/'))).rejects.toThrow(
      /may not reach other.example.com/,
    );
    expect(seen).toEqual(['https://api.example.com/x']);
  });
});

describe('boundFetch and redirects', () => {
  const server = (routes: Record<string, () => Response>) => {
    const seen: { url: string; method: string; authorization: string | null; body: string }[] = [];
    const base: typeof fetch = async (input) => {
      const request = input as Request;
      seen.push({
        url: request.url,
        method: request.method,
        authorization: request.headers.get('authorization'),
        body: await request.text(),
      });
      return routes[request.url]?.() ?? new Response('missing', { status: 404 });
    };
    return { base, seen };
  };
  const redirect = (to: string, status = 302) =>
    new Response(null, { status, headers: { location: to } });

  it('follows redirects between declared hosts, one checked hop at a time', async () => {
    const { base, seen } = server({
      'https://api.example.com/old': () => redirect('/new', 301),
      'https://api.example.com/new': () => redirect('https://cdn.example.com/file', 307),
      'https://cdn.example.com/file': () => new Response('done'),
    });
    const http = boundFetch(['api.example.com', 'cdn.example.com'], base);
    const response = await http('https://api.example.com/old', {
      method: 'POST',
      body: 'payload',
      headers: { authorization: 'Bearer k' },
    });
    expect(await response.text()).toBe('done');
    expect(seen).toEqual([
      {
        url: 'https://api.example.com/old',
        method: 'POST',
        authorization: 'Bearer k',
        body: 'payload',
      },
      // 301 after a POST becomes a GET without the body.
      { url: 'https://api.example.com/new', method: 'GET', authorization: 'Bearer k', body: '' },
      // Another origin: the credentials stay behind.
      { url: 'https://cdn.example.com/file', method: 'GET', authorization: null, body: '' },
    ]);
  });

  it('refuses a redirect to an undeclared host before requesting it', async () => {
    const { base, seen } = server({
      'https://api.example.com/leak': () => redirect('https://evil.example.net/steal'),
    });
    const http = boundFetch(['api.example.com'], base);
    await expect(http('https://api.example.com/leak')).rejects.toBeInstanceOf(HostNotAllowedError);
    expect(seen.map((s) => s.url)).toEqual(['https://api.example.com/leak']);
  });

  it('hands a redirect back untouched with redirect: manual, and stops a loop', async () => {
    const { base } = server({ 'https://api.example.com/loop': () => redirect('/loop') });
    const http = boundFetch(['api.example.com'], base);
    const manual = await http('https://api.example.com/loop', { redirect: 'manual' });
    expect(manual.status).toBe(302);
    await expect(http('https://api.example.com/loop')).rejects.toThrow(/Too many redirects/);
  });
});

describe('boundFetch with "*" (any public host)', () => {
  const dns: HostResolver = async (name) =>
    ({
      'api.example.com': ['93.184.215.14'],
      'cdn.example.net': ['2606:4700:4700::1111'],
      'internal.example.com': ['10.0.0.8'],
      'rebind.example.com': ['93.184.215.14', '127.0.0.1'],
      'ollama.lan': ['192.168.1.20'],
    })[name] ?? [];
  const recorder = (routes: Record<string, () => Response> = {}) => {
    const seen: string[] = [];
    const base: typeof fetch = async (input) => {
      const url = (input as Request).url;
      seen.push(url);
      return routes[url]?.() ?? new Response('ok');
    };
    return { base, seen };
  };

  it('reaches public hosts and refuses private ones before a byte leaves', async () => {
    const { base, seen } = recorder();
    const http = boundFetch(['*'], base, { resolveHost: dns });
    await expect((await http('https://api.example.com/x')).text()).resolves.toBe('ok');
    await expect((await http('http://cdn.example.net:8080/y')).text()).resolves.toBe('ok');
    await expect(http('http://internal.example.com/admin')).rejects.toBeInstanceOf(
      PrivateHostError,
    );
    await expect(http('http://rebind.example.com/')).rejects.toMatchObject({
      code: 'private_host',
      address: '127.0.0.1',
    });
    await expect(http('http://169.254.169.254/latest/meta-data/')).rejects.toThrow(
      /^169\.254\.169\.254 is not a public address \(link-local/,
    );
    await expect(http('http://[::ffff:10.0.0.1]/')).rejects.toBeInstanceOf(PrivateHostError);
    expect(seen).toEqual(['https://api.example.com/x', 'http://cdn.example.net:8080/y']);
  });

  it('checks every redirect hop, so a public host cannot bounce the request inward', async () => {
    const { base, seen } = recorder({
      'https://api.example.com/go': () =>
        new Response(null, { status: 302, headers: { location: 'http://127.0.0.1:5432/' } }),
      'https://api.example.com/meta': () =>
        new Response(null, {
          status: 307,
          headers: { location: 'http://internal.example.com/secrets' },
        }),
    });
    const http = boundFetch(['*'], base, { resolveHost: dns });
    await expect(http('https://api.example.com/go')).rejects.toMatchObject({
      code: 'private_host',
      host: '127.0.0.1:5432',
    });
    await expect(
      http('https://api.example.com/meta', { method: 'POST', body: 'x' }),
    ).rejects.toMatchObject({ code: 'private_host', host: 'internal.example.com' });
    expect(seen).toEqual(['https://api.example.com/go', 'https://api.example.com/meta']);
  });

  it('lets through the private hosts the operator allowed', async () => {
    const { base, seen } = recorder();
    const http = boundFetch(['*'], base, {
      resolveHost: dns,
      privateHostsAllowed: ['ollama.lan:11434', '127.0.0.1'],
    });
    await http('http://ollama.lan:11434/api/tags');
    await http('http://127.0.0.1:9000/health');
    await expect(http('http://ollama.lan:22/')).rejects.toBeInstanceOf(PrivateHostError);
    expect(seen).toEqual(['http://ollama.lan:11434/api/tags', 'http://127.0.0.1:9000/health']);
  });

  it('trusts a host declared by name as declared, without the public check', async () => {
    const { base, seen } = recorder();
    const never: HostResolver = async () => {
      throw new Error('a declared host is not resolved');
    };
    const http = boundFetch(['*', '127.0.0.1:4010'], base, { resolveHost: never });
    await http('http://127.0.0.1:4010/mock');
    expect(seen).toEqual(['http://127.0.0.1:4010/mock']);
  });

  it('reaches http and https URLs only', async () => {
    const { base } = recorder();
    const http = boundFetch(['*'], base, { resolveHost: dns });
    await expect(http('data:text/plain,hello')).rejects.toThrow(
      'ctx.http reaches http and https URLs only (got data:)',
    );
  });

  it('says when a name does not resolve', async () => {
    const { base } = recorder();
    const http = boundFetch(['*'], base, { resolveHost: dns });
    await expect(http('https://unknown.example/')).rejects.toThrow(
      'unknown.example could not be resolved (no address): check the host name',
    );
  });

  it('leaves plugins without "*" to the host list alone', async () => {
    const { base } = recorder();
    const http = boundFetch(['api.example.com'], base, { resolveHost: dns });
    await expect(http('http://internal.example.com/')).rejects.toBeInstanceOf(HostNotAllowedError);
  });
});
