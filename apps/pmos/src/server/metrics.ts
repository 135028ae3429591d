import { timingSafeEqual } from 'node:crypto';
import { isLimitName, type LimitName, type RateLimiter } from '@pmos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function allowed(request: FastifyRequest, token: string | undefined): boolean {
  if (!token) return loopback.has(request.socket.remoteAddress ?? '');
  const given = Buffer.from(request.headers.authorization?.replace(/^Bearer /, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Prometheus metrics at /metrics: request counts and latency per route, rate-limit
 * rejections, process health. Served to loopback only, or to holders of PMOS_METRICS_TOKEN.
 */
export function registerMetrics(
  app: FastifyInstance,
  options: { rateLimiter: RateLimiter; token: string | undefined },
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pmos_' });
  const requests = new Counter({
    name: 'pmos_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'pmos_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Counter({
    name: 'pmos_rate_limit_rejections_total',
    help: 'Requests refused with 429 because a limit was reached, by limit',
    labelNames: ['limit'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [limit, count] of options.rateLimiter.rejections) this.inc({ limit }, count);
    },
  });

  // Daily quotas refuse work in the services; their refusals are counted with the rate limits.
  app.addHook('onError', async (_request, _reply, error) => {
    const quota = (error as { code?: unknown; details?: { quota?: unknown } }).details?.quota;
    if ((error as { code?: unknown }).code === 'quota_exceeded' && isLimitName(String(quota))) {
      const { rejections } = options.rateLimiter;
      rejections.set(quota as LimitName, (rejections.get(quota as LimitName) ?? 0) + 1);
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: ids must not explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!allowed(request, options.token)) {
      return reply.status(403).send({
        error: {
          code: 'forbidden',
          message:
            'Metrics are served to this machine only, or with Authorization: Bearer <PMOS_METRICS_TOKEN>.',
        },
      });
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return registry;
}
