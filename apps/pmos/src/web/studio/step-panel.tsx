import type {
  Flow,
  FlowOperationInput,
  FlowStep,
  PluginAction,
  PluginTrigger,
  StepProblem,
} from '@pmos/flow';
import { Alert, Button } from '@pmos/ui';
import { useMemo, useState } from 'react';
import type { Catalog, FlowView, OptionsResult } from '../api-types.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { api } from '../lib/api.js';
import { describeStep, propsOf, summarizeStep } from './catalog.js';
import { ConnectionField, connectionIdOf } from './connection-field.js';
import type { DataSource } from './data-picker.js';
import { CodeFields, LoopFields, RouterFields } from './logic-fields.js';
import { dependentsOf, type OptionsSource } from './options-source.js';
import { PropsForm } from './props-form.js';
import { StepIcon } from './step-icon.js';
import { setInputOperation, updateOperation } from './step-ops.js';
import { StepTest, TriggerData } from './step-test-section.js';
import { TemplateField } from './template-field.js';
import type { StepTestRecord } from './test-results.js';

export interface StepPanelProps {
  workspaceId: string;
  flow: FlowView;
  document: Flow;
  step: FlowStep;
  catalog: Catalog;
  problems: readonly StepProblem[];
  /** Earlier outputs: the data picker's, and the sample data a test of this step uses. */
  sources: readonly DataSource[];
  record: StepTestRecord | undefined;
  onRecord: (record: StepTestRecord) => void;
  edit: (operation: FlowOperationInput) => boolean;
  whenSaved: () => Promise<void>;
  readOnly: boolean;
  canRun: boolean;
  canManageConnections: boolean;
  onClose: () => void;
  onChangeTrigger: () => void;
  /** Opens the list of places to move the step to (the keyboard's drag and drop). */
  onStartMove: () => void;
}

