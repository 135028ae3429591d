import type { SaveState } from './flow-editor.js';

const labels: Record<SaveState, string> = {
  saved: 'All changes saved',
  unsaved: 'Unsaved changes',
  saving: 'Saving…',
  conflict: 'Not saved: changed elsewhere',
};

/** Whether the draft is saved, said quietly (a polite live region). */
export function SaveIndicator({ state }: { state: SaveState }) {
  return (
    <span className={`studio-save studio-save--${state}`} role="status" aria-live="polite">
      <span className="studio-save-dot" aria-hidden="true" />
      {labels[state]}
    </span>
  );
}
