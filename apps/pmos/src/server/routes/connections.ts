import {
  type Connections,
  type ConnectionView,
  checkHealth,
  type EntityManager,
  exchangeOAuth2Code,
  inTenantScope,
  listProviderModels,
  loadPropOptions,
  oauth2Mask,
  PluginError,
  requireEnabledPlugin,
  type SecretsVault,
  startOAuth2SignIn,
  takeOAuth2SignIn,
} from '@pmos/core';
import type { AuthDefinition } from '@pmos/sdk/server';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  connectionListSchema,
  connectionQuerySchema,
  connectionSchema,
  createConnectionBodySchema,
  modelListSchema,
  modelsBodySchema,
  oauth2CallbackQuerySchema,
  optionsBodySchema,
  optionsResultSchema,
  pluginIdParam,
  startedOAuth2Schema,
  startOAuth2BodySchema,
  updateConnectionBodySchema,
} from '../../api/plugin-schemas.js';
import { workspaceParamsSchema } from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf } from '../auth/request-auth.js';
import { authForCall, openConnection } from '../plugins/connection-auth.js';
import { type PluginHost, pluginCallOptions } from '../plugins/plugin-host.js';
import { labelRemoteToolOptions } from '../plugins/tool-marks.js';
import { flowsTriggeredThrough } from '../runs/trigger-lifecycle.js';
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
  options: { vault: SecretsVault; publicUrl: string | undefined },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { registry } = host;
  const tags = ['connections'];
  const scoped = <T>(
    request: FastifyRequest,
    workspaceId: string,
    work: (em: EntityManager) => Promise<T>,
  ) => inTenantScope(request.em, workspaceId, work);

  /** The plugin (enabled here) and the connector or AI provider a connection is for. */
  const ownerOf = async (em: EntityManager, workspaceId: string, pluginId: string, id: string) => {
    const plugin = await requireEnabledPlugin(em, registry, workspaceId, pluginId);
    return { plugin, owner: registry.authOwner(plugin, id) };
  };

  /**
   * The value `ctx.auth` gets: decrypted for this call only; OAuth2 tokens about to expire are
   * renewed first (outside any transaction) and sealed again.
   */
  const openAuth = (
    request: FastifyRequest,
    workspaceId: string,
    connectionId: string,
    auth: AuthDefinition,
    revealed: { value: unknown },
  ) =>
    authForCall({
      em: request.em,
      connections,
      fetch: host.fetch,
      workspaceId,
      connectionId,
      auth,
      revealed,
    });

  /** Opens the value, checks health outside any transaction, and records the result. */
  const test = async (request: FastifyRequest, workspaceId: string, connectionId: string) => {
    let report: { ok: boolean; message: string };
    try {
      const { plugin, owner, auth } = await openConnection({
        em: request.em,
        registry,
        connections,
        fetch: host.fetch,
        workspaceId,
        connectionId,
      });
      report = owner.healthCheck
        ? await checkHealth(plugin, owner.healthCheck, auth, pluginCallOptions(host))
        : { ok: true, message: 'Saved. This connector has no way to test a connection.' };
    } catch (error) {
      if (!(error instanceof PluginError) || error.code !== 'oauth2_failed') throw error;
      report = { ok: false, message: `${error.message} Connect again to sign in anew.` };
    }
    return scoped(request, workspaceId, (em) =>
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
      const created = await scoped(request, workspaceId, async (em) => {
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
      const updated = await scoped(request, workspaceId, async (em) => {
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
      const { workspaceId, connectionId } = request.params;
      const starts = await flowsTriggeredThrough(request.em, workspaceId, connectionId);
      if (starts.length > 0) {
        const names = starts.map((f) => `“${f.displayName}”`).join(', ');
        throw new PluginError('connection_in_use', {
          message: `This connection starts ${names}: turn ${starts.length === 1 ? 'it' : 'them'} off first (or give the trigger another connection), so the trigger is turned off at its service too.`,
          details: { flows: starts },
        });
      }
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

  const redirectUriFor = (request: FastifyRequest) =>
    `${options.publicUrl ?? `${request.protocol}://${request.host}`}/api/oauth2/callback`;

  api.post(
    '/api/workspaces/:workspaceId/connections/oauth2/start',
    {
      config: { access: access.workspace('connections.manage') },
      schema: {
        tags,
        summary: 'Start connecting an OAuth2 connector (authorization code with PKCE)',
        params: workspaceParamsSchema,
        body: startOAuth2BodySchema,
        response: { 200: startedOAuth2Schema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = request.params;
      const body = request.body;
      const { owner } = await ownerOf(request.em, workspaceId, body.pluginId, body.connectorId);
      if (owner.auth.kind !== 'oauth2') {
        throw new PluginError('invalid_connection_value', {
          message:
            'This connector does not sign in with OAuth2: create the connection with its value.',
        });
      }
      const actor = actorOf(request);
      const redirectUri = redirectUriFor(request);
      const started = await startOAuth2SignIn(
        request.em,
        options.vault,
        { workspaceId, auth: owner.auth, redirectUri, ...body },
        { ...actor, userId: actor.userId ?? '' },
      );
      return { ...started, redirectUri, expiresAt: started.expiresAt.toISOString() };
    },
  );

  // The provider sends the person's browser back here. The state names the workspace; the
  // session must be the person who started, and the result is shown on the Integrations page.
  api.get(
    '/api/oauth2/callback',
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Where OAuth2 providers redirect after consent (opens the Integrations page)',
        querystring: oauth2CallbackQuerySchema,
        response: { 302: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const { state, code, error, error_description } = request.query;
      if (!state) throw new PluginError('oauth2_state_invalid');
      const pending = await takeOAuth2SignIn(
        request.em,
        options.vault,
        state,
        actorOf(request).userId ?? '',
      );
      const page = `/w/${pending.workspaceId}/integrations`;
      // Which connector it was for, so the page can offer to try that one again.
      const back = (params: Record<string, string>) =>
        reply.redirect(
          `${page}?${new URLSearchParams({ ...params, plugin: pending.pluginId, connector: pending.connectorId })}`,
          302,
        );
      if (error || !code) {
        return back({ oauth2_error: error_description ?? error ?? 'The sign-in was cancelled.' });
      }
      let connectionId: string;
      try {
        const { owner } = await inTenantScope(request.em, pending.workspaceId, (em) =>
          ownerOf(em, pending.workspaceId, pending.pluginId, pending.connectorId),
        );
        if (owner.auth.kind !== 'oauth2') throw new PluginError('invalid_connection_value');
        const stored = await exchangeOAuth2Code(host.fetch, owner.auth, pending, code);
        const created = await inTenantScope(request.em, pending.workspaceId, (em) =>
          connections.create(
            em,
            pending.workspaceId,
            {
              pluginId: pending.pluginId,
              connectorId: pending.connectorId,
              auth: owner.auth,
              displayName: pending.displayName,
              encoded: { plaintext: JSON.stringify(stored), mask: oauth2Mask(stored) },
            },
            actorOf(request),
          ),
        );
        connectionId = created.id;
      } catch (failure) {
        if (failure instanceof PluginError) return back({ oauth2_error: failure.message });
        throw failure;
      }
      await test(request, pending.workspaceId, connectionId);
      return back({ connection: connectionId });
    },
  );

  api.post(
    '/api/workspaces/:workspaceId/plugins/:pluginId/ai-providers/:providerId/models',
    {
      config: { access: access.workspace('workspace.read', { ownTransactions: true }) },
      schema: {
        tags: ['plugins'],
        summary: 'The models an AI provider offers with a connection’s key',
        params: workspaceParamsSchema.extend({
          pluginId: pluginIdParam,
          providerId: z.string().min(1).max(64),
        }),
        body: modelsBodySchema,
        response: { 200: modelListSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, pluginId, providerId } = request.params;
      const { connectionId } = request.body;
      const { plugin, provider, revealed } = await scoped(request, workspaceId, async (em) => {
        const plugin = await requireEnabledPlugin(em, registry, workspaceId, pluginId);
        const provider = registry.aiProvider(plugin, providerId);
        if (provider.auth.kind === 'none') {
          return { plugin, provider, revealed: { value: undefined } };
        }
        if (!connectionId) throw new PluginError('connection_required');
        const revealed = await connections.revealForExecution(
          em,
          workspaceId,
          connectionId,
          provider.auth,
        );
        if (
          revealed.connection.pluginId !== pluginId ||
          revealed.connection.connectorId !== providerId
        ) {
          throw new PluginError('connection_mismatch');
        }
        return { plugin, provider, revealed };
      });
      const auth = connectionId
        ? await openAuth(request, workspaceId, connectionId, provider.auth, revealed)
        : undefined;
      return { data: await listProviderModels(plugin, provider, auth, pluginCallOptions(host)) };
    },
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
      const { plugin, step, connector, revealed } = await scoped(
        request,
        workspaceId,
        async (em) => {
          const plugin = await requireEnabledPlugin(em, registry, workspaceId, pluginId);
          const connector = registry.connector(plugin, body.connectorId);
          const step = registry.step(connector, body.stepId).definition;
          if (connector.auth.kind === 'none') {
            return { plugin, step, connector, revealed: { value: undefined } };
          }
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
          return { plugin, step, connector, revealed };
        },
      );
      const auth = body.connectionId
        ? await openAuth(request, workspaceId, body.connectionId, connector.auth, revealed)
        : undefined;
      const resolved = await loadPropOptions(
        plugin,
        step,
        body.prop,
        { auth, props: body.props, searchValue: body.searchValue },
        pluginCallOptions(host),
      );
      if (resolved.kind !== 'options') return resolved;
      const options =
        body.connectionId && 'risk' in step && typeof connector.listRemoteTools === 'function'
          ? await labelRemoteToolOptions({
              em: request.em,
              workspaceId,
              connectionId: body.connectionId,
              plugin,
              connector,
              auth,
              callOptions: pluginCallOptions(host),
              action: step,
              props: body.props ?? {},
              prop: body.prop,
              options: resolved.state.options,
            })
          : resolved.state.options;
      return { kind: 'options' as const, ...resolved.state, options };
    },
  );
}
