import {
  applyOperation,
  type Flow,
  type FlowOperationInput,
  isFlowOperationError,
  isLifecycleOperation,
} from '@pmos/flow';
import type { FlowView } from '../api-types.js';
import { errorMessage, isApiError } from '../lib/api.js';
import { changedSteps } from './step-diff.js';

/** How the draft stands against the server, for the "saved" indicator. */
export type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict';

export interface EditorSnapshot {
  /** The flow as the server last answered it (revision, versions, status). */
  flow: FlowView;
  /** The draft as edited here: the server's draft plus the edits not yet saved. */
  document: Flow;
  saveState: SaveState;
  canUndo: boolean;
  canRedo: boolean;
  /** Someone else saved the flow first: their version, until the person chooses. */
  conflict: FlowView | null;
  /** Why the last edit or save was refused, for a person. */
  error: string | null;
  /** Steps the last edit touched (the canvas highlights them). */
  changed: readonly string[];
  /** Steps a save made elsewhere (e.g. by the agent) added or changed, when this editor took it. */
  changedElsewhere: readonly string[];
}

/** Sends operations at a revision; resolves with the flow after them. */
export type SendOperations = (
  revision: number,
  operations: FlowOperationInput[],
) => Promise<FlowView>;

const maxBatch = 100;
const maxHistory = 200;

/**
 * The Studio's editing model. Every edit is an operation of `@pmos/flow`, applied here at
 * once (so the canvas never waits) and sent to the server in order, one request at a time,
 * at the revision last seen: a stale revision is a conflict the person resolves. Undo and
 * redo restore earlier documents, saved as IMPORT_FLOW, so they work across any kind of edit.
 */
export class FlowEditor {
  #flow: FlowView;
  #document: Flow;
  #pending: FlowOperationInput[] = [];
  #sending = false;
  #undo: Flow[] = [];
  #redo: Flow[] = [];
  #conflict: FlowView | null = null;
  #error: string | null = null;
  #changed: readonly string[] = [];
  #changedElsewhere: readonly string[] = [];
  /** A newer flow that came while edits were being saved: taken once they are. */
  #later: FlowView | null = null;
  #snapshot: EditorSnapshot;
  #listeners = new Set<() => void>();
  #idle: (() => void)[] = [];
  readonly #send: SendOperations;

