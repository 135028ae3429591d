import type { ComponentProps } from 'react';
import { cx } from '../cx.js';

export type BadgeTone = 'neutral' | 'primary' | 'success' | 'danger';

export interface BadgeProps extends ComponentProps<'span'> {
  /** Colour by meaning: a status, a role. The text must carry the meaning on its own. */
  tone?: BadgeTone;
}

/** A short label for a status or a role. */
export function Badge({ tone = 'neutral', className, ...props }: BadgeProps) {
  return <span {...props} className={cx('pmos-badge', `pmos-badge--${tone}`, className)} />;
}
