import { createHash } from 'node:crypto';
import {
  type ActorContext,
  type Connections,
  type EntityManager,
  inTenantScope,
  isPmosError,
  type MikroORM,
  maskForRecord,
  membershipRole,
  type RateLimiter,
  recordAudit,
  scrubText,
  sql,
  systemActor,
  workspaceRoleGrants,
} from '@pmos/core';
import type { ModelMessage } from 'ai';
import type { FastifyBaseLogger } from 'fastify';
import type { PluginHost } from '../plugins/plugin-host.js';
import type { RunsRuntime } from '../runs/runtime.js';
import { type AgentLimits, driveTurn } from './agent.js';
import { ChatError } from './chat-errors.js';
import { type ModelResolver, pluginModelResolver } from './chat-model.js';
import {
  type ApprovalRow,
  approvalsOfTurn,
  type ChatEventRow,
  claimTurn,
  conversationFlow,
  decideApproval,
  getTurn,
  insertApproval,
  insertOperation,
  listTurns,
  type TurnRow,
  updateTurn,
} from './chat-store.js';
import { appendEvents, ChatBus, TraceWriter } from './chat-trace.js';
import { type ChatTool, riskOfCall, type ToolContext } from './tools/chat-tool.js';
import { builtinNeedsApproval, flowTools } from './tools/flow-tools.js';
import { pluginTools } from './tools/plugin-tools.js';
import { expandTools, RemoteToolLists } from './tools/remote-tools.js';
import { TurnWork } from './turn-work.js';

export interface ChatRuntimeOptions {
  orm: MikroORM;
  host: PluginHost;
  connections: Connections;
  limiter: RateLimiter;
  logger: FastifyBaseLogger;
  runs?: RunsRuntime;
  onFlowLifecycle?: (workspaceId: string, flowId: string) => Promise<void>;
  onFlowEdited?: (workspaceId: string, flowId: string) => void;
  /** Tests give a scripted model; by default the workspace's chosen AI connection. */
  modelResolver?: ModelResolver;
  maxSteps?: number;
  approvalTtlSeconds?: number;
  maxActiveTools?: number;
  /** How often approvals are expired and abandoned turns looked for. */
  sweepIntervalMs?: number;
  leaseSeconds?: number;
}

/** One replayed operation, waiting in a `replay` turn's messages for its approval. */
interface ReplayRecord {
  role: 'replay';
  operationId: string;
  tool: string;
  arguments: Record<string, unknown>;
  toolCallId: string;
}

/**
 * Runs the operator agent's turns in this process: starts them after their message is stored,
 * resumes them once their approvals are decided (in any process, after any restart), expires
 * approvals nobody decided (failing closed), and fails turns whose process died.
 */
export class ChatRuntime {
  readonly bus = new ChatBus();
  private readonly work: TurnWork;
  private readonly builtins: ChatTool[];
  private readonly resolveModel: ModelResolver;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | null = null;
  private readonly leaseSeconds: number;
  private readonly remoteLists: RemoteToolLists;

  constructor(private readonly options: ChatRuntimeOptions) {
    this.remoteLists = new RemoteToolLists(options);
    this.work = new TurnWork((error, turnId) =>
      options.logger.error({ err: error, turnId }, 'chat turn crashed outside its handler'),
    );
    this.builtins = flowTools({
      host: options.host,
      limiter: options.limiter,
      runtime: options.runs,
      ...(options.onFlowLifecycle ? { onFlowLifecycle: options.onFlowLifecycle } : {}),
      ...(options.onFlowEdited ? { onFlowEdited: options.onFlowEdited } : {}),
    });
    this.resolveModel =
      options.modelResolver ??
      pluginModelResolver({
        orm: options.orm,
        host: options.host,
        connections: options.connections,
      });
    this.leaseSeconds = options.leaseSeconds ?? 60;
  }

