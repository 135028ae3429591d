import { createHash } from 'node:crypto';

// What does not make two flows different for sync: validity flags (recomputed on each side),
// notes (each side keeps its own), recorded sample data, edit dates and the plugin version
// PMOS stamps on its steps.
const ignored = new Set(['valid', 'notes', 'sampleData', 'lastUpdatedDate', 'pluginVersion']);
const droppedWhenEmpty = new Set(['propertySettings', 'errorHandlingOptions']);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || ignored.has(key)) continue;
    if (key === 'skip' && item === false) continue;
    if (
      droppedWhenEmpty.has(key) &&
      item &&
      typeof item === 'object' &&
      Object.keys(item).length === 0
    ) {
      continue;
    }
    out[key] = canonical(item);
  }
  return out;
}

/** A hash of what a flow document says, for "did this side change since the last sync?". */
export function documentHash(document: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(document)))
    .digest('hex');
}
