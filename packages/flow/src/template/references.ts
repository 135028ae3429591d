import { connectionsRoot, parseTemplate, type TemplateReference } from './parse.js';

/**
 * The step references inside a value (strings at any depth of objects and arrays), in order
 * of appearance. Connection references (`{{connections['id']}}`) are not step references and
 * are left out.
 */
export function parseReferences(value: unknown): TemplateReference[] {
  return templateStrings(value).flatMap((text) =>
    parseTemplate(text).flatMap((part) =>
      part.kind === 'reference' && part.reference.stepName !== connectionsRoot
        ? [part.reference]
        : [],
    ),
  );
}

/** Every `{{…}}` in a value that is not a reference, with the reason. */
export function findMalformedTemplates(value: unknown): { expression: string; reason: string }[] {
  return templateStrings(value).flatMap((text) =>
    parseTemplate(text).flatMap((part) =>
      part.kind === 'malformed' ? [{ expression: part.expression, reason: part.reason }] : [],
    ),
  );
}

/**
 * The value with references to renamed steps pointing at their new names (how a duplicated
 * step reads from its duplicated siblings); everything else is kept as written.
 */
export function renameReferences<T>(value: T, renames: ReadonlyMap<string, string>): T {
  return mapStrings(value, (text) => {
    if (!text.includes('{{')) return text;
    return parseTemplate(text)
      .map((part) => {
        if (part.kind === 'text') return part.text;
        if (part.kind === 'malformed') return part.expression;
        const { expression, stepName } = part.reference;
        const renamed = renames.get(stepName);
        return renamed === undefined
          ? expression
          : expression.slice(0, part.rootStart) + renamed + expression.slice(part.rootEnd);
      })
      .join('');
  }) as T;
}

function templateStrings(value: unknown): string[] {
  const strings: string[] = [];
  mapStrings(value, (text) => {
    if (text.includes('{{')) strings.push(text);
    return text;
  });
  return strings;
}

/** Applies `map` to every string in a JSON-like value, rebuilding objects and arrays. */
export function mapStrings(value: unknown, map: (text: string) => unknown): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]),
    );
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
