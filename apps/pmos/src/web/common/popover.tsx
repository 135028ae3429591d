import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

export interface PopoverProps {
  /** The trigger's content; it becomes a button with aria-expanded. */
  trigger: ReactNode;
  triggerLabel?: string;
  triggerClassName?: string;
  panelClassName?: string;
  placement?: 'below' | 'above';
  children: (close: () => void) => ReactNode;
}

/**
 * A disclosure that opens a floating panel of links and buttons. Escape and clicks outside
 * close it; focus returns to the trigger, and moves into the panel when it opens.
 */
export function Popover({
  trigger,
  triggerLabel,
  triggerClassName,
  panelClassName,
  placement = 'below',
  children,
}: PopoverProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('a, button')?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const close = () => {
    setOpen(false);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: focus and arrow keys of the whole widget; the trigger is the button
    <div
      className="popover"
      ref={root}
      // Arrow keys move between the panel's items, as in a menu.
      onKeyDown={(event) => {
        if (!open || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
        const items = [...(panel.current?.querySelectorAll<HTMLElement>('a, button') ?? [])];
        if (items.length === 0) return;
        event.preventDefault();
        const index = items.indexOf(document.activeElement as HTMLElement);
        const step = event.key === 'ArrowDown' ? 1 : -1;
        items[(index + step + items.length) % items.length]?.focus();
      }}
      onBlur={(event) => {
        // Tabbing out of the panel closes it.
        if (open && !root.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className={triggerClassName}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={triggerLabel}
        onClick={() => setOpen((value) => !value)}
      >
        {trigger}
      </button>
      <div
        ref={panel}
        id={panelId}
        className={`popover-panel popover-panel--${placement} ${panelClassName ?? ''}`}
        hidden={!open}
      >
        {open ? children(close) : null}
      </div>
    </div>
  );
}
