import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { errorMessage } from '../lib/api.js';
import type { PropDescription, PropsDescription } from './catalog.js';
import { OptionsCombo } from './options-combo.js';
import { type OptionsSource, refresherValues } from './options-source.js';
import { PropsForm } from './props-form.js';

// Fields whose shape comes from the plugin at edit time: dynamic dropdowns and properties,
// and lists whose items have fields of their own.

/** Waits for typing to pause before asking the server to search. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function useOptions(
  name: string,
  prop: PropDescription,
  values: Record<string, unknown>,
  source: OptionsSource | null,
  search: string | undefined,
) {
  return useQuery({
    queryKey: [
      'studio-options',
      ...(source?.key ?? []),
      name,
      refresherValues(prop.refreshers, values),
      search ?? null,
    ],
    queryFn: ({ signal }) => {
      if (!source) throw new Error('no options source');
      return source.load(name, values, search, signal);
    },
    enabled: Boolean(source) && !source?.blocked,
    staleTime: 60_000,
    retry: false,
  });
}

/** A dropdown whose options come from the plugin, refetched when a refresher changes. */
export function DynamicOptions({
  name,
  prop,
  label,
  value,
  values,
  source,
  onChange,
  ...aria
}: {
  name: string;
  prop: PropDescription;
  label: string;
  value: unknown;
  values: Record<string, unknown>;
  source: OptionsSource | null;
  onChange: (value: unknown) => void;
}) {
  const [search, setSearch] = useState('');
  const settled = useDebounced(search, 300);
  const query = useOptions(
    name,
    prop,
    values,
    source,
    prop.refreshOnSearch ? settled || undefined : undefined,
  );
  const data = query.data?.kind === 'options' ? query.data : undefined;
  return (
    <OptionsCombo
      {...aria}
      label={label}
      options={data?.options ?? []}
      placeholder={data?.placeholder}
      disabledReason={
        source?.blocked ?? (data?.disabled ? (data.placeholder ?? 'Not available yet.') : undefined)
      }
      loading={query.isFetching && !data}
      error={query.isError ? errorMessage(query.error) : null}
      onRetry={() => void query.refetch()}
      onSearch={prop.refreshOnSearch ? setSearch : undefined}
      multiple={prop.kind === 'multi_select'}
      value={value}
      onChange={onChange}
    />
  );
}

/** Props the plugin describes at edit time (from other props' values), as a nested form. */
export function DynamicProps({
  name,
  prop,
  value,
  values,
  source,
  onChange,
}: {
  name: string;
  prop: PropDescription;
  value: unknown;
  values: Record<string, unknown>;
  source: OptionsSource | null;
  onChange: (value: unknown) => void;
}) {
  const query = useOptions(name, prop, values, source, undefined);
  const nested = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  return (
    <fieldset className="studio-fieldset">
      <legend>{prop.displayName || name}</legend>
      {source?.blocked ? (
        <p className="muted small">{source.blocked}</p>
      ) : query.isPending ? (
        <p className="muted small" role="status">
          Loading fields…
        </p>
      ) : query.isError ? (
        <p className="pmos-field__error" role="alert">
          {errorMessage(query.error)}{' '}
          <button type="button" className="studio-link-button" onClick={() => void query.refetch()}>
            Try again
          </button>
        </p>
      ) : query.data?.kind === 'props' ? (
        <PropsForm
          props={query.data.props as unknown as PropsDescription}
          values={nested}
          onChange={(key, v) => onChange({ ...nested, [key]: v })}
          source={null}
          readOnly={false}
          problems={new Map()}
        />
      ) : null}
    </fieldset>
  );
}

/** A list whose items each have fields (`prop.array({ items })`). */
export function ItemsField({
  label,
  prop,
  items,
  value,
  onChange,
  source,
}: {
  label: string;
  prop: PropDescription;
  items: PropsDescription;
  value: unknown;
  onChange: (value: unknown) => void;
  source: OptionsSource | null;
}) {
  const list = (Array.isArray(value) ? value : []) as Record<string, unknown>[];
  const save = (next: Record<string, unknown>[]) => onChange(next.length > 0 ? next : undefined);
  return (
    <fieldset className="studio-fieldset">
      <legend>
        {label}
        {prop.required ? (
          <span className="pmos-field__required" aria-hidden="true">
            *
          </span>
        ) : null}
      </legend>
      {prop.description ? <p className="pmos-field__hint">{prop.description}</p> : null}
      {list.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: items are edited in place
        <div key={index} className="studio-item">
          <div className="studio-item-head">
            <span className="small muted">
              {label} {index + 1}
            </span>
            <button
              type="button"
              className="studio-link-button"
              aria-label={`Remove ${label} ${index + 1}`}
              onClick={() => save(list.filter((_, i) => i !== index))}
            >
              Remove
            </button>
          </div>
          <PropsForm
            props={items}
            values={item}
            onChange={(key, v) =>
              save(list.map((it, i) => (i === index ? { ...it, [key]: v } : it)))
            }
            source={source}
            readOnly={false}
            problems={new Map()}
          />
        </div>
      ))}
      <button
        type="button"
        className="pmos-button pmos-button--secondary pmos-button--sm"
        onClick={() => save([...list, {}])}
      >
        Add to {label}
      </button>
    </fieldset>
  );
}
