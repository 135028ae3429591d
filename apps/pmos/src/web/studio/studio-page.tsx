import './studio.css';
import {
  allSteps,
  type Flow,
  type FlowOperationInput,
  getStep,
  type StepProblem,
  validateFlow,
} from '@pmos/flow';
import { Alert } from '@pmos/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Link, useParams } from 'react-router';
import type { Catalog, FlowVersion, FlowVersionDetail, FlowView, Run } from '../api-types.js';
import type { Notice } from '../common/live-notice.js';
import { useDocumentTitle } from '../common/use-document-title.js';
import { api, errorMessage } from '../lib/api.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { toFlowCatalog } from './catalog.js';
import { DataPicker } from './data-picker.js';
import { DataPickerContext, type InsertTarget } from './data-picker-context.js';
import { dataSourcesFor } from './data-sources.js';
import { FlowCanvas } from './flow-canvas.js';
import { FlowEditor } from './flow-editor.js';
import type { AddPlace } from './graph-layout.js';
import { MoveStepDialog } from './move-step-dialog.js';
import type { TestStatus } from './step-card.js';
import { addOperation, moveOperation, triggerOperation } from './step-ops.js';
import { StepPanel } from './step-panel.js';
import { type StepChoice, StepPicker } from './step-picker.js';
import { StudioChat, studioChatId } from './studio-chat.js';
import { StudioHeader } from './studio-header.js';
import { StudioNotices } from './studio-notices.js';
import { useTestRecords } from './test-results.js';
import { recordsOfRun, TestRunPanel } from './test-run-panel.js';
import { useAgentChanges } from './use-agent-changes.js';
import { useUndoKeys } from './use-undo-keys.js';
import { VersionsDialog } from './versions-dialog.js';

export const flowKey = (workspaceId: string, flowId: string) =>
  ['workspaces', workspaceId, 'flows', flowId] as const;

/** `/w/:id/flows/:flowId`: the Flow Studio. Loads the flow and the catalog, then edits. */
export function StudioPage() {
  const { workspace } = useWorkspace();
  const { flowId = '' } = useParams();
  const flow = useQuery({
    queryKey: flowKey(workspace.id, flowId),
    queryFn: () => api<FlowView>('GET', `/api/workspaces/${workspace.id}/flows/${flowId}`),
    refetchOnWindowFocus: false,
  });
  const catalog = useQuery({
    queryKey: ['workspaces', workspace.id, 'catalog'],
    queryFn: () => api<Catalog>('GET', `/api/workspaces/${workspace.id}/catalog`),
  });
  useDocumentTitle(flow.data ? `${flow.data.displayName} · Studio` : 'Studio');
  if (flow.isError || catalog.isError) {
    return (
      <div className="studio studio--message">
        <Alert tone="danger" title="The Studio could not open this automation">
          {errorMessage(flow.error ?? catalog.error)}{' '}
          <Link to={`/w/${workspace.id}/automations`}>Back to Automations</Link>
        </Alert>
      </div>
    );
  }
  if (!flow.data || !catalog.data) {
    return (
      <div className="studio studio--message" role="status">
        <p className="muted">Opening the automation…</p>
      </div>
    );
  }
  return <Studio key={flowId} initial={flow.data} latest={flow.data} catalog={catalog.data} />;
}

type Picking = { mode: 'action'; place: AddPlace } | { mode: 'trigger' } | null;
type Viewing = { version: FlowVersion; document: Flow } | null;

