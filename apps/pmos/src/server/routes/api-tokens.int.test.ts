import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';

const database = withTestDatabase();
let pmos: TestApp;
beforeAll(async () => {
  pmos = await startTestApp(database.url);
});
afterAll(() => pmos.close());

describe('personal API tokens', () => {
  it('are shown once, authenticate scripts, record last use, and stop working when revoked', async () => {
    const browser = pmos.client();
    const me = await signUpAs(browser, 'scripter@example.com');
    const created = await browser.post('/api/me/tokens', {
      name: 'nightly export',
      expiresInDays: 30,
    });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^pmos_pat_[\w-]{43}$/);
    expect(created.body.apiToken).toMatchObject({
      name: 'nightly export',
      lastUsedAt: null,
      hint: `${token.slice(0, 13)}…`,
    });

    const listed = await browser.get('/api/me/tokens');
    expect(listed.text).not.toContain(token);
    expect(listed.body.data).toHaveLength(1);
    const stored = await query(pmos.orm, 'select token_hash from api_token');
    expect(stored[0].token_hash).not.toBe(token);

    const script = pmos.client().withBearer(token);
    const asScript = await script.get('/api/me');
    expect(asScript.body.user.id).toBe(me.user.id);
    // Bearer requests carry no ambient credential: no Origin needed for writes.
    expect((await script.post('/api/workspaces', { name: 'From a script' })).status).toBe(201);
    expect((await browser.get('/api/me/tokens')).body.data[0].lastUsedAt).not.toBeNull();

    const id = created.body.apiToken.id;
    expect((await browser.delete(`/api/me/tokens/${id}`)).status).toBe(204);
    expect((await script.get('/api/me')).status).toBe(401);
    expect((await browser.get('/api/me/tokens')).body.data).toEqual([]);
    const again = await browser.delete(`/api/me/tokens/${id}`);
    expect([again.status, again.body.error.code]).toEqual([404, 'token_not_found']);

    const audit = await query(
      pmos.orm,
      `select action from audit_event where action like 'api_token.%' order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['api_token.create', 'api_token.revoke']);
  });

  it('expire', async () => {
    const browser = pmos.client();
    await signUpAs(browser, 'expiring@example.com');
    const { token, apiToken } = (
      await browser.post('/api/me/tokens', { name: 'short', expiresInDays: 1 })
    ).body;
    await query(
      pmos.orm,
      `update api_token set expires_at = now() - interval '1 second' where id = ?`,
      [apiToken.id],
    );
    expect((await pmos.client().withBearer(token).get('/api/me')).status).toBe(401);
  });

  it('cannot be revoked by someone else', async () => {
    const owner = pmos.client();
    await signUpAs(owner, 'owner@example.com');
    const { apiToken } = (await owner.post('/api/me/tokens', { name: 'mine', expiresInDays: null }))
      .body;
    expect(apiToken.expiresAt).toBeNull();
    const other = pmos.client();
    await signUpAs(other, 'other@example.com');
    expect((await other.delete(`/api/me/tokens/${apiToken.id}`)).status).toBe(404);
    expect((await owner.get('/api/me/tokens')).body.data).toHaveLength(1);
  });
});
