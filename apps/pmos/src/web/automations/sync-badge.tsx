import { Badge } from '@pmos/ui';
import { useQuery } from '@tanstack/react-query';
import type { FlowLink } from '../api-types.js';
import { api } from '../lib/api.js';

const labels: Record<FlowLink['state'], string> = {
  linked: 'Linked, not synced yet',
  in_sync: 'In sync',
  pending_push: 'Changes to send',
  conflict: 'Conflict: choose a side',
  error: 'Sync error',
};

const tones: Record<FlowLink['state'], 'neutral' | 'primary' | 'success' | 'danger'> = {
  linked: 'neutral',
  in_sync: 'success',
  pending_push: 'primary',
  conflict: 'danger',
  error: 'danger',
};

/** The workspace's linked flows (flow sync), by flow id. */
export function useFlowLinks(workspaceId: string) {
  const links = useQuery({
    queryKey: ['workspaces', workspaceId, 'flow-links'],
    queryFn: () => api<{ data: FlowLink[] }>('GET', `/api/workspaces/${workspaceId}/flow-links`),
    // Sync runs in the background (a poll a minute): keep the badges fresh while the page is open.
    refetchInterval: 30_000,
  });
  return new Map((links.data?.data ?? []).map((link) => [link.flowId, link]));
}

/** Where a linked flow stands with the other system; nothing for a flow that is not linked. */
export function SyncBadge({ link, system }: { link: FlowLink | undefined; system: string }) {
  if (!link) return null;
  return (
    <span className="small block" title={link.error ?? undefined}>
      <Badge tone={tones[link.state]}>
        {system}: {labels[link.state]}
      </Badge>
    </span>
  );
}

/** The other system of a link, by the plugin that syncs it. */
export function systemName(pluginId: string | undefined): string {
  return pluginId === 'activepieces' ? 'Activepieces' : (pluginId ?? 'Sync');
}
