import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyId } from './envelope.js';
import { SecretsError } from './errors.js';

export interface MasterKey {
  id: string;
  key: Buffer;
}

/** The key new data keys are wrapped with, plus older ones still accepted for unwrapping. */
export interface Keyring {
  current: MasterKey;
  previous: MasterKey[];
}

export function masterKey(key: Buffer): MasterKey {
  if (key.length !== 32) throw new SecretsError('master_key_invalid');
  return { id: keyId(key), key };
}

export function parseMasterKey(base64: string): MasterKey {
  const trimmed = base64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) throw new SecretsError('master_key_invalid');
  return masterKey(Buffer.from(trimmed, 'base64'));
}

export function generateMasterKey(): MasterKey {
  return masterKey(randomBytes(32));
}

export const masterKeyFile = 'master.key';
const nextKeyFile = 'master.key.next';

/**
 * Embedded mode keeps its master key in the data directory, created once with 0600. A
 * `master.key.next` left by an interrupted rotation is the newer key: both are loaded.
 */
export function loadMasterKeyFile(dataDir: string): { keyring: Keyring; created: boolean } {
  const path = join(dataDir, masterKeyFile);
  let created = false;
  if (!existsSync(path)) {
    writeFileSync(path, `${generateMasterKey().key.toString('base64')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
    created = true;
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const stored = parseMasterKey(readFileSync(path, 'utf8'));
  const nextPath = join(dataDir, nextKeyFile);
  if (existsSync(nextPath)) {
    return {
      keyring: { current: parseMasterKey(readFileSync(nextPath, 'utf8')), previous: [stored] },
      created,
    };
  }
  return { keyring: { current: stored, previous: [] }, created };
}

export function hasNextMasterKeyFile(dataDir: string): boolean {
  return existsSync(join(dataDir, nextKeyFile));
}

/** Rotation in embedded mode, step 1: the new key is on disk before any data key uses it. */
export function writeNextMasterKeyFile(dataDir: string, key: MasterKey): void {
  writeFileSync(join(dataDir, nextKeyFile), `${key.key.toString('base64')}\n`, { mode: 0o600 });
}

/** Rotation in embedded mode, last step: the new key becomes the key. */
export function promoteNextMasterKeyFile(dataDir: string): void {
  renameSync(join(dataDir, nextKeyFile), join(dataDir, masterKeyFile));
}