  start(): void {
    this.sweeper = setInterval(() => {
      if (!this.sweeping) {
        this.sweeping = this.sweep()
          .catch((error) => this.options.logger.error({ err: error }, 'chat sweep failed'))
          .finally(() => {
            this.sweeping = null;
          });
      }
    }, this.options.sweepIntervalMs ?? 5000);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping;
    await this.work.abortAll(new Error('server stopping'));
  }

  /** Sends events stored outside a turn's writer (by a request or the sweeper) to live streams. */
  publish(conversationId: string, events: readonly ChatEventRow[]): void {
    for (const event of events) this.bus.publish(conversationId, { kind: 'event', event });
  }

  /** Whether a turn is going in this process (tests and the SSE stream ask). */
  isActive(turnId: string): boolean {
    return this.work.has(turnId);
  }

  /** Waits for every turn this process runs now (tests). */
  async idle(): Promise<void> {
    await this.work.idle();
  }

  /** Starts a new turn whose row (status running, leased) and `turn.started` event are stored. */
  startTurn(turn: TurnRow): void {
    this.work.add(turn.id, (signal) => this.runAgent(turn, { kind: 'new' }, signal));
  }

  /** Goes on with a turn whose approvals are decided; does nothing if one is still pending. */
  resume(workspaceId: string, turnId: string): void {
    this.work.add(turnId, async (signal) => {
      const claimed = await this.inWorkspace(workspaceId, (em) =>
        claimTurn(em, turnId, 'awaiting_approval', this.leaseSeconds),
      );
      if (!claimed) return;
      const turn = await this.inWorkspace(workspaceId, (em) => getTurn(em, workspaceId, turnId));
      const approvals = await this.inWorkspace(workspaceId, (em) => approvalsOfTurn(em, turnId));
      const open = unresolvedApprovals(turn, approvals);
      if (open.some((a) => a.status === 'pending')) {
        await this.inWorkspace(workspaceId, (em) =>
          updateTurn(em, turnId, { status: 'awaiting_approval', leaseSeconds: null }),
        );
        return;
      }
      if (turn.kind === 'replay') await this.finishReplay(turn, open, signal);
      else await this.runAgent(turn, { kind: 'resume', approvals: open }, signal);
    });
  }

  /**
   * Replays an operation as a new turn: through the same approval gate as the agent's calls
   * (a write waits for a decision), without a model.
   */
  async replay(
    em: EntityManager,
    input: {
      turn: TurnRow;
      tool: ChatTool;
      arguments: Record<string, unknown>;
      operationId: string;
    },
    afterCommit: (job: () => Promise<void>) => void,
  ): Promise<void> {
    const { turn, tool } = input;
    const toolCallId = `replay-${input.operationId.slice(0, 8)}-${Date.now().toString(36)}`;
    const record: ReplayRecord = {
      role: 'replay',
      operationId: input.operationId,
      tool: tool.name,
      arguments: input.arguments,
      toolCallId,
    };
    await updateTurn(em, turn.id, { messages: [record] });
    const risk = await riskOfCall(tool, input.arguments);
    if (!(await this.needsApproval(tool, input.arguments))) {
      afterCommit(async () =>
        this.work.add(turn.id, (signal) =>
          this.finishReplay({ ...turn, messages: [record] }, [], signal),
        ),
      );
      return;
    }
    const approval = await insertApproval(em, {
      workspaceId: turn.workspaceId,
      conversationId: turn.conversationId,
      turnId: turn.id,
      approvalKey: toolCallId,
      toolCallId,
      tool: tool.name,
      toolTitle: tool.title,
      pluginId: tool.pluginId,
      pluginVersion: tool.pluginVersion,
      arguments: input.arguments,
      risk: risk === 'destructive' ? 'destructive' : 'write',
      requestedBy: turn.userId,
      ttlSeconds: this.options.approvalTtlSeconds ?? 900,
    });
    await updateTurn(em, turn.id, { status: 'awaiting_approval', leaseSeconds: null });
    const requested = await appendEvents(em, turn.workspaceId, turn.conversationId, [
      {
        turnId: turn.id,
        type: 'approval.requested',
        at: new Date().toISOString(),
        data: {
          approvalId: approval.id,
          toolCallId,
          tool: tool.name,
          title: tool.title,
          risk: approval.risk,
          arguments: maskForRecord(input.arguments, undefined),
          expiresAt: approval.expiresAt,
        },
      },
    ]);
    afterCommit(async () => this.publish(turn.conversationId, requested));
  }

