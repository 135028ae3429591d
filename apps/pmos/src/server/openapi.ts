import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { access } from './auth/access.js';

/**
 * The OpenAPI document, generated from the routes' zod schemas, at /api/openapi.json, and a
 * browsable reference at /api/docs (assets served locally, nothing from a CDN).
 * Register before the routes so every route is collected.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PMOS API',
        version: '0.1.0',
        description:
          'Errors are `{"error":{"code","message","details?"}}`. Browsers authenticate with the session cookie (writes must come from the PMOS origin); scripts send `Authorization: Bearer pmos_pat_…`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'pmos_session' },
          apiToken: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // The reference pages are documentation: public, like the document they show.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs'))
      route.config = { ...route.config, access: access.public };
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get(
    '/api/openapi.json',
    { config: { access: access.public }, schema: { hide: true } },
    async () => app.swagger(),
  );
}
