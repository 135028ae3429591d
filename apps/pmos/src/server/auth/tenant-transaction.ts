import { enterTenantScope } from '@pmos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Every request to a workspace route runs in one transaction scoped to that workspace
 * (role pmos_tenant + row-level security): whatever a handler queries, it cannot see or
 * touch another workspace's rows. Committed before the response goes out when it succeeded,
 * rolled back otherwise — a 4xx/5xx leaves nothing half-written.
 */
export function registerTenantTransactions(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const workspaceId = (request.params as { workspaceId?: string }).workspaceId;
    if (!request.workspaceRole || !workspaceId) return; // not a workspace route, or refused
    const declared = request.routeOptions.config.access;
    if (declared?.kind === 'workspace' && declared.ownTransactions) return;
    await request.em.begin();
    await enterTenantScope(request.em, workspaceId);
  });

  const finish = async (request: FastifyRequest, commit: boolean) => {
    if (!request.em?.isInTransaction()) return;
    if (commit) await request.em.commit();
    else await request.em.rollback();
  };
  app.addHook('onSend', async (request, reply) => {
    await finish(request, reply.statusCode < 400);
  });
  // A client that disconnects mid-request must not leave the transaction (and its connection) open.
  app.addHook('onResponse', async (request) => finish(request, false));
  app.addHook('onRequestAbort', async (request) => finish(request, false));
}
