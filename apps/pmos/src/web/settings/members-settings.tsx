import {
  Alert,
  Badge,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  Select,
} from '@pmos/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { workspaceRoles } from '../../api/schemas.js';
import type { List, Member, WorkspaceRole } from '../api-types.js';
import { meQuery, useMe } from '../auth/session.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { QueryStates } from '../common/query-states.js';
import { api, errorMessage } from '../lib/api.js';
import { formatDate, initials } from '../lib/format.js';
import { roleLabels } from '../lib/roles.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { AdminsOnly } from './admins-only.js';

export function MembersSettings() {
  const { can } = useWorkspace();
  if (!can('members.read')) return <AdminsOnly what="see the member list" />;
  return <MemberList />;
}

function MemberList() {
  const me = useMe();
  const { workspace, can } = useWorkspace();
  const client = useQueryClient();
  const navigate = useNavigate();
  const canManage = can('members.manage');
  const membersKey = ['workspaces', workspace.id, 'members'];
  const members = useQuery({
    queryKey: membersKey,
    queryFn: () => api<List<Member>>('GET', `/api/workspaces/${workspace.id}/members`),
  });
  const [removing, setRemoving] = useState<Member | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = async (member: Member) => {
    await client.invalidateQueries({ queryKey: membersKey });
    if (member.userId === me.user.id)
      await client.invalidateQueries({ queryKey: meQuery.queryKey });
  };

  const changeRole = useMutation({
    mutationFn: ({ member, role }: { member: Member; role: WorkspaceRole }) =>
      api<Member>('PATCH', `/api/workspaces/${workspace.id}/members/${member.userId}`, { role }),
    onMutate: () => setNotice(null),
    onSuccess: async (updated, { member }) => {
      setNotice(`${updated.name} is now ${article(roleLabels[updated.role])}.`);
      await refresh(member);
    },
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Members</CardTitle>
        <CardDescription>
          {canManage
            ? 'People with access to this workspace. Admins manage members and settings; members build and run; viewers read.'
            : 'People with access to this workspace.'}
        </CardDescription>
      </CardHeader>
      <CardContent className="stack">
        {changeRole.isError ? (
          <Alert tone="danger" title="The role was not changed">
            {errorMessage(changeRole.error)}
          </Alert>
        ) : null}
        {notice ? <Alert tone="success">{notice}</Alert> : null}
        <QueryStates query={members} loading="Loading members…">
          {(data) => (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">Role</th>
                    <th scope="col">Joined</th>
                    {canManage ? (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {data.data.map((member) => {
                    const isMe = member.userId === me.user.id;
                    const pending =
                      changeRole.isPending && changeRole.variables.member.userId === member.userId;
                    return (
                      <tr key={member.userId}>
                        <td>
                          <div className="person">
                            <span className="user-avatar" aria-hidden="true">
                              {initials(member.name)}
                            </span>
                            <span className="person-text">
                              <span className="person-name">
                                {member.name}
                                {isMe ? <span className="muted"> (you)</span> : null}
                              </span>
                              <span className="muted small">{member.email}</span>
                            </span>
                          </div>
                        </td>
                        <td>
                          {canManage ? (
                            <Select
                              aria-label={`Role of ${member.name}`}
                              className="role-select"
                              value={pending ? changeRole.variables.role : member.role}
                              disabled={pending}
                              onChange={(event) =>
                                changeRole.mutate({
                                  member,
                                  role: event.currentTarget.value as WorkspaceRole,
                                })
                              }
                            >
                              {workspaceRoles.map((role) => (
                                <option key={role} value={role}>
                                  {roleLabels[role]}
                                </option>
                              ))}
                            </Select>
                          ) : (
                            <Badge tone={member.role === 'workspace_admin' ? 'primary' : 'neutral'}>
                              {roleLabels[member.role]}
                            </Badge>
                          )}
                        </td>
                        <td className="muted">{formatDate(member.joinedAt)}</td>
                        {canManage ? (
                          <td className="table-actions">
                            <Button
                              variant="ghost"
                              size="sm"
                              onClick={() => setRemoving(member)}
                              aria-label={`Remove ${member.name}`}
                            >
                              {isMe ? 'Leave' : 'Remove'}
                            </Button>
                          </td>
                        ) : null}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </QueryStates>
        {canManage ? (
          <p className="muted small">
            To add someone, <Link to={`/w/${workspace.id}/settings/invites`}>send an invite</Link>.
          </p>
        ) : null}
      </CardContent>
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={
          removing?.userId === me.user.id
            ? `Leave ${workspace.name}?`
            : `Remove ${removing?.name ?? ''}?`
        }
        description={
          removing?.userId === me.user.id
            ? 'You lose access to this workspace right away. An admin can invite you again.'
            : `${removing?.name ?? ''} (${removing?.email ?? ''}) loses access to ${workspace.name} right away. You can invite them again later.`
        }
        confirmLabel={removing?.userId === me.user.id ? 'Leave workspace' : 'Remove member'}
        onConfirm={async () => {
          if (!removing) return;
          await api<void>('DELETE', `/api/workspaces/${workspace.id}/members/${removing.userId}`);
          if (removing.userId === me.user.id) {
            await client.fetchQuery({ ...meQuery, staleTime: 0 });
            navigate('/', { replace: true });
            return;
          }
          setNotice(`${removing.name} was removed from ${workspace.name}.`);
          await refresh(removing);
        }}
      />
    </Card>
  );
}

function article(label: string): string {
  return `${/^[AEIOU]/i.test(label) ? 'an' : 'a'} ${label.toLowerCase()}`;
}
