export {
  defaultEngineLimits,
  type EngineLimits,
  type EngineOutcome,
  type EngineRun,
  executeFlow,
  keptForResume,
  RunAbort,
  type StepExecution,
  StepExecutionError,
  type StepExecutor,
  topLevelStepOf,
} from './engine.js';
export { RunError, type RunErrorCode } from './errors.js';
export { type RunEvent, RunEvents } from './events.js';
export { GroupCommit } from './group-commit.js';
export { type WebhookDelivery, WebhookIntake } from './intake.js';
export {
  type RunJob,
  RunQueue,
  type RunQueueOptions,
  type RunToSend,
  runQueueName,
  type TriggerJob,
  triggerQueueName,
} from './queue.js';
export {
  finishedRunStatuses,
  isTruncated,
  limitForRecord,
  type RunFailure,
  type RunStatus,
  runStatuses,
  type StepRecord,
  type StepStatus,
  type TriggerKind,
  type TruncatedValue,
} from './records.js';
export {
  getRun,
  listRuns,
  type RunFilter,
  type RunSummary,
  type RunView,
} from './run-queries.js';
export {
  type ClaimedRun,
  enforceRunStorage,
  getRunRow,
  insertRun,
  type NewRun,
  type QueuedRun,
  type ResponseMode,
  type RunRow,
  requestCancel,
  requeueRun,
  runDocument,
  runStorageUsed,
  type WebhookReplyRecord,
} from './run-store.js';
export {
  defaultRunWorkerOptions,
  type PreparedRun,
  type RunHost,
  RunWorker,
  type RunWorkerOptions,
} from './worker.js';
