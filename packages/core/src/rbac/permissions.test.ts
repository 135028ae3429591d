import { describe, expect, it } from 'vitest';
import {
  permissionsOfPlatformRole,
  permissionsOfWorkspaceRole,
  platformPermissions,
  platformRoleGrants,
  type WorkspacePermission,
  type WorkspaceRole,
  workspacePermissions,
  workspaceRoleGrants,
  workspaceRoles,
} from './permissions.js';

// The expected matrix, written out by hand: a change to the policy must change this table.
const expected: Record<WorkspaceRole, WorkspacePermission[]> = {
  viewer: [
    'workspace.read',
    'flows.read',
    'runs.read',
    'connections.read',
    'plugins.read',
    'members.read',
  ],
  member: [
    'workspace.read',
    'flows.read',
    'flows.write',
    'flows.run',
    'runs.read',
    'connections.read',
    'plugins.read',
    'members.read',
    'chat.use',
    'approvals.decide',
  ],
  workspace_admin: [...workspacePermissions],
};

const cases = workspaceRoles.flatMap((role) =>
  workspacePermissions.map((permission) => ({
    role,
    permission,
    granted: expected[role].includes(permission),
  })),
);

describe('workspace role × permission', () => {
  it.each(cases)('$role → $permission: $granted', ({ role, permission, granted }) => {
    expect(workspaceRoleGrants(role, permission)).toBe(granted);
  });

  it('lists each role’s permissions in matrix order', () => {
    for (const role of workspaceRoles) {
      expect(permissionsOfWorkspaceRole(role)).toEqual(
        workspacePermissions.filter((p) => expected[role].includes(p)),
      );
    }
  });

  it('keeps viewers to reading', () => {
    expect(permissionsOfWorkspaceRole('viewer').every((p) => /\.read$/.test(p))).toBe(true);
  });

  it('gives no workspace role a platform permission', () => {
    for (const role of workspaceRoles) {
      for (const permission of platformPermissions) {
        expect(permissionsOfWorkspaceRole(role)).not.toContain(permission);
      }
    }
  });
});

describe('platform role × permission', () => {
  it.each(platformPermissions)('super_admin holds %s; nobody else does', (permission) => {
    expect(platformRoleGrants('super_admin', permission)).toBe(true);
    expect(platformRoleGrants(null, permission)).toBe(false);
  });

  it('lists platform permissions', () => {
    expect(permissionsOfPlatformRole('super_admin')).toEqual(['platform.manage', 'shell.use']);
    expect(permissionsOfPlatformRole(null)).toEqual([]);
  });
});
