import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { InvalidPropsError, type OAuth2Auth, parseProps } from '@pmos/sdk/server';
import { type ActorContext, recordAudit } from '../audit/audit-log.js';
import { scrubText } from '../audit/scrub.js';
import { sql } from '../db/sql.js';
import type { SecretsVault } from '../secrets/vault.js';
import type { StoredOAuth2Value } from './connection-value.js';
import { PluginError } from './errors.js';

/** How long a person has to finish signing in at the provider. */
export const oauth2SignInTtlMs = 10 * 60 * 1000;
/** Tokens this close to expiry are renewed before use. */
const refreshMarginSeconds = 60;

const b64url = (bytes: Buffer) => bytes.toString('base64url');
const sha256 = (text: string) => createHash('sha256').update(text).digest();

export interface PendingSignIn {
  workspaceId: string;
  userId: string;
  pluginId: string;
  connectorId: string;
  displayName: string;
  codeVerifier: string;
  redirectUri: string;
  client: { id: string; secret?: string };
  props: Record<string, unknown>;
}

/** `{subdomain}` in an OAuth2 URL takes the value of the auth prop of that name. */
export function fillUrl(template: string, props: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) =>
    encodeURIComponent(String(props[name] ?? '')),
  );
}

/**
 * Starts an authorization code sign-in with PKCE (S256): stores the verifier and client
 * sealed, keyed by the hash of a random `state`, and answers the provider URL to open.
 */
