import { Badge, Button, Card, CardContent, EmptyState, FormField, Input, Select } from '@pmos/ui';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { FlowSummary, List, Member, RunStatus } from '../api-types.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { DownloadIcon, ZapIcon } from '../common/icons.js';
import { LiveNotice, type Notice } from '../common/live-notice.js';
import { LoadMore } from '../common/load-more.js';
import { PageHeader } from '../common/page-header.js';
import { pagedListOptions } from '../common/paged-list.js';
import { useNow } from '../common/use-now.js';
import { useUrlFilters } from '../common/use-url-filters.js';
import { api, errorMessage } from '../lib/api.js';
import { formatExactDateTime, formatRelative } from '../lib/format.js';
import { runStatusLabels, runStatusTones } from '../runs/run-format.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { useFlowSyncActions } from './flow-sync-actions.js';
import { useActivepiecesConnections } from './flow-sync-queries.js';
import { ImportRemoteFlowDialog } from './import-remote-flow-dialog.js';
import { SyncBadge, systemName, useFlowLinks } from './sync-badge.js';

const pageSize = 50;

/** A chosen file that is not an exported automation (said before anything is sent). */
class ImportFileError extends Error {}

export const flowsKey = (workspaceId: string) => ['workspaces', workspaceId, 'flows'] as const;

/**
 * `/w/:id/automations`: the workspace's flows — search and status, last run, publish state;
 * enable or disable, run now, duplicate, export, import a file, delete with confirmation.
 */
