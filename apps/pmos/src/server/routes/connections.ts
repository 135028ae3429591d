import {
  type Connections,
  type ConnectionView,
  checkHealth,
  type EntityManager,
  inTenantScope,
  loadPropOptions,
  PluginError,
  requireEnabledPlugin,
} from '@pmos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  connectionListSchema,
  connectionQuerySchema,
  connectionSchema,
  createConnectionBodySchema,
  optionsBodySchema,
  optionsResultSchema,
  pluginIdParam,
  updateConnectionBodySchema,
} from '../../api/plugin-schemas.js';
import { workspaceParamsSchema } from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf } from '../auth/request-auth.js';
import type { PluginHost } from '../plugins/plugin-host.js';
import { errorResponses } from './error-responses.js';

const errors = errorResponses(400, 401, 403, 404, 409, 502, 504);
const connectionParams = workspaceParamsSchema.extend({
  connectionId: z.uuid({ error: 'Not a valid connection id.' }),
});

const serialize = (c: ConnectionView) => ({
  ...c,
  lastCheck: c.lastCheck
    ? { ...c.lastCheck, checkedAt: c.lastCheck.checkedAt.toISOString() }
    : null,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

/**
 * Connections of a workspace to outside services, and the dynamic options of plugin
 * dropdowns. Handlers that call plugin code keep their database work in short tenant-scoped
 * transactions and make the outside call between them, holding no connection.
 */
export function registerConnectionRoutes(
  app: FastifyInstance,
  host: PluginHost,
  connections: Connections,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { registry } = host;
  const tags = ['connections'];
  const scoped = <T>(request: FastifyRequest, work: (em: EntityManager) => Promise<T>) =>
    inTenantScope(request.em, (request.params as { workspaceId: string }).workspaceId, work);

  /** The plugin (enabled here) and the connector or AI provider a connection is for. */
  const ownerOf = async (em: EntityManager, workspaceId: string, pluginId: string, id: string) => {
    const plugin = await requireEnabledPlugin(em, registry, workspaceId, pluginId);
    return { plugin, owner: registry.authOwner(plugin, id) };
  };

  /** Opens the value, checks health outside any transaction, and records the result. */
  const test = async (request: FastifyRequest, workspaceId: string, connectionId: string) => {
    const { plugin, owner, value } = await scoped(request, async (em) => {
      const current = await connections.get(em, workspaceId, connectionId);
      const found = await ownerOf(em, workspaceId, current.pluginId, current.connectorId);
      const revealed = await connections.revealForExecution(
        em,
        workspaceId,
        connectionId,
        found.owner.auth,
      );
      return { ...found, value: revealed.value };
    });
    const report = owner.healthCheck
      ? await checkHealth(plugin, owner.healthCheck, value, { fetch: host.fetch })
      : { ok: true, message: 'Saved. This connector has no way to test a connection.' };
    return scoped(request, (em) =>
      connections.recordCheck(em, workspaceId, connectionId, report, actorOf(request)),
    );
  };

  api.get(
    '/api/workspaces/:workspaceId/connections',
    {
      config: { access: access.workspace('connections.read') },
      schema: {
        tags,
        summary: 'Connections of this workspace (masks only, never values)',
        params: workspaceParamsSchema,
        querystring: connectionQuerySchema,
        response: { 200: connectionListSchema, ...errors },
      },
    },
    async (request) => ({
      data: (await connections.list(request.em, request.params.workspaceId, request.query)).map(
        serialize,
      ),
      next: null,
    }),
  );

  api.post(
    '/api/workspaces/:workspaceId/connections',
    {
      config: { access: access.workspace('connections.manage', { ownTransactions: true }) },
      schema: {
        tags,
        summary: 'Connect a connector: the value is sealed, then tested',
        params: workspaceParamsSchema,
        body: createConnectionBodySchema,
        response: { 201: connectionSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { workspaceId } = request.params;
      const { pluginId, connectorId, displayName, value } = request.body;
      const created = await scoped(request, async (em) => {
        const { owner } = await ownerOf(em, workspaceId, pluginId, connectorId);
        return connections.create(
          em,
          workspaceId,
          { pluginId, connectorId, auth: owner.auth, displayName, value },
          actorOf(request),
        );
      });
      return reply.status(201).send(serialize(await test(request, workspaceId, created.id)));
    },
  );

  api.patch(
    '/api/workspaces/:workspaceId/connections/:connectionId',
    {
      config: { access: access.workspace('connections.manage', { ownTransactions: true }) },
      schema: {
        tags,
        summary: 'Rename a connection or replace its value (a new value is tested)',
        params: connectionParams,
        body: updateConnectionBodySchema,
        response: { 200: connectionSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, connectionId } = request.params;
      const updated = await scoped(request, async (em) => {
        const current = await connections.get(em, workspaceId, connectionId);
        const { owner } = await ownerOf(em, workspaceId, current.pluginId, current.connectorId);
        return connections.update(
          em,
          workspaceId,
          connectionId,
          { auth: owner.auth, ...request.body },
          actorOf(request),
        );
      });
      if (request.body.value === undefined) return serialize(updated);
      return serialize(await test(request, workspaceId, connectionId));
    },
  );

  api.delete(
    '/api/workspaces/:workspaceId/connections/:connectionId',
    {
      config: { access: access.workspace('connections.manage') },
      schema: {
        tags,
        summary: 'Delete a connection',
        params: connectionParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      // Deleting needs no plugin: a connection of a disabled plugin can still be removed.
      await connections.delete(
        request.em,
        request.params.workspaceId,
        request.params.connectionId,
        actorOf(request),
      );
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/workspaces/:workspaceId/connections/:connectionId/test',
    {
      config: { access: access.workspace('connections.manage', { ownTransactions: true }) },
      schema: {
        tags,
        summary: 'Test a connection now with its connector’s health check',
        params: connectionParams,
        response: { 200: connectionSchema, ...errors },
      },
    },
    async (request) =>
      serialize(await test(request, request.params.workspaceId, request.params.connectionId)),
  );

  api.post(
    '/api/workspaces/:workspaceId/plugins/:pluginId/options',
    {
      config: { access: access.workspace('flows.read', { ownTransactions: true }) },
      schema: {
        tags: ['plugins'],
        summary: 'What a dropdown of an action or trigger offers for a connection and inputs',
        params: workspaceParamsSchema.extend({ pluginId: pluginIdParam }),
        body: optionsBodySchema,
        response: { 200: optionsResultSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, pluginId } = request.params;
      const body = request.body;
      const { plugin, step, auth } = await scoped(request, async (em) => {
        const plugin = await requireEnabledPlugin(em, registry, workspaceId, pluginId);
        const connector = registry.connector(plugin, body.connectorId);
        const step = registry.step(connector, body.stepId).definition;
        if (connector.auth.kind === 'none') return { plugin, step, auth: undefined };
        if (!body.connectionId) throw new PluginError('connection_required');
        const revealed = await connections.revealForExecution(
          em,
          workspaceId,
          body.connectionId,
          connector.auth,
        );
        if (
          revealed.connection.pluginId !== pluginId ||
          revealed.connection.connectorId !== connector.id
        ) {
          throw new PluginError('connection_mismatch');
        }
        return { plugin, step, auth: revealed.value };
      });
      const resolved = await loadPropOptions(
        plugin,
        step,
        body.prop,
        { auth, props: body.props, searchValue: body.searchValue },
        { fetch: host.fetch },
      );
      return resolved.kind === 'options'
        ? { kind: 'options' as const, ...resolved.state }
        : resolved;
    },
  );
}