  /**
   * The tools a person may use in a workspace now: built-ins, enabled plugins' actions, and the
   * tools of servers behind connections (asked once the short transaction that reads the
   * database is over: call it outside any transaction of your own).
   */
  async toolsFor(workspaceId: string, userId: string | null): Promise<ChatTool[]> {
    const offered = async (tx: EntityManager) => {
      const role = userId ? await membershipRole(tx, workspaceId, userId) : null;
      if (!role || !workspaceRoleGrants(role, 'chat.use')) return [];
      const plugins = await pluginTools(tx, workspaceId, {
        host: this.options.host,
        connections: this.options.connections,
        logger: this.options.logger,
        remoteLists: this.remoteLists,
      });
      return [...this.builtins, ...plugins].filter((t) => workspaceRoleGrants(role, t.permission));
    };
    return expandTools(await this.inWorkspace(workspaceId, offered));
  }

  async needsApproval(tool: ChatTool, args: Record<string, unknown>): Promise<boolean> {
    if (tool.group === 'flows') return builtinNeedsApproval(tool.name, args);
    return (await riskOfCall(tool, args)) !== 'read';
  }

  // ---- internals --------------------------------------------------------------------------

  private inWorkspace<T>(workspaceId: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return inTenantScope(this.options.orm.em.fork(), workspaceId, work);
  }

  private toolContext(turn: TurnRow, actor: ActorContext, signal: AbortSignal): ToolContext {
    return {
      workspaceId: turn.workspaceId,
      actor,
      signal,
      inWorkspace: async (work) => {
        const jobs: (() => Promise<void>)[] = [];
        const value = await this.inWorkspace(turn.workspaceId, (em) =>
          work(em, (job) => jobs.push(job)),
        );
        for (const job of jobs) {
          await job().catch((error) =>
            this.options.logger.error(
              { err: error, turnId: turn.id },
              'chat after-commit job failed',
            ),
          );
        }
        return value;
      },
    };
  }

  private async history(turn: TurnRow): Promise<ModelMessage[]> {
    const turns = await this.inWorkspace(turn.workspaceId, (em) =>
      listTurns(em, turn.conversationId),
    );
    return turns
      .filter((t) => t.id !== turn.id && t.kind === 'agent' && t.status === 'completed')
      .slice(-20)
      .flatMap((t) => t.messages as ModelMessage[]);
  }

