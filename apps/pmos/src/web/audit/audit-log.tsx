import {
  Alert,
  Badge,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  EmptyState,
  FormField,
  Input,
  Select,
} from '@pmos/ui';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode, useId, useState } from 'react';
import type { AuditEvent, List } from '../api-types.js';
import { ChevronDownIcon, DownloadIcon, ScrollIcon } from '../common/icons.js';
import { LoadMore } from '../common/load-more.js';
import { useUrlFilters } from '../common/use-url-filters.js';
import { api, errorMessage } from '../lib/api.js';
import { formatExactDateTime, formatRelative } from '../lib/format.js';
import {
  actionCategories,
  actionLabel,
  actorLabel,
  outcomeChoices,
  outcomeLabel,
  outcomeTone,
  shortHash,
  shortId,
  targetLabel,
} from './audit-format.js';

const pageSize = 50;

/** The shared filters live in the address, so a filtered view can be bookmarked and shared. */
const filterKeys = ['action', 'outcome', 'since'] as const;

export interface AuditLogProps {
  /** The list endpoint; `<path>/export` downloads the same events as NDJSON. */
  path: string;
  queryKey: readonly unknown[];
  description: ReactNode;
  /** Filters owned by the page around the log (the admin's workspace), sent with every call. */
  scope?: Record<string, string>;
  /** Controls for those filters, shown before the shared ones. */
  scopeControls?: ReactNode;
  /** Called when "Clear filters" empties the address, for the scope controls' own state. */
  onClearFilters?: () => void;
  /** Adds a Workspace column, naming each event's workspace this way. */
  workspaceLabel?: (workspaceId: string | null) => ReactNode;
}

