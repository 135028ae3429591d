import { Alert, Badge } from '@pmos/ui';
import { formatDuration } from '../runs/run-format.js';
import type { StepTestRecord } from './test-results.js';

const tones = { SUCCEEDED: 'success', FAILED: 'danger', SKIPPED: 'neutral' } as const;
const labels = { SUCCEEDED: 'Passed', FAILED: 'Failed', SKIPPED: 'Skipped' } as const;

/** The last test of a step: status, duration, error, and its input and output. */
export function TestResultView({ record }: { record: StepTestRecord }) {
  return (
    <div className="studio-test-result" aria-live="polite">
      <p className="studio-test-head">
        <Badge tone={tones[record.status]}>{labels[record.status]}</Badge>{' '}
        <span className="muted small">
          {record.origin === 'run' ? 'in the last test run' : 'tested alone'}
          {record.durationMs !== undefined ? ` · ${formatDuration(record.durationMs)}` : ''}
        </span>
      </p>
      {record.error ? (
        <Alert tone="danger" title="The step failed">
          {record.error.message}
        </Alert>
      ) : null}
      {record.input !== undefined ? (
        <details>
          <summary>Input</summary>
          <pre className="run-value">{JSON.stringify(record.input, null, 2)}</pre>
        </details>
      ) : null}
      {record.output !== undefined ? (
        <details open>
          <summary>Output</summary>
          <pre className="run-value">{JSON.stringify(record.output, null, 2)}</pre>
        </details>
      ) : null}
      {record.logs && record.logs.length > 0 ? (
        <details>
          <summary>Console</summary>
          <pre className="run-value">{record.logs.join('\n')}</pre>
        </details>
      ) : null}
    </div>
  );
}
