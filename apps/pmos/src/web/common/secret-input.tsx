import { Input, type InputProps } from '@pmos/ui';
import { useState } from 'react';
import { EyeIcon, EyeOffIcon } from './icons.js';

/**
 * A password-type input with a show/hide toggle, for values a person pastes once (API keys).
 * Takes FormField's wiring like `Input`; the browser is asked not to remember or fill it.
 */
export function SecretInput({ className, ...props }: Omit<InputProps, 'type'>) {
  const [shown, setShown] = useState(false);
  return (
    <div className={className ? `secret-input ${className}` : 'secret-input'}>
      <Input
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="off"
        {...props}
        type={shown ? 'text' : 'password'}
        className="secret-input-control"
      />
      <button
        type="button"
        className="secret-input-toggle"
        aria-pressed={shown}
        // One name, with the pressed state saying whether the value shows.
        aria-label="Show value"
        title={shown ? 'Hide value' : 'Show value'}
        onClick={() => setShown((value) => !value)}
      >
        {shown ? <EyeOffIcon /> : <EyeIcon />}
      </button>
    </div>
  );
}
