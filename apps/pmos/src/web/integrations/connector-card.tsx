import {
  Alert,
  Badge,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  Dialog,
  DialogActions,
  EmptyState,
  FormField,
  Input,
} from '@pmos/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import {
  createConnectionBodySchema,
  updateConnectionBodySchema,
} from '../../api/plugin-schemas.js';
import type { AuthDescription, Connection, ConnectionStatus, List } from '../api-types.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { useFieldErrors, useFocusFirstInvalid } from '../common/form.js';
import { PlugIcon, PlusIcon } from '../common/icons.js';
import { LiveNotice, type Notice as LiveNoticeState } from '../common/live-notice.js';
import { api, errorMessage } from '../lib/api.js';
import { formatExactDateTime, formatRelative } from '../lib/format.js';
import { type FieldErrors, validate } from '../lib/validate.js';
import {
  ConnectionNameField,
  CredentialFields,
  credentialErrorsOf,
  hasCredentials,
  inSentence,
  readCredentials,
} from './credential-fields.js';
import { type SignInDraft, SignInForm } from './oauth2-sign-in.js';
import { ToolMarksDialog } from './tool-marks-dialog.js';

/** A connector or an AI provider of the catalog: something connections are made for. */
export interface Connectable {
  pluginId: string;
  pluginDisplayName: string;
  id: string;
  displayName: string;
  description: string | null;
  auth: AuthDescription;
  /** Whether PMOS can test its connections. */
  hasHealthCheck: boolean;
  /** It fronts a server of tools (an MCP server …): each connection's tools can be marked. */
  hasRemoteTools: boolean;
}

type Wizard =
  | { step: 'add'; draft?: SignInDraft }
  | { step: 'replace'; connection: Connection }
  // OAuth2 connections cannot take new tokens in place: signing in again adds a connection.
  | { step: 'signInAgain'; connection: Connection }
  | { step: 'result'; connection: Connection };

/** A message on the card; `highlight` marks the connection it is about in the list. */
type Notice = (LiveNoticeState & { highlight?: string }) | null;

/** A connection's status as people should read it: one without a health check is only saved. */
type ShownStatus = ConnectionStatus | 'unchecked';

function shownStatus(connection: Connection, connector: Connectable): ShownStatus {
  return !connector.hasHealthCheck && connection.status !== 'failing'
    ? 'unchecked'
    : connection.status;
}

const statusBadges: Record<ShownStatus, { tone: 'success' | 'danger' | 'neutral'; label: string }> =
  {
    healthy: { tone: 'success', label: 'Healthy' },
    failing: { tone: 'danger', label: 'Failing' },
    untested: { tone: 'neutral', label: 'Untested' },
    unchecked: { tone: 'neutral', label: 'Saved' },
  };

const cannotTest = (connector: Connectable) =>
  `${connector.displayName} has no way to test a connection: PMOS uses it as it is.`;

export function connectionsKey(workspaceId: string) {
  return ['workspaces', workspaceId, 'connections'];
}

