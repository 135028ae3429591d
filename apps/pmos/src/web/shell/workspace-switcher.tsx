import { useState } from 'react';
import { Link } from 'react-router';
import type { Me, WorkspaceSummary } from '../api-types.js';
import { CheckIcon, ChevronsIcon, PlusIcon } from '../common/icons.js';
import { Popover } from '../common/popover.js';
import { rememberWorkspace } from '../lib/last-workspace.js';
import { roleLabels } from '../lib/roles.js';
import { CreateWorkspaceDialog } from './create-workspace-dialog.js';

export function WorkspaceSwitcher({
  me,
  current,
}: {
  me: Me;
  current: WorkspaceSummary | undefined;
}) {
  const [creating, setCreating] = useState(false);
  return (
    <>
      <Popover
        triggerClassName="switcher-trigger"
        triggerLabel={
          current ? `Workspace: ${current.name}. Switch workspace` : 'Choose a workspace'
        }
        panelClassName="switcher-panel"
        trigger={
          <>
            <WorkspaceAvatar name={current?.name ?? '?'} seed={current?.id ?? ''} />
            <span className="switcher-text">
              <span className="switcher-name">{current?.name ?? 'No workspace'}</span>
              <span className="switcher-role">
                {current ? roleLabels[current.role] : 'Create one to start'}
              </span>
            </span>
            <ChevronsIcon className="switcher-chevron" />
          </>
        }
      >
        {(close) => (
          <>
            <p className="popover-heading" id="switcher-heading">
              Workspaces
            </p>
            <ul className="switcher-list" aria-labelledby="switcher-heading">
              {me.workspaces.map((workspace) => {
                const selected = workspace.id === current?.id;
                return (
                  <li key={workspace.id}>
                    <Link
                      to={`/w/${workspace.id}`}
                      className="popover-item"
                      aria-current={selected ? 'true' : undefined}
                      onClick={() => {
                        rememberWorkspace(me.user.id, workspace.id);
                        close();
                      }}
                    >
                      <WorkspaceAvatar name={workspace.name} seed={workspace.id} />
                      <span className="switcher-text">
                        <span className="switcher-name">{workspace.name}</span>
                        <span className="switcher-role">{roleLabels[workspace.role]}</span>
                      </span>
                      {selected ? <CheckIcon className="popover-check" /> : null}
                    </Link>
                  </li>
                );
              })}
            </ul>
            <div className="popover-separator" />
            <button
              type="button"
              className="popover-item"
              onClick={() => {
                close();
                setCreating(true);
              }}
            >
              <span className="popover-item-icon">
                <PlusIcon />
              </span>
              Create workspace
            </button>
          </>
        )}
      </Popover>
      <CreateWorkspaceDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

const avatarHues = [235, 160, 20, 280, 200, 340, 100, 45];

/** A square with the workspace's first letter, coloured by its id so a rename keeps the colour. */
export function WorkspaceAvatar({ name, seed }: { name: string; seed: string }) {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  const hue = avatarHues[hash % avatarHues.length];
  return (
    <span
      className="workspace-avatar"
      style={{ background: `hsl(${hue} 55% 52%)` }}
      aria-hidden="true"
    >
      {name.trim().charAt(0).toUpperCase() || '?'}
    </span>
  );
}