export async function startOAuth2SignIn(
  em: EntityManager,
  vault: SecretsVault,
  input: {
    workspaceId: string;
    auth: OAuth2Auth;
    pluginId: string;
    connectorId: string;
    displayName: string;
    clientId: string;
    clientSecret?: string;
    props?: unknown;
    redirectUri: string;
  },
  actor: ActorContext & { userId: string },
): Promise<{ authorizationUrl: string; expiresAt: Date }> {
  if (input.auth.grantType !== 'authorization_code') {
    throw new PluginError('invalid_connection_value', {
      message: 'This connector uses the client credentials grant, which PMOS cannot connect yet.',
    });
  }
  let props: Record<string, unknown> = {};
  try {
    if (input.auth.props) props = parseProps(input.auth.props, input.props ?? {});
  } catch (error) {
    if (!(error instanceof InvalidPropsError)) throw error;
    throw new PluginError('invalid_connection_value', {
      message: error.message,
      details: { problems: error.problems },
    });
  }
  // Refuse a taken name now, not after the person has consented at the provider.
  const [taken] = await sql(
    em,
    `select 1 from connection where workspace_id = ? and plugin_id = ? and connector_id = ?
       and lower(display_name) = lower(?)`,
    [input.workspaceId, input.pluginId, input.connectorId, input.displayName],
  );
  if (taken) throw new PluginError('connection_name_taken');
  const state = b64url(randomBytes(32));
  const codeVerifier = b64url(randomBytes(32));
  const id = randomUUID();
  const pending: Omit<
    PendingSignIn,
    'workspaceId' | 'userId' | 'pluginId' | 'connectorId' | 'displayName'
  > = {
    codeVerifier,
    redirectUri: input.redirectUri,
    client: { id: input.clientId, ...(input.clientSecret ? { secret: input.clientSecret } : {}) },
    props,
  };
  const sealed = await vault.sealOwned(
    em,
    input.workspaceId,
    { kind: 'oauth2_pending', id },
    JSON.stringify(pending),
  );
  const expiresAt = new Date(Date.now() + oauth2SignInTtlMs);
  await sql(
    em,
    `insert into oauth2_pending (id, workspace_id, user_id, state_hash, plugin_id, connector_id,
       display_name, data_key_version, ciphertext, expires_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      input.workspaceId,
      actor.userId,
      sha256(state).toString('hex'),
      input.pluginId,
      input.connectorId,
      input.displayName,
      sealed.dataKeyVersion,
      sealed.ciphertext,
      expiresAt,
    ],
  );
  await recordAudit(em, actor, {
    action: 'connection.oauth2_start',
    outcome: 'success',
    workspaceId: input.workspaceId,
    targetType: 'plugin',
    targetId: input.pluginId,
    metadata: { connectorId: input.connectorId, displayName: input.displayName },
  });
  const url = new URL(fillUrl(input.auth.authUrl, props));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  if (input.auth.scopes.length) url.searchParams.set('scope', input.auth.scopes.join(' '));
  url.searchParams.set('state', state);
  if (input.auth.pkce) {
    url.searchParams.set('code_challenge', b64url(sha256(codeVerifier)));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return { authorizationUrl: url.toString(), expiresAt };
}

/**
 * Takes a pending sign-in by its `state`, once: it must exist, belong to this person and be
 * fresh. Runs outside any tenant scope — the state is what tells the workspace.
 */
export async function takeOAuth2SignIn(
  em: EntityManager,
  vault: SecretsVault,
  state: string,
  userId: string,
): Promise<PendingSignIn> {
  const [row] = await sql<{
    id: string;
    workspace_id: string;
    user_id: string;
    plugin_id: string;
    connector_id: string;
    display_name: string;
    data_key_version: number;
    ciphertext: Buffer;
    expires_at: Date;
  }>(em, 'delete from oauth2_pending where state_hash = ? returning *', [
    sha256(state).toString('hex'),
  ]);
  if (!row || row.user_id !== userId) throw new PluginError('oauth2_state_invalid');
  if (new Date(row.expires_at).getTime() < Date.now())
    throw new PluginError('oauth2_state_expired');
  const pending = JSON.parse(
    await vault.openOwnedForExecution(
      em,
      row.workspace_id,
      { kind: 'oauth2_pending', id: row.id },
      { dataKeyVersion: row.data_key_version, ciphertext: row.ciphertext },
    ),
  );
  return {
    ...pending,
    workspaceId: row.workspace_id,
    userId: row.user_id,
    pluginId: row.plugin_id,
    connectorId: row.connector_id,
    displayName: row.display_name,
  };
}

/** One token request (RFC 6749 §4.1.3 / §6), client authenticated as the connector says. */
async function tokenRequest(
  fetchImpl: typeof fetch,
  auth: OAuth2Auth,
  props: Record<string, unknown>,
  client: { id: string; secret?: string },
  params: Record<string, string>,
): Promise<Omit<StoredOAuth2Value, 'client' | 'props'>> {
  const body = new URLSearchParams(params);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (client.secret && auth.authorizationMethod === 'header') {
    const basic = `${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  } else {
    body.set('client_id', client.id);
    if (client.secret) body.set('client_secret', client.secret);
  }
  let response: Response;
  try {
    response = await fetchImpl(fillUrl(auth.tokenUrl, props), {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new PluginError('oauth2_failed', {
      message: `The provider’s token endpoint could not be reached (${scrubText((error as Error).message)}).`,
    });
  }
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof json.access_token !== 'string') {
    const reason = [json.error, json.error_description].filter(Boolean).join(': ');
    throw new PluginError('oauth2_failed', {
      message: `The provider refused the sign-in${reason ? ` (${scrubText(String(reason))})` : ` (HTTP ${response.status})`}.`,
    });
  }
  const expiresIn = Number(json.expires_in);
  return {
    accessToken: json.access_token,
    tokenType: typeof json.token_type === 'string' ? json.token_type : 'Bearer',
    ...(typeof json.refresh_token === 'string' ? { refreshToken: json.refresh_token } : {}),
    ...(Number.isFinite(expiresIn) && expiresIn > 0
      ? { expiresAt: Math.floor(Date.now() / 1000) + expiresIn }
      : {}),
    ...(typeof json.scope === 'string' ? { scope: json.scope } : {}),
  };
}

/** Exchanges the authorization code for tokens. */
export async function exchangeOAuth2Code(
  fetchImpl: typeof fetch,
  auth: OAuth2Auth,
  pending: PendingSignIn,
  code: string,
): Promise<StoredOAuth2Value> {
  const tokens = await tokenRequest(fetchImpl, auth, pending.props, pending.client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: pending.redirectUri,
    ...(auth.pkce ? { code_verifier: pending.codeVerifier } : {}),
  });
  return { ...tokens, props: pending.props, client: pending.client };
}

export function needsRefresh(value: StoredOAuth2Value, now = Date.now()): boolean {
  return (
    value.expiresAt !== undefined &&
    value.refreshToken !== undefined &&
    value.expiresAt - refreshMarginSeconds <= Math.floor(now / 1000)
  );
}

/** Renews the tokens; a provider that sends no new refresh token keeps the old one valid. */
export async function refreshOAuth2Tokens(
  fetchImpl: typeof fetch,
  auth: OAuth2Auth,
  value: StoredOAuth2Value,
): Promise<StoredOAuth2Value> {
  const tokens = await tokenRequest(fetchImpl, auth, value.props, value.client, {
    grant_type: 'refresh_token',
    refresh_token: value.refreshToken ?? '',
  });
  return {
    ...tokens,
    refreshToken: tokens.refreshToken ?? value.refreshToken,
    props: value.props,
    client: value.client,
  };
}

/** The mask of an OAuth2 connection: which scopes it holds, never a token. */
export function oauth2Mask(value: StoredOAuth2Value): string {
  return value.scope ? `Signed in (${value.scope})` : 'Signed in';
}
