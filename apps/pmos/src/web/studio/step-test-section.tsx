import type { PluginTrigger } from '@pmos/flow';
import { Alert, Button, FormField } from '@pmos/ui';
import { useMutation } from '@tanstack/react-query';
import type { StepTestResult } from '../api-types.js';
import { CopyField } from '../common/copy-field.js';
import { api, errorMessage } from '../lib/api.js';
import { describeStep } from './catalog.js';
import { sampleDataFor } from './data-sources.js';
import { sampleOutputOf, updateOperation } from './step-ops.js';
import type { StepPanelProps } from './step-panel.js';
import { TestResultView } from './test-result-view.js';

/** Tests the step alone with the outputs of the steps before it, and shows the last result. */
export function StepTest({
  workspaceId,
  flow,
  step,
  sources,
  record,
  onRecord,
  whenSaved,
  canRun,
  readOnly,
}: StepPanelProps) {
  const test = useMutation({
    mutationFn: async () => {
      await whenSaved();
      return api<StepTestResult>(
        'POST',
        `/api/workspaces/${workspaceId}/flows/${flow.id}/steps/${step.name}/test`,
        { sampleData: sampleDataFor(sources) },
      );
    },
    onSuccess: (result) =>
      onRecord({
        status: result.status,
        input: result.input,
        output: result.output,
        error: result.error,
        logs: result.logs,
        durationMs: result.durationMs,
        at: new Date().toISOString(),
        origin: 'test',
      }),
  });
  return (
    <section className="studio-test" aria-label="Test this step">
      <div className="studio-test-bar">
        <h3>Test</h3>
        {canRun && !readOnly ? (
          <Button
            variant="secondary"
            size="sm"
            loading={test.isPending}
            onClick={() => test.mutate()}
          >
            {test.isPending ? 'Testing…' : record ? 'Test again' : 'Test step'}
          </Button>
        ) : null}
      </div>
      {test.isError ? <Alert tone="danger">{errorMessage(test.error)}</Alert> : null}
      {record ? (
        <TestResultView record={record} />
      ) : (
        <p className="muted small">
          Testing runs this step for real with the data of the steps before it; its output then
          appears in the data picker of the steps after it.
        </p>
      )}
    </section>
  );
}

/** A trigger's address (webhooks) and the sample event the steps after it are built with. */
export function TriggerData({
  flow,
  step,
  catalog,
  edit,
  readOnly,
}: StepPanelProps & { step: PluginTrigger }) {
  const described = describeStep(catalog, step);
  const strategy =
    described?.definition && 'strategy' in described.definition
      ? described.definition.strategy
      : undefined;
  const sample = sampleOutputOf(catalog, step);
  const current = step.settings.sampleData;
  return (
    <section className="studio-test" aria-label="Trigger data">
      {strategy === 'webhook' ? (
        <FormField
          label="Webhook URL"
          hint="Requests to this address start the published flow. Add /sync to wait for its answer."
        >
          <CopyField value={`${window.location.origin}${flow.webhookPath}`} />
        </FormField>
      ) : null}
      <div className="studio-test-bar">
        <h3>Sample data</h3>
        {!readOnly && sample !== undefined ? (
          <Button
            variant="secondary"
            size="sm"
            onClick={() =>
              edit(updateOperation(step, { settings: { ...step.settings, sampleData: sample } }))
            }
          >
            {current === undefined ? 'Use sample data' : 'Reset sample data'}
          </Button>
        ) : null}
      </div>
      {current !== undefined ? (
        <pre className="run-value">{JSON.stringify(current, null, 2)}</pre>
      ) : (
        <p className="muted small">
          {sample !== undefined
            ? 'The steps after the trigger are built and tested with an example event; use the plugin’s sample, or test the whole flow to record a real one.'
            : 'Test the whole flow to record an event the steps after the trigger can use.'}
        </p>
      )}
    </section>
  );
}
