import { type MikroORM, pendingMigrationCount } from '@pmos/core';

import type { FastifyInstance } from 'fastify';

/** `/healthz`: the process answers. `/readyz`: it can serve — database reachable, schema current. */
export function registerHealthRoutes(app: FastifyInstance, orm: MikroORM): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    let pending: number;
    try {
      await orm.em.getConnection().execute('select 1');
      pending = await pendingMigrationCount(orm);
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check: database unreachable');
      return reply.status(503).send({
        status: 'not_ready',
        database: 'unreachable',
        reason: 'The database does not answer.',
      });
    }
    if (pending > 0) {
      return reply.status(503).send({
        status: 'not_ready',
        database: 'ok',
        migrations: { pending },
        reason: `${pending} database migration(s) pending: run "pmos migrate up".`,
      });
    }
    return { status: 'ready', database: 'ok', migrations: { pending: 0 } };
  });
}
