/** One spelling per address: trimmed, Unicode-normalised, lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}
