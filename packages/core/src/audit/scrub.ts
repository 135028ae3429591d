/**
 * Removes secrets from anything that is about to be stored or shown: audit metadata, error
 * messages, traces. Keys that name a secret lose their value; values that look like one
 * of PMOS's own tokens or a bearer credential are masked wherever they appear.
 */
const secretKey =
  /pass(word)?|secret|token|api[-_]?key|authorization|cookie|credential|private[-_]?key/i;
const secretValue =
  /\b(pmos_(?:s|pat|inv)_[A-Za-z0-9_-]{8,})|\b(Bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/g;

/** `token=…`, `"password": "…"`, and well-known provider key shapes (sk-…, ghp_…, xoxb-…). */
const secretAssignment =
  /\b((?:pass(?:word)?|secret|token|api[-_]?key|access[-_]?key)["']?\s*[=:]\s*["']?)[^\s"',;&]{4,}/gi;
const providerKey =
  /\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16})/g;

export const redacted = '[redacted]';

export function scrubText(text: string): string {
  return text
    .replace(secretValue, (_match, _token: string | undefined, bearer: string | undefined) =>
      bearer ? `${bearer}${redacted}` : redacted,
    )
    .replace(secretAssignment, (_match, key: string) => `${key}${redacted}`)
    .replace(providerKey, redacted);
}

/** Removes exact known secrets (e.g. a connection's decrypted value) from a text. */
export function scrubKnown(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(redacted);
  return scrubText(out);
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
