import {
  Connections,
  type MikroORM,
  type RateLimiter,
  RunEvents,
  RunQueue,
  RunWorker,
  type RunWorkerOptions,
  type SecretsVault,
  WebhookIntake,
} from '@pmos/core';
import type { FastifyBaseLogger } from 'fastify';
import type { PluginHost } from '../plugins/plugin-host.js';
import { FlowTriggers } from './flow-triggers.js';
import { createRunHost } from './run-host.js';
import type { RunsRuntime } from './runtime.js';

export interface RunsOptions {
  /** Run a worker (and the trigger queue) in this process. */
  worker: boolean;
  timeoutSeconds: number;
  retentionDays: number;
  syncWebhookTimeoutSeconds: number;
  /** How often schedules are checked (default 5 s; tests use 1). */
  cronIntervalSeconds?: number;
  workerOptions?: Partial<RunWorkerOptions>;
}

export interface StartedRuns {
  runtime: RunsRuntime;
  triggers: FlowTriggers;
  close(): Promise<void>;
}

/** The run queue on the database, and — unless told otherwise — a worker and the triggers. */
export async function startRuns(input: {
  orm: MikroORM;
  plugins: PluginHost;
  vault: SecretsVault;
  rateLimiter: RateLimiter;
  logger: FastifyBaseLogger;
  options: RunsOptions;
}): Promise<StartedRuns> {
  const { orm, plugins, rateLimiter, logger, options } = input;
  const queue = await RunQueue.start(orm, {
    expireInSeconds: options.timeoutSeconds + 120,
    ...(options.cronIntervalSeconds ? { cronIntervalSeconds: options.cronIntervalSeconds } : {}),
  });
  const events = new RunEvents();
  const connections = new Connections(input.vault);
  const triggers = new FlowTriggers({ orm, queue, plugins, connections, rateLimiter, logger });
  let worker: RunWorker | null = null;
  if (options.worker) {
    worker = new RunWorker(
      orm,
      queue,
      createRunHost({
        orm,
        plugins,
        connections,
        rateLimiter,
        logger,
        retentionDays: options.retentionDays,
      }),
      events,
      { runTimeoutMs: options.timeoutSeconds * 1000, ...options.workerOptions },
    );
    worker.start();
    await triggers.start();
  }
  const intake = new WebhookIntake(
    orm,
    queue,
    (workspaceId) => rateLimiter.limitFor('flow_runs_per_day', `workspace:${workspaceId}`),
    (error) =>
      logger.error({ err: error }, 'sending webhook run jobs failed; the reaper resends them'),
  );
  return {
    runtime: {
      queue,
      intake,
      events,
      worker,
      syncWebhookTimeoutMs: options.syncWebhookTimeoutSeconds * 1000,
    },
    triggers,
    async close() {
      await triggers.stop();
      await worker?.stop();
      await queue.stop();
    },
  };
}
