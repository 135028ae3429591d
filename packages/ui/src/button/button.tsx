import { Slot, Slottable } from '@radix-ui/react-slot';
import type { ComponentProps, MouseEvent } from 'react';
import { cx } from '../cx.js';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';
export type ButtonSize = 'sm' | 'md';

export interface ButtonProps extends ComponentProps<'button'> {
  /** Visual weight. `primary` for the one main action on a screen. */
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Shows a spinner, sets `aria-busy` and ignores clicks until the work is done. */
  loading?: boolean;
  /** Renders the single child element (e.g. a router link) with the button's look and behaviour. */
  asChild?: boolean;
}

export function Button({
  variant = 'primary',
  size = 'md',
  loading = false,
  asChild = false,
  disabled = false,
  type = 'button',
  className,
  children,
  onClick,
  ...props
}: ButtonProps) {
  const inert = disabled || loading;
  const classes = cx(
    'pmos-button',
    `pmos-button--${variant}`,
    `pmos-button--${size}`,
    loading && 'pmos-button--loading',
    className,
  );
  const spinner = loading ? <span className="pmos-spinner" aria-hidden="true" /> : null;

  if (asChild) {
    // Links and other elements have no `disabled`: mark them and swallow activation instead.
    const guardedClick = (event: MouseEvent<HTMLButtonElement>) => {
      if (inert) {
        event.preventDefault();
        event.stopPropagation();
        return;
      }
      onClick?.(event);
    };
    return (
      <Slot
        {...props}
        className={classes}
        aria-busy={loading || undefined}
        aria-disabled={inert || undefined}
        data-disabled={inert ? '' : undefined}
        onClick={guardedClick}
      >
        {spinner}
        <Slottable>{children}</Slottable>
      </Slot>
    );
  }

  return (
    <button
      {...props}
      type={type}
      className={classes}
      disabled={inert}
      aria-busy={loading || undefined}
      onClick={onClick}
    >
      {spinner}
      {children}
    </button>
  );
}
