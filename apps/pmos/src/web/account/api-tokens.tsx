import {
  Alert,
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
import { createApiTokenBodySchema } from '../../api/schemas.js';
import type { ApiToken, CreatedApiToken, List } from '../api-types.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { CopyField } from '../common/copy-field.js';
import { formValues, useFocusFirstInvalid } from '../common/form.js';
import { KeyIcon } from '../common/icons.js';
import { QueryStates } from '../common/query-states.js';
import { api, errorMessage, isApiError } from '../lib/api.js';
import { formatDate, formatRelative } from '../lib/format.js';
import { type FieldErrors, validate } from '../lib/validate.js';

const tokensKey = ['me', 'tokens'];

const expiryChoices = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
];

export function ApiTokens() {
  const client = useQueryClient();
  const tokens = useQuery({
    queryKey: tokensKey,
    queryFn: () => api<List<ApiToken>>('GET', '/api/me/tokens'),
  });
  const [fields, setFields] = useState<FieldErrors>({});
  const form = useFocusFirstInvalid(fields);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const create = useMutation({
    mutationFn: (body: { name: string; expiresInDays: number | null }) =>
      api<CreatedApiToken>('POST', '/api/me/tokens', body),
    onSuccess: () => {
      form.current?.reset();
      return client.invalidateQueries({ queryKey: tokensKey });
    },
    onError: (error) => setFields(isApiError(error) ? error.fields : {}),
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = formValues(event);
    const checked = validate(createApiTokenBodySchema, {
      name: values.name,
      expiresInDays: values.expiresInDays === 'never' ? null : Number(values.expiresInDays),
    });
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    create.mutate(checked.data);
  };

  const created = create.data;

  return (
    <Card>
      <CardHeader>
        <CardTitle>API tokens</CardTitle>
        <CardDescription>
          For scripts and the CLI: send one as <code>Authorization: Bearer &lt;token&gt;</code>. A
          token acts as you, with your permissions.
        </CardDescription>
      </CardHeader>
      <CardContent className="stack">
        <form ref={form} className="token-form" onSubmit={submit} noValidate>
          <FormField label="Token name" error={fields.name} className="token-form-name">
            <Input name="name" autoComplete="off" placeholder="e.g. Nightly export script" />
          </FormField>
          <FormField
            label="Expires after"
            error={fields.expiresInDays}
            className="token-form-expiry"
          >
            <Select name="expiresInDays" defaultValue="90">
              {expiryChoices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </Select>
          </FormField>
          <Button type="submit" loading={create.isPending} className="token-form-submit">
            Create token
          </Button>
        </form>
        <div aria-live="polite">
          {create.isError && Object.keys(fields).length === 0 ? (
            <Alert tone="danger">{errorMessage(create.error)}</Alert>
          ) : null}
          {created ? (
            <Alert tone="success" title={`Token “${created.apiToken.name}” created`}>
              <p>
                Copy it now and keep it somewhere safe — PMOS stores only a hash and will never show
                it again. Anyone holding it can act as you.
              </p>
              <CopyField value={created.token} label={`API token ${created.apiToken.name}`} />
            </Alert>
          ) : null}
        </div>

        <QueryStates
          query={tokens}
          loading="Loading tokens…"
          isEmpty={(data) => data.data.length === 0}
          empty={
            <EmptyState
              icon={<KeyIcon />}
              title="No API tokens"
              description="Create one for each script, so you can revoke it alone when it is no longer needed."
            />
          }
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Token</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.data.map((token) => (
                    <tr key={token.id}>
                      <td>
                        <span className="person-name">{token.name}</span>
                        <span className="muted small block">
                          created {formatDate(token.createdAt)}
                        </span>
                      </td>
                      <td>
                        <code className="token-hint">
                          {token.hint.endsWith('…') ? token.hint : `${token.hint}…`}
                        </code>
                      </td>
                      <td className="muted">
                        {token.lastUsedAt ? formatRelative(token.lastUsedAt) : 'Never'}
                      </td>
                      <td className="muted">
                        {token.expiresAt ? formatDate(token.expiresAt) : 'Never'}
                      </td>
                      <td className="table-actions">
                        <Button
                          variant="ghost"
                          size="sm"
                          onClick={() => setRevoking(token)}
                          aria-label={`Revoke token ${token.name}`}
                        >
                          Revoke
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryStates>
      </CardContent>
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        description="Scripts using this token stop working at once. This cannot be undone."
        confirmLabel="Revoke token"
        onConfirm={async () => {
          if (!revoking) return;
          await api<void>('DELETE', `/api/me/tokens/${revoking.id}`);
          await client.invalidateQueries({ queryKey: tokensKey });
        }}
      />
    </Card>
  );
}
