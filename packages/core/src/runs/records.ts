/** What a run is doing or how it ended. */
export const runStatuses = [
  'QUEUED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'SKIPPED',
] as const;
export type RunStatus = (typeof runStatuses)[number];

export const finishedRunStatuses: ReadonlySet<RunStatus> = new Set([
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'SKIPPED',
]);

export type TriggerKind = 'manual' | 'webhook' | 'schedule' | 'polling' | 'test';

export type StepStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED';

export interface RunFailure {
  code: string;
  message: string;
  /** The step that failed, when one did. */
  step?: string;
}

/** One entry of a run's timeline: a step, or one pass of a step inside loops. */
export interface StepRecord {
  name: string;
  displayName: string;
  type: 'TRIGGER' | 'PLUGIN' | 'CODE' | 'LOOP_ON_ITEMS' | 'ROUTER';
  /** Indexes of the enclosing loops' items, outermost first; absent outside loops. */
  iteration?: number[];
  status: StepStatus;
  /** Resolved input with secrets masked (possibly truncated). */
  input?: unknown;
  output?: unknown;
  error?: RunFailure;
  /** Console lines of a code step. */
  logs?: string[];
  attempts: number;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
}

/** A value stood in for by this marker was too large to keep in the run's record. */
export interface TruncatedValue {
  $truncated: true;
  /** Size of the value as JSON, in bytes. */
  bytes: number;
  /** The first characters of its JSON. */
  preview: string;
}

export function isTruncated(value: unknown): value is TruncatedValue {
  return (
    typeof value === 'object' && value !== null && (value as TruncatedValue).$truncated === true
  );
}

const previewChars = 1024;

/**
 * A value as a run records it: as is when its JSON fits in `maxBytes`, else a marker with its
 * size and the start of its JSON — so a huge payload never bloats the run, and nobody mistakes
 * a cut value for the real one.
 */
export function limitForRecord(value: unknown, maxBytes: number): unknown {
  if (value === undefined) return undefined;
  const json = JSON.stringify(value) ?? 'null';
  // Characters ≤ bytes: a cheap upper bound first, the exact count only near the limit.
  if (json.length * 3 <= maxBytes) return value;
  const bytes = Buffer.byteLength(json);
  if (bytes <= maxBytes) return value;
  return { $truncated: true, bytes, preview: json.slice(0, previewChars) } satisfies TruncatedValue;
}
