import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../db/sql.js';
import { PmosError } from '../errors.js';
import type { LimitName } from './limits.js';

/** Quotas counted exactly, per workspace and UTC day. */
export type DailyQuota = Extract<LimitName, 'flow_runs_per_day' | 'ai_tokens_per_day'>;

export const dailyQuotas: readonly DailyQuota[] = ['flow_runs_per_day', 'ai_tokens_per_day'];

const dayMs = 86_400_000;

function today(now = Date.now()): { start: Date; resetsAt: Date } {
  const start = Math.floor(now / dayMs) * dayMs;
  return { start: new Date(start), resetsAt: new Date(start + dayMs) };
}

const quotaLabels: Record<DailyQuota, string> = {
  flow_runs_per_day: 'automation runs for today',
  ai_tokens_per_day: 'AI tokens for today',
};

function hoursUntil(when: Date): string {
  const minutes = Math.max(1, Math.ceil((when.getTime() - Date.now()) / 60_000));
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

export class QuotaExceededError extends PmosError {
  constructor(quota: DailyQuota, limit: number, used: number, resetsAt: Date) {
    super(
      'quota_exceeded',
      `This workspace has used its ${quotaLabels[quota]} (${used} of ${limit}). It resets at midnight UTC, in ${hoursUntil(resetsAt)}.`,
      {
        status: 429,
        details: {
          quota,
          limit,
          used,
          resetsAt: resetsAt.toISOString(),
          retryAfterSeconds: Math.max(1, Math.ceil((resetsAt.getTime() - Date.now()) / 1000)),
        },
      },
    );
    this.name = 'QuotaExceededError';
  }
}

/**
 * Takes `amount` from a workspace's daily quota, or refuses without taking anything. One
 * conditional upsert: concurrent callers in any number of processes can never overshoot.
 */
export async function consumeQuota(
  em: EntityManager,
  input: { workspaceId: string; quota: DailyQuota; amount: number; limit: number },
): Promise<{ used: number; limit: number; resetsAt: Date }> {
  const { start, resetsAt } = today();
  const rows = await sql<{ used: string }>(
    em,
    `insert into quota_usage (workspace_id, quota, period_start, used)
     select ?, ?, ?, ? where ? <= ?
     on conflict (workspace_id, quota, period_start)
       do update set used = quota_usage.used + excluded.used
       where quota_usage.used + excluded.used <= ?
     returning used`,
    [input.workspaceId, input.quota, start, input.amount, input.amount, input.limit, input.limit],
  );
  if (rows[0]) return { used: Number(rows[0].used), limit: input.limit, resetsAt };
  const used = await quotaUsed(em, input.workspaceId, input.quota);
  throw new QuotaExceededError(input.quota, input.limit, used, resetsAt);
}

/** Gives back what a refused or cancelled piece of work had taken. */
export async function releaseQuota(
  em: EntityManager,
  input: { workspaceId: string; quota: DailyQuota; amount: number },
): Promise<void> {
  await sql(
    em,
    `update quota_usage set used = greatest(used - ?, 0)
     where workspace_id = ? and quota = ? and period_start = ?`,
    [input.amount, input.workspaceId, input.quota, today().start],
  );
}

export async function quotaUsed(
  em: EntityManager,
  workspaceId: string,
  quota: DailyQuota,
): Promise<number> {
  const [row] = await sql<{ used: string }>(
    em,
    'select used from quota_usage where workspace_id = ? and quota = ? and period_start = ?',
    [workspaceId, quota, today().start],
  );
  return Number(row?.used ?? 0);
}

export function dailyQuotaResetsAt(): Date {
  return today().resetsAt;
}
