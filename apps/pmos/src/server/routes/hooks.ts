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
import type { PluginHost } from '../plugins/plugin-host.js';
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

/** The exact text of a body the parsers turned into JSON or a form (for signature checks). */
const rawBodyKey = Symbol('rawBody');
type WithRawBody = FastifyRequest & { [rawBodyKey]?: string };

/**
 * What a flow's webhook trigger receives of a delivery; `rawBody`, the body's exact text, only
 * when its trigger asks for it (a signature is computed over those bytes, not over the JSON).
 */
function deliveryOf(request: FastifyRequest, keepRawBody: boolean) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    // The caller's cookies and credentials for PMOS itself are none of the flow's business.
    if (name === 'cookie' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // JSON and forms keep their text beside the parsed body; text is its own raw body; a binary
  // body has none (it arrives as `{ base64 }`, the bytes themselves).
  const raw =
    (request as WithRawBody)[rawBodyKey] ??
    (typeof request.body === 'string' ? request.body : undefined);
  return {
    method: request.method,
    headers,
    query: request.query as Record<string, string>,
    body: request.body ?? null,
    ...(keepRawBody && raw !== undefined ? { rawBody: raw } : {}),
  };
}

/** Whether the trigger a flow's published version starts with wants the raw body. */
function wantsRawBody(plugins: PluginHost, trigger: unknown): boolean {
  const settings = trigger as {
    pluginId?: string;
    connectorId?: string;
    triggerId?: string;
  } | null;
  if (!settings?.pluginId) return false;
  const plugin = plugins.registry.get(settings.pluginId);
  if (plugin?.status !== 'loaded') return false;
  const connector = plugin.definition?.contributes.connectors?.find(
    (c) => c.id === settings.connectorId,
  );
  return connector?.triggers?.find((t) => t.id === settings.triggerId)?.rawBody === true;
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
  plugins: PluginHost,
): Promise<void> {
  await app.register(async (hooks) => {
    // A webhook body is whatever the sender sends: JSON, a form, text, or anything else.
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (request, body, done) => {
        (request as WithRawBody)[rawBodyKey] = String(body);
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      },
    );
    const parseJson = (
      request: FastifyRequest,
      body: string | Buffer,
      done: (error: Error | null, value?: unknown) => void,
    ) => {
      (request as WithRawBody)[rawBodyKey] = String(body);
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
      const { workspaceId, keepRawBody } = await throttle(flowId);
      // Sync deliveries start on this process's worker when it has room: no queue round trips.
      if (sync && runId && live.worker) {
        const started = await live.worker.acceptAndRun({
          runId,
          flowId,
          secret,
          payload: deliveryOf(request, keepRawBody),
          workspaceId,
          quotaLimit: await limiter.limitFor('flow_runs_per_day', `workspace:${workspaceId}`),
        });
        if (started) return { live, queued: { runId: started } };
      }
      const queued = await live.intake.accept({
        flowId,
        secret,
        payload: deliveryOf(request, keepRawBody),
        responseMode: sync ? 'sync' : 'async',
        ...(runId ? { runId } : {}),
      });
      if (!queued) throw new RunError('webhook_not_found');
      return { live, queued };
    };

    // A flood is refused before it costs a run: per workspace, by the rate limiter. What a
    // flow's deliveries need (its workspace, whether to keep raw bodies) is kept a minute.
    const flowFacts = new Map<
      string,
      { workspaceId: string | null; keepRawBody: boolean; at: number }
    >();
    const throttle = async (flowId: string) => {
      let known = flowFacts.get(flowId);
      if (!known || Date.now() - known.at > 60_000) {
        const [row] = await orm.em
          .fork()
          .getConnection()
          .execute<{ workspace_id: string; trigger: unknown }[]>(
            `select f.workspace_id, v.document #> '{trigger,settings}' as trigger
               from flow f left join flow_version v on v.id = f.published_version_id
              where f.id = ?`,
            [flowId],
          );
        if (flowFacts.size > 10_000) flowFacts.clear();
        known = {
          workspaceId: row?.workspace_id ?? null,
          keepRawBody: wantsRawBody(plugins, row?.trigger ?? null),
          at: Date.now(),
        };
        flowFacts.set(flowId, known);
      }
      const { workspaceId } = known;
      if (!workspaceId) throw new RunError('webhook_not_found');
      const decision = await limiter.hit('webhook_requests_per_minute', `workspace:${workspaceId}`);
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
      return { workspaceId, keepRawBody: known.keepRawBody };
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
