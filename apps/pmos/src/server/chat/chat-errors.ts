import { CataloguedError } from '@pmos/core';

const catalogue = {
  conversation_not_found: [404, 'No such conversation in this workspace.'],
  approval_not_found: [404, 'No such approval in this workspace.'],
  operation_not_found: [404, 'No such operation in this workspace.'],
  approval_already_decided: [409, 'This approval has already been decided.'],
  approval_expired: [409, 'This approval expired before anyone decided; the agent was told so.'],
  turn_in_progress: [
    409,
    'The agent is still working on the last message (or waiting for an approval). Wait for it, or decide the approval first.',
  ],
  chat_not_configured: [
    409,
    'Chat needs an AI model: a workspace admin chooses one in Settings › AI (after connecting an AI provider in Integrations).',
  ],
  chat_model_unavailable: [
    409,
    'The AI connection chosen for chat is gone or its provider is disabled. A workspace admin chooses another in Settings › AI.',
  ],
  tool_not_available: [409, 'This tool is not available in this workspace any more.'],
  operation_not_replayable: [
    409,
    'This operation held a secret in its arguments, which PMOS does not keep: ask the agent to do it again instead.',
  ],
} as const satisfies Record<string, readonly [number, string]>;

export type ChatErrorCode = keyof typeof catalogue;

/** Errors of chat, approvals and operation history, with stable codes. */
export class ChatError extends CataloguedError<ChatErrorCode> {
  constructor(
    code: ChatErrorCode,
    options: { message?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(catalogue, code, options);
    this.name = 'ChatError';
  }
}
