import { queryOptions, useQuery } from '@tanstack/react-query';
import type { PluginRemote } from '../api-types.js';
import { api } from '../lib/api.js';

/** Every query about a workspace's plugins starts with this key: invalidate it after a change. */
export const pluginsKey = (workspaceId: string) => ['workspaces', workspaceId, 'plugins'];

export const pluginRemotesQuery = (workspaceId: string) =>
  queryOptions({
    queryKey: [...pluginsKey(workspaceId), 'ui'],
    queryFn: async () => {
      const { data } = await api<{ data: PluginRemote[] }>(
        'GET',
        `/api/workspaces/${workspaceId}/plugins/ui`,
      );
      // The runtime is loaded only for workspaces that have a panel to show.
      if (data.length > 0) (await import('./federation.js')).registerRemotes(data);
      return data;
    },
    staleTime: 30_000,
  });

/**
 * The UI remotes of the plugins enabled in the workspace, registered with the module
 * federation runtime as they arrive. Disabled plugins are not in the list.
 */
export function usePluginRemotes(workspaceId: string) {
  return useQuery(pluginRemotesQuery(workspaceId));
}
