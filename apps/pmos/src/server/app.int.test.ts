import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createOrm,
  generateMasterKey,
  type MikroORM,
  migrateDown,
  migrateUp,
  PluginRegistry,
  PmosError,
  RateLimiter,
  SecretsVault,
} from '@pmos/core';
import { withTestDatabase } from '@pmos/core/testing';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';

// The real HTTP server on the real PostgreSQL (a database cloned from the migrated template).
const database = withTestDatabase();
const webRoot = mkdtempSync(join(tmpdir(), 'pmos-web-'));
const logLines: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(line) });
let orm: MikroORM;
let app: FastifyInstance;
let undeclaredRan = false;

beforeAll(async () => {
  writeFileSync(
    join(webRoot, 'index.html'),
    '<!doctype html><title>PMOS</title><div id="root"></div>',
  );
  writeFileSync(join(webRoot, 'app.js'), 'console.log("app")');
  orm = await createOrm({ clientUrl: database.url, poolMax: 2 });
  app = await buildApp({
    orm,
    logger,
    webRoot,
    vault: new SecretsVault({ current: generateMasterKey(), previous: [] }),
    rateLimiter: new RateLimiter(orm),
    plugins: { registry: new PluginRegistry([]), fetch },
    config: { publicUrl: undefined, enableShell: false },
  });
  app.get('/api/test/boom', { config: { access: { kind: 'public' } } }, async () => {
    throw new Error('database password is hunter2');
  });
  app.get('/api/test/undeclared', async () => {
    undeclaredRan = true;
    return {};
  });
  app.post(
    '/api/test/echo',
    { config: { access: { kind: 'public' } } },
    async (request) => request.body,
  );
  app.get('/api/test/known', { config: { access: { kind: 'public' } } }, async () => {
    throw new PmosError('flow_not_found', 'No automation with that id in this workspace.', {
      status: 404,
    });
  });
});
afterAll(async () => {
  await app.close();
  await orm.close();
  rmSync(webRoot, { recursive: true, force: true });
});

describe('health', () => {
  it('answers /healthz while the process is alive', async () => {
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when the database answers and no migration is pending', async () => {
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      database: 'ok',
      migrations: { pending: 0 },
    });
  });

  it('is not ready while a migration is pending, and says what to do', async () => {
    await migrateDown(orm);
    try {
      const response = await app.inject('/readyz');
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        status: 'not_ready',
        database: 'ok',
        migrations: { pending: 1 },
        reason: expect.stringContaining('pmos migrate up'),
      });
    } finally {
      await migrateUp(orm);
    }
  });
});

describe('web app and unknown paths', () => {
  it('serves the web app at / and for client-side routes', async () => {
    for (const path of ['/', '/automations/abc']) {
      const response = await app.inject(path);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain('<div id="root">');
    }
    expect((await app.inject('/app.js')).body).toContain('console.log');
  });

  it('answers unknown API paths and missing files with a JSON 404, not the page', async () => {
    for (const path of ['/api/nothing', '/missing.js', '/hooks/x']) {
      const response = await app.inject(path);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({
        error: { code: 'not_found', message: `Nothing at GET ${path}.` },
      });
    }
  });
});

describe('API reference', () => {
  it('publishes an OpenAPI document generated from the zod schemas', async () => {
    const response = await app.inject('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    const signUp = document.paths['/api/auth/sign-up'].post;
    expect(signUp.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/SignUpRequestInput',
    });
    expect(document.components.schemas.SignUpRequestInput).toMatchObject({
      properties: {
        email: expect.any(Object),
        password: expect.any(Object),
        name: expect.any(Object),
      },
      required: ['email', 'password', 'name'],
    });
    expect(Object.keys(signUp.responses)).toEqual(expect.arrayContaining(['201', '400', '409']));
    expect(document.paths['/api/workspaces/{workspaceId}/members']).toBeDefined();
    expect(document.components.schemas.Me).toBeDefined();
  });

  it('serves a browsable reference at /api/docs from local assets', async () => {
    const response = await app.inject('/api/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).not.toMatch(/https?:\/\/(unpkg|cdn)/);
  });
});

describe('errors and request ids', () => {
  it('maps a PmosError to its status and code', async () => {
    const response = await app.inject('/api/test/known');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'flow_not_found', message: 'No automation with that id in this workspace.' },
    });
  });

  it('hides unexpected errors behind a generic 500 and logs them with the request id', async () => {
    const response = await app.inject('/api/test/boom');
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: {
        code: 'internal_error',
        message: 'Something went wrong on our side. It has been logged.',
      },
    });
    expect(response.body).not.toContain('hunter2');
    const requestId = response.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const logged = logLines
      .map((line) => JSON.parse(line))
      .find((l) => l.msg === 'unhandled error');
    expect(logged).toMatchObject({ reqId: requestId, level: 50 });
  });

  it('sends baseline security headers on pages and API answers', async () => {
    for (const path of ['/', '/healthz', '/api/nothing']) {
      const response = await app.inject(path);
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'same-origin',
      });
    }
  });

  it("limits what the web app's pages may load, and leaves API answers alone", async () => {
    for (const path of ['/', '/w/some/page']) {
      const page = await app.inject(path);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      const policy = String(page.headers['content-security-policy']);
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toContain('unsafe-eval');
    }
    for (const path of ['/healthz', '/api/nothing', '/app.js']) {
      const other = await app.inject(path);
      expect(other.headers['content-security-policy']).toBeUndefined();
    }
  });

  it('keeps a well-formed incoming request id and replaces a malformed one', async () => {
    const kept = await app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'trace-12345678' },
    });
    expect(kept.headers['x-request-id']).toBe('trace-12345678');
    const replaced = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\n' } });
    expect(replaced.headers['x-request-id']).not.toBe('bad id\n');
  });

  it('refuses an /api route that declares no access, before running it', async () => {
    const response = await app.inject('/api/test/undeclared');
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('forbidden');
    expect(undeclaredRan).toBe(false);
  });

  it('answers malformed JSON with a 400 and a stable code', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"broken":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_json');
  });

  it('never writes credentials from request headers to the log', async () => {
    logLines.length = 0;
    await app.inject({
      url: '/healthz',
      headers: { authorization: 'Bearer pmos_secret_token', cookie: 'sid=abc' },
    });
    expect(logLines.join('\n')).not.toContain('pmos_secret_token');
  });
});
