import { useState } from 'react';
import type { PropsDescription } from './catalog.js';
import type { OptionsSource } from './options-source.js';
import { PropField } from './prop-field.js';

export interface PropsFormProps {
  props: PropsDescription;
  values: Record<string, unknown>;
  /** One prop changed (committed); the caller saves the step and clears dependent dropdowns. */
  onChange: (name: string, value: unknown) => void;
  /** Validation problems by prop name, in plain language. */
  problems: ReadonlyMap<string, string>;
  source: OptionsSource | null;
  readOnly: boolean;
  /** Show every problem now (after a test or publish was tried), not only of touched fields. */
  revealProblems?: boolean;
}

/**
 * The fields of a step, rendered from its props description in the plugin's order. A
 * required field's problem shows once the person has left it (or when `revealProblems`).
 */
export function PropsForm({
  props,
  values,
  onChange,
  problems,
  source,
  readOnly,
  revealProblems = false,
}: PropsFormProps) {
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const entries = Object.entries(props);
  if (entries.length === 0) {
    return <p className="muted small">This step has no settings.</p>;
  }
  return (
    <div className="studio-form">
      {entries.map(([name, prop]) => (
        <PropField
          key={name}
          name={name}
          prop={prop}
          value={values[name]}
          values={values}
          source={source}
          readOnly={readOnly}
          problem={revealProblems || touched.has(name) ? problems.get(name) : undefined}
          onBlur={() => {
            if (!touched.has(name)) setTouched(new Set([...touched, name]));
          }}
          onChange={(value) => {
            setTouched((t) => (t.has(name) ? t : new Set([...t, name])));
            onChange(name, value);
          }}
        />
      ))}
    </div>
  );
}
