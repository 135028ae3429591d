/** Joins class names, skipping falsy ones. Internal: not part of the public API. */
export function cx(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(' ');
}
