import type { LanguageModelV4Prompt, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { convertArrayToReadableStream, MockLanguageModelV4 } from 'ai/test';
import type { ModelResolver } from '../server/chat/chat-model.js';

/** What the scripted model answers in one step: some text, some tool calls, or both. */
export interface ScriptedReply {
  text?: string;
  toolCalls?: { name: string; args: Record<string, unknown> }[];
  inputTokens?: number;
  outputTokens?: number;
}

/** The tool results the model has seen so far, by tool name (the latest last). */
export function toolResults(prompt: LanguageModelV4Prompt): { tool: string; output: unknown }[] {
  const results: { tool: string; output: unknown }[] = [];
  for (const message of prompt) {
    if (message.role !== 'tool') continue;
    for (const part of message.content) {
      if (part.type === 'tool-result') results.push({ tool: part.toolName, output: part.output });
    }
  }
  return results;
}

/**
 * A deterministic model (the AI SDK's mock, streaming real V4 parts): each step, `respond`
 * reads the prompt so far and says what to answer. Its text streams in small deltas.
 */
export function scriptedModel(
  respond: (prompt: LanguageModelV4Prompt, call: number) => ScriptedReply | Promise<ScriptedReply>,
) {
  let calls = 0;
  let ids = 0;
  const prompts: LanguageModelV4Prompt[] = [];
  const model = new MockLanguageModelV4({
    provider: 'scripted',
    modelId: 'scripted-1',
    doStream: async (options) => {
      prompts.push(options.prompt);
      const reply = await respond(options.prompt, calls++);
      const parts: LanguageModelV4StreamPart[] = [{ type: 'stream-start', warnings: [] }];
      if (reply.text) {
        parts.push({ type: 'text-start', id: 't' });
        for (const chunk of reply.text.match(/.{1,8}/gs) ?? []) {
          parts.push({ type: 'text-delta', id: 't', delta: chunk });
        }
        parts.push({ type: 'text-end', id: 't' });
      }
      for (const call of reply.toolCalls ?? []) {
        parts.push({
          type: 'tool-call',
          toolCallId: `call_${++ids}`,
          toolName: call.name,
          input: JSON.stringify(call.args),
        });
      }
      const input = reply.inputTokens ?? 10;
      const output = reply.outputTokens ?? 5;
      parts.push({
        type: 'finish',
        finishReason: reply.toolCalls?.length
          ? { unified: 'tool-calls', raw: 'tool_calls' }
          : { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: output, text: output, reasoning: 0 },
        },
      });
      return { stream: convertArrayToReadableStream(parts) };
    },
  });
  const resolver: ModelResolver = async () => ({
    model,
    provider: 'test/scripted',
    modelId: 'scripted-1',
  });
  return { model, resolver, prompts, calls: () => calls };
}
