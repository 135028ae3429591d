/**
 * Removes secrets from anything that is about to be stored or shown: audit metadata, error
 * messages, traces. Keys that name a secret lose their value; values that look like one
 * of PMOS's own tokens or a bearer credential are masked wherever they appear.
 */
const secretKey =
  /pass(word)?|secret|token|api[-_]?key|authorization|cookie|credential|private[-_]?key/i;
const secretValue =
  /\b(pmos_(?:s|pat|inv)_[A-Za-z0-9_-]{8,})|\b(Bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/g;

export const redacted = '[redacted]';

export function scrubText(text: string): string {
  return text.replace(
    secretValue,
    (_match, _token: string | undefined, bearer: string | undefined) =>
      bearer ? `${bearer}${redacted}` : redacted,
  );
}

export function scrub<T>(value: T, depth = 0): T {
  if (depth > 8) return redacted as T;
  if (typeof value === 'string') return scrubText(value) as T;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        secretKey.test(key) && item !== null && item !== undefined
          ? redacted
          : scrub(item, depth + 1),
      ]),
    ) as T;
  }
  return value;
}
