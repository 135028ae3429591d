import { applyOperation, type Flow, type FlowOperationInput } from '@pmos/flow';
import { describe, expect, it } from 'vitest';
import type { FlowView } from '../api-types.js';
import { ApiError } from '../lib/api.js';
import { FlowEditor, type SendOperations } from './flow-editor.js';

const emptyFlow: Flow = {
  displayName: 'Greet',
  schemaVersion: 1,
  trigger: { name: 'trigger', displayName: 'Start', valid: false, type: 'EMPTY', settings: {} },
};

const viewOf = (draft: Flow, revision: number): FlowView =>
  ({ id: 'f', revision, draft, displayName: draft.displayName }) as unknown as FlowView;

const addCode: FlowOperationInput = {
  type: 'ADD_ACTION',
  request: {
    parentStep: 'trigger',
    stepLocationRelativeToParent: 'AFTER',
    action: {
      type: 'CODE',
      displayName: 'Code',
      settings: { sourceCode: { code: 'return 1;' }, input: {} },
    },
  },
};

const codeStep = () => ({
  type: 'CODE' as const,
  displayName: 'Code',
  settings: { sourceCode: { code: 'return 1;' }, input: {} },
});

/** A server that applies operations with the same reducer and checks the revision. */
function fakeServer(start: Flow) {
  const state = { draft: start, revision: 1, calls: [] as FlowOperationInput[][] };
  const send: SendOperations = async (revision, operations) => {
    state.calls.push(operations);
    if (revision !== state.revision) {
      throw new ApiError({
        status: 409,
        code: 'flow_conflict',
        message: 'changed',
        details: { current: viewOf(state.draft, state.revision) },
      });
    }
    for (const op of operations) state.draft = applyOperation(state.draft, op).flow;
    state.revision++;
    return viewOf(state.draft, state.revision);
  };
  return { state, send };
}

