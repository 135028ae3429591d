import './chat.css';
import { Alert, Button, EmptyState } from '@pmos/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type {
  ChatEvent,
  ChatSettings,
  ChatTurn,
  Conversation,
  ConversationDetail,
  ConversationList,
  TurnStarted,
} from '../api-types.js';
import { ChatIcon, PlusIcon } from '../common/icons.js';
import { PageHeader } from '../common/page-header.js';
import { QueryStates } from '../common/query-states.js';
import { api, errorMessage } from '../lib/api.js';
import { formatRelative } from '../lib/format.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { ApprovalCard } from './approval-card.js';
import { OperationsPanel } from './operations-panel.js';
import { TracePanel } from './trace-panel.js';
import { chatKey, conversationKey, useLiveConversation } from './use-live-conversation.js';

const turnStatusText: Record<ChatTurn['status'], string> = {
  running: 'Working…',
  awaiting_approval: 'Waiting for approval',
  completed: '',
  failed: 'Failed',
};

/** The agent's words in one turn: its plans and answers, then what is streaming now. */
function agentText(turn: ChatTurn, events: ChatEvent[], streaming: string | undefined): string[] {
  const said = events
    .filter((e) => e.turnId === turn.id && (e.type === 'plan' || e.type === 'message'))
    .map((e) => String(e.data.text ?? ''));
  return streaming ? [...said, streaming] : said;
}

function Turn({
  turn,
  detail,
  streaming,
  workspaceId,
  canDecide,
}: {
  turn: ChatTurn;
  detail: ConversationDetail;
  streaming: string | undefined;
  workspaceId: string;
  canDecide: boolean;
}) {
  const words = agentText(turn, detail.events, streaming);
  const approvals = detail.approvals.filter((a) => a.turnId === turn.id);
  const tools = detail.events.filter((e) => e.turnId === turn.id && e.type === 'tool.call');
  return (
    <li className="chat-turn">
      <div className="chat-bubble chat-bubble--user">{turn.userText}</div>
      <div className="chat-bubble chat-bubble--agent" aria-live="polite">
        {words.map((text, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the agent's paragraphs only ever grow
          <p key={index}>{text}</p>
        ))}
        {tools.length > 0 ? (
          <p className="muted chat-turn__tools">
            Used {tools.map((t) => String(t.data.title ?? t.data.tool)).join(', ')}
          </p>
        ) : null}
        {approvals.map((approval) => (
          <ApprovalCard
            key={approval.id}
            workspaceId={workspaceId}
            approval={approval}
            canDecide={canDecide}
          />
        ))}
        {turn.status === 'failed' && turn.error ? (
          <Alert tone="danger">{turn.error.message}</Alert>
        ) : null}
        {turnStatusText[turn.status] ? (
          <p className="muted chat-turn__status" role="status">
            {turnStatusText[turn.status]}
          </p>
        ) : null}
      </div>
    </li>
  );
}

function Composer({
  disabled,
  busy,
  onSend,
}: {
  disabled: boolean;
  busy: boolean;
  onSend: (text: string) => Promise<unknown>;
}) {
  const [text, setText] = useState('');
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message || disabled) return;
    await onSend(message);
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, Shift+Enter starts a new line: as in every chat.
    if (event.key === 'Enter' && !event.shiftKey) void submit();
  };
  return (
    <form className="chat-composer" onSubmit={submit}>
      <textarea
        className="pmos-input chat-composer__input"
        aria-label="Message to the agent"
        placeholder="Ask the agent to build, change or run an automation…"
        rows={2}
        value={text}
        disabled={disabled}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <Button type="submit" variant="primary" disabled={disabled || busy || !text.trim()}>
        {busy ? 'Sending…' : 'Send'}
      </Button>
    </form>
  );
}

/** `/w/:id/chat`: conversations with the operator agent, its live trace and approvals. */
export function ChatPage() {
  const { workspace, can } = useWorkspace();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const selected = params.get('c');
  const [side, setSide] = useState<'trace' | 'history'>('trace');
  const select = (id: string | null) => setParams(id ? { c: id } : {}, { replace: false });

  const settings = useQuery({
    queryKey: [...chatKey(workspace.id), 'settings'],
    queryFn: () => api<ChatSettings>('GET', `/api/workspaces/${workspace.id}/chat/settings`),
  });
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
    detail.data?.turns.some((t) => t.status === 'running' || t.status === 'awaiting_approval') ??
    false;

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
        <Alert tone="info">
          Chat needs an AI model.{' '}
          {can('settings.manage') ? (
            <>
              Connect an AI provider in{' '}
              <Link to={`/w/${workspace.id}/integrations`}>Integrations</Link>, then choose it in{' '}
              <Link to={`/w/${workspace.id}/settings/ai`}>Settings › AI</Link>.
            </>
          ) : (
            'Ask a workspace admin to choose one in Settings › AI.'
          )}
        </Alert>
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
                <ol className="chat-turns">
                  {data.turns.map((turn) => (
                    <Turn
                      key={turn.id}
                      turn={turn}
                      detail={data}
                      streaming={streaming[turn.id]}
                      workspaceId={workspace.id}
                      canDecide={can('approvals.decide')}
                    />
                  ))}
                </ol>
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
