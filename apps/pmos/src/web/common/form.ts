import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { FieldErrors } from '../lib/validate.js';

/** The string values of a submitted form, by field name. */
export function formValues(event: FormEvent<HTMLFormElement>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(event.currentTarget)) {
    if (typeof value === 'string') values[key] = value;
  }
  return values;
}

/** Moves focus to the first invalid control whenever the field errors change. */
export function useFocusFirstInvalid(fields: Record<string, string>) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (Object.keys(fields).length === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [fields]);
  return form;
}

/**
 * Field messages of the last save, each hidden once its field is edited (it may be right now,
 * and is checked again on save). Focus goes to the first invalid field only after a save.
 */
export function useFieldErrors() {
  const [fields, setAll] = useState<FieldErrors>({});
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const form = useFocusFirstInvalid(fields);
  const setFields = (next: FieldErrors) => {
    setEdited(new Set());
    setAll(next);
  };
  const shown: FieldErrors = Object.fromEntries(
    Object.entries(fields).filter(([name]) => !edited.has(name)),
  );
  const onChange = (event: FormEvent<HTMLFormElement>) => {
    const name = (event.target as HTMLInputElement).name;
    if (name in fields && !edited.has(name)) setEdited(new Set(edited).add(name));
  };
  return { fields, shown, setFields, form, onChange };
}
