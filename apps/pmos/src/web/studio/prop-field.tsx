import { FormField, type FormFieldControlProps } from '@pmos/ui';
import { type ReactElement, useState } from 'react';
import type { PropDescription } from './catalog.js';
import { DynamicOptions, DynamicProps, ItemsField } from './dynamic-fields.js';
import { MarkdownNote } from './markdown-note.js';
import { OptionsCombo } from './options-combo.js';
import type { OptionsSource } from './options-source.js';
import { FileField, JsonField, ObjectField, TextListField } from './structured-fields.js';
import { TemplateField } from './template-field.js';

export interface PropFieldProps {
  name: string;
  prop: PropDescription;
  value: unknown;
  /** All values of the form: dynamic options depend on some of them. */
  values: Record<string, unknown>;
  onChange: (value: unknown) => void;
  /** Plain-language problem from validation (e.g. "“Channel” is required."). */
  problem?: string | undefined;
  source: OptionsSource | null;
  readOnly: boolean;
  onBlur?: () => void;
}

const asText = (value: unknown) =>
  value === undefined || value === null
    ? ''
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

/** Numbers as typed: a number, a `{{…}}` reference, or a message saying what is wrong. */
export function parseNumberInput(
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: undefined };
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return { ok: true, value: Number(trimmed) };
  if (trimmed.includes('{{')) return { ok: true, value: trimmed };
  return { ok: false, message: 'Enter a number, such as 42 or 2.5, or insert data.' };
}

/** One prop of a step, rendered by its kind, with its label, help, required marker and problem. */
export function PropField({
  name,
  prop,
  value,
  values,
  onChange,
  problem,
  source,
  readOnly,
  onBlur,
}: PropFieldProps) {
  const [typedProblem, setTypedProblem] = useState<string | null>(null);
  if (prop.kind === 'markdown') {
    return <MarkdownNote text={prop.text ?? ''} variant={prop.variant} />;
  }
  const label = prop.displayName || name;
  const shownProblem = typedProblem ?? problem;
  const field = (control: ReactElement<FormFieldControlProps>) => (
    <FormField
      label={label}
      hint={prop.description}
      error={shownProblem}
      required={prop.required}
      onBlur={onBlur}
      className="studio-field"
    >
      {control}
    </FormField>
  );
  if (readOnly) {
    return field(
      <output className="studio-readonly-value">
        {value === undefined || value === '' ? (
          <span className="muted">Not set</span>
        ) : (
          asText(value)
        )}
      </output>,
    );
  }

  switch (prop.kind) {
    case 'short_text':
    case 'date_time':
    case 'color':
      return field(
        <TemplateField
          fieldLabel={label}
          value={asText(value)}
          placeholder={
            prop.kind === 'date_time'
              ? 'e.g. 2026-12-31T09:00:00Z or {{…}}'
              : prop.kind === 'color'
                ? '#1a2b3c'
                : undefined
          }
          onCommit={(text) => onChange(text === '' ? undefined : text)}
        />,
      );
    case 'long_text':
      return field(
        <TemplateField
          multiline
          fieldLabel={label}
          value={asText(value)}
          onCommit={(text) => onChange(text === '' ? undefined : text)}
        />,
      );
    case 'number':
      return field(
        <TemplateField
          fieldLabel={label}
          inputMode="decimal"
          value={asText(value)}
          check={(text) => {
            const parsed = parseNumberInput(text);
            return parsed.ok ? null : parsed.message;
          }}
          onProblem={setTypedProblem}
          onCommit={(text) => {
            const parsed = parseNumberInput(text);
            if (parsed.ok) onChange(parsed.value);
          }}
        />,
      );
    case 'checkbox':
      return (
        <div className="studio-field studio-checkbox">
          <label>
            <input
              type="checkbox"
              checked={value === true}
              onChange={(event) => onChange(event.target.checked)}
            />{' '}
            {label}
            {prop.required ? (
              <span className="pmos-field__required" aria-hidden="true">
                *
              </span>
            ) : null}
          </label>
          {prop.description ? <p className="pmos-field__hint">{prop.description}</p> : null}
        </div>
      );
    case 'json':
    case 'custom':
      return field(
        <JsonField label={label} value={value} onChange={onChange} onProblem={setTypedProblem} />,
      );
    case 'object':
      return field(
        <ObjectField label={label} value={value} onChange={onChange} readOnly={false} />,
      );
    case 'array':
      return prop.items ? (
        <ItemsField
          label={label}
          prop={prop}
          items={prop.items}
          value={value}
          onChange={onChange}
          source={source}
        />
      ) : (
        field(<TextListField label={label} value={value} onChange={onChange} readOnly={false} />)
      );
    case 'file':
      return field(<FileField value={value} onChange={onChange} />);
    case 'static_dropdown':
    case 'static_multi_select':
      return field(
        <OptionsCombo
          label={label}
          options={prop.options?.options ?? []}
          placeholder={prop.options?.placeholder}
          disabledReason={prop.options?.disabled ? prop.options.placeholder : undefined}
          multiple={prop.kind === 'static_multi_select'}
          value={value}
          onChange={onChange}
        />,
      );
    case 'dropdown':
    case 'multi_select':
      return field(
        <DynamicOptions
          name={name}
          prop={prop}
          label={label}
          value={value}
          values={values}
          source={source}
          onChange={onChange}
        />,
      );
    case 'dynamic_properties':
      return (
        <DynamicProps
          name={name}
          prop={prop}
          value={value}
          values={values}
          source={source}
          onChange={onChange}
        />
      );
    default:
      return field(
        <JsonField label={label} value={value} onChange={onChange} onProblem={setTypedProblem} />,
      );
  }
}