/** The right-hand panel of the selected step: its name, connection, settings and test. */
export function StepPanel(props: StepPanelProps) {
  const { step, catalog, problems, readOnly, edit, onClose } = props;
  const [deleting, setDeleting] = useState(false);
  const summary = summarizeStep(catalog, step);
  const isTrigger = step.name === 'trigger';
  const propProblems = new Map(
    problems.filter((p) => p.prop).map((p) => [p.prop as string, p.message] as const),
  );
  // An empty trigger says what to do in its own section; the others list what is left.
  const general = problems.filter(
    (p) => !p.prop && p.code !== 'missing_connection' && p.code !== 'empty_trigger',
  );
  const connectionProblem = problems.find((p) => p.code === 'missing_connection')?.message;

  return (
    <aside className="studio-panel" aria-label={`Settings of ${step.displayName}`}>
      <header className="studio-panel-head">
        <StepIcon step={step} pluginId={summary.pluginId} label={summary.pluginName} size={36} />
        <div className="studio-panel-title">
          {readOnly ? (
            <h2>{step.displayName}</h2>
          ) : (
            <TemplateField
              aria-label="Step name"
              fieldLabel="Step name"
              acceptsData={false}
              className="studio-name-input"
              value={step.displayName}
              onCommit={(displayName) => {
                if (displayName.trim())
                  edit(updateOperation(step, { displayName: displayName.trim() }));
              }}
            />
          )}
          <p className="muted small">
            {summary.subtitle} · <code>{step.name}</code>
          </p>
        </div>
        <Button variant="ghost" size="sm" onClick={onClose} aria-label="Close the step panel">
          ×
        </Button>
      </header>

      <div className="studio-panel-body">
        {general.length > 0 ? (
          <Alert tone="danger" title="To fix before this step can run">
            <ul className="studio-problems">
              {general.map((p) => (
                <li key={`${p.code}-${p.message}`}>{p.message}</li>
              ))}
            </ul>
          </Alert>
        ) : null}

        {!readOnly && step.type !== 'EMPTY' ? (
          <div className="studio-inline-actions">
            {isTrigger ? (
              <Button variant="secondary" size="sm" onClick={props.onChangeTrigger}>
                Change trigger
              </Button>
            ) : (
              <>
                <Button
                  variant="ghost"
                  size="sm"
                  aria-keyshortcuts="M"
                  title="Move this step (M on its card)"
                  onClick={props.onStartMove}
                >
                  Move…
                </Button>
                <Button
                  variant="ghost"
                  size="sm"
                  onClick={() =>
                    edit({ type: 'DUPLICATE_ACTION', request: { stepName: step.name } })
                  }
                >
                  Duplicate
                </Button>
                <Button
                  variant="ghost"
                  size="sm"
                  onClick={() =>
                    edit({
                      type: 'SET_SKIP_ACTION',
                      request: { names: [step.name], skip: !('skip' in step && step.skip) },
                    })
                  }
                >
                  {'skip' in step && step.skip ? 'Stop skipping' : 'Skip this step'}
                </Button>
                <Button variant="ghost" size="sm" onClick={() => setDeleting(true)}>
                  Delete
                </Button>
              </>
            )}
          </div>
        ) : null}

        <StepSettings
          {...props}
          propProblems={propProblems}
          connectionProblem={connectionProblem}
        />

        {step.type === 'PLUGIN' || step.type === 'CODE' ? <StepTest {...props} /> : null}
        {step.type === 'PLUGIN_TRIGGER' ? <TriggerData {...props} step={step} /> : null}
      </div>

      <ConfirmDialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete ${step.displayName}?`}
        description={
          step.type === 'LOOP_ON_ITEMS' || step.type === 'ROUTER'
            ? 'The steps inside it are deleted too. Undo brings them back.'
            : 'Undo brings it back.'
        }
        confirmLabel="Delete step"
        onConfirm={async () => {
          edit({ type: 'DELETE_ACTION', request: { names: [step.name] } });
          onClose();
        }}
      />
    </aside>
  );
}

function StepSettings({
  workspaceId,
  step,
  catalog,
  edit,
  readOnly,
  canManageConnections,
  propProblems,
  connectionProblem,
  onChangeTrigger,
}: StepPanelProps & {
  propProblems: ReadonlyMap<string, string>;
  connectionProblem: string | undefined;
}) {
  switch (step.type) {
    case 'EMPTY':
      return (
        <div className="studio-empty-trigger">
          <p>
            Nothing starts this flow yet. Choose a trigger: a webhook, a schedule, an event in a
            connected app, or a person starting it by hand.
          </p>
          {readOnly ? null : <Button onClick={onChangeTrigger}>Choose a trigger</Button>}
        </div>
      );
    case 'LOOP_ON_ITEMS':
      return (
        <LoopFields
          step={step}
          edit={edit}
          readOnly={readOnly}
          problem={propProblems.get('items')}
        />
      );
    case 'ROUTER':
      return <RouterFields step={step} edit={edit} readOnly={readOnly} />;
    case 'CODE':
      return <CodeFields step={step} edit={edit} readOnly={readOnly} />;
    default:
      return (
        <PluginSettings
          workspaceId={workspaceId}
          step={step}
          catalog={catalog}
          edit={edit}
          readOnly={readOnly}
          canManageConnections={canManageConnections}
          propProblems={propProblems}
          connectionProblem={connectionProblem}
        />
      );
  }
}

function PluginSettings({
  workspaceId,
  step,
  catalog,
  edit,
  readOnly,
  canManageConnections,
  propProblems,
  connectionProblem,
}: {
  workspaceId: string;
  step: PluginAction | PluginTrigger;
  catalog: Catalog;
  edit: StepPanelProps['edit'];
  readOnly: boolean;
  canManageConnections: boolean;
  propProblems: ReadonlyMap<string, string>;
  connectionProblem: string | undefined;
}) {
  const described = describeStep(catalog, step);
  const input = step.settings.input as Record<string, unknown>;
  const connectionId = connectionIdOf(input.auth);
  const stepId = step.type === 'PLUGIN' ? step.settings.actionId : step.settings.triggerId;
  const needsConnection = described ? described.connector.auth.kind !== 'none' : false;
  const source = useMemo<OptionsSource | null>(() => {
    if (!described) return null;
    const { pluginId, connectorId } = step.settings;
    return {
      key: [workspaceId, pluginId, connectorId, stepId, connectionId ?? null],
      blocked: needsConnection && !connectionId ? 'Choose a connection first.' : undefined,
      load: (prop, values, searchValue, signal) => {
        const { auth: _auth, ...others } = values;
        return api<OptionsResult>(
          'POST',
          `/api/workspaces/${workspaceId}/plugins/${pluginId}/options`,
          {
            connectorId,
            stepId,
            prop,
            ...(connectionId ? { connectionId } : {}),
            props: others,
            ...(searchValue ? { searchValue } : {}),
          },
          { signal },
        );
      },
    };
  }, [described, step.settings, workspaceId, stepId, connectionId, needsConnection]);

  if (!described?.definition) {
    return (
      <Alert tone="danger" title="This step’s plugin is not available">
        {described
          ? `${described.connector.displayName} no longer offers this ${step.type === 'PLUGIN' ? 'action' : 'trigger'}.`
          : `The plugin “${step.settings.pluginId}” is not enabled in this workspace. An admin can enable it in Settings › Plugins.`}
      </Alert>
    );
  }
  const props = propsOf(described.definition);
  return (
    <div className="stack">
      {described.definition.description ? (
        <p className="muted small">{described.definition.description}</p>
      ) : null}
      {needsConnection ? (
        <ConnectionField
          workspaceId={workspaceId}
          connector={described.connector}
          value={input.auth}
          readOnly={readOnly}
          canManage={canManageConnections}
          problem={connectionProblem}
          onChange={(reference) => {
            // Dropdown options depend on the account: what was chosen for another one goes.
            const dependents = Object.entries(props)
              .filter(([, p]) => p.dynamic)
              .map(([name]) => name);
            const op = setInputOperation(step, 'auth', reference, dependents);
            if (op) edit(op);
          }}
        />
      ) : null}
      <PropsForm
        props={props}
        values={input}
        problems={propProblems}
        source={source}
        readOnly={readOnly}
        onChange={(name, value) => {
          const op = setInputOperation(step, name, value, dependentsOf(props, name));
          if (op) edit(op);
        }}
      />
    </div>
  );
}
