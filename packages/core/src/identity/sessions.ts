import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActorContext } from '../audit/audit-log.js';
import { Session, type SessionRecord, User, type UserRecord } from './entities.js';
import { createSecretToken, hashSecretToken } from './secret-tokens.js';

export const sessionPolicy = {
  /** Signed out after this long without a request. */
  idleMs: 7 * 24 * 3600 * 1000,
  /** Signed out this long after sign-in, however active. */
  absoluteMs: 30 * 24 * 3600 * 1000,
  /** last_seen_at is written at most this often, not on every request. */
  touchEveryMs: 60 * 1000,
} as const;

export const sessionTokenPrefix = 'pmos_s';

export async function createSession(
  em: EntityManager,
  userId: string,
  actor: ActorContext,
): Promise<{ token: string; session: SessionRecord }> {
  const { token, hash } = createSecretToken(sessionTokenPrefix);
  const now = new Date();
  const session = em.create(Session, {
    id: randomUUID(),
    userId,
    tokenHash: hash,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + sessionPolicy.absoluteMs),
    revokedAt: null,
    ip: actor.ip ?? null,
    userAgent: actor.userAgent?.slice(0, 512) ?? null,
  });
  await em.flush();
  return { token, session };
}

/** The live session and its user for a cookie value, or null if unknown, revoked or expired. */
export async function resolveSession(
  em: EntityManager,
  token: string,
): Promise<{ session: SessionRecord; user: UserRecord } | null> {
  if (!token.startsWith(`${sessionTokenPrefix}_`)) return null;
  const session = await em.findOne(Session, { tokenHash: hashSecretToken(token) });
  const now = Date.now();
  if (
    !session ||
    session.revokedAt ||
    session.expiresAt.getTime() <= now ||
    session.lastSeenAt.getTime() + sessionPolicy.idleMs <= now
  ) {
    return null;
  }
  const user = await em.findOne(User, { id: session.userId });
  if (!user) return null;
  if (now - session.lastSeenAt.getTime() > sessionPolicy.touchEveryMs) {
    session.lastSeenAt = new Date(now);
    await em.flush();
  }
  return { session, user };
}

export async function revokeSession(em: EntityManager, sessionId: string): Promise<void> {
  await em.nativeUpdate(Session, { id: sessionId, revokedAt: null }, { revokedAt: new Date() });
}

/** "Sign out everywhere": every session of the user ends now. Returns how many were live. */
export async function revokeAllSessions(em: EntityManager, userId: string): Promise<number> {
  return em.nativeUpdate(Session, { userId, revokedAt: null }, { revokedAt: new Date() });
}
