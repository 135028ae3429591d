import { parseTemplate, type TemplatePart } from './parse.js';
import { mapStrings } from './references.js';

/** Step outputs by step name (`trigger` for the trigger's event). */
export type TemplateContext = Readonly<Record<string, unknown>>;

/**
 * Fills the references in a value (strings at any depth of objects and arrays):
 * - a string that is exactly one `{{ref}}` becomes the referenced value itself (an object,
 *   a number, …), or `undefined` when the path leads nowhere;
 * - in any other string each reference is written as text: strings as they are, numbers and
 *   booleans with `String`, objects and arrays as JSON, null and missing values as '';
 * - a `{{…}}` that is not a reference (see `findMalformedTemplates`) stays as written.
 * Paths follow own properties only, so no template reaches a prototype.
 */
export function resolveTemplate(value: unknown, context: TemplateContext): unknown {
  return mapStrings(value, (text) => {
    if (!text.includes('{{')) return text;
    const parts = parseTemplate(text);
    const [only] = parts;
    if (parts.length === 1 && only?.kind === 'reference') return lookup(only, context);
    return parts.map((part) => interpolate(part, context)).join('');
  });
}

function interpolate(part: TemplatePart, context: TemplateContext): string {
  if (part.kind === 'text') return part.text;
  if (part.kind === 'malformed') return part.expression;
  const value = lookup(part, context);
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function lookup(part: TemplatePart & { kind: 'reference' }, context: TemplateContext): unknown {
  const { stepName, path } = part.reference;
  let current: unknown = Object.hasOwn(context, stepName) ? context[stepName] : undefined;
  for (const segment of path) {
    if (current === undefined || current === null) return undefined;
    const holder = Object(current) as Record<string | number, unknown>;
    if (!Object.hasOwn(holder, segment)) return undefined;
    current = holder[segment];
  }
  return current;
}
