import { Readable } from 'node:stream';
import {
  type AuditFilter,
  type EntityManager,
  listAuditEvents,
  verifyAuditChains,
} from '@pmos/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminAuditQuerySchema,
  auditChainReportSchema,
  auditListSchema,
  auditQuerySchema,
  workspaceParamsSchema,
} from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { errorResponses } from './error-responses.js';

type AuditQuery = z.infer<typeof auditQuerySchema>;

function filterOf(query: AuditQuery, workspaceId: string | null | undefined): AuditFilter {
  return {
    workspaceId,
    action: query.action,
    outcome: query.outcome,
    actorUserId: query.actor,
    since: query.since ? new Date(query.since) : undefined,
    until: query.until ? new Date(query.until) : undefined,
  };
}

/** Every matching event as NDJSON, newest first, read page by page (memory stays flat). */
function exportNdjson(em: EntityManager, filter: AuditFilter, reply: FastifyReply, name: string) {
  async function* lines() {
    let before: string | undefined;
    do {
      const page = await listAuditEvents(em, filter, { before, limit: 500 });
      for (const event of page.data) yield `${JSON.stringify(event)}\n`;
      before = page.next ?? undefined;
    } while (before);
  }
  return reply
    .type('application/x-ndjson')
    .header('content-disposition', `attachment; filename="${name}.ndjson"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(lines()));
}

const streamed = z.unknown().meta({ description: 'NDJSON, one audit event per line' });

/** Audit log: a workspace's admins read their own; the super_admin reads all and verifies. */
export function registerAuditRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['audit'];

  api.get(
    '/api/workspaces/:workspaceId/audit',
    {
      config: { access: access.workspace('audit.read') },
      schema: {
        tags,
        summary: "The workspace's audit events, newest first",
        params: workspaceParamsSchema,
        querystring: auditQuerySchema,
        response: { 200: auditListSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      listAuditEvents(request.em, filterOf(request.query, request.params.workspaceId), {
        before: request.query.before,
        limit: request.query.limit,
      }),
  );

  api.get(
    '/api/workspaces/:workspaceId/audit/export',
    {
      config: { access: access.workspace('audit.read') },
      schema: {
        tags,
        summary: "Export the workspace's audit events as NDJSON",
        params: workspaceParamsSchema,
        querystring: auditQuerySchema,
        response: { 200: streamed, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      exportNdjson(
        request.em,
        filterOf(request.query, request.params.workspaceId),
        reply,
        `pmos-audit-${request.params.workspaceId}`,
      ),
  );

  const adminWorkspace = (workspace: string | undefined) =>
    workspace === undefined ? undefined : workspace === 'instance' ? null : workspace;

  api.get(
    '/api/admin/audit',
    {
      config: { access: access.platform('platform.manage') },
      schema: {
        tags,
        summary: 'Audit events of the whole instance (super_admin)',
        querystring: adminAuditQuerySchema,
        response: { 200: auditListSchema, ...errorResponses(400, 403) },
      },
    },
    async (request) =>
      listAuditEvents(
        request.em,
        filterOf(request.query, adminWorkspace(request.query.workspace)),
        {
          before: request.query.before,
          limit: request.query.limit,
        },
      ),
  );

  api.get(
    '/api/admin/audit/export',
    {
      config: { access: access.platform('platform.manage') },
      schema: {
        tags,
        summary: 'Export audit events of the whole instance as NDJSON (super_admin)',
        querystring: adminAuditQuerySchema,
        response: { 200: streamed, ...errorResponses(400, 403) },
      },
    },
    async (request, reply) =>
      exportNdjson(
        request.em,
        filterOf(request.query, adminWorkspace(request.query.workspace)),
        reply,
        'pmos-audit',
      ),
  );

  api.get(
    '/api/admin/audit/verify',
    {
      config: { access: access.platform('platform.manage') },
      schema: {
        tags,
        summary: 'Check every audit chain and name the first broken link (super_admin)',
        response: { 200: auditChainReportSchema, ...errorResponses(403) },
      },
    },
    async (request) => {
      const chains = await verifyAuditChains(request.em);
      return { chains, intact: chains.every((chain) => chain.firstBroken === null) };
    },
  );
}