describe('FlowEditor', () => {
  it('applies an edit at once and saves it at the revision seen', async () => {
    const server = fakeServer(emptyFlow);
    const editor = new FlowEditor(viewOf(emptyFlow, 1), server.send);
    expect(editor.edit(addCode)).toBe(true);
    expect(editor.getSnapshot().document.trigger.nextAction?.name).toBe('step_1');
    expect(editor.getSnapshot().saveState).toBe('saving');
    await editor.whenSaved();
    expect(editor.getSnapshot()).toMatchObject({ saveState: 'saved', canUndo: true });
    expect(server.state.draft.trigger.nextAction?.name).toBe('step_1');
    expect(editor.getSnapshot().flow.revision).toBe(2);
  });

  it('undoes and redoes by saving the earlier document whole', async () => {
    const server = fakeServer(emptyFlow);
    const editor = new FlowEditor(viewOf(emptyFlow, 1), server.send);
    editor.edit(addCode);
    await editor.whenSaved();
    editor.undo();
    expect(editor.getSnapshot().document.trigger.nextAction).toBeUndefined();
    await editor.whenSaved();
    expect(server.state.draft.trigger.nextAction).toBeUndefined();
    expect(server.state.calls.at(-1)?.[0]?.type).toBe('IMPORT_FLOW');
    editor.redo();
    await editor.whenSaved();
    expect(server.state.draft.trigger.nextAction?.name).toBe('step_1');
    expect(editor.getSnapshot()).toMatchObject({ canUndo: true, canRedo: false });
  });

  it('refuses what the reducer refuses, saying why, and changes nothing', () => {
    const server = fakeServer(emptyFlow);
    const editor = new FlowEditor(viewOf(emptyFlow, 1), server.send);
    expect(editor.edit({ type: 'DELETE_ACTION', request: { names: ['step_9'] } })).toBe(false);
    expect(editor.getSnapshot().error).toMatch(/step_9/);
    expect(server.state.calls).toEqual([]);
  });

  it('stops on a conflict; "theirs" drops these edits, "mine" saves this document over theirs', async () => {
    const server = fakeServer(emptyFlow);
    const editor = new FlowEditor(viewOf(emptyFlow, 1), server.send);
    // Someone else renames the flow meanwhile.
    server.state.draft = applyOperation(server.state.draft, {
      type: 'CHANGE_NAME',
      request: { displayName: 'Theirs' },
    }).flow;
    server.state.revision = 2;
    editor.edit(addCode);
    await editor.whenSaved();
    expect(editor.getSnapshot()).toMatchObject({ saveState: 'conflict', canUndo: false });
    expect(editor.edit(addCode)).toBe(false);

    editor.resolveConflict('mine');
    await editor.whenSaved();
    expect(editor.getSnapshot().saveState).toBe('saved');
    expect(server.state.draft).toMatchObject({
      displayName: 'Greet',
      trigger: { nextAction: { name: 'step_1' } },
    });

    server.state.revision = 9;
    editor.edit({ type: 'CHANGE_NAME', request: { displayName: 'Mine again' } });
    await editor.whenSaved();
    editor.resolveConflict('theirs');
    expect(editor.getSnapshot().document.displayName).toBe('Greet');
    expect(editor.getSnapshot().saveState).toBe('saved');
  });

  it('sends publish only after the edits before it are saved', async () => {
    const server = fakeServer(emptyFlow);
    const editor = new FlowEditor(viewOf(emptyFlow, 1), async (revision, operations) => {
      if (operations[0]?.type === 'LOCK_AND_PUBLISH') {
        expect(server.state.draft.trigger.nextAction?.name).toBe('step_1');
        return viewOf(server.state.draft, revision);
      }
      return server.send(revision, operations);
    });
    editor.edit(addCode);
    await editor.lifecycle({ type: 'LOCK_AND_PUBLISH', request: {} });
    expect(editor.getSnapshot().saveState).toBe('saved');
  });
  it('takes a save made elsewhere, naming the steps it added or changed', async () => {
    const server = fakeServer(emptyFlow);
    const editor = new FlowEditor(viewOf(emptyFlow, 1), server.send);
    editor.edit(addCode);
    await editor.whenSaved();
    // The agent adds a second step and renames the first.
    await server.send(2, [
      addCode,
      { type: 'UPDATE_ACTION', request: { ...codeStep(), name: 'step_1', displayName: 'Renamed' } },
    ]);
    editor.refresh(viewOf(server.state.draft, server.state.revision));
    const snapshot = editor.getSnapshot();
    expect(snapshot.document.trigger.nextAction?.nextAction?.displayName).toBe('Renamed');
    expect([...snapshot.changedElsewhere].sort()).toEqual(['step_1', 'step_2']);
    expect(snapshot.canUndo).toBe(false);
  });

  it('holds a fetch that comes while saving, and takes it after if it is newer', async () => {
    const server = fakeServer(emptyFlow);
    let agentAfterUs = async () => {};
    const editor = new FlowEditor(viewOf(emptyFlow, 1), async (revision, operations) => {
      const saved = await server.send(revision, operations);
      await agentAfterUs();
      return saved;
    });
    // Our edit is saved first, then the agent's lands on top of it; the fetch comes meanwhile.
    agentAfterUs = async () => {
      agentAfterUs = async () => {};
      await server.send(server.state.revision, [addCode]);
      editor.refresh(viewOf(server.state.draft, server.state.revision));
    };
    editor.edit(addCode);
    expect(editor.getSnapshot().saveState).toBe('saving');
    await editor.whenSaved();
    const snapshot = editor.getSnapshot();
    expect(snapshot.flow.revision).toBe(3);
    // Steps are added right after the trigger.
    expect(snapshot.document.trigger.nextAction?.name).toBe('step_2');
    expect(snapshot.changedElsewhere).toEqual(['step_2']);
  });

  it('shows a conflict, not the fetch, when the agent saved before our edit', async () => {
    const server = fakeServer(emptyFlow);
    const editor = new FlowEditor(viewOf(emptyFlow, 1), async (revision, operations) => {
      // The agent's save lands while ours is on its way; the fetch after it arrives too.
      if (server.state.revision === 1) {
        await server.send(1, [addCode]);
        editor.refresh(viewOf(server.state.draft, server.state.revision));
      }
      return server.send(revision, operations);
    });
    editor.edit({ type: 'CHANGE_NAME', request: { displayName: 'Mine' } });
    await editor.whenSaved();
    expect(editor.getSnapshot()).toMatchObject({ saveState: 'conflict', changedElsewhere: [] });
    expect(editor.getSnapshot().document.displayName).toBe('Mine');
  });
});
