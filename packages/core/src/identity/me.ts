import type { EntityManager } from '@mikro-orm/postgresql';
import { permissionsOfPlatformRole, permissionsOfWorkspaceRole } from '../rbac/permissions.js';
import type { UserRecord } from './entities.js';
import { listMemberships } from './workspaces.js';

/** The caller as `/api/me` describes them: who, which workspaces, which capabilities. */
export async function describeMe(em: EntityManager, user: UserRecord) {
  const memberships = await listMemberships(em, user.id);
  return {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      platformRole: user.platformRole ?? null,
    },
    workspaces: memberships.map((m) => ({
      id: m.workspace.id,
      name: m.workspace.name,
      role: m.role,
    })),
    permissions: Object.fromEntries(
      memberships.map((m) => [m.workspace.id, permissionsOfWorkspaceRole(m.role)]),
    ),
    platformPermissions: permissionsOfPlatformRole(user.platformRole ?? null),
  };
}
