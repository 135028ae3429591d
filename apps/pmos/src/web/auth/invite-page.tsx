import { Alert, Button } from '@pmos/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import type { AcceptedInvite, InvitePreview } from '../api-types.js';
import { MailIcon } from '../common/icons.js';
import { api, errorMessage } from '../lib/api.js';
import { formatDate } from '../lib/format.js';
import { rememberWorkspace } from '../lib/last-workspace.js';
import { roleLabels } from '../lib/roles.js';
import { AuthLayout } from './auth-layout.js';
import { meQuery, rememberSession } from './session.js';

const closedInvite: Record<Exclude<InvitePreview['status'], 'pending'>, string> = {
  accepted: 'This invite has already been used. If that was you, sign in to open the workspace.',
  revoked: 'This invite was withdrawn by a workspace admin. Ask them for a new one.',
  expired: 'This invite has expired. Ask a workspace admin to send you a new one.',
};

/** `/invite/:token`: who invited you where and as what, then sign in or up and join. */
export function InvitePage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useQuery(meQuery);
  const preview = useQuery({
    queryKey: ['invite', token],
    queryFn: () => api<InvitePreview>('GET', `/api/invites/${encodeURIComponent(token)}`),
  });
  const accept = useMutation({
    mutationFn: () =>
      api<AcceptedInvite>('POST', `/api/invites/${encodeURIComponent(token)}/accept`),
    onSuccess: ({ joinedWorkspaceId, ...fresh }) => {
      rememberSession(fresh);
      rememberWorkspace(fresh.user.id, joinedWorkspaceId);
      navigate(`/w/${joinedWorkspaceId}`, { replace: true });
    },
  });
  const signOut = useMutation({
    mutationFn: () => api<void>('POST', '/api/auth/sign-out'),
    onSuccess: () => {
      // Forget everything of the previous account but this invite, and stay here.
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'invite' });
      client.setQueryData(meQuery.queryKey, null);
    },
  });

  const here = `/invite/${encodeURIComponent(token)}`;

  if (preview.isPending || me.isPending) {
    return (
      <AuthLayout title="Opening your invite…">
        <p className="muted" role="status">
          Checking the invite link…
        </p>
      </AuthLayout>
    );
  }

  if (preview.isError) {
    return (
      <AuthLayout title="This invite link does not work">
        <div className="stack">
          <Alert tone="danger">{errorMessage(preview.error)}</Alert>
          <p className="muted">
            Check that you copied the whole link, or ask a workspace admin for a new invite.
          </p>
          <Button asChild variant="secondary">
            <Link to="/">Go to PMOS</Link>
          </Button>
        </div>
      </AuthLayout>
    );
  }

  const invite = preview.data;
  const role = roleLabels[invite.role].toLowerCase();
  const user = me.data;
  const sameEmail = user ? user.user.email.toLowerCase() === invite.email.toLowerCase() : false;
  const params = new URLSearchParams({ next: here, email: invite.email }).toString();

  return (
    <AuthLayout
      title={`Join ${invite.workspaceName}`}
      description={
        <>
          You have been invited to <strong>{invite.workspaceName}</strong> on PMOS as{' '}
          {role === 'admin' ? 'an' : 'a'} <strong>{role}</strong>.
        </>
      }
    >
      <div className="stack">
        <div className="invite-summary">
          <MailIcon />
          <div>
            <div className="invite-summary-email">{invite.email}</div>
            <div className="muted small">
              {invite.status === 'pending'
                ? `Invite valid until ${formatDate(invite.expiresAt)}`
                : `Invite ${invite.status}`}
            </div>
          </div>
        </div>

        {invite.status !== 'pending' ? (
          <Alert tone="danger">{closedInvite[invite.status]}</Alert>
        ) : user && sameEmail ? (
          <>
            {accept.isError ? <Alert tone="danger">{errorMessage(accept.error)}</Alert> : null}
            <Button loading={accept.isPending} onClick={() => accept.mutate()} autoFocus>
              Accept and join {invite.workspaceName}
            </Button>
          </>
        ) : user ? (
          <>
            <Alert tone="info">
              You are signed in as <strong>{user.user.email}</strong>, but this invite is for{' '}
              <strong>{invite.email}</strong>. Sign out, then sign in or create an account with that
              address.
            </Alert>
            <Button
              variant="secondary"
              loading={signOut.isPending}
              onClick={() => signOut.mutate()}
            >
              Sign out and switch account
            </Button>
          </>
        ) : (
          <>
            <p className="muted">
              Create an account with <strong>{invite.email}</strong>, or sign in if you already have
              one. You will come back here to join.
            </p>
            <div className="button-row">
              <Button asChild>
                <Link to={`/sign-up?${params}`}>Create account</Link>
              </Button>
              <Button asChild variant="secondary">
                <Link to={`/sign-in?${params}`}>Sign in</Link>
              </Button>
            </div>
          </>
        )}
      </div>
    </AuthLayout>
  );
}
