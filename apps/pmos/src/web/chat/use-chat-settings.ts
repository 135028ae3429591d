import { useQuery } from '@tanstack/react-query';
import type { ChatSettings } from '../api-types.js';
import { api } from '../lib/api.js';
import { chatKey } from './use-live-conversation.js';

/** The workspace's chat settings: `configured` says whether a model is chosen. */
export function useChatSettings(workspaceId: string) {
  return useQuery({
    queryKey: [...chatKey(workspaceId), 'settings'],
    queryFn: () => api<ChatSettings>('GET', `/api/workspaces/${workspaceId}/chat/settings`),
  });
}
