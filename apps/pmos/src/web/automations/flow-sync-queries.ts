import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Connection, List, RemoteFlowList } from '../api-types.js';
import { api } from '../lib/api.js';

/** The Activepieces flow sync reaches its instance through this connector's connections. */
const activepieces = { pluginId: 'activepieces', connectorId: 'activepieces-instance' };

export const flowLinksKey = (workspaceId: string) =>
  ['workspaces', workspaceId, 'flow-links'] as const;

/** The workspace's connections to an Activepieces instance; asked only when `enabled`. */
export function useActivepiecesConnections(workspaceId: string, enabled: boolean) {
  const connections = useQuery({
    queryKey: ['workspaces', workspaceId, 'connections', activepieces],
    queryFn: () =>
      api<List<Connection>>(
        'GET',
        `/api/workspaces/${workspaceId}/connections?${new URLSearchParams(activepieces)}`,
      ),
    enabled,
  });
  return (connections.data?.data ?? []).filter(
    (c) => c.pluginId === activepieces.pluginId && c.connectorId === activepieces.connectorId,
  );
}

/** The flows a connection reaches in the other system, a page at a time. */
export function useRemoteFlows(workspaceId: string, connectionId: string) {
  return useInfiniteQuery({
    queryKey: [...flowLinksKey(workspaceId), 'remote-flows', connectionId],
    queryFn: ({ pageParam, signal }) =>
      api<RemoteFlowList>(
        'GET',
        `/api/workspaces/${workspaceId}/flow-sync/remote-flows?${new URLSearchParams({
          connectionId,
          limit: '25',
          ...(pageParam ? { cursor: pageParam } : {}),
        })}`,
        undefined,
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: connectionId !== '',
  });
}
