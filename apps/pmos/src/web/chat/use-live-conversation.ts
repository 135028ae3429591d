import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ChatEvent, ConversationDetail } from '../api-types.js';
import { api } from '../lib/api.js';
import { withLiveEvents } from './live-events.js';

export const chatKey = (workspaceId: string) => ['workspaces', workspaceId, 'chat'] as const;
export const conversationKey = (workspaceId: string, conversationId: string) =>
  [...chatKey(workspaceId), 'conversation', conversationId] as const;

/** Events that change turns or approvals: the conversation is read again after them. */
const structural = new Set([
  'turn.started',
  'approval.requested',
  'approval.decided',
  'turn.finished',
  'turn.failed',
]);

/**
 * A conversation kept live: the stored trace first, then the server's event stream (which
 * resumes from the last event seen when the browser reconnects). Text still streaming is
 * kept per turn until the step's whole text arrives as an event.
 */
export function useLiveConversation(workspaceId: string, conversationId: string | null) {
  const client = useQueryClient();
  const [streaming, setStreaming] = useState<Record<string, string>>({});
  const [connected, setConnected] = useState(false);
  // Events the stream delivered: a read of the conversation that started before one of them
  // arrived must not drop it when it lands, so every read is merged with them.
  const live = useRef(new Map<number, ChatEvent>());
  const detail = useQuery({
    queryKey: conversationKey(workspaceId, conversationId ?? 'none'),
    queryFn: async () =>
      withLiveEvents(
        await api<ConversationDetail>(
          'GET',
          `/api/workspaces/${workspaceId}/chat/conversations/${conversationId}`,
        ),
        live.current,
      ),
    enabled: conversationId !== null,
  });
  const loaded = detail.data !== undefined;
  // Reconnects only when the conversation changes or first loads, not on every refetch.
  useEffect(() => {
    if (!conversationId || !loaded) return;
    setStreaming({});
    live.current = new Map();
    const key = conversationKey(workspaceId, conversationId);
    const known = client.getQueryData<ConversationDetail>(key);
    const after = known?.events.at(-1)?.seq ?? 0;
    const source = new EventSource(
      `/api/workspaces/${workspaceId}/chat/conversations/${conversationId}/events?after=${after}`,
    );
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener('delta', (message) => {
      const { turnId, text } = JSON.parse((message as MessageEvent<string>).data) as {
        turnId: string;
        text: string;
      };
      setStreaming((current) => ({ ...current, [turnId]: (current[turnId] ?? '') + text }));
    });
    source.addEventListener('trace', (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as ChatEvent;
      live.current.set(event.seq, event);
      client.setQueryData<ConversationDetail>(key, (current) =>
        current ? withLiveEvents(current, new Map([[event.seq, event]])) : current,
      );
      if (event.type === 'plan' || event.type === 'message' || event.type === 'step.started') {
        setStreaming((current) => ({ ...current, [event.turnId]: '' }));
      }
      if (structural.has(event.type)) {
        void client.invalidateQueries({ queryKey: key });
        void client.invalidateQueries({ queryKey: [...chatKey(workspaceId), 'operations'] });
      }
    });
    return () => {
      source.close();
      setConnected(false);
    };
  }, [client, workspaceId, conversationId, loaded]);
  return { detail, streaming, connected };
}
