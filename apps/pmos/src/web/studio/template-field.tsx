import { type ComponentProps, type Ref, useEffect, useRef, useState } from 'react';
import { useDataPickerTarget } from './data-picker-context.js';

/** Typing is saved after this pause (or when the field loses focus): one edit, not one per key. */
export const commitDelayMs = 500;

/**
 * A text being typed: shown as typed, committed after a pause or on blur, and following the
 * committed value when someone else changes it (undo, another editor) while it is not dirty.
 */
export function useCommittedText(value: string, commit: (text: string) => void) {
  const [draft, setDraft] = useState(value);
  const dirty = useRef(false);
  const latest = useRef(value);
  const commitRef = useRef(commit);
  commitRef.current = commit;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (!dirty.current) {
      setDraft(value);
      latest.current = value;
    }
  }, [value]);

  const flush = () => {
    clearTimeout(timer.current);
    if (!dirty.current) return;
    dirty.current = false;
    commitRef.current(latest.current);
  };
  const change = (text: string) => {
    dirty.current = true;
    latest.current = text;
    setDraft(text);
    clearTimeout(timer.current);
    timer.current = setTimeout(flush, commitDelayMs);
  };
  // Leaving the panel saves what was typed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: flush reads refs only
  useEffect(() => () => flush(), []);
  return { draft, change, flush };
}

type Control = HTMLInputElement | HTMLTextAreaElement;

export interface TemplateFieldProps
  extends Omit<ComponentProps<'input'>, 'value' | 'onChange' | 'ref'> {
  value: string;
  onCommit: (text: string) => void;
  multiline?: boolean;
  /** For the data picker's "Insert into …". */
  fieldLabel: string;
  /** Offers the data picker (fields of plugin steps do; a step's name does not). */
  acceptsData?: boolean;
  /** Validates what is typed before it is committed; a message refuses it. */
  check?: (text: string) => string | null;
  onProblem?: (message: string | null) => void;
}

/**
 * A text input (or textarea) that accepts `{{step.path}}` references: focusing it points the
 * data picker at it, and a picked reference lands at the cursor.
 */
export function TemplateField({
  value,
  onCommit,
  multiline = false,
  fieldLabel,
  acceptsData = true,
  check,
  onProblem,
  className,
  ...rest
}: TemplateFieldProps) {
  const picker = useDataPickerTarget();
  const element = useRef<Control>(null);
  const commit = (text: string) => {
    const problem = check?.(text) ?? null;
    onProblem?.(problem);
    if (problem === null) onCommit(text);
  };
  const { draft, change, flush } = useCommittedText(value, commit);

  const onFocus = () => {
    if (!picker || !acceptsData) return;
    picker.setTarget({
      label: fieldLabel,
      insert: (reference) => {
        const control = element.current;
        const text = control?.value ?? draft;
        const start = control?.selectionStart ?? text.length;
        const end = control?.selectionEnd ?? text.length;
        const next = text.slice(0, start) + reference + text.slice(end);
        change(next);
        flush();
        requestAnimationFrame(() => {
          control?.focus();
          const caret = start + reference.length;
          control?.setSelectionRange(caret, caret);
        });
      },
    });
  };

  const common = {
    ...rest,
    className: `pmos-input studio-template${multiline ? ' studio-template--multi' : ''} ${className ?? ''}`,
    value: draft,
    spellCheck: false,
    autoComplete: 'off',
    onFocus,
    onBlur: flush,
  };
  return multiline ? (
    <textarea
      {...(common as ComponentProps<'textarea'>)}
      ref={element as Ref<HTMLTextAreaElement>}
      rows={4}
      onChange={(event) => change(event.target.value)}
    />
  ) : (
    <input
      {...common}
      ref={element as Ref<HTMLInputElement>}
      onChange={(event) => change(event.target.value)}
    />
  );
}
