import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { IdentityError } from './errors.js';

export const minimumPasswordLength = 12;
const maximumPasswordLength = 256;

// The ~49,000 most common passwords shipped with zxcvbn-ts, loaded on first use.
let commonPasswords: ReadonlySet<string> | undefined;
function isCommon(candidate: string): boolean {
  commonPasswords ??= new Set(dictionary['passwords-common']);
  return commonPasswords.has(candidate);
}

/** Refuses passwords that are short, common, or a common word with digits or symbols tacked on. */
export function checkPasswordPolicy(password: string, email: string): void {
  if (password.length < minimumPasswordLength) throw new IdentityError('password_too_short');
  if (password.length > maximumPasswordLength) throw new IdentityError('password_too_long');
  const lower = password.toLowerCase();
  const base = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (isCommon(lower) || (base.length >= 4 && isCommon(base)) || /^(.)\1+$/u.test(lower)) {
    throw new IdentityError('password_too_common');
  }
  const localPart = email.split('@')[0] ?? '';
  if (localPart.length >= 4 && lower.includes(localPart.toLowerCase())) {
    throw new IdentityError('password_contains_email');
  }
}

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies against the stored hash — or, for an unknown email, against a dummy hash, so
 * both answers take the same time and do not reveal which accounts exist.
 */
export async function verifyPassword(
  storedHash: string | null,
  password: string,
): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hash('pmos-dummy-password-for-timing');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
