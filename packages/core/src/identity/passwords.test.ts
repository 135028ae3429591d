import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';

const policyError = (password: string, email = 'ada@example.com') => {
  try {
    checkPasswordPolicy(password, email);
    return null;
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('password policy', () => {
  it('accepts a long, uncommon password', () => {
    expect(policyError('correct horse battery staple')).toBeNull();
    expect(policyError('Tq8#vLm2!pZr')).toBeNull();
  });

  it('refuses short ones', () => {
    expect(policyError('Tq8#vLm2!pZ')).toBe('password_too_short');
  });

  it.each([
    'qwerty123456',
    '1q2w3e4r5t6y',
    'PASSWORD1234',
    'password1234!',
    'iloveyou2024!!',
    'aaaaaaaaaaaa',
  ])('refuses the common %s', (password) => {
    expect(policyError(password)).toBe('password_too_common');
  });

  it('refuses passwords built on the email address', () => {
    expect(policyError('my-ada.lovelace-pw', 'ada.lovelace@example.com')).toBe(
      'password_contains_email',
    );
  });

  it('refuses absurdly long ones', () => {
    expect(policyError('x'.repeat(257))).toBe('password_too_long');
  });
});

describe('password hashing', () => {
  it('hashes with argon2id and verifies', async () => {
    const hashed = await hashPassword('correct horse battery staple');
    expect(hashed).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hashed, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hashed, 'correct horse battery stapler')).toBe(false);
  });

  it('spends the same work on an unknown account and says no', async () => {
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'anything at all')).toBe(false);
  });
});
