import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

// Relations are kept as plain ids: services load what they need explicitly, and every
// tenant-owned row names its workspace in a column the tenancy layer can scope on.

export const User = defineEntity({
  name: 'User',
  tableName: 'app_user',
  properties: {
    id: p.uuid().primary(),
    email: p.text(),
    name: p.text(),
    passwordHash: p.text().hidden(),
    platformRole: p.text().$type<'super_admin' | null>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type UserRecord = InferEntity<typeof User>;

export const Workspace = defineEntity({
  name: 'Workspace',
  tableName: 'workspace',
  properties: {
    id: p.uuid().primary(),
    name: p.text(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type WorkspaceRecord = InferEntity<typeof Workspace>;

export const WorkspaceMembership = defineEntity({
  name: 'WorkspaceMembership',
  tableName: 'workspace_membership',
  properties: {
    workspaceId: p.uuid().primary(),
    userId: p.uuid().primary(),
    role: p.text().$type<'workspace_admin' | 'member' | 'viewer'>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type WorkspaceMembershipRecord = InferEntity<typeof WorkspaceMembership>;

export const Session = defineEntity({
  name: 'Session',
  tableName: 'session',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    tokenHash: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastSeenAt: p.datetime(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    ip: p.text().nullable(),
    userAgent: p.text().nullable(),
  },
});
export type SessionRecord = InferEntity<typeof Session>;

export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_token',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    name: p.text(),
    tokenHash: p.text(),
    hint: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type ApiTokenRecord = InferEntity<typeof ApiToken>;

export const Invite = defineEntity({
  name: 'Invite',
  tableName: 'invite',
  properties: {
    id: p.uuid().primary(),
    workspaceId: p.uuid(),
    email: p.text(),
    role: p.text().$type<'workspace_admin' | 'member' | 'viewer'>(),
    tokenHash: p.text(),
    invitedBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    acceptedAt: p.datetime().nullable(),
    acceptedBy: p.uuid().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type InviteRecord = InferEntity<typeof Invite>;

export const identityEntities = [User, Workspace, WorkspaceMembership, Session, ApiToken, Invite];
