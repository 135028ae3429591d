import { PmosError, type RateLimiter } from '@pmos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Whose budget a request spends: its workspace's, else its user's, else its IP's. */
function subjectOf(request: FastifyRequest): string {
  const workspaceId = (request.params as { workspaceId?: string }).workspaceId;
  if (workspaceId && request.workspaceRole) return `workspace:${workspaceId}`;
  if (request.auth) return `user:${request.auth.user.id}`;
  return `ip:${request.ip}`;
}

/**
 * API requests per minute (runs after the access guard, so a workspace is only charged for
 * its members' requests). Over the limit: 429, Retry-After, and the numbers in the body.
 */
export function registerRateLimit(app: FastifyInstance, limiter: RateLimiter): void {
  app.addHook('onRequest', async (request, reply) => {
    if (
      !request.routeOptions.url?.startsWith('/api/') ||
      request.routeOptions.url.startsWith('/api/docs')
    )
      return;
    const decision = await limiter.hit('api_requests_per_minute', subjectOf(request));
    const resetSeconds = Math.max(1, Math.ceil((decision.resetsAt.getTime() - Date.now()) / 1000));
    reply.header('ratelimit-limit', String(decision.limit));
    reply.header('ratelimit-remaining', String(Math.max(0, decision.limit - decision.used)));
    reply.header('ratelimit-reset', String(resetSeconds));
    if (!decision.allowed) {
      throw new PmosError(
        'rate_limited',
        `Too many requests: the limit is ${decision.limit} per minute. Try again in ${resetSeconds} seconds.`,
        {
          status: 429,
          details: {
            limit: decision.limit,
            used: decision.used,
            resetsAt: decision.resetsAt.toISOString(),
            retryAfterSeconds: resetSeconds,
          },
        },
      );
    }
  });
}
