import type { WorkspaceRole } from '../../api/schemas.js';

export const roleLabels: Record<WorkspaceRole, string> = {
  workspace_admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
};

export const roleDescriptions: Record<WorkspaceRole, string> = {
  workspace_admin: 'Everything, including members and settings',
  member: 'Build and run automations',
  viewer: 'Read only',
};
