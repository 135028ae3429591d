import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { ChevronDownIcon } from '../common/icons.js';
import { sameValue } from './options-source.js';

export interface ComboOption {
  label: string;
  value: unknown;
}

export interface OptionsComboProps {
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean | 'true' | 'false' | 'grammar' | 'spelling';
  'aria-required'?: boolean | 'true' | 'false';
  /** The field's name, for the search box's label. */
  label: string;
  options: readonly ComboOption[];
  /** One value, or the chosen values with `multiple`. */
  value: unknown;
  multiple?: boolean;
  onChange: (value: unknown) => void;
  placeholder?: string | undefined;
  /** Options are being fetched. */
  loading?: boolean;
  /** Why the options could not be fetched, with a way to try again. */
  error?: string | null;
  onRetry?: () => void;
  /** Why nothing can be chosen yet (e.g. "Choose a connection first."). */
  disabledReason?: string | undefined;
  /** Typed searches, for options the server filters (`refreshOnSearch`). */
  onSearch?: (text: string) => void;
}

/**
 * A dropdown with a search box: a button showing the choice opens a listbox filtered as one
 * types (arrow keys move, Enter chooses, Escape closes). Loading, error and empty states
 * are said in words; with `multiple`, Enter and clicks toggle.
 */
export function OptionsCombo({
  id,
  label,
  options,
  value,
  multiple = false,
  onChange,
  placeholder,
  loading = false,
  error = null,
  onRetry,
  disabledReason,
  onSearch,
  ...aria
}: OptionsComboProps) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const chosen = multiple ? (Array.isArray(value) ? value : []) : [value];
  const isChosen = (option: ComboOption) => chosen.some((v) => sameValue(v, option.value));
  const shown = onSearch
    ? options
    : options.filter((o) => o.label.toLowerCase().includes(query.trim().toLowerCase()));
  const current = shown[Math.min(active, shown.length - 1)];

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const choose = (option: ComboOption) => {
    if (!multiple) {
      onChange(option.value);
      setOpen(false);
      button.current?.focus();
      return;
    }
    const next = isChosen(option)
      ? chosen.filter((v) => !sameValue(v, option.value))
      : [...chosen, option.value];
    onChange(next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + step + shown.length) % Math.max(shown.length, 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (current) choose(current);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    }
  };

  const labels = options.filter(isChosen).map((o) => o.label);
  const unknownValue =
    !multiple && value !== undefined && value !== null && value !== '' && labels.length === 0;
  const summary =
    labels.length > 0
      ? labels.join(', ')
      : unknownValue
        ? String(typeof value === 'object' ? JSON.stringify(value) : value)
        : (disabledReason ?? (loading ? 'Loading options…' : (placeholder ?? 'Choose…')));

  return (
    <div className="studio-combo" ref={root}>
      <button
        {...aria}
        id={id}
        ref={button}
        type="button"
        className={`pmos-input studio-combo-button${labels.length || unknownValue ? '' : ' is-placeholder'}`}
        aria-haspopup="listbox"
        aria-expanded={open}
        disabled={Boolean(disabledReason)}
        onClick={() => {
          setOpen(!open);
          setQuery('');
          setActive(Math.max(0, shown.findIndex(isChosen)));
        }}
      >
        <span className="studio-combo-value">{summary}</span>
        <ChevronDownIcon />
      </button>
      {open ? (
        <div className="studio-combo-panel">
          <input
            className="pmos-input"
            type="search"
            role="combobox"
            aria-label={`Search ${label}`}
            aria-expanded="true"
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={current ? `${listId}-${shown.indexOf(current)}` : undefined}
            placeholder="Search…"
            value={query}
            // biome-ignore lint/a11y/noAutofocus: the panel opened for typing
            autoFocus
            onChange={(event) => {
              setQuery(event.target.value);
              setActive(0);
              onSearch?.(event.target.value);
            }}
            onKeyDown={onKeyDown}
          />
          {loading ? (
            <p className="studio-combo-state" role="status">
              Loading options…
            </p>
          ) : error ? (
            <div className="studio-combo-state is-error" role="alert">
              <span>{error}</span>
              {onRetry ? (
                <button type="button" className="studio-link-button" onClick={onRetry}>
                  Try again
                </button>
              ) : null}
            </div>
          ) : shown.length === 0 ? (
            <p className="studio-combo-state" role="status">
              {options.length === 0 ? 'There is nothing to choose from yet.' : 'Nothing matches.'}
            </p>
          ) : null}
          <div
            id={listId}
            role="listbox"
            aria-label={label}
            aria-multiselectable={multiple || undefined}
            className="studio-combo-list"
            tabIndex={-1}
          >
            {shown.map((option, index) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the search box
              <div
                key={JSON.stringify(option.value) ?? option.label}
                id={`${listId}-${index}`}
                role="option"
                tabIndex={-1}
                aria-selected={isChosen(option)}
                className={`studio-combo-option${option === current ? ' is-active' : ''}`}
                onMouseEnter={() => setActive(index)}
                onClick={() => choose(option)}
              >
                <span className="studio-combo-check" aria-hidden="true">
                  {isChosen(option) ? '✓' : ''}
                </span>
                {option.label}
              </div>
            ))}
          </div>
        </div>
      ) : null}
    </div>
  );
}
