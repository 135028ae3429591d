import { type Connections, inTenantScope, listRemoteTools, requireEnabledPlugin } from '@pmos/core';
import type { ConnectorDefinition } from '@pmos/sdk/server';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { workspaceParamsSchema } from '../../api/schemas.js';
import {
  remoteToolListSchema,
  setToolMarksBodySchema,
  toolMarkListSchema,
} from '../../api/tool-mark-schemas.js';
import { access } from '../auth/access.js';
import { actorOf } from '../auth/request-auth.js';
import { openConnection } from '../plugins/connection-auth.js';
import { type PluginHost, pluginCallOptions } from '../plugins/plugin-host.js';
import { requireRemoteTools, toolMarks, toolsWithMarks } from '../plugins/tool-marks.js';
import { errorResponses } from './error-responses.js';

const errors = errorResponses(400, 401, 403, 404, 409, 502, 504);
const params = workspaceParamsSchema.extend({
  connectionId: z.uuid({ error: 'Not a valid connection id.' }),
});

/**
 * The tools of a connection to a server of tools (an MCP server …) and the workspace admin's
 * marks on them: anyone who sees connections sees the policy, admins change it.
 */
export function registerToolMarkRoutes(
  app: FastifyInstance,
  host: PluginHost,
  connections: Connections,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['connections'];

  api.get(
    '/api/workspaces/:workspaceId/connections/:connectionId/tools',
    {
      config: { access: access.workspace('connections.read', { ownTransactions: true }) },
      schema: {
        tags,
        summary: 'The tools the connection’s server offers now, with the marks and their policy',
        params,
        response: { 200: remoteToolListSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, connectionId } = request.params;
      const { plugin, owner, auth } = await openConnection({
        em: request.em,
        registry: host.registry,
        connections,
        fetch: host.fetch,
        workspaceId,
        connectionId,
      });
      const connector = requireRemoteTools(owner as ConnectorDefinition);
      const offered = await listRemoteTools(plugin, connector, auth, pluginCallOptions(host));
      const marks = await inTenantScope(request.em, workspaceId, (em) =>
        toolMarks.list(em, workspaceId, connectionId),
      );
      return { connectionId, data: toolsWithMarks(offered, marks) };
    },
  );

  api.patch(
    '/api/workspaces/:workspaceId/connections/:connectionId/tools',
    {
      config: { access: access.workspace('connections.manage') },
      schema: {
        tags,
        summary: 'Mark tools of the connection safe, gated or blocked (null removes a mark)',
        params,
        body: setToolMarksBodySchema,
        response: { 200: toolMarkListSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, connectionId } = request.params;
      const connection = await connections.get(request.em, workspaceId, connectionId);
      const plugin = await requireEnabledPlugin(
        request.em,
        host.registry,
        workspaceId,
        connection.pluginId,
      );
      requireRemoteTools(host.registry.connector(plugin, connection.connectorId));
      await toolMarks.set(
        request.em,
        workspaceId,
        connectionId,
        request.body.marks,
        actorOf(request),
      );
      const marks = await toolMarks.list(request.em, workspaceId, connectionId);
      return {
        connectionId,
        data: marks.map((m) => ({ ...m, markedAt: m.markedAt.toISOString() })),
      };
    },
  );
}
