import { Alert, Badge, Button, Card, CardContent, CardHeader, CardTitle } from '@pmos/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Run, StepRecord } from '../api-types.js';
import { ChevronDownIcon } from '../common/icons.js';
import { LiveNotice, type Notice } from '../common/live-notice.js';
import { PageHeader } from '../common/page-header.js';
import { QueryStates } from '../common/query-states.js';
import { api, errorMessage } from '../lib/api.js';
import { formatExactDateTime } from '../lib/format.js';
import { useWorkspace } from '../shell/use-workspace.js';
import {
  formatBytes,
  formatDuration,
  isTruncated,
  runStatusLabels,
  runStatusTones,
  stepStatusLabels,
  stepStatusTones,
  triggerKindLabels,
  unfinished,
} from './run-format.js';
import { runsKey } from './runs-page.js';

const runKey = (workspaceId: string, runId: string) => [...runsKey(workspaceId), runId] as const;

/**
 * Follows a run while it goes: the server streams the whole run at each change (server-sent
 * events) into the query cache; the stream ends with the run.
 */
function useLiveRun(workspaceId: string, runId: string, live: boolean) {
  const client = useQueryClient();
  useEffect(() => {
    if (!live) return;
    const source = new EventSource(`/api/workspaces/${workspaceId}/runs/${runId}/events`);
    source.addEventListener('run', (event) => {
      const run = JSON.parse((event as MessageEvent<string>).data) as Run;
      client.setQueryData(runKey(workspaceId, runId), run);
      if (!unfinished(run.status)) {
        source.close();
        void client.invalidateQueries({ queryKey: runsKey(workspaceId), exact: false });
      }
    });
    // On a dropped connection the browser reconnects by itself; the first event catches up.
    return () => source.close();
  }, [client, workspaceId, runId, live]);
}

/** `/w/:id/runs/:runId`: one run, its timeline, and what can be done about it. */
export function RunPage() {
  const { workspace, can } = useWorkspace();
  const { runId = '' } = useParams();
  const client = useQueryClient();
  const [notice, setNotice] = useState<Notice>(null);
  const run = useQuery({
    queryKey: runKey(workspace.id, runId),
    queryFn: () => api<Run>('GET', `/api/workspaces/${workspace.id}/runs/${runId}`),
  });
  const going = run.data ? unfinished(run.data.status) : false;
  useLiveRun(workspace.id, runId, going);

  const act = useMutation({
    mutationFn: (action: { kind: 'cancel' } | { kind: 'retry'; from: 'start' | 'failed_step' }) =>
      action.kind === 'cancel'
        ? api<Run>('POST', `/api/workspaces/${workspace.id}/runs/${runId}/cancel`, {})
        : api<Run>('POST', `/api/workspaces/${workspace.id}/runs/${runId}/retry`, {
            from: action.from,
          }),
    onSuccess: (updated, action) => {
      client.setQueryData(runKey(workspace.id, runId), updated);
      setNotice({
        tone: 'success',
        text:
          action.kind === 'cancel'
            ? 'Cancelling the run…'
            : action.from === 'start'
              ? 'The run starts again from the beginning.'
              : 'The run starts again from its failed step.',
      });
    },
    onError: (error) => setNotice({ tone: 'danger', text: errorMessage(error) }),
  });

  const title = run.data?.flowDisplayName ?? 'Run';
  const canRun = can('flows.run');
  const data = run.data;
  const retryable = data && ['FAILED', 'TIMED_OUT', 'CANCELLED'].includes(data.status);

  return (
    <div className="stack-lg">
      <PageHeader
        title={title}
        description={
          <Link to={`/w/${workspace.id}/runs`} className="run-back">
            ← All runs
          </Link>
        }
        actions={
          data && canRun ? (
            going ? (
              <Button
                variant="secondary"
                disabled={act.isPending || data.cancelRequested}
                onClick={() => act.mutate({ kind: 'cancel' })}
              >
                {data.cancelRequested ? 'Cancelling…' : 'Cancel run'}
              </Button>
            ) : retryable ? (
              <>
                {data.error?.step ? (
                  <Button
                    disabled={act.isPending}
                    onClick={() => act.mutate({ kind: 'retry', from: 'failed_step' })}
                  >
                    Retry from failed step
                  </Button>
                ) : null}
                <Button
                  variant={data.error?.step ? 'secondary' : 'primary'}
                  disabled={act.isPending}
                  onClick={() => act.mutate({ kind: 'retry', from: 'start' })}
                >
                  Retry from start
                </Button>
              </>
            ) : null
          ) : null
        }
      />
      <LiveNotice notice={notice} />
      <QueryStates query={run} loading="Loading the run…">
        {(current) => (
          <>
            <Card>
              <CardContent>
                <dl className="run-facts">
                  <div>
                    <dt>Status</dt>
                    <dd>
                      <Badge tone={runStatusTones[current.status]}>
                        {runStatusLabels[current.status]}
                      </Badge>
                    </dd>
                  </div>
                  <div>
                    <dt>Started by</dt>
                    <dd>
                      {triggerKindLabels[current.triggerKind]}
                      {current.draft ? ' (draft)' : ''}
                    </dd>
                  </div>
                  <div>
                    <dt>Started</dt>
                    <dd>{formatExactDateTime(current.startedAt ?? current.createdAt)}</dd>
                  </div>
                  <div>
                    <dt>Duration</dt>
                    <dd>{going ? 'Running…' : formatDuration(current.durationMs)}</dd>
                  </div>
                  <div>
                    <dt>Attempt</dt>
                    <dd>{current.attempt}</dd>
                  </div>
                </dl>
                {current.error ? (
                  <Alert
                    tone="danger"
                    title={
                      current.error.step ? `Failed at ${current.error.step}` : 'The run failed'
                    }
                  >
                    {current.error.message}
                  </Alert>
                ) : null}
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle>Steps</CardTitle>
              </CardHeader>
              <CardContent>
                <ol className="run-timeline" aria-label="Steps of this run">
                  {current.steps.map((step) => (
                    <StepItem
                      key={`${step.name}|${step.iteration?.join('.') ?? ''}|${step.startedAt}`}
                      step={step}
                    />
                  ))}
                </ol>
                {current.recordsDropped > 0 ? (
                  <p className="muted small">
                    {current.recordsDropped} more step records were not kept: a run keeps its first
                    1,000.
                  </p>
                ) : null}
                {current.steps.length === 0 ? (
                  <p className="muted">
                    {going ? 'Waiting for a worker to start the run…' : 'No step ran.'}
                  </p>
                ) : null}
              </CardContent>
            </Card>
          </>
        )}
      </QueryStates>
    </div>
  );
}

