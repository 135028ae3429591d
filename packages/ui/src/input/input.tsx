import type { ComponentProps } from 'react';
import { cx } from '../cx.js';

export interface InputProps extends ComponentProps<'input'> {
  /** Marks the value as wrong: sets `aria-invalid` and the error styling. */
  invalid?: boolean;
}

export function Input({
  invalid = false,
  type = 'text',
  className,
  'aria-invalid': ariaInvalid,
  ...props
}: InputProps) {
  return (
    <input
      {...props}
      type={type}
      // Keeps an aria-invalid injected by FormField when `invalid` itself is not set.
      aria-invalid={invalid || ariaInvalid || undefined}
      className={cx('pmos-input', className)}
    />
  );
}
