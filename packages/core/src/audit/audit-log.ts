import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from './audit-event.entity.js';
import { scrub } from './scrub.js';

/** Who did it, from where: carried from the HTTP request (or the CLI) into every service. */
export interface ActorContext {
  userId: string | null;
  kind: 'user' | 'api_token' | 'system' | 'anonymous';
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

export interface AuditEntry {
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  workspaceId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  metadata?: Record<string, unknown>;
}

export const systemActor: ActorContext = { userId: null, kind: 'system' };

/**
 * Appends one audit event. Pass the transaction's entity manager when the event must commit
 * (or roll back) together with the change it records. Metadata is scrubbed of secrets.
 */
export async function recordAudit(
  em: EntityManager,
  actor: ActorContext,
  entry: AuditEntry,
): Promise<void> {
  em.create(AuditEvent, {
    occurredAt: new Date(),
    workspaceId: entry.workspaceId ?? null,
    actorUserId: actor.userId,
    actorKind: actor.kind,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    outcome: entry.outcome,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent?.slice(0, 512) ?? null,
    requestId: actor.requestId ?? null,
    metadata: scrub(entry.metadata ?? {}),
  });
  await em.flush();
}
