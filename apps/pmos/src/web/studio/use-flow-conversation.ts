import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Conversation, ConversationList, TurnStarted } from '../api-types.js';
import { chatKey, conversationKey, useLiveConversation } from '../chat/use-live-conversation.js';
import { api } from '../lib/api.js';
import { changesFlow } from './agent-flow-events.js';

/**
 * The Studio's conversation with the agent about one flow: the latest one about it, kept live,
 * or a new one started by the first message. Calls `onFlowChanged` when the agent's tools
 * change this flow (events of the past, present when the conversation opened, do not count).
 */
export function useFlowConversation({
  workspaceId,
  flowId,
  flowName,
  onFlowChanged,
}: {
  workspaceId: string;
  flowId: string;
  flowName: string;
  onFlowChanged: () => void;
}) {
  const client = useQueryClient();
  const base = `/api/workspaces/${workspaceId}/chat/conversations`;
  const latestKey = [...chatKey(workspaceId), 'conversations', { flowId }];
  const latest = useQuery({
    queryKey: latestKey,
    queryFn: () => api<ConversationList>('GET', `${base}?flowId=${flowId}&limit=1`),
  });
  // "New conversation": the next message starts one instead of going on with the latest.
  const [startOver, setStartOver] = useState(false);
  const conversationId = startOver ? null : (latest.data?.data[0]?.id ?? null);
  const live = useLiveConversation(workspaceId, conversationId);

  const send = useMutation({
    mutationFn: async (text: string) => {
      let id = conversationId;
      if (!id) {
        const title = `About ${flowName}`.slice(0, 200);
        id = (await api<Conversation>('POST', base, { flowId, title })).id;
        // Everything in a conversation started here is new.
        seen.current.set(id, 0);
      }
      return api<TurnStarted>('POST', `${base}/${id}/messages`, { text });
    },
    onSuccess: async (started) => {
      void client.invalidateQueries({
        queryKey: conversationKey(workspaceId, started.conversationId),
      });
      await client.invalidateQueries({ queryKey: [...chatKey(workspaceId), 'conversations'] });
      setStartOver(false);
    },
  });

  // The last event looked at, per conversation.
  const seen = useRef(new Map<string, number>());
  const changed = useRef(onFlowChanged);
  changed.current = onFlowChanged;
  const events = live.detail.data?.events;
  useEffect(() => {
    if (!conversationId || !events) return;
    const last = events.at(-1)?.seq ?? 0;
    const before = seen.current.get(conversationId);
    seen.current.set(conversationId, Math.max(before ?? 0, last));
    if (before === undefined) return;
    const fresh = events.filter((e) => e.seq > before);
    if (fresh.some((e) => changesFlow(e, flowId, events))) changed.current();
  }, [conversationId, events, flowId]);

  return {
    latest,
    conversationId,
    ...live,
    send,
    startOver: () => setStartOver(true),
  };
}
