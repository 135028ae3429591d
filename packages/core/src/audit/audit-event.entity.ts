import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_event',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    occurredAt: p.datetime().onCreate(() => new Date()),
    workspaceId: p.uuid().nullable(),
    actorUserId: p.uuid().nullable(),
    actorKind: p.text().$type<'user' | 'api_token' | 'system' | 'anonymous'>(),
    action: p.text(),
    targetType: p.text().nullable(),
    targetId: p.text().nullable(),
    outcome: p.text().$type<'success' | 'failure' | 'denied'>(),
    ip: p.text().nullable(),
    userAgent: p.text().nullable(),
    requestId: p.text().nullable(),
    metadata: p.json<Record<string, unknown>>(),
  },
});
export type AuditEventRecord = InferEntity<typeof AuditEvent>;
