import { Badge, EmptyState } from '@pmos/ui';
import type { ReactNode } from 'react';
import { LoadMore } from '../common/load-more.js';
import { QueryStates } from '../common/query-states.js';
import { formatExactDateTime } from '../lib/format.js';
import { useRemoteFlows } from './flow-sync-queries.js';

const edited = (updatedAt: string) =>
  Number.isNaN(Date.parse(updatedAt)) ? '' : `Edited ${formatExactDateTime(updatedAt)}`;

/**
 * The flows a connection reaches in Activepieces, as one radio group with "Load more"; flows
 * already linked to a PMOS flow cannot be chosen again. `first` is an extra choice on top.
 */
export function RemoteFlowChoices({
  workspaceId,
  connectionId,
  chosen,
  onChoose,
  first,
}: {
  workspaceId: string;
  connectionId: string;
  chosen: string;
  onChoose: (externalId: string) => void;
  first?: ReactNode;
}) {
  const flows = useRemoteFlows(workspaceId, connectionId);
  return (
    <fieldset className="stack">
      <legend className="small muted">Flows in Activepieces</legend>
      {first}
      <QueryStates
        query={flows}
        loading="Asking Activepieces for its flows…"
        isEmpty={(data) => data.pages.every((page) => page.data.length === 0)}
        empty={
          <EmptyState
            title="No flows in this project"
            description="The Activepieces project this connection reaches has no flows yet."
          />
        }
      >
        {(data) => (
          <ul className="plain-list">
            {data.pages
              .flatMap((page) => page.data)
              .map((flow) => (
                <li key={flow.externalId} className="plain-list-row">
                  <label className="checkbox-label">
                    <input
                      type="radio"
                      name="remote-flow"
                      value={flow.externalId}
                      checked={chosen === flow.externalId}
                      disabled={flow.linkedFlowId !== null}
                      onChange={() => onChoose(flow.externalId)}
                    />
                    <span>
                      {flow.displayName}
                      <span className="muted small block">
                        {flow.linkedFlowId !== null
                          ? 'Already linked to a PMOS flow'
                          : edited(flow.updatedAt)}
                      </span>
                    </span>
                  </label>
                  {flow.status ? (
                    <Badge tone={flow.status === 'ENABLED' ? 'success' : 'neutral'}>
                      {flow.status === 'ENABLED' ? 'Enabled' : 'Disabled'}
                    </Badge>
                  ) : null}
                </li>
              ))}
          </ul>
        )}
      </QueryStates>
      <LoadMore list={flows} />
    </fieldset>
  );
}