/** An audit log, newest first: filters, pages of 50, a row's details on demand, export. */
export function AuditLog({
  path,
  queryKey,
  description,
  scope = {},
  scopeControls,
  onClearFilters,
  workspaceLabel,
}: AuditLogProps) {
  const ids = useId();
  const filter = useUrlFilters();
  const action = filter.get('action');
  const outcome = filter.get('outcome');
  const sinceDay = filter.get('since');
  const since = startOfDay(sinceDay);
  const filters = compact({ ...scope, action, outcome, since });
  const filtered = Object.keys(filters).length > 0;

  const setFilter = (key: (typeof filterKeys)[number], value: string) => filter.set(key, value);

  const clearFilters = () => {
    filter.clear();
    onClearFilters?.();
  };

  const events = useInfiniteQuery({
    queryKey: [...queryKey, filters],
    queryFn: ({ pageParam, signal }) =>
      api<List<AuditEvent>>(
        'GET',
        `${path}?${query({ ...filters, before: pageParam, limit: String(pageSize) })}`,
        undefined,
        { signal },
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    // Keep the rows on screen while a new filter loads, instead of flashing an empty card.
    placeholderData: keepPreviousData,
  });
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const rows = events.data?.pages.flatMap((page) => page.data) ?? [];
  const columns = workspaceLabel ? 8 : 7;

  return (
    <Card>
      <CardHeader className="card-header-row">
        <div className="card-header-text">
          <CardTitle>Audit log</CardTitle>
          <CardDescription>{description}</CardDescription>
        </div>
        <Button asChild variant="secondary" size="sm">
          <a href={`${path}/export?${query(filters)}`} download>
            <DownloadIcon />
            Export NDJSON
          </a>
        </Button>
      </CardHeader>
      <CardContent className="stack">
        <search className="audit-filters" aria-label="Filter audit events">
          {scopeControls}
          <FormField label="Action" className="audit-filter">
            <Select value={action} onChange={(event) => setFilter('action', event.target.value)}>
              {actionCategories.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </Select>
          </FormField>
          <FormField label="Outcome" className="audit-filter">
            <Select value={outcome} onChange={(event) => setFilter('outcome', event.target.value)}>
              {outcomeChoices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </Select>
          </FormField>
          <FormField label="Since" className="audit-filter">
            <Input
              type="date"
              value={sinceDay}
              max={today()}
              onChange={(event) => setFilter('since', event.target.value)}
            />
          </FormField>
          {/* The empty state offers its own "Clear filters". */}
          {filtered && rows.length > 0 ? (
            <Button variant="ghost" className="audit-filters-clear" onClick={clearFilters}>
              Clear filters
            </Button>
          ) : null}
        </search>

        {events.isPending ? (
          <p className="muted" role="status">
            Loading audit events…
          </p>
        ) : events.isError && rows.length === 0 ? (
          <Alert tone="danger" title="The audit log could not be loaded">
            {errorMessage(events.error)}
          </Alert>
        ) : rows.length === 0 ? (
          <EmptyState
            icon={<ScrollIcon />}
            title={filtered ? 'No events match these filters' : 'No audit events yet'}
            description={
              filtered
                ? 'Nothing recorded matches. Widen the date range or choose another action or outcome.'
                : 'Sign-ins, member and invite changes, secrets and API tokens are recorded here as they happen.'
            }
            action={
              filtered ? (
                <Button variant="secondary" onClick={clearFilters}>
                  Clear filters
                </Button>
              ) : undefined
            }
          />
        ) : (
          <>
            <div className="table-wrap" aria-busy={events.isPlaceholderData || undefined}>
              <table className={`table audit-table${events.isPlaceholderData ? ' is-stale' : ''}`}>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Actor</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                    {workspaceLabel ? <th scope="col">Workspace</th> : null}
                    <th scope="col">Outcome</th>
                    <th scope="col">IP</th>
                    <th scope="col">
                      <span className="visually-hidden">Details</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((event) => {
                    const expanded = open.has(event.id);
                    const detailsId = `${ids}-${event.id}`;
                    const actor = actorLabel(event);
                    const target = targetLabel(event);
                    const label = actionLabel(event);
                    return (
                      <Fragment key={event.id}>
                        <tr className={expanded ? 'audit-row is-open' : 'audit-row'}>
                          <td className="nowrap">
                            <time
                              dateTime={event.occurredAt}
                              title={formatExactDateTime(event.occurredAt)}
                            >
                              {formatRelative(event.occurredAt)}
                            </time>
                          </td>
                          <td className="audit-actor">
                            <span className="audit-ellipsis" title={actor.primary}>
                              {actor.primary}
                            </span>
                            {actor.secondary ? (
                              <span
                                className="muted small block audit-ellipsis"
                                title={actor.secondary}
                              >
                                {actor.secondary}
                              </span>
                            ) : null}
                          </td>
                          <td>
                            <span className="person-name">{label}</span>
                            <code className="audit-code">{event.action}</code>
                          </td>
                          <td className="audit-target">
                            {target ? (
                              <>
                                <span className="muted small block">{target.type}</span>
                                {target.name ? (
                                  <span
                                    className="audit-ellipsis block"
                                    title={event.targetId ?? target.name}
                                  >
                                    {target.name}
                                  </span>
                                ) : null}
                              </>
                            ) : (
                              <span className="muted">—</span>
                            )}
                          </td>
                          {workspaceLabel ? <td>{workspaceLabel(event.workspaceId)}</td> : null}
                          <td>
                            <Badge tone={outcomeTone(event.outcome)}>
                              {outcomeLabel(event.outcome)}
                            </Badge>
                          </td>
                          <td className="muted small mono nowrap">{event.ip ?? '—'}</td>
                          <td className="table-actions">
                            <Button
                              variant="ghost"
                              size="sm"
                              className="audit-toggle"
                              aria-expanded={expanded}
                              aria-controls={detailsId}
                              aria-label={`Details of ${label}, ${formatExactDateTime(event.occurredAt)}`}
                              onClick={() => toggle(event.id)}
                            >
                              <ChevronDownIcon />
                            </Button>
                          </td>
                        </tr>
                        {expanded ? (
                          <tr className="audit-details-row" id={detailsId}>
                            <td colSpan={columns}>
                              <AuditDetails event={event} />
                            </td>
                          </tr>
                        ) : null}
                      </Fragment>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {events.isFetchNextPageError ? (
              <Alert tone="danger">{errorMessage(events.error)}</Alert>
            ) : null}
            <div className="audit-more">
              <span className="muted small" role="status">
                {rows.length} {rows.length === 1 ? 'event' : 'events'}
                {events.hasNextPage ? ' shown' : ', the whole log for these filters'}
              </span>
              <LoadMore list={events} />
            </div>
          </>
        )}
      </CardContent>
    </Card>
  );
}

function AuditDetails({ event }: { event: AuditEvent }) {
  const metadata = Object.keys(event.metadata).length > 0;
  return (
    <div className="audit-details">
      <dl className="audit-facts">
        <Fact label="Exact time">{formatExactDateTime(event.occurredAt)}</Fact>
        <Fact label="Request ID">
          {event.requestId ? <code>{event.requestId}</code> : <span className="muted">—</span>}
        </Fact>
        <Fact label="User agent">
          {event.userAgent ? (
            <span className="audit-wrap">{event.userAgent}</span>
          ) : (
            <span className="muted">—</span>
          )}
        </Fact>
        <Fact label="Chain position">
          <span className="mono">#{event.chainSeq}</span>
        </Fact>
        <Fact label="Hash">
          <code title={event.hash}>{shortHash(event.hash)}</code>
        </Fact>
        <Fact label="Event ID">
          <code>{event.id}</code>
        </Fact>
        {event.actorUserId ? (
          <Fact label="Actor user ID">
            <code title={event.actorUserId}>{event.actorUserId}</code>
          </Fact>
        ) : null}
        {event.targetId ? (
          <Fact label="Target ID">
            <code title={event.targetId}>{shortId(event.targetId)}</code>
          </Fact>
        ) : null}
      </dl>
      <div className="audit-metadata">
        <p className="audit-metadata-title">Metadata</p>
        {metadata ? (
          <pre className="audit-json">{JSON.stringify(event.metadata, null, 2)}</pre>
        ) : (
          <p className="muted small">This event carries no metadata.</p>
        )}
      </div>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function compact(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
}

function query(values: Record<string, string | undefined>): string {
  return new URLSearchParams(compact(values)).toString();
}

/** "2026-11-01" from a date input → the ISO instant of that local midnight. */
function startOfDay(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const date = new Date(`${day}T00:00:00`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