  constructor(flow: FlowView, send: SendOperations) {
    this.#flow = flow;
    this.#document = flow.draft as unknown as Flow;
    this.#send = send;
    this.#snapshot = this.#build();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): EditorSnapshot => this.#snapshot;

  /** Applies one edit; false (with `error` set) when the reducer refuses it. */
  edit(operation: FlowOperationInput): boolean {
    if (this.#conflict) return false;
    try {
      const result = applyOperation(this.#document, operation);
      this.#undo.push(this.#document);
      if (this.#undo.length > maxHistory) this.#undo.shift();
      this.#redo = [];
      this.#document = result.flow;
      this.#changed = result.changedStepNames;
      this.#error = null;
      this.#queue(operation);
      return true;
    } catch (error) {
      if (!isFlowOperationError(error)) throw error;
      this.#error = error.message;
      this.#emit();
      return false;
    }
  }

  undo(): void {
    const previous = this.#undo.pop();
    if (!previous || this.#conflict) return;
    this.#redo.push(this.#document);
    this.#restore(previous);
  }

  redo(): void {
    const next = this.#redo.pop();
    if (!next || this.#conflict) return;
    this.#undo.push(this.#document);
    this.#restore(next);
  }

  /**
   * Publish, status and use-as-draft: sent on their own once the edits before them are saved.
   * Rejects with the server's refusal.
   */
  async lifecycle(operation: FlowOperationInput): Promise<FlowView> {
    if (!isLifecycleOperation(operation)) throw new Error('not a lifecycle operation');
    await this.whenSaved();
    if (this.#conflict) throw new Error('Resolve the conflict first.');
    this.#sending = true;
    this.#emit();
    try {
      const flow = await this.#send(this.#flow.revision, [operation]);
      if (operation.type === 'USE_AS_DRAFT') {
        this.#undo.push(this.#document);
        this.#redo = [];
        this.#document = flow.draft as unknown as Flow;
      }
      this.#flow = flow;
      return flow;
    } catch (error) {
      this.#catchConflict(error);
      throw error;
    } finally {
      this.#sending = false;
      this.#settle();
    }
  }

  /** Resolves when nothing is left to save (at once if nothing is). */
  whenSaved(): Promise<void> {
    if (!this.#sending && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** After a conflict: take their version (dropping these edits), or save this one over it. */
  resolveConflict(keep: 'theirs' | 'mine'): void {
    const theirs = this.#conflict;
    if (!theirs) return;
    this.#conflict = null;
    this.#flow = theirs;
    if (keep === 'theirs') {
      this.#document = theirs.draft as unknown as Flow;
      this.#pending = [];
      this.#undo = [];
      this.#redo = [];
      this.#emit();
      return;
    }
    this.#pending = [{ type: 'IMPORT_FLOW', request: this.#document }];
    this.#flush();
  }

  /**
   * The flow's record as fetched again (e.g. after the agent changed it). While edits are being
   * saved it waits for them: if it was saved before them, they meet a conflict the person
   * resolves; if after, it holds them too, and is taken then.
   */
  refresh(flow: FlowView): void {
    if (this.#conflict) return;
    if (this.#sending || this.#pending.length > 0) {
      // Only a newer draft matters then: an equal one may be older than the save under way.
      if (flow.revision > (this.#later?.revision ?? this.#flow.revision)) this.#later = flow;
      return;
    }
    if (this.#take(flow)) this.#emit();
  }

  /** Takes a fetched flow when it is not older than this one; true when it did. */
  #take(flow: FlowView): boolean {
    // An answer older than what this editor already saw changes nothing.
    if (flow.revision < this.#flow.revision) return false;
    if (flow.revision === this.#flow.revision) {
      this.#flow = flow;
      return true;
    }
    // Someone saved since: with no edits of ours at stake, take theirs without a fuss.
    const document = flow.draft as unknown as Flow;
    this.#changedElsewhere = changedSteps(this.#document, document);
    this.#flow = flow;
    this.#document = document;
    this.#undo = [];
    this.#redo = [];
    return true;
  }

  dismissError(): void {
    this.#error = null;
    this.#emit();
  }

  #restore(document: Flow): void {
    this.#document = document;
    this.#changed = [];
    this.#error = null;
    this.#queue({ type: 'IMPORT_FLOW', request: document });
  }

  #queue(operation: FlowOperationInput): void {
    // A whole document replaces whatever unsent edits came before it.
    if (operation.type === 'IMPORT_FLOW') this.#pending = [];
    this.#pending.push(operation);
    this.#flush();
  }

  #flush(): void {
    if (this.#sending || this.#conflict || this.#pending.length === 0) {
      this.#settle();
      return;
    }
    const batch = this.#pending.splice(0, maxBatch);
    this.#sending = true;
    this.#emit();
    this.#send(this.#flow.revision, batch).then(
      (flow) => {
        this.#sending = false;
        this.#flow = flow;
        this.#flush();
      },
      (error: unknown) => {
        this.#sending = false;
        if (!this.#catchConflict(error)) {
          // Refused: go back to what the server holds, and say why.
          this.#error = `Your last change was not saved: ${errorMessage(error)}`;
          this.#pending = [];
          this.#document = this.#flow.draft as unknown as Flow;
        } else {
          // Unsent edits stay in the document; "keep mine" saves it whole.
          this.#pending = [];
        }
        this.#settle();
      },
    );
  }

  /** A stale revision: true (and the conflict kept) when that was the refusal. */
  #catchConflict(error: unknown): boolean {
    if (!isApiError(error) || error.code !== 'flow_conflict') return false;
    const current = error.details?.current as FlowView | undefined;
    if (!current) return false;
    this.#conflict = current;
    return true;
  }

  #settle(): void {
    if (!this.#sending && (this.#pending.length === 0 || this.#conflict)) {
      for (const resolve of this.#idle.splice(0)) resolve();
      const later = this.#later;
      this.#later = null;
      // After a conflict, the conflict's version is what counts.
      if (later && !this.#conflict && later.revision > this.#flow.revision) this.#take(later);
    }
    this.#emit();
  }

  #build(): EditorSnapshot {
    return {
      flow: this.#flow,
      document: this.#document,
      saveState: this.#conflict
        ? 'conflict'
        : this.#sending
          ? 'saving'
          : this.#pending.length > 0
            ? 'unsaved'
            : 'saved',
      canUndo: this.#undo.length > 0 && !this.#conflict,
      canRedo: this.#redo.length > 0 && !this.#conflict,
      conflict: this.#conflict,
      error: this.#error,
      changed: this.#changed,
      changedElsewhere: this.#changedElsewhere,
    };
  }

  #emit(): void {
    this.#snapshot = this.#build();
    for (const listener of this.#listeners) listener();
  }
}
