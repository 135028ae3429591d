import { randomUUID } from 'node:crypto';
import { type EntityManager, PmosError, sql } from '@pmos/core';
import { ChatError } from './chat-errors.js';

/**
 * Chat's rows: settings, conversations, turns, trace events, approvals and operations. Every
 * function takes an entity manager already scoped to the workspace (row-level security), and
 * still filters by workspace, as every repository in PMOS does.
 */

export type Risk = 'read' | 'write' | 'destructive';
export type TurnStatus = 'running' | 'awaiting_approval' | 'completed' | 'failed';
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export interface ChatSettingsRow {
  connectionId: string | null;
  modelId: string | null;
  updatedAt: string | null;
}

export interface ConversationRow {
  id: string;
  workspaceId: string;
  userId: string;
  flowId: string | null;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface TurnRow {
  id: string;
  workspaceId: string;
  conversationId: string;
  userId: string | null;
  kind: 'agent' | 'replay';
  status: TurnStatus;
  userText: string;
  assistantText: string;
  messages: unknown[];
  provider: string | null;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  error: { code: string; message: string } | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface ChatEventRow {
  seq: number;
  turnId: string;
  type: string;
  data: Record<string, unknown>;
  at: string;
}

export interface ApprovalRow {
  id: string;
  workspaceId: string;
  conversationId: string;
  turnId: string;
  approvalKey: string;
  toolCallId: string;
  tool: string;
  toolTitle: string;
  pluginId: string | null;
  pluginVersion: string | null;
  arguments: Record<string, unknown>;
  risk: 'write' | 'destructive';
  status: ApprovalStatus;
  requestedBy: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  expiresAt: string;
  createdAt: string;
}

export interface OperationRow {
  id: string;
  conversationId: string | null;
  turnId: string | null;
  userId: string | null;
  tool: string;
  toolTitle: string;
  pluginId: string | null;
  pluginVersion: string | null;
  arguments: Record<string, unknown>;
  risk: Risk;
  outcome: 'succeeded' | 'failed';
  resultDigest: string | null;
  error: { code: string; message: string } | null;
  model: string | null;
  replayOf: string | null;
  durationMs: number;
  executedAt: string;
}

const iso = (value: unknown): string => new Date(value as string).toISOString();
const isoOrNull = (value: unknown): string | null => (value ? iso(value) : null);

// ---- cursors: (time, id) pairs, opaque to clients --------------------------------------

function encodeCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at))) {
      return [at, id];
    }
  } catch {}
  throw new PmosError(
    'invalid_cursor',
    'This list cursor is not valid: start again from the first page.',
    { status: 400 },
  );
}

/**
 * One page of a table, newest first by `timeColumn` then id: `filters` are column = value
 * conditions (undefined ones left out); `next` is the cursor of the following page.
 */
async function newestFirst<T extends { id: string }>(
  em: EntityManager,
  input: {
    table: 'chat_conversation' | 'chat_operation';
    timeColumn: 'updated_at' | 'executed_at';
    filters: Record<string, string | undefined>;
    cursor: string | undefined;
    limit: number;
    rowOf: (row: Record<string, unknown>) => T;
    timeOf: (item: T) => string;
  },
): Promise<{ data: T[]; next: string | null }> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of Object.entries(input.filters)) {
    if (value === undefined) continue;
    conditions.push(`${column} = ?`);
    params.push(value);
  }
  if (input.cursor) {
    const [at, id] = decodeCursor(input.cursor);
    conditions.push(`(${input.timeColumn}, id) < (?, ?)`);
    params.push(at, id);
  }
  const rows = await sql<Record<string, unknown>>(
    em,
    `select * from ${input.table} where ${conditions.join(' and ')}
     order by ${input.timeColumn} desc, id desc limit ?`,
    [...params, input.limit + 1],
  );
  const data = rows.slice(0, input.limit).map(input.rowOf);
  const last = data.at(-1);
  return {
    data,
    next: rows.length > input.limit && last ? encodeCursor(input.timeOf(last), last.id) : null,
  };
}

// ---- settings ---------------------------------------------------------------------------

export async function getChatSettings(
  em: EntityManager,
  workspaceId: string,
): Promise<ChatSettingsRow> {
  const [row] = await sql<Record<string, unknown>>(
    em,
    'select connection_id, model_id, updated_at from chat_settings where workspace_id = ?',
    [workspaceId],
  );
  return {
    connectionId: (row?.connection_id as string | null) ?? null,
    modelId: (row?.model_id as string | null) ?? null,
    updatedAt: isoOrNull(row?.updated_at),
  };
}

