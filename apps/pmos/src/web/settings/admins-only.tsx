import { EmptyState } from '@pmos/ui';
import { LockIcon } from '../common/icons.js';

/** What someone sees on a settings page their role does not open (e.g. from an old link). */
export function AdminsOnly({ what }: { what: string }) {
  return (
    <EmptyState
      icon={<LockIcon />}
      title={`Only workspace admins can ${what}`}
      description="Ask an admin of this workspace if you need a change here."
    />
  );
}
