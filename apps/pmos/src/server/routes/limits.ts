import {
  dailyQuotaResetsAt,
  dailyQuotas,
  limitDefaults,
  listLimitOverrides,
  quotaUsed,
  type RateLimiter,
  runStorageUsed,
  setLimitOverride,
} from '@pmos/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  limitsSchema,
  setLimitBodySchema,
  usageSchema,
  workspaceParamsSchema,
} from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf } from '../auth/request-auth.js';
import { errorResponses } from './error-responses.js';

/** Usage for a workspace's members; limits and overrides for the super_admin. */
export function registerLimitRoutes(app: FastifyInstance, limiter: RateLimiter): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/workspaces/:workspaceId/usage',
    {
      config: { access: access.workspace('workspace.read') },
      schema: {
        tags: ['usage'],
        summary: "The workspace's limits and how much of each it has used",
        params: workspaceParamsSchema,
        response: { 200: usageSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { workspaceId } = request.params;
      const subject = `workspace:${workspaceId}`;
      const rate = await limiter.usage('api_requests_per_minute', subject, request.em);
      const chat = await limiter.usage('chat_messages_per_minute', subject, request.em);
      const daily = await Promise.all(
        dailyQuotas.map(async (name) => ({
          name,
          limit: await limiter.limitFor(name, subject, request.em),
          used: await quotaUsed(request.em, workspaceId, name),
          resetsAt: dailyQuotaResetsAt().toISOString(),
        })),
      );
      return {
        limits: [
          {
            name: 'api_requests_per_minute' as const,
            ...rate,
            resetsAt: rate.resetsAt.toISOString(),
          },
          ...daily,
          {
            name: 'chat_messages_per_minute' as const,
            ...chat,
            resetsAt: chat.resetsAt.toISOString(),
          },
          {
            name: 'run_data_megabytes' as const,
            limit: await limiter.limitFor('run_data_megabytes', subject, request.em),
            // Whole megabytes, rounded up: a little data shows as 1, never as 0.
            used: Math.ceil((await runStorageUsed(request.em, workspaceId)) / 1_048_576),
            resetsAt: null,
          },
        ],
      };
    },
  );

  api.get(
    '/api/admin/limits',
    {
      config: { access: access.platform('platform.manage') },
      schema: {
        tags: ['usage'],
        summary: 'Limit defaults and overrides (super_admin)',
        response: { 200: limitsSchema, ...errorResponses(403) },
      },
    },
    async (request) => ({
      defaults: { ...limitDefaults },
      overrides: (await listLimitOverrides(request.em)).map((o) => ({
        ...o,
        updatedAt: o.updatedAt.toISOString(),
      })),
    }),
  );

  api.put(
    '/api/admin/limits',
    {
      config: { access: access.platform('platform.manage') },
      schema: {
        tags: ['usage'],
        summary:
          'Override a limit for everyone ("*") or one subject; value null removes the override',
        body: setLimitBodySchema,
        response: { 200: limitsSchema, ...errorResponses(400, 403) },
      },
    },
    async (request) => {
      await setLimitOverride(request.em, request.body, actorOf(request));
      await limiter.reloadOverrides();
      return {
        defaults: { ...limitDefaults },
        overrides: (await listLimitOverrides(request.em)).map((o) => ({
          ...o,
          updatedAt: o.updatedAt.toISOString(),
        })),
      };
    },
  );
}
