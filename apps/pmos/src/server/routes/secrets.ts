import { rotateMasterKey, type SecretsVault, type SecretView } from '@pmos/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createSecretBodySchema,
  rotationResultSchema,
  secretListSchema,
  secretSchema,
  updateSecretBodySchema,
  workspaceParamsSchema,
} from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf } from '../auth/request-auth.js';
import { errorResponses } from './error-responses.js';

const secretParams = workspaceParamsSchema.extend({
  id: z.uuid({ error: 'Not a valid secret id.' }),
});
const errors = errorResponses(400, 401, 403, 404, 409);

const serialize = (s: SecretView) => ({
  ...s,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

/** Workspace secrets: written by admins, listed as masks, never returned in clear. */
export function registerSecretRoutes(
  app: FastifyInstance,
  vault: SecretsVault,
  options: { masterKeyFileDir: string | undefined },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['secrets'];

  api.get(
    '/api/workspaces/:workspaceId/secrets',
    {
      config: { access: access.workspace('connections.read') },
      schema: {
        tags,
        summary: 'List secrets (masks only)',
        params: workspaceParamsSchema,
        response: { 200: secretListSchema, ...errors },
      },
    },
    async (request) => ({
      data: (await vault.list(request.em, request.params.workspaceId)).map(serialize),
      next: null,
    }),
  );

  api.post(
    '/api/workspaces/:workspaceId/secrets',
    {
      config: { access: access.workspace('connections.manage') },
      schema: {
        tags,
        summary: 'Store a secret; the response shows its mask, never its value',
        params: workspaceParamsSchema,
        body: createSecretBodySchema,
        response: { 201: secretSchema, ...errors },
      },
    },
    async (request, reply) => {
      const secret = await vault.create(
        request.em,
        request.params.workspaceId,
        request.body,
        actorOf(request),
      );
      return reply.status(201).send(serialize(secret));
    },
  );

  api.patch(
    '/api/workspaces/:workspaceId/secrets/:id',
    {
      config: { access: access.workspace('connections.manage') },
      schema: {
        tags,
        summary: 'Replace a secret’s value or description',
        params: secretParams,
        body: updateSecretBodySchema,
        response: { 200: secretSchema, ...errors },
      },
    },
    async (request) =>
      serialize(
        await vault.update(
          request.em,
          request.params.workspaceId,
          request.params.id,
          request.body,
          actorOf(request),
        ),
      ),
  );

  api.delete(
    '/api/workspaces/:workspaceId/secrets/:id',
    {
      config: { access: access.workspace('connections.manage') },
      schema: {
        tags,
        summary: 'Delete a secret',
        params: secretParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await vault.delete(
        request.em,
        request.params.workspaceId,
        request.params.id,
        actorOf(request),
      );
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/admin/secrets/rotate-master',
    {
      config: { access: access.platform('platform.manage', { sessionOnly: true }) },
      schema: {
        tags: ['secrets'],
        summary: 'Re-wrap every data key under a new master key, while PMOS keeps running',
        description:
          'Embedded mode: generates a new master.key in the data directory (back it up). With PMOS_MASTER_KEY: re-wraps under the key this process runs with (start it with the new key and the old one in PMOS_MASTER_KEY_PREVIOUS).',
        response: { 200: rotationResultSchema, ...errorResponses(403) },
      },
    },
    async (request) =>
      rotateMasterKey(vault, request.em, {
        keyFileDir: options.masterKeyFileDir,
        actor: actorOf(request),
      }),
  );
}
