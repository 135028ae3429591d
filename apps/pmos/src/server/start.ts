import {
  type Database,
  ensureInstance,
  migrateUp,
  openDatabase,
  PmosError,
  pendingMigrationCount,
  RateLimiter,
  SecretsVault,
} from '@pmos/core';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { type Config, publicUrlFor } from './config.js';
import { resolveKeyring } from './master-keyring.js';
import { defaultPluginRoots, startPluginHost } from './plugins/plugin-host.js';
import { startRuns } from './runs/start-runs.js';

export interface RunningPmos {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Opens the database, applies migrations, and serves the API and the web app. */
export async function startPmos(
  config: Config,
  options: { logger: Logger; webRoot: string },
): Promise<RunningPmos> {
  const { logger } = options;
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
  });
  try {
    logger.info({ mode: db.mode }, 'database connected');
    if (config.autoMigrate) {
      const applied = await migrateUp(db.orm);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }
    const pending = await pendingMigrationCount(db.orm);
    if (pending === 0) {
      await ensureInstance(db.orm.em.fork(), db.embeddedInstanceId);
    } else {
      logger.warn(
        { pending },
        'migrations pending: run "pmos migrate up"; /readyz reports not ready',
      );
    }

    const { vault, rateLimiter, plugins, runs } = await startServices(config, db, logger, {
      // No worker on a schema without its tables: it starts with the next start after migrating.
      worker: config.runs.worker && pending === 0,
      pendingMigrations: pending,
    });
    const app = await buildApp({
      runs: runs.runtime,
      onFlowLifecycle: (workspaceId, flowId) => runs.triggers.sync(workspaceId, flowId),
      onPluginToggled: (workspaceId, pluginId) => runs.triggers.syncPlugin(workspaceId, pluginId),
      plugins,
      masterKeyFileDir: config.masterKey ? undefined : db.dataDirPath,
      orm: db.orm,
      logger,
      config,
      vault,
      rateLimiter,
      webRoot: options.webRoot,
    });
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      await app.close();
      await runs.close();
      throw listenError(error, config);
    }
    rateLimiter.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    runs.triggers.lifecycle.listensAt(publicUrlFor(config, port));
    // A flow's trigger that should be on (or off) and is not, is now.
    if (pending === 0) runs.triggers.reconcileInBackground();
    return {
      url: publicUrlFor(config, port),
      port,
      async close() {
        await app.close();
        await runs.close();
        await rateLimiter.stop();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/** What both `pmos start` and `pmos worker` run on an open database. */
async function startServices(
  config: Config,
  db: Database,
  logger: Logger,
  options: { worker: boolean; pendingMigrations: number },
) {
  const vault = new SecretsVault(resolveKeyring(config, db, logger));
  if (options.pendingMigrations === 0) await vault.assertKeyringMatches(db.orm.em.fork());
  const rateLimiter = new RateLimiter(db.orm);
  const plugins = await startPluginHost({
    privateHostsAllowed: config.httpPrivateHosts,
    roots: [
      ...defaultPluginRoots(),
      ...(config.pluginsDir ? [{ dir: config.pluginsDir, source: 'installed' as const }] : []),
    ],
    logger,
    config: config.pluginConfig,
  });
  const runs = await startRuns({
    orm: db.orm,
    plugins,
    vault,
    rateLimiter,
    logger,
    options: {
      worker: options.worker,
      timeoutSeconds: config.runs.timeoutSeconds,
      retentionDays: config.runs.retentionDays,
      syncWebhookTimeoutSeconds: config.runs.syncWebhookTimeoutSeconds,
      workerOptions: {
        maxConcurrent: config.runs.concurrency,
        staleAfterSeconds: config.runs.staleSeconds,
        // Several heartbeats fit in the stale window, so one slow beat never ends a live run.
        heartbeatMs: Math.min(5000, (config.runs.staleSeconds * 1000) / 3),
      },
    },
  });
  return { vault, rateLimiter, plugins, runs };
}

export interface RunningWorker {
  close(): Promise<void>;
}

/**
 * Runs flows without serving HTTP: workers scale apart from the API. Only with an external
 * PostgreSQL — the embedded database belongs to the one `pmos start` process, which runs its
 * own worker.
 */
export async function startWorker(
  config: Config,
  options: { logger: Logger },
): Promise<RunningWorker> {
  const { logger } = options;
  if (!config.databaseUrl) {
    throw new PmosError(
      'worker_needs_database_url',
      'pmos worker runs beside pmos start on a shared PostgreSQL: set DATABASE_URL. With the embedded database, pmos start runs the worker itself.',
    );
  }
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.databasePoolMax,
  });
  try {
    const pending = await pendingMigrationCount(db.orm);
    if (pending > 0) {
      throw new PmosError(
        'migrations_pending',
        `The database has ${pending} pending migration(s): run "pmos migrate up" (or start pmos start first).`,
      );
    }
    const { rateLimiter, runs } = await startServices(config, db, logger, {
      worker: true,
      pendingMigrations: 0,
    });
    rateLimiter.start();
    return {
      async close() {
        await runs.close();
        await rateLimiter.stop();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

function listenError(error: unknown, config: Config): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new PmosError(
      'port_in_use',
      `Port ${config.port} on ${config.host} is already in use. Stop the program using it, or set PORT to a free port.`,
      { cause: error },
    );
  }
  if (code === 'EACCES') {
    return new PmosError(
      'port_not_permitted',
      `Not allowed to listen on port ${config.port}. Ports below 1024 need extra privileges: set PORT to 1024 or higher.`,
      { cause: error },
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new PmosError(
      'host_unavailable',
      `Cannot listen on HOST=${config.host}: this machine has no such address. Use 127.0.0.1 or 0.0.0.0.`,
      { cause: error },
    );
  }
  return error;
}
