import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrations } from '@pmos/core';
import { createTestDatabase, type TestDatabase } from '@pmos/core/testing';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startServer, startWorkerProcess } from '../testing/cli-process.js';

const names = migrations.map((m) => m.name);

/** Signs a first account up on a running server and stores one workspace secret. */
async function signUpAndStoreSecret(url: string, value: string) {
  const headers = { 'content-type': 'application/json', origin: url };
  const signUp = await fetch(`${url}/api/auth/sign-up`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      email: 'keys@example.com',
      password: 'correct horse battery staple',
      name: 'K',
    }),
  });
  const cookie = (signUp.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const workspaceId = ((await signUp.json()) as { workspaces: { id: string }[] }).workspaces[0]?.id;
  const stored = await fetch(`${url}/api/workspaces/${workspaceId}/secrets`, {
    method: 'POST',
    headers: { ...headers, cookie },
    body: JSON.stringify({ name: 'api', value }),
  });
  expect(stored.status).toBe(201);
  return { cookie, workspaceId };
}
const scratch = mkdtempSync(join(tmpdir(), 'pmos-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('pmos start on an external PostgreSQL (DATABASE_URL)', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(undefined); // empty: start must migrate it
  });
  afterEach(() => database.drop());

  it('migrates an empty database, serves health and the web page, and stops cleanly', async () => {
    const server = await startServer({ DATABASE_URL: database.url });
    try {
      expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/readyz`);
      expect(await ready.json()).toEqual({
        status: 'ready',
        database: 'ok',
        migrations: { pending: 0 },
      });
      const page = await fetch(`${server.url}/`);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('migrate up / status / down / up from the command line', async () => {
    const env = { DATABASE_URL: database.url };
    const pendingStatus = await runCli(['migrate', 'status'], env);
    expect(pendingStatus.stdout).toBe(
      `${names.map((name) => `pending  ${name}\n`).join('')}${names.length} pending: run "pmos migrate up".\n`,
    );

    const up = await runCli(['migrate', 'up'], env);
    expect(up).toMatchObject({
      code: 0,
      stdout: names.map((name) => `applied  ${name}\n`).join(''),
    });
    expect((await runCli(['migrate', 'up'], env)).stdout).toContain('Nothing to apply');
    expect((await runCli(['migrate', 'status'], env)).stdout).toMatch(
      /applied\s+Migration20261125000000_instance\s+\d{4}-\d\d-\d\dT/,
    );

    const down = await runCli(['migrate', 'down', '--steps', '1'], env);
    expect(down).toMatchObject({ code: 0, stdout: `reverted ${names.at(-1)}\n` });
    expect((await runCli(['migrate', 'up'], env)).code).toBe(0);

    const badSteps = await runCli(['migrate', 'down', '--steps', 'zero'], env);
    expect(badSteps.code).toBe(1);
    expect(badSteps.stderr).toContain('must be a whole number of 1 or more');
  });

  it('with PMOS_AUTO_MIGRATE=false, starts but reports pending migrations as not ready', async () => {
    const server = await startServer({ DATABASE_URL: database.url, PMOS_AUTO_MIGRATE: 'false' });
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'not_ready',
        migrations: { pending: names.length },
      });
    } finally {
      await server.stop();
    }
  });
});

describe('pmos start on embedded PostgreSQL (no DATABASE_URL)', () => {
  it('persists under PMOS_DATA_DIR across a stop and a start', async () => {
    const dataDir = join(scratch, 'embedded');
    const first = await startServer({ PMOS_DATA_DIR: dataDir });
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    // Real data through a workspace route (row-level security on PGlite) and the vault.
    const { cookie, workspaceId } = await signUpAndStoreSecret(first.url, 'a-value-that-survives');
    expect(await first.stop()).toBe(0);
    expect(readdirSync(dataDir).sort()).toEqual(['instance.json', 'master.key', 'pgdata']); // lock released

    const status = await runCli(['migrate', 'status'], { PMOS_DATA_DIR: dataDir });
    expect(status.stdout).toMatch(/applied\s+Migration20261125000000_instance/);

    const second = await startServer({ PMOS_DATA_DIR: dataDir });
    try {
      expect(await (await fetch(`${second.url}/readyz`)).json()).toMatchObject({ status: 'ready' });
      // Usage reads limits inside the workspace transaction: on the single embedded connection.
      const usage = await fetch(`${second.url}/api/workspaces/${workspaceId}/usage`, {
        headers: { cookie },
      });
      expect(usage.status).toBe(200);
      const kept = await fetch(`${second.url}/api/workspaces/${workspaceId}/secrets`, {
        headers: { cookie },
      });
      expect(((await kept.json()) as { data: { name: string; mask: string }[] }).data).toEqual([
        expect.objectContaining({ name: 'api', mask: '••••ives' }),
      ]);
      // A second process on the same folder is refused while the first runs.
      const clash = await runCli(['migrate', 'status'], { PMOS_DATA_DIR: dataDir });
      expect(clash.code).toBe(1);
      expect(clash.stderr).toMatch(
        /^pmos: Data directory .* is in use by another PMOS process \(pid \d+\)/,
      );
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('refuses a folder that holds something else, without touching it', async () => {
    const dataDir = join(scratch, 'foreign');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    const run = await runCli(['start'], { PMOS_DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^pmos: Data directory .* was not created by PMOS \(found: notes\.txt\)/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dataDir)).toEqual(['notes.txt']);
    expect(readFileSync(join(dataDir, 'notes.txt'), 'utf8')).toBe('mine');
  });
});

describe('pmos admin transfer-super-admin', () => {
  it('moves the role between accounts on the server, with an audit record', async () => {
    const database = await createTestDatabase();
    try {
      const server = await startServer({ DATABASE_URL: database.url });
      for (const email of ['first@example.com', 'second@example.com']) {
        const response = await fetch(`${server.url}/api/auth/sign-up`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: server.url },
          body: JSON.stringify({ email, password: 'correct horse battery staple', name: 'X' }),
        });
        expect(response.status).toBe(201);
      }
      await server.stop();
      const env = { DATABASE_URL: database.url };
      const moved = await runCli(['admin', 'transfer-super-admin', 'Second@Example.com'], env);
      expect(moved).toMatchObject({
        code: 0,
        stdout: 'super_admin is now second@example.com (was first@example.com).\n',
      });
      const verified = await runCli(['audit', 'verify'], env);
      expect(verified.code).toBe(0);
      // instance chain: the bootstrap and the transfer; one chain per workspace.
      expect(verified.stdout).toMatch(/^ok {5}instance: 2 events$/m);
      expect(verified.stdout).toMatch(/All 3 chains intact \(\d+ events\)\.\n$/);
      const unknown = await runCli(['admin', 'transfer-super-admin', 'nobody@example.com'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe('pmos: No account with the email nobody@example.com.\n');
    } finally {
      await database.drop();
    }
  });
});

describe('master key', () => {
  it('embedded mode generates a 0600 key file once; rotation replaces it, and resumes when interrupted', async () => {
    const dataDir = join(scratch, 'keys');
    const server = await startServer({ PMOS_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    expect(server.output()).toContain(
      'Generated a new master key in the data directory. BACK IT UP',
    );
    const { cookie, workspaceId } = await signUpAndStoreSecret(server.url, 'rotating-secret-value');
    await server.stop();
    const keyFile = join(dataDir, 'master.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const before = readFileSync(keyFile, 'utf8');
    expect(Buffer.from(before.trim(), 'base64')).toHaveLength(32);

    const rotated = await runCli(['secrets', 'rotate-master'], { PMOS_DATA_DIR: dataDir });
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(
      /^Re-wrapped 1 workspace data key\(s\) under master key [0-9a-f]{16}\./,
    );
    expect(readFileSync(keyFile, 'utf8')).not.toBe(before);

    // A rotation that died after writing its new key: the next run finishes it with that key.
    const pending = `${Buffer.alloc(32, 7).toString('base64')}\n`;
    writeFileSync(join(dataDir, 'master.key.next'), pending, { mode: 0o600 });
    const resumed = await runCli(['secrets', 'rotate-master'], { PMOS_DATA_DIR: dataDir });
    expect(resumed.stdout).toMatch(
      /^Finished an interrupted rotation\. Re-wrapped 1 workspace data key/,
    );
    expect(readFileSync(keyFile, 'utf8')).toBe(pending);
    expect(readdirSync(dataDir)).not.toContain('master.key.next');

    const again = await startServer({ PMOS_DATA_DIR: dataDir });
    try {
      expect(again.output()).not.toContain('Generated a new master key');
      const list = await fetch(`${again.url}/api/workspaces/${workspaceId}/secrets`, {
        headers: { cookie },
      });
      expect(((await list.json()) as { data: { mask: string }[] }).data[0]?.mask).toBe('••••alue');
    } finally {
      await again.stop();
    }
  });

  it('embedded mode rotates from the running server without downtime (admin API)', async () => {
    const dataDir = join(scratch, 'live-rotation');
    const server = await startServer({ PMOS_DATA_DIR: dataDir });
    try {
      const { cookie, workspaceId } = await signUpAndStoreSecret(server.url, 'live-rotated-value');
      const before = readFileSync(join(dataDir, 'master.key'), 'utf8');
      const rotated = await fetch(`${server.url}/api/admin/secrets/rotate-master`, {
        method: 'POST',
        headers: { cookie, origin: server.url },
      });
      expect(await rotated.json()).toMatchObject({ rewrapped: 1, generated: true, resumed: false });
      expect(readFileSync(join(dataDir, 'master.key'), 'utf8')).not.toBe(before);
      expect(readdirSync(dataDir)).not.toContain('master.key.next');
      // Still serving: a new secret goes in under the new key.
      const more = await fetch(`${server.url}/api/workspaces/${workspaceId}/secrets`, {
        method: 'POST',
        headers: { cookie, origin: server.url, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'after', value: 'written-after-rotation' }),
      });
      expect(more.status).toBe(201);
    } finally {
      await server.stop();
    }
    // The server restarts on the new key file: every data key was re-wrapped under it.
    const again = await startServer({ PMOS_DATA_DIR: dataDir });
    await again.stop();
  });

  it('with DATABASE_URL: required, checked against the stored secrets, rotated with the old key beside the new', async () => {
    const database = await createTestDatabase();
    const keyA = Buffer.alloc(32, 1).toString('base64');
    const keyB = Buffer.alloc(32, 2).toString('base64');
    try {
      const missing = await runCli(['start'], { DATABASE_URL: database.url, PMOS_MASTER_KEY: '' });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('pmos: PMOS_MASTER_KEY is required with DATABASE_URL');

      const server = await startServer({ DATABASE_URL: database.url, PMOS_MASTER_KEY: keyA });
      const headers = { 'content-type': 'application/json', origin: server.url };
      const signUp = await fetch(`${server.url}/api/auth/sign-up`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          email: 'keys@example.com',
          password: 'correct horse battery staple',
          name: 'K',
        }),
      });
      const me = (await signUp.json()) as { workspaces: { id: string }[] };
      const cookie = (signUp.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
      const stored = await fetch(`${server.url}/api/workspaces/${me.workspaces[0]?.id}/secrets`, {
        method: 'POST',
        headers: { ...headers, cookie },
        body: JSON.stringify({ name: 'api', value: 'sk-very-secret-value' }),
      });
      expect(stored.status).toBe(201);
      await server.stop();

      const wrong = await runCli(['start'], { DATABASE_URL: database.url, PMOS_MASTER_KEY: keyB });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toBe(
        'pmos: PMOS_MASTER_KEY is not the key this database’s secrets were encrypted with. Start PMOS with the right key (or add the old one to PMOS_MASTER_KEY_PREVIOUS while rotating).\n',
      );

      const rotate = await runCli(['secrets', 'rotate-master'], {
        DATABASE_URL: database.url,
        PMOS_MASTER_KEY: keyB,
        PMOS_MASTER_KEY_PREVIOUS: keyA,
      });
      expect(rotate.stdout).toMatch(/^Re-wrapped 1 workspace data key\(s\)/);
      const withNewKey = await startServer({ DATABASE_URL: database.url, PMOS_MASTER_KEY: keyB });
      await withNewKey.stop();
      const withOldKey = await runCli(['start'], {
        DATABASE_URL: database.url,
        PMOS_MASTER_KEY: keyA,
      });
      expect(withOldKey.code).toBe(1);
    } finally {
      await database.drop();
    }
  });
});

describe('bad input at start', () => {
  it('stops with exit code 1 and one line naming the variable', async () => {
    const run = await runCli(['start'], { PORT: 'abc' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'pmos: Invalid configuration: PORT must be an integer between 0 and 65535 (got "abc")\n',
    );
  });

  it('names the port when it is already in use', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const port = (blocker.address() as { port: number }).port;
    const database = await createTestDatabase();
    try {
      const run = await runCli(['start'], { PORT: String(port), DATABASE_URL: database.url });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`pmos: Port ${port} on 127.0.0.1 is already in use.`);
    } finally {
      blocker.close();
      await database.drop();
    }
  });

  it('explains an unreachable database', async () => {
    const run = await runCli(['migrate', 'status'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^pmos: Cannot connect to the database: .*Check DATABASE_URL/);
  });
});

type Call = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: Record<string, unknown> }>;

/** Signs the first account up on a running server; answers a caller of its workspace's API. */
async function signUpOperator(url: string): Promise<Call> {
  const headers = { 'content-type': 'application/json', origin: url };
  const signUp = await fetch(`${url}/api/auth/sign-up`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      email: 'ops@example.com',
      password: 'correct horse battery staple',
      name: 'O',
    }),
  });
  const cookie = (signUp.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const ws = ((await signUp.json()) as { workspaces: { id: string }[] }).workspaces[0]?.id;
  return async (method, path, body) => {
    const response = await fetch(`${url}/api/workspaces/${ws}${path}`, {
      method,
      headers: { ...headers, cookie },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

/** Imports a flow document and publishes it (enabled when asked); answers the flow. */
async function publishFlow(
  call: Call,
  document: { displayName: string } & Record<string, unknown>,
  options: { enable?: boolean } = {},
): Promise<{ id: string; webhookPath: string }> {
  const created = await call('POST', '/flows/import', {
    pmosFlowExport: 1,
    displayName: document.displayName,
    folder: null,
    tags: [],
    document,
  });
  expect(created.status).toBe(201);
  const published = await call('POST', `/flows/${created.body.id}/operations`, {
    revision: created.body.revision,
    operations: [
      { type: 'LOCK_AND_PUBLISH', request: options.enable ? { status: 'ENABLED' } : {} },
    ],
  });
  expect(published.status).toBe(200);
  return published.body as { id: string; webhookPath: string };
}

describe('pmos worker beside pmos start (one PostgreSQL, two processes)', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(undefined);
  });
  afterEach(() => database.drop());

  it('runs the Core plugin flows an API-only server accepts, and answers its sync webhooks', async () => {
    const api = await startServer({ DATABASE_URL: database.url, PMOS_RUN_WORKER: 'false' });
    const worker = await startWorkerProcess({ DATABASE_URL: database.url });
    try {
      const call = await signUpOperator(api.url);
      // Core is bundled: available and enabled in a new workspace with no setup.
      const core = (v: string) => ({ pluginId: 'core', connectorId: 'core', pluginVersion: v });
      const plugins = (await call('GET', '/plugins')).body as {
        data: { id: string; version: string; enabled: boolean }[];
      };
      const corePlugin = plugins.data.find((p) => p.id === 'core');
      expect(corePlugin?.enabled).toBe(true);
      const version = corePlugin?.version ?? '';
      const document = {
        displayName: 'Echo order',
        schemaVersion: 1,
        trigger: {
          name: 'trigger',
          displayName: 'Webhook',
          valid: true,
          type: 'PLUGIN_TRIGGER',
          settings: { ...core(version), triggerId: 'webhook', input: { method: 'POST' } },
          nextAction: {
            name: 'step_1',
            displayName: 'Map',
            valid: true,
            type: 'PLUGIN',
            settings: {
              ...core(version),
              actionId: 'data_mapper',
              input: { mapping: { order: '{{trigger.body.order}}', via: 'worker' } },
            },
            nextAction: {
              name: 'step_2',
              displayName: 'Double',
              valid: true,
              type: 'CODE',
              settings: {
                sourceCode: {
                  code: 'export const code = async (inputs) => ({ total: inputs.n * 2 });',
                },
                input: { n: '{{trigger.body.amount}}' },
              },
              nextAction: {
                name: 'step_3',
                displayName: 'Answer',
                valid: true,
                type: 'PLUGIN',
                settings: {
                  ...core(version),
                  actionId: 'webhook_response',
                  input: {
                    status: 201,
                    bodyType: 'json',
                    body: {
                      order: '{{step_1.order}}',
                      total: '{{step_2.total}}',
                      via: '{{step_1.via}}',
                    },
                  },
                },
              },
            },
          },
        },
      };
      const flow = await publishFlow(call, document, { enable: true });

      const answer = await fetch(`${api.url}${flow.webhookPath}/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ order: 'A-17', amount: 21 }),
      });
      expect(answer.status).toBe(201);
      expect(await answer.json()).toEqual({ order: 'A-17', total: 42, via: 'worker' });

      const runs = (await call('GET', `/runs?flowId=${flow.id}`)).body as {
        data: { status: string; triggerKind: string }[];
      };
      expect(runs.data).toEqual([
        expect.objectContaining({ status: 'SUCCEEDED', triggerKind: 'webhook' }),
      ]);
    } finally {
      expect(await worker.stop()).toBe(0);
      expect(await api.stop()).toBe(0);
    }
  });

  it('finishes the run of a worker killed mid-run, and it can be retried from that step', async () => {
    const api = await startServer({ DATABASE_URL: database.url, PMOS_RUN_WORKER: 'false' });
    const env = { DATABASE_URL: database.url, PMOS_RUN_STALE_SECONDS: '3' };
    const doomed = await startWorkerProcess(env);
    let survivor: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
    try {
      const call = await signUpOperator(api.url);
      const plugins = await call('GET', '/plugins');
      const version = (plugins.body.data as { id: string; version: string }[]).find(
        (p) => p.id === 'core',
      )?.version;
      const core = { pluginId: 'core', connectorId: 'core', pluginVersion: version };
      const { id: flowId } = await publishFlow(call, {
        displayName: 'Slow',
        schemaVersion: 1,
        trigger: {
          name: 'trigger',
          displayName: 'By hand',
          valid: true,
          type: 'PLUGIN_TRIGGER',
          settings: { ...core, triggerId: 'manual', input: {} },
          nextAction: {
            name: 'step_1',
            displayName: 'Wait',
            valid: true,
            type: 'PLUGIN',
            settings: { ...core, actionId: 'delay', input: { seconds: '{{trigger.seconds}}' } },
          },
        },
      });
      const started = await call('POST', `/flows/${flowId}/runs`, { payload: { seconds: 30 } });
      expect(started.status).toBe(202);
      const runId = started.body.id as string;
      const until = async (done: (run: Record<string, unknown>) => boolean, ms: number) => {
        const deadline = Date.now() + ms;
        for (;;) {
          const run = (await call('GET', `/runs/${runId}`)).body;
          if (done(run)) return run;
          if (Date.now() > deadline) throw new Error(`run still ${run.status}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      // Running, with its step saved (progress is saved about every second).
      await until((run) => run.status === 'RUNNING' && (run.steps as unknown[]).length > 1, 15_000);
      doomed.child.kill('SIGKILL');
      survivor = await startWorkerProcess(env);
      const reaped = await until((run) => run.status !== 'RUNNING', 20_000);
      expect(reaped.status).toBe('FAILED');
      expect(reaped.error).toMatchObject({ code: 'worker_lost', step: 'step_1' });
      expect((reaped.steps as { name: string; status: string }[]).at(-1)).toMatchObject({
        name: 'step_1',
        status: 'FAILED',
      });
      // Retried from the step it was in, by the surviving worker.
      const retried = await call('POST', `/runs/${runId}/retry`, { from: 'failed_step' });
      expect(retried.status).toBe(202);
      const second = await until((run) => run.status !== 'QUEUED', 10_000);
      expect(second.status).toBe('RUNNING');
      expect((await call('POST', `/runs/${runId}/cancel`, {})).status).toBe(200);
      expect((await until((run) => run.status !== 'RUNNING', 10_000)).status).toBe('CANCELLED');
    } finally {
      if (doomed.child.exitCode === null) doomed.child.kill('SIGKILL');
      if (survivor) expect(await survivor.stop()).toBe(0);
      expect(await api.stop()).toBe(0);
    }
  });

  it('refuses to start without DATABASE_URL, saying why', async () => {
    const run = await runCli(['worker'], { PMOS_DATA_DIR: join(scratch, 'worker-embedded') });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('pmos worker runs beside pmos start on a shared PostgreSQL');
  });
});
