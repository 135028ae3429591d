import { describe, expect, it } from 'vitest';
import { apiRootOf, requireKey } from './connection.js';
import { AiProviderError } from './errors.js';

const openai = {
  apiRoot: 'https://api.openai.com/v1',
  versionPath: '/v1',
  example: 'https://api.openai.com/v1',
};

describe('apiRootOf', () => {
  it('uses the provider’s own root without a base URL', () => {
    expect(apiRootOf(undefined, openai)).toBe('https://api.openai.com/v1');
    expect(apiRootOf('  ', openai)).toBe('https://api.openai.com/v1');
  });

  it('keeps a given path, without trailing slashes', () => {
    expect(apiRootOf('https://proxy.example.com/openai/v1/', openai)).toBe(
      'https://proxy.example.com/openai/v1',
    );
  });

  it('adds the version path to a bare origin', () => {
    expect(apiRootOf('http://127.0.0.1:11434', openai)).toBe('http://127.0.0.1:11434/v1');
    expect(apiRootOf('http://127.0.0.1:11434/', openai)).toBe('http://127.0.0.1:11434/v1');
  });

  it.each([
    ['sk-not-a-url-0123456789', /is not a web address/],
    ['ftp://files.example.com', /must start with http/],
    ['https://user:pass@proxy.example.com/v1', /must not hold a user name or password/],
    ['https://proxy.example.com/v1?key=abc', /must not have a query/],
  ])('refuses %s without repeating it', (given, message) => {
    const error = (() => {
      try {
        apiRootOf(given, openai);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AiProviderError);
    expect(error).toMatchObject({
      code: 'invalid_base_url',
      message: expect.stringMatching(message),
    });
    expect((error as Error).message).not.toContain(given);
  });

  it('asks for a base URL where the provider has none of its own', () => {
    expect(() =>
      apiRootOf('', { versionPath: '/v1', example: 'http://127.0.0.1:11434/v1' }),
    ).toThrow("The base URL is missing: enter the server's, e.g. http://127.0.0.1:11434/v1.");
  });
});

describe('requireKey', () => {
  it('trims the key, and refuses an empty one in plain words', () => {
    expect(requireKey(' sk-1 ', 'openai')).toBe('sk-1');
    expect(() => requireKey('', 'anthropic')).toThrow(
      'Anthropic needs an API key, and this connection has none. Create a new key at console.anthropic.com › Settings › API keys and save it in the connection.',
    );
  });
});
