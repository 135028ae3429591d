import { resolveTemplate, type TemplateContext } from '../template/resolve.js';
import { parseJsonList } from './values.js';

export type LoopItems = { ok: true; items: unknown[] } | { ok: false; reason: string };

/**
 * The items a loop step runs over, from its `items` template: an array as it is, a string
 * holding a JSON array parsed, and null, missing or '' as no items (so a loop over an absent
 * list runs zero times). Anything else is refused with a reason a person can act on.
 */
export function resolveLoopItems(itemsTemplate: string, context: TemplateContext): LoopItems {
  let value: unknown;
  try {
    value = resolveTemplate(itemsTemplate, context);
  } catch {
    // Only a value that is not JSON (a cycle, a BigInt in an object) cannot be interpolated.
    return { ok: false, reason: 'expected a list of items, got a value that is not JSON' };
  }
  if (Array.isArray(value)) return { ok: true, items: value };
  if (value === undefined || value === null || value === '') return { ok: true, items: [] };
  if (typeof value === 'string') {
    const items = parseJsonList(value);
    if (items) return { ok: true, items };
  }
  return { ok: false, reason: `expected a list of items, got ${describeValue(value)}` };
}

const maxQuotedText = 40;

function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > maxQuotedText ? `${value.slice(0, maxQuotedText)}…` : value;
    return `the text ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${value}`;
  if (typeof value === 'boolean') return `the value ${value}`;
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
