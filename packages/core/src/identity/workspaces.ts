import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ActorContext, recordAudit } from '../audit/audit-log.js';
import { sql } from '../db/sql.js';
import type { WorkspaceRole } from '../rbac/permissions.js';
import { User, Workspace, WorkspaceMembership, type WorkspaceRecord } from './entities.js';
import { IdentityError } from './errors.js';

export interface MembershipSummary {
  workspace: WorkspaceRecord;
  role: WorkspaceRole;
}

/** The user's workspaces, oldest membership first. */
export async function listMemberships(
  em: EntityManager,
  userId: string,
): Promise<MembershipSummary[]> {
  const memberships = await em.find(
    WorkspaceMembership,
    { userId },
    { orderBy: { createdAt: 'asc' } },
  );
  const workspaces = await em.find(Workspace, {
    id: { $in: memberships.map((m) => m.workspaceId) },
  });
  const byId = new Map(workspaces.map((w) => [w.id, w]));
  return memberships.flatMap((m) => {
    const workspace = byId.get(m.workspaceId);
    return workspace ? [{ workspace, role: m.role }] : [];
  });
}

export async function membershipRole(
  em: EntityManager,
  workspaceId: string,
  userId: string,
): Promise<WorkspaceRole | null> {
  const membership = await em.findOne(WorkspaceMembership, { workspaceId, userId });
  return membership?.role ?? null;
}

export async function createWorkspace(
  em: EntityManager,
  userId: string,
  name: string,
  actor: ActorContext,
): Promise<WorkspaceRecord> {
  return em.transactional(async (tx) => {
    const now = new Date();
    const workspace = tx.create(Workspace, {
      id: randomUUID(),
      name,
      createdBy: userId,
      createdAt: now,
    });
    await tx.flush(); // ids are plain columns: the unit of work cannot order these inserts
    tx.create(WorkspaceMembership, {
      workspaceId: workspace.id,
      userId,
      role: 'workspace_admin',
      createdAt: now,
    });
    await tx.flush();
    await recordAudit(tx, actor, {
      action: 'workspace.create',
      outcome: 'success',
      workspaceId: workspace.id,
      targetType: 'workspace',
      targetId: workspace.id,
      metadata: { name },
    });
    return workspace;
  });
}

export async function renameWorkspace(
  em: EntityManager,
  workspaceId: string,
  name: string,
  actor: ActorContext,
): Promise<WorkspaceRecord> {
  const workspace = await em.findOne(Workspace, { id: workspaceId });
  if (!workspace) throw new IdentityError('workspace_not_found');
  const previous = workspace.name;
  workspace.name = name;
  await em.flush();
  await recordAudit(em, actor, {
    action: 'workspace.rename',
    outcome: 'success',
    workspaceId,
    targetType: 'workspace',
    targetId: workspaceId,
    metadata: { from: previous, to: name },
  });
  return workspace;
}

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: WorkspaceRole;
  joinedAt: Date;
}

export async function listMembers(em: EntityManager, workspaceId: string): Promise<MemberView[]> {
  const memberships = await em.find(
    WorkspaceMembership,
    { workspaceId },
    { orderBy: { createdAt: 'asc' } },
  );
  const users = await em.find(User, { id: { $in: memberships.map((m) => m.userId) } });
  const byId = new Map(users.map((u) => [u.id, u]));
  return memberships.flatMap((m) => {
    const user = byId.get(m.userId);
    return user
      ? [
          {
            userId: user.id,
            email: user.email,
            name: user.name,
            role: m.role,
            joinedAt: m.createdAt,
          },
        ]
      : [];
  });
}

/**
 * Locks the workspace's memberships for the rest of the transaction, so two admins demoting
 * each other at the same moment cannot leave the workspace without one.
 */
async function lockMemberships(em: EntityManager, workspaceId: string) {
  return sql<{ user_id: string; role: WorkspaceRole }>(
    em,
    'select user_id, role from workspace_membership where workspace_id = ? for update',
    [workspaceId],
  );
}

function assertAnAdminRemains(
  rows: { user_id: string; role: WorkspaceRole }[],
  userId: string,
  nextRole: WorkspaceRole | null,
): void {
  const admins = rows.filter((r) => r.role === 'workspace_admin' && r.user_id !== userId).length;
  if (admins === 0 && nextRole !== 'workspace_admin') throw new IdentityError('last_admin');
}

export async function changeMemberRole(
  em: EntityManager,
  workspaceId: string,
  userId: string,
  role: WorkspaceRole,
  actor: ActorContext,
): Promise<MemberView> {
  await em.transactional(async (tx) => {
    const rows = await lockMemberships(tx, workspaceId);
    const current = rows.find((r) => r.user_id === userId);
    if (!current) throw new IdentityError('member_not_found');
    if (current.role === role) return;
    assertAnAdminRemains(rows, userId, role);
    await tx.nativeUpdate(WorkspaceMembership, { workspaceId, userId }, { role });
    await recordAudit(tx, actor, {
      action: 'member.role_change',
      outcome: 'success',
      workspaceId,
      targetType: 'user',
      targetId: userId,
      metadata: { from: current.role, to: role },
    });
  });
  const member = (await listMembers(em, workspaceId)).find((m) => m.userId === userId);
  if (!member) throw new IdentityError('member_not_found');
  return member;
}

export async function removeMember(
  em: EntityManager,
  workspaceId: string,
  userId: string,
  actor: ActorContext,
): Promise<void> {
  await em.transactional(async (tx) => {
    const rows = await lockMemberships(tx, workspaceId);
    const current = rows.find((r) => r.user_id === userId);
    if (!current) throw new IdentityError('member_not_found');
    assertAnAdminRemains(rows, userId, null);
    await tx.nativeDelete(WorkspaceMembership, { workspaceId, userId });
    await recordAudit(tx, actor, {
      action: 'member.remove',
      outcome: 'success',
      workspaceId,
      targetType: 'user',
      targetId: userId,
      metadata: { role: current.role },
    });
  });
}
