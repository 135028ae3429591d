import { describe, expect, it } from 'vitest';
import { boundFetch, isHostAllowed } from './bound-fetch.js';
import { HostNotAllowedError } from './errors.js';

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
