import { Button, EmptyState } from '@pmos/ui';
import { useState } from 'react';
import { PlusIcon, UsersIcon } from '../common/icons.js';
import { PageHeader } from '../common/page-header.js';
import { CreateWorkspaceDialog } from './create-workspace-dialog.js';

export function CreateFirstWorkspace() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <PageHeader title="Welcome to PMOS" />
      <EmptyState
        icon={<UsersIcon />}
        title="You are not in a workspace yet"
        description="Create a workspace for your team, or open an invite link a colleague sent you."
        action={
          <Button onClick={() => setOpen(true)}>
            <PlusIcon />
            Create workspace
          </Button>
        }
      />
      <CreateWorkspaceDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
