import { describe, expect, it } from 'vitest';
import { redacted, scrub, scrubKnown, scrubText } from './scrub.js';

describe('scrub', () => {
  it('masks values under keys that name a secret, at any depth', () => {
    expect(
      scrub({
        email: 'a@example.com',
        password: 'hunter2hunter2',
        nested: { apiKey: 'sk-123', list: [{ token: 'x' }] },
      }),
    ).toEqual({
      email: 'a@example.com',
      password: redacted,
      nested: { apiKey: redacted, list: [{ token: redacted }] },
    });
  });

  it('masks PMOS tokens and bearer credentials inside text', () => {
    const token = 'pmos_pat_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg';
    expect(scrubText(`curl -H "Authorization: Bearer ${token}"`)).toBe(
      `curl -H "Authorization: Bearer ${redacted}"`,
    );
    expect(scrubText(`invite link https://x/invite/pmos_inv_abcdefghijklmnop`)).toBe(
      `invite link https://x/invite/${redacted}`,
    );
    expect(scrub({ command: `echo ${token}` })).toEqual({ command: `echo ${redacted}` });
  });

  it('masks key=value secrets and well-known provider key shapes', () => {
    expect(scrubText('failed with token=abc123def and password: "hunter22"')).toBe(
      `failed with token=${redacted} and password: "${redacted}"`,
    );
    expect(scrubText('key sk-proj-abcdefghijklmnopqrstuv refused')).toBe(`key ${redacted} refused`);
    expect(scrubText('ghp_abcdefghijklmnopqrstuvwxyz0123 is bad')).toBe(`${redacted} is bad`);
  });

  it('masks exact known secrets, whatever their shape', () => {
    expect(scrubKnown('the key q9!Zr7 was refused', ['q9!Zr7'])).toBe(
      `the key ${redacted} was refused`,
    );
  });

  it('leaves ordinary data alone', () => {
    const value = {
      action: 'member.role_change',
      from: 'member',
      to: 'viewer',
      count: 3,
      at: new Date(0),
      none: null,
    };
    expect(scrub(value)).toEqual(value);
  });
});
