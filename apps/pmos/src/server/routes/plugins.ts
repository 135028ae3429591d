import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import {
  countEnabledWorkspaces,
  enabledPlugins,
  isAvailable,
  isEnabledIn,
  pluginAvailability,
  setPluginAvailability,
  setWorkspacePluginEnabled,
  workspacePluginStates,
} from '@pmos/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminPluginListSchema,
  adminPluginSchema,
  catalogSchema,
  pluginIdParam,
  pluginRemoteListSchema,
  setAvailabilityBodySchema,
  setEnabledBodySchema,
  workspacePluginListSchema,
  workspacePluginSchema,
} from '../../api/plugin-schemas.js';
import { workspaceParamsSchema } from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf } from '../auth/request-auth.js';
import { errorBody } from '../errors.js';
import { describeCatalog, describePlugin, describeRemote } from '../plugins/describe.js';
import type { PluginHost } from '../plugins/plugin-host.js';
import { errorResponses } from './error-responses.js';

const errors = errorResponses(400, 401, 403, 404, 409);
const adminParams = z.object({ pluginId: pluginIdParam });
const workspacePluginParams = workspaceParamsSchema.extend({ pluginId: pluginIdParam });

/**
 * Plugins: the super admin's instance-wide view (including refused plugins and why) and
 * availability switch; each workspace's list, enable switch, catalog and UI remotes; and the
 * remotes' files themselves.
 */
export function registerPluginRoutes(
  app: FastifyInstance,
  host: PluginHost,
  /**
   * After a plugin is enabled or disabled in a workspace, or offered or withdrawn on the
   * instance (`workspaceId` null): its flows' triggers follow.
   */
  onPluginToggled?: (workspaceId: string | null, pluginId: string) => Promise<void>,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { registry } = host;
  const tags = ['plugins'];

  const adminView = async (em: Parameters<typeof pluginAvailability>[0]) => {
    const [availability, counts] = await Promise.all([
      pluginAvailability(em),
      countEnabledWorkspaces(em),
    ]);
    return registry.plugins.map((plugin) => ({
      ...describePlugin(plugin),
      source: plugin.source,
      status: plugin.status,
      problem: plugin.status === 'refused' ? plugin.problem : null,
      available: isAvailable(plugin, availability),
      enabledWorkspaces: counts.get(plugin.id) ?? 0,
    }));
  };

  api.get(
    '/api/admin/plugins',
    {
      config: { access: access.platform('platform.manage') },
      schema: {
        tags,
        summary: 'Every plugin found on this instance, including refused ones and why',
        response: { 200: adminPluginListSchema, ...errors },
      },
    },
    async (request) => ({ data: await adminView(request.em), next: null }),
  );

  api.put(
    '/api/admin/plugins/:pluginId',
    {
      config: { access: access.platform('platform.manage') },
      schema: {
        tags,
        summary: 'Offer a plugin to the workspaces of this instance, or withdraw it',
        params: adminParams,
        body: setAvailabilityBodySchema,
        response: { 200: adminPluginSchema, ...errors },
      },
    },
    async (request) => {
      const { pluginId } = request.params;
      await request.em.transactional((tx) =>
        setPluginAvailability(tx, registry, pluginId, request.body.available, actorOf(request)),
      );
      if (onPluginToggled) request.afterCommit(() => onPluginToggled(null, pluginId));
      const view = (await adminView(request.em)).find((p) => p.id === pluginId);
      return view as NonNullable<typeof view>;
    },
  );

  const workspaceView = async (
    em: Parameters<typeof pluginAvailability>[0],
    workspaceId: string,
  ) => {
    const [availability, states] = await Promise.all([
      pluginAvailability(em),
      workspacePluginStates(em, workspaceId),
    ]);
    return registry
      .loaded()
      .filter((plugin) => isAvailable(plugin, availability))
      .map((plugin) => {
        const state = states.get(plugin.id);
        const enabled = isEnabledIn(plugin, state);
        return {
          ...describePlugin(plugin),
          enabled,
          enabledAt: enabled && state?.updatedAt ? state.updatedAt.toISOString() : null,
        };
      });
  };

  api.get(
    '/api/workspaces/:workspaceId/plugins',
    {
      config: { access: access.workspace('plugins.read') },
      schema: {
        tags,
        summary: 'Plugins offered to this workspace, with whether each is enabled here',
        params: workspaceParamsSchema,
        response: { 200: workspacePluginListSchema, ...errors },
      },
    },
    async (request) => ({
      data: await workspaceView(request.em, request.params.workspaceId),
      next: null,
    }),
  );

  api.put(
    '/api/workspaces/:workspaceId/plugins/:pluginId',
    {
      config: { access: access.workspace('plugins.manage') },
      schema: {
        tags,
        summary: 'Enable or disable a plugin in this workspace',
        params: workspacePluginParams,
        body: setEnabledBodySchema,
        response: { 200: workspacePluginSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, pluginId } = request.params;
      await setWorkspacePluginEnabled(
        request.em,
        registry,
        workspaceId,
        pluginId,
        request.body.enabled,
        actorOf(request),
      );
      if (onPluginToggled) request.afterCommit(() => onPluginToggled(workspaceId, pluginId));
      const view = (await workspaceView(request.em, workspaceId)).find((p) => p.id === pluginId);
      return view as NonNullable<typeof view>;
    },
  );

  api.get(
    '/api/workspaces/:workspaceId/plugins/ui',
    {
      config: { access: access.workspace('workspace.read') },
      schema: {
        tags,
        summary: 'The UI remotes of the plugins enabled in this workspace',
        params: workspaceParamsSchema,
        response: { 200: pluginRemoteListSchema, ...errors },
      },
    },
    async (request) => ({
      data: (await enabledPlugins(request.em, registry, request.params.workspaceId))
        .map(describeRemote)
        .filter((remote) => remote !== null),
    }),
  );

  api.get(
    '/api/workspaces/:workspaceId/catalog',
    {
      config: { access: access.workspace('workspace.read') },
      schema: {
        tags,
        summary: 'Connectors, actions, triggers and AI providers of the enabled plugins',
        params: workspaceParamsSchema,
        response: { 200: catalogSchema, ...errors },
      },
    },
    async (request) =>
      describeCatalog(await enabledPlugins(request.em, registry, request.params.workspaceId)),
  );

  // The remotes' built files, at a versioned path. Code, not data: no session needed, but
  // only for loaded plugins and only from inside their UI folder.
  app.get<{ Params: { pluginId: string; version: string; '*': string } }>(
    '/plugins/:pluginId/:version/*',
    { config: { access: access.public } },
    async (request, reply) => {
      const { pluginId, version } = request.params;
      const plugin = registry.get(pluginId);
      const notFound = () =>
        reply.status(404).send(errorBody('not_found', `Nothing at ${request.url.split('?')[0]}.`));
      if (plugin?.status !== 'loaded' || plugin.version !== version || !plugin.uiDir) {
        return notFound();
      }
      const file = join(plugin.uiDir, request.params['*']);
      const inside = relative(plugin.uiDir, file);
      if (inside === '' || inside.startsWith('..') || inside.includes(`..${sep}`))
        return notFound();
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return notFound();
      return reply
        .type(contentTypes[extname(file)] ?? 'application/octet-stream')
        .header('cache-control', 'no-cache')
        .header('access-control-allow-origin', '*')
        .send(createReadStream(file));
    },
  );
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};
