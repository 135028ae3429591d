import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyId, seal, unseal } from './envelope.js';

const key = randomBytes(32);

describe('AES-256-GCM envelope', () => {
  it('round-trips, with a fresh IV every time', () => {
    const plaintext = Buffer.from('sk-live-1234567890');
    const a = seal(key, plaintext, 'ws:1');
    const b = seal(key, plaintext, 'ws:1');
    expect(a.equals(b)).toBe(false);
    expect(unseal(key, a, 'ws:1').toString()).toBe('sk-live-1234567890');
    expect(a.includes(plaintext)).toBe(false);
  });

  it.each([
    ['another place (associated data)', (s: Buffer) => s, 'ws:2', key],
    [
      'a flipped ciphertext bit',
      (s: Buffer) => Buffer.concat([s.subarray(0, -1), Buffer.from([(s.at(-1) ?? 0) ^ 1])]),
      'ws:1',
      key,
    ],
    [
      'a flipped tag bit',
      (s: Buffer) => {
        const c = Buffer.from(s);
        c[14] = (c[14] ?? 0) ^ 1;
        return c;
      },
      'ws:1',
      key,
    ],
    ['a truncated value', (s: Buffer) => s.subarray(0, 20), 'ws:1', key],
    [
      'an unknown format',
      (s: Buffer) => Buffer.concat([Buffer.from([9]), s.subarray(1)]),
      'ws:1',
      key,
    ],
    ['the wrong key', (s: Buffer) => s, 'ws:1', randomBytes(32)],
  ])('refuses %s with secret_tampered, never plaintext', (_name, mutate, aad, openKey) => {
    const sealed = mutate(seal(key, Buffer.from('value'), 'ws:1'));
    expect(() => unseal(openKey, sealed, aad)).toThrowError(
      expect.objectContaining({ code: 'secret_tampered' }),
    );
  });

  it('names keys without revealing them', () => {
    expect(keyId(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyId(key)).toBe(keyId(Buffer.from(key)));
    expect(keyId(randomBytes(32))).not.toBe(keyId(key));
  });
});