/** One connector: its connections with their health, and what an admin can do with them. */
export function ConnectorCard({
  workspaceId,
  connector,
  connections,
  canManage,
  now,
  signedIn,
  retry,
}: {
  workspaceId: string;
  connector: Connectable;
  connections: Connection[];
  canManage: boolean;
  now: number;
  /** The connection a sign-in just created (the page opened with `?connection=`). */
  signedIn?: string | undefined;
  /** A failed sign-in to start again: opens the sign-in dialog with what it was started with. */
  retry?: SignInDraft | undefined;
}) {
  const client = useQueryClient();
  const [notice, setNotice] = useState<Notice>(() => {
    const arrived = connections.find((c) => c.id === signedIn);
    return arrived ? resultNotice(arrived, connector, 'signed in') : null;
  });
  const [wizard, setWizard] = useState<Wizard | null>(null);
  const [renaming, setRenaming] = useState<Connection | null>(null);
  const [deleting, setDeleting] = useState<Connection | null>(null);
  const [toolsOf, setToolsOf] = useState<Connection | null>(null);
  // Everyone who sees connections may see their tools; only admins act on the rest.
  const hasActions = canManage || connector.hasRemoteTools;
  const key = connectionsKey(workspaceId);
  const isOAuth2 = connector.auth.kind === 'oauth2';

  useEffect(() => {
    if (!retry) return;
    setNotice(null);
    setWizard({ step: 'add', draft: retry });
  }, [retry]);

  /** Puts the server's copy of a connection in the list at once, then refreshes the list. */
  const remember = async (connection: Connection | { deleted: string }) => {
    client.setQueryData<List<Connection>>(key, (current) => {
      if (!current) return current;
      if ('deleted' in connection) {
        return { ...current, data: current.data.filter((c) => c.id !== connection.deleted) };
      }
      const known = current.data.some((c) => c.id === connection.id);
      return {
        ...current,
        data: known
          ? current.data.map((c) => (c.id === connection.id ? connection : c))
          : [...current.data, connection],
      };
    });
    await client.invalidateQueries({ queryKey: key });
  };

  const openWizard = (next: Wizard) => {
    setNotice(null);
    setWizard(next);
  };

  const onSaved = async (connection: Connection) => {
    setWizard({ step: 'result', connection });
    await remember(connection);
  };

  const addButton = (
    <Button onClick={() => openWizard({ step: 'add' })}>
      <PlusIcon />
      Add connection
    </Button>
  );

  return (
    <Card className="connector-card" data-connector-id={connector.id}>
      <CardHeader className="card-header-row">
        <div className="card-header-text">
          <CardTitle>{connector.displayName}</CardTitle>
          <CardDescription>
            {connector.description ? `${connector.description} ` : null}
            <span className="muted">From the {connector.pluginDisplayName} plugin.</span>
          </CardDescription>
        </div>
        {canManage && connections.length > 0 ? addButton : null}
      </CardHeader>
      <CardContent className="stack">
        <LiveNotice notice={notice} />
        {connections.length === 0 ? (
          <EmptyState
            className="connector-empty"
            icon={<PlugIcon />}
            title="No connections yet"
            description={emptyText(connector, canManage)}
            action={canManage ? addButton : undefined}
          />
        ) : (
          <div className="table-wrap">
            <table className="table connections-table">
              <thead>
                <tr>
                  <th scope="col">Connection</th>
                  <th scope="col">Status</th>
                  {hasActions ? (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {connections.map((connection) => (
                  <ConnectionRow
                    key={connection.id}
                    workspaceId={workspaceId}
                    connector={connector}
                    connection={connection}
                    canManage={canManage}
                    highlighted={notice?.highlight === connection.id}
                    now={now}
                    onTested={async (tested) => {
                      await remember(tested);
                      setNotice(
                        tested.status === 'failing'
                          ? {
                              tone: 'danger',
                              text: `“${tested.displayName}” failed its test: ${tested.lastCheck?.message ?? 'no reason given.'}`,
                            }
                          : {
                              tone: 'success',
                              text: `“${tested.displayName}” was tested: ${tested.lastCheck?.message ?? 'it works.'}`,
                            },
                      );
                    }}
                    onError={(error) => setNotice({ tone: 'danger', text: errorMessage(error) })}
                    onRename={() => {
                      setNotice(null);
                      setRenaming(connection);
                    }}
                    onReplace={() =>
                      openWizard({ step: isOAuth2 ? 'signInAgain' : 'replace', connection })
                    }
                    onDelete={() => {
                      setNotice(null);
                      setDeleting(connection);
                    }}
                    onTools={() => setToolsOf(connection)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {!canManage ? (
          <p className="muted small">
            Only workspace admins can add, test, change or delete connections.
          </p>
        ) : null}
      </CardContent>

      <Dialog
        open={wizard !== null}
        onClose={() => setWizard(null)}
        // Wider for the sign-in, so the redirect URI to register shows whole.
        className={isOAuth2 ? 'sign-in-dialog' : undefined}
        title={wizard ? wizardTitle(wizard, connector) : ''}
        description={wizard ? wizardDescription(wizard, connector) : undefined}
      >
        {isOAuth2 && (wizard?.step === 'add' || wizard?.step === 'signInAgain') ? (
          <SignInForm
            workspaceId={workspaceId}
            connector={connector}
            takenNames={connections.map((c) => c.displayName)}
            defaults={
              wizard.step === 'add'
                ? wizard.draft
                : { displayName: `${wizard.connection.displayName} (new)` }
            }
            onCancel={() => setWizard(null)}
          />
        ) : null}
        {!isOAuth2 && (wizard?.step === 'add' || wizard?.step === 'replace') ? (
          <ConnectionForm
            workspaceId={workspaceId}
            connector={connector}
            replacing={wizard.step === 'replace' ? wizard.connection : undefined}
            onCancel={() => setWizard(null)}
            onSaved={onSaved}
          />
        ) : null}
        {wizard?.step === 'result' ? (
          <ConnectionResult
            connection={wizard.connection}
            connector={connector}
            onFix={() => setWizard({ step: 'replace', connection: wizard.connection })}
            onDone={() => {
              setNotice(resultNotice(wizard.connection, connector, 'saved'));
              setWizard(null);
            }}
          />
        ) : null}
      </Dialog>

      <Dialog
        open={renaming !== null}
        onClose={() => setRenaming(null)}
        title={`Rename “${renaming?.displayName ?? ''}”`}
        description="The new name shows wherever automations and chat use this connection."
      >
        {renaming ? (
          <RenameForm
            workspaceId={workspaceId}
            connection={renaming}
            onCancel={() => setRenaming(null)}
            onSaved={async (connection) => {
              setRenaming(null);
              await remember(connection);
              setNotice({ tone: 'success', text: `Renamed to “${connection.displayName}”.` });
            }}
          />
        ) : null}
      </Dialog>

      {toolsOf ? (
        <ToolMarksDialog
          workspaceId={workspaceId}
          connection={toolsOf}
          canManage={canManage}
          onClose={() => setToolsOf(null)}
        />
      ) : null}

      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete “${deleting?.displayName ?? ''}”?`}
        description="Automations and chat that use it stop working until you connect again. Its credentials are deleted and cannot be recovered."
        confirmLabel="Delete connection"
        onConfirm={async () => {
          if (!deleting) return;
          await api<void>('DELETE', `/api/workspaces/${workspaceId}/connections/${deleting.id}`);
          await remember({ deleted: deleting.id });
          setNotice({ tone: 'success', text: `“${deleting.displayName}” was deleted.` });
        }}
      />
    </Card>
  );
}

function emptyText(connector: Connectable, canManage: boolean): string {
  if (!canManage) {
    return `A workspace admin adds ${connector.displayName} connections here. Automations and chat then use them without anyone seeing the credentials.`;
  }
  if (connector.auth.kind === 'oauth2') {
    return `Connect by signing in to ${connector.displayName}, with the client ID of an OAuth app registered there. PMOS keeps the sign-in encrypted and tests it right away.`;
  }
  const what =
    connector.auth.kind === 'secret_text' && connector.auth.displayName
      ? `your ${inSentence(connector.auth.displayName)}`
      : connector.auth.kind === 'none'
        ? 'a name'
        : 'its credentials';
  const after = connector.hasHealthCheck
    ? 'stores it encrypted and tests it right away'
    : 'stores it encrypted';
  return `Add a connection with ${what} to use ${connector.displayName} in automations and chat. PMOS ${after}.`;
}

function wizardTitle(wizard: Wizard, connector: Connectable): string {
  if (wizard.step === 'add') return `Connect ${connector.displayName}`;
  if (wizard.step === 'replace') {
    return `Replace the credentials of “${wizard.connection.displayName}”`;
  }
  if (wizard.step === 'signInAgain') return `Sign in again for “${wizard.connection.displayName}”`;
  const name = wizard.connection.displayName;
  const status = shownStatus(wizard.connection, connector);
  if (status === 'healthy') return `“${name}” is connected`;
  if (status === 'failing') return `“${name}” does not work yet`;
  return `“${name}” is saved`;
}

function wizardDescription(wizard: Wizard, connector: Connectable): string | undefined {
  const tests = connector.hasHealthCheck ? ' and tests the connection right away' : '';
  switch (wizard.step) {
    case 'result':
      return undefined;
    case 'signInAgain':
      return `PMOS cannot renew the sign-in of an existing connection yet, so this adds a new connection. Once it works, delete “${wizard.connection.displayName}”.`;
    case 'replace':
      return `The current credentials are overwritten and cannot be recovered.${connector.hasHealthCheck ? ' PMOS tests the new ones right away.' : ''}`;
    case 'add':
      if (connector.auth.kind === 'oauth2') {
        return `You sign in at ${connector.displayName} and allow access, then come back here. PMOS keeps the sign-in encrypted${tests}.`;
      }
      return connector.auth.kind === 'none'
        ? `Give the connection a name; PMOS saves it${tests}.`
        : `PMOS encrypts the credentials when you save${tests}. Nobody — you included — can read them back.`;
  }
}

/** What the card says after a save or a sign-in, about the connection's first test. */
function resultNotice(
  connection: Connection,
  connector: Connectable,
  how: 'saved' | 'signed in',
): Notice {
  const name = connection.displayName;
  const message = connection.lastCheck?.message;
  const highlight = connection.id;
  const status = shownStatus(connection, connector);
  if (status === 'failing') {
    return {
      tone: 'danger',
      highlight,
      text: `“${name}” is ${how} but does not work: ${message ?? 'the test failed.'}`,
    };
  }
  const lead = how === 'saved' ? `“${name}” is saved.` : `Connected “${name}”.`;
  const detail = status === 'unchecked' ? cannotTest(connector) : message;
  return { tone: 'success', highlight, text: detail ? `${lead} ${detail}` : lead };
}

function ConnectionRow({
  workspaceId,
  connector,
  connection,
  canManage,
  highlighted,
  now,
  onTested,
  onError,
  onRename,
  onReplace,
  onDelete,
  onTools,
}: {
  workspaceId: string;
  connector: Connectable;
  connection: Connection;
  canManage: boolean;
  /** The connection the card's message is about: marked, and scrolled into view. */
  highlighted: boolean;
  now: number;
  onTested: (connection: Connection) => Promise<void>;
  onError: (error: unknown) => void;
  onRename: () => void;
  onReplace: () => void;
  onDelete: () => void;
  onTools: () => void;
}) {
  const row = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (highlighted) row.current?.scrollIntoView({ block: 'nearest' });
  }, [highlighted]);
  const test = useMutation({
    mutationFn: () =>
      api<Connection>('POST', `/api/workspaces/${workspaceId}/connections/${connection.id}/test`),
    onSuccess: onTested,
    onError,
  });
  const status = shownStatus(connection, connector);
  const badge = statusBadges[status];
  const check = connection.lastCheck;
  const name = connection.displayName;
  let detail: ReactNode;
  if (status === 'unchecked') detail = cannotTest(connector);
  else if (check) {
    detail = (
      <>
        {check.message}{' '}
        <span className="nowrap" title={formatExactDateTime(check.checkedAt)}>
          · checked {formatRelative(check.checkedAt, now)}
        </span>
      </>
    );
  } else detail = 'Not tested yet.';
  return (
    <tr ref={row} className={highlighted ? 'connection-highlighted' : undefined}>
      <td className="connection-name">
        <span className="person-name block">{name}</span>
        <code className="token-hint small">{connection.mask}</code>
      </td>
      <td className="connection-status">
        <Badge tone={badge.tone}>{badge.label}</Badge>
        <span className="muted small block">{detail}</span>
      </td>
      {canManage || connector.hasRemoteTools ? (
        <td className="table-actions">
          {connector.hasRemoteTools ? (
            <Button variant="ghost" size="sm" aria-label={`Tools of ${name}`} onClick={onTools}>
              Tools
            </Button>
          ) : null}
          {canManage ? (
            <>
              {connector.hasHealthCheck ? (
                <Button
                  variant="ghost"
                  size="sm"
                  loading={test.isPending}
                  aria-label={`Test ${name} again`}
                  onClick={() => test.mutate()}
                >
                  {test.isPending ? 'Testing…' : 'Test again'}
                </Button>
              ) : null}
              <Button variant="ghost" size="sm" aria-label={`Rename ${name}`} onClick={onRename}>
                Rename
              </Button>
              {connector.auth.kind === 'oauth2' ? (
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Sign in again for ${name}`}
                  onClick={onReplace}
                >
                  Sign in again
                </Button>
              ) : hasCredentials(connector.auth) ? (
                <Button
                  variant="ghost"
                  size="sm"
                  aria-label={`Replace the credentials of ${name}`}
                  onClick={onReplace}
                >
                  Replace credentials
                </Button>
              ) : null}
              <Button variant="ghost" size="sm" aria-label={`Delete ${name}`} onClick={onDelete}>
                Delete
              </Button>
            </>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

/** Add a connection (name and credentials) or replace one's credentials; both are tested. */
export function ConnectionForm({
  workspaceId,
  connector,
  replacing,
  onCancel,
  onSaved,
}: {
  workspaceId: string;
  connector: Connectable;
  replacing?: Connection | undefined;
  onCancel: () => void;
  onSaved: (connection: Connection) => Promise<void>;
}) {
  const { auth } = connector;
  const { fields, shown, setFields, form, onChange } = useFieldErrors();
  const save = useMutation({
    mutationFn: (body: { displayName?: string; value?: unknown }) =>
      replacing
        ? api<Connection>(
            'PATCH',
            `/api/workspaces/${workspaceId}/connections/${replacing.id}`,
            body,
          )
        : api<Connection>('POST', `/api/workspaces/${workspaceId}/connections`, {
            pluginId: connector.pluginId,
            connectorId: connector.id,
            ...body,
          }),
    onSuccess: onSaved,
    onError: (error) => setFields(credentialErrorsOf(error, auth)),
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const errors: FieldErrors = {};
    let displayName: string | undefined;
    if (!replacing) {
      const name = validate(createConnectionBodySchema.pick({ displayName: true }), {
        displayName: data.get('displayName') ?? '',
      });
      if (name.ok) displayName = name.data.displayName;
      else Object.assign(errors, name.fields);
    }
    const credentials = readCredentials(auth, data);
    if (!credentials.ok) Object.assign(errors, credentials.fields);
    if (Object.keys(errors).length > 0 || !credentials.ok) return setFields(errors);
    setFields({});
    save.mutate(
      replacing
        ? { value: credentials.value }
        : {
            displayName,
            ...(credentials.value === undefined ? {} : { value: credentials.value }),
          },
    );
  };

  const progress = connector.hasHealthCheck ? 'Saving and testing…' : 'Saving…';
  return (
    <form ref={form} className="stack" onSubmit={submit} onChange={onChange} noValidate>
      {save.isError && Object.keys(fields).length === 0 ? (
        <Alert tone="danger">{errorMessage(save.error)}</Alert>
      ) : null}
      {replacing ? (
        <p className="muted small">
          Now: <code className="token-hint">{replacing.mask}</code>
        </p>
      ) : (
        <ConnectionNameField
          error={shown.displayName}
          defaultValue={`${connector.displayName} connection`}
          autoFocus={auth.kind === 'none'}
        />
      )}
      <CredentialFields
        auth={auth}
        errors={shown}
        connectorName={connector.displayName}
        autoFocus={auth.kind !== 'none'}
      />
      {save.isPending ? (
        <p className="muted small" role="status">
          {progress} This can take a few seconds.
        </p>
      ) : null}
      <DialogActions>
        <Button variant="secondary" onClick={onCancel} disabled={save.isPending}>
          Cancel
        </Button>
        <Button type="submit" loading={save.isPending}>
          {save.isPending ? progress : connector.hasHealthCheck ? 'Save and test' : 'Save'}
        </Button>
      </DialogActions>
    </form>
  );
}

/** What the test right after saving found, in plain words, and the way on from there. */
function ConnectionResult({
  connection,
  connector,
  onFix,
  onDone,
}: {
  connection: Connection;
  connector: Connectable;
  onFix: () => void;
  onDone: () => void;
}) {
  const message = connection.lastCheck?.message;
  const status = shownStatus(connection, connector);
  const canFix = hasCredentials(connector.auth);
  let body: ReactNode;
  if (status === 'healthy') {
    body = (
      <Alert tone="success" title="Connected">
        {message ?? 'The test passed.'}
      </Alert>
    );
  } else if (status === 'failing') {
    body = (
      <>
        <Alert tone="danger" title="The test failed">
          {message ?? 'The connector did not say why.'}
        </Alert>
        <p className="muted">
          The connection is saved, but automations cannot use it until it works.
          {canFix ? ' Check the credentials and enter them again; PMOS tests them once more.' : ''}
        </p>
      </>
    );
  } else {
    body = (
      <Alert tone="info" title="Saved">
        {status === 'unchecked' ? cannotTest(connector) : (message ?? 'It was not tested.')}
      </Alert>
    );
  }
  return (
    <>
      {body}
      <DialogActions>
        {status === 'failing' && canFix ? (
          <>
            <Button variant="secondary" onClick={onDone}>
              Close
            </Button>
            <Button onClick={onFix} autoFocus>
              Fix the credentials
            </Button>
          </>
        ) : (
          <Button onClick={onDone} autoFocus>
            Done
          </Button>
        )}
      </DialogActions>
    </>
  );
}

// Renaming sends only the name, which the update schema otherwise lets be left out.
const renameSchema = updateConnectionBodySchema
  .pick({ displayName: true })
  .required({ displayName: true });

function RenameForm({
  workspaceId,
  connection,
  onCancel,
  onSaved,
}: {
  workspaceId: string;
  connection: Connection;
  onCancel: () => void;
  onSaved: (connection: Connection) => Promise<void>;
}) {
  const [fields, setFields] = useState<FieldErrors>({});
  const form = useFocusFirstInvalid(fields);
  const rename = useMutation({
    mutationFn: (displayName: string) =>
      api<Connection>('PATCH', `/api/workspaces/${workspaceId}/connections/${connection.id}`, {
        displayName,
      }),
    onSuccess: onSaved,
    // A taken name shows next to the field; anything else above the form.
    onError: (error) => setFields(credentialErrorsOf(error, { kind: 'none' })),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = validate(renameSchema, {
      displayName: new FormData(event.currentTarget).get('displayName') ?? '',
    });
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    rename.mutate(checked.data.displayName);
  };
  return (
    <form ref={form} className="stack" onSubmit={submit} noValidate>
      {rename.isError && Object.keys(fields).length === 0 ? (
        <Alert tone="danger">{errorMessage(rename.error)}</Alert>
      ) : null}
      <FormField label="Name" error={fields.displayName}>
        <Input
          name="displayName"
          autoComplete="off"
          defaultValue={connection.displayName}
          autoFocus
        />
      </FormField>
      <DialogActions>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={rename.isPending}>
          Rename
        </Button>
      </DialogActions>
    </form>
  );
}
