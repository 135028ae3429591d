import './chat.css';
import { Alert, Button, EmptyState } from '@pmos/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Conversation, ConversationList, TurnStarted } from '../api-types.js';
import { ChatIcon, PlusIcon } from '../common/icons.js';
import { PageHeader } from '../common/page-header.js';
import { QueryStates } from '../common/query-states.js';
import { api, errorMessage } from '../lib/api.js';
import { formatRelative } from '../lib/format.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { Composer } from './chat-composer.js';
import { ChatSetupNote } from './chat-setup-note.js';
import { TurnList, turnStatusOf } from './chat-turn.js';
import { OperationsPanel } from './operations-panel.js';
import { TracePanel } from './trace-panel.js';
import { useChatSettings } from './use-chat-settings.js';
import { chatKey, conversationKey, useLiveConversation } from './use-live-conversation.js';

/** `/w/:id/chat`: conversations with the operator agent, its live trace and approvals. */
export function ChatPage() {
  const { workspace, can } = useWorkspace();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const selected = params.get('c');
  const [side, setSide] = useState<'trace' | 'history'>('trace');
  const select = (id: string | null) => setParams(id ? { c: id } : {}, { replace: false });

  const settings = useChatSettings(workspace.id);
  const conversations = useQuery({
    queryKey: [...chatKey(workspace.id), 'conversations'],
    queryFn: () =>
      api<ConversationList>('GET', `/api/workspaces/${workspace.id}/chat/conversations?limit=50`),
  });
  const { detail, streaming, connected } = useLiveConversation(workspace.id, selected);

  const create = useMutation({
    mutationFn: () =>
      api<Conversation>('POST', `/api/workspaces/${workspace.id}/chat/conversations`, {}),
    onSuccess: (conversation) => {
      void client.invalidateQueries({ queryKey: [...chatKey(workspace.id), 'conversations'] });
      select(conversation.id);
    },
  });
  const send = useMutation({
    mutationFn: async (text: string) => {
      const id =
        selected ??
        (await api<Conversation>('POST', `/api/workspaces/${workspace.id}/chat/conversations`, {}))
          .id;
      const started = await api<TurnStarted>(
        'POST',
        `/api/workspaces/${workspace.id}/chat/conversations/${id}/messages`,
        { text },
      );
      return started;
    },
    onSuccess: (started) => {
      if (started.conversationId !== selected) select(started.conversationId);
      void client.invalidateQueries({
        queryKey: conversationKey(workspace.id, started.conversationId),
      });
      void client.invalidateQueries({ queryKey: [...chatKey(workspace.id), 'conversations'] });
    },
  });

  const end = useRef<HTMLDivElement>(null);
  const eventCount = detail.data?.events.length ?? 0;
  const streamed = Object.values(streaming).join('').length;
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the stream as it grows
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [eventCount, streamed]);

  const configured = settings.data?.configured ?? true;
  const busy =
    detail.data?.turns.some((t) => {
      const status = turnStatusOf(t, detail.data);
      return status === 'running' || status === 'awaiting_approval';
    }) ?? false;

  return (
    <div className="page chat-page">
      <PageHeader
        title="Chat"
        description="Ask the operator agent to build, change and run automations. It shows every step it takes and asks before anything that writes or deletes."
        actions={
          <Button variant="secondary" onClick={() => create.mutate()} disabled={create.isPending}>
            <PlusIcon /> New conversation
          </Button>
        }
      />
      {!configured ? (
        <ChatSetupNote workspaceId={workspace.id} canManage={can('settings.manage')} />
      ) : null}
      <div className="chat-layout">
        <nav className="chat-conversations" aria-label="Conversations">
          <QueryStates
            query={conversations}
            loading="Loading conversations…"
            isEmpty={(data) => data.data.length === 0}
            empty={<p className="muted">Your conversations appear here.</p>}
          >
            {(data) => (
              <ul>
                {data.data.map((conversation) => (
                  <li key={conversation.id}>
                    <button
                      type="button"
                      className="chat-conversation"
                      aria-current={conversation.id === selected ? 'page' : undefined}
                      onClick={() => select(conversation.id)}
                    >
                      <span className="chat-conversation__title">{conversation.title}</span>
                      <span className="muted">{formatRelative(conversation.updatedAt)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </QueryStates>
        </nav>
        <main className="chat-main">
          {selected === null ? (
            <EmptyState
              icon={<ChatIcon />}
              title="Operate by chat"
              description="For example: “Make a flow that runs by hand and echoes a greeting, publish it.” You approve every change before it happens."
            />
          ) : (
            <QueryStates query={detail} loading="Loading the conversation…">
              {(data) => (
                <TurnList
                  detail={data}
                  streaming={streaming}
                  workspaceId={workspace.id}
                  canDecide={can('approvals.decide')}
                />
              )}
            </QueryStates>
          )}
          <div ref={end} />
          {send.isError ? <Alert tone="danger">{errorMessage(send.error)}</Alert> : null}
          <Composer
            disabled={!configured || busy}
            busy={send.isPending}
            onSend={(text) => send.mutateAsync(text)}
          />
          {busy ? (
            <p className="muted" role="status">
              The agent is working on the last message; you can write again when it is done.
            </p>
          ) : null}
        </main>
        <aside className="chat-side">
          <div className="segmented" role="tablist" aria-label="Side panel">
            <button
              type="button"
              role="tab"
              aria-selected={side === 'trace'}
              onClick={() => setSide('trace')}
            >
              Trace
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={side === 'history'}
              onClick={() => setSide('history')}
            >
              History
            </button>
          </div>
          {side === 'trace' ? (
            <TracePanel events={detail.data?.events ?? []} live={connected} />
          ) : (
            <OperationsPanel workspaceId={workspace.id} onReplayed={(id) => select(id)} />
          )}
        </aside>
      </div>
    </div>
  );
}
