import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  query,
  signUpAs,
  startTestApp,
  strongPassword,
  type TestApp,
} from '../../testing/test-app.js';

// Sign-up, sign-in, sessions, throttling, CSRF and bad input — over real HTTP on PostgreSQL.
const database = withTestDatabase();
let pmos: TestApp;
beforeAll(async () => {
  pmos = await startTestApp(database.url);
  await signUpAs(pmos.client(), 'founder@example.com', 'Founder'); // takes super_admin
});
afterAll(() => pmos.close());
beforeEach(async () => {
  // Every test here signs in from 127.0.0.1: start each with clean throttle counters.
  await pmos.orm.em.getConnection().execute('delete from auth_throttle');
});

const sql = (text: string, params: unknown[] = []) => query(pmos.orm, text, params);

describe('sign-up', () => {
  it('signs the new account in with a httpOnly, SameSite=Lax session cookie', async () => {
    const client = pmos.client();
    const response = await client.post('/api/auth/sign-up', {
      email: '  Grace@Example.COM ',
      password: strongPassword,
      name: 'Grace Hopper',
    });
    expect(response.status).toBe(201);
    expect(response.body.user).toMatchObject({
      email: 'grace@example.com',
      name: 'Grace Hopper',
      platformRole: null,
    });
    expect(response.body.workspaces).toEqual([
      { id: expect.any(String), name: "Grace's workspace", role: 'workspace_admin' },
    ]);
    const cookie = response.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^pmos_session=pmos_s_[\w-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure'); // served over http here
    expect((await client.get('/api/me')).body.user.email).toBe('grace@example.com');
    const stored = await sql('select token_hash from session where user_id = ?', [
      response.body.user.id,
    ]);
    expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/); // only the hash is kept
    expect(stored[0].token_hash).not.toBe(client.cookie);
  });

  it.each([
    [
      { email: 'not-an-email', password: strongPassword, name: 'X' },
      400,
      'invalid_request',
      'email',
    ],
    [
      { email: 'short@example.com', password: 'Sh0rt!pass', name: 'X' },
      400,
      'password_too_short',
      null,
    ],
    [
      { email: 'common@example.com', password: 'qwerty123456', name: 'X' },
      400,
      'password_too_common',
      null,
    ],
    [
      { email: 'FOUNDER@example.com', password: strongPassword, name: 'X' },
      409,
      'email_taken',
      null,
    ],
    [
      { email: 'noname@example.com', password: strongPassword, name: '  ' },
      400,
      'invalid_request',
      'name',
    ],
  ])('refuses %o with %i %s', async (body, status, code, field) => {
    const response = await pmos.client().post('/api/auth/sign-up', body);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message.length).toBeGreaterThan(10);
    if (field) expect(response.body.error.details.fields[field]).toEqual(expect.any(String));
    expect(response.text).not.toContain(body.password);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

describe('sign-in', () => {
  it('rotates the session: a new cookie, and the one it came with stops working', async () => {
    const client = pmos.client();
    await signUpAs(client, 'rotate@example.com');
    const before = client.cookie;
    const stale = pmos.client();
    stale.cookie = before;
    const response = await client.post('/api/auth/sign-in', {
      email: 'rotate@example.com',
      password: strongPassword,
    });
    expect(response.status).toBe(200);
    expect(response.body.user.email).toBe('rotate@example.com');
    expect(client.cookie).not.toBe(before);
    expect((await stale.get('/api/me')).status).toBe(401);
    expect((await client.get('/api/me')).status).toBe(200);
  });

  it('answers unknown email and wrong password alike', async () => {
    await signUpAs(pmos.client(), 'alike@example.com');
    const wrong = await pmos
      .client()
      .post('/api/auth/sign-in', { email: 'alike@example.com', password: 'not the password' });
    const unknown = await pmos
      .client()
      .post('/api/auth/sign-in', { email: 'nobody@example.com', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({
      error: { code: 'invalid_credentials', message: 'The email or password is incorrect.' },
    });
    expect(wrong.text).not.toContain('not the password');
  });

  it('spends similar time on unknown email and wrong password', async () => {
    const time = async (email: string) => {
      const started = performance.now();
      await pmos.client().post('/api/auth/sign-in', { email, password: 'not the password' });
      return performance.now() - started;
    };
    await time('alike@example.com'); // warm-up (the dummy hash is made on first use)
    const samples = { known: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 3; i++) {
      samples.known.push(await time('alike@example.com'));
      samples.unknown.push(await time(`nobody${i}@example.com`));
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[1] ?? 0;
    // Both run one argon2id verification; without the dummy hash "unknown" would be ~10× faster.
    expect(median(samples.unknown)).toBeGreaterThan(median(samples.known) * 0.4);
  });

  it('locks an account after 5 failures, with back-off, and audits it', async () => {
    await signUpAs(pmos.client(), 'target@example.com');
    const attempt = (password: string) =>
      pmos.client().post('/api/auth/sign-in', { email: 'target@example.com', password });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password!')).status).toBe(401);
    const locked = await attempt(strongPassword); // even the right password waits
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_attempts');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(25);
    expect(locked.body.error.details.retryAfterSeconds).toBeGreaterThanOrEqual(25);

    const [row] = await sql(
      `select failures from auth_throttle where key = 'account:target@example.com'`,
    );
    expect(row.failures).toBe(5);
    const lockouts = await sql(`select metadata from audit_event where action = 'auth.lockout'`);
    expect(lockouts.at(-1).metadata).toMatchObject({
      scope: 'account',
      key: 'target@example.com',
      lockSeconds: 30,
    });

    // Lock expires; one more failure locks for twice as long.
    await sql(`update auth_throttle set locked_until = now() - interval '1 second'`);
    expect((await attempt('wrong again!!')).status).toBe(401);
    const [longer] = await sql(
      `select extract(epoch from locked_until - now())::int as s from auth_throttle where key = 'account:target@example.com'`,
    );
    expect(longer.s).toBeGreaterThan(50);
    await sql(`update auth_throttle set locked_until = now() - interval '1 second'`);
    expect((await attempt(strongPassword)).status).toBe(200); // and success clears the count
    const [cleared] = await sql(
      `select count(*)::int as n from auth_throttle where key = 'account:target@example.com'`,
    );
    expect(cleared.n).toBe(0);
  });

  it('locks a client IP that tries many accounts', async () => {
    for (let i = 0; i < 30; i++) {
      const r = await pmos.client().post('/api/auth/sign-in', {
        email: `spray${i}@example.com`,
        password: 'guess guess guess',
      });
      expect(r.status).toBe(401);
    }
    const blocked = await pmos
      .client()
      .post('/api/auth/sign-in', { email: 'founder@example.com', password: strongPassword });
    expect(blocked.status).toBe(429);
  });
});

describe('sessions', () => {
  it('signs out this session only', async () => {
    const laptop = pmos.client();
    await signUpAs(laptop, 'two-devices@example.com');
    const phone = pmos.client();
    await phone.post('/api/auth/sign-in', {
      email: 'two-devices@example.com',
      password: strongPassword,
    });
    const laptopCookie = laptop.cookie;
    const response = await laptop.post('/api/auth/sign-out');
    expect(response.status).toBe(204);
    expect(laptop.cookie).toBeNull();
    const replay = pmos.client();
    replay.cookie = laptopCookie;
    expect((await replay.get('/api/me')).status).toBe(401);
    expect((await phone.get('/api/me')).status).toBe(200);
  });

  it('signs out everywhere', async () => {
    const a = pmos.client();
    await signUpAs(a, 'everywhere@example.com');
    const b = pmos.client();
    await b.post('/api/auth/sign-in', {
      email: 'everywhere@example.com',
      password: strongPassword,
    });
    expect((await a.post('/api/auth/sign-out-everywhere')).status).toBe(204);
    expect((await b.get('/api/me')).status).toBe(401);
    const fresh = pmos.client();
    fresh.cookie = a.cookie;
    expect((await fresh.get('/api/me')).status).toBe(401);
  });

  it('expires after a week idle, and after 30 days however active', async () => {
    const idle = pmos.client();
    const me = await signUpAs(idle, 'idle@example.com');
    await sql(`update session set last_seen_at = now() - interval '8 days' where user_id = ?`, [
      me.user.id,
    ]);
    expect((await idle.get('/api/me')).status).toBe(401);

    const old = pmos.client();
    const other = await signUpAs(old, 'old@example.com');
    await sql(`update session set expires_at = now() - interval '1 minute' where user_id = ?`, [
      other.user.id,
    ]);
    const response = await old.get('/api/me');
    expect(response.status).toBe(401);
    expect(response.body.error).toEqual({
      code: 'unauthenticated',
      message: 'Sign in to continue.',
    });
  });
});

describe('CSRF', () => {
  it('refuses cookie-authenticated writes from another origin, or with no origin', async () => {
    const client = pmos.client();
    await signUpAs(client, 'csrf@example.com');
    const evil = await client
      .withOrigin('https://evil.example')
      .post('/api/workspaces', { name: 'Evil' });
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe('csrf_rejected');
    const none = await client.withOrigin(null).post('/api/workspaces', { name: 'No origin' });
    expect(none.status).toBe(403);
    const same = await client.post('/api/workspaces', { name: 'Same origin' });
    expect(same.status).toBe(201);
    const names = (await client.get('/api/me')).body.workspaces.map(
      (w: { name: string }) => w.name,
    );
    expect(names).toEqual(["csrf's workspace", 'Same origin']);
  });

  it('refuses sign-in from a foreign page', async () => {
    const response = await pmos
      .client()
      .withOrigin('https://evil.example')
      .post('/api/auth/sign-in', { email: 'founder@example.com', password: strongPassword });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

describe('bad input', () => {
  it('answers oversized bodies, wrong content types and broken JSON with 4xx codes', async () => {
    const client = pmos.client();
    const huge = await client.post('/api/auth/sign-in', {
      email: 'a@example.com',
      password: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
    const text = await client.request('POST', '/api/auth/sign-in', 'email=a', {
      'content-type': 'text/plain',
    });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('unsupported_media_type');
    const broken = await client.request('POST', '/api/auth/sign-in', '{"email":', {
      'content-type': 'application/json',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
    const missing = await client.post('/api/auth/sign-in', {});
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.error.details.fields).sort()).toEqual(['email', 'password']);
  });
});

describe('audit', () => {
  it('records every auth event', async () => {
    const actions = (await sql('select distinct action from audit_event')).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'auth.sign_up',
        'platform.super_admin_bootstrap',
        'auth.sign_in',
        'auth.lockout',
        'auth.sign_out',
        'auth.sign_out_everywhere',
        'workspace.create',
      ]),
    );
    const failures = await sql(
      `select outcome, metadata from audit_event where action = 'auth.sign_in' and outcome = 'failure'`,
    );
    expect(failures.length).toBeGreaterThan(0);
    expect(JSON.stringify(failures)).not.toContain('not the password');
  });
});
