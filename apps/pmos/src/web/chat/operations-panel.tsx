import { Alert, Badge, Button } from '@pmos/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OperationList, TurnStarted } from '../api-types.js';
import { QueryStates } from '../common/query-states.js';
import { api, errorMessage } from '../lib/api.js';
import { formatExactDateTime } from '../lib/format.js';
import { chatKey } from './use-live-conversation.js';

/**
 * Every tool call the agent ran in this workspace, newest first, with what replays it (tool,
 * plugin version, arguments, model). Replay goes through the same approval gate.
 */
export function OperationsPanel({
  workspaceId,
  onReplayed,
}: {
  workspaceId: string;
  onReplayed: (conversationId: string) => void;
}) {
  const client = useQueryClient();
  const operations = useQuery({
    queryKey: [...chatKey(workspaceId), 'operations'],
    queryFn: () =>
      api<OperationList>('GET', `/api/workspaces/${workspaceId}/chat/operations?limit=50`),
  });
  const replay = useMutation({
    mutationFn: (operationId: string) =>
      api<TurnStarted>(
        'POST',
        `/api/workspaces/${workspaceId}/chat/operations/${operationId}/replay`,
        {},
      ),
    onSuccess: (started) => {
      void client.invalidateQueries({ queryKey: chatKey(workspaceId) });
      onReplayed(started.conversationId);
    },
  });
  return (
    <section className="operations-panel" aria-label="Operation history">
      <h2 className="section-title">Operation history</h2>
      {replay.isError ? <Alert tone="danger">{errorMessage(replay.error)}</Alert> : null}
      <QueryStates
        query={operations}
        loading="Loading operations…"
        isEmpty={(data) => data.data.length === 0}
        empty={<p className="muted">Tool calls the agent runs are listed here, ready to replay.</p>}
      >
        {(data) => (
          <ol className="operation-list">
            {data.data.map((op) => (
              <li key={op.id} className="operation">
                <div className="operation__head">
                  <strong>{op.title}</strong>
                  <Badge tone={op.outcome === 'succeeded' ? 'success' : 'danger'}>
                    {op.outcome === 'succeeded' ? 'Succeeded' : 'Failed'}
                  </Badge>
                  {op.replayOf ? <Badge tone="neutral">Replay</Badge> : null}
                </div>
                <p className="muted">
                  <code>{op.tool}</code>
                  {op.pluginId ? ` · ${op.pluginId} ${op.pluginVersion ?? ''}` : ''}
                  {op.model ? ` · ${op.model}` : ''} · {formatExactDateTime(op.executedAt)} ·{' '}
                  {op.durationMs} ms
                </p>
                <details>
                  <summary>Arguments{op.resultDigest ? ' and result digest' : ''}</summary>
                  <pre>{JSON.stringify(op.arguments, null, 2)}</pre>
                  {op.resultDigest ? <p className="muted">sha256 {op.resultDigest}</p> : null}
                  {op.error ? <p className="muted">{op.error.message}</p> : null}
                </details>
                <Button
                  size="sm"
                  variant="secondary"
                  disabled={replay.isPending}
                  onClick={() => replay.mutate(op.id)}
                >
                  Replay
                </Button>
              </li>
            ))}
          </ol>
        )}
      </QueryStates>
    </section>
  );
}
