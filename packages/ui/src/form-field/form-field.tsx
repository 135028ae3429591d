import { Label } from '@radix-ui/react-label';
import {
  Children,
  type ComponentProps,
  cloneElement,
  type ReactElement,
  type ReactNode,
  useId,
} from 'react';
import { cx } from '../cx.js';

/** The props FormField hands to its control. Any input-like component that forwards them works. */
export interface FormFieldControlProps {
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean | 'true' | 'false' | 'grammar' | 'spelling';
  'aria-required'?: boolean | 'true' | 'false';
}

export interface FormFieldProps extends Omit<ComponentProps<'div'>, 'children'> {
  label: ReactNode;
  /** Short help shown under the control and read with it. */
  hint?: ReactNode;
  /** Plain-language message saying what is wrong and how to fix it. Marks the control invalid. */
  error?: ReactNode;
  /** Shows a required marker and sets `aria-required` on the control. */
  required?: boolean;
  /** Exactly one control element, e.g. `<Input />`. */
  children: ReactElement<FormFieldControlProps>;
}

export function FormField({
  label,
  hint,
  error,
  required = false,
  className,
  children,
  ...props
}: FormFieldProps) {
  const generatedId = useId();
  // Throws unless given exactly one element: the field wires ids and ARIA onto that control.
  const control = Children.only(children);

  const controlId = control.props.id ?? `${generatedId}-control`;
  const hintId = `${generatedId}-hint`;
  const errorId = `${generatedId}-error`;
  const hasHint = hint != null && hint !== false && hint !== '';
  const hasError = error != null && error !== false && error !== '';
  const describedBy = [
    control.props['aria-describedby'],
    hasHint ? hintId : undefined,
    hasError ? errorId : undefined,
  ]
    .filter(Boolean)
    .join(' ');

  const wiredControl = cloneElement(control, {
    id: controlId,
    'aria-describedby': describedBy || undefined,
    'aria-invalid': hasError ? true : control.props['aria-invalid'],
    'aria-required': required ? true : control.props['aria-required'],
  });

  return (
    <div {...props} className={cx('pmos-field', className)}>
      <Label htmlFor={controlId} className="pmos-field__label">
        {label}
        {required ? (
          <span className="pmos-field__required" aria-hidden="true">
            *
          </span>
        ) : null}
      </Label>
      {wiredControl}
      {hasHint ? (
        <p id={hintId} className="pmos-field__hint">
          {hint}
        </p>
      ) : null}
      {hasError ? (
        <p id={errorId} className="pmos-field__error" role="alert">
          <ErrorIcon />
          <span>{error}</span>
        </p>
      ) : null}
    </div>
  );
}

function ErrorIcon() {
  return (
    <svg
      className="pmos-field__error-icon"
      viewBox="0 0 16 16"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M8 4.75v3.75" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
      <circle cx="8" cy="11" r="0.9" fill="currentColor" />
    </svg>
  );
}