export function StepItem({ step }: { step: StepRecord }) {
  const [open, setOpen] = useState(step.status === 'FAILED');
  const detailsId = `step-${step.name}-${step.iteration?.join('-') ?? 'top'}-${step.startedAt}`;
  return (
    <li className={`run-step run-step--${step.status.toLowerCase()}`}>
      <div className="run-step-head">
        <Button
          variant="ghost"
          size="sm"
          className="audit-toggle"
          aria-expanded={open}
          aria-controls={detailsId}
          onClick={() => setOpen(!open)}
        >
          <ChevronDownIcon />
          <span className="visually-hidden">{open ? 'Hide' : 'Show'} details of</span>
        </Button>
        <span className="run-step-name">
          <span className="person-name">{step.displayName}</span>{' '}
          <code className="audit-code">{step.name}</code>
          {step.iteration ? (
            <span className="muted small">
              {' '}
              item {step.iteration.map((i) => i + 1).join(' › ')}
            </span>
          ) : null}
        </span>
        <Badge tone={stepStatusTones[step.status]}>{stepStatusLabels[step.status]}</Badge>
        <span className="muted small nowrap">
          {step.status === 'RUNNING' ? 'running…' : formatDuration(step.durationMs)}
          {step.attempts > 1 ? ` · ${step.attempts} attempts` : ''}
        </span>
      </div>
      {open ? (
        <div id={detailsId} className="run-step-details">
          {step.error ? (
            <Alert tone="danger" title={step.error.code}>
              {step.error.message}
            </Alert>
          ) : null}
          {step.input !== undefined ? <Value label="Input" value={step.input} /> : null}
          {step.output !== undefined ? <Value label="Output" value={step.output} /> : null}
          {step.logs && step.logs.length > 0 ? (
            <div>
              <h4 className="run-value-label">Console</h4>
              <pre className="run-value">{step.logs.join('\n')}</pre>
            </div>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function Value({ label, value }: { label: string; value: unknown }) {
  return (
    <div>
      <h4 className="run-value-label">{label}</h4>
      {isTruncated(value) ? (
        <>
          <p className="muted small">
            Too large to keep ({formatBytes(value.bytes)}): the beginning is shown. The next steps
            received all of it.
          </p>
          <pre className="run-value">{value.preview}…</pre>
        </>
      ) : (
        <pre className="run-value">{JSON.stringify(value, null, 2)}</pre>
      )}
    </div>
  );
}
