import { Alert, Badge, Button } from '@pmos/ui';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { Run } from '../api-types.js';
import { runStatusLabels, runStatusTones, unfinished } from '../runs/run-format.js';
import { StepItem } from '../runs/run-page.js';
import type { StepTestRecord } from './test-results.js';
import { useLiveRun } from './use-live-run.js';

/** Each step's outcome in a finished test run, as the Studio keeps it (first loop pass only). */
export function recordsOfRun(run: Run): Record<string, StepTestRecord> {
  const records: Record<string, StepTestRecord> = {};
  for (const step of run.steps) {
    if (step.status === 'RUNNING' || records[step.name]) continue;
    records[step.name] = {
      status: step.status,
      input: step.input,
      output: step.output,
      error: step.error ? { code: step.error.code, message: step.error.message } : undefined,
      logs: step.logs,
      durationMs: step.durationMs,
      at: step.finishedAt ?? step.startedAt,
      origin: 'run',
    };
  }
  return records;
}

/** The test run of the whole draft, live: each step's input, output or error as it goes. */
export function TestRunPanel({
  workspaceId,
  runId,
  onFinished,
  onClose,
}: {
  workspaceId: string;
  runId: string;
  onFinished: (run: Run) => void;
  onClose: () => void;
}) {
  const run = useLiveRun(workspaceId, runId);
  const reported = useRef<string | null>(null);
  const data = run.data;
  useEffect(() => {
    if (data && !unfinished(data.status) && reported.current !== data.id) {
      reported.current = data.id;
      onFinished(data);
    }
  }, [data, onFinished]);
  return (
    <aside className="studio-panel" aria-label="Test run">
      <header className="studio-panel-head">
        <div className="studio-panel-title">
          <h2>Test run</h2>
          <p className="muted small">
            The draft, run once with the trigger’s sample data.{' '}
            <Link to={`/w/${workspaceId}/runs/${runId}`}>Open in Runs</Link>
          </p>
        </div>
        <Button variant="ghost" size="sm" onClick={onClose} aria-label="Close the test run">
          ×
        </Button>
      </header>
      <div className="studio-panel-body">
        {run.isError ? <Alert tone="danger">The run could not be loaded.</Alert> : null}
        {data ? (
          <>
            <p aria-live="polite">
              <Badge tone={runStatusTones[data.status]}>{runStatusLabels[data.status]}</Badge>
            </p>
            {data.error ? (
              <Alert
                tone="danger"
                title={data.error.step ? `Failed at ${data.error.step}` : 'The run failed'}
              >
                {data.error.message}
              </Alert>
            ) : null}
            <ol className="run-timeline" aria-label="Steps of the test run">
              {data.steps.map((step) => (
                <StepItem
                  key={`${step.name}|${step.iteration?.join('.') ?? ''}|${step.startedAt}`}
                  step={step}
                />
              ))}
            </ol>
            {data.steps.length === 0 ? (
              <p className="muted small">
                {unfinished(data.status) ? 'Starting…' : 'No step ran.'}
              </p>
            ) : null}
          </>
        ) : (
          <p className="muted" role="status">
            Starting the test run…
          </p>
        )}
      </div>
    </aside>
  );
}
