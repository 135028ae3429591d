import { type BcgptConnection, normalizeBaseUrl } from '../connection.js';
import { type BcgptClient, createBcgptClient } from './client.js';
import { BcgptAuthError } from './errors.js';

/** A client for the connection value PMOS hands the plugin in `ctx.auth`. */
export function bcgptClientFor(ctx: {
  auth: BcgptConnection | undefined;
  http: typeof fetch;
  signal: AbortSignal;
}): BcgptClient {
  const apiKey = typeof ctx.auth?.apiKey === 'string' ? ctx.auth.apiKey.trim() : '';
  if (!apiKey) {
    throw new BcgptAuthError(
      'invalid_api_key',
      'Add your BCGPT API key to the connection first: copy it from the BCGPT connect page.',
    );
  }
  return createBcgptClient({
    http: ctx.http,
    baseUrl: normalizeBaseUrl(ctx.auth?.baseUrl),
    apiKey,
    signal: ctx.signal,
  });
}
