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
import { type FormEvent, type ReactNode, useState } from 'react';
import {
  createConnectionBodySchema,
  updateConnectionBodySchema,
} from '../../api/plugin-schemas.js';
import type { AuthDescription, Connection, ConnectionStatus, List } from '../api-types.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { useFocusFirstInvalid } from '../common/form.js';
import { PlugIcon, PlusIcon } from '../common/icons.js';
import { api, errorMessage } from '../lib/api.js';
import { formatExactDateTime, formatRelative } from '../lib/format.js';
import { type FieldErrors, validate } from '../lib/validate.js';
import {
  CredentialFields,
  canEnterCredentials,
  credentialErrorsOf,
  hasCredentials,
  inSentence,
  readCredentials,
} from './credential-fields.js';

/** A connector or an AI provider: something connections are made for. */
export interface Connectable {
  pluginId: string;
  id: string;
  displayName: string;
  description: string | null;
  auth: AuthDescription;
  /** Whether PMOS can test its connections (AI providers: assumed). */
  testable: boolean;
  /** The plugin's name, when known. */
  pluginName?: string | undefined;
}

type Wizard =
  | { step: 'add' }
  | { step: 'replace'; connection: Connection }
  | { step: 'result'; connection: Connection };

type Notice = { tone: 'success' | 'danger'; text: string } | null;

const statusBadges: Record<
  ConnectionStatus,
  { tone: 'success' | 'danger' | 'neutral'; label: string }
