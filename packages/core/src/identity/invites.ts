import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ActorContext, recordAudit } from '../audit/audit-log.js';
import type { WorkspaceRole } from '../rbac/permissions.js';
import { normaliseEmail } from './email.js';
import { Invite, type InviteRecord, User, Workspace, WorkspaceMembership } from './entities.js';
import { IdentityError } from './errors.js';
import { createSecretToken, hashSecretToken } from './secret-tokens.js';

export const inviteTtlMs = 7 * 24 * 3600 * 1000;
export const inviteTokenPrefix = 'pmos_inv';

export type InviteStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export function inviteStatus(invite: InviteRecord, now = Date.now()): InviteStatus {
  if (invite.acceptedAt) return 'accepted';
  if (invite.revokedAt) return 'revoked';
  if (invite.expiresAt.getTime() <= now) return 'expired';
  return 'pending';
}

/**
 * Invites an email address to the workspace. The returned token goes into the link the
 * admin copies; only its hash is stored. A newer invite replaces a pending one.
 */
export async function createInvite(
  em: EntityManager,
  workspaceId: string,
  input: { email: string; role: WorkspaceRole },
  actor: ActorContext,
): Promise<{ invite: InviteRecord; token: string }> {
  const email = normaliseEmail(input.email);
  return em.transactional(async (tx) => {
    const existingUser = await tx.findOne(User, { email });
    if (
      existingUser &&
      (await tx.count(WorkspaceMembership, { workspaceId, userId: existingUser.id }))
    ) {
      throw new IdentityError('already_member');
    }
    await tx.nativeUpdate(
      Invite,
      { workspaceId, email, acceptedAt: null, revokedAt: null },
      { revokedAt: new Date() },
    );
    const { token, hash } = createSecretToken(inviteTokenPrefix);
    const now = new Date();
    const invite = tx.create(Invite, {
      id: randomUUID(),
      workspaceId,
      email,
      role: input.role,
      tokenHash: hash,
      invitedBy: actor.userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + inviteTtlMs),
      acceptedAt: null,
      acceptedBy: null,
      revokedAt: null,
    });
    await tx.flush();
    await recordAudit(tx, actor, {
      action: 'invite.create',
      outcome: 'success',
      workspaceId,
      targetType: 'invite',
      targetId: invite.id,
      metadata: { email, role: input.role },
    });
    return { invite, token };
  });
}

export async function listInvites(em: EntityManager, workspaceId: string): Promise<InviteRecord[]> {
  return em.find(Invite, { workspaceId }, { orderBy: { createdAt: 'desc' }, limit: 200 });
}

export async function revokeInvite(
  em: EntityManager,
  workspaceId: string,
  inviteId: string,
  actor: ActorContext,
): Promise<void> {
  const invite = await em.findOne(Invite, { id: inviteId, workspaceId });
  if (!invite) throw new IdentityError('invite_not_found');
  if (inviteStatus(invite) !== 'pending') return; // revoking twice, or a used invite: nothing to do
  invite.revokedAt = new Date();
  await em.flush();
  await recordAudit(em, actor, {
    action: 'invite.revoke',
    outcome: 'success',
    workspaceId,
    targetType: 'invite',
    targetId: invite.id,
  });
}

/** What the invite link's page shows before anyone signs in. */
export async function previewInvite(
  em: EntityManager,
  token: string,
): Promise<{ invite: InviteRecord; workspaceName: string }> {
  const invite = await em.findOne(Invite, { tokenHash: hashSecretToken(token) });
  const workspace = invite && (await em.findOne(Workspace, { id: invite.workspaceId }));
  if (!invite || !workspace) throw new IdentityError('invite_not_found');
  return { invite, workspaceName: workspace.name };
}

/** Joins the signed-in user to the workspace. Single use: the row is locked while it is spent. */
export async function acceptInvite(
  em: EntityManager,
  token: string,
  user: { id: string; email: string },
  actor: ActorContext,
): Promise<{ workspaceId: string; role: WorkspaceRole }> {
  return em.transactional(async (tx) => {
    const invite = await tx.findOne(
      Invite,
      { tokenHash: hashSecretToken(token) },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!invite) throw new IdentityError('invite_not_found');
    const status = inviteStatus(invite);
    if (status === 'accepted') throw new IdentityError('invite_used');
    if (status === 'revoked') throw new IdentityError('invite_revoked');
    if (status === 'expired') throw new IdentityError('invite_expired');
    if (invite.email !== user.email) {
      await recordAudit(tx, actor, {
        action: 'invite.accept',
        outcome: 'denied',
        workspaceId: invite.workspaceId,
        targetType: 'invite',
        targetId: invite.id,
        metadata: { reason: 'email_mismatch' },
      });
      throw new IdentityError('invite_email_mismatch');
    }
    const existing = await tx.findOne(WorkspaceMembership, {
      workspaceId: invite.workspaceId,
      userId: user.id,
    });
    if (!existing) {
      tx.create(WorkspaceMembership, {
        workspaceId: invite.workspaceId,
        userId: user.id,
        role: invite.role,
        createdAt: new Date(),
      });
    }
    invite.acceptedAt = new Date();
    invite.acceptedBy = user.id;
    await tx.flush();
    await recordAudit(tx, actor, {
      action: 'invite.accept',
      outcome: 'success',
      workspaceId: invite.workspaceId,
      targetType: 'invite',
      targetId: invite.id,
      metadata: { role: existing?.role ?? invite.role },
    });
    return { workspaceId: invite.workspaceId, role: existing?.role ?? invite.role };
  });
}
