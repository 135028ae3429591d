import type { ComponentProps, ReactNode } from 'react';
import { cx } from '../cx.js';

export interface EmptyStateProps extends Omit<ComponentProps<'div'>, 'title'> {
  /** Decorative icon; hidden from assistive technology. */
  icon?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  /** The first step to take, usually a primary `<Button>`. */
  action?: ReactNode;
}

export function EmptyState({
  icon,
  title,
  description,
  action,
  className,
  ...props
}: EmptyStateProps) {
  return (
    <div {...props} className={cx('pmos-empty-state', className)}>
      {icon ? (
        <div className="pmos-empty-state__icon" aria-hidden="true">
          {icon}
        </div>
      ) : null}
      <h2 className="pmos-empty-state__title">{title}</h2>
      {description ? <p className="pmos-empty-state__description">{description}</p> : null}
      {action ? <div className="pmos-empty-state__action">{action}</div> : null}
    </div>
  );
}
