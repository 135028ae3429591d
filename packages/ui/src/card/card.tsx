import type { ComponentProps } from 'react';
import { cx } from '../cx.js';

export type CardProps = ComponentProps<'div'>;
export type CardHeaderProps = ComponentProps<'div'>;
export type CardTitleProps = ComponentProps<'h3'>;
export type CardDescriptionProps = ComponentProps<'p'>;
export type CardContentProps = ComponentProps<'div'>;
export type CardFooterProps = ComponentProps<'div'>;

export function Card({ className, ...props }: CardProps) {
  return <div {...props} className={cx('pmos-card', className)} />;
}

export function CardHeader({ className, ...props }: CardHeaderProps) {
  return <div {...props} className={cx('pmos-card__header', className)} />;
}

export function CardTitle({ className, children, ...props }: CardTitleProps) {
  return (
    <h3 {...props} className={cx('pmos-card__title', className)}>
      {children}
    </h3>
  );
}

export function CardDescription({ className, ...props }: CardDescriptionProps) {
  return <p {...props} className={cx('pmos-card__description', className)} />;
}

export function CardContent({ className, ...props }: CardContentProps) {
  return <div {...props} className={cx('pmos-card__content', className)} />;
}

export function CardFooter({ className, ...props }: CardFooterProps) {
  return <div {...props} className={cx('pmos-card__footer', className)} />;
}
