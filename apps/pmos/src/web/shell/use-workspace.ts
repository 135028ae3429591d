import { useParams } from 'react-router';
import type { WorkspaceSummary } from '../api-types.js';
import { useMe } from '../auth/session.js';

export interface CurrentWorkspace {
  workspace: WorkspaceSummary;
  /** Whether the signed-in person holds this permission here (same names as the server). */
  can: (permission: string) => boolean;
}

/** The workspace named by the URL. Only for routes under `/w/:workspaceId`. */
export function useWorkspace(): CurrentWorkspace {
  const { workspaceId } = useParams();
  const me = useMe();
  const workspace = me.workspaces.find((candidate) => candidate.id === workspaceId);
  if (!workspace) throw new Error('useWorkspace() used outside a workspace the person belongs to');
  const permissions = new Set(me.permissions[workspace.id] ?? []);
  return { workspace, can: (permission) => permissions.has(permission) };
}

/** Instance-wide permissions of the signed-in person. */
export function usePlatformPermission(permission: string): boolean {
  return useMe().platformPermissions.includes(permission);
}
