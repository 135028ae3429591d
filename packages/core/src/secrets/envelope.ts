import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { SecretsError } from './errors.js';

/**
 * AES-256-GCM with associated data. Layout: format byte (1) | IV (12) | tag (16) | ciphertext.
 * The associated data binds a ciphertext to where it belongs (workspace, secret id, key
 * version): the same bytes copied anywhere else fail to open.
 */
const format = 1;
const ivLength = 12;
const tagLength = 16;

export function seal(key: Buffer, plaintext: Buffer, associatedData: string): Buffer {
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([format]), iv, cipher.getAuthTag(), ciphertext]);
}

export function unseal(key: Buffer, sealed: Buffer, associatedData: string): Buffer {
  if (sealed.length < 1 + ivLength + tagLength || sealed[0] !== format) {
    throw new SecretsError('secret_tampered');
  }
  try {
    const iv = sealed.subarray(1, 1 + ivLength);
    const tag = sealed.subarray(1 + ivLength, 1 + ivLength + tagLength);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(sealed.subarray(1 + ivLength + tagLength)),
      decipher.final(),
    ]);
  } catch (cause) {
    throw new SecretsError('secret_tampered', { cause });
  }
}

/** A key's public name: reveals nothing of the key, tells keys apart. */
export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('pmos master key id').digest('hex').slice(0, 16);
}
