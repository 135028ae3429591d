import { type ComponentProps, type ReactNode, useEffect, useId, useRef } from 'react';
import { cx } from '../cx.js';

export interface DialogProps extends Omit<ComponentProps<'dialog'>, 'title' | 'open' | 'onClose'> {
  open: boolean;
  /** Called on Escape, on a click on the backdrop, and when the dialog closes otherwise. */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
}

/**
 * A modal on the native `<dialog>`: the browser traps focus, makes the page inert, closes on
 * Escape and gives focus back to the opener. Content mounts only while open, so forms reset.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  className,
  ...props
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  // The native close event also fires when `open` turns false here; only report closes the
  // browser made on its own (Escape), so onClose runs once per close.
  const openProp = useRef(open);
  openProp.current = open;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click mirrors Escape, which <dialog> handles itself
    <dialog
      {...props}
      ref={ref}
      className={cx('pmos-dialog', className)}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClose={() => {
        if (openProp.current) onClose();
      }}
      // A click on the backdrop lands on the dialog element itself.
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      {open ? (
        <div className="pmos-dialog__body">
          <h2 id={titleId} className="pmos-dialog__title">
            {title}
          </h2>
          {description ? (
            <p id={descriptionId} className="pmos-dialog__description">
              {description}
            </p>
          ) : null}
          {children}
        </div>
      ) : null}
    </dialog>
  );
}

export type DialogActionsProps = ComponentProps<'div'>;

/** The row of buttons at the end of a dialog: secondary first, the main action last. */
export function DialogActions({ className, ...props }: DialogActionsProps) {
  return <div {...props} className={cx('pmos-dialog__actions', className)} />;
}
