import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, startTestApp, type TestApp } from '../testing/test-app.js';

const database = withTestDatabase();
let direct: TestApp;
let proxied: TestApp;
beforeAll(async () => {
  direct = await startTestApp(database.url);
  proxied = await startTestApp(database.url, { trustProxy: ['127.0.0.1'] });
});
afterAll(async () => {
  await direct.close();
  await proxied.close();
});

const failSignIn = (app: TestApp, email: string) =>
  app
    .client()
    .request(
      'POST',
      '/api/auth/sign-in',
      { email, password: 'wrong password!' },
      { 'x-forwarded-for': '203.0.113.9' },
    );

describe('PMOS_TRUST_PROXY', () => {
  it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
    await failSignIn(direct, 'direct@example.com');
    await failSignIn(proxied, 'proxied@example.com');
    const rows = await query(
      direct.orm,
      `select metadata->>'email' as email, ip from audit_event where action = 'auth.sign_in' order by id`,
    );
    expect(rows).toEqual([
      { email: 'direct@example.com', ip: '127.0.0.1' },
      { email: 'proxied@example.com', ip: '203.0.113.9' },
    ]);
    const throttles = await query(
      direct.orm,
      `select key from auth_throttle where key like 'ip:%' order by key`,
    );
    expect(throttles.map((t) => t.key)).toEqual(['ip:127.0.0.1', 'ip:203.0.113.9']);
  });
});
