import type { FlowSummary, FlowVersionView, FlowView } from '@pmos/core';
import { Flows } from '@pmos/core';
import { isLifecycleOperation } from '@pmos/flow';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  applyOperationsBodySchema,
  createFlowBodySchema,
  flowExportSchema,
  flowListQuerySchema,
  flowListSchema,
  flowParamsSchema,
  flowSchema,
  flowVersionDetailSchema,
  flowVersionListSchema,
  importFlowBodySchema,
  updateFlowBodySchema,
} from '../../api/flow-schemas.js';
import { workspaceParamsSchema } from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf } from '../auth/request-auth.js';
import { flowCatalogFor } from '../plugins/flow-catalog.js';
import type { PluginHost } from '../plugins/plugin-host.js';
import { errorResponses } from './error-responses.js';

const errors = errorResponses(400, 401, 403, 404, 409);
const versionParams = flowParamsSchema.extend({
  versionId: z.uuid({ error: 'Not a valid version id.' }),
});

const summary = (f: FlowSummary) => ({
  ...f,
  createdAt: f.createdAt.toISOString(),
  updatedAt: f.updatedAt.toISOString(),
  lastRun: f.lastRun ? { status: f.lastRun.status, at: f.lastRun.at.toISOString() } : null,
  triggerProblem: f.triggerProblem
    ? { ...f.triggerProblem, at: f.triggerProblem.at.toISOString() }
    : null,
});
/** A flow as the API answers it (also used by flow-sync routes). */
export const fullFlow = (f: FlowView) => ({
  ...f,
  ...summary(f),
  draft: f.draft as Record<string, unknown>,
});
const version = (v: FlowVersionView) => ({ ...v, publishedAt: v.publishedAt.toISOString() });

/**
 * Flows of a workspace: list, create, import, read, edit through operations (optimistic
 * concurrency on `revision`), publish into immutable versions, duplicate, export, delete.
 */
