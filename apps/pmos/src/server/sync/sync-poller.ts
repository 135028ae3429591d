import type { RunQueue } from '@pmos/core';
import type { FastifyBaseLogger } from 'fastify';
import type { FlowSyncService } from './flow-sync-service.js';

export const flowSyncQueueName = 'flow-sync-poll';

/**
 * Polls linked flows once a minute: a pg-boss cron schedule (one job per minute for the
 * whole cluster, whichever API process takes it) whose job runs one `pollAll` pass; each
 * link's lease keeps rounds of different processes and requests from overlapping.
 */
export async function startSyncPoller(
  queue: RunQueue,
  sync: FlowSyncService,
  logger: FastifyBaseLogger,
  options: { cron?: string } = {},
): Promise<void> {
  const { boss } = queue;
  await boss.createQueue(flowSyncQueueName, {
    expireInSeconds: 600,
    retryLimit: 0,
    deleteAfterSeconds: 3600,
  });
  await boss.schedule(flowSyncQueueName, options.cron ?? '* * * * *', {}, { key: 'all' });
  await boss.work(flowSyncQueueName, { batchSize: 1, pollingIntervalSeconds: 5 }, async () => {
    const pass = await sync.pollAll();
    if (pass.failed > 0) logger.warn(pass, 'flow sync pass finished with failures');
  });
}
