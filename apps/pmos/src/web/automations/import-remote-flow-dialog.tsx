import { Alert, Button, Dialog, DialogActions } from '@pmos/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Connection, ImportedFlow } from '../api-types.js';
import { api, errorMessage } from '../lib/api.js';
import { ConnectionChoice } from './connection-choice.js';
import { flowLinksKey } from './flow-sync-queries.js';
import { RemoteFlowChoices } from './remote-flow-choices.js';

/**
 * "Import from Activepieces": choose a connection and one of its flows; PMOS makes a new
 * flow from it, linked to it. Mounted only while open, so each opening starts afresh.
 */
export function ImportRemoteFlowDialog({
  workspaceId,
  connections,
  onClose,
  onImported,
}: {
  workspaceId: string;
  connections: Connection[];
  onClose: () => void;
  onImported: (imported: ImportedFlow) => void;
}) {
  const client = useQueryClient();
  const [connectionId, setConnectionId] = useState(connections[0]?.id ?? '');
  const [externalId, setExternalId] = useState('');
  const importFlow = useMutation({
    mutationFn: () =>
      api<ImportedFlow>('POST', `/api/workspaces/${workspaceId}/flow-sync/import`, {
        connectionId,
        externalId,
      }),
    onSuccess: async (imported) => {
      await client.invalidateQueries({ queryKey: ['workspaces', workspaceId, 'flows'] });
      await client.invalidateQueries({ queryKey: flowLinksKey(workspaceId) });
      onImported(imported);
    },
  });
  return (
    <Dialog
      open
      onClose={onClose}
      title="Import from Activepieces"
      description="PMOS makes a new automation from the flow you choose and keeps the two in step."
    >
      <div className="stack">
        <ConnectionChoice
          connections={connections}
          chosen={connectionId}
          onChoose={(id) => {
            setConnectionId(id);
            setExternalId('');
          }}
        />
        <RemoteFlowChoices
          workspaceId={workspaceId}
          connectionId={connectionId}
          chosen={externalId}
          onChoose={setExternalId}
        />
        {importFlow.isError ? <Alert tone="danger">{errorMessage(importFlow.error)}</Alert> : null}
      </div>
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button
          disabled={externalId === ''}
          loading={importFlow.isPending}
          onClick={() => importFlow.mutate()}
        >
          Import flow
        </Button>
      </DialogActions>
    </Dialog>
  );
}
