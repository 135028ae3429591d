import type { ComponentProps } from 'react';
import { cx } from '../cx.js';

export interface SelectProps extends ComponentProps<'select'> {
  /** Marks the value as wrong: sets `aria-invalid` and the error styling. */
  invalid?: boolean;
}

/** A native `<select>` styled like `Input`: keyboard, screen readers and mobile pickers for free. */
export function Select({
  invalid = false,
  className,
  'aria-invalid': ariaInvalid,
  ...props
}: SelectProps) {
  return (
    <select
      {...props}
      // Keeps an aria-invalid injected by FormField when `invalid` itself is not set.
      aria-invalid={invalid || ariaInvalid || undefined}
      className={cx('pmos-select', className)}
    />
  );
}
