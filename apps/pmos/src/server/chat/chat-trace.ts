import { type EntityManager, inTenantScope, type MikroORM, sql } from '@pmos/core';
import { type ChatEventRow, insertEvents } from './chat-store.js';

/**
 * The trace of a turn, identical in shape whatever the model or provider:
 * - `turn.started` {text, kind}; `status` {state, text}; `step.started` {step};
 * - `plan` {text}: what the model said in a step before calling tools;
 * - `message` {text}: its answer (the text of a step with no tool call);
 * - `tool.call` {toolCallId, tool, title, pluginId, risk, arguments};
 * - `tool.result` {toolCallId, tool, result, durationMs}; `tool.error` {toolCallId, tool, code, message};
 * - `tool.denied` {toolCallId, tool, reason};
 * - `approval.requested` {approvalId, toolCallId, tool, title, risk, arguments, expiresAt};
 * - `approval.decided` {approvalId, decision, by, reason};
 * - `usage` {provider, model, step, inputTokens, outputTokens, latencyMs};
 * - `summary` {text, steps, toolCalls, inputTokens, outputTokens, latencyMs, provider, model};
 * - `turn.finished` {status}; `turn.failed` {code, message}.
 * Text as it streams is sent live as deltas, not stored: the step's whole text is.
 */
export type TraceEventType =
  | 'turn.started'
  | 'status'
  | 'step.started'
  | 'plan'
  | 'message'
  | 'tool.call'
  | 'tool.result'
  | 'tool.error'
  | 'tool.denied'
  | 'approval.requested'
  | 'approval.decided'
  | 'usage'
  | 'summary'
  | 'turn.finished'
  | 'turn.failed';

export type ChatLiveMessage =
  | { kind: 'event'; event: ChatEventRow }
  | { kind: 'delta'; turnId: string; text: string };

type Listener = (message: ChatLiveMessage) => void;

/** This process's live feed of conversations: SSE streams subscribe, turn writers publish. */
export class ChatBus {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(conversationId: string, listener: Listener): () => void {
    let set = this.listeners.get(conversationId);
    if (!set) {
      set = new Set();
      this.listeners.set(conversationId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(conversationId);
    };
  }

  publish(conversationId: string, message: ChatLiveMessage): void {
    for (const listener of this.listeners.get(conversationId) ?? []) listener(message);
  }
}

/**
 * Appends events to a conversation's trace in one transaction: the next sequence numbers are
 * taken under a per-conversation lock, so writers in any process never collide.
 */
export async function appendEvents(
  em: EntityManager,
  workspaceId: string,
  conversationId: string,
  events: readonly {
    turnId: string;
    type: TraceEventType;
    data: Record<string, unknown>;
    at: string;
  }[],
): Promise<ChatEventRow[]> {
  await sql(em, 'select pg_advisory_xact_lock(hashtext(?))', [`chat:${conversationId}`]);
  const [row] = await sql<{ seq: number | null }>(
    em,
    'select max(seq) as seq from chat_event where conversation_id = ?',
    [conversationId],
  );
  let seq = Number(row?.seq ?? 0);
  const rows = events.map((e) => ({ ...e, seq: ++seq }));
  await insertEvents(em, workspaceId, conversationId, rows);
  return rows;
}

/**
 * A turn's trace writer: `emit` returns at once; events are stored in order, in batches (one
 * transaction per batch), and published live once stored, with their sequence numbers.
 */
export class TraceWriter {
  private pending: {
    turnId: string;
    type: TraceEventType;
    data: Record<string, unknown>;
    at: string;
  }[] = [];
  private flushing: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly bus: ChatBus,
    readonly workspaceId: string,
    readonly conversationId: string,
    readonly turnId: string,
  ) {}

  emit(type: TraceEventType, data: Record<string, unknown>): void {
    this.pending.push({ turnId: this.turnId, type, data, at: new Date().toISOString() });
    if (!this.flushing) this.flushing = this.drain();
  }

  delta(text: string): void {
    this.bus.publish(this.conversationId, { kind: 'delta', turnId: this.turnId, text });
  }

  /** Waits until every emitted event is stored; throws if storing failed. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.failure) throw this.failure;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        const stored = await inTenantScope(this.orm.em.fork(), this.workspaceId, (em) =>
          appendEvents(em, this.workspaceId, this.conversationId, batch),
        );
        for (const event of stored) {
          this.bus.publish(this.conversationId, {
            kind: 'event',
            event: {
              seq: event.seq,
              turnId: event.turnId,
              type: event.type,
              data: event.data,
              at: event.at,
            },
          });
        }
      }
    } catch (error) {
      this.failure ??= error;
    } finally {
      this.flushing = null;
    }
  }
}
