import type { RunEvents, RunQueue, RunWorker, WebhookIntake } from '@pmos/core';

/** The run machinery of this process: the queue always, a worker when this process runs one. */
export interface RunsRuntime {
  queue: RunQueue;
  /** Where webhook deliveries become queued runs (batched under load). */
  intake: WebhookIntake;
  events: RunEvents;
  worker: RunWorker | null;
  /** How long a sync webhook waits for the flow's answer. */
  syncWebhookTimeoutMs: number;
}
