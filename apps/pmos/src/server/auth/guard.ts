import {
  IdentityError,
  membershipRole,
  PmosError,
  platformRoleGrants,
  recordAudit,
  type WorkspaceRole,
  workspaceRoleGrants,
} from '@pmos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf } from './request-auth.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the guard on workspace routes: the caller's role in `:workspaceId`. */
    workspaceRole: WorkspaceRole | null;
  }
}

/**
 * The single access check. Runs before body parsing and validation, so nothing of a
 * refused request is processed. /api routes without a declared access are refused.
 */
export function registerAccessGuard(app: FastifyInstance): void {
  app.decorateRequest('workspaceRole', null);
  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (!url?.startsWith('/api/')) return; // pages, assets, health: public by nature
    const access = request.routeOptions.config.access;
    if (!access) {
      request.log.error({ route: url }, 'route declares no access: refused');
      throw new IdentityError('forbidden');
    }
    if (access.kind === 'public') return;

    const auth = request.auth;
    if (access.kind === 'platform') {
      const allowed =
        auth &&
        platformRoleGrants(auth.user.platformRole ?? null, access.permission) &&
        !(access.sessionOnly && auth.via !== 'session');
      if (!allowed) {
        await recordAudit(request.em, actorOf(request), {
          action: `${access.permission}.access`,
          outcome: 'denied',
          metadata: { route: `${request.method} ${url}`, via: auth?.via ?? 'none' },
        });
        throw new IdentityError('forbidden');
      }
      return;
    }

    if (!auth) throw new IdentityError('unauthenticated');
    if (access.kind === 'authenticated') return;

    const workspaceId = workspaceIdOf(request);
    const role = workspaceId ? await membershipRole(request.em, workspaceId, auth.user.id) : null;
    // Not a member looks the same as "does not exist": ids of other tenants are not confirmed.
    if (!role) throw new IdentityError('workspace_not_found');
    if (!workspaceRoleGrants(role, access.permission)) {
      throw new IdentityError('forbidden', {
        message: `Your role (${role.replace('_', ' ')}) cannot do this: it needs ${access.permission}.`,
      });
    }
    request.workspaceRole = role;
  });
}

function workspaceIdOf(request: FastifyRequest): string | null {
  const id = (request.params as Record<string, string | undefined>).workspaceId;
  if (id === undefined) {
    throw new PmosError(
      'route_misconfigured',
      'A workspace route must have a :workspaceId parameter.',
    );
  }
  return uuidPattern.test(id) ? id : null;
}
