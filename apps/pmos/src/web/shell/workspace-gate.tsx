import { Button, EmptyState } from '@pmos/ui';
import { useEffect } from 'react';
import { Link, Navigate, Outlet, useLocation, useParams } from 'react-router';
import { useMe } from '../auth/session.js';
import { LockIcon } from '../common/icons.js';
import { PageHeader } from '../common/page-header.js';
import { preferredWorkspaceId, rememberWorkspace } from '../lib/last-workspace.js';
import { CreateFirstWorkspace } from './create-first-workspace.js';

/** `/w/:workspaceId`: only for members; remembers the workspace as the one to reopen. */
export function WorkspaceGate() {
  const { workspaceId } = useParams();
  const me = useMe();
  const member = me.workspaces.some((workspace) => workspace.id === workspaceId);
  useEffect(() => {
    if (member && workspaceId) rememberWorkspace(me.user.id, workspaceId);
  }, [member, workspaceId, me.user.id]);

  if (!member) {
    return (
      <>
        <PageHeader title="Workspace not available" />
        <EmptyState
          icon={<LockIcon />}
          title="You do not have access to this workspace"
          description="It does not exist, or you are not a member. Ask one of its admins for an invite, or go back to your own workspace."
          action={
            <Button asChild>
              <Link to="/">Go to my workspace</Link>
            </Button>
          }
        />
      </>
    );
  }
  return <Outlet />;
}

/** `/`: opens the last-used workspace, or the first. */
export function HomeRedirect() {
  const me = useMe();
  const target = preferredWorkspaceId(me);
  if (!target) return <CreateFirstWorkspace />;
  return <Navigate to={`/w/${target}`} replace />;
}

/** `/automations`, `/settings/members`…: the same page in the workspace to open. */
export function SectionRedirect() {
  const me = useMe();
  const location = useLocation();
  const target = preferredWorkspaceId(me);
  if (!target) return <CreateFirstWorkspace />;
  return <Navigate to={`/w/${target}${location.pathname}${location.search}`} replace />;
}
