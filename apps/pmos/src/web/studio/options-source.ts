import type { OptionsResult } from '../api-types.js';

/**
 * Where a step's dynamic dropdowns get their options: the plugin's options endpoint for this
 * action or trigger and connection. `key` identifies the step (for caching); `blocked` says
 * why nothing can be asked yet ("Choose a connection first.").
 */
export interface OptionsSource {
  key: readonly unknown[];
  blocked?: string | undefined;
  load: (
    prop: string,
    values: Record<string, unknown>,
    searchValue: string | undefined,
    signal: AbortSignal,
  ) => Promise<OptionsResult>;
}

/** The values of a prop's refreshers, which the options depend on. */
export function refresherValues(
  refreshers: readonly string[] | undefined,
  values: Record<string, unknown>,
): unknown[] {
  return (refreshers ?? []).map((name) => values[name] ?? null);
}

/** Props to clear when `changed` changed: the dropdowns whose options depend on it. */
export function dependentsOf(
  props: Record<string, { refreshers?: string[] }>,
  changed: string,
): string[] {
  const out: string[] = [];
  const queue = [changed];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    for (const [prop, description] of Object.entries(props)) {
      if (description.refreshers?.includes(name) && !out.includes(prop) && prop !== changed) {
        out.push(prop);
        queue.push(prop);
      }
    }
  }
  return out;
}

/** Option values may be any JSON: compare them by their JSON text. */
export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
