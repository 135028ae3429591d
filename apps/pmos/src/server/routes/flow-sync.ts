import { inTenantScope, recordAudit } from '@pmos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { flowParamsSchema } from '../../api/flow-schemas.js';
import {
  flowLinkListSchema,
  flowLinkSchema,
  importedFlowSchema,
  importRemoteFlowBodySchema,
  linkFlowBodySchema,
  remoteFlowListSchema,
  remoteFlowQuerySchema,
  remoteRunListSchema,
  remoteRunQuerySchema,
  resolveConflictBodySchema,
  syncResultSchema,
} from '../../api/flow-sync-schemas.js';
import { workspaceParamsSchema } from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf } from '../auth/request-auth.js';
import type { FlowLinkRow } from '../sync/flow-links.js';
import type { FlowSyncService, SyncMode } from '../sync/flow-sync-service.js';
import { errorResponses } from './error-responses.js';
import { fullFlow } from './flows.js';

const errors = errorResponses(400, 401, 403, 404, 409, 502);
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const linkView = (l: FlowLinkRow) => ({
  flowId: l.flow_id,
  pluginId: l.plugin_id,
  syncId: l.sync_id,
  connectionId: l.connection_id,
  externalId: l.external_id,
  state: l.state,
  error: l.error,
  lastPushedRevision: l.last_pushed_revision,
  lastRemoteVersion: l.last_remote_version,
  lastRemoteUpdatedAt: iso(l.last_remote_updated_at),
  syncedAt: iso(l.synced_at),
  conflict: l.conflict,
});

/**
 * Flow sync with other systems (through plugins' flow syncs): list and import remote flows,
 * link a flow, push, pull, sync, settle a conflict, unlink, and read the remote runs. Every
 * route calls outside services, so each opens its own short tenant transactions.
 */
