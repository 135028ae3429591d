import { Alert, Button, Dialog, DialogActions } from '@pmos/ui';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Connection, FlowSummary, SyncResult } from '../api-types.js';
import { api, errorMessage } from '../lib/api.js';
import { ConnectionChoice } from './connection-choice.js';
import { RemoteFlowChoices } from './remote-flow-choices.js';

/** The radio value of "make a new Activepieces flow from this one". */
const newRemoteFlow = '';

/**
 * "Link to Activepieces…": keep a PMOS flow in step with a new Activepieces flow made from it,
 * or with one that exists there already. Mounted only while open.
 */
export function LinkFlowDialog({
  workspaceId,
  flow,
  connections,
  onClose,
  onLinked,
}: {
  workspaceId: string;
  flow: FlowSummary;
  connections: Connection[];
  onClose: () => void;
  onLinked: (result: SyncResult) => void;
}) {
  const [connectionId, setConnectionId] = useState(connections[0]?.id ?? '');
  const [externalId, setExternalId] = useState(newRemoteFlow);
  const link = useMutation({
    mutationFn: () =>
      api<SyncResult>('PUT', `/api/workspaces/${workspaceId}/flows/${flow.id}/link`, {
        connectionId,
        ...(externalId === newRemoteFlow ? {} : { externalId }),
      }),
    onSuccess: onLinked,
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Link ${flow.displayName} to Activepieces`}
      description="Once linked, edits on either side are copied to the other; when both change, you choose which to keep."
    >
      <div className="stack">
        <ConnectionChoice
          connections={connections}
          chosen={connectionId}
          onChoose={(id) => {
            setConnectionId(id);
            setExternalId(newRemoteFlow);
          }}
        />
        <RemoteFlowChoices
          workspaceId={workspaceId}
          connectionId={connectionId}
          chosen={externalId}
          onChoose={setExternalId}
          first={
            <label className="checkbox-label">
              <input
                type="radio"
                name="remote-flow"
                value="new"
                checked={externalId === newRemoteFlow}
                onChange={() => setExternalId(newRemoteFlow)}
              />
              A new Activepieces flow made from this one
            </label>
          }
        />
        {externalId !== newRemoteFlow ? (
          <p className="muted small">
            PMOS compares the two flows; if they differ, you choose which version to keep.
          </p>
        ) : null}
        {link.isError ? <Alert tone="danger">{errorMessage(link.error)}</Alert> : null}
      </div>
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button loading={link.isPending} onClick={() => link.mutate()}>
          Link flow
        </Button>
      </DialogActions>
    </Dialog>
  );
}
