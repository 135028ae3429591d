import { Alert, Button } from '@pmos/ui';
import type { FlowVersion } from '../api-types.js';
import { LiveNotice, type Notice } from '../common/live-notice.js';

/**
 * What the Studio has to say above the canvas: the last action's outcome, an edit the
 * reducer or server refused, a trigger that could not be turned on, a conflict with someone
 * else's save, a version being viewed.
 */
export function StudioNotices({
  notice,
  error,
  onDismissError,
  triggerProblem,
  canWrite,
  conflict,
  onResolveConflict,
  viewing,
  canRestore,
  onRestore,
  onBackToDraft,
}: {
  notice: Notice;
  error: string | null;
  onDismissError: () => void;
  /** Why the published trigger is not on, while the automation is on. */
  triggerProblem: string | null;
  canWrite: boolean;
  conflict: boolean;
  onResolveConflict: (keep: 'theirs' | 'mine') => void;
  viewing: FlowVersion | null;
  canRestore: boolean;
  onRestore: (version: FlowVersion) => void;
  onBackToDraft: () => void;
}) {
  return (
    <div className="studio-notices">
      <LiveNotice notice={notice} />
      {error ? (
        <Alert tone="danger">
          {error}{' '}
          <button type="button" className="studio-link-button" onClick={onDismissError}>
            Dismiss
          </button>
        </Alert>
      ) : null}
      {triggerProblem ? (
        <Alert tone="danger" title="The trigger could not be turned on">
          {triggerProblem} Nothing starts this automation until it is.{' '}
          {canWrite
            ? 'Fix the cause (a connection, the trigger’s settings), then publish again, or turn the automation off and on.'
            : 'Ask an editor of this workspace to look at it.'}
        </Alert>
      ) : null}
      {conflict ? (
        <Alert tone="danger" title="Someone else changed this automation">
          Your latest edits were not saved, because the draft was changed elsewhere meanwhile.
          <span className="studio-inline-actions">
            <Button size="sm" variant="secondary" onClick={() => onResolveConflict('theirs')}>
              Load their version
            </Button>
            <Button size="sm" variant="danger" onClick={() => onResolveConflict('mine')}>
              Keep mine (replace theirs)
            </Button>
          </span>
        </Alert>
      ) : null}
      {viewing ? (
        <Alert tone="info" title={`Viewing version ${viewing.number} (read only)`}>
          <span className="studio-inline-actions">
            {canRestore ? (
              <Button size="sm" variant="secondary" onClick={() => onRestore(viewing)}>
                Restore as draft
              </Button>
            ) : null}
            <Button size="sm" variant="ghost" onClick={onBackToDraft}>
              Back to the draft
            </Button>
          </span>
        </Alert>
      ) : null}
    </div>
  );
}
