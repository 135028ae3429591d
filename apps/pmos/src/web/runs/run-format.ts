import type { RunStatus, RunSummary, StepRecord } from '../api-types.js';

/** The Badge tones of @pmos/ui (kept here so this module stays free of React). */
type BadgeTone = 'neutral' | 'primary' | 'success' | 'danger';

export const runStatusLabels: Record<RunStatus, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
  TIMED_OUT: 'Timed out',
  SKIPPED: 'Skipped',
};

export const runStatusTones: Record<RunStatus, BadgeTone> = {
  QUEUED: 'neutral',
  RUNNING: 'primary',
  SUCCEEDED: 'success',
  FAILED: 'danger',
  CANCELLED: 'neutral',
  TIMED_OUT: 'danger',
  SKIPPED: 'neutral',
};

export const stepStatusTones: Record<StepRecord['status'], BadgeTone> = {
  RUNNING: 'primary',
  SUCCEEDED: 'success',
  FAILED: 'danger',
  SKIPPED: 'neutral',
};

export const stepStatusLabels: Record<StepRecord['status'], string> = {
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  SKIPPED: 'Skipped',
};

export const triggerKindLabels: Record<RunSummary['triggerKind'], string> = {
  manual: 'By hand',
  webhook: 'Webhook',
  schedule: 'Schedule',
  polling: 'New item',
  test: 'Test run',
};

export const unfinished = (status: RunStatus) => status === 'QUEUED' || status === 'RUNNING';

/** 850 ms, 12.4 s, 3 min 5 s, 1 h 2 min. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Time ranges offered by the filter, as `from` relative to now. */
export const timeRanges = [
  { value: '', label: 'Any time', ms: 0 },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

/** A value too large to keep, as the run records it. */
export function isTruncated(
  value: unknown,
): value is { $truncated: true; bytes: number; preview: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { $truncated?: unknown }).$truncated === true
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
