import { Alert, Card, CardContent, CardDescription, CardHeader, CardTitle } from '@pmos/ui';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useId } from 'react';
import { Link } from 'react-router';
import type { LimitName, LimitUsage, Usage } from '../api-types.js';
import { useNow } from '../common/use-now.js';
import { api, errorMessage, isApiError } from '../lib/api.js';
import {
  countOf,
  formatCount,
  formatCountdown,
  limitLabel,
  percentUsed,
  unitOf,
  usageLevel,
} from '../lib/limits.js';
import { usePlatformPermission, useWorkspace } from '../shell/use-workspace.js';

const refreshMs = 10_000;

/** What each limit counts, in the words of the people it limits. */
const explanations: Record<LimitName, ReactNode> = {
  api_requests_per_minute: (
    <>
      Counts every API request made in this workspace in the current minute — by all its members, in
      the browser and from their scripts and API tokens. This page counts too: it asks once every 10
      seconds. Over the limit, PMOS refuses further requests until the minute is over.
    </>
  ),
  flow_runs_per_day: (
    <>
      Counts the automation runs of this workspace per day (UTC): every run started by hand, by a
      webhook, a schedule or a polling trigger. Over the limit, new runs are refused until midnight
      UTC; runs already started finish.
    </>
  ),
  run_data_megabytes: (
    <>
      The space this workspace's finished runs take: each step's inputs and outputs and the
      deliveries that started them. Beyond the limit, PMOS deletes the oldest runs first, every few
      minutes; runs are never refused for it.
    </>
  ),
  webhook_requests_per_minute: (
    <>
      Counts the requests made to this workspace's flow webhook addresses in the current minute.
      Over the limit, PMOS answers the senders 429 with a Retry-After header until the minute is
      over, and starts no runs for them.
    </>
  ),
  chat_messages_per_minute: (
    <>
      Counts the messages this workspace's members send to the operator agent in the current minute.
      Over the limit, further messages are refused until the minute is over.
    </>
  ),
  concurrent_flow_runs: (
    <>
      How many automation runs of this workspace go at the same time. Further runs wait in the queue
      and start as soon as one finishes: nothing is lost.
    </>
  ),
  ai_tokens_per_day: (
    <>
      Counts the AI tokens (sent and received) this workspace's chat uses per day (UTC). Over the
      limit, new chat messages are refused until midnight UTC; a turn already going finishes its
      current step.
    </>
  ),
};

/** `Settings › Usage`: the workspace's limits and how much of each is used, for every member. */
export function UsageSettings() {
  const { workspace } = useWorkspace();
  const isSuperAdmin = usePlatformPermission('platform.manage');
  const usage = useQuery({
    queryKey: ['workspaces', workspace.id, 'usage'],
    queryFn: () => api<Usage>('GET', `/api/workspaces/${workspace.id}/usage`),
    // Polls only while this tab is open and the browser tab is visible (no background refetch).
    refetchInterval: refreshMs,
    staleTime: refreshMs / 2,
  });
  // Over the request limit, this very call is refused: its answer still carries the numbers.
  const throttled = throttledUsage(usage.error);
  const limits = (usage.data?.limits ?? []).map((limit) =>
    throttled && limit.name === throttled.name ? throttled : limit,
  );
  if (throttled && !usage.data) limits.push(throttled);
  const shown = new Set(usage.data?.limits.map((limit) => limit.name));
  // Honest about what is not limited yet: what the server does not report arrives later.
  const later = [
    shown.has('flow_runs_per_day') ? null : 'automation runs',
    shown.has('ai_tokens_per_day') ? null : 'AI tokens',
    shown.has('run_data_megabytes') ? null : 'stored run data',
  ].filter((item): item is string => item !== null);

  return (
    <>
      {usage.isError ? (
        <Alert
          tone="danger"
          title={
            isApiError(usage.error) && usage.error.code === 'rate_limited'
              ? 'This workspace is over its request limit'
              : 'Usage could not be loaded'
          }
        >
          {errorMessage(usage.error)}{' '}
          {throttled
            ? 'This page checks again every 10 seconds.'
            : usage.data
              ? 'The numbers below are from the last successful check.'
              : null}
        </Alert>
      ) : null}
      {usage.isPending ? (
        <Card>
          <CardContent>
            <p className="muted" role="status">
              Loading usage…
            </p>
          </CardContent>
        </Card>
      ) : null}
      {limits.map((limit) => (
        <LimitCard key={limit.name} limit={limit} isSuperAdmin={isSuperAdmin} />
      ))}
      {usage.data && later.length > 0 ? (
        <p className="muted small">
          {later.length === 1
            ? `A quota for ${later[0]} arrives with that feature.`
            : `Quotas for ${listOf(later)} arrive with those features.`}
        </p>
      ) : null}
    </>
  );
}

