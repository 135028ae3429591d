import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { sql } from '../db/sql.js';
import { consumeQuota, QuotaExceededError } from '../quotas/quota-counter.js';
import { GroupCommit } from './group-commit.js';
import type { RunQueue } from './queue.js';
import type { QueuedRun, ResponseMode } from './run-store.js';

export interface WebhookDelivery {
  flowId: string;
  secret: string;
  payload: unknown;
  responseMode: ResponseMode;
  /** The run's id, chosen by the caller (to listen for its events before it can start). */
  runId?: string;
}

/**
 * Takes webhook deliveries in: each becomes a QUEUED run of its flow's published version,
 * counted against its workspace's daily quota, with its job sent — before the caller is
 * answered, so an accepted delivery is never lost. Deliveries arriving together are stored
 * together (one insert, one quota update per workspace, one job insert): a flood costs a few
 * statements per batch, not per request.
 */
export class WebhookIntake {
  private readonly batches: GroupCommit<WebhookDelivery, QueuedRun | null>;

  constructor(
    private readonly orm: MikroORM,
    private readonly queue: RunQueue,
    private readonly quotaLimit: (workspaceId: string) => Promise<number>,
    private readonly onSendFailed: (error: unknown) => void,
  ) {
    this.batches = new GroupCommit((items) => this.store(items));
  }

  /** The queued run; null when no enabled, published flow answers at that address. */
  accept(delivery: WebhookDelivery): Promise<QueuedRun | null> {
    return this.batches.push(delivery);
  }

  private async store(items: WebhookDelivery[]): Promise<(QueuedRun | null | Error)[]> {
    const em = this.orm.em.fork();
    const planned = items.map((item) => ({
      ...item,
      id: item.runId ?? randomUUID(),
      jobId: randomUUID(),
    }));
    const rows = await sql<{ id: string; workspace_id: string }>(
      em,
      `insert into flow_run (id, job_id, workspace_id, flow_id, flow_version_id, trigger_kind,
         trigger_payload, response_mode)
       select i.id, i.job_id, f.workspace_id, f.id, f.published_version_id, 'webhook', i.payload,
         i.response_mode
       from jsonb_to_recordset(?::jsonb)
         as i(id uuid, job_id uuid, flow_id uuid, secret text, payload jsonb, response_mode text)
       join flow f on f.id = i.flow_id
         -- Digests compared, not secrets: how long a comparison takes tells nothing of the secret.
         and sha256(convert_to(f.webhook_secret, 'UTF8')) = sha256(convert_to(i.secret, 'UTF8'))
         and f.status = 'ENABLED' and f.published_version_id is not null
       returning id, workspace_id`,
      [
        JSON.stringify(
          planned.map((p) => ({
            id: p.id,
            job_id: p.jobId,
            flow_id: p.flowId,
            secret: p.secret,
            payload: p.payload ?? null,
            response_mode: p.responseMode,
          })),
        ),
      ],
    );
    const workspaceOf = new Map(rows.map((r) => [r.id, r.workspace_id]));
    const refused = new Map<string, QuotaExceededError>();
    const byWorkspace = new Map<string, string[]>();
    for (const row of rows) {
      byWorkspace.set(row.workspace_id, [...(byWorkspace.get(row.workspace_id) ?? []), row.id]);
    }
    for (const [workspaceId, runIds] of byWorkspace) {
      const limit = await this.quotaLimit(workspaceId);
      const take = (amount: number) =>
        consumeQuota(em, { workspaceId, quota: 'flow_runs_per_day', amount, limit });
      try {
        await take(runIds.length);
      } catch (error) {
        if (!(error instanceof QuotaExceededError)) throw error;
        // Near the limit: as many as still fit, in arrival order; the rest are refused.
        for (const runId of runIds) {
          try {
            await take(1);
          } catch (one) {
            if (!(one instanceof QuotaExceededError)) throw one;
            refused.set(runId, one);
          }
        }
      }
    }
    if (refused.size > 0) {
      await sql(
        em,
        `delete from flow_run where id in (select value::uuid from jsonb_array_elements_text(?::jsonb))`,
        [JSON.stringify([...refused.keys()])],
      );
    }
    const accepted: QueuedRun[] = [];
    const results = planned.map((p): QueuedRun | null | Error => {
      const workspaceId = workspaceOf.get(p.id);
      if (!workspaceId) return null;
      const quota = refused.get(p.id);
      if (quota) return quota;
      const run = { runId: p.id, jobId: p.jobId, workspaceId };
      accepted.push(run);
      return run;
    });
    // The runs are stored: a failed send is repaired by the reaper, not turned into an error.
    await this.queue.enqueue(accepted).catch(this.onSendFailed);
    return results;
  }
}
