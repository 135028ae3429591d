import {
  consumeQuota,
  finishedRunStatuses,
  getRun,
  getRunRow,
  inTenantScope,
  keptForResume,
  listRuns,
  type RateLimiter,
  RunError,
  type RunView,
  requestCancel,
  requeueRun,
  runDocument,
  topLevelStepOf,
} from '@pmos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  retryRunBodySchema,
  runListQuerySchema,
  runListSchema,
  runParamsSchema,
  runSchema,
  startRunBodySchema,
  startRunParamsSchema,
} from '../../api/run-schemas.js';
import { workspaceParamsSchema } from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf } from '../auth/request-auth.js';
import type { PluginHost } from '../plugins/plugin-host.js';
import type { RunsRuntime } from '../runs/runtime.js';
import { requireRuntime, startFlowRun } from '../runs/start-flow-run.js';
import { errorResponses } from './error-responses.js';

const tags = ['runs'];

/**
 * Runs of a workspace's flows: start one by hand (published version or draft), list and read
 * them with their step timelines, follow one live (server-sent events), cancel, retry.
 */
export function registerRunRoutes(
  app: FastifyInstance,
  host: PluginHost,
  limiter: RateLimiter,
  runtime: RunsRuntime | undefined,
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const takeQuota = async (request: FastifyRequest, workspaceId: string) =>
    consumeQuota(request.em, {
      workspaceId,
      quota: 'flow_runs_per_day',
      amount: 1,
      limit: await limiter.limitFor('flow_runs_per_day', `workspace:${workspaceId}`, request.em),
    });

  api.post(
    '/api/workspaces/:workspaceId/flows/:flowId/runs',
    {
      config: { access: access.workspace('flows.run') },
      schema: {
        tags,
        summary: 'Run a flow now: its published version, or its draft as a test',
        params: startRunParamsSchema,
        body: startRunBodySchema,
        response: { 202: runSchema, ...errorResponses(400, 401, 403, 404, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      const { workspaceId, flowId } = request.params;
      const { version, payload } = request.body;
      const { queued, enqueue } = await startFlowRun(request.em, {
        host,
        limiter,
        runtime,
        workspaceId,
        flowId,
        version,
        payload,
        actor: actorOf(request),
      });
      request.afterCommit(enqueue);
      reply.code(202);
      return getRun(request.em, workspaceId, queued.runId);
    },
  );

  api.get(
    '/api/workspaces/:workspaceId/runs',
    {
      config: { access: access.workspace('runs.read') },
      schema: {
        tags,
        summary: 'Runs of the workspace, newest first, by flow, status and time',
        params: workspaceParamsSchema,
        querystring: runListQuerySchema,
        response: { 200: runListSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listRuns(request.em, request.params.workspaceId, request.query),
  );

  api.get(
    '/api/workspaces/:workspaceId/runs/:runId',
    {
      config: { access: access.workspace('runs.read') },
      schema: {
        tags,
        summary: 'One run with its step timeline (inputs, outputs, errors, durations, attempts)',
        params: runParamsSchema,
        response: { 200: runSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => getRun(request.em, request.params.workspaceId, request.params.runId),
  );

  api.get(
    '/api/workspaces/:workspaceId/runs/:runId/events',
    {
      config: { access: access.workspace('runs.read', { ownTransactions: true }) },
      schema: {
        tags,
        summary: 'Follow a run live (server-sent events): `run` with the whole run at each change',
        params: runParamsSchema,
        response: errorResponses(401, 403, 404),
      },
    },
    async (request, reply) => {
      const { workspaceId, runId } = request.params;
      const read = () =>
        inTenantScope(request.em, workspaceId, (em) => getRun(em, workspaceId, runId));
      let current = await read();
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let sequence = 0;
      const send = (run: RunView) => {
        raw.write(`id: ${++sequence}\nevent: run\ndata: ${JSON.stringify(run)}\n\n`);
      };
      send(current);
      if (finishedRunStatuses.has(current.status)) {
        raw.end();
        return;
      }
      let closed = false;
      let pending: Promise<void> | null = null;
      // Changes from this process's worker arrive at once; the poll covers other processes.
      const refresh = () => {
        if (closed || pending) return;
        pending = read()
          .then((run) => {
            if (closed) return;
            if (JSON.stringify(run) !== JSON.stringify(current)) send(run);
            current = run;
            if (finishedRunStatuses.has(run.status)) close();
          })
          .catch(() => close())
          .finally(() => {
            pending = null;
          });
      };
      const unsubscribe = runtime?.events.subscribe(runId, (event) => {
        if (event.type === 'progress' && !closed) {
          send({ ...current, status: 'RUNNING', steps: [...event.steps] });
        } else refresh();
      });
      const poll = setInterval(refresh, 1000);
      const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
      function close() {
        if (closed) return;
        closed = true;
        unsubscribe?.();
        clearInterval(poll);
        clearInterval(keepAlive);
        raw.end();
      }
      raw.on('close', close);
    },
  );

  api.post(
    '/api/workspaces/:workspaceId/runs/:runId/cancel',
    {
      config: { access: access.workspace('flows.run') },
      schema: {
        tags,
        summary: 'Cancel a queued or running run',
        params: runParamsSchema,
        response: { 200: runSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { workspaceId, runId } = request.params;
      const status = await requestCancel(request.em, workspaceId, runId);
      if (status === 'RUNNING') {
        request.afterCommit(async () => {
          runtime?.worker?.cancelLocal(runId);
        });
      }
      return getRun(request.em, workspaceId, runId);
    },
  );

  api.post(
    '/api/workspaces/:workspaceId/runs/:runId/retry',
    {
      config: { access: access.workspace('flows.run') },
      schema: {
        tags,
        summary:
          'Run a failed, timed-out or cancelled run again: from the start or from its failed step',
        params: runParamsSchema,
        body: retryRunBodySchema,
        response: { 202: runSchema, ...errorResponses(400, 401, 403, 404, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      const { workspaceId, runId } = request.params;
      const row = await getRunRow(request.em, workspaceId, runId, true);
      if (!['FAILED', 'TIMED_OUT', 'CANCELLED'].includes(row.status)) {
        throw new RunError('run_not_retryable');
      }
      const queue = requireRuntime(runtime).queue;
      let resumeFrom: string | null = null;
      if (request.body.from === 'failed_step') {
        const document = await runDocument(request.em, row);
        const failed = row.error?.step;
        resumeFrom = document && failed ? topLevelStepOf(document, failed) : null;
        if (!document || !resumeFrom) {
          throw new RunError('run_not_retryable', {
            message: 'This run has no failed step to continue from: retry it from the start.',
          });
        }
        keptForResume(document, resumeFrom, row.steps); // refuses truncated earlier outputs
      }
      await takeQuota(request, workspaceId);
      const queued = await requeueRun(request.em, row, resumeFrom);
      request.afterCommit(() => queue.enqueue([queued]));
      reply.code(202);
      return getRun(request.em, workspaceId, runId);
    },
  );
}
