import { Button, type FormFieldControlProps } from '@pmos/ui';
import { useRef, useState } from 'react';
import { CheckIcon, CopyIcon } from './icons.js';

/**
 * A read-only value with a Copy button: secrets shown once (invite links, API tokens), values
 * to paste elsewhere. Named by `label`, or by the FormField it is placed in.
 */
export function CopyField({
  value,
  label,
  ...control
}: { value: string; label?: string } & FormFieldControlProps) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      // No clipboard permission: select the text so Ctrl+C / ⌘C does it.
      input.current?.select();
      setState('manual');
    }
  };
  return (
    <div className="copy-field">
      <input
        {...control}
        ref={input}
        className="pmos-input copy-field-input"
        readOnly
        value={value}
        aria-label={label}
        onFocus={(event) => event.currentTarget.select()}
      />
      <Button variant="secondary" onClick={copy}>
        {state === 'copied' ? <CheckIcon /> : <CopyIcon />}
        {state === 'copied' ? 'Copied' : 'Copy'}
      </Button>
      <span className="visually-hidden" aria-live="polite">
        {state === 'copied' ? 'Copied to the clipboard.' : ''}
        {state === 'manual' ? 'Selected. Press Control C to copy.' : ''}
      </span>
    </div>
  );
}