export function registerFlowSyncRoutes(app: FastifyInstance, sync: FlowSyncService): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['flow sync'];
  const base = '/api/workspaces/:workspaceId';
  const link = `${base}/flows/:flowId/link`;
  const read = { access: access.workspace('flows.read', { ownTransactions: true }) };
  const write = { access: access.workspace('flows.write', { ownTransactions: true }) };

  /** A person's link, unlink or sync round of a flow, in the audit log (after it happened). */
  const audit = (
    request: FastifyRequest,
    action: 'flow.link' | 'flow.unlink' | 'flow.sync',
    metadata: Record<string, unknown>,
  ) => {
    const { workspaceId, flowId } = request.params as { workspaceId: string; flowId: string };
    return inTenantScope(request.em, workspaceId, (em) =>
      recordAudit(em, actorOf(request), {
        action,
        outcome: 'success',
        workspaceId,
        targetType: 'flow',
        targetId: flowId,
        metadata,
      }),
    );
  };

  api.get(
    `${base}/flow-links`,
    {
      config: read,
      schema: {
        tags,
        summary: 'Every linked flow of the workspace with its sync state',
        params: workspaceParamsSchema,
        response: { 200: flowLinkListSchema, ...errors },
      },
    },
    async (request) => ({
      data: (await sync.list(request.params.workspaceId)).map(linkView),
      next: null,
    }),
  );

  api.get(
    `${base}/flow-sync/remote-flows`,
    {
      config: read,
      schema: {
        tags,
        summary: 'Flows of the other system a connection reaches (to import or link)',
        params: workspaceParamsSchema,
        querystring: remoteFlowQuerySchema,
        response: { 200: remoteFlowListSchema, ...errors },
      },
    },
    async (request) => {
      const { connectionId, cursor, limit } = request.query;
      const page = await sync.listRemoteFlows(request.params.workspaceId, connectionId, {
        cursor: cursor ?? null,
        limit,
      });
      return {
        data: page.data.map((f) => ({
          externalId: f.remoteId,
          displayName: f.displayName,
          version: f.version,
          updatedAt: f.updatedAt,
          status: f.status ?? null,
          linkedFlowId: f.linkedFlowId,
        })),
        next: page.next,
      };
    },
  );

  api.post(
    `${base}/flow-sync/import`,
    {
      config: write,
      schema: {
        tags,
        summary: 'Import a flow of the other system as a new PMOS flow, linked to it',
        params: workspaceParamsSchema,
        body: importRemoteFlowBodySchema,
        response: { 201: importedFlowSchema, ...errors },
      },
    },
    async (request, reply) => {
      const imported = await sync.importRemote(
        request.params.workspaceId,
        request.body,
        actorOf(request),
      );
      return reply
        .status(201)
        .send({ flow: fullFlow(imported.flow), link: linkView(imported.link) });
    },
  );

  api.get(
    link,
    {
      config: read,
      schema: {
        tags,
        summary: 'Where the flow is linked and its sync state',
        params: flowParamsSchema,
        response: { 200: flowLinkSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, flowId } = request.params;
      return linkView(await sync.describe(workspaceId, await sync.link(workspaceId, flowId)));
    },
  );

  api.put(
    link,
    {
      config: write,
      schema: {
        tags,
        summary: 'Link the flow to a remote flow (or to a new one made from it)',
        params: flowParamsSchema,
        body: linkFlowBodySchema,
        response: { 200: syncResultSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, flowId } = request.params;
      const result = await sync.linkFlow(workspaceId, flowId, request.body);
      await audit(request, 'flow.link', {
        pluginId: result.link.plugin_id,
        connectionId: result.link.connection_id,
        externalId: result.link.external_id,
        createdRemote: request.body.externalId === undefined,
        outcome: result.outcome,
      });
      return { link: linkView(result.link), outcome: result.outcome };
    },
  );

  api.delete(
    link,
    {
      config: write,
      schema: {
        tags,
        summary: 'Unlink the flow (both flows stay as they are)',
        params: flowParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const { workspaceId, flowId } = request.params;
      const link = await sync.link(workspaceId, flowId);
      await sync.unlink(workspaceId, flowId);
      await audit(request, 'flow.unlink', {
        pluginId: link.plugin_id,
        connectionId: link.connection_id,
        externalId: link.external_id,
      });
      return reply.status(204).send(null);
    },
  );

  const round = (path: string, mode: SyncMode, summary: string) =>
    api.post(
      `${link}/${path}`,
      {
        config: write,
        schema: {
          tags,
          summary,
          params: flowParamsSchema,
          response: { 200: syncResultSchema, ...errors },
        },
      },
      async (request) => {
        const { workspaceId, flowId } = request.params;
        const result = await sync.syncFlow(workspaceId, flowId, mode);
        await audit(request, 'flow.sync', { mode, outcome: result.outcome });
        return { link: linkView(result.link), outcome: result.outcome };
      },
    );
  round('sync', 'auto', 'Sync now: push PMOS edits, pull remote ones, or report a conflict');
  round('push', 'push', 'Push the PMOS draft (refused as a conflict if the remote flow changed)');
  round('pull', 'pull', 'Pull the remote flow (refused as a conflict if PMOS changed)');

  api.post(
    `${link}/resolve`,
    {
      config: write,
      schema: {
        tags,
        summary: 'Settle a conflict: keep the PMOS version (pushed) or the remote one (pulled)',
        params: flowParamsSchema,
        body: resolveConflictBodySchema,
        response: { 200: syncResultSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, flowId } = request.params;
      const mode = request.body.keep === 'pmos' ? 'keep_pmos' : 'keep_remote';
      const result = await sync.syncFlow(workspaceId, flowId, mode);
      await audit(request, 'flow.sync', { mode, outcome: result.outcome });
      return { link: linkView(result.link), outcome: result.outcome };
    },
  );

  api.get(
    `${link}/runs`,
    {
      config: read,
      schema: {
        tags,
        summary: 'Runs of the linked flow in the other system, newest first',
        params: flowParamsSchema,
        querystring: remoteRunQuerySchema,
        response: { 200: remoteRunListSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, flowId } = request.params;
      const page = await sync.listRuns(workspaceId, flowId, {
        cursor: request.query.cursor ?? null,
        limit: request.query.limit,
      });
      return {
        data: page.data.map((r) => ({
          externalId: r.remoteId,
          status: r.status,
          startedAt: r.startedAt,
          finishedAt: r.finishedAt,
          failure: r.failure ?? null,
        })),
        next: page.next,
      };
    },
  );
}