function LimitCard({ limit, isSuperAdmin }: { limit: LimitUsage; isSuperAdmin: boolean }) {
  const titleId = useId();
  const now = useNow();
  const percent = percentUsed(limit.used, limit.limit);
  const level = usageLevel(limit.used, limit.limit);
  const resetsIn = limit.resetsAt ? (new Date(limit.resetsAt).getTime() - now) / 1000 : null;
  return (
    <Card>
      <CardHeader>
        <CardTitle id={titleId}>{limitLabel(limit.name)}</CardTitle>
        <CardDescription>{explanations[limit.name]}</CardDescription>
      </CardHeader>
      <CardContent className="stack">
        <div className="usage-figures">
          <p className="usage-count">
            <span className="usage-used">{formatCount(limit.used)}</span>
            <span className="muted">
              {' '}
              of <span className="usage-limit">{formatCount(limit.limit)}</span>{' '}
              {unitOf(limit.name, limit.limit)} used
            </span>
          </p>
          <p className="muted small nowrap">
            {resetsIn === null
              ? 'Current total'
              : resetsIn > 0
                ? `Resets in ${formatCountdown(resetsIn)}`
                : 'Resetting now'}
          </p>
        </div>
        <div
          className={`usage-bar usage-bar--${level}`}
          role="progressbar"
          aria-labelledby={titleId}
          aria-valuemin={0}
          aria-valuemax={limit.limit}
          aria-valuenow={Math.min(limit.used, limit.limit)}
          aria-valuetext={`${countOf(limit.name, limit.used)} of ${formatCount(limit.limit)} used (${percent}%)`}
        >
          {/* A sliver as soon as anything is used, so 0 and "a little" look different. */}
          <div
            className="usage-bar-fill"
            style={{ width: `${limit.used > 0 ? Math.max(percent, 1) : 0}%` }}
          />
        </div>
        <p className={`small usage-status usage-status--${level}`}>
          {level === 'reached'
            ? limit.resetsAt === null
              ? 'Limit reached: PMOS deletes the oldest runs to stay within it.'
              : `Limit reached: PMOS refuses more until it resets.`
            : level === 'near'
              ? `${percent}% used — close to the limit.`
              : limit.used > 0 && percent < 1
                ? 'Less than 1% used.'
                : `${percent}% used.`}
        </p>
        <p className="muted small usage-owner">
          Only the instance's super admin can change this limit.{' '}
          {isSuperAdmin ? (
            <>
              That is you: <Link to="/admin/limits">change it in Admin › Limits</Link>.
            </>
          ) : (
            'Ask them if this workspace needs more.'
          )}
        </p>
      </CardContent>
    </Card>
  );
}

/** The request-rate numbers of a 429 `rate_limited` answer, if that is what the error is. */
function throttledUsage(error: unknown): LimitUsage | null {
  if (!isApiError(error) || error.code !== 'rate_limited') return null;
  const { limit, used, resetsAt } = error.details ?? {};
  if (typeof limit !== 'number' || typeof used !== 'number' || typeof resetsAt !== 'string') {
    return null;
  }
  return { name: 'api_requests_per_minute', limit, used, resetsAt };
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
