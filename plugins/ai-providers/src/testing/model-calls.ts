import type {
  LanguageModelV4FunctionTool,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
} from '@ai-sdk/provider';

/**
 * The same two-step conversation for every provider's model tests: a request that calls a
 * tool, then the tool's result going back. Written in the AI SDK's own prompt format, so
 * each provider's translation to its wire format is what the tests see.
 */
export const completeTodoTool: LanguageModelV4FunctionTool = {
  type: 'function',
  name: 'complete_todo',
  description: 'Mark a to-do complete',
  inputSchema: {
    type: 'object',
    properties: { project: { type: 'string' }, todo_id: { type: 'integer' } },
    required: ['project', 'todo_id'],
    additionalProperties: false,
  },
};

export const askPrompt: LanguageModelV4Prompt = [
  { role: 'system', content: 'You operate Basecamp for the team.' },
  { role: 'user', content: [{ type: 'text', text: 'Complete to-do 42 in Alpha.' }] },
];

/** The conversation after the model called `complete_todo` and the tool answered. */
export function withToolResult(toolCallId: string): LanguageModelV4Prompt {
  return [
    ...askPrompt,
    {
      role: 'assistant',
      content: [
        {
          type: 'tool-call',
          toolCallId,
          toolName: 'complete_todo',
          input: { project: 'Alpha', todo_id: 42 },
        },
      ],
    },
    {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId,
          toolName: 'complete_todo',
          output: { type: 'json', value: { completed: true, todo_id: 42 } },
        },
      ],
    },
  ];
}

/** Every part of a model stream, in order. */
export async function readParts(
  stream: ReadableStream<LanguageModelV4StreamPart>,
): Promise<LanguageModelV4StreamPart[]> {
  const parts: LanguageModelV4StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/** The streamed text, joined. */
export function textOf(parts: LanguageModelV4StreamPart[]): string {
  return parts.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('');
}

/** The error a model call failed with; a call that succeeds fails the test. */
export function failureOf(call: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(call).then(
    () => {
      throw new Error('expected the model call to fail');
    },
    (error: unknown) => error,
  );
}