function Studio({
  initial,
  latest,
  catalog,
}: {
  initial: FlowView;
  /** The flow as last fetched: a newer revision saved elsewhere is taken when nothing is pending. */
  latest: FlowView;
  catalog: Catalog;
}) {
  const { workspace, can } = useWorkspace();
  const client = useQueryClient();
  const canWrite = can('flows.write');
  const canRun = can('flows.run');
  const base = `/api/workspaces/${workspace.id}/flows/${initial.id}`;
  const [editor] = useState(
    () =>
      new FlowEditor(initial, (revision, operations) =>
        api<FlowView>('POST', `${base}/operations`, { revision, operations }),
      ),
  );
  const snapshot = useSyncExternalStore(editor.subscribe, editor.getSnapshot);
  const { flow, document } = snapshot;
  const [selected, setSelected] = useState<string | null>(null);
  const [picking, setPicking] = useState<Picking>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [target, setTarget] = useState<InsertTarget | null>(null);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [viewing, setViewing] = useState<Viewing>(null);
  const [testRunId, setTestRunId] = useState<string | null>(null);
  const [busy, setBusy] = useState<'publish' | 'status' | 'test' | null>(null);
  const [highlighted, setHighlighted] = useState<ReadonlySet<string>>(new Set());
  const { records, record } = useTestRecords(initial.id);
  const canChat = can('chat.use');
  const [chatOpen, setChatOpen] = useChatOpen();
  const agent = useAgentChanges(snapshot.changedElsewhere, document);

  const readOnly = !canWrite || viewing !== null || snapshot.conflict !== null;
  const shown = viewing?.document ?? document;
  const flowCatalog = useMemo(() => toFlowCatalog(catalog), [catalog]);
  const validation = useMemo(() => validateFlow(document, flowCatalog), [document, flowCatalog]);
  const problems = useMemo(() => {
    const byStep = new Map<string, StepProblem[]>();
    if (viewing) return byStep;
    for (const problem of validation.problems) {
      const list = byStep.get(problem.step) ?? [];
      list.push(problem);
      byStep.set(problem.step, list);
    }
    return byStep;
  }, [validation, viewing]);
  const testStatuses = useMemo(() => {
    const statuses = new Map<string, TestStatus>();
    if (viewing) return statuses;
    for (const [name, r] of Object.entries(records)) statuses.set(name, r.status);
    return statuses;
  }, [records, viewing]);

  useEffect(() => editor.refresh(latest), [editor, latest]);

  // Keep the flow's cache current for a later visit; the Automations list refetches after.
  useEffect(() => {
    client.setQueryData(flowKey(workspace.id, flow.id), flow);
  }, [client, workspace.id, flow]);
  useEffect(
    () => () =>
      void client.invalidateQueries({ queryKey: ['workspaces', workspace.id, 'flows', 'list'] }),
    [client, workspace.id],
  );

  // Steps the last edit touched glow for a moment.
  useEffect(() => {
    if (snapshot.changed.length === 0) return;
    setHighlighted(new Set(snapshot.changed));
    const timer = setTimeout(() => setHighlighted(new Set()), 1200);
    return () => clearTimeout(timer);
  }, [snapshot.changed]);

  // Leaving with edits not yet saved asks first.
  useEffect(() => {
    if (snapshot.saveState === 'saved') return;
    const onLeave = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [snapshot.saveState]);

  // Escape puts the data picker away.
  useEffect(() => {
    if (!target) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) setTarget(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [target]);

  const undo = useCallback(() => editor.undo(), [editor]);
  const redo = useCallback(() => editor.redo(), [editor]);
  useUndoKeys(!readOnly, undo, redo);

  const edit = useCallback((operation: FlowOperationInput) => editor.edit(operation), [editor]);

  // Opening the chat puts the cursor in its message box; closing it returns to the toggle.
  const toggleChat = (open: boolean) => {
    setChatOpen(open);
    setTimeout(() => {
      const target = open ? `#${studioChatId} textarea` : '.studio-chat-toggle';
      window.document.querySelector<HTMLElement>(target)?.focus();
    });
  };

  // The agent changed this flow: fetch it again; the editor takes it (or keeps edits being saved).
  const onAgentChange = useCallback(() => {
    agent.expect();
    void client.invalidateQueries({ queryKey: flowKey(workspace.id, initial.id) });
  }, [agent, client, workspace.id, initial.id]);

  const onNavigate = useCallback(
    (name: string, direction: 1 | -1) => {
      const order = allSteps(viewing?.document ?? document).map((v) => v.step.name);
      const next = order[order.indexOf(name) + direction];
      if (!next) return;
      setSelected(next);
      setTarget(null);
      focusCardSoon(next);
    },
    [viewing, document],
  );
  const onAdd = useCallback((place: AddPlace) => setPicking({ mode: 'action', place }), []);
  // A dropped card and the Move… list both end here: one operation, undone like any edit.
  const onMove = useCallback(
    (name: string, place: AddPlace) => void editor.edit(moveOperation(name, place)),
    [editor],
  );
  const onStartMove = useCallback((name: string) => setMoving(name), []);
  const onSelect = useCallback(
    (name: string) => {
      setSelected(name);
      setTestRunId(null);
      setTarget(null);
      if (name === 'trigger' && !viewing && canWrite && document.trigger.type === 'EMPTY') {
        setPicking({ mode: 'trigger' });
      }
    },
    [viewing, canWrite, document.trigger.type],
  );

  const pick = (choice: StepChoice) => {
    const current = picking;
    setPicking(null);
    if (!current) return;
    if (choice.kind === 'trigger') {
      if (editor.edit(triggerOperation(choice))) setSelected('trigger');
      return;
    }
    if (current.mode !== 'action') return;
    if (editor.edit(addOperation(choice, current.place))) {
      const added = editor.getSnapshot().changed[0];
      if (added) setSelected(added);
    }
  };

  const lifecycle = async (
    kind: 'publish' | 'status',
    operation: FlowOperationInput,
    done: (flow: FlowView) => string,
  ) => {
    setBusy(kind);
    try {
      const updated = await editor.lifecycle(operation);
      // The trigger is turned on or off once the change is saved: read how that went.
      const fresh = await api<FlowView>('GET', base).catch(() => null);
      if (fresh) editor.refresh(fresh);
      setNotice(
        fresh?.status === 'ENABLED' && fresh.triggerProblem
          ? { tone: 'danger', text: 'Saved, but the trigger could not be turned on (see below).' }
          : { tone: 'success', text: done(updated) },
      );
    } catch (error) {
      setNotice({ tone: 'danger', text: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  };

  const publish = () =>
    lifecycle(
      'publish',
      { type: 'LOCK_AND_PUBLISH', request: { status: 'ENABLED' } },
      (f) => `Published version ${f.publishedVersionNumber}. The automation is on.`,
    );
  const toggle = () =>
    lifecycle(
      'status',
      {
        type: 'CHANGE_STATUS',
        request: { status: flow.status === 'ENABLED' ? 'DISABLED' : 'ENABLED' },
      },
      (f) =>
        f.status === 'ENABLED'
          ? 'The automation is on.'
          : 'The automation is off: nothing starts it.',
    );

  const testFlow = async () => {
    setBusy('test');
    setNotice(null);
    try {
      await editor.whenSaved();
      const run = await api<Run>('POST', `${base}/runs`, { version: 'draft' });
      setSelected(null);
      setTestRunId(run.id);
    } catch (error) {
      setNotice({ tone: 'danger', text: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  };
  const onRunFinished = useCallback((run: Run) => record(recordsOfRun(run)), [record]);

  const view = async (version: FlowVersion) => {
    setVersionsOpen(false);
    try {
      const detail = await api<FlowVersionDetail>('GET', `${base}/versions/${version.id}`);
      setSelected(null);
      setViewing({ version, document: detail.document as unknown as Flow });
    } catch (error) {
      setNotice({ tone: 'danger', text: errorMessage(error) });
    }
  };
  const restore = async (version: FlowVersion) => {
    setVersionsOpen(false);
    setViewing(null);
    try {
      await editor.lifecycle({ type: 'USE_AS_DRAFT', request: { versionId: version.id } });
      setNotice({
        tone: 'success',
        text: `Version ${version.number} is the draft now. Undo takes it back.`,
      });
    } catch (error) {
      setNotice({ tone: 'danger', text: errorMessage(error) });
    }
  };

  const selectedStep = selected ? getStep(shown, selected) : undefined;
  const movingStep = moving ? getStep(document, moving) : undefined;
  const sources = useMemo(
    () => (selected ? dataSourcesFor(document, selected, catalog, records) : []),
    [document, selected, catalog, records],
  );
  const pickerContext = useMemo(() => ({ setTarget }), []);
  const invalidCount = new Set(validation.problems.map((p) => p.step)).size;

  return (
    <div className="studio">
      <StudioHeader
        workspaceId={workspace.id}
        flow={flow}
        name={document.displayName}
        snapshot={snapshot}
        canWrite={canWrite}
        canRun={canRun}
        readOnly={readOnly}
        busy={busy}
        valid={validation.valid}
        invalidCount={invalidCount}
        onRename={(displayName) => edit({ type: 'CHANGE_NAME', request: { displayName } })}
        onUndo={undo}
        onRedo={redo}
        onVersions={() => setVersionsOpen(true)}
        onTestFlow={testFlow}
        onToggle={toggle}
        onPublish={publish}
        chat={
          canChat
            ? { open: chatOpen, controls: studioChatId, onToggle: () => toggleChat(!chatOpen) }
            : undefined
        }
      />
      <StudioNotices
        notice={notice}
        error={snapshot.error}
        onDismissError={() => editor.dismissError()}
        triggerProblem={
          flow.status === 'ENABLED' && flow.triggerProblem ? flow.triggerProblem.message : null
        }
        canWrite={canWrite}
        conflict={snapshot.conflict !== null}
        onResolveConflict={(keep) => editor.resolveConflict(keep)}
        viewing={viewing?.version ?? null}
        canRestore={canWrite}
        onRestore={restore}
        onBackToDraft={() => setViewing(null)}
      />

      <div className="studio-body">
        <DataPickerContext.Provider value={pickerContext}>
          <FlowCanvas
            document={shown}
            label={document.displayName}
            catalog={catalog}
            selected={selected}
            problems={problems}
            highlighted={highlighted}
            changeNotes={agent.notes}
            testStatuses={testStatuses}
            readOnly={readOnly}
            onSelect={onSelect}
            onAdd={onAdd}
            onMove={onMove}
            onStartMove={onStartMove}
            onNavigate={onNavigate}
          />
          {selectedStep ? (
            <>
              {target && !readOnly ? (
                <DataPicker
                  sources={sources}
                  target={target.label}
                  onInsert={(reference) => target.insert(reference)}
                  onClose={() => setTarget(null)}
                />
              ) : null}
              <StepPanel
                key={selectedStep.name}
                workspaceId={workspace.id}
                flow={flow}
                document={shown}
                step={selectedStep}
                catalog={catalog}
                problems={problems.get(selectedStep.name) ?? []}
                sources={sources}
                record={viewing ? undefined : records[selectedStep.name]}
                onRecord={(r) => record({ [selectedStep.name]: r })}
                edit={edit}
                whenSaved={() => editor.whenSaved()}
                readOnly={readOnly}
                canRun={canRun}
                canManageConnections={can('connections.manage')}
                onClose={() => {
                  setSelected(null);
                  setTarget(null);
                }}
                onChangeTrigger={() => setPicking({ mode: 'trigger' })}
                onStartMove={() => setMoving(selectedStep.name)}
              />
            </>
          ) : testRunId ? (
            <TestRunPanel
              workspaceId={workspace.id}
              runId={testRunId}
              onFinished={onRunFinished}
              onClose={() => setTestRunId(null)}
            />
          ) : null}
          {canChat && chatOpen ? (
            <StudioChat
              flowId={flow.id}
              flowName={document.displayName}
              onFlowChanged={onAgentChange}
              announcement={agent.announcement}
              onClose={() => toggleChat(false)}
            />
          ) : null}
        </DataPickerContext.Provider>
      </div>

      <StepPicker
        open={picking !== null}
        catalog={catalog}
        mode={picking?.mode ?? 'action'}
        onPick={pick}
        onClose={() => setPicking(null)}
      />
      <MoveStepDialog
        document={document}
        step={movingStep && !readOnly ? movingStep : null}
        onMove={(name, place) => {
          setMoving(null);
          onMove(name, place);
          setSelected(name);
          focusCardSoon(name);
        }}
        onClose={() => setMoving(null)}
      />
      <VersionsDialog
        open={versionsOpen}
        onClose={() => setVersionsOpen(false)}
        workspaceId={workspace.id}
        flowId={flow.id}
        publishedVersionId={flow.publishedVersionId}
        canRestore={canWrite}
        onView={view}
        onRestore={restore}
      />
    </div>
  );
}

/** The canvas brings a selected card into view (and renders it) first; then it takes focus. */
function focusCardSoon(stepName: string) {
  setTimeout(
    () =>
      window.document.querySelector<HTMLElement>(`.studio-card[data-step="${stepName}"]`)?.focus(),
    80,
  );
}

const chatOpenKey = 'pmos.studio.chat';

/** Whether the side chat is open: remembered in this browser, so it stays as it was left. */
function useChatOpen(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(() => {
    try {
      return window.localStorage.getItem(chatOpenKey) === 'open';
    } catch {
      return false;
    }
  });
  const set = useCallback((next: boolean) => {
    setOpen(next);
    try {
      window.localStorage.setItem(chatOpenKey, next ? 'open' : 'closed');
    } catch {
      // Storage may be off (private windows): the panel just does not remember.
    }
  }, []);
  return [open, set];
}
