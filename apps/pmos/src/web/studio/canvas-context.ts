import type { StepProblem } from '@pmos/flow';
import { createContext, useContext } from 'react';
import type { Catalog } from '../api-types.js';
import type { AddPlace } from './graph-layout.js';
import type { TestStatus } from './step-card.js';

/** What the canvas's nodes and edges read besides their own data. */
export interface CanvasState {
  catalog: Catalog;
  selected: string | null;
  problems: ReadonlyMap<string, readonly StepProblem[]>;
  highlighted: ReadonlySet<string>;
  /** Steps just changed from outside the canvas (by the agent), with what to say of them. */
  changeNotes?: ReadonlyMap<string, string>;
  testStatuses: ReadonlyMap<string, TestStatus>;
  /** Viewers: no "+" and no picker. */
  readOnly: boolean;
  onSelect: (stepName: string) => void;
  /** From a focused card, the arrow keys walk the steps in run order (off-screen ones too). */
  onNavigate?: (stepName: string, direction: 1 | -1) => void;
  onAdd: (place: AddPlace, near: string) => void;
  /** Drag and drop of a card: move the step to the place it was dropped on. */
  onMove?: (stepName: string, place: AddPlace) => void;
  /** M on a focused card: choose where to move the step from a list (the keyboard's drag). */
  onStartMove?: (stepName: string) => void;
  /** The "+" a dragged card would land on now (highlighted). */
  dropTarget?: string | null;
  /** Display names by step name, for labels such as "Add a step after Send email". */
  displayNames: ReadonlyMap<string, string>;
}

export const CanvasContext = createContext<CanvasState | null>(null);

export function useCanvas(): CanvasState {
  const state = useContext(CanvasContext);
  if (!state) throw new Error('useCanvas() outside the Studio canvas');
  return state;
}
