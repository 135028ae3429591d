import { Badge, Button } from '@pmos/ui';
import { Link } from 'react-router';
import type { FlowView } from '../api-types.js';
import { ChatIcon } from '../common/icons.js';
import type { EditorSnapshot } from './flow-editor.js';
import { SaveIndicator } from './save-indicator.js';
import { TemplateField } from './template-field.js';

export interface StudioHeaderProps {
  workspaceId: string;
  flow: FlowView;
  /** The draft's name (as edited here). */
  name: string;
  snapshot: Pick<EditorSnapshot, 'saveState' | 'canUndo' | 'canRedo'>;
  canWrite: boolean;
  canRun: boolean;
  readOnly: boolean;
  busy: 'publish' | 'status' | 'test' | null;
  valid: boolean;
  /** Steps still to fix before publishing. */
  invalidCount: number;
  onRename: (name: string) => void;
  onUndo: () => void;
  onRedo: () => void;
  onVersions: () => void;
  onTestFlow: () => void;
  onToggle: () => void;
  onPublish: () => void;
  /** The side chat's toggle, for people who may use chat. */
  chat?: { open: boolean; controls: string; onToggle: () => void } | undefined;
}

/**
 * The Studio's top bar: back to Automations, the flow's name and state, whether the draft
 * is saved, undo and redo, versions, test, on/off, publish, and the side chat's toggle.
 * Viewers see no edit control.
 */
export function StudioHeader({
  workspaceId,
  flow,
  name,
  snapshot,
  canWrite,
  canRun,
  readOnly,
  busy,
  valid,
  invalidCount,
  onRename,
  onUndo,
  onRedo,
  onVersions,
  onTestFlow,
  onToggle,
  onPublish,
  chat,
}: StudioHeaderProps) {
  return (
    <header className="studio-header">
      <Link to={`/w/${workspaceId}/automations`} className="studio-back">
        ← Automations
      </Link>
      <div className="studio-flow-name">
        {readOnly ? (
          <h1 className="studio-title" tabIndex={-1} data-page-title>
            {name}
          </h1>
        ) : (
          <>
            <h1 className="visually-hidden" tabIndex={-1} data-page-title>
              {name}
            </h1>
            <TemplateField
              aria-label="Automation name"
              fieldLabel="Automation name"
              acceptsData={false}
              className="studio-name-input studio-title-input"
              value={name}
              onCommit={(displayName) => {
                if (displayName.trim()) onRename(displayName.trim());
              }}
            />
          </>
        )}
        <span className="studio-badges">
          {flow.publishedVersionNumber ? (
            <Badge tone={flow.status === 'ENABLED' ? 'success' : 'neutral'}>
              v{flow.publishedVersionNumber} · {flow.status === 'ENABLED' ? 'On' : 'Off'}
            </Badge>
          ) : (
            <Badge tone="neutral">Draft</Badge>
          )}
          {canWrite ? null : <Badge tone="neutral">Read only</Badge>}
        </span>
      </div>
      <div className="studio-actions">
        {canWrite ? <SaveIndicator state={snapshot.saveState} /> : null}
        {canWrite ? (
          <>
            <Button
              variant="ghost"
              size="sm"
              onClick={onUndo}
              disabled={!snapshot.canUndo || readOnly}
              aria-keyshortcuts="Control+Z Meta+Z"
              title="Undo (Ctrl+Z)"
            >
              Undo
            </Button>
            <Button
              variant="ghost"
              size="sm"
              onClick={onRedo}
              disabled={!snapshot.canRedo || readOnly}
              aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
              title="Redo (Ctrl+Shift+Z)"
            >
              Redo
            </Button>
          </>
        ) : null}
        <Button variant="ghost" size="sm" onClick={onVersions}>
          Versions
        </Button>
        {chat ? (
          <Button
            variant={chat.open ? 'secondary' : 'ghost'}
            size="sm"
            className="studio-chat-toggle"
            aria-expanded={chat.open}
            aria-controls={chat.open ? chat.controls : undefined}
            onClick={chat.onToggle}
          >
            <ChatIcon /> Ask the agent
          </Button>
        ) : null}
        {canRun ? (
          <Button
            variant="secondary"
            size="sm"
            loading={busy === 'test'}
            disabled={readOnly || busy !== null}
            onClick={onTestFlow}
          >
            Test flow
          </Button>
        ) : null}
        {canWrite && flow.publishedVersionId ? (
          <Button
            variant="secondary"
            size="sm"
            disabled={readOnly || busy !== null}
            loading={busy === 'status'}
            onClick={onToggle}
          >
            {flow.status === 'ENABLED' ? 'Turn off' : 'Turn on'}
          </Button>
        ) : null}
        {canWrite ? (
          <Button
            size="sm"
            loading={busy === 'publish'}
            disabled={readOnly || busy !== null || !valid}
            title={
              valid
                ? 'Publish this draft and turn the automation on'
                : `Fix ${invalidCount} ${invalidCount === 1 ? 'step' : 'steps'} first`
            }
            onClick={onPublish}
          >
            Publish
          </Button>
        ) : null}
      </div>
    </header>
  );
}