export async function putChatSettings(
  em: EntityManager,
  workspaceId: string,
  input: { connectionId: string | null; modelId: string | null },
  userId: string | null,
): Promise<void> {
  await sql(
    em,
    `insert into chat_settings (workspace_id, connection_id, model_id, updated_by) values (?, ?, ?, ?)
     on conflict (workspace_id) do update set connection_id = excluded.connection_id,
       model_id = excluded.model_id, updated_by = excluded.updated_by, updated_at = now()`,
    [workspaceId, input.connectionId, input.modelId, userId],
  );
}

// ---- conversations ----------------------------------------------------------------------

const conversationOf = (row: Record<string, unknown>): ConversationRow => ({
  id: row.id as string,
  workspaceId: row.workspace_id as string,
  userId: row.user_id as string,
  flowId: (row.flow_id as string | null) ?? null,
  title: row.title as string,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

export async function createConversation(
  em: EntityManager,
  input: { workspaceId: string; userId: string; title: string; flowId: string | null },
): Promise<ConversationRow> {
  const [row] = await sql<Record<string, unknown>>(
    em,
    `insert into chat_conversation (id, workspace_id, user_id, flow_id, title)
     values (?, ?, ?, ?, ?) returning *`,
    [randomUUID(), input.workspaceId, input.userId, input.flowId, input.title],
  );
  return conversationOf(row as Record<string, unknown>);
}

/** A user's own conversations, most recently active first. */
export async function listConversations(
  em: EntityManager,
  workspaceId: string,
  userId: string,
  options: { cursor?: string; limit: number; flowId?: string },
): Promise<{ data: ConversationRow[]; next: string | null }> {
  return newestFirst(em, {
    table: 'chat_conversation',
    timeColumn: 'updated_at',
    filters: { workspace_id: workspaceId, user_id: userId, flow_id: options.flowId },
    cursor: options.cursor,
    limit: options.limit,
    rowOf: conversationOf,
    timeOf: (c) => c.updatedAt,
  });
}

/** A conversation of this user; somebody else's is "not found", as if it did not exist. */
export async function getConversation(
  em: EntityManager,
  workspaceId: string,
  userId: string,
  id: string,
): Promise<ConversationRow> {
  const [row] = await sql<Record<string, unknown>>(
    em,
    'select * from chat_conversation where id = ? and workspace_id = ? and user_id = ?',
    [id, workspaceId, userId],
  );
  if (!row) throw new ChatError('conversation_not_found');
  return conversationOf(row);
}

/** The flow a conversation is about (as it is named now), or null: none, or since deleted. */
export async function conversationFlow(
  em: EntityManager,
  conversationId: string,
): Promise<{ flowId: string; displayName: string } | null> {
  const [row] = await sql<{ id: string; display_name: string }>(
    em,
    `select f.id, f.display_name from chat_conversation c join flow f on f.id = c.flow_id
     where c.id = ?`,
    [conversationId],
  );
  return row ? { flowId: row.id, displayName: row.display_name } : null;
}

export async function touchConversation(em: EntityManager, id: string): Promise<void> {
  await sql(em, 'update chat_conversation set updated_at = now() where id = ?', [id]);
}

export async function deleteConversation(
  em: EntityManager,
  workspaceId: string,
  userId: string,
  id: string,
): Promise<void> {
  const rows = await sql(
    em,
    'delete from chat_conversation where id = ? and workspace_id = ? and user_id = ? returning id',
    [id, workspaceId, userId],
  );
  if (rows.length === 0) throw new ChatError('conversation_not_found');
}

// ---- turns ------------------------------------------------------------------------------

const turnOf = (row: Record<string, unknown>): TurnRow => ({
  id: row.id as string,
  workspaceId: row.workspace_id as string,
  conversationId: row.conversation_id as string,
  userId: (row.user_id as string | null) ?? null,
  kind: row.kind as TurnRow['kind'],
  status: row.status as TurnStatus,
  userText: row.user_text as string,
  assistantText: row.assistant_text as string,
  messages: row.messages as unknown[],
  provider: (row.provider as string | null) ?? null,
  model: (row.model as string | null) ?? null,
  inputTokens: Number(row.input_tokens),
  outputTokens: Number(row.output_tokens),
  error: (row.error as TurnRow['error']) ?? null,
  startedAt: iso(row.started_at),
  finishedAt: isoOrNull(row.finished_at),
});

/** Starts a turn, unless one of this conversation is still going (one at a time). */
export async function insertTurn(
  em: EntityManager,
  input: {
    workspaceId: string;
    conversationId: string;
    userId: string | null;
    kind: TurnRow['kind'];
    userText: string;
    leaseSeconds: number;
  },
): Promise<TurnRow> {
  // Serialises turn starts of one conversation: the row lock is held to the commit.
  await sql(em, 'select id from chat_conversation where id = ? for update', [input.conversationId]);
  const [busy] = await sql(
    em,
    `select id from chat_turn where conversation_id = ? and status in ('running', 'awaiting_approval')`,
    [input.conversationId],
  );
  if (busy) throw new ChatError('turn_in_progress');
  const [row] = await sql<Record<string, unknown>>(
    em,
    `insert into chat_turn (id, workspace_id, conversation_id, user_id, kind, user_text, lease_until)
     values (?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?)) returning *`,
    [
      randomUUID(),
      input.workspaceId,
      input.conversationId,
      input.userId,
      input.kind,
      input.userText,
      input.leaseSeconds,
    ],
  );
  await touchConversation(em, input.conversationId);
  return turnOf(row as Record<string, unknown>);
}

export async function getTurn(
  em: EntityManager,
  workspaceId: string,
  id: string,
): Promise<TurnRow> {
  const [row] = await sql<Record<string, unknown>>(
    em,
    'select * from chat_turn where id = ? and workspace_id = ?',
    [id, workspaceId],
  );
  if (!row) throw new ChatError('conversation_not_found');
  return turnOf(row);
}

export async function listTurns(em: EntityManager, conversationId: string): Promise<TurnRow[]> {
  const rows = await sql<Record<string, unknown>>(
    em,
    'select * from chat_turn where conversation_id = ? order by started_at, id',
    [conversationId],
  );
  return rows.map(turnOf);
}

export interface TurnPatch {
  status?: TurnStatus;
  assistantText?: string;
  messages?: unknown[];
  provider?: string | null;
  model?: string | null;
  addInputTokens?: number;
  addOutputTokens?: number;
  error?: { code: string; message: string } | null;
  /** Seconds from now this process keeps the turn; null releases it. */
  leaseSeconds?: number | null;
  finished?: boolean;
}

export async function updateTurn(em: EntityManager, id: string, patch: TurnPatch): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (column: string, value: unknown, cast = '') => {
    sets.push(`${column} = ?${cast}`);
    params.push(value);
  };
  if (patch.status !== undefined) set('status', patch.status);
  if (patch.assistantText !== undefined) set('assistant_text', patch.assistantText);
  if (patch.messages !== undefined) set('messages', JSON.stringify(patch.messages), '::jsonb');
  if (patch.provider !== undefined) set('provider', patch.provider);
  if (patch.model !== undefined) set('model', patch.model);
  if (patch.addInputTokens) {
    sets.push('input_tokens = input_tokens + ?');
    params.push(patch.addInputTokens);
  }
  if (patch.addOutputTokens) {
    sets.push('output_tokens = output_tokens + ?');
    params.push(patch.addOutputTokens);
  }
  if (patch.error !== undefined) {
    set('error', patch.error === null ? null : JSON.stringify(patch.error), '::jsonb');
  }
  if (patch.leaseSeconds === null) sets.push('lease_until = null');
  else if (patch.leaseSeconds !== undefined) {
    sets.push('lease_until = now() + make_interval(secs => ?)');
    params.push(patch.leaseSeconds);
  }
  if (patch.finished) sets.push('finished_at = now()');
  if (sets.length === 0) return;
  await sql(em, `update chat_turn set ${sets.join(', ')} where id = ?`, [...params, id]);
}

/**
 * Claims a turn for this process: it must be in `from` and not leased by a live process.
 * Returns false when another process got it first (or it is no longer there to take).
 */
export async function claimTurn(
  em: EntityManager,
  id: string,
  from: TurnStatus,
  leaseSeconds: number,
): Promise<boolean> {
  const rows = await sql(
    em,
    `update chat_turn set status = 'running', lease_until = now() + make_interval(secs => ?)
     where id = ? and status = ? and (lease_until is null or lease_until < now()) returning id`,
    [leaseSeconds, id, from],
  );
  return rows.length > 0;
}

// ---- trace events -----------------------------------------------------------------------

export async function lastEventSeq(em: EntityManager, conversationId: string): Promise<number> {
  const [row] = await sql<{ seq: number | null }>(
    em,
    'select max(seq) as seq from chat_event where conversation_id = ?',
    [conversationId],
  );
  return Number(row?.seq ?? 0);
}

export async function insertEvents(
  em: EntityManager,
  workspaceId: string,
  conversationId: string,
  events: readonly ChatEventRow[],
): Promise<void> {
  if (events.length === 0) return;
  const values = events.map(() => '(?, ?, ?, ?, ?, ?::jsonb, ?)').join(', ');
  await sql(
    em,
    `insert into chat_event (conversation_id, seq, workspace_id, turn_id, type, data, at) values ${values}`,
    events.flatMap((e) => [
      conversationId,
      e.seq,
      workspaceId,
      e.turnId,
      e.type,
      JSON.stringify(e.data),
      e.at,
    ]),
  );
}

export async function eventsAfter(
  em: EntityManager,
  conversationId: string,
  afterSeq: number,
  limit = 5000,
): Promise<ChatEventRow[]> {
  const rows = await sql<Record<string, unknown>>(
    em,
    `select seq, turn_id, type, data, at from chat_event
     where conversation_id = ? and seq > ? order by seq limit ?`,
    [conversationId, afterSeq, limit],
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    turnId: row.turn_id as string,
    type: row.type as string,
    data: row.data as Record<string, unknown>,
    at: iso(row.at),
  }));
}

