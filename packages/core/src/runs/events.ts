import { EventEmitter } from 'node:events';
import type { RunFailure, RunStatus, StepRecord } from './records.js';
import type { WebhookReplyRecord } from './run-store.js';

export type RunEvent =
  | { type: 'started' }
  | { type: 'progress'; steps: readonly StepRecord[] }
  | { type: 'response'; response: WebhookReplyRecord }
  | { type: 'finished'; status: RunStatus; error: RunFailure | null };

/**
 * What the workers of this process tell about their runs, as it happens: the runs API streams
 * it and sync webhooks wait on it. Another process's runs are seen through the database.
 */
export class RunEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open stream or waiting webhook: many are normal.
    this.emitter.setMaxListeners(0);
  }

  emit(runId: string, event: RunEvent): void {
    this.emitter.emit(runId, event);
  }

  /** Whether someone in this process follows the run (e.g. the sync webhook waiting for it). */
  isFollowed(runId: string): boolean {
    return this.emitter.listenerCount(runId) > 0;
  }

  subscribe(runId: string, listener: (event: RunEvent) => void): () => void {
    this.emitter.on(runId, listener);
    return () => this.emitter.off(runId, listener);
  }
}
