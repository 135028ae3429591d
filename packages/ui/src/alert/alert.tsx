import type { ComponentProps, ReactNode } from 'react';
import { cx } from '../cx.js';

export type AlertTone = 'info' | 'success' | 'danger';

export interface AlertProps extends Omit<ComponentProps<'div'>, 'title'> {
  tone?: AlertTone;
  /** A short first line in bold; the children explain. */
  title?: ReactNode;
}

/**
 * A message about the page or the last action. `danger` is announced at once (role="alert");
 * the other tones politely (role="status"), so a screen reader hears results as they arrive.
 */
export function Alert({ tone = 'info', title, className, children, ...props }: AlertProps) {
  return (
    <div
      role={tone === 'danger' ? 'alert' : 'status'}
      {...props}
      className={cx('pmos-alert', `pmos-alert--${tone}`, className)}
    >
      {title ? <p className="pmos-alert__title">{title}</p> : null}
      {children ? <div className="pmos-alert__body">{children}</div> : null}
    </div>
  );
}
