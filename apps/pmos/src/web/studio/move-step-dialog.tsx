import type { Flow } from '@pmos/flow';
import { Button, Dialog, DialogActions } from '@pmos/ui';
import { type KeyboardEvent, useId, useMemo, useState } from 'react';
import { dropPlacesOf } from './drop-places.js';
import { type AddPlace, layoutFlow } from './graph-layout.js';
import { movePlacesOf } from './move-places.js';

/**
 * The keyboard's way to drag a card: the places the step could be dropped on, as a list.
 * Arrow keys (Home, End) choose, Enter moves the step there, Escape leaves it where it is.
 */
export function MoveStepDialog({
  document,
  step,
  onMove,
  onClose,
}: {
  document: Flow;
  /** The step to move, or null when the dialog is closed. */
  step: { name: string; displayName: string } | null;
  onMove: (stepName: string, place: AddPlace) => void;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={step !== null}
      onClose={onClose}
      className="studio-picker-dialog"
      title={step ? `Move “${step.displayName}”` : 'Move'}
      description="Choose where the step goes. Steps inside it move with it."
    >
      {step ? (
        <PlaceList
          document={document}
          stepName={step.name}
          onPick={(place) => onMove(step.name, place)}
          onClose={onClose}
        />
      ) : null}
    </Dialog>
  );
}

function PlaceList({
  document,
  stepName,
  onPick,
  onClose,
}: {
  document: Flow;
  stepName: string;
  onPick: (place: AddPlace) => void;
  onClose: () => void;
}) {
  const places = useMemo(() => {
    const { nodes, edges } = layoutFlow(document);
    return movePlacesOf(document, dropPlacesOf(nodes, edges), stepName);
  }, [document, stepName]);
  const [active, setActive] = useState(0);
  const listId = useId();
  const current = places[Math.min(active, places.length - 1)];
  const optionId = (index: number) => `${listId}-${index}`;

  const go = (index: number) => {
    setActive(index);
    window.document.getElementById(optionId(index))?.scrollIntoView({ block: 'nearest' });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = places.length - 1;
    const to =
      event.key === 'ArrowDown'
        ? Math.min(active + 1, last)
        : event.key === 'ArrowUp'
          ? Math.max(active - 1, 0)
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (to !== null) {
      event.preventDefault();
      go(to);
    } else if (event.key === 'Enter' && current) {
      event.preventDefault();
      onPick(current.place);
    }
  };

  return (
    <>
      {places.length === 0 ? (
        <p className="muted">There is nowhere else to put this step yet.</p>
      ) : (
        <div
          id={listId}
          role="listbox"
          aria-label="Places"
          aria-activedescendant={current ? optionId(places.indexOf(current)) : undefined}
          tabIndex={0}
          // biome-ignore lint/a11y/noAutofocus: the list is what the dialog is for
          autoFocus
          className="studio-picker-list studio-move-list"
          onKeyDown={onKeyDown}
        >
          {places.map((p, index) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the listbox
            <div
              key={p.key}
              id={optionId(index)}
              role="option"
              tabIndex={-1}
              aria-selected={p === current}
              className={`studio-picker-option${p === current ? ' is-active' : ''}`}
              onMouseEnter={() => setActive(index)}
              onClick={() => onPick(p.place)}
            >
              {p.label}
            </div>
          ))}
        </div>
      )}
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button disabled={!current} onClick={() => current && onPick(current.place)}>
          Move here
        </Button>
      </DialogActions>
    </>
  );
}
