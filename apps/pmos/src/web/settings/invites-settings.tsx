import {
  Alert,
  Badge,
  type BadgeTone,
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
import { createInviteBodySchema, workspaceRoles } from '../../api/schemas.js';
import type { CreatedInvite, Invite, List, WorkspaceRole } from '../api-types.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { CopyField } from '../common/copy-field.js';
import { formValues, useFocusFirstInvalid } from '../common/form.js';
import { MailIcon } from '../common/icons.js';
import { QueryStates } from '../common/query-states.js';
import { api, errorMessage, isApiError } from '../lib/api.js';
import { formatDate, formatRelative } from '../lib/format.js';
import { roleDescriptions, roleLabels } from '../lib/roles.js';
import { type FieldErrors, validate } from '../lib/validate.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { AdminsOnly } from './admins-only.js';

const statusTone: Record<Invite['status'], BadgeTone> = {
  pending: 'primary',
  accepted: 'success',
  revoked: 'danger',
  expired: 'neutral',
};

const statusLabel: Record<Invite['status'], string> = {
  pending: 'Pending',
  accepted: 'Accepted',
  revoked: 'Revoked',
  expired: 'Expired',
};

export function InvitesSettings() {
  const { can } = useWorkspace();
  if (!can('members.manage')) return <AdminsOnly what="invite people" />;
  return <ManageInvites />;
}

function ManageInvites() {
  const { workspace } = useWorkspace();
  const client = useQueryClient();
  const invitesKey = ['workspaces', workspace.id, 'invites'];
  const invites = useQuery({
    queryKey: invitesKey,
    queryFn: () => api<List<Invite>>('GET', `/api/workspaces/${workspace.id}/invites`),
  });
  const [fields, setFields] = useState<FieldErrors>({});
  const form = useFocusFirstInvalid(fields);
  const [revoking, setRevoking] = useState<Invite | null>(null);
  const create = useMutation({
    mutationFn: (body: { email: string; role: WorkspaceRole }) =>
      api<CreatedInvite>('POST', `/api/workspaces/${workspace.id}/invites`, body),
    onSuccess: () => {
      form.current?.reset();
      return client.invalidateQueries({ queryKey: invitesKey });
    },
    onError: (error) => setFields(isApiError(error) ? error.fields : {}),
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = validate(createInviteBodySchema, formValues(event));
    if (!checked.ok) return setFields(checked.fields);
    setFields({});
    create.mutate(checked.data);
  };

  const created = create.data;

  return (
    <>
      <Card>
        <CardHeader>
          <CardTitle>Invite someone</CardTitle>
          <CardDescription>
            PMOS makes a personal link for them. Send it yourself — by chat or email.
          </CardDescription>
        </CardHeader>
        <CardContent className="stack">
          <form ref={form} className="invite-form" onSubmit={submit} noValidate>
            <FormField label="Email" error={fields.email} className="invite-form-email">
              <Input
                name="email"
                type="email"
                autoComplete="off"
                placeholder="colleague@company.com"
              />
            </FormField>
            <FormField label="Role" error={fields.role} className="invite-form-role">
              <Select name="role" defaultValue="member">
                {workspaceRoles.map((role) => (
                  <option key={role} value={role}>
                    {roleLabels[role]} — {roleDescriptions[role]}
                  </option>
                ))}
              </Select>
            </FormField>
            <Button type="submit" loading={create.isPending} className="invite-form-submit">
              Create invite link
            </Button>
          </form>
          <div aria-live="polite">
            {create.isError && Object.keys(fields).length === 0 ? (
              <Alert tone="danger">{errorMessage(create.error)}</Alert>
            ) : null}
            {created ? (
              <Alert tone="success" title={`Invite link for ${created.invite.email}`}>
                <p>
                  Copy it now: this is the only time PMOS shows it. It works once and expires in 7
                  days ({formatDate(created.invite.expiresAt)}).
                </p>
                <CopyField value={created.url} label={`Invite link for ${created.invite.email}`} />
              </Alert>
            ) : null}
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Invites</CardTitle>
          <CardDescription>Links sent from this workspace and what became of them.</CardDescription>
        </CardHeader>
        <CardContent>
          <QueryStates
            query={invites}
            loading="Loading invites…"
            isEmpty={(data) => data.data.length === 0}
            empty={
              <EmptyState
                icon={<MailIcon />}
                title="No invites yet"
                description="Invite the first colleague above; their invite shows up here until they join."
              />
            }
          >
            {(data) => (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Email</th>
                      <th scope="col">Role</th>
                      <th scope="col">Status</th>
                      <th scope="col">Sent</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.data.map((invite) => (
                      <tr key={invite.id}>
                        <td>
                          <span className="person-name">{invite.email}</span>
                          {invite.invitedBy ? (
                            <span className="muted small block">by {invite.invitedBy}</span>
                          ) : null}
                        </td>
                        <td>{roleLabels[invite.role]}</td>
                        <td>
                          <Badge tone={statusTone[invite.status]}>
                            {statusLabel[invite.status]}
                          </Badge>
                          {invite.status === 'pending' ? (
                            <span className="muted small block">
                              expires {formatRelative(invite.expiresAt)}
                            </span>
                          ) : null}
                        </td>
                        <td className="muted" title={formatDate(invite.createdAt)}>
                          {formatRelative(invite.createdAt)}
                        </td>
                        <td className="table-actions">
                          {invite.status === 'pending' ? (
                            <Button
                              variant="ghost"
                              size="sm"
                              onClick={() => setRevoking(invite)}
                              aria-label={`Revoke the invite for ${invite.email}`}
                            >
                              Revoke
                            </Button>
                          ) : null}
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
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke this invite?"
        description={`The link sent to ${revoking?.email ?? ''} stops working at once. You can send a new invite later.`}
        confirmLabel="Revoke invite"
        onConfirm={async () => {
          if (!revoking) return;
          await api<void>('DELETE', `/api/workspaces/${workspace.id}/invites/${revoking.id}`);
          await client.invalidateQueries({ queryKey: invitesKey });
        }}
      />
    </>
  );
}
