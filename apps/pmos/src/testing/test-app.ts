import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createOrm,
  generateMasterKey,
  type MikroORM,
  PluginRegistry,
  RateLimiter,
  SecretsVault,
} from '@pmos/core';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from '../server/app.js';
import type { Config } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import type { PluginHost } from '../server/plugins/plugin-host.js';
import { type RunsOptions, type StartedRuns, startRuns } from '../server/runs/start-runs.js';
import { TestClient } from './http-client.js';

export interface TestApp {
  url: string;
  app: FastifyInstance;
  orm: MikroORM;
  /** Every log line the server wrote (JSON), for assertions such as "no secret was logged". */
  logs: string[];
  rateLimiter: RateLimiter;
  /** The run queue, worker and triggers, when started with `runs`. */
  runs: StartedRuns | undefined;
  /** A fresh client with its own cookie jar (one "browser"). */
  client(): TestClient;
  close(): Promise<void>;
}

/** The real server, listening on a free port, on the given (test) database. */
export async function startTestApp(
  databaseUrl: string,
  config: Partial<Pick<Config, 'publicUrl' | 'enableShell' | 'metricsToken' | 'trustProxy'>> = {},
  /** Extra routes a test needs (registered before the server listens). */
  addRoutes?: (app: FastifyInstance) => void,
  /** Loaded plugins (see loadTestPlugins); none by default. */
  plugins: PluginHost = { registry: new PluginRegistry([]), fetch },
  /** `runs`: start the run queue, a worker and the triggers (fast timings for tests). */
  options: {
    runs?: Partial<RunsOptions>;
    chat?: AppOptions['chat'];
    flowSync?: AppOptions['flowSync'];
  } = {},
): Promise<TestApp> {
  const webRoot = mkdtempSync(join(tmpdir(), 'pmos-web-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><div id="root"></div>');
  const orm = await createOrm({ clientUrl: databaseUrl, poolMax: 4 });
  const logs: string[] = [];
  const rateLimiter = new RateLimiter(orm);
  // The product's own logger configuration (redaction, scrubbing), into memory.
  const logger = createLogger((process.env.PMOS_TEST_LOG as Config['logLevel']) ?? 'info', {
    write: (line: string) => logs.push(line),
  });
  const vault = new SecretsVault({ current: generateMasterKey(), previous: [] });
  const runs = options.runs
    ? await startRuns({
        orm,
        plugins,
        vault,
        rateLimiter,
        logger,
        options: {
          worker: true,
          timeoutSeconds: 60,
          retentionDays: 30,
          syncWebhookTimeoutSeconds: 5,
          cronIntervalSeconds: 1,
          ...options.runs,
          workerOptions: {
            pollIntervalMs: 200,
            heartbeatMs: 200,
            engineLimits: { retryDelaysMs: [10, 20] },
            ...options.runs.workerOptions,
          },
        },
      })
    : undefined;
  const app = await buildApp({
    orm,
    logger,
    webRoot,
    vault,
    ...(runs
      ? {
          runs: runs.runtime,
          onFlowLifecycle: (workspaceId: string, flowId: string) =>
            runs.triggers.sync(workspaceId, flowId),
          onPluginToggled: (workspaceId: string | null, pluginId: string) =>
            runs.triggers.syncPlugin(workspaceId, pluginId),
        }
      : {}),
    rateLimiter,
    plugins,
    chat: { sweepIntervalMs: 200, ...options.chat },
    ...(options.flowSync ? { flowSync: options.flowSync } : {}),
    config: { publicUrl: undefined, enableShell: false, ...config },
  });
  addRoutes?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  rateLimiter.start();
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  runs?.triggers.lifecycle.listensAt(url);
  return {
    url,
    app,
    orm,
    logs,
    client: () => new TestClient(url),
    rateLimiter,
    runs,
    async close() {
      await app.close();
      await runs?.close();
      await rateLimiter.stop();
      await orm.close();
      rmSync(webRoot, { recursive: true, force: true });
    },
  };
}

export const strongPassword = 'correct horse battery staple';

/** Signs a new account up in this client; returns the `Me` body. */
export async function signUpAs(
  client: TestClient,
  email: string,
  name = email.split('@')[0] ?? 'User',
) {
  const response = await client.post('/api/auth/sign-up', {
    email,
    password: strongPassword,
    name,
  });
  if (response.status !== 201) throw new Error(`sign-up of ${email} failed: ${response.text}`);
  return response.body as {
    user: { id: string; email: string; platformRole: string | null };
    workspaces: { id: string; name: string; role: string }[];
    permissions: Record<string, string[]>;
    platformPermissions: string[];
  };
}

/** Raw SQL for assertions and for moving clocks (expiry tests); rows are loosely typed. */
// biome-ignore lint/suspicious/noExplicitAny: test rows are checked by assertions, not types
export function query(orm: MikroORM, sql: string, params: unknown[] = []): Promise<any[]> {
  return orm.em.getConnection().execute(sql, params);
}
