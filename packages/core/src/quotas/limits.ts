import type { EntityManager } from '@mikro-orm/postgresql';
import { type ActorContext, recordAudit } from '../audit/audit-log.js';
import { sql } from '../db/sql.js';

/**
 * The limits PMOS enforces, with their defaults. A super_admin may override a limit for
 * everyone (`subject` "*") or for one workspace / user / IP (`subject` = its key).
 */
export const limitDefaults = {
  /** Request rate, approximate across processes (RateLimiter). */
  api_requests_per_minute: 1000,
  /** Exact daily counters per workspace (consumeQuota): they gate work and money. */
  flow_runs_per_day: 1000,
  ai_tokens_per_day: 1_000_000,
  /** Webhook deliveries to one workspace's flows, approximate across processes (RateLimiter). */
  webhook_requests_per_minute: 6000,
  /** Runs of one workspace going at the same time, across every worker (pg-boss groups). */
  concurrent_flow_runs: 20,
  /** Chat messages sent to the operator agent in one workspace, approximate across processes. */
  chat_messages_per_minute: 20,
  /** Stored run data (timelines, deliveries) per workspace; the oldest runs go beyond it. */
  run_data_megabytes: 1024,
} as const;

export type LimitName = keyof typeof limitDefaults;

export function isLimitName(value: string): value is LimitName {
  return value in limitDefaults;
}

export interface LimitOverride {
  limitName: LimitName;
  subject: string;
  value: number;
  updatedAt: Date;
}

export async function listLimitOverrides(em: EntityManager): Promise<LimitOverride[]> {
  const rows = await sql<{
    limit_name: LimitName;
    subject: string;
    value: number;
    updated_at: Date;
  }>(
    em,
    'select limit_name, subject, value, updated_at from limit_override order by limit_name, subject',
  );
  return rows.map((r) => ({
    limitName: r.limit_name,
    subject: r.subject,
    value: r.value,
    updatedAt: new Date(r.updated_at),
  }));
}

/** Sets (value) or removes (null) an override; audited as a quota change. */
export async function setLimitOverride(
  em: EntityManager,
  input: { limitName: LimitName; subject: string; value: number | null },
  actor: ActorContext,
): Promise<void> {
  if (input.value === null) {
    await sql(em, 'delete from limit_override where limit_name = ? and subject = ?', [
      input.limitName,
      input.subject,
    ]);
  } else {
    await sql(
      em,
      `insert into limit_override (limit_name, subject, value, updated_by) values (?, ?, ?, ?)
       on conflict (limit_name, subject) do update set value = excluded.value,
         updated_by = excluded.updated_by, updated_at = now()`,
      [input.limitName, input.subject, input.value, actor.userId],
    );
  }
  await recordAudit(em, actor, {
    action: 'quota.change',
    outcome: 'success',
    workspaceId: input.subject.startsWith('workspace:')
      ? input.subject.slice('workspace:'.length)
      : null,
    targetType: 'limit',
    targetId: `${input.limitName}:${input.subject}`,
    metadata: { limit: input.limitName, subject: input.subject, value: input.value },
  });
}
