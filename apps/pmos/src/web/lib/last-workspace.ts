import type { Me } from '../../api/schemas.js';

// Per person, so two accounts on one browser never open each other's last workspace.
const keyOf = (userId: string) => `pmos.lastWorkspace.${userId}`;

export function rememberWorkspace(userId: string, workspaceId: string): void {
  try {
    localStorage.setItem(keyOf(userId), workspaceId);
  } catch {
    // Private mode or storage full: the app still works, it just forgets.
  }
}

/** The workspace to open: the last one used if still a member, else the first. */
export function preferredWorkspaceId(me: Me): string | undefined {
  let remembered: string | null = null;
  try {
    remembered = localStorage.getItem(keyOf(me.user.id));
  } catch {
    remembered = null;
  }
  if (remembered && me.workspaces.some((workspace) => workspace.id === remembered)) {
    return remembered;
  }
  return me.workspaces[0]?.id;
}
