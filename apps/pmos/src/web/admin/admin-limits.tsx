import {
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
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { limitNameSchema, setLimitBodySchema, workspaceParamsSchema } from '../../api/schemas.js';
import type { LimitName, LimitOverride, Limits } from '../api-types.js';
import { useMe } from '../auth/session.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { ShieldIcon } from '../common/icons.js';
import { LiveNotice, type Notice } from '../common/live-notice.js';
import { QueryStates } from '../common/query-states.js';
import { api, errorMessage, isApiError } from '../lib/api.js';
import { formatExactDateTime, formatRelative } from '../lib/format.js';
import { formatCount, isWorkspaceQuota, limitLabel, unitOf } from '../lib/limits.js';
import { type FieldErrors, validate } from '../lib/validate.js';

const limitsKey = ['admin', 'limits'];
const limitNames = limitNameSchema.options;
const uuid = workspaceParamsSchema.shape.workspaceId;
const other = 'other';
const maxValue = 10_000_000;
/** Below this, a rate limit for everyone (or for oneself) may lock the super admin out too. */
const lockOutBelow = 100;

type SubjectKind = 'everyone' | 'workspace' | 'user' | 'ip';

const subjectKinds: Array<{ kind: SubjectKind; label: string }> = [
  { kind: 'everyone', label: 'Everyone' },
  { kind: 'workspace', label: 'A workspace' },
  { kind: 'user', label: 'A user' },
  { kind: 'ip', label: 'An IP address' },
];

const countedPer: Record<LimitName, string> = {
  api_requests_per_minute:
    'each workspace (requests inside it), else each signed-in person, else each IP address, per minute.',
  flow_runs_per_day: 'each workspace, per day (UTC).',
  ai_tokens_per_day: 'each workspace, per day (UTC).',
  concurrent_flow_runs: 'each workspace: runs going at the same time; more wait in the queue.',
  run_data_megabytes:
    'each workspace: megabytes of stored run timelines and deliveries; beyond it the oldest runs are deleted.',
  chat_messages_per_minute: 'each workspace: messages sent to the operator agent, per minute.',
  webhook_requests_per_minute:
    "each workspace: requests to its flows' webhook addresses, per minute.",
};

interface Draft {
  limitName: LimitName;
  kind: SubjectKind;
  /** The chosen workspace's id, or `other` to type one in. */
  workspace: string;
  /** The typed workspace id, user id or IP address. */
  id: string;
  value: string;
}

/** `/admin/limits`: the defaults, the overrides in force, and a form to set or remove one. */
export function AdminLimits() {
  const me = useMe();
  const client = useQueryClient();
  const names = new Map(me.workspaces.map((workspace) => [workspace.id, workspace.name]));
  const limits = useQuery({
    queryKey: limitsKey,
    queryFn: () => api<Limits>('GET', '/api/admin/limits'),
  });
  const [notice, setNotice] = useState<Notice>(null);
  const [removing, setRemoving] = useState<LimitOverride | null>(null);
  // Changing `formKey` starts the form afresh from `draft` (a row's "Change" fills it in).
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(me.workspaces[0]?.id));
  const [formKey, setFormKey] = useState(0);

  const subjectText = (subject: string) => describeSubject(subject, names, me.user.id);
  const defaults = limits.data?.defaults ?? {};
  /** What applies to a subject without its own override: the one for everyone, else the default. */
  const fallback = (limitName: LimitName, subject: string) => {
    const everyone = limits.data?.overrides.find(
      (o) => o.limitName === limitName && o.subject === '*',
    );
    return subject !== '*' && everyone
      ? { value: everyone.value, source: 'the override for everyone' }
      : { value: defaults[limitName] ?? 0, source: 'the default' };
  };

  const applied = async (data: Limits, message: string) => {
    client.setQueryData(limitsKey, data);
    setNotice({ tone: 'success', text: message });
    // Every open Usage tab shows the new limit at once.
    await client.invalidateQueries({ predicate: (query) => query.queryKey[2] === 'usage' });
  };

  return (
    <>
      <Card>
        <CardHeader>
          <CardTitle>Defaults</CardTitle>
          <CardDescription>
            The limits PMOS enforces when no override applies. A workspace's, user's or IP address's
            own override wins over the override for everyone, which wins over the default.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <QueryStates query={limits} loading="Loading limits…">
            {() => (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Limit</th>
                      <th scope="col" className="numeric">
                        Default
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {limitNames.map((name) => (
                      <tr key={name}>
                        <td>
                          <span className="person-name">{limitLabel(name)}</span>
                          <span className="muted small block">Counted for {countedPer[name]}</span>
                        </td>
                        <td className="numeric person-name">
                          {defaults[name] === undefined ? '—' : formatCount(defaults[name])}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </QueryStates>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Overrides</CardTitle>
          <CardDescription>
            Higher or lower limits for everyone or for one workspace, user or IP address. Changes
            apply within about 10 seconds on every PMOS process and are recorded in the audit log.
          </CardDescription>
        </CardHeader>
        <CardContent className="stack">
          <LiveNotice notice={notice} />
          {limits.isSuccess ? (
            limits.data.overrides.length === 0 ? (
              <EmptyState
                icon={<ShieldIcon />}
                title="No overrides"
                description="Every workspace, user and IP address has the default limits. Add an override below to change that."
              />
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Limit</th>
                      <th scope="col">Applies to</th>
                      <th scope="col" className="numeric">
                        Value
                      </th>
                      <th scope="col" className="numeric">
                        Default
                      </th>
                      <th scope="col">Updated</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {limits.data.overrides.map((override) => {
                      const subject = subjectText(override.subject);
                      return (
                        <tr key={`${override.limitName}|${override.subject}`}>
                          <td className="nowrap">{limitLabel(override.limitName)}</td>
                          <td>
                            <span className="person-name">{subject.label}</span>
                            {subject.id ? (
                              <code className="muted small block">{subject.id}</code>
                            ) : null}
                          </td>
                          <td className="numeric person-name">{formatCount(override.value)}</td>
                          <td className="numeric muted">
                            {formatCount(defaults[override.limitName] ?? 0)}
                          </td>
                          <td
                            className="muted nowrap"
                            title={formatExactDateTime(override.updatedAt)}
                          >
                            {formatRelative(override.updatedAt)}
                          </td>
                          <td className="table-actions">
                            <Button
                              variant="ghost"
                              size="sm"
                              aria-label={`Change ${limitLabel(override.limitName)} for ${subject.text}`}
                              onClick={() => {
                                setNotice(null);
                                setDraft(draftOf(override, names));
                                setFormKey((key) => key + 1);
                              }}
                            >
                              Change
                            </Button>
                            <Button
                              variant="ghost"
                              size="sm"
                              aria-label={`Remove the override of ${limitLabel(override.limitName)} for ${subject.text}`}
                              onClick={() => {
                                setNotice(null);
                                setRemoving(override);
                              }}
                            >
                              Remove override
                            </Button>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )
          ) : null}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Set an override</CardTitle>
          <CardDescription>
            Saving for a limit and subject that already have an override changes its value.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <LimitForm
            key={formKey}
            initial={draft}
            focusValue={formKey > 0}
            defaults={defaults}
            fallback={fallback}
            describe={subjectText}
            onSaved={async (data, body) => {
              const subject = subjectText(body.subject).text;
              await applied(
                data,
                `Saved: ${limitLabel(body.limitName)} for ${subject} is now ${formatCount(body.value)} ${unitOf(body.limitName, body.value)}.`,
              );
            }}
            onFailed={(error) => setNotice({ tone: 'danger', text: errorMessage(error) })}
            onStart={() => setNotice(null)}
          />
        </CardContent>
      </Card>

      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={
          removing
            ? `Remove the override of ${limitLabel(removing.limitName)} for ${subjectText(removing.subject).text}?`
            : ''
        }
        description={
          removing
            ? `The limit goes back to ${formatCount(fallback(removing.limitName, removing.subject).value)} (${fallback(removing.limitName, removing.subject).source}) within about 10 seconds.`
            : ''
        }
        confirmLabel="Remove override"
        onConfirm={async () => {
          if (!removing) return;
          const { limitName, subject } = removing;
          const back = fallback(limitName, subject);
          const data = await api<Limits>('PUT', '/api/admin/limits', {
            limitName,
            subject,
            value: null,
          });
          await applied(
            data,
            `Override removed: ${limitLabel(limitName)} for ${subjectText(subject).text} is back to ${formatCount(back.value)} (${back.source}).`,
          );
        }}
      />
    </>
  );
}

interface LimitFormProps {
  initial: Draft;
  focusValue: boolean;
  defaults: Record<string, number>;
  fallback: (limitName: LimitName, subject: string) => { value: number; source: string };
  describe: (subject: string) => { text: string };
  onSaved: (
    data: Limits,
    body: { limitName: LimitName; subject: string; value: number },
  ) => Promise<void>;
  onFailed: (error: unknown) => void;
  onStart: () => void;
}

function LimitForm({
  initial,
  focusValue,
  defaults,
  fallback,
  describe,
  onSaved,
  onFailed,
  onStart,
}: LimitFormProps) {
  const me = useMe();
  const [draft, setDraft] = useState(initial);
  const [fields, setFields] = useState<FieldErrors>({});
  const [confirming, setConfirming] = useState<SetBody | null>(null);
  const update = (change: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...change }));
    setFields((current) => {
      const next = { ...current };
      for (const key of Object.keys(change)) delete next[key === 'value' ? 'value' : 'subject'];
      return next;
    });
  };
  const kinds = subjectKinds.filter(
    ({ kind }) => !isWorkspaceQuota(draft.limitName) || kind === 'everyone' || kind === 'workspace',
  );

  const save = useMutation({
    mutationFn: (body: SetBody) => api<Limits>('PUT', '/api/admin/limits', body),
    onSuccess: async (data, body) => {
      setDraft((current) => ({ ...current, value: '' }));
      await onSaved(data, body);
    },
    onError: (error) => {
      const server = isApiError(error) ? error.fields : {};
      if (Object.keys(server).length > 0) setFields(server);
      else onFailed(error);
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onStart();
    const built = buildBody(draft);
    if (!built.ok) return setFields(built.fields);
    const checked = validate(setLimitBodySchema, built.body);
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    const body = built.body;
    const locksOutSelf =
      body.limitName === 'api_requests_per_minute' &&
      (body.subject === '*' || body.subject === `user:${me.user.id}`) &&
      body.value < lockOutBelow;
    if (locksOutSelf) return setConfirming(body);
    save.mutate(body);
  };

  const subject = subjectOf(draft);
  const inForce = subject ? fallback(draft.limitName, subject) : null;
  const idLabel =
    draft.kind === 'user' ? 'User ID' : draft.kind === 'ip' ? 'IP address' : 'Workspace ID';

  return (
    <>
      <form className="stack" onSubmit={submit} noValidate>
        <div className="limit-form">
          <FormField label="Limit">
            <Select
              name="limitName"
              value={draft.limitName}
              onChange={(event) => {
                const limitName = event.target.value as LimitName;
                const kind =
                  isWorkspaceQuota(limitName) && (draft.kind === 'user' || draft.kind === 'ip')
                    ? 'workspace'
                    : draft.kind;
                update({ limitName, kind });
              }}
            >
              {limitNames.map((name) => (
                <option key={name} value={name}>
                  {limitLabel(name)}
                </option>
              ))}
            </Select>
          </FormField>
          <FormField
            label="Applies to"
            hint={
              isWorkspaceQuota(draft.limitName)
                ? 'Daily quotas count per workspace.'
                : draft.kind === 'user'
                  ? "Their requests outside workspaces (account, admin). Inside one, the workspace's limit counts."
                  : draft.kind === 'ip'
                    ? 'Requests made without signing in, such as sign-in attempts.'
                    : undefined
            }
          >
            <Select
              name="kind"
              value={draft.kind}
              onChange={(event) => update({ kind: event.target.value as SubjectKind, id: '' })}
            >
              {kinds.map(({ kind, label }) => (
                <option key={kind} value={kind}>
                  {label}
                </option>
              ))}
            </Select>
          </FormField>
          {draft.kind === 'everyone' ? (
            <FormField label="Who" hint="Everyone without an override of their own.">
              <Input value="Everyone" readOnly disabled />
            </FormField>
          ) : draft.kind === 'workspace' && draft.workspace !== other ? (
            <FormField label="Workspace" error={fields.subject}>
              <Select
                name="workspace"
                value={draft.workspace}
                onChange={(event) => update({ workspace: event.target.value, id: '' })}
              >
                {me.workspaces.map((workspace) => (
                  <option key={workspace.id} value={workspace.id}>
                    {workspace.name}
                  </option>
                ))}
                <option value={other}>Another workspace (enter ID)…</option>
              </Select>
            </FormField>
          ) : (
            <FormField
              label={idLabel}
              error={fields.subject}
              hint={
                draft.kind === 'workspace' ? (
                  <>
                    Not one of yours.{' '}
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => update({ workspace: me.workspaces[0]?.id ?? other, id: '' })}
                    >
                      Pick from your workspaces
                    </button>
                  </>
                ) : draft.kind === 'user' ? (
                  'Shown in the audit log, in an event’s details.'
                ) : undefined
              }
            >
              <Input
                name="id"
                value={draft.id}
                autoComplete="off"
                spellCheck={false}
                className="mono"
                placeholder={draft.kind === 'ip' ? 'e.g. 203.0.113.7' : 'e.g. 0b9c6c1e-…-4f2a'}
                onChange={(event) => update({ id: event.target.value })}
              />
            </FormField>
          )}
          <FormField
            label="Value"
            error={fields.value}
            hint={
              inForce
                ? `Otherwise ${formatCount(inForce.value)} (${inForce.source}).`
                : `Default: ${formatCount(defaults[draft.limitName] ?? 0)}.`
            }
          >
            <Input
              name="value"
              type="number"
              inputMode="numeric"
              min={0}
              max={maxValue}
              step={1}
              value={draft.value}
              autoFocus={focusValue}
              onChange={(event) => update({ value: event.target.value })}
            />
          </FormField>
        </div>
        <div className="limit-form-actions">
          <Button type="submit" loading={save.isPending}>
            Save override
          </Button>
          <p className="muted small limit-form-note">
            0 refuses everything. To go back to the limit without an override, remove it in the
            table above.
          </p>
        </div>
      </form>
      <ConfirmDialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        tone="primary"
        title="This limit applies to you too"
        description={
          confirming
            ? `With ${formatCount(confirming.value)} API requests per minute for ${describe(confirming.subject).text}, your own requests outside workspaces count against it too — this page included. Once you make more in a minute, PMOS refuses them, and you may not be able to change the limit back from here.`
            : ''
        }
        confirmLabel="Save anyway"
        onConfirm={async () => {
          if (confirming) await save.mutateAsync(confirming);
        }}
      />
    </>
  );
}

type SetBody = { limitName: LimitName; subject: string; value: number };

function emptyDraft(workspaceId: string | undefined): Draft {
  return {
    limitName: 'api_requests_per_minute',
    kind: 'workspace',
    workspace: workspaceId ?? other,
    id: '',
    value: '',
  };
}

function draftOf(override: LimitOverride, names: Map<string, string>): Draft {
  const [prefix = '', ...rest] = override.subject.split(':');
  const id = rest.join(':');
  const value = String(override.value);
  if (override.subject === '*') {
    return { limitName: override.limitName, kind: 'everyone', workspace: other, id: '', value };
  }
  if (prefix === 'workspace') {
    return names.has(id)
      ? { limitName: override.limitName, kind: 'workspace', workspace: id, id: '', value }
      : { limitName: override.limitName, kind: 'workspace', workspace: other, id, value };
  }
  return {
    limitName: override.limitName,
    kind: prefix === 'ip' ? 'ip' : 'user',
    workspace: other,
    id,
    value,
  };
}

/** The subject key the draft names, or null while its id is missing. */
function subjectOf(draft: Draft): string | null {
  if (draft.kind === 'everyone') return '*';
  if (draft.kind === 'workspace' && draft.workspace !== other)
    return `workspace:${draft.workspace}`;
  const id = draft.id.trim();
  if (!id) return null;
  return draft.kind === 'ip' ? `ip:${id}` : `${draft.kind}:${id.toLowerCase()}`;
}

/** Checks the draft with messages that say how to fix it, before the schema's own check. */
function buildBody(draft: Draft): { ok: true; body: SetBody } | { ok: false; fields: FieldErrors } {
  const fields: FieldErrors = {};
  const id = draft.id.trim();
  const typed = draft.kind === 'user' || draft.kind === 'ip' || draft.workspace === other;
  if (draft.kind !== 'everyone' && typed) {
    if (draft.kind === 'ip') {
      if (!isIpAddress(id))
        fields.subject = 'Enter an IP address, like 203.0.113.7 or 2001:db8::1.';
    } else if (!uuid.safeParse(id.toLowerCase()).success) {
      fields.subject = `Paste a whole ${draft.kind} ID, like 0b9c6c1e-…-4f2a.`;
    }
  }
  const value = Number(draft.value);
  if (draft.value.trim() === '' || !Number.isInteger(value) || value < 0 || value > maxValue) {
    fields.value = `Enter a whole number from 0 to ${formatCount(maxValue)}.`;
  }
  const subject = subjectOf(draft);
  if (Object.keys(fields).length > 0 || !subject) return { ok: false, fields };
  return { ok: true, body: { limitName: draft.limitName, subject, value } };
}

function isIpAddress(value: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value);
  if (v4) return v4.slice(1).every((part) => Number(part) <= 255);
  return value.includes(':') && /^[0-9a-fA-F:.]+$/.test(value);
}

/**
 * A subject as people read it: "Everyone", a workspace's name (when it is one of the super
 * admin's), "User <id>", "IP <address>". `text` is for sentences; `id` is shown under a name.
 */
function describeSubject(
  subject: string,
  names: Map<string, string>,
  myId: string,
): { label: string; text: string; id?: string } {
  if (subject === '*') return { label: 'Everyone', text: 'everyone' };
  const [prefix = '', ...rest] = subject.split(':');
  const id = rest.join(':');
  if (prefix === 'workspace') {
    const name = names.get(id);
    return name
      ? { label: name, text: name, id }
      : { label: `Workspace ${id}`, text: `workspace ${id}` };
  }
  if (prefix === 'user') {
    const you = id === myId ? ' (you)' : '';
    return { label: `User ${id}${you}`, text: `user ${id}${you}` };
  }
  if (prefix === 'ip') return { label: `IP ${id}`, text: `IP ${id}` };
  return { label: subject, text: subject };
}