// ---- approvals --------------------------------------------------------------------------

const approvalOf = (row: Record<string, unknown>): ApprovalRow => ({
  id: row.id as string,
  workspaceId: row.workspace_id as string,
  conversationId: row.conversation_id as string,
  turnId: row.turn_id as string,
  approvalKey: row.approval_key as string,
  toolCallId: row.tool_call_id as string,
  tool: row.tool as string,
  toolTitle: row.tool_title as string,
  pluginId: (row.plugin_id as string | null) ?? null,
  pluginVersion: (row.plugin_version as string | null) ?? null,
  arguments: row.arguments as Record<string, unknown>,
  risk: row.risk as ApprovalRow['risk'],
  status: row.status as ApprovalStatus,
  requestedBy: (row.requested_by as string | null) ?? null,
  decidedBy: (row.decided_by as string | null) ?? null,
  decidedAt: isoOrNull(row.decided_at),
  reason: (row.reason as string | null) ?? null,
  expiresAt: iso(row.expires_at),
  createdAt: iso(row.created_at),
});

export async function insertApproval(
  em: EntityManager,
  input: Omit<
    ApprovalRow,
    'id' | 'status' | 'decidedBy' | 'decidedAt' | 'reason' | 'createdAt' | 'expiresAt'
  > & { ttlSeconds: number },
): Promise<ApprovalRow> {
  const [row] = await sql<Record<string, unknown>>(
    em,
    `insert into chat_approval (id, workspace_id, conversation_id, turn_id, approval_key, tool_call_id,
       tool, tool_title, plugin_id, plugin_version, arguments, risk, requested_by, expires_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, now() + make_interval(secs => ?))
     returning *`,
    [
      randomUUID(),
      input.workspaceId,
      input.conversationId,
      input.turnId,
      input.approvalKey,
      input.toolCallId,
      input.tool,
      input.toolTitle,
      input.pluginId,
      input.pluginVersion,
      JSON.stringify(input.arguments),
      input.risk,
      input.requestedBy,
      input.ttlSeconds,
    ],
  );
  return approvalOf(row as Record<string, unknown>);
}

