import { ensureInstance, User, Workspace } from '@pmos/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBodySchema, instanceSchema } from '../../api/schemas.js';
import { access } from '../auth/access.js';

/** Instance administration (super_admin). */
export function registerAdminRoutes(
  app: FastifyInstance,
  options: { shellEnabled: boolean },
): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/admin/instance',
    {
      config: { access: access.platform('platform.manage') },
      schema: {
        tags: ['admin'],
        summary: 'This PMOS instance at a glance',
        response: { 200: instanceSchema, 403: errorBodySchema },
      },
    },
    async (request) => {
      const instance = await ensureInstance(request.em);
      return {
        instanceId: instance.id,
        name: instance.name,
        createdAt: instance.createdAt.toISOString(),
        shellEnabled: options.shellEnabled,
        userCount: await request.em.count(User, {}),
        workspaceCount: await request.em.count(Workspace, {}),
      };
    },
  );
}
