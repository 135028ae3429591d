import { randomUUID } from 'node:crypto';
import {
  finishedRunStatuses,
  type MikroORM,
  PmosError,
  type RateLimiter,
  RunError,
  type RunEvent,
  type WebhookReplyRecord,
} from '@pmos/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  webhookAcceptedSchema,
  webhookFinishedSchema,
  webhookParamsSchema,
} from '../../api/run-schemas.js';
import { access } from '../auth/access.js';
import type { RunsRuntime } from '../runs/runtime.js';
import { errorResponses } from './error-responses.js';

/** The largest webhook body a flow accepts. */
export const maxWebhookBytes = 1024 * 1024;

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
// Headers a flow's answer may not set: the server owns the connection and the framing.
const reservedHeaders = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
]);

/** What a flow's webhook trigger receives of a delivery. */
function deliveryOf(request: FastifyRequest) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    // The caller's cookies and credentials for PMOS itself are none of the flow's business.
    if (name === 'cookie' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: request.method,
    headers,
    query: request.query as Record<string, string>,
    body: request.body ?? null,
  };
}

function sendReply(reply: FastifyReply, response: WebhookReplyRecord) {
  for (const [name, value] of Object.entries(response.headers)) {
    if (!reservedHeaders.has(name.toLowerCase())) reply.header(name, value);
  }
  reply.code(response.status >= 100 && response.status <= 599 ? response.status : 200);
  const body = response.body;
  if (typeof body === 'string') {
    if (!reply.hasHeader('content-type')) reply.type('text/plain; charset=utf-8');
    return reply.send(body);
  }
  return reply
    .type(String(reply.getHeader('content-type') ?? 'application/json'))
    .send(JSON.stringify(body ?? null));
}

/**
 * Webhooks that start flows: `/hooks/:flowId/:secret` answers 202 with the run id once the
 * delivery is stored as a run (so it is never lost); `/hooks/:flowId/:secret/sync` waits for
 * the flow's "webhook response" step (or its end) and answers with it, within a time limit.
 */