export function AutomationsPage() {
  const { workspace, can } = useWorkspace();
  const links = useFlowLinks(workspace.id);
  // Owners by name: the same list (and cache) as Settings › Members; every role may read it.
  const members = useQuery({
    queryKey: ['workspaces', workspace.id, 'members'],
    queryFn: () => api<List<Member>>('GET', `/api/workspaces/${workspace.id}/members`),
    enabled: can('members.read'),
  });
  const ownerOf = (flow: FlowSummary) =>
    flow.createdBy
      ? (members.data?.data.find((m) => m.userId === flow.createdBy)?.name ?? 'a former member')
      : null;
  const client = useQueryClient();
  const now = useNow(30_000);
  const filter = useUrlFilters();
  const search = filter.get('q');
  const status = filter.get('status');
  const [notice, setNotice] = useState<Notice>(null);
  const [deleting, setDeleting] = useState<FlowSummary | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const canWrite = can('flows.write');
  const canRun = can('flows.run');
  const base = `/api/workspaces/${workspace.id}/flows`;
  const navigate = useNavigate();
  const [importingRemote, setImportingRemote] = useState(false);
  const syncConnections = useActivepiecesConnections(workspace.id, canWrite);
  const sync = useFlowSyncActions({
    workspaceId: workspace.id,
    connections: syncConnections,
    onNotice: setNotice,
  });

  const setFilter = filter.set;

  const filters = Object.fromEntries(
    Object.entries({ search, status }).filter(([, v]) => v !== ''),
  );
  const flows = useInfiniteQuery({
    ...pagedListOptions<FlowSummary>(
      [...flowsKey(workspace.id), 'list', filters],
      base,
      filters,
      pageSize,
    ),
    refetchInterval: 15_000,
  });
  const rows = flows.data?.pages.flatMap((page) => page.data) ?? [];
  const refresh = () => client.invalidateQueries({ queryKey: flowsKey(workspace.id) });
  const done = (text: string) => {
    setNotice({ tone: 'success', text });
    void refresh();
  };
  const failed = (error: unknown) => setNotice({ tone: 'danger', text: errorMessage(error) });

  const setEnabled = useMutation({
    mutationFn: (flow: FlowSummary) =>
      api('POST', `${base}/${flow.id}/operations`, {
        revision: flow.revision,
        operations: [
          {
            type: 'CHANGE_STATUS',
            request: { status: flow.status === 'ENABLED' ? 'DISABLED' : 'ENABLED' },
          },
        ],
      }),
    onSuccess: (_data, flow) =>
      done(`${flow.displayName} is ${flow.status === 'ENABLED' ? 'disabled' : 'enabled'}.`),
    onError: failed,
  });
  const runNow = useMutation({
    mutationFn: (flow: FlowSummary) => api<{ id: string }>('POST', `${base}/${flow.id}/runs`, {}),
    onSuccess: (run, flow) =>
      setNotice({
        tone: 'success',
        text: (
          <>
            {flow.displayName} is running.{' '}
            <Link to={`/w/${workspace.id}/runs/${run.id}`}>Follow the run</Link>
          </>
        ),
      }),
    onError: failed,
  });
  const duplicate = useMutation({
    mutationFn: (flow: FlowSummary) => api<FlowSummary>('POST', `${base}/${flow.id}/duplicate`),
    onSuccess: (copy) => done(`Created ${copy.displayName}.`),
    onError: failed,
  });
  const importFile = useMutation({
    mutationFn: async (file: File) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await file.text());
      } catch {
        throw new ImportFileError(
          `${file.name} is not a JSON file. Choose a file exported from PMOS.`,
        );
      }
      return api<FlowSummary>('POST', `${base}/import`, parsed);
    },
    onSuccess: (flow) => done(`Imported ${flow.displayName}.`),
    onError: (error) =>
      error instanceof ImportFileError
        ? setNotice({ tone: 'danger', text: error.message })
        : failed(error),
  });
  const create = useMutation({
    mutationFn: () => api<FlowSummary>('POST', base, { displayName: 'Untitled automation' }),
    onSuccess: (flow) => navigate(`/w/${workspace.id}/flows/${flow.id}`),
    onError: failed,
  });
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) importFile.mutate(file);
  };

  const filtered = Boolean(search || status);
  const importButton = canWrite ? (
    <>
      <Button loading={create.isPending} onClick={() => create.mutate()}>
        New automation
      </Button>
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        className="visually-hidden"
        aria-label="Automation file to import"
        onChange={onFile}
      />
      <Button
        variant="secondary"
        disabled={importFile.isPending}
        onClick={() => fileInput.current?.click()}
      >
        {importFile.isPending ? 'Importing…' : 'Import from file'}
      </Button>
      {syncConnections.length > 0 ? (
        <Button variant="secondary" onClick={() => setImportingRemote(true)}>
          Import from Activepieces
        </Button>
      ) : null}
    </>
  ) : null;

  return (
    <div className="stack-lg">
      <PageHeader
        title="Automations"
        description="Flows that run steps for you when something happens."
        actions={importButton}
      />
      <LiveNotice notice={notice} />
      <Card>
        <CardContent className="stack">
          <search className="audit-filters" aria-label="Filter automations">
            <FormField label="Search" className="audit-filter audit-filter-wide">
              <Input
                type="search"
                defaultValue={search}
                placeholder="Name contains…"
                onChange={(event) => setFilter('q', event.target.value.trim())}
              />
            </FormField>
            <FormField label="Status" className="audit-filter">
              <Select value={status} onChange={(event) => setFilter('status', event.target.value)}>
                <option value="">Any status</option>
                <option value="ENABLED">Enabled</option>
                <option value="DISABLED">Disabled</option>
              </Select>
            </FormField>
          </search>
          {flows.isPending ? (
            <p className="muted" role="status">
              Loading automations…
            </p>
          ) : flows.isError && rows.length === 0 ? (
            <p className="muted">{errorMessage(flows.error)}</p>
          ) : rows.length === 0 ? (
            <EmptyState
              icon={<ZapIcon />}
              title={filtered ? 'No automations match' : 'No automations yet'}
              description={
                filtered
                  ? 'Nothing matches this search or status.'
                  : 'An automation starts from a trigger — a webhook, a schedule, a new item in a connected app — and runs steps in order. Start a new one in the Studio, or import one exported from PMOS.'
              }
              action={filtered ? undefined : (importButton ?? undefined)}
            />
          ) : (
            <>
              <div className="table-wrap" aria-busy={flows.isPlaceholderData || undefined}>
                <table className={`table audit-table${flows.isPlaceholderData ? ' is-stale' : ''}`}>
                  <thead>
                    <tr>
                      <th scope="col">Automation</th>
                      <th scope="col">Status</th>
                      <th scope="col">Last run</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((flow) => (
                      <tr key={flow.id} className="flow-row">
                        <td>
                          <Link
                            to={`/w/${workspace.id}/flows/${flow.id}`}
                            className="person-name flow-link"
                          >
                            {flow.displayName}
                          </Link>
                          <span className="muted small block">
                            {[
                              flow.folder ?? 'No folder',
                              ...flow.tags.map((t) => `#${t}`),
                              members.data && ownerOf(flow) ? `by ${ownerOf(flow)}` : null,
                            ]
                              .filter(Boolean)
                              .join(' · ')}
                          </span>
                          <SyncBadge
                            link={links.get(flow.id)}
                            system={systemName(links.get(flow.id)?.pluginId)}
                          />
                          {canWrite ? (
                            <span className="block">{sync.buttons(flow, links.get(flow.id))}</span>
                          ) : null}
                        </td>
                        <td>
                          {flow.status === 'ENABLED' && flow.triggerProblem ? (
                            <Badge tone="danger" title={flow.triggerProblem.message}>
                              Trigger not on
                            </Badge>
                          ) : (
                            <Badge tone={flow.status === 'ENABLED' ? 'success' : 'neutral'}>
                              {flow.status === 'ENABLED' ? 'Enabled' : 'Disabled'}
                            </Badge>
                          )}
                          <span className="muted small block">
                            {flow.publishedVersionNumber
                              ? `Published v${flow.publishedVersionNumber}`
                              : 'Draft only'}
                          </span>
                        </td>
                        <td className="nowrap">
                          {flow.lastRun ? (
                            <Link
                              to={`/w/${workspace.id}/runs?flow=${flow.id}`}
                              className="run-link"
                              title={formatExactDateTime(flow.lastRun.at)}
                            >
                              <Badge tone={runStatusTones[flow.lastRun.status as RunStatus]}>
                                {runStatusLabels[flow.lastRun.status as RunStatus]}
                              </Badge>{' '}
                              <span className="muted small">
                                {formatRelative(flow.lastRun.at, now)}
                              </span>
                            </Link>
                          ) : (
                            <span className="muted">Never ran</span>
                          )}
                        </td>
                        <td className="table-actions">
                          {canRun && flow.publishedVersionId ? (
                            <Button
                              variant="ghost"
                              size="sm"
                              disabled={runNow.isPending}
                              onClick={() => runNow.mutate(flow)}
                              aria-label={`Run ${flow.displayName} now`}
                            >
                              Run now
                            </Button>
                          ) : null}
                          {canWrite && flow.publishedVersionId ? (
                            <Button
                              variant="ghost"
                              size="sm"
                              disabled={setEnabled.isPending}
                              onClick={() => setEnabled.mutate(flow)}
                              aria-label={`${flow.status === 'ENABLED' ? 'Disable' : 'Enable'} ${flow.displayName}`}
                            >
                              {flow.status === 'ENABLED' ? 'Disable' : 'Enable'}
                            </Button>
                          ) : null}
                          {canWrite ? (
                            <Button
                              variant="ghost"
                              size="sm"
                              disabled={duplicate.isPending}
                              onClick={() => duplicate.mutate(flow)}
                              aria-label={`Duplicate ${flow.displayName}`}
                            >
                              Duplicate
                            </Button>
                          ) : null}
                          <Button asChild variant="ghost" size="sm">
                            <a
                              href={`${base}/${flow.id}/export`}
                              download
                              aria-label={`Export ${flow.displayName}`}
                            >
                              <DownloadIcon />
                            </a>
                          </Button>
                          {canWrite ? (
                            <Button
                              variant="ghost"
                              size="sm"
                              onClick={() => setDeleting(flow)}
                              aria-label={`Delete ${flow.displayName}`}
                            >
                              Delete
                            </Button>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <LoadMore list={flows} />
            </>
          )}
        </CardContent>
      </Card>
      {sync.dialogs}
      {importingRemote ? (
        <ImportRemoteFlowDialog
          workspaceId={workspace.id}
          connections={syncConnections}
          onClose={() => setImportingRemote(false)}
          onImported={({ flow }) => {
            setImportingRemote(false);
            setNotice({
              tone: 'success',
              text: (
                <>
                  Imported {flow.displayName} from Activepieces; the two are now linked.{' '}
                  <Link to={`/w/${workspace.id}/flows/${flow.id}`}>Open it in the Studio</Link>
                </>
              ),
            });
          }}
        />
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.displayName ?? 'this automation'}?`}
        description="The automation, its versions and its runs are deleted for good; its webhook and schedule stop. Export it first to keep a copy."
        confirmLabel="Delete automation"
        onConfirm={async () => {
          if (!deleting) return;
          await api('DELETE', `${base}/${deleting.id}`);
          done(`Deleted ${deleting.displayName}.`);
        }}
      />
    </div>
  );
}
