import { auth, prop } from '@pmos/sdk/server';
import { AiProviderError, type AiProviderFamily } from './errors.js';
import { keyHelp } from './explain/describe.js';
import { serviceName } from './explain/explain.js';

/**
 * A hosted provider's connection: the API key, plus an optional base URL for a proxy or
 * gateway that speaks the same API (and for tests, which point it at a loopback fake).
 * Only the key is `secret`, so PMOS may name the base URL's host in messages.
 */
export function hostedConnection(o: { description: string; keyHelp: string; apiRoot: string }) {
  return auth.custom({
    description: o.description,
    props: {
      apiKey: prop.shortText({
        displayName: 'API key',
        description: o.keyHelp,
        required: true,
        secret: true,
      }),
      baseUrl: prop.shortText({
        displayName: 'Base URL (optional)',
        description: `Leave empty for ${o.apiRoot}. Only for a proxy or gateway that speaks the same API.`,
        required: false,
      }),
    },
  });
}

function invalidBaseUrl(reason: string): AiProviderError {
  // The typed text is not repeated: people paste keys into the wrong field.
  return new AiProviderError({
    code: 'invalid_base_url',
    message: `The base URL ${reason}.`,
    retryable: false,
  });
}

/**
 * The API root requests hang off (`…/v1`), from the connection's base URL or the provider's
 * own. A URL with no path gets the provider's version path (`/v1`, `/v1beta`), so
 * "http://127.0.0.1:11434" works like "http://127.0.0.1:11434/v1".
 */
export function apiRootOf(
  given: string | undefined,
  defaults: {
    /** The provider's own API root; none for a server the person names. */
    apiRoot?: string;
    versionPath: string;
    /** An address to show when the given one is wrong. */
    example: string;
  },
): string {
  const text = given?.trim();
  if (!text) {
    if (defaults.apiRoot) return defaults.apiRoot;
    throw invalidBaseUrl(`is missing: enter the server's, e.g. ${defaults.example}`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidBaseUrl(
      `is not a web address: enter one starting with http:// or https://, e.g. ${defaults.example}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidBaseUrl('must start with http:// or https://');
  }
  if (url.username || url.password) {
    throw invalidBaseUrl('must not hold a user name or password: put the key in the API key field');
  }
  if (url.search || url.hash) {
    throw invalidBaseUrl('must not have a query (?…) or fragment (#…)');
  }
  const root = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return url.pathname === '/' ? `${root}${defaults.versionPath}` : root;
}

/**
 * The key, or a plain refusal when there is none. Never left to the AI SDK: without a key it
 * falls back to the process environment (OPENAI_API_KEY …), which would bill the operator.
 */
export function requireKey(apiKey: string | undefined, family: AiProviderFamily): string {
  const key = apiKey?.trim();
  if (key) return key;
  throw new AiProviderError({
    code: 'invalid_key',
    message: `${serviceName(family)} needs an API key, and this connection has none. ${keyHelp(family)}`,
    retryable: false,
  });
}
