import type { FlowStep } from '@pmos/flow';
import { StepIcon } from './step-icon.js';

/** How the last test of a step went, when it was tested. */
export type TestStatus = 'SUCCEEDED' | 'FAILED' | 'RUNNING' | 'SKIPPED';

export interface StepCardProps {
  step: FlowStep;
  /** What the step does, e.g. "Flow Kit · Echo", or "Loop on items". */
  subtitle: string;
  pluginId?: string | undefined;
  pluginName?: string | undefined;
  /** Plain-language problems of the step (validation); none means ready. */
  problems: readonly string[];
  selected?: boolean;
  /** Changed by the last edit (briefly highlighted). */
  highlighted?: boolean;
  /** Just changed from outside (e.g. "Changed by the agent"): shown and read out with the card. */
  changeNote?: string | undefined;
  testStatus?: TestStatus | undefined;
  onSelect?: () => void;
  /** Arrow keys: go to the step before or after this one. */
  onNavigate?: (direction: 1 | -1) => void;
  /** A: add a step after this one (off-screen "+" buttons are not rendered on long flows). */
  onAddAfter?: (() => void) | undefined;
  /** M: move this step to a place chosen from a list. */
  onStartMove?: (() => void) | undefined;
}

const testLabels: Record<TestStatus, string> = {
  SUCCEEDED: 'Test passed',
  FAILED: 'Test failed',
  RUNNING: 'Testing…',
  SKIPPED: 'Skipped in the test',
};

/**
 * One step on the canvas: icon, the step's own name, what it does, and whether it is ready
 * (validation) or how its last test went. The whole card is one button that selects it.
 */
export function StepCard({
  step,
  subtitle,
  pluginId,
  pluginName,
  problems,
  selected = false,
  highlighted = false,
  changeNote,
  testStatus,
  onSelect,
  onNavigate,
  onAddAfter,
  onStartMove,
}: StepCardProps) {
  const isTrigger = step.name === 'trigger';
  const ready = problems.length === 0;
  const skipped = 'skip' in step && step.skip;
  const keys = cardKeys({ onNavigate, onAddAfter, onStartMove });
  const statusText = ready
    ? 'Ready'
    : problems.length === 1
      ? (problems[0] ?? '')
      : `${problems.length} things to fix`;
  return (
    <button
      type="button"
      className={[
        'studio-card',
        selected ? 'is-selected' : '',
        highlighted ? 'is-highlighted' : '',
        changeNote ? 'is-changed' : '',
        ready ? '' : 'is-incomplete',
        skipped ? 'is-skipped' : '',
      ]
        .filter(Boolean)
        .join(' ')}
      aria-pressed={selected}
      aria-label={`${isTrigger ? 'Trigger' : 'Step'}: ${step.displayName}. ${subtitle}. ${ready ? 'Ready' : `Needs attention: ${problems.join(' ')}`}${testStatus ? `. ${testLabels[testStatus]}` : ''}${changeNote ? `. ${changeNote}` : ''}`}
      aria-keyshortcuts={keys || undefined}
      title={ready ? undefined : problems.join('\n')}
      data-step={step.name}
      onClick={onSelect}
      onKeyDown={(event) => {
        if (event.ctrlKey || event.metaKey || event.altKey) return;
        const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
        const action =
          key === 'ArrowDown' && onNavigate
            ? () => onNavigate(1)
            : key === 'ArrowUp' && onNavigate
              ? () => onNavigate(-1)
              : key === 'a'
                ? onAddAfter
                : key === 'm'
                  ? onStartMove
                  : undefined;
        if (!action) return;
        event.preventDefault();
        action();
      }}
    >
      <StepIcon step={step} pluginId={pluginId} label={pluginName} />
      <span className="studio-card-text">
        <span className="studio-card-kicker">
          {isTrigger ? 'Trigger' : step.name.replace('step_', 'Step ')}
          {skipped ? ' · skipped' : ''}
        </span>
        <span className="studio-card-title">{step.displayName}</span>
        <span className="studio-card-subtitle">{subtitle}</span>
      </span>
      <span
        className={`studio-card-status ${ready ? 'is-ready' : 'is-problem'}`}
        title={statusText}
        aria-hidden="true"
      >
        {ready ? '✓' : '!'}
      </span>
      {changeNote ? (
        <span className="studio-card-change" aria-hidden="true">
          {changeNote}
        </span>
      ) : null}
      {testStatus ? (
        <span
          className={`studio-card-test studio-card-test--${testStatus.toLowerCase()}`}
          aria-hidden="true"
        >
          {testLabels[testStatus]}
        </span>
      ) : null}
    </button>
  );
}

/** The keys a card answers to, for aria-keyshortcuts. */
function cardKeys(handlers: Pick<StepCardProps, 'onNavigate' | 'onAddAfter' | 'onStartMove'>) {
  return [
    handlers.onNavigate ? 'ArrowUp ArrowDown' : '',
    handlers.onAddAfter ? 'A' : '',
    handlers.onStartMove ? 'M' : '',
  ]
    .filter(Boolean)
    .join(' ');
}
