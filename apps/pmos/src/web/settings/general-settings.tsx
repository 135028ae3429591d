import {
  Alert,
  Badge,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardFooter,
  CardHeader,
  CardTitle,
  FormField,
  Input,
} from '@pmos/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { updateWorkspaceBodySchema } from '../../api/schemas.js';
import type { WorkspaceSummary } from '../api-types.js';
import { meQuery } from '../auth/session.js';
import { CopyField } from '../common/copy-field.js';
import { formValues } from '../common/form.js';
import { api, errorMessage, isApiError } from '../lib/api.js';
import { roleDescriptions, roleLabels } from '../lib/roles.js';
import { type FieldErrors, validate } from '../lib/validate.js';
import { useWorkspace } from '../shell/use-workspace.js';

export function GeneralSettings() {
  const { workspace, can } = useWorkspace();
  const client = useQueryClient();
  const canRename = can('settings.manage');
  const [fields, setFields] = useState<FieldErrors>({});
  const rename = useMutation({
    mutationFn: (body: { name: string }) =>
      api<WorkspaceSummary>('PATCH', `/api/workspaces/${workspace.id}`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: meQuery.queryKey }),
    onError: (error) => setFields(isApiError(error) ? error.fields : {}),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = validate(updateWorkspaceBodySchema, formValues(event));
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    rename.mutate(checked.data);
  };

  return (
    <>
      <Card>
        <form onSubmit={submit} noValidate>
          <CardHeader>
            <CardTitle>Workspace name</CardTitle>
            <CardDescription>Shown to everyone in the workspace and in invites.</CardDescription>
          </CardHeader>
          <CardContent className="stack">
            {rename.isError && !fields.name ? (
              <Alert tone="danger">{errorMessage(rename.error)}</Alert>
            ) : null}
            {rename.isSuccess ? <Alert tone="success">Workspace renamed.</Alert> : null}
            <FormField
              label="Name"
              error={fields.name}
              hint={canRename ? undefined : 'Only workspace admins can rename the workspace.'}
              className="field-narrow"
            >
              <Input
                // Remount with the saved name after a rename elsewhere.
                key={workspace.name}
                name="name"
                defaultValue={workspace.name}
                readOnly={!canRename}
                autoComplete="off"
              />
            </FormField>
          </CardContent>
          {canRename ? (
            <CardFooter>
              <Button type="submit" loading={rename.isPending}>
                Save
              </Button>
            </CardFooter>
          ) : null}
        </form>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>About this workspace</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="facts">
            <div>
              <dt>Your role</dt>
              <dd className="role-line">
                <Badge tone="primary">{roleLabels[workspace.role]}</Badge>
                <span className="muted small">{roleDescriptions[workspace.role]}</span>
              </dd>
            </div>
            <div>
              <dt>Workspace ID</dt>
              <dd className="field-narrow">
                <CopyField value={workspace.id} label="Workspace ID" />
                <p className="muted small">For the API: /api/workspaces/&lt;ID&gt;/…</p>
              </dd>
            </div>
          </dl>
        </CardContent>
      </Card>
    </>
  );
}