export function registerFlowRoutes(
  app: FastifyInstance,
  host: PluginHost,
  onLifecycle?: (workspaceId: string, flowId: string) => Promise<void>,
  /** After an edit is committed (flow sync pushes it to a linked flow). */
  onEdited?: (workspaceId: string, flowId: string) => void,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const flows = new Flows();
  const tags = ['flows'];
  const catalog = (request: FastifyRequest) =>
    flowCatalogFor(
      request.em,
      host.registry,
      (request.params as { workspaceId: string }).workspaceId,
    );
  const base = '/api/workspaces/:workspaceId/flows';

  api.get(
    base,
    {
      config: { access: access.workspace('flows.read') },
      schema: {
        tags,
        summary: 'List flows, most recently changed first',
        params: workspaceParamsSchema,
        querystring: flowListQuerySchema,
        response: { 200: flowListSchema, ...errors },
      },
    },
    async (request) => {
      const page = await flows.list(request.em, request.params.workspaceId, request.query);
      return { data: page.data.map(summary), next: page.next };
    },
  );

  api.post(
    base,
    {
      config: { access: access.workspace('flows.write') },
      schema: {
        tags,
        summary: 'Create a flow (an empty draft)',
        params: workspaceParamsSchema,
        body: createFlowBodySchema,
        response: { 201: flowSchema, ...errors },
      },
    },
    async (request, reply) => {
      const flow = await flows.create(
        request.em,
        request.params.workspaceId,
        request.body,
        actorOf(request),
        await catalog(request),
      );
      return reply.status(201).send(fullFlow(flow));
    },
  );

  api.post(
    `${base}/import`,
    {
      config: { access: access.workspace('flows.write') },
      schema: {
        tags,
        summary: 'Create a flow from an exported file',
        params: workspaceParamsSchema,
        body: importFlowBodySchema,
        response: { 201: flowSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { displayName, folder, tags: flowTags, document } = request.body;
      const flow = await flows.create(
        request.em,
        request.params.workspaceId,
        { displayName, folder, tags: flowTags, document },
        actorOf(request),
        await catalog(request),
      );
      return reply.status(201).send(fullFlow(flow));
    },
  );

  api.get(
    `${base}/:flowId`,
    {
      config: { access: access.workspace('flows.read') },
      schema: {
        tags,
        summary: 'A flow with its draft and what is incomplete in it',
        params: flowParamsSchema,
        response: { 200: flowSchema, ...errors },
      },
    },
    async (request) =>
      fullFlow(
        await flows.get(
          request.em,
          request.params.workspaceId,
          request.params.flowId,
          await catalog(request),
        ),
      ),
  );

  api.patch(
    `${base}/:flowId`,
    {
      config: { access: access.workspace('flows.write') },
      schema: {
        tags,
        summary: 'Move a flow to a folder or change its tags',
        params: flowParamsSchema,
        body: updateFlowBodySchema,
        response: { 200: flowSchema, ...errors },
      },
    },
    async (request) =>
      fullFlow(
        await flows.updateMetadata(
          request.em,
          request.params.workspaceId,
          request.params.flowId,
          request.body,
          await catalog(request),
        ),
      ),
  );

  api.post(
    `${base}/:flowId/operations`,
    {
      config: { access: access.workspace('flows.write') },
      schema: {
        tags,
        summary: 'Apply edits (and publish / status / use-as-draft), all or nothing',
        params: flowParamsSchema,
        body: applyOperationsBodySchema,
        response: { 200: flowSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, flowId } = request.params;
      const flow = await flows.apply(
        request.em,
        workspaceId,
        flowId,
        request.body,
        actorOf(request),
        await catalog(request),
      );
      // Enabling, disabling or publishing changes what starts the flow (its schedule).
      if (
        onLifecycle &&
        request.body.operations.some((o) => isLifecycleOperation(o as { type: string }))
      ) {
        request.afterCommit(() => onLifecycle(workspaceId, flowId));
      }
      if (onEdited) request.afterCommit(async () => onEdited(workspaceId, flowId));
      return fullFlow(flow);
    },
  );

  api.post(
    `${base}/:flowId/duplicate`,
    {
      config: { access: access.workspace('flows.write') },
      schema: {
        tags,
        summary: 'Copy a flow’s draft into a new flow',
        params: flowParamsSchema,
        response: { 201: flowSchema, ...errors },
      },
    },
    async (request, reply) => {
      const flow = await flows.duplicate(
        request.em,
        request.params.workspaceId,
        request.params.flowId,
        actorOf(request),
        await catalog(request),
      );
      return reply.status(201).send(fullFlow(flow));
    },
  );

  api.get(
    `${base}/:flowId/export`,
    {
      config: { access: access.workspace('flows.read') },
      schema: {
        tags,
        summary: 'The flow as a file to import elsewhere',
        params: flowParamsSchema,
        response: { 200: flowExportSchema, ...errors },
      },
    },
    async (request, reply) => {
      const exported = await flows.export(
        request.em,
        request.params.workspaceId,
        request.params.flowId,
      );
      const file = exported.displayName.replace(/[^\w .-]+/g, '_').slice(0, 80) || 'flow';
      reply.header('content-disposition', `attachment; filename="${file}.pmos-flow.json"`);
      return { ...exported, document: exported.document as Record<string, unknown> };
    },
  );

  api.delete(
    `${base}/:flowId`,
    {
      config: { access: access.workspace('flows.write') },
      schema: {
        tags,
        summary: 'Delete a flow with its versions',
        params: flowParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const { workspaceId, flowId } = request.params;
      await flows.delete(request.em, workspaceId, flowId, actorOf(request));
      if (onLifecycle) request.afterCommit(() => onLifecycle(workspaceId, flowId));
      return reply.status(204).send(null);
    },
  );

  api.get(
    `${base}/:flowId/versions`,
    {
      config: { access: access.workspace('flows.read') },
      schema: {
        tags,
        summary: 'Published versions, newest first',
        params: flowParamsSchema,
        response: { 200: flowVersionListSchema, ...errors },
      },
    },
    async (request) => ({
      data: (
        await flows.versions(request.em, request.params.workspaceId, request.params.flowId)
      ).map(version),
      next: null,
    }),
  );

  api.get(
    `${base}/:flowId/versions/:versionId`,
    {
      config: { access: access.workspace('flows.read') },
      schema: {
        tags,
        summary: 'One published version with its document',
        params: versionParams,
        response: { 200: flowVersionDetailSchema, ...errors },
      },
    },
    async (request) => {
      const v = await flows.version(
        request.em,
        request.params.workspaceId,
        request.params.flowId,
        request.params.versionId,
      );
      return { ...version(v), document: v.document as Record<string, unknown> };
    },
  );
}
