import { Button, Dialog } from '@pmos/ui';
import { useQuery } from '@tanstack/react-query';
import type { FlowVersion, List } from '../api-types.js';
import { QueryStates } from '../common/query-states.js';
import { api } from '../lib/api.js';
import { formatExactDateTime } from '../lib/format.js';

/** Published versions, newest first: view one on the canvas, or restore it as the draft. */
export function VersionsDialog({
  open,
  onClose,
  workspaceId,
  flowId,
  publishedVersionId,
  canRestore,
  onView,
  onRestore,
}: {
  open: boolean;
  onClose: () => void;
  workspaceId: string;
  flowId: string;
  publishedVersionId: string | null;
  canRestore: boolean;
  onView: (version: FlowVersion) => void;
  onRestore: (version: FlowVersion) => void;
}) {
  const versions = useQuery({
    queryKey: ['workspaces', workspaceId, 'flows', flowId, 'versions'],
    queryFn: () =>
      api<List<FlowVersion>>('GET', `/api/workspaces/${workspaceId}/flows/${flowId}/versions`),
    enabled: open,
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Version history"
      description="Each publish keeps a version that never changes. Restoring one makes it the draft; publish again to run it."
    >
      <QueryStates
        query={versions}
        loading="Loading versions…"
        isEmpty={(list) => list.data.length === 0}
        empty={
          <p className="muted">
            Nothing published yet: publish the flow to keep its first version.
          </p>
        }
      >
        {(list) => (
          <ul className="studio-versions">
            {list.data.map((version) => (
              <li key={version.id}>
                <span>
                  <strong>Version {version.number}</strong>
                  {version.id === publishedVersionId ? (
                    <span className="muted small"> · live</span>
                  ) : null}
                  <span className="muted small block">
                    {formatExactDateTime(version.publishedAt)}
                  </span>
                </span>
                <span className="studio-inline-actions">
                  <Button variant="ghost" size="sm" onClick={() => onView(version)}>
                    View<span className="visually-hidden"> version {version.number}</span>
                  </Button>
                  {canRestore ? (
                    <Button variant="secondary" size="sm" onClick={() => onRestore(version)}>
                      Restore as draft
                      <span className="visually-hidden"> (version {version.number})</span>
                    </Button>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </QueryStates>
    </Dialog>
  );
}
