import { enterTenantScope } from '@pmos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Work to do once the request's writes are committed (sending jobs, registering
     * schedules): it must not see uncommitted rows, nor wait for the single embedded
     * connection the transaction holds. Skipped when the request fails.
     */
    afterCommit(work: () => Promise<void>): void;
  }
}

const afterCommitKey = Symbol('afterCommit');
type WithAfterCommit = FastifyRequest & { [afterCommitKey]?: (() => Promise<void>)[] };

/**
 * Every request to a workspace route runs in one transaction scoped to that workspace
 * (role pmos_tenant + row-level security): whatever a handler queries, it cannot see or
 * touch another workspace's rows. Committed before the response goes out when it succeeded,
 * rolled back otherwise — a 4xx/5xx leaves nothing half-written.
 */
export function registerTenantTransactions(app: FastifyInstance): void {
  app.decorateRequest('afterCommit', function (this: WithAfterCommit, work: () => Promise<void>) {
    this[afterCommitKey] ??= [];
    this[afterCommitKey].push(work);
  });
  app.addHook('onRequest', async (request) => {
    const workspaceId = (request.params as { workspaceId?: string }).workspaceId;
    if (!request.workspaceRole || !workspaceId) return; // not a workspace route, or refused
    const declared = request.routeOptions.config.access;
    if (declared?.kind === 'workspace' && declared.ownTransactions) return;
    await request.em.begin();
    await enterTenantScope(request.em, workspaceId);
  });

  const finish = async (request: FastifyRequest, commit: boolean) => {
    if (request.em?.isInTransaction()) {
      if (commit) await request.em.commit();
      else await request.em.rollback();
    }
    const pending = (request as WithAfterCommit)[afterCommitKey];
    if (!pending) return;
    (request as WithAfterCommit)[afterCommitKey] = undefined;
    if (!commit) return;
    for (const work of pending) {
      // What follows a commit is repaired by its owner (e.g. the run reaper resends jobs).
      await work().catch((error) => request.log.error({ err: error }, 'after-commit work failed'));
    }
  };
  app.addHook('onSend', async (request, reply) => {
    await finish(request, reply.statusCode < 400);
  });
  // A client that disconnects mid-request must not leave the transaction (and its connection) open.
  app.addHook('onResponse', async (request) => finish(request, false));
  app.addHook('onRequestAbort', async (request) => finish(request, false));
}
