import {
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

    const vault = new SecretsVault(resolveKeyring(config, db, logger));
    if (pending === 0) await vault.assertKeyringMatches(db.orm.em.fork());

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
        worker: config.runs.worker,
        timeoutSeconds: config.runs.timeoutSeconds,
        retentionDays: config.runs.retentionDays,
        syncWebhookTimeoutSeconds: config.runs.syncWebhookTimeoutSeconds,
        workerOptions: { maxConcurrent: config.runs.concurrency },
      },
    });
    const app = await buildApp({
      runs: runs.runtime,
      onFlowLifecycle: (workspaceId, flowId) => runs.triggers.sync(workspaceId, flowId),
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
