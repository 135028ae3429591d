import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../../testing/http-client.js';
import {
  type AcmeFake,
  acmeKeys,
  fakeAcme,
  loadFixturePlugins,
} from '../../testing/plugin-fixtures.js';
import { query, signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';

// OAuth2 connections: authorization code with PKCE against a fake provider speaking RFC 6749,
// tokens sealed by the vault, renewed before expiry, and never shown.
const database = withTestDatabase();
let pmos: TestApp;
let acme: AcmeFake;
let admin: TestClient;
let ws: string;

beforeAll(async () => {
  acme = fakeAcme();
  pmos = await startTestApp(database.url, {}, undefined, await loadFixturePlugins(acme.fetch));
  const root = pmos.client();
  await signUpAs(root, 'root@example.com');
  await root.put('/api/admin/plugins/acme-tasks', { available: true });
  admin = pmos.client();
  ws = (await signUpAs(admin, 'ada@example.com')).workspaces[0]?.id ?? '';
  await admin.put(`/api/workspaces/${ws}/plugins/acme-tasks`, { enabled: true });
});
afterAll(() => pmos.close());

let started = 0;
const start = (client: TestClient = admin) =>
  client.post(`/api/workspaces/${ws}/connections/oauth2/start`, {
    pluginId: 'acme-tasks',
    connectorId: 'acme-oauth',
    displayName: started++ === 0 ? 'Acme (signed in)' : `Acme (attempt ${started})`,
    clientId: acme.oauth.client.id,
    clientSecret: acme.oauth.client.secret,
    props: { region: 'eu' },
  });

describe('OAuth2 connections', () => {
  it('sends the person to the provider with PKCE, then stores renewed tokens and tests them', async () => {
    const started = await start();
    expect(started.status).toBe(200);
    const url = new URL(started.body.authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://auth.acme.test/eu/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'pmos-client',
      redirect_uri: `${pmos.url}/api/oauth2/callback`,
      scope: 'tasks:read tasks:write',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(started.body.redirectUri).toBe(`${pmos.url}/api/oauth2/callback`);

    const code = acme.oauth.approve(started.body.authorizationUrl);
    const state = url.searchParams.get('state');
    const back = await admin.get(`/api/oauth2/callback?state=${state}&code=${code}`);
    expect(back.status).toBe(302);
    const location = new URL(back.headers.get('location') ?? '', pmos.url);
    expect(location.pathname).toBe(`/w/${ws}/integrations`);
    const connectionId = location.searchParams.get('connection');
    expect(connectionId).toMatch(/^[0-9a-f-]{36}$/);

    // The code exchange (with the verifier), then an immediate renewal: the first token
    // expired within the margin.
    expect(acme.oauth.tokenRequests.map((r) => r.grant_type)).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
    expect(acme.oauth.tokenRequests[0]?.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const list = await admin.get(`/api/workspaces/${ws}/connections?connectorId=acme-oauth`);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        id: connectionId,
        authKind: 'oauth2',
        mask: 'Signed in (tasks:read tasks:write)',
        status: 'healthy',
        lastCheck: expect.objectContaining({ message: 'Signed in as Bo (eu)' }),
      }),
    ]);
    for (const secret of [acmeKeys.good, acmeKeys.other, 'refresh-1', acme.oauth.client.secret]) {
      expect(list.text).not.toContain(secret);
      expect(pmos.logs.join('\n')).not.toContain(secret);
    }
    // Renewed tokens were sealed again: the next test uses them without another renewal.
    await admin.post(`/api/workspaces/${ws}/connections/${connectionId}/test`);
    expect(acme.oauth.tokenRequests).toHaveLength(2);
    const [row] = await query(pmos.orm, 'select count(*)::int as n from oauth2_pending');
    expect(row.n).toBe(0);
  });

  it('accepts a state once, only from the person who started, and reports provider refusals', async () => {
    const started = await start();
    const state = new URL(started.body.authorizationUrl).searchParams.get('state');
    const other = pmos.client();
    await signUpAs(other, 'eve@example.com');
    const stolen = await other.get(`/api/oauth2/callback?state=${state}&code=whatever`);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.code).toBe('oauth2_state_invalid');
    // The attempt consumed the state: the real person must start again.
    const replay = await admin.get(`/api/oauth2/callback?state=${state}&code=whatever`);
    expect(replay.body.error.code).toBe('oauth2_state_invalid');

    const again = await start();
    const againState = new URL(again.body.authorizationUrl).searchParams.get('state');
    const refused = await admin.get(`/api/oauth2/callback?state=${againState}&code=forged-code`);
    expect(refused.status).toBe(302);
    const location = new URL(refused.headers.get('location') ?? '', pmos.url);
    expect(location.searchParams.get('oauth2_error')).toBe(
      'The provider refused the sign-in (invalid_grant: Bad code).',
    );
    expect(location.searchParams.get('plugin')).toBe('acme-tasks');
    expect(location.searchParams.get('connector')).toBe('acme-oauth');

    const denied = await start();
    const deniedState = new URL(denied.body.authorizationUrl).searchParams.get('state');
    const cancelled = await admin.get(
      `/api/oauth2/callback?state=${deniedState}&error=access_denied&error_description=User+said+no`,
    );
    expect(
      new URL(cancelled.headers.get('location') ?? '', pmos.url).searchParams.get('oauth2_error'),
    ).toBe('User said no');
  });

  it('expires a sign-in left unfinished, and refuses pasted values for OAuth2 connectors', async () => {
    const started = await start();
    const state = new URL(started.body.authorizationUrl).searchParams.get('state');
    await query(pmos.orm, `update oauth2_pending set expires_at = now() - interval '1 minute'`);
    const late = await admin.get(`/api/oauth2/callback?state=${state}&code=x`);
    expect(late.body.error.code).toBe('oauth2_state_expired');

    const pasted = await admin.post(`/api/workspaces/${ws}/connections`, {
      pluginId: 'acme-tasks',
      connectorId: 'acme-oauth',
      displayName: 'Pasted',
      value: 'token',
    });
    expect(pasted.status).toBe(400);
    expect(pasted.body.error.code).toBe('invalid_connection_value');
    const badProps = await admin.post(`/api/workspaces/${ws}/connections/oauth2/start`, {
      pluginId: 'acme-tasks',
      connectorId: 'acme-oauth',
      displayName: 'No region',
      clientId: 'x',
      props: { region: 'mars' },
    });
    expect(badProps.status).toBe(400);
    expect(badProps.body.error).toMatchObject({
      code: 'invalid_connection_value',
      details: { problems: [expect.objectContaining({ prop: 'region' })] },
    });
    const taken = await admin.post(`/api/workspaces/${ws}/connections/oauth2/start`, {
      pluginId: 'acme-tasks',
      connectorId: 'acme-oauth',
      displayName: 'ACME (SIGNED IN)',
      clientId: 'x',
      props: { region: 'eu' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('connection_name_taken');
    const wrongKind = await admin.post(`/api/workspaces/${ws}/connections/oauth2/start`, {
      pluginId: 'acme-tasks',
      connectorId: 'acme',
      displayName: 'Nope',
      clientId: 'x',
    });
    expect(wrongKind.body.error.code).toBe('invalid_connection_value');
  });
});
