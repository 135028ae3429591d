import { createHash } from 'node:crypto';
import {
  type ActorContext,
  consumeQuota,
  inTenantScope,
  isPmosError,
  type MikroORM,
  maskForRecord,
  scrubText,
} from '@pmos/core';
import {
  jsonSchema,
  type ModelMessage,
  type StopCondition,
  stepCountIs,
  streamText,
  type Tool,
  tool,
} from 'ai';
import type { ResolvedModel } from './chat-model.js';
import { insertApproval, insertOperation, type TurnRow } from './chat-store.js';
import type { TraceWriter } from './chat-trace.js';
import { type ChatTool, riskOfCall, type ToolContext } from './tools/chat-tool.js';

export interface AgentLimits {
  /** Model calls per turn (each may call tools). */
  maxSteps: number;
  /** How long an approval waits for a decision before it fails closed. */
  approvalTtlSeconds: number;
  /** At most this many tools are offered at once; beyond, the model finds them with find_tools. */
  maxActiveTools: number;
  /** The daily AI token quota of the workspace (checked after each step). */
  tokenLimit: number;
}

export interface TurnOutcome {
  status: 'completed' | 'awaiting_approval';
  messages: ModelMessage[];
  assistantText: string;
}

const systemPrompt = `You are the PMOS operator agent. You help people of one workspace build, change and run automations (flows) and use their connected tools.
- Start by saying in one short sentence what you will do, then call tools. Never invent ids: read them with list tools first.
- Build flows with list_step_types, then create_flow / edit_flow. Publishing, enabling, deleting and running flows, and tools that write or delete, wait for a person's approval: ask for them when the request needs them; if one is rejected or expires, say so and do not retry it.
- Keep answers short and concrete; name what you changed.`;

/** Tells the model which flow "this flow", "add a step" and "publish it" mean. */
export function focusPrompt(focus: { flowId: string; displayName: string }): string {
  return `\n- This conversation is about the flow ${JSON.stringify(focus.displayName)} (flowId ${focus.flowId}): unless the person names another flow, their requests are about this one. Read it with get_flow before you edit it, and change it with edit_flow.`;
}

/** A JSON value small enough for a model's context or a trace event. */
function bounded(value: unknown, maxChars: number): unknown {
  const text = JSON.stringify(value ?? null);
  if (text.length <= maxChars) return value ?? null;
  return { $truncated: true, bytes: text.length, preview: text.slice(0, maxChars) };
}

function digest(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value ?? null))
    .digest('hex');
}

function errorOf(error: unknown): { code: string; message: string } {
  if (isPmosError(error)) return { code: error.code, message: scrubText(error.message) };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'tool_failed', message: scrubText(message).slice(0, 2000) };
}

type ToolResultOutput =
  | { type: 'json'; value: never }
  | { type: 'error-text'; value: string }
  | { type: 'execution-denied'; reason: string | undefined };

/**
 * Replaces the approval responses of a conversation with the results they led to: stored
 * this way, a conversation never asks the SDK to run an approved call a second time.
 */
export function settleApprovalResponses(
  messages: ModelMessage[],
  settled: ReadonlyMap<string, ToolResultOutput>,
): ModelMessage[] {
  const callOf = new Map<string, { toolCallId: string; toolName: string }>();
  const answered = new Set<string>();
  for (const message of messages) {
    if (typeof message.content === 'string') continue;
    for (const part of message.content as { type: string; [k: string]: unknown }[]) {
      if (part.type === 'tool-result') answered.add(part.toolCallId as string);
    }
  }
  for (const message of messages) {
    if (message.role !== 'assistant' || typeof message.content === 'string') continue;
    const names = new Map<string, string>();
    for (const part of message.content) {
      if (part.type === 'tool-call') names.set(part.toolCallId, part.toolName);
    }
    for (const part of message.content) {
      if (part.type === 'tool-approval-request') {
        callOf.set(part.approvalId, {
          toolCallId: part.toolCallId,
          toolName: names.get(part.toolCallId) ?? 'unknown',
        });
      }
    }
  }
  const result: ModelMessage[] = [];
  for (const message of messages) {
    if (message.role !== 'tool') {
      result.push(message);
      continue;
    }
    const content: unknown[] = [];
    for (const part of message.content) {
      if (part.type !== 'tool-approval-response') {
        content.push(part);
        continue;
      }
      const call = callOf.get(part.approvalId);
      if (!call || answered.has(call.toolCallId)) continue;
      const output: ToolResultOutput =
        settled.get(call.toolCallId) ??
        (part.approved
          ? { type: 'error-text', value: 'The call was approved but did not run.' }
          : { type: 'execution-denied', reason: part.reason });
      content.push({
        type: 'tool-result',
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        output,
      });
      answered.add(call.toolCallId);
    }
    if (content.length > 0) result.push({ role: 'tool', content: content as never });
  }
  return result;
}

