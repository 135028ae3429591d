import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

/**
 * Checks a form's values against the API's own request schema before sending, so a person
 * sees the same messages the server would give, without the round trip.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  values: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; fields: FieldErrors } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? 'form');
    fields[key] ??= issue.message;
  }
  return { ok: false, fields };
}
