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

/** Fields that usually name an event's subject, most telling first. */
const namingKeys = ['title', 'name', 'subject', 'content', 'summary', 'text', 'message', 'email'];

/**
 * How an event reads in a short list: the text that names its subject (a to-do's content, an
 * issue's title …, looked for a few levels down) with its id when it has one, else its JSON
 * cut to one line.
 */
export function eventPreview(event: unknown, max = 120): string {
  let level: unknown[] = [event];
  for (let depth = 0; depth < 3 && level.length > 0; depth++) {
    const objects = level.filter(
      (v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v),
    );
    for (const key of namingKeys) {
      const owner = objects.find((o) => typeof o[key] === 'string' && o[key] !== '');
      if (owner) {
        const id = owner.id;
        const named = `${owner[key]}${typeof id === 'string' || typeof id === 'number' ? ` · #${id}` : ''}`;
        return cut(named, max);
      }
    }
    level = objects.flatMap((o) => Object.values(o));
  }
  return cut(JSON.stringify(event) ?? 'null', max);
}

const cut = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/**
 * A trigger's address (webhooks) and the sample event the steps after it are built with: the
 * plugin's example, or a real recent event loaded from the trigger ("Load a real event").
 */
export function TriggerData({
  workspaceId,
  flow,
  step,
  catalog,
  edit,
  readOnly,
  canRun,
  whenSaved,
}: StepPanelProps & { step: PluginTrigger }) {
  const described = describeStep(catalog, step);
  const definition =
    described?.definition && 'strategy' in described.definition ? described.definition : undefined;
  const sample = sampleOutputOf(catalog, step);
  const current = step.settings.sampleData;
  const use = (event: unknown) =>
    edit(updateOperation(step, { settings: { ...step.settings, sampleData: event } }));
  const load = useMutation({
    mutationFn: async () => {
      await whenSaved();
      return api<StepTestResult>(
        'POST',
        `/api/workspaces/${workspaceId}/flows/${flow.id}/steps/trigger/test`,
        { sampleData: {} },
      );
    },
    onSuccess: (result) => {
      const [newest] = Array.isArray(result.output) ? result.output : [];
      if (result.status === 'SUCCEEDED' && newest !== undefined) use(newest);
    },
  });
  const loaded =
    load.data?.status === 'SUCCEEDED' && Array.isArray(load.data.output)
      ? (load.data.output as unknown[])
      : null;
  const canLoad = definition?.testable === true && canRun && !readOnly;
  return (
    <section className="studio-test" aria-label="Trigger data">
      {definition?.strategy === 'webhook' ? (
        <FormField
          label="Webhook URL"
          hint="Requests to this address start the published flow. Add /sync to wait for its answer."
        >
          <CopyField value={`${window.location.origin}${flow.webhookPath}`} />
        </FormField>
      ) : null}
      <div className="studio-test-bar">
        <h3>Sample data</h3>
        <span className="studio-inline-actions">
          {canLoad ? (
            <Button
              variant="secondary"
              size="sm"
              loading={load.isPending}
              onClick={() => load.mutate()}
            >
              {load.isPending ? 'Loading…' : 'Load a real event'}
            </Button>
          ) : null}
          {!readOnly && sample !== undefined ? (
            <Button variant="ghost" size="sm" onClick={() => use(sample)}>
              {current === undefined ? 'Use sample data' : 'Use the plugin’s example'}
            </Button>
          ) : null}
        </span>
      </div>
      {load.isError ? <Alert tone="danger">{errorMessage(load.error)}</Alert> : null}
      {load.data?.status === 'FAILED' ? (
        <Alert tone="danger" title="The trigger could not load its events">
          {load.data.error?.message}
        </Alert>
      ) : null}
      {loaded?.length === 0 ? (
        <Alert tone="info">
          No recent events to load yet. Make one happen in{' '}
          {described?.connector.displayName ?? 'the service'}, then load again.
        </Alert>
      ) : null}
      {loaded && loaded.length > 1 ? (
        <div className="studio-events">
          <p className="muted small">
            {loaded.length} recent events, newest first. The steps after the trigger use the one you
            pick:
          </p>
          <ol>
            {loaded.map((event) => (
              <li key={JSON.stringify(event)}>
                <button
                  type="button"
                  className="studio-event"
                  aria-pressed={JSON.stringify(event) === JSON.stringify(current)}
                  onClick={() => use(event)}
                  disabled={readOnly}
                  title={cut(JSON.stringify(event) ?? 'null', 400)}
                >
                  {eventPreview(event)}
                </button>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      {current !== undefined ? (
        <pre className="run-value">{JSON.stringify(current, null, 2)}</pre>
      ) : (
        <p className="muted small">
          {canLoad
            ? 'The steps after the trigger are built and tested with an example event: load a real one from the trigger, use the plugin’s example, or test the whole flow to record one.'
            : sample !== undefined
              ? 'The steps after the trigger are built and tested with an example event; use the plugin’s sample, or test the whole flow to record a real one.'
              : 'Test the whole flow to record an event the steps after the trigger can use.'}
        </p>
      )}
    </section>
  );
}
