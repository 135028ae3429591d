import {
  type ActorContext,
  type EntityManager,
  IdentityError,
  type MikroORM,
  resolveApiToken,
  resolveSession,
  type UserRecord,
} from '@pmos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const sessionCookieName = 'pmos_session';

export interface RequestAuth {
  user: UserRecord;
  via: 'session' | 'api_token';
  sessionId: string | null;
  apiTokenId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** A fresh entity manager per request: no identity map shared between requests. */
    em: EntityManager;
    /** The signed-in caller, from the session cookie or an `Authorization: Bearer` token. */
    auth: RequestAuth | null;
  }
}

/** Resolves who is calling, once per request, before any route or guard runs. */
export function registerRequestAuth(app: FastifyInstance, orm: MikroORM): void {
  app.decorateRequest('em', null as unknown as EntityManager);
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    request.em = orm.em.fork();
    // Pages and assets are the same for everyone: only API calls look the caller up.
    if (request.url.startsWith('/api/')) request.auth = await authenticate(request);
  });
}

async function authenticate(request: FastifyRequest): Promise<RequestAuth | null> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const found = await resolveApiToken(request.em, header.slice('Bearer '.length).trim());
    return found
      ? { user: found.user, via: 'api_token', sessionId: null, apiTokenId: found.apiToken.id }
      : null;
  }
  const cookie = request.cookies[sessionCookieName];
  if (!cookie) return null;
  const found = await resolveSession(request.em, cookie);
  return found
    ? { user: found.user, via: 'session', sessionId: found.session.id, apiTokenId: null }
    : null;
}

/** Who did it, from where — for audit records. */
export function actorOf(request: FastifyRequest): ActorContext {
  return {
    userId: request.auth?.user.id ?? null,
    kind: request.auth ? (request.auth.via === 'api_token' ? 'api_token' : 'user') : 'anonymous',
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    requestId: request.id,
  };
}

/** The caller on routes whose access already demands a signed-in user. */
export function signedInUser(request: FastifyRequest): UserRecord {
  if (!request.auth) throw new IdentityError('unauthenticated');
  return request.auth.user;
}
