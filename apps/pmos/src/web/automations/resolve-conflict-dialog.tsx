import type { Flow } from '@pmos/flow';
import { Alert, Button, Dialog, DialogActions } from '@pmos/ui';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { FlowLink, FlowSummary, FlowView, SyncResult } from '../api-types.js';
import { QueryStates } from '../common/query-states.js';
import { api, errorMessage } from '../lib/api.js';
import { formatExactDateTime } from '../lib/format.js';
import { type ConflictDifferences, conflictDifferences } from './conflict-differences.js';
import { flowLinksKey } from './flow-sync-queries.js';

const when = (iso: string) =>
  Number.isNaN(Date.parse(iso)) ? 'recently' : formatExactDateTime(iso);

/**
 * "Resolve conflict": both sides changed since the last sync. Says what changed on each side
 * and keeps the one the person chooses; the other side is overwritten with it.
 */
export function ResolveConflictDialog({
  workspaceId,
  flow,
  onClose,
  onResolved,
}: {
  workspaceId: string;
  flow: FlowSummary;
  onClose: () => void;
  onResolved: (result: SyncResult, keep: 'pmos' | 'remote') => void;
}) {
  const path = `/api/workspaces/${workspaceId}/flows/${flow.id}`;
  const link = useQuery({
    queryKey: [...flowLinksKey(workspaceId), flow.id],
    queryFn: () => api<FlowLink>('GET', `${path}/link`),
  });
  const draft = useQuery({
    queryKey: ['workspaces', workspaceId, 'flows', 'detail', flow.id],
    queryFn: () => api<FlowView>('GET', path),
  });
  const resolve = useMutation({
    mutationFn: (keep: 'pmos' | 'remote') =>
      api<SyncResult>('POST', `${path}/link/resolve`, { keep }),
    onSuccess: onResolved,
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Resolve the conflict on ${flow.displayName}`}
      description="It was edited in PMOS and in Activepieces since the last sync. Choose the version to keep: the other side is replaced with it."
    >
      <QueryStates query={link} loading="Reading the conflict…">
        {(data) =>
          data.conflict ? (
            <ConflictSummary
              link={data}
              conflict={data.conflict}
              differences={
                draft.data
                  ? conflictDifferences(draft.data.draft as Flow, data.conflict.remoteDocument)
                  : null
              }
            />
          ) : (
            <Alert tone="success">There is no conflict any more: nothing to choose.</Alert>
          )
        }
      </QueryStates>
      {resolve.isError ? <Alert tone="danger">{errorMessage(resolve.error)}</Alert> : null}
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button
          variant="secondary"
          disabled={!link.data?.conflict || resolve.isPending}
          loading={resolve.isPending && resolve.variables === 'remote'}
          onClick={() => resolve.mutate('remote')}
        >
          Keep Activepieces version
        </Button>
        <Button
          disabled={!link.data?.conflict || resolve.isPending}
          loading={resolve.isPending && resolve.variables === 'pmos'}
          onClick={() => resolve.mutate('pmos')}
        >
          Keep PMOS version
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function ConflictSummary({
  link,
  conflict,
  differences,
}: {
  link: FlowLink;
  conflict: NonNullable<FlowLink['conflict']>;
  differences: ConflictDifferences | null;
}) {
  return (
    <div className="stack">
      <dl className="facts">
        <div>
          <dt>In PMOS</dt>
          <dd>
            The draft was edited since the last sync
            {link.syncedAt ? ` (${formatExactDateTime(link.syncedAt)})` : ''}.
          </dd>
        </div>
        <div>
          <dt>In Activepieces</dt>
          <dd>The flow was edited {when(conflict.remoteUpdatedAt)}.</dd>
        </div>
      </dl>
      {differences ? <Differences differences={differences} /> : null}
    </div>
  );
}

function Differences({ differences: d }: { differences: ConflictDifferences }) {
  const lines = [
    d.renamed ? `Named “${d.renamed.pmos}” in PMOS, “${d.renamed.remote}” in Activepieces.` : null,
    d.onlyInPmos.length ? `Only in PMOS: ${d.onlyInPmos.join(', ')}.` : null,
    d.onlyInRemote.length ? `Only in Activepieces: ${d.onlyInRemote.join(', ')}.` : null,
    d.changed.length ? `Set up differently: ${d.changed.join(', ')}.` : null,
  ].filter((line): line is string => line !== null);
  return (
    <div>
      <h3 className="small">How the two versions differ</h3>
      {lines.length ? (
        <ul className="small">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <p className="muted small">The steps are the same on both sides; only details differ.</p>
      )}
    </div>
  );
}