export async function registerWebhookRoutes(
  app: FastifyInstance,
  orm: MikroORM,
  limiter: RateLimiter,
  runtime: RunsRuntime | undefined,
): Promise<void> {
  await app.register(async (hooks) => {
    // A webhook body is whatever the sender sends: JSON, a form, text, or anything else.
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    const parseJson = (
      _request: unknown,
      body: string | Buffer,
      done: (error: Error | null, value?: unknown) => void,
    ) => {
      try {
        done(null, String(body).trim() === '' ? null : JSON.parse(String(body)));
      } catch {
        done(new PmosError('invalid_json', 'The request body is not valid JSON.', { status: 400 }));
      }
    };
    hooks.addContentTypeParser('application/json', { parseAs: 'string' }, parseJson);
    hooks.addContentTypeParser(/^application\/[\w.-]+\+json;?/, { parseAs: 'string' }, parseJson);
    hooks.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
      const buffer = body as Buffer;
      const text = buffer.toString('utf8');
      // Text stays text; anything binary is kept as base64, marked as such.
      done(null, text.includes('\uFFFD') ? { base64: buffer.toString('base64') } : text);
    });

    const accept = async (request: FastifyRequest, sync: boolean, runId?: string) => {
      const live = runtime;
      if (!live)
        throw new PmosError('runs_unavailable', 'This server does not run flows.', { status: 503 });
      const { flowId, secret } = request.params as { flowId: string; secret: string };
      const workspaceId = await throttle(flowId);
      // Sync deliveries start on this process's worker when it has room: no queue round trips.
      if (sync && runId && live.worker) {
        const started = await live.worker.acceptAndRun({
          runId,
          flowId,
          secret,
          payload: deliveryOf(request),
          workspaceId,
          quotaLimit: await limiter.limitFor('flow_runs_per_day', `workspace:${workspaceId}`),
        });
        if (started) return { live, queued: { runId: started } };
      }
      const queued = await live.intake.accept({
        flowId,
        secret,
        payload: deliveryOf(request),
        responseMode: sync ? 'sync' : 'async',
        ...(runId ? { runId } : {}),
      });
      if (!queued) throw new RunError('webhook_not_found');
      return { live, queued };
    };

    // A flood is refused before it costs a run: per workspace, by the rate limiter.
    const workspaceOfFlow = new Map<string, { workspaceId: string | null; at: number }>();
    const throttle = async (flowId: string) => {
      let known = workspaceOfFlow.get(flowId);
      if (!known || Date.now() - known.at > 60_000) {
        const [row] = await orm.em
          .fork()
          .getConnection()
          .execute<{ workspace_id: string }[]>('select workspace_id from flow where id = ?', [
            flowId,
          ]);
        if (workspaceOfFlow.size > 10_000) workspaceOfFlow.clear();
        known = { workspaceId: row?.workspace_id ?? null, at: Date.now() };
        workspaceOfFlow.set(flowId, known);
      }
      if (!known.workspaceId) throw new RunError('webhook_not_found');
      const decision = await limiter.hit(
        'webhook_requests_per_minute',
        `workspace:${known.workspaceId}`,
      );
      if (!decision.allowed) {
        const retryAfterSeconds = Math.max(
          1,
          Math.ceil((decision.resetsAt.getTime() - Date.now()) / 1000),
        );
        throw new PmosError(
          'rate_limited',
          `Too many webhook requests: this workspace accepts ${decision.limit} per minute. Try again in ${retryAfterSeconds} seconds.`,
          {
            status: 429,
            details: { limit: decision.limit, used: decision.used, retryAfterSeconds },
          },
        );
      }
      return known.workspaceId;
    };

    const api = hooks.withTypeProvider<ZodTypeProvider>();
    api.route({
      method: [...methods],
      url: '/hooks/:flowId/:secret',
      bodyLimit: maxWebhookBytes,
      config: { access: access.public },
      schema: {
        tags: ['runs'],
        summary: 'Start a flow from a webhook; answered at once with the run id',
        params: webhookParamsSchema,
        response: { 202: webhookAcceptedSchema, ...errorResponses(400, 404, 413, 429, 503) },
      },
      handler: async (request, reply) => {
        const { queued } = await accept(request, false);
        reply.code(202);
        return { runId: queued.runId, status: 'QUEUED' as const };
      },
    });

    api.route({
      method: [...methods],
      url: '/hooks/:flowId/:secret/sync',
      bodyLimit: maxWebhookBytes,
      config: { access: access.public },
      schema: {
        tags: ['runs'],
        summary: "Start a flow from a webhook and answer with the flow's webhook response",
        params: webhookParamsSchema,
        response: { 200: webhookFinishedSchema, ...errorResponses(400, 404, 413, 429, 503, 504) },
      },
      handler: async (request, reply) => {
        const live = runtime;
        if (!live)
          throw new PmosError('runs_unavailable', 'This server does not run flows.', {
            status: 503,
          });
        // Listen before the run exists: this process's worker may finish it before `accept` returns.
        const runId = randomUUID();
        const queued = { runId };
        let stop = () => {};
        const outcome = new Promise<RunEvent>((resolve) => {
          const unsubscribe = live.events.subscribe(queued.runId, (event) => {
            if (event.type === 'response' || event.type === 'finished') {
              cleanup();
              resolve(event);
            }
          });
          // Another process's worker may run it: its answer reaches this one through the database.
          const poll = setInterval(async () => {
            const [row] = await orm.em
              .fork()
              .getConnection()
              .execute<{ status: string; response: WebhookReplyRecord | null; error: unknown }[]>(
                'select status, response, error from flow_run where id = ?',
                [queued.runId],
              );
            if (row?.response) {
              cleanup();
              resolve({ type: 'response', response: row.response });
            } else if (row && finishedRunStatuses.has(row.status as never)) {
              cleanup();
              resolve({ type: 'finished', status: row.status as never, error: row.error as never });
            }
          }, 250);
          const timer = setTimeout(() => {
            cleanup();
            resolve({ type: 'started' });
          }, live.syncWebhookTimeoutMs);
          stop = () => {
            cleanup();
            resolve({ type: 'started' });
          };
          function cleanup() {
            unsubscribe();
            clearInterval(poll);
            clearTimeout(timer);
          }
        });
        try {
          await accept(request, true, runId);
        } catch (error) {
          stop();
          throw error;
        }
        const event = await outcome;
        if (event.type === 'response') return sendReply(reply, event.response);
        if (event.type === 'finished') {
          return reply
            .code(200)
            .send({ runId: queued.runId, status: event.status, error: event.error });
        }
        throw new RunError('webhook_response_timeout', { details: { runId: queued.runId } });
      },
    });
  });
}
