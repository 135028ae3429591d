/**
 * The permission matrix: every permission PMOS knows, and which role holds which, in one
 * place. Routes name the permission they need; the UI reads the caller's list to hide what
 * the role cannot do.
 */
export const workspacePermissions = [
  'workspace.read',
  'flows.read',
  'flows.write',
  'flows.run',
  'runs.read',
  'connections.read',
  'connections.manage',
  'plugins.read',
  'plugins.manage',
  'members.read',
  'members.manage',
  'settings.manage',
  'audit.read',
  'chat.use',
  'approvals.decide',
] as const;

export const platformPermissions = ['platform.manage', 'shell.use'] as const;

export type WorkspacePermission = (typeof workspacePermissions)[number];
export type PlatformPermission = (typeof platformPermissions)[number];
export type Permission = WorkspacePermission | PlatformPermission;

export const workspaceRoles = ['workspace_admin', 'member', 'viewer'] as const;
export type WorkspaceRole = (typeof workspaceRoles)[number];
export type PlatformRole = 'super_admin';

const viewer: readonly WorkspacePermission[] = [
  'workspace.read',
  'flows.read',
  'runs.read',
  'connections.read',
  'plugins.read',
  'members.read',
];

const member: readonly WorkspacePermission[] = [
  ...viewer,
  'flows.write',
  'flows.run',
  'chat.use',
  'approvals.decide',
];

const workspaceAdmin: readonly WorkspacePermission[] = [
  ...member,
  'connections.manage',
  'plugins.manage',
  'members.manage',
  'settings.manage',
  'audit.read',
];

const byWorkspaceRole: Record<WorkspaceRole, ReadonlySet<WorkspacePermission>> = {
  viewer: new Set(viewer),
  member: new Set(member),
  workspace_admin: new Set(workspaceAdmin),
};

const byPlatformRole: Record<PlatformRole, ReadonlySet<PlatformPermission>> = {
  super_admin: new Set(platformPermissions),
};

export function workspaceRoleGrants(role: WorkspaceRole, permission: WorkspacePermission): boolean {
  return byWorkspaceRole[role].has(permission);
}

export function platformRoleGrants(
  role: PlatformRole | null,
  permission: PlatformPermission,
): boolean {
  return role !== null && byPlatformRole[role].has(permission);
}

/** In matrix order, so the API answers the same list every time. */
export function permissionsOfWorkspaceRole(role: WorkspaceRole): WorkspacePermission[] {
  return workspacePermissions.filter((permission) => byWorkspaceRole[role].has(permission));
}

export function permissionsOfPlatformRole(role: PlatformRole | null): PlatformPermission[] {
  return role === null ? [] : platformPermissions.filter((p) => byPlatformRole[role].has(p));
}

export function isWorkspacePermission(value: string): value is WorkspacePermission {
  return (workspacePermissions as readonly string[]).includes(value);
}

export function isWorkspaceRole(value: string): value is WorkspaceRole {
  return (workspaceRoles as readonly string[]).includes(value);
}
