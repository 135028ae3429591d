import { Alert, Button, Dialog, DialogActions, FormField, Input } from '@pmos/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { createWorkspaceBodySchema } from '../../api/schemas.js';
import type { WorkspaceSummary } from '../api-types.js';
import { meQuery, useMe } from '../auth/session.js';
import { formValues } from '../common/form.js';
import { api, errorMessage, isApiError } from '../lib/api.js';
import { rememberWorkspace } from '../lib/last-workspace.js';
import { type FieldErrors, validate } from '../lib/validate.js';

export function CreateWorkspaceDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create a workspace"
      description="A workspace holds its own automations, integrations and members. You will be its admin."
    >
      <CreateWorkspaceForm onClose={onClose} />
    </Dialog>
  );
}

function CreateWorkspaceForm({ onClose }: { onClose: () => void }) {
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [fields, setFields] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: (body: { name: string }) => api<WorkspaceSummary>('POST', '/api/workspaces', body),
    onSuccess: async (workspace) => {
      await client.invalidateQueries({ queryKey: meQuery.queryKey });
      rememberWorkspace(me.user.id, workspace.id);
      onClose();
      navigate(`/w/${workspace.id}`);
    },
    onError: (error) => setFields(isApiError(error) ? error.fields : {}),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = validate(createWorkspaceBodySchema, formValues(event));
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    create.mutate(checked.data);
  };
  return (
    <form className="stack" onSubmit={submit} noValidate>
      {create.isError && !fields.name ? (
        <Alert tone="danger">{errorMessage(create.error)}</Alert>
      ) : null}
      <FormField label="Workspace name" error={fields.name}>
        <Input name="name" autoFocus autoComplete="off" placeholder="e.g. Acme Operations" />
      </FormField>
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" loading={create.isPending}>
          Create workspace
        </Button>
      </DialogActions>
    </form>
  );
}
