import { Button } from '@pmos/ui';
import { useEffect, useState } from 'react';
import { PlusIcon } from '../common/icons.js';
import type { PropDescription } from './catalog.js';
import { TemplateField } from './template-field.js';

interface ControlAria {
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean | 'true' | 'false' | 'grammar' | 'spelling';
  'aria-required'?: boolean | 'true' | 'false';
}

/** JSON as typed: parsed when it is JSON, kept as text when it is a `{{…}}` reference. */
export function parseJsonInput(
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    if (text.includes('{{')) return { ok: true, value: text };
    const reason = error instanceof Error ? error.message.replace(/^JSON\.parse: /, '') : '';
    return { ok: false, message: `This is not valid JSON${reason ? ` (${reason})` : ''}.` };
  }
}

export function jsonText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/** A JSON value (or a reference to one): checked as typed, saved when it parses. */
export function JsonField({
  label,
  value,
  onChange,
  onProblem,
  ...aria
}: ControlAria & {
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
  onProblem: (message: string | null) => void;
}) {
  return (
    <TemplateField
      {...aria}
      multiline
      fieldLabel={label}
      className="studio-code"
      placeholder='{"key": "value"} or {{step_1.field}}'
      value={jsonText(value)}
      check={(text) => {
        const parsed = parseJsonInput(text);
        return parsed.ok ? null : parsed.message;
      }}
      onProblem={onProblem}
      onCommit={(text) => {
        const parsed = parseJsonInput(text);
        if (parsed.ok) onChange(parsed.value);
      }}
    />
  );
}

type Row = { key: string; value: string };

function rowsOf(value: unknown): Row[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).map(([key, v]) => ({
    key,
    value: typeof v === 'string' ? v : JSON.stringify(v),
  }));
}

function objectOf(list: Row[]): Record<string, string> | undefined {
  const entries = list.filter((r) => r.key.trim() !== '').map((r) => [r.key.trim(), r.value]);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Names and values (headers, query parameters …); values take references. */
export function ObjectField({
  label,
  value,
  onChange,
  readOnly,
  id,
}: ControlAria & {
  label: string;
  value: unknown;
  onChange: (value: Record<string, unknown> | undefined) => void;
  readOnly: boolean;
}) {
  const [rows, setRows] = useState<Row[]>(() => rowsOf(value));
  // Undo or another editor changed the value: show theirs (our own saves compare equal).
  useEffect(() => {
    setRows((current) =>
      JSON.stringify(objectOf(current)) === JSON.stringify(value ?? undefined)
        ? current
        : rowsOf(value),
    );
  }, [value]);
  const save = (next: Row[]) => {
    setRows(next);
    onChange(objectOf(next));
  };
  return (
    <div className="studio-rows" id={id}>
      {rows.length === 0 ? <p className="muted small">No entries.</p> : null}
      {rows.map((row, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place
        <div key={index} className="studio-row">
          <TemplateField
            aria-label={`${label}: name ${index + 1}`}
            fieldLabel={`${label} name`}
            acceptsData={false}
            placeholder="Name"
            readOnly={readOnly}
            value={row.key}
            onCommit={(text) => save(rows.map((r, i) => (i === index ? { ...r, key: text } : r)))}
          />
          <TemplateField
            aria-label={`${label}: value ${index + 1}`}
            fieldLabel={`${label} value`}
            placeholder="Value or {{…}}"
            readOnly={readOnly}
            value={row.value}
            onCommit={(text) => save(rows.map((r, i) => (i === index ? { ...r, value: text } : r)))}
          />
          {readOnly ? null : (
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Remove ${label} entry ${index + 1}`}
              onClick={() => save(rows.filter((_, i) => i !== index))}
            >
              ×
            </Button>
          )}
        </div>
      ))}
      {readOnly ? null : (
        <Button
          variant="secondary"
          size="sm"
          onClick={() => setRows([...rows, { key: '', value: '' }])}
        >
          <PlusIcon /> Add an entry to {label}
        </Button>
      )}
    </div>
  );
}

/** A list of texts; each takes references. */
export function TextListField({
  label,
  value,
  onChange,
  readOnly,
  id,
}: ControlAria & {
  label: string;
  value: unknown;
  onChange: (value: string[] | undefined) => void;
  readOnly: boolean;
}) {
  const items = Array.isArray(value)
    ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
    : [];
  const save = (next: string[]) => onChange(next.length > 0 ? next : undefined);
  return (
    <div className="studio-rows" id={id}>
      {items.length === 0 ? <p className="muted small">No items.</p> : null}
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: items are edited in place
        <div key={index} className="studio-row">
          <TemplateField
            aria-label={`${label}: item ${index + 1}`}
            fieldLabel={`${label} item ${index + 1}`}
            readOnly={readOnly}
            value={item}
            onCommit={(text) => save(items.map((v, i) => (i === index ? text : v)))}
          />
          {readOnly ? null : (
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Remove ${label} item ${index + 1}`}
              onClick={() => save(items.filter((_, i) => i !== index))}
            >
              ×
            </Button>
          )}
        </div>
      ))}
      {readOnly ? null : (
        <Button variant="secondary" size="sm" onClick={() => save([...items, ''])}>
          <PlusIcon /> Add an item to {label}
        </Button>
      )}
    </div>
  );
}

/** Reads a chosen file into the SDK's file value (base64). */
export function FileField({
  value,
  onChange,
  ...aria
}: ControlAria & { value: unknown; onChange: (value: unknown) => void }) {
  const current =
    value && typeof value === 'object' && 'filename' in value
      ? String((value as { filename: unknown }).filename)
      : null;
  return (
    <div className="studio-file">
      <input
        {...aria}
        type="file"
        onChange={async (event) => {
          const file = event.target.files?.[0];
          if (!file) return;
          const bytes = new Uint8Array(await file.arrayBuffer());
          let binary = '';
          for (const byte of bytes) binary += String.fromCharCode(byte);
          onChange({ filename: file.name, mimeType: file.type || undefined, base64: btoa(binary) });
        }}
      />
      {current ? <span className="muted small">Now: {current}</span> : null}
    </div>
  );
}

export type { PropDescription };
