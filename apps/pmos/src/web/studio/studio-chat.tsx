import '../chat/chat.css';
import { Alert, Button, EmptyState } from '@pmos/ui';
import { useEffect, useRef } from 'react';
import { Composer } from '../chat/chat-composer.js';
import { ChatSetupNote } from '../chat/chat-setup-note.js';
import { TurnList, turnStatusOf } from '../chat/chat-turn.js';
import { useChatSettings } from '../chat/use-chat-settings.js';
import { ChatIcon } from '../common/icons.js';
import { QueryStates } from '../common/query-states.js';
import { errorMessage } from '../lib/api.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { useFlowConversation } from './use-flow-conversation.js';

export const studioChatId = 'studio-chat';

export interface StudioChatProps {
  flowId: string;
  flowName: string;
  /** The agent changed this flow: the Studio fetches it again. */
  onFlowChanged: () => void;
  /** What the last change by the agent did to the canvas, read out here. */
  announcement: string;
  onClose: () => void;
}

/**
 * The Studio's side chat: the operator agent, about this flow. Its answers stream in, the
 * writes it wants to make wait here for Approve or Reject, and its edits show on the canvas.
 */
export function StudioChat({
  flowId,
  flowName,
  onFlowChanged,
  announcement,
  onClose,
}: StudioChatProps) {
  const { workspace, can } = useWorkspace();
  const settings = useChatSettings(workspace.id);
  const chat = useFlowConversation({
    workspaceId: workspace.id,
    flowId,
    flowName,
    onFlowChanged,
  });
  const configured = settings.data?.configured ?? true;
  const detail = chat.detail.data;
  const statuses = detail ? detail.turns.map((turn) => turnStatusOf(turn, detail)) : [];
  const waiting = statuses.includes('awaiting_approval');
  const busy = waiting || statuses.includes('running');

  const end = useRef<HTMLDivElement>(null);
  const eventCount = chat.detail.data?.events.length ?? 0;
  const streamed = Object.values(chat.streaming).join('').length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the stream as it grows
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [eventCount, streamed]);

  return (
    <aside id={studioChatId} className="studio-panel studio-chat" aria-label="Ask the agent">
      <header className="studio-panel-head studio-chat-head">
        <h2 className="studio-chat-title">Ask the agent</h2>
        {chat.conversationId ? (
          <Button variant="ghost" size="sm" onClick={chat.startOver}>
            New conversation
          </Button>
        ) : null}
        <Button variant="ghost" size="sm" onClick={onClose} aria-label="Close the agent panel">
          ×
        </Button>
        <p className="muted small studio-chat-about">
          About this automation: its edits show on the canvas, and it asks you before it publishes
          or runs anything.
        </p>
      </header>

      <div className="studio-panel-body studio-chat-body">
        {!configured ? (
          <ChatSetupNote workspaceId={workspace.id} canManage={can('settings.manage')} />
        ) : null}
        <QueryStates query={chat.latest} loading="Opening the conversation…">
          {() =>
            chat.conversationId === null ? (
              <EmptyState
                icon={<ChatIcon />}
                title="Change this automation by chat"
                description="For example: “Add a step that formats the greeting.” The agent reads the flow, edits it here, and asks you before it publishes or runs anything."
              />
            ) : (
              <QueryStates query={chat.detail} loading="Loading the conversation…">
                {(data) => (
                  <TurnList
                    detail={data}
                    streaming={chat.streaming}
                    workspaceId={workspace.id}
                    canDecide={can('approvals.decide')}
                  />
                )}
              </QueryStates>
            )
          }
        </QueryStates>
        <div ref={end} />
      </div>

      <div className="studio-chat-foot">
        <p className="muted small studio-chat-line" role="status">
          {announcement}
        </p>
        {chat.send.isError ? <Alert tone="danger">{errorMessage(chat.send.error)}</Alert> : null}
        <Composer
          disabled={!configured || busy}
          busy={chat.send.isPending}
          placeholder="Ask for a change to this automation…"
          onSend={(text) => chat.send.mutateAsync(text)}
        />
        {busy ? (
          <p className="muted small studio-chat-line" role="status">
            {waiting
              ? 'The agent waits for your decision above.'
              : 'The agent is working on your last message; you can write again when it is done.'}
          </p>
        ) : null}
      </div>
    </aside>
  );
}
