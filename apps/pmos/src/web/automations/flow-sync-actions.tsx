import { Button } from '@pmos/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import type { Connection, FlowLink, FlowSummary, SyncResult } from '../api-types.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import type { Notice } from '../common/live-notice.js';
import { api, errorMessage } from '../lib/api.js';
import { flowLinksKey } from './flow-sync-queries.js';
import { LinkFlowDialog } from './link-flow-dialog.js';
import { ResolveConflictDialog } from './resolve-conflict-dialog.js';

type Opened = { kind: 'link' | 'resolve' | 'unlink'; flow: FlowSummary } | null;

/** What a sync round did, for the page's notice. */
function outcomeNotice(flow: FlowSummary, result: SyncResult): Notice {
  const name = flow.displayName;
  switch (result.outcome) {
    case 'pushed':
      return { tone: 'success', text: `Sent ${name} to Activepieces.` };
    case 'pulled':
      return { tone: 'success', text: `Copied the Activepieces changes into ${name}.` };
    case 'unchanged':
      return { tone: 'success', text: `${name} is already in step with Activepieces.` };
    case 'busy':
      return {
        tone: 'success',
        text: `Someone is editing ${name} in Activepieces; PMOS tries again within a minute.`,
      };
    case 'conflict':
      return {
        tone: 'danger',
        text: `${name} was edited on both sides. Choose the version to keep with “Resolve conflict”.`,
      };
    case 'failed':
      return {
        tone: 'danger',
        text: result.link.error ?? `${name} could not be synced with Activepieces.`,
      };
  }
}

/**
 * Flow sync from the Automations list: "Sync now", "Resolve conflict", "Unlink" and
 * "Link to Activepieces…". `buttons(flow, link)` renders a row's buttons; `dialogs` the one
 * dialog open on the page. Every action refreshes the flow-links query, so badges follow.
 */
export function useFlowSyncActions({
  workspaceId,
  connections,
  onNotice,
}: {
  workspaceId: string;
  connections: Connection[];
  onNotice: (notice: Notice) => void;
}) {
  const client = useQueryClient();
  const [opened, setOpened] = useState<Opened>(null);
  const refresh = () => client.invalidateQueries({ queryKey: flowLinksKey(workspaceId) });
  const close = () => setOpened(null);
  const reported = (flow: FlowSummary, result: SyncResult) => {
    onNotice(outcomeNotice(flow, result));
    void refresh();
  };

  const syncNow = useMutation({
    mutationFn: (flow: FlowSummary) =>
      api<SyncResult>('POST', `/api/workspaces/${workspaceId}/flows/${flow.id}/link/sync`),
    onSuccess: (result, flow) => reported(flow, result),
    onError: (error) => {
      onNotice({ tone: 'danger', text: errorMessage(error) });
      void refresh();
    },
  });

  const buttons = (flow: FlowSummary, link: FlowLink | undefined): ReactNode => {
    if (!link) {
      if (connections.length === 0) return null;
      return (
        <Button
          variant="ghost"
          size="sm"
          onClick={() => setOpened({ kind: 'link', flow })}
          aria-label={`Link ${flow.displayName} to Activepieces`}
        >
          Link to Activepieces…
        </Button>
      );
    }
    return (
      <>
        {link.state === 'conflict' ? (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => setOpened({ kind: 'resolve', flow })}
            aria-label={`Resolve the conflict on ${flow.displayName}`}
          >
            Resolve conflict
          </Button>
        ) : (
          <Button
            variant="ghost"
            size="sm"
            loading={syncNow.isPending && syncNow.variables?.id === flow.id}
            disabled={syncNow.isPending}
            onClick={() => syncNow.mutate(flow)}
            aria-label={`Sync ${flow.displayName} now`}
          >
            Sync now
          </Button>
        )}
        <Button
          variant="ghost"
          size="sm"
          onClick={() => setOpened({ kind: 'unlink', flow })}
          aria-label={`Unlink ${flow.displayName} from Activepieces`}
        >
          Unlink
        </Button>
      </>
    );
  };

  const flow = opened?.flow;
  const dialogs = (
    <>
      {opened?.kind === 'link' && flow ? (
        <LinkFlowDialog
          workspaceId={workspaceId}
          flow={flow}
          connections={connections}
          onClose={close}
          onLinked={(result) => {
            close();
            reported(flow, result);
          }}
        />
      ) : null}
      {opened?.kind === 'resolve' && flow ? (
        <ResolveConflictDialog
          workspaceId={workspaceId}
          flow={flow}
          onClose={close}
          onResolved={(result, keep) => {
            close();
            onNotice(
              result.outcome === 'failed'
                ? outcomeNotice(flow, result)
                : {
                    tone: 'success',
                    text:
                      keep === 'pmos'
                        ? `Kept the PMOS version of ${flow.displayName}; Activepieces now has it too.`
                        : `Kept the Activepieces version of ${flow.displayName}; the PMOS draft now matches it.`,
                  },
            );
            void refresh();
            // Keeping the remote version rewrites the PMOS draft.
            void client.invalidateQueries({ queryKey: ['workspaces', workspaceId, 'flows'] });
          }}
        />
      ) : null}
      <ConfirmDialog
        open={opened?.kind === 'unlink'}
        onClose={close}
        title={`Unlink ${flow?.displayName ?? 'this automation'} from Activepieces?`}
        description="Both flows stay as they are, but edits are no longer copied between them. You can link them again later."
        confirmLabel="Unlink"
        onConfirm={async () => {
          if (!flow) return;
          await api('DELETE', `/api/workspaces/${workspaceId}/flows/${flow.id}/link`);
          onNotice({ tone: 'success', text: `Unlinked ${flow.displayName} from Activepieces.` });
          await refresh();
        }}
      />
    </>
  );

  return { buttons, dialogs };
}
