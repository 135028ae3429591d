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
      seen.push(String(input));
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
