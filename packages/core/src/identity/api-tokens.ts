import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ActorContext, recordAudit } from '../audit/audit-log.js';
import { ApiToken, type ApiTokenRecord, User, type UserRecord } from './entities.js';
import { IdentityError } from './errors.js';
import { createSecretToken, hashSecretToken } from './secret-tokens.js';

export const apiTokenPrefix = 'pmos_pat';
const touchEveryMs = 60 * 1000;

/** Creates a personal API token; the returned `token` is the only time the secret is seen. */
export async function createApiToken(
  em: EntityManager,
  userId: string,
  input: { name: string; expiresInDays: number | null },
  actor: ActorContext,
): Promise<{ token: string; apiToken: ApiTokenRecord }> {
  const { token, hash } = createSecretToken(apiTokenPrefix);
  const now = new Date();
  const apiToken = em.create(ApiToken, {
    id: randomUUID(),
    userId,
    name: input.name,
    tokenHash: hash,
    hint: `${token.slice(0, apiTokenPrefix.length + 5)}…`,
    createdAt: now,
    lastUsedAt: null,
    expiresAt:
      input.expiresInDays === null
        ? null
        : new Date(now.getTime() + input.expiresInDays * 86_400_000),
    revokedAt: null,
  });
  await em.flush();
  await recordAudit(em, actor, {
    action: 'api_token.create',
    outcome: 'success',
    targetType: 'api_token',
    targetId: apiToken.id,
    metadata: { name: input.name, expiresAt: apiToken.expiresAt?.toISOString() ?? null },
  });
  return { token, apiToken };
}

/** The caller's tokens that still work, newest first. */
export async function listApiTokens(em: EntityManager, userId: string): Promise<ApiTokenRecord[]> {
  const tokens = await em.find(
    ApiToken,
    { userId, revokedAt: null },
    { orderBy: { createdAt: 'desc' } },
  );
  const now = Date.now();
  return tokens.filter((t) => !t.expiresAt || t.expiresAt.getTime() > now);
}

export async function revokeApiToken(
  em: EntityManager,
  userId: string,
  tokenId: string,
  actor: ActorContext,
): Promise<void> {
  const revoked = await em.nativeUpdate(
    ApiToken,
    { id: tokenId, userId, revokedAt: null },
    { revokedAt: new Date() },
  );
  if (revoked === 0) throw new IdentityError('token_not_found');
  await recordAudit(em, actor, {
    action: 'api_token.revoke',
    outcome: 'success',
    targetType: 'api_token',
    targetId: tokenId,
  });
}

/** The token and its owner for an `Authorization: Bearer` value, or null. */
export async function resolveApiToken(
  em: EntityManager,
  token: string,
): Promise<{ apiToken: ApiTokenRecord; user: UserRecord } | null> {
  if (!token.startsWith(`${apiTokenPrefix}_`)) return null;
  const apiToken = await em.findOne(ApiToken, { tokenHash: hashSecretToken(token) });
  const now = Date.now();
  if (
    !apiToken ||
    apiToken.revokedAt ||
    (apiToken.expiresAt && apiToken.expiresAt.getTime() <= now)
  ) {
    return null;
  }
  const user = await em.findOne(User, { id: apiToken.userId });
  if (!user) return null;
  if (!apiToken.lastUsedAt || now - apiToken.lastUsedAt.getTime() > touchEveryMs) {
    apiToken.lastUsedAt = new Date(now);
    await em.flush();
  }
  return { apiToken, user };
}