export async function getApproval(
  em: EntityManager,
  workspaceId: string,
  id: string,
): Promise<ApprovalRow> {
  const [row] = await sql<Record<string, unknown>>(
    em,
    'select * from chat_approval where id = ? and workspace_id = ?',
    [id, workspaceId],
  );
  if (!row) throw new ChatError('approval_not_found');
  return approvalOf(row);
}

export async function approvalsOfTurn(em: EntityManager, turnId: string): Promise<ApprovalRow[]> {
  const rows = await sql<Record<string, unknown>>(
    em,
    'select * from chat_approval where turn_id = ? order by created_at, id',
    [turnId],
  );
  return rows.map(approvalOf);
}

export async function listApprovals(
  em: EntityManager,
  workspaceId: string,
  options: { status?: ApprovalStatus; conversationId?: string; limit: number },
): Promise<ApprovalRow[]> {
  const params: unknown[] = [workspaceId];
  let where = 'workspace_id = ?';
  if (options.status) {
    where += ' and status = ?';
    params.push(options.status);
  }
  if (options.conversationId) {
    where += ' and conversation_id = ?';
    params.push(options.conversationId);
  }
  const rows = await sql<Record<string, unknown>>(
    em,
    `select * from chat_approval where ${where} order by created_at desc, id desc limit ?`,
    [...params, options.limit],
  );
  return rows.map(approvalOf);
}

