import { useState } from 'react';
import { ChevronDownIcon } from '../common/icons.js';

/** An output the picker offers: a step's, from its last test, a test run, or a sample. */
export interface DataSource {
  stepName: string;
  displayName: string;
  output: unknown;
  origin: 'test' | 'run' | 'sample';
}

const originLabels: Record<DataSource['origin'], string> = {
  test: 'from its last test',
  run: 'from the last test run',
  sample: 'sample data',
};

/** A path segment as the template language writes it: `.key`, `[0]` or `['any key']`. */
export function pathSegment(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `['${key.replace(/'/g, "\\'")}']`;
}

export function referenceTo(stepName: string, path: (string | number)[]): string {
  return `{{${stepName}${path.map(pathSegment).join('')}}}`;
}

const maxChildren = 50;

function preview(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `list of ${value.length}`;
  if (typeof value === 'object') return `${Object.keys(value).length} fields`;
  const text = typeof value === 'string' ? `"${value}"` : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function childrenOf(value: unknown): [string | number, unknown][] {
  if (Array.isArray(value)) return value.slice(0, maxChildren).map((v, i) => [i, v]);
  if (value && typeof value === 'object') return Object.entries(value).slice(0, maxChildren);
  return [];
}

/**
 * The data picker: the outputs of the trigger and the steps before this one, as a tree.
 * Choosing any node inserts its `{{…}}` reference at the cursor of the field last focused.
 */
export function DataPicker({
  sources,
  target,
  onInsert,
  onClose,
}: {
  sources: readonly DataSource[];
  /** The field that receives the reference, e.g. "Body". */
  target: string | null;
  onInsert: (reference: string) => void;
  onClose?: () => void;
}) {
  return (
    <section className="studio-data-picker" aria-label="Data picker">
      <header className="studio-data-picker-head">
        <div>
          <h3>Insert data</h3>
          <p className="muted small">
            {target
              ? `Into “${target}”: choose a value.`
              : 'Click a field first, then choose a value.'}
          </p>
        </div>
        {onClose ? (
          <button type="button" className="studio-link-button" onClick={onClose}>
            Close
          </button>
        ) : null}
      </header>
      {sources.length === 0 ? (
        <p className="muted small studio-data-picker-empty">
          No data yet. Steps before this one show their output here once they are tested; the
          trigger shows sample data once chosen.
        </p>
      ) : (
        <ul className="studio-tree" aria-label="Outputs of earlier steps">
          {sources.map((source) => (
            <TreeNode
              key={source.stepName}
              label={source.displayName}
              note={`${source.stepName} · ${originLabels[source.origin]}`}
              value={source.output}
              stepName={source.stepName}
              path={[]}
              disabled={!target}
              onInsert={onInsert}
              startOpen={sources.length <= 3}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function TreeNode({
  label,
  note,
  value,
  stepName,
  path,
  disabled,
  onInsert,
  startOpen = false,
}: {
  label: string;
  note?: string;
  value: unknown;
  stepName: string;
  path: (string | number)[];
  disabled: boolean;
  onInsert: (reference: string) => void;
  startOpen?: boolean;
}) {
  const [open, setOpen] = useState(startOpen);
  const children = childrenOf(value);
  const reference = referenceTo(stepName, path);
  return (
    <li className="studio-tree-item">
      <div className="studio-tree-row">
        {children.length > 0 ? (
          <button
            type="button"
            className={`studio-tree-toggle${open ? ' is-open' : ''}`}
            aria-expanded={open}
            aria-label={`${open ? 'Collapse' : 'Expand'} ${label}`}
            onClick={() => setOpen(!open)}
          >
            <ChevronDownIcon />
          </button>
        ) : (
          <span className="studio-tree-toggle" aria-hidden="true" />
        )}
        <button
          type="button"
          className="studio-tree-insert"
          disabled={disabled}
          aria-label={`Insert ${reference}`}
          title={`Insert ${reference}`}
          // Keep the field's cursor: the button must not take focus away before inserting.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onInsert(reference)}
        >
          <span className="studio-tree-key">{label}</span>
          <span className="studio-tree-preview">{note ?? preview(value)}</span>
        </button>
      </div>
      {open && children.length > 0 ? (
        <ul className="studio-tree">
          {children.map(([key, child]) => (
            <TreeNode
              key={String(key)}
              label={typeof key === 'number' ? `Item ${key + 1}` : key}
              value={child}
              stepName={stepName}
              path={[...path, key]}
              disabled={disabled}
              onInsert={onInsert}
            />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
