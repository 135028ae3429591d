import { z } from 'zod';

/** How deep a value may nest: enough for any real input, far from any recursion limit. */
export const maxJsonDepth = 64;

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * Step inputs and sample data are plain JSON, checked without recursion and bounded in depth
 * (so neither this check nor later recursive readers can overflow the stack), refusing
 * `__proto__` keys, which `JSON.parse` keeps as own keys and naive copies turn into a prototype.
 */
export const jsonValueSchema = z.custom<JsonValue>().superRefine((value, ctx) => {
  const problem = jsonProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
});

interface Pending {
  value: unknown;
  path: PropertyKey[];
  parent: Pending | undefined;
}

function jsonProblem(root: unknown): { path: PropertyKey[]; message: string } | null {
  const stack: Pending[] = [{ value: root, path: [], parent: undefined }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, path } = item;
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (Number.isFinite(value)) continue;
      return { path, message: 'Numbers must be finite' };
    }
    if (typeof value !== 'object')
      return { path, message: `A ${typeof value} is not a JSON value` };
    if (path.length > maxJsonDepth) {
      return { path, message: `Values may nest at most ${maxJsonDepth} levels deep` };
    }
    for (let up = item.parent; up; up = up.parent) {
      if (up.value === value) return { path, message: 'The value contains itself' };
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        stack.push({ value: value[i], path: [...path, i], parent: item });
      }
      continue;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      return { path, message: 'Only plain objects are JSON values' };
    }
    for (const [key, v] of Object.entries(value)) {
      if (key === '__proto__') {
        return { path: [...path, key], message: 'The key "__proto__" is not allowed' };
      }
      // An absent value (`{ a: undefined }`) is how JavaScript callers leave an input unset.
      if (v !== undefined) stack.push({ value: v, path: [...path, key], parent: item });
    }
  }
  return null;
}
