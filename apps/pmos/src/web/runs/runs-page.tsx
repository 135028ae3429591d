import { Alert, Badge, Button, Card, CardContent, EmptyState, FormField, Select } from '@pmos/ui';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'react-router';
import type { List, RunStatus, RunSummary } from '../api-types.js';
import { RunsIcon } from '../common/icons.js';
import { LoadMore } from '../common/load-more.js';
import { PageHeader } from '../common/page-header.js';
import { pagedListOptions } from '../common/paged-list.js';
import { useNow } from '../common/use-now.js';
import { useUrlFilters } from '../common/use-url-filters.js';
import { api, errorMessage } from '../lib/api.js';
import { formatExactDateTime, formatRelative } from '../lib/format.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { RemoteRuns } from './remote-runs.js';
import {
  formatDuration,
  runStatusLabels,
  runStatusTones,
  timeRanges,
  triggerKindLabels,
  unfinished,
} from './run-format.js';

const pageSize = 50;
const statuses = Object.keys(runStatusLabels) as RunStatus[];

export function runsKey(workspaceId: string) {
  return ['workspaces', workspaceId, 'runs'] as const;
}

/** `/w/:id/runs`: every run of the workspace, newest first, filtered, updating while runs go. */
export function RunsPage() {
  const { workspace } = useWorkspace();
  const now = useNow(15_000);
  const filter = useUrlFilters();
  const flowId = filter.get('flow');
  const status = filter.get('status');
  const range = filter.get('range');
  const filtered = Boolean(flowId || status || range);
  // The range is turned into a date once per choice, so pages of one list agree.
  const from = useMemo(() => {
    const ms = timeRanges.find((r) => r.value === range)?.ms ?? 0;
    return ms ? new Date(Date.now() - ms).toISOString() : '';
  }, [range]);

  const setFilter = filter.set;

  const flows = useQuery({
    queryKey: ['workspaces', workspace.id, 'flows', 'names'],
    queryFn: () =>
      api<List<{ id: string; displayName: string }>>(
        'GET',
        `/api/workspaces/${workspace.id}/flows?limit=100`,
      ),
  });

  const filters = Object.fromEntries(
    Object.entries({ flowId, status, from }).filter(([, v]) => v !== ''),
  );
  const runs = useInfiniteQuery({
    ...pagedListOptions<RunSummary>(
      [...runsKey(workspace.id), filters],
      `/api/workspaces/${workspace.id}/runs`,
      filters,
      pageSize,
    ),
    // Live status: every 2 s while a run on screen is queued or running; else new runs show
    // up within 5 s.
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.data.some((run) => unfinished(run.status)))
        ? 2000
        : 5000,
  });
  const rows = runs.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <div className="stack-lg">
      <PageHeader
        title="Runs"
        description="Every run of this workspace's automations: what started it, how it went, step by step."
      />
      <Card>
        <CardContent className="stack">
          <search className="audit-filters" aria-label="Filter runs">
            <FormField label="Automation" className="audit-filter audit-filter-wide">
              <Select value={flowId} onChange={(event) => setFilter('flow', event.target.value)}>
                <option value="">All automations</option>
                {flows.data?.data.map((flow) => (
                  <option key={flow.id} value={flow.id}>
                    {flow.displayName}
                  </option>
                ))}
              </Select>
            </FormField>
            <FormField label="Status" className="audit-filter">
              <Select value={status} onChange={(event) => setFilter('status', event.target.value)}>
                <option value="">Any status</option>
                {statuses.map((s) => (
                  <option key={s} value={s}>
                    {runStatusLabels[s]}
                  </option>
                ))}
              </Select>
            </FormField>
            <FormField label="Started" className="audit-filter">
              <Select value={range} onChange={(event) => setFilter('range', event.target.value)}>
                {timeRanges.map((r) => (
                  <option key={r.value} value={r.value}>
                    {r.label}
                  </option>
                ))}
              </Select>
            </FormField>
            {filtered && rows.length > 0 ? (
              <Button variant="ghost" className="audit-filters-clear" onClick={filter.clear}>
                Clear filters
              </Button>
            ) : null}
          </search>

          {runs.isPending ? (
            <p className="muted" role="status">
              Loading runs…
            </p>
          ) : runs.isError && rows.length === 0 ? (
            <Alert tone="danger" title="The runs could not be loaded">
              {errorMessage(runs.error)}
            </Alert>
          ) : rows.length === 0 ? (
            <EmptyState
              icon={<RunsIcon />}
              title={filtered ? 'No runs match these filters' : 'No runs yet'}
              description={
                filtered
                  ? 'Nothing matches. Choose another automation or status, or a longer time range.'
                  : 'A run appears here each time an automation starts — by hand, from its webhook, on its schedule or for a new item — with every step it took. Publish and enable an automation to see its runs.'
              }
              action={
                filtered ? (
                  <Button variant="secondary" onClick={filter.clear}>
                    Clear filters
                  </Button>
                ) : undefined
              }
            />
          ) : (
            <>
              <div className="table-wrap" aria-busy={runs.isPlaceholderData || undefined}>
                <table className={`table audit-table${runs.isPlaceholderData ? ' is-stale' : ''}`}>
                  <thead>
                    <tr>
                      <th scope="col">Status</th>
                      <th scope="col">Automation</th>
                      <th scope="col">Started by</th>
                      <th scope="col">Started</th>
                      <th scope="col">Duration</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((run) => (
                      <tr key={run.id} className="run-row">
                        <td>
                          <Badge tone={runStatusTones[run.status]}>
                            {runStatusLabels[run.status]}
                          </Badge>
                        </td>
                        <td>
                          <Link
                            to={`/w/${workspace.id}/runs/${run.id}`}
                            className="person-name run-link"
                          >
                            {run.flowDisplayName ?? 'Deleted automation'}
                          </Link>
                          {run.error ? (
                            <span
                              className="muted small block audit-ellipsis"
                              title={run.error.message}
                            >
                              {run.error.step ? `${run.error.step}: ` : ''}
                              {run.error.message}
                            </span>
                          ) : null}
                        </td>
                        <td>
                          {triggerKindLabels[run.triggerKind]}
                          {run.attempt > 1 ? (
                            <span className="muted small block">Attempt {run.attempt}</span>
                          ) : null}
                        </td>
                        <td className="nowrap">
                          <time dateTime={run.createdAt} title={formatExactDateTime(run.createdAt)}>
                            {formatRelative(run.createdAt, now)}
                          </time>
                        </td>
                        <td className="nowrap">
                          {unfinished(run.status) ? (
                            <span className="muted">{runStatusLabels[run.status]}…</span>
                          ) : (
                            formatDuration(run.durationMs)
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <LoadMore list={runs} label="Load older runs" />
            </>
          )}
        </CardContent>
      </Card>
      {flowId ? <RemoteRuns workspaceId={workspace.id} flowId={flowId} /> : null}
    </div>
  );
}
