import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../db/sql.js';

export interface AuditFilter {
  /** A workspace's events only; `null` for instance-level events; undefined for all. */
  workspaceId?: string | null;
  action?: string;
  outcome?: 'success' | 'failure' | 'denied';
  actorUserId?: string;
  since?: Date;
  until?: Date;
}

export interface AuditEventView {
  id: string;
  occurredAt: string;
  workspaceId: string | null;
  actorUserId: string | null;
  actorEmail: string | null;
  actorKind: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
  chainSeq: number;
  hash: string;
}

/** Newest first, keyset-paginated: `before` is the id of the last event of the previous page. */
export async function listAuditEvents(
  em: EntityManager,
  filter: AuditFilter,
  page: { before?: string; limit: number },
): Promise<{ data: AuditEventView[]; next: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.workspaceId !== undefined) {
    where.push(filter.workspaceId === null ? 'a.workspace_id is null' : 'a.workspace_id = ?');
    if (filter.workspaceId !== null) params.push(filter.workspaceId);
  }
  if (filter.action) {
    // "auth" matches auth.sign_in, auth.lockout …; "auth.sign_in" matches exactly.
    where.push('(a.action = ? or a.action like ?)');
    params.push(filter.action, `${filter.action.replace(/[%_\\]/g, '\\$&')}.%`);
  }
  if (filter.outcome) {
    where.push('a.outcome = ?');
    params.push(filter.outcome);
  }
  if (filter.actorUserId) {
    where.push('a.actor_user_id = ?');
    params.push(filter.actorUserId);
  }
  if (filter.since) {
    where.push('a.occurred_at >= ?');
    params.push(filter.since);
  }
  if (filter.until) {
    where.push('a.occurred_at < ?');
    params.push(filter.until);
  }
  if (page.before) {
    where.push('a.id < ?');
    params.push(page.before);
  }
  const rows = await sql<Record<string, unknown>>(
    em,
    `select a.id::text, a.occurred_at, a.workspace_id, a.actor_user_id, u.email as actor_email,
       a.actor_kind, a.action, a.target_type, a.target_id, a.outcome, a.ip, a.user_agent,
       a.request_id, a.metadata, a.chain_seq, a.hash
     from audit_event a left join app_user u on u.id = a.actor_user_id
     ${where.length ? `where ${where.join(' and ')}` : ''}
     order by a.id desc limit ?`,
    [...params, page.limit + 1],
  );
  const data = rows.slice(0, page.limit).map(toView);
  return { data, next: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

function toView(row: Record<string, unknown>): AuditEventView {
  return {
    id: String(row.id),
    occurredAt: new Date(row.occurred_at as string).toISOString(),
    workspaceId: (row.workspace_id as string | null) ?? null,
    actorUserId: (row.actor_user_id as string | null) ?? null,
    actorEmail: (row.actor_email as string | null) ?? null,
    actorKind: String(row.actor_kind),
    action: String(row.action),
    targetType: (row.target_type as string | null) ?? null,
    targetId: (row.target_id as string | null) ?? null,
    outcome: String(row.outcome),
    ip: (row.ip as string | null) ?? null,
    userAgent: (row.user_agent as string | null) ?? null,
    requestId: (row.request_id as string | null) ?? null,
    metadata: (row.metadata as Record<string, unknown>) ?? {},
    chainSeq: Number(row.chain_seq),
    hash: String(row.hash),
  };
}
