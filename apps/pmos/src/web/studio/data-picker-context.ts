import { createContext, useContext } from 'react';

/** A field that takes `{{…}}` references: the data picker inserts into the one last focused. */
export interface InsertTarget {
  /** A label for the picker ("Insert into Body"). */
  label: string;
  insert: (reference: string) => void;
}

export interface DataPickerState {
  /** A field took focus (or lost it for good, with null). */
  setTarget: (target: InsertTarget | null) => void;
}

export const DataPickerContext = createContext<DataPickerState | null>(null);

/** The picker of the panel around, if any (stories and read-only views have none). */
export function useDataPickerTarget(): DataPickerState | null {
  return useContext(DataPickerContext);
}
