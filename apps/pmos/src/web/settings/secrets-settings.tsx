import {
  Alert,
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
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { createSecretBodySchema, updateSecretBodySchema } from '../../api/schemas.js';
import type { List, Secret } from '../api-types.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { formValues, useFieldErrors } from '../common/form.js';
import { KeyIcon, PlusIcon } from '../common/icons.js';
import { QueryStates } from '../common/query-states.js';
import { SecretInput } from '../common/secret-input.js';
import { api, errorMessage, isApiError } from '../lib/api.js';
import { formatExactDateTime, formatRelative } from '../lib/format.js';
import { type FieldErrors, validate } from '../lib/validate.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { AdminsOnly } from './admins-only.js';

export function SecretsSettings() {
  const { can } = useWorkspace();
  if (!can('connections.read')) return <AdminsOnly what="see the workspace's secrets" />;
  return <SecretList />;
}

function SecretList() {
  const { workspace, can } = useWorkspace();
  const client = useQueryClient();
  const canManage = can('connections.manage');
  const secretsKey = ['workspaces', workspace.id, 'secrets'];
  const secrets = useQuery({
    queryKey: secretsKey,
    queryFn: () => api<List<Secret>>('GET', `/api/workspaces/${workspace.id}/secrets`),
  });
  const [adding, setAdding] = useState(false);
  const [replacing, setReplacing] = useState<Secret | null>(null);
  const [deleting, setDeleting] = useState<Secret | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const saved = async (message: string) => {
    setNotice(message);
    await client.invalidateQueries({ queryKey: secretsKey });
  };

  const addButton = (
    <Button
      onClick={() => {
        setNotice(null);
        setAdding(true);
      }}
    >
      <PlusIcon />
      Add secret
    </Button>
  );

  return (
    <Card>
      <CardHeader className="card-header-row">
        <div className="card-header-text">
          <CardTitle>Secrets</CardTitle>
          <CardDescription>
            API keys and passwords for this workspace's connectors and AI providers. Values are
            encrypted when saved and never shown again — only their last 4 characters.
          </CardDescription>
        </div>
        {canManage && secrets.isSuccess && secrets.data.data.length > 0 ? addButton : null}
      </CardHeader>
      <CardContent className="stack">
        <div aria-live="polite">{notice ? <Alert tone="success">{notice}</Alert> : null}</div>
        <QueryStates
          query={secrets}
          loading="Loading secrets…"
          isEmpty={(data) => data.data.length === 0}
          empty={
            <EmptyState
              icon={<KeyIcon />}
              title="No secrets yet"
              description={
                canManage
                  ? 'Store the API keys your connectors and AI providers need — an OpenAI key, a Basecamp token — once, here. Flows and the operator use them without anyone pasting or seeing them again.'
                  : 'API keys for connectors and AI providers show up here once a workspace admin stores them. Nobody can read a value back, only its last 4 characters.'
              }
              action={canManage ? addButton : undefined}
            />
          }
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Value</th>
                    <th scope="col">Updated</th>
                    {canManage ? (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {data.data.map((secret) => (
                    <tr key={secret.id}>
                      <td>
                        <span className="person-name">{secret.name}</span>
                        {secret.description ? (
                          <span className="muted small block">{secret.description}</span>
                        ) : null}
                      </td>
                      <td>
                        <code className="token-hint">{secret.mask}</code>
                      </td>
                      <td className="muted nowrap" title={formatExactDateTime(secret.updatedAt)}>
                        {formatRelative(secret.updatedAt)}
                      </td>
                      {canManage ? (
                        <td className="table-actions">
                          <Button
                            variant="ghost"
                            size="sm"
                            onClick={() => {
                              setNotice(null);
                              setReplacing(secret);
                            }}
                            aria-label={`Replace the value of ${secret.name}`}
                          >
                            Replace value
                          </Button>
                          <Button
                            variant="ghost"
                            size="sm"
                            onClick={() => {
                              setNotice(null);
                              setDeleting(secret);
                            }}
                            aria-label={`Delete ${secret.name}`}
                          >
                            Delete
                          </Button>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryStates>
        {!canManage ? (
          <p className="muted small">Only workspace admins can add, replace or delete secrets.</p>
        ) : null}
      </CardContent>

      <Dialog
        open={adding}
        onClose={() => setAdding(false)}
        title="Add a secret"
        description="PMOS encrypts the value at once. After saving, nobody — you included — can read it back."
      >
        <AddSecretForm
          workspaceId={workspace.id}
          onCancel={() => setAdding(false)}
          onSaved={async (secret) => {
            setAdding(false);
            await saved(
              `“${secret.name}” saved. PMOS shows only its last characters: ${secret.mask}`,
            );
          }}
        />
      </Dialog>
      <Dialog
        open={replacing !== null}
        onClose={() => setReplacing(null)}
        title={`Replace the value of “${replacing?.name ?? ''}”`}
        description="The current value is overwritten and cannot be recovered. Whatever uses this secret gets the new value on its next run."
      >
        {replacing ? (
          <ReplaceValueForm
            workspaceId={workspace.id}
            secret={replacing}
            onCancel={() => setReplacing(null)}
            onSaved={async (secret) => {
              setReplacing(null);
              await saved(
                `The value of “${secret.name}” was replaced. It now ends in ${lastFour(secret.mask)}.`,
              );
            }}
          />
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete “${deleting?.name ?? ''}”?`}
        description="Connectors and flows that use it stop working until you add it again. The value cannot be recovered."
        confirmLabel="Delete secret"
        onConfirm={async () => {
          if (!deleting) return;
          await api<void>('DELETE', `/api/workspaces/${workspace.id}/secrets/${deleting.id}`);
          await saved(`“${deleting.name}” was deleted.`);
        }}
      />
    </Card>
  );
}

interface FormProps {
  workspaceId: string;
  onCancel: () => void;
  onSaved: (secret: Secret) => Promise<void>;
}

function AddSecretForm({ workspaceId, onCancel, onSaved }: FormProps) {
  const { fields, shown, setFields, form, onChange } = useFieldErrors();
  const create = useMutation({
    mutationFn: (body: { name: string; value: string; description?: string | null | undefined }) =>
      api<Secret>('POST', `/api/workspaces/${workspaceId}/secrets`, body),
    onSuccess: onSaved,
    onError: (error) => setFields(fieldErrorsOf(error)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = formValues(event);
    const checked = validate(createSecretBodySchema, {
      name: values.name,
      value: values.value,
      description: values.description?.trim() ? values.description : undefined,
    });
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    create.mutate(checked.data);
  };
  return (
    <form ref={form} className="stack" onSubmit={submit} onChange={onChange} noValidate>
      {create.isError && Object.keys(fields).length === 0 ? (
        <Alert tone="danger">{errorMessage(create.error)}</Alert>
      ) : null}
      <FormField
        label="Name"
        error={shown.name}
        hint="How flows and connections refer to it. Letters, digits, spaces, dots, dashes, underscores."
      >
        <Input name="name" autoComplete="off" placeholder="e.g. OpenAI API key" autoFocus />
      </FormField>
      <FormField label="Value" error={shown.value}>
        <SecretInput name="value" placeholder="Paste the key or password" />
      </FormField>
      <FormField label="Description" error={shown.description} hint="Optional: what it is for.">
        <Input name="description" autoComplete="off" placeholder="e.g. Used by the support bot" />
      </FormField>
      <DialogActions>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending}>
          Save secret
        </Button>
      </DialogActions>
    </form>
  );
}

function ReplaceValueForm({
  workspaceId,
  secret,
  onCancel,
  onSaved,
}: FormProps & { secret: Secret }) {
  const { fields, shown, setFields, form, onChange } = useFieldErrors();
  const replace = useMutation({
    mutationFn: (body: { value?: string | undefined }) =>
      api<Secret>('PATCH', `/api/workspaces/${workspaceId}/secrets/${secret.id}`, body),
    onSuccess: onSaved,
    onError: (error) => setFields(fieldErrorsOf(error)),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = formValues(event).value ?? '';
    // The update schema lets `value` be left out; here it is the whole point.
    const checked = validate(updateSecretBodySchema.required({ value: true }), { value });
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    replace.mutate(checked.data);
  };
  return (
    <form ref={form} className="stack" onSubmit={submit} onChange={onChange} noValidate>
      {replace.isError && Object.keys(fields).length === 0 ? (
        <Alert tone="danger">{errorMessage(replace.error)}</Alert>
      ) : null}
      <p className="muted small">
        Now ending in <code className="token-hint">{secret.mask}</code>
      </p>
      <FormField label="New value" error={shown.value}>
        <SecretInput name="value" placeholder="Paste the new key or password" autoFocus />
      </FormField>
      <DialogActions>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={replace.isPending}>
          Replace value
        </Button>
      </DialogActions>
    </form>
  );
}

/** Field messages from the server, the taken name included, so they show next to the field. */
function fieldErrorsOf(error: unknown): FieldErrors {
  if (!isApiError(error)) return {};
  if (error.code === 'secret_name_taken') return { name: error.message };
  return error.fields;
}

function lastFour(mask: string): string {
  return mask.replace(/^•+/, '') || mask;
}
