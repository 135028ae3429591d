import { createApiToken, listApiTokens, revokeApiToken } from '@pmos/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiTokenListSchema,
  createApiTokenBodySchema,
  createdApiTokenSchema,
  idParamsSchema,
} from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf, signedInUser } from '../auth/request-auth.js';
import { errorResponses } from './error-responses.js';
import { serialize } from './serialize.js';

const errors = errorResponses(400, 401, 403, 404);

/** Personal API tokens for scripts: `Authorization: Bearer pmos_pat_…`. */
export function registerApiTokenRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['api tokens'];

  api.get(
    '/api/me/tokens',
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Your API tokens (never their secrets)',
        response: { 200: apiTokenListSchema, ...errors },
      },
    },
    async (request) => ({
      data: (await listApiTokens(request.em, signedInUser(request).id)).map(serialize.apiToken),
      next: null,
    }),
  );

  api.post(
    '/api/me/tokens',
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Create an API token; the secret is in this response only',
        body: createApiTokenBodySchema,
        response: { 201: createdApiTokenSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { token, apiToken } = await createApiToken(
        request.em,
        signedInUser(request).id,
        request.body,
        actorOf(request),
      );
      return reply.status(201).send({ token, apiToken: serialize.apiToken(apiToken) });
    },
  );

  api.delete(
    '/api/me/tokens/:id',
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Revoke an API token',
        params: idParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await revokeApiToken(
        request.em,
        signedInUser(request).id,
        request.params.id,
        actorOf(request),
      );
      return reply.status(204).send(null);
    },
  );
}
