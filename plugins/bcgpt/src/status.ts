import type { HealthReport } from '@pmos/sdk/server';
import { type BcgptClient, createBcgptClient } from './client/client.js';
import { BcgptError } from './client/errors.js';
import { type BcgptConnection, normalizeBaseUrl } from './connection.js';

/** BCGPT's `POST /action/startbcgpt` answer, reduced to what the health check reads. */
export interface StartBcgptStatus {
  connected?: boolean;
  basecamp_connected?: boolean;
  user?: { name?: string; email?: string } | null;
  selected_account_id?: number | string | null;
  accounts?: { id: number | string; name?: string }[];
  connect_url?: string;
  reauth_url?: string;
  message?: string;
  /** `/action/*` failures: `{ok:false, error, code}`. */
  ok?: boolean;
  code?: string;
  error?: string;
}

export type ConnectionState =
  | { state: 'key_invalid'; connectUrl: string }
  | { state: 'basecamp_not_linked'; connectUrl: string; userName: string | null }
  | { state: 'linked'; accountName: string | null; userName: string | null }
  | { state: 'unreachable'; reason: string };

/** Query parameters BCGPT may carry the key in (`/connect?api_key=…`, `?state=<key>`). */
const keyParams = ['api_key', 'apiKey', 'state', 'key'];

/**
 * A link to show a person: BCGPT's own link with the API key taken out (it may carry it
 * in the query), or the connect page when the key cannot be removed cleanly.
 */
export function safeConnectUrl(link: unknown, baseUrl: string, apiKey: string): string {
  const fallback = `${baseUrl}/connect`;
  if (typeof link !== 'string' || link.trim() === '') return fallback;
  let url: URL;
  try {
    url = new URL(link, baseUrl);
  } catch {
    return fallback;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fallback;
  for (const name of keyParams) {
    if (url.searchParams.get(name) === apiKey) url.searchParams.delete(name);
  }
  const text = url.toString();
  // The start URL only works with the key as `state`: without it, send people to /connect.
  if (text.includes(apiKey) || url.pathname.startsWith('/auth/')) return fallback;
  return text;
}

/** Asks BCGPT how this key stands: valid or not, Basecamp linked or not, which account. */
export async function readConnectionState(
  client: BcgptClient,
  apiKey: string,
): Promise<ConnectionState> {
  let status: StartBcgptStatus;
  try {
    status = (await client.startBcgpt()) as StartBcgptStatus;
  } catch (error) {
    if (error instanceof BcgptError) {
      if (error.code === 'invalid_api_key') {
        return { state: 'key_invalid', connectUrl: `${client.baseUrl}/connect` };
      }
      return { state: 'unreachable', reason: error.message };
    }
    // PMOS refused the address itself (a private host PMOS may not reach): say so plainly.
    const code = (error as { code?: unknown })?.code;
    if (code === 'private_host' || code === 'host_not_allowed') {
      return {
        state: 'unreachable',
        reason: `BCGPT cannot be reached: ${(error as Error).message}`,
      };
    }
    throw error;
  }
  const link = (preferred: unknown) =>
    safeConnectUrl(preferred ?? status.connect_url, client.baseUrl, apiKey);
  const userName = status.user?.name?.trim() || status.user?.email?.trim() || null;
  if (status.ok === false && status.code === 'NOT_AUTHENTICATED') {
    return { state: 'basecamp_not_linked', connectUrl: link(status.reauth_url), userName };
  }
  if (status.connected !== true) {
    return { state: 'key_invalid', connectUrl: link(status.connect_url) };
  }
  if (status.basecamp_connected !== true) {
    return { state: 'basecamp_not_linked', connectUrl: link(status.reauth_url), userName };
  }
  const selected = status.accounts?.find(
    (a) => String(a.id) === String(status.selected_account_id ?? ''),
  );
  return { state: 'linked', accountName: selected?.name ?? null, userName };
}

/** The plain-language sentence an admin reads on the connection. */
export function describeConnectionState(state: ConnectionState): HealthReport {
  switch (state.state) {
    case 'key_invalid':
      return {
        ok: false,
        message: `BCGPT does not recognise this API key. Open ${state.connectUrl}, sign in with Basecamp and copy your key again.`,
      };
    case 'basecamp_not_linked':
      return {
        ok: false,
        message: `The BCGPT key works${state.userName ? ` (${state.userName})` : ''}, but no Basecamp account is linked to it. Link Basecamp at ${state.connectUrl}, then test again.`,
      };
    case 'linked':
      return {
        ok: true,
        message: state.accountName
          ? `Connected to the Basecamp account "${state.accountName}"${state.userName ? ` as ${state.userName}` : ''}.`
          : `Connected to Basecamp${state.userName ? ` as ${state.userName}` : ''}, but no account is selected yet: choose one on the BCGPT connect page.`,
      };
    case 'unreachable':
      return { ok: false, message: state.reason };
  }
}

/** The connector's health check: one `startbcgpt` call (tools/list does not check the key). */
export async function checkBcgptHealth(ctx: {
  auth: BcgptConnection | undefined;
  http: typeof fetch;
  signal: AbortSignal;
}): Promise<HealthReport> {
  const apiKey = typeof ctx.auth?.apiKey === 'string' ? ctx.auth.apiKey.trim() : '';
  let baseUrl: string;
  try {
    baseUrl = normalizeBaseUrl(ctx.auth?.baseUrl);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  if (!apiKey) {
    return { ok: false, message: `Add your BCGPT API key: get it at ${baseUrl}/connect.` };
  }
  const client = createBcgptClient({ http: ctx.http, baseUrl, apiKey, signal: ctx.signal });
  return describeConnectionState(await readConnectionState(client, apiKey));
}