  private async runAgent(
    turn: TurnRow,
    mode: { kind: 'new' } | { kind: 'resume'; approvals: ApprovalRow[] },
    signal: AbortSignal,
  ): Promise<void> {
    const { orm } = this.options;
    const writer = new TraceWriter(orm, this.bus, turn.workspaceId, turn.conversationId, turn.id);
    const renew = setInterval(
      () => {
        void this.inWorkspace(turn.workspaceId, (em) =>
          updateTurn(em, turn.id, { leaseSeconds: this.leaseSeconds }),
        ).catch(() => {});
      },
      (this.leaseSeconds * 1000) / 3,
    );
    renew.unref();
    const actor: ActorContext = { userId: turn.userId, kind: 'user' };
    let explain: ((error: unknown) => { code: string; message: string }) | undefined;
    try {
      const tools = await this.toolsFor(turn.workspaceId, turn.userId);
      if (tools.length === 0) {
        throw new ChatError('tool_not_available', {
          message: 'Your role in this workspace cannot use chat any more.',
        });
      }
      const resolved = await this.resolveModel(turn.workspaceId, signal);
      explain = resolved.explain;
      const history = await this.history(turn);
      const focus = await this.inWorkspace(turn.workspaceId, (em) =>
        conversationFlow(em, turn.conversationId),
      );
      let own = turn.messages as ModelMessage[];
      if (mode.kind === 'new') own = [{ role: 'user', content: turn.userText }];
      else {
        writer.emit('status', { state: 'resumed', text: 'Going on after the decision.' });
        own = [
          ...own,
          {
            role: 'tool',
            content: mode.approvals.map((a) => ({
              type: 'tool-approval-response' as const,
              approvalId: a.approvalKey,
              approved: a.status === 'approved',
              ...(a.status === 'approved' ? {} : { reason: denialText(a) }),
            })),
          },
        ];
      }
      await this.inWorkspace(turn.workspaceId, (em) =>
        updateTurn(em, turn.id, { provider: resolved.provider, model: resolved.modelId }),
      );
      const tokenLimit = await this.options.limiter.limitFor(
        'ai_tokens_per_day',
        `workspace:${turn.workspaceId}`,
      );
      const outcome = await driveTurn({
        orm,
        turn,
        actor,
        resolved,
        tools,
        needsApproval: (tool, args) => this.needsApproval(tool, args),
        messages: [...history, ...own],
        writer,
        limits: {
          maxSteps: this.options.maxSteps ?? 12,
          approvalTtlSeconds: this.options.approvalTtlSeconds ?? 900,
          maxActiveTools: this.options.maxActiveTools ?? 40,
          tokenLimit,
        } satisfies AgentLimits,
        signal,
        toolContext: this.toolContext(turn, actor, signal),
        focus,
      });
      const text = [turn.assistantText, outcome.assistantText].filter(Boolean).join('\n\n');
      const ownMessages = outcome.messages.slice(history.length);
      if (outcome.status === 'awaiting_approval') {
        await writer.flush();
        await this.inWorkspace(turn.workspaceId, (em) =>
          updateTurn(em, turn.id, {
            status: 'awaiting_approval',
            messages: ownMessages,
            assistantText: text,
            leaseSeconds: null,
          }),
        );
        // A decision may have come while the turn was still pausing: go on at once then.
        const approvals = await this.inWorkspace(turn.workspaceId, (em) =>
          approvalsOfTurn(em, turn.id),
        );
        const open = unresolvedApprovals({ ...turn, messages: ownMessages }, approvals);
        if (open.length > 0 && open.every((a) => a.status !== 'pending')) {
          queueMicrotask(() => this.resume(turn.workspaceId, turn.id));
        }
        return;
      }
      writer.emit('turn.finished', { status: 'completed' });
      await writer.flush();
      await this.inWorkspace(turn.workspaceId, (em) =>
        updateTurn(em, turn.id, {
          status: 'completed',
          messages: ownMessages,
          assistantText: text,
          leaseSeconds: null,
          finished: true,
        }),
      );
    } catch (error) {
      const failure = turnFailure(error, signal, explain);
      this.options.logger.warn({ turnId: turn.id, code: failure.code }, 'chat turn failed');
      await this.failTurn(turn, writer, failure).catch((e) =>
        this.options.logger.error({ err: e }, 'could not record a failed chat turn'),
      );
    } finally {
      clearInterval(renew);
    }
  }

