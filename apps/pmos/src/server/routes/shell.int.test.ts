import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../../testing/http-client.js';
import {
  query,
  signUpAs,
  startTestApp,
  strongPassword,
  type TestApp,
} from '../../testing/test-app.js';

const database = withTestDatabase();
const scratch = mkdtempSync(join(tmpdir(), 'pmos-shell-'));
let pmos: TestApp;
let founder: TestClient;
const callers: Record<string, TestClient> = {};

beforeAll(async () => {
  pmos = await startTestApp(database.url, { enableShell: true });
  founder = pmos.client();
  await signUpAs(founder, 'root@example.com');
  const admin = pmos.client();
  const workspaceId = (await signUpAs(admin, 'admin@example.com')).workspaces[0]?.id;
  callers.workspace_admin = admin;
  for (const role of ['member', 'viewer']) {
    const client = pmos.client();
    await signUpAs(client, `${role}@example.com`);
    const { url } = (
      await admin.post(`/api/workspaces/${workspaceId}/invites`, {
        email: `${role}@example.com`,
        role,
      })
    ).body;
    await client.post(`/api/invites/${url.split('/invite/')[1]}/accept`);
    callers[role] = client;
  }
  callers['signed out'] = pmos.client();
  callers['member API token'] = pmos
    .client()
    .withBearer(
      (await (callers.member as TestClient).post('/api/me/tokens', { name: 't', expiresInDays: 1 }))
        .body.token,
    );
  callers['super_admin API token'] = pmos
    .client()
    .withBearer((await founder.post('/api/me/tokens', { name: 't', expiresInDays: 1 })).body.token);
});
afterAll(async () => {
  await pmos.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the shell', () => {
  it.each([
    'viewer',
    'member',
    'workspace_admin',
    'signed out',
    'member API token',
    'super_admin API token',
  ])('refuses %s with 403 before anything runs, and audits the attempt', async (caller) => {
    const marker = join(scratch, caller.replaceAll(' ', '-'));
    const response = await callers[caller]?.post('/api/admin/shell', {
      command: `touch ${marker}`,
    });
    expect(response?.status).toBe(403);
    expect(response?.body.error.code).toBe('forbidden');
    expect(existsSync(marker)).toBe(false);
  });

  it('runs a command for the super_admin, streaming output and the exit code, and audits it', async () => {
    const response = await founder.post('/api/admin/shell', {
      command: 'echo out; echo err >&2; exit 3',
      cwd: scratch,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = response.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual(
      expect.arrayContaining([
        { type: 'stdout', data: 'out\n' },
        { type: 'stderr', data: 'err\n' },
      ]),
    );
    expect(lines.at(-1)).toMatchObject({ type: 'exit', code: 3, signal: null, timedOut: false });

    await expect
      .poll(
        async () =>
          (
            await query(
              pmos.orm,
              `select * from audit_event where action = 'shell.run' and outcome <> 'denied'`,
            )
          ).length,
      )
      .toBe(1);
    const [row] = await query(
      pmos.orm,
      `select actor_user_id, outcome, metadata from audit_event where action = 'shell.run'`,
    );
    expect(row.outcome).toBe('failure');
    expect(row.metadata).toMatchObject({
      command: 'echo out; echo err >&2; exit 3',
      exitCode: 3,
      cwd: scratch,
    });
    const denied = await query(
      pmos.orm,
      `select count(*)::int as n from audit_event where action = 'shell.use.access' and outcome = 'denied'`,
    );
    expect(denied[0].n).toBe(6);
  });

  it('stops a command at its timeout and keeps PMOS secrets out of its environment', async () => {
    process.env.PMOS_MASTER_KEY = 'secret-for-the-test';
    process.env.PMOS_METRICS_TOKEN = 'metrics-secret-for-the-test';
    try {
      const started = Date.now();
      const slow = await founder.post('/api/admin/shell', {
        command: 'echo first; sleep 5; echo second',
        timeoutMs: 300,
      });
      expect(Date.now() - started).toBeLessThan(3000); // the sleep was killed with its shell
      expect(slow.text).not.toContain('second');
      expect(
        slow.text
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
          .at(-1),
      ).toMatchObject({ type: 'exit', timedOut: true, signal: 'SIGKILL' });
      const env = await founder.post('/api/admin/shell', { command: 'env' });
      expect(env.text).not.toContain('secret-for-the-test');
      expect(env.text).toContain('PATH='); // the rest of the environment is there
    } finally {
      delete process.env.PMOS_MASTER_KEY;
      delete process.env.PMOS_METRICS_TOKEN;
    }
  });

  it('explains a missing working directory', async () => {
    const response = await founder.post('/api/admin/shell', {
      command: 'pwd',
      cwd: join(scratch, 'nope'),
    });
    expect([response.status, response.body.error.code]).toEqual([400, 'invalid_cwd']);
  });
});

describe('the shell when PMOS_ENABLE_SHELL is off', () => {
  it('tells the super_admin how to turn it on', async () => {
    const off = await startTestApp(database.url, { enableShell: false });
    try {
      const client = off.client();
      await client.post('/api/auth/sign-in', {
        email: 'root@example.com',
        password: strongPassword,
      });
      const response = await client.post('/api/admin/shell', { command: 'true' });
      expect([response.status, response.body.error.code]).toEqual([403, 'shell_disabled']);
      expect(response.body.error.message).toContain('PMOS_ENABLE_SHELL=1');
    } finally {
      await off.close();
    }
  });
});
