import { Alert, Badge, Card, CardContent, CardHeader, CardTitle } from '@pmos/ui';
import { useQuery } from '@tanstack/react-query';
import { systemName, useFlowLinks } from '../automations/sync-badge.js';
import { api, errorMessage } from '../lib/api.js';
import { formatExactDateTime } from '../lib/format.js';

interface RemoteRuns {
  data: {
    externalId: string;
    status: string;
    startedAt: string | null;
    finishedAt: string | null;
    failure: string | null;
  }[];
}

const tone = (status: string) =>
  /SUCCEEDED/.test(status)
    ? 'success'
    : /FAIL|TIMEOUT|INTERNAL_ERROR/.test(status)
      ? 'danger'
      : 'neutral';

/**
 * The runs the other system made of a linked flow (flow sync): listed beside PMOS's own when
 * the Runs page is filtered to that flow, read from the other system when shown.
 */
export function RemoteRuns({ workspaceId, flowId }: { workspaceId: string; flowId: string }) {
  const link = useFlowLinks(workspaceId).get(flowId);
  const runs = useQuery({
    queryKey: ['workspaces', workspaceId, 'flow-links', flowId, 'runs'],
    queryFn: () =>
      api<RemoteRuns>('GET', `/api/workspaces/${workspaceId}/flows/${flowId}/link/runs?limit=25`),
    enabled: link !== undefined,
  });
  if (!link) return null;
  const system = systemName(link.pluginId);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Runs in {system}</CardTitle>
      </CardHeader>
      <CardContent>
        {runs.isPending ? (
          <p className="muted" role="status">
            Asking {system} for this flow’s runs…
          </p>
        ) : runs.isError ? (
          <Alert tone="danger">{errorMessage(runs.error)}</Alert>
        ) : runs.data.data.length === 0 ? (
          <p className="muted">{system} has not run this flow yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
                <th scope="col">Failure</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.data.map((run) => (
                <tr key={run.externalId}>
                  <td>
                    <Badge tone={tone(run.status)}>
                      {run.status.toLowerCase().replaceAll('_', ' ')}
                    </Badge>
                  </td>
                  <td>{run.startedAt ? formatExactDateTime(run.startedAt) : '—'}</td>
                  <td>{run.finishedAt ? formatExactDateTime(run.finishedAt) : '—'}</td>
                  <td>{run.failure ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </CardContent>
    </Card>
  );
}
