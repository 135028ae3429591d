import {
  type Connections,
  dailyQuotaResetsAt,
  type EntityManager,
  inTenantScope,
  maskForRecord,
  PluginError,
  PmosError,
  QuotaExceededError,
  quotaUsed,
  type RateLimiter,
  recordAudit,
  redacted,
  requireEnabledPlugin,
} from '@pmos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  approvalListQuerySchema,
  approvalListSchema,
  approvalParamsSchema,
  approvalSchema,
  chatSettingsBodySchema,
  chatSettingsSchema,
  conversationDetailSchema,
  conversationListQuerySchema,
  conversationListSchema,
  conversationParamsSchema,
  conversationSchema,
  createConversationBodySchema,
  decisionBodySchema,
  operationListQuerySchema,
  operationListSchema,
  operationParamsSchema,
  replayBodySchema,
  sendMessageBodySchema,
  turnStartedSchema,
} from '../../api/chat-schemas.js';
import { workspaceParamsSchema } from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf } from '../auth/request-auth.js';
import { ChatError } from '../chat/chat-errors.js';
import type { ChatRuntime } from '../chat/chat-runtime.js';
import {
  type ApprovalRow,
  createConversation,
  decideApproval,
  deleteConversation,
  eventsAfter,
  getChatSettings,
  getConversation,
  getOperation,
  insertTurn,
  listApprovals,
  listConversations,
  listOperations,
  listTurns,
  type OperationRow,
  putChatSettings,
  type TurnRow,
} from '../chat/chat-store.js';
import { appendEvents, type ChatLiveMessage } from '../chat/chat-trace.js';
import type { PluginHost } from '../plugins/plugin-host.js';
import { errorResponses } from './error-responses.js';

const tags = ['chat'];
const errors = errorResponses(400, 401, 403, 404, 409, 429);

const turnView = (t: TurnRow) => ({
  id: t.id,
  kind: t.kind,
  status: t.status,
  userText: t.userText,
  assistantText: t.assistantText,
  provider: t.provider,
  model: t.model,
  inputTokens: t.inputTokens,
  outputTokens: t.outputTokens,
  error: t.error,
  startedAt: t.startedAt,
  finishedAt: t.finishedAt,
});

const approvalView = (a: ApprovalRow) => ({
  id: a.id,
  conversationId: a.conversationId,
  turnId: a.turnId,
  tool: a.tool,
  title: a.toolTitle,
  pluginId: a.pluginId,
  pluginVersion: a.pluginVersion,
  arguments: maskForRecord(a.arguments, undefined) as Record<string, unknown>,
  risk: a.risk,
  status: a.status,
  requestedBy: a.requestedBy,
  decidedBy: a.decidedBy,
  decidedAt: a.decidedAt,
  reason: a.reason,
  expiresAt: a.expiresAt,
  createdAt: a.createdAt,
});

const operationView = (o: OperationRow) => ({
  id: o.id,
  conversationId: o.conversationId,
  turnId: o.turnId,
  userId: o.userId,
  tool: o.tool,
  title: o.toolTitle,
  pluginId: o.pluginId,
  pluginVersion: o.pluginVersion,
  arguments: o.arguments,
  risk: o.risk,
  outcome: o.outcome,
  resultDigest: o.resultDigest,
  error: o.error,
  model: o.model,
  replayOf: o.replayOf,
  durationMs: o.durationMs,
  executedAt: o.executedAt,
});

function userIdOf(request: FastifyRequest): string {
  const id = actorOf(request).userId;
  if (!id) throw new PmosError('unauthenticated', 'Sign in first.', { status: 401 });
  return id;
}

/**
 * Chat with the operator agent: the workspace's model settings, conversations and their
 * messages, the live trace (server-sent events, resumable with Last-Event-ID), approvals and
 * the history of operations with replay.
 */
