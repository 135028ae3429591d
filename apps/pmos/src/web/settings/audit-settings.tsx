import { AuditLog } from '../audit/audit-log.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { AdminsOnly } from './admins-only.js';

export function AuditSettings() {
  const { workspace, can } = useWorkspace();
  if (!can('audit.read')) return <AdminsOnly what="read the audit log" />;
  return (
    <AuditLog
      path={`/api/workspaces/${workspace.id}/audit`}
      queryKey={['workspaces', workspace.id, 'audit']}
      description={`Who did what in ${workspace.name}, newest first. Events are append-only and hash-chained, so they cannot be changed afterwards.`}
    />
  );
}