  private async finishReplay(turn: TurnRow, approvals: ApprovalRow[], signal: AbortSignal) {
    const record = (turn.messages as ReplayRecord[])[0];
    const writer = new TraceWriter(
      this.options.orm,
      this.bus,
      turn.workspaceId,
      turn.conversationId,
      turn.id,
    );
    const actor: ActorContext = { userId: turn.userId, kind: 'user' };
    try {
      if (!record) throw new ChatError('operation_not_found');
      const decision = approvals[0];
      if (decision && decision.status !== 'approved') {
        writer.emit('tool.denied', {
          toolCallId: record.toolCallId,
          tool: record.tool,
          reason: denialText(decision),
        });
        writer.emit('summary', {
          text: `Not replayed: ${denialText(decision)}`,
          steps: 0,
          toolCalls: 0,
          inputTokens: 0,
          outputTokens: 0,
          latencyMs: 0,
          provider: null,
          model: null,
        });
      } else {
        const tools = await this.toolsFor(turn.workspaceId, turn.userId);
        const tool = tools.find((t) => t.name === record.tool);
        if (!tool) throw new ChatError('tool_not_available');
        writer.emit('tool.call', {
          toolCallId: record.toolCallId,
          tool: tool.name,
          title: tool.title,
          pluginId: tool.pluginId,
          risk: tool.risk,
          arguments: maskForRecord(record.arguments, undefined),
        });
        const started = performance.now();
        const base = {
          conversationId: turn.conversationId,
          turnId: turn.id,
          userId: turn.userId,
          tool: tool.name,
          toolTitle: tool.title,
          pluginId: tool.pluginId,
          pluginVersion: tool.pluginVersion,
          arguments: maskForRecord(record.arguments, undefined) as Record<string, unknown>,
          risk: tool.risk,
          model: null,
          replayOf: record.operationId,
        };
        try {
          const result = await tool.execute(
            record.arguments,
            this.toolContext(turn, actor, signal),
          );
          const durationMs = Math.round(performance.now() - started);
          await this.inWorkspace(turn.workspaceId, (em) =>
            insertOperation(em, turn.workspaceId, {
              ...base,
              outcome: 'succeeded',
              resultDigest: createHash('sha256')
                .update(JSON.stringify(result ?? null))
                .digest('hex'),
              error: null,
              durationMs,
            }),
          );
          writer.emit('tool.result', {
            toolCallId: record.toolCallId,
            tool: tool.name,
            result: maskForRecord(result, undefined),
            durationMs,
          });
          writer.emit('summary', {
            text: `Replayed ${tool.title}.`,
            steps: 0,
            toolCalls: 1,
            inputTokens: 0,
            outputTokens: 0,
            latencyMs: durationMs,
            provider: null,
            model: null,
          });
        } catch (error) {
          const failure = turnFailure(error, signal);
          await this.inWorkspace(turn.workspaceId, (em) =>
            insertOperation(em, turn.workspaceId, {
              ...base,
              outcome: 'failed',
              resultDigest: null,
              error: failure,
              durationMs: Math.round(performance.now() - started),
            }),
          );
          writer.emit('tool.error', { toolCallId: record.toolCallId, tool: tool.name, ...failure });
        }
      }
      writer.emit('turn.finished', { status: 'completed' });
      await writer.flush();
      await this.inWorkspace(turn.workspaceId, (em) =>
        updateTurn(em, turn.id, { status: 'completed', leaseSeconds: null, finished: true }),
      );
    } catch (error) {
      await this.failTurn(turn, writer, turnFailure(error, signal));
    }
  }

  /** Ends a turn as failed: the event in its trace, then its row. */
  private async failTurn(
    turn: TurnRow,
    writer: TraceWriter,
    failure: ReturnType<typeof turnFailure>,
  ): Promise<void> {
    writer.emit('turn.failed', failure);
    await writer.flush().catch(() => {});
    await this.inWorkspace(turn.workspaceId, (em) =>
      updateTurn(em, turn.id, {
        status: 'failed',
        error: failure,
        leaseSeconds: null,
        finished: true,
      }),
    );
  }

