import {
  Badge,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  EmptyState,
} from '@pmos/ui';
import { useQuery } from '@tanstack/react-query';
import { Link, NavLink, Outlet } from 'react-router';
import type { InstanceInfo } from '../api-types.js';
import { useMe } from '../auth/session.js';
import { LockIcon, TerminalIcon } from '../common/icons.js';
import { PageHeader } from '../common/page-header.js';
import { QueryStates } from '../common/query-states.js';
import { api } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { usePlatformPermission } from '../shell/use-workspace.js';
import { ShellConsole } from './shell-console.js';

export function AdminPage() {
  const me = useMe();
  const allowed = me.platformPermissions.includes('platform.manage');
  if (!allowed) {
    return (
      <>
        <PageHeader title="Admin" />
        <EmptyState
          icon={<LockIcon />}
          title="Only the instance's super admin can open this page"
          description="Instance administration belongs to the first account created on this PMOS server."
          action={
            <Button asChild>
              <Link to="/">Go to my workspace</Link>
            </Button>
          }
        />
      </>
    );
  }
  return (
    <>
      <PageHeader title="Admin" description="Govern this PMOS instance." />
      <nav className="tabs" aria-label="Admin sections">
        <NavLink to="/admin" end className="tab">
          Overview
        </NavLink>
        <NavLink to="/admin/audit" className="tab">
          Audit log
        </NavLink>
        <NavLink to="/admin/plugins" className="tab">
          Plugins
        </NavLink>
        <NavLink to="/admin/limits" className="tab">
          Limits
        </NavLink>
      </nav>
      <div className="stack-lg">
        <Outlet />
      </div>
    </>
  );
}

/** `/admin`: the instance's facts and, when turned on, the shell. */
export function InstanceOverview() {
  const canUseShell = usePlatformPermission('shell.use');
  const instance = useQuery({
    queryKey: ['admin', 'instance'],
    queryFn: () => api<InstanceInfo>('GET', '/api/admin/instance'),
  });
  return (
    <>
      <Card>
        <CardHeader>
          <CardTitle>Instance</CardTitle>
        </CardHeader>
        <CardContent>
          <QueryStates query={instance} loading="Loading instance details…">
            {(data) => (
              <dl className="stats">
                <div className="stat">
                  <dt>Name</dt>
                  <dd>{data.name}</dd>
                </div>
                <div className="stat">
                  <dt>Users</dt>
                  <dd>{data.userCount}</dd>
                </div>
                <div className="stat">
                  <dt>Workspaces</dt>
                  <dd>{data.workspaceCount}</dd>
                </div>
                <div className="stat">
                  <dt>Shell</dt>
                  <dd>
                    {data.shellEnabled ? (
                      <Badge tone="success">Enabled</Badge>
                    ) : (
                      <Badge>Disabled</Badge>
                    )}
                  </dd>
                </div>
                <div className="stat stat--wide">
                  <dt>Instance ID</dt>
                  <dd>
                    <code>{data.instanceId}</code>
                  </dd>
                </div>
                <div className="stat stat--wide">
                  <dt>Created</dt>
                  <dd>{formatDateTime(data.createdAt)}</dd>
                </div>
              </dl>
            )}
          </QueryStates>
        </CardContent>
      </Card>

      {instance.isSuccess ? (
        instance.data.shellEnabled && canUseShell ? (
          <ShellConsole />
        ) : (
          <Card>
            <CardHeader>
              <CardTitle>Shell</CardTitle>
              <CardDescription>
                Run commands on the PMOS server from the browser, as the user PMOS runs as.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <EmptyState
                icon={<TerminalIcon />}
                title="The shell is turned off"
                description={
                  <>
                    It is off by default because it gives full control of the server. To turn it on,
                    start PMOS with <code>PMOS_ENABLE_SHELL=1</code> in its environment and restart
                    it. Only the super admin can use it.
                  </>
                }
              />
            </CardContent>
          </Card>
        )
      ) : null}
    </>
  );
}
