/** Small readers for BCGPT payloads, whose shapes vary from tool to tool. */

export type Row = Record<string, unknown>;

const isRow = (value: unknown): value is Row =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The list in a payload: the first of `keys` that holds an array, else the only array
 * that is not a preview (`projects_preview` …).
 */
export function listIn(payload: Row, keys: readonly string[]): Row[] {
  for (const key of keys) {
    const value = payload[key];
    if (Array.isArray(value)) return value.filter(isRow);
  }
  const arrays = Object.entries(payload).filter(
    ([key, value]) => Array.isArray(value) && !key.endsWith('_preview'),
  );
  const only = arrays.length === 1 ? arrays[0]?.[1] : undefined;
  return Array.isArray(only) ? only.filter(isRow) : [];
}

/** The object in a payload under `key` (`{todo: {...}}`), or the payload itself. */
export function objectIn(payload: Row, key: string): Row {
  const value = payload[key];
  return isRow(value) ? value : payload;
}

export const labelOf = (row: Row): string =>
  String(row.name ?? row.title ?? row.content ?? row.subject ?? row.id ?? '');

export const idOf = (row: Row): number | string | null => {
  const id = row.id;
  return typeof id === 'number' || typeof id === 'string' ? id : null;
};
