import type { MikroORM } from '@mikro-orm/postgresql';
import { PgBoss } from 'pg-boss';

/** The pg-boss queue of flow runs: one job per run to start (or continue). */
export const runQueueName = 'flow-run';
/** Schedule and polling triggers fire jobs on this queue (one pg-boss schedule per flow). */
export const triggerQueueName = 'flow-trigger';

export interface RunJob {
  runId: string;
  workspaceId: string;
}

/** A run to send: its job id is recorded on the run, so a lost send can be repeated safely. */
export interface RunToSend extends RunJob {
  jobId: string;
}

export interface TriggerJob {
  flowId: string;
  workspaceId: string;
}

export interface RunQueueOptions {
  /** How long a fetched job may stay active before pg-boss gives it up (≥ the run timeout). */
  expireInSeconds: number;
  /** pg-boss's cron check interval: lower fires schedules closer to their minute. */
  cronIntervalSeconds?: number;
}

/**
 * pg-boss on the database PMOS already uses, through MikroORM's own pool: embedded mode has
 * exactly one connection, and a second pool would break it. A run's job carries its id and
 * workspace; the workspace is the job's group, so pg-boss can cap each workspace's
 * concurrent runs across every worker.
 */
export class RunQueue {
  private wakers = new Set<() => void>();

  private constructor(readonly boss: PgBoss) {}

  static async start(orm: MikroORM, options: RunQueueOptions): Promise<RunQueue> {
    const pool = await orm.em.getConnection().getNativeClient();
    const boss = new PgBoss({
      db: { executeSql: (text, values) => pool.query(text, values as unknown[]) },
      schema: 'pgboss',
      cronWorkerIntervalSeconds: options.cronIntervalSeconds ?? 5,
      cronMonitorIntervalSeconds: options.cronIntervalSeconds ?? 5,
    });
    boss.on('error', () => {
      // pg-boss reports background maintenance errors here; they are retried on its next cycle.
    });
    await boss.start();
    for (const name of [runQueueName, triggerQueueName]) {
      await boss.createQueue(name, {
        expireInSeconds: options.expireInSeconds,
        retryLimit: 0,
        deleteAfterSeconds: 3600,
      });
    }
    return new RunQueue(boss);
  }

  /** Sends one job per run (call after the runs are committed), and wakes local workers. */
  async enqueue(runs: readonly RunToSend[], startAfterSeconds?: number): Promise<void> {
    if (runs.length === 0) return;
    await this.boss.insert(
      runQueueName,
      runs.map((run) => ({
        id: run.jobId,
        data: { runId: run.runId, workspaceId: run.workspaceId } satisfies RunJob,
        group: { id: run.workspaceId, tier: run.workspaceId },
        ...(startAfterSeconds ? { startAfter: startAfterSeconds } : {}),
      })),
    );
    if (!startAfterSeconds) for (const wake of this.wakers) wake();
  }

  /** A worker in this process registers here to hear of new jobs at once. */
  onEnqueue(wake: () => void): () => void {
    this.wakers.add(wake);
    return () => this.wakers.delete(wake);
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, close: false, timeout: 5000 });
  }
}
