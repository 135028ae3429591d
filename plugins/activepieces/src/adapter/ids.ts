/**
 * PMOS ids (connector, action, trigger) are lower-case slugs; Activepieces names are not
 * always (`delayFor`). The mapping is deterministic, so a flow synced from Activepieces finds
 * the same step again: camelCase → snake_case, other characters → "_", and a numeric suffix
 * only when two names of one piece would meet.
 */
export function slugOf(name: string): string {
  const slug = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .slice(0, 60);
  return slug || 'step';
}

/** "@activepieces/piece-todoist" → "todoist". */
export function connectorIdOf(packageName: string): string {
  return slugOf(packageName.replace(/^@activepieces\/piece-/, '').replaceAll('-', '_')).replaceAll(
    '_',
    '-',
  );
}

/** Unique slugs for `[key, name]` pairs, in order: key → id. */
export function uniqueIds(entries: [key: string, name: string][]): Map<string, string> {
  const taken = new Set<string>();
  const ids = new Map<string, string>();
  for (const [key, name] of entries) {
    let id = slugOf(name);
    for (let n = 2; taken.has(id); n++) id = `${slugOf(name).slice(0, 58)}_${n}`;
    taken.add(id);
    ids.set(key, id);
  }
  return ids;
}
