import { type ApiTokenRecord, type InviteRecord, inviteStatus, type MemberView } from '@pmos/core';

/** Records → API shapes (see api/schemas.ts). Dates travel as ISO strings. */
export const serialize = {
  member: (m: MemberView) => ({
    userId: m.userId,
    email: m.email,
    name: m.name,
    role: m.role,
    joinedAt: m.joinedAt.toISOString(),
  }),
  invite: (invite: InviteRecord, invitedBy: string | null) => ({
    id: invite.id,
    email: invite.email,
    role: invite.role,
    status: inviteStatus(invite),
    invitedBy,
    createdAt: invite.createdAt.toISOString(),
    expiresAt: invite.expiresAt.toISOString(),
  }),
  apiToken: (t: ApiTokenRecord) => ({
    id: t.id,
    name: t.name,
    hint: t.hint,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt?.toISOString() ?? null,
  }),
};
