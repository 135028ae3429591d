import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Run } from '../api-types.js';
import { api } from '../lib/api.js';
import { unfinished } from '../runs/run-format.js';

export const studioRunKey = (workspaceId: string, runId: string) =>
  ['workspaces', workspaceId, 'runs', runId] as const;

/** A run, followed live over server-sent events until it ends (as the run page does). */
export function useLiveRun(workspaceId: string, runId: string | null) {
  const client = useQueryClient();
  const run = useQuery({
    queryKey: studioRunKey(workspaceId, runId ?? ''),
    queryFn: () => api<Run>('GET', `/api/workspaces/${workspaceId}/runs/${runId}`),
    enabled: runId !== null,
  });
  const going = run.data ? unfinished(run.data.status) : false;
  useEffect(() => {
    if (!runId || !going) return;
    const source = new EventSource(`/api/workspaces/${workspaceId}/runs/${runId}/events`);
    source.addEventListener('run', (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as Run;
      client.setQueryData(studioRunKey(workspaceId, runId), next);
      if (!unfinished(next.status)) source.close();
    });
    return () => source.close();
  }, [client, workspaceId, runId, going]);
  return run;
}
