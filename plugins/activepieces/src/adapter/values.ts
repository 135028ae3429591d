import type { PmosFile } from '@pmos/sdk/server';
import type { ApProperty } from '../pieces/piece-shape.js';

/**
 * Step inputs (already checked against the SDK props) as a piece reads them, like the
 * Activepieces engine's processors: JSON text parsed, dates as ISO timestamps, files as
 * `ApFile`-shaped objects, array items processed field by field. Markdown has no value.
 */
export function toPieceValues(
  props: Record<string, ApProperty>,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const p = props[name];
    out[name] = p ? toPieceValue(p, value) : value;
  }
  return out;
}

function toPieceValue(p: ApProperty, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  switch (p.type) {
    case 'JSON':
      if (typeof value === 'string') {
        try {
          return JSON.parse(value);
        } catch {
          return value;
        }
      }
      return value;
    case 'DATE_TIME': {
      const date = new Date(String(value));
      return Number.isNaN(date.getTime()) ? value : date.toISOString();
    }
    case 'FILE':
      return apFileOf(value as PmosFile);
    case 'ARRAY':
      return p.properties && Array.isArray(value)
        ? value.map((item) =>
            item && typeof item === 'object'
              ? toPieceValues(p.properties ?? {}, item as Record<string, unknown>)
              : item,
          )
        : value;
    default:
      return value;
  }
}

/** An `ApFile` (filename, extension, data as a Buffer, base64) from a PMOS file value. */
function apFileOf(file: PmosFile) {
  const dot = file.filename.lastIndexOf('.');
  return {
    filename: file.filename,
    extension: dot > 0 ? file.filename.slice(dot + 1) : undefined,
    data: Buffer.from(file.base64, 'base64'),
    base64: file.base64,
    ...(file.mimeType ? { mimeType: file.mimeType } : {}),
  };
}