export function registerChatRoutes(
  app: FastifyInstance,
  deps: {
    host: PluginHost;
    connections: Connections;
    limiter: RateLimiter;
    chat: ChatRuntime;
  },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { chat, limiter } = deps;
  const base = '/api/workspaces/:workspaceId/chat';

  api.get(
    `${base}/settings`,
    {
      config: { access: access.workspace('workspace.read') },
      schema: {
        tags,
        summary: 'The AI connection and model chat uses in this workspace',
        params: workspaceParamsSchema,
        response: { 200: chatSettingsSchema, ...errors },
      },
    },
    async (request) => {
      const settings = await getChatSettings(request.em, request.params.workspaceId);
      return { ...settings, configured: Boolean(settings.connectionId && settings.modelId) };
    },
  );

  api.put(
    `${base}/settings`,
    {
      config: { access: access.workspace('settings.manage') },
      schema: {
        tags,
        summary: 'Choose the AI connection and model chat uses (workspace admins)',
        params: workspaceParamsSchema,
        body: chatSettingsBodySchema,
        response: { 200: chatSettingsSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId } = request.params;
      const { connectionId, modelId } = request.body;
      if (connectionId) {
        const connection = await deps.connections.get(request.em, workspaceId, connectionId);
        const plugin = await requireEnabledPlugin(
          request.em,
          deps.host.registry,
          workspaceId,
          connection.pluginId,
        );
        const isProvider = plugin.definition?.contributes.aiProviders?.some(
          (p) => p.id === connection.connectorId,
        );
        if (!isProvider) {
          throw new PluginError('connection_mismatch', {
            message: 'This connection is not to an AI provider: choose an AI connection.',
          });
        }
      }
      if (Boolean(connectionId) !== Boolean(modelId)) {
        throw new PmosError(
          'invalid_request',
          'Choose both an AI connection and a model, or neither.',
          {
            status: 400,
          },
        );
      }
      await putChatSettings(
        request.em,
        workspaceId,
        { connectionId, modelId },
        actorOf(request).userId,
      );
      await recordAudit(request.em, actorOf(request), {
        action: 'chat.settings.change',
        outcome: 'success',
        workspaceId,
        targetType: 'chat_settings',
        targetId: workspaceId,
        metadata: { connectionId, modelId },
      });
      const settings = await getChatSettings(request.em, workspaceId);
      return { ...settings, configured: Boolean(settings.connectionId && settings.modelId) };
    },
  );

  api.get(
    `${base}/conversations`,
    {
      config: { access: access.workspace('chat.use') },
      schema: {
        tags,
        summary: 'Your conversations with the agent, most recent first',
        params: workspaceParamsSchema,
        querystring: conversationListQuerySchema,
        response: { 200: conversationListSchema, ...errors },
      },
    },
    async (request) => {
      const page = await listConversations(
        request.em,
        request.params.workspaceId,
        userIdOf(request),
        {
          limit: request.query.limit,
          ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
          ...(request.query.flowId ? { flowId: request.query.flowId } : {}),
        },
      );
      return {
        data: page.data.map(({ id, title, flowId, createdAt, updatedAt }) => ({
          id,
          title,
          flowId,
          createdAt,
          updatedAt,
        })),
        next: page.next,
      };
    },
  );

  api.post(
    `${base}/conversations`,
    {
      config: { access: access.workspace('chat.use') },
      schema: {
        tags,
        summary: 'Start a conversation (optionally about one flow)',
        params: workspaceParamsSchema,
        body: createConversationBodySchema,
        response: { 201: conversationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const row = await createConversation(request.em, {
        workspaceId: request.params.workspaceId,
        userId: userIdOf(request),
        title: request.body.title || 'New conversation',
        flowId: request.body.flowId ?? null,
      });
      reply.code(201);
      return {
        id: row.id,
        title: row.title,
        flowId: row.flowId,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      };
    },
  );

  api.get(
    `${base}/conversations/:conversationId`,
    {
      config: { access: access.workspace('chat.use') },
      schema: {
        tags,
        summary: 'A conversation with its turns, its whole trace and its approvals',
        params: conversationParamsSchema,
        response: { 200: conversationDetailSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, conversationId } = request.params;
      const row = await getConversation(request.em, workspaceId, userIdOf(request), conversationId);
      const [turns, events, approvals] = await Promise.all([
        listTurns(request.em, conversationId),
        eventsAfter(request.em, conversationId, 0),
        listApprovals(request.em, workspaceId, { conversationId, limit: 500 }),
      ]);
      return {
        id: row.id,
        title: row.title,
        flowId: row.flowId,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        turns: turns.map(turnView),
        events,
        approvals: approvals.map(approvalView),
      };
    },
  );

  api.delete(
    `${base}/conversations/:conversationId`,
    {
      config: { access: access.workspace('chat.use') },
      schema: {
        tags,
        summary: 'Delete a conversation (its operations stay in the history)',
        params: conversationParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const { workspaceId, conversationId } = request.params;
      await deleteConversation(request.em, workspaceId, userIdOf(request), conversationId);
      return reply.status(204).send(null);
    },
  );

  /** Chat messages per minute (approximate, shared) and AI tokens per day (exact). */
  const admitMessage = async (em: EntityManager, workspaceId: string) => {
    const subject = `workspace:${workspaceId}`;
    const decision = await limiter.hit('chat_messages_per_minute', subject);
    if (!decision.allowed) {
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((decision.resetsAt.getTime() - Date.now()) / 1000),
      );
      throw new PmosError(
        'rate_limited',
        `Too many chat messages: this workspace sends at most ${decision.limit} a minute. Try again in ${retryAfterSeconds} seconds.`,
        {
          status: 429,
          details: {
            limit: decision.limit,
            used: decision.used,
            resetsAt: decision.resetsAt.toISOString(),
            retryAfterSeconds,
          },
        },
      );
    }
    const limit = await limiter.limitFor('ai_tokens_per_day', subject, em);
    const used = await quotaUsed(em, workspaceId, 'ai_tokens_per_day');
    if (used >= limit)
      throw new QuotaExceededError('ai_tokens_per_day', limit, used, dailyQuotaResetsAt());
  };

  /**
   * Admits a message (rate and token limits), then opens a turn in the conversation with its
   * `turn.started` event, sent live once the request's transaction commits.
   */
  const openTurn = async (
    request: FastifyRequest,
    em: EntityManager,
    input: {
      workspaceId: string;
      conversationId: string;
      userId: string;
      kind: TurnRow['kind'];
      text: string;
      data?: Record<string, unknown>;
    },
  ) => {
    await admitMessage(em, input.workspaceId);
    const turn = await insertTurn(em, {
      workspaceId: input.workspaceId,
      conversationId: input.conversationId,
      userId: input.userId,
      kind: input.kind,
      userText: input.text,
      leaseSeconds: 60,
    });
    const started = await appendEvents(em, input.workspaceId, input.conversationId, [
      {
        turnId: turn.id,
        type: 'turn.started',
        at: new Date().toISOString(),
        data: { kind: input.kind, text: input.text, ...input.data },
      },
    ]);
    request.afterCommit(async () => chat.publish(input.conversationId, started));
    return turn;
  };

  api.post(
    `${base}/conversations/:conversationId/messages`,
    {
      config: { access: access.workspace('chat.use') },
      schema: {
        tags,
        summary: 'Send a message: the agent answers in the conversation’s trace (202)',
        params: conversationParamsSchema,
        body: sendMessageBodySchema,
        response: { 202: turnStartedSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { workspaceId, conversationId } = request.params;
      const userId = userIdOf(request);
      const conversation = await getConversation(request.em, workspaceId, userId, conversationId);
      const turn = await openTurn(request, request.em, {
        workspaceId,
        conversationId,
        userId,
        kind: 'agent',
        text: request.body.text,
      });
      if (conversation.title === 'New conversation') {
        await request.em
          .getConnection()
          .execute(
            'update chat_conversation set title = ? where id = ?',
            [request.body.text.slice(0, 80), conversationId],
            'all',
            request.em.getTransactionContext(),
          );
      }
      request.afterCommit(async () => chat.startTurn(turn));
      reply.code(202);
      return { conversationId, turn: turnView(turn) };
    },
  );

  api.get(
    `${base}/conversations/:conversationId/events`,
    {
      config: { access: access.workspace('chat.use', { ownTransactions: true }) },
      schema: {
        tags,
        summary:
          'Follow a conversation live (server-sent events): `trace` events with their sequence as id, `delta` for streaming text. Send Last-Event-ID (or ?after=) to catch up.',
        params: conversationParamsSchema,
        response: errorResponses(401, 403, 404),
      },
    },
    async (request, reply) => {
      const { workspaceId, conversationId } = request.params;
      const userId = userIdOf(request);
      const scoped = <T>(work: Parameters<typeof inTenantScope<T>>[2]) =>
        inTenantScope(request.em, workspaceId, work);
      await scoped((em) => getConversation(em, workspaceId, userId, conversationId));
      const header = request.headers['last-event-id'];
      const after = Number(
        (typeof header === 'string' ? header : undefined) ??
          (request.query as { after?: string }).after ??
          0,
      );
      const sent = Number.isFinite(after) && after > 0 ? Math.floor(after) : 0;

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // A new conversation has no event yet: the comment sends the headers at once.
      raw.write(': connected\n\n');
      let closed = false;
      let catchingUp = true;
      const buffered: ChatLiveMessage[] = [];
      // Events may arrive out of order (another process's, found by the poll): each is sent
      // once; the poll reads from the highest sequence below which nothing is missing.
      const sentSeqs = new Set<number>();
      let contiguous = sent;
      const write = (message: ChatLiveMessage) => {
        if (closed) return;
        if (message.kind === 'delta') {
          raw.write(
            `event: delta\ndata: ${JSON.stringify({ turnId: message.turnId, text: message.text })}\n\n`,
          );
          return;
        }
        const { seq } = message.event;
        if (seq <= sent || sentSeqs.has(seq)) return;
        sentSeqs.add(seq);
        while (sentSeqs.has(contiguous + 1)) sentSeqs.delete(++contiguous);
        raw.write(`id: ${seq}\nevent: trace\ndata: ${JSON.stringify(message.event)}\n\n`);
      };
      // Subscribe first, then read what is stored: nothing falls between the two.
      const unsubscribe = chat.bus.subscribe(conversationId, (message) => {
        if (catchingUp) buffered.push(message);
        else write(message);
      });
      let polling: Promise<void> | null = null;
      const catchUp = async () => {
        const stored = await scoped((em) => eventsAfter(em, conversationId, contiguous));
        for (const event of stored) write({ kind: 'event', event });
      };
      try {
        await catchUp();
      } catch {
        close();
        return;
      }
      catchingUp = false;
      for (const message of buffered.splice(0)) write(message);
      // Events written by other processes arrive through the poll.
      const poll = setInterval(() => {
        if (closed || polling) return;
        polling = catchUp()
          .catch(() => close())
          .finally(() => {
            polling = null;
          });
      }, 1000);
      const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
      function close() {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(poll);
        clearInterval(keepAlive);
        raw.end();
      }
      raw.on('close', close);
    },
  );

  api.get(
    `${base}/approvals`,
    {
      config: { access: access.workspace('approvals.decide') },
      schema: {
        tags,
        summary: 'Approvals of the workspace, newest first (pending ones with ?status=pending)',
        params: workspaceParamsSchema,
        querystring: approvalListQuerySchema,
        response: { 200: approvalListSchema, ...errors },
      },
    },
    async (request) => {
      const rows = await listApprovals(request.em, request.params.workspaceId, {
        limit: 200,
        ...(request.query.status ? { status: request.query.status } : {}),
        ...(request.query.conversationId ? { conversationId: request.query.conversationId } : {}),
      });
      return { data: rows.map(approvalView) };
    },
  );

  api.post(
    `${base}/approvals/:approvalId/decision`,
    {
      config: { access: access.workspace('approvals.decide') },
      schema: {
        tags,
        summary: 'Approve or reject a tool call the agent is waiting on; the turn goes on',
        params: approvalParamsSchema,
        body: decisionBodySchema,
        response: { 200: approvalSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, approvalId } = request.params;
      const actor = actorOf(request);
      const { decision, reason } = request.body;
      const approval = await decideApproval(request.em, workspaceId, approvalId, {
        status: decision === 'approve' ? 'approved' : 'rejected',
        by: actor.userId,
        reason: reason || null,
      });
      const decided = await appendEvents(request.em, workspaceId, approval.conversationId, [
        {
          turnId: approval.turnId,
          type: 'approval.decided',
          at: new Date().toISOString(),
          data: {
            approvalId,
            decision: approval.status,
            by: actor.userId,
            reason: approval.reason,
          },
        },
      ]);
      await recordAudit(request.em, actor, {
        action: decision === 'approve' ? 'chat.approval.approve' : 'chat.approval.reject',
        outcome: 'success',
        workspaceId,
        targetType: 'chat_approval',
        targetId: approvalId,
        metadata: { tool: approval.tool, risk: approval.risk, turnId: approval.turnId },
      });
      request.afterCommit(async () => {
        chat.publish(approval.conversationId, decided);
        chat.resume(workspaceId, approval.turnId);
      });
      return approvalView(approval);
    },
  );

  api.get(
    `${base}/operations`,
    {
      config: { access: access.workspace('chat.use') },
      schema: {
        tags,
        summary: 'Every tool call the agent ran, newest first, with what is needed to replay it',
        params: workspaceParamsSchema,
        querystring: operationListQuerySchema,
        response: { 200: operationListSchema, ...errors },
      },
    },
    async (request) => {
      const page = await listOperations(request.em, request.params.workspaceId, {
        limit: request.query.limit,
        ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
        ...(request.query.conversationId ? { conversationId: request.query.conversationId } : {}),
      });
      return { data: page.data.map(operationView), next: page.next };
    },
  );

  api.post(
    `${base}/operations/:operationId/replay`,
    {
      config: { access: access.workspace('chat.use', { ownTransactions: true }) },
      schema: {
        tags,
        summary: 'Run an operation again with the same arguments, through the same approval gate',
        params: operationParamsSchema,
        body: replayBodySchema,
        response: { 202: turnStartedSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { workspaceId, operationId } = request.params;
      const userId = userIdOf(request);
      const operation = await inTenantScope(request.em, workspaceId, (em) =>
        getOperation(em, workspaceId, operationId),
      );
      // Secrets were masked when the operation was recorded: replaying would send the mask.
      if (JSON.stringify(operation.arguments).includes(redacted)) {
        throw new ChatError('operation_not_replayable');
      }
      // Listed before the transaction: a server of tools may take a while to answer.
      const tools = await chat.toolsFor(workspaceId, userId);
      const tool = tools.find((t) => t.name === operation.tool);
      if (!tool) throw new ChatError('tool_not_available');
      const { conversationId, turn } = await inTenantScope(request.em, workspaceId, async (em) => {
        let conversationId = request.body.conversationId ?? operation.conversationId;
        if (conversationId) {
          await getConversation(em, workspaceId, userId, conversationId);
        } else {
          conversationId = (
            await createConversation(em, {
              workspaceId,
              userId,
              title: `Replay: ${operation.toolTitle}`,
              flowId: null,
            })
          ).id;
        }
        const turn = await openTurn(request, em, {
          workspaceId,
          conversationId,
          userId,
          kind: 'replay',
          text: `Replay ${operation.toolTitle}`,
          data: { operationId },
        });
        await chat.replay(em, { turn, tool, arguments: operation.arguments, operationId }, (job) =>
          request.afterCommit(job),
        );
        return { conversationId, turn };
      });
      reply.code(202);
      return { conversationId, turn: turnView(turn) };
    },
  );
}
