import {
  type Database,
  type Keyring,
  loadMasterKeyFile,
  masterKey,
  masterKeyFile,
  SecretsError,
} from '@pmos/core';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';

/**
 * Where the master key comes from: PMOS_MASTER_KEY when set (required with DATABASE_URL, so
 * every process shares it); otherwise, in embedded mode, a key file generated once in the
 * data directory — with a loud warning to back it up.
 */
export function resolveKeyring(config: Config, db: Database, logger: FastifyBaseLogger): Keyring {
  const previous = config.previousMasterKeys.map(masterKey);
  if (config.masterKey) return { current: masterKey(config.masterKey), previous };
  if (db.mode === 'external' || !db.dataDirPath) {
    throw new SecretsError('master_key_missing', {
      message:
        'PMOS_MASTER_KEY is required with DATABASE_URL: every PMOS process must share it. Generate one with: openssl rand -base64 32',
    });
  }
  const { keyring, created } = loadMasterKeyFile(db.dataDirPath);
  if (created) {
    logger.warn(
      { file: `${db.dataDirPath}/${masterKeyFile}` },
      'Generated a new master key in the data directory. BACK IT UP: without it, stored secrets cannot be decrypted.',
    );
  }
  return { current: keyring.current, previous: [...keyring.previous, ...previous] };
}