> = {
  healthy: { tone: 'success', label: 'Healthy' },
  failing: { tone: 'danger', label: 'Failing' },
  untested: { tone: 'neutral', label: 'Untested' },
};

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
}: {
  workspaceId: string;
  connector: Connectable;
  connections: Connection[];
  canManage: boolean;
  now: number;
}) {
  const client = useQueryClient();
  const [notice, setNotice] = useState<Notice>(null);
  const [wizard, setWizard] = useState<Wizard | null>(null);
  const [renaming, setRenaming] = useState<Connection | null>(null);
  const [deleting, setDeleting] = useState<Connection | null>(null);
  const key = connectionsKey(workspaceId);
  const addable = canManage && canEnterCredentials(connector.auth);

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
            {connector.pluginName ? (
              <span className="muted">From the {connector.pluginName} plugin.</span>
            ) : null}
          </CardDescription>
        </div>
        {addable && connections.length > 0 ? addButton : null}
      </CardHeader>
      <CardContent className="stack">
        <div aria-live="polite">
          {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
        </div>
        {connections.length === 0 ? (
          <EmptyState
            className="connector-empty"
            icon={<PlugIcon />}
            title="No connections yet"
            description={emptyText(connector, canManage)}
            action={addable ? addButton : undefined}
          />
        ) : (
          <div className="table-wrap">
            <table className="table connections-table">
              <thead>
                <tr>
                  <th scope="col">Connection</th>
                  <th scope="col">Status</th>
                  {canManage ? (
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
                    onReplace={() => openWizard({ step: 'replace', connection })}
                    onDelete={() => {
                      setNotice(null);
                      setDeleting(connection);
                    }}
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
        title={wizard ? wizardTitle(wizard, connector) : ''}
        description={wizard ? wizardDescription(wizard, connector) : undefined}
      >
        {wizard?.step === 'add' ? (
          <ConnectionForm
            workspaceId={workspaceId}
            connector={connector}
            onCancel={() => setWizard(null)}
            onSaved={async (connection) => {
              setWizard({ step: 'result', connection });
              await remember(connection);
            }}
          />
        ) : null}
        {wizard?.step === 'replace' ? (
          <ConnectionForm
            workspaceId={workspaceId}
            connector={connector}
            replacing={wizard.connection}
            onCancel={() => setWizard(null)}
            onSaved={async (connection) => {
              setWizard({ step: 'result', connection });
              await remember(connection);
            }}
          />
        ) : null}
        {wizard?.step === 'result' ? (
          <ConnectionResult
            connection={wizard.connection}
            canFix={hasCredentials(connector.auth)}
            onFix={() => setWizard({ step: 'replace', connection: wizard.connection })}
            onDone={() => {
              setNotice(resultNotice(wizard.connection));
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
  if (connector.auth.kind === 'oauth2') {
    return `${connector.displayName} connects by signing in to your account (OAuth2), which PMOS cannot do from here yet.`;
  }
  if (!canManage) {
    return `A workspace admin adds ${connector.displayName} connections here. Automations and chat then use them without anyone seeing the credentials.`;
  }
  const what =
    connector.auth.kind === 'secret_text' && connector.auth.displayName
      ? `your ${inSentence(connector.auth.displayName)}`
      : connector.auth.kind === 'none'
        ? 'a name'
        : 'its credentials';
  return `Add a connection with ${what} to use ${connector.displayName} in automations and chat. PMOS stores it encrypted and tests it right away.`;
}

function wizardTitle(wizard: Wizard, connector: Connectable): string {
  if (wizard.step === 'add') return `Connect ${connector.displayName}`;
  if (wizard.step === 'replace') {
    return `Replace the credentials of “${wizard.connection.displayName}”`;
  }
  const name = wizard.connection.displayName;
  if (wizard.connection.status === 'healthy') return `“${name}” is connected`;
  if (wizard.connection.status === 'failing') return `“${name}” does not work yet`;
  return `“${name}” is saved`;
}

function wizardDescription(wizard: Wizard, connector: Connectable): string | undefined {
  if (wizard.step === 'result') return undefined;
  if (!canEnterCredentials(connector.auth)) return undefined;
  if (wizard.step === 'replace') {
    return 'The current credentials are overwritten and cannot be recovered. PMOS tests the new ones right away.';
  }
  return connector.auth.kind === 'none'
    ? 'Give the connection a name; PMOS saves it and tests it right away.'
    : 'PMOS encrypts the credentials when you save and tests the connection right away. Nobody — you included — can read them back.';
}

function resultNotice(connection: Connection): Notice {
  const message = connection.lastCheck?.message;
  if (connection.status === 'failing') {
    return {
      tone: 'danger',
      text: `“${connection.displayName}” is saved but does not work: ${message ?? 'the test failed.'}`,
    };
  }
  return {
    tone: 'success',
    text: `“${connection.displayName}” is saved.${message ? ` ${message}` : ''}`,
  };
}

function ConnectionRow({
  workspaceId,
  connector,
  connection,
  canManage,
  now,
  onTested,
  onError,
  onRename,
  onReplace,
  onDelete,
}: {
  workspaceId: string;
  connector: Connectable;
  connection: Connection;
  canManage: boolean;
  now: number;
  onTested: (connection: Connection) => Promise<void>;
  onError: (error: unknown) => void;
  onRename: () => void;
  onReplace: () => void;
  onDelete: () => void;
}) {
  const test = useMutation({
    mutationFn: () =>
      api<Connection>('POST', `/api/workspaces/${workspaceId}/connections/${connection.id}/test`),
    onSuccess: onTested,
    onError,
  });
  const badge = statusBadges[connection.status];
  const check = connection.lastCheck;
  const name = connection.displayName;
  return (
    <tr>
      <td className="connection-name">
        <span className="person-name block">{name}</span>
        <code className="token-hint small">{connection.mask}</code>
      </td>
      <td className="connection-status">
        <Badge tone={badge.tone}>{badge.label}</Badge>
        {check ? (
          <span className="muted small block">
            {check.message}{' '}
            <span className="nowrap" title={formatExactDateTime(check.checkedAt)}>
              · checked {formatRelative(check.checkedAt, now)}
            </span>
          </span>
        ) : (
          <span className="muted small block">Not tested yet.</span>
        )}
      </td>
      {canManage ? (
        <td className="table-actions">
          {connector.testable ? (
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
          {hasCredentials(connector.auth) ? (
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
        </td>
      ) : null}
    </tr>
  );
}

/** Add a connection (name and credentials) or replace one's credentials; both are tested. */
function ConnectionForm({
  workspaceId,
  connector,
  replacing,
  onCancel,
  onSaved,
}: {
  workspaceId: string;
  connector: Connectable;
  replacing?: Connection;
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

  if (!canEnterCredentials(auth)) {
    return (
      <>
        <CredentialFields auth={auth} errors={{}} connectorName={connector.displayName} />
        <DialogActions>
          <Button variant="secondary" onClick={onCancel}>
            Close
          </Button>
        </DialogActions>
      </>
    );
  }

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

  const progress = connector.testable ? 'Saving and testing…' : 'Saving…';
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
        <FormField
          label="Name"
          error={shown.displayName}
          hint="How automations and chat refer to this connection."
        >
          <Input
            name="displayName"
            autoComplete="off"
            defaultValue={`${connector.displayName} connection`}
            autoFocus={auth.kind === 'none'}
          />
        </FormField>
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
          {save.isPending ? progress : connector.testable ? 'Save and test' : 'Save'}
        </Button>
      </DialogActions>
    </form>
  );
}

/** What the test right after saving found, in plain words, and the way on from there. */
function ConnectionResult({
  connection,
  canFix,
  onFix,
  onDone,
}: {
  connection: Connection;
  canFix: boolean;
  onFix: () => void;
  onDone: () => void;
}) {
  const message = connection.lastCheck?.message;
  let body: ReactNode;
  if (connection.status === 'healthy') {
    body = (
      <Alert tone="success" title="Connected">
        {message ?? 'The test passed.'}
      </Alert>
    );
  } else if (connection.status === 'failing') {
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
        {message ?? 'This connector cannot be tested; it is used as it is.'}
      </Alert>
    );
  }
  return (
    <>
      {body}
      <DialogActions>
        {connection.status === 'failing' && canFix ? (
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

/**
 * Field messages of the last save, each hidden once its field is edited (it may be right now,
 * and is checked again on save). Focus goes to the first invalid field only after a save.
 */
function useFieldErrors() {
  const [fields, setAll] = useState<FieldErrors>({});
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const form = useFocusFirstInvalid(fields);
  const setFields = (next: FieldErrors) => {
    setEdited(new Set());
    setAll(next);
  };
  const shown: FieldErrors = Object.fromEntries(
    Object.entries(fields).filter(([name]) => !edited.has(name)),
  );
  const onChange = (event: FormEvent<HTMLFormElement>) => {
    const name = (event.target as HTMLInputElement).name;
    if (name in fields && !edited.has(name)) setEdited(new Set(edited).add(name));
  };
  return { fields, shown, setFields, form, onChange };
}
