import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@pmos/core';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerErrorHandling } from './errors.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerWebApp } from './routes/web.js';

export interface AppOptions {
  orm: MikroORM;
  logger: FastifyBaseLogger;
  /** Folder with the built web app (`index.html` + assets). */
  webRoot: string;
}

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/;

/** Builds the HTTP server; starting, stopping and the database belong to the caller. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    // Keep a caller's request id (proxies, tracing) when it is well-formed; else mint one.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming)
        ? incoming
        : randomUUID();
    },
    bodyLimit: 1024 * 1024,
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandling(app);
  registerHealthRoutes(app, options.orm);
  await registerWebApp(app, options.webRoot);
  return app;
}
