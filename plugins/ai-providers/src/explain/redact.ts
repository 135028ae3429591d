/**
 * Takes credentials out of text a provider wrote before PMOS repeats it. OpenAI echoes a
 * masked key in its 401 message ("Incorrect API key provided: sk-proj-****abcd") and proxies
 * may echo URLs with `?key=`: none of that may reach a person, a log or the audit trail.
 */

const keyShapes: [RegExp, string][] = [
  // OpenAI (sk-…, sk-proj-…) and Anthropic (sk-ant-…) keys, masked or not.
  [/\bsk-[A-Za-z0-9_*.-]{4,}/g, '[key]'],
  // Google API keys.
  [/\bAIza[0-9A-Za-z_-]{10,}/g, '[key]'],
  [/\b(Bearer)\s+[^\s"',]+/gi, '$1 [key]'],
  [/([?&](?:key|api_key|apikey|access_token|token)=)[^&\s"']+/gi, '$1[key]'],
];

/** `text` without the given secrets and without anything shaped like an API key. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; keys are never that short.
    if (secret && secret.length >= 6) out = out.replaceAll(secret, '[key]');
  }
  for (const [shape, replacement] of keyShapes) out = out.replace(shape, replacement);
  return out;
}

/** A provider's own words, made safe and short enough to quote in one sentence. */
export function quoteProvider(text: string | undefined, secrets: readonly (string | undefined)[]) {
  if (!text) return undefined;
  const line = redactSecrets(text.split('\n')[0]?.trim() ?? '', secrets);
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}