/**
 * Records a decision on a pending approval. Past its expiry the approval can only expire:
 * a late "approve" is refused (fails closed), whoever sends it.
 */
export async function decideApproval(
  em: EntityManager,
  workspaceId: string,
  id: string,
  decision: {
    status: 'approved' | 'rejected' | 'expired';
    by: string | null;
    reason: string | null;
  },
): Promise<ApprovalRow> {
  const expiredClause =
    decision.status === 'expired' ? 'expires_at <= now()' : 'expires_at > now()';
  const [row] = await sql<Record<string, unknown>>(
    em,
    `update chat_approval set status = ?, decided_by = ?, decided_at = now(), reason = ?
     where id = ? and workspace_id = ? and status = 'pending' and ${expiredClause} returning *`,
    [decision.status, decision.by, decision.reason, id, workspaceId],
  );
  if (row) return approvalOf(row);
  const current = await getApproval(em, workspaceId, id);
  if (current.status !== 'pending') throw new ChatError('approval_already_decided');
  throw new ChatError('approval_expired');
}

// ---- operations -------------------------------------------------------------------------

const operationOf = (row: Record<string, unknown>): OperationRow => ({
  id: row.id as string,
  conversationId: (row.conversation_id as string | null) ?? null,
  turnId: (row.turn_id as string | null) ?? null,
  userId: (row.user_id as string | null) ?? null,
  tool: row.tool as string,
  toolTitle: row.tool_title as string,
  pluginId: (row.plugin_id as string | null) ?? null,
  pluginVersion: (row.plugin_version as string | null) ?? null,
  arguments: row.arguments as Record<string, unknown>,
  risk: row.risk as Risk,
  outcome: row.outcome as OperationRow['outcome'],
  resultDigest: (row.result_digest as string | null) ?? null,
  error: (row.error as OperationRow['error']) ?? null,
  model: (row.model as string | null) ?? null,
  replayOf: (row.replay_of as string | null) ?? null,
  durationMs: Number(row.duration_ms),
  executedAt: iso(row.executed_at),
});

export async function insertOperation(
  em: EntityManager,
  workspaceId: string,
  input: Omit<OperationRow, 'id' | 'executedAt'>,
): Promise<OperationRow> {
  const [row] = await sql<Record<string, unknown>>(
    em,
    `insert into chat_operation (id, workspace_id, conversation_id, turn_id, user_id, tool, tool_title,
       plugin_id, plugin_version, arguments, risk, outcome, result_digest, error, model, replay_of, duration_ms)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?, ?) returning *`,
    [
      randomUUID(),
      workspaceId,
      input.conversationId,
      input.turnId,
      input.userId,
      input.tool,
      input.toolTitle,
      input.pluginId,
      input.pluginVersion,
      JSON.stringify(input.arguments),
      input.risk,
      input.outcome,
      input.resultDigest,
      input.error ? JSON.stringify(input.error) : null,
      input.model,
      input.replayOf,
      input.durationMs,
    ],
  );
  return operationOf(row as Record<string, unknown>);
}

export async function getOperation(
  em: EntityManager,
  workspaceId: string,
  id: string,
): Promise<OperationRow> {
  const [row] = await sql<Record<string, unknown>>(
    em,
    'select * from chat_operation where id = ? and workspace_id = ?',
    [id, workspaceId],
  );
  if (!row) throw new ChatError('operation_not_found');
  return operationOf(row);
}

export async function listOperations(
  em: EntityManager,
  workspaceId: string,
  options: { cursor?: string; limit: number; conversationId?: string },
): Promise<{ data: OperationRow[]; next: string | null }> {
  return newestFirst(em, {
    table: 'chat_operation',
    timeColumn: 'executed_at',
    filters: { workspace_id: workspaceId, conversation_id: options.conversationId },
    cursor: options.cursor,
    limit: options.limit,
    rowOf: operationOf,
    timeOf: (o) => o.executedAt,
  });
}