  /** Expires approvals past their time (failing closed) and deals with abandoned turns. */
  private async sweep(): Promise<void> {
    const em = this.options.orm.em.fork();
    const expired = await sql<{
      id: string;
      workspace_id: string;
      turn_id: string;
      conversation_id: string;
      tool_title: string;
    }>(
      em,
      `select id, workspace_id, turn_id, conversation_id, tool_title from chat_approval
       where status = 'pending' and expires_at <= now() order by expires_at limit 100`,
    );
    for (const row of expired) {
      try {
        const decided = await this.inWorkspace(row.workspace_id, async (tx) => {
          const approval = await decideApproval(tx, row.workspace_id, row.id, {
            status: 'expired',
            by: null,
            reason: null,
          });
          const events = await appendEvents(tx, row.workspace_id, row.conversation_id, [
            {
              turnId: row.turn_id,
              type: 'approval.decided',
              at: new Date().toISOString(),
              data: { approvalId: approval.id, decision: 'expired', by: null, reason: null },
            },
          ]);
          await recordAudit(tx, systemActor, {
            action: 'chat.approval.expire',
            outcome: 'success',
            workspaceId: row.workspace_id,
            targetType: 'chat_approval',
            targetId: approval.id,
            metadata: { tool: approval.tool, risk: approval.risk },
          });
          return events;
        });
        this.publish(row.conversation_id, decided);
        this.resume(row.workspace_id, row.turn_id);
      } catch (error) {
        if (!isPmosError(error)) throw error;
      }
    }
    // Turns whose process stopped answering: failed, honestly, so the person can ask again.
    const abandoned = await sql<{ id: string; workspace_id: string; conversation_id: string }>(
      em,
      `select id, workspace_id, conversation_id from chat_turn
       where status = 'running' and lease_until < now() limit 100`,
    );
    for (const row of abandoned) {
      if (this.work.has(row.id)) continue;
      const failed = await this.inWorkspace(row.workspace_id, async (tx) => {
        const rows = await sql(
          tx,
          `update chat_turn set status = 'failed', finished_at = now(), lease_until = null,
             error = ?::jsonb where id = ? and status = 'running' and lease_until < now() returning id`,
          [JSON.stringify(abandonedFailure), row.id],
        );
        if (rows.length === 0) return [];
        return appendEvents(tx, row.workspace_id, row.conversation_id, [
          {
            turnId: row.id,
            type: 'turn.failed',
            at: new Date().toISOString(),
            data: abandonedFailure,
          },
        ]);
      });
      this.publish(row.conversation_id, failed);
    }
    // Turns decided while no process could go on with them (a restart in between).
    const decided = await sql<{ id: string; workspace_id: string }>(
      em,
      `select t.id, t.workspace_id from chat_turn t
       where t.status = 'awaiting_approval' and t.lease_until is null
         and not exists (select 1 from chat_approval a where a.turn_id = t.id and a.status = 'pending')
       limit 100`,
    );
    for (const row of decided) if (!this.work.has(row.id)) this.resume(row.workspace_id, row.id);
  }
}

const abandonedFailure = {
  code: 'turn_abandoned',
  message: 'The server stopped while the agent was working on this message. Send it again.',
};

/** The approvals a paused turn waits on: requested in its last step and not answered yet. */
function unresolvedApprovals(turn: TurnRow, approvals: ApprovalRow[]): ApprovalRow[] {
  if (turn.kind === 'replay') return approvals;
  const answered = new Set<string>();
  const requested = new Set<string>();
  for (const message of turn.messages as ModelMessage[]) {
    if (typeof message.content === 'string') continue;
    for (const part of message.content as { type: string; [k: string]: unknown }[]) {
      if (part.type === 'tool-approval-request') requested.add(part.approvalId as string);
      if (part.type === 'tool-result') answered.add(part.toolCallId as string);
    }
  }
  return approvals.filter((a) => requested.has(a.approvalKey) && !answered.has(a.toolCallId));
}

function denialText(approval: ApprovalRow): string {
  if (approval.status === 'expired') {
    return 'Nobody approved this in time: the approval expired and nothing was done. Do not retry it unless asked.';
  }
  return `A person rejected this${approval.reason ? `: ${approval.reason}` : ''}. Nothing was done.`;
}

function turnFailure(
  error: unknown,
  signal: AbortSignal,
  explain?: (error: unknown) => { code: string; message: string },
): { code: string; message: string } {
  if (signal.aborted) {
    return {
      code: 'turn_interrupted',
      message: 'The server stopped during this turn. Send the message again.',
    };
  }
  if (isPmosError(error)) return { code: error.code, message: scrubText(error.message) };
  if (explain) {
    try {
      const explained = explain(error);
      return { code: explained.code, message: scrubText(explained.message) };
    } catch {
      // A plugin's explainer failing must not hide the failure itself.
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'model_failed',
    message: `The AI model could not answer: ${scrubText(message).slice(0, 500)}`,
  };
}