export interface DriveInput {
  orm: MikroORM;
  turn: TurnRow;
  actor: ActorContext;
  resolved: ResolvedModel;
  tools: ChatTool[];
  needsApproval: (tool: ChatTool, args: Record<string, unknown>) => Promise<boolean>;
  /** The conversation so far, ending with this turn's user message or approval responses. */
  messages: ModelMessage[];
  writer: TraceWriter;
  limits: AgentLimits;
  signal: AbortSignal;
  toolContext: ToolContext;
  /** The flow the conversation is about (opened from its Studio), if any. */
  focus?: { flowId: string; displayName: string } | null;
}

/**
 * Drives one turn of the operator agent until it answers, runs out of steps, or stops for
 * approvals. Every tool call that runs leaves an operation record; every step its usage.
 */
export async function driveTurn(input: DriveInput): Promise<TurnOutcome> {
  const { turn, writer, resolved, limits, orm } = input;

  const byName = new Map(input.tools.map((t) => [t.name, t]));
  const started = performance.now();
  let stepStarted = started;
  let stepIndex = 0;
  let stepText = '';
  let stepHadTools = false;
  let answer = '';
  let toolCalls = 0;
  let quotaExhausted = false;
  const callStarted = new Map<string, number>();
  const calls = new Map<string, { tool: ChatTool; args: Record<string, unknown> }>();

  // Tool selection: all of them when few; else the built-ins and those the model found.
  const activated = new Set<string>();
  for (const message of input.messages) {
    if (message.role !== 'assistant' || typeof message.content === 'string') continue;
    for (const part of message.content) if (part.type === 'tool-call') activated.add(part.toolName);
  }
  const selecting = input.tools.length > limits.maxActiveTools;

  const tools: Record<string, Tool> = {};
  for (const chatTool of input.tools) {
    tools[chatTool.name] = tool({
      description: chatTool.description,
      inputSchema: jsonSchema(chatTool.inputSchema),
      execute: async (args: Record<string, unknown>, options: { toolCallId: string }) =>
        executeRecorded(chatTool, args, options.toolCallId),
    });
  }
  if (selecting) {
    tools.find_tools = tool({
      description:
        'Find more tools by what they do (e.g. "basecamp todo"): the best matches become available for your next step.',
      inputSchema: jsonSchema({
        type: 'object',
        properties: { query: { type: 'string' } },
        required: ['query'],
      }),
      execute: async (args: { query: string }) => {
        const words = args.query.toLowerCase().split(/\W+/).filter(Boolean);
        const found = input.tools
          .filter((t) => t.group !== 'flows')
          .map((t) => ({
            t,
            score: words.filter((w) =>
              `${t.name} ${t.title} ${t.description}`.toLowerCase().includes(w),
            ).length,
          }))
          .filter((m) => m.score > 0)
          .sort((a, b) => b.score - a.score)
          .slice(0, 8);
        for (const m of found) activated.add(m.t.name);
        return found.map((m) => ({
          name: m.t.name,
          title: m.t.title,
          description: m.t.description,
        }));
      },
    });
  }

  async function executeRecorded(
    chatTool: ChatTool,
    args: Record<string, unknown>,
    toolCallId: string,
  ) {
    const begun = performance.now();
    const base = {
      conversationId: turn.conversationId,
      turnId: turn.id,
      userId: turn.userId,
      tool: chatTool.name,
      toolTitle: chatTool.title,
      pluginId: chatTool.pluginId,
      pluginVersion: chatTool.pluginVersion,
      arguments: maskForRecord(args, undefined) as Record<string, unknown>,
      risk: chatTool.risk,
      model: resolved.modelId,
      replayOf: null,
    };
    try {
      const result = await chatTool.execute(args, input.toolContext);
      const durationMs = Math.round(performance.now() - begun);
      await inTenantScope(orm.em.fork(), turn.workspaceId, (em) =>
        insertOperation(em, turn.workspaceId, {
          ...base,
          outcome: 'succeeded',
          resultDigest: digest(result),
          error: null,
          durationMs,
        }),
      );
      callStarted.set(toolCallId, begun);
      return bounded(maskForRecord(result, undefined), 32_000);
    } catch (error) {
      const failure = errorOf(error);
      await inTenantScope(orm.em.fork(), turn.workspaceId, (em) =>
        insertOperation(em, turn.workspaceId, {
          ...base,
          outcome: 'failed',
          resultDigest: null,
          error: failure,
          durationMs: Math.round(performance.now() - begun),
        }),
      );
      callStarted.set(toolCallId, begun);
      throw new Error(`${failure.code}: ${failure.message}`);
    }
  }

  const quotaStop: StopCondition<typeof tools> = () => quotaExhausted;
  writer.emit('status', { state: 'thinking', text: 'Thinking…' });
  const result = streamText({
    model: resolved.model,
    system: input.focus ? systemPrompt + focusPrompt(input.focus) : systemPrompt,
    messages: input.messages,
    tools,
    stopWhen: [stepCountIs(limits.maxSteps), quotaStop],
    abortSignal: input.signal,
    maxRetries: 1,
    // Failures arrive as `error` parts and end the turn with an explanation; not console noise.
    onError: () => {},
    toolApproval: async ({ toolCall }) => {
      const chatTool = byName.get(toolCall.toolName);
      if (!chatTool) return 'not-applicable';
      return (await input.needsApproval(chatTool, toolCall.input as Record<string, unknown>))
        ? 'user-approval'
        : 'not-applicable';
    },
    ...(selecting
      ? {
          prepareStep: () => ({
            activeTools: [
              ...input.tools
                .filter((t) => t.group === 'flows' || activated.has(t.name))
                .map((t) => t.name),
              'find_tools',
            ],
          }),
        }
      : {}),
  });

  const approvals: { approvalId: string; toolCallId: string }[] = [];
  // Results of calls approved in an earlier segment: the SDK runs them first, and they replace
  // the approval responses in the stored conversation (so nothing runs twice).
  const settled = new Map<string, ToolResultOutput>();
  let failure: unknown = null;
  for await (const part of result.fullStream) {
    switch (part.type) {
      case 'start-step':
        stepIndex++;
        stepStarted = performance.now();
        stepText = '';
        stepHadTools = false;
        writer.emit('step.started', { step: stepIndex });
        break;
      case 'text-delta':
        stepText += part.text;
        writer.delta(part.text);
        break;
      case 'tool-call': {
        stepHadTools = true;
        toolCalls++;
        const chatTool = byName.get(part.toolName);
        const args = (part.input ?? {}) as Record<string, unknown>;
        if (chatTool) calls.set(part.toolCallId, { tool: chatTool, args });
        writer.emit('tool.call', {
          toolCallId: part.toolCallId,
          tool: part.toolName,
          title: chatTool?.title ?? part.toolName,
          pluginId: chatTool?.pluginId ?? null,
          risk: chatTool?.risk ?? 'read',
          arguments: bounded(maskForRecord(args, undefined), 16_000),
        });
        writer.emit('status', {
          state: 'calling_tool',
          text: `Calling ${chatTool?.title ?? part.toolName}…`,
        });
        break;
      }
      case 'tool-result':
        if (!calls.has(part.toolCallId)) {
          settled.set(part.toolCallId, { type: 'json', value: part.output as never });
        }
        writer.emit('tool.result', {
          toolCallId: part.toolCallId,
          tool: part.toolName,
          result: bounded(part.output, 16_000),
          durationMs: Math.round(
            performance.now() - (callStarted.get(part.toolCallId) ?? performance.now()),
          ),
        });
        break;
      case 'tool-error': {
        const message = part.error instanceof Error ? part.error.message : String(part.error);
        const [code, ...rest] = message.split(': ');
        if (!calls.has(part.toolCallId))
          settled.set(part.toolCallId, { type: 'error-text', value: message });
        writer.emit('tool.error', {
          toolCallId: part.toolCallId,
          tool: part.toolName,
          code: rest.length > 0 ? code : 'tool_failed',
          message: scrubText(rest.length > 0 ? rest.join(': ') : message),
        });
        break;
      }
      case 'tool-output-denied':
        writer.emit('tool.denied', { toolCallId: part.toolCallId, tool: part.toolName });
        break;
      case 'tool-approval-request': {
        const call = calls.get(part.toolCall.toolCallId);
        if (!call) break;
        const risk = await riskOfCall(call.tool, call.args);
        const approval = await inTenantScope(orm.em.fork(), turn.workspaceId, (em) =>
          insertApproval(em, {
            workspaceId: turn.workspaceId,
            conversationId: turn.conversationId,
            turnId: turn.id,
            approvalKey: part.approvalId,
            toolCallId: part.toolCall.toolCallId,
            tool: call.tool.name,
            toolTitle: call.tool.title,
            pluginId: call.tool.pluginId,
            pluginVersion: call.tool.pluginVersion,
            arguments: call.args,
            risk: risk === 'destructive' ? 'destructive' : 'write',
            requestedBy: turn.userId,
            ttlSeconds: limits.approvalTtlSeconds,
          }),
        );
        approvals.push({ approvalId: approval.id, toolCallId: part.toolCall.toolCallId });
        writer.emit('approval.requested', {
          approvalId: approval.id,
          toolCallId: approval.toolCallId,
          tool: approval.tool,
          title: approval.toolTitle,
          risk: approval.risk,
          arguments: maskForRecord(approval.arguments, undefined),
          expiresAt: approval.expiresAt,
        });
        break;
      }
      case 'finish-step': {
        const text = stepText.trim();
        if (text) {
          writer.emit(stepHadTools ? 'plan' : 'message', { text });
          if (!stepHadTools) answer = answer ? `${answer}\n\n${text}` : text;
        }
        const inputTokens = part.usage.inputTokens ?? 0;
        const outputTokens = part.usage.outputTokens ?? 0;
        writer.emit('usage', {
          provider: resolved.provider,
          model: resolved.modelId,
          step: stepIndex,
          inputTokens,
          outputTokens,
          latencyMs: Math.round(performance.now() - stepStarted),
        });
        const used = inputTokens + outputTokens;
        if (used > 0) {
          // Exact and shared: what was used is always counted; past the limit the turn stops.
          const counted = await inTenantScope(orm.em.fork(), turn.workspaceId, (em) =>
            consumeQuota(em, {
              workspaceId: turn.workspaceId,
              quota: 'ai_tokens_per_day',
              amount: used,
              limit: Number.MAX_SAFE_INTEGER,
            }),
          );
          if (counted.used >= limits.tokenLimit) quotaExhausted = true;
        }
        break;
      }
      case 'error':
        failure = part.error;
        break;
      default:
        break;
    }
  }
  if (failure) throw failure;
  const response = await result.response;
  const totals = await result.totalUsage;
  const messages = settleApprovalResponses([...input.messages, ...response.messages], settled);
  if (approvals.length > 0) {
    writer.emit('status', {
      state: 'awaiting_approval',
      text:
        approvals.length === 1
          ? 'Waiting for an approval before going on.'
          : `Waiting for ${approvals.length} approvals before going on.`,
    });
    return { status: 'awaiting_approval', messages, assistantText: answer };
  }
  if (quotaExhausted) {
    writer.emit('status', {
      state: 'quota_exhausted',
      text: 'This workspace has used its AI tokens for today: the agent stopped here.',
    });
  }
  writer.emit('summary', {
    text: answer,
    steps: stepIndex,
    toolCalls,
    inputTokens: totals.inputTokens ?? 0,
    outputTokens: totals.outputTokens ?? 0,
    latencyMs: Math.round(performance.now() - started),
    provider: resolved.provider,
    model: resolved.modelId,
  });
  return { status: 'completed', messages, assistantText: answer };
}
