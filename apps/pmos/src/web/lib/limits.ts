import type { LimitName } from '../api-types.js';

/** What people call each limit, and the thing it counts (for "12 of 1,000 requests"). */
export const limitLabels: Record<LimitName, { label: string; unit: string; unitOne: string }> = {
  api_requests_per_minute: {
    label: 'API requests per minute',
    unit: 'requests',
    unitOne: 'request',
  },
  flow_runs_per_day: { label: 'Automation runs per day', unit: 'runs', unitOne: 'run' },
  ai_tokens_per_day: { label: 'AI tokens per day', unit: 'tokens', unitOne: 'token' },
  concurrent_flow_runs: { label: 'Automation runs at once', unit: 'runs', unitOne: 'run' },
  run_data_megabytes: { label: 'Stored run data', unit: 'MB', unitOne: 'MB' },
  chat_messages_per_minute: {
    label: 'Chat messages per minute',
    unit: 'messages',
    unitOne: 'message',
  },
  webhook_requests_per_minute: {
    label: 'Webhook requests per minute',
    unit: 'requests',
    unitOne: 'request',
  },
};

/** Names the server may add later still get a readable label. */
export function limitLabel(name: string): string {
  return name in limitLabels
    ? limitLabels[name as LimitName].label
    : name.replaceAll('_', ' ').replace(/^./, (first) => first.toUpperCase());
}

/** The daily quotas count per workspace only: user and IP overrides would have no effect. */
export function isWorkspaceQuota(name: LimitName): boolean {
  return name !== 'api_requests_per_minute';
}

const numberFormat = new Intl.NumberFormat();

export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** "requests", "run": the noun after a count of this limit. */
export function unitOf(name: LimitName, n: number): string {
  const { unit, unitOne } = limitLabels[name];
  return n === 1 ? unitOne : unit;
}

/** "12 requests", "1 run". */
export function countOf(name: LimitName, n: number): string {
  return `${formatCount(n)} ${unitOf(name, n)}`;
}

/** "43 s", "4 min 5 s", "5 h 12 min": how long until a limit's counter starts again. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Share of a limit used, 0–100; a limit of 0 is reached at once. */
export function percentUsed(used: number, limit: number): number {
  if (limit <= 0) return 100;
  return Math.min(100, Math.round((used / limit) * 100));
}

export type UsageLevel = 'ok' | 'near' | 'reached';

/** Near from 80 %: the bar turns amber, then red when nothing more is allowed. */
export function usageLevel(used: number, limit: number): UsageLevel {
  if (used >= limit) return 'reached';
  if (limit > 0 && used / limit >= 0.8) return 'near';
  return 'ok';
}
